//! Integer instructions: moves, loads and stores with zero/sign extension,
//! `lea`, the ALU group, multiply/divide, shifts and rotates, bit counts,
//! `setcc`/`cmovcc`, `xchg`, `push`/`pop` and `bswap`.

use ember_core::CodeBuffer;

use crate::assembler::Assembler;
use crate::encoding::{Enc, Inst, Map, Rm};
use crate::mem::Mem;
use crate::regs::{Cond, Gpr, Size};

/// The eight classic two-operand ALU operations, numbered as in their
/// encoding (`/digit` of opcodes `0x80`..`0x83`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AluOp {
    Add = 0,
    Or = 1,
    /// Add with carry.
    Adc = 2,
    /// Subtract with borrow.
    Sbb = 3,
    And = 4,
    Sub = 5,
    Xor = 6,
    /// Subtract, keep only the flags.
    Cmp = 7,
}

/// Shifts and rotates, numbered as in their encoding (`/digit` of
/// `0xc0`/`0xc1`/`0xd0`..`0xd3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShiftOp {
    Rol = 0,
    Ror = 1,
    Shl = 4,
    /// Logical (unsigned) shift right.
    Shr = 5,
    /// Arithmetic (signed) shift right.
    Sar = 7,
}

/// Opcode of a "size-dependent" instruction whose 8-bit form is one less.
const fn byte_or_full(size: Size, full: u8) -> u8 {
    if matches!(size, Size::S8) {
        full - 1
    } else {
        full
    }
}

const fn fits_i8(imm: i64) -> bool {
    imm >= i8::MIN as i64 && imm <= i8::MAX as i64
}

fn reg(r: Gpr) -> Rm {
    Rm::Reg(r.enc())
}

impl<B: CodeBuffer + ?Sized> Assembler<'_, B> {
    fn modrm(&mut self, enc: Enc, reg: u8, rm: Rm) {
        self.emit(&Inst::modrm(enc, reg, rm));
    }

    /// An instruction with an immediate; its `reg` field is never an 8-bit
    /// register (a `/digit`, or the wider destination of `imul`).
    fn modrm_imm(&mut self, enc: Enc, reg: u8, rm: Rm, imm_size: Size, imm: i64) {
        let mut inst = Inst::modrm(enc.digit(), reg, rm);
        inst.imm(imm_size, imm);
        self.emit(&inst);
    }

    // ---- moves ----

    /// `mov dst, src` (registers of `size`). A 32-bit move zeroes the upper
    /// half of `dst`.
    pub fn mov_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.modrm(
            Enc::new(byte_or_full(size, 0x89)).size(size),
            src.enc(),
            reg(dst),
        );
    }

    /// `mov dst, imm` with the shortest encoding. For [`Size::S64`] that is
    /// `mov r32, imm32` (zero-extending) when `imm` fits in `u32`,
    /// `mov r64, simm32` when it fits in `i32`, and `movabs` otherwise. For
    /// the narrower sizes `imm` is truncated to the size.
    pub fn mov_ri(&mut self, size: Size, dst: Gpr, imm: i64) {
        match size {
            Size::S64 if u32::try_from(imm).is_ok() => self.mov_ri(Size::S32, dst, imm),
            Size::S64 if i32::try_from(imm).is_ok() => {
                self.modrm_imm(Enc::new(0xc7).size(size), 0, reg(dst), size, imm);
            }
            Size::S64 => self.movabs_ri(dst, imm as u64),
            Size::S8 | Size::S16 | Size::S32 => {
                let opcode = if size == Size::S8 { 0xb0 } else { 0xb8 };
                let mut inst = Inst::opcode_reg(Enc::new(opcode).size(size), dst.enc());
                inst.imm(size, imm);
                self.emit(&inst);
            }
        }
    }

    /// `movabs dst, imm64`: always the 10-byte form, whose immediate starts
    /// 2 bytes into the instruction (so it can be patched).
    pub fn movabs_ri(&mut self, dst: Gpr, imm: u64) {
        let mut inst = Inst::opcode_reg(Enc::new(0xb8).w(true), dst.enc());
        inst.u64(imm);
        self.emit(&inst);
    }

    /// Load: `mov dst, [mem]` of `size` (a 32-bit load zeroes the upper
    /// half; 8/16-bit loads keep it, see [`movzx_rm`](Self::movzx_rm)).
    pub fn mov_rm(&mut self, size: Size, dst: Gpr, mem: Mem) {
        self.modrm(
            Enc::new(byte_or_full(size, 0x8b)).size(size),
            dst.enc(),
            Rm::Mem(mem),
        );
    }

    /// Store: `mov [mem], src` of `size`.
    pub fn mov_mr(&mut self, size: Size, mem: Mem, src: Gpr) {
        self.modrm(
            Enc::new(byte_or_full(size, 0x89)).size(size),
            src.enc(),
            Rm::Mem(mem),
        );
    }

    /// Store an immediate: `mov [mem], imm` (sign-extended to 64 bits for
    /// [`Size::S64`], truncated for the narrower sizes).
    pub fn mov_mi(&mut self, size: Size, mem: Mem, imm: i32) {
        let enc = Enc::new(byte_or_full(size, 0xc7)).size(size);
        self.modrm_imm(enc, 0, Rm::Mem(mem), size, imm.into());
    }

    fn extend(&mut self, signed: bool, dst_size: Size, src_size: Size, dst: Gpr, src: Rm) {
        assert!(
            dst_size > src_size && dst_size != Size::S8,
            "extension from {src_size:?} to {dst_size:?}"
        );
        let enc = match (src_size, signed) {
            (Size::S8, false) => Enc::in_map(0xb6, Map::M0F).byte_rm(true),
            (Size::S16, false) => Enc::in_map(0xb7, Map::M0F),
            (Size::S8, true) => Enc::in_map(0xbe, Map::M0F).byte_rm(true),
            (Size::S16, true) => Enc::in_map(0xbf, Map::M0F),
            // 32 -> 64 bits: a 32-bit mov zero-extends; movsxd sign-extends.
            (Size::S32, false) => Enc::new(0x8b),
            (Size::S32, true) => Enc::new(0x63).w(true),
            (Size::S64, _) => unreachable!(),
        };
        let enc = if src_size == Size::S32 {
            enc
        } else {
            // Keep byte_rm, add the destination's size prefix/REX.W.
            enc.size(dst_size).byte_rm(src_size == Size::S8)
        };
        self.modrm(enc, dst.enc(), src);
    }

    /// Zero-extend register `src` of `src_size` into `dst` of `dst_size`
    /// (`movzx`; from 32 to 64 bits this is `mov dst32, src32`).
    ///
    /// # Panics
    ///
    /// Unless `src_size < dst_size` and `dst_size` is at least 16 bits.
    pub fn movzx_rr(&mut self, dst_size: Size, src_size: Size, dst: Gpr, src: Gpr) {
        self.extend(false, dst_size, src_size, dst, reg(src));
    }

    /// Zero-extending load (`movzx`, or `mov r32, [m]` from 32 bits).
    ///
    /// # Panics
    ///
    /// As [`movzx_rr`](Self::movzx_rr).
    pub fn movzx_rm(&mut self, dst_size: Size, src_size: Size, dst: Gpr, mem: Mem) {
        self.extend(false, dst_size, src_size, dst, Rm::Mem(mem));
    }

    /// Sign-extend register `src` of `src_size` into `dst` of `dst_size`
    /// (`movsx`, `movsxd` from 32 bits).
    ///
    /// # Panics
    ///
    /// Unless `src_size < dst_size` and `dst_size` is at least 16 bits.
    pub fn movsx_rr(&mut self, dst_size: Size, src_size: Size, dst: Gpr, src: Gpr) {
        self.extend(true, dst_size, src_size, dst, reg(src));
    }

    /// Sign-extending load (`movsx`, `movsxd`).
    ///
    /// # Panics
    ///
    /// As [`movsx_rr`](Self::movsx_rr).
    pub fn movsx_rm(&mut self, dst_size: Size, src_size: Size, dst: Gpr, mem: Mem) {
        self.extend(true, dst_size, src_size, dst, Rm::Mem(mem));
    }

    /// `lea dst, [mem]`.
    ///
    /// # Panics
    ///
    /// For [`Size::S8`].
    pub fn lea(&mut self, size: Size, dst: Gpr, mem: Mem) {
        assert!(size != Size::S8, "lea has no 8-bit form");
        self.modrm(Enc::new(0x8d).size(size), dst.enc(), Rm::Mem(mem));
    }

    /// `xchg a, b`.
    pub fn xchg_rr(&mut self, size: Size, a: Gpr, b: Gpr) {
        self.modrm(
            Enc::new(byte_or_full(size, 0x87)).size(size),
            b.enc(),
            reg(a),
        );
    }

    /// `push src` (64 bits).
    pub fn push_r(&mut self, src: Gpr) {
        self.emit(&Inst::opcode_reg(Enc::new(0x50), src.enc()));
    }

    /// `pop dst` (64 bits).
    pub fn pop_r(&mut self, dst: Gpr) {
        self.emit(&Inst::opcode_reg(Enc::new(0x58), dst.enc()));
    }

    /// `push imm` (sign-extended to 64 bits).
    pub fn push_i(&mut self, imm: i32) {
        let mut inst = Inst::new();
        if fits_i8(imm.into()) {
            inst.u8(0x6a);
            inst.u8(imm as u8);
        } else {
            inst.u8(0x68);
            inst.u32(imm as u32);
        }
        self.emit(&inst);
    }

    /// `bswap r` (reverses the bytes of a 32- or 64-bit register).
    ///
    /// # Panics
    ///
    /// For 8- and 16-bit sizes (use `rol r16, 8` for 16 bits).
    pub fn bswap(&mut self, size: Size, r: Gpr) {
        assert!(size >= Size::S32, "bswap is 32 or 64 bits");
        let enc = Enc::in_map(0xc8, Map::M0F).size(size);
        self.emit(&Inst::opcode_reg(enc, r.enc()));
    }

    // ---- ALU ----

    /// `op dst, src` (`add`, `sub`, `and`, `or`, `xor`, `cmp`, `adc`, `sbb`).
    pub fn alu_rr(&mut self, op: AluOp, size: Size, dst: Gpr, src: Gpr) {
        let opcode = byte_or_full(size, (op as u8) << 3 | 1);
        self.modrm(Enc::new(opcode).size(size), src.enc(), reg(dst));
    }

    /// `op dst, [mem]`.
    pub fn alu_rm(&mut self, op: AluOp, size: Size, dst: Gpr, mem: Mem) {
        let opcode = byte_or_full(size, (op as u8) << 3 | 3);
        self.modrm(Enc::new(opcode).size(size), dst.enc(), Rm::Mem(mem));
    }

    /// `op [mem], src`.
    pub fn alu_mr(&mut self, op: AluOp, size: Size, mem: Mem, src: Gpr) {
        let opcode = byte_or_full(size, (op as u8) << 3 | 1);
        self.modrm(Enc::new(opcode).size(size), src.enc(), Rm::Mem(mem));
    }

    /// `op dst, imm`: an 8-bit immediate when `imm` fits in `i8`, else the
    /// full one (the short `rax` form when `dst` is `rax`). For
    /// [`Size::S64`] the immediate is sign-extended; for 8/16 bits it is
    /// truncated.
    pub fn alu_ri(&mut self, op: AluOp, size: Size, dst: Gpr, imm: i32) {
        let imm = i64::from(imm);
        let digit = op as u8;
        if size != Size::S8 && fits_i8(imm) {
            self.modrm_imm(Enc::new(0x83).size(size), digit, reg(dst), Size::S8, imm);
        } else if dst == Gpr::Rax {
            let mut inst =
                Inst::opcode_reg(Enc::new(byte_or_full(size, digit << 3 | 5)).size(size), 0);
            inst.imm(size, imm);
            self.emit(&inst);
        } else {
            let enc = Enc::new(byte_or_full(size, 0x81)).size(size);
            self.modrm_imm(enc, digit, reg(dst), size, imm);
        }
    }

    /// `op [mem], imm` (immediate as for [`alu_ri`](Self::alu_ri)).
    pub fn alu_mi(&mut self, op: AluOp, size: Size, mem: Mem, imm: i32) {
        let imm = i64::from(imm);
        let digit = op as u8;
        if size != Size::S8 && fits_i8(imm) {
            self.modrm_imm(
                Enc::new(0x83).size(size),
                digit,
                Rm::Mem(mem),
                Size::S8,
                imm,
            );
        } else {
            let enc = Enc::new(byte_or_full(size, 0x81)).size(size);
            self.modrm_imm(enc, digit, Rm::Mem(mem), size, imm);
        }
    }

    /// `test a, b`.
    pub fn test_rr(&mut self, size: Size, a: Gpr, b: Gpr) {
        self.modrm(
            Enc::new(byte_or_full(size, 0x85)).size(size),
            b.enc(),
            reg(a),
        );
    }

    /// `test a, imm` (the short form for `rax`).
    pub fn test_ri(&mut self, size: Size, a: Gpr, imm: i32) {
        if a == Gpr::Rax {
            let mut inst = Inst::opcode_reg(Enc::new(byte_or_full(size, 0xa9)).size(size), 0);
            inst.imm(size, imm.into());
            self.emit(&inst);
        } else {
            let enc = Enc::new(byte_or_full(size, 0xf7)).size(size);
            self.modrm_imm(enc, 0, reg(a), size, imm.into());
        }
    }

    /// `test [mem], b`.
    pub fn test_mr(&mut self, size: Size, mem: Mem, b: Gpr) {
        self.modrm(
            Enc::new(byte_or_full(size, 0x85)).size(size),
            b.enc(),
            Rm::Mem(mem),
        );
    }

    /// `test [mem], imm`.
    pub fn test_mi(&mut self, size: Size, mem: Mem, imm: i32) {
        let enc = Enc::new(byte_or_full(size, 0xf7)).size(size);
        self.modrm_imm(enc, 0, Rm::Mem(mem), size, imm.into());
    }

    // ---- multiply and divide ----

    /// `imul dst, src` (truncating signed or unsigned multiply).
    ///
    /// # Panics
    ///
    /// For [`Size::S8`].
    pub fn imul_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        assert!(size != Size::S8, "two-operand imul has no 8-bit form");
        self.modrm(Enc::in_map(0xaf, Map::M0F).size(size), dst.enc(), reg(src));
    }

    /// `imul dst, [mem]`.
    ///
    /// # Panics
    ///
    /// For [`Size::S8`].
    pub fn imul_rm(&mut self, size: Size, dst: Gpr, mem: Mem) {
        assert!(size != Size::S8, "two-operand imul has no 8-bit form");
        self.modrm(
            Enc::in_map(0xaf, Map::M0F).size(size),
            dst.enc(),
            Rm::Mem(mem),
        );
    }

    /// `imul dst, src, imm` (8-bit immediate when it fits).
    ///
    /// # Panics
    ///
    /// For [`Size::S8`].
    pub fn imul_rri(&mut self, size: Size, dst: Gpr, src: Gpr, imm: i32) {
        assert!(size != Size::S8, "three-operand imul has no 8-bit form");
        let imm = i64::from(imm);
        if fits_i8(imm) {
            self.modrm_imm(
                Enc::new(0x6b).size(size),
                dst.enc(),
                reg(src),
                Size::S8,
                imm,
            );
        } else {
            self.modrm_imm(Enc::new(0x69).size(size), dst.enc(), reg(src), size, imm);
        }
    }

    fn group3(&mut self, digit: u8, size: Size, rm: Rm) {
        self.modrm(
            Enc::new(byte_or_full(size, 0xf7)).size(size).digit(),
            digit,
            rm,
        );
    }

    /// `not r`.
    pub fn not_r(&mut self, size: Size, r: Gpr) {
        self.group3(2, size, reg(r));
    }

    /// `neg r`.
    pub fn neg_r(&mut self, size: Size, r: Gpr) {
        self.group3(3, size, reg(r));
    }

    /// `mul src`: unsigned `rdx:rax = rax * src`.
    pub fn mul_r(&mut self, size: Size, src: Gpr) {
        self.group3(4, size, reg(src));
    }

    /// `imul src`: signed `rdx:rax = rax * src`.
    pub fn imul_r(&mut self, size: Size, src: Gpr) {
        self.group3(5, size, reg(src));
    }

    /// `div src`: unsigned `rax = rdx:rax / src`, `rdx = remainder`.
    pub fn div_r(&mut self, size: Size, src: Gpr) {
        self.group3(6, size, reg(src));
    }

    /// `idiv src`: signed `rax = rdx:rax / src`, `rdx = remainder`.
    pub fn idiv_r(&mut self, size: Size, src: Gpr) {
        self.group3(7, size, reg(src));
    }

    /// `mul [mem]`.
    pub fn mul_m(&mut self, size: Size, mem: Mem) {
        self.group3(4, size, Rm::Mem(mem));
    }

    /// `imul [mem]` (one operand).
    pub fn imul_m(&mut self, size: Size, mem: Mem) {
        self.group3(5, size, Rm::Mem(mem));
    }

    /// `div [mem]`.
    pub fn div_m(&mut self, size: Size, mem: Mem) {
        self.group3(6, size, Rm::Mem(mem));
    }

    /// `idiv [mem]`.
    pub fn idiv_m(&mut self, size: Size, mem: Mem) {
        self.group3(7, size, Rm::Mem(mem));
    }

    /// `cdq`: sign-extend `eax` into `edx` (before a 32-bit `idiv`).
    pub fn cdq(&mut self) {
        self.emit(&Inst::raw(&[0x99]));
    }

    /// `cqo`: sign-extend `rax` into `rdx` (before a 64-bit `idiv`).
    pub fn cqo(&mut self) {
        self.emit(&Inst::raw(&[0x48, 0x99]));
    }

    // ---- shifts and rotates ----

    /// `op dst, cl` (the count is masked by the hardware to 5 or 6 bits).
    pub fn shift_cl(&mut self, op: ShiftOp, size: Size, dst: Gpr) {
        let enc = Enc::new(byte_or_full(size, 0xd3)).size(size).digit();
        self.modrm(enc, op as u8, reg(dst));
    }

    /// `op dst, imm` (the one-byte-shorter `by 1` form when `imm == 1`).
    pub fn shift_ri(&mut self, op: ShiftOp, size: Size, dst: Gpr, imm: u8) {
        if imm == 1 {
            let enc = Enc::new(byte_or_full(size, 0xd1)).size(size).digit();
            self.modrm(enc, op as u8, reg(dst));
        } else {
            let enc = Enc::new(byte_or_full(size, 0xc1)).size(size);
            self.modrm_imm(enc, op as u8, reg(dst), Size::S8, imm.into());
        }
    }

    // ---- bit counting ----

    fn bit_op(&mut self, prefix: u8, opcode: u8, size: Size, dst: Gpr, src: Rm) {
        assert!(size != Size::S8, "bit scans and counts have no 8-bit form");
        let enc = Enc::in_map(opcode, Map::M0F).size(size).prefix(prefix);
        self.modrm(enc, dst.enc(), src);
    }

    /// `lzcnt dst, src` (needs LZCNT/ABM; on older CPUs it runs as `bsr`).
    pub fn lzcnt_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.bit_op(0xf3, 0xbd, size, dst, reg(src));
    }

    /// `lzcnt dst, [mem]`.
    pub fn lzcnt_rm(&mut self, size: Size, dst: Gpr, mem: Mem) {
        self.bit_op(0xf3, 0xbd, size, dst, Rm::Mem(mem));
    }

    /// `tzcnt dst, src` (needs BMI1; on older CPUs it runs as `bsf`).
    pub fn tzcnt_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.bit_op(0xf3, 0xbc, size, dst, reg(src));
    }

    /// `tzcnt dst, [mem]`.
    pub fn tzcnt_rm(&mut self, size: Size, dst: Gpr, mem: Mem) {
        self.bit_op(0xf3, 0xbc, size, dst, Rm::Mem(mem));
    }

    /// `popcnt dst, src` (needs POPCNT).
    pub fn popcnt_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.bit_op(0xf3, 0xb8, size, dst, reg(src));
    }

    /// `popcnt dst, [mem]`.
    pub fn popcnt_rm(&mut self, size: Size, dst: Gpr, mem: Mem) {
        self.bit_op(0xf3, 0xb8, size, dst, Rm::Mem(mem));
    }

    /// `bsr dst, src` (index of the highest set bit; ZF = 1 and `dst`
    /// unchanged when `src` is zero).
    pub fn bsr_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.bit_op(0, 0xbd, size, dst, reg(src));
    }

    /// `bsr dst, [mem]`.
    pub fn bsr_rm(&mut self, size: Size, dst: Gpr, mem: Mem) {
        self.bit_op(0, 0xbd, size, dst, Rm::Mem(mem));
    }

    /// `bsf dst, src` (index of the lowest set bit; ZF = 1 and `dst`
    /// unchanged when `src` is zero).
    pub fn bsf_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.bit_op(0, 0xbc, size, dst, reg(src));
    }

    /// `bsf dst, [mem]`.
    pub fn bsf_rm(&mut self, size: Size, dst: Gpr, mem: Mem) {
        self.bit_op(0, 0xbc, size, dst, Rm::Mem(mem));
    }

    // ---- flags to values ----

    /// `setcc dst8`: the low byte of `dst` becomes 1 if `cond` holds, else
    /// 0 (the rest of `dst` is kept: zero it first, or follow with
    /// `movzx_rr(Size::S32, Size::S8, dst, dst)`).
    pub fn setcc(&mut self, cond: Cond, dst: Gpr) {
        let enc = Enc::in_map(0x90 | cond.enc(), Map::M0F).byte_rm(true);
        self.modrm(enc, 0, reg(dst));
    }

    /// `cmovcc dst, src`.
    ///
    /// # Panics
    ///
    /// For [`Size::S8`].
    pub fn cmov_rr(&mut self, cond: Cond, size: Size, dst: Gpr, src: Gpr) {
        assert!(size != Size::S8, "cmov has no 8-bit form");
        let enc = Enc::in_map(0x40 | cond.enc(), Map::M0F).size(size);
        self.modrm(enc, dst.enc(), reg(src));
    }

    /// `cmovcc dst, [mem]` (the load happens whatever the condition).
    ///
    /// # Panics
    ///
    /// For [`Size::S8`].
    pub fn cmov_rm(&mut self, cond: Cond, size: Size, dst: Gpr, mem: Mem) {
        assert!(size != Size::S8, "cmov has no 8-bit form");
        let enc = Enc::in_map(0x40 | cond.enc(), Map::M0F).size(size);
        self.modrm(enc, dst.enc(), Rm::Mem(mem));
    }
}
