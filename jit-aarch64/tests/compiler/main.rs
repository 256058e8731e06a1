//! Compiler tests: functions compiled by `Aarch64Backend` and run on
//! AArch64 (natively or under qemu-aarch64) — numeric results checked
//! against Ember's interpreter, and control flow, memory, calls, fuel,
//! interrupts, unwinding and on-stack entry checked against the JIT
//! contract. On other hosts only the compile-only tests run.

#[cfg(target_arch = "aarch64")]
mod harness;

#[cfg(target_arch = "aarch64")]
mod control;
#[cfg(target_arch = "aarch64")]
mod memory;
#[cfg(target_arch = "aarch64")]
mod numeric;

mod compile_only;
