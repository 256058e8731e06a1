//! Replays every module in `fuzz/regressions/` (what a fuzz target once
//! failed on, minimized) through the checks of all three targets, so that
//! each fixed bug stays fixed: validation and JIT compilation, execution
//! under fuel in every tier, and the differential run of every Ember tier
//! against wasmi.
//!
//! Modules are named after the target that found them
//! (`TARGET-what-went-wrong.wasm`, plus `.wat`). Run with `cargo test` in
//! `fuzz/` (stable is enough); `.ci/fuzz` does.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ember_fuzz::Tier;
use ember_fuzz::differential::{self, Subject, Verdict};
use ember_fuzz::ember::EmberSubject;
use ember_fuzz::reference::WasmiSubject;

/// The `.wasm` files in `fuzz/regressions/`, sorted by name.
fn regression_modules() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        // Git keeps no empty folder: no regression yet.
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "wasm"))
        .collect();
    paths.sort();
    paths
}

/// Every regression module has its `.wat` rendering next to it.
#[test]
fn every_regression_has_a_wat_rendering() {
    for path in regression_modules() {
        assert!(
            path.with_extension("wat").is_file(),
            "{} has no .wat rendering",
            path.display()
        );
    }
}

/// How long the checks of one module may take: the fuzz targets' timeout.
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The `validate` and `execute` targets' checks pass on every module, each
/// within [`TIME_LIMIT`] (some regressions were timeouts).
#[test]
fn validate_and_execute() {
    for path in regression_modules() {
        let wasm = std::fs::read(&path).expect("read module");
        let start = Instant::now();
        ember_fuzz::validate::check_module(&wasm, false);
        ember_fuzz::execute::check(&wasm);
        let elapsed = start.elapsed();
        eprintln!("{}: {elapsed:?}", path.display());
        assert!(elapsed < TIME_LIMIT, "{}: took {elapsed:?}", path.display());
    }
}

/// Every Ember tier agrees with wasmi on every module, and the runs of
/// the modules the `differential` target found (named `differential-*`)
/// compare something: they are not cut short.
#[test]
fn differential_in_every_tier() {
    for path in regression_modules() {
        let wasm = std::fs::read(&path).expect("read module");
        let mut subjects: Vec<Box<dyn Subject>> = vec![Box::new(WasmiSubject::new())];
        for &tier in Tier::ALL {
            subjects.push(Box::new(EmberSubject::new(tier)));
        }
        // The arguments come from the module's bytes, as for a raw input.
        let mut u = arbitrary::Unstructured::new(&wasm);
        let verdict = differential::run(&wasm, &mut u, &mut subjects, false)
            .unwrap_or_else(|d| panic!("{}: {d}", path.display()));
        eprintln!("{}: {verdict:?}", path.display());
        let from_differential = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("differential-"));
        assert!(
            !(from_differential && matches!(verdict, Verdict::Inconclusive(_))),
            "{}: {verdict:?}",
            path.display()
        );
    }
}
