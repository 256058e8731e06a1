//! Ember's benchmark workloads, loaded for in-process use: the WAT micro
//! set (assembled from `bench/wat/`) and the C programs (built by
//! `bench/build` into `target/bench/wasm/`), with the small entry points
//! the in-process benchmarks (`benches/phases.rs`) and tests call.
//!
//! The WAT modules export `run(i32) -> i64`: the argument scales the work
//! and the result is the checksum. The C programs are WASI commands whose
//! optional first argument scales the work; in-process they run through
//! [`wasi`], which captures what they print.

pub mod wasi;

use std::path::{Path, PathBuf};

use ember_core::{Engine, Error, Instance, Linker, Module, Store};

use crate::wasi::{Exit, WasiState};

/// How a workload is run in-process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Call the export `run` with this argument; it returns the checksum.
    Run(i32),
    /// Call `_start` with these arguments after the program name; the
    /// checksum is the line it prints.
    Start(&'static [&'static str]),
}

/// A workload ready to load: its bytes and a small in-process run.
#[derive(Debug, Clone)]
pub struct Workload {
    /// The name in `bench/workloads.tsv`.
    pub name: &'static str,
    /// The module's binary.
    pub wasm: Vec<u8>,
    /// A run small enough for an in-process benchmark iteration.
    pub small: Entry,
}

/// The WAT micro set: name, source, and the argument of a small run.
const WAT: &[(&str, &str, i32)] = &[
    ("fib", include_str!("../wat/fib.wat"), 25),
    ("tak", include_str!("../wat/tak.wat"), 1),
    ("sieve", include_str!("../wat/sieve.wat"), 1),
    ("nbody", include_str!("../wat/nbody.wat"), 20_000),
    ("queens", include_str!("../wat/queens.wat"), 200),
];

/// The C programs; a small run does one round (the least work each has).
pub const C_NAMES: &[&str] = &[
    "sha256", "lz", "json", "matrix", "interp", "calls", "sort", "simd",
];

/// The WAT workloads, assembled.
pub fn wat_workloads() -> Result<Vec<Workload>, wat::Error> {
    WAT.iter()
        .map(|&(name, source, small)| {
            Ok(Workload {
                name,
                wasm: wat::parse_str(source)?,
                small: Entry::Run(small),
            })
        })
        .collect()
}

/// Where `bench/build` puts the built workloads: `$EMBER_BENCH_WASM`, or
/// `target/bench/wasm` in the workspace.
pub fn built_dir() -> PathBuf {
    match std::env::var_os("EMBER_BENCH_WASM") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench/wasm"),
    }
}

/// The C workloads found in `dir`, and the names of those missing (not built).
pub fn c_workloads(dir: &Path) -> (Vec<Workload>, Vec<&'static str>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for &name in C_NAMES {
        match std::fs::read(dir.join(format!("{name}.wasm"))) {
            Ok(wasm) => found.push(Workload {
                name,
                wasm,
                small: Entry::Start(&["1"]),
            }),
            Err(_) => missing.push(name),
        }
    }
    (found, missing)
}

/// A linker with the WASI functions the workloads import.
pub fn linker(engine: &Engine) -> Result<Linker<WasiState>, Error> {
    let mut linker = Linker::new(engine);
    wasi::add_to_linker(&mut linker)?;
    Ok(linker)
}

/// A new store for a run of `entry` of the workload `name`, and the instance in it.
pub fn instantiate(
    linker: &Linker<WasiState>,
    module: &Module,
    name: &str,
    entry: Entry,
) -> Result<(Store<WasiState>, Instance), Error> {
    let mut args = vec![name];
    if let Entry::Start(rest) = entry {
        args.extend_from_slice(rest);
    }
    let mut store = Store::new(module.engine(), WasiState::new(&args));
    let instance = linker.instantiate(&mut store, module)?;
    Ok((store, instance))
}

/// Runs `entry` on an instance and returns its checksum as text.
pub fn execute(
    store: &mut Store<WasiState>,
    instance: &Instance,
    entry: Entry,
) -> Result<String, Error> {
    match entry {
        Entry::Run(argument) => {
            let run = instance.get_typed_func::<i32, i64>(&*store, "run")?;
            Ok(run.call(&mut *store, argument)?.to_string())
        }
        Entry::Start(_) => {
            let start = instance.get_typed_func::<(), ()>(&*store, "_start")?;
            match start.call(&mut *store, ()) {
                Ok(()) => {}
                Err(error) if error.downcast_ref::<Exit>() == Some(&Exit(0)) => {}
                Err(error) => return Err(error),
            }
            let stdout = String::from_utf8_lossy(&store.data().stdout).into_owned();
            Ok(stdout.trim_end().to_owned())
        }
    }
}
