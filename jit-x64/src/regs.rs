//! Typed machine registers, operand sizes and condition codes: the
//! vocabulary every encoder method is written in.

/// A 64-bit general-purpose register. The same register is named by its
/// 8-, 16- and 32-bit parts through the [`Size`] an instruction is given
/// (`Rsi` at [`Size::S8`] is `sil`, at [`Size::S32`] `esi`); the legacy
/// high-byte registers `ah`..`bh` are never used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Gpr {
    Rax = 0,
    Rcx = 1,
    Rdx = 2,
    Rbx = 3,
    Rsp = 4,
    Rbp = 5,
    Rsi = 6,
    Rdi = 7,
    R8 = 8,
    R9 = 9,
    R10 = 10,
    R11 = 11,
    R12 = 12,
    R13 = 13,
    R14 = 14,
    R15 = 15,
}

impl Gpr {
    /// All sixteen registers in encoding order.
    pub const ALL: [Gpr; 16] = [
        Gpr::Rax,
        Gpr::Rcx,
        Gpr::Rdx,
        Gpr::Rbx,
        Gpr::Rsp,
        Gpr::Rbp,
        Gpr::Rsi,
        Gpr::Rdi,
        Gpr::R8,
        Gpr::R9,
        Gpr::R10,
        Gpr::R11,
        Gpr::R12,
        Gpr::R13,
        Gpr::R14,
        Gpr::R15,
    ];

    /// The register's 4-bit hardware number (`Rax` = 0 .. `R15` = 15).
    pub const fn enc(self) -> u8 {
        self as u8
    }

    /// The register with hardware number `enc`, if `enc < 16`.
    pub const fn from_enc(enc: u8) -> Option<Gpr> {
        if enc < 16 {
            Some(Gpr::ALL[enc as usize])
        } else {
            None
        }
    }
}

/// An SSE register, `xmm0`..`xmm15`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Xmm {
    Xmm0 = 0,
    Xmm1 = 1,
    Xmm2 = 2,
    Xmm3 = 3,
    Xmm4 = 4,
    Xmm5 = 5,
    Xmm6 = 6,
    Xmm7 = 7,
    Xmm8 = 8,
    Xmm9 = 9,
    Xmm10 = 10,
    Xmm11 = 11,
    Xmm12 = 12,
    Xmm13 = 13,
    Xmm14 = 14,
    Xmm15 = 15,
}

impl Xmm {
    /// All sixteen registers in encoding order.
    pub const ALL: [Xmm; 16] = [
        Xmm::Xmm0,
        Xmm::Xmm1,
        Xmm::Xmm2,
        Xmm::Xmm3,
        Xmm::Xmm4,
        Xmm::Xmm5,
        Xmm::Xmm6,
        Xmm::Xmm7,
        Xmm::Xmm8,
        Xmm::Xmm9,
        Xmm::Xmm10,
        Xmm::Xmm11,
        Xmm::Xmm12,
        Xmm::Xmm13,
        Xmm::Xmm14,
        Xmm::Xmm15,
    ];

    /// The register's 4-bit hardware number.
    pub const fn enc(self) -> u8 {
        self as u8
    }

    /// The register with hardware number `enc`, if `enc < 16`.
    pub const fn from_enc(enc: u8) -> Option<Xmm> {
        if enc < 16 {
            Some(Xmm::ALL[enc as usize])
        } else {
            None
        }
    }
}

/// The width of an integer operation or memory access, in bits; ordered
/// from narrow to wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Size {
    S8,
    S16,
    S32,
    S64,
}

impl Size {
    /// The width in bytes.
    pub const fn bytes(self) -> u32 {
        match self {
            Size::S8 => 1,
            Size::S16 => 2,
            Size::S32 => 4,
            Size::S64 => 8,
        }
    }
}

/// The precision of a scalar floating-point operation (`ss` or `sd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FloatSize {
    /// Single precision: `f32`, the `ss`/`ps` instructions.
    F32,
    /// Double precision: `f64`, the `sd`/`pd` instructions.
    F64,
}

/// An x86 condition code, as used by `jcc`, `setcc` and `cmovcc`.
///
/// After `cmp a, b`: `E`/`Ne` test equality, `B`/`Ae`/`Be`/`A` compare
/// unsigned (`a < b` is `B`), `L`/`Ge`/`Le`/`G` compare signed. After
/// `ucomiss`/`ucomisd` the unsigned conditions apply and `P` means
/// "unordered" (a NaN was involved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Cond {
    /// Overflow (OF = 1).
    O = 0x0,
    /// No overflow.
    No = 0x1,
    /// Below, unsigned `<` (CF = 1).
    B = 0x2,
    /// Above or equal, unsigned `>=` (CF = 0).
    Ae = 0x3,
    /// Equal (ZF = 1).
    E = 0x4,
    /// Not equal (ZF = 0).
    Ne = 0x5,
    /// Below or equal, unsigned `<=`.
    Be = 0x6,
    /// Above, unsigned `>`.
    A = 0x7,
    /// Sign (SF = 1).
    S = 0x8,
    /// No sign.
    Ns = 0x9,
    /// Parity (PF = 1); "unordered" after a float compare.
    P = 0xa,
    /// No parity; "ordered" after a float compare.
    Np = 0xb,
    /// Less, signed `<`.
    L = 0xc,
    /// Greater or equal, signed `>=`.
    Ge = 0xd,
    /// Less or equal, signed `<=`.
    Le = 0xe,
    /// Greater, signed `>`.
    G = 0xf,
}

impl Cond {
    /// All sixteen conditions in encoding order.
    pub const ALL: [Cond; 16] = [
        Cond::O,
        Cond::No,
        Cond::B,
        Cond::Ae,
        Cond::E,
        Cond::Ne,
        Cond::Be,
        Cond::A,
        Cond::S,
        Cond::Ns,
        Cond::P,
        Cond::Np,
        Cond::L,
        Cond::Ge,
        Cond::Le,
        Cond::G,
    ];

    /// The condition that holds exactly when `self` does not.
    pub const fn invert(self) -> Cond {
        Cond::ALL[(self as u8 ^ 1) as usize]
    }

    /// The 4-bit condition number that goes into the opcode.
    pub const fn enc(self) -> u8 {
        self as u8
    }
}
