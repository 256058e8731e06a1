//! Example firmware (d): the five micro workloads of `bench/wat` (fib,
//! tak, sieve, nbody, queens) at small sizes, each checked against its
//! known checksum (the values `bench/tests/workloads.rs` checks), with the
//! time each took from the generic timer on a line of its own (`~`, which
//! the golden-output comparison ignores). A timer interrupt fires every
//! millisecond meanwhile, so the checksums also show that interrupts preserve
//! the state of running code (integer, float and SIMD registers).

#![no_std]
#![no_main]

extern crate alloc;

#[path = "common/mod.rs"]
mod common;

use core::sync::atomic::{AtomicU32, Ordering};

use ember_core::{AsContextMut, Caller, Engine, Extern, Linker, Module, Store};
use ember_platform_baremetal::{entry, println, rt};

/// One workload: its module, the argument of `run`, and the checksum that
/// `run` must return.
struct Workload {
    name: &'static str,
    wasm: &'static [u8],
    argument: i32,
    expected: i64,
}

macro_rules! workload {
    ($name:literal, $argument:expr, $expected:expr) => {
        Workload {
            name: $name,
            wasm: include_bytes!(concat!(env!("OUT_DIR"), "/bench_", $name, ".wasm")),
            argument: $argument,
            expected: $expected,
        }
    };
}

const WORKLOADS: &[Workload] = &[
    workload!("fib", 25, 75025),
    workload!("tak", 1, 9),
    workload!("sieve", 1, 78498),
    workload!("nbody", 1000, -169_087_605),
    workload!("queens", 20, 1840),
];

/// Timer interrupts taken while the workloads ran.
static HEARTBEATS: AtomicU32 = AtomicU32::new(0);

/// The periodic timer interrupt: count, and fire again in 1 ms.
fn heartbeat() {
    HEARTBEATS.fetch_add(1, Ordering::Relaxed);
    rt::set_alarm(1000, heartbeat);
}

/// WASI `fd_write`, for the workloads' `_start` (unused by `run`, but the
/// import must be satisfied): writes fd 1 and 2 to the UART.
fn fd_write(mut caller: Caller<'_, ()>, fd: i32, iovs: i32, iovs_len: i32, nwritten: i32) -> i32 {
    const BADF: i32 = 8;
    const FAULT: i32 = 21;
    if fd != 1 && fd != 2 {
        return BADF;
    }
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        return FAULT;
    };
    let bytes = memory.data_mut(caller.as_context_mut());
    let read_u32 = |bytes: &[u8], at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let mut written = 0u32;
    for i in 0..iovs_len as u32 as usize {
        let entry = iovs as u32 as usize + 8 * i;
        let (Some(base), Some(len)) = (read_u32(bytes, entry), read_u32(bytes, entry + 4)) else {
            return FAULT;
        };
        let Some(data) = bytes.get(base as usize..base as usize + len as usize) else {
            return FAULT;
        };
        rt::console_write(data);
        written += len;
    }
    match bytes.get_mut(nwritten as u32 as usize..nwritten as u32 as usize + 4) {
        Some(slot) => {
            slot.copy_from_slice(&written.to_le_bytes());
            0
        }
        None => FAULT,
    }
}

/// Runs one workload; returns whether its checksum matched.
fn run(engine: &Engine, tier: &str, workload: &Workload) -> ember_core::Result<bool> {
    let module = Module::new(engine, workload.wasm)?;
    let mut linker = Linker::new(engine);
    linker.func_wrap("wasi_snapshot_preview1", "fd_write", fd_write)?;
    let mut store = Store::new(engine, ());
    let instance = linker.instantiate(&mut store, &module)?;
    let entry = instance.get_typed_func::<i32, i64>(&store, "run")?;
    let start = rt::ticks();
    let checksum = entry.call(&mut store, workload.argument)?;
    let ticks = rt::ticks() - start;
    let ok = checksum == workload.expected;
    println!(
        "{}: run({}) = {checksum} {}",
        workload.name,
        workload.argument,
        if ok { "ok" } else { "MISMATCH" }
    );
    println!(
        "~ time {} {tier}: {ticks} timer ticks, {} us",
        workload.name,
        rt::ticks_to_micros(ticks)
    );
    Ok(ok)
}

fn main() -> u32 {
    let mut failed = false;
    rt::set_alarm(1000, heartbeat);
    for (tier, engine) in common::tiers(&common::firmware_config()) {
        println!("== tier {tier}");
        for workload in WORKLOADS {
            match run(&engine, tier, workload) {
                Ok(ok) => failed |= !ok,
                Err(e) => {
                    println!("{}: {}", workload.name, common::describe(&e));
                    failed = true;
                }
            }
        }
    }
    rt::cancel_alarm();
    let heartbeats = HEARTBEATS.load(Ordering::Relaxed);
    println!("~ timer interrupts during the workloads: {heartbeats}");
    println!("== end");
    println!(
        "timer interrupts during the workloads: {}",
        if heartbeats > 20 { "many" } else { "TOO FEW" }
    );
    failed |= heartbeats <= 20;
    println!("{}", if failed { "FAILED" } else { "done" });
    u32::from(failed)
}

entry!(main);
