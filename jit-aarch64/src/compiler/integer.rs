//! Integer instructions: arithmetic with register or immediate operands,
//! division and remainder with Wasm's traps, comparisons, bit counting and
//! extensions.

use ember_core::TrapCode;
use ember_core::ir::Slot;

use ember_core::jit::status_of_trap;

use super::{Compiler, Result, StubStatus, TMP0, TMP1, Test};
use crate::regs::{Cond, FpSize, Reg, Size, V0};
use crate::{AddImm, LogicalImm};

/// The right operand of a binary operation or comparison.
#[derive(Debug, Clone, Copy)]
pub(super) enum Rhs {
    Slot(Slot),
    /// An immediate, already truncated to the operation width.
    Imm(u64),
}

impl Rhs {
    /// The IR immediate `imm` for an operation of `size` (sign-extended
    /// for 64 bits).
    pub(super) fn imm(size: Size, imm: i32) -> Rhs {
        Rhs::Imm(match size {
            Size::W => u64::from(imm as u32),
            Size::X => imm as i64 as u64,
        })
    }
}

/// A binary integer operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IntOp {
    Add,
    Sub,
    Mul,
    DivS,
    DivU,
    RemS,
    RemU,
    And,
    Or,
    Xor,
    Shl,
    ShrS,
    ShrU,
    Rotl,
    Rotr,
}

/// A unary integer operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IntUnop {
    Eqz,
    Clz,
    Ctz,
    Popcnt,
    Extend8S,
    Extend16S,
    /// Sign-extends the low 32 bits to 64.
    Extend32S,
    /// Zero-extends the low 32 bits (wrap, extend_u).
    Wrap,
}

fn width_mask(size: Size) -> u64 {
    match size {
        Size::W => 0xffff_ffff,
        Size::X => u64::MAX,
    }
}

impl Compiler<'_> {
    /// A register holding `rhs` (immediates go to `x17`).
    fn rhs_reg(&mut self, size: Size, rhs: Rhs) -> Reg {
        match rhs {
            Rhs::Slot(slot) => self.read(slot),
            Rhs::Imm(value) => {
                match size {
                    Size::W => self.emit_all(&crate::mov_imm32(TMP1, value as u32)),
                    Size::X => self.emit_all(&crate::mov_imm64(TMP1, value)),
                }
                TMP1
            }
        }
    }

    /// Sets the flags to `a - rhs`.
    pub(super) fn compare(&mut self, size: Size, a: Slot, rhs: Rhs) {
        let a = self.read(a);
        if let Rhs::Imm(value) = rhs
            && let Some(imm) = AddImm::new(value)
        {
            self.emit(crate::cmp_imm(size, a, imm));
            return;
        }
        let b = self.rhs_reg(size, rhs);
        self.emit(crate::cmp(size, a, b));
    }

    /// `dst = a <cond> rhs` (0 or 1).
    pub(super) fn int_compare(&mut self, size: Size, cond: Cond, dst: Slot, a: Slot, rhs: Rhs) {
        self.compare(size, a, rhs);
        let dst = self.write(dst);
        self.emit(crate::cset(Size::W, dst, cond));
    }

    /// `dst = a <op> rhs`, trapping at `pc` for division by zero and
    /// signed overflow.
    pub(super) fn int_binop(
        &mut self,
        size: Size,
        op: IntOp,
        dst: Slot,
        a: Slot,
        rhs: Rhs,
        pc: u32,
    ) -> Result {
        let bits = size.bits() as u64;
        if let Rhs::Imm(value) = rhs
            && self.int_binop_imm(size, op, dst, a, value, bits)
        {
            return Ok(());
        }
        match op {
            IntOp::DivS | IntOp::DivU | IntOp::RemS | IntOp::RemU => {
                return self.division(size, op, dst, a, rhs, pc);
            }
            _ => {}
        }
        let a = self.read(a);
        let b = self.rhs_reg(size, rhs);
        let word = match op {
            IntOp::Add => crate::add(size, TMP0, a, b),
            IntOp::Sub => crate::sub(size, TMP0, a, b),
            IntOp::Mul => crate::mul(size, TMP0, a, b),
            IntOp::And => crate::and(size, TMP0, a, b),
            IntOp::Or => crate::orr(size, TMP0, a, b),
            IntOp::Xor => crate::eor(size, TMP0, a, b),
            IntOp::Shl => crate::lsl(size, TMP0, a, b),
            IntOp::ShrS => crate::asr(size, TMP0, a, b),
            IntOp::ShrU => crate::lsr(size, TMP0, a, b),
            IntOp::Rotr => crate::ror(size, TMP0, a, b),
            IntOp::Rotl => {
                // rotl(a, b) = rotr(a, -b); the count is taken modulo the
                // width.
                self.emit(crate::neg(size, TMP0, b));
                crate::ror(size, TMP0, a, TMP0)
            }
            IntOp::DivS | IntOp::DivU | IntOp::RemS | IntOp::RemU => unreachable!(),
        };
        // Write straight into the destination: every operand is read by
        // this last instruction.
        let dst = self.write(dst);
        self.emit(retarget(word, dst));
        Ok(())
    }

    /// The immediate forms that need no register for the constant;
    /// `false` when `op` with `value` has none.
    fn int_binop_imm(
        &mut self,
        size: Size,
        op: IntOp,
        dst: Slot,
        a: Slot,
        value: u64,
        bits: u64,
    ) -> bool {
        let negated = value.wrapping_neg() & width_mask(size);
        let amount = (value % bits) as u8;
        match op {
            IntOp::Add | IntOp::Sub => {
                let (value, negated) = if op == IntOp::Add {
                    (value, negated)
                } else {
                    (negated, value)
                };
                let (subtract, imm) = match (AddImm::new(value), AddImm::new(negated)) {
                    (Some(imm), _) => (false, imm),
                    (None, Some(imm)) => (true, imm),
                    (None, None) => return false,
                };
                let a = self.read(a);
                let dst = self.write(dst);
                self.emit(if subtract {
                    crate::sub_imm(size, dst, a, imm)
                } else {
                    crate::add_imm(size, dst, a, imm)
                });
                true
            }
            IntOp::And | IntOp::Or | IntOp::Xor => {
                let Some(imm) = LogicalImm::new(value, size) else {
                    return false;
                };
                let a = self.read(a);
                let dst = self.write(dst);
                self.emit(match op {
                    IntOp::And => crate::and_imm(size, dst, a, imm),
                    IntOp::Or => crate::orr_imm(size, dst, a, imm),
                    _ => crate::eor_imm(size, dst, a, imm),
                });
                true
            }
            IntOp::Shl | IntOp::ShrS | IntOp::ShrU | IntOp::Rotl | IntOp::Rotr => {
                let a = self.read(a);
                let dst = self.write(dst);
                self.emit(match op {
                    IntOp::Shl => crate::lsl_imm(size, dst, a, amount),
                    IntOp::ShrS => crate::asr_imm(size, dst, a, amount),
                    IntOp::ShrU => crate::lsr_imm(size, dst, a, amount),
                    IntOp::Rotr => crate::ror_imm(size, dst, a, amount),
                    _ => crate::ror_imm(size, dst, a, ((bits - u64::from(amount)) % bits) as u8),
                });
                true
            }
            _ => false,
        }
    }

    fn division(&mut self, size: Size, op: IntOp, dst: Slot, a: Slot, rhs: Rhs, pc: u32) -> Result {
        let signed = matches!(op, IntOp::DivS | IntOp::RemS);
        let (check_zero, check_overflow) = match rhs {
            Rhs::Imm(0) => {
                let status = status_of_trap(TrapCode::IntegerDivisionByZero);
                let stub = self.stub(pc, StubStatus::Fixed(status));
                self.asm.b(stub)?;
                return Ok(());
            }
            Rhs::Imm(value) => (false, op == IntOp::DivS && value == width_mask(size)),
            Rhs::Slot(_) => (true, op == IntOp::DivS),
        };
        let a = self.read(a);
        let b = self.rhs_reg(size, rhs);
        if check_zero {
            self.trap_if(
                Test::Zero {
                    size,
                    reg: b,
                    nonzero: false,
                },
                TrapCode::IntegerDivisionByZero,
                pc,
            )?;
        }
        if check_overflow {
            // b == -1 and a == MIN: `a - 1` overflows exactly for MIN.
            let one = AddImm::new(1).expect("1");
            self.emit(crate::cmn_imm(size, b, one));
            self.emit(crate::ccmp_imm(size, a, 1, 0, Cond::Eq));
            self.trap_if(Test::Flags(Cond::Vs), TrapCode::IntegerOverflow, pc)?;
        }
        let divide = if signed { crate::sdiv } else { crate::udiv };
        match op {
            IntOp::DivS | IntOp::DivU => {
                let dst = self.write(dst);
                self.emit(divide(size, dst, a, b));
            }
            _ => {
                // a - (a / b) * b; MIN % -1 is 0 since sdiv gives MIN.
                self.emit(divide(size, TMP0, a, b));
                let dst = self.write(dst);
                self.emit(crate::msub(size, dst, TMP0, b, a));
            }
        }
        Ok(())
    }

    pub(super) fn int_unop(&mut self, size: Size, op: IntUnop, dst: Slot, src: Slot) {
        let src = self.read(src);
        match op {
            IntUnop::Eqz => {
                self.emit(crate::cmp_imm(size, src, AddImm::new(0).expect("0")));
                let dst = self.write(dst);
                self.emit(crate::cset(Size::W, dst, Cond::Eq));
            }
            IntUnop::Clz => {
                let dst = self.write(dst);
                self.emit(crate::clz(size, dst, src));
            }
            IntUnop::Ctz => {
                self.emit(crate::rbit(size, TMP0, src));
                let dst = self.write(dst);
                self.emit(crate::clz(size, dst, TMP0));
            }
            IntUnop::Popcnt => {
                let fp = match size {
                    Size::W => FpSize::S,
                    Size::X => FpSize::D,
                };
                self.emit(crate::fmov_from_gpr(fp, V0, src));
                self.emit(crate::cnt_8b(V0, V0));
                self.emit(crate::addv_8b(V0, V0));
                let dst = self.write(dst);
                self.emit(crate::fmov_to_gpr(FpSize::S, dst, V0));
            }
            IntUnop::Extend8S => {
                let dst = self.write(dst);
                self.emit(crate::sxtb(size, dst, src));
            }
            IntUnop::Extend16S => {
                let dst = self.write(dst);
                self.emit(crate::sxth(size, dst, src));
            }
            IntUnop::Extend32S => {
                let dst = self.write(dst);
                self.emit(crate::sxtw(dst, src));
            }
            IntUnop::Wrap => {
                let dst = self.write(dst);
                self.emit(crate::mov(Size::W, dst, src));
            }
        }
    }
}

/// `word` (a data-processing instruction) with its destination register
/// field replaced by `rd`.
fn retarget(word: u32, rd: Reg) -> u32 {
    (word & !0x1f) | u32::from(rd.number())
}
