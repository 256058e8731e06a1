//! Which slots are live where basic blocks meet, so that the register
//! cache stores at a block's end only the values some later instruction
//! reads (the Wasm operand-stack temporaries of an expression are dead
//! once it is done). A classic backward dataflow over the basic blocks,
//! with one bit set per block; conservative wherever an instruction's
//! slots are not known here (it reads them all).

use alloc::vec;
use alloc::vec::Vec;

use ember_core::ir::{Func, Instr, Slot};

use super::{int, pins};

/// Live slots at block boundaries.
pub(crate) struct Liveness {
    /// Words per set.
    words: usize,
    /// Block number of every instruction.
    block_of: Vec<u32>,
    /// Live-in set of every block, then its live-out set.
    live_in: Vec<u64>,
    live_out: Vec<u64>,
}

/// What an instruction does to slots.
enum Effect {
    /// Writes `def` (after reading `uses`).
    Known { def: Option<Slot>, uses: Vec<Slot> },
    /// Reads every slot from this one on.
    ReadsFrom(u32),
}

fn effect(instr: &Instr, func: &Func) -> Effect {
    use Instr as I;
    match *instr {
        I::Call { base, .. } => return Effect::ReadsFrom(base.into()),
        I::CallIndirect { base, index, .. } => {
            return Effect::ReadsFrom(u32::from(base.min(index)));
        }
        I::Return {} => {
            let results = func.result_slots.min(u32::from(Slot::MAX)) as Slot;
            return Effect::Known {
                def: None,
                uses: (0..results).collect(),
            };
        }
        _ => {}
    }
    let Some(ops) = pins::operands(instr) else {
        return Effect::ReadsFrom(0);
    };
    let no_dst = int::fused_branch(instr).is_some()
        || matches!(
            instr,
            I::ReturnSlot { .. }
                | I::BrIfNez { .. }
                | I::BrIfEqz { .. }
                | I::BrTable { .. }
                | I::I32Store { .. }
                | I::I64Store { .. }
                | I::I32Store8 { .. }
                | I::I32Store16 { .. }
                | I::I64Store32 { .. }
                | I::GlobalSet { .. }
        );
    let mut slots = ops.into_iter().map(|(s, _)| s);
    let def = if no_dst { None } else { slots.next() };
    Effect::Known {
        def,
        uses: slots.collect(),
    }
}

/// Whether control never falls through `instr` to the next instruction's
/// block, and where else it goes.
fn successors(code: &[Instr], pc: usize, out: &mut Vec<usize>) -> bool {
    let target = |jump: i32| (pc as i64 + i64::from(jump)) as usize;
    match code[pc] {
        Instr::Br { jump } => {
            out.push(target(jump));
            true
        }
        Instr::BrIfNez { jump, .. } | Instr::BrIfEqz { jump, .. } => {
            out.push(target(jump));
            false
        }
        Instr::BrTable { len, .. } => {
            out.extend(pc + 1..=pc + 1 + len as usize);
            true
        }
        Instr::Return {} | Instr::ReturnSlot { .. } | Instr::Trap { .. } => true,
        ref instr => {
            if let Some((.., jump)) = int::fused_branch(instr) {
                out.push(target(jump));
            }
            false
        }
    }
}

/// Applies `instr` backwards to `live` (the slots live after it becomes
/// those live before it), for a frame of `frame_slots` slots.
fn transfer(live: &mut [u64], instr: &Instr, func: &Func) {
    match effect(instr, func) {
        Effect::Known { def, uses } => {
            if let Some(def) = def {
                clear(live, def.into());
            }
            for s in uses {
                set(live, s.into());
            }
        }
        Effect::ReadsFrom(first) => {
            for s in first as usize..func.frame_slots as usize {
                set(live, s);
            }
        }
    }
}

fn set(bits: &mut [u64], slot: usize) {
    if let Some(w) = bits.get_mut(slot / 64) {
        *w |= 1 << (slot % 64);
    }
}

fn clear(bits: &mut [u64], slot: usize) {
    if let Some(w) = bits.get_mut(slot / 64) {
        *w &= !(1 << (slot % 64));
    }
}

impl Liveness {
    /// The analysis of `func`, whose branches `scan` has checked; `None`
    /// when the function is too large to analyse cheaply (then every slot
    /// counts as live).
    pub fn of(func: &Func, targets: &[u8]) -> Option<Liveness> {
        let code = &func.code;
        let n = code.len();
        let words = (func.frame_slots as usize).div_ceil(64).max(1);
        // Block starts: the entry, branch targets, and what follows a
        // branch or an exit.
        let mut block_of = vec![0u32; n];
        let mut starts = Vec::new();
        let mut succ = Vec::new();
        let mut ends_block = vec![false; n];
        for pc in 0..n {
            succ.clear();
            successors(code, pc, &mut succ);
            let branches = !succ.is_empty()
                || matches!(
                    code[pc],
                    Instr::Return {} | Instr::ReturnSlot { .. } | Instr::Trap { .. }
                );
            ends_block[pc] = branches || (pc + 1 < n && targets[pc + 1] != 0);
        }
        for pc in 0..n {
            if pc == 0 || ends_block[pc - 1] {
                starts.push(pc);
            }
            block_of[pc] = (starts.len() - 1) as u32;
        }
        let blocks = starts.len();
        if blocks.saturating_mul(words) > 1 << 20 {
            return None;
        }
        // Per block: upward-exposed uses and definitions.
        let mut uses = vec![0u64; blocks * words];
        let mut defs = vec![0u64; blocks * words];
        for b in 0..blocks {
            let end = starts.get(b + 1).copied().unwrap_or(n);
            let (u, d) = (
                &mut uses[b * words..(b + 1) * words],
                &mut defs[b * words..(b + 1) * words],
            );
            for pc in (starts[b]..end).rev() {
                if let Effect::Known { def: Some(def), .. } = effect(&code[pc], func) {
                    set(d, def.into());
                }
                transfer(u, &code[pc], func);
            }
        }
        let mut live_in = vec![0u64; blocks * words];
        let mut live_out = vec![0u64; blocks * words];
        let mut changed = true;
        let mut out = vec![0u64; words];
        while changed {
            changed = false;
            for b in (0..blocks).rev() {
                let last = starts.get(b + 1).copied().unwrap_or(n) - 1;
                out.iter_mut().for_each(|w| *w = 0);
                succ.clear();
                let exits = successors(code, last, &mut succ);
                if !exits && last + 1 < n {
                    succ.push(last + 1);
                }
                for &s in &succ {
                    let sb = block_of[s] as usize;
                    for (o, l) in out.iter_mut().zip(&live_in[sb * words..(sb + 1) * words]) {
                        *o |= *l;
                    }
                }
                let range = b * words..(b + 1) * words;
                live_out[range.clone()].copy_from_slice(&out);
                for i in 0..words {
                    let new = uses[b * words + i] | (out[i] & !defs[b * words + i]);
                    if new != live_in[b * words + i] {
                        live_in[b * words + i] = new;
                        changed = true;
                    }
                }
            }
        }
        Some(Liveness {
            words,
            block_of,
            live_in,
            live_out,
        })
    }

    /// Slots live on entry to the block starting at `pc`.
    pub fn live_in(&self, pc: usize) -> &[u64] {
        let b = self.block_of[pc] as usize;
        &self.live_in[b * self.words..(b + 1) * self.words]
    }

    /// Slots live at the end of the block that `pc` ends.
    pub fn live_out(&self, pc: usize) -> &[u64] {
        let b = self.block_of[pc] as usize;
        &self.live_out[b * self.words..(b + 1) * self.words]
    }

    /// Slots live right after instruction `pc` of `func` (the function
    /// analysed), whatever its place in its block.
    pub fn live_after(&self, func: &Func, pc: usize) -> Vec<u64> {
        let mut live = self.live_out(pc).to_vec();
        let block = self.block_of[pc];
        let end = (pc + 1..self.block_of.len())
            .find(|&i| self.block_of[i] != block)
            .unwrap_or(self.block_of.len());
        for i in (pc + 1..end).rev() {
            transfer(&mut live, &func.code[i], func);
        }
        live
    }
}

/// Whether `slot` is in `set`.
pub(crate) fn contains(set: &[u64], slot: Slot) -> bool {
    set.get(usize::from(slot) / 64)
        .is_some_and(|w| w & (1 << (slot % 64)) != 0)
}
