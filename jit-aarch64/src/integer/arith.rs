//! Integer arithmetic: add/sub with immediates, shifted and extended
//! registers, compares, negation, multiply/divide (and shifts by a
//! register, which share the two-source encoding), conditional select and
//! conditional compare.

use super::check_shift;
use crate::regs::{Cond, ExtendedReg, RegField, RegOrSp, RegOrZr, ShiftedReg, Size, ZR};

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

    #[test]
    fn add_immediates() {
        assert_eq!(AddImm::new(4095).map(AddImm::value), Some(4095));
        assert_eq!(AddImm::new(4096).map(AddImm::value), Some(4096));
        assert_eq!(AddImm::new(4095 << 12).map(AddImm::value), Some(4095 << 12));
        assert_eq!(AddImm::new(4097), None);
        assert_eq!(AddImm::new(4096 << 12), None);
    }
}
