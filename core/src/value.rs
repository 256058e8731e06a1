//! Wasm values as the host sees them ([`Val`]) and their raw encoding in
//! 8-byte frame slots.
//!
//! Raw encoding (shared by frames, globals and tables, and by both tiers):
//! `i32`/`f32` occupy the low 32 bits of a slot (upper bits unspecified),
//! `i64`/`f64` the whole slot, a `v128` two consecutive slots (low half
//! first), a reference the value `0` for null or `index + 1` of the store's
//! function or extern-reference table.

use crate::store::{ExternRef, Func};
use crate::types::ValType;

/// A 128-bit SIMD value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct V128(pub u128);

/// A Wasm value. Floats are carried as their bit patterns so NaN payloads
/// survive a round trip through the host.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    /// An `f32`, as its IEEE 754 bits.
    F32(u32),
    /// An `f64`, as its IEEE 754 bits.
    F64(u64),
    V128(V128),
    FuncRef(Option<Func>),
    ExternRef(Option<ExternRef>),
}

impl Val {
    /// The type of this value.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The zero value (or null reference) of `ty`.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(V128(0)),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
        }
    }

    /// The `i32`, if this is one.
    pub fn i32(&self) -> Option<i32> {
        if let Val::I32(v) = self {
            Some(*v)
        } else {
            None
        }
    }

    /// The `i64`, if this is one.
    pub fn i64(&self) -> Option<i64> {
        if let Val::I64(v) = self {
            Some(*v)
        } else {
            None
        }
    }

    /// The `f32`, if this is one.
    pub fn f32(&self) -> Option<f32> {
        if let Val::F32(v) = self {
            Some(f32::from_bits(*v))
        } else {
            None
        }
    }

    /// The `f64`, if this is one.
    pub fn f64(&self) -> Option<f64> {
        if let Val::F64(v) = self {
            Some(f64::from_bits(*v))
        } else {
            None
        }
    }

    /// Encodes the value as raw slot bits (the `v128` in full).
    pub(crate) fn to_raw(self) -> u128 {
        match self {
            Val::I32(v) => v as u32 as u128,
            Val::I64(v) => v as u64 as u128,
            Val::F32(v) => v as u128,
            Val::F64(v) => v as u128,
            Val::V128(v) => v.0,
            Val::FuncRef(f) => f.map_or(0, |f| f.raw_index() as u128 + 1),
            Val::ExternRef(e) => e.map_or(0, |e| e.raw_index() as u128 + 1),
        }
    }

    /// Decodes raw slot bits of type `ty` (store-checked handles are built
    /// by the caller's store id).
    pub(crate) fn from_raw(ty: ValType, raw: u128, store_id: usize) -> Val {
        match ty {
            ValType::I32 => Val::I32(raw as u32 as i32),
            ValType::I64 => Val::I64(raw as u64 as i64),
            ValType::F32 => Val::F32(raw as u32),
            ValType::F64 => Val::F64(raw as u64),
            ValType::V128 => Val::V128(V128(raw)),
            ValType::FuncRef => Val::FuncRef(match raw as u64 {
                0 => None,
                n => Some(Func::from_raw(store_id, (n - 1) as u32)),
            }),
            ValType::ExternRef => Val::ExternRef(match raw as u64 {
                0 => None,
                n => Some(ExternRef::from_raw(store_id, (n - 1) as u32)),
            }),
        }
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}

impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::F32(v.to_bits())
    }
}

impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::F64(v.to_bits())
    }
}

impl From<V128> for Val {
    fn from(v: V128) -> Val {
        Val::V128(v)
    }
}
