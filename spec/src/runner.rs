//! Runs the directives of one `.wast` script against one store and one
//! linker (with `spectest` defined and shadowing allowed), keeping track of
//! named and current module instances.

use std::collections::HashMap;

use ember_core::{
    Engine, Error, ErrorKind, Extern, ExternRef, Instance, Linker, Module, Store, TrapCode, Val,
};
use wast::core::ModuleKind;
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::{Id, Span};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

use crate::values::{arg_to_val, check_results, describe_vals};
use crate::{Failure, FileReport, Options, Tier, panics, spectest};

/// What a directive amounts to in the counts.
enum Step {
    /// An assertion: counted as passed or failed.
    Assertion(Result<(), String>),
    /// An action (`module`, `register`, `invoke`, ...): counted only when
    /// it fails.
    Action(Result<(), String>),
}

/// The engine's answer to an invocation or instantiation, or why the
/// runner could not even ask (unknown module or export, bad argument).
type Outcome = Result<Result<Vec<Val>, Error>, String>;

fn failure_at(span: Span, text: &str, reason: String) -> Failure {
    let (line, column) = span.linecol_in(text);
    Failure {
        line: line + 1,
        column: column + 1,
        reason,
    }
}

/// Parses `text` and runs its directives, adding to `report`. A panic in
/// one directive is reported there and ends the file, since the store may
/// be left inconsistent.
pub(crate) fn run(text: &str, options: &Options, report: &mut FileReport) {
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buffer = match ParseBuffer::new_with_lexer(lexer) {
        Ok(buffer) => buffer,
        Err(e) => {
            return report.failures.push(failure_at(
                e.span(),
                text,
                format!("cannot lex: {}", e.message()),
            ));
        }
    };
    let wast = match parser::parse::<Wast<'_>>(&buffer) {
        Ok(wast) => wast,
        Err(e) => {
            return report.failures.push(failure_at(
                e.span(),
                text,
                format!("cannot parse: {}", e.message()),
            ));
        }
    };
    let mut runner = match Runner::new(options) {
        Ok(runner) => runner,
        Err(e) => {
            let reason = format!("cannot define the spectest module: {e}");
            return report.failures.push(Failure {
                line: 1,
                column: 1,
                reason,
            });
        }
    };
    let count = wast.directives.len();
    for (i, directive) in wast.directives.into_iter().enumerate() {
        let span = directive.span();
        match panics::catch(|| runner.directive(directive)) {
            Ok(Step::Assertion(Ok(()))) => report.passed += 1,
            Ok(Step::Action(Ok(()))) => {}
            Ok(Step::Assertion(Err(reason)) | Step::Action(Err(reason))) => {
                report.failures.push(failure_at(span, text, reason));
            }
            Err(panic) => {
                let rest = count - i - 1;
                let reason = format!(
                    "the engine panicked: {panic}; the {rest} remaining directives were not run"
                );
                report.failures.push(failure_at(span, text, reason));
                report.jit = runner.engine.jit_stats();
                return;
            }
        }
    }
    report.jit = runner.engine.jit_stats();
}

/// Which kind of rejection an `assert_invalid`/`assert_malformed` expects.
#[derive(Clone, Copy)]
enum Rejection {
    Invalid,
    Malformed,
}

impl Rejection {
    fn adjective(self) -> &'static str {
        match self {
            Rejection::Invalid => "an invalid",
            Rejection::Malformed => "a malformed",
        }
    }
}

/// The state of one script: its store and linker, and the instances and
/// module definitions its directives named.
struct Runner {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    /// The last successfully instantiated module, used when a directive
    /// names none. `None` after a failed `module`, so that later directives
    /// do not silently run against an older one.
    current: Option<Instance>,
    instances: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
    last_definition: Option<Module>,
    /// `(ref.extern N)` handles: the same `N` always gives the same handle.
    externrefs: HashMap<u32, ExternRef>,
}

impl Runner {
    fn new(options: &Options) -> Result<Runner, Error> {
        let engine = match options.tier {
            Tier::Interp => Engine::default(),
            Tier::Jit => Engine::new(&ember_platform_std::host_config(ember_core::Tier::Jit)),
            Tier::Auto => {
                // Low thresholds, so the short spec functions do tier up.
                let mut config = ember_platform_std::host_config(ember_core::Tier::Auto);
                config.jit_call_threshold(2).jit_loop_threshold(3);
                Engine::new(&config)
            }
        };
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker.allow_shadowing(true);
        spectest::define(&mut linker, &mut store, options.verbose)?;
        Ok(Runner {
            engine,
            store,
            linker,
            current: None,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
            externrefs: HashMap::new(),
        })
    }

    fn directive(&mut self, directive: WastDirective<'_>) -> Step {
        match directive {
            WastDirective::Module(mut module) => Step::Action(self.module(&mut module)),
            WastDirective::ModuleDefinition(mut module) => {
                Step::Action(self.module_definition(&mut module))
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => Step::Action(self.module_instance(instance, module)),
            WastDirective::Register { name, module, .. } => {
                Step::Action(self.register(name, module))
            }
            WastDirective::Invoke(invoke) => Step::Action(match self.invoke(&invoke) {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => Err(format!("invoke failed: {}", describe_error(&e))),
                Err(reason) => Err(reason),
            }),
            WastDirective::AssertReturn { exec, results, .. } => {
                Step::Assertion(self.assert_return(exec, &results))
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                Step::Assertion(self.assert_trap(exec, message))
            }
            WastDirective::AssertExhaustion { call, message, .. } => Step::Assertion(
                self.invoke(&call)
                    .and_then(|outcome| expect_trap(&self.store, outcome, message)),
            ),
            WastDirective::AssertInvalid {
                module, message, ..
            } => Step::Assertion(self.assert_rejected(module, message, Rejection::Invalid)),
            WastDirective::AssertMalformed {
                module, message, ..
            } => Step::Assertion(self.assert_rejected(module, message, Rejection::Malformed)),
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => Step::Assertion(self.assert_unlinkable(module, message)),
            WastDirective::AssertInvalidCustom { mut module, .. }
            | WastDirective::AssertMalformedCustom { mut module, .. } => {
                // Ember ignores custom sections, so a bad one must not stop
                // the module from compiling.
                Step::Assertion(self.compile(&mut module).map(drop))
            }
            WastDirective::AssertException { .. } => Step::Assertion(Err(
                "`assert_exception` needs exception handling, which is not supported".into(),
            )),
            WastDirective::AssertSuspension { .. } => Step::Assertion(Err(
                "`assert_suspension` needs stack switching, which is not supported".into(),
            )),
            WastDirective::Thread(_) | WastDirective::Wait { .. } => Step::Assertion(Err(
                "`thread`/`wait` need the threads proposal, which is not supported".into(),
            )),
        }
    }

    /// Encodes a module from the script and compiles it.
    fn compile(&self, module: &mut QuoteWat<'_>) -> Result<Module, String> {
        if matches!(
            module,
            QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
        ) {
            return Err("components are not supported".into());
        }
        let bytes = module
            .encode()
            .map_err(|e| format!("cannot encode the module: {}", e.message()))?;
        Module::new(&self.engine, &bytes)
            .map_err(|e| format!("the module failed to compile: {}", describe_error(&e)))
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, Error> {
        self.linker.instantiate(&mut self.store, module)
    }

    fn module(&mut self, module: &mut QuoteWat<'_>) -> Result<(), String> {
        let name = module.name().map(|id| id.name().to_string());
        self.current = None;
        if let Some(name) = &name {
            self.instances.remove(name);
        }
        let module = self.compile(module)?;
        let instance = self
            .instantiate(&module)
            .map_err(|e| format!("the module failed to instantiate: {}", describe_error(&e)))?;
        self.current = Some(instance);
        if let Some(name) = name {
            self.instances.insert(name, instance);
        }
        Ok(())
    }

    fn module_definition(&mut self, module: &mut QuoteWat<'_>) -> Result<(), String> {
        let name = module.name().map(|id| id.name().to_string());
        self.last_definition = None;
        let module = self.compile(module)?;
        if let Some(name) = name {
            self.definitions.insert(name, module.clone());
        }
        self.last_definition = Some(module);
        Ok(())
    }

    fn module_instance(
        &mut self,
        instance: Option<Id<'_>>,
        module: Option<Id<'_>>,
    ) -> Result<(), String> {
        let definition = match module {
            Some(id) => self.definitions.get(id.name()).cloned(),
            None => self.last_definition.clone(),
        }
        .ok_or_else(|| format!("unknown module definition {}", id_text(module)))?;
        self.current = None;
        let created = self
            .instantiate(&definition)
            .map_err(|e| format!("the module failed to instantiate: {}", describe_error(&e)))?;
        self.current = Some(created);
        if let Some(id) = instance {
            self.instances.insert(id.name().to_string(), created);
        }
        Ok(())
    }

    fn instance(&self, id: Option<Id<'_>>) -> Result<Instance, String> {
        match id {
            Some(id) => self
                .instances
                .get(id.name())
                .copied()
                .ok_or_else(|| format!("unknown module `${}`", id.name())),
            None => self
                .current
                .ok_or_else(|| "no module is instantiated".to_string()),
        }
    }

    fn register(&mut self, name: &str, module: Option<Id<'_>>) -> Result<(), String> {
        let instance = self.instance(module)?;
        self.linker
            .instance(&self.store, name, instance)
            .map(drop)
            .map_err(|e| format!("cannot register `{name}`: {}", describe_error(&e)))
    }

    fn externref(&mut self, n: u32) -> ExternRef {
        let store = &mut self.store;
        *self
            .externrefs
            .entry(n)
            .or_insert_with(|| ExternRef::new(store, n))
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Outcome {
        let instance = self.instance(invoke.module)?;
        let func = instance
            .get_func(&self.store, invoke.name)
            .ok_or_else(|| format!("no exported function `{}`", invoke.name))?;
        let mut args = Vec::with_capacity(invoke.args.len());
        for arg in &invoke.args {
            args.push(arg_to_val(arg, |n| self.externref(n))?);
        }
        let mut results: Vec<Val> = func
            .ty(&self.store)
            .results()
            .iter()
            .map(|&ty| Val::default_for(ty))
            .collect();
        Ok(func
            .call(&mut self.store, &args, &mut results)
            .map(|()| results))
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Outcome {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Wat(wat) => {
                let module = self.compile(&mut QuoteWat::Wat(wat))?;
                Ok(self.instantiate(&module).map(|_| Vec::new()))
            }
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module)?;
                match instance.get_export(&self.store, global) {
                    Some(Extern::Global(g)) => Ok(Ok(vec![g.get(&self.store)])),
                    Some(_) => Err(format!("export `{global}` is not a global")),
                    None => Err(format!("no exported global `{global}`")),
                }
            }
        }
    }

    fn assert_return(
        &mut self,
        exec: WastExecute<'_>,
        expected: &[WastRet<'_>],
    ) -> Result<(), String> {
        match self.execute(exec)? {
            Ok(values) => check_results(&self.store, expected, &values),
            Err(e) => Err(format!("expected results, got {}", describe_error(&e))),
        }
    }

    /// `assert_trap` on an invocation, or on a module whose instantiation
    /// must trap (the testsuite's "uninstantiable" modules).
    fn assert_trap(&mut self, exec: WastExecute<'_>, message: &str) -> Result<(), String> {
        let outcome = self.execute(exec)?;
        expect_trap(&self.store, outcome, message)
    }

    fn assert_rejected(
        &mut self,
        mut module: QuoteWat<'_>,
        message: &str,
        expected: Rejection,
    ) -> Result<(), String> {
        let binary = matches!(&module, QuoteWat::Wat(Wat::Module(m)) if matches!(m.kind, ModuleKind::Binary(_)));
        if matches!(
            module,
            QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
        ) {
            return Err("components are not supported".into());
        }
        let what = expected.adjective();
        let bytes = match module.encode() {
            Ok(bytes) => bytes,
            // The text format already rejects it: that is the expected failure.
            Err(_) if !binary => return Ok(()),
            Err(e) => return Err(format!("cannot encode the binary module: {}", e.message())),
        };
        match Module::new(&self.engine, &bytes) {
            Ok(_) => Err(format!(
                "expected {what} module (\"{message}\"), but it compiled"
            )),
            Err(e) if e.kind() == ErrorKind::InvalidModule => Ok(()),
            Err(e) => Err(format!(
                "expected {what} module (\"{message}\"), got {}",
                describe_error(&e)
            )),
        }
    }

    fn assert_unlinkable(&mut self, wat: Wat<'_>, message: &str) -> Result<(), String> {
        let module = self.compile(&mut QuoteWat::Wat(wat))?;
        match self.instantiate(&module) {
            Ok(_) => Err(format!(
                "expected an unlinkable module (\"{message}\"), but it instantiated"
            )),
            Err(e) if e.kind() == ErrorKind::Unlinkable && e.to_string().contains(message) => {
                Ok(())
            }
            Err(e) => Err(format!(
                "expected an unlinkable module (\"{message}\"), got {}",
                describe_error(&e)
            )),
        }
    }
}

/// Passes if `outcome` is a trap whose message matches `expected` (either
/// contains the other: the testsuite's wording is sometimes longer).
fn expect_trap(
    store: &Store<()>,
    outcome: Result<Vec<Val>, Error>,
    expected: &str,
) -> Result<(), String> {
    match outcome {
        Ok(values) => Err(format!(
            "expected trap \"{expected}\", got {}",
            describe_vals(store, &values)
        )),
        Err(e) => match e.trap_code() {
            Some(code) if trap_messages_match(code, expected) => Ok(()),
            _ => Err(format!(
                "expected trap \"{expected}\", got {}",
                describe_error(&e)
            )),
        },
    }
}

fn trap_messages_match(code: TrapCode, expected: &str) -> bool {
    let ours = code.message();
    ours.contains(expected) || expected.contains(ours)
}

fn describe_error(e: &Error) -> String {
    match e.trap_code() {
        Some(code) => format!("trap \"{}\"", code.message()),
        None => format!("{:?} error: {e}", e.kind()),
    }
}

fn id_text(id: Option<Id<'_>>) -> String {
    id.map_or_else(
        || "(none defined)".to_string(),
        |id| format!("`${}`", id.name()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trap_messages_match_either_way() {
        assert!(trap_messages_match(
            TrapCode::UndefinedElement,
            "undefined element"
        ));
        assert!(trap_messages_match(
            TrapCode::Unreachable,
            "unreachable executed"
        ));
        assert!(trap_messages_match(
            TrapCode::StackOverflow,
            "call stack exhausted"
        ));
        assert!(!trap_messages_match(
            TrapCode::UninitializedElement,
            "undefined element"
        ));
        assert!(!trap_messages_match(
            TrapCode::MemoryOutOfBounds,
            "out of bounds table access"
        ));
    }

    fn run_text(text: &str) -> FileReport {
        let mut report = FileReport {
            name: "t.wast".into(),
            passed: 0,
            failures: Vec::new(),
            jit: Default::default(),
        };
        run(text, &Options::default(), &mut report);
        report
    }

    #[test]
    fn registered_and_named_modules_link() {
        let report = run_text(
            r#"
            (module $a (global (export "g") i32 (i32.const 42)) (func (export "f") (result i32) i32.const 7))
            (register "a" $a)
            (module $b (import "a" "f" (func $f (result i32))) (func (export "g") (result i32) call $f))
            (assert_return (invoke "g") (i32.const 7))
            (assert_return (get $a "g") (i32.const 42))
            (assert_unlinkable (module (import "a" "nope" (func))) "unknown import")
            (assert_unlinkable (module (import "a" "f" (func (param i32)))) "incompatible import type")
            "#,
        );
        assert_eq!((report.passed, report.failures), (4, vec![]));
    }

    #[test]
    fn spectest_and_references() {
        let report = run_text(
            r#"
            (module
              (import "spectest" "print_i32" (func $print (param i32)))
              (import "spectest" "global_i32" (global $g i32))
              (import "spectest" "table" (table 10 funcref))
              (import "spectest" "memory" (memory 1 2))
              (func (export "g") (result i32) global.get $g)
              (func (export "id") (param externref) (result externref) local.get 0)
              (func (export "null") (result funcref) ref.null func)
              (func (export "print") (i32.const 1) (call $print)))
            (invoke "print")
            (assert_return (invoke "g") (i32.const 666))
            (assert_return (invoke "id" (ref.extern 3)) (ref.extern 3))
            (assert_return (invoke "id" (ref.extern 3)) (ref.extern 4))
            (assert_return (invoke "id" (ref.null extern)) (ref.null extern))
            (assert_return (invoke "null") (ref.null func))
            "#,
        );
        assert_eq!(report.passed, 4, "{report:?}");
        assert_eq!(report.failures.len(), 1, "{report:?}");
        assert!(
            report.failures[0]
                .reason
                .contains("expected (ref.extern 4), got (ref.extern 3)"),
            "{report:?}"
        );
    }

    #[test]
    fn failed_modules_and_unsupported_directives_are_failures() {
        let report = run_text(
            r#"
            (module (func (export "f")))
            (module (import "nowhere" "f" (func)))
            (assert_return (invoke "f"))
            (assert_exception (invoke "f"))
            "#,
        );
        assert_eq!(report.passed, 0);
        let reasons: Vec<&str> = report.failures.iter().map(|f| f.reason.as_str()).collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[0].contains("unknown import"), "{reasons:?}");
        assert_eq!(reasons[1], "no module is instantiated");
        assert!(reasons[2].contains("exception handling"), "{reasons:?}");
    }

    #[test]
    fn uninstantiable_modules_trap() {
        let report = run_text(
            r#"
            (assert_trap (module (func $f unreachable) (start $f)) "unreachable")
            (assert_trap (module (memory 0) (data (i32.const 1) "x")) "out of bounds memory access")
            (assert_exhaustion (invoke "f") "call stack exhausted")
            "#,
        );
        assert_eq!(report.passed, 2, "{report:?}");
        assert_eq!(report.failures[0].reason, "no module is instantiated");
    }
}
