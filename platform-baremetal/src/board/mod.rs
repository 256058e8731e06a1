//! Board support, one module per board, chosen by a cargo feature.
//!
//! A board module provides: `RAM_START`, `DEVICE_RANGES` (MMIO ranges and
//! their mapping), `ImageLayout` and `image_layout()` (from its linker
//! script), `init_console()` and `console_write(&[u8])`,
//! `init_interrupts()`, `set_alarm(micros, fn())`, `cancel_alarm()` and
//! `handle_irq()`, and
//! `exit(code) -> !`; plus the boot code that sets up a stack, zeroes
//! `.bss`, installs `ember_vectors` and calls `ember_rust_start` at EL1.

#[cfg(feature = "qemu-virt")]
mod qemu_virt;
#[cfg(feature = "qemu-virt")]
pub use qemu_virt::*;
