//! The interpreter's SIMD instructions, in portable Rust. A `v128` is
//! handled as its 16 little-endian bytes, read straight from its two slots,
//! unpacked into a lane array for each operation and packed back
//! ([`lanes`]); written this way, the lane-wise loops compile to vector
//! instructions without any target intrinsics. Float operations follow the
//! scalar instructions' NaN rules ([`crate::numeric`]).
//!
//! The exception is `i8x16.shuffle` on x86-64: the baseline instruction
//! set has no byte shuffle, so the portable loop picks bytes one at a
//! time (over a hundred instructions), while SSSE3's `pshufb` does it in
//! a few. Processors that have it (detected once, with `cpuid`) take
//! that path ([`shuffle_ssse3`]); targets without vector registers (the
//! kernel and firmware targets, `x86_64-unknown-none`) keep the loop.

mod lanes;

use self::lanes::{build, pack, unpack};
use super::Regs;
use crate::ir::{SimdInstr, SimdMemArg, Slot};
use crate::numeric;
use crate::trap::TrapCode;

impl Regs {
    /// The little-endian bytes of the `v128` in slots `slot, slot + 1`.
    #[cfg(target_endian = "little")]
    #[inline(always)]
    fn v128(&self, slot: Slot) -> [u8; 16] {
        // SAFETY: as in `Regs::get`: the translator emits a `v128` operand
        // only where both of its slots are below `frame_slots`, and
        // `push_frame` checked that the whole frame is inside the value
        // stack. On a little-endian host the two slots' bytes, in order,
        // are the `v128`'s little-endian bytes; the read is unaligned-safe.
        unsafe {
            self.sp
                .add(slot as usize)
                .cast::<[u8; 16]>()
                .read_unaligned()
        }
    }

    /// Stores the little-endian bytes `v` as the `v128` in slots
    /// `slot, slot + 1`.
    #[cfg(target_endian = "little")]
    #[inline(always)]
    fn set_v128(&mut self, slot: Slot, v: [u8; 16]) {
        // SAFETY: as in `v128`.
        unsafe {
            self.sp
                .add(slot as usize)
                .cast::<[u8; 16]>()
                .write_unaligned(v)
        }
    }

    /// The little-endian bytes of the `v128` in slots `slot, slot + 1`.
    #[cfg(not(target_endian = "little"))]
    #[inline(always)]
    fn v128(&self, slot: Slot) -> [u8; 16] {
        let mut v = [0; 16];
        v[..8].copy_from_slice(&self.get(slot).to_le_bytes());
        v[8..].copy_from_slice(&self.get(slot + 1).to_le_bytes());
        v
    }

    /// Stores the little-endian bytes `v` as the `v128` in slots
    /// `slot, slot + 1`.
    #[cfg(not(target_endian = "little"))]
    #[inline(always)]
    fn set_v128(&mut self, slot: Slot, v: [u8; 16]) {
        let [lo, hi] = unpack::<u64, 2>(v);
        self.set(slot, lo);
        self.set(slot + 1, hi);
    }
}

/// All ones if `b`, else zero.
#[inline(always)]
fn mask32(b: bool) -> u32 {
    0u32.wrapping_sub(b as u32)
}

/// All ones if `b`, else zero.
#[inline(always)]
fn mask64(b: bool) -> u64 {
    0u64.wrapping_sub(b as u64)
}

macro_rules! float_min_max {
    ($($min:ident, $max:ident: $f:ty, $mask:ident, $nan:expr;)*) => {$(
        /// `min` of one lane, as [`numeric`]'s scalar form (canonical NaN if
        /// either operand is NaN, `-0.0` below `+0.0`), without branches so
        /// that the lane loop vectorizes.
        #[inline(always)]
        fn $min(x: $f, y: $f) -> $f {
            let (xb, yb) = (x.to_bits(), y.to_bits());
            let (lt, gt) = ($mask(x < y), $mask(y < x));
            let nan = $mask(x.is_nan() | y.is_nan());
            // Equal operands have equal bits except `±0.0`: OR picks `-0.0`.
            let m = (xb & lt) | (yb & gt) | ((xb | yb) & !(lt | gt));
            <$f>::from_bits((m & !nan) | ($nan & nan))
        }

        /// `max` of one lane; see the `min` above (AND picks `+0.0`).
        #[inline(always)]
        fn $max(x: $f, y: $f) -> $f {
            let (xb, yb) = (x.to_bits(), y.to_bits());
            let (gt, lt) = ($mask(x > y), $mask(y > x));
            let nan = $mask(x.is_nan() | y.is_nan());
            let m = (xb & gt) | (yb & lt) | ((xb & yb) & !(lt | gt));
            <$f>::from_bits((m & !nan) | ($nan & nan))
        }
    )*};
}
float_min_max! {
    f32_min, f32_max: f32, mask32, 0x7fc0_0000;
    f64_min, f64_max: f64, mask64, 0x7ff8_0000_0000_0000;
}

/// Bit `i` of the result is the top bit of byte `i` of `v` (8 bytes):
/// the masked top bits, multiplied by `sum(2^(7k))`, all land in the top
/// byte without carries.
#[inline(always)]
fn byte_sign_bits(v: u64) -> u64 {
    ((v & 0x8080_8080_8080_8080).wrapping_mul(0x0002_0408_1020_4081)) >> 56
}

/// The memory immediate of a SIMD load or store, from the constant pool.
#[inline(always)]
fn mem_arg(r: &Regs, pool: u16) -> SimdMemArg {
    SimdMemArg::from_pool(r.consts128()[pool as usize])
}

/// Reads `N` bytes at `addr + offset` of memory 0.
#[inline(always)]
fn load<const N: usize>(r: &Regs, addr: Slot, offset: u32) -> Result<[u8; N], TrapCode> {
    let p = r.mem_at(r.get(addr), offset, N)?;
    // SAFETY: `mem_at` checked that the `N` bytes are inside memory 0, and a
    // byte array has no alignment requirement.
    Ok(unsafe { p.cast::<[u8; N]>().read() })
}

/// Writes `bytes` at `addr + offset` of memory 0.
#[inline(always)]
fn store<const N: usize>(
    r: &Regs,
    addr: Slot,
    offset: u32,
    bytes: [u8; N],
) -> Result<(), TrapCode> {
    let p = r.mem_at(r.get(addr), offset, N)?;
    // SAFETY: as in `load`.
    unsafe { p.cast::<[u8; N]>().write(bytes) };
    Ok(())
}

/// Runs one SIMD instruction on the current frame. Inlined into its two
/// callers (the interpreter's `Simd` handler, out of line there, and the
/// JIT helper), which saves a call per instruction.
#[inline(always)]
pub(super) fn execute(r: &mut Regs, op: SimdInstr) -> Result<(), TrapCode> {
    use SimdInstr as S;

    /// `[$t; lanes]` of a `v128`.
    macro_rules! lanes_of {
        ($t:ty, $v:expr) => {
            unpack::<$t, { 16 / core::mem::size_of::<$t>() }>($v)
        };
    }
    /// Lane-wise unary operation on lanes of type `$t`.
    macro_rules! un {
        ($t:ty, $dst:ident, $src:ident, |$x:ident| $e:expr) => {{
            let x = lanes_of!($t, r.v128($src));
            r.set_v128($dst, pack(build::<$t, { 16 / core::mem::size_of::<$t>() }>(|i| {
                let $x = x[i];
                $e
            })));
        }};
    }
    /// Lane-wise binary operation on lanes of type `$t`.
    macro_rules! bin {
        ($t:ty, $dst:ident, $a:ident, $b:ident, |$x:ident, $y:ident| $e:expr) => {{
            let x = lanes_of!($t, r.v128($a));
            let y = lanes_of!($t, r.v128($b));
            let out: [$t; 16 / core::mem::size_of::<$t>()] = build(|i| {
                let ($x, $y) = (x[i], y[i]);
                $e
            });
            r.set_v128($dst, pack(out));
        }};
    }
    /// Lane-wise comparison of `$t` lanes into all-ones/zero `$m` lanes.
    macro_rules! cmp {
        ($t:ty => $m:ty, $dst:ident, $a:ident, $b:ident, |$x:ident, $y:ident| $e:expr) => {{
            let x = lanes_of!($t, r.v128($a));
            let y = lanes_of!($t, r.v128($b));
            let out: [$m; 16 / core::mem::size_of::<$t>()] = build(|i| {
                let ($x, $y) = (x[i], y[i]);
                if $e { <$m>::MAX } else { 0 }
            });
            r.set_v128($dst, pack(out));
        }};
    }
    /// Lane-wise shift by `$count` modulo the lane width.
    macro_rules! shift {
        ($t:ty, $dst:ident, $a:ident, $count:expr, |$x:ident, $n:ident| $e:expr) => {{
            let $n = ($count as u32) & (<$t>::BITS - 1);
            un!($t, $dst, $a, |$x| $e);
        }};
    }
    /// Widens lanes `$from_lane..` of `$src` from `$f` to `$t`.
    macro_rules! extend {
        ($f:ty => $t:ty, $dst:ident, $src:ident, $from_lane:expr) => {{
            let x = lanes_of!($f, r.v128($src));
            let out: [$t; 16 / core::mem::size_of::<$t>()] = build(|i| x[i + $from_lane] as $t);
            r.set_v128($dst, pack(out));
        }};
    }
    /// Widening multiply of lanes `$from_lane..` of `$a` and `$b`.
    macro_rules! extmul {
        ($f:ty => $t:ty, $dst:ident, $a:ident, $b:ident, $from_lane:expr) => {{
            let x = lanes_of!($f, r.v128($a));
            let y = lanes_of!($f, r.v128($b));
            let out: [$t; 16 / core::mem::size_of::<$t>()] =
                build(|i| (x[i + $from_lane] as $t).wrapping_mul(y[i + $from_lane] as $t));
            r.set_v128($dst, pack(out));
        }};
    }
    /// Widening sum of adjacent `$f` lanes.
    macro_rules! extadd_pairwise {
        ($f:ty => $t:ty, $dst:ident, $src:ident) => {{
            let x = lanes_of!($f, r.v128($src));
            let out: [$t; 16 / core::mem::size_of::<$t>()] =
                build(|i| x[2 * i] as $t + x[2 * i + 1] as $t);
            r.set_v128($dst, pack(out));
        }};
    }
    /// Saturating narrowing of the signed `$f` lanes of `$a` then `$b`.
    macro_rules! narrow {
        ($f:ty => $t:ty, $dst:ident, $a:ident, $b:ident) => {{
            const HALF: usize = 16 / core::mem::size_of::<$f>();
            let x = lanes_of!($f, r.v128($a));
            let y = lanes_of!($f, r.v128($b));
            let out: [$t; 2 * HALF] = build(|i| {
                let v = if i < HALF { x[i] } else { y[i - HALF] };
                v.clamp(<$t>::MIN as $f, <$t>::MAX as $f) as $t
            });
            r.set_v128($dst, pack(out));
        }};
    }
    /// i32 result: 1 if every `$t` lane is non-zero.
    macro_rules! all_true {
        ($t:ty, $dst:ident, $src:ident) => {{
            let x = lanes_of!($t, r.v128($src));
            r.set($dst, x.iter().all(|&l| l != 0) as u64);
        }};
    }
    /// i32 result: the sign bits of the signed `$t` lanes.
    macro_rules! bitmask {
        ($t:ty, $dst:ident, $src:ident) => {{
            let x = lanes_of!($t, r.v128($src));
            let bits = x
                .iter()
                .enumerate()
                .fold(0u64, |acc, (i, &l)| acc | ((l < 0) as u64) << i);
            r.set($dst, bits);
        }};
    }
    /// Lane `$lane` of `$src` as `$t`, masked into range.
    macro_rules! extract {
        ($t:ty, $src:ident, $lane:ident) => {{
            let x = lanes_of!($t, r.v128($src));
            x[$lane as usize % x.len()]
        }};
    }
    /// `$a` with lane `$lane` replaced by `$value`.
    macro_rules! replace {
        ($t:ty, $dst:ident, $a:ident, $lane:ident, $value:expr) => {{
            let mut x = lanes_of!($t, r.v128($a));
            let n = x.len();
            x[$lane as usize % n] = $value;
            r.set_v128($dst, pack(x));
        }};
    }
    /// Loads `$n` bytes into lane `arg.lane` of `$src`.
    macro_rules! load_lane {
        ($t:ty, $n:literal, $dst:ident, $addr:ident, $src:ident, $pool:ident) => {{
            let arg = mem_arg(r, $pool);
            let value = <$t>::from_le_bytes(load::<$n>(r, $addr, arg.offset)?);
            let lane = arg.lane;
            replace!($t, $dst, $src, lane, value);
        }};
    }
    /// Stores lane `arg.lane` of `$src`.
    macro_rules! store_lane {
        ($t:ty, $addr:ident, $src:ident, $pool:ident) => {{
            let arg = mem_arg(r, $pool);
            let lane = arg.lane;
            let value: $t = extract!($t, $src, lane);
            store(r, $addr, arg.offset, value.to_le_bytes())?;
        }};
    }
    /// Loads 8 bytes as `$f` lanes and widens each to `$t`.
    macro_rules! load_extend {
        ($f:ty => $t:ty, $dst:ident, $addr:ident, $pool:ident) => {{
            const N: usize = 16 / core::mem::size_of::<$t>();
            const W: usize = core::mem::size_of::<$f>();
            let bytes = load::<8>(r, $addr, mem_arg(r, $pool).offset)?;
            let out: [$t; N] = build(|i| {
                let mut lane = [0; W];
                lane.copy_from_slice(&bytes[i * W..(i + 1) * W]);
                <$f>::from_le_bytes(lane) as $t
            });
            r.set_v128($dst, pack(out));
        }};
    }
    /// Loads a `$t` and puts it in every lane.
    macro_rules! load_splat {
        ($t:ty, $n:literal, $dst:ident, $addr:ident, $pool:ident) => {{
            let bytes = load::<$n>(r, $addr, mem_arg(r, $pool).offset)?;
            r.set_v128($dst, pack([<$t>::from_le_bytes(bytes); 16 / $n]));
        }};
    }
    /// Loads a `$t` into lane 0, zeros above.
    macro_rules! load_zero {
        ($t:ty, $n:literal, $dst:ident, $addr:ident, $pool:ident) => {{
            let bytes = load::<$n>(r, $addr, mem_arg(r, $pool).offset)?;
            let mut v = [0; 16];
            v[..$n].copy_from_slice(&bytes);
            r.set_v128($dst, v);
        }};
    }

    match op {
        // ---- memory ----
        S::V128Load8x8S { dst, addr, pool } => load_extend!(i8 => i16, dst, addr, pool),
        S::V128Load8x8U { dst, addr, pool } => load_extend!(u8 => u16, dst, addr, pool),
        S::V128Load16x4S { dst, addr, pool } => load_extend!(i16 => i32, dst, addr, pool),
        S::V128Load16x4U { dst, addr, pool } => load_extend!(u16 => u32, dst, addr, pool),
        S::V128Load32x2S { dst, addr, pool } => load_extend!(i32 => i64, dst, addr, pool),
        S::V128Load32x2U { dst, addr, pool } => load_extend!(u32 => u64, dst, addr, pool),
        S::V128Load8Splat { dst, addr, pool } => load_splat!(u8, 1, dst, addr, pool),
        S::V128Load16Splat { dst, addr, pool } => load_splat!(u16, 2, dst, addr, pool),
        S::V128Load32Splat { dst, addr, pool } => load_splat!(u32, 4, dst, addr, pool),
        S::V128Load64Splat { dst, addr, pool } => load_splat!(u64, 8, dst, addr, pool),
        S::V128Load32Zero { dst, addr, pool } => load_zero!(u32, 4, dst, addr, pool),
        S::V128Load64Zero { dst, addr, pool } => load_zero!(u64, 8, dst, addr, pool),
        S::V128Load8Lane {
            dst,
            addr,
            src,
            pool,
        } => load_lane!(u8, 1, dst, addr, src, pool),
        S::V128Load16Lane {
            dst,
            addr,
            src,
            pool,
        } => load_lane!(u16, 2, dst, addr, src, pool),
        S::V128Load32Lane {
            dst,
            addr,
            src,
            pool,
        } => load_lane!(u32, 4, dst, addr, src, pool),
        S::V128Load64Lane {
            dst,
            addr,
            src,
            pool,
        } => load_lane!(u64, 8, dst, addr, src, pool),
        S::V128Store8Lane { addr, src, pool } => store_lane!(u8, addr, src, pool),
        S::V128Store16Lane { addr, src, pool } => store_lane!(u16, addr, src, pool),
        S::V128Store32Lane { addr, src, pool } => store_lane!(u32, addr, src, pool),
        S::V128Store64Lane { addr, src, pool } => store_lane!(u64, addr, src, pool),

        // ---- lanes ----
        S::I8x16Splat { dst, src } => r.set_v128(dst, pack([r.get(src) as u8; 16])),
        S::I16x8Splat { dst, src } => r.set_v128(dst, pack([r.get(src) as u16; 8])),
        S::I32x4Splat { dst, src } => r.set_v128(dst, pack([r.get(src) as u32; 4])),
        S::I64x2Splat { dst, src } => r.set_v128(dst, pack([r.get(src); 2])),
        S::I8x16ExtractLaneS { dst, src, lane } => {
            r.set(dst, extract!(i8, src, lane) as i32 as u32 as u64)
        }
        S::I8x16ExtractLaneU { dst, src, lane } => r.set(dst, extract!(u8, src, lane) as u64),
        S::I16x8ExtractLaneS { dst, src, lane } => {
            r.set(dst, extract!(i16, src, lane) as i32 as u32 as u64)
        }
        S::I16x8ExtractLaneU { dst, src, lane } => r.set(dst, extract!(u16, src, lane) as u64),
        S::I32x4ExtractLane { dst, src, lane } => r.set(dst, extract!(u32, src, lane) as u64),
        S::I64x2ExtractLane { dst, src, lane } => r.set(dst, extract!(u64, src, lane)),
        S::I8x16ReplaceLane { dst, a, b, lane } => replace!(u8, dst, a, lane, r.get(b) as u8),
        S::I16x8ReplaceLane { dst, a, b, lane } => replace!(u16, dst, a, lane, r.get(b) as u16),
        S::I32x4ReplaceLane { dst, a, b, lane } => replace!(u32, dst, a, lane, r.get(b) as u32),
        S::I64x2ReplaceLane { dst, a, b, lane } => replace!(u64, dst, a, lane, r.get(b)),
        S::I8x16Shuffle { dst, a, b, pool } => {
            #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
            if has_ssse3() {
                let mask = r.consts128()[pool as usize];
                let (x, y) = (
                    u128::from_le_bytes(r.v128(a)),
                    u128::from_le_bytes(r.v128(b)),
                );
                // SAFETY: the processor has SSSE3 (checked just above).
                let bytes = unsafe { shuffle_ssse3(x, y, mask) };
                r.set_v128(dst, bytes.to_le_bytes());
                return Ok(());
            }
            let mask = r.consts128()[pool as usize].to_le_bytes();
            r.set_v128(dst, shuffle(r.v128(a), r.v128(b), mask));
        }
        S::I8x16Swizzle { dst, a, b } => {
            let x = r.v128(a);
            let indices = r.v128(b);
            r.set_v128(
                dst,
                build(|i| {
                    if indices[i] < 16 {
                        x[indices[i] as usize & 15]
                    } else {
                        0
                    }
                }),
            );
        }

        // ---- bitwise ----
        S::V128Not { dst, src } => un!(u64, dst, src, |x| !x),
        S::V128And { dst, a, b } => bin!(u64, dst, a, b, |x, y| x & y),
        S::V128AndNot { dst, a, b } => bin!(u64, dst, a, b, |x, y| x & !y),
        S::V128Or { dst, a, b } => bin!(u64, dst, a, b, |x, y| x | y),
        S::V128Xor { dst, a, b } => bin!(u64, dst, a, b, |x, y| x ^ y),
        S::V128Bitselect { dst, a, b, c } => {
            let (x, y) = (lanes_of!(u64, r.v128(a)), lanes_of!(u64, r.v128(b)));
            let c = lanes_of!(u64, r.v128(c));
            let out: [u64; 2] = build(|i| (x[i] & c[i]) | (y[i] & !c[i]));
            r.set_v128(dst, pack(out));
        }
        S::V128AnyTrue { dst, src } => r.set(dst, (r.v128(src) != [0; 16]) as u64),

        // ---- integer comparisons ----
        S::I8x16Eq { dst, a, b } => cmp!(u8 => u8, dst, a, b, |x, y| x == y),
        S::I8x16Ne { dst, a, b } => cmp!(u8 => u8, dst, a, b, |x, y| x != y),
        S::I8x16LtS { dst, a, b } => cmp!(i8 => u8, dst, a, b, |x, y| x < y),
        S::I8x16LtU { dst, a, b } => cmp!(u8 => u8, dst, a, b, |x, y| x < y),
        S::I8x16GtS { dst, a, b } => cmp!(i8 => u8, dst, a, b, |x, y| x > y),
        S::I8x16GtU { dst, a, b } => cmp!(u8 => u8, dst, a, b, |x, y| x > y),
        S::I8x16LeS { dst, a, b } => cmp!(i8 => u8, dst, a, b, |x, y| x <= y),
        S::I8x16LeU { dst, a, b } => cmp!(u8 => u8, dst, a, b, |x, y| x <= y),
        S::I8x16GeS { dst, a, b } => cmp!(i8 => u8, dst, a, b, |x, y| x >= y),
        S::I8x16GeU { dst, a, b } => cmp!(u8 => u8, dst, a, b, |x, y| x >= y),
        S::I16x8Eq { dst, a, b } => cmp!(u16 => u16, dst, a, b, |x, y| x == y),
        S::I16x8Ne { dst, a, b } => cmp!(u16 => u16, dst, a, b, |x, y| x != y),
        S::I16x8LtS { dst, a, b } => cmp!(i16 => u16, dst, a, b, |x, y| x < y),
        S::I16x8LtU { dst, a, b } => cmp!(u16 => u16, dst, a, b, |x, y| x < y),
        S::I16x8GtS { dst, a, b } => cmp!(i16 => u16, dst, a, b, |x, y| x > y),
        S::I16x8GtU { dst, a, b } => cmp!(u16 => u16, dst, a, b, |x, y| x > y),
        S::I16x8LeS { dst, a, b } => cmp!(i16 => u16, dst, a, b, |x, y| x <= y),
        S::I16x8LeU { dst, a, b } => cmp!(u16 => u16, dst, a, b, |x, y| x <= y),
        S::I16x8GeS { dst, a, b } => cmp!(i16 => u16, dst, a, b, |x, y| x >= y),
        S::I16x8GeU { dst, a, b } => cmp!(u16 => u16, dst, a, b, |x, y| x >= y),
        S::I32x4Eq { dst, a, b } => cmp!(u32 => u32, dst, a, b, |x, y| x == y),
        S::I32x4Ne { dst, a, b } => cmp!(u32 => u32, dst, a, b, |x, y| x != y),
        S::I32x4LtS { dst, a, b } => cmp!(i32 => u32, dst, a, b, |x, y| x < y),
        S::I32x4LtU { dst, a, b } => cmp!(u32 => u32, dst, a, b, |x, y| x < y),
        S::I32x4GtS { dst, a, b } => cmp!(i32 => u32, dst, a, b, |x, y| x > y),
        S::I32x4GtU { dst, a, b } => cmp!(u32 => u32, dst, a, b, |x, y| x > y),
        S::I32x4LeS { dst, a, b } => cmp!(i32 => u32, dst, a, b, |x, y| x <= y),
        S::I32x4LeU { dst, a, b } => cmp!(u32 => u32, dst, a, b, |x, y| x <= y),
        S::I32x4GeS { dst, a, b } => cmp!(i32 => u32, dst, a, b, |x, y| x >= y),
        S::I32x4GeU { dst, a, b } => cmp!(u32 => u32, dst, a, b, |x, y| x >= y),
        S::I64x2Eq { dst, a, b } => cmp!(u64 => u64, dst, a, b, |x, y| x == y),
        S::I64x2Ne { dst, a, b } => cmp!(u64 => u64, dst, a, b, |x, y| x != y),
        S::I64x2LtS { dst, a, b } => cmp!(i64 => u64, dst, a, b, |x, y| x < y),
        S::I64x2GtS { dst, a, b } => cmp!(i64 => u64, dst, a, b, |x, y| x > y),
        S::I64x2LeS { dst, a, b } => cmp!(i64 => u64, dst, a, b, |x, y| x <= y),
        S::I64x2GeS { dst, a, b } => cmp!(i64 => u64, dst, a, b, |x, y| x >= y),

        // ---- float comparisons ----
        S::F32x4Eq { dst, a, b } => cmp!(f32 => u32, dst, a, b, |x, y| x == y),
        S::F32x4Ne { dst, a, b } => cmp!(f32 => u32, dst, a, b, |x, y| x != y),
        S::F32x4Lt { dst, a, b } => cmp!(f32 => u32, dst, a, b, |x, y| x < y),
        S::F32x4Gt { dst, a, b } => cmp!(f32 => u32, dst, a, b, |x, y| x > y),
        S::F32x4Le { dst, a, b } => cmp!(f32 => u32, dst, a, b, |x, y| x <= y),
        S::F32x4Ge { dst, a, b } => cmp!(f32 => u32, dst, a, b, |x, y| x >= y),
        S::F64x2Eq { dst, a, b } => cmp!(f64 => u64, dst, a, b, |x, y| x == y),
        S::F64x2Ne { dst, a, b } => cmp!(f64 => u64, dst, a, b, |x, y| x != y),
        S::F64x2Lt { dst, a, b } => cmp!(f64 => u64, dst, a, b, |x, y| x < y),
        S::F64x2Gt { dst, a, b } => cmp!(f64 => u64, dst, a, b, |x, y| x > y),
        S::F64x2Le { dst, a, b } => cmp!(f64 => u64, dst, a, b, |x, y| x <= y),
        S::F64x2Ge { dst, a, b } => cmp!(f64 => u64, dst, a, b, |x, y| x >= y),

        // ---- lane tests ----
        S::I8x16AllTrue { dst, src } => all_true!(u8, dst, src),
        S::I16x8AllTrue { dst, src } => all_true!(u16, dst, src),
        S::I32x4AllTrue { dst, src } => all_true!(u32, dst, src),
        S::I64x2AllTrue { dst, src } => all_true!(u64, dst, src),
        S::I8x16Bitmask { dst, src } => {
            let [lo, hi] = lanes_of!(u64, r.v128(src));
            r.set(dst, byte_sign_bits(lo) | byte_sign_bits(hi) << 8);
        }
        S::I16x8Bitmask { dst, src } => bitmask!(i16, dst, src),
        S::I32x4Bitmask { dst, src } => bitmask!(i32, dst, src),
        S::I64x2Bitmask { dst, src } => bitmask!(i64, dst, src),

        // ---- shifts ----
        S::I8x16Shl { dst, a, b } => shift!(u8, dst, a, r.get(b), |x, n| x << n),
        S::I8x16ShrS { dst, a, b } => shift!(i8, dst, a, r.get(b), |x, n| x >> n),
        S::I8x16ShrU { dst, a, b } => shift!(u8, dst, a, r.get(b), |x, n| x >> n),
        S::I16x8Shl { dst, a, b } => shift!(u16, dst, a, r.get(b), |x, n| x << n),
        S::I16x8ShrS { dst, a, b } => shift!(i16, dst, a, r.get(b), |x, n| x >> n),
        S::I16x8ShrU { dst, a, b } => shift!(u16, dst, a, r.get(b), |x, n| x >> n),
        S::I32x4Shl { dst, a, b } => shift!(u32, dst, a, r.get(b), |x, n| x << n),
        S::I32x4ShrS { dst, a, b } => shift!(i32, dst, a, r.get(b), |x, n| x >> n),
        S::I32x4ShrU { dst, a, b } => shift!(u32, dst, a, r.get(b), |x, n| x >> n),
        S::I64x2Shl { dst, a, b } => shift!(u64, dst, a, r.get(b), |x, n| x << n),
        S::I64x2ShrS { dst, a, b } => shift!(i64, dst, a, r.get(b), |x, n| x >> n),
        S::I64x2ShrU { dst, a, b } => shift!(u64, dst, a, r.get(b), |x, n| x >> n),
        S::I8x16ShlImm { dst, a, imm } => shift!(u8, dst, a, imm, |x, n| x << n),
        S::I8x16ShrSImm { dst, a, imm } => shift!(i8, dst, a, imm, |x, n| x >> n),
        S::I8x16ShrUImm { dst, a, imm } => shift!(u8, dst, a, imm, |x, n| x >> n),
        S::I16x8ShlImm { dst, a, imm } => shift!(u16, dst, a, imm, |x, n| x << n),
        S::I16x8ShrSImm { dst, a, imm } => shift!(i16, dst, a, imm, |x, n| x >> n),
        S::I16x8ShrUImm { dst, a, imm } => shift!(u16, dst, a, imm, |x, n| x >> n),
        S::I32x4ShlImm { dst, a, imm } => shift!(u32, dst, a, imm, |x, n| x << n),
        S::I32x4ShrSImm { dst, a, imm } => shift!(i32, dst, a, imm, |x, n| x >> n),
        S::I32x4ShrUImm { dst, a, imm } => shift!(u32, dst, a, imm, |x, n| x >> n),
        S::I64x2ShlImm { dst, a, imm } => shift!(u64, dst, a, imm, |x, n| x << n),
        S::I64x2ShrSImm { dst, a, imm } => shift!(i64, dst, a, imm, |x, n| x >> n),
        S::I64x2ShrUImm { dst, a, imm } => shift!(u64, dst, a, imm, |x, n| x >> n),

        // ---- integer arithmetic ----
        S::I8x16Abs { dst, src } => un!(i8, dst, src, |x| x.wrapping_abs()),
        S::I8x16Neg { dst, src } => un!(i8, dst, src, |x| x.wrapping_neg()),
        S::I8x16Popcnt { dst, src } => un!(u8, dst, src, |x| x.count_ones() as u8),
        S::I8x16Add { dst, a, b } => bin!(u8, dst, a, b, |x, y| x.wrapping_add(y)),
        S::I8x16AddSatS { dst, a, b } => bin!(i8, dst, a, b, |x, y| x.saturating_add(y)),
        S::I8x16AddSatU { dst, a, b } => bin!(u8, dst, a, b, |x, y| x.saturating_add(y)),
        S::I8x16Sub { dst, a, b } => bin!(u8, dst, a, b, |x, y| x.wrapping_sub(y)),
        S::I8x16SubSatS { dst, a, b } => bin!(i8, dst, a, b, |x, y| x.saturating_sub(y)),
        S::I8x16SubSatU { dst, a, b } => bin!(u8, dst, a, b, |x, y| x.saturating_sub(y)),
        S::I8x16MinS { dst, a, b } => bin!(i8, dst, a, b, |x, y| x.min(y)),
        S::I8x16MinU { dst, a, b } => bin!(u8, dst, a, b, |x, y| x.min(y)),
        S::I8x16MaxS { dst, a, b } => bin!(i8, dst, a, b, |x, y| x.max(y)),
        S::I8x16MaxU { dst, a, b } => bin!(u8, dst, a, b, |x, y| x.max(y)),
        S::I8x16AvgrU { dst, a, b } => {
            bin!(u8, dst, a, b, |x, y| ((x as u16 + y as u16 + 1) >> 1) as u8)
        }
        S::I16x8Abs { dst, src } => un!(i16, dst, src, |x| x.wrapping_abs()),
        S::I16x8Neg { dst, src } => un!(i16, dst, src, |x| x.wrapping_neg()),
        S::I16x8Add { dst, a, b } => bin!(u16, dst, a, b, |x, y| x.wrapping_add(y)),
        S::I16x8AddSatS { dst, a, b } => bin!(i16, dst, a, b, |x, y| x.saturating_add(y)),
        S::I16x8AddSatU { dst, a, b } => bin!(u16, dst, a, b, |x, y| x.saturating_add(y)),
        S::I16x8Sub { dst, a, b } => bin!(u16, dst, a, b, |x, y| x.wrapping_sub(y)),
        S::I16x8SubSatS { dst, a, b } => bin!(i16, dst, a, b, |x, y| x.saturating_sub(y)),
        S::I16x8SubSatU { dst, a, b } => bin!(u16, dst, a, b, |x, y| x.saturating_sub(y)),
        S::I16x8Mul { dst, a, b } => bin!(u16, dst, a, b, |x, y| x.wrapping_mul(y)),
        S::I16x8MinS { dst, a, b } => bin!(i16, dst, a, b, |x, y| x.min(y)),
        S::I16x8MinU { dst, a, b } => bin!(u16, dst, a, b, |x, y| x.min(y)),
        S::I16x8MaxS { dst, a, b } => bin!(i16, dst, a, b, |x, y| x.max(y)),
        S::I16x8MaxU { dst, a, b } => bin!(u16, dst, a, b, |x, y| x.max(y)),
        S::I16x8AvgrU { dst, a, b } => {
            bin!(u16, dst, a, b, |x, y| ((x as u32 + y as u32 + 1) >> 1)
                as u16)
        }
        S::I16x8Q15MulrSatS { dst, a, b } => bin!(i16, dst, a, b, |x, y| {
            ((x as i32 * y as i32 + 0x4000) >> 15).clamp(i16::MIN as i32, i16::MAX as i32) as i16
        }),
        S::I32x4Abs { dst, src } => un!(i32, dst, src, |x| x.wrapping_abs()),
        S::I32x4Neg { dst, src } => un!(i32, dst, src, |x| x.wrapping_neg()),
        S::I32x4Add { dst, a, b } => bin!(u32, dst, a, b, |x, y| x.wrapping_add(y)),
        S::I32x4Sub { dst, a, b } => bin!(u32, dst, a, b, |x, y| x.wrapping_sub(y)),
        S::I32x4Mul { dst, a, b } => bin!(u32, dst, a, b, |x, y| x.wrapping_mul(y)),
        S::I32x4MinS { dst, a, b } => bin!(i32, dst, a, b, |x, y| x.min(y)),
        S::I32x4MinU { dst, a, b } => bin!(u32, dst, a, b, |x, y| x.min(y)),
        S::I32x4MaxS { dst, a, b } => bin!(i32, dst, a, b, |x, y| x.max(y)),
        S::I32x4MaxU { dst, a, b } => bin!(u32, dst, a, b, |x, y| x.max(y)),
        S::I32x4DotI16x8S { dst, a, b } => {
            let x = lanes_of!(i16, r.v128(a));
            let y = lanes_of!(i16, r.v128(b));
            let out: [i32; 4] = build(|i| {
                let lo = x[2 * i] as i32 * y[2 * i] as i32;
                let hi = x[2 * i + 1] as i32 * y[2 * i + 1] as i32;
                lo.wrapping_add(hi)
            });
            r.set_v128(dst, pack(out));
        }
        S::I64x2Abs { dst, src } => un!(i64, dst, src, |x| x.wrapping_abs()),
        S::I64x2Neg { dst, src } => un!(i64, dst, src, |x| x.wrapping_neg()),
        S::I64x2Add { dst, a, b } => bin!(u64, dst, a, b, |x, y| x.wrapping_add(y)),
        S::I64x2Sub { dst, a, b } => bin!(u64, dst, a, b, |x, y| x.wrapping_sub(y)),
        S::I64x2Mul { dst, a, b } => bin!(u64, dst, a, b, |x, y| x.wrapping_mul(y)),

        // ---- widening and narrowing ----
        S::I16x8ExtAddPairwiseI8x16S { dst, src } => extadd_pairwise!(i8 => i16, dst, src),
        S::I16x8ExtAddPairwiseI8x16U { dst, src } => extadd_pairwise!(u8 => u16, dst, src),
        S::I32x4ExtAddPairwiseI16x8S { dst, src } => extadd_pairwise!(i16 => i32, dst, src),
        S::I32x4ExtAddPairwiseI16x8U { dst, src } => extadd_pairwise!(u16 => u32, dst, src),
        S::I16x8ExtendLowI8x16S { dst, src } => extend!(i8 => i16, dst, src, 0),
        S::I16x8ExtendHighI8x16S { dst, src } => extend!(i8 => i16, dst, src, 8),
        S::I16x8ExtendLowI8x16U { dst, src } => extend!(u8 => u16, dst, src, 0),
        S::I16x8ExtendHighI8x16U { dst, src } => extend!(u8 => u16, dst, src, 8),
        S::I32x4ExtendLowI16x8S { dst, src } => extend!(i16 => i32, dst, src, 0),
        S::I32x4ExtendHighI16x8S { dst, src } => extend!(i16 => i32, dst, src, 4),
        S::I32x4ExtendLowI16x8U { dst, src } => extend!(u16 => u32, dst, src, 0),
        S::I32x4ExtendHighI16x8U { dst, src } => extend!(u16 => u32, dst, src, 4),
        S::I64x2ExtendLowI32x4S { dst, src } => extend!(i32 => i64, dst, src, 0),
        S::I64x2ExtendHighI32x4S { dst, src } => extend!(i32 => i64, dst, src, 2),
        S::I64x2ExtendLowI32x4U { dst, src } => extend!(u32 => u64, dst, src, 0),
        S::I64x2ExtendHighI32x4U { dst, src } => extend!(u32 => u64, dst, src, 2),
        S::I16x8ExtMulLowI8x16S { dst, a, b } => extmul!(i8 => i16, dst, a, b, 0),
        S::I16x8ExtMulHighI8x16S { dst, a, b } => extmul!(i8 => i16, dst, a, b, 8),
        S::I16x8ExtMulLowI8x16U { dst, a, b } => extmul!(u8 => u16, dst, a, b, 0),
        S::I16x8ExtMulHighI8x16U { dst, a, b } => extmul!(u8 => u16, dst, a, b, 8),
        S::I32x4ExtMulLowI16x8S { dst, a, b } => extmul!(i16 => i32, dst, a, b, 0),
        S::I32x4ExtMulHighI16x8S { dst, a, b } => extmul!(i16 => i32, dst, a, b, 4),
        S::I32x4ExtMulLowI16x8U { dst, a, b } => extmul!(u16 => u32, dst, a, b, 0),
        S::I32x4ExtMulHighI16x8U { dst, a, b } => extmul!(u16 => u32, dst, a, b, 4),
        S::I64x2ExtMulLowI32x4S { dst, a, b } => extmul!(i32 => i64, dst, a, b, 0),
        S::I64x2ExtMulHighI32x4S { dst, a, b } => extmul!(i32 => i64, dst, a, b, 2),
        S::I64x2ExtMulLowI32x4U { dst, a, b } => extmul!(u32 => u64, dst, a, b, 0),
        S::I64x2ExtMulHighI32x4U { dst, a, b } => extmul!(u32 => u64, dst, a, b, 2),
        S::I8x16NarrowI16x8S { dst, a, b } => narrow!(i16 => i8, dst, a, b),
        S::I8x16NarrowI16x8U { dst, a, b } => narrow!(i16 => u8, dst, a, b),
        S::I16x8NarrowI32x4S { dst, a, b } => narrow!(i32 => i16, dst, a, b),
        S::I16x8NarrowI32x4U { dst, a, b } => narrow!(i32 => u16, dst, a, b),

        // ---- float arithmetic ----
        S::F32x4Abs { dst, src } => un!(f32, dst, src, |x| numeric::f32_abs(x)),
        S::F32x4Neg { dst, src } => un!(f32, dst, src, |x| numeric::f32_neg(x)),
        S::F32x4Sqrt { dst, src } => un!(f32, dst, src, |x| numeric::f32_sqrt(x)),
        S::F32x4Ceil { dst, src } => un!(f32, dst, src, |x| numeric::f32_ceil(x)),
        S::F32x4Floor { dst, src } => un!(f32, dst, src, |x| numeric::f32_floor(x)),
        S::F32x4Trunc { dst, src } => un!(f32, dst, src, |x| numeric::f32_trunc(x)),
        S::F32x4Nearest { dst, src } => un!(f32, dst, src, |x| numeric::f32_nearest(x)),
        S::F32x4Add { dst, a, b } => bin!(f32, dst, a, b, |x, y| x + y),
        S::F32x4Sub { dst, a, b } => bin!(f32, dst, a, b, |x, y| x - y),
        S::F32x4Mul { dst, a, b } => bin!(f32, dst, a, b, |x, y| x * y),
        S::F32x4Div { dst, a, b } => bin!(f32, dst, a, b, |x, y| x / y),
        S::F32x4Min { dst, a, b } => bin!(f32, dst, a, b, |x, y| f32_min(x, y)),
        S::F32x4Max { dst, a, b } => bin!(f32, dst, a, b, |x, y| f32_max(x, y)),
        S::F32x4PMin { dst, a, b } => bin!(f32, dst, a, b, |x, y| if y < x { y } else { x }),
        S::F32x4PMax { dst, a, b } => bin!(f32, dst, a, b, |x, y| if x < y { y } else { x }),
        S::F64x2Abs { dst, src } => un!(f64, dst, src, |x| numeric::f64_abs(x)),
        S::F64x2Neg { dst, src } => un!(f64, dst, src, |x| numeric::f64_neg(x)),
        S::F64x2Sqrt { dst, src } => un!(f64, dst, src, |x| numeric::f64_sqrt(x)),
        S::F64x2Ceil { dst, src } => un!(f64, dst, src, |x| numeric::f64_ceil(x)),
        S::F64x2Floor { dst, src } => un!(f64, dst, src, |x| numeric::f64_floor(x)),
        S::F64x2Trunc { dst, src } => un!(f64, dst, src, |x| numeric::f64_trunc(x)),
        S::F64x2Nearest { dst, src } => un!(f64, dst, src, |x| numeric::f64_nearest(x)),
        S::F64x2Add { dst, a, b } => bin!(f64, dst, a, b, |x, y| x + y),
        S::F64x2Sub { dst, a, b } => bin!(f64, dst, a, b, |x, y| x - y),
        S::F64x2Mul { dst, a, b } => bin!(f64, dst, a, b, |x, y| x * y),
        S::F64x2Div { dst, a, b } => bin!(f64, dst, a, b, |x, y| x / y),
        S::F64x2Min { dst, a, b } => bin!(f64, dst, a, b, |x, y| f64_min(x, y)),
        S::F64x2Max { dst, a, b } => bin!(f64, dst, a, b, |x, y| f64_max(x, y)),
        S::F64x2PMin { dst, a, b } => bin!(f64, dst, a, b, |x, y| if y < x { y } else { x }),
        S::F64x2PMax { dst, a, b } => bin!(f64, dst, a, b, |x, y| if x < y { y } else { x }),

        // ---- conversions ----
        S::I32x4TruncSatF32x4S { dst, src } => {
            let x = lanes_of!(f32, r.v128(src));
            r.set_v128(
                dst,
                pack::<i32, 4>(build(|i| numeric::i32_trunc_sat_f32_s(x[i]))),
            );
        }
        S::I32x4TruncSatF32x4U { dst, src } => {
            let x = lanes_of!(f32, r.v128(src));
            r.set_v128(
                dst,
                pack::<u32, 4>(build(|i| numeric::i32_trunc_sat_f32_u(x[i]))),
            );
        }
        S::I32x4TruncSatF64x2SZero { dst, src } => {
            let [x0, x1] = lanes_of!(f64, r.v128(src));
            let (y0, y1) = (
                numeric::i32_trunc_sat_f64_s(x0),
                numeric::i32_trunc_sat_f64_s(x1),
            );
            r.set_v128(dst, pack([y0, y1, 0, 0]));
        }
        S::I32x4TruncSatF64x2UZero { dst, src } => {
            let [x0, x1] = lanes_of!(f64, r.v128(src));
            let (y0, y1) = (
                numeric::i32_trunc_sat_f64_u(x0),
                numeric::i32_trunc_sat_f64_u(x1),
            );
            r.set_v128(dst, pack([y0, y1, 0, 0]));
        }
        S::F32x4ConvertI32x4S { dst, src } => {
            let x = lanes_of!(i32, r.v128(src));
            r.set_v128(dst, pack::<f32, 4>(build(|i| x[i] as f32)));
        }
        S::F32x4ConvertI32x4U { dst, src } => {
            let x = lanes_of!(u32, r.v128(src));
            r.set_v128(dst, pack::<f32, 4>(build(|i| x[i] as f32)));
        }
        S::F64x2ConvertLowI32x4S { dst, src } => {
            let [x0, x1, _, _] = lanes_of!(i32, r.v128(src));
            r.set_v128(dst, pack([x0 as f64, x1 as f64]));
        }
        S::F64x2ConvertLowI32x4U { dst, src } => {
            let [x0, x1, _, _] = lanes_of!(u32, r.v128(src));
            r.set_v128(dst, pack([x0 as f64, x1 as f64]));
        }
        S::F32x4DemoteF64x2Zero { dst, src } => {
            let [x0, x1] = lanes_of!(f64, r.v128(src));
            r.set_v128(dst, pack([x0 as f32, x1 as f32, 0.0, 0.0]));
        }
        S::F64x2PromoteLowF32x4 { dst, src } => {
            let [x0, x1, _, _] = lanes_of!(f32, r.v128(src));
            r.set_v128(dst, pack([x0 as f64, x1 as f64]));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_free_min_max_match_the_scalar_instructions() {
        let f32s = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MAX,
            f32::MIN_POSITIVE,
            f32::NAN,
            f32::from_bits(0xffa0_0001),
        ];
        for x in f32s {
            for y in f32s {
                let args = alloc::format!("({x:?}, {y:?})");
                assert_eq!(
                    f32_min(x, y).to_bits(),
                    numeric::f32_min(x, y).to_bits(),
                    "min{args}"
                );
                assert_eq!(
                    f32_max(x, y).to_bits(),
                    numeric::f32_max(x, y).to_bits(),
                    "max{args}"
                );
                let (x, y) = (x as f64, y as f64);
                assert_eq!(
                    f64_min(x, y).to_bits(),
                    numeric::f64_min(x, y).to_bits(),
                    "min{args}"
                );
                assert_eq!(
                    f64_max(x, y).to_bits(),
                    numeric::f64_max(x, y).to_bits(),
                    "max{args}"
                );
            }
        }
    }

    #[test]
    fn byte_sign_bits_gathers_the_top_bit_of_each_byte() {
        assert_eq!(byte_sign_bits(0), 0);
        assert_eq!(byte_sign_bits(u64::MAX), 0xff);
        assert_eq!(byte_sign_bits(0x7f7f_7f7f_7f7f_7f7f), 0);
        assert_eq!(byte_sign_bits(0x8000_0000_0000_00ff), 0b1000_0001);
        assert_eq!(byte_sign_bits(0x0080_ff00_7f80_0001), 0b0110_0100);
    }
}

/// `i8x16.shuffle` of `a` and `b` by the lane indices in `mask` (each
/// below 32, as validation requires; only the low five bits are used).
#[inline(always)]
fn shuffle(a: [u8; 16], b: [u8; 16], mask: [u8; 16]) -> [u8; 16] {
    let mut both = [0; 32];
    both[..16].copy_from_slice(&a);
    both[16..].copy_from_slice(&b);
    build(|i| both[mask[i] as usize & 31])
}

/// Whether the processor has SSSE3 (checked with `cpuid` on first use).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn has_ssse3() -> bool {
    use core::sync::atomic::{AtomicU8, Ordering};
    /// 0: not checked yet; 1: no; 2: yes.
    static SSSE3: AtomicU8 = AtomicU8::new(0);
    match SSSE3.load(Ordering::Relaxed) {
        0 => {
            #[allow(unused_unsafe)]
            // SAFETY: every x86-64 processor has `cpuid`, and leaf 1
            // (feature flags) always exists.
            let ecx = unsafe { core::arch::x86_64::__cpuid(1) }.ecx;
            let yes = ecx & (1 << 9) != 0;
            SSSE3.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
            yes
        }
        state => state == 2,
    }
}

/// `i8x16.shuffle` of `a` and `b` (little-endian `v128`s) by the lane
/// indices in `mask` (each below 32, as validation requires; only the
/// low five bits are used), with `pshufb`.
///
/// # Safety
/// The processor has SSSE3.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "ssse3")]
unsafe fn shuffle_ssse3(a: u128, b: u128, mask: u128) -> u128 {
    use core::arch::x86_64::*;
    // SAFETY: `u128` and `__m128i` are both 16 plain bytes, and a
    // little-endian `u128`'s bytes are the vector's lanes in order.
    let (a, b, mask): (__m128i, __m128i, __m128i) = unsafe {
        (
            core::mem::transmute::<u128, __m128i>(a),
            core::mem::transmute::<u128, __m128i>(b),
            core::mem::transmute::<u128, __m128i>(mask),
        )
    };
    let index = _mm_and_si128(mask, _mm_set1_epi8(31));
    // Lanes taken from `b` (index 16 and up); `pshufb` zeroes a lane whose
    // index has its high bit set, so each source's lanes are masked that
    // way for the other's shuffle.
    let from_b = _mm_cmpgt_epi8(index, _mm_set1_epi8(15));
    let low = _mm_shuffle_epi8(a, _mm_or_si128(index, from_b));
    let high_index = _mm_or_si128(
        _mm_sub_epi8(index, _mm_set1_epi8(16)),
        _mm_andnot_si128(from_b, _mm_set1_epi8(-1)),
    );
    let high = _mm_shuffle_epi8(b, high_index);
    // SAFETY: as above.
    unsafe { core::mem::transmute::<__m128i, u128>(_mm_or_si128(low, high)) }
}

#[cfg(all(test, target_arch = "x86_64", target_feature = "sse2"))]
mod shuffle_tests {
    use super::*;

    /// The portable shuffle picks the lanes it should, and the `pshufb`
    /// one (where the processor has SSSE3; elsewhere only the first part
    /// runs) agrees with it, for lane indices from either input, repeated,
    /// and with bits above the low five set.
    #[test]
    fn ssse3_shuffle_matches_the_portable_one() {
        let a: [u8; 16] = core::array::from_fn(|i| i as u8 * 7 + 1);
        let b: [u8; 16] = core::array::from_fn(|i| 200 - i as u8 * 3);
        let identity: [u8; 16] = core::array::from_fn(|i| i as u8);
        assert_eq!(shuffle(a, b, identity), a);
        assert_eq!(shuffle(a, b, identity.map(|i| i + 16)), b);
        assert_eq!(
            shuffle(a, b, identity.map(|i| 15 - i)),
            core::array::from_fn(|i| a[15 - i])
        );
        assert_eq!(shuffle(a, b, [16 + 32; 16]), [b[0]; 16]);
        if !has_ssse3() {
            return;
        }
        let mut seed = 0x2545_f491_u32;
        for round in 0..1000 {
            let mask: [u8; 16] = core::array::from_fn(|i| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                match round {
                    0 => i as u8,
                    1 => 31 - i as u8,
                    2 => 16,
                    _ if round % 2 == 0 => (seed % 32) as u8,
                    _ => seed as u8,
                }
            });
            let want = shuffle(a, b, mask);
            // SAFETY: checked above that the processor has SSSE3.
            let got = unsafe {
                shuffle_ssse3(
                    u128::from_le_bytes(a),
                    u128::from_le_bytes(b),
                    u128::from_le_bytes(mask),
                )
            };
            assert_eq!(got.to_le_bytes(), want, "mask {mask:?}");
        }
    }
}
