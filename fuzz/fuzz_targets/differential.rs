//! Fuzz target `differential`: terminating, NaN-canonical `wasm-smith`
//! modules (or the input itself) run on wasmi and on every Ember tier must
//! give the same results, traps, final exported state and (between Ember's
//! tiers) fuel.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ember_fuzz::differential::check(data));
