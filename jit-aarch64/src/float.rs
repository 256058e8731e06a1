//! Floating-point and SIMD instructions: scalar f32/f64 arithmetic,
//! rounding, comparison and selection, conversions to and from integers,
//! moves (including the 8-bit FP immediate), and the few vector operations
//! a scalar JIT needs (`v128` moves, lane moves, `popcnt` via `cnt`/`addv`).

use crate::regs::{Cond, FpSize, RegField, RegOrZr, Size, VReg};

// ---- scalar arithmetic ----

fn fp_data2(size: FpSize, opcode: u32, vd: VReg, vn: VReg, vm: VReg) -> u32 {
    0x1e20_0800
        | (size.ftype() << 22)
        | (vm.field() << 16)
        | (opcode << 12)
        | (vn.field() << 5)
        | vd.field()
}

macro_rules! fp_data2_fns {
    ($($(#[$doc:meta])* $name:ident = $opcode:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(size: FpSize, vd: VReg, vn: VReg, vm: VReg) -> u32 {
                fp_data2(size, $opcode, vd, vn, vm)
            }
        )*
    };
}

fp_data2_fns! {
    /// `fmul d, n, m`.
    fmul = 0b0000;
    /// `fdiv d, n, m`.
    fdiv = 0b0001;
    /// `fadd d, n, m`.
    fadd = 0b0010;
    /// `fsub d, n, m`.
    fsub = 0b0011;
    /// `fmax d, n, m`: NaN if either is NaN, `max(-0, +0) = +0` (Wasm's
    /// `max`).
    fmax = 0b0100;
    /// `fmin d, n, m`: NaN if either is NaN, `min(-0, +0) = -0` (Wasm's
    /// `min`).
    fmin = 0b0101;
    /// `fmaxnm d, n, m`: a quiet NaN operand is ignored.
    fmaxnm = 0b0110;
    /// `fminnm d, n, m`: a quiet NaN operand is ignored.
    fminnm = 0b0111;
    /// `fnmul d, n, m`: `-(n * m)`.
    fnmul = 0b1000;
}

fn fp_data1(size: FpSize, opcode: u32, vd: VReg, vn: VReg) -> u32 {
    0x1e20_4000 | (size.ftype() << 22) | (opcode << 15) | (vn.field() << 5) | vd.field()
}

macro_rules! fp_data1_fns {
    ($($(#[$doc:meta])* $name:ident = $opcode:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(size: FpSize, vd: VReg, vn: VReg) -> u32 {
                fp_data1(size, $opcode, vd, vn)
            }
        )*
    };
}

fp_data1_fns! {
    /// `fmov d, n` between FP registers of one precision.
    fmov = 0b000000;
    /// `fabs d, n`.
    fabs = 0b000001;
    /// `fneg d, n`.
    fneg = 0b000010;
    /// `fsqrt d, n`.
    fsqrt = 0b000011;
    /// `frintn d, n`: round to nearest, ties to even (Wasm's `nearest`).
    frintn = 0b001000;
    /// `frintp d, n`: round toward +∞ (Wasm's `ceil`).
    frintp = 0b001001;
    /// `frintm d, n`: round toward −∞ (Wasm's `floor`).
    frintm = 0b001010;
    /// `frintz d, n`: round toward zero (Wasm's `trunc`).
    frintz = 0b001011;
    /// `frinta d, n`: round to nearest, ties away from zero.
    frinta = 0b001100;
    /// `frintx d, n`: round with the current mode, signalling inexact.
    frintx = 0b001110;
    /// `frinti d, n`: round with the current mode.
    frinti = 0b001111;
}

/// `fcvt vd, vn`: converts between precisions (`to` is the precision of
/// `vd`, `from` that of `vn`; f64→f32 rounds with the current mode).
///
/// # Panics
/// When `to == from` (not a conversion).
pub fn fcvt(to: FpSize, vd: VReg, from: FpSize, vn: VReg) -> u32 {
    assert!(to != from, "fcvt between equal precisions");
    // The opcode's low bits name the destination type: 0b0001_00 is to
    // single, 0b0001_01 to double.
    fp_data1(from, 0b000100 | to.ftype(), vd, vn)
}

// ---- compare and select ----

fn fp_compare(size: FpSize, vn: VReg, vm: u32, opc: u32) -> u32 {
    0x1e20_2000 | (size.ftype() << 22) | (vm << 16) | (vn.field() << 5) | opc
}

/// `fcmp n, m`: sets NZCV (unordered: C and V set, so `Vs` tests for NaN;
/// after it `Mi`/`Ls` are the ordered `<`/`<=` and `Gt`/`Ge` the ordered
/// `>`/`>=`).
pub fn fcmp(size: FpSize, vn: VReg, vm: VReg) -> u32 {
    fp_compare(size, vn, vm.field(), 0b00000)
}

/// `fcmp n, #0.0`.
pub fn fcmp_zero(size: FpSize, vn: VReg) -> u32 {
    fp_compare(size, vn, 0, 0b01000)
}

/// `fcmpe n, m`: like [`fcmp`] but signals invalid for quiet NaNs too.
pub fn fcmpe(size: FpSize, vn: VReg, vm: VReg) -> u32 {
    fp_compare(size, vn, vm.field(), 0b10000)
}

/// `fcsel d, n, m, cond`: `d = cond ? n : m`.
pub fn fcsel(size: FpSize, vd: VReg, vn: VReg, vm: VReg, cond: Cond) -> u32 {
    0x1e20_0c00
        | (size.ftype() << 22)
        | (vm.field() << 16)
        | (cond.bits() << 12)
        | (vn.field() << 5)
        | vd.field()
}

// ---- conversions and moves between register files ----

fn fp_int(int: Size, fp_type: u32, rmode: u32, opcode: u32, rd: u32, rn: u32) -> u32 {
    (int.sf() << 31)
        | 0x1e20_0000
        | (fp_type << 22)
        | (rmode << 19)
        | (opcode << 16)
        | (rn << 5)
        | rd
}

/// `scvtf vd, rn`: signed integer (`int` selects `wN`/`xN`) to float,
/// rounding with the current mode.
pub fn scvtf(fp: FpSize, vd: VReg, int: Size, rn: impl Into<RegOrZr>) -> u32 {
    fp_int(int, fp.ftype(), 0b00, 0b010, vd.field(), rn.into().field())
}

/// `ucvtf vd, rn`: unsigned integer to float.
pub fn ucvtf(fp: FpSize, vd: VReg, int: Size, rn: impl Into<RegOrZr>) -> u32 {
    fp_int(int, fp.ftype(), 0b00, 0b011, vd.field(), rn.into().field())
}

/// `fcvtzs rd, vn`: float to signed integer, rounding toward zero and
/// saturating (NaN gives 0; Wasm's `trunc_sat`).
pub fn fcvtzs(int: Size, rd: impl Into<RegOrZr>, fp: FpSize, vn: VReg) -> u32 {
    fp_int(int, fp.ftype(), 0b11, 0b000, rd.into().field(), vn.field())
}

/// `fcvtzu rd, vn`: float to unsigned integer, toward zero, saturating.
pub fn fcvtzu(int: Size, rd: impl Into<RegOrZr>, fp: FpSize, vn: VReg) -> u32 {
    fp_int(int, fp.ftype(), 0b11, 0b001, rd.into().field(), vn.field())
}

fn gpr_size(fp: FpSize) -> Size {
    match fp {
        FpSize::S => Size::W,
        FpSize::D => Size::X,
    }
}

/// `fmov wd, sn` / `fmov xd, dn`: copies the bits of a float to a general
/// register (Wasm's `reinterpret`).
pub fn fmov_to_gpr(size: FpSize, rd: impl Into<RegOrZr>, vn: VReg) -> u32 {
    fp_int(
        gpr_size(size),
        size.ftype(),
        0b00,
        0b110,
        rd.into().field(),
        vn.field(),
    )
}

/// `fmov sd, wn` / `fmov dd, xn`: copies the bits of a general register to
/// a float register (`xzr`/`wzr` give +0.0).
pub fn fmov_from_gpr(size: FpSize, vd: VReg, rn: impl Into<RegOrZr>) -> u32 {
    fp_int(
        gpr_size(size),
        size.ftype(),
        0b00,
        0b111,
        vd.field(),
        rn.into().field(),
    )
}

/// A floating-point constant that `fmov` can encode in 8 bits:
/// `±(16 + m) / 16 × 2^e` with `m` in 0..=15 and `e` in −3..=4 (so ±0.125
/// to ±31, e.g. 0.5, 1.0, 2.0, -1.5, 10.0). Zero is not among them (use
/// `fmov d, xzr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FpImm8(u8);

impl FpImm8 {
    /// The encoding of `value`, or `None` if it has none.
    pub fn from_f64(value: f64) -> Option<FpImm8> {
        let bits = value.to_bits();
        let sign = (bits >> 63) as u8;
        let exponent = ((bits >> 52) & 0x7ff) as u32;
        let fraction = bits & ((1 << 52) - 1);
        if fraction & ((1 << 48) - 1) != 0 {
            return None;
        }
        // The exponent must be NOT(b):b:b:b:b:b:b:b:b:c:d.
        let b = match exponent >> 2 {
            0b1_0000_0000 => 0,
            0b0_1111_1111 => 1,
            _ => return None,
        };
        let cd = (exponent & 0b11) as u8;
        Some(FpImm8(
            (sign << 7) | (b << 6) | (cd << 4) | (fraction >> 48) as u8,
        ))
    }

    /// The encoding of an f32 `value` (every encodable value is exact in
    /// both precisions).
    pub fn from_f32(value: f32) -> Option<FpImm8> {
        FpImm8::from_f64(f64::from(value))
    }

    /// The raw 8 bits.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The value it stands for.
    pub fn value(self) -> f64 {
        let imm = u64::from(self.0);
        let sign = imm >> 7;
        let b = (imm >> 6) & 1;
        let exponent = ((b ^ 1) << 10) | (if b == 1 { 0xff << 2 } else { 0 }) | ((imm >> 4) & 0b11);
        f64::from_bits((sign << 63) | (exponent << 52) | ((imm & 0xf) << 48))
    }
}

/// `fmov vd, #imm`.
pub fn fmov_imm(size: FpSize, vd: VReg, imm: FpImm8) -> u32 {
    0x1e20_1000 | (size.ftype() << 22) | (u32::from(imm.0) << 13) | vd.field()
}

// ---- vector ----

fn vec_logic(opc: u32, vd: VReg, vn: VReg, vm: VReg) -> u32 {
    // Q=1 (16 bytes); `opc` is U:size.
    0x4e20_1c00
        | ((opc >> 2) << 29)
        | ((opc & 0b11) << 22)
        | (vm.field() << 16)
        | (vn.field() << 5)
        | vd.field()
}

/// `and vd.16b, vn.16b, vm.16b`.
pub fn and_16b(vd: VReg, vn: VReg, vm: VReg) -> u32 {
    vec_logic(0b000, vd, vn, vm)
}

/// `bic vd.16b, vn.16b, vm.16b`: `vn & !vm`.
pub fn bic_16b(vd: VReg, vn: VReg, vm: VReg) -> u32 {
    vec_logic(0b001, vd, vn, vm)
}

/// `orr vd.16b, vn.16b, vm.16b`.
pub fn orr_16b(vd: VReg, vn: VReg, vm: VReg) -> u32 {
    vec_logic(0b010, vd, vn, vm)
}

/// `eor vd.16b, vn.16b, vm.16b`.
pub fn eor_16b(vd: VReg, vn: VReg, vm: VReg) -> u32 {
    vec_logic(0b100, vd, vn, vm)
}

/// `mov vd.16b, vn.16b` (`orr vd.16b, vn.16b, vn.16b`): a `v128` copy.
pub fn mov_16b(vd: VReg, vn: VReg) -> u32 {
    orr_16b(vd, vn, vn)
}

/// `cnt vd.8b, vn.8b`: the number of one bits of each of the low 8 bytes.
pub fn cnt_8b(vd: VReg, vn: VReg) -> u32 {
    0x0e20_5800 | (vn.field() << 5) | vd.field()
}

/// `cnt vd.16b, vn.16b`.
pub fn cnt_16b(vd: VReg, vn: VReg) -> u32 {
    0x4e20_5800 | (vn.field() << 5) | vd.field()
}

/// `addv bd, vn.8b`: the sum of the low 8 bytes (modulo 256), into byte 0.
/// With [`cnt_8b`] this is a 64-bit `popcnt`.
pub fn addv_8b(vd: VReg, vn: VReg) -> u32 {
    0x0e31_b800 | (vn.field() << 5) | vd.field()
}

/// `addv bd, vn.16b`: the sum of the 16 bytes (modulo 256).
pub fn addv_16b(vd: VReg, vn: VReg) -> u32 {
    0x4e31_b800 | (vn.field() << 5) | vd.field()
}

/// A vector lane size for lane moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    /// 8-bit lanes, index 0..=15.
    B,
    /// 16-bit lanes, index 0..=7.
    H,
    /// 32-bit lanes, index 0..=3.
    S,
    /// 64-bit lanes, index 0..=1.
    D,
}

impl Lane {
    /// The `imm5` field naming lane `index`.
    fn imm5(self, index: u8) -> u32 {
        let (log2, count) = match self {
            Lane::B => (0, 16),
            Lane::H => (1, 8),
            Lane::S => (2, 4),
            Lane::D => (3, 2),
        };
        assert!(index < count, "lane {index} of {self:?} does not exist");
        ((u32::from(index) << 1 | 1) << log2) & 0x1f
    }
}

/// `umov rd, vn.<lane>[index]`: zero-extends one lane into a general
/// register (`wN` for B/H/S, `xN` for D).
pub fn umov(lane: Lane, rd: impl Into<RegOrZr>, vn: VReg, index: u8) -> u32 {
    let q = u32::from(lane == Lane::D);
    0x0e00_3c00 | (q << 30) | (lane.imm5(index) << 16) | (vn.field() << 5) | rd.into().field()
}

/// `ins vd.<lane>[index], rn` (`mov vd.d[1], xn`): writes one lane from a
/// general register, keeping the other lanes.
pub fn ins_from_gpr(lane: Lane, vd: VReg, index: u8, rn: impl Into<RegOrZr>) -> u32 {
    0x4e00_1c00 | (lane.imm5(index) << 16) | (rn.into().field() << 5) | vd.field()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fp_immediates_round_trip() {
        for bits in 0..=255u8 {
            let value = FpImm8(bits).value();
            assert_eq!(FpImm8::from_f64(value), Some(FpImm8(bits)), "{value}");
            assert_eq!(FpImm8::from_f32(value as f32), Some(FpImm8(bits)));
        }
        assert_eq!(FpImm8::from_f64(2.0).map(FpImm8::bits), Some(0));
        assert_eq!(FpImm8::from_f64(1.0).map(FpImm8::bits), Some(0x70));
        assert_eq!(FpImm8::from_f64(0.0), None);
        assert_eq!(FpImm8::from_f64(0.1), None);
        assert_eq!(FpImm8::from_f64(32.0), None);
        assert_eq!(FpImm8::from_f64(f64::NAN), None);
        assert_eq!(FpImm8::from_f64(f64::INFINITY), None);
    }
}
