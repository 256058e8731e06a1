//! SSE2/SSE4.1 instructions: scalar `f32`/`f64` arithmetic, compares,
//! rounding and conversions, moves between xmm and general-purpose
//! registers, bitwise float ops, and 128-bit loads and stores.

use ember_core::CodeBuffer;

use crate::assembler::Assembler;
use crate::encoding::{Enc, Inst, Map, Rm};
use crate::mem::Mem;
use crate::regs::{FloatSize, Gpr, Size, Xmm};

/// Scalar arithmetic that has the shape `op xmm, xmm/m` (`addss`, ...),
/// numbered by opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SseOp {
    Add = 0x58,
    Mul = 0x59,
    Sub = 0x5c,
    /// `min`: returns the *second* operand if either is NaN or both are
    /// zero (not Wasm's `fmin`; the compiler adds the NaN/zero handling).
    Min = 0x5d,
    Div = 0x5e,
    /// `max`: same caveat as [`SseOp::Min`].
    Max = 0x5f,
    Sqrt = 0x51,
}

/// Bitwise operations on float registers (`andps`, `andnps`, `orps`,
/// `xorps` and their `pd` forms), numbered by opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogicOp {
    And = 0x54,
    /// `dst = !dst & src`.
    AndNot = 0x55,
    Or = 0x56,
    Xor = 0x57,
}

/// Rounding mode of `roundss`/`roundsd` (the precision exception is always
/// suppressed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundMode {
    /// To nearest, ties to even (`nearest`).
    Nearest = 0,
    /// Toward -∞ (`floor`).
    Floor = 1,
    /// Toward +∞ (`ceil`).
    Ceil = 2,
    /// Toward zero (`trunc`).
    Trunc = 3,
}

/// Mandatory prefix of a scalar instruction (`ss` or `sd`).
const fn scalar_prefix(size: FloatSize) -> u8 {
    match size {
        FloatSize::F32 => 0xf3,
        FloatSize::F64 => 0xf2,
    }
}

/// Mandatory prefix of a packed/compare instruction (`ps` or `pd`).
const fn packed_prefix(size: FloatSize) -> u8 {
    match size {
        FloatSize::F32 => 0,
        FloatSize::F64 => 0x66,
    }
}

fn xmm(x: Xmm) -> Rm {
    Rm::Reg(x.enc())
}

/// REX.W for a general-purpose operand of `size` (32 or 64 bits).
fn gpr_w(size: Size) -> bool {
    assert!(
        matches!(size, Size::S32 | Size::S64),
        "integer operand of an SSE instruction must be 32 or 64 bits, not {size:?}"
    );
    size == Size::S64
}

impl<B: CodeBuffer + ?Sized> Assembler<'_, B> {
    fn sse(&mut self, prefix: u8, opcode: u8, w: bool, reg: u8, rm: Rm) {
        let enc = Enc::in_map(opcode, Map::M0F).prefix(prefix).w(w);
        self.emit(&Inst::modrm(enc, reg, rm));
    }

    // ---- moves ----

    /// `movss`/`movsd dst, src` (register form: only the low lane changes).
    pub fn movs_xx(&mut self, size: FloatSize, dst: Xmm, src: Xmm) {
        self.sse(scalar_prefix(size), 0x10, false, dst.enc(), xmm(src));
    }

    /// `movss`/`movsd dst, [mem]`: load, zeroing the rest of `dst`.
    pub fn movs_xm(&mut self, size: FloatSize, dst: Xmm, mem: Mem) {
        self.sse(scalar_prefix(size), 0x10, false, dst.enc(), Rm::Mem(mem));
    }

    /// `movss`/`movsd [mem], src`: store.
    pub fn movs_mx(&mut self, size: FloatSize, mem: Mem, src: Xmm) {
        self.sse(scalar_prefix(size), 0x11, false, src.enc(), Rm::Mem(mem));
    }

    /// `movaps dst, src`: copy a whole register.
    pub fn movaps_xx(&mut self, dst: Xmm, src: Xmm) {
        self.sse(0, 0x28, false, dst.enc(), xmm(src));
    }

    /// `movups dst, [mem]`: unaligned 128-bit load.
    pub fn movups_xm(&mut self, dst: Xmm, mem: Mem) {
        self.sse(0, 0x10, false, dst.enc(), Rm::Mem(mem));
    }

    /// `movups [mem], src`: unaligned 128-bit store.
    pub fn movups_mx(&mut self, mem: Mem, src: Xmm) {
        self.sse(0, 0x11, false, src.enc(), Rm::Mem(mem));
    }

    /// `movdqu dst, [mem]`: unaligned 128-bit integer load.
    pub fn movdqu_xm(&mut self, dst: Xmm, mem: Mem) {
        self.sse(0xf3, 0x6f, false, dst.enc(), Rm::Mem(mem));
    }

    /// `movdqu [mem], src`: unaligned 128-bit integer store.
    pub fn movdqu_mx(&mut self, mem: Mem, src: Xmm) {
        self.sse(0xf3, 0x7f, false, src.enc(), Rm::Mem(mem));
    }

    /// `movd`/`movq dst, src`: a 32- or 64-bit general-purpose register into
    /// the low lane of `dst`, zeroing the rest (bit casts `i32 -> f32`,
    /// `i64 -> f64`).
    ///
    /// # Panics
    ///
    /// Unless `size` is 32 or 64 bits.
    pub fn movd_xr(&mut self, size: Size, dst: Xmm, src: Gpr) {
        self.sse(0x66, 0x6e, gpr_w(size), dst.enc(), Rm::Reg(src.enc()));
    }

    /// `movd`/`movq dst, src`: the low 32 or 64 bits of `src` into a
    /// general-purpose register (bit casts `f32 -> i32`, `f64 -> i64`).
    ///
    /// # Panics
    ///
    /// Unless `size` is 32 or 64 bits.
    pub fn movd_rx(&mut self, size: Size, dst: Gpr, src: Xmm) {
        self.sse(0x66, 0x7e, gpr_w(size), src.enc(), Rm::Reg(dst.enc()));
    }

    // ---- arithmetic ----

    /// `addss`/`addsd`/... `dst, src` (`dst = dst op src`; `sqrt` reads only
    /// `src`).
    pub fn sse_xx(&mut self, op: SseOp, size: FloatSize, dst: Xmm, src: Xmm) {
        self.sse(scalar_prefix(size), op as u8, false, dst.enc(), xmm(src));
    }

    /// `addss`/`addsd`/... `dst, [mem]`.
    pub fn sse_xm(&mut self, op: SseOp, size: FloatSize, dst: Xmm, mem: Mem) {
        self.sse(
            scalar_prefix(size),
            op as u8,
            false,
            dst.enc(),
            Rm::Mem(mem),
        );
    }

    fn rounds(&mut self, size: FloatSize, dst: Xmm, src: Rm, mode: RoundMode) {
        let opcode = match size {
            FloatSize::F32 => 0x0a,
            FloatSize::F64 => 0x0b,
        };
        let enc = Enc::in_map(opcode, Map::M0F3A).prefix(0x66);
        let mut inst = Inst::modrm(enc, dst.enc(), src);
        // Bit 3 suppresses the precision (inexact) exception.
        inst.u8(mode as u8 | 0b1000);
        self.emit(&inst);
    }

    /// `roundss`/`roundsd dst, src, mode` (SSE4.1).
    pub fn rounds_xx(&mut self, size: FloatSize, dst: Xmm, src: Xmm, mode: RoundMode) {
        self.rounds(size, dst, xmm(src), mode);
    }

    /// `roundss`/`roundsd dst, [mem], mode` (SSE4.1).
    pub fn rounds_xm(&mut self, size: FloatSize, dst: Xmm, mem: Mem, mode: RoundMode) {
        self.rounds(size, dst, Rm::Mem(mem), mode);
    }

    // ---- compares ----

    /// `ucomiss`/`ucomisd a, b`: sets ZF/PF/CF (unordered: all three).
    pub fn ucomis_xx(&mut self, size: FloatSize, a: Xmm, b: Xmm) {
        self.sse(packed_prefix(size), 0x2e, false, a.enc(), xmm(b));
    }

    /// `ucomiss`/`ucomisd a, [mem]`.
    pub fn ucomis_xm(&mut self, size: FloatSize, a: Xmm, mem: Mem) {
        self.sse(packed_prefix(size), 0x2e, false, a.enc(), Rm::Mem(mem));
    }

    /// `comiss`/`comisd a, b` (signals on quiet NaNs too).
    pub fn comis_xx(&mut self, size: FloatSize, a: Xmm, b: Xmm) {
        self.sse(packed_prefix(size), 0x2f, false, a.enc(), xmm(b));
    }

    /// `comiss`/`comisd a, [mem]`.
    pub fn comis_xm(&mut self, size: FloatSize, a: Xmm, mem: Mem) {
        self.sse(packed_prefix(size), 0x2f, false, a.enc(), Rm::Mem(mem));
    }

    // ---- conversions ----

    /// `cvtsi2ss`/`cvtsi2sd dst, src`: signed integer of `int_size` (32 or
    /// 64 bits) to float.
    ///
    /// # Panics
    ///
    /// Unless `int_size` is 32 or 64 bits.
    pub fn cvtsi2s_xr(&mut self, size: FloatSize, int_size: Size, dst: Xmm, src: Gpr) {
        let w = gpr_w(int_size);
        self.sse(scalar_prefix(size), 0x2a, w, dst.enc(), Rm::Reg(src.enc()));
    }

    /// `cvtsi2ss`/`cvtsi2sd dst, [mem]` (an integer of `int_size` in memory).
    ///
    /// # Panics
    ///
    /// Unless `int_size` is 32 or 64 bits.
    pub fn cvtsi2s_xm(&mut self, size: FloatSize, int_size: Size, dst: Xmm, mem: Mem) {
        let w = gpr_w(int_size);
        self.sse(scalar_prefix(size), 0x2a, w, dst.enc(), Rm::Mem(mem));
    }

    /// `cvttss2si`/`cvttsd2si dst, src`: float to signed integer of
    /// `int_size`, truncating; NaN and out-of-range give the "integer
    /// indefinite" value (`0x8000...`).
    ///
    /// # Panics
    ///
    /// Unless `int_size` is 32 or 64 bits.
    pub fn cvtts2si_rx(&mut self, size: FloatSize, int_size: Size, dst: Gpr, src: Xmm) {
        let w = gpr_w(int_size);
        self.sse(scalar_prefix(size), 0x2c, w, dst.enc(), xmm(src));
    }

    /// `cvttss2si`/`cvttsd2si dst, [mem]`.
    ///
    /// # Panics
    ///
    /// Unless `int_size` is 32 or 64 bits.
    pub fn cvtts2si_rm(&mut self, size: FloatSize, int_size: Size, dst: Gpr, mem: Mem) {
        let w = gpr_w(int_size);
        self.sse(scalar_prefix(size), 0x2c, w, dst.enc(), Rm::Mem(mem));
    }

    /// `cvtss2sd dst, src` (`f64.promote_f32`).
    pub fn cvtss2sd_xx(&mut self, dst: Xmm, src: Xmm) {
        self.sse(0xf3, 0x5a, false, dst.enc(), xmm(src));
    }

    /// `cvtss2sd dst, [mem]`.
    pub fn cvtss2sd_xm(&mut self, dst: Xmm, mem: Mem) {
        self.sse(0xf3, 0x5a, false, dst.enc(), Rm::Mem(mem));
    }

    /// `cvtsd2ss dst, src` (`f32.demote_f64`).
    pub fn cvtsd2ss_xx(&mut self, dst: Xmm, src: Xmm) {
        self.sse(0xf2, 0x5a, false, dst.enc(), xmm(src));
    }

    /// `cvtsd2ss dst, [mem]`.
    pub fn cvtsd2ss_xm(&mut self, dst: Xmm, mem: Mem) {
        self.sse(0xf2, 0x5a, false, dst.enc(), Rm::Mem(mem));
    }

    // ---- bitwise ----

    /// `andps`/`andpd`/`andnps`/`andnpd`/`orps`/`orpd`/`xorps`/`xorpd dst,
    /// src` (sign masks for `abs`, `neg`, `copysign`; `xorps x, x` zeroes).
    pub fn logic_xx(&mut self, op: LogicOp, size: FloatSize, dst: Xmm, src: Xmm) {
        self.sse(packed_prefix(size), op as u8, false, dst.enc(), xmm(src));
    }

    /// `andps`/... `dst, [mem]` (`mem` must be 16-byte aligned).
    pub fn logic_xm(&mut self, op: LogicOp, size: FloatSize, dst: Xmm, mem: Mem) {
        self.sse(
            packed_prefix(size),
            op as u8,
            false,
            dst.enc(),
            Rm::Mem(mem),
        );
    }

    /// `pxor dst, src`.
    pub fn pxor_xx(&mut self, dst: Xmm, src: Xmm) {
        self.sse(0x66, 0xef, false, dst.enc(), xmm(src));
    }

    /// `pxor dst, [mem]` (`mem` must be 16-byte aligned).
    pub fn pxor_xm(&mut self, dst: Xmm, mem: Mem) {
        self.sse(0x66, 0xef, false, dst.enc(), Rm::Mem(mem));
    }
}
