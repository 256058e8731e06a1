//! In-process benchmarks of the phases of running a workload, measured
//! separately so that a regression shows where it is:
//! `decode_validate` (`Module::new`), `translate` (`Module::translate_all`,
//! the register IR for every function), `instantiate` (`Linker::instantiate`
//! into a new store) and `execute` (a small run of the workload's entry
//! point on a fresh instance).
//!
//! `cargo bench -p ember-bench` runs them all; the C workloads are included
//! when `bench/build` has built them (see `ember_bench::built_dir`).
//! Filter as usual: `cargo bench -p ember-bench -- translate`.

use std::sync::OnceLock;

use divan::Bencher;
use ember_bench::{Workload, built_dir, c_workloads, execute, instantiate, linker, wat_workloads};
use ember_core::{Engine, Module};

fn main() {
    divan::main();
}

fn workloads() -> &'static [Workload] {
    static WORKLOADS: OnceLock<Vec<Workload>> = OnceLock::new();
    WORKLOADS.get_or_init(|| {
        let mut all = wat_workloads().expect("the WAT workloads assemble");
        let (c, missing) = c_workloads(&built_dir());
        if !missing.is_empty() {
            eprintln!(
                "note: C workloads not built ({}); run bench/build to include them",
                missing.join(", ")
            );
        }
        all.extend(c);
        all
    })
}

fn names() -> Vec<&'static str> {
    workloads().iter().map(|w| w.name).collect()
}

fn workload(name: &str) -> &'static Workload {
    workloads()
        .iter()
        .find(|w| w.name == name)
        .expect("a listed workload")
}

#[divan::bench(args = names())]
fn decode_validate(bencher: Bencher, name: &str) {
    let engine = Engine::default();
    let wasm = &workload(name).wasm;
    bencher.bench(|| Module::new(&engine, wasm).expect("the workload is valid"));
}

#[divan::bench(args = names())]
fn translate(bencher: Bencher, name: &str) {
    let engine = Engine::default();
    let wasm = &workload(name).wasm;
    bencher
        .with_inputs(|| Module::new(&engine, wasm).expect("the workload is valid"))
        .bench_local_values(|module| {
            module.translate_all().expect("the workload translates");
            module
        });
}

#[divan::bench(args = names())]
fn instantiate_module(bencher: Bencher, name: &str) {
    let engine = Engine::default();
    let workload = workload(name);
    let module = Module::new(&engine, &workload.wasm).expect("the workload is valid");
    let linker = linker(&engine).expect("the WASI functions link");
    bencher.bench_local(|| {
        instantiate(&linker, &module, workload.name, workload.small)
            .expect("the workload instantiates")
    });
}

#[divan::bench(args = names(), sample_count = 10, sample_size = 1)]
fn execute_small(bencher: Bencher, name: &str) {
    let engine = Engine::default();
    let workload = workload(name);
    let module = Module::new(&engine, &workload.wasm).expect("the workload is valid");
    module.translate_all().expect("the workload translates");
    let linker = linker(&engine).expect("the WASI functions link");
    bencher
        .with_inputs(|| {
            instantiate(&linker, &module, workload.name, workload.small)
                .expect("the workload instantiates")
        })
        .bench_local_values(|(mut store, instance)| {
            execute(&mut store, &instance, workload.small).expect("the workload runs")
        });
}
