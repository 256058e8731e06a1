//! Fuzz target `execute`: modules (the input itself or `wasm-smith`'s) are
//! instantiated and every export is called with arbitrary arguments under
//! fuel; nothing may panic, overflow the stack or run without bound.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ember_fuzz::execute::check(data));
