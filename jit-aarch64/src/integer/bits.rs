//! Bit manipulation: shifts and rotates by an immediate (bitfield and
//! extract aliases), bitfield moves, sign and zero extensions, bit counting
//! and byte reversal.

use super::logical::mov;
use crate::regs::{RegField, RegOrZr, Size};

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
