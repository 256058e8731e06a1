//! Shared by the example firmware: engine configurations per tier and a
//! one-line description of an error.

#![allow(dead_code)]

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use ember_core::{Config, Engine, Error, Tier};
use ember_platform_baremetal::{println, rt};

/// A configuration sized for firmware: the platform's RAM, a 128 KiB value
/// stack, memories of at most 4 MiB.
pub fn firmware_config() -> Config {
    let mut config = Config::new();
    config
        .platform(rt::platform())
        .stack_slots(16 * 1024)
        .max_call_depth(2_000)
        .max_memory_pages(64);
    config
}

/// The tiers this build can run, each with `config` adjusted for it:
/// the interpreter, and the JIT (every function compiled before its first
/// call) when the firmware is built with the `jit` feature.
pub fn tiers(config: &Config) -> Vec<(&'static str, Engine)> {
    let mut interp = config.clone();
    interp.tier(Tier::Interp);
    #[allow(unused_mut)]
    let mut tiers = alloc::vec![("interp", Engine::new(&interp))];
    #[cfg(feature = "jit")]
    {
        let mut jit = config.clone();
        jit.backend(alloc::sync::Arc::new(ember_jit_aarch64::Aarch64Backend))
            .tier(Tier::Jit);
        tiers.push(("jit", Engine::new(&jit)));
    }
    tiers
}

/// Runs `run` once per tier under a `== tier NAME` heading; `run` says
/// whether its checks held. Prints `done` or `FAILED` and returns the
/// firmware's exit status.
pub fn run_in_every_tier(run: fn(&Engine) -> ember_core::Result<bool>) -> u32 {
    let mut failed = false;
    for (tier, engine) in tiers(&firmware_config()) {
        println!("== tier {tier}");
        match run(&engine) {
            Ok(ok) => failed |= !ok,
            Err(e) => {
                println!("firmware: {}", describe(&e));
                failed = true;
            }
        }
    }
    println!("== end");
    println!("{}", if failed { "FAILED" } else { "done" });
    u32::from(failed)
}

/// "trap: integer divide by zero (in: divide <- main)" or the error text.
pub fn describe(error: &Error) -> String {
    let mut text = String::new();
    match error.as_trap() {
        Some(trap) => {
            let _ = write!(text, "trap: {}", trap.code());
            // Innermost first; a run of the same function (deep
            // recursion) is shown once with its count.
            let mut frames: Vec<(String, usize)> = Vec::new();
            for frame in trap.backtrace() {
                let name = match &frame.func_name {
                    Some(name) => name.clone(),
                    None => alloc::format!("func {}", frame.func_index),
                };
                match frames.last_mut() {
                    Some((last, count)) if *last == name => *count += 1,
                    _ => frames.push((name, 1)),
                }
            }
            let frames: Vec<String> = frames
                .into_iter()
                .map(|(name, count)| match count {
                    1 => name,
                    n => alloc::format!("{name} x{n}"),
                })
                .collect();
            if !frames.is_empty() {
                let _ = write!(text, " (in: {})", frames.join(" <- "));
            }
        }
        None => {
            let _ = write!(text, "error ({:?}): {error}", error.kind());
        }
    }
    text
}
