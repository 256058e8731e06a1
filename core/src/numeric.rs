//! WebAssembly 2.0 numeric instructions whose semantics are not a plain Rust
//! operator, in one place so every executor shares the spec's exact behaviour.
//!
//! Everything here is pure, allocation-free and `no_std` (`core` plus `libm`).
//! Each function is named after its Wasm instruction (`i32.div_s` is
//! [`i32_div_s`]) and implements the spec's `exec` rule exactly:
//!
//! - Integer division and remainder trap with
//!   [`TrapCode::IntegerDivisionByZero`] on a zero divisor, and signed division
//!   `MIN / -1` traps with [`TrapCode::IntegerOverflow`]. `MIN rem -1` is `0`.
//! - `min`/`max` return a NaN if either operand is NaN and order `-0.0` below
//!   `+0.0`; Rust's `f32::min` does neither.
//! - `nearest` rounds half to even; `trunc`, `floor`, `ceil`, `nearest` and
//!   `sqrt` use `libm` for non-NaN operands and keep the sign of a zero.
//! - `abs`, `neg` and `copysign` only touch the sign bit, so NaN payloads pass
//!   through unchanged, as the spec requires.
//! - Trapping float-to-int truncation reports a NaN operand as
//!   [`TrapCode::BadConversionToInteger`] and an out-of-range one as
//!   [`TrapCode::IntegerOverflow`]; the saturating forms map NaN to `0`.
//!
//! NaN results of `min`, `max`, `nearest`, `trunc`, `floor`, `ceil` and
//! `sqrt` are always the positive canonical NaN (`0x7fc0_0000` /
//! `0x7ff8_0000_0000_0000`). The spec allows any NaN of the set `nans{z*}`,
//! which always contains the canonical NaN; choosing it makes results
//! independent of the host's NaN propagation.
//!
//! Not here, because Rust's `as` already has the Wasm semantics:
//! `f32.convert_i32_s` and the other int-to-float conversions (`as` rounds to
//! nearest, ties to even), `i32.wrap_i64` and the `extend` forms,
//! `f32.demote_f64` and `f64.promote_f32` (round to nearest even; a NaN
//! operand gives a quiet NaN, which the spec accepts), and the `trunc_sat`
//! semantics themselves (Rust's float-to-int `as` saturates and maps NaN to
//! `0`), which [`i32_trunc_sat_f32_s`] and its siblings wrap for naming
//! symmetry. The `reinterpret` instructions are `to_bits`/`from_bits`.

use crate::trap::TrapCode;

/// The positive canonical f32 NaN: quiet bit set, payload otherwise zero.
const F32_CANONICAL_NAN: f32 = f32::from_bits(0x7fc0_0000);
/// The positive canonical f64 NaN: quiet bit set, payload otherwise zero.
const F64_CANONICAL_NAN: f64 = f64::from_bits(0x7ff8_0000_0000_0000);
/// The sign bit of an f32.
const F32_SIGN_BIT: u32 = 0x8000_0000;
/// The sign bit of an f64.
const F64_SIGN_BIT: u64 = 0x8000_0000_0000_0000;

// ---------------------------------------------------------------------------
// Integer division and remainder.
// ---------------------------------------------------------------------------

/// `i32.div_s`: truncating signed division.
#[inline]
pub fn i32_div_s(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
}

/// `i32.div_u`: unsigned division.
#[inline]
pub fn i32_div_u(a: u32, b: u32) -> Result<u32, TrapCode> {
    a.checked_div(b).ok_or(TrapCode::IntegerDivisionByZero)
}

/// `i32.rem_s`: signed remainder with the sign of the dividend;
/// `i32::MIN rem -1` is `0`.
#[inline]
pub fn i32_rem_s(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    Ok(a.wrapping_rem(b))
}

/// `i32.rem_u`: unsigned remainder.
#[inline]
pub fn i32_rem_u(a: u32, b: u32) -> Result<u32, TrapCode> {
    a.checked_rem(b).ok_or(TrapCode::IntegerDivisionByZero)
}

/// `i64.div_s`: truncating signed division.
#[inline]
pub fn i64_div_s(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
}

/// `i64.div_u`: unsigned division.
#[inline]
pub fn i64_div_u(a: u64, b: u64) -> Result<u64, TrapCode> {
    a.checked_div(b).ok_or(TrapCode::IntegerDivisionByZero)
}

/// `i64.rem_s`: signed remainder with the sign of the dividend;
/// `i64::MIN rem -1` is `0`.
#[inline]
pub fn i64_rem_s(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    Ok(a.wrapping_rem(b))
}

/// `i64.rem_u`: unsigned remainder.
#[inline]
pub fn i64_rem_u(a: u64, b: u64) -> Result<u64, TrapCode> {
    a.checked_rem(b).ok_or(TrapCode::IntegerDivisionByZero)
}

// ---------------------------------------------------------------------------
// Float min and max.
// ---------------------------------------------------------------------------

/// `f32.min`: NaN if either operand is NaN; `-0.0` is below `+0.0`.
#[inline]
pub fn f32_min(a: f32, b: f32) -> f32 {
    if a < b {
        a
    } else if b < a {
        b
    } else if a == b {
        // Equal values have equal bits except for `±0.0`, where OR-ing the
        // bits picks `-0.0`.
        f32::from_bits(a.to_bits() | b.to_bits())
    } else {
        F32_CANONICAL_NAN
    }
}

/// `f32.max`: NaN if either operand is NaN; `+0.0` is above `-0.0`.
#[inline]
pub fn f32_max(a: f32, b: f32) -> f32 {
    if a > b {
        a
    } else if b > a {
        b
    } else if a == b {
        // Equal values have equal bits except for `±0.0`, where AND-ing the
        // bits picks `+0.0`.
        f32::from_bits(a.to_bits() & b.to_bits())
    } else {
        F32_CANONICAL_NAN
    }
}

/// `f64.min`: NaN if either operand is NaN; `-0.0` is below `+0.0`.
#[inline]
pub fn f64_min(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else if b < a {
        b
    } else if a == b {
        // See `f32_min`: OR-ing picks `-0.0` from `±0.0`.
        f64::from_bits(a.to_bits() | b.to_bits())
    } else {
        F64_CANONICAL_NAN
    }
}

/// `f64.max`: NaN if either operand is NaN; `+0.0` is above `-0.0`.
#[inline]
pub fn f64_max(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else if b > a {
        b
    } else if a == b {
        // See `f32_max`: AND-ing picks `+0.0` from `±0.0`.
        f64::from_bits(a.to_bits() & b.to_bits())
    } else {
        F64_CANONICAL_NAN
    }
}

// ---------------------------------------------------------------------------
// Float rounding and square root.
//
// `libm` returns a NaN operand unchanged (a signalling NaN would stay
// signalling), but the spec requires a quiet ("arithmetic") NaN, so NaN is
// handled before calling it.
// ---------------------------------------------------------------------------

/// `f32.nearest`: round to the nearest integer, ties to even; the sign of a
/// zero result is the sign of the operand (`nearest(-0.5) == -0.0`).
#[inline]
pub fn f32_nearest(x: f32) -> f32 {
    if x.is_nan() {
        return F32_CANONICAL_NAN;
    }
    libm::roundevenf(x)
}

/// `f32.trunc`: round toward zero.
#[inline]
pub fn f32_trunc(x: f32) -> f32 {
    if x.is_nan() {
        return F32_CANONICAL_NAN;
    }
    libm::truncf(x)
}

/// `f32.floor`: round toward negative infinity.
#[inline]
pub fn f32_floor(x: f32) -> f32 {
    if x.is_nan() {
        return F32_CANONICAL_NAN;
    }
    libm::floorf(x)
}

/// `f32.ceil`: round toward positive infinity.
#[inline]
pub fn f32_ceil(x: f32) -> f32 {
    if x.is_nan() {
        return F32_CANONICAL_NAN;
    }
    libm::ceilf(x)
}

/// `f32.sqrt`: correctly rounded square root; NaN for operands below zero
/// (`sqrt(-0.0)` is `-0.0`).
#[inline]
pub fn f32_sqrt(x: f32) -> f32 {
    if x.is_nan() || x < 0.0 {
        return F32_CANONICAL_NAN;
    }
    libm::sqrtf(x)
}

/// `f64.nearest`: round to the nearest integer, ties to even; the sign of a
/// zero result is the sign of the operand (`nearest(-0.5) == -0.0`).
#[inline]
pub fn f64_nearest(x: f64) -> f64 {
    if x.is_nan() {
        return F64_CANONICAL_NAN;
    }
    libm::roundeven(x)
}

/// `f64.trunc`: round toward zero.
#[inline]
pub fn f64_trunc(x: f64) -> f64 {
    if x.is_nan() {
        return F64_CANONICAL_NAN;
    }
    libm::trunc(x)
}

/// `f64.floor`: round toward negative infinity.
#[inline]
pub fn f64_floor(x: f64) -> f64 {
    if x.is_nan() {
        return F64_CANONICAL_NAN;
    }
    libm::floor(x)
}

/// `f64.ceil`: round toward positive infinity.
#[inline]
pub fn f64_ceil(x: f64) -> f64 {
    if x.is_nan() {
        return F64_CANONICAL_NAN;
    }
    libm::ceil(x)
}

/// `f64.sqrt`: correctly rounded square root; NaN for operands below zero
/// (`sqrt(-0.0)` is `-0.0`).
#[inline]
pub fn f64_sqrt(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return F64_CANONICAL_NAN;
    }
    libm::sqrt(x)
}

// ---------------------------------------------------------------------------
// Sign-bit operations: bit-level, NaN payloads untouched.
// ---------------------------------------------------------------------------

/// `f32.copysign`: the magnitude bits of `a` with the sign bit of `b`.
#[inline]
pub fn f32_copysign(a: f32, b: f32) -> f32 {
    f32::from_bits((a.to_bits() & !F32_SIGN_BIT) | (b.to_bits() & F32_SIGN_BIT))
}

/// `f64.copysign`: the magnitude bits of `a` with the sign bit of `b`.
#[inline]
pub fn f64_copysign(a: f64, b: f64) -> f64 {
    f64::from_bits((a.to_bits() & !F64_SIGN_BIT) | (b.to_bits() & F64_SIGN_BIT))
}

/// `f32.abs`: clears the sign bit.
#[inline]
pub fn f32_abs(x: f32) -> f32 {
    f32::from_bits(x.to_bits() & !F32_SIGN_BIT)
}

/// `f64.abs`: clears the sign bit.
#[inline]
pub fn f64_abs(x: f64) -> f64 {
    f64::from_bits(x.to_bits() & !F64_SIGN_BIT)
}

/// `f32.neg`: flips the sign bit.
#[inline]
pub fn f32_neg(x: f32) -> f32 {
    f32::from_bits(x.to_bits() ^ F32_SIGN_BIT)
}

/// `f64.neg`: flips the sign bit.
#[inline]
pub fn f64_neg(x: f64) -> f64 {
    f64::from_bits(x.to_bits() ^ F64_SIGN_BIT)
}

// ---------------------------------------------------------------------------
// Trapping float-to-int truncation.
//
// An operand converts iff its truncation lies in the target range, i.e. iff
// `MIN - 1 < x < MAX + 1`. Both bounds are powers of two (or a power of two
// minus one) and exact in f64; in f32, `-2^31 - 1` and `-2^63 - 1` are not
// representable and no f32 lies strictly between them and `-2^31` / `-2^63`,
// so those ranges are written as `(MIN..MAX + 1).contains(&x)`. The range
// test is false for NaN, so the hot path has a single branch; once in range,
// Rust's `as` truncates exactly.
// ---------------------------------------------------------------------------

/// The trap for an operand that failed the range test: NaN or too large.
#[cold]
fn float_to_int_trap(is_nan: bool) -> TrapCode {
    if is_nan {
        TrapCode::BadConversionToInteger
    } else {
        TrapCode::IntegerOverflow
    }
}

/// `i32.trunc_f32_s`: truncate toward zero into `[-2^31, 2^31)`.
#[inline]
pub fn i32_trunc_f32_s(x: f32) -> Result<i32, TrapCode> {
    if (-2_147_483_648.0..2_147_483_648.0).contains(&x) {
        Ok(x as i32)
    } else {
        Err(float_to_int_trap(x.is_nan()))
    }
}

/// `i32.trunc_f32_u`: truncate toward zero into `[0, 2^32)`; operands in
/// `(-1, 0)` give `0`.
#[inline]
pub fn i32_trunc_f32_u(x: f32) -> Result<u32, TrapCode> {
    if x > -1.0 && x < 4_294_967_296.0 {
        Ok(x as u32)
    } else {
        Err(float_to_int_trap(x.is_nan()))
    }
}

/// `i32.trunc_f64_s`: truncate toward zero into `[-2^31, 2^31)`; operands in
/// `(-2^31 - 1, -2^31]` give `-2^31`.
#[inline]
pub fn i32_trunc_f64_s(x: f64) -> Result<i32, TrapCode> {
    if x > -2_147_483_649.0 && x < 2_147_483_648.0 {
        Ok(x as i32)
    } else {
        Err(float_to_int_trap(x.is_nan()))
    }
}

/// `i32.trunc_f64_u`: truncate toward zero into `[0, 2^32)`; operands in
/// `(-1, 0)` give `0`.
#[inline]
pub fn i32_trunc_f64_u(x: f64) -> Result<u32, TrapCode> {
    if x > -1.0 && x < 4_294_967_296.0 {
        Ok(x as u32)
    } else {
        Err(float_to_int_trap(x.is_nan()))
    }
}

/// `i64.trunc_f32_s`: truncate toward zero into `[-2^63, 2^63)`.
#[inline]
pub fn i64_trunc_f32_s(x: f32) -> Result<i64, TrapCode> {
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&x) {
        Ok(x as i64)
    } else {
        Err(float_to_int_trap(x.is_nan()))
    }
}

/// `i64.trunc_f32_u`: truncate toward zero into `[0, 2^64)`; operands in
/// `(-1, 0)` give `0`.
#[inline]
pub fn i64_trunc_f32_u(x: f32) -> Result<u64, TrapCode> {
    if x > -1.0 && x < 18_446_744_073_709_551_616.0 {
        Ok(x as u64)
    } else {
        Err(float_to_int_trap(x.is_nan()))
    }
}

/// `i64.trunc_f64_s`: truncate toward zero into `[-2^63, 2^63)`.
#[inline]
pub fn i64_trunc_f64_s(x: f64) -> Result<i64, TrapCode> {
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&x) {
        Ok(x as i64)
    } else {
        Err(float_to_int_trap(x.is_nan()))
    }
}

/// `i64.trunc_f64_u`: truncate toward zero into `[0, 2^64)`; operands in
/// `(-1, 0)` give `0`.
#[inline]
pub fn i64_trunc_f64_u(x: f64) -> Result<u64, TrapCode> {
    if x > -1.0 && x < 18_446_744_073_709_551_616.0 {
        Ok(x as u64)
    } else {
        Err(float_to_int_trap(x.is_nan()))
    }
}

// ---------------------------------------------------------------------------
// Saturating float-to-int truncation. Rust's float-to-int `as` truncates
// toward zero, clamps to the target range and maps NaN to 0: exactly
// `trunc_sat`.
// ---------------------------------------------------------------------------

/// `i32.trunc_sat_f32_s`: truncate toward zero, clamp, NaN gives `0`.
#[inline]
pub fn i32_trunc_sat_f32_s(x: f32) -> i32 {
    x as i32
}

/// `i32.trunc_sat_f32_u`: truncate toward zero, clamp, NaN gives `0`.
#[inline]
pub fn i32_trunc_sat_f32_u(x: f32) -> u32 {
    x as u32
}

/// `i32.trunc_sat_f64_s`: truncate toward zero, clamp, NaN gives `0`.
#[inline]
pub fn i32_trunc_sat_f64_s(x: f64) -> i32 {
    x as i32
}

/// `i32.trunc_sat_f64_u`: truncate toward zero, clamp, NaN gives `0`.
#[inline]
pub fn i32_trunc_sat_f64_u(x: f64) -> u32 {
    x as u32
}

/// `i64.trunc_sat_f32_s`: truncate toward zero, clamp, NaN gives `0`.
#[inline]
pub fn i64_trunc_sat_f32_s(x: f32) -> i64 {
    x as i64
}

/// `i64.trunc_sat_f32_u`: truncate toward zero, clamp, NaN gives `0`.
#[inline]
pub fn i64_trunc_sat_f32_u(x: f32) -> u64 {
    x as u64
}

/// `i64.trunc_sat_f64_s`: truncate toward zero, clamp, NaN gives `0`.
#[inline]
pub fn i64_trunc_sat_f64_s(x: f64) -> i64 {
    x as i64
}

/// `i64.trunc_sat_f64_u`: truncate toward zero, clamp, NaN gives `0`.
#[inline]
pub fn i64_trunc_sat_f64_u(x: f64) -> u64 {
    x as u64
}

// ---------------------------------------------------------------------------
// Tests: one table per instruction family. Expected values come from the spec
// testsuite (wasm-v2 `i32.wast`, `i64.wast`, `f32.wast`, `f64.wast`,
// `f32_bitwise.wast`, `f64_bitwise.wast`, `conversions.wast`). Float operands
// and results are written as bit patterns so the sign of zero and NaN
// payloads are checked exactly.
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use TrapCode::{
        BadConversionToInteger as Nan, IntegerDivisionByZero as DivZero,
        IntegerOverflow as Overflow,
    };

    /// Asserts `op(args) == want` for each `(args => want)` row.
    macro_rules! assert_rows {
        ($op:ident: $(($($arg:expr),+ => $want:expr)),+ $(,)?) => {$(
            assert_eq!($op($($arg),+), $want, "{}({})", stringify!($op), stringify!($($arg),+));
        )+};
    }

    /// Like `assert_rows!` for float operations: operands and the result are
    /// bit patterns of `$float`.
    macro_rules! assert_bit_rows {
        ($op:ident, $float:ty: $(($($arg:expr),+ => $want:expr)),+ $(,)?) => {$(
            let got = $op($(<$float>::from_bits($arg)),+).to_bits();
            assert_eq!(got, $want, "{}({}) = {got:#x}", stringify!($op), stringify!($($arg),+));
        )+};
    }

    const Z32: u32 = 0;
    const NZ32: u32 = 0x8000_0000;
    const INF32: u32 = 0x7f80_0000;
    const NINF32: u32 = 0xff80_0000;
    /// The result every NaN-producing f32 operation here returns.
    const NAN32: u32 = 0x7fc0_0000;
    /// `nan:0x200000` (signalling) and its negation.
    const SNAN32: u32 = 0x7fa0_0000;
    const NSNAN32: u32 = 0xffa0_0000;

    const Z64: u64 = 0;
    const NZ64: u64 = 0x8000_0000_0000_0000;
    const INF64: u64 = 0x7ff0_0000_0000_0000;
    const NINF64: u64 = 0xfff0_0000_0000_0000;
    const NAN64: u64 = 0x7ff8_0000_0000_0000;
    /// `nan:0x4000000000000` (signalling) and its negation.
    const SNAN64: u64 = 0x7ff4_0000_0000_0000;
    const NSNAN64: u64 = 0xfff4_0000_0000_0000;

    const fn b32(x: f32) -> u32 {
        x.to_bits()
    }

    const fn b64(x: f64) -> u64 {
        x.to_bits()
    }

    #[test]
    fn canonical_nan_constants_match_the_spec() {
        assert_eq!(F32_CANONICAL_NAN.to_bits(), NAN32);
        assert_eq!(F64_CANONICAL_NAN.to_bits(), NAN64);
    }

    #[test]
    fn i32_division_and_remainder() {
        assert_rows!(i32_div_s:
            (1, 0 => Err(DivZero)), (0, 0 => Err(DivZero)), (i32::MIN, 0 => Err(DivZero)),
            (i32::MIN, -1 => Err(Overflow)), (i32::MIN, 2 => Ok(-0x4000_0000)),
            (-2_147_483_647, 1000 => Ok(-2_147_483)),
            (-5, 2 => Ok(-2)), (5, -2 => Ok(-2)), (-7, -3 => Ok(2)),
        );
        assert_rows!(i32_rem_s:
            (1, 0 => Err(DivZero)), (i32::MIN, -1 => Ok(0)), (i32::MAX, -1 => Ok(0)),
            (-2_147_483_647, 1000 => Ok(-647)),
            (-5, 2 => Ok(-1)), (5, -2 => Ok(1)), (-7, -3 => Ok(-1)),
        );
        assert_rows!(i32_div_u:
            (1, 0 => Err(DivZero)), (0x8000_0000, u32::MAX => Ok(0)),
            (0x8000_0000, 2 => Ok(0x4000_0000)), (0x8ff0_0ff0, 0x1_0001 => Ok(0x8fef)),
            (0x8000_0001, 1000 => Ok(0x20_c49b)), (u32::MAX, 1 => Ok(u32::MAX)),
        );
        assert_rows!(i32_rem_u:
            (1, 0 => Err(DivZero)), (0x8000_0000, u32::MAX => Ok(0x8000_0000)),
            (0x8ff0_0ff0, 0x1_0001 => Ok(0x8001)), (0x8000_0001, 1000 => Ok(649)),
        );
    }

    #[test]
    fn i64_division_and_remainder() {
        assert_rows!(i64_div_s:
            (1, 0 => Err(DivZero)), (i64::MIN, 0 => Err(DivZero)),
            (i64::MIN, -1 => Err(Overflow)), (i64::MIN, 2 => Ok(-0x4000_0000_0000_0000)),
            (-0x7fff_ffff_ffff_ffff, 1000 => Ok(-9_223_372_036_854_775)),
            (-7, 3 => Ok(-2)), (-7, -3 => Ok(2)),
        );
        assert_rows!(i64_rem_s:
            (1, 0 => Err(DivZero)), (i64::MIN, -1 => Ok(0)), (i64::MAX, -1 => Ok(0)),
            (-0x7fff_ffff_ffff_ffff, 1000 => Ok(-807)), (-7, 3 => Ok(-1)), (7, -3 => Ok(1)),
        );
        assert_rows!(i64_div_u:
            (1, 0 => Err(DivZero)), (1 << 63, u64::MAX => Ok(0)), (1 << 63, 2 => Ok(1 << 62)),
            (0x8ff0_0ff0_0ff0_0ff0, 0x1_0000_0001 => Ok(0x8ff0_0fef)),
            (0x8000_0000_0000_0001, 1000 => Ok(0x20_c49b_a5e3_53f7)),
        );
        assert_rows!(i64_rem_u:
            (1, 0 => Err(DivZero)), (1 << 63, u64::MAX => Ok(1 << 63)),
            (0x8ff0_0ff0_0ff0_0ff0, 0x1_0000_0001 => Ok(0x8000_0001)),
            (0x8000_0000_0000_0001, 1000 => Ok(809)),
        );
    }

    #[test]
    fn min_max_order_signed_zeros_and_propagate_nan() {
        let (half, neg_half) = (b32(0.5), b32(-0.5));
        assert_bit_rows!(f32_min, f32:
            (Z32, NZ32 => NZ32), (NZ32, Z32 => NZ32), (NZ32, NZ32 => NZ32), (Z32, Z32 => Z32),
            (neg_half, half => neg_half), (half, neg_half => neg_half),
            (NINF32, INF32 => NINF32), (1, NZ32 => NZ32),
            (Z32, NAN32 => NAN32), (NAN32, Z32 => NAN32), (NINF32, SNAN32 => NAN32),
            (NSNAN32, INF32 => NAN32), (NAN32, SNAN32 => NAN32),
        );
        assert_bit_rows!(f32_max, f32:
            (Z32, NZ32 => Z32), (NZ32, Z32 => Z32), (NZ32, NZ32 => NZ32), (Z32, Z32 => Z32),
            (neg_half, half => half), (half, neg_half => half),
            (NINF32, INF32 => INF32), (1, NZ32 => 1),
            (Z32, NAN32 => NAN32), (NAN32, Z32 => NAN32), (INF32, SNAN32 => NAN32),
            (NSNAN32, NINF32 => NAN32), (NAN32, SNAN32 => NAN32),
        );
        let (half, neg_half) = (b64(0.5), b64(-0.5));
        assert_bit_rows!(f64_min, f64:
            (Z64, NZ64 => NZ64), (NZ64, Z64 => NZ64), (NZ64, NZ64 => NZ64),
            (neg_half, half => neg_half), (NINF64, INF64 => NINF64), (1, NZ64 => NZ64),
            (Z64, NAN64 => NAN64), (SNAN64, NINF64 => NAN64), (INF64, NSNAN64 => NAN64),
        );
        assert_bit_rows!(f64_max, f64:
            (Z64, NZ64 => Z64), (NZ64, Z64 => Z64), (NZ64, NZ64 => NZ64),
            (neg_half, half => half), (NINF64, INF64 => INF64), (1, NZ64 => 1),
            (Z64, NAN64 => NAN64), (SNAN64, INF64 => NAN64), (NINF64, NSNAN64 => NAN64),
        );
    }

    #[test]
    fn nearest_rounds_ties_to_even_and_keeps_zero_sign() {
        assert_bit_rows!(f32_nearest, f32:
            (Z32 => Z32), (NZ32 => NZ32), (1 => Z32), (NZ32 | 1 => NZ32),
            (b32(0.5) => Z32), (b32(-0.5) => NZ32), (b32(0.75) => b32(1.0)),
            (b32(1.5) => b32(2.0)), (b32(-1.5) => b32(-2.0)),
            (b32(2.5) => b32(2.0)), (b32(-2.5) => b32(-2.0)),
            (b32(4.5) => b32(4.0)), (b32(-3.5) => b32(-4.0)),
            // 2^23 - 0.5 is the largest tie; 2^23 + 1 is already integral.
            (b32(8_388_607.5) => b32(8_388_608.0)), (b32(8_388_609.0) => b32(8_388_609.0)),
            (NINF32 => NINF32), (SNAN32 => NAN32), (NSNAN32 => NAN32),
        );
        assert_bit_rows!(f64_nearest, f64:
            (Z64 => Z64), (NZ64 => NZ64), (b64(0.5) => Z64), (b64(-0.5) => NZ64),
            (b64(1.5) => b64(2.0)), (b64(2.5) => b64(2.0)), (b64(-2.5) => b64(-2.0)),
            (b64(-3.5) => b64(-4.0)),
            // 2^52 - 0.5 is the largest tie; 2^52 + 1 is already integral.
            (b64(4_503_599_627_370_495.5) => b64(4_503_599_627_370_496.0)),
            (b64(4_503_599_627_370_497.0) => b64(4_503_599_627_370_497.0)),
            (INF64 => INF64), (SNAN64 => NAN64),
        );
    }

    #[test]
    fn trunc_floor_ceil_sqrt() {
        let max = b32(f32::MAX);
        assert_bit_rows!(f32_trunc, f32:
            (NZ32 => NZ32), (b32(-0.5) => NZ32), (b32(0.5) => Z32), (b32(-1.5) => b32(-1.0)),
            (b32(6.5) => b32(6.0)), (max => max), (NINF32 => NINF32), (SNAN32 => NAN32),
        );
        assert_bit_rows!(f32_floor, f32:
            (NZ32 => NZ32), (b32(-0.5) => b32(-1.0)), (b32(0.5) => Z32),
            (b32(-1.5) => b32(-2.0)), (b32(6.5) => b32(6.0)), (max => max), (SNAN32 => NAN32),
        );
        assert_bit_rows!(f32_ceil, f32:
            (NZ32 => NZ32), (b32(-0.5) => NZ32), (b32(0.5) => b32(1.0)),
            (b32(-1.5) => b32(-1.0)), (b32(6.5) => b32(7.0)), (max => max), (SNAN32 => NAN32),
        );
        assert_bit_rows!(f32_sqrt, f32:
            (NZ32 => NZ32), (b32(4.0) => b32(2.0)), (INF32 => INF32),
            // sqrt(2) correctly rounded is 0x1.6a09e6p+0.
            (b32(2.0) => 0x3fb5_04f3),
            (NZ32 | 1 => NAN32), (b32(-1.0) => NAN32), (NINF32 => NAN32), (SNAN32 => NAN32),
        );
        assert_bit_rows!(f64_trunc, f64:
            (b64(-0.5) => NZ64), (b64(-1.5) => b64(-1.0)), (SNAN64 => NAN64),
        );
        assert_bit_rows!(f64_floor, f64:
            (b64(-0.5) => b64(-1.0)), (b64(1.5) => b64(1.0)), (SNAN64 => NAN64),
        );
        assert_bit_rows!(f64_ceil, f64:
            (b64(-0.5) => NZ64), (b64(1.5) => b64(2.0)), (SNAN64 => NAN64),
        );
        assert_bit_rows!(f64_sqrt, f64:
            (NZ64 => NZ64),
            // sqrt(2) correctly rounded is 0x1.6a09e667f3bcdp+0.
            (b64(2.0) => 0x3ff6_a09e_667f_3bcd),
            (b64(-1.0) => NAN64), (SNAN64 => NAN64),
        );
    }

    #[test]
    fn sign_bit_ops_keep_nan_payloads() {
        assert_bit_rows!(f32_abs, f32:
            (NSNAN32 => SNAN32), (SNAN32 => SNAN32), (NZ32 => Z32), (b32(-1.5) => b32(1.5)),
        );
        assert_bit_rows!(f32_neg, f32:
            (SNAN32 => NSNAN32), (NSNAN32 => SNAN32), (Z32 => NZ32), (b32(-1.5) => b32(1.5)),
        );
        assert_bit_rows!(f32_copysign, f32:
            (SNAN32, NZ32 => NSNAN32), (NSNAN32, b32(1.0) => SNAN32),
            (b32(2.0), NSNAN32 => b32(-2.0)), (b32(-2.0), Z32 => b32(2.0)),
        );
        assert_bit_rows!(f64_abs, f64: (NSNAN64 => SNAN64), (NZ64 => Z64));
        assert_bit_rows!(f64_neg, f64: (SNAN64 => NSNAN64), (Z64 => NZ64));
        assert_bit_rows!(f64_copysign, f64:
            (SNAN64, NZ64 => NSNAN64), (b64(-2.0), SNAN64 => b64(2.0)),
        );
    }

    #[test]
    fn trapping_truncation_to_i32() {
        let nan32 = f32::from_bits(NSNAN32);
        let nan64 = f64::from_bits(SNAN64);
        // -0x1.fffffep-1 and -0x1.fffffffffffffp-1: the floats just above -1.0.
        let above_minus_one_32 = f32::from_bits(0xbf7f_ffff);
        assert_rows!(i32_trunc_f32_s:
            (-0.0 => Ok(0)), (-1.9 => Ok(-1)), (2_147_483_520.0 => Ok(2_147_483_520)),
            (-2_147_483_648.0 => Ok(i32::MIN)), (2_147_483_648.0 => Err(Overflow)),
            (-2_147_483_904.0 => Err(Overflow)), (f32::INFINITY => Err(Overflow)),
            (f32::NEG_INFINITY => Err(Overflow)), (nan32 => Err(Nan)),
        );
        assert_rows!(i32_trunc_f32_u:
            (above_minus_one_32 => Ok(0)), (2_147_483_648.0 => Ok(0x8000_0000)),
            (4_294_967_040.0 => Ok(0xffff_ff00)), (4_294_967_296.0 => Err(Overflow)),
            (-1.0 => Err(Overflow)), (nan32 => Err(Nan)),
        );
        assert_rows!(i32_trunc_f64_s:
            (2_147_483_647.9 => Ok(i32::MAX)), (-2_147_483_648.9 => Ok(i32::MIN)),
            (2_147_483_648.0 => Err(Overflow)), (-2_147_483_649.0 => Err(Overflow)),
            (f64::NEG_INFINITY => Err(Overflow)), (nan64 => Err(Nan)),
        );
        assert_rows!(i32_trunc_f64_u:
            (-0.9 => Ok(0)), (1e8 => Ok(100_000_000)), (4_294_967_295.9 => Ok(u32::MAX)),
            (4_294_967_296.0 => Err(Overflow)), (-1.0 => Err(Overflow)),
            (9_223_372_036_854_775_808.0 => Err(Overflow)), (nan64 => Err(Nan)),
        );
    }

    #[test]
    fn trapping_truncation_to_i64() {
        let nan32 = f32::from_bits(SNAN32);
        let nan64 = f64::from_bits(NSNAN64);
        // -0x1.fffffep-1 and -0x1.fffffffffffffp-1: the floats just above -1.0.
        let above_minus_one_32 = f32::from_bits(0xbf7f_ffff);
        let above_minus_one_64 = f64::from_bits(0xbfef_ffff_ffff_ffff);
        assert_rows!(i64_trunc_f32_s:
            (-4_294_967_296.0 => Ok(-4_294_967_296)),
            (9_223_371_487_098_961_920.0 => Ok(9_223_371_487_098_961_920)),
            (-9_223_372_036_854_775_808.0 => Ok(i64::MIN)),
            (9_223_372_036_854_775_808.0 => Err(Overflow)),
            (-9_223_373_136_366_403_584.0 => Err(Overflow)), (nan32 => Err(Nan)),
        );
        assert_rows!(i64_trunc_f32_u:
            (above_minus_one_32 => Ok(0)),
            (18_446_742_974_197_923_840.0 => Ok(0xffff_ff00_0000_0000)),
            (18_446_744_073_709_551_616.0 => Err(Overflow)), (-1.0 => Err(Overflow)),
            (nan32 => Err(Nan)),
        );
        assert_rows!(i64_trunc_f64_s:
            (9_223_372_036_854_774_784.0 => Ok(9_223_372_036_854_774_784)),
            (-9_223_372_036_854_775_808.0 => Ok(i64::MIN)),
            (9_223_372_036_854_775_808.0 => Err(Overflow)),
            (-9_223_372_036_854_777_856.0 => Err(Overflow)),
            (f64::INFINITY => Err(Overflow)), (nan64 => Err(Nan)),
        );
        assert_rows!(i64_trunc_f64_u:
            (above_minus_one_64 => Ok(0)), (9_223_372_036_854_775_808.0 => Ok(1 << 63)),
            (18_446_744_073_709_549_568.0 => Ok(0xffff_ffff_ffff_f800)),
            (18_446_744_073_709_551_616.0 => Err(Overflow)), (-1.0 => Err(Overflow)),
            (nan64 => Err(Nan)),
        );
    }

    #[test]
    fn saturating_truncation() {
        let nan32 = f32::from_bits(NSNAN32);
        let nan64 = f64::from_bits(SNAN64);
        assert_rows!(i32_trunc_sat_f32_s:
            (-1.9 => -1), (-2_147_483_648.0 => i32::MIN), (2_147_483_648.0 => i32::MAX),
            (-2_147_483_904.0 => i32::MIN), (f32::INFINITY => i32::MAX), (nan32 => 0),
        );
        assert_rows!(i32_trunc_sat_f32_u:
            (-0.9 => 0), (4_294_967_040.0 => 0xffff_ff00), (4_294_967_296.0 => u32::MAX),
            (-1.0 => 0), (f32::NEG_INFINITY => 0), (nan32 => 0),
        );
        assert_rows!(i32_trunc_sat_f64_s:
            (-2_147_483_648.9 => i32::MIN), (2_147_483_648.0 => i32::MAX),
            (-2_147_483_649.0 => i32::MIN), (f64::NEG_INFINITY => i32::MIN), (nan64 => 0),
        );
        assert_rows!(i32_trunc_sat_f64_u:
            (4_294_967_295.9 => u32::MAX), (4_294_967_296.0 => u32::MAX),
            (1e16 => u32::MAX), (-1.0 => 0), (nan64 => 0),
        );
        assert_rows!(i64_trunc_sat_f32_s:
            (9_223_371_487_098_961_920.0 => 9_223_371_487_098_961_920),
            (9_223_372_036_854_775_808.0 => i64::MAX),
            (-9_223_373_136_366_403_584.0 => i64::MIN), (nan32 => 0),
        );
        assert_rows!(i64_trunc_sat_f32_u:
            (18_446_742_974_197_923_840.0 => 0xffff_ff00_0000_0000),
            (18_446_744_073_709_551_616.0 => u64::MAX), (-1.0 => 0), (nan32 => 0),
        );
        assert_rows!(i64_trunc_sat_f64_s:
            (9_223_372_036_854_774_784.0 => 9_223_372_036_854_774_784),
            (9_223_372_036_854_775_808.0 => i64::MAX),
            (-9_223_372_036_854_777_856.0 => i64::MIN), (f64::INFINITY => i64::MAX),
            (nan64 => 0),
        );
        assert_rows!(i64_trunc_sat_f64_u:
            (18_446_744_073_709_549_568.0 => 0xffff_ffff_ffff_f800),
            (18_446_744_073_709_551_616.0 => u64::MAX), (-1.0 => 0),
            (f64::NEG_INFINITY => 0), (nan64 => 0),
        );
    }
}
