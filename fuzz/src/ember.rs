//! Running a module on Ember: the tiers a target can ask for, stand-in
//! imports, conversions between Ember's values and [`Value`], and the
//! differential [`Subject`] for one tier.

use std::sync::Arc;

use ember_core::{
    CompileEnv, Config, Engine, Error, ErrorKind, Extern, ExternRef, ExternType, Func, Global,
    Instance, JitError, Memory, Module, Store, Table, TrapCode, V128, Val, ValType, VecCodeBuffer,
};
use ember_platform_std::StdPlatform;

use crate::differential::Subject;
use crate::generate::{MAX_MEMORY_PAGES, MAX_TABLE_ELEMENTS};
use crate::value::{ExportedFunc, Kind, Outcome, Snapshot, TrapKind, Value};

/// One way Ember can execute code. Targets loop over [`Tier::ALL`], so a
/// new tier is tested everywhere once it is listed there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// The register-IR interpreter alone (no backend).
    Interpreter,
    /// The host's JIT backend, forced: every function is compiled before
    /// its first call (`ember_core::Tier::Jit`).
    Jit,
    /// The interpreter tiering up to the JIT after very few calls or loop
    /// iterations ([`AUTO_CALL_THRESHOLD`], [`AUTO_LOOP_THRESHOLD`]), so
    /// that frames move between the tiers in the middle of a run
    /// (`ember_core::Tier::Auto`).
    Auto,
}

/// Calls after which [`Tier::Auto`] compiles a function in the targets.
pub const AUTO_CALL_THRESHOLD: u32 = 2;

/// Loop back-edges after which [`Tier::Auto`] moves a running frame to
/// native code (on-stack replacement) in the targets.
pub const AUTO_LOOP_THRESHOLD: u32 = 7;

impl Tier {
    /// Every tier Ember has.
    pub const ALL: &'static [Tier] = &[Tier::Interpreter, Tier::Jit, Tier::Auto];

    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Interpreter => "ember-interp",
            Tier::Jit => "ember-jit",
            Tier::Auto => "ember-auto",
        }
    }

    /// Adjusts an engine configuration so that code runs in this tier: the
    /// native tiers get the host's platform (W^X code memory) and backend.
    /// [`Tier::Auto`] gets the targets' low thresholds; a target may lower
    /// them further afterwards.
    pub fn configure(self, config: &mut Config) {
        match self {
            Tier::Interpreter => {
                config.tier(ember_core::Tier::Interp);
            }
            Tier::Jit | Tier::Auto => {
                let backend = ember_platform_std::host_backend()
                    .expect("the fuzz targets run on a host with a JIT backend");
                config
                    .platform(Arc::new(StdPlatform::new()))
                    .backend(backend);
                if self == Tier::Jit {
                    config.tier(ember_core::Tier::Jit);
                } else {
                    config
                        .tier(ember_core::Tier::Auto)
                        .jit_call_threshold(AUTO_CALL_THRESHOLD)
                        .jit_loop_threshold(AUTO_LOOP_THRESHOLD);
                }
            }
        }
    }

    /// Brings every defined function of `module` into this tier's first
    /// form ahead of any call (the IR: native code is compiled by the
    /// engine when it runs, see [`jit_compile_each`]), returning each
    /// function's error (function index, error).
    pub fn prepare(self, module: &Module) -> Vec<(u32, Error)> {
        translate_each(module)
    }
}

/// The defined functions of `module`: function indices past the imported
/// ones.
fn defined_funcs(module: &Module) -> std::ops::RangeFrom<u32> {
    let imported = module
        .imports()
        .filter(|(_, _, ty)| matches!(ty, ExternType::Func(_)))
        .count() as u32;
    imported..
}

/// Translates every defined function of `module` to IR, returning the
/// errors with the index of the function that reported each.
pub fn translate_each(module: &Module) -> Vec<(u32, Error)> {
    let mut errors = Vec::new();
    for index in defined_funcs(module) {
        match module.func_ir(index) {
            Ok(_) => {}
            // Past the last function.
            Err(e) if e.kind() == ErrorKind::Usage => break,
            Err(e) => errors.push((index, e)),
        }
    }
    errors
}

/// Compiles the IR of every defined function of `module` with the host's
/// JIT backend, straight through [`Backend::compile`] (so that a decline
/// comes with its reason), once with fuel and interrupt checks and once
/// without. Functions that do not translate are skipped. Returns the
/// number of functions compiled and each decline (function index, error).
pub fn jit_compile_each(module: &Module) -> (usize, Vec<(u32, JitError)>) {
    let backend =
        ember_platform_std::host_backend().expect("the fuzz targets run on a host with a JIT");
    let mut compiled = 0;
    let mut declined = Vec::new();
    for index in defined_funcs(module) {
        let ir = match module.func_ir(index) {
            Ok(ir) => ir,
            Err(e) if e.kind() == ErrorKind::Usage => break,
            Err(_) => continue,
        };
        let mut result = Ok(());
        for checks in [true, false] {
            let mut env = CompileEnv::new(index);
            env.fuel = checks;
            env.interruptible = checks;
            let mut buf = VecCodeBuffer::new();
            if let Err(e) = backend.compile(&ir, &env, &mut buf) {
                result = Err(e);
            }
        }
        match result {
            Ok(()) => compiled += 1,
            Err(e) => declined.push((index, e)),
        }
    }
    (compiled, declined)
}

/// Whether a translation error is one of the documented ones: an
/// implementation limit or a feature not implemented yet.
pub fn is_documented_translation_error(error: &Error) -> bool {
    matches!(error.kind(), ErrorKind::Limit | ErrorKind::Unsupported)
}

/// The `JitError::Unsupported` reasons the x86-64 backend gives on
/// purpose for valid code: a policy, not a gap (jit-x64 `compile/mod.rs`).
/// Its other `Unsupported` errors are for IR the translator never produces
/// (branches out of the function), so for translated code they are bugs.
pub const DOCUMENTED_JIT_DECLINES: &[&str] = &[
    // Loops whose instructions mostly go through `Helpers::exec` (SIMD)
    // run faster in the interpreter.
    "loops mostly made of instructions run by the interpreter helper (SIMD)",
];

/// Whether the JIT may decline a function this way: an implementation
/// limit (a frame of more than 65,536 slots, code or branch distances past
/// 1 GiB) or one of [`DOCUMENTED_JIT_DECLINES`]. A declined function keeps
/// running in the interpreter.
pub fn is_documented_jit_error(error: &JitError) -> bool {
    match error {
        JitError::Limit(_) => true,
        JitError::Unsupported(reason) => DOCUMENTED_JIT_DECLINES.contains(reason),
        _ => false,
    }
}

/// The engine configuration shared by Ember's tiers in the targets: fuel
/// on and the same memory and table limits as the reference engine.
pub fn fuzz_config(tier: Tier) -> Config {
    let mut config = Config::new();
    config
        .consume_fuel(true)
        .max_memory_pages(MAX_MEMORY_PAGES)
        .max_table_elements(MAX_TABLE_ELEMENTS);
    tier.configure(&mut config);
    config
}

/// The [`Kind`] of an Ember value type.
pub fn kind_of(ty: ValType) -> Kind {
    match ty {
        ValType::I32 => Kind::I32,
        ValType::I64 => Kind::I64,
        ValType::F32 => Kind::F32,
        ValType::F64 => Kind::F64,
        ValType::V128 => Kind::V128,
        ValType::FuncRef => Kind::FuncRef,
        ValType::ExternRef => Kind::ExternRef,
    }
}

/// Stand-ins for every import of `module`, in import order: functions that
/// return zeros, fresh memories and tables of the minimum size, globals
/// holding zero. The reference engine gets the same stand-ins.
pub fn stand_in_imports<T>(store: &mut Store<T>, module: &Module) -> Result<Vec<Extern>, Error> {
    let types: Vec<ExternType> = module.imports().map(|(_, _, ty)| ty).collect();
    types
        .into_iter()
        .map(|ty| {
            Ok(match ty {
                ExternType::Func(ty) => {
                    let results: Vec<Val> =
                        ty.results().iter().map(|&t| Val::default_for(t)).collect();
                    Extern::from(Func::new(&mut *store, ty, move |_, _, out| {
                        out.copy_from_slice(&results);
                        Ok(())
                    }))
                }
                ExternType::Memory(ty) => Extern::from(Memory::new(&mut *store, ty)?),
                ExternType::Table(ty) => {
                    Extern::from(Table::new(&mut *store, ty, Val::default_for(ty.element))?)
                }
                ExternType::Global(ty) => {
                    Extern::from(Global::new(&mut *store, ty, Val::default_for(ty.content))?)
                }
            })
        })
        .collect()
}

/// Converts an argument. Function references pick one of `funcs` (null if
/// there are none).
pub fn to_val<T>(store: &mut Store<T>, value: Value, funcs: &[Func]) -> Val {
    match value {
        Value::I32(v) => Val::I32(v),
        Value::I64(v) => Val::I64(v),
        Value::F32(bits) => Val::F32(bits),
        Value::F64(bits) => Val::F64(bits),
        Value::V128(v) => Val::V128(V128(v)),
        Value::FuncRef(None) => Val::FuncRef(None),
        Value::FuncRef(Some(i)) => {
            Val::FuncRef((!funcs.is_empty()).then(|| funcs[i as usize % funcs.len()]))
        }
        Value::ExternRef(None) => Val::ExternRef(None),
        Value::ExternRef(Some(n)) => Val::ExternRef(Some(ExternRef::new(store, n))),
    }
}

/// Converts a result.
pub fn from_val<T>(store: &Store<T>, val: &Val) -> Value {
    match *val {
        Val::I32(v) => Value::I32(v),
        Val::I64(v) => Value::I64(v),
        Val::F32(bits) => Value::F32(bits),
        Val::F64(bits) => Value::F64(bits),
        Val::V128(v) => Value::V128(v.0),
        Val::FuncRef(f) => Value::FuncRef(f.map(|_| 0)),
        Val::ExternRef(None) => Value::ExternRef(None),
        Val::ExternRef(Some(r)) => Value::ExternRef(Some(
            r.data(store)
                .downcast_ref::<u32>()
                .copied()
                .unwrap_or(u32::MAX),
        )),
    }
}

/// How an Ember error reads as an [`Outcome`].
pub fn outcome_of_error(error: &Error) -> Outcome {
    if let Some(code) = error.trap_code() {
        return match code {
            TrapCode::StackOverflow => Outcome::StackExhausted,
            TrapCode::OutOfFuel => Outcome::OutOfFuel,
            TrapCode::Unreachable => Outcome::Trapped(TrapKind::Unreachable),
            TrapCode::MemoryOutOfBounds => Outcome::Trapped(TrapKind::MemoryOutOfBounds),
            TrapCode::TableOutOfBounds | TrapCode::UndefinedElement => {
                Outcome::Trapped(TrapKind::TableOutOfBounds)
            }
            TrapCode::UninitializedElement => Outcome::Trapped(TrapKind::UninitializedElement),
            TrapCode::BadSignature => Outcome::Trapped(TrapKind::BadSignature),
            TrapCode::IntegerOverflow => Outcome::Trapped(TrapKind::IntegerOverflow),
            TrapCode::IntegerDivisionByZero => Outcome::Trapped(TrapKind::IntegerDivisionByZero),
            TrapCode::BadConversionToInteger => Outcome::Trapped(TrapKind::BadConversionToInteger),
            other => Outcome::Trapped(TrapKind::Other(format!("{other:?}"))),
        };
    }
    match error.kind() {
        ErrorKind::Resource => Outcome::Resource,
        ErrorKind::Limit | ErrorKind::Unsupported => Outcome::Unsupported(error.to_string()),
        kind => Outcome::Failed(format!("{kind:?}: {error}")),
    }
}

/// The instance's exported functions with their signatures, in export
/// order.
pub fn exported_funcs<T>(store: &Store<T>, instance: Instance) -> Vec<(ExportedFunc, Func)> {
    instance
        .exports(store)
        .filter_map(|(name, ext)| {
            let func = ext.into_func()?;
            let ty = func.ty(store);
            Some((
                ExportedFunc {
                    name: name.to_string(),
                    params: ty.params().iter().map(|&t| kind_of(t)).collect(),
                    results: ty.results().iter().map(|&t| kind_of(t)).collect(),
                },
                func,
            ))
        })
        .collect()
}

/// The instance's exported globals, memories and tables.
pub fn snapshot<T>(store: &Store<T>, instance: Instance) -> Snapshot {
    let mut snapshot = Snapshot::default();
    for (name, ext) in instance.exports(store) {
        match ext {
            Extern::Global(g) => {
                snapshot
                    .globals
                    .insert(name.to_string(), from_val(store, &g.get(store)));
            }
            Extern::Memory(m) => {
                snapshot
                    .memories
                    .insert(name.to_string(), m.data(store).to_vec());
            }
            Extern::Table(t) => {
                let elements = (0..t.size(store))
                    .map(|i| {
                        t.get(store, i)
                            .map_or(Value::I32(-1), |v| from_val(store, &v))
                    })
                    .collect();
                snapshot.tables.insert(name.to_string(), elements);
            }
            Extern::Func(_) => {}
        }
    }
    snapshot
}

/// Fuel each call (and the instantiation) may use, in Ember's units.
pub const CALL_FUEL: u64 = 1_000_000;

/// One Ember tier as a differential [`Subject`].
pub struct EmberSubject {
    tier: Tier,
    engine: Engine,
    store: Store<()>,
    instance: Option<Instance>,
    funcs: Vec<(ExportedFunc, Func)>,
    fuel_used: u64,
}

impl EmberSubject {
    /// A subject that runs code in `tier`.
    pub fn new(tier: Tier) -> Self {
        let engine = Engine::new(&fuzz_config(tier));
        let store = Store::new(&engine, ());
        EmberSubject {
            tier,
            engine,
            store,
            instance: None,
            funcs: Vec::new(),
            fuel_used: 0,
        }
    }

    /// What the JIT did in this subject's engine so far.
    pub fn jit_stats(&self) -> ember_core::JitStats {
        self.engine.jit_stats()
    }

    fn charge(&mut self) {
        let left = self.store.get_fuel().expect("fuel is enabled");
        self.fuel_used += CALL_FUEL - left;
    }
}

impl Subject for EmberSubject {
    fn name(&self) -> &str {
        self.tier.name()
    }

    fn instantiate(&mut self, wasm: &[u8]) -> Outcome {
        let module = match Module::new(&self.engine, wasm) {
            Ok(module) => module,
            Err(e) => return Outcome::Unsupported(format!("rejected: {e}")),
        };
        if let Some((_, e)) = self.tier.prepare(&module).into_iter().next() {
            return outcome_of_error(&e);
        }
        let imports = match stand_in_imports(&mut self.store, &module) {
            Ok(imports) => imports,
            Err(e) => return outcome_of_error(&e),
        };
        self.store.set_fuel(CALL_FUEL).expect("fuel is enabled");
        let result = Instance::new(&mut self.store, &module, &imports);
        self.charge();
        match result {
            Ok(instance) => {
                self.instance = Some(instance);
                self.funcs = exported_funcs(&self.store, instance);
                // Engines list exports in different orders.
                self.funcs.sort_by(|a, b| a.0.name.cmp(&b.0.name));
                Outcome::Returned(Vec::new())
            }
            Err(e) => outcome_of_error(&e),
        }
    }

    fn exported_funcs(&self) -> Vec<ExportedFunc> {
        self.funcs.iter().map(|(f, _)| f.clone()).collect()
    }

    fn call(&mut self, index: usize, args: &[Value]) -> Outcome {
        let func = self.funcs[index].1;
        let funcs: Vec<Func> = self.funcs.iter().map(|(_, f)| *f).collect();
        let args: Vec<Val> = args
            .iter()
            .map(|&a| to_val(&mut self.store, a, &funcs))
            .collect();
        let mut results: Vec<Val> = func
            .ty(&self.store)
            .results()
            .iter()
            .map(|&t| Val::default_for(t))
            .collect();
        self.store.set_fuel(CALL_FUEL).expect("fuel is enabled");
        let result = func.call(&mut self.store, &args, &mut results);
        self.charge();
        match result {
            Ok(()) => Outcome::Returned(results.iter().map(|v| from_val(&self.store, v)).collect()),
            Err(e) => outcome_of_error(&e),
        }
    }

    fn snapshot(&mut self) -> Snapshot {
        match self.instance {
            Some(instance) => snapshot(&self.store, instance),
            None => Snapshot::default(),
        }
    }

    fn ember_fuel_used(&self) -> Option<u64> {
        Some(self.fuel_used)
    }
}
