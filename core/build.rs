//! Chooses how the interpreter dispatches (see `src/exec/threaded.rs`):
//! handlers that tail-call each other need an optimizing build without
//! debug assertions, which turns those calls into jumps, and a way to read
//! the stack pointer.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(ember_tail_dispatch)");
    println!("cargo::rerun-if-changed=build.rs");
    let optimized = matches!(
        std::env::var("OPT_LEVEL").as_deref(),
        Ok("2" | "3" | "s" | "z")
    );
    // Debug assertions add checks (pointer alignment, preconditions of
    // `unsafe` functions) that can keep a handler's last call from becoming
    // a jump.
    let debug_assertions = std::env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_some();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if optimized && !debug_assertions && (arch == "x86_64" || arch == "aarch64") {
        println!("cargo::rustc-cfg=ember_tail_dispatch");
    }
}
