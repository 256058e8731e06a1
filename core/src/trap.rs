//! Traps: the ways a running Wasm function can stop abnormally, with the
//! spec's wording for each kind.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why execution trapped. The `Display` text is the spec testsuite's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapCode {
    /// The `unreachable` instruction ran.
    Unreachable,
    /// A load, store or bulk memory operation left linear memory.
    MemoryOutOfBounds,
    /// A table access or bulk table operation left the table.
    TableOutOfBounds,
    /// `call_indirect` hit an index outside the table.
    UndefinedElement,
    /// `call_indirect` hit a null table entry.
    UninitializedElement,
    /// `call_indirect` found a function of another type.
    BadSignature,
    /// Signed division overflow (`MIN / -1`) or a float-to-int conversion
    /// whose result does not fit.
    IntegerOverflow,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero,
    /// Float-to-int conversion of a NaN.
    BadConversionToInteger,
    /// The call depth or slot-stack limit was reached.
    StackOverflow,
    /// Fuel ran out (only when the call cannot be suspended).
    OutOfFuel,
    /// The store's interrupt flag was set.
    Interrupted,
    /// A host function reported a trap without a more specific kind.
    HostTrap,
}

impl TrapCode {
    /// Every trap kind, in declaration order (`ALL[code as usize] == code`).
    pub const ALL: &'static [TrapCode] = &[
        TrapCode::Unreachable,
        TrapCode::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds,
        TrapCode::UndefinedElement,
        TrapCode::UninitializedElement,
        TrapCode::BadSignature,
        TrapCode::IntegerOverflow,
        TrapCode::IntegerDivisionByZero,
        TrapCode::BadConversionToInteger,
        TrapCode::StackOverflow,
        TrapCode::OutOfFuel,
        TrapCode::Interrupted,
        TrapCode::HostTrap,
    ];

    /// The spec testsuite's message for this trap kind.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::BadSignature => "indirect call type mismatch",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::IntegerDivisionByZero => "integer divide by zero",
            TrapCode::BadConversionToInteger => "invalid conversion to integer",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::OutOfFuel => "all fuel consumed",
            TrapCode::Interrupted => "interrupted",
            TrapCode::HostTrap => "host trap",
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// One Wasm frame of a trap's backtrace, innermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameInfo {
    /// Index of the function in its module's function index space.
    pub func_index: u32,
    /// The function's name from the module's name section, if any.
    pub func_name: Option<String>,
}

/// A trap: its kind plus the Wasm backtrace at the point it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    code: TrapCode,
    backtrace: Vec<FrameInfo>,
}

impl Trap {
    /// A trap of kind `code` without a backtrace.
    pub fn new(code: TrapCode) -> Self {
        Trap {
            code,
            backtrace: Vec::new(),
        }
    }

    pub(crate) fn with_backtrace(code: TrapCode, backtrace: Vec<FrameInfo>) -> Self {
        Trap { code, backtrace }
    }

    /// The kind of trap.
    pub fn code(&self) -> TrapCode {
        self.code
    }

    /// The Wasm frames active when the trap happened, innermost first.
    pub fn backtrace(&self) -> &[FrameInfo] {
        &self.backtrace
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.code)
    }
}

impl From<TrapCode> for Trap {
    fn from(code: TrapCode) -> Self {
        Trap::new(code)
    }
}
