//! Integer data-processing instructions, in three groups: arithmetic
//! (add/sub, compare, multiply/divide, conditional select and compare),
//! logical operations and constants, and bit manipulation (shifts,
//! bitfields, extensions, bit counting and byte reversal).
//!
//! Every function returns the 32-bit instruction word. Operands whose range
//! is fixed by the instruction alone are typed ([`AddImm`],
//! [`LogicalImm`](crate::LogicalImm)); shift amounts, bitfield positions
//! and similar small constants are checked with assertions, since a wrong
//! one is a bug in the caller, not a property of the Wasm module being
//! compiled.

mod arith;
mod bits;
mod logical;

pub use arith::*;
pub use bits::*;
pub use logical::*;

use crate::regs::{Shift, Size};

/// Checks a shifted-register operand: the amount is below the width, and
/// `ror` appears only where allowed (logical instructions).
pub(crate) fn check_shift(size: Size, shift: Shift, amount: u8, allow_ror: bool) {
    assert!(
        u32::from(amount) < size.bits(),
        "shift amount {amount} is not below the operation width"
    );
    assert!(
        allow_ror || shift != Shift::Ror,
        "add/sub take no ror shift"
    );
}
