//! Example firmware: linear memories in the platform's RAM region. A
//! memory grows in place while the pages after it are free and moves
//! (contents copied, new pages zeroed) when another memory is in the way;
//! growth from inside Wasm is seen by the running code at the new address
//! in every tier. Freed memories go back to the region.

#![no_std]
#![no_main]

extern crate alloc;

#[path = "common/mod.rs"]
mod common;

use ember_core::{Engine, Instance, Linker, Memory, Module, Platform, Store};
use ember_platform_baremetal::{entry, println, rt};

static WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/memory.wasm"));

fn instantiate(engine: &Engine, module: &Module) -> ember_core::Result<(Store<()>, Instance)> {
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine).instantiate(&mut store, module)?;
    Ok((store, instance))
}

fn memory_of(store: &Store<()>, instance: &Instance) -> ember_core::Result<Memory> {
    instance
        .get_memory(store, "memory")
        .ok_or_else(|| ember_core::Error::msg("no memory export"))
}

fn base(store: &Store<()>, memory: &Memory) -> usize {
    memory.data(store).as_ptr() as usize
}

fn run(engine: &Engine) -> ember_core::Result<bool> {
    let module = Module::new(engine, WASM)?;
    let (mut store, instance) = instantiate(engine, &module)?;
    let memory = memory_of(&store, &instance)?;
    let fill = instance.get_typed_func::<(i32, i32), ()>(&store, "fill")?;
    let checksum = instance.get_typed_func::<(), i32>(&store, "checksum")?;
    let grow_inside = instance.get_typed_func::<i32, i32>(&store, "grow_inside")?;
    let mut ok = true;

    fill.call(&mut store, (1, 3))?;
    // Nothing after it yet: grows in place.
    let before = base(&store, &memory);
    memory.grow(&mut store, 1)?;
    let in_place = base(&store, &memory) == before;
    ok &= in_place;
    println!(
        "grow to 2 pages with free pages after it: moved {}",
        !in_place
    );

    // A second memory right after the first blocks in-place growth.
    let (other_store, _other) = instantiate(engine, &module)?;
    let before = base(&store, &memory);
    memory.grow(&mut store, 1)?;
    let moved = base(&store, &memory) != before;
    ok &= moved;
    println!("grow to 3 pages with another memory in the way: moved {moved}");
    // The first page kept its contents; the two new pages are zero, so the
    // checksum equals that of page one followed by 128 KiB of zeros.
    let zeros_after = {
        let bytes = memory.data(&store);
        bytes[65536..].iter().all(|&b| b == 0) && bytes[100] == (3 + 700) as u8
    };
    ok &= zeros_after;
    println!("contents kept and new pages zeroed: {zeros_after}");

    // Growth from inside Wasm, with blocks taken from the platform until
    // one sits right after the (moved) memory.
    let platform = rt::platform();
    let end = base(&store, &memory) + memory.data(&store).len();
    let mut blockers = alloc::vec::Vec::new();
    while blockers.len() < 8 {
        let block = platform
            .create_memory(65536, 65536)
            .map_err(|e| ember_core::Error::msg(alloc::format!("{e:?}")))?;
        let at_end = block.base() as usize == end;
        blockers.push(block);
        if at_end {
            break;
        }
    }
    let before = base(&store, &memory);
    let sum = grow_inside.call(&mut store, 100)?;
    let moved = base(&store, &memory) != before;
    ok &= moved && sum == i32::from((3u32 + 700) as u8) + 200 && memory.size(&store) == 4;
    println!(
        "memory.grow inside wasm (moved {moved}): old byte + new byte = {sum}, {} pages",
        memory.size(&store)
    );

    // Freed memory returns to the region.
    let in_use = platform.stats().memory_in_use;
    drop(other_store);
    drop(blockers);
    let freed = in_use - platform.stats().memory_in_use;
    ok &= freed >= 2 * 65536;
    println!("~ dropping the other store and the blocks freed {freed} bytes");
    // The whole memory, as Wasm sees it after all the moves.
    println!(
        "checksum of the 4 pages: {:#010x}",
        checksum.call(&mut store, ())? as u32
    );
    Ok(ok)
}

fn main() -> u32 {
    common::run_in_every_tier(run)
}

entry!(main);
