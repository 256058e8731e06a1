//! Packed SSE2/SSSE3/SSE4.1 instructions on whole xmm registers: lane-wise
//! integer and float arithmetic, logic, saturation, min/max, packing,
//! widening moves, byte shuffles, and shifts by an immediate.

use ember_core::CodeBuffer;

use crate::assembler::Assembler;
use crate::encoding::{Enc, Inst, Map, Rm};
use crate::mem::Mem;
use crate::regs::Xmm;

macro_rules! packed_ops {
    ($( $(#[doc = $doc:literal])* $name:ident = $prefix:literal $map:ident $opcode:literal, )*) => {
        /// A packed operation of the shape `op xmm, xmm/m128` (`dst = dst
        /// op src`), named by its mnemonic.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum PackedOp {
            $( $(#[doc = $doc])* $name, )*
        }

        impl PackedOp {
            /// Every operation, for tests.
            pub const ALL: &'static [PackedOp] = &[$(PackedOp::$name),*];

            /// Mandatory prefix (0: none), opcode map and opcode.
            const fn encoding(self) -> (u8, Map, u8) {
                match self {
                    $( PackedOp::$name => ($prefix, Map::$map, $opcode), )*
                }
            }
        }
    };
}

packed_ops! {
    Paddb = 0x66 M0F 0xfc,
    Paddw = 0x66 M0F 0xfd,
    Paddd = 0x66 M0F 0xfe,
    Paddq = 0x66 M0F 0xd4,
    Psubb = 0x66 M0F 0xf8,
    Psubw = 0x66 M0F 0xf9,
    Psubd = 0x66 M0F 0xfa,
    Psubq = 0x66 M0F 0xfb,
    Paddsb = 0x66 M0F 0xec,
    Paddsw = 0x66 M0F 0xed,
    Paddusb = 0x66 M0F 0xdc,
    Paddusw = 0x66 M0F 0xdd,
    Psubsb = 0x66 M0F 0xe8,
    Psubsw = 0x66 M0F 0xe9,
    Psubusb = 0x66 M0F 0xd8,
    Psubusw = 0x66 M0F 0xd9,
    Pmullw = 0x66 M0F 0xd5,
    /// SSE4.1.
    Pmulld = 0x66 M0F38 0x40,
    Pmaddwd = 0x66 M0F 0xf5,
    Pminub = 0x66 M0F 0xda,
    Pmaxub = 0x66 M0F 0xde,
    Pminsw = 0x66 M0F 0xea,
    Pmaxsw = 0x66 M0F 0xee,
    /// SSE4.1.
    Pminsb = 0x66 M0F38 0x38,
    /// SSE4.1.
    Pmaxsb = 0x66 M0F38 0x3c,
    /// SSE4.1.
    Pminuw = 0x66 M0F38 0x3a,
    /// SSE4.1.
    Pmaxuw = 0x66 M0F38 0x3e,
    /// SSE4.1.
    Pminsd = 0x66 M0F38 0x39,
    /// SSE4.1.
    Pminud = 0x66 M0F38 0x3b,
    /// SSE4.1.
    Pmaxsd = 0x66 M0F38 0x3d,
    /// SSE4.1.
    Pmaxud = 0x66 M0F38 0x3f,
    Pavgb = 0x66 M0F 0xe0,
    Pavgw = 0x66 M0F 0xe3,
    Pand = 0x66 M0F 0xdb,
    /// `dst = !dst & src`.
    Pandn = 0x66 M0F 0xdf,
    Por = 0x66 M0F 0xeb,
    Pxor = 0x66 M0F 0xef,
    Packsswb = 0x66 M0F 0x63,
    Packuswb = 0x66 M0F 0x67,
    Packssdw = 0x66 M0F 0x6b,
    /// SSE4.1.
    Packusdw = 0x66 M0F38 0x2b,
    Pcmpeqb = 0x66 M0F 0x74,
    Pcmpeqw = 0x66 M0F 0x75,
    Pcmpeqd = 0x66 M0F 0x76,
    Pcmpgtb = 0x66 M0F 0x64,
    Pcmpgtw = 0x66 M0F 0x65,
    Pcmpgtd = 0x66 M0F 0x66,
    Addps = 0x00 M0F 0x58,
    Subps = 0x00 M0F 0x5c,
    Mulps = 0x00 M0F 0x59,
    Divps = 0x00 M0F 0x5e,
    /// `dst < src ? dst : src` per lane (`src` if either is NaN).
    Minps = 0x00 M0F 0x5d,
    /// `dst > src ? dst : src` per lane (`src` if either is NaN).
    Maxps = 0x00 M0F 0x5f,
    Addpd = 0x66 M0F 0x58,
    Subpd = 0x66 M0F 0x5c,
    Mulpd = 0x66 M0F 0x59,
    Divpd = 0x66 M0F 0x5e,
    Minpd = 0x66 M0F 0x5d,
    Maxpd = 0x66 M0F 0x5f,
    /// SSE4.1: the low 8 bytes sign-extended to words.
    Pmovsxbw = 0x66 M0F38 0x20,
    /// SSE4.1.
    Pmovzxbw = 0x66 M0F38 0x30,
    /// SSE4.1.
    Pmovsxwd = 0x66 M0F38 0x23,
    /// SSE4.1.
    Pmovzxwd = 0x66 M0F38 0x33,
    /// SSE4.1.
    Pmovsxdq = 0x66 M0F38 0x25,
    /// SSE4.1.
    Pmovzxdq = 0x66 M0F38 0x35,
    /// SSSE3: byte `i` of `dst` becomes byte `src[i] & 15` of `dst`, or 0
    /// when bit 7 of `src[i]` is set.
    Pshufb = 0x66 M0F38 0x00,
    /// The low quadwords of `dst` and `src`.
    Punpcklqdq = 0x66 M0F 0x6c,
}

/// Shifts of every lane by an immediate (`/digit` of `0x71`..`0x73`), and
/// the whole-register byte shifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum PackedShift {
    Psrlw,
    Psraw,
    Psllw,
    Psrld,
    Psrad,
    Pslld,
    Psrlq,
    Psllq,
    /// Shifts the whole register right by `imm` bytes.
    Psrldq,
    /// Shifts the whole register left by `imm` bytes.
    Pslldq,
}

impl PackedShift {
    /// Opcode and `/digit`.
    const fn encoding(self) -> (u8, u8) {
        match self {
            PackedShift::Psrlw => (0x71, 2),
            PackedShift::Psraw => (0x71, 4),
            PackedShift::Psllw => (0x71, 6),
            PackedShift::Psrld => (0x72, 2),
            PackedShift::Psrad => (0x72, 4),
            PackedShift::Pslld => (0x72, 6),
            PackedShift::Psrlq => (0x73, 2),
            PackedShift::Psllq => (0x73, 6),
            PackedShift::Psrldq => (0x73, 3),
            PackedShift::Pslldq => (0x73, 7),
        }
    }
}

impl<B: CodeBuffer + ?Sized> Assembler<'_, B> {
    fn packed(&mut self, op: PackedOp, dst: Xmm, src: Rm) {
        let (prefix, map, opcode) = op.encoding();
        let enc = Enc::in_map(opcode, map).prefix(prefix);
        self.emit(&Inst::modrm(enc, dst.enc(), src));
    }

    /// `op dst, src` on whole registers.
    pub fn packed_xx(&mut self, op: PackedOp, dst: Xmm, src: Xmm) {
        self.packed(op, dst, Rm::Reg(src.enc()));
    }

    /// `op dst, [mem]`: `mem` must be 16-byte aligned (legacy SSE
    /// encodings fault otherwise, except the `pmovsx`/`pmovzx` loads).
    pub fn packed_xm(&mut self, op: PackedOp, dst: Xmm, mem: Mem) {
        self.packed(op, dst, Rm::Mem(mem));
    }

    /// `op dst, imm`: every lane of `dst` shifted by `imm` bits (whole
    /// register by `imm` bytes for `psrldq`/`pslldq`). Counts at or above
    /// the lane width give zero (sign bits for arithmetic shifts).
    pub fn packed_shift_xi(&mut self, op: PackedShift, dst: Xmm, imm: u8) {
        let (opcode, digit) = op.encoding();
        let enc = Enc::in_map(opcode, Map::M0F).prefix(0x66).digit();
        let mut inst = Inst::modrm(enc, digit, Rm::Reg(dst.enc()));
        inst.u8(imm);
        self.emit(&inst);
    }

    /// `pshufd dst, src, imm`: dword `i` of `dst` = dword `imm >> 2i & 3`
    /// of `src`.
    pub fn pshufd_xxi(&mut self, dst: Xmm, src: Xmm, imm: u8) {
        let enc = Enc::in_map(0x70, Map::M0F).prefix(0x66);
        let mut inst = Inst::modrm(enc, dst.enc(), Rm::Reg(src.enc()));
        inst.u8(imm);
        self.emit(&inst);
    }

    /// `pshuflw dst, src, imm`: the low four words shuffled as `pshufd`
    /// does dwords; the high quadword copied.
    pub fn pshuflw_xxi(&mut self, dst: Xmm, src: Xmm, imm: u8) {
        let enc = Enc::in_map(0x70, Map::M0F).prefix(0xf2);
        let mut inst = Inst::modrm(enc, dst.enc(), Rm::Reg(src.enc()));
        inst.u8(imm);
        self.emit(&inst);
    }
}
