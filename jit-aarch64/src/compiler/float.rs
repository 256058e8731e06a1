//! Floating-point instructions: arithmetic (A64's `fmin`/`fmax` and
//! `frintn` already have Wasm's NaN, ±0 and ties-to-even rules), sign
//! operations on the raw bits, comparisons, and conversions — the trapping
//! float-to-int forms check NaN and range explicitly, since `fcvtz*`
//! saturates (which is exactly the `trunc_sat` forms).

use ember_core::TrapCode;
use ember_core::ir::Slot;

use super::{Compiler, Result, TMP0, TMP1, Test};
use crate::LogicalImm;
use crate::regs::{Cond, FpSize, Size, V0, V1};

/// A binary float operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FpOp {
    Add,
    Sub,
    Mul,
    Div,
    Min,
    Max,
}

/// A unary float operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FpUnop {
    Abs,
    Neg,
    Ceil,
    Floor,
    Trunc,
    Nearest,
    Sqrt,
}

fn gpr_size(size: FpSize) -> Size {
    match size {
        FpSize::S => Size::W,
        FpSize::D => Size::X,
    }
}

fn sign_bit(size: FpSize) -> u64 {
    match size {
        FpSize::S => 1 << 31,
        FpSize::D => 1 << 63,
    }
}

fn magnitude_mask(size: FpSize) -> u64 {
    sign_bit(size) - 1
}

/// `2^n` (no_std has no `powi`).
fn pow2(n: i32) -> f64 {
    f64::from_bits(((1023 + n) as u64) << 52)
}

/// The bits of `value` as a float of `size`.
fn float_bits(size: FpSize, value: f64) -> u64 {
    match size {
        FpSize::S => u64::from((value as f32).to_bits()),
        FpSize::D => value.to_bits(),
    }
}

impl Compiler<'_> {
    pub(super) fn fp_binop(&mut self, size: FpSize, op: FpOp, dst: Slot, a: Slot, b: Slot) {
        let a = self.fp_read(a, V0);
        let b = self.fp_read(b, V1);
        let encode = match op {
            FpOp::Add => crate::fadd,
            FpOp::Sub => crate::fsub,
            FpOp::Mul => crate::fmul,
            FpOp::Div => crate::fdiv,
            FpOp::Min => crate::fmin,
            FpOp::Max => crate::fmax,
        };
        let dst = self.fp_write(dst);
        self.emit(encode(size, dst.v, a, b));
        self.fp_commit(dst, size);
    }

    /// `dst = a <cond> b` after `fcmp a, b` (0 or 1; false for NaN except
    /// `!=`).
    pub(super) fn fp_compare(&mut self, size: FpSize, cond: Cond, dst: Slot, a: Slot, b: Slot) {
        let a = self.fp_read(a, V0);
        let b = self.fp_read(b, V1);
        self.emit(crate::fcmp(size, a, b));
        let dst = self.write(dst);
        self.emit(crate::cset(Size::W, dst, cond));
    }

    /// `copysign` on the bits.
    pub(super) fn fp_copysign(&mut self, size: FpSize, dst: Slot, a: Slot, b: Slot) {
        let int = gpr_size(size);
        let a = self.read(a);
        let b = self.read(b);
        let magnitude = LogicalImm::new(magnitude_mask(size), int).expect("a run of ones");
        let sign = LogicalImm::new(sign_bit(size), int).expect("one bit");
        self.emit(crate::and_imm(int, TMP0, a, magnitude));
        self.emit(crate::and_imm(int, TMP1, b, sign));
        let dst = self.write(dst);
        self.emit(crate::orr(int, dst, TMP0, TMP1));
    }

    /// Unary operations; `abs` and `neg` only change the sign bit (A64's
    /// `fabs`/`fneg` never touch a NaN's payload, as Wasm asks).
    pub(super) fn fp_unop(&mut self, size: FpSize, op: FpUnop, dst: Slot, src: Slot) {
        let src = self.fp_read(src, V0);
        let encode = match op {
            FpUnop::Ceil => crate::frintp,
            FpUnop::Floor => crate::frintm,
            FpUnop::Trunc => crate::frintz,
            FpUnop::Nearest => crate::frintn,
            FpUnop::Sqrt => crate::fsqrt,
            FpUnop::Abs => crate::fabs,
            FpUnop::Neg => crate::fneg,
        };
        let dst = self.fp_write(dst);
        self.emit(encode(size, dst.v, src));
        self.fp_commit(dst, size);
    }

    /// `f32.demote_f64` / `f64.promote_f32`.
    pub(super) fn fp_precision(&mut self, to: FpSize, from: FpSize, dst: Slot, src: Slot) {
        let src = self.fp_read(src, V0);
        let dst = self.fp_write(dst);
        self.emit(crate::fcvt(to, dst.v, from, src));
        self.fp_commit(dst, to);
    }

    /// Integer to float (`convert`), rounding to nearest.
    pub(super) fn fp_convert(&mut self, fp: FpSize, int: Size, signed: bool, dst: Slot, src: Slot) {
        let src = self.read(src);
        let encode = if signed { crate::scvtf } else { crate::ucvtf };
        let dst = self.fp_write(dst);
        self.emit(encode(fp, dst.v, int, src));
        self.fp_commit(dst, fp);
    }

    /// Float to integer toward zero: trapping at `trap_pc` when given
    /// (NaN, or a result out of range), else saturating.
    pub(super) fn fp_truncate(
        &mut self,
        int: Size,
        fp: FpSize,
        signed: bool,
        dst: Slot,
        src: Slot,
        trap_pc: Option<u32>,
    ) -> Result {
        let src = self.fp_read(src, V0);
        if let Some(pc) = trap_pc {
            self.emit(crate::fcmp(fp, src, src));
            self.trap_if(Test::Flags(Cond::Vs), TrapCode::BadConversionToInteger, pc)?;
            let bits = int.bits() as i32;
            // The open or closed lower bound and the open upper bound of
            // the values whose truncation fits.
            let (lower, lower_inclusive, upper) = if !signed {
                (-1.0, false, pow2(bits))
            } else if int == Size::W && fp == FpSize::D {
                (-pow2(31) - 1.0, false, pow2(31))
            } else {
                (-pow2(bits - 1), true, pow2(bits - 1))
            };
            self.fp_constant(fp, upper);
            self.emit(crate::fcmp(fp, src, V1));
            self.trap_if(Test::Flags(Cond::Ge), TrapCode::IntegerOverflow, pc)?;
            self.fp_constant(fp, lower);
            self.emit(crate::fcmp(fp, src, V1));
            let below = if lower_inclusive { Cond::Lt } else { Cond::Le };
            self.trap_if(Test::Flags(below), TrapCode::IntegerOverflow, pc)?;
        }
        let encode = if signed { crate::fcvtzs } else { crate::fcvtzu };
        let dst = self.write(dst);
        self.emit(encode(int, dst, fp, src));
        Ok(())
    }

    /// `v1` = `value` as a float of `size`.
    fn fp_constant(&mut self, size: FpSize, value: f64) {
        let bits = float_bits(size, value);
        match size {
            FpSize::S => self.emit_all(&crate::mov_imm32(TMP0, bits as u32)),
            FpSize::D => self.emit_all(&crate::mov_imm64(TMP0, bits)),
        }
        self.emit(crate::fmov_from_gpr(size, V1, TMP0));
    }
}
