//! The workloads compute what they claim: small in-process runs of the WAT
//! micro set give known answers, and `bench/workloads.tsv` lists sources
//! that exist.

use ember_bench::{Entry, execute, instantiate, linker, wat_workloads};
use ember_core::{Engine, Module};

fn run_small(name: &str, argument: i32) -> String {
    let engine = Engine::default();
    let workload = wat_workloads()
        .expect("the WAT workloads assemble")
        .into_iter()
        .find(|w| w.name == name)
        .expect("a WAT workload");
    let module = Module::new(&engine, &workload.wasm).expect("the workload is valid");
    let linker = linker(&engine).expect("the WASI functions link");
    let entry = Entry::Run(argument);
    let (mut store, instance) =
        instantiate(&linker, &module, name, entry).expect("the workload instantiates");
    execute(&mut store, &instance, entry).expect("the workload runs")
}

#[test]
fn fib_of_20_is_6765() {
    assert_eq!(run_small("fib", 20), "6765");
}

#[test]
fn one_tak_of_24_16_8_is_9() {
    assert_eq!(run_small("tak", 1), "9");
}

#[test]
fn sieve_counts_78498_primes_below_a_million() {
    assert_eq!(run_small("sieve", 1), "78498");
}

#[test]
fn eight_queens_has_92_solutions() {
    assert_eq!(run_small("queens", 2), "184");
}

#[test]
fn nbody_energy_after_1000_steps() {
    // The reference value of the n-body benchmark: -0.169087605 after 1000 steps.
    assert_eq!(run_small("nbody", 1000), "-169087605");
}

#[test]
fn start_prints_the_checksum_through_wasi() {
    // fib.wat as shipped, with `_start` computing fib(20) instead of fib(35).
    let source = include_str!("../wat/fib.wat");
    assert!(source.contains("(call $run (i32.const 35))"));
    let wasm =
        wat::parse_str(source.replace("(call $run (i32.const 35))", "(call $run (i32.const 20))"))
            .expect("the edited module assembles");
    let engine = Engine::default();
    let module = Module::new(&engine, &wasm).expect("the workload is valid");
    let linker = linker(&engine).expect("the WASI functions link");
    let entry = Entry::Start(&[]);
    let (mut store, instance) =
        instantiate(&linker, &module, "fib", entry).expect("the workload instantiates");
    assert_eq!(execute(&mut store, &instance, entry).unwrap(), "6765");
    assert_eq!(store.data().stdout, b"6765\n");
}

#[test]
fn workload_list_names_existing_sources() {
    let bench = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = std::fs::read_to_string(bench.join("workloads.tsv")).expect("workloads.tsv");
    let mut count = 0;
    for line in list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(
            fields.len() == 4 || fields.len() == 5,
            "four tab-separated fields and optionally the features: {line}"
        );
        assert!(bench.join(fields[1]).is_file(), "{} exists", fields[1]);
        if let Some(features) = fields.get(4) {
            for feature in features.split(',') {
                assert_eq!(
                    feature, "simd",
                    "a feature bench/build and bench/run know: {line}"
                );
            }
        }
        count += 1;
    }
    assert_eq!(count, 13, "5 WAT and 8 C workloads");
}
