//! The SIMD instructions compiled natively (SSE2/SSSE3/SSE4.1): lane-wise
//! integer and float arithmetic that maps to one packed instruction,
//! logic, integer comparisons, immediate shifts, widening, splats, lane
//! extraction and replacement, and shuffles. Within a basic block, `v128`
//! values live in xmm registers of the register cache (whole-`v128`
//! entries, loaded and stored with unaligned moves: slots are only 8-byte
//! aligned). The rest runs through `Helpers::exec`.

use alloc::vec::Vec;

use ember_core::ir::{SimdInstr, Slot};

use super::{Compiler, SLOTS, slot_mem};
use crate::{Gpr, Mem, PackedOp, PackedShift, Size, Xmm};

/// `(operation, dst, a, b, swap)`: `dst = a op b`, or `b op a` if `swap`.
fn binary(op: &SimdInstr) -> Option<(PackedOp, Slot, Slot, Slot, bool)> {
    use PackedOp as P;
    use SimdInstr as S;
    Some(match *op {
        S::V128And { dst, a, b } => (P::Pand, dst, a, b, false),
        S::V128Or { dst, a, b } => (P::Por, dst, a, b, false),
        S::V128Xor { dst, a, b } => (P::Pxor, dst, a, b, false),
        // a & !b = pandn(b, a).
        S::V128AndNot { dst, a, b } => (P::Pandn, dst, a, b, true),
        S::I8x16Add { dst, a, b } => (P::Paddb, dst, a, b, false),
        S::I16x8Add { dst, a, b } => (P::Paddw, dst, a, b, false),
        S::I32x4Add { dst, a, b } => (P::Paddd, dst, a, b, false),
        S::I64x2Add { dst, a, b } => (P::Paddq, dst, a, b, false),
        S::I8x16Sub { dst, a, b } => (P::Psubb, dst, a, b, false),
        S::I16x8Sub { dst, a, b } => (P::Psubw, dst, a, b, false),
        S::I32x4Sub { dst, a, b } => (P::Psubd, dst, a, b, false),
        S::I64x2Sub { dst, a, b } => (P::Psubq, dst, a, b, false),
        S::I8x16AddSatS { dst, a, b } => (P::Paddsb, dst, a, b, false),
        S::I8x16AddSatU { dst, a, b } => (P::Paddusb, dst, a, b, false),
        S::I8x16SubSatS { dst, a, b } => (P::Psubsb, dst, a, b, false),
        S::I8x16SubSatU { dst, a, b } => (P::Psubusb, dst, a, b, false),
        S::I16x8AddSatS { dst, a, b } => (P::Paddsw, dst, a, b, false),
        S::I16x8AddSatU { dst, a, b } => (P::Paddusw, dst, a, b, false),
        S::I16x8SubSatS { dst, a, b } => (P::Psubsw, dst, a, b, false),
        S::I16x8SubSatU { dst, a, b } => (P::Psubusw, dst, a, b, false),
        S::I16x8Mul { dst, a, b } => (P::Pmullw, dst, a, b, false),
        S::I32x4Mul { dst, a, b } => (P::Pmulld, dst, a, b, false),
        S::I8x16MinS { dst, a, b } => (P::Pminsb, dst, a, b, false),
        S::I8x16MinU { dst, a, b } => (P::Pminub, dst, a, b, false),
        S::I8x16MaxS { dst, a, b } => (P::Pmaxsb, dst, a, b, false),
        S::I8x16MaxU { dst, a, b } => (P::Pmaxub, dst, a, b, false),
        S::I16x8MinS { dst, a, b } => (P::Pminsw, dst, a, b, false),
        S::I16x8MinU { dst, a, b } => (P::Pminuw, dst, a, b, false),
        S::I16x8MaxS { dst, a, b } => (P::Pmaxsw, dst, a, b, false),
        S::I16x8MaxU { dst, a, b } => (P::Pmaxuw, dst, a, b, false),
        S::I32x4MinS { dst, a, b } => (P::Pminsd, dst, a, b, false),
        S::I32x4MinU { dst, a, b } => (P::Pminud, dst, a, b, false),
        S::I32x4MaxS { dst, a, b } => (P::Pmaxsd, dst, a, b, false),
        S::I32x4MaxU { dst, a, b } => (P::Pmaxud, dst, a, b, false),
        S::I8x16AvgrU { dst, a, b } => (P::Pavgb, dst, a, b, false),
        S::I16x8AvgrU { dst, a, b } => (P::Pavgw, dst, a, b, false),
        S::I32x4DotI16x8S { dst, a, b } => (P::Pmaddwd, dst, a, b, false),
        S::I8x16NarrowI16x8S { dst, a, b } => (P::Packsswb, dst, a, b, false),
        S::I8x16NarrowI16x8U { dst, a, b } => (P::Packuswb, dst, a, b, false),
        S::I16x8NarrowI32x4S { dst, a, b } => (P::Packssdw, dst, a, b, false),
        S::I16x8NarrowI32x4U { dst, a, b } => (P::Packusdw, dst, a, b, false),
        S::I8x16Eq { dst, a, b } => (P::Pcmpeqb, dst, a, b, false),
        S::I16x8Eq { dst, a, b } => (P::Pcmpeqw, dst, a, b, false),
        S::I32x4Eq { dst, a, b } => (P::Pcmpeqd, dst, a, b, false),
        S::I8x16GtS { dst, a, b } => (P::Pcmpgtb, dst, a, b, false),
        S::I16x8GtS { dst, a, b } => (P::Pcmpgtw, dst, a, b, false),
        S::I32x4GtS { dst, a, b } => (P::Pcmpgtd, dst, a, b, false),
        S::I8x16LtS { dst, a, b } => (P::Pcmpgtb, dst, a, b, true),
        S::I16x8LtS { dst, a, b } => (P::Pcmpgtw, dst, a, b, true),
        S::I32x4LtS { dst, a, b } => (P::Pcmpgtd, dst, a, b, true),
        S::F32x4Add { dst, a, b } => (P::Addps, dst, a, b, false),
        S::F32x4Sub { dst, a, b } => (P::Subps, dst, a, b, false),
        S::F32x4Mul { dst, a, b } => (P::Mulps, dst, a, b, false),
        S::F32x4Div { dst, a, b } => (P::Divps, dst, a, b, false),
        S::F64x2Add { dst, a, b } => (P::Addpd, dst, a, b, false),
        S::F64x2Sub { dst, a, b } => (P::Subpd, dst, a, b, false),
        S::F64x2Mul { dst, a, b } => (P::Mulpd, dst, a, b, false),
        S::F64x2Div { dst, a, b } => (P::Divpd, dst, a, b, false),
        // pmin(a, b) = b < a ? b : a = minps(b, a); pmax likewise.
        S::F32x4PMin { dst, a, b } => (P::Minps, dst, a, b, true),
        S::F32x4PMax { dst, a, b } => (P::Maxps, dst, a, b, true),
        S::F64x2PMin { dst, a, b } => (P::Minpd, dst, a, b, true),
        S::F64x2PMax { dst, a, b } => (P::Maxpd, dst, a, b, true),
        _ => return None,
    })
}

/// `(shift, lane bits, dst, a, count)` of a shift by an immediate.
fn shift(op: &SimdInstr) -> Option<(PackedShift, u16, Slot, Slot, u16)> {
    use PackedShift as P;
    use SimdInstr as S;
    Some(match *op {
        S::I16x8ShlImm { dst, a, imm } => (P::Psllw, 16, dst, a, imm),
        S::I16x8ShrUImm { dst, a, imm } => (P::Psrlw, 16, dst, a, imm),
        S::I16x8ShrSImm { dst, a, imm } => (P::Psraw, 16, dst, a, imm),
        S::I32x4ShlImm { dst, a, imm } => (P::Pslld, 32, dst, a, imm),
        S::I32x4ShrUImm { dst, a, imm } => (P::Psrld, 32, dst, a, imm),
        S::I32x4ShrSImm { dst, a, imm } => (P::Psrad, 32, dst, a, imm),
        S::I64x2ShlImm { dst, a, imm } => (P::Psllq, 64, dst, a, imm),
        S::I64x2ShrUImm { dst, a, imm } => (P::Psrlq, 64, dst, a, imm),
        _ => return None,
    })
}

/// `(widening move, high half, dst, src)` of an extension.
fn extend(op: &SimdInstr) -> Option<(PackedOp, bool, Slot, Slot)> {
    use PackedOp as P;
    use SimdInstr as S;
    Some(match *op {
        S::I16x8ExtendLowI8x16S { dst, src } => (P::Pmovsxbw, false, dst, src),
        S::I16x8ExtendHighI8x16S { dst, src } => (P::Pmovsxbw, true, dst, src),
        S::I16x8ExtendLowI8x16U { dst, src } => (P::Pmovzxbw, false, dst, src),
        S::I16x8ExtendHighI8x16U { dst, src } => (P::Pmovzxbw, true, dst, src),
        S::I32x4ExtendLowI16x8S { dst, src } => (P::Pmovsxwd, false, dst, src),
        S::I32x4ExtendHighI16x8S { dst, src } => (P::Pmovsxwd, true, dst, src),
        S::I32x4ExtendLowI16x8U { dst, src } => (P::Pmovzxwd, false, dst, src),
        S::I32x4ExtendHighI16x8U { dst, src } => (P::Pmovzxwd, true, dst, src),
        S::I64x2ExtendLowI32x4S { dst, src } => (P::Pmovsxdq, false, dst, src),
        S::I64x2ExtendHighI32x4S { dst, src } => (P::Pmovsxdq, true, dst, src),
        S::I64x2ExtendLowI32x4U { dst, src } => (P::Pmovzxdq, false, dst, src),
        S::I64x2ExtendHighI32x4U { dst, src } => (P::Pmovzxdq, true, dst, src),
        _ => return None,
    })
}

/// `(widening move, multiply, high half, dst, a, b)` of an extending
/// multiply.
fn ext_mul(op: &SimdInstr) -> Option<(PackedOp, PackedOp, bool, Slot, Slot, Slot)> {
    use PackedOp as P;
    use SimdInstr as S;
    let (w16, w32) = (P::Pmullw, P::Pmulld);
    Some(match *op {
        S::I16x8ExtMulLowI8x16S { dst, a, b } => (P::Pmovsxbw, w16, false, dst, a, b),
        S::I16x8ExtMulHighI8x16S { dst, a, b } => (P::Pmovsxbw, w16, true, dst, a, b),
        S::I16x8ExtMulLowI8x16U { dst, a, b } => (P::Pmovzxbw, w16, false, dst, a, b),
        S::I16x8ExtMulHighI8x16U { dst, a, b } => (P::Pmovzxbw, w16, true, dst, a, b),
        S::I32x4ExtMulLowI16x8S { dst, a, b } => (P::Pmovsxwd, w32, false, dst, a, b),
        S::I32x4ExtMulHighI16x8S { dst, a, b } => (P::Pmovsxwd, w32, true, dst, a, b),
        S::I32x4ExtMulLowI16x8U { dst, a, b } => (P::Pmovzxwd, w32, false, dst, a, b),
        S::I32x4ExtMulHighI16x8U { dst, a, b } => (P::Pmovzxwd, w32, true, dst, a, b),
        _ => return None,
    })
}

/// Whether `op` is compiled natively.
pub(crate) fn is_native(op: &SimdInstr) -> bool {
    use SimdInstr as S;
    binary(op).is_some()
        || shift(op).is_some()
        || extend(op).is_some()
        || ext_mul(op).is_some()
        || matches!(
            op,
            S::V128Not { .. }
                | S::I8x16Splat { .. }
                | S::I16x8Splat { .. }
                | S::I32x4Splat { .. }
                | S::I64x2Splat { .. }
                | S::I8x16ExtractLaneS { .. }
                | S::I8x16ExtractLaneU { .. }
                | S::I16x8ExtractLaneS { .. }
                | S::I16x8ExtractLaneU { .. }
                | S::I32x4ExtractLane { .. }
                | S::I64x2ExtractLane { .. }
                | S::I8x16ReplaceLane { .. }
                | S::I16x8ReplaceLane { .. }
                | S::I32x4ReplaceLane { .. }
                | S::I64x2ReplaceLane { .. }
                | S::I8x16Shuffle { .. }
        )
}

/// Byte `lane` of the `v128` at `slot` (`size`-byte lanes).
fn lane_mem(slot: Slot, lane: u16, size: Size) -> Mem {
    let bytes = size.bytes() as u16;
    let lane = lane & (16 / bytes - 1);
    Mem::base_disp(SLOTS, i32::from(slot) * 8 + i32::from(lane * bytes))
}

impl Compiler<'_, '_> {
    /// Compiles `op` natively if it can; `false` leaves it to the helper.
    pub(crate) fn simd(&mut self, op: &SimdInstr) -> bool {
        use SimdInstr as S;
        let (x0, x1) = (Xmm::Xmm0, Xmm::Xmm1);
        if let Some((packed, dst, a, b, swap)) = binary(op) {
            let (first, second) = if swap { (b, a) } else { (a, b) };
            let xa = self.v128_of(first);
            let xb = self.v128_of(second);
            let xd = self.v128_dst(dst, first, xa);
            self.asm.packed_xx(packed, xd, xb);
            self.bind_v128(dst, xd);
            return true;
        }
        if let Some((packed, bits, dst, a, count)) = shift(op) {
            let xa = self.v128_of(a);
            let xd = self.v128_dst(dst, a, xa);
            self.asm
                .packed_shift_xi(packed, xd, (count & (bits - 1)) as u8);
            self.bind_v128(dst, xd);
            return true;
        }
        if let Some((widen, high, dst, src)) = extend(op) {
            let xs = self.v128_of(src);
            let xd = self.v128_dst(dst, src, xs);
            if high {
                self.asm.packed_shift_xi(PackedShift::Psrldq, xd, 8);
            }
            self.asm.packed_xx(widen, xd, xd);
            self.bind_v128(dst, xd);
            return true;
        }
        if let Some((widen, mul, high, dst, a, b)) = ext_mul(op) {
            let xb = self.v128_of(b);
            self.asm.movaps_xx(x1, xb);
            let xa = self.v128_of(a);
            let xd = self.v128_dst(dst, a, xa);
            if high {
                self.asm.packed_shift_xi(PackedShift::Psrldq, xd, 8);
                self.asm.packed_shift_xi(PackedShift::Psrldq, x1, 8);
            }
            self.asm.packed_xx(widen, xd, xd);
            self.asm.packed_xx(widen, x1, x1);
            self.asm.packed_xx(mul, xd, x1);
            self.bind_v128(dst, xd);
            return true;
        }
        match *op {
            S::V128Not { dst, src } => {
                let xs = self.v128_of(src);
                let xd = self.v128_dst(dst, src, xs);
                self.asm.packed_xx(PackedOp::Pcmpeqd, x1, x1);
                self.asm.packed_xx(PackedOp::Pxor, xd, x1);
                self.bind_v128(dst, xd);
            }
            S::I8x16Splat { dst, src } => {
                let r = self.gpr_of(src);
                let xd = self.alloc_xmm();
                self.asm.movd_xr(Size::S32, xd, r);
                self.asm.packed_xx(PackedOp::Pxor, x1, x1);
                self.asm.packed_xx(PackedOp::Pshufb, xd, x1);
                self.bind_v128(dst, xd);
            }
            S::I16x8Splat { dst, src } => {
                let r = self.gpr_of(src);
                let xd = self.alloc_xmm();
                self.asm.movd_xr(Size::S32, xd, r);
                self.asm.pshuflw_xxi(xd, xd, 0);
                self.asm.packed_xx(PackedOp::Punpcklqdq, xd, xd);
                self.bind_v128(dst, xd);
            }
            S::I32x4Splat { dst, src } => {
                let r = self.gpr_of(src);
                let xd = self.alloc_xmm();
                self.asm.movd_xr(Size::S32, xd, r);
                self.asm.pshufd_xxi(xd, xd, 0);
                self.bind_v128(dst, xd);
            }
            S::I64x2Splat { dst, src } => {
                let r = self.gpr_of(src);
                let xd = self.alloc_xmm();
                self.asm.movd_xr(Size::S64, xd, r);
                self.asm.packed_xx(PackedOp::Punpcklqdq, xd, xd);
                self.bind_v128(dst, xd);
            }
            S::I8x16ExtractLaneS { dst, src, lane } => {
                self.extract_lane(dst, src, lane, Size::S8, true)
            }
            S::I8x16ExtractLaneU { dst, src, lane } => {
                self.extract_lane(dst, src, lane, Size::S8, false)
            }
            S::I16x8ExtractLaneS { dst, src, lane } => {
                self.extract_lane(dst, src, lane, Size::S16, true)
            }
            S::I16x8ExtractLaneU { dst, src, lane } => {
                self.extract_lane(dst, src, lane, Size::S16, false)
            }
            S::I32x4ExtractLane { dst, src, lane } => {
                self.extract_lane(dst, src, lane, Size::S32, false)
            }
            S::I64x2ExtractLane { dst, src, lane } => {
                self.extract_lane(dst, src, lane, Size::S64, false)
            }
            S::I8x16ReplaceLane { dst, a, b, lane } => self.replace_lane(dst, a, b, lane, Size::S8),
            S::I16x8ReplaceLane { dst, a, b, lane } => {
                self.replace_lane(dst, a, b, lane, Size::S16)
            }
            S::I32x4ReplaceLane { dst, a, b, lane } => {
                self.replace_lane(dst, a, b, lane, Size::S32)
            }
            S::I64x2ReplaceLane { dst, a, b, lane } => {
                self.replace_lane(dst, a, b, lane, Size::S64)
            }
            S::I8x16Shuffle { dst, a, b, pool } => {
                let Some(&lanes) = self.func.consts128.get(usize::from(pool)) else {
                    return false;
                };
                let lanes = lanes.to_le_bytes();
                // Bytes of `a` where the lane index is below 16, of `b`
                // above; pshufb zeroes the byte where bit 7 is set.
                let pick = |from_b: bool| {
                    lanes.map(|l| {
                        let l = l & 31;
                        match (l >= 16, from_b) {
                            (false, false) => l,
                            (true, true) => l - 16,
                            _ => 0x80,
                        }
                    })
                };
                let (mask_a, mask_b) = (
                    self.constant_pool(pick(false)),
                    self.constant_pool(pick(true)),
                );
                let xa = self.v128_of(a);
                let xb = self.v128_of(b);
                self.asm.movaps_xx(x0, xa);
                self.asm.movaps_xx(x1, xb);
                self.asm.packed_xm(PackedOp::Pshufb, x0, Mem::label(mask_a));
                self.asm.packed_xm(PackedOp::Pshufb, x1, Mem::label(mask_b));
                self.asm.packed_xx(PackedOp::Por, x0, x1);
                let xd = self.alloc_xmm();
                self.asm.movaps_xx(xd, x0);
                self.bind_v128(dst, xd);
            }
            _ => return false,
        }
        true
    }

    /// The register to compute the `v128` `dst = src op ...` in: `src`'s
    /// own register when `dst == src`, else a copy of it.
    fn v128_dst(&mut self, dst: Slot, src: Slot, xs: Xmm) -> Xmm {
        if dst == src {
            xs
        } else {
            let xd = self.alloc_xmm();
            self.asm.movaps_xx(xd, xs);
            xd
        }
    }

    fn extract_lane(&mut self, dst: Slot, src: Slot, lane: u16, size: Size, signed: bool) {
        if let Some((base, _)) = self.cache.find_wide(src)
            && base == src
        {
            // From the register: the dword (or quadword) holding the lane
            // to `rax` (shuffled down), then shifted and extended.
            let xs = self.v128_of(src);
            let bytes = size.bytes() as u16;
            let byte = (lane & (16 / bytes - 1)) * bytes;
            if size == Size::S64 {
                if byte == 0 {
                    self.asm.movd_rx(Size::S64, Gpr::Rax, xs);
                } else {
                    self.asm.pshufd_xxi(Xmm::Xmm0, xs, 0xee);
                    self.asm.movd_rx(Size::S64, Gpr::Rax, Xmm::Xmm0);
                }
            } else {
                let dword = (byte / 4) as u8;
                if dword == 0 {
                    self.asm.movd_rx(Size::S32, Gpr::Rax, xs);
                } else {
                    self.asm.pshufd_xxi(Xmm::Xmm0, xs, dword);
                    self.asm.movd_rx(Size::S32, Gpr::Rax, Xmm::Xmm0);
                }
                let shift = ((byte % 4) * 8) as u8;
                if shift != 0 {
                    self.asm
                        .shift_ri(crate::ShiftOp::Shr, Size::S32, Gpr::Rax, shift);
                }
            }
            let rd = self.dst_gpr(dst, &[]);
            match (size, signed) {
                (Size::S8 | Size::S16, true) => self.asm.movsx_rr(Size::S32, size, rd, Gpr::Rax),
                (Size::S8 | Size::S16, false) => self.asm.movzx_rr(Size::S32, size, rd, Gpr::Rax),
                _ => self.asm.mov_rr(size, rd, Gpr::Rax),
            }
            self.bind_gpr(dst, rd);
            return;
        }
        self.sync_v128(src);
        let m = lane_mem(src, lane, size);
        let rd = self.dst_gpr(dst, &[]);
        match (size, signed) {
            (Size::S8 | Size::S16, true) => self.asm.movsx_rm(Size::S32, size, rd, m),
            (Size::S8 | Size::S16, false) => self.asm.movzx_rm(Size::S32, size, rd, m),
            _ => self.asm.mov_rm(size, rd, m),
        }
        self.bind_gpr(dst, rd);
    }

    fn replace_lane(&mut self, dst: Slot, a: Slot, b: Slot, lane: u16, size: Size) {
        let rb = self.gpr_of(b);
        self.asm.mov_rr(Size::S64, Gpr::Rax, rb);
        if dst != a {
            let xa = self.v128_of(a);
            self.invalidate(dst);
            self.invalidate(dst + 1);
            self.asm.movdqu_mx(slot_mem(dst), xa);
        } else {
            self.sync(a);
            self.sync(a + 1);
            self.invalidate(dst);
            self.invalidate(dst + 1);
        }
        self.asm.mov_mr(size, lane_mem(dst, lane, size), Gpr::Rax);
    }

    /// A label on 16 aligned bytes of data after the code.
    fn constant_pool(&mut self, bytes: [u8; 16]) -> crate::Label {
        let label = self.asm.new_label();
        self.data.push((label, bytes));
        label
    }

    /// Emits the data of `constant_pool`.
    pub(crate) fn emit_data(&mut self) {
        let data: Vec<_> = core::mem::take(&mut self.data);
        if data.is_empty() {
            return;
        }
        self.asm.align(16);
        for (label, bytes) in data {
            self.asm.bind(label);
            self.asm.buffer_mut().put(&bytes);
        }
    }
}
