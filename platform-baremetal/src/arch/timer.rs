//! The ARM generic timer, EL1 virtual view: the free-running counter
//! (CNTVCT_EL0, CNTFRQ_EL0 ticks per second) and the virtual timer's
//! compare register, which raises a private peripheral interrupt.

use core::arch::asm;

/// Ticks of the system counter (monotonic, never wraps in practice).
pub fn counter() -> u64 {
    let ticks: u64;
    // SAFETY: reading the virtual counter has no side effects; the `isb`
    // keeps the read from being satisfied early.
    unsafe {
        asm!("isb", "mrs {0}, cntvct_el0", out(reg) ticks, options(nomem, nostack, preserves_flags));
    }
    ticks
}

/// Counter ticks per second.
pub fn frequency() -> u64 {
    let hz: u64;
    // SAFETY: CNTFRQ_EL0 is readable at EL1 and has no side effects.
    unsafe { asm!("mrs {0}, cntfrq_el0", out(reg) hz, options(nomem, nostack, preserves_flags)) };
    hz
}

/// Converts counter ticks to nanoseconds (exact for any 64-bit count).
pub fn ticks_to_nanos(ticks: u64) -> u64 {
    let hz = frequency().max(1);
    (u128::from(ticks) * 1_000_000_000 / u128::from(hz)) as u64
}

/// Converts microseconds to counter ticks.
pub fn micros_to_ticks(micros: u64) -> u64 {
    (u128::from(micros) * u128::from(frequency()) / 1_000_000) as u64
}

/// Fires the virtual timer interrupt once `ticks` from now.
pub fn arm_virtual_timer(ticks: u64) {
    let ticks = ticks.min(i32::MAX as u64);
    // SAFETY: programming the EL1 virtual timer only affects when its
    // interrupt line asserts. CTL = ENABLE, IMASK clear.
    unsafe {
        asm!(
            "msr cntv_tval_el0, {ticks}",
            "msr cntv_ctl_el0, {ctl}",
            "isb",
            ticks = in(reg) ticks,
            ctl = in(reg) 1u64,
            options(nomem, nostack, preserves_flags),
        );
    }
}

/// Stops the virtual timer (its interrupt line deasserts).
pub fn disarm_virtual_timer() {
    // SAFETY: disabling the virtual timer has no other effect.
    unsafe {
        asm!(
            "msr cntv_ctl_el0, xzr",
            "isb",
            options(nomem, nostack, preserves_flags)
        );
    }
}
