//! `f32`/`f64` instructions with Wasm's exact semantics: arithmetic,
//! `min`/`max` (NaN and signed-zero rules), rounding (SSE4.1), sign
//! operations as integer bit operations, comparisons, and conversions with
//! the trapping and saturating rules.

use ember_core::TrapCode;
use ember_core::ir::{Instr, Slot};
use ember_core::jit::JitError;

use super::Compiler;
use super::cache::Loc;
use super::pins::Class;
use crate::{AluOp, Cond, FloatSize, Gpr, LogicOp, RoundMode, ShiftOp, Size, SseOp, Xmm};

use FloatSize::{F32, F64};

/// Float-to-integer conversions: target width, signedness, saturation.
#[derive(Debug, Clone, Copy)]
struct Trunc {
    from: FloatSize,
    to: Size,
    signed: bool,
    saturating: bool,
}

impl Compiler<'_, '_> {
    /// Compiles `instr` if it is a float instruction.
    pub(crate) fn float(&mut self, instr: &Instr) -> Result<bool, JitError> {
        use Instr as I;
        match *instr {
            I::F32Add { dst, a, b } => self.float_binary(SseOp::Add, F32, dst, a, b),
            I::F32Sub { dst, a, b } => self.float_binary(SseOp::Sub, F32, dst, a, b),
            I::F32Mul { dst, a, b } => self.float_binary(SseOp::Mul, F32, dst, a, b),
            I::F32Div { dst, a, b } => self.float_binary(SseOp::Div, F32, dst, a, b),
            I::F64Add { dst, a, b } => self.float_binary(SseOp::Add, F64, dst, a, b),
            I::F64Sub { dst, a, b } => self.float_binary(SseOp::Sub, F64, dst, a, b),
            I::F64Mul { dst, a, b } => self.float_binary(SseOp::Mul, F64, dst, a, b),
            I::F64Div { dst, a, b } => self.float_binary(SseOp::Div, F64, dst, a, b),
            I::F32Min { dst, a, b } => self.min_max(F32, true, dst, a, b),
            I::F32Max { dst, a, b } => self.min_max(F32, false, dst, a, b),
            I::F64Min { dst, a, b } => self.min_max(F64, true, dst, a, b),
            I::F64Max { dst, a, b } => self.min_max(F64, false, dst, a, b),
            I::F32Sqrt { dst, src } => self.float_unary(F32, dst, src, None),
            I::F64Sqrt { dst, src } => self.float_unary(F64, dst, src, None),
            I::F32Ceil { dst, src } => self.float_unary(F32, dst, src, Some(RoundMode::Ceil)),
            I::F64Ceil { dst, src } => self.float_unary(F64, dst, src, Some(RoundMode::Ceil)),
            I::F32Floor { dst, src } => self.float_unary(F32, dst, src, Some(RoundMode::Floor)),
            I::F64Floor { dst, src } => self.float_unary(F64, dst, src, Some(RoundMode::Floor)),
            I::F32Trunc { dst, src } => self.float_unary(F32, dst, src, Some(RoundMode::Trunc)),
            I::F64Trunc { dst, src } => self.float_unary(F64, dst, src, Some(RoundMode::Trunc)),
            I::F32Nearest { dst, src } => self.float_unary(F32, dst, src, Some(RoundMode::Nearest)),
            I::F64Nearest { dst, src } => self.float_unary(F64, dst, src, Some(RoundMode::Nearest)),
            I::F32Abs { dst, src } => self.sign_op(F32, dst, src, None, false),
            I::F64Abs { dst, src } => self.sign_op(F64, dst, src, None, false),
            I::F32Neg { dst, src } => self.sign_op(F32, dst, src, None, true),
            I::F64Neg { dst, src } => self.sign_op(F64, dst, src, None, true),
            I::F32Copysign { dst, a, b } => self.sign_op(F32, dst, a, Some(b), false),
            I::F64Copysign { dst, a, b } => self.sign_op(F64, dst, a, Some(b), false),
            I::F32Eq { dst, a, b } => self.float_compare(F32, dst, a, b, 0),
            I::F32Ne { dst, a, b } => self.float_compare(F32, dst, a, b, 1),
            I::F32Lt { dst, a, b } => self.float_compare(F32, dst, b, a, 2),
            I::F32Gt { dst, a, b } => self.float_compare(F32, dst, a, b, 2),
            I::F32Le { dst, a, b } => self.float_compare(F32, dst, b, a, 3),
            I::F32Ge { dst, a, b } => self.float_compare(F32, dst, a, b, 3),
            I::F64Eq { dst, a, b } => self.float_compare(F64, dst, a, b, 0),
            I::F64Ne { dst, a, b } => self.float_compare(F64, dst, a, b, 1),
            I::F64Lt { dst, a, b } => self.float_compare(F64, dst, b, a, 2),
            I::F64Gt { dst, a, b } => self.float_compare(F64, dst, a, b, 2),
            I::F64Le { dst, a, b } => self.float_compare(F64, dst, b, a, 3),
            I::F64Ge { dst, a, b } => self.float_compare(F64, dst, a, b, 3),
            I::F32DemoteF64 { dst, src } => {
                let xs = self.xmm_of(src);
                let xd = self.dst_xmm(dst, &[src]);
                self.asm.logic_xx(LogicOp::Xor, F32, xd, xd);
                self.asm.cvtsd2ss_xx(xd, xs);
                self.bind_xmm(dst, xd);
            }
            I::F64PromoteF32 { dst, src } => {
                let xs = self.xmm_of(src);
                let xd = self.dst_xmm(dst, &[]);
                self.asm.cvtss2sd_xx(xd, xs);
                self.bind_xmm(dst, xd);
            }
            I::F32ConvertI32S { dst, src } => self.convert(F32, Size::S32, dst, src),
            I::F64ConvertI32S { dst, src } => self.convert(F64, Size::S32, dst, src),
            // A zero-extended u32 is a non-negative i64.
            I::F32ConvertI32U { dst, src } | I::F32ConvertI64S { dst, src } => {
                self.convert(F32, Size::S64, dst, src)
            }
            I::F64ConvertI32U { dst, src } | I::F64ConvertI64S { dst, src } => {
                self.convert(F64, Size::S64, dst, src)
            }
            I::F32ConvertI64U { dst, src } => self.convert_u64(F32, dst, src),
            I::F64ConvertI64U { dst, src } => self.convert_u64(F64, dst, src),
            _ => {
                let Some((dst, src, trunc)) = trunc_of(instr) else {
                    return Ok(false);
                };
                self.truncate(trunc, dst, src);
            }
        }
        Ok(true)
    }

    fn float_binary(&mut self, op: SseOp, size: FloatSize, dst: Slot, a: Slot, b: Slot) {
        let xa = self.xmm_of(a);
        let lb = self.xmm_loc(b);
        let xd = if dst == a {
            xa
        } else {
            let xd = self.dst_xmm(dst, &[b]);
            self.asm.movaps_xx(xd, xa);
            xd
        };
        match lb {
            Loc::Reg(xb) => self.asm.sse_xx(op, size, xd, xb),
            Loc::Mem(m) => self.asm.sse_xm(op, size, xd, m),
        }
        self.bind_xmm(dst, xd);
    }

    /// Wasm `min`/`max`: a NaN operand gives NaN, and `-0 < +0`.
    fn min_max(&mut self, size: FloatSize, min: bool, dst: Slot, a: Slot, b: Slot) {
        let xa = self.xmm_of(a);
        let xb = self.xmm_of(b);
        let xd = self.dst_xmm(dst, &[a, b]);
        let (not_equal, nan, done) = (
            self.asm.new_label(),
            self.asm.new_label(),
            self.asm.new_label(),
        );
        self.asm.movaps_xx(xd, xa);
        self.asm.ucomis_xx(size, xa, xb);
        self.asm.jcc(Cond::Ne, not_equal);
        self.asm.jcc(Cond::P, nan);
        // Equal: only the signs of zeros can differ.
        let logic = if min { LogicOp::Or } else { LogicOp::And };
        self.asm.logic_xx(logic, size, xd, xb);
        self.asm.jmp(done);
        self.asm.bind(nan);
        self.asm.sse_xx(SseOp::Add, size, xd, xb);
        self.asm.jmp(done);
        self.asm.bind(not_equal);
        let op = if min { SseOp::Min } else { SseOp::Max };
        self.asm.sse_xx(op, size, xd, xb);
        self.asm.bind(done);
        self.bind_xmm(dst, xd);
    }

    /// `sqrt` (`mode == None`) or a rounding.
    fn float_unary(&mut self, size: FloatSize, dst: Slot, src: Slot, mode: Option<RoundMode>) {
        let ls = self.xmm_loc(src);
        let xd = self.dst_xmm(dst, &[src]);
        // Both keep the upper lanes of `xd`: clear them (an f32's bits
        // 32..64 must be zero).
        self.asm.logic_xx(LogicOp::Xor, F32, xd, xd);
        match (ls, mode) {
            (Loc::Reg(xs), None) => self.asm.sse_xx(SseOp::Sqrt, size, xd, xs),
            (Loc::Mem(m), None) => self.asm.sse_xm(SseOp::Sqrt, size, xd, m),
            (Loc::Reg(xs), Some(mode)) => self.asm.rounds_xx(size, xd, xs, mode),
            (Loc::Mem(m), Some(mode)) => self.asm.rounds_xm(size, xd, m, mode),
        }
        self.bind_xmm(dst, xd);
    }

    /// `abs` (no `sign`, `negate` false), `neg` (`negate`) and `copysign`
    /// (`sign` given), as integer operations on the bits.
    fn sign_op(&mut self, size: FloatSize, dst: Slot, src: Slot, sign: Option<Slot>, negate: bool) {
        let ls = self.gpr_loc(src);
        let sign_src = sign.map(|s| self.gpr_loc(s));
        let keep: &[Slot] = match &sign {
            Some(s) => core::slice::from_ref(s),
            None => &[],
        };
        let rd = self.dst_gpr(dst, keep);
        match size {
            F32 => {
                self.mov_from(Size::S32, rd, ls);
                if negate {
                    self.asm.alu_ri(AluOp::Xor, Size::S32, rd, i32::MIN);
                } else {
                    self.asm.alu_ri(AluOp::And, Size::S32, rd, i32::MAX);
                }
                if let Some(ls) = sign_src {
                    self.mov_from(Size::S32, Gpr::Rax, ls);
                    self.asm.alu_ri(AluOp::And, Size::S32, Gpr::Rax, i32::MIN);
                    self.asm.alu_rr(AluOp::Or, Size::S32, rd, Gpr::Rax);
                }
            }
            F64 => {
                self.mov_from(Size::S64, rd, ls);
                if negate {
                    self.asm.mov_ri(Size::S64, Gpr::Rax, i64::MIN);
                    self.asm.alu_rr(AluOp::Xor, Size::S64, rd, Gpr::Rax);
                } else {
                    self.asm.shift_ri(ShiftOp::Shl, Size::S64, rd, 1);
                    self.asm.shift_ri(ShiftOp::Shr, Size::S64, rd, 1);
                }
                if let Some(ls) = sign_src {
                    self.mov_from(Size::S64, Gpr::Rax, ls);
                    self.asm.shift_ri(ShiftOp::Shr, Size::S64, Gpr::Rax, 63);
                    self.asm.shift_ri(ShiftOp::Shl, Size::S64, Gpr::Rax, 63);
                    self.asm.alu_rr(AluOp::Or, Size::S64, rd, Gpr::Rax);
                }
            }
        }
        self.bind_gpr(dst, rd);
    }

    /// Comparisons: `kind` 0 is `a == b`, 1 `a != b`, 2 `a > b`, 3
    /// `a >= b` (`lt`/`le` swap the operands). NaN compares unequal.
    fn float_compare(&mut self, size: FloatSize, dst: Slot, a: Slot, b: Slot, kind: u8) {
        let xa = self.xmm_of(a);
        let lb = self.xmm_loc(b);
        let rd = self.dst_gpr(dst, &[]);
        match lb {
            Loc::Reg(xb) => self.asm.ucomis_xx(size, xa, xb),
            Loc::Mem(m) => self.asm.ucomis_xm(size, xa, m),
        }
        match kind {
            0 => {
                self.asm.setcc(Cond::E, rd);
                self.asm.setcc(Cond::Np, Gpr::Rax);
                self.asm.alu_rr(AluOp::And, Size::S8, rd, Gpr::Rax);
            }
            1 => {
                self.asm.setcc(Cond::Ne, rd);
                self.asm.setcc(Cond::P, Gpr::Rax);
                self.asm.alu_rr(AluOp::Or, Size::S8, rd, Gpr::Rax);
            }
            // Unordered sets CF and ZF: `a`/`ae` are false for NaN.
            2 => self.asm.setcc(Cond::A, rd),
            _ => self.asm.setcc(Cond::Ae, rd),
        }
        self.asm.movzx_rr(Size::S32, Size::S8, rd, rd);
        self.bind_gpr(dst, rd);
    }

    /// Signed integer (of `int_size`) to float.
    fn convert(&mut self, size: FloatSize, int_size: Size, dst: Slot, src: Slot) {
        let ls = self.gpr_loc(src);
        let xd = self.dst_xmm(dst, &[]);
        self.asm.logic_xx(LogicOp::Xor, F32, xd, xd);
        match ls {
            Loc::Reg(r) => self.asm.cvtsi2s_xr(size, int_size, xd, r),
            Loc::Mem(m) => self.asm.cvtsi2s_xm(size, int_size, xd, m),
        }
        self.bind_xmm(dst, xd);
    }

    /// u64 to float: values with the top bit set are halved (keeping the
    /// low bit sticky, so rounding stays exact) and doubled back.
    fn convert_u64(&mut self, size: FloatSize, dst: Slot, src: Slot) {
        let ls = self.gpr_loc(src);
        let xd = self.dst_xmm(dst, &[]);
        let (big, done) = (self.asm.new_label(), self.asm.new_label());
        self.mov_from(Size::S64, Gpr::Rax, ls);
        self.asm.logic_xx(LogicOp::Xor, F32, xd, xd);
        self.asm.test_rr(Size::S64, Gpr::Rax, Gpr::Rax);
        self.asm.jcc(Cond::S, big);
        self.asm.cvtsi2s_xr(size, Size::S64, xd, Gpr::Rax);
        self.asm.jmp(done);
        self.asm.bind(big);
        self.asm.mov_rr(Size::S64, Gpr::Rcx, Gpr::Rax);
        self.asm.shift_ri(ShiftOp::Shr, Size::S64, Gpr::Rcx, 1);
        self.asm.alu_ri(AluOp::And, Size::S32, Gpr::Rax, 1);
        self.asm.alu_rr(AluOp::Or, Size::S64, Gpr::Rcx, Gpr::Rax);
        self.asm.cvtsi2s_xr(size, Size::S64, xd, Gpr::Rcx);
        self.asm.sse_xx(SseOp::Add, size, xd, xd);
        self.asm.bind(done);
        self.bind_xmm(dst, xd);
    }

    /// Loads the float constant with bits `bits` into `x` (through `rcx`).
    fn float_const(&mut self, size: FloatSize, x: Xmm, bits: u64) {
        match size {
            F32 => {
                self.asm.mov_ri(Size::S32, Gpr::Rcx, bits as i64);
                self.asm.movd_xr(Size::S32, x, Gpr::Rcx);
            }
            F64 => {
                self.asm.mov_ri(Size::S64, Gpr::Rcx, bits as i64);
                self.asm.movd_xr(Size::S64, x, Gpr::Rcx);
            }
        }
    }

    /// `2^exp` in `x`.
    fn power_of_two(&mut self, size: FloatSize, x: Xmm, exp: u32) {
        let bits = match size {
            F32 => u64::from((127 + exp) << 23),
            F64 => u64::from(1023 + exp) << 52,
        };
        self.float_const(size, x, bits);
    }

    /// Float to integer: the result goes to `rax` and then `dst`.
    fn truncate(&mut self, t: Trunc, dst: Slot, src: Slot) {
        let xs = self.xmm_of(src);
        let size = t.from;
        let done = self.asm.new_label();
        match (t.signed, t.to) {
            (true, to) => {
                // cvtt gives MIN for NaN and out-of-range values.
                self.asm.cvtts2si_rx(size, to, Gpr::Rax, xs);
                self.asm.alu_ri(AluOp::Cmp, to, Gpr::Rax, 1);
                self.asm.jcc(Cond::No, done);
                self.asm.ucomis_xx(size, xs, xs);
                if t.saturating {
                    let nan = self.asm.new_label();
                    self.asm.jcc(Cond::P, nan);
                    self.asm.logic_xx(LogicOp::Xor, F32, Xmm::Xmm0, Xmm::Xmm0);
                    self.asm.ucomis_xx(size, xs, Xmm::Xmm0);
                    self.asm.jcc(Cond::B, done);
                    let max = if to == Size::S32 {
                        i64::from(i32::MAX)
                    } else {
                        i64::MAX
                    };
                    self.asm.mov_ri(to, Gpr::Rax, max);
                    self.asm.jmp(done);
                    self.asm.bind(nan);
                    self.asm.alu_rr(AluOp::Xor, Size::S32, Gpr::Rax, Gpr::Rax);
                } else {
                    self.trap_if(Cond::P, TrapCode::BadConversionToInteger);
                    // MIN itself is in range: the input was at most MIN
                    // rounded toward zero.
                    let bits = if to == Size::S32 { 31 } else { 63 };
                    if size == F64 && to == Size::S32 {
                        // -2^31 - 1 is exact in f64; anything above it
                        // truncates to at least MIN.
                        self.float_const(F64, Xmm::Xmm0, (-2147483649.0f64).to_bits());
                        self.asm.ucomis_xx(size, xs, Xmm::Xmm0);
                        self.trap_if(Cond::Be, TrapCode::IntegerOverflow);
                    } else {
                        self.power_of_two(size, Xmm::Xmm0, bits);
                        self.asm.logic_xx(LogicOp::Xor, F32, Xmm::Xmm1, Xmm::Xmm1);
                        self.asm.sse_xx(SseOp::Sub, size, Xmm::Xmm1, Xmm::Xmm0);
                        self.asm.ucomis_xx(size, xs, Xmm::Xmm1);
                        self.trap_if(Cond::B, TrapCode::IntegerOverflow);
                    }
                    self.asm.logic_xx(LogicOp::Xor, F32, Xmm::Xmm0, Xmm::Xmm0);
                    self.asm.ucomis_xx(size, xs, Xmm::Xmm0);
                    self.trap_if(Cond::A, TrapCode::IntegerOverflow);
                }
            }
            (false, Size::S32) => {
                if t.saturating {
                    self.power_of_two(size, Xmm::Xmm0, 32);
                    self.asm.ucomis_xx(size, xs, Xmm::Xmm0);
                    self.asm.mov_ri(Size::S32, Gpr::Rax, -1);
                    self.asm.jcc(Cond::Ae, done);
                    self.asm.cvtts2si_rx(size, Size::S64, Gpr::Rax, xs);
                    self.asm.alu_rr(AluOp::Xor, Size::S32, Gpr::Rcx, Gpr::Rcx);
                    self.asm.test_rr(Size::S64, Gpr::Rax, Gpr::Rax);
                    self.asm.cmov_rr(Cond::S, Size::S64, Gpr::Rax, Gpr::Rcx);
                } else {
                    // In range exactly when the 64-bit truncation has a
                    // zero upper half (NaN gives 2^63).
                    self.asm.cvtts2si_rx(size, Size::S64, Gpr::Rax, xs);
                    self.asm.mov_rr(Size::S64, Gpr::Rcx, Gpr::Rax);
                    self.asm.shift_ri(ShiftOp::Shr, Size::S64, Gpr::Rcx, 32);
                    self.asm.jcc(Cond::E, done);
                    self.asm.ucomis_xx(size, xs, xs);
                    self.trap_if(Cond::P, TrapCode::BadConversionToInteger);
                    self.trap_always(TrapCode::IntegerOverflow);
                }
            }
            (false, _) => {
                let big = self.asm.new_label();
                self.power_of_two(size, Xmm::Xmm0, 63);
                self.asm.ucomis_xx(size, xs, Xmm::Xmm0);
                self.asm.jcc(Cond::Ae, big);
                // Below 2^63 (or NaN).
                self.asm.cvtts2si_rx(size, Size::S64, Gpr::Rax, xs);
                if t.saturating {
                    self.asm.alu_rr(AluOp::Xor, Size::S32, Gpr::Rcx, Gpr::Rcx);
                    self.asm.test_rr(Size::S64, Gpr::Rax, Gpr::Rax);
                    self.asm.cmov_rr(Cond::S, Size::S64, Gpr::Rax, Gpr::Rcx);
                    self.asm.jmp(done);
                } else {
                    self.asm.test_rr(Size::S64, Gpr::Rax, Gpr::Rax);
                    self.asm.jcc(Cond::Ns, done);
                    self.asm.ucomis_xx(size, xs, xs);
                    self.trap_if(Cond::P, TrapCode::BadConversionToInteger);
                    self.trap_always(TrapCode::IntegerOverflow);
                }
                // At least 2^63: convert `x - 2^63` and set the top bit.
                self.asm.bind(big);
                self.asm.movaps_xx(Xmm::Xmm1, xs);
                self.asm.sse_xx(SseOp::Sub, size, Xmm::Xmm1, Xmm::Xmm0);
                self.asm.cvtts2si_rx(size, Size::S64, Gpr::Rax, Xmm::Xmm1);
                self.asm.test_rr(Size::S64, Gpr::Rax, Gpr::Rax);
                if t.saturating {
                    self.asm.mov_ri(Size::S64, Gpr::Rcx, -1);
                    self.asm.cmov_rr(Cond::S, Size::S64, Gpr::Rax, Gpr::Rcx);
                    let saturated = self.asm.new_label();
                    self.asm.jcc(Cond::S, saturated);
                    self.asm.mov_ri(Size::S64, Gpr::Rcx, i64::MIN);
                    self.asm.alu_rr(AluOp::Or, Size::S64, Gpr::Rax, Gpr::Rcx);
                    self.asm.bind(saturated);
                } else {
                    self.trap_if(Cond::S, TrapCode::IntegerOverflow);
                    self.asm.mov_ri(Size::S64, Gpr::Rcx, i64::MIN);
                    self.asm.alu_rr(AluOp::Or, Size::S64, Gpr::Rax, Gpr::Rcx);
                }
            }
        }
        self.asm.bind(done);
        let rd = self.dst_gpr(dst, &[]);
        self.asm.mov_rr(t.to, rd, Gpr::Rax);
        self.bind_gpr(dst, rd);
    }
}

/// How a float instruction uses its slots (sign operations work on the
/// integer bits).
pub(crate) fn float_operands(instr: &Instr) -> Option<alloc::vec::Vec<(Slot, Class)>> {
    use Class::{Float as F, Int};
    use Instr as I;
    if let Some((dst, src, _)) = trunc_of(instr) {
        return Some(alloc::vec![(dst, Int), (src, F)]);
    }
    Some(match *instr {
        I::F32Add { dst, a, b }
        | I::F32Sub { dst, a, b }
        | I::F32Mul { dst, a, b }
        | I::F32Div { dst, a, b }
        | I::F32Min { dst, a, b }
        | I::F32Max { dst, a, b }
        | I::F64Add { dst, a, b }
        | I::F64Sub { dst, a, b }
        | I::F64Mul { dst, a, b }
        | I::F64Div { dst, a, b }
        | I::F64Min { dst, a, b }
        | I::F64Max { dst, a, b } => alloc::vec![(dst, F), (a, F), (b, F)],
        I::F32Copysign { dst, a, b } | I::F64Copysign { dst, a, b } => {
            alloc::vec![(dst, Int), (a, Int), (b, Int)]
        }
        I::F32Eq { dst, a, b }
        | I::F32Ne { dst, a, b }
        | I::F32Lt { dst, a, b }
        | I::F32Gt { dst, a, b }
        | I::F32Le { dst, a, b }
        | I::F32Ge { dst, a, b }
        | I::F64Eq { dst, a, b }
        | I::F64Ne { dst, a, b }
        | I::F64Lt { dst, a, b }
        | I::F64Gt { dst, a, b }
        | I::F64Le { dst, a, b }
        | I::F64Ge { dst, a, b } => alloc::vec![(dst, Int), (a, F), (b, F)],
        I::F32Abs { dst, src }
        | I::F64Abs { dst, src }
        | I::F32Neg { dst, src }
        | I::F64Neg { dst, src } => alloc::vec![(dst, Int), (src, Int)],
        I::F32Sqrt { dst, src }
        | I::F64Sqrt { dst, src }
        | I::F32Ceil { dst, src }
        | I::F64Ceil { dst, src }
        | I::F32Floor { dst, src }
        | I::F64Floor { dst, src }
        | I::F32Trunc { dst, src }
        | I::F64Trunc { dst, src }
        | I::F32Nearest { dst, src }
        | I::F64Nearest { dst, src }
        | I::F32DemoteF64 { dst, src }
        | I::F64PromoteF32 { dst, src } => alloc::vec![(dst, F), (src, F)],
        I::F32ConvertI32S { dst, src }
        | I::F32ConvertI32U { dst, src }
        | I::F32ConvertI64S { dst, src }
        | I::F32ConvertI64U { dst, src }
        | I::F64ConvertI32S { dst, src }
        | I::F64ConvertI32U { dst, src }
        | I::F64ConvertI64S { dst, src }
        | I::F64ConvertI64U { dst, src } => alloc::vec![(dst, F), (src, Int)],
        _ => return None,
    })
}

/// The conversion a float-to-integer instruction performs.
fn trunc_of(instr: &Instr) -> Option<(Slot, Slot, Trunc)> {
    use Instr as I;
    let t = |from, to, signed, saturating| Trunc {
        from,
        to,
        signed,
        saturating,
    };
    let (s32, s64) = (Size::S32, Size::S64);
    Some(match *instr {
        I::I32TruncF32S { dst, src } => (dst, src, t(F32, s32, true, false)),
        I::I32TruncF32U { dst, src } => (dst, src, t(F32, s32, false, false)),
        I::I32TruncF64S { dst, src } => (dst, src, t(F64, s32, true, false)),
        I::I32TruncF64U { dst, src } => (dst, src, t(F64, s32, false, false)),
        I::I64TruncF32S { dst, src } => (dst, src, t(F32, s64, true, false)),
        I::I64TruncF32U { dst, src } => (dst, src, t(F32, s64, false, false)),
        I::I64TruncF64S { dst, src } => (dst, src, t(F64, s64, true, false)),
        I::I64TruncF64U { dst, src } => (dst, src, t(F64, s64, false, false)),
        I::I32TruncSatF32S { dst, src } => (dst, src, t(F32, s32, true, true)),
        I::I32TruncSatF32U { dst, src } => (dst, src, t(F32, s32, false, true)),
        I::I32TruncSatF64S { dst, src } => (dst, src, t(F64, s32, true, true)),
        I::I32TruncSatF64U { dst, src } => (dst, src, t(F64, s32, false, true)),
        I::I64TruncSatF32S { dst, src } => (dst, src, t(F32, s64, true, true)),
        I::I64TruncSatF32U { dst, src } => (dst, src, t(F32, s64, false, true)),
        I::I64TruncSatF64S { dst, src } => (dst, src, t(F64, s64, true, true)),
        I::I64TruncSatF64U { dst, src } => (dst, src, t(F64, s64, false, true)),
        _ => return None,
    })
}
