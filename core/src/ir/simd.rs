//! The SIMD family of the register IR: every `v128` operation is one
//! [`SimdInstr`], carried by `Instr::Simd`. Keeping the family in its own
//! list keeps the scalar dispatch table dense, and the nested tag costs a
//! second jump only for SIMD operations, which do much more work each.
//!
//! Operands are at most four 16-bit fields (so `Instr` stays 12 bytes):
//! slots (`dst`, `a`, `b`, `c`, `addr`, `src`), small immediates (`lane`,
//! `imm`), or an index into the function's 128-bit constant pool (`pool`)
//! for wider immediates: a shuffle's 16 lane indices (byte `i` of the
//! constant selects result lane `i`), or a memory access's [`SimdMemArg`]
//! (offset and lane). A `v128` operand names the first of its two slots.
//!
//! Names follow the grammar of the main list (`ir::list`): the Wasm type and
//! operation in CamelCase (`I16x8ExtMulLowI8x16S`), a trailing `Imm` when
//! the last operand is an immediate. Operations whose bits do not depend on
//! the lane interpretation share one instruction, as scalar `f32.load` is an
//! `I32Load`: `f32x4.splat`, `f32x4.extract_lane` and `f32x4.replace_lane`
//! are their `i32x4` forms, the `f64x2` ones their `i64x2` forms. `v128.load`
//! and `v128.store` are in the main list (their offset fits there), and
//! `v128.const` is the main list's `Const128`.
//!
//! Lanes are numbered from the least significant end of the `u128` (lane 0 is
//! the byte at the lowest memory address), shifts use their count modulo the
//! lane width, and every instruction reads all its operands before it writes
//! `dst`, so `dst` may overlap any input.

use crate::ir::Slot;

/// Calls `$mac!` with every SIMD instruction as `Name { field: Type, ... }`,
/// each preceded by its doc comment.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_simd_instr {
    ($mac:ident) => {
        $mac! {
            // ---- memory 0: `pool` is a `SimdMemArg`; the effective address
            // is `addr + offset`, out of bounds traps ----
            /// `dst` = 8 bytes, each sign-extended to an i16 lane.
            V128Load8x8S { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = 8 bytes, each zero-extended to an i16 lane.
            V128Load8x8U { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = 4 i16s, each sign-extended to an i32 lane.
            V128Load16x4S { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = 4 u16s, each zero-extended to an i32 lane.
            V128Load16x4U { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = 2 i32s, each sign-extended to an i64 lane.
            V128Load32x2S { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = 2 u32s, each zero-extended to an i64 lane.
            V128Load32x2U { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = one byte in every i8 lane.
            V128Load8Splat { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = one 16-bit value in every i16 lane.
            V128Load16Splat { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = one 32-bit value in every i32 lane.
            V128Load32Splat { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = one 64-bit value in every i64 lane.
            V128Load64Splat { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = 32 bits in lane 0, zeros above.
            V128Load32Zero { dst: Slot, addr: Slot, pool: u16 }
            /// `dst` = 64 bits in lane 0, zeros above.
            V128Load64Zero { dst: Slot, addr: Slot, pool: u16 }
            /// `dst = src` with i8 lane `lane` loaded from memory.
            V128Load8Lane { dst: Slot, addr: Slot, src: Slot, pool: u16 }
            /// `dst = src` with i16 lane `lane` loaded from memory.
            V128Load16Lane { dst: Slot, addr: Slot, src: Slot, pool: u16 }
            /// `dst = src` with i32 lane `lane` loaded from memory.
            V128Load32Lane { dst: Slot, addr: Slot, src: Slot, pool: u16 }
            /// `dst = src` with i64 lane `lane` loaded from memory.
            V128Load64Lane { dst: Slot, addr: Slot, src: Slot, pool: u16 }
            /// Stores i8 lane `lane` of `src`.
            V128Store8Lane { addr: Slot, src: Slot, pool: u16 }
            /// Stores i16 lane `lane` of `src`.
            V128Store16Lane { addr: Slot, src: Slot, pool: u16 }
            /// Stores i32 lane `lane` of `src`.
            V128Store32Lane { addr: Slot, src: Slot, pool: u16 }
            /// Stores i64 lane `lane` of `src`.
            V128Store64Lane { addr: Slot, src: Slot, pool: u16 }

            // ---- lanes: splat, extract, replace, shuffle ----
            /// `dst` = the low 8 bits of the i32 in `src`, in every lane.
            I8x16Splat { dst: Slot, src: Slot }
            /// `dst` = the low 16 bits of the i32 in `src`, in every lane.
            I16x8Splat { dst: Slot, src: Slot }
            /// `dst` = the i32 (or f32) in `src`, in every lane.
            I32x4Splat { dst: Slot, src: Slot }
            /// `dst` = the i64 (or f64) in `src`, in every lane.
            I64x2Splat { dst: Slot, src: Slot }
            /// `dst` = lane `lane` of `src`, sign-extended to an i32.
            I8x16ExtractLaneS { dst: Slot, src: Slot, lane: u16 }
            /// `dst` = lane `lane` of `src`, zero-extended to an i32.
            I8x16ExtractLaneU { dst: Slot, src: Slot, lane: u16 }
            /// `dst` = lane `lane` of `src`, sign-extended to an i32.
            I16x8ExtractLaneS { dst: Slot, src: Slot, lane: u16 }
            /// `dst` = lane `lane` of `src`, zero-extended to an i32.
            I16x8ExtractLaneU { dst: Slot, src: Slot, lane: u16 }
            /// `dst` = lane `lane` of `src` (an i32 or f32).
            I32x4ExtractLane { dst: Slot, src: Slot, lane: u16 }
            /// `dst` = lane `lane` of `src` (an i64 or f64).
            I64x2ExtractLane { dst: Slot, src: Slot, lane: u16 }
            /// `dst = a` with lane `lane` replaced by the low 8 bits of `b`.
            I8x16ReplaceLane { dst: Slot, a: Slot, b: Slot, lane: u16 }
            /// `dst = a` with lane `lane` replaced by the low 16 bits of `b`.
            I16x8ReplaceLane { dst: Slot, a: Slot, b: Slot, lane: u16 }
            /// `dst = a` with lane `lane` replaced by the i32 (or f32) `b`.
            I32x4ReplaceLane { dst: Slot, a: Slot, b: Slot, lane: u16 }
            /// `dst = a` with lane `lane` replaced by the i64 (or f64) `b`.
            I64x2ReplaceLane { dst: Slot, a: Slot, b: Slot, lane: u16 }
            /// Lane `i` of `dst` = lane `m[i]` of the 32 lanes `a ++ b`, where
            /// `m` is constant `pool` as 16 bytes (each below 32).
            I8x16Shuffle { dst: Slot, a: Slot, b: Slot, pool: u16 }
            /// Lane `i` of `dst` = lane `b[i]` of `a`, or 0 if `b[i] >= 16`.
            I8x16Swizzle { dst: Slot, a: Slot, b: Slot }

            // ---- bitwise (whole v128) ----
            /// `dst = !src`.
            V128Not { dst: Slot, src: Slot }
            /// `dst = a & b`.
            V128And { dst: Slot, a: Slot, b: Slot }
            /// `dst = a & !b`.
            V128AndNot { dst: Slot, a: Slot, b: Slot }
            /// `dst = a | b`.
            V128Or { dst: Slot, a: Slot, b: Slot }
            /// `dst = a ^ b`.
            V128Xor { dst: Slot, a: Slot, b: Slot }
            /// `dst = (a & c) | (b & !c)`: bits of `a` where `c` is set.
            V128Bitselect { dst: Slot, a: Slot, b: Slot, c: Slot }
            /// `dst` = i32 `1` if any bit of `src` is set, else `0`.
            V128AnyTrue { dst: Slot, src: Slot }

            // ---- integer comparisons: each lane all ones if true, else 0 ----
            I8x16Eq { dst: Slot, a: Slot, b: Slot }
            I8x16Ne { dst: Slot, a: Slot, b: Slot }
            I8x16LtS { dst: Slot, a: Slot, b: Slot }
            I8x16LtU { dst: Slot, a: Slot, b: Slot }
            I8x16GtS { dst: Slot, a: Slot, b: Slot }
            I8x16GtU { dst: Slot, a: Slot, b: Slot }
            I8x16LeS { dst: Slot, a: Slot, b: Slot }
            I8x16LeU { dst: Slot, a: Slot, b: Slot }
            I8x16GeS { dst: Slot, a: Slot, b: Slot }
            I8x16GeU { dst: Slot, a: Slot, b: Slot }
            I16x8Eq { dst: Slot, a: Slot, b: Slot }
            I16x8Ne { dst: Slot, a: Slot, b: Slot }
            I16x8LtS { dst: Slot, a: Slot, b: Slot }
            I16x8LtU { dst: Slot, a: Slot, b: Slot }
            I16x8GtS { dst: Slot, a: Slot, b: Slot }
            I16x8GtU { dst: Slot, a: Slot, b: Slot }
            I16x8LeS { dst: Slot, a: Slot, b: Slot }
            I16x8LeU { dst: Slot, a: Slot, b: Slot }
            I16x8GeS { dst: Slot, a: Slot, b: Slot }
            I16x8GeU { dst: Slot, a: Slot, b: Slot }
            I32x4Eq { dst: Slot, a: Slot, b: Slot }
            I32x4Ne { dst: Slot, a: Slot, b: Slot }
            I32x4LtS { dst: Slot, a: Slot, b: Slot }
            I32x4LtU { dst: Slot, a: Slot, b: Slot }
            I32x4GtS { dst: Slot, a: Slot, b: Slot }
            I32x4GtU { dst: Slot, a: Slot, b: Slot }
            I32x4LeS { dst: Slot, a: Slot, b: Slot }
            I32x4LeU { dst: Slot, a: Slot, b: Slot }
            I32x4GeS { dst: Slot, a: Slot, b: Slot }
            I32x4GeU { dst: Slot, a: Slot, b: Slot }
            I64x2Eq { dst: Slot, a: Slot, b: Slot }
            I64x2Ne { dst: Slot, a: Slot, b: Slot }
            I64x2LtS { dst: Slot, a: Slot, b: Slot }
            I64x2GtS { dst: Slot, a: Slot, b: Slot }
            I64x2LeS { dst: Slot, a: Slot, b: Slot }
            I64x2GeS { dst: Slot, a: Slot, b: Slot }

            // ---- float comparisons: each lane all ones if true, else 0
            // (false for NaN operands, except `Ne`) ----
            F32x4Eq { dst: Slot, a: Slot, b: Slot }
            F32x4Ne { dst: Slot, a: Slot, b: Slot }
            F32x4Lt { dst: Slot, a: Slot, b: Slot }
            F32x4Gt { dst: Slot, a: Slot, b: Slot }
            F32x4Le { dst: Slot, a: Slot, b: Slot }
            F32x4Ge { dst: Slot, a: Slot, b: Slot }
            F64x2Eq { dst: Slot, a: Slot, b: Slot }
            F64x2Ne { dst: Slot, a: Slot, b: Slot }
            F64x2Lt { dst: Slot, a: Slot, b: Slot }
            F64x2Gt { dst: Slot, a: Slot, b: Slot }
            F64x2Le { dst: Slot, a: Slot, b: Slot }
            F64x2Ge { dst: Slot, a: Slot, b: Slot }

            // ---- lane tests: an i32 result ----
            /// `dst` = 1 if every lane of `src` is non-zero, else 0.
            I8x16AllTrue { dst: Slot, src: Slot }
            I16x8AllTrue { dst: Slot, src: Slot }
            I32x4AllTrue { dst: Slot, src: Slot }
            I64x2AllTrue { dst: Slot, src: Slot }
            /// Bit `i` of the i32 `dst` = the sign bit of lane `i` of `src`.
            I8x16Bitmask { dst: Slot, src: Slot }
            I16x8Bitmask { dst: Slot, src: Slot }
            I32x4Bitmask { dst: Slot, src: Slot }
            I64x2Bitmask { dst: Slot, src: Slot }

            // ---- shifts: `b` (or `imm`) is the count, modulo the lane width
            // in bits ----
            I8x16Shl { dst: Slot, a: Slot, b: Slot }
            I8x16ShrS { dst: Slot, a: Slot, b: Slot }
            I8x16ShrU { dst: Slot, a: Slot, b: Slot }
            I16x8Shl { dst: Slot, a: Slot, b: Slot }
            I16x8ShrS { dst: Slot, a: Slot, b: Slot }
            I16x8ShrU { dst: Slot, a: Slot, b: Slot }
            I32x4Shl { dst: Slot, a: Slot, b: Slot }
            I32x4ShrS { dst: Slot, a: Slot, b: Slot }
            I32x4ShrU { dst: Slot, a: Slot, b: Slot }
            I64x2Shl { dst: Slot, a: Slot, b: Slot }
            I64x2ShrS { dst: Slot, a: Slot, b: Slot }
            I64x2ShrU { dst: Slot, a: Slot, b: Slot }
            I8x16ShlImm { dst: Slot, a: Slot, imm: u16 }
            I8x16ShrSImm { dst: Slot, a: Slot, imm: u16 }
            I8x16ShrUImm { dst: Slot, a: Slot, imm: u16 }
            I16x8ShlImm { dst: Slot, a: Slot, imm: u16 }
            I16x8ShrSImm { dst: Slot, a: Slot, imm: u16 }
            I16x8ShrUImm { dst: Slot, a: Slot, imm: u16 }
            I32x4ShlImm { dst: Slot, a: Slot, imm: u16 }
            I32x4ShrSImm { dst: Slot, a: Slot, imm: u16 }
            I32x4ShrUImm { dst: Slot, a: Slot, imm: u16 }
            I64x2ShlImm { dst: Slot, a: Slot, imm: u16 }
            I64x2ShrSImm { dst: Slot, a: Slot, imm: u16 }
            I64x2ShrUImm { dst: Slot, a: Slot, imm: u16 }

            // ---- integer arithmetic, lane-wise; plain forms wrap, `Sat`
            // forms saturate ----
            I8x16Abs { dst: Slot, src: Slot }
            I8x16Neg { dst: Slot, src: Slot }
            /// Number of set bits in each lane.
            I8x16Popcnt { dst: Slot, src: Slot }
            I8x16Add { dst: Slot, a: Slot, b: Slot }
            I8x16AddSatS { dst: Slot, a: Slot, b: Slot }
            I8x16AddSatU { dst: Slot, a: Slot, b: Slot }
            I8x16Sub { dst: Slot, a: Slot, b: Slot }
            I8x16SubSatS { dst: Slot, a: Slot, b: Slot }
            I8x16SubSatU { dst: Slot, a: Slot, b: Slot }
            I8x16MinS { dst: Slot, a: Slot, b: Slot }
            I8x16MinU { dst: Slot, a: Slot, b: Slot }
            I8x16MaxS { dst: Slot, a: Slot, b: Slot }
            I8x16MaxU { dst: Slot, a: Slot, b: Slot }
            /// `(a + b + 1) / 2` per lane, without overflow.
            I8x16AvgrU { dst: Slot, a: Slot, b: Slot }
            I16x8Abs { dst: Slot, src: Slot }
            I16x8Neg { dst: Slot, src: Slot }
            I16x8Add { dst: Slot, a: Slot, b: Slot }
            I16x8AddSatS { dst: Slot, a: Slot, b: Slot }
            I16x8AddSatU { dst: Slot, a: Slot, b: Slot }
            I16x8Sub { dst: Slot, a: Slot, b: Slot }
            I16x8SubSatS { dst: Slot, a: Slot, b: Slot }
            I16x8SubSatU { dst: Slot, a: Slot, b: Slot }
            I16x8Mul { dst: Slot, a: Slot, b: Slot }
            I16x8MinS { dst: Slot, a: Slot, b: Slot }
            I16x8MinU { dst: Slot, a: Slot, b: Slot }
            I16x8MaxS { dst: Slot, a: Slot, b: Slot }
            I16x8MaxU { dst: Slot, a: Slot, b: Slot }
            /// `(a + b + 1) / 2` per lane, without overflow.
            I16x8AvgrU { dst: Slot, a: Slot, b: Slot }
            /// `(a * b + 2^14) >> 15` per lane, saturated (Q15 multiply).
            I16x8Q15MulrSatS { dst: Slot, a: Slot, b: Slot }
            I32x4Abs { dst: Slot, src: Slot }
            I32x4Neg { dst: Slot, src: Slot }
            I32x4Add { dst: Slot, a: Slot, b: Slot }
            I32x4Sub { dst: Slot, a: Slot, b: Slot }
            I32x4Mul { dst: Slot, a: Slot, b: Slot }
            I32x4MinS { dst: Slot, a: Slot, b: Slot }
            I32x4MinU { dst: Slot, a: Slot, b: Slot }
            I32x4MaxS { dst: Slot, a: Slot, b: Slot }
            I32x4MaxU { dst: Slot, a: Slot, b: Slot }
            /// Lane `i` = `a[2i] * b[2i] + a[2i+1] * b[2i+1]` of the i16 lanes.
            I32x4DotI16x8S { dst: Slot, a: Slot, b: Slot }
            I64x2Abs { dst: Slot, src: Slot }
            I64x2Neg { dst: Slot, src: Slot }
            I64x2Add { dst: Slot, a: Slot, b: Slot }
            I64x2Sub { dst: Slot, a: Slot, b: Slot }
            I64x2Mul { dst: Slot, a: Slot, b: Slot }

            // ---- widening and narrowing: `Low`/`High` read the lower or
            // upper half of the narrower lanes ----
            /// Lane `i` = `src[2i] + src[2i+1]`, the i8 lanes widened.
            I16x8ExtAddPairwiseI8x16S { dst: Slot, src: Slot }
            I16x8ExtAddPairwiseI8x16U { dst: Slot, src: Slot }
            I32x4ExtAddPairwiseI16x8S { dst: Slot, src: Slot }
            I32x4ExtAddPairwiseI16x8U { dst: Slot, src: Slot }
            I16x8ExtendLowI8x16S { dst: Slot, src: Slot }
            I16x8ExtendHighI8x16S { dst: Slot, src: Slot }
            I16x8ExtendLowI8x16U { dst: Slot, src: Slot }
            I16x8ExtendHighI8x16U { dst: Slot, src: Slot }
            I32x4ExtendLowI16x8S { dst: Slot, src: Slot }
            I32x4ExtendHighI16x8S { dst: Slot, src: Slot }
            I32x4ExtendLowI16x8U { dst: Slot, src: Slot }
            I32x4ExtendHighI16x8U { dst: Slot, src: Slot }
            I64x2ExtendLowI32x4S { dst: Slot, src: Slot }
            I64x2ExtendHighI32x4S { dst: Slot, src: Slot }
            I64x2ExtendLowI32x4U { dst: Slot, src: Slot }
            I64x2ExtendHighI32x4U { dst: Slot, src: Slot }
            /// Widened products of the lower or upper half of the lanes.
            I16x8ExtMulLowI8x16S { dst: Slot, a: Slot, b: Slot }
            I16x8ExtMulHighI8x16S { dst: Slot, a: Slot, b: Slot }
            I16x8ExtMulLowI8x16U { dst: Slot, a: Slot, b: Slot }
            I16x8ExtMulHighI8x16U { dst: Slot, a: Slot, b: Slot }
            I32x4ExtMulLowI16x8S { dst: Slot, a: Slot, b: Slot }
            I32x4ExtMulHighI16x8S { dst: Slot, a: Slot, b: Slot }
            I32x4ExtMulLowI16x8U { dst: Slot, a: Slot, b: Slot }
            I32x4ExtMulHighI16x8U { dst: Slot, a: Slot, b: Slot }
            I64x2ExtMulLowI32x4S { dst: Slot, a: Slot, b: Slot }
            I64x2ExtMulHighI32x4S { dst: Slot, a: Slot, b: Slot }
            I64x2ExtMulLowI32x4U { dst: Slot, a: Slot, b: Slot }
            I64x2ExtMulHighI32x4U { dst: Slot, a: Slot, b: Slot }
            /// The signed lanes of `a` then `b`, saturated to the narrower
            /// signed (`S`) or unsigned (`U`) range.
            I8x16NarrowI16x8S { dst: Slot, a: Slot, b: Slot }
            I8x16NarrowI16x8U { dst: Slot, a: Slot, b: Slot }
            I16x8NarrowI32x4S { dst: Slot, a: Slot, b: Slot }
            I16x8NarrowI32x4U { dst: Slot, a: Slot, b: Slot }

            // ---- float arithmetic, lane-wise, with the scalar instructions'
            // NaN rules; `PMin`/`PMax` are `b < a ? b : a` / `a < b ? b : a` ----
            F32x4Abs { dst: Slot, src: Slot }
            F32x4Neg { dst: Slot, src: Slot }
            F32x4Sqrt { dst: Slot, src: Slot }
            F32x4Ceil { dst: Slot, src: Slot }
            F32x4Floor { dst: Slot, src: Slot }
            F32x4Trunc { dst: Slot, src: Slot }
            F32x4Nearest { dst: Slot, src: Slot }
            F32x4Add { dst: Slot, a: Slot, b: Slot }
            F32x4Sub { dst: Slot, a: Slot, b: Slot }
            F32x4Mul { dst: Slot, a: Slot, b: Slot }
            F32x4Div { dst: Slot, a: Slot, b: Slot }
            F32x4Min { dst: Slot, a: Slot, b: Slot }
            F32x4Max { dst: Slot, a: Slot, b: Slot }
            F32x4PMin { dst: Slot, a: Slot, b: Slot }
            F32x4PMax { dst: Slot, a: Slot, b: Slot }
            F64x2Abs { dst: Slot, src: Slot }
            F64x2Neg { dst: Slot, src: Slot }
            F64x2Sqrt { dst: Slot, src: Slot }
            F64x2Ceil { dst: Slot, src: Slot }
            F64x2Floor { dst: Slot, src: Slot }
            F64x2Trunc { dst: Slot, src: Slot }
            F64x2Nearest { dst: Slot, src: Slot }
            F64x2Add { dst: Slot, a: Slot, b: Slot }
            F64x2Sub { dst: Slot, a: Slot, b: Slot }
            F64x2Mul { dst: Slot, a: Slot, b: Slot }
            F64x2Div { dst: Slot, a: Slot, b: Slot }
            F64x2Min { dst: Slot, a: Slot, b: Slot }
            F64x2Max { dst: Slot, a: Slot, b: Slot }
            F64x2PMin { dst: Slot, a: Slot, b: Slot }
            F64x2PMax { dst: Slot, a: Slot, b: Slot }

            // ---- conversions (truncations saturate, NaN becomes 0; `Zero`
            // forms zero the upper lanes, `Low` forms read the lower ones) ----
            I32x4TruncSatF32x4S { dst: Slot, src: Slot }
            I32x4TruncSatF32x4U { dst: Slot, src: Slot }
            I32x4TruncSatF64x2SZero { dst: Slot, src: Slot }
            I32x4TruncSatF64x2UZero { dst: Slot, src: Slot }
            F32x4ConvertI32x4S { dst: Slot, src: Slot }
            F32x4ConvertI32x4U { dst: Slot, src: Slot }
            F64x2ConvertLowI32x4S { dst: Slot, src: Slot }
            F64x2ConvertLowI32x4U { dst: Slot, src: Slot }
            F32x4DemoteF64x2Zero { dst: Slot, src: Slot }
            F64x2PromoteLowF32x4 { dst: Slot, src: Slot }
        }
    };
}

macro_rules! define_simd_instr {
    ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $ty:ty),* } )*) => {
        /// One SIMD instruction. See `for_each_simd_instr!` for the list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum SimdInstr {
            $( $(#[doc = $doc])* $name { $($field: $ty),* }, )*
        }

        impl SimdInstr {
            /// The instruction's name, as in the list.
            pub fn name(&self) -> &'static str {
                match self {
                    $( SimdInstr::$name { .. } => stringify!($name), )*
                }
            }

            /// Every SIMD instruction name, in list order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];
        }
    };
}
crate::for_each_simd_instr!(define_simd_instr);

impl SimdInstr {
    /// The slot this instruction writes as its single result, if any.
    pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
        macro_rules! dst_of {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $ty:ty),* } )*) => {
                match self {
                    $( SimdInstr::$name { $($field),* } => { $( let _ = &$field; )* pick_dst!($(($field $field))*) } )*
                }
            };
        }
        crate::for_each_simd_instr!(dst_of)
    }
}

/// The immediate of a SIMD memory access, kept in the constant pool: bits
/// 0..32 are the offset, bits 32..40 the lane (0 when there is none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimdMemArg {
    /// Added to the address operand to form the effective address.
    pub offset: u32,
    /// The lane loaded or stored, for the `*Lane` instructions.
    pub lane: u8,
}

impl SimdMemArg {
    /// The pool constant that holds this immediate.
    pub const fn to_pool(self) -> u128 {
        self.offset as u128 | (self.lane as u128) << 32
    }

    /// Reads the immediate back from its pool constant.
    pub const fn from_pool(bits: u128) -> Self {
        SimdMemArg {
            offset: bits as u32,
            lane: (bits >> 32) as u8,
        }
    }
}

/// The `v128` with the low `lane_bytes` bytes of `bits` in every lane
/// (`lane_bytes` is 1, 2, 4 or 8): the value of a `splat`.
pub(crate) const fn splat(bits: u64, lane_bytes: u32) -> u128 {
    let lane_mask = u128::MAX >> (128 - 8 * lane_bytes);
    // 0x…0101 (one 1 per lane) times the lane value fills every lane.
    (bits as u128 & lane_mask) * (u128::MAX / lane_mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simd_instr_fits_in_an_instr() {
        assert!(core::mem::size_of::<SimdInstr>() <= 10);
        assert_eq!(core::mem::align_of::<SimdInstr>(), 2);
        assert_eq!(core::mem::size_of::<crate::ir::Instr>(), 12);
    }

    #[test]
    fn simd_names_are_unique() {
        let mut names = alloc::vec::Vec::from(SimdInstr::NAMES);
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }

    #[test]
    fn mem_arg_round_trips_through_the_pool() {
        let arg = SimdMemArg {
            offset: u32::MAX,
            lane: 15,
        };
        assert_eq!(SimdMemArg::from_pool(arg.to_pool()), arg);
    }

    #[test]
    fn splat_fills_every_lane() {
        assert_eq!(splat(0x1ab, 1), 0xabab_abab_abab_abab_abab_abab_abab_abab);
        assert_eq!(
            splat(0x1_8001, 2),
            0x8001_8001_8001_8001_8001_8001_8001_8001
        );
        assert_eq!(
            splat(0xdead_beef, 4),
            0xdead_beef_dead_beef_dead_beef_dead_beef
        );
        assert_eq!(splat(u64::MAX - 1, 8), (u128::MAX - 1) ^ (1 << 64));
    }
}
