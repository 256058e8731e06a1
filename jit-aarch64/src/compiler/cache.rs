//! The register cache: which frame slots currently live in which general
//! or FP/SIMD registers, and whether the register is newer than the slot
//! (dirty). A slot lives in at most one register; it moves between the
//! two files when an integer instruction reads a float or the reverse.
//!
//! The slots in memory stay the truth at every block boundary: the compiler
//! writes dirty registers back before branches, calls and helper calls, and
//! forgets everything at branch targets. Between those points an operand is
//! loaded once and a result stays in its register until it is evicted.

use ember_core::ir::Slot;

use crate::regs::{R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, Reg};
use crate::regs::{V16, V17, V18, V19, V20, V21, V22, V23, V24, V25, V26, V27, V28, V29, V30};
use crate::regs::{V31, VReg};

/// The general registers that hold cached slots: all caller-saved, so a
/// call (which flushes and forgets the cache first) may clobber them.
pub(crate) const CACHE_REGS: [Reg; 15] = [
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14,
];

/// The FP/SIMD registers that hold cached floats (caller-saved too).
pub(crate) const FP_CACHE_REGS: [VReg; 16] = [
    V16, V17, V18, V19, V20, V21, V22, V23, V24, V25, V26, V27, V28, V29, V30, V31,
];

const SLOTS: usize = CACHE_REGS.len() + FP_CACHE_REGS.len();

/// Where a cached slot lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loc {
    Gpr(Reg),
    Fpr(VReg),
}

/// The register of cache entry `index`: general registers first.
pub(crate) fn loc(index: usize) -> Loc {
    match index.checked_sub(CACHE_REGS.len()) {
        None => Loc::Gpr(CACHE_REGS[index]),
        Some(fp) => Loc::Fpr(FP_CACHE_REGS[fp]),
    }
}

/// Whether entry `index` is an FP/SIMD register.
pub(crate) fn is_fp(index: usize) -> bool {
    index >= CACHE_REGS.len()
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    slot: Slot,
    dirty: bool,
    /// Clock value of the last use (for least-recently-used eviction).
    used: u32,
}

/// The slot held by each register of [`CACHE_REGS`] and
/// [`FP_CACHE_REGS`], if any.
pub(crate) struct RegCache {
    entries: [Option<Entry>; SLOTS],
    clock: u32,
    /// Registers the current instruction has read or written: never
    /// evicted until [`RegCache::unlock_all`].
    locked: u32,
}

impl RegCache {
    pub(crate) fn new() -> RegCache {
        RegCache {
            entries: [None; SLOTS],
            clock: 0,
            locked: 0,
        }
    }

    /// The index of the register holding `slot`.
    pub(crate) fn find(&self, slot: Slot) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.is_some_and(|e| e.slot == slot))
    }

    /// Marks register `index` used by the current instruction.
    pub(crate) fn touch(&mut self, index: usize) {
        self.clock = self.clock.wrapping_add(1);
        if let Some(entry) = &mut self.entries[index] {
            entry.used = self.clock;
        }
        self.locked |= 1 << index;
    }

    pub(crate) fn unlock_all(&mut self) {
        self.locked = 0;
    }

    /// A register of the FP file (`fp`) or the general one to (re)use: a
    /// free one, else the least recently used unlocked one. Returns its
    /// index and the slot it held if that slot must be written back first.
    pub(crate) fn victim(&self, fp: bool) -> (usize, Option<Slot>) {
        let mut best: Option<(usize, u32)> = None;
        for (i, entry) in self.entries.iter().enumerate() {
            if self.locked & (1 << i) != 0 || is_fp(i) != fp {
                continue;
            }
            match entry {
                None => return (i, None),
                Some(e) => {
                    let age = self.clock.wrapping_sub(e.used);
                    if best.is_none_or(|(_, a)| age > a) {
                        best = Some((i, age));
                    }
                }
            }
        }
        // An instruction locks at most three operands and a result.
        let (i, _) = best.expect("a cache register is unlocked");
        let entry = self.entries[i].expect("an evicted register holds a slot");
        (i, entry.dirty.then_some(entry.slot))
    }

    /// Register `index` now holds `slot`.
    pub(crate) fn set(&mut self, index: usize, slot: Slot, dirty: bool) {
        self.entries[index] = Some(Entry {
            slot,
            dirty,
            used: 0,
        });
        self.touch(index);
    }

    /// Removes entry `index` (the register stays locked for the current
    /// instruction); returns whether it was dirty.
    pub(crate) fn take(&mut self, index: usize) -> bool {
        self.entries[index].take().is_some_and(|e| e.dirty)
    }

    /// Marks register `index` newer than its slot.
    pub(crate) fn mark_dirty(&mut self, index: usize) {
        if let Some(entry) = &mut self.entries[index] {
            entry.dirty = true;
        }
    }

    /// The dirty registers and their slots.
    pub(crate) fn dirty(&self) -> impl Iterator<Item = (Loc, Slot)> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.filter(|e| e.dirty).map(|e| (loc(i), e.slot)))
    }

    /// Marks every register clean (after the caller wrote them back).
    pub(crate) fn mark_all_clean(&mut self) {
        for entry in self.entries.iter_mut().flatten() {
            entry.dirty = false;
        }
    }

    /// Forgets every cached slot (the caller wrote back the dirty ones).
    pub(crate) fn clear(&mut self) {
        self.entries = [None; SLOTS];
        self.locked = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used_unlocked_register() {
        let mut cache = RegCache::new();
        for (i, slot) in (0..CACHE_REGS.len()).zip(10..) {
            let (index, spill) = cache.victim(false);
            assert_eq!((index, spill), (i, None));
            cache.set(index, slot, i == 1);
        }
        cache.unlock_all();
        // Register 0 is the oldest; touching it makes register 1 (dirty)
        // the victim, which needs its slot written back.
        cache.touch(0);
        assert_eq!(cache.victim(false), (1, Some(11)));
        cache.touch(1);
        assert_eq!(cache.victim(false).0, 2);
        assert_eq!(cache.find(12).map(loc), Some(Loc::Gpr(R2)));
        assert_eq!(
            cache.dirty().collect::<alloc::vec::Vec<_>>(),
            [(Loc::Gpr(R1), 11)]
        );
        // The FP file is separate.
        assert_eq!(cache.victim(true), (CACHE_REGS.len(), None));
    }
}
