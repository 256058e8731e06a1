//! Integer data-processing instructions: add/sub, compare, logical, moves
//! and constants, multiply/divide, shifts and bitfields, bit counting and
//! byte reversal, extensions, conditional select and conditional compare.
//!
//! Every function returns the 32-bit instruction word. Operands whose range
//! is fixed by the instruction alone are typed ([`AddImm`], [`LogicalImm`]);
//! shift amounts, bitfield positions and similar small constants are checked
//! with assertions, since a wrong one is a bug in the caller, not a property
//! of the Wasm module being compiled.

use crate::logical_imm::LogicalImm;
use crate::regs::{
    Cond, ExtendedReg, Reg, RegField, RegOrSp, RegOrZr, Shift, ShiftedReg, Size, ZR,
};

/// The 12-bit unsigned immediate of `add`/`sub`/`cmp`, optionally shifted
/// left by 12: encodes 0..=4095 and multiples of 4096 up to 4095 << 12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AddImm {
    imm12: u16,
    shift12: bool,
}

impl AddImm {
    /// The immediate for `value`, or `None` if neither form encodes it.
    pub const fn new(value: u64) -> Option<AddImm> {
        if value < 4096 {
            Some(AddImm {
                imm12: value as u16,
                shift12: false,
            })
        } else if value & 0xfff == 0 && value >> 12 < 4096 {
            Some(AddImm {
                imm12: (value >> 12) as u16,
                shift12: true,
            })
        } else {
            None
        }
    }

    /// The value it stands for.
    pub const fn value(self) -> u64 {
        (self.imm12 as u64) << if self.shift12 { 12 } else { 0 }
    }

    fn fields(self) -> u32 {
        (u32::from(self.shift12) << 22) | (u32::from(self.imm12) << 10)
    }
}

// ---- add / sub ----

fn addsub_imm(size: Size, sub: bool, set_flags: bool, rd: u32, rn: u32, imm: AddImm) -> u32 {
    (size.sf() << 31)
        | (u32::from(sub) << 30)
        | (u32::from(set_flags) << 29)
        | (0b100010 << 23)
        | imm.fields()
        | (rn << 5)
        | rd
}

fn check_shift(size: Size, shift: Shift, amount: u8, allow_ror: bool) {
    assert!(
        u32::from(amount) < size.bits(),
        "shift amount {amount} is not below the operation width"
    );
    assert!(
        allow_ror || shift != Shift::Ror,
        "add/sub take no ror shift"
    );
}

fn addsub_shifted(size: Size, sub: bool, set_flags: bool, rd: u32, rn: u32, rm: ShiftedReg) -> u32 {
    check_shift(size, rm.shift, rm.amount, false);
    (size.sf() << 31)
        | (u32::from(sub) << 30)
        | (u32::from(set_flags) << 29)
        | (0b01011 << 24)
        | ((rm.shift as u32) << 22)
        | (rm.reg.field() << 16)
        | (u32::from(rm.amount) << 10)
        | (rn << 5)
        | rd
}

fn addsub_extended(
    size: Size,
    sub: bool,
    set_flags: bool,
    rd: u32,
    rn: u32,
    rm: ExtendedReg,
) -> u32 {
    assert!(
        rm.amount <= 4,
        "extended-register shift {} is above 4",
        rm.amount
    );
    (size.sf() << 31)
        | (u32::from(sub) << 30)
        | (u32::from(set_flags) << 29)
        | (0b01011 << 24)
        | (1 << 21)
        | (rm.reg.field() << 16)
        | ((rm.extend as u32) << 13)
        | (u32::from(rm.amount) << 10)
        | (rn << 5)
        | rd
}

/// `add rd, rn, #imm` (`rd`, `rn` may be the stack pointer).
pub fn add_imm(size: Size, rd: impl Into<RegOrSp>, rn: impl Into<RegOrSp>, imm: AddImm) -> u32 {
    addsub_imm(
        size,
        false,
        false,
        rd.into().field(),
        rn.into().field(),
        imm,
    )
}

/// `adds rd, rn, #imm` (sets flags; `rd` may be the zero register).
pub fn adds_imm(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrSp>, imm: AddImm) -> u32 {
    addsub_imm(size, false, true, rd.into().field(), rn.into().field(), imm)
}

/// `sub rd, rn, #imm` (`rd`, `rn` may be the stack pointer).
pub fn sub_imm(size: Size, rd: impl Into<RegOrSp>, rn: impl Into<RegOrSp>, imm: AddImm) -> u32 {
    addsub_imm(size, true, false, rd.into().field(), rn.into().field(), imm)
}

/// `subs rd, rn, #imm` (sets flags; `rd` may be the zero register).
pub fn subs_imm(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrSp>, imm: AddImm) -> u32 {
    addsub_imm(size, true, true, rd.into().field(), rn.into().field(), imm)
}

/// `add rd, rn, rm{, shift #amount}` (shifted register, no stack pointer).
pub fn add(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrZr>,
    rm: impl Into<ShiftedReg>,
) -> u32 {
    addsub_shifted(
        size,
        false,
        false,
        rd.into().field(),
        rn.into().field(),
        rm.into(),
    )
}

/// `adds rd, rn, rm{, shift #amount}`.
pub fn adds(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrZr>,
    rm: impl Into<ShiftedReg>,
) -> u32 {
    addsub_shifted(
        size,
        false,
        true,
        rd.into().field(),
        rn.into().field(),
        rm.into(),
    )
}

/// `sub rd, rn, rm{, shift #amount}`.
pub fn sub(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrZr>,
    rm: impl Into<ShiftedReg>,
) -> u32 {
    addsub_shifted(
        size,
        true,
        false,
        rd.into().field(),
        rn.into().field(),
        rm.into(),
    )
}

/// `subs rd, rn, rm{, shift #amount}`.
pub fn subs(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrZr>,
    rm: impl Into<ShiftedReg>,
) -> u32 {
    addsub_shifted(
        size,
        true,
        true,
        rd.into().field(),
        rn.into().field(),
        rm.into(),
    )
}

/// `add rd, rn, rm, extend #amount` (extended register; `rd`, `rn` may be
/// the stack pointer). For [`Size::X`] a `uxtb`..`sxtw` extension reads a
/// `w` register.
pub fn add_ext(size: Size, rd: impl Into<RegOrSp>, rn: impl Into<RegOrSp>, rm: ExtendedReg) -> u32 {
    addsub_extended(size, false, false, rd.into().field(), rn.into().field(), rm)
}

/// `adds rd, rn, rm, extend #amount`.
pub fn adds_ext(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrSp>,
    rm: ExtendedReg,
) -> u32 {
    addsub_extended(size, false, true, rd.into().field(), rn.into().field(), rm)
}

/// `sub rd, rn, rm, extend #amount`.
pub fn sub_ext(size: Size, rd: impl Into<RegOrSp>, rn: impl Into<RegOrSp>, rm: ExtendedReg) -> u32 {
    addsub_extended(size, true, false, rd.into().field(), rn.into().field(), rm)
}

/// `subs rd, rn, rm, extend #amount`.
pub fn subs_ext(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrSp>,
    rm: ExtendedReg,
) -> u32 {
    addsub_extended(size, true, true, rd.into().field(), rn.into().field(), rm)
}

/// `cmp rn, #imm` (`subs zr, rn, #imm`).
pub fn cmp_imm(size: Size, rn: impl Into<RegOrSp>, imm: AddImm) -> u32 {
    subs_imm(size, ZR, rn, imm)
}

/// `cmn rn, #imm` (`adds zr, rn, #imm`): compares with `-imm`.
pub fn cmn_imm(size: Size, rn: impl Into<RegOrSp>, imm: AddImm) -> u32 {
    adds_imm(size, ZR, rn, imm)
}

/// `cmp rn, rm{, shift #amount}`.
pub fn cmp(size: Size, rn: impl Into<RegOrZr>, rm: impl Into<ShiftedReg>) -> u32 {
    subs(size, ZR, rn, rm)
}

/// `cmn rn, rm{, shift #amount}`.
pub fn cmn(size: Size, rn: impl Into<RegOrZr>, rm: impl Into<ShiftedReg>) -> u32 {
    adds(size, ZR, rn, rm)
}

/// `cmp rn, rm, extend #amount` (`rn` may be the stack pointer).
pub fn cmp_ext(size: Size, rn: impl Into<RegOrSp>, rm: ExtendedReg) -> u32 {
    subs_ext(size, ZR, rn, rm)
}

/// `neg rd, rm{, shift #amount}` (`sub rd, zr, rm`).
pub fn neg(size: Size, rd: impl Into<RegOrZr>, rm: impl Into<ShiftedReg>) -> u32 {
    sub(size, rd, ZR, rm)
}

// ---- logical ----

/// The logical operations; `Bic`, `Orn`, `Eon`, `Bics` invert the second
/// operand and exist only with a register operand.
#[derive(Clone, Copy)]
enum LogicOp {
    And = 0b000,
    Orr = 0b010,
    Eor = 0b100,
    Ands = 0b110,
    Bic = 0b001,
    Orn = 0b011,
    Eon = 0b101,
    Bics = 0b111,
}

fn logical_shifted(size: Size, op: LogicOp, rd: u32, rn: u32, rm: ShiftedReg) -> u32 {
    check_shift(size, rm.shift, rm.amount, true);
    let op = op as u32;
    (size.sf() << 31)
        | ((op >> 1) << 29)
        | (0b01010 << 24)
        | ((rm.shift as u32) << 22)
        | ((op & 1) << 21)
        | (rm.reg.field() << 16)
        | (u32::from(rm.amount) << 10)
        | (rn << 5)
        | rd
}

fn logical_imm(size: Size, opc: u32, rd: u32, rn: u32, imm: LogicalImm) -> u32 {
    assert!(
        imm.size() == size,
        "logical immediate made for {:?} used with {:?}",
        imm.size(),
        size
    );
    (size.sf() << 31) | (opc << 29) | (0b100100 << 23) | imm.fields() | (rn << 5) | rd
}

macro_rules! logical_shifted_fns {
    ($($(#[$doc:meta])* $name:ident = $op:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(
                size: Size,
                rd: impl Into<RegOrZr>,
                rn: impl Into<RegOrZr>,
                rm: impl Into<ShiftedReg>,
            ) -> u32 {
                logical_shifted(size, LogicOp::$op, rd.into().field(), rn.into().field(), rm.into())
            }
        )*
    };
}

logical_shifted_fns! {
    /// `and rd, rn, rm{, shift #amount}`.
    and = And;
    /// `orr rd, rn, rm{, shift #amount}`.
    orr = Orr;
    /// `eor rd, rn, rm{, shift #amount}`.
    eor = Eor;
    /// `ands rd, rn, rm{, shift #amount}` (sets N and Z, clears C and V).
    ands = Ands;
    /// `bic rd, rn, rm{, shift #amount}`: `rn & !rm`.
    bic = Bic;
    /// `orn rd, rn, rm{, shift #amount}`: `rn | !rm`.
    orn = Orn;
    /// `eon rd, rn, rm{, shift #amount}`: `rn ^ !rm`.
    eon = Eon;
    /// `bics rd, rn, rm{, shift #amount}`.
    bics = Bics;
}

/// `and rd, rn, #imm` (`rd` may be the stack pointer).
pub fn and_imm(size: Size, rd: impl Into<RegOrSp>, rn: impl Into<RegOrZr>, imm: LogicalImm) -> u32 {
    logical_imm(size, 0b00, rd.into().field(), rn.into().field(), imm)
}

/// `orr rd, rn, #imm` (`rd` may be the stack pointer).
pub fn orr_imm(size: Size, rd: impl Into<RegOrSp>, rn: impl Into<RegOrZr>, imm: LogicalImm) -> u32 {
    logical_imm(size, 0b01, rd.into().field(), rn.into().field(), imm)
}

/// `eor rd, rn, #imm` (`rd` may be the stack pointer).
pub fn eor_imm(size: Size, rd: impl Into<RegOrSp>, rn: impl Into<RegOrZr>, imm: LogicalImm) -> u32 {
    logical_imm(size, 0b10, rd.into().field(), rn.into().field(), imm)
}

/// `ands rd, rn, #imm` (sets flags; `rd` may be the zero register).
pub fn ands_imm(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrZr>,
    imm: LogicalImm,
) -> u32 {
    logical_imm(size, 0b11, rd.into().field(), rn.into().field(), imm)
}

/// `tst rn, #imm` (`ands zr, rn, #imm`).
pub fn tst_imm(size: Size, rn: impl Into<RegOrZr>, imm: LogicalImm) -> u32 {
    ands_imm(size, ZR, rn, imm)
}

/// `tst rn, rm{, shift #amount}`.
pub fn tst(size: Size, rn: impl Into<RegOrZr>, rm: impl Into<ShiftedReg>) -> u32 {
    ands(size, ZR, rn, rm)
}

/// `mvn rd, rm{, shift #amount}` (`orn rd, zr, rm`).
pub fn mvn(size: Size, rd: impl Into<RegOrZr>, rm: impl Into<ShiftedReg>) -> u32 {
    orn(size, rd, ZR, rm)
}

/// `mov rd, rm` between general registers (`orr rd, zr, rm`). For
/// [`Size::W`] the upper 32 bits of `rd` are zeroed (a zero extension).
pub fn mov(size: Size, rd: impl Into<RegOrZr>, rm: impl Into<RegOrZr>) -> u32 {
    orr(size, rd, ZR, rm.into())
}

/// `mov rd, rn` where either may be the stack pointer (`add rd, rn, #0`).
pub fn mov_sp(size: Size, rd: impl Into<RegOrSp>, rn: impl Into<RegOrSp>) -> u32 {
    addsub_imm(
        size,
        false,
        false,
        rd.into().field(),
        rn.into().field(),
        AddImm {
            imm12: 0,
            shift12: false,
        },
    )
}

// ---- move wide and constants ----

fn move_wide(size: Size, opc: u32, rd: u32, imm16: u16, shift: u8) -> u32 {
    assert!(
        shift.is_multiple_of(16) && u32::from(shift) < size.bits(),
        "move-wide shift {shift} is not 0, 16 (or 32, 48 for x registers)"
    );
    (size.sf() << 31)
        | (opc << 29)
        | (0b100101 << 23)
        | (u32::from(shift / 16) << 21)
        | (u32::from(imm16) << 5)
        | rd
}

/// `movz rd, #imm16, lsl #shift`: `rd = imm16 << shift`, other bits zero.
/// `shift` is 0 or 16, or also 32 or 48 for [`Size::X`].
pub fn movz(size: Size, rd: impl Into<RegOrZr>, imm16: u16, shift: u8) -> u32 {
    move_wide(size, 0b10, rd.into().field(), imm16, shift)
}

/// `movn rd, #imm16, lsl #shift`: `rd = !(imm16 << shift)`.
pub fn movn(size: Size, rd: impl Into<RegOrZr>, imm16: u16, shift: u8) -> u32 {
    move_wide(size, 0b00, rd.into().field(), imm16, shift)
}

/// `movk rd, #imm16, lsl #shift`: replaces one 16-bit field of `rd`.
pub fn movk(size: Size, rd: impl Into<RegOrZr>, imm16: u16, shift: u8) -> u32 {
    move_wide(size, 0b11, rd.into().field(), imm16, shift)
}

/// A short sequence of instruction words (at most four), as produced by
/// [`mov_imm64`] and [`mov_imm32`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    words: [u32; 4],
    len: u8,
}

impl Words {
    const fn empty() -> Words {
        Words {
            words: [0; 4],
            len: 0,
        }
    }

    fn push(&mut self, word: u32) {
        self.words[usize::from(self.len)] = word;
        self.len += 1;
    }

    /// The words, in execution order.
    pub fn as_slice(&self) -> &[u32] {
        &self.words[..usize::from(self.len)]
    }
}

impl core::ops::Deref for Words {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        self.as_slice()
    }
}

/// Move-wide sequence for `value` in `halves` 16-bit fields: a `movz` and
/// `movk`s (`inverted == false`) or a `movn` and `movk`s.
fn move_wide_sequence(size: Size, rd: Reg, value: u64, inverted: bool) -> Words {
    let halves = size.bits() / 16;
    let filler: u16 = if inverted { 0xffff } else { 0 };
    let mut words = Words::empty();
    for index in 0..halves {
        let half = (value >> (16 * index)) as u16;
        if half == filler {
            continue;
        }
        let shift = (16 * index) as u8;
        if words.len == 0 {
            let word = if inverted {
                movn(size, rd, !half, shift)
            } else {
                movz(size, rd, half, shift)
            };
            words.push(word);
        } else {
            words.push(movk(size, rd, half, shift));
        }
    }
    if words.len == 0 {
        words.push(if inverted {
            movn(size, rd, 0, 0)
        } else {
            movz(size, rd, 0, 0)
        });
    }
    words
}

/// The shortest sequence of at most four instructions that sets all 64 bits
/// of `rd` to `value`: one `movz`/`movn` plus `movk`s, or a single `orr` with
/// a bitmask immediate, or a 32-bit form when the upper half is zero (32-bit
/// writes zero-extend).
pub fn mov_imm64(rd: Reg, value: u64) -> Words {
    let mut best = move_wide_sequence(Size::X, rd, value, false);
    let mut consider = |candidate: Words| {
        if candidate.len < best.len {
            best = candidate;
        }
    };
    consider(move_wide_sequence(Size::X, rd, value, true));
    if value >> 32 == 0 {
        consider(move_wide_sequence(Size::W, rd, value, true));
    }
    if best.len > 1 {
        let bitmask = LogicalImm::new(value, Size::X).map(|imm| orr_imm(Size::X, rd, ZR, imm));
        let bitmask = bitmask
            .or_else(|| LogicalImm::new(value, Size::W).map(|imm| orr_imm(Size::W, rd, ZR, imm)));
        if let Some(word) = bitmask {
            let mut words = Words::empty();
            words.push(word);
            best = words;
        }
    }
    best
}

/// The shortest sequence (one or two instructions) that sets `rd` to the
/// 32-bit `value`, zeroing the upper half.
pub fn mov_imm32(rd: Reg, value: u32) -> Words {
    let value = u64::from(value);
    let plain = move_wide_sequence(Size::W, rd, value, false);
    let inverted = move_wide_sequence(Size::W, rd, value, true);
    let best = if inverted.len < plain.len {
        inverted
    } else {
        plain
    };
    if best.len > 1
        && let Some(imm) = LogicalImm::new(value, Size::W)
    {
        let mut words = Words::empty();
        words.push(orr_imm(Size::W, rd, ZR, imm));
        return words;
    }
    best
}

// ---- multiply and divide ----

fn data3(size: Size, op31: u32, o0: u32, rd: u32, rn: u32, rm: u32, ra: u32) -> u32 {
    (size.sf() << 31)
        | (0b11011 << 24)
        | (op31 << 21)
        | (rm << 16)
        | (o0 << 15)
        | (ra << 10)
        | (rn << 5)
        | rd
}

/// `madd rd, rn, rm, ra`: `rd = ra + rn * rm`.
pub fn madd(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrZr>,
    rm: impl Into<RegOrZr>,
    ra: impl Into<RegOrZr>,
) -> u32 {
    data3(
        size,
        0b000,
        0,
        rd.into().field(),
        rn.into().field(),
        rm.into().field(),
        ra.into().field(),
    )
}

/// `msub rd, rn, rm, ra`: `rd = ra - rn * rm` (with `sdiv`/`udiv`, the
/// remainder).
pub fn msub(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrZr>,
    rm: impl Into<RegOrZr>,
    ra: impl Into<RegOrZr>,
) -> u32 {
    data3(
        size,
        0b000,
        1,
        rd.into().field(),
        rn.into().field(),
        rm.into().field(),
        ra.into().field(),
    )
}

/// `mul rd, rn, rm` (`madd rd, rn, rm, zr`).
pub fn mul(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrZr>,
    rm: impl Into<RegOrZr>,
) -> u32 {
    madd(size, rd, rn, rm, ZR)
}

/// `smulh xd, xn, xm`: the high 64 bits of the signed 128-bit product.
pub fn smulh(rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>, rm: impl Into<RegOrZr>) -> u32 {
    data3(
        Size::X,
        0b010,
        0,
        rd.into().field(),
        rn.into().field(),
        rm.into().field(),
        31,
    )
}

/// `umulh xd, xn, xm`: the high 64 bits of the unsigned 128-bit product.
pub fn umulh(rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>, rm: impl Into<RegOrZr>) -> u32 {
    data3(
        Size::X,
        0b110,
        0,
        rd.into().field(),
        rn.into().field(),
        rm.into().field(),
        31,
    )
}

fn data2(size: Size, opcode: u32, rd: u32, rn: u32, rm: u32) -> u32 {
    (size.sf() << 31) | (0b11010110 << 21) | (rm << 16) | (opcode << 10) | (rn << 5) | rd
}

macro_rules! data2_fns {
    ($($(#[$doc:meta])* $name:ident = $opcode:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(
                size: Size,
                rd: impl Into<RegOrZr>,
                rn: impl Into<RegOrZr>,
                rm: impl Into<RegOrZr>,
            ) -> u32 {
                data2(size, $opcode, rd.into().field(), rn.into().field(), rm.into().field())
            }
        )*
    };
}

data2_fns! {
    /// `udiv rd, rn, rm`: unsigned division rounding toward zero; dividing
    /// by zero gives 0 (no trap: the compiler checks first).
    udiv = 0b000010;
    /// `sdiv rd, rn, rm`: signed division rounding toward zero; `MIN / -1`
    /// gives `MIN` and dividing by zero gives 0.
    sdiv = 0b000011;
    /// `lsl rd, rn, rm` (`lslv`): the shift amount is `rm` modulo the width.
    lsl = 0b001000;
    /// `lsr rd, rn, rm` (`lsrv`).
    lsr = 0b001001;
    /// `asr rd, rn, rm` (`asrv`).
    asr = 0b001010;
    /// `ror rd, rn, rm` (`rorv`).
    ror = 0b001011;
}

// ---- bitfield, extract and shifts by immediates ----

fn bitfield(size: Size, opc: u32, rd: u32, rn: u32, immr: u8, imms: u8) -> u32 {
    assert!(
        u32::from(immr) < size.bits() && u32::from(imms) < size.bits(),
        "bitfield positions {immr}, {imms} are not below the operation width"
    );
    (size.sf() << 31)
        | (opc << 29)
        | (0b100110 << 23)
        | (size.sf() << 22)
        | (u32::from(immr) << 16)
        | (u32::from(imms) << 10)
        | (rn << 5)
        | rd
}

/// `sbfm rd, rn, #immr, #imms` (signed bitfield move; the general form of
/// `asr`, `sxtb`, `sbfx`, ...).
pub fn sbfm(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>, immr: u8, imms: u8) -> u32 {
    bitfield(size, 0b00, rd.into().field(), rn.into().field(), immr, imms)
}

/// `bfm rd, rn, #immr, #imms` (bitfield move keeping the other bits of
/// `rd`; the general form of `bfi` and `bfxil`).
pub fn bfm(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>, immr: u8, imms: u8) -> u32 {
    bitfield(size, 0b01, rd.into().field(), rn.into().field(), immr, imms)
}

/// `ubfm rd, rn, #immr, #imms` (unsigned bitfield move; the general form of
/// `lsl`/`lsr` by an immediate, `uxtb`, `ubfx`, ...).
pub fn ubfm(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>, immr: u8, imms: u8) -> u32 {
    bitfield(size, 0b10, rd.into().field(), rn.into().field(), immr, imms)
}

/// `extr rd, rn, rm, #lsb`: bits `lsb..lsb+width` of the concatenation
/// `rn:rm`.
pub fn extr(
    size: Size,
    rd: impl Into<RegOrZr>,
    rn: impl Into<RegOrZr>,
    rm: impl Into<RegOrZr>,
    lsb: u8,
) -> u32 {
    assert!(
        u32::from(lsb) < size.bits(),
        "extr position {lsb} is not below the operation width"
    );
    (size.sf() << 31)
        | (0b100111 << 23)
        | (size.sf() << 22)
        | (rm.into().field() << 16)
        | (u32::from(lsb) << 10)
        | (rn.into().field() << 5)
        | rd.into().field()
}

fn check_shift_imm(size: Size, amount: u8) {
    assert!(
        u32::from(amount) < size.bits(),
        "shift amount {amount} is not below the operation width"
    );
}

/// `lsl rd, rn, #amount` (`ubfm rd, rn, #(-amount % width), #(width - 1 - amount)`).
pub fn lsl_imm(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>, amount: u8) -> u32 {
    check_shift_imm(size, amount);
    let width = size.bits() as u8;
    ubfm(size, rd, rn, (width - amount) % width, width - 1 - amount)
}

/// `lsr rd, rn, #amount` (`ubfm rd, rn, #amount, #(width - 1)`).
pub fn lsr_imm(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>, amount: u8) -> u32 {
    check_shift_imm(size, amount);
    ubfm(size, rd, rn, amount, size.bits() as u8 - 1)
}

/// `asr rd, rn, #amount` (`sbfm rd, rn, #amount, #(width - 1)`).
pub fn asr_imm(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>, amount: u8) -> u32 {
    check_shift_imm(size, amount);
    sbfm(size, rd, rn, amount, size.bits() as u8 - 1)
}

/// `ror rd, rn, #amount` (`extr rd, rn, rn, #amount`).
pub fn ror_imm(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>, amount: u8) -> u32 {
    let rn = rn.into();
    extr(size, rd, rn, rn, amount)
}

/// `ubfx rd, rn, #lsb, #width`: extracts `width` bits starting at `lsb`,
/// zero-extended.
pub fn ubfx(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>, lsb: u8, width: u8) -> u32 {
    assert!(
        width >= 1 && u32::from(lsb) + u32::from(width) <= size.bits(),
        "bitfield {lsb}+{width} does not fit the operation width"
    );
    ubfm(size, rd, rn, lsb, lsb + width - 1)
}

/// `sxtb rd, wn`: sign-extends the low byte into a `w` or `x` register.
pub fn sxtb(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    sbfm(size, rd, rn, 0, 7)
}

/// `sxth rd, wn`: sign-extends the low halfword.
pub fn sxth(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    sbfm(size, rd, rn, 0, 15)
}

/// `sxtw xd, wn`: sign-extends the low word into a 64-bit register.
pub fn sxtw(rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    sbfm(Size::X, rd, rn, 0, 31)
}

/// `uxtb wd, wn`: zero-extends the low byte (the upper 32 bits are zeroed
/// too, as by every 32-bit write).
pub fn uxtb(rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    ubfm(Size::W, rd, rn, 0, 7)
}

/// `uxth wd, wn`: zero-extends the low halfword.
pub fn uxth(rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    ubfm(Size::W, rd, rn, 0, 15)
}

/// `mov wd, wn` used as `uxtw`: zero-extends the low word into `xd`.
pub fn uxtw(rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    mov(Size::W, rd, rn)
}

// ---- one-source: bit counting and byte reversal ----

fn data1(size: Size, opcode: u32, rd: u32, rn: u32) -> u32 {
    (size.sf() << 31) | (1 << 30) | (0b11010110 << 21) | (opcode << 10) | (rn << 5) | rd
}

/// `rbit rd, rn`: reverses the bit order.
pub fn rbit(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    data1(size, 0b000000, rd.into().field(), rn.into().field())
}

/// `rev16 rd, rn`: reverses the bytes in each halfword.
pub fn rev16(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    data1(size, 0b000001, rd.into().field(), rn.into().field())
}

/// `rev rd, rn`: reverses the byte order of the whole register.
pub fn rev(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    let opcode = match size {
        Size::W => 0b000010,
        Size::X => 0b000011,
    };
    data1(size, opcode, rd.into().field(), rn.into().field())
}

/// `clz rd, rn`: counts leading zero bits (the width for zero).
pub fn clz(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    data1(size, 0b000100, rd.into().field(), rn.into().field())
}

/// `cls rd, rn`: counts leading bits equal to the sign bit, minus one.
pub fn cls(size: Size, rd: impl Into<RegOrZr>, rn: impl Into<RegOrZr>) -> u32 {
    data1(size, 0b000101, rd.into().field(), rn.into().field())
}

// ---- conditional select and compare ----

fn cond_select(size: Size, op: u32, op2: u32, rd: u32, rn: u32, rm: u32, cond: Cond) -> u32 {
    (size.sf() << 31)
        | (op << 30)
        | (0b11010100 << 21)
        | (rm << 16)
        | (cond.bits() << 12)
        | (op2 << 10)
        | (rn << 5)
        | rd
}

macro_rules! cond_select_fns {
    ($($(#[$doc:meta])* $name:ident = ($op:literal, $op2:literal);)*) => {
        $(
            $(#[$doc])*
            pub fn $name(
                size: Size,
                rd: impl Into<RegOrZr>,
                rn: impl Into<RegOrZr>,
                rm: impl Into<RegOrZr>,
                cond: Cond,
            ) -> u32 {
                cond_select(size, $op, $op2, rd.into().field(), rn.into().field(), rm.into().field(), cond)
            }
        )*
    };
}

cond_select_fns! {
    /// `csel rd, rn, rm, cond`: `rd = cond ? rn : rm`.
    csel = (0, 0b00);
    /// `csinc rd, rn, rm, cond`: `rd = cond ? rn : rm + 1`.
    csinc = (0, 0b01);
    /// `csinv rd, rn, rm, cond`: `rd = cond ? rn : !rm`.
    csinv = (1, 0b00);
    /// `csneg rd, rn, rm, cond`: `rd = cond ? rn : -rm`.
    csneg = (1, 0b01);
}

/// `cset rd, cond`: `rd = cond ? 1 : 0` (`csinc rd, zr, zr, !cond`).
///
/// # Panics
/// For `Al`/`Nv`, which have no inverse.
pub fn cset(size: Size, rd: impl Into<RegOrZr>, cond: Cond) -> u32 {
    assert!(
        !matches!(cond, Cond::Al | Cond::Nv),
        "cset needs a real condition"
    );
    csinc(size, rd, ZR, ZR, cond.invert())
}

/// `csetm rd, cond`: `rd = cond ? -1 : 0` (`csinv rd, zr, zr, !cond`).
///
/// # Panics
/// For `Al`/`Nv`, which have no inverse.
pub fn csetm(size: Size, rd: impl Into<RegOrZr>, cond: Cond) -> u32 {
    assert!(
        !matches!(cond, Cond::Al | Cond::Nv),
        "csetm needs a real condition"
    );
    csinv(size, rd, ZR, ZR, cond.invert())
}

fn cond_compare(
    size: Size,
    op: u32,
    rn: u32,
    operand: u32,
    is_imm: bool,
    nzcv: u8,
    cond: Cond,
) -> u32 {
    assert!(nzcv < 16, "nzcv {nzcv} is not a 4-bit flag value");
    (size.sf() << 31)
        | (op << 30)
        | (1 << 29)
        | (0b11010010 << 21)
        | (operand << 16)
        | (cond.bits() << 12)
        | (u32::from(is_imm) << 11)
        | (rn << 5)
        | u32::from(nzcv)
}

/// `ccmp rn, rm, #nzcv, cond`: if `cond` holds, the flags of `cmp rn, rm`,
/// otherwise the flags `nzcv` (N=8, Z=4, C=2, V=1).
pub fn ccmp(
    size: Size,
    rn: impl Into<RegOrZr>,
    rm: impl Into<RegOrZr>,
    nzcv: u8,
    cond: Cond,
) -> u32 {
    cond_compare(
        size,
        1,
        rn.into().field(),
        rm.into().field(),
        false,
        nzcv,
        cond,
    )
}

/// `ccmp rn, #imm5, #nzcv, cond` (`imm5` in 0..=31).
pub fn ccmp_imm(size: Size, rn: impl Into<RegOrZr>, imm5: u8, nzcv: u8, cond: Cond) -> u32 {
    assert!(imm5 < 32, "ccmp immediate {imm5} is above 31");
    cond_compare(
        size,
        1,
        rn.into().field(),
        u32::from(imm5),
        true,
        nzcv,
        cond,
    )
}

/// `ccmn rn, rm, #nzcv, cond`: like [`ccmp`] with `cmn`.
pub fn ccmn(
    size: Size,
    rn: impl Into<RegOrZr>,
    rm: impl Into<RegOrZr>,
    nzcv: u8,
    cond: Cond,
) -> u32 {
    cond_compare(
        size,
        0,
        rn.into().field(),
        rm.into().field(),
        false,
        nzcv,
        cond,
    )
}

/// `ccmn rn, #imm5, #nzcv, cond`.
pub fn ccmn_imm(size: Size, rn: impl Into<RegOrZr>, imm5: u8, nzcv: u8, cond: Cond) -> u32 {
    assert!(imm5 < 32, "ccmn immediate {imm5} is above 31");
    cond_compare(
        size,
        0,
        rn.into().field(),
        u32::from(imm5),
        true,
        nzcv,
        cond,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regs::{R0, R1};

    #[test]
    fn add_immediates() {
        assert_eq!(AddImm::new(4095).map(AddImm::value), Some(4095));
        assert_eq!(AddImm::new(4096).map(AddImm::value), Some(4096));
        assert_eq!(AddImm::new(4095 << 12).map(AddImm::value), Some(4095 << 12));
        assert_eq!(AddImm::new(4097), None);
        assert_eq!(AddImm::new(4096 << 12), None);
    }

    #[test]
    fn constant_sequences_are_short() {
        assert_eq!(mov_imm64(R0, 0).len(), 1);
        assert_eq!(mov_imm64(R0, u64::MAX).len(), 1);
        assert_eq!(mov_imm64(R0, 0xffff_ffff).len(), 1);
        assert_eq!(mov_imm64(R0, 0x5555_5555_5555_5555).len(), 1);
        assert_eq!(mov_imm64(R0, 0x1234_5678_9abc_def0).len(), 4);
        assert_eq!(mov_imm64(R1, 0xffff_ffff_1234_ffff).len(), 1);
        assert_eq!(mov_imm32(R0, 0xffff_fffe).len(), 1);
        assert_eq!(mov_imm32(R0, 0x1234_5678).len(), 2);
    }
}
