//! Integer instructions: moves and constants, `select`, `i32`/`i64`
//! arithmetic (with the division traps), comparisons and fused
//! compare-and-branch.

use ember_core::TrapCode;
use ember_core::ir::{Instr, Slot};
use ember_core::jit::JitError;

use super::Compiler;
use super::cache::{Loc, Reg};
use crate::{AluOp, Cond, Gpr, Mem, ShiftOp, Size};

/// The second operand of a binary operation or comparison.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rhs {
    Slot(Slot),
    /// Sign-extended to the operation's width.
    Imm(i32),
}

/// What a binary integer instruction computes.
#[derive(Debug, Clone, Copy)]
enum BinOp {
    Alu(AluOp),
    Mul,
    Shift(ShiftOp),
    DivS,
    DivU,
    RemS,
    RemU,
}

/// `(width, a, b, condition, jump)` of a fused compare-and-branch.
pub(crate) fn fused_branch(instr: &Instr) -> Option<(Size, Slot, Rhs, Cond, i32)> {
    use Instr as I;
    use Rhs::{Imm, Slot as S};
    use Size::{S32, S64};
    Some(match *instr {
        I::BrI32Eq { a, b, jump } => (S32, a, S(b), Cond::E, jump),
        I::BrI32Ne { a, b, jump } => (S32, a, S(b), Cond::Ne, jump),
        I::BrI32LtS { a, b, jump } => (S32, a, S(b), Cond::L, jump),
        I::BrI32LtU { a, b, jump } => (S32, a, S(b), Cond::B, jump),
        I::BrI32GtS { a, b, jump } => (S32, a, S(b), Cond::G, jump),
        I::BrI32GtU { a, b, jump } => (S32, a, S(b), Cond::A, jump),
        I::BrI32LeS { a, b, jump } => (S32, a, S(b), Cond::Le, jump),
        I::BrI32LeU { a, b, jump } => (S32, a, S(b), Cond::Be, jump),
        I::BrI32GeS { a, b, jump } => (S32, a, S(b), Cond::Ge, jump),
        I::BrI32GeU { a, b, jump } => (S32, a, S(b), Cond::Ae, jump),
        I::BrI32EqImm { a, imm, jump } => (S32, a, Imm(imm), Cond::E, jump),
        I::BrI32NeImm { a, imm, jump } => (S32, a, Imm(imm), Cond::Ne, jump),
        I::BrI32LtSImm { a, imm, jump } => (S32, a, Imm(imm), Cond::L, jump),
        I::BrI32LtUImm { a, imm, jump } => (S32, a, Imm(imm), Cond::B, jump),
        I::BrI32GtSImm { a, imm, jump } => (S32, a, Imm(imm), Cond::G, jump),
        I::BrI32GtUImm { a, imm, jump } => (S32, a, Imm(imm), Cond::A, jump),
        I::BrI32LeSImm { a, imm, jump } => (S32, a, Imm(imm), Cond::Le, jump),
        I::BrI32LeUImm { a, imm, jump } => (S32, a, Imm(imm), Cond::Be, jump),
        I::BrI32GeSImm { a, imm, jump } => (S32, a, Imm(imm), Cond::Ge, jump),
        I::BrI32GeUImm { a, imm, jump } => (S32, a, Imm(imm), Cond::Ae, jump),
        I::BrI64Eq { a, b, jump } => (S64, a, S(b), Cond::E, jump),
        I::BrI64Ne { a, b, jump } => (S64, a, S(b), Cond::Ne, jump),
        I::BrI64LtS { a, b, jump } => (S64, a, S(b), Cond::L, jump),
        I::BrI64LtU { a, b, jump } => (S64, a, S(b), Cond::B, jump),
        I::BrI64GtS { a, b, jump } => (S64, a, S(b), Cond::G, jump),
        I::BrI64GtU { a, b, jump } => (S64, a, S(b), Cond::A, jump),
        I::BrI64LeS { a, b, jump } => (S64, a, S(b), Cond::Le, jump),
        I::BrI64LeU { a, b, jump } => (S64, a, S(b), Cond::Be, jump),
        I::BrI64GeS { a, b, jump } => (S64, a, S(b), Cond::Ge, jump),
        I::BrI64GeU { a, b, jump } => (S64, a, S(b), Cond::Ae, jump),
        I::BrI64EqImm { a, imm, jump } => (S64, a, Imm(imm), Cond::E, jump),
        I::BrI64NeImm { a, imm, jump } => (S64, a, Imm(imm), Cond::Ne, jump),
        I::BrI64LtSImm { a, imm, jump } => (S64, a, Imm(imm), Cond::L, jump),
        I::BrI64LtUImm { a, imm, jump } => (S64, a, Imm(imm), Cond::B, jump),
        I::BrI64GtSImm { a, imm, jump } => (S64, a, Imm(imm), Cond::G, jump),
        I::BrI64GtUImm { a, imm, jump } => (S64, a, Imm(imm), Cond::A, jump),
        I::BrI64LeSImm { a, imm, jump } => (S64, a, Imm(imm), Cond::Le, jump),
        I::BrI64LeUImm { a, imm, jump } => (S64, a, Imm(imm), Cond::Be, jump),
        I::BrI64GeSImm { a, imm, jump } => (S64, a, Imm(imm), Cond::Ge, jump),
        I::BrI64GeUImm { a, imm, jump } => (S64, a, Imm(imm), Cond::Ae, jump),
        _ => return None,
    })
}

/// `(width, dst, a, b, condition)` of a comparison producing 0 or 1.
fn compare_op(instr: &Instr) -> Option<(Size, Slot, Slot, Rhs, Cond)> {
    use Instr as I;
    use Rhs::{Imm, Slot as S};
    use Size::{S32, S64};
    Some(match *instr {
        I::I32Eqz { dst, src } => (S32, dst, src, Imm(0), Cond::E),
        I::I64Eqz { dst, src } => (S64, dst, src, Imm(0), Cond::E),
        I::I32Eq { dst, a, b } => (S32, dst, a, S(b), Cond::E),
        I::I32Ne { dst, a, b } => (S32, dst, a, S(b), Cond::Ne),
        I::I32LtS { dst, a, b } => (S32, dst, a, S(b), Cond::L),
        I::I32LtU { dst, a, b } => (S32, dst, a, S(b), Cond::B),
        I::I32GtS { dst, a, b } => (S32, dst, a, S(b), Cond::G),
        I::I32GtU { dst, a, b } => (S32, dst, a, S(b), Cond::A),
        I::I32LeS { dst, a, b } => (S32, dst, a, S(b), Cond::Le),
        I::I32LeU { dst, a, b } => (S32, dst, a, S(b), Cond::Be),
        I::I32GeS { dst, a, b } => (S32, dst, a, S(b), Cond::Ge),
        I::I32GeU { dst, a, b } => (S32, dst, a, S(b), Cond::Ae),
        I::I32EqImm { dst, a, imm } => (S32, dst, a, Imm(imm), Cond::E),
        I::I32NeImm { dst, a, imm } => (S32, dst, a, Imm(imm), Cond::Ne),
        I::I32LtSImm { dst, a, imm } => (S32, dst, a, Imm(imm), Cond::L),
        I::I32LtUImm { dst, a, imm } => (S32, dst, a, Imm(imm), Cond::B),
        I::I32GtSImm { dst, a, imm } => (S32, dst, a, Imm(imm), Cond::G),
        I::I32GtUImm { dst, a, imm } => (S32, dst, a, Imm(imm), Cond::A),
        I::I32LeSImm { dst, a, imm } => (S32, dst, a, Imm(imm), Cond::Le),
        I::I32LeUImm { dst, a, imm } => (S32, dst, a, Imm(imm), Cond::Be),
        I::I32GeSImm { dst, a, imm } => (S32, dst, a, Imm(imm), Cond::Ge),
        I::I32GeUImm { dst, a, imm } => (S32, dst, a, Imm(imm), Cond::Ae),
        I::I64Eq { dst, a, b } => (S64, dst, a, S(b), Cond::E),
        I::I64Ne { dst, a, b } => (S64, dst, a, S(b), Cond::Ne),
        I::I64LtS { dst, a, b } => (S64, dst, a, S(b), Cond::L),
        I::I64LtU { dst, a, b } => (S64, dst, a, S(b), Cond::B),
        I::I64GtS { dst, a, b } => (S64, dst, a, S(b), Cond::G),
        I::I64GtU { dst, a, b } => (S64, dst, a, S(b), Cond::A),
        I::I64LeS { dst, a, b } => (S64, dst, a, S(b), Cond::Le),
        I::I64LeU { dst, a, b } => (S64, dst, a, S(b), Cond::Be),
        I::I64GeS { dst, a, b } => (S64, dst, a, S(b), Cond::Ge),
        I::I64GeU { dst, a, b } => (S64, dst, a, S(b), Cond::Ae),
        I::I64EqImm { dst, a, imm } => (S64, dst, a, Imm(imm), Cond::E),
        I::I64NeImm { dst, a, imm } => (S64, dst, a, Imm(imm), Cond::Ne),
        I::I64LtSImm { dst, a, imm } => (S64, dst, a, Imm(imm), Cond::L),
        I::I64LtUImm { dst, a, imm } => (S64, dst, a, Imm(imm), Cond::B),
        I::I64GtSImm { dst, a, imm } => (S64, dst, a, Imm(imm), Cond::G),
        I::I64GtUImm { dst, a, imm } => (S64, dst, a, Imm(imm), Cond::A),
        I::I64LeSImm { dst, a, imm } => (S64, dst, a, Imm(imm), Cond::Le),
        I::I64LeUImm { dst, a, imm } => (S64, dst, a, Imm(imm), Cond::Be),
        I::I64GeSImm { dst, a, imm } => (S64, dst, a, Imm(imm), Cond::Ge),
        I::I64GeUImm { dst, a, imm } => (S64, dst, a, Imm(imm), Cond::Ae),
        _ => return None,
    })
}

/// `(operation, width, dst, a, b)` of a binary arithmetic instruction.
fn binary_op(instr: &Instr) -> Option<(BinOp, Size, Slot, Slot, Rhs)> {
    use BinOp::*;
    use Instr as I;
    use Rhs::{Imm, Slot as S};
    use Size::{S32, S64};
    let (add, sub, and, or, xor) = (
        Alu(AluOp::Add),
        Alu(AluOp::Sub),
        Alu(AluOp::And),
        Alu(AluOp::Or),
        Alu(AluOp::Xor),
    );
    let (shl, shr_s, shr_u, rotl, rotr) = (
        Shift(ShiftOp::Shl),
        Shift(ShiftOp::Sar),
        Shift(ShiftOp::Shr),
        Shift(ShiftOp::Rol),
        Shift(ShiftOp::Ror),
    );
    Some(match *instr {
        I::I32Add { dst, a, b } => (add, S32, dst, a, S(b)),
        I::I32Sub { dst, a, b } => (sub, S32, dst, a, S(b)),
        I::I32Mul { dst, a, b } => (Mul, S32, dst, a, S(b)),
        I::I32DivS { dst, a, b } => (DivS, S32, dst, a, S(b)),
        I::I32DivU { dst, a, b } => (DivU, S32, dst, a, S(b)),
        I::I32RemS { dst, a, b } => (RemS, S32, dst, a, S(b)),
        I::I32RemU { dst, a, b } => (RemU, S32, dst, a, S(b)),
        I::I32And { dst, a, b } => (and, S32, dst, a, S(b)),
        I::I32Or { dst, a, b } => (or, S32, dst, a, S(b)),
        I::I32Xor { dst, a, b } => (xor, S32, dst, a, S(b)),
        I::I32Shl { dst, a, b } => (shl, S32, dst, a, S(b)),
        I::I32ShrS { dst, a, b } => (shr_s, S32, dst, a, S(b)),
        I::I32ShrU { dst, a, b } => (shr_u, S32, dst, a, S(b)),
        I::I32Rotl { dst, a, b } => (rotl, S32, dst, a, S(b)),
        I::I32Rotr { dst, a, b } => (rotr, S32, dst, a, S(b)),
        I::I32AddImm { dst, a, imm } => (add, S32, dst, a, Imm(imm)),
        I::I32SubImm { dst, a, imm } => (sub, S32, dst, a, Imm(imm)),
        I::I32MulImm { dst, a, imm } => (Mul, S32, dst, a, Imm(imm)),
        I::I32DivSImm { dst, a, imm } => (DivS, S32, dst, a, Imm(imm)),
        I::I32DivUImm { dst, a, imm } => (DivU, S32, dst, a, Imm(imm)),
        I::I32RemSImm { dst, a, imm } => (RemS, S32, dst, a, Imm(imm)),
        I::I32RemUImm { dst, a, imm } => (RemU, S32, dst, a, Imm(imm)),
        I::I32AndImm { dst, a, imm } => (and, S32, dst, a, Imm(imm)),
        I::I32OrImm { dst, a, imm } => (or, S32, dst, a, Imm(imm)),
        I::I32XorImm { dst, a, imm } => (xor, S32, dst, a, Imm(imm)),
        I::I32ShlImm { dst, a, imm } => (shl, S32, dst, a, Imm(imm)),
        I::I32ShrSImm { dst, a, imm } => (shr_s, S32, dst, a, Imm(imm)),
        I::I32ShrUImm { dst, a, imm } => (shr_u, S32, dst, a, Imm(imm)),
        I::I32RotlImm { dst, a, imm } => (rotl, S32, dst, a, Imm(imm)),
        I::I32RotrImm { dst, a, imm } => (rotr, S32, dst, a, Imm(imm)),
        I::I64Add { dst, a, b } => (add, S64, dst, a, S(b)),
        I::I64Sub { dst, a, b } => (sub, S64, dst, a, S(b)),
        I::I64Mul { dst, a, b } => (Mul, S64, dst, a, S(b)),
        I::I64DivS { dst, a, b } => (DivS, S64, dst, a, S(b)),
        I::I64DivU { dst, a, b } => (DivU, S64, dst, a, S(b)),
        I::I64RemS { dst, a, b } => (RemS, S64, dst, a, S(b)),
        I::I64RemU { dst, a, b } => (RemU, S64, dst, a, S(b)),
        I::I64And { dst, a, b } => (and, S64, dst, a, S(b)),
        I::I64Or { dst, a, b } => (or, S64, dst, a, S(b)),
        I::I64Xor { dst, a, b } => (xor, S64, dst, a, S(b)),
        I::I64Shl { dst, a, b } => (shl, S64, dst, a, S(b)),
        I::I64ShrS { dst, a, b } => (shr_s, S64, dst, a, S(b)),
        I::I64ShrU { dst, a, b } => (shr_u, S64, dst, a, S(b)),
        I::I64Rotl { dst, a, b } => (rotl, S64, dst, a, S(b)),
        I::I64Rotr { dst, a, b } => (rotr, S64, dst, a, S(b)),
        I::I64AddImm { dst, a, imm } => (add, S64, dst, a, Imm(imm)),
        I::I64SubImm { dst, a, imm } => (sub, S64, dst, a, Imm(imm)),
        I::I64MulImm { dst, a, imm } => (Mul, S64, dst, a, Imm(imm)),
        I::I64DivSImm { dst, a, imm } => (DivS, S64, dst, a, Imm(imm)),
        I::I64DivUImm { dst, a, imm } => (DivU, S64, dst, a, Imm(imm)),
        I::I64RemSImm { dst, a, imm } => (RemS, S64, dst, a, Imm(imm)),
        I::I64RemUImm { dst, a, imm } => (RemU, S64, dst, a, Imm(imm)),
        I::I64AndImm { dst, a, imm } => (and, S64, dst, a, Imm(imm)),
        I::I64OrImm { dst, a, imm } => (or, S64, dst, a, Imm(imm)),
        I::I64XorImm { dst, a, imm } => (xor, S64, dst, a, Imm(imm)),
        I::I64ShlImm { dst, a, imm } => (shl, S64, dst, a, Imm(imm)),
        I::I64ShrSImm { dst, a, imm } => (shr_s, S64, dst, a, Imm(imm)),
        I::I64ShrUImm { dst, a, imm } => (shr_u, S64, dst, a, Imm(imm)),
        I::I64RotlImm { dst, a, imm } => (rotl, S64, dst, a, Imm(imm)),
        I::I64RotrImm { dst, a, imm } => (rotr, S64, dst, a, Imm(imm)),
        _ => return None,
    })
}

/// The slots an integer instruction (other than a fused branch) uses.
pub(crate) fn int_operands(instr: &Instr) -> Option<alloc::vec::Vec<Slot>> {
    use Instr as I;
    let with_rhs = |mut v: alloc::vec::Vec<Slot>, rhs: Rhs| {
        if let Rhs::Slot(b) = rhs {
            v.push(b);
        }
        v
    };
    if let Some((_, dst, a, rhs, _)) = compare_op(instr) {
        return Some(with_rhs(alloc::vec![dst, a], rhs));
    }
    if let Some((_, _, dst, a, rhs)) = binary_op(instr) {
        return Some(with_rhs(alloc::vec![dst, a], rhs));
    }
    Some(match *instr {
        I::Const32 { dst, .. } | I::Const64 { dst, .. } => alloc::vec![dst],
        I::Select { dst, cond, a, b } => alloc::vec![dst, cond, a, b],
        I::I32Clz { dst, src }
        | I::I64Clz { dst, src }
        | I::I32Ctz { dst, src }
        | I::I64Ctz { dst, src }
        | I::I32Popcnt { dst, src }
        | I::I64Popcnt { dst, src }
        | I::I32Extend8S { dst, src }
        | I::I32Extend16S { dst, src }
        | I::I64Extend8S { dst, src }
        | I::I64Extend16S { dst, src }
        | I::I64Extend32S { dst, src }
        | I::I64ExtendI32S { dst, src }
        | I::I32WrapI64 { dst, src }
        | I::I64ExtendI32U { dst, src } => alloc::vec![dst, src],
        _ => return None,
    })
}

impl Compiler<'_, '_> {
    /// Compiles `instr` if it is an integer instruction.
    pub(crate) fn int(&mut self, instr: &Instr) -> Result<bool, JitError> {
        if let Some((size, a, rhs, cond, jump)) = fused_branch(instr) {
            self.compare(size, a, rhs);
            self.branch(jump, Some(cond));
            return Ok(true);
        }
        if let Some((size, dst, a, rhs, cond)) = compare_op(instr) {
            self.compare(size, a, rhs);
            let rd = self.dst_gpr(dst, &[]);
            self.asm.setcc(cond, rd);
            self.asm.movzx_rr(Size::S32, Size::S8, rd, rd);
            self.bind_gpr(dst, rd);
            return Ok(true);
        }
        if let Some((op, size, dst, a, rhs)) = binary_op(instr) {
            self.binary(op, size, dst, a, rhs);
            return Ok(true);
        }
        use Instr as I;
        match *instr {
            I::Copy { dst, src } => self.copy(dst, src),
            I::Const32 { dst, imm } => self.constant(dst, imm.into()),
            I::Const64 { dst, lo, hi } => {
                self.constant(dst, (u64::from(hi) << 32 | u64::from(lo)) as i64)
            }
            I::Select { dst, cond, a, b } => {
                let rc = self.gpr_of(cond);
                let la = self.gpr_loc(a);
                let lb = self.gpr_loc(b);
                let rd = self.dst_gpr(dst, &[cond, a]);
                self.mov_from(Size::S64, rd, lb);
                self.asm.test_rr(Size::S32, rc, rc);
                match la {
                    Loc::Reg(r) => self.asm.cmov_rr(Cond::Ne, Size::S64, rd, r),
                    Loc::Mem(m) => self.asm.cmov_rm(Cond::Ne, Size::S64, rd, m),
                }
                self.bind_gpr(dst, rd);
            }
            I::I32Clz { dst, src } => self.bit_scan(Size::S32, dst, src, true),
            I::I64Clz { dst, src } => self.bit_scan(Size::S64, dst, src, true),
            I::I32Ctz { dst, src } => self.bit_scan(Size::S32, dst, src, false),
            I::I64Ctz { dst, src } => self.bit_scan(Size::S64, dst, src, false),
            I::I32Popcnt { dst, src } | I::I64Popcnt { dst, src } => {
                let size = if matches!(instr, I::I32Popcnt { .. }) {
                    Size::S32
                } else {
                    Size::S64
                };
                let ls = self.gpr_loc(src);
                let rd = self.dst_gpr(dst, &[]);
                match ls {
                    Loc::Reg(r) => self.asm.popcnt_rr(size, rd, r),
                    Loc::Mem(m) => self.asm.popcnt_rm(size, rd, m),
                }
                self.bind_gpr(dst, rd);
            }
            I::I32Extend8S { dst, src } => self.extend(dst, src, Size::S32, Size::S8, true),
            I::I32Extend16S { dst, src } => self.extend(dst, src, Size::S32, Size::S16, true),
            I::I64Extend8S { dst, src } => self.extend(dst, src, Size::S64, Size::S8, true),
            I::I64Extend16S { dst, src } => self.extend(dst, src, Size::S64, Size::S16, true),
            I::I64Extend32S { dst, src } | I::I64ExtendI32S { dst, src } => {
                self.extend(dst, src, Size::S64, Size::S32, true)
            }
            I::I32WrapI64 { dst, src } | I::I64ExtendI32U { dst, src } => {
                self.extend(dst, src, Size::S64, Size::S32, false)
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `mov dst, loc` of `size`.
    pub(crate) fn mov_from(&mut self, size: Size, dst: Gpr, loc: Loc<Gpr>) {
        match loc {
            Loc::Reg(r) => self.asm.mov_rr(size, dst, r),
            Loc::Mem(m) => self.asm.mov_rm(size, dst, m),
        }
    }

    /// `cmp a, rhs` at `size` (for equality with zero, `test`).
    pub(crate) fn compare(&mut self, size: Size, a: Slot, rhs: Rhs) {
        let ra = self.gpr_of(a);
        match rhs {
            // `test r, r` sets the flags exactly as `cmp r, 0` does.
            Rhs::Imm(0) => self.asm.test_rr(size, ra, ra),
            Rhs::Imm(imm) => self.asm.alu_ri(AluOp::Cmp, size, ra, imm),
            Rhs::Slot(b) => match self.gpr_loc(b) {
                Loc::Reg(rb) => self.asm.alu_rr(AluOp::Cmp, size, ra, rb),
                Loc::Mem(m) => self.asm.alu_rm(AluOp::Cmp, size, ra, m),
            },
        }
    }

    fn copy(&mut self, dst: Slot, src: Slot) {
        if dst == src {
            return;
        }
        self.unwide(src);
        match self.cache.find(src) {
            Some(Reg::X(_)) => {
                let xs = self.xmm_of(src);
                let xd = self.dst_xmm(dst, &[]);
                self.asm.movaps_xx(xd, xs);
                self.bind_xmm(dst, xd);
            }
            Some(Reg::G(_)) => {
                let rs = self.gpr_of(src);
                let rd = self.dst_gpr(dst, &[]);
                self.asm.mov_rr(Size::S64, rd, rs);
                self.bind_gpr(dst, rd);
            }
            Some(Reg::V(_)) | None => {
                let rd = self.dst_gpr(dst, &[]);
                self.asm.mov_rm(Size::S64, rd, super::slot_mem(src));
                self.bind_gpr(dst, rd);
            }
        }
    }

    fn constant(&mut self, dst: Slot, value: i64) {
        let rd = self.dst_gpr(dst, &[]);
        if value == 0 {
            self.asm.alu_rr(AluOp::Xor, Size::S32, rd, rd);
        } else {
            self.asm.mov_ri(Size::S64, rd, value);
        }
        self.bind_gpr(dst, rd);
    }

    fn extend(&mut self, dst: Slot, src: Slot, to: Size, from: Size, signed: bool) {
        let ls = self.gpr_loc(src);
        let rd = self.dst_gpr(dst, &[]);
        match (ls, signed, from) {
            (Loc::Reg(r), true, _) => self.asm.movsx_rr(to, from, rd, r),
            (Loc::Mem(m), true, _) => self.asm.movsx_rm(to, from, rd, m),
            // Zero-extension from 32 bits is a 32-bit move.
            (Loc::Reg(r), false, Size::S32) => self.asm.mov_rr(Size::S32, rd, r),
            (Loc::Mem(m), false, Size::S32) => self.asm.mov_rm(Size::S32, rd, m),
            (Loc::Reg(r), false, _) => self.asm.movzx_rr(Size::S32, from, rd, r),
            (Loc::Mem(m), false, _) => self.asm.movzx_rm(Size::S32, from, rd, m),
        }
        self.bind_gpr(dst, rd);
    }

    /// `clz` (`leading`) or `ctz` with `bsr`/`bsf`, which leave the
    /// result undefined for zero: that case is patched with `cmov`.
    fn bit_scan(&mut self, size: Size, dst: Slot, src: Slot, leading: bool) {
        let bits = if size == Size::S32 { 32 } else { 64 };
        let ls = self.gpr_loc(src);
        let rd = self.dst_gpr(dst, &[]);
        if leading {
            // clz = (bits - 1) - bsr, with bsr(0) taken as -1.
            self.asm.mov_ri(Size::S64, Gpr::Rcx, -1);
            match ls {
                Loc::Reg(r) => self.asm.bsr_rr(size, Gpr::Rax, r),
                Loc::Mem(m) => self.asm.bsr_rm(size, Gpr::Rax, m),
            }
            self.asm.cmov_rr(Cond::E, size, Gpr::Rax, Gpr::Rcx);
            self.asm.mov_ri(Size::S32, rd, bits - 1);
            self.asm.alu_rr(AluOp::Sub, size, rd, Gpr::Rax);
        } else {
            self.asm.mov_ri(Size::S32, Gpr::Rcx, bits);
            match ls {
                Loc::Reg(r) => self.asm.bsf_rr(size, rd, r),
                Loc::Mem(m) => self.asm.bsf_rm(size, rd, m),
            }
            self.asm.cmov_rr(Cond::E, size, rd, Gpr::Rcx);
        }
        self.bind_gpr(dst, rd);
    }

    /// The register to compute `dst = a op ...` in: `a`'s own register
    /// when `dst == a`, else a copy of it.
    fn two_address(&mut self, size: Size, dst: Slot, a: Slot, rhs: Rhs) -> Gpr {
        let ra = self.gpr_of(a);
        if dst == a {
            ra
        } else {
            let keep: &[Slot] = match &rhs {
                Rhs::Slot(b) => core::slice::from_ref(b),
                Rhs::Imm(_) => &[],
            };
            let rd = self.dst_gpr(dst, keep);
            self.asm.mov_rr(size, rd, ra);
            rd
        }
    }

    fn binary(&mut self, op: BinOp, size: Size, dst: Slot, a: Slot, rhs: Rhs) {
        match op {
            BinOp::DivS | BinOp::DivU | BinOp::RemS | BinOp::RemU => {
                self.divide(op, size, dst, a, rhs)
            }
            BinOp::Shift(shift) => {
                let count = match rhs {
                    Rhs::Imm(imm) => Some(imm as u8 & if size == Size::S32 { 31 } else { 63 }),
                    Rhs::Slot(b) => {
                        let lb = self.gpr_loc(b);
                        self.mov_from(Size::S32, Gpr::Rcx, lb);
                        None
                    }
                };
                let rd = self.two_address(size, dst, a, rhs);
                match count {
                    Some(0) => {}
                    Some(n) => self.asm.shift_ri(shift, size, rd, n),
                    None => self.asm.shift_cl(shift, size, rd),
                }
                self.bind_gpr(dst, rd);
            }
            BinOp::Alu(alu) => {
                let lb = match rhs {
                    Rhs::Slot(b) => Some(self.gpr_loc(b)),
                    Rhs::Imm(_) => None,
                };
                let rd = match rhs {
                    // dst = a +/- imm in one `lea`.
                    Rhs::Imm(imm)
                        if dst != a
                            && (alu == AluOp::Add || alu == AluOp::Sub && imm != i32::MIN) =>
                    {
                        let ra = self.gpr_of(a);
                        let rd = self.dst_gpr(dst, &[]);
                        let disp = if alu == AluOp::Add {
                            imm
                        } else {
                            imm.wrapping_neg()
                        };
                        self.asm.lea(size, rd, Mem::base_disp(ra, disp));
                        self.bind_gpr(dst, rd);
                        return;
                    }
                    _ => self.two_address(size, dst, a, rhs),
                };
                match (rhs, lb) {
                    (Rhs::Imm(imm), _) => self.asm.alu_ri(alu, size, rd, imm),
                    (_, Some(Loc::Reg(rb))) => self.asm.alu_rr(alu, size, rd, rb),
                    (_, Some(Loc::Mem(m))) => self.asm.alu_rm(alu, size, rd, m),
                    (_, None) => {}
                }
                self.bind_gpr(dst, rd);
            }
            BinOp::Mul => match rhs {
                Rhs::Imm(imm) => {
                    let ra = self.gpr_of(a);
                    let rd = if dst == a { ra } else { self.dst_gpr(dst, &[]) };
                    self.asm.imul_rri(size, rd, ra, imm);
                    self.bind_gpr(dst, rd);
                }
                Rhs::Slot(b) => {
                    let lb = self.gpr_loc(b);
                    let rd = self.two_address(size, dst, a, rhs);
                    match lb {
                        Loc::Reg(rb) => self.asm.imul_rr(size, rd, rb),
                        Loc::Mem(m) => self.asm.imul_rm(size, rd, m),
                    }
                    self.bind_gpr(dst, rd);
                }
            },
        }
    }

    /// Division and remainder, with Wasm's traps: by zero, and the
    /// overflow of `MIN / -1` (whose remainder is 0).
    fn divide(&mut self, op: BinOp, size: Size, dst: Slot, a: Slot, rhs: Rhs) {
        let signed = matches!(op, BinOp::DivS | BinOp::RemS);
        let rem = matches!(op, BinOp::RemS | BinOp::RemU);
        // Divisors known at compile time.
        if let Rhs::Imm(imm) = rhs {
            let value = if size == Size::S32 {
                u64::from(imm as u32)
            } else {
                imm as i64 as u64
            };
            if imm == 0 {
                self.trap_always(TrapCode::IntegerDivisionByZero);
                return;
            }
            if !signed && value.is_power_of_two() {
                let rd = self.two_address(size, dst, a, rhs);
                if rem {
                    // A power of two below 2^31: the mask fits in an imm32.
                    self.asm.alu_ri(AluOp::And, size, rd, (value - 1) as i32);
                } else if value > 1 {
                    self.asm
                        .shift_ri(ShiftOp::Shr, size, rd, value.trailing_zeros() as u8);
                }
                self.bind_gpr(dst, rd);
                return;
            }
        }
        let ra = self.gpr_of(a);
        let divisor = match rhs {
            Rhs::Slot(b) => self.gpr_of(b),
            Rhs::Imm(imm) => {
                self.asm.mov_ri(size, Gpr::Rcx, imm.into());
                Gpr::Rcx
            }
        };
        self.asm.mov_rr(size, Gpr::Rax, ra);
        let imm = match rhs {
            Rhs::Imm(imm) => Some(imm),
            Rhs::Slot(_) => None,
        };
        if imm.is_none() {
            self.asm.test_rr(size, divisor, divisor);
            self.trap_if(Cond::E, TrapCode::IntegerDivisionByZero);
        }
        let done = self.asm.new_label();
        if signed && imm.is_none_or(|i| i == -1) {
            let normal = self.asm.new_label();
            self.asm.alu_ri(AluOp::Cmp, size, divisor, -1);
            self.asm.jcc(Cond::Ne, normal);
            if rem {
                // MIN % -1 == 0 (and x % -1 == 0 for every x).
                self.asm.alu_rr(AluOp::Xor, Size::S32, Gpr::Rdx, Gpr::Rdx);
                self.asm.jmp(done);
            } else {
                // `rax - 1` overflows exactly when rax is MIN.
                self.asm.alu_ri(AluOp::Cmp, size, Gpr::Rax, 1);
                self.trap_if(Cond::O, TrapCode::IntegerOverflow);
            }
            self.asm.bind(normal);
        }
        if signed {
            if size == Size::S32 {
                self.asm.cdq();
            } else {
                self.asm.cqo();
            }
            self.asm.idiv_r(size, divisor);
        } else {
            self.asm.alu_rr(AluOp::Xor, Size::S32, Gpr::Rdx, Gpr::Rdx);
            self.asm.div_r(size, divisor);
        }
        self.asm.bind(done);
        let rd = self.dst_gpr(dst, &[]);
        let result = if rem { Gpr::Rdx } else { Gpr::Rax };
        self.asm.mov_rr(size, rd, result);
        self.bind_gpr(dst, rd);
    }
}
