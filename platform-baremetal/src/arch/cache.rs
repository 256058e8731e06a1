//! Cache maintenance for code written by the CPU and then executed: clean
//! the data cache to the point of unification and invalidate the
//! instruction cache, by virtual address.

use core::arch::asm;

/// Line sizes in bytes of the smallest data and instruction cache lines
/// (CTR_EL0.DminLine / IminLine), so no line is skipped.
fn line_sizes() -> (usize, usize) {
    let ctr: u64;
    // SAFETY: CTR_EL0 is readable at EL1 and has no side effects.
    unsafe { asm!("mrs {0}, ctr_el0", out(reg) ctr, options(nomem, nostack, preserves_flags)) };
    let data = 4 << ((ctr >> 16) & 0xf);
    let instr = 4 << (ctr & 0xf);
    (data, instr)
}

/// Cleans the data cache to the point of unification for `[start, end)`
/// and waits for it to complete (`dc cvau` per line, `dsb ish`).
pub fn clean_data_to_pou(start: usize, end: usize) {
    let (line, _) = line_sizes();
    let mut address = start & !(line - 1);
    while address < end {
        // SAFETY: `dc cvau` on a mapped address only writes dirty lines
        // back; it never changes memory contents as seen by the program.
        unsafe { asm!("dc cvau, {0}", in(reg) address, options(nostack, preserves_flags)) };
        address += line;
    }
    // SAFETY: a barrier has no memory-safety effect.
    unsafe { asm!("dsb ish", options(nostack, preserves_flags)) };
}

/// Invalidates the instruction cache for `[start, end)` and synchronizes
/// the instruction stream (`ic ivau` per line, `dsb ish`, `isb`). Call it
/// after [`clean_data_to_pou`] for the same range.
pub fn invalidate_instructions(start: usize, end: usize) {
    let (_, line) = line_sizes();
    let mut address = start & !(line - 1);
    while address < end {
        // SAFETY: invalidating instruction-cache lines only forces later
        // fetches to read memory again.
        unsafe { asm!("ic ivau, {0}", in(reg) address, options(nostack, preserves_flags)) };
        address += line;
    }
    // SAFETY: barriers have no memory-safety effect.
    unsafe { asm!("dsb ish", "isb", options(nostack, preserves_flags)) };
}

/// Makes freshly written code in `[start, end)` visible to instruction
/// fetch on this core (and the inner-shareable domain).
pub fn sync_code(start: usize, end: usize) {
    clean_data_to_pou(start, end);
    invalidate_instructions(start, end);
}
