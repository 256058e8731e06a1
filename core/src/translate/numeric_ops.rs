//! The numeric operators' translations, one line per Wasm operator.

use super::*;

#[rustfmt::skip]
#[allow(clippy::wrong_self_convention)]
impl Translator<'_> {
    pub(super) fn visit_i32_eqz(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> I32, I32Eqz)) }
    pub(super) fn visit_i32_eq(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32Eq, I32EqImm, cmp i32_eq)) }
    pub(super) fn visit_i32_ne(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32Ne, I32NeImm, cmp i32_ne)) }
    pub(super) fn visit_i32_lt_s(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32LtS, I32LtSImm, cmp i32_lt_s)) }
    pub(super) fn visit_i32_lt_u(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32LtU, I32LtUImm, cmp i32_lt_u)) }
    pub(super) fn visit_i32_gt_s(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32GtS, I32GtSImm, cmp i32_gt_s)) }
    pub(super) fn visit_i32_gt_u(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32GtU, I32GtUImm, cmp i32_gt_u)) }
    pub(super) fn visit_i32_le_s(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32LeS, I32LeSImm, cmp i32_le_s)) }
    pub(super) fn visit_i32_le_u(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32LeU, I32LeUImm, cmp i32_le_u)) }
    pub(super) fn visit_i32_ge_s(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32GeS, I32GeSImm, cmp i32_ge_s)) }
    pub(super) fn visit_i32_ge_u(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32GeU, I32GeUImm, cmp i32_ge_u)) }
    pub(super) fn visit_i64_eqz(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> I32, I64Eqz)) }
    pub(super) fn visit_i64_eq(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I32, I64Eq, I64EqImm, cmp i64_eq)) }
    pub(super) fn visit_i64_ne(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I32, I64Ne, I64NeImm, cmp i64_ne)) }
    pub(super) fn visit_i64_lt_s(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I32, I64LtS, I64LtSImm, cmp i64_lt_s)) }
    pub(super) fn visit_i64_lt_u(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I32, I64LtU, I64LtUImm, cmp i64_lt_u)) }
    pub(super) fn visit_i64_gt_s(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I32, I64GtS, I64GtSImm, cmp i64_gt_s)) }
    pub(super) fn visit_i64_gt_u(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I32, I64GtU, I64GtUImm, cmp i64_gt_u)) }
    pub(super) fn visit_i64_le_s(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I32, I64LeS, I64LeSImm, cmp i64_le_s)) }
    pub(super) fn visit_i64_le_u(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I32, I64LeU, I64LeUImm, cmp i64_le_u)) }
    pub(super) fn visit_i64_ge_s(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I32, I64GeS, I64GeSImm, cmp i64_ge_s)) }
    pub(super) fn visit_i64_ge_u(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I32, I64GeU, I64GeUImm, cmp i64_ge_u)) }
    pub(super) fn visit_f32_eq(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> I32, F32Eq)) }
    pub(super) fn visit_f32_ne(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> I32, F32Ne)) }
    pub(super) fn visit_f32_lt(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> I32, F32Lt)) }
    pub(super) fn visit_f32_gt(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> I32, F32Gt)) }
    pub(super) fn visit_f32_le(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> I32, F32Le)) }
    pub(super) fn visit_f32_ge(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> I32, F32Ge)) }
    pub(super) fn visit_f64_eq(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> I32, F64Eq)) }
    pub(super) fn visit_f64_ne(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> I32, F64Ne)) }
    pub(super) fn visit_f64_lt(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> I32, F64Lt)) }
    pub(super) fn visit_f64_gt(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> I32, F64Gt)) }
    pub(super) fn visit_f64_le(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> I32, F64Le)) }
    pub(super) fn visit_f64_ge(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> I32, F64Ge)) }
    pub(super) fn visit_i32_clz(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> I32, I32Clz)) }
    pub(super) fn visit_i32_ctz(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> I32, I32Ctz)) }
    pub(super) fn visit_i32_popcnt(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> I32, I32Popcnt)) }
    pub(super) fn visit_i32_add(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32Add, I32AddImm, true)) }
    pub(super) fn visit_i32_sub(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32Sub, I32SubImm, false)) }
    pub(super) fn visit_i32_mul(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32Mul, I32MulImm, true)) }
    pub(super) fn visit_i32_div_s(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32DivS, I32DivSImm, false)) }
    pub(super) fn visit_i32_div_u(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32DivU, I32DivUImm, false)) }
    pub(super) fn visit_i32_rem_s(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32RemS, I32RemSImm, false)) }
    pub(super) fn visit_i32_rem_u(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32RemU, I32RemUImm, false)) }
    pub(super) fn visit_i32_and(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32And, I32AndImm, true)) }
    pub(super) fn visit_i32_or(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32Or, I32OrImm, true)) }
    pub(super) fn visit_i32_xor(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32Xor, I32XorImm, true)) }
    pub(super) fn visit_i32_shl(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32Shl, I32ShlImm, false)) }
    pub(super) fn visit_i32_shr_s(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32ShrS, I32ShrSImm, false)) }
    pub(super) fn visit_i32_shr_u(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32ShrU, I32ShrUImm, false)) }
    pub(super) fn visit_i32_rotl(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32Rotl, I32RotlImm, false)) }
    pub(super) fn visit_i32_rotr(&mut self) -> Result<()> { self.translate_binary(bin!(I32 -> I32, I32Rotr, I32RotrImm, false)) }
    pub(super) fn visit_i64_clz(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> I64, I64Clz)) }
    pub(super) fn visit_i64_ctz(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> I64, I64Ctz)) }
    pub(super) fn visit_i64_popcnt(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> I64, I64Popcnt)) }
    pub(super) fn visit_i64_add(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64Add, I64AddImm, true)) }
    pub(super) fn visit_i64_sub(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64Sub, I64SubImm, false)) }
    pub(super) fn visit_i64_mul(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64Mul, I64MulImm, true)) }
    pub(super) fn visit_i64_div_s(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64DivS, I64DivSImm, false)) }
    pub(super) fn visit_i64_div_u(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64DivU, I64DivUImm, false)) }
    pub(super) fn visit_i64_rem_s(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64RemS, I64RemSImm, false)) }
    pub(super) fn visit_i64_rem_u(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64RemU, I64RemUImm, false)) }
    pub(super) fn visit_i64_and(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64And, I64AndImm, true)) }
    pub(super) fn visit_i64_or(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64Or, I64OrImm, true)) }
    pub(super) fn visit_i64_xor(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64Xor, I64XorImm, true)) }
    pub(super) fn visit_i64_shl(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64Shl, I64ShlImm, false)) }
    pub(super) fn visit_i64_shr_s(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64ShrS, I64ShrSImm, false)) }
    pub(super) fn visit_i64_shr_u(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64ShrU, I64ShrUImm, false)) }
    pub(super) fn visit_i64_rotl(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64Rotl, I64RotlImm, false)) }
    pub(super) fn visit_i64_rotr(&mut self) -> Result<()> { self.translate_binary(bin!(I64 -> I64, I64Rotr, I64RotrImm, false)) }
    pub(super) fn visit_f32_abs(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> F32, F32Abs)) }
    pub(super) fn visit_f32_neg(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> F32, F32Neg)) }
    pub(super) fn visit_f32_ceil(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> F32, F32Ceil)) }
    pub(super) fn visit_f32_floor(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> F32, F32Floor)) }
    pub(super) fn visit_f32_trunc(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> F32, F32Trunc)) }
    pub(super) fn visit_f32_nearest(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> F32, F32Nearest)) }
    pub(super) fn visit_f32_sqrt(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> F32, F32Sqrt)) }
    pub(super) fn visit_f32_add(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> F32, F32Add)) }
    pub(super) fn visit_f32_sub(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> F32, F32Sub)) }
    pub(super) fn visit_f32_mul(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> F32, F32Mul)) }
    pub(super) fn visit_f32_div(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> F32, F32Div)) }
    pub(super) fn visit_f32_min(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> F32, F32Min)) }
    pub(super) fn visit_f32_max(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> F32, F32Max)) }
    pub(super) fn visit_f32_copysign(&mut self) -> Result<()> { self.translate_binary(bin!(F32 -> F32, F32Copysign)) }
    pub(super) fn visit_f64_abs(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> F64, F64Abs)) }
    pub(super) fn visit_f64_neg(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> F64, F64Neg)) }
    pub(super) fn visit_f64_ceil(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> F64, F64Ceil)) }
    pub(super) fn visit_f64_floor(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> F64, F64Floor)) }
    pub(super) fn visit_f64_trunc(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> F64, F64Trunc)) }
    pub(super) fn visit_f64_nearest(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> F64, F64Nearest)) }
    pub(super) fn visit_f64_sqrt(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> F64, F64Sqrt)) }
    pub(super) fn visit_f64_add(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> F64, F64Add)) }
    pub(super) fn visit_f64_sub(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> F64, F64Sub)) }
    pub(super) fn visit_f64_mul(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> F64, F64Mul)) }
    pub(super) fn visit_f64_div(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> F64, F64Div)) }
    pub(super) fn visit_f64_min(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> F64, F64Min)) }
    pub(super) fn visit_f64_max(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> F64, F64Max)) }
    pub(super) fn visit_f64_copysign(&mut self) -> Result<()> { self.translate_binary(bin!(F64 -> F64, F64Copysign)) }
    pub(super) fn visit_i32_wrap_i64(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> I32, I32WrapI64)) }
    pub(super) fn visit_i32_trunc_f32_s(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> I32, I32TruncF32S)) }
    pub(super) fn visit_i32_trunc_f32_u(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> I32, I32TruncF32U)) }
    pub(super) fn visit_i32_trunc_f64_s(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> I32, I32TruncF64S)) }
    pub(super) fn visit_i32_trunc_f64_u(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> I32, I32TruncF64U)) }
    pub(super) fn visit_i64_extend_i32_s(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> I64, I64ExtendI32S)) }
    pub(super) fn visit_i64_extend_i32_u(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> I64, I64ExtendI32U)) }
    pub(super) fn visit_i64_trunc_f32_s(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> I64, I64TruncF32S)) }
    pub(super) fn visit_i64_trunc_f32_u(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> I64, I64TruncF32U)) }
    pub(super) fn visit_i64_trunc_f64_s(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> I64, I64TruncF64S)) }
    pub(super) fn visit_i64_trunc_f64_u(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> I64, I64TruncF64U)) }
    pub(super) fn visit_f32_convert_i32_s(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> F32, F32ConvertI32S)) }
    pub(super) fn visit_f32_convert_i32_u(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> F32, F32ConvertI32U)) }
    pub(super) fn visit_f32_convert_i64_s(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> F32, F32ConvertI64S)) }
    pub(super) fn visit_f32_convert_i64_u(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> F32, F32ConvertI64U)) }
    pub(super) fn visit_f32_demote_f64(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> F32, F32DemoteF64)) }
    pub(super) fn visit_f64_convert_i32_s(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> F64, F64ConvertI32S)) }
    pub(super) fn visit_f64_convert_i32_u(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> F64, F64ConvertI32U)) }
    pub(super) fn visit_f64_convert_i64_s(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> F64, F64ConvertI64S)) }
    pub(super) fn visit_f64_convert_i64_u(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> F64, F64ConvertI64U)) }
    pub(super) fn visit_f64_promote_f32(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> F64, F64PromoteF32)) }
    pub(super) fn visit_i32_reinterpret_f32(&mut self) -> Result<()> { self.translate_reinterpret(ValType::I32) }
    pub(super) fn visit_i64_reinterpret_f64(&mut self) -> Result<()> { self.translate_reinterpret(ValType::I64) }
    pub(super) fn visit_f32_reinterpret_i32(&mut self) -> Result<()> { self.translate_reinterpret(ValType::F32) }
    pub(super) fn visit_f64_reinterpret_i64(&mut self) -> Result<()> { self.translate_reinterpret(ValType::F64) }
    pub(super) fn visit_i32_extend8_s(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> I32, I32Extend8S)) }
    pub(super) fn visit_i32_extend16_s(&mut self) -> Result<()> { self.translate_unary(un!(I32 -> I32, I32Extend16S)) }
    pub(super) fn visit_i64_extend8_s(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> I64, I64Extend8S)) }
    pub(super) fn visit_i64_extend16_s(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> I64, I64Extend16S)) }
    pub(super) fn visit_i64_extend32_s(&mut self) -> Result<()> { self.translate_unary(un!(I64 -> I64, I64Extend32S)) }
    pub(super) fn visit_i32_trunc_sat_f32_s(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> I32, I32TruncSatF32S)) }
    pub(super) fn visit_i32_trunc_sat_f32_u(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> I32, I32TruncSatF32U)) }
    pub(super) fn visit_i32_trunc_sat_f64_s(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> I32, I32TruncSatF64S)) }
    pub(super) fn visit_i32_trunc_sat_f64_u(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> I32, I32TruncSatF64U)) }
    pub(super) fn visit_i64_trunc_sat_f32_s(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> I64, I64TruncSatF32S)) }
    pub(super) fn visit_i64_trunc_sat_f32_u(&mut self) -> Result<()> { self.translate_unary(un!(F32 -> I64, I64TruncSatF32U)) }
    pub(super) fn visit_i64_trunc_sat_f64_s(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> I64, I64TruncSatF64S)) }
    pub(super) fn visit_i64_trunc_sat_f64_u(&mut self) -> Result<()> { self.translate_unary(un!(F64 -> I64, I64TruncSatF64U)) }
}
