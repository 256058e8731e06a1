//! The dispatch of IR instructions to the code generators of each family,
//! and the instructions small enough to compile right here.

use ember_core::ir::{Instr, Slot};
use ember_core::jit::status_of_trap;

use super::float::{FpOp, FpUnop};
use super::integer::{IntOp, IntUnop, Rhs};
use super::{Compiler, Result, StubStatus, TMP0, Test};
use crate::memory::{Addr, MemSize};
use crate::regs::{Cond, FpSize, Size, V0};

/// The branch distance of a branch instruction (plain, conditional or
/// fused), if `instr` is one.
pub(super) fn jump_of(instr: &Instr) -> Option<i32> {
    match *instr {
        Instr::Br { jump } | Instr::BrIfNez { jump, .. } | Instr::BrIfEqz { jump, .. } => {
            Some(jump)
        }
        _ => fused(instr).map(|(.., jump)| jump),
    }
}

/// A fused compare-and-branch as (width, condition, left operand, right
/// operand, distance).
fn fused(instr: &Instr) -> Option<(Size, Cond, Slot, Rhs, i32)> {
    Some(match *instr {
        Instr::BrI32Eq { a, b, jump } => (Size::W, Cond::Eq, a, Rhs::Slot(b), jump),
        Instr::BrI32Ne { a, b, jump } => (Size::W, Cond::Ne, a, Rhs::Slot(b), jump),
        Instr::BrI32LtS { a, b, jump } => (Size::W, Cond::Lt, a, Rhs::Slot(b), jump),
        Instr::BrI32LtU { a, b, jump } => (Size::W, Cond::Lo, a, Rhs::Slot(b), jump),
        Instr::BrI32GtS { a, b, jump } => (Size::W, Cond::Gt, a, Rhs::Slot(b), jump),
        Instr::BrI32GtU { a, b, jump } => (Size::W, Cond::Hi, a, Rhs::Slot(b), jump),
        Instr::BrI32LeS { a, b, jump } => (Size::W, Cond::Le, a, Rhs::Slot(b), jump),
        Instr::BrI32LeU { a, b, jump } => (Size::W, Cond::Ls, a, Rhs::Slot(b), jump),
        Instr::BrI32GeS { a, b, jump } => (Size::W, Cond::Ge, a, Rhs::Slot(b), jump),
        Instr::BrI32GeU { a, b, jump } => (Size::W, Cond::Hs, a, Rhs::Slot(b), jump),
        Instr::BrI32EqImm { a, imm, jump } => (Size::W, Cond::Eq, a, Rhs::imm(Size::W, imm), jump),
        Instr::BrI32NeImm { a, imm, jump } => (Size::W, Cond::Ne, a, Rhs::imm(Size::W, imm), jump),
        Instr::BrI32LtSImm { a, imm, jump } => (Size::W, Cond::Lt, a, Rhs::imm(Size::W, imm), jump),
        Instr::BrI32LtUImm { a, imm, jump } => (Size::W, Cond::Lo, a, Rhs::imm(Size::W, imm), jump),
        Instr::BrI32GtSImm { a, imm, jump } => (Size::W, Cond::Gt, a, Rhs::imm(Size::W, imm), jump),
        Instr::BrI32GtUImm { a, imm, jump } => (Size::W, Cond::Hi, a, Rhs::imm(Size::W, imm), jump),
        Instr::BrI32LeSImm { a, imm, jump } => (Size::W, Cond::Le, a, Rhs::imm(Size::W, imm), jump),
        Instr::BrI32LeUImm { a, imm, jump } => (Size::W, Cond::Ls, a, Rhs::imm(Size::W, imm), jump),
        Instr::BrI32GeSImm { a, imm, jump } => (Size::W, Cond::Ge, a, Rhs::imm(Size::W, imm), jump),
        Instr::BrI32GeUImm { a, imm, jump } => (Size::W, Cond::Hs, a, Rhs::imm(Size::W, imm), jump),
        Instr::BrI64Eq { a, b, jump } => (Size::X, Cond::Eq, a, Rhs::Slot(b), jump),
        Instr::BrI64Ne { a, b, jump } => (Size::X, Cond::Ne, a, Rhs::Slot(b), jump),
        Instr::BrI64LtS { a, b, jump } => (Size::X, Cond::Lt, a, Rhs::Slot(b), jump),
        Instr::BrI64LtU { a, b, jump } => (Size::X, Cond::Lo, a, Rhs::Slot(b), jump),
        Instr::BrI64GtS { a, b, jump } => (Size::X, Cond::Gt, a, Rhs::Slot(b), jump),
        Instr::BrI64GtU { a, b, jump } => (Size::X, Cond::Hi, a, Rhs::Slot(b), jump),
        Instr::BrI64LeS { a, b, jump } => (Size::X, Cond::Le, a, Rhs::Slot(b), jump),
        Instr::BrI64LeU { a, b, jump } => (Size::X, Cond::Ls, a, Rhs::Slot(b), jump),
        Instr::BrI64GeS { a, b, jump } => (Size::X, Cond::Ge, a, Rhs::Slot(b), jump),
        Instr::BrI64GeU { a, b, jump } => (Size::X, Cond::Hs, a, Rhs::Slot(b), jump),
        Instr::BrI64EqImm { a, imm, jump } => (Size::X, Cond::Eq, a, Rhs::imm(Size::X, imm), jump),
        Instr::BrI64NeImm { a, imm, jump } => (Size::X, Cond::Ne, a, Rhs::imm(Size::X, imm), jump),
        Instr::BrI64LtSImm { a, imm, jump } => (Size::X, Cond::Lt, a, Rhs::imm(Size::X, imm), jump),
        Instr::BrI64LtUImm { a, imm, jump } => (Size::X, Cond::Lo, a, Rhs::imm(Size::X, imm), jump),
        Instr::BrI64GtSImm { a, imm, jump } => (Size::X, Cond::Gt, a, Rhs::imm(Size::X, imm), jump),
        Instr::BrI64GtUImm { a, imm, jump } => (Size::X, Cond::Hi, a, Rhs::imm(Size::X, imm), jump),
        Instr::BrI64LeSImm { a, imm, jump } => (Size::X, Cond::Le, a, Rhs::imm(Size::X, imm), jump),
        Instr::BrI64LeUImm { a, imm, jump } => (Size::X, Cond::Ls, a, Rhs::imm(Size::X, imm), jump),
        Instr::BrI64GeSImm { a, imm, jump } => (Size::X, Cond::Ge, a, Rhs::imm(Size::X, imm), jump),
        Instr::BrI64GeUImm { a, imm, jump } => (Size::X, Cond::Hs, a, Rhs::imm(Size::X, imm), jump),
        _ => return None,
    })
}

impl Compiler<'_> {
    /// Compiles the instruction at IR index `pc`.
    pub(super) fn instr(&mut self, pc: u32, instr: Instr) -> Result {
        if let Some((size, cond, a, b, jump)) = fused(&instr) {
            self.compare(size, a, b);
            return self.branch(Test::Flags(cond), pc, jump);
        }
        match instr {
            Instr::Copy { dst, src } => {
                if dst != src && self.in_fp_register(src) {
                    let src = self.fp_read(src, V0);
                    let dst = self.fp_write(dst);
                    self.emit(crate::fmov(FpSize::D, dst.v, src));
                    self.fp_commit(dst, FpSize::D);
                } else if dst != src {
                    let src = self.read(src);
                    let dst = self.write(dst);
                    self.emit(crate::mov(Size::X, dst, src));
                }
            }
            Instr::Const32 { dst, imm } => {
                let dst = self.write(dst);
                self.emit_all(&crate::mov_imm32(dst, imm));
            }
            Instr::Const64 { dst, lo, hi } => {
                let dst = self.write(dst);
                self.emit_all(&crate::mov_imm64(dst, u64::from(hi) << 32 | u64::from(lo)));
            }
            Instr::Select { dst, cond, a, b } => {
                let cond = self.read(cond);
                let a = self.read(a);
                let b = self.read(b);
                self.emit(crate::cmp_imm(
                    Size::W,
                    cond,
                    crate::AddImm::new(0).expect("0"),
                ));
                let dst = self.write(dst);
                self.emit(crate::csel(Size::X, dst, a, b, Cond::Ne));
            }
            Instr::Trap { code } => {
                let stub = self.stub(pc, StubStatus::Fixed(status_of_trap(code)));
                self.asm.b(stub)?;
            }
            Instr::Br { jump } => {
                self.flush_live(super::Point::After);
                self.jump(pc, jump)?;
            }
            Instr::BrIfNez { cond, jump } | Instr::BrIfEqz { cond, jump } => {
                let reg = self.read(cond);
                let nonzero = matches!(instr, Instr::BrIfNez { .. });
                let test = Test::Zero {
                    size: Size::W,
                    reg,
                    nonzero,
                };
                self.branch(test, pc, jump)?;
            }
            Instr::BrTable { index, len } => self.br_table(pc, index, len)?,
            Instr::Return {} => self.return_(None),
            Instr::ReturnSlot { src } => {
                let src = self.read(src);
                self.return_(Some(src));
            }
            Instr::Call { func, base } => self.call(pc, func, base)?,
            Instr::CallIndirect {
                base,
                index,
                table,
                type_index,
            } => self.call_indirect(pc, base, index, table, type_index)?,
            Instr::ConsumeFuel { amount } => {
                if self.env.fuel {
                    self.consume_fuel(pc, amount)?;
                }
            }
            Instr::MemorySize { dst } => {
                self.note_memory_use();
                let dst = self.write(dst);
                self.emit(crate::lsr_imm(Size::X, dst, super::MEM_LEN, 16));
            }
            Instr::GlobalGet { dst, global } => {
                self.global_address(global);
                let dst = self.write(dst);
                self.emit_access(crate::ldr(MemSize::X, dst, Addr::base(TMP0)));
            }
            Instr::GlobalSet { src, global } => {
                let src = self.read(src);
                self.global_address(global);
                self.emit_access(crate::str(MemSize::X, src, Addr::base(TMP0)));
            }
            Instr::I32Add { dst, a, b } => {
                self.int_binop(Size::W, IntOp::Add, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32AddImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::Add, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32Sub { dst, a, b } => {
                self.int_binop(Size::W, IntOp::Sub, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32SubImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::Sub, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32Mul { dst, a, b } => {
                self.int_binop(Size::W, IntOp::Mul, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32MulImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::Mul, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32DivS { dst, a, b } => {
                self.int_binop(Size::W, IntOp::DivS, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32DivSImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::DivS, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32DivU { dst, a, b } => {
                self.int_binop(Size::W, IntOp::DivU, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32DivUImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::DivU, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32RemS { dst, a, b } => {
                self.int_binop(Size::W, IntOp::RemS, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32RemSImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::RemS, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32RemU { dst, a, b } => {
                self.int_binop(Size::W, IntOp::RemU, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32RemUImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::RemU, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32And { dst, a, b } => {
                self.int_binop(Size::W, IntOp::And, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32AndImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::And, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32Or { dst, a, b } => {
                self.int_binop(Size::W, IntOp::Or, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32OrImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::Or, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32Xor { dst, a, b } => {
                self.int_binop(Size::W, IntOp::Xor, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32XorImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::Xor, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32Shl { dst, a, b } => {
                self.int_binop(Size::W, IntOp::Shl, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32ShlImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::Shl, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32ShrS { dst, a, b } => {
                self.int_binop(Size::W, IntOp::ShrS, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32ShrSImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::ShrS, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32ShrU { dst, a, b } => {
                self.int_binop(Size::W, IntOp::ShrU, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32ShrUImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::ShrU, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32Rotl { dst, a, b } => {
                self.int_binop(Size::W, IntOp::Rotl, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32RotlImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::Rotl, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32Rotr { dst, a, b } => {
                self.int_binop(Size::W, IntOp::Rotr, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I32RotrImm { dst, a, imm } => {
                self.int_binop(Size::W, IntOp::Rotr, dst, a, Rhs::imm(Size::W, imm), pc)?
            }
            Instr::I32Eq { dst, a, b } => self.int_compare(Size::W, Cond::Eq, dst, a, Rhs::Slot(b)),
            Instr::I32EqImm { dst, a, imm } => {
                self.int_compare(Size::W, Cond::Eq, dst, a, Rhs::imm(Size::W, imm))
            }
            Instr::I32Ne { dst, a, b } => self.int_compare(Size::W, Cond::Ne, dst, a, Rhs::Slot(b)),
            Instr::I32NeImm { dst, a, imm } => {
                self.int_compare(Size::W, Cond::Ne, dst, a, Rhs::imm(Size::W, imm))
            }
            Instr::I32LtS { dst, a, b } => {
                self.int_compare(Size::W, Cond::Lt, dst, a, Rhs::Slot(b))
            }
            Instr::I32LtSImm { dst, a, imm } => {
                self.int_compare(Size::W, Cond::Lt, dst, a, Rhs::imm(Size::W, imm))
            }
            Instr::I32LtU { dst, a, b } => {
                self.int_compare(Size::W, Cond::Lo, dst, a, Rhs::Slot(b))
            }
            Instr::I32LtUImm { dst, a, imm } => {
                self.int_compare(Size::W, Cond::Lo, dst, a, Rhs::imm(Size::W, imm))
            }
            Instr::I32GtS { dst, a, b } => {
                self.int_compare(Size::W, Cond::Gt, dst, a, Rhs::Slot(b))
            }
            Instr::I32GtSImm { dst, a, imm } => {
                self.int_compare(Size::W, Cond::Gt, dst, a, Rhs::imm(Size::W, imm))
            }
            Instr::I32GtU { dst, a, b } => {
                self.int_compare(Size::W, Cond::Hi, dst, a, Rhs::Slot(b))
            }
            Instr::I32GtUImm { dst, a, imm } => {
                self.int_compare(Size::W, Cond::Hi, dst, a, Rhs::imm(Size::W, imm))
            }
            Instr::I32LeS { dst, a, b } => {
                self.int_compare(Size::W, Cond::Le, dst, a, Rhs::Slot(b))
            }
            Instr::I32LeSImm { dst, a, imm } => {
                self.int_compare(Size::W, Cond::Le, dst, a, Rhs::imm(Size::W, imm))
            }
            Instr::I32LeU { dst, a, b } => {
                self.int_compare(Size::W, Cond::Ls, dst, a, Rhs::Slot(b))
            }
            Instr::I32LeUImm { dst, a, imm } => {
                self.int_compare(Size::W, Cond::Ls, dst, a, Rhs::imm(Size::W, imm))
            }
            Instr::I32GeS { dst, a, b } => {
                self.int_compare(Size::W, Cond::Ge, dst, a, Rhs::Slot(b))
            }
            Instr::I32GeSImm { dst, a, imm } => {
                self.int_compare(Size::W, Cond::Ge, dst, a, Rhs::imm(Size::W, imm))
            }
            Instr::I32GeU { dst, a, b } => {
                self.int_compare(Size::W, Cond::Hs, dst, a, Rhs::Slot(b))
            }
            Instr::I32GeUImm { dst, a, imm } => {
                self.int_compare(Size::W, Cond::Hs, dst, a, Rhs::imm(Size::W, imm))
            }
            Instr::I32Eqz { dst, src } => self.int_unop(Size::W, IntUnop::Eqz, dst, src),
            Instr::I32Clz { dst, src } => self.int_unop(Size::W, IntUnop::Clz, dst, src),
            Instr::I32Ctz { dst, src } => self.int_unop(Size::W, IntUnop::Ctz, dst, src),
            Instr::I32Popcnt { dst, src } => self.int_unop(Size::W, IntUnop::Popcnt, dst, src),
            Instr::I32Extend8S { dst, src } => self.int_unop(Size::W, IntUnop::Extend8S, dst, src),
            Instr::I32Extend16S { dst, src } => {
                self.int_unop(Size::W, IntUnop::Extend16S, dst, src)
            }
            Instr::I64Add { dst, a, b } => {
                self.int_binop(Size::X, IntOp::Add, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64AddImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::Add, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64Sub { dst, a, b } => {
                self.int_binop(Size::X, IntOp::Sub, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64SubImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::Sub, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64Mul { dst, a, b } => {
                self.int_binop(Size::X, IntOp::Mul, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64MulImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::Mul, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64DivS { dst, a, b } => {
                self.int_binop(Size::X, IntOp::DivS, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64DivSImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::DivS, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64DivU { dst, a, b } => {
                self.int_binop(Size::X, IntOp::DivU, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64DivUImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::DivU, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64RemS { dst, a, b } => {
                self.int_binop(Size::X, IntOp::RemS, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64RemSImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::RemS, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64RemU { dst, a, b } => {
                self.int_binop(Size::X, IntOp::RemU, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64RemUImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::RemU, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64And { dst, a, b } => {
                self.int_binop(Size::X, IntOp::And, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64AndImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::And, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64Or { dst, a, b } => {
                self.int_binop(Size::X, IntOp::Or, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64OrImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::Or, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64Xor { dst, a, b } => {
                self.int_binop(Size::X, IntOp::Xor, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64XorImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::Xor, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64Shl { dst, a, b } => {
                self.int_binop(Size::X, IntOp::Shl, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64ShlImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::Shl, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64ShrS { dst, a, b } => {
                self.int_binop(Size::X, IntOp::ShrS, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64ShrSImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::ShrS, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64ShrU { dst, a, b } => {
                self.int_binop(Size::X, IntOp::ShrU, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64ShrUImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::ShrU, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64Rotl { dst, a, b } => {
                self.int_binop(Size::X, IntOp::Rotl, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64RotlImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::Rotl, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64Rotr { dst, a, b } => {
                self.int_binop(Size::X, IntOp::Rotr, dst, a, Rhs::Slot(b), pc)?
            }
            Instr::I64RotrImm { dst, a, imm } => {
                self.int_binop(Size::X, IntOp::Rotr, dst, a, Rhs::imm(Size::X, imm), pc)?
            }
            Instr::I64Eq { dst, a, b } => self.int_compare(Size::X, Cond::Eq, dst, a, Rhs::Slot(b)),
            Instr::I64EqImm { dst, a, imm } => {
                self.int_compare(Size::X, Cond::Eq, dst, a, Rhs::imm(Size::X, imm))
            }
            Instr::I64Ne { dst, a, b } => self.int_compare(Size::X, Cond::Ne, dst, a, Rhs::Slot(b)),
            Instr::I64NeImm { dst, a, imm } => {
                self.int_compare(Size::X, Cond::Ne, dst, a, Rhs::imm(Size::X, imm))
            }
            Instr::I64LtS { dst, a, b } => {
                self.int_compare(Size::X, Cond::Lt, dst, a, Rhs::Slot(b))
            }
            Instr::I64LtSImm { dst, a, imm } => {
                self.int_compare(Size::X, Cond::Lt, dst, a, Rhs::imm(Size::X, imm))
            }
            Instr::I64LtU { dst, a, b } => {
                self.int_compare(Size::X, Cond::Lo, dst, a, Rhs::Slot(b))
            }
            Instr::I64LtUImm { dst, a, imm } => {
                self.int_compare(Size::X, Cond::Lo, dst, a, Rhs::imm(Size::X, imm))
            }
            Instr::I64GtS { dst, a, b } => {
                self.int_compare(Size::X, Cond::Gt, dst, a, Rhs::Slot(b))
            }
            Instr::I64GtSImm { dst, a, imm } => {
                self.int_compare(Size::X, Cond::Gt, dst, a, Rhs::imm(Size::X, imm))
            }
            Instr::I64GtU { dst, a, b } => {
                self.int_compare(Size::X, Cond::Hi, dst, a, Rhs::Slot(b))
            }
            Instr::I64GtUImm { dst, a, imm } => {
                self.int_compare(Size::X, Cond::Hi, dst, a, Rhs::imm(Size::X, imm))
            }
            Instr::I64LeS { dst, a, b } => {
                self.int_compare(Size::X, Cond::Le, dst, a, Rhs::Slot(b))
            }
            Instr::I64LeSImm { dst, a, imm } => {
                self.int_compare(Size::X, Cond::Le, dst, a, Rhs::imm(Size::X, imm))
            }
            Instr::I64LeU { dst, a, b } => {
                self.int_compare(Size::X, Cond::Ls, dst, a, Rhs::Slot(b))
            }
            Instr::I64LeUImm { dst, a, imm } => {
                self.int_compare(Size::X, Cond::Ls, dst, a, Rhs::imm(Size::X, imm))
            }
            Instr::I64GeS { dst, a, b } => {
                self.int_compare(Size::X, Cond::Ge, dst, a, Rhs::Slot(b))
            }
            Instr::I64GeSImm { dst, a, imm } => {
                self.int_compare(Size::X, Cond::Ge, dst, a, Rhs::imm(Size::X, imm))
            }
            Instr::I64GeU { dst, a, b } => {
                self.int_compare(Size::X, Cond::Hs, dst, a, Rhs::Slot(b))
            }
            Instr::I64GeUImm { dst, a, imm } => {
                self.int_compare(Size::X, Cond::Hs, dst, a, Rhs::imm(Size::X, imm))
            }
            Instr::I64Eqz { dst, src } => self.int_unop(Size::X, IntUnop::Eqz, dst, src),
            Instr::I64Clz { dst, src } => self.int_unop(Size::X, IntUnop::Clz, dst, src),
            Instr::I64Ctz { dst, src } => self.int_unop(Size::X, IntUnop::Ctz, dst, src),
            Instr::I64Popcnt { dst, src } => self.int_unop(Size::X, IntUnop::Popcnt, dst, src),
            Instr::I64Extend8S { dst, src } => self.int_unop(Size::X, IntUnop::Extend8S, dst, src),
            Instr::I64Extend16S { dst, src } => {
                self.int_unop(Size::X, IntUnop::Extend16S, dst, src)
            }
            Instr::I64Extend32S { dst, src } => {
                self.int_unop(Size::X, IntUnop::Extend32S, dst, src)
            }
            Instr::I32WrapI64 { dst, src } => self.int_unop(Size::W, IntUnop::Wrap, dst, src),
            Instr::I64ExtendI32S { dst, src } => {
                self.int_unop(Size::X, IntUnop::Extend32S, dst, src)
            }
            Instr::I64ExtendI32U { dst, src } => self.int_unop(Size::W, IntUnop::Wrap, dst, src),
            Instr::F32Add { dst, a, b } => self.fp_binop(FpSize::S, FpOp::Add, dst, a, b),
            Instr::F32Sub { dst, a, b } => self.fp_binop(FpSize::S, FpOp::Sub, dst, a, b),
            Instr::F32Mul { dst, a, b } => self.fp_binop(FpSize::S, FpOp::Mul, dst, a, b),
            Instr::F32Div { dst, a, b } => self.fp_binop(FpSize::S, FpOp::Div, dst, a, b),
            Instr::F32Min { dst, a, b } => self.fp_binop(FpSize::S, FpOp::Min, dst, a, b),
            Instr::F32Max { dst, a, b } => self.fp_binop(FpSize::S, FpOp::Max, dst, a, b),
            Instr::F32Copysign { dst, a, b } => self.fp_copysign(FpSize::S, dst, a, b),
            Instr::F32Eq { dst, a, b } => self.fp_compare(FpSize::S, Cond::Eq, dst, a, b),
            Instr::F32Ne { dst, a, b } => self.fp_compare(FpSize::S, Cond::Ne, dst, a, b),
            Instr::F32Lt { dst, a, b } => self.fp_compare(FpSize::S, Cond::Mi, dst, a, b),
            Instr::F32Gt { dst, a, b } => self.fp_compare(FpSize::S, Cond::Gt, dst, a, b),
            Instr::F32Le { dst, a, b } => self.fp_compare(FpSize::S, Cond::Ls, dst, a, b),
            Instr::F32Ge { dst, a, b } => self.fp_compare(FpSize::S, Cond::Ge, dst, a, b),
            Instr::F32Abs { dst, src } => self.fp_unop(FpSize::S, FpUnop::Abs, dst, src),
            Instr::F32Neg { dst, src } => self.fp_unop(FpSize::S, FpUnop::Neg, dst, src),
            Instr::F32Ceil { dst, src } => self.fp_unop(FpSize::S, FpUnop::Ceil, dst, src),
            Instr::F32Floor { dst, src } => self.fp_unop(FpSize::S, FpUnop::Floor, dst, src),
            Instr::F32Trunc { dst, src } => self.fp_unop(FpSize::S, FpUnop::Trunc, dst, src),
            Instr::F32Nearest { dst, src } => self.fp_unop(FpSize::S, FpUnop::Nearest, dst, src),
            Instr::F32Sqrt { dst, src } => self.fp_unop(FpSize::S, FpUnop::Sqrt, dst, src),
            Instr::F64Add { dst, a, b } => self.fp_binop(FpSize::D, FpOp::Add, dst, a, b),
            Instr::F64Sub { dst, a, b } => self.fp_binop(FpSize::D, FpOp::Sub, dst, a, b),
            Instr::F64Mul { dst, a, b } => self.fp_binop(FpSize::D, FpOp::Mul, dst, a, b),
            Instr::F64Div { dst, a, b } => self.fp_binop(FpSize::D, FpOp::Div, dst, a, b),
            Instr::F64Min { dst, a, b } => self.fp_binop(FpSize::D, FpOp::Min, dst, a, b),
            Instr::F64Max { dst, a, b } => self.fp_binop(FpSize::D, FpOp::Max, dst, a, b),
            Instr::F64Copysign { dst, a, b } => self.fp_copysign(FpSize::D, dst, a, b),
            Instr::F64Eq { dst, a, b } => self.fp_compare(FpSize::D, Cond::Eq, dst, a, b),
            Instr::F64Ne { dst, a, b } => self.fp_compare(FpSize::D, Cond::Ne, dst, a, b),
            Instr::F64Lt { dst, a, b } => self.fp_compare(FpSize::D, Cond::Mi, dst, a, b),
            Instr::F64Gt { dst, a, b } => self.fp_compare(FpSize::D, Cond::Gt, dst, a, b),
            Instr::F64Le { dst, a, b } => self.fp_compare(FpSize::D, Cond::Ls, dst, a, b),
            Instr::F64Ge { dst, a, b } => self.fp_compare(FpSize::D, Cond::Ge, dst, a, b),
            Instr::F64Abs { dst, src } => self.fp_unop(FpSize::D, FpUnop::Abs, dst, src),
            Instr::F64Neg { dst, src } => self.fp_unop(FpSize::D, FpUnop::Neg, dst, src),
            Instr::F64Ceil { dst, src } => self.fp_unop(FpSize::D, FpUnop::Ceil, dst, src),
            Instr::F64Floor { dst, src } => self.fp_unop(FpSize::D, FpUnop::Floor, dst, src),
            Instr::F64Trunc { dst, src } => self.fp_unop(FpSize::D, FpUnop::Trunc, dst, src),
            Instr::F64Nearest { dst, src } => self.fp_unop(FpSize::D, FpUnop::Nearest, dst, src),
            Instr::F64Sqrt { dst, src } => self.fp_unop(FpSize::D, FpUnop::Sqrt, dst, src),
            Instr::I32TruncF32S { dst, src } => {
                self.fp_truncate(Size::W, FpSize::S, true, dst, src, Some(pc))?
            }
            Instr::I32TruncSatF32S { dst, src } => {
                self.fp_truncate(Size::W, FpSize::S, true, dst, src, None)?
            }
            Instr::F32ConvertI32S { dst, src } => {
                self.fp_convert(FpSize::S, Size::W, true, dst, src)
            }
            Instr::I32TruncF32U { dst, src } => {
                self.fp_truncate(Size::W, FpSize::S, false, dst, src, Some(pc))?
            }
            Instr::I32TruncSatF32U { dst, src } => {
                self.fp_truncate(Size::W, FpSize::S, false, dst, src, None)?
            }
            Instr::F32ConvertI32U { dst, src } => {
                self.fp_convert(FpSize::S, Size::W, false, dst, src)
            }
            Instr::I32TruncF64S { dst, src } => {
                self.fp_truncate(Size::W, FpSize::D, true, dst, src, Some(pc))?
            }
            Instr::I32TruncSatF64S { dst, src } => {
                self.fp_truncate(Size::W, FpSize::D, true, dst, src, None)?
            }
            Instr::F64ConvertI32S { dst, src } => {
                self.fp_convert(FpSize::D, Size::W, true, dst, src)
            }
            Instr::I32TruncF64U { dst, src } => {
                self.fp_truncate(Size::W, FpSize::D, false, dst, src, Some(pc))?
            }
            Instr::I32TruncSatF64U { dst, src } => {
                self.fp_truncate(Size::W, FpSize::D, false, dst, src, None)?
            }
            Instr::F64ConvertI32U { dst, src } => {
                self.fp_convert(FpSize::D, Size::W, false, dst, src)
            }
            Instr::I64TruncF32S { dst, src } => {
                self.fp_truncate(Size::X, FpSize::S, true, dst, src, Some(pc))?
            }
            Instr::I64TruncSatF32S { dst, src } => {
                self.fp_truncate(Size::X, FpSize::S, true, dst, src, None)?
            }
            Instr::F32ConvertI64S { dst, src } => {
                self.fp_convert(FpSize::S, Size::X, true, dst, src)
            }
            Instr::I64TruncF32U { dst, src } => {
                self.fp_truncate(Size::X, FpSize::S, false, dst, src, Some(pc))?
            }
            Instr::I64TruncSatF32U { dst, src } => {
                self.fp_truncate(Size::X, FpSize::S, false, dst, src, None)?
            }
            Instr::F32ConvertI64U { dst, src } => {
                self.fp_convert(FpSize::S, Size::X, false, dst, src)
            }
            Instr::I64TruncF64S { dst, src } => {
                self.fp_truncate(Size::X, FpSize::D, true, dst, src, Some(pc))?
            }
            Instr::I64TruncSatF64S { dst, src } => {
                self.fp_truncate(Size::X, FpSize::D, true, dst, src, None)?
            }
            Instr::F64ConvertI64S { dst, src } => {
                self.fp_convert(FpSize::D, Size::X, true, dst, src)
            }
            Instr::I64TruncF64U { dst, src } => {
                self.fp_truncate(Size::X, FpSize::D, false, dst, src, Some(pc))?
            }
            Instr::I64TruncSatF64U { dst, src } => {
                self.fp_truncate(Size::X, FpSize::D, false, dst, src, None)?
            }
            Instr::F64ConvertI64U { dst, src } => {
                self.fp_convert(FpSize::D, Size::X, false, dst, src)
            }
            Instr::F32DemoteF64 { dst, src } => self.fp_precision(FpSize::S, FpSize::D, dst, src),
            Instr::F64PromoteF32 { dst, src } => self.fp_precision(FpSize::D, FpSize::S, dst, src),
            Instr::I32Load { dst, addr, offset } => {
                self.load(MemSize::W, None, dst, addr, offset, pc)?
            }
            Instr::I64Load { dst, addr, offset } => {
                self.load(MemSize::X, None, dst, addr, offset, pc)?
            }
            Instr::I32Load8S { dst, addr, offset } => {
                self.load(MemSize::B, Some(Size::W), dst, addr, offset, pc)?
            }
            Instr::I32Load8U { dst, addr, offset } => {
                self.load(MemSize::B, None, dst, addr, offset, pc)?
            }
            Instr::I32Load16S { dst, addr, offset } => {
                self.load(MemSize::H, Some(Size::W), dst, addr, offset, pc)?
            }
            Instr::I32Load16U { dst, addr, offset } => {
                self.load(MemSize::H, None, dst, addr, offset, pc)?
            }
            Instr::I64Load8S { dst, addr, offset } => {
                self.load(MemSize::B, Some(Size::X), dst, addr, offset, pc)?
            }
            Instr::I64Load8U { dst, addr, offset } => {
                self.load(MemSize::B, None, dst, addr, offset, pc)?
            }
            Instr::I64Load16S { dst, addr, offset } => {
                self.load(MemSize::H, Some(Size::X), dst, addr, offset, pc)?
            }
            Instr::I64Load16U { dst, addr, offset } => {
                self.load(MemSize::H, None, dst, addr, offset, pc)?
            }
            Instr::I64Load32S { dst, addr, offset } => {
                self.load(MemSize::W, Some(Size::X), dst, addr, offset, pc)?
            }
            Instr::I64Load32U { dst, addr, offset } => {
                self.load(MemSize::W, None, dst, addr, offset, pc)?
            }
            Instr::I32Store { addr, src, offset } => {
                self.store(MemSize::W, addr, src, offset, pc)?
            }
            Instr::I64Store { addr, src, offset } => {
                self.store(MemSize::X, addr, src, offset, pc)?
            }
            Instr::I32Store8 { addr, src, offset } => {
                self.store(MemSize::B, addr, src, offset, pc)?
            }
            Instr::I32Store16 { addr, src, offset } => {
                self.store(MemSize::H, addr, src, offset, pc)?
            }
            Instr::I64Store32 { addr, src, offset } => {
                self.store(MemSize::W, addr, src, offset, pc)?
            }
            _ => self.exec(pc)?,
        }
        Ok(())
    }
}
