//! Registers and operand modifiers of the A64 instruction set: general
//! registers (with register 31 typed as either the zero register or the
//! stack pointer, depending on the operand position), FP/SIMD registers,
//! operand sizes, condition codes, shifts and extends.

/// Width of an integer operation: 32-bit (`w` registers, upper half of the
/// destination zeroed) or 64-bit (`x` registers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Size {
    /// 32 bits (`w0`, `wzr`, `wsp`).
    W,
    /// 64 bits (`x0`, `xzr`, `sp`).
    X,
}

impl Size {
    /// The `sf` bit (bit 31 of most data-processing instructions).
    pub(crate) const fn sf(self) -> u32 {
        match self {
            Size::W => 0,
            Size::X => 1,
        }
    }

    /// Number of bits in a register of this size.
    pub const fn bits(self) -> u32 {
        match self {
            Size::W => 32,
            Size::X => 64,
        }
    }
}

/// A general-purpose register R0–R30. Its 32-bit view is `wN` and its
/// 64-bit view `xN`; which one an instruction uses is given by a [`Size`].
///
/// Register number 31 is not a `Reg`: depending on the operand position it
/// is the zero register ([`ZR`], a [`RegOrZr`]) or the stack pointer
/// ([`SP`], a [`RegOrSp`]), and the types keep the two apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg(u8);

impl Reg {
    /// Register `number`, or `None` unless `number <= 30`.
    pub const fn new(number: u8) -> Option<Reg> {
        if number <= 30 {
            Some(Reg(number))
        } else {
            None
        }
    }

    /// The register number, 0..=30.
    pub const fn number(self) -> u8 {
        self.0
    }

    /// This register shifted, for shifted-register operands (`x2, lsl #3`).
    pub const fn shifted(self, shift: Shift, amount: u8) -> ShiftedReg {
        ShiftedReg {
            reg: RegOrZr(self.0),
            shift,
            amount,
        }
    }

    /// This register shifted left by `amount` (`x2, lsl #amount`).
    pub const fn lsl(self, amount: u8) -> ShiftedReg {
        self.shifted(Shift::Lsl, amount)
    }

    /// This register shifted right logically by `amount`.
    pub const fn lsr(self, amount: u8) -> ShiftedReg {
        self.shifted(Shift::Lsr, amount)
    }

    /// This register shifted right arithmetically by `amount`.
    pub const fn asr(self, amount: u8) -> ShiftedReg {
        self.shifted(Shift::Asr, amount)
    }

    /// This register rotated right by `amount` (logical instructions only).
    pub const fn ror(self, amount: u8) -> ShiftedReg {
        self.shifted(Shift::Ror, amount)
    }

    /// This register extended then shifted left by `amount` (0..=4), for
    /// extended-register operands (`w2, sxtw #2`).
    pub const fn extended(self, extend: Extend, amount: u8) -> ExtendedReg {
        ExtendedReg {
            reg: RegOrZr(self.0),
            extend,
            amount,
        }
    }
}

/// A general register or the zero register: register 31 reads as zero and
/// discards writes (`xzr`/`wzr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegOrZr(u8);

impl RegOrZr {
    /// The 5-bit register field.
    pub const fn number(self) -> u8 {
        self.0
    }

    /// Whether this is the zero register.
    pub const fn is_zr(self) -> bool {
        self.0 == 31
    }
}

/// A general register or the stack pointer: register 31 is `sp`/`wsp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegOrSp(u8);

impl RegOrSp {
    /// The 5-bit register field.
    pub const fn number(self) -> u8 {
        self.0
    }

    /// Whether this is the stack pointer.
    pub const fn is_sp(self) -> bool {
        self.0 == 31
    }
}

impl From<Reg> for RegOrZr {
    fn from(reg: Reg) -> Self {
        RegOrZr(reg.0)
    }
}

impl From<Reg> for RegOrSp {
    fn from(reg: Reg) -> Self {
        RegOrSp(reg.0)
    }
}

/// The zero register (`xzr`/`wzr`).
pub const ZR: RegOrZr = RegOrZr(31);
/// The stack pointer (`sp`/`wsp`).
pub const SP: RegOrSp = RegOrSp(31);

macro_rules! gp_regs {
    ($($name:ident = $n:literal),* $(,)?) => {
        $(
            #[doc = concat!("General-purpose register ", stringify!($n), ".")]
            pub const $name: Reg = Reg($n);
        )*
    };
}

gp_regs! {
    R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7,
    R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15,
    R16 = 16, R17 = 17, R18 = 18, R19 = 19, R20 = 20, R21 = 21, R22 = 22, R23 = 23,
    R24 = 24, R25 = 25, R26 = 26, R27 = 27, R28 = 28, R29 = 29, R30 = 30,
}

/// The frame pointer of the standard calling convention (R29).
pub const FP: Reg = R29;
/// The link register, written by `bl`/`blr` and read by `ret` (R30).
pub const LR: Reg = R30;

/// A FP/SIMD register V0–V31. Scalar instructions use its low 8/16/32/64
/// bits (`bN`, `hN`, `sN`, `dN`); vector instructions use 64 or 128 bits
/// (`vN.8b`, `vN.16b`, `qN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VReg(u8);

impl VReg {
    /// Register `number`, or `None` unless `number <= 31`.
    pub const fn new(number: u8) -> Option<VReg> {
        if number <= 31 {
            Some(VReg(number))
        } else {
            None
        }
    }

    /// The register number, 0..=31.
    pub const fn number(self) -> u8 {
        self.0
    }
}

macro_rules! fp_regs {
    ($($name:ident = $n:literal),* $(,)?) => {
        $(
            #[doc = concat!("FP/SIMD register ", stringify!($n), ".")]
            pub const $name: VReg = VReg($n);
        )*
    };
}

fp_regs! {
    V0 = 0, V1 = 1, V2 = 2, V3 = 3, V4 = 4, V5 = 5, V6 = 6, V7 = 7,
    V8 = 8, V9 = 9, V10 = 10, V11 = 11, V12 = 12, V13 = 13, V14 = 14, V15 = 15,
    V16 = 16, V17 = 17, V18 = 18, V19 = 19, V20 = 20, V21 = 21, V22 = 22, V23 = 23,
    V24 = 24, V25 = 25, V26 = 26, V27 = 27, V28 = 28, V29 = 29, V30 = 30, V31 = 31,
}

/// Precision of a scalar floating-point operation: `s` (f32) or `d` (f64)
/// registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FpSize {
    /// Single precision (f32, `sN`).
    S,
    /// Double precision (f64, `dN`).
    D,
}

impl FpSize {
    /// The `ftype` field of scalar FP instructions (bits 23:22).
    pub(crate) const fn ftype(self) -> u32 {
        match self {
            FpSize::S => 0b00,
            FpSize::D => 0b01,
        }
    }
}

/// A condition on the NZCV flags, as used by `b.cond`, `csel`, `ccmp`,
/// `fcsel`. After `cmp a, b`: `Eq`/`Ne` compare for equality, `Hs`/`Lo`/
/// `Hi`/`Ls` are unsigned `>=`/`<`/`>`/`<=`, `Ge`/`Lt`/`Gt`/`Le` signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Cond {
    /// Equal (Z set).
    Eq = 0,
    /// Not equal (Z clear).
    Ne = 1,
    /// Unsigned higher or same, carry set (`cs`).
    Hs = 2,
    /// Unsigned lower, carry clear (`cc`).
    Lo = 3,
    /// Negative (N set).
    Mi = 4,
    /// Positive or zero (N clear).
    Pl = 5,
    /// Overflow (V set).
    Vs = 6,
    /// No overflow (V clear).
    Vc = 7,
    /// Unsigned higher.
    Hi = 8,
    /// Unsigned lower or same.
    Ls = 9,
    /// Signed greater than or equal.
    Ge = 10,
    /// Signed less than.
    Lt = 11,
    /// Signed greater than.
    Gt = 12,
    /// Signed less than or equal.
    Le = 13,
    /// Always.
    Al = 14,
    /// Always (the encoding 0b1111, never used by compilers).
    Nv = 15,
}

impl Cond {
    /// All sixteen conditions in encoding order.
    pub const ALL: [Cond; 16] = [
        Cond::Eq,
        Cond::Ne,
        Cond::Hs,
        Cond::Lo,
        Cond::Mi,
        Cond::Pl,
        Cond::Vs,
        Cond::Vc,
        Cond::Hi,
        Cond::Ls,
        Cond::Ge,
        Cond::Lt,
        Cond::Gt,
        Cond::Le,
        Cond::Al,
        Cond::Nv,
    ];

    /// The 4-bit condition field.
    pub const fn bits(self) -> u32 {
        self as u32
    }

    /// The opposite condition (`Eq` ↔ `Ne`, `Lt` ↔ `Ge`, ...). `Al` and
    /// `Nv` both mean "always" and have no opposite; they map to each other
    /// as the encoding does.
    pub const fn invert(self) -> Cond {
        Cond::ALL[(self as usize) ^ 1]
    }

    /// The assembler name (`eq`, `hs`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Cond::Eq => "eq",
            Cond::Ne => "ne",
            Cond::Hs => "hs",
            Cond::Lo => "lo",
            Cond::Mi => "mi",
            Cond::Pl => "pl",
            Cond::Vs => "vs",
            Cond::Vc => "vc",
            Cond::Hi => "hi",
            Cond::Ls => "ls",
            Cond::Ge => "ge",
            Cond::Lt => "lt",
            Cond::Gt => "gt",
            Cond::Le => "le",
            Cond::Al => "al",
            Cond::Nv => "nv",
        }
    }
}

/// A shift applied to the last register operand of a data-processing
/// instruction. `Ror` is accepted by logical instructions only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Shift {
    /// Logical shift left.
    Lsl = 0,
    /// Logical shift right.
    Lsr = 1,
    /// Arithmetic shift right.
    Asr = 2,
    /// Rotate right.
    Ror = 3,
}

/// An extension applied to the last register operand of an
/// extended-register `add`/`sub` (`x1, w2, sxtw`): the low 8/16/32/64 bits
/// of the register are zero- or sign-extended, then shifted left by 0..=4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Extend {
    /// Zero-extend the low byte.
    Uxtb = 0,
    /// Zero-extend the low halfword.
    Uxth = 1,
    /// Zero-extend the low word.
    Uxtw = 2,
    /// The whole register (`lsl` when the destination or first source is
    /// the stack pointer).
    Uxtx = 3,
    /// Sign-extend the low byte.
    Sxtb = 4,
    /// Sign-extend the low halfword.
    Sxth = 5,
    /// Sign-extend the low word.
    Sxtw = 6,
    /// The whole register, signed.
    Sxtx = 7,
}

impl Extend {
    /// Whether the extended operand is a 64-bit `x` register (the others
    /// read a `w` register).
    pub const fn reads_x(self) -> bool {
        matches!(self, Extend::Uxtx | Extend::Sxtx)
    }
}

/// A register operand with a shift (`x2, lsr #4`). Built with
/// [`Reg::lsl`] and friends, or from a plain register (shift by 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShiftedReg {
    /// The shifted register.
    pub reg: RegOrZr,
    /// The kind of shift.
    pub shift: Shift,
    /// Shift amount: below the operation's width.
    pub amount: u8,
}

impl From<Reg> for ShiftedReg {
    fn from(reg: Reg) -> Self {
        reg.lsl(0)
    }
}

impl From<RegOrZr> for ShiftedReg {
    fn from(reg: RegOrZr) -> Self {
        ShiftedReg {
            reg,
            shift: Shift::Lsl,
            amount: 0,
        }
    }
}

/// A register operand with an extension (`w2, uxtw #2`). Built with
/// [`Reg::extended`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExtendedReg {
    /// The extended register.
    pub reg: RegOrZr,
    /// How its low bits are extended.
    pub extend: Extend,
    /// Left shift after the extension: 0..=4.
    pub amount: u8,
}

/// Register field helpers shared by the encoders.
pub(crate) trait RegField {
    fn field(self) -> u32;
}

impl RegField for Reg {
    fn field(self) -> u32 {
        u32::from(self.0)
    }
}

impl RegField for RegOrZr {
    fn field(self) -> u32 {
        u32::from(self.0)
    }
}

impl RegField for RegOrSp {
    fn field(self) -> u32 {
        u32::from(self.0)
    }
}

impl RegField for VReg {
    fn field(self) -> u32 {
        u32::from(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_31_is_typed_by_position() {
        assert_eq!(Reg::new(31), None);
        assert_eq!(Reg::new(30), Some(LR));
        assert!(ZR.is_zr());
        assert!(SP.is_sp());
        assert!(!RegOrZr::from(R0).is_zr());
        assert_eq!(RegOrSp::from(R7).number(), 7);
        assert_eq!(VReg::new(32), None);
    }

    #[test]
    fn conditions_invert_in_pairs() {
        for cond in Cond::ALL {
            assert_eq!(cond.invert().invert(), cond);
            assert_ne!(cond.invert(), cond);
        }
        assert_eq!(Cond::Lt.invert(), Cond::Ge);
        assert_eq!(Cond::Hi.invert(), Cond::Ls);
    }
}
