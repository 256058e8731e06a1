//! Example firmware (b): runaway Wasm under control. A fuel-limited call
//! runs out of fuel, is suspended, refuelled and resumed until it
//! finishes; then an endless loop is stopped by an interrupt raised from
//! the generic timer's IRQ handler, and the store keeps working.

#![no_std]
#![no_main]

extern crate alloc;

#[path = "common/mod.rs"]
mod common;

use alloc::boxed::Box;
use core::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

use ember_core::{Engine, InterruptHandle, Linker, Module, ResumableCall, Store, TrapCode, Val};
use ember_platform_baremetal::{entry, println, rt};

static WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fuel.wasm"));

/// Fuel per slice, and the loop length (a few slices' worth).
const SLICE: u64 = 500_000;
const COUNT_TO: i32 = 200_000;

/// The interrupt handle the timer IRQ uses (null when none).
static TARGET: AtomicPtr<InterruptHandle> = AtomicPtr::new(core::ptr::null_mut());
/// Timer interrupts that raised an interrupt.
static FIRED: AtomicU32 = AtomicU32::new(0);

/// Runs in the timer IRQ: no allocation, no locks, no printing.
fn on_timer() {
    let handle = TARGET.load(Ordering::Acquire);
    if !handle.is_null() {
        // SAFETY: `TARGET` only holds null or a leaked (never freed)
        // `InterruptHandle`.
        unsafe { (*handle).interrupt() };
        FIRED.fetch_add(1, Ordering::Relaxed);
    }
}

fn refuel_until_done(engine: &Engine) -> ember_core::Result<()> {
    let module = Module::new(engine, WASM)?;
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine).instantiate(&mut store, &module)?;
    let count = instance
        .get_func(&store, "count")
        .ok_or_else(|| ember_core::Error::msg("no `count` export"))?;
    store.set_fuel(SLICE)?;
    let mut results = [Val::I64(0)];
    let mut slices = 1;
    let mut call = count.call_resumable(&mut store, &[Val::I32(COUNT_TO)], &mut results)?;
    while let ResumableCall::OutOfFuel(suspended) = call {
        println!("fuel: slice {slices} used up, refuelling");
        store.set_fuel(SLICE)?;
        slices += 1;
        call = suspended.resume(&mut store, &mut results)?;
    }
    println!(
        "fuel: count({COUNT_TO}) = {:?} after {slices} slices, {} fuel left",
        results[0],
        store.get_fuel()?
    );
    Ok(())
}

fn interrupt_from_timer(engine: &Engine) -> ember_core::Result<()> {
    let module = Module::new(engine, WASM)?;
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine).instantiate(&mut store, &module)?;
    let spin = instance.get_typed_func::<(), ()>(&store, "spin")?;
    let count = instance.get_typed_func::<i32, i64>(&store, "count")?;

    let handle = Box::leak(Box::new(store.interrupt_handle()));
    TARGET.store(handle, Ordering::Release);
    let fired_before = FIRED.load(Ordering::Relaxed);
    let start = rt::ticks();
    rt::set_alarm(20_000, on_timer);
    let outcome = spin.call(&mut store, ());
    let elapsed = rt::ticks() - start;
    TARGET.store(core::ptr::null_mut(), Ordering::Release);
    match outcome {
        Err(e) if e.trap_code() == Some(TrapCode::Interrupted) => println!(
            "interrupt: spin stopped: {} (timer IRQs: {})",
            common::describe(&e),
            FIRED.load(Ordering::Relaxed) - fired_before
        ),
        Err(e) => println!("interrupt: unexpected {}", common::describe(&e)),
        Ok(()) => println!("interrupt: spin returned?"),
    }
    println!("~ interrupt: after {} us", rt::ticks_to_micros(elapsed));
    println!(
        "interrupt: the store still runs: count(10) = {}",
        count.call(&mut store, 10)?
    );
    Ok(())
}

fn main() -> u32 {
    let mut failed = false;
    let mut fuel_config = common::firmware_config();
    fuel_config.consume_fuel(true);
    let fuel_tiers = common::tiers(&fuel_config);
    let interrupt_tiers = common::tiers(&common::firmware_config());
    for ((tier, fuel_engine), (_, interrupt_engine)) in fuel_tiers.iter().zip(&interrupt_tiers) {
        println!("== tier {tier}");
        for result in [
            refuel_until_done(fuel_engine),
            interrupt_from_timer(interrupt_engine),
        ] {
            if let Err(e) = result {
                println!("firmware: {}", common::describe(&e));
                failed = true;
            }
        }
    }
    println!("== end");
    println!("{}", if failed { "FAILED" } else { "done" });
    u32::from(failed)
}

entry!(main);
