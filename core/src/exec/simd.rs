//! The interpreter's SIMD instructions, in portable Rust.

use super::Regs;
use crate::ir::SimdInstr;
use crate::trap::TrapCode;

/// Runs one SIMD instruction on the current frame.
#[inline(never)]
pub(super) fn execute(r: &mut Regs, op: SimdInstr) -> Result<(), TrapCode> {
    match op {
        SimdInstr::V128Not { dst, a } => r.set128(dst, !r.get128(a)),
    }
    Ok(())
}
