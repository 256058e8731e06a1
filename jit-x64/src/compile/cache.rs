//! The register cache: which slots of the frame are held in machine
//! registers right now, and whether the register is newer than the slot
//! (dirty). It lives for one basic block: every branch stores the dirty
//! registers, every branch target and call forgets them all.
//!
//! Pinned locals (see `pins`) are the exception to the block scope:
//! their register holds them for the whole function, is never evicted or
//! forgotten, and counts as dirty; it is stored before calls, helper
//! calls, returns and unwinding, and reloaded after calls.
//!
//! Each slot is in at most one register and each register holds at most
//! one slot. A register holds the slot's whole 64-bit value (an `f32` in
//! an xmm register has zeros in bits 32..64, like its slot), so writing
//! one back is a single 64-bit store whatever the type.

use alloc::vec::Vec;

use ember_core::ir::Slot;

use super::{Compiler, slot_mem};
use crate::{FloatSize, Gpr, Mem, Size, Xmm};

/// A register that caches a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reg {
    G(Gpr),
    X(Xmm),
    /// A whole `v128` (two slots) in an xmm register.
    V(Xmm),
}

/// General-purpose registers available for caching: everything but the
/// scratch registers `rax`, `rcx`, `rdx` (division, shift counts,
/// addresses), `rsp` and the pinned `r12`..`r15`. The callee-saved `rbx`
/// and `rbp` only hold pinned locals (a function without them need not
/// save them).
const GPR_POOL: [Gpr; 8] = [
    Gpr::Rbx,
    Gpr::Rbp,
    Gpr::Rsi,
    Gpr::Rdi,
    Gpr::R8,
    Gpr::R9,
    Gpr::R10,
    Gpr::R11,
];

/// xmm registers available for caching (`xmm0` and `xmm1` are scratch).
const XMM_POOL: &[Xmm] = Xmm::ALL.split_at(2).1;

#[derive(Debug, Clone, Copy)]
struct Entry {
    slot: Slot,
    dirty: bool,
    /// A `v128`: the register holds `slot` and `slot + 1`.
    wide: bool,
}

/// A register of a pool: its entry, when it last served, whether the
/// current instruction uses it (then it is never evicted), and whether it
/// is a pinned local's.
#[derive(Debug, Clone, Copy, Default)]
struct Seat {
    entry: Option<Entry>,
    used: u32,
    locked: bool,
    pinned: bool,
    /// Never allocated by the cache (only pinned).
    reserved: bool,
}

#[derive(Debug)]
pub(crate) struct Cache {
    gpr: [Seat; 8],
    xmm: [Seat; 14],
    tick: u32,
    /// Address slots whose bounds are known good in this block, with the
    /// largest `offset + size` checked (memory never shrinks, so a check
    /// holds until the slot changes).
    pub checked: Vec<(Slot, u64)>,
}

impl Default for Cache {
    fn default() -> Self {
        let mut gpr = [Seat::default(); 8];
        for (seat, reg) in gpr.iter_mut().zip(GPR_POOL) {
            seat.reserved = matches!(reg, Gpr::Rbx | Gpr::Rbp);
        }
        Cache {
            gpr,
            xmm: [Seat::default(); 14],
            tick: 0,
            checked: Vec::new(),
        }
    }
}

impl Cache {
    fn seat(&mut self, reg: Reg) -> &mut Seat {
        match reg {
            Reg::G(g) => {
                let i = GPR_POOL.iter().position(|&p| p == g);
                &mut self.gpr[i.expect("a pool register")]
            }
            Reg::X(x) | Reg::V(x) => {
                let i = XMM_POOL.iter().position(|&p| p == x);
                &mut self.xmm[i.expect("a pool register")]
            }
        }
    }

    /// The register holding `slot`, if any.
    pub fn find(&self, slot: Slot) -> Option<Reg> {
        let holds = |s: &Seat| s.entry.is_some_and(|e| e.slot == slot && !e.wide);
        if let Some(i) = self.gpr.iter().position(holds) {
            return Some(Reg::G(GPR_POOL[i]));
        }
        self.xmm.iter().position(holds).map(|i| Reg::X(XMM_POOL[i]))
    }

    /// The `v128` register covering `slot` (as either half), with the
    /// `v128`'s first slot.
    pub fn find_wide(&self, slot: Slot) -> Option<(Slot, Xmm)> {
        self.xmm
            .iter()
            .zip(XMM_POOL.iter().copied())
            .find_map(|(seat, x)| match seat.entry {
                Some(e)
                    if e.wide && (e.slot == slot || u32::from(e.slot) + 1 == u32::from(slot)) =>
                {
                    Some((e.slot, x))
                }
                _ => None,
            })
    }

    /// Gives `reg` to local `slot` for the whole function.
    pub fn pin(&mut self, slot: Slot, reg: Reg) {
        let seat = self.seat(reg);
        seat.pinned = true;
        seat.entry = Some(Entry {
            slot,
            dirty: true,
            wide: false,
        });
    }

    fn is_pinned(&mut self, reg: Reg) -> bool {
        self.seat(reg).pinned
    }

    /// The pinned locals and their registers.
    pub fn pins(&self) -> Vec<(Slot, Reg)> {
        let g = self.gpr.iter().zip(GPR_POOL.map(Reg::G));
        let x = self.xmm.iter().zip(XMM_POOL.iter().map(|&x| Reg::X(x)));
        g.chain(x)
            .filter(|(seat, _)| seat.pinned)
            .filter_map(|(seat, reg)| seat.entry.map(|e| (e.slot, reg)))
            .collect()
    }

    /// Marks `reg` used by the current instruction.
    fn touch(&mut self, reg: Reg) {
        self.tick += 1;
        let tick = self.tick;
        let seat = self.seat(reg);
        seat.used = tick;
        seat.locked = true;
    }

    /// Starts a new instruction: no register is in use.
    pub fn unlock_all(&mut self) {
        for seat in self.gpr.iter_mut().chain(self.xmm.iter_mut()) {
            seat.locked = false;
        }
    }

    /// Every dirty register with its slot.
    pub fn dirty(&self) -> Vec<(Slot, Reg)> {
        let g = self.gpr.iter().zip(GPR_POOL.map(Reg::G));
        let x = self.xmm.iter().zip(XMM_POOL.iter().map(|&x| Reg::X(x)));
        g.chain(x)
            .filter_map(|(seat, reg)| match (seat.entry, reg) {
                (Some(e), Reg::X(x)) if e.dirty && e.wide => Some((e.slot, Reg::V(x))),
                (Some(e), _) if e.dirty => Some((e.slot, reg)),
                _ => None,
            })
            .collect()
    }
}

/// Where an operand of an instruction is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Loc<R> {
    Reg(R),
    Mem(Mem),
}

impl Compiler<'_, '_> {
    /// Stores `reg` to `slot` (64 bits).
    pub(crate) fn store_reg(&mut self, slot: Slot, reg: Reg) {
        match reg {
            Reg::G(g) => self.asm.mov_mr(Size::S64, slot_mem(slot), g),
            Reg::X(x) => self.asm.movs_mx(FloatSize::F64, slot_mem(slot), x),
            Reg::V(x) => self.asm.movdqu_mx(slot_mem(slot), x),
        }
    }

    /// Stores and forgets the `v128` register covering `slot`, if any
    /// (before `slot` is used on its own).
    pub(crate) fn unwide(&mut self, slot: Slot) {
        if let Some((base, x)) = self.cache.find_wide(slot)
            && let Some(e) = self.cache.seat(Reg::V(x)).entry.take()
            && e.dirty
        {
            self.store_reg(base, Reg::V(x));
        }
    }

    /// Brings the `v128` at `slot` up to date in memory; a register holding
    /// it stays (clean).
    pub(crate) fn sync_v128(&mut self, slot: Slot) {
        if let Some((base, x)) = self.cache.find_wide(slot)
            && base == slot
        {
            if let Some(e) = self.cache.seat(Reg::V(x)).entry.as_mut()
                && e.dirty
            {
                e.dirty = false;
                self.store_reg(slot, Reg::V(x));
            }
            return;
        }
        self.sync(slot);
        self.sync(slot + 1);
    }

    /// An xmm register holding the `v128` at `slot`, loaded if needed; in
    /// use for the rest of the instruction.
    pub(crate) fn v128_of(&mut self, slot: Slot) -> Xmm {
        if let Some((base, x)) = self.cache.find_wide(slot)
            && base == slot
        {
            self.cache.touch(Reg::V(x));
            return x;
        }
        self.unwide(slot);
        self.unwide(slot + 1);
        self.sync(slot);
        self.sync(slot + 1);
        let x = self.alloc_xmm();
        self.asm.movdqu_xm(x, slot_mem(slot));
        self.cache.seat(Reg::V(x)).entry = Some(Entry {
            slot,
            dirty: false,
            wide: true,
        });
        x
    }

    /// Makes `x` (from `alloc_xmm`, or the one holding this `v128`) the
    /// dirty home of the `v128` at `slot`.
    pub(crate) fn bind_v128(&mut self, slot: Slot, x: Xmm) {
        for half in [slot, slot + 1] {
            self.cache.checked.retain(|&(s, _)| s != half);
            if let Some(reg) = self.cache.find(half) {
                self.cache.seat(reg).entry = None;
            }
            if let Some((_, old)) = self.cache.find_wide(half)
                && old != x
            {
                self.cache.seat(Reg::V(old)).entry = None;
            }
        }
        self.cache.touch(Reg::V(x));
        self.cache.seat(Reg::V(x)).entry = Some(Entry {
            slot,
            dirty: true,
            wide: true,
        });
    }

    /// A free general-purpose register for the current instruction
    /// (evicting the least recently used one if needed). It holds no slot
    /// until [`bind`](Self::bind).
    pub(crate) fn alloc_gpr(&mut self) -> Gpr {
        let i = pick(&self.cache.gpr);
        self.evict(Reg::G(GPR_POOL[i]));
        let reg = GPR_POOL[i];
        self.cache.touch(Reg::G(reg));
        reg
    }

    /// A free xmm register, as [`alloc_gpr`](Self::alloc_gpr).
    pub(crate) fn alloc_xmm(&mut self) -> Xmm {
        let i = pick(&self.cache.xmm);
        self.evict(Reg::X(XMM_POOL[i]));
        let reg = XMM_POOL[i];
        self.cache.touch(Reg::X(reg));
        reg
    }

    /// Empties `reg`, storing its slot first if dirty.
    fn evict(&mut self, reg: Reg) {
        if let Some(e) = self.cache.seat(reg).entry.take()
            && e.dirty
        {
            let reg = match reg {
                Reg::X(x) if e.wide => Reg::V(x),
                _ => reg,
            };
            self.store_reg(e.slot, reg);
        }
    }

    /// The register to compute the new value of `dst` in: its pinned
    /// register (no move afterwards) unless the instruction still reads
    /// one of `keep` after it starts writing and `dst` is among them, else
    /// a free one. Pass it to [`bind`](Self::bind) afterwards.
    pub(crate) fn dst_gpr(&mut self, dst: Slot, keep: &[Slot]) -> Gpr {
        if let Some(Reg::G(p)) = self.cache.find(dst)
            && self.cache.is_pinned(Reg::G(p))
            && !keep.contains(&dst)
        {
            self.cache.touch(Reg::G(p));
            return p;
        }
        self.alloc_gpr()
    }

    /// As [`dst_gpr`](Self::dst_gpr), for an xmm register.
    pub(crate) fn dst_xmm(&mut self, dst: Slot, keep: &[Slot]) -> Xmm {
        if let Some(Reg::X(p)) = self.cache.find(dst)
            && self.cache.is_pinned(Reg::X(p))
            && !keep.contains(&dst)
        {
            self.cache.touch(Reg::X(p));
            return p;
        }
        self.alloc_xmm()
    }

    /// Whether `slot` is a pinned local kept in an xmm register.
    pub(crate) fn pinned_in_xmm(&mut self, slot: Slot) -> bool {
        matches!(self.cache.find(slot), Some(r @ Reg::X(_)) if self.cache.is_pinned(r))
    }

    /// A general-purpose register holding the value of `slot`, loaded or
    /// moved there if needed; in use for the rest of the instruction.
    pub(crate) fn gpr_of(&mut self, slot: Slot) -> Gpr {
        self.unwide(slot);
        match self.cache.find(slot) {
            Some(Reg::G(g)) => {
                self.cache.touch(Reg::G(g));
                g
            }
            Some(Reg::X(x)) => {
                self.cache.touch(Reg::X(x));
                let g = self.alloc_gpr();
                self.asm.movd_rx(Size::S64, g, x);
                // A pinned local stays in its register: `g` is a copy.
                if !self.cache.is_pinned(Reg::X(x)) {
                    let entry = self.cache.seat(Reg::X(x)).entry.take();
                    self.cache.seat(Reg::G(g)).entry = entry;
                }
                g
            }
            Some(Reg::V(_)) | None => {
                let g = self.alloc_gpr();
                self.asm.mov_rm(Size::S64, g, slot_mem(slot));
                self.cache.seat(Reg::G(g)).entry = Some(Entry {
                    slot,
                    dirty: false,
                    wide: false,
                });
                g
            }
        }
    }

    /// An xmm register holding the value of `slot` (see `gpr_of`).
    pub(crate) fn xmm_of(&mut self, slot: Slot) -> Xmm {
        self.unwide(slot);
        match self.cache.find(slot) {
            Some(Reg::X(x)) => {
                self.cache.touch(Reg::X(x));
                x
            }
            Some(Reg::G(g)) => {
                self.cache.touch(Reg::G(g));
                let x = self.alloc_xmm();
                self.asm.movd_xr(Size::S64, x, g);
                if !self.cache.is_pinned(Reg::G(g)) {
                    let entry = self.cache.seat(Reg::G(g)).entry.take();
                    self.cache.seat(Reg::X(x)).entry = entry;
                }
                x
            }
            Some(Reg::V(_)) | None => {
                let x = self.alloc_xmm();
                self.asm.movs_xm(FloatSize::F64, x, slot_mem(slot));
                self.cache.seat(Reg::X(x)).entry = Some(Entry {
                    slot,
                    dirty: false,
                    wide: false,
                });
                x
            }
        }
    }

    /// `slot` as an integer operand: its register if cached, else its
    /// memory (which is then up to date).
    pub(crate) fn gpr_loc(&mut self, slot: Slot) -> Loc<Gpr> {
        self.unwide(slot);
        match self.cache.find(slot) {
            None => Loc::Mem(slot_mem(slot)),
            Some(_) => Loc::Reg(self.gpr_of(slot)),
        }
    }

    /// `slot` as a float operand (see `gpr_loc`).
    pub(crate) fn xmm_loc(&mut self, slot: Slot) -> Loc<Xmm> {
        self.unwide(slot);
        match self.cache.find(slot) {
            None => Loc::Mem(slot_mem(slot)),
            Some(_) => Loc::Reg(self.xmm_of(slot)),
        }
    }

    /// Makes `reg` (from `alloc_*`, or the register already holding
    /// `slot`) the dirty home of `slot`.
    pub(crate) fn bind(&mut self, slot: Slot, reg: Reg) {
        self.unwide(slot);
        self.cache.checked.retain(|&(s, _)| s != slot);
        if let Some(old) = self.cache.find(slot)
            && old != reg
        {
            if self.cache.is_pinned(old) {
                // A pinned local's value moves into its register.
                match (old, reg) {
                    (Reg::G(p), Reg::G(r)) => self.asm.mov_rr(Size::S64, p, r),
                    (Reg::G(p), Reg::X(r)) => self.asm.movd_rx(Size::S64, p, r),
                    (Reg::X(p), Reg::G(r)) => self.asm.movd_xr(Size::S64, p, r),
                    (Reg::X(p) | Reg::V(p), Reg::X(r) | Reg::V(r)) => self.asm.movaps_xx(p, r),
                    (Reg::G(p), Reg::V(r)) => self.asm.movd_rx(Size::S64, p, r),
                    (Reg::V(p), Reg::G(r)) => self.asm.movd_xr(Size::S64, p, r),
                }
                return;
            }
            self.cache.seat(old).entry = None;
        }
        self.cache.touch(reg);
        self.cache.seat(reg).entry = Some(Entry {
            slot,
            dirty: true,
            wide: false,
        });
    }

    pub(crate) fn bind_gpr(&mut self, slot: Slot, reg: Gpr) {
        self.bind(slot, Reg::G(reg));
    }

    pub(crate) fn bind_xmm(&mut self, slot: Slot, reg: Xmm) {
        self.bind(slot, Reg::X(reg));
    }

    /// Stores every dirty register but the pinned ones (at the end of a
    /// basic block; the registers stay valid). Emits only stores, so the
    /// flags survive.
    pub(crate) fn flush_all(&mut self) {
        self.flush_below(u32::MAX, false);
    }

    /// At the end of a basic block: stores the dirty registers whose slots
    /// are in `live` (all of them without liveness) and forgets the dirty
    /// ones that are dead. Pinned locals stay. Emits only stores.
    pub(crate) fn flush_live(&mut self, live: Option<&[u64]>) {
        let Some(live) = live else {
            return self.flush_all();
        };
        for (slot, reg) in self.cache.dirty() {
            if self.cache.is_pinned(reg) {
                continue;
            }
            let live_here = super::liveness::contains(live, slot)
                || matches!(reg, Reg::V(_)) && super::liveness::contains(live, slot + 1);
            if live_here {
                self.store_reg(slot, reg);
                if let Some(e) = self.cache.seat(reg).entry.as_mut() {
                    e.dirty = false;
                }
            } else {
                self.cache.seat(reg).entry = None;
            }
        }
    }

    /// Stores every dirty register, pinned ones too (before helper calls).
    pub(crate) fn flush_everything(&mut self) {
        self.flush_below(u32::MAX, true);
    }

    /// Before a call whose callee frame starts at `base`: stores the
    /// dirty registers the callee may read (slots from `base` on) or that
    /// are live after the call, pinned ones too; forgets the other dirty
    /// ones (dead: nothing reads them before they are written again, not
    /// even an interpreter resuming this frame). Without liveness, stores
    /// everything.
    pub(crate) fn flush_for_call(&mut self, base: Slot) {
        let Some(liveness) = self.liveness.as_ref() else {
            return self.flush_everything();
        };
        let live = liveness.live_after(self.func, self.pc as usize);
        for (slot, reg) in self.cache.dirty() {
            let wide = matches!(reg, Reg::V(_));
            let last = u32::from(slot) + u32::from(wide);
            let needed = last >= u32::from(base)
                || super::liveness::contains(&live, slot)
                || wide && super::liveness::contains(&live, slot + 1);
            let pinned = self.cache.is_pinned(reg);
            if needed {
                self.store_reg(slot, reg);
                if let Some(e) = self.cache.seat(reg).entry.as_mut() {
                    e.dirty = pinned;
                }
            } else if !pinned {
                self.cache.seat(reg).entry = None;
            }
        }
    }

    /// Stores the dirty registers of slots below `end` (with `pinned`, also
    /// the pinned locals, which stay dirty).
    pub(crate) fn flush_below(&mut self, end: u32, pinned: bool) {
        for (slot, reg) in self.cache.dirty() {
            let is_pinned = self.cache.is_pinned(reg);
            if u32::from(slot) < end && (pinned || !is_pinned) {
                self.store_reg(slot, reg);
                if let Some(e) = self.cache.seat(reg).entry.as_mut() {
                    e.dirty = is_pinned;
                }
            }
        }
    }

    /// Forgets every register but the pinned ones (after a call, at a
    /// branch target).
    pub(crate) fn forget_all(&mut self) {
        self.cache.checked.clear();
        for seat in self.cache.gpr.iter_mut().chain(self.cache.xmm.iter_mut()) {
            if !seat.pinned {
                seat.entry = None;
            }
        }
    }

    /// Loads the pinned locals from their slots (all of them, or only
    /// those in caller-saved registers, after a call).
    pub(crate) fn reload_pins(&mut self, caller_saved_only: bool) {
        for (slot, reg) in self.cache.pins() {
            if !(caller_saved_only && matches!(reg, Reg::G(Gpr::Rbx | Gpr::Rbp))) {
                self.load_pin(slot, reg);
            }
        }
    }

    /// Loads pinned local `slot` into its register `reg`.
    pub(crate) fn load_pin(&mut self, slot: Slot, reg: Reg) {
        match reg {
            Reg::G(g) => self.asm.mov_rm(Size::S64, g, slot_mem(slot)),
            Reg::X(x) => self.asm.movs_xm(FloatSize::F64, x, slot_mem(slot)),
            Reg::V(x) => self.asm.movdqu_xm(x, slot_mem(slot)),
        }
    }

    /// Brings slot `slot` in memory up to date (its register stays).
    pub(crate) fn sync(&mut self, slot: Slot) {
        self.unwide(slot);
        if let Some(reg) = self.cache.find(slot) {
            let seat = self.cache.seat(reg);
            let pinned = seat.pinned;
            if let Some(e) = seat.entry.as_mut()
                && e.dirty
            {
                e.dirty = pinned;
                self.store_reg(slot, reg);
            }
        }
    }

    /// Drops the register of `slot` without storing it (the slot is about
    /// to be overwritten in memory).
    pub(crate) fn invalidate(&mut self, slot: Slot) {
        if let Some((_, x)) = self.cache.find_wide(slot) {
            self.cache.seat(Reg::V(x)).entry = None;
        }
        self.cache.checked.retain(|&(s, _)| s != slot);
        // Functions that overwrite slots in memory have no pinned locals.
        if let Some(reg) = self.cache.find(slot)
            && !self.cache.is_pinned(reg)
        {
            self.cache.seat(reg).entry = None;
        }
    }
}

/// The seat to allocate: a free unlocked one, else the least recently
/// used unlocked one.
fn pick(seats: &[Seat]) -> usize {
    let free = seats
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.locked && !s.pinned && !s.reserved && s.entry.is_none())
        .min_by_key(|(_, s)| s.used);
    if let Some((i, _)) = free {
        return i;
    }
    seats
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.locked && !s.pinned && !s.reserved)
        .min_by_key(|(_, s)| s.used)
        .map_or(0, |(i, _)| i)
}
