//! Example firmware (a): a device script embedded in the image calls the
//! firmware's host functions `uart_write`, `millis` and `gpio_set`, once
//! per tier this build has. Also reports the RAM the engine needed.

#![no_std]
#![no_main]

extern crate alloc;

#[path = "common/mod.rs"]
mod common;

use ember_core::{AsContext, Caller, Engine, Extern, Linker, Module, Store};
use ember_platform_baremetal::{entry, println, rt};

static SCRIPT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/script.wasm"));

/// The firmware side of the script's world: the pretend GPIO port.
#[derive(Default)]
struct Device {
    gpio: u32,
    gpio_writes: u32,
}

fn uart_write(caller: Caller<'_, Device>, ptr: i32, len: i32) -> ember_core::Result<()> {
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        return Err(ember_core::Error::msg("the script exports no memory"));
    };
    let bytes = memory.data(caller.as_context());
    let range = ptr as u32 as usize..(ptr as u32 as usize).saturating_add(len as u32 as usize);
    let text = bytes
        .get(range)
        .ok_or_else(|| ember_core::Error::msg("uart_write outside memory"))?;
    rt::console_write(text);
    Ok(())
}

fn millis(caller: Caller<'_, Device>) -> i64 {
    let _ = caller;
    (rt::ticks_to_micros(rt::ticks()) / 1000) as i64
}

fn gpio_set(mut caller: Caller<'_, Device>, pin: i32, level: i32) {
    let device = caller.data_mut();
    let bit = 1u32 << (pin as u32 % 32);
    if level != 0 {
        device.gpio |= bit;
    } else {
        device.gpio &= !bit;
    }
    device.gpio_writes += 1;
    println!(
        "gpio: pin {pin} {}",
        if level != 0 { "high" } else { "low" }
    );
}

fn run(engine: &Engine) -> ember_core::Result<()> {
    let module = Module::new(engine, SCRIPT)?;
    let mut linker = Linker::new(engine);
    linker
        .func_wrap("env", "uart_write", uart_write)?
        .func_wrap("env", "millis", millis)?
        .func_wrap("env", "gpio_set", gpio_set)?;
    let mut store = Store::new(engine, Device::default());
    let instance = linker.instantiate(&mut store, &module)?;
    let blink = instance.get_typed_func::<i32, i32>(&store, "blink")?;
    let writes = blink.call(&mut store, 3)?;
    println!(
        "firmware: blink returned {writes}, {} GPIO writes seen, port {:#x}",
        store.data().gpio_writes,
        store.data().gpio
    );
    let checksum = instance.get_typed_func::<i32, i32>(&store, "checksum")?;
    let hash = checksum.call(&mut store, 4096)? as u32;
    println!("firmware: checksum(4096) = {hash:#010x}");
    Ok(())
}

fn main() -> u32 {
    println!("script: {} bytes of wasm", SCRIPT.len());
    let heap_before = rt::heap_stats();
    let mut config = common::firmware_config();
    // A script this small needs little value stack (4096 slots, 32 KiB).
    config.stack_slots(4096);
    let mut failed = false;
    for (tier, engine) in common::tiers(&config) {
        println!("== tier {tier}");
        if let Err(e) = run(&engine) {
            println!("firmware: {}", common::describe(&e));
            failed = true;
        }
    }
    println!("== end");
    let heap = rt::heap_stats();
    let platform = rt::platform().stats();
    let stack = rt::stack_peak();
    let engine_ram = heap.peak - heap_before.in_use + platform.memory_peak + platform.code_peak;
    println!(
        "~ ram: {} KiB = heap peak {} + linear memory peak {} + code peak {} bytes; boot stack peak {} bytes",
        (engine_ram + stack).div_ceil(1024),
        heap.peak - heap_before.in_use,
        platform.memory_peak,
        platform.code_peak,
        stack,
    );
    println!("{}", if failed { "FAILED" } else { "done" });
    u32::from(failed)
}

entry!(main);
