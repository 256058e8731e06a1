//! Example firmware (c): Wasm code that traps in every common way (and a
//! host function that fails, and a module that is not Wasm at all). Each
//! failure comes back to the firmware as an error with the trap kind and
//! the Wasm backtrace; the firmware reports it and keeps running the same
//! instance.

#![no_std]
#![no_main]

extern crate alloc;

#[path = "common/mod.rs"]
mod common;

use alloc::format;
use alloc::string::String;

use ember_core::{
    Caller, Engine, Instance, Linker, Module, Store, TrapCode, WasmParams, WasmResults,
};
use ember_platform_baremetal::{entry, println};

static WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/traps.wasm"));

/// A sensor driver that only has channels 0..4.
fn sensor_read(_caller: Caller<'_, ()>, channel: i32) -> ember_core::Result<i32> {
    if (0..4).contains(&channel) {
        Ok(100 + channel)
    } else {
        Err(ember_core::Error::msg(format!(
            "no sensor channel {channel}"
        )))
    }
}

/// Calls export `name` and prints what came back.
fn try_call<P: WasmParams, R: WasmResults + core::fmt::Debug>(
    store: &mut Store<()>,
    instance: &Instance,
    name: &str,
    params: P,
) -> ember_core::Result<()> {
    let func = instance.get_typed_func::<P, R>(&*store, name)?;
    let outcome: String = match func.call(&mut *store, params) {
        Ok(value) => format!("returned {value:?}"),
        // How deep runaway recursion gets before "call stack exhausted"
        // is exact in the interpreter (`max_call_depth`) but depends on
        // native frame sizes in the JIT, which does not count frames: the
        // depth goes on a `~` line (not compared), the check is its bound.
        Err(e) if e.trap_code() == Some(TrapCode::StackOverflow) => {
            let depth = e.as_trap().map_or(0, |t| t.backtrace().len());
            println!("~{name}: {depth} frames deep");
            let bound = if depth >= 2000 {
                "at least"
            } else {
                "fewer than"
            };
            format!("trap: call stack exhausted ({bound} 2000 frames deep)")
        }
        Err(e) => common::describe(&e),
    };
    println!("{name}: {outcome}");
    // The same instance keeps working after every trap.
    let healthy = instance.get_typed_func::<i32, i32>(&*store, "healthy")?;
    let value = healthy.call(&mut *store, 41)?;
    if value != 42 {
        println!("healthy: returned {value} instead of 42");
    }
    Ok(())
}

fn run(engine: &Engine) -> ember_core::Result<()> {
    match Module::new(engine, b"\0asm\x01\0\0\0\x01\xff") {
        Ok(_) => println!("garbage module: accepted?"),
        Err(e) => println!("garbage module: {}", common::describe(&e)),
    }
    let module = Module::new(engine, WASM)?;
    let mut linker = Linker::new(engine);
    linker.func_wrap("env", "sensor_read", sensor_read)?;
    let mut store = Store::new(engine, ());
    let instance = linker.instantiate(&mut store, &module)?;
    let s = &mut store;
    try_call::<(i32, i32), i32>(s, &instance, "divide", (84, 2))?;
    try_call::<(i32, i32), i32>(s, &instance, "divide", (1, 0))?;
    try_call::<(i32, i32), i32>(s, &instance, "divide", (i32::MIN, -1))?;
    try_call::<i32, i64>(s, &instance, "load", 65_528)?;
    try_call::<i32, i64>(s, &instance, "load", 65_529)?;
    try_call::<(), ()>(s, &instance, "nested_unreachable", ())?;
    try_call::<i32, i32>(s, &instance, "recurse", 0)?;
    try_call::<(i32, i32), i32>(s, &instance, "dispatch", (0, 7))?;
    try_call::<(i32, i32), i32>(s, &instance, "dispatch", (1, 7))?;
    try_call::<(i32, i32), i32>(s, &instance, "dispatch", (2, 7))?;
    try_call::<(i32, i32), i32>(s, &instance, "dispatch", (3, 7))?;
    try_call::<f32, i32>(s, &instance, "convert", -3.75)?;
    try_call::<f32, i32>(s, &instance, "convert", f32::NAN)?;
    try_call::<f32, i32>(s, &instance, "convert", 3e9)?;
    try_call::<i32, i32>(s, &instance, "poll_sensor", 2)?;
    try_call::<i32, i32>(s, &instance, "poll_sensor", 9)?;
    Ok(())
}

fn main() -> u32 {
    let mut failed = false;
    for (tier, engine) in common::tiers(&common::firmware_config()) {
        println!("== tier {tier}");
        if let Err(e) = run(&engine) {
            println!("firmware: {}", common::describe(&e));
            failed = true;
        }
    }
    println!("== end");
    println!(
        "{}",
        if failed {
            "FAILED"
        } else {
            "firmware still running: done"
        }
    );
    u32::from(failed)
}

entry!(main);
