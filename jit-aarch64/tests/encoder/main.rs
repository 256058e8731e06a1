//! Encoder tests: per instruction family, a table of (encoder call, word,
//! assembly) rows checked against yaxpeax-arm's decoder, plus random-operand
//! property tests that decode each word and compare it with the request.

mod oracle;

mod control;
mod float;
mod integer;
mod labels;
mod logical_imm;
mod memory;

use ember_jit_aarch64::{AddImm, LogicalImm, Size};

/// An add/sub immediate that must be encodable.
fn imm(value: u64) -> AddImm {
    AddImm::new(value).expect("encodable add/sub immediate")
}

/// A bitmask immediate that must be encodable.
fn limm(size: Size, value: u64) -> LogicalImm {
    LogicalImm::new(value, size).expect("encodable bitmask immediate")
}

/// The name of general register `number` as the oracle prints it, with 31
/// as the zero register or the stack pointer.
fn gpr_name(size: Size, number: u8, sp: bool) -> String {
    match (size, number, sp) {
        (Size::X, 31, false) => "xzr".into(),
        (Size::W, 31, false) => "wzr".into(),
        (Size::X, 31, true) => "sp".into(),
        (Size::W, 31, true) => "wsp".into(),
        (Size::X, n, _) => format!("x{n}"),
        (Size::W, n, _) => format!("w{n}"),
    }
}

/// The oracle's spelling of an immediate: `0x..` hex, `-0x..` if negative.
fn hex(value: i64) -> String {
    if value < 0 {
        format!("-{:#x}", value.unsigned_abs())
    } else {
        format!("{value:#x}")
    }
}
