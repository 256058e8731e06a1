//! The types the embedding API speaks in: value, function, memory, table and
//! global types, independent of wasmparser's own.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

/// The type of a Wasm value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
}

impl ValType {
    /// Number of 8-byte frame slots a value of this type occupies.
    pub(crate) fn slot_width(self) -> u32 {
        match self {
            ValType::V128 => 2,
            _ => 1,
        }
    }

    pub(crate) fn from_wasmparser(ty: wasmparser::ValType) -> Option<ValType> {
        use wasmparser::ValType as W;
        Some(match ty {
            W::I32 => ValType::I32,
            W::I64 => ValType::I64,
            W::F32 => ValType::F32,
            W::F64 => ValType::F64,
            W::V128 => ValType::V128,
            W::Ref(r) if r == wasmparser::RefType::FUNCREF => ValType::FuncRef,
            W::Ref(r) if r == wasmparser::RefType::EXTERNREF => ValType::ExternRef,
            W::Ref(_) => return None,
        })
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        })
    }
}

/// The signature of a function.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncType {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    /// A function type with the given parameter and result types.
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> Self {
        FuncType {
            params: params.into_iter().collect::<Vec<_>>().into_boxed_slice(),
            results: results.into_iter().collect::<Vec<_>>().into_boxed_slice(),
        }
    }

    /// Parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.params
    }

    /// Result types.
    pub fn results(&self) -> &[ValType] {
        &self.results
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(func")?;
        if !self.params.is_empty() {
            f.write_str(" (param")?;
            for p in self.params.iter() {
                write!(f, " {p}")?;
            }
            f.write_str(")")?;
        }
        if !self.results.is_empty() {
            f.write_str(" (result")?;
            for r in self.results.iter() {
                write!(f, " {r}")?;
            }
            f.write_str(")")?;
        }
        f.write_str(")")
    }
}

/// Limits and sharing of a linear memory, in 64 KiB pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryType {
    /// Initial size in pages.
    pub minimum: u32,
    /// Maximum size in pages, if bounded.
    pub maximum: Option<u32>,
}

impl MemoryType {
    /// A memory of `minimum` pages that may grow to `maximum` pages.
    pub fn new(minimum: u32, maximum: Option<u32>) -> Self {
        MemoryType { minimum, maximum }
    }
}

/// Element type and limits of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableType {
    /// `FuncRef` or `ExternRef`.
    pub element: ValType,
    /// Initial number of elements.
    pub minimum: u32,
    /// Maximum number of elements, if bounded.
    pub maximum: Option<u32>,
}

impl TableType {
    /// A table of `element` references with the given limits.
    pub fn new(element: ValType, minimum: u32, maximum: Option<u32>) -> Self {
        TableType {
            element,
            minimum,
            maximum,
        }
    }
}

/// Whether a global can be written after instantiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    Const,
    Var,
}

/// Value type and mutability of a global.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalType {
    pub content: ValType,
    pub mutability: Mutability,
}

impl GlobalType {
    /// A global holding `content` values.
    pub fn new(content: ValType, mutability: Mutability) -> Self {
        GlobalType {
            content,
            mutability,
        }
    }
}

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternType {
    Func(FuncType),
    Memory(MemoryType),
    Table(TableType),
    Global(GlobalType),
}

impl ExternType {
    /// A short word for the kind of item ("function", "memory", ...).
    pub fn kind_name(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "function",
            ExternType::Memory(_) => "memory",
            ExternType::Table(_) => "table",
            ExternType::Global(_) => "global",
        }
    }
}
