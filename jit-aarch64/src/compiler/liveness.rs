//! Liveness of temporaries: which of the first 64 temporary slots (those
//! above the locals) may still be read after each instruction, so that
//! dead values in registers are never written back to their slots.
//!
//! The counting pass records which temporaries each instruction reads and
//! writes (calls, helpers and returns count as reading what they may
//! read); a backward fixpoint over the IR's control flow gives the live
//! sets. Locals, and temporaries beyond the first 64, are always live.

use alloc::vec;
use alloc::vec::Vec;

use ember_core::ir::{self, Instr, Slot};

/// A set of temporaries: bit `i` is slot `local_slots + i`.
pub(super) type TempSet = u64;

/// Live temporaries before and after each instruction.
pub(super) struct Liveness {
    local_slots: u32,
    live_in: Vec<TempSet>,
    live_out: Vec<TempSet>,
}

impl Liveness {
    /// Solves liveness from each instruction's reads and writes.
    pub(super) fn solve(func: &ir::Func, reads: &[TempSet], writes: &[TempSet]) -> Liveness {
        let len = func.code.len();
        let mut live_in = vec![0; len];
        let mut live_out = vec![0; len];
        loop {
            let mut changed = false;
            for pc in (0..len).rev() {
                let mut out = 0;
                for_each_successor(func, pc, |next| out |= live_in[next]);
                let in_ = reads[pc] | (out & !writes[pc]);
                if out != live_out[pc] || in_ != live_in[pc] {
                    live_out[pc] = out;
                    live_in[pc] = in_;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        Liveness {
            local_slots: func.local_slots,
            live_in,
            live_out,
        }
    }

    /// The bit of `slot`, or `None` when it is not tracked (always live).
    pub(super) fn bit(local_slots: u32, slot: Slot) -> Option<TempSet> {
        let index = u32::from(slot).checked_sub(local_slots)?;
        (index < 64).then(|| 1 << index)
    }

    /// Whether `slot` may be read after instruction `pc` runs.
    pub(super) fn live_after(&self, pc: usize, slot: Slot) -> bool {
        Self::bit(self.local_slots, slot).is_none_or(|bit| self.live_out[pc] & bit != 0)
    }

    /// Whether `slot` may be read from instruction `pc` on.
    pub(super) fn live_before(&self, pc: usize, slot: Slot) -> bool {
        Self::bit(self.local_slots, slot).is_none_or(|bit| self.live_in[pc] & bit != 0)
    }

    /// Whether `slot` may be read by instruction `pc` or later.
    pub(super) fn live_around(&self, pc: usize, slot: Slot) -> bool {
        self.live_before(pc, slot) || self.live_after(pc, slot)
    }
}

/// Calls `f` with every instruction that can run right after `pc`.
fn for_each_successor(func: &ir::Func, pc: usize, mut f: impl FnMut(usize)) {
    let len = func.code.len();
    let instr = &func.code[pc];
    let falls_through = !matches!(
        instr,
        Instr::Br { .. }
            | Instr::BrTable { .. }
            | Instr::Return {}
            | Instr::ReturnSlot { .. }
            | Instr::Trap { .. }
    );
    if falls_through && pc + 1 < len {
        f(pc + 1);
    }
    if let Instr::BrTable { len: entries, .. } = *instr {
        for entry in pc + 1..=(pc + 1 + entries as usize).min(len - 1) {
            f(entry);
        }
    }
    if let Some(jump) = super::dispatch::jump_of(instr) {
        let target = pc as i64 + i64::from(jump);
        if (0..len as i64).contains(&target) {
            f(target as usize);
        }
    }
}
