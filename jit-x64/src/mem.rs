//! Memory operands: `[base + index*scale + disp32]` and RIP-relative
//! addresses (raw or pointing at a [`Label`]).

use crate::label::Label;
use crate::regs::Gpr;

/// The factor an index register is multiplied by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    X1 = 0,
    X2 = 1,
    X4 = 2,
    X8 = 3,
}

impl Scale {
    /// The scale for an access of `bytes` bytes (1, 2, 4 or 8), if any.
    pub const fn from_bytes(bytes: u32) -> Option<Scale> {
        match bytes {
            1 => Some(Scale::X1),
            2 => Some(Scale::X2),
            4 => Some(Scale::X4),
            8 => Some(Scale::X8),
            _ => None,
        }
    }
}

/// What a memory operand's address is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Base {
    /// A general-purpose register.
    Gpr(Gpr),
    /// The end of the instruction (`rip`).
    Rip,
    /// A label of the same assembler, reached RIP-relative; the label's
    /// offset is patched in once it is bound.
    Label(Label),
}

/// A memory operand. Build it with the constructors; every combination
/// they accept is encodable (the encoder picks SIB bytes and displacement
/// widths itself: `rsp`/`r12` bases get a SIB byte, `rbp`/`r13` bases a
/// zero `disp8`, and displacements that fit in `i8` take one byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mem {
    pub(crate) base: Base,
    pub(crate) index: Option<(Gpr, Scale)>,
    pub(crate) disp: i32,
}

impl Mem {
    /// `[base]`.
    pub const fn base(base: Gpr) -> Mem {
        Mem {
            base: Base::Gpr(base),
            index: None,
            disp: 0,
        }
    }

    /// `[base + disp]`.
    pub const fn base_disp(base: Gpr, disp: i32) -> Mem {
        Mem {
            base: Base::Gpr(base),
            index: None,
            disp,
        }
    }

    /// `[base + index*scale + disp]`.
    ///
    /// # Panics
    ///
    /// If `index` is `rsp`, which x86-64 cannot use as an index.
    pub const fn base_index_disp(base: Gpr, index: Gpr, scale: Scale, disp: i32) -> Mem {
        assert!(
            !matches!(index, Gpr::Rsp),
            "rsp cannot be an index register"
        );
        Mem {
            base: Base::Gpr(base),
            index: Some((index, scale)),
            disp,
        }
    }

    /// `[rip + disp]`: `disp` is counted from the end of the instruction.
    pub const fn rip(disp: i32) -> Mem {
        Mem {
            base: Base::Rip,
            index: None,
            disp,
        }
    }

    /// `[rip + label]`: the address of `label` (bound before or after).
    pub const fn label(label: Label) -> Mem {
        Mem {
            base: Base::Label(label),
            index: None,
            disp: 0,
        }
    }

    /// `[rip + label + disp]`: `disp` bytes past `label`.
    pub const fn label_disp(label: Label, disp: i32) -> Mem {
        Mem {
            base: Base::Label(label),
            index: None,
            disp,
        }
    }

    /// The same operand `delta` bytes further on (wrapping at 32 bits).
    pub const fn offset_by(self, delta: i32) -> Mem {
        Mem {
            disp: self.disp.wrapping_add(delta),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every memory instruction takes a `Mem` by value: keep it two words.
    #[test]
    fn mem_operand_stays_small() {
        assert_eq!(core::mem::size_of::<Mem>(), 16);
        assert_eq!(core::mem::size_of::<Label>(), 4);
    }

    #[test]
    #[should_panic(expected = "rsp cannot be an index register")]
    fn rsp_is_no_index() {
        let _ = Mem::base_index_disp(Gpr::Rax, Gpr::Rsp, Scale::X1, 0);
    }

    #[test]
    fn offset_by_moves_the_displacement() {
        let m = Mem::base_disp(Gpr::Rdi, 8).offset_by(-16);
        assert_eq!(m, Mem::base_disp(Gpr::Rdi, -8));
        assert_eq!(Scale::from_bytes(8), Some(Scale::X8));
        assert_eq!(Scale::from_bytes(3), None);
    }
}
