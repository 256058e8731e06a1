//! Control flow: branches (plain, fused compare-and-branch, `br_table`),
//! returns, calls, fuel, globals, and the interpreter helper for
//! instructions compiled elsewhere.

use ember_core::TrapCode;
use ember_core::ir::Slot;
use ember_core::jit::{FuncRef, Helpers, VmContext};

use super::{CTX, Compiler, Point, Result, SLOTS, TMP0, TMP1, Test};
use crate::memory::{Addr, MemSize};
use crate::regs::{Cond, R0, R1, R2, R3, R4, Reg, Size, ZR};

impl Compiler<'_> {
    /// Branches by `jump` from `pc` when `test` holds (the flags or
    /// registers it reads are already set up).
    pub(super) fn branch(&mut self, test: Test, pc: u32, jump: i32) -> Result {
        self.flush_live(Point::After);
        let target = self.label_at(pc.wrapping_add_signed(jump));
        if jump <= 0 && self.env.interruptible {
            let skip = self.asm.new_label();
            self.jump_if(test.invert(), skip)?;
            self.interrupt_check(pc)?;
            self.asm.b(target)?;
            self.asm.bind(skip)?;
            Ok(())
        } else {
            self.jump_if(test, target)
        }
    }

    /// An unconditional branch by `jump` from `pc` (registers flushed).
    pub(super) fn jump(&mut self, pc: u32, jump: i32) -> Result {
        if jump <= 0 && self.env.interruptible {
            self.interrupt_check(pc)?;
        }
        let target = self.label_at(pc.wrapping_add_signed(jump));
        self.asm.b(target)?;
        Ok(())
    }

    /// `br_table`: jumps to the code of `Br` number `min(index, len)` of
    /// those that follow, through a table of `b` instructions.
    pub(super) fn br_table(&mut self, pc: u32, index: Slot, len: u32) -> Result {
        let index = self.read(index);
        self.emit_all(&crate::mov_imm32(TMP1, len));
        self.emit(crate::cmp(Size::W, index, TMP1));
        self.emit(crate::csel(Size::W, TMP0, index, TMP1, Cond::Lo));
        self.flush_live(Point::After);
        let table = self.asm.new_label();
        self.asm.adr(TMP1, table)?;
        self.emit(crate::add(Size::X, TMP1, TMP1, TMP0.lsl(2)));
        self.emit(crate::br(TMP1));
        self.asm.bind(table)?;
        for entry in pc + 1..=pc + 1 + len {
            let label = self.label_at(entry);
            self.asm.b(label)?;
        }
        Ok(())
    }

    /// Returns (the results are in slots `0..result_slots`, or slot 0's in
    /// register `slot0`).
    pub(super) fn return_(&mut self, slot0: Option<Reg>) {
        let results = self.func.result_slots;
        self.note_reads(self.temps_from(results, false));
        let keep = |slot: Slot| u32::from(slot) < results && (slot0.is_none() || slot != 0);
        let dirty: alloc::vec::Vec<_> =
            self.cache.dirty().filter(|&(_, slot)| keep(slot)).collect();
        for (loc, slot) in dirty {
            self.store_loc(loc, slot);
        }
        self.store_pinned(keep);
        if let Some(reg) = slot0 {
            self.store_slot(reg, 0);
        }
        self.emit(crate::mov(Size::W, R0, ZR));
        self.epilogue();
    }

    /// `Call`: through the instance's function table.
    pub(super) fn call(&mut self, pc: u32, func: u32, base: Slot) -> Result {
        self.note_reads(self.temps_from(u32::from(base), true));
        self.store_pinned(|_| true);
        self.invalidate();
        self.emit_access(crate::ldr(
            MemSize::X,
            TMP0,
            Self::ctx_field(VmContext::FUNC_REFS),
        ));
        let entry = u64::from(func) * FuncRef::SIZE as u64;
        let (table, offset) = if entry < 4096 {
            (TMP0, entry as i64)
        } else {
            self.add_const(TMP0, TMP0, entry, TMP1);
            (TMP0, 0)
        };
        self.emit_access(crate::ldr(
            MemSize::X,
            TMP1,
            Addr::offset(table, offset + FuncRef::CODE as i64),
        ));
        self.emit_access(crate::ldr(
            MemSize::W,
            R2,
            Addr::offset(table, offset + FuncRef::STORE_FUNC as i64),
        ));
        self.emit(crate::mov(Size::X, R0, CTX));
        self.add_const(R1, SLOTS, u64::from(base) * 8, TMP0);
        self.emit(crate::blr(TMP1));
        self.reload_memory();
        self.check_status(pc + 1)
    }

    /// `CallIndirect`: through `Helpers::call_indirect`.
    pub(super) fn call_indirect(
        &mut self,
        pc: u32,
        base: Slot,
        index: Slot,
        table: u16,
        type_index: u32,
    ) -> Result {
        self.note_reads(self.temps_from(u32::from(base), true));
        self.count_access(index, false);
        self.store_pinned(|_| true);
        self.invalidate();
        let addr = self.slot_addr(index);
        self.emit_access(crate::ldr(MemSize::W, R4, addr));
        self.emit(crate::mov(Size::X, R0, CTX));
        self.add_const(R1, SLOTS, u64::from(base) * 8, TMP0);
        self.emit_all(&crate::mov_imm32(R2, u32::from(table)));
        self.emit_all(&crate::mov_imm32(R3, type_index));
        self.call_helper(Helpers::CALL_INDIRECT);
        self.reload_memory();
        self.check_status(pc + 1)
    }

    /// Runs instruction `pc` in the interpreter through `Helpers::exec`.
    pub(super) fn exec(&mut self, pc: u32) -> Result {
        self.helper_instrs += 1;
        self.note_reads(u64::MAX);
        self.store_pinned(|_| true);
        self.invalidate();
        self.emit(crate::mov(Size::X, R0, CTX));
        self.emit(crate::mov(Size::X, R1, SLOTS));
        self.emit_all(&crate::mov_imm32(R2, self.env.func_index));
        self.emit_all(&crate::mov_imm32(R3, pc));
        self.call_helper(Helpers::EXEC);
        self.reload_memory();
        // The instruction may have written a pinned local.
        self.load_pinned();
        self.check_status(pc)
    }

    /// `ConsumeFuel`: unwinds with `OutOfFuel` at `pc` (fuel unchanged)
    /// unless `amount` is left.
    pub(super) fn consume_fuel(&mut self, pc: u32, amount: u32) -> Result {
        self.emit_access(crate::ldr(
            MemSize::X,
            TMP0,
            Self::ctx_field(VmContext::FUEL),
        ));
        match crate::AddImm::new(u64::from(amount)) {
            Some(imm) => self.emit(crate::subs_imm(Size::X, TMP0, TMP0, imm)),
            None => {
                self.emit_all(&crate::mov_imm32(TMP1, amount));
                self.emit(crate::subs(Size::X, TMP0, TMP0, TMP1));
            }
        }
        self.trap_if(Test::Flags(Cond::Lo), TrapCode::OutOfFuel, pc)?;
        self.emit_access(crate::str(
            MemSize::X,
            TMP0,
            Self::ctx_field(VmContext::FUEL),
        ));
        Ok(())
    }

    /// `x16` = the address of global `global`'s value.
    pub(super) fn global_address(&mut self, global: u32) {
        self.emit_access(crate::ldr(
            MemSize::X,
            TMP0,
            Self::ctx_field(VmContext::GLOBALS),
        ));
        let offset = u64::from(global) * 8;
        if offset < 4096 * 8 {
            self.emit_access(crate::ldr(
                MemSize::X,
                TMP0,
                Addr::offset(TMP0, offset as i64),
            ));
        } else {
            self.add_const(TMP0, TMP0, offset, TMP1);
            self.emit_access(crate::ldr(MemSize::X, TMP0, Addr::base(TMP0)));
        }
    }
}
