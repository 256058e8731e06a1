//! The SIMD operators' translations, one line per Wasm operator, and the
//! generic helpers they share. Each operator becomes one `Instr::Simd`
//! (or, for `v128.const`, `v128.load` and `v128.store`, a main-list
//! instruction); a `splat` of a constant folds into a `v128` constant, and a
//! shift by a constant count uses the `Imm` form. Wider immediates (shuffle
//! masks, memory offsets and lanes) go to the function's constant pool.

use wasmparser::{MemArg, V128};

use super::*;
use crate::ir::{SimdInstr as S, SimdMemArg, splat};

type SimdUnaryFn = fn(Slot, Slot) -> S;
type SimdBinaryFn = fn(Slot, Slot, Slot) -> S;
type SimdLaneFn = fn(Slot, Slot, u16) -> S;

/// How many recent pool constants an immediate is compared with before a
/// new one is added (most immediates repeat the previous few).
const POOL_REUSE_WINDOW: usize = 8;

impl Translator<'_> {
    // ---- generic helpers ----

    /// Emits `op` and pushes its result, of type `result`.
    fn emit_simd(&mut self, op: S, result: ValType) -> Result<()> {
        self.emit_def(Instr::Simd { op }, result)
    }

    /// The index of `value` in the constant pool, as a SIMD instruction's
    /// 16-bit `pool` operand.
    fn simd_pool(&mut self, value: u128) -> Result<u16> {
        let len = self.consts128.len();
        let recent = len.saturating_sub(POOL_REUSE_WINDOW);
        if let Some(i) = self.consts128[recent..].iter().position(|&c| c == value) {
            return Ok((recent + i) as u16);
        }
        let index = u16::try_from(len)
            .map_err(|_| limit("more than 65,536 v128 constants and SIMD immediates"))?;
        self.consts128.push(value);
        Ok(index)
    }

    /// The pool index of a memory access's offset and lane.
    fn simd_mem_arg(&mut self, memarg: MemArg, lane: u8) -> Result<u16> {
        let offset = u32::try_from(memarg.offset).map_err(|_| limit("memory offset"))?;
        self.simd_pool(SimdMemArg { offset, lane }.to_pool())
    }

    fn simd_unary(&mut self, result: ValType, make: SimdUnaryFn) -> Result<()> {
        let src = self.pop();
        let dst = self.next_slot(result)?;
        let src = self.slot_of(src);
        self.emit_simd(make(dst, src), result)
    }

    /// A `v128` operation of two `v128`s.
    fn simd_binary(&mut self, make: SimdBinaryFn) -> Result<()> {
        let [a, b] = self.pop_slots::<2>();
        let dst = self.next_slot(ValType::V128)?;
        self.emit_simd(make(dst, a, b), ValType::V128)
    }

    fn simd_ternary(&mut self, make: fn(Slot, Slot, Slot, Slot) -> S) -> Result<()> {
        let [a, b, c] = self.pop_slots::<3>();
        let dst = self.next_slot(ValType::V128)?;
        self.emit_simd(make(dst, a, b, c), ValType::V128)
    }

    /// A shift of `lane_bits`-bit lanes; a constant count, reduced modulo
    /// the lane width, becomes the immediate of the `Imm` form.
    fn simd_shift(&mut self, lane_bits: u32, slots: SimdBinaryFn, imm: SimdLaneFn) -> Result<()> {
        let count = self.pop();
        let a = self.pop();
        let dst = self.next_slot(ValType::V128)?;
        let a = self.slot_of(a);
        let op = match count.kind {
            Kind::Const(bits) => imm(dst, a, (bits as u32 & (lane_bits - 1)) as u16),
            _ => slots(dst, a, self.slot_of(count)),
        };
        self.emit_simd(op, ValType::V128)
    }

    /// A splat of `lane_bytes`-byte lanes; a constant folds into a `v128`
    /// constant.
    fn simd_splat(&mut self, lane_bytes: u32, make: SimdUnaryFn) -> Result<()> {
        if let Some(&Entry {
            kind: Kind::Const(bits),
            ..
        }) = self.stack.last()
        {
            self.pop();
            let index = self.consts128.len() as u32;
            self.consts128.push(splat(bits, lane_bytes));
            self.push(ValType::V128, Kind::Const128(index))?;
            return Ok(());
        }
        self.simd_unary(ValType::V128, make)
    }

    fn simd_extract_lane(&mut self, result: ValType, lane: u8, make: SimdLaneFn) -> Result<()> {
        let src = self.pop();
        let dst = self.next_slot(result)?;
        let src = self.slot_of(src);
        self.emit_simd(make(dst, src, lane as u16), result)
    }

    fn simd_replace_lane(&mut self, lane: u8, make: fn(Slot, Slot, Slot, u16) -> S) -> Result<()> {
        let [a, b] = self.pop_slots::<2>();
        let dst = self.next_slot(ValType::V128)?;
        self.emit_simd(make(dst, a, b, lane as u16), ValType::V128)
    }

    fn simd_shuffle(&mut self, lanes: [u8; 16]) -> Result<()> {
        let pool = self.simd_pool(u128::from_le_bytes(lanes))?;
        let [a, b] = self.pop_slots::<2>();
        let dst = self.next_slot(ValType::V128)?;
        self.emit_simd(S::I8x16Shuffle { dst, a, b, pool }, ValType::V128)
    }

    fn simd_load(&mut self, memarg: MemArg, make: SimdLaneFn) -> Result<()> {
        let pool = self.simd_mem_arg(memarg, 0)?;
        let [addr] = self.pop_slots::<1>();
        let dst = self.next_slot(ValType::V128)?;
        self.emit_simd(make(dst, addr, pool), ValType::V128)
    }

    fn simd_load_lane(
        &mut self,
        memarg: MemArg,
        lane: u8,
        make: fn(Slot, Slot, Slot, u16) -> S,
    ) -> Result<()> {
        let pool = self.simd_mem_arg(memarg, lane)?;
        let [addr, src] = self.pop_slots::<2>();
        let dst = self.next_slot(ValType::V128)?;
        self.emit_simd(make(dst, addr, src, pool), ValType::V128)
    }

    fn simd_store_lane(&mut self, memarg: MemArg, lane: u8, make: SimdLaneFn) -> Result<()> {
        let pool = self.simd_mem_arg(memarg, lane)?;
        let [addr, src] = self.pop_slots::<2>();
        self.emit(Instr::Simd {
            op: make(addr, src, pool),
        });
        Ok(())
    }
}

/// A SIMD binary instruction constructor (`dst, a, b`).
macro_rules! vbin {
    ($op:ident) => {
        |dst, a, b| S::$op { dst, a, b }
    };
}

/// A SIMD unary instruction constructor (`dst, src`).
macro_rules! vun {
    ($op:ident) => {
        |dst, src| S::$op { dst, src }
    };
}

/// A SIMD instruction constructor with an immediate (`dst, a, imm`).
macro_rules! vimm {
    ($op:ident) => {
        |dst, a, imm| S::$op { dst, a, imm }
    };
}

/// A SIMD load's constructor (`dst, addr, pool`).
macro_rules! vload {
    ($op:ident) => {
        |dst, addr, pool| S::$op { dst, addr, pool }
    };
}

#[rustfmt::skip]
impl Translator<'_> {
    // ---- constants and memory ----
    pub(super) fn visit_v128_const(&mut self, value: V128) -> Result<()> {
        let index = self.consts128.len() as u32;
        self.consts128.push(value.i128() as u128);
        self.push(ValType::V128, Kind::Const128(index))?;
        Ok(())
    }
    pub(super) fn visit_v128_load(&mut self, memarg: MemArg) -> Result<()> { self.translate_load(memarg, ValType::V128, |dst, addr, offset| Instr::V128Load { dst, addr, offset }) }
    pub(super) fn visit_v128_store(&mut self, memarg: MemArg) -> Result<()> { self.translate_store(memarg, |addr, src, offset| Instr::V128Store { addr, src, offset }) }
    pub(super) fn visit_v128_load8x8_s(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load8x8S)) }
    pub(super) fn visit_v128_load8x8_u(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load8x8U)) }
    pub(super) fn visit_v128_load16x4_s(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load16x4S)) }
    pub(super) fn visit_v128_load16x4_u(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load16x4U)) }
    pub(super) fn visit_v128_load32x2_s(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load32x2S)) }
    pub(super) fn visit_v128_load32x2_u(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load32x2U)) }
    pub(super) fn visit_v128_load8_splat(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load8Splat)) }
    pub(super) fn visit_v128_load16_splat(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load16Splat)) }
    pub(super) fn visit_v128_load32_splat(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load32Splat)) }
    pub(super) fn visit_v128_load64_splat(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load64Splat)) }
    pub(super) fn visit_v128_load32_zero(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load32Zero)) }
    pub(super) fn visit_v128_load64_zero(&mut self, memarg: MemArg) -> Result<()> { self.simd_load(memarg, vload!(V128Load64Zero)) }
    pub(super) fn visit_v128_load8_lane(&mut self, memarg: MemArg, lane: u8) -> Result<()> { self.simd_load_lane(memarg, lane, |dst, addr, src, pool| S::V128Load8Lane { dst, addr, src, pool }) }
    pub(super) fn visit_v128_load16_lane(&mut self, memarg: MemArg, lane: u8) -> Result<()> { self.simd_load_lane(memarg, lane, |dst, addr, src, pool| S::V128Load16Lane { dst, addr, src, pool }) }
    pub(super) fn visit_v128_load32_lane(&mut self, memarg: MemArg, lane: u8) -> Result<()> { self.simd_load_lane(memarg, lane, |dst, addr, src, pool| S::V128Load32Lane { dst, addr, src, pool }) }
    pub(super) fn visit_v128_load64_lane(&mut self, memarg: MemArg, lane: u8) -> Result<()> { self.simd_load_lane(memarg, lane, |dst, addr, src, pool| S::V128Load64Lane { dst, addr, src, pool }) }
    pub(super) fn visit_v128_store8_lane(&mut self, memarg: MemArg, lane: u8) -> Result<()> { self.simd_store_lane(memarg, lane, |addr, src, pool| S::V128Store8Lane { addr, src, pool }) }
    pub(super) fn visit_v128_store16_lane(&mut self, memarg: MemArg, lane: u8) -> Result<()> { self.simd_store_lane(memarg, lane, |addr, src, pool| S::V128Store16Lane { addr, src, pool }) }
    pub(super) fn visit_v128_store32_lane(&mut self, memarg: MemArg, lane: u8) -> Result<()> { self.simd_store_lane(memarg, lane, |addr, src, pool| S::V128Store32Lane { addr, src, pool }) }
    pub(super) fn visit_v128_store64_lane(&mut self, memarg: MemArg, lane: u8) -> Result<()> { self.simd_store_lane(memarg, lane, |addr, src, pool| S::V128Store64Lane { addr, src, pool }) }

    // ---- lanes (f32x4/f64x2 lane moves are the i32x4/i64x2 ones) ----
    pub(super) fn visit_i8x16_splat(&mut self) -> Result<()> { self.simd_splat(1, vun!(I8x16Splat)) }
    pub(super) fn visit_i16x8_splat(&mut self) -> Result<()> { self.simd_splat(2, vun!(I16x8Splat)) }
    pub(super) fn visit_i32x4_splat(&mut self) -> Result<()> { self.simd_splat(4, vun!(I32x4Splat)) }
    pub(super) fn visit_i64x2_splat(&mut self) -> Result<()> { self.simd_splat(8, vun!(I64x2Splat)) }
    pub(super) fn visit_f32x4_splat(&mut self) -> Result<()> { self.simd_splat(4, vun!(I32x4Splat)) }
    pub(super) fn visit_f64x2_splat(&mut self) -> Result<()> { self.simd_splat(8, vun!(I64x2Splat)) }
    pub(super) fn visit_i8x16_extract_lane_s(&mut self, lane: u8) -> Result<()> { self.simd_extract_lane(ValType::I32, lane, |dst, src, lane| S::I8x16ExtractLaneS { dst, src, lane }) }
    pub(super) fn visit_i8x16_extract_lane_u(&mut self, lane: u8) -> Result<()> { self.simd_extract_lane(ValType::I32, lane, |dst, src, lane| S::I8x16ExtractLaneU { dst, src, lane }) }
    pub(super) fn visit_i16x8_extract_lane_s(&mut self, lane: u8) -> Result<()> { self.simd_extract_lane(ValType::I32, lane, |dst, src, lane| S::I16x8ExtractLaneS { dst, src, lane }) }
    pub(super) fn visit_i16x8_extract_lane_u(&mut self, lane: u8) -> Result<()> { self.simd_extract_lane(ValType::I32, lane, |dst, src, lane| S::I16x8ExtractLaneU { dst, src, lane }) }
    pub(super) fn visit_i32x4_extract_lane(&mut self, lane: u8) -> Result<()> { self.simd_extract_lane(ValType::I32, lane, |dst, src, lane| S::I32x4ExtractLane { dst, src, lane }) }
    pub(super) fn visit_i64x2_extract_lane(&mut self, lane: u8) -> Result<()> { self.simd_extract_lane(ValType::I64, lane, |dst, src, lane| S::I64x2ExtractLane { dst, src, lane }) }
    pub(super) fn visit_f32x4_extract_lane(&mut self, lane: u8) -> Result<()> { self.simd_extract_lane(ValType::F32, lane, |dst, src, lane| S::I32x4ExtractLane { dst, src, lane }) }
    pub(super) fn visit_f64x2_extract_lane(&mut self, lane: u8) -> Result<()> { self.simd_extract_lane(ValType::F64, lane, |dst, src, lane| S::I64x2ExtractLane { dst, src, lane }) }
    pub(super) fn visit_i8x16_replace_lane(&mut self, lane: u8) -> Result<()> { self.simd_replace_lane(lane, |dst, a, b, lane| S::I8x16ReplaceLane { dst, a, b, lane }) }
    pub(super) fn visit_i16x8_replace_lane(&mut self, lane: u8) -> Result<()> { self.simd_replace_lane(lane, |dst, a, b, lane| S::I16x8ReplaceLane { dst, a, b, lane }) }
    pub(super) fn visit_i32x4_replace_lane(&mut self, lane: u8) -> Result<()> { self.simd_replace_lane(lane, |dst, a, b, lane| S::I32x4ReplaceLane { dst, a, b, lane }) }
    pub(super) fn visit_i64x2_replace_lane(&mut self, lane: u8) -> Result<()> { self.simd_replace_lane(lane, |dst, a, b, lane| S::I64x2ReplaceLane { dst, a, b, lane }) }
    pub(super) fn visit_f32x4_replace_lane(&mut self, lane: u8) -> Result<()> { self.simd_replace_lane(lane, |dst, a, b, lane| S::I32x4ReplaceLane { dst, a, b, lane }) }
    pub(super) fn visit_f64x2_replace_lane(&mut self, lane: u8) -> Result<()> { self.simd_replace_lane(lane, |dst, a, b, lane| S::I64x2ReplaceLane { dst, a, b, lane }) }
    pub(super) fn visit_i8x16_shuffle(&mut self, lanes: [u8; 16]) -> Result<()> { self.simd_shuffle(lanes) }
    pub(super) fn visit_i8x16_swizzle(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16Swizzle)) }

    // ---- bitwise ----
    pub(super) fn visit_v128_not(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(V128Not)) }
    pub(super) fn visit_v128_and(&mut self) -> Result<()> { self.simd_binary(vbin!(V128And)) }
    pub(super) fn visit_v128_andnot(&mut self) -> Result<()> { self.simd_binary(vbin!(V128AndNot)) }
    pub(super) fn visit_v128_or(&mut self) -> Result<()> { self.simd_binary(vbin!(V128Or)) }
    pub(super) fn visit_v128_xor(&mut self) -> Result<()> { self.simd_binary(vbin!(V128Xor)) }
    pub(super) fn visit_v128_bitselect(&mut self) -> Result<()> { self.simd_ternary(|dst, a, b, c| S::V128Bitselect { dst, a, b, c }) }
    pub(super) fn visit_v128_any_true(&mut self) -> Result<()> { self.simd_unary(ValType::I32, vun!(V128AnyTrue)) }

    // ---- integer comparisons ----
    pub(super) fn visit_i8x16_eq(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16Eq)) }
    pub(super) fn visit_i8x16_ne(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16Ne)) }
    pub(super) fn visit_i8x16_lt_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16LtS)) }
    pub(super) fn visit_i8x16_lt_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16LtU)) }
    pub(super) fn visit_i8x16_gt_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16GtS)) }
    pub(super) fn visit_i8x16_gt_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16GtU)) }
    pub(super) fn visit_i8x16_le_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16LeS)) }
    pub(super) fn visit_i8x16_le_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16LeU)) }
    pub(super) fn visit_i8x16_ge_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16GeS)) }
    pub(super) fn visit_i8x16_ge_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16GeU)) }
    pub(super) fn visit_i16x8_eq(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8Eq)) }
    pub(super) fn visit_i16x8_ne(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8Ne)) }
    pub(super) fn visit_i16x8_lt_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8LtS)) }
    pub(super) fn visit_i16x8_lt_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8LtU)) }
    pub(super) fn visit_i16x8_gt_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8GtS)) }
    pub(super) fn visit_i16x8_gt_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8GtU)) }
    pub(super) fn visit_i16x8_le_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8LeS)) }
    pub(super) fn visit_i16x8_le_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8LeU)) }
    pub(super) fn visit_i16x8_ge_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8GeS)) }
    pub(super) fn visit_i16x8_ge_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8GeU)) }
    pub(super) fn visit_i32x4_eq(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4Eq)) }
    pub(super) fn visit_i32x4_ne(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4Ne)) }
    pub(super) fn visit_i32x4_lt_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4LtS)) }
    pub(super) fn visit_i32x4_lt_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4LtU)) }
    pub(super) fn visit_i32x4_gt_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4GtS)) }
    pub(super) fn visit_i32x4_gt_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4GtU)) }
    pub(super) fn visit_i32x4_le_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4LeS)) }
    pub(super) fn visit_i32x4_le_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4LeU)) }
    pub(super) fn visit_i32x4_ge_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4GeS)) }
    pub(super) fn visit_i32x4_ge_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4GeU)) }
    pub(super) fn visit_i64x2_eq(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2Eq)) }
    pub(super) fn visit_i64x2_ne(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2Ne)) }
    pub(super) fn visit_i64x2_lt_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2LtS)) }
    pub(super) fn visit_i64x2_gt_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2GtS)) }
    pub(super) fn visit_i64x2_le_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2LeS)) }
    pub(super) fn visit_i64x2_ge_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2GeS)) }

    // ---- float comparisons ----
    pub(super) fn visit_f32x4_eq(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Eq)) }
    pub(super) fn visit_f32x4_ne(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Ne)) }
    pub(super) fn visit_f32x4_lt(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Lt)) }
    pub(super) fn visit_f32x4_gt(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Gt)) }
    pub(super) fn visit_f32x4_le(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Le)) }
    pub(super) fn visit_f32x4_ge(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Ge)) }
    pub(super) fn visit_f64x2_eq(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Eq)) }
    pub(super) fn visit_f64x2_ne(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Ne)) }
    pub(super) fn visit_f64x2_lt(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Lt)) }
    pub(super) fn visit_f64x2_gt(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Gt)) }
    pub(super) fn visit_f64x2_le(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Le)) }
    pub(super) fn visit_f64x2_ge(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Ge)) }

    // ---- lane tests ----
    pub(super) fn visit_i8x16_all_true(&mut self) -> Result<()> { self.simd_unary(ValType::I32, vun!(I8x16AllTrue)) }
    pub(super) fn visit_i16x8_all_true(&mut self) -> Result<()> { self.simd_unary(ValType::I32, vun!(I16x8AllTrue)) }
    pub(super) fn visit_i32x4_all_true(&mut self) -> Result<()> { self.simd_unary(ValType::I32, vun!(I32x4AllTrue)) }
    pub(super) fn visit_i64x2_all_true(&mut self) -> Result<()> { self.simd_unary(ValType::I32, vun!(I64x2AllTrue)) }
    pub(super) fn visit_i8x16_bitmask(&mut self) -> Result<()> { self.simd_unary(ValType::I32, vun!(I8x16Bitmask)) }
    pub(super) fn visit_i16x8_bitmask(&mut self) -> Result<()> { self.simd_unary(ValType::I32, vun!(I16x8Bitmask)) }
    pub(super) fn visit_i32x4_bitmask(&mut self) -> Result<()> { self.simd_unary(ValType::I32, vun!(I32x4Bitmask)) }
    pub(super) fn visit_i64x2_bitmask(&mut self) -> Result<()> { self.simd_unary(ValType::I32, vun!(I64x2Bitmask)) }

    // ---- shifts ----
    pub(super) fn visit_i8x16_shl(&mut self) -> Result<()> { self.simd_shift(8, vbin!(I8x16Shl), vimm!(I8x16ShlImm)) }
    pub(super) fn visit_i8x16_shr_s(&mut self) -> Result<()> { self.simd_shift(8, vbin!(I8x16ShrS), vimm!(I8x16ShrSImm)) }
    pub(super) fn visit_i8x16_shr_u(&mut self) -> Result<()> { self.simd_shift(8, vbin!(I8x16ShrU), vimm!(I8x16ShrUImm)) }
    pub(super) fn visit_i16x8_shl(&mut self) -> Result<()> { self.simd_shift(16, vbin!(I16x8Shl), vimm!(I16x8ShlImm)) }
    pub(super) fn visit_i16x8_shr_s(&mut self) -> Result<()> { self.simd_shift(16, vbin!(I16x8ShrS), vimm!(I16x8ShrSImm)) }
    pub(super) fn visit_i16x8_shr_u(&mut self) -> Result<()> { self.simd_shift(16, vbin!(I16x8ShrU), vimm!(I16x8ShrUImm)) }
    pub(super) fn visit_i32x4_shl(&mut self) -> Result<()> { self.simd_shift(32, vbin!(I32x4Shl), vimm!(I32x4ShlImm)) }
    pub(super) fn visit_i32x4_shr_s(&mut self) -> Result<()> { self.simd_shift(32, vbin!(I32x4ShrS), vimm!(I32x4ShrSImm)) }
    pub(super) fn visit_i32x4_shr_u(&mut self) -> Result<()> { self.simd_shift(32, vbin!(I32x4ShrU), vimm!(I32x4ShrUImm)) }
    pub(super) fn visit_i64x2_shl(&mut self) -> Result<()> { self.simd_shift(64, vbin!(I64x2Shl), vimm!(I64x2ShlImm)) }
    pub(super) fn visit_i64x2_shr_s(&mut self) -> Result<()> { self.simd_shift(64, vbin!(I64x2ShrS), vimm!(I64x2ShrSImm)) }
    pub(super) fn visit_i64x2_shr_u(&mut self) -> Result<()> { self.simd_shift(64, vbin!(I64x2ShrU), vimm!(I64x2ShrUImm)) }

    // ---- integer arithmetic ----
    pub(super) fn visit_i8x16_abs(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I8x16Abs)) }
    pub(super) fn visit_i8x16_neg(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I8x16Neg)) }
    pub(super) fn visit_i8x16_popcnt(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I8x16Popcnt)) }
    pub(super) fn visit_i8x16_add(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16Add)) }
    pub(super) fn visit_i8x16_add_sat_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16AddSatS)) }
    pub(super) fn visit_i8x16_add_sat_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16AddSatU)) }
    pub(super) fn visit_i8x16_sub(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16Sub)) }
    pub(super) fn visit_i8x16_sub_sat_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16SubSatS)) }
    pub(super) fn visit_i8x16_sub_sat_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16SubSatU)) }
    pub(super) fn visit_i8x16_min_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16MinS)) }
    pub(super) fn visit_i8x16_min_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16MinU)) }
    pub(super) fn visit_i8x16_max_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16MaxS)) }
    pub(super) fn visit_i8x16_max_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16MaxU)) }
    pub(super) fn visit_i8x16_avgr_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16AvgrU)) }
    pub(super) fn visit_i16x8_abs(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I16x8Abs)) }
    pub(super) fn visit_i16x8_neg(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I16x8Neg)) }
    pub(super) fn visit_i16x8_add(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8Add)) }
    pub(super) fn visit_i16x8_add_sat_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8AddSatS)) }
    pub(super) fn visit_i16x8_add_sat_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8AddSatU)) }
    pub(super) fn visit_i16x8_sub(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8Sub)) }
    pub(super) fn visit_i16x8_sub_sat_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8SubSatS)) }
    pub(super) fn visit_i16x8_sub_sat_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8SubSatU)) }
    pub(super) fn visit_i16x8_mul(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8Mul)) }
    pub(super) fn visit_i16x8_min_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8MinS)) }
    pub(super) fn visit_i16x8_min_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8MinU)) }
    pub(super) fn visit_i16x8_max_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8MaxS)) }
    pub(super) fn visit_i16x8_max_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8MaxU)) }
    pub(super) fn visit_i16x8_avgr_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8AvgrU)) }
    pub(super) fn visit_i16x8_q15mulr_sat_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8Q15MulrSatS)) }
    pub(super) fn visit_i32x4_abs(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4Abs)) }
    pub(super) fn visit_i32x4_neg(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4Neg)) }
    pub(super) fn visit_i32x4_add(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4Add)) }
    pub(super) fn visit_i32x4_sub(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4Sub)) }
    pub(super) fn visit_i32x4_mul(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4Mul)) }
    pub(super) fn visit_i32x4_min_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4MinS)) }
    pub(super) fn visit_i32x4_min_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4MinU)) }
    pub(super) fn visit_i32x4_max_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4MaxS)) }
    pub(super) fn visit_i32x4_max_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4MaxU)) }
    pub(super) fn visit_i32x4_dot_i16x8_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4DotI16x8S)) }
    pub(super) fn visit_i64x2_abs(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I64x2Abs)) }
    pub(super) fn visit_i64x2_neg(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I64x2Neg)) }
    pub(super) fn visit_i64x2_add(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2Add)) }
    pub(super) fn visit_i64x2_sub(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2Sub)) }
    pub(super) fn visit_i64x2_mul(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2Mul)) }

    // ---- widening and narrowing ----
    pub(super) fn visit_i16x8_extadd_pairwise_i8x16_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I16x8ExtAddPairwiseI8x16S)) }
    pub(super) fn visit_i16x8_extadd_pairwise_i8x16_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I16x8ExtAddPairwiseI8x16U)) }
    pub(super) fn visit_i32x4_extadd_pairwise_i16x8_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4ExtAddPairwiseI16x8S)) }
    pub(super) fn visit_i32x4_extadd_pairwise_i16x8_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4ExtAddPairwiseI16x8U)) }
    pub(super) fn visit_i16x8_extend_low_i8x16_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I16x8ExtendLowI8x16S)) }
    pub(super) fn visit_i16x8_extend_high_i8x16_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I16x8ExtendHighI8x16S)) }
    pub(super) fn visit_i16x8_extend_low_i8x16_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I16x8ExtendLowI8x16U)) }
    pub(super) fn visit_i16x8_extend_high_i8x16_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I16x8ExtendHighI8x16U)) }
    pub(super) fn visit_i32x4_extend_low_i16x8_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4ExtendLowI16x8S)) }
    pub(super) fn visit_i32x4_extend_high_i16x8_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4ExtendHighI16x8S)) }
    pub(super) fn visit_i32x4_extend_low_i16x8_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4ExtendLowI16x8U)) }
    pub(super) fn visit_i32x4_extend_high_i16x8_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4ExtendHighI16x8U)) }
    pub(super) fn visit_i64x2_extend_low_i32x4_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I64x2ExtendLowI32x4S)) }
    pub(super) fn visit_i64x2_extend_high_i32x4_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I64x2ExtendHighI32x4S)) }
    pub(super) fn visit_i64x2_extend_low_i32x4_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I64x2ExtendLowI32x4U)) }
    pub(super) fn visit_i64x2_extend_high_i32x4_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I64x2ExtendHighI32x4U)) }
    pub(super) fn visit_i16x8_extmul_low_i8x16_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8ExtMulLowI8x16S)) }
    pub(super) fn visit_i16x8_extmul_high_i8x16_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8ExtMulHighI8x16S)) }
    pub(super) fn visit_i16x8_extmul_low_i8x16_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8ExtMulLowI8x16U)) }
    pub(super) fn visit_i16x8_extmul_high_i8x16_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8ExtMulHighI8x16U)) }
    pub(super) fn visit_i32x4_extmul_low_i16x8_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4ExtMulLowI16x8S)) }
    pub(super) fn visit_i32x4_extmul_high_i16x8_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4ExtMulHighI16x8S)) }
    pub(super) fn visit_i32x4_extmul_low_i16x8_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4ExtMulLowI16x8U)) }
    pub(super) fn visit_i32x4_extmul_high_i16x8_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I32x4ExtMulHighI16x8U)) }
    pub(super) fn visit_i64x2_extmul_low_i32x4_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2ExtMulLowI32x4S)) }
    pub(super) fn visit_i64x2_extmul_high_i32x4_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2ExtMulHighI32x4S)) }
    pub(super) fn visit_i64x2_extmul_low_i32x4_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2ExtMulLowI32x4U)) }
    pub(super) fn visit_i64x2_extmul_high_i32x4_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I64x2ExtMulHighI32x4U)) }
    pub(super) fn visit_i8x16_narrow_i16x8_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16NarrowI16x8S)) }
    pub(super) fn visit_i8x16_narrow_i16x8_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I8x16NarrowI16x8U)) }
    pub(super) fn visit_i16x8_narrow_i32x4_s(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8NarrowI32x4S)) }
    pub(super) fn visit_i16x8_narrow_i32x4_u(&mut self) -> Result<()> { self.simd_binary(vbin!(I16x8NarrowI32x4U)) }

    // ---- float arithmetic ----
    pub(super) fn visit_f32x4_abs(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F32x4Abs)) }
    pub(super) fn visit_f32x4_neg(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F32x4Neg)) }
    pub(super) fn visit_f32x4_sqrt(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F32x4Sqrt)) }
    pub(super) fn visit_f32x4_ceil(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F32x4Ceil)) }
    pub(super) fn visit_f32x4_floor(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F32x4Floor)) }
    pub(super) fn visit_f32x4_trunc(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F32x4Trunc)) }
    pub(super) fn visit_f32x4_nearest(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F32x4Nearest)) }
    pub(super) fn visit_f32x4_add(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Add)) }
    pub(super) fn visit_f32x4_sub(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Sub)) }
    pub(super) fn visit_f32x4_mul(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Mul)) }
    pub(super) fn visit_f32x4_div(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Div)) }
    pub(super) fn visit_f32x4_min(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Min)) }
    pub(super) fn visit_f32x4_max(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4Max)) }
    pub(super) fn visit_f32x4_pmin(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4PMin)) }
    pub(super) fn visit_f32x4_pmax(&mut self) -> Result<()> { self.simd_binary(vbin!(F32x4PMax)) }
    pub(super) fn visit_f64x2_abs(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F64x2Abs)) }
    pub(super) fn visit_f64x2_neg(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F64x2Neg)) }
    pub(super) fn visit_f64x2_sqrt(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F64x2Sqrt)) }
    pub(super) fn visit_f64x2_ceil(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F64x2Ceil)) }
    pub(super) fn visit_f64x2_floor(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F64x2Floor)) }
    pub(super) fn visit_f64x2_trunc(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F64x2Trunc)) }
    pub(super) fn visit_f64x2_nearest(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F64x2Nearest)) }
    pub(super) fn visit_f64x2_add(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Add)) }
    pub(super) fn visit_f64x2_sub(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Sub)) }
    pub(super) fn visit_f64x2_mul(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Mul)) }
    pub(super) fn visit_f64x2_div(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Div)) }
    pub(super) fn visit_f64x2_min(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Min)) }
    pub(super) fn visit_f64x2_max(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2Max)) }
    pub(super) fn visit_f64x2_pmin(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2PMin)) }
    pub(super) fn visit_f64x2_pmax(&mut self) -> Result<()> { self.simd_binary(vbin!(F64x2PMax)) }

    // ---- conversions ----
    pub(super) fn visit_i32x4_trunc_sat_f32x4_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4TruncSatF32x4S)) }
    pub(super) fn visit_i32x4_trunc_sat_f32x4_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4TruncSatF32x4U)) }
    pub(super) fn visit_i32x4_trunc_sat_f64x2_s_zero(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4TruncSatF64x2SZero)) }
    pub(super) fn visit_i32x4_trunc_sat_f64x2_u_zero(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(I32x4TruncSatF64x2UZero)) }
    pub(super) fn visit_f32x4_convert_i32x4_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F32x4ConvertI32x4S)) }
    pub(super) fn visit_f32x4_convert_i32x4_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F32x4ConvertI32x4U)) }
    pub(super) fn visit_f64x2_convert_low_i32x4_s(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F64x2ConvertLowI32x4S)) }
    pub(super) fn visit_f64x2_convert_low_i32x4_u(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F64x2ConvertLowI32x4U)) }
    pub(super) fn visit_f32x4_demote_f64x2_zero(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F32x4DemoteF64x2Zero)) }
    pub(super) fn visit_f64x2_promote_low_f32x4(&mut self) -> Result<()> { self.simd_unary(ValType::V128, vun!(F64x2PromoteLowF32x4)) }
}
