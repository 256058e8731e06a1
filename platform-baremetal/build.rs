//! Build script: for firmware builds (feature `qemu-virt`), assembles the
//! examples' WebAssembly text (`examples/wasm/*.wat`) and the benchmark
//! micro workloads (`../bench/wat/*.wat`) into `$OUT_DIR/*.wasm`, which the
//! examples embed with `include_bytes!`, and hands the board's linker
//! script to the linker of the examples.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if env::var_os("CARGO_FEATURE_QEMU_VIRT").is_none() {
        return;
    }
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));

    if env::var("TARGET").as_deref() == Ok("aarch64-unknown-none") {
        let script = manifest.join("src/board/qemu_virt.ld");
        println!("cargo:rerun-if-changed={}", script.display());
        println!("cargo:rustc-link-arg-examples=-T{}", script.display());
    }

    assemble_dir(&manifest.join("examples/wasm"), &out, "");
    assemble_dir(&manifest.join("../bench/wat"), &out, "bench_");
}

/// Assembles every `.wat` in `dir` into `out/<prefix><stem>.wasm`.
#[cfg(feature = "qemu-virt")]
fn assemble_dir(dir: &Path, out: &Path, prefix: &str) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "wat") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let wasm = wat::parse_file(&path)
            .unwrap_or_else(|e| panic!("cannot assemble {}: {e}", path.display()));
        let stem = path.file_stem().expect("a file name").to_string_lossy();
        let target = out.join(format!("{prefix}{stem}.wasm"));
        std::fs::write(&target, wasm)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", target.display()));
    }
}

#[cfg(not(feature = "qemu-virt"))]
fn assemble_dir(_dir: &Path, _out: &Path, _prefix: &str) {}
