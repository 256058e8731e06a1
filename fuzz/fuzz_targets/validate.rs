//! Fuzz target `validate`: arbitrary bytes and `wasm-smith` modules are
//! decoded and validated without a panic, in agreement with wasmparser, and
//! every function of an accepted module is translated in every tier with no
//! error other than a documented limit.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ember_fuzz::validate::check(data));
