//! Pinned locals: the locals used most (weighted by loop depth) live in
//! callee-saved registers for the whole function, across blocks and
//! calls, instead of being reloaded at every branch target.
//!
//! Their slots are written back where the slots must be the truth for
//! someone else: before calls and helper calls, in unwinding stubs, and
//! (for result slots) on return; they are reloaded after `Helpers::exec`,
//! which may write a local. Both entries load them from the slots (the OSR
//! entry before jumping to the loop header). Which locals to pin comes
//! from a first compilation pass that counts the cache's slot accesses.

use alloc::vec;
use alloc::vec::Vec;

use ember_core::ir::{self, Slot};

use super::Compiler;
use super::liveness::{Liveness, TempSet};
use crate::memory::{Addr, MemSize};
use crate::regs::{R19, R20, R21, R22, R23, R24, R25, R26, R27, R28, Reg, SP};

/// The registers locals are pinned to (callee-saved under AAPCS64).
const PIN_REGS: [Reg; 5] = [R24, R25, R26, R27, R28];

/// Accesses a local needs (weighted) before it is worth a register.
const MIN_WEIGHT: u64 = 3;

/// The weight of a slot access at each IR index: 8^(loop depth), where a
/// loop is the range from a backward branch's target to the branch.
pub(super) fn access_weights(func: &ir::Func) -> Vec<u32> {
    let len = func.code.len();
    let mut change = vec![0i32; len + 1];
    for (pc, instr) in func.code.iter().enumerate() {
        if let Some(jump) = super::dispatch::jump_of(instr)
            && jump <= 0
        {
            let target = (pc as i64 + i64::from(jump)).max(0) as usize;
            change[target] += 1;
            change[pc + 1] -= 1;
        }
    }
    let mut depth = 0;
    change[..len]
        .iter()
        .map(|&delta| {
            depth += delta;
            1 << (3 * depth.clamp(0, 4))
        })
        .collect()
}

/// A local living in a register.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pin {
    pub slot: Slot,
    pub reg: Reg,
    /// Whether native code ever writes it (else its slot never goes
    /// stale and is never written back).
    pub written: bool,
}

/// What the counting pass learned about a function.
#[derive(Debug, Clone, Default)]
pub(super) struct Usage {
    /// Weighted accesses of each local.
    pub counts: Vec<u64>,
    /// The part of `counts` that used the local as a float.
    pub float_counts: Vec<u64>,
    /// Which locals native code writes.
    pub written: Vec<bool>,
    /// Whether native code accesses memory 0 (else its base and length
    /// are never loaded).
    pub memory: bool,
    /// The temporaries each instruction reads and writes.
    pub reads: Vec<TempSet>,
    pub writes: Vec<TempSet>,
}

impl Usage {
    pub(super) fn new(locals: usize, instrs: usize) -> Usage {
        Usage {
            counts: vec![0; locals],
            float_counts: vec![0; locals],
            written: vec![false; locals],
            memory: false,
            reads: vec![0; instrs],
            writes: vec![0; instrs],
        }
    }

    /// The locals to pin: the most used ones, except those used mostly
    /// as floats (they would move between register files at every use;
    /// the cache keeps them in FP registers within a block instead).
    pub(super) fn choose(&self) -> Vec<Pin> {
        let mut ranked: Vec<(u64, Slot)> = self
            .counts
            .iter()
            .zip(&self.float_counts)
            .zip(0..)
            .filter(|&((&count, &float), _)| count >= MIN_WEIGHT && 2 * float <= count)
            .map(|((&count, _), slot)| (count, slot))
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked
            .into_iter()
            .zip(PIN_REGS)
            .map(|((_, slot), reg)| Pin {
                slot,
                reg,
                written: self.written[usize::from(slot)],
            })
            .collect()
    }
}

impl Compiler<'_> {
    /// The register `slot` is pinned to.
    pub(super) fn pinned_reg(&self, slot: Slot) -> Option<Reg> {
        self.pinned
            .iter()
            .find(|pin| pin.slot == slot)
            .map(|pin| pin.reg)
    }

    /// The pinned locals whose slots may be stale: `(register, slot)`.
    pub(super) fn stale_pins(&self) -> impl Iterator<Item = (Reg, Slot)> + '_ {
        self.pinned
            .iter()
            .filter(|pin| pin.written)
            .map(|pin| (pin.reg, pin.slot))
    }

    /// Counts an access to `slot` in the counting pass.
    pub(super) fn count_access(&mut self, slot: Slot, write: bool) {
        let Some(usage) = &mut self.usage else { return };
        if let Some(count) = usage.counts.get_mut(usize::from(slot)) {
            *count += u64::from(self.weight);
            usage.written[usize::from(slot)] |= write;
        }
        if let Some(bit) = Liveness::bit(self.func.local_slots, slot) {
            let set = if write {
                &mut usage.writes
            } else {
                &mut usage.reads
            };
            set[self.pc] |= bit;
        }
    }

    /// Records (in the counting pass) that an access of `slot` was as a
    /// float (after [`Compiler::count_access`]).
    pub(super) fn count_float(&mut self, slot: Slot) {
        if let Some(usage) = &mut self.usage
            && let Some(count) = usage.float_counts.get_mut(usize::from(slot))
        {
            *count += u64::from(self.weight);
        }
    }

    /// Records (in the counting pass) that the current instruction may
    /// read the temporaries in `set`.
    pub(super) fn note_reads(&mut self, set: TempSet) {
        if let Some(usage) = &mut self.usage {
            usage.reads[self.pc] |= set;
        }
    }

    /// The temporaries from `slot` on (`above`) or below it.
    pub(super) fn temps_from(&self, slot: u32, above: bool) -> TempSet {
        let first = slot.saturating_sub(self.func.local_slots).min(64);
        let below = if first == 64 {
            u64::MAX
        } else {
            (1 << first) - 1
        };
        if above { !below } else { below }
    }

    /// Whether the value of `slot` may still be needed at the current
    /// instruction (always, without liveness information).
    pub(super) fn is_live(&self, slot: Slot) -> bool {
        self.liveness
            .as_ref()
            .is_none_or(|live| live.live_around(self.pc, slot))
    }

    /// Writes the pinned locals that `keep` selects to their slots.
    pub(super) fn store_pinned(&mut self, keep: impl Fn(Slot) -> bool) {
        let stale: Vec<(Reg, Slot)> = self.stale_pins().collect();
        for (reg, slot) in stale {
            if keep(slot) {
                self.store_slot(reg, slot);
            }
        }
    }

    /// Loads every pinned local from its slot.
    pub(super) fn load_pinned(&mut self) {
        for pin in self.pinned.clone() {
            self.load_slot(pin.reg, pin.slot);
        }
    }

    /// The callee-saved registers the prologue saves, after fp and lr.
    fn saved_regs(&self) -> Vec<Reg> {
        let mut regs = vec![R19, R20, R21, R22, R23];
        regs.extend(self.pinned.iter().map(|pin| pin.reg));
        regs
    }

    /// Bytes of the stack frame: fp, lr and the saved registers.
    pub(super) fn frame_bytes(&self) -> i64 {
        (16 + 8 * self.saved_regs().len() as i64 + 15) & !15
    }

    /// Saves (or restores) the callee-saved registers below fp/lr.
    pub(super) fn save_registers(&mut self, restore: bool) {
        let regs = self.saved_regs();
        for (pair, offset) in regs.chunks(2).zip((16..).step_by(16)) {
            let addr = Addr::offset(SP, offset);
            let word = match (pair, restore) {
                (&[a, b], false) => crate::stp(crate::Size::X, a, b, addr),
                (&[a, b], true) => crate::ldp(crate::Size::X, a, b, addr),
                (&[a], false) => crate::str(MemSize::X, a, addr),
                (&[a], true) => crate::ldr(MemSize::X, a, addr),
                _ => unreachable!("chunks of one or two"),
            };
            self.emit_access(word);
        }
    }
}
