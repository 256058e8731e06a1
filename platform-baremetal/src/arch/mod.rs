//! AArch64 (ARMv8-A, EL1) pieces that every board shares: cache
//! maintenance, the generic timer, the MMU's translation tables, the
//! exception vector table and Arm semihosting.

pub mod cache;
pub mod mmu;
pub mod semihosting;
pub mod timer;
pub mod vectors;

use core::arch::asm;

/// The exception level the code runs at (0 to 3).
pub fn current_el() -> u8 {
    let el: u64;
    // SAFETY: reading CurrentEL has no side effects and is allowed at EL1+.
    unsafe { asm!("mrs {0}, CurrentEL", out(reg) el, options(nomem, nostack, preserves_flags)) };
    ((el >> 2) & 3) as u8
}

/// Unmasks IRQs (clears PSTATE.I).
pub fn enable_irqs() {
    // SAFETY: the vector table is installed by the boot code before any
    // Rust runs, so an IRQ taken from here on has a handler.
    unsafe { asm!("msr daifclr, #2", options(nomem, nostack, preserves_flags)) };
}

/// Masks IRQs (sets PSTATE.I).
pub fn disable_irqs() {
    // SAFETY: masking interrupts is always sound.
    unsafe { asm!("msr daifset, #2", options(nomem, nostack, preserves_flags)) };
}

/// Waits for an interrupt (or any other wake-up event).
pub fn wait_for_interrupt() {
    // SAFETY: `wfi` only pauses the core until an interrupt is pending.
    unsafe { asm!("wfi", options(nomem, nostack, preserves_flags)) };
}
