//! Logical operations (register and bitmask-immediate forms), register
//! moves, move-wide instructions and the shortest-sequence constant
//! loaders.

use super::check_shift;
use crate::logical_imm::LogicalImm;
use crate::regs::{Reg, RegField, RegOrSp, RegOrZr, ShiftedReg, Size, ZR};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regs::{R0, R1};

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
