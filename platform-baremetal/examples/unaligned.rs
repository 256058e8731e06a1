//! Example firmware: unaligned 64-bit loads and stores from Wasm, in every
//! tier this build has; with the JIT they are single unaligned `ldr`/`str`
//! instructions, which need RAM mapped as Normal memory (the MMU is on).
//! The firmware checks the bytes in linear memory from the host side too.

#![no_std]
#![no_main]

extern crate alloc;

#[path = "common/mod.rs"]
mod common;

use ember_core::{Engine, Linker, Module, Store};
use ember_platform_baremetal::{entry, println};

static WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/unaligned.wasm"));

const VALUE: i64 = 0x0123_4567_89ab_cdef;

fn run(engine: &Engine) -> ember_core::Result<bool> {
    let module = Module::new(engine, WASM)?;
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine).instantiate(&mut store, &module)?;
    let memory = instance
        .get_memory(&store, "memory")
        .ok_or_else(|| ember_core::Error::msg("no memory export"))?;
    let roundtrip = instance.get_typed_func::<(i32, i64), i64>(&store, "roundtrip")?;
    let assemble = instance.get_typed_func::<i32, i64>(&store, "assemble")?;
    let mixed = instance.get_typed_func::<(), i64>(&store, "mixed")?;
    let mut ok = true;

    // 4093 straddles a 4 KiB boundary; 65528 ends exactly at the end of the
    // 64 KiB memory; 65529 is one byte too far and must trap.
    for address in [1, 3, 7, 4093, 65528, 65529] {
        match roundtrip.call(&mut store, (address, VALUE)) {
            Ok(loaded) => {
                let at = address as usize;
                let bytes: [u8; 8] = memory.data(&store)[at..at + 8].try_into().unwrap();
                let in_memory = i64::from_le_bytes(bytes);
                let good = loaded == VALUE && in_memory == VALUE;
                ok &= good;
                println!(
                    "i64 store+load at {address}: {loaded:#018x}, memory holds {in_memory:#018x} {}",
                    if good { "ok" } else { "WRONG" }
                );
            }
            Err(e) => {
                ok &= address == 65529;
                println!("i64 store+load at {address}: {}", common::describe(&e));
            }
        }
    }
    let assembled = assemble.call(&mut store, 4095)? as u64;
    ok &= assembled == 0x8877_6655_4433_2211;
    println!("bytes at 4095..4103 as one i64: {assembled:#018x}");
    let sum = mixed.call(&mut store, ())? as u64;
    ok &= sum == 0xf8e8_d8c9_b757_227b;
    println!("mixed unaligned i64/i32/i16/f64 checksum: {sum:#018x}");
    Ok(ok)
}

fn main() -> u32 {
    common::run_in_every_tier(run)
}

entry!(main);
