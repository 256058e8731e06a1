//! Ember on bare-metal ARM64 (`aarch64-unknown-none`).
//!
//! - [`BareMetalPlatform`]: Ember's `Platform` over RAM the firmware hands
//!   over (linear memories, JIT code with W^X and cache maintenance, the
//!   generic timer as clock).
//! - `rt` (with a board feature): the runtime that brings the machine up
//!   (MMU with an identity map, heap, exception vectors, interrupts) and
//!   calls the firmware's `main` (see [`entry!`]); printing, alarms, exit.
//! - `board`: one module per board; `qemu-virt` is QEMU's `virt` machine.
//! - [`region`] and [`heap`]: the portable allocators, unit-tested on the
//!   build host.
//!
//! On other targets only the portable allocators are compiled, so the
//! crate can stay in the workspace of a hosted build.
//!
//! # Memory layout (QEMU `virt`, 128 MiB)
//!
//! ```text
//! 0x4000_0000  device tree (QEMU)              read-only
//! 0x4008_0000  .text                           read+execute
//!              .rodata                         read-only
//!              .data, .bss, boot stack (1 MiB) read+write
//!              heap (16 MiB, `alloc`)          read+write
//!  (2 MiB up)  code window (2 MiB, 4 KiB pages) read+write -> read+execute per page
//!              linear memories (the rest)      read+write
//! ```
#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod heap;
pub mod region;

#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub mod arch;
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
mod platform;
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub use platform::{BareMetalPlatform, PlatformStats};

#[cfg(all(target_arch = "aarch64", target_os = "none", feature = "qemu-virt"))]
pub mod board;
#[cfg(all(target_arch = "aarch64", target_os = "none", feature = "qemu-virt"))]
pub mod rt;
