//! Memory 0 (bounds-checked loads and stores of every width,
//! `memory.size`), globals, and the `v128` moves that need no SIMD
//! (`Copy128`, `Select128`, `Const128`, `v128.load`/`store`), which go
//! through memory rather than the register cache.

use ember_core::TrapCode;
use ember_core::ir::{Instr, Slot};
use ember_core::jit::{JitError, VmContext};

use super::cache::Reg;
use super::{CTX, Compiler, MEM_BASE, MEM_LEN, slot_mem};
use crate::{AluOp, Cond, FloatSize, Gpr, Mem, Scale, ShiftOp, Size, Xmm};

/// How a load extends its value: `(access width, signed, result width)`.
type LoadKind = (Size, bool, Size);

impl Compiler<'_, '_> {
    /// Compiles `instr` if it is a memory, global or `v128` move.
    pub(crate) fn memory(&mut self, instr: &Instr) -> Result<bool, JitError> {
        use Instr as I;
        use Size::{S8, S16, S32, S64};
        match *instr {
            I::I32Load { dst, addr, offset } => self.load(dst, addr, offset, (S32, false, S32)),
            I::I64Load { dst, addr, offset } => self.load(dst, addr, offset, (S64, false, S64)),
            I::I32Load8S { dst, addr, offset } => self.load(dst, addr, offset, (S8, true, S32)),
            I::I32Load8U { dst, addr, offset } => self.load(dst, addr, offset, (S8, false, S32)),
            I::I32Load16S { dst, addr, offset } => self.load(dst, addr, offset, (S16, true, S32)),
            I::I32Load16U { dst, addr, offset } => self.load(dst, addr, offset, (S16, false, S32)),
            I::I64Load8S { dst, addr, offset } => self.load(dst, addr, offset, (S8, true, S64)),
            I::I64Load8U { dst, addr, offset } => self.load(dst, addr, offset, (S8, false, S32)),
            I::I64Load16S { dst, addr, offset } => self.load(dst, addr, offset, (S16, true, S64)),
            I::I64Load16U { dst, addr, offset } => self.load(dst, addr, offset, (S16, false, S32)),
            I::I64Load32S { dst, addr, offset } => self.load(dst, addr, offset, (S32, true, S64)),
            I::I64Load32U { dst, addr, offset } => self.load(dst, addr, offset, (S32, false, S32)),
            I::I32Store { addr, src, offset } => self.store(addr, src, offset, S32),
            I::I64Store { addr, src, offset } => self.store(addr, src, offset, S64),
            I::I32Store8 { addr, src, offset } => self.store(addr, src, offset, S8),
            I::I32Store16 { addr, src, offset } => self.store(addr, src, offset, S16),
            I::I64Store32 { addr, src, offset } => self.store(addr, src, offset, S32),
            I::V128Load { dst, addr, offset } => {
                let m = self.address(addr, offset, 16);
                let xd = self.alloc_xmm();
                self.asm.movdqu_xm(xd, m);
                self.bind_v128(dst, xd);
            }
            I::V128Store { addr, src, offset } => {
                let xs = self.v128_of(src);
                let m = self.address(addr, offset, 16);
                self.asm.movdqu_mx(m, xs);
            }
            I::MemorySize { dst } => {
                let rd = self.dst_gpr(dst, &[]);
                self.asm.mov_rr(Size::S64, rd, MEM_LEN);
                self.asm.shift_ri(ShiftOp::Shr, Size::S64, rd, 16);
                self.bind_gpr(dst, rd);
            }
            I::GlobalGet { dst, global } => {
                let m = self.global(global)?;
                let rd = self.dst_gpr(dst, &[]);
                self.asm.mov_rm(Size::S64, rd, m);
                self.bind_gpr(dst, rd);
            }
            I::GlobalSet { src, global } => {
                let rs = self.gpr_of(src);
                let m = self.global(global)?;
                self.asm.mov_mr(Size::S64, m, rs);
            }
            I::GlobalGet128 { dst, global } => {
                let m = self.global(global)?;
                self.asm.movdqu_xm(Xmm::Xmm0, m);
                self.v128_to_slots(dst);
            }
            I::GlobalSet128 { src, global } => {
                self.sync(src);
                self.sync(src + 1);
                let m = self.global(global)?;
                self.asm.movdqu_xm(Xmm::Xmm0, slot_mem(src));
                self.asm.movdqu_mx(m, Xmm::Xmm0);
            }
            I::Copy128 { dst, src } => {
                if dst != src {
                    let xs = self.v128_of(src);
                    let xd = self.alloc_xmm();
                    self.asm.movaps_xx(xd, xs);
                    self.bind_v128(dst, xd);
                }
            }
            I::Select128 { dst, cond, a, b } => {
                let rc = self.gpr_of(cond);
                self.asm.mov_rr(Size::S32, Gpr::Rax, rc);
                for slot in [a, a + 1, b, b + 1] {
                    self.sync(slot);
                }
                let take_b = self.asm.new_label();
                self.asm.movdqu_xm(Xmm::Xmm0, slot_mem(b));
                self.asm.test_rr(Size::S32, Gpr::Rax, Gpr::Rax);
                self.asm.jcc(Cond::E, take_b);
                self.asm.movdqu_xm(Xmm::Xmm0, slot_mem(a));
                self.asm.bind(take_b);
                self.v128_to_slots(dst);
            }
            I::Const128 { dst, index } => {
                let value = *self
                    .func
                    .consts128
                    .get(index as usize)
                    .ok_or(JitError::Unsupported("v128 constant index"))?;
                // Built in a register: a 16-byte load of two fresh 8-byte
                // stores would stall store forwarding.
                let xd = self.alloc_xmm();
                let (lo, hi) = (value as u64, (value >> 64) as u64);
                if value == 0 {
                    self.asm.pxor_xx(xd, xd);
                } else {
                    self.asm.mov_ri(Size::S64, Gpr::Rax, lo as i64);
                    self.asm.movd_xr(Size::S64, xd, Gpr::Rax);
                    if hi != 0 {
                        self.asm.mov_ri(Size::S64, Gpr::Rax, hi as i64);
                        self.asm.movd_xr(Size::S64, Xmm::Xmm0, Gpr::Rax);
                        self.asm
                            .packed_xx(crate::PackedOp::Punpcklqdq, xd, Xmm::Xmm0);
                    }
                }
                self.bind_v128(dst, xd);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Stores `xmm0` to the `v128` at `dst` (in memory, not cached).
    pub(crate) fn v128_to_slots(&mut self, dst: Slot) {
        self.invalidate(dst);
        self.invalidate(dst + 1);
        self.asm.movdqu_mx(slot_mem(dst), Xmm::Xmm0);
    }

    /// The operand of global `global`'s value (through `rax`).
    fn global(&mut self, global: u32) -> Result<Mem, JitError> {
        let disp = (global as usize)
            .checked_mul(8)
            .and_then(|d| i32::try_from(d).ok())
            .ok_or(JitError::Limit("global index"))?;
        self.asm.mov_rm(
            Size::S64,
            Gpr::Rax,
            Mem::base_disp(CTX, VmContext::GLOBALS as i32),
        );
        self.asm
            .mov_rm(Size::S64, Gpr::Rax, Mem::base_disp(Gpr::Rax, disp));
        Ok(Mem::base(Gpr::Rax))
    }

    /// Checks an access of `bytes` bytes at `addr + offset` against the
    /// memory length (trapping out of bounds, unless this block already
    /// checked as much for the same address) and returns its operand.
    fn address(&mut self, addr: Slot, offset: u32, bytes: u32) -> Mem {
        // The slot holds the address zero-extended to 64 bits.
        let ra = self.gpr_of(addr);
        let end = u64::from(offset) + u64::from(bytes);
        let near = i32::try_from(end).is_ok();
        let known = self
            .cache
            .checked
            .iter()
            .any(|&(s, checked)| s == addr && checked >= end);
        if near && known {
            return Mem::base_index_disp(MEM_BASE, ra, Scale::X1, offset as i32);
        }
        match i32::try_from(end) {
            Ok(disp) => self.asm.lea(Size::S64, Gpr::Rdx, Mem::base_disp(ra, disp)),
            Err(_) => {
                self.asm.mov_ri(Size::S64, Gpr::Rdx, end as i64);
                self.asm.alu_rr(AluOp::Add, Size::S64, Gpr::Rdx, ra);
            }
        }
        self.asm.alu_rr(AluOp::Cmp, Size::S64, Gpr::Rdx, MEM_LEN);
        self.trap_if(Cond::A, TrapCode::MemoryOutOfBounds);
        if near {
            let checked = &mut self.cache.checked;
            match checked.iter_mut().find(|(s, _)| *s == addr) {
                Some(entry) => entry.1 = entry.1.max(end),
                None => checked.push((addr, end)),
            }
        }
        Mem::base_index_disp(MEM_BASE, Gpr::Rdx, Scale::X1, -(bytes as i32))
    }

    fn load(&mut self, dst: Slot, addr: Slot, offset: u32, (width, signed, to): LoadKind) {
        let m = self.address(addr, offset, width.bytes());
        if matches!((width, signed), (Size::S64, _) | (Size::S32, false)) && self.float_next(dst) {
            // A float: straight into an xmm register.
            let xd = self.dst_xmm(dst, &[]);
            let size = if width == Size::S32 {
                FloatSize::F32
            } else {
                FloatSize::F64
            };
            self.asm.movs_xm(size, xd, m);
            self.bind_xmm(dst, xd);
            return;
        }
        let rd = self.dst_gpr(dst, &[]);
        match (width, signed) {
            (Size::S64, _) | (Size::S32, false) => self.asm.mov_rm(width, rd, m),
            (_, true) => self.asm.movsx_rm(to, width, rd, m),
            (_, false) => self.asm.movzx_rm(to, width, rd, m),
        }
        self.bind_gpr(dst, rd);
    }

    /// Whether the value loaded into `dst` is a float: `dst` is pinned to
    /// an xmm register, or the next instruction uses it as a float.
    fn float_next(&mut self, dst: Slot) -> bool {
        if self.pinned_in_xmm(dst) {
            return true;
        }
        let next = self.func.code.get(self.pc as usize + 1);
        next.and_then(super::pins::operands)
            .is_some_and(|uses| uses.contains(&(dst, super::pins::Class::Float)))
    }

    fn store(&mut self, addr: Slot, src: Slot, offset: u32, width: Size) {
        // A float result still in an xmm register is stored from there.
        if let Some(Reg::X(_)) = self.cache.find(src)
            && matches!(width, Size::S32 | Size::S64)
        {
            let xs = self.xmm_of(src);
            let m = self.address(addr, offset, width.bytes());
            let size = if width == Size::S32 {
                FloatSize::F32
            } else {
                FloatSize::F64
            };
            self.asm.movs_mx(size, m, xs);
            return;
        }
        let rs = self.gpr_of(src);
        let m = self.address(addr, offset, width.bytes());
        self.asm.mov_mr(width, m, rs);
    }
}
