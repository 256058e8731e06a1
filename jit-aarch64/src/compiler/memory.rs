//! Loads and stores of memory 0 with explicit bounds checks: the effective
//! address `addr as u32 + offset` plus the access size must not pass
//! `mem_len` (kept in `x22`, with the base in `x21`).

use ember_core::TrapCode;
use ember_core::ir::Slot;

use super::{Compiler, MEM_BASE, MEM_LEN, Result, TMP0, TMP1, Test};
use crate::AddImm;
use crate::memory::{Addr, IndexExtend, MemSize, VecMemSize};
use crate::regs::{Cond, Size, V0, ZR};

/// How many address slots remember their checked bounds.
const CHECKED_BOUNDS: usize = 4;

fn bytes(size: MemSize) -> u64 {
    1 << size.log2_bytes()
}

impl Compiler<'_> {
    /// Checks an access of `n` bytes at `addr + offset` and leaves the
    /// effective address in `x16` (zero when out of bounds, so that a
    /// mispredicted check cannot read past memory). Within a block, an
    /// access through an unchanged address slot that ends no further than
    /// one already checked needs no new check (memory never shrinks).
    fn effective_address(&mut self, addr: Slot, offset: u32, n: u64, pc: u32) -> Result {
        self.note_memory_use();
        let end = u64::from(offset) + n;
        let checked = self
            .checked_bounds
            .iter()
            .any(|&(slot, checked_end)| slot == addr && end <= checked_end);
        let addr_slot = addr;
        let addr = self.read(addr);
        self.emit(crate::mov(Size::W, TMP0, addr));
        self.add_const(TMP0, TMP0, u64::from(offset), TMP1);
        if checked {
            return Ok(());
        }
        let n = AddImm::new(n).expect("access sizes are small");
        self.emit(crate::add_imm(Size::X, TMP1, TMP0, n));
        self.emit(crate::cmp(Size::X, TMP1, MEM_LEN));
        self.trap_if(Test::Flags(Cond::Hi), TrapCode::MemoryOutOfBounds, pc)?;
        self.emit(crate::csel(Size::X, TMP0, ZR, TMP0, Cond::Hi));
        match self
            .checked_bounds
            .iter_mut()
            .find(|(slot, _)| *slot == addr_slot)
        {
            Some(entry) => entry.1 = entry.1.max(end),
            None => {
                if self.checked_bounds.len() == CHECKED_BOUNDS {
                    self.checked_bounds.remove(0);
                }
                self.checked_bounds.push((addr_slot, end));
            }
        }
        Ok(())
    }

    /// Forgets the bounds checked through `slot` (it is being written).
    pub(super) fn forget_bounds_of(&mut self, slot: Slot) {
        self.checked_bounds.retain(|&(s, _)| s != slot);
    }

    /// Records (in the counting pass) that the function uses memory 0.
    pub(super) fn note_memory_use(&mut self) {
        if let Some(usage) = &mut self.usage {
            usage.memory = true;
        }
    }

    fn memory_operand() -> Addr {
        Addr::index(MEM_BASE, TMP0, IndexExtend::Lsl, false)
    }

    /// A load of `size`, zero-extended, or sign-extended to `signed`.
    pub(super) fn load(
        &mut self,
        size: MemSize,
        signed: Option<Size>,
        dst: Slot,
        addr: Slot,
        offset: u32,
        pc: u32,
    ) -> Result {
        self.effective_address(addr, offset, bytes(size), pc)?;
        let dst = self.write(dst);
        let word = match signed {
            Some(to) => crate::ldrs(size, to, dst, Self::memory_operand()),
            None => crate::ldr(size, dst, Self::memory_operand()),
        };
        self.emit_access(word);
        Ok(())
    }

    /// A store of the low `size` bytes of `src`.
    pub(super) fn store(
        &mut self,
        size: MemSize,
        addr: Slot,
        src: Slot,
        offset: u32,
        pc: u32,
    ) -> Result {
        // A float in an FP register is stored from there.
        let vector = match size {
            MemSize::W => Some(VecMemSize::S),
            MemSize::X => Some(VecMemSize::D),
            _ => None,
        };
        if let Some(vector) = vector
            && self.in_fp_register(src)
        {
            let src = self.fp_read(src, V0);
            self.effective_address(addr, offset, bytes(size), pc)?;
            self.emit_access(crate::str_vec(vector, src, Self::memory_operand()));
            return Ok(());
        }
        let src = self.read(src);
        self.effective_address(addr, offset, bytes(size), pc)?;
        self.emit_access(crate::str(size, src, Self::memory_operand()));
        Ok(())
    }
}
