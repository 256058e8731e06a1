//! Engine-neutral values and outcomes, so that what Ember and the reference
//! engine did can be compared with `==` and printed when they differ.

use std::collections::BTreeMap;
use std::fmt;

use arbitrary::{Arbitrary, Unstructured};

/// A value type, as both engines know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
}

/// A Wasm value. Floats are bit patterns; references are reduced to what
/// is comparable across engines: a function reference to whether it is
/// null (as an argument: which exported function it is), an extern
/// reference to the host number it carries.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Value {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    /// `None` is null. As an argument, `Some(i)` is the `i`-th exported
    /// function (modulo their number); as a result, `Some(0)` stands for
    /// any non-null function.
    FuncRef(Option<u32>),
    /// `None` is null, `Some(n)` a host reference carrying `n`.
    ExternRef(Option<u32>),
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::I32(v) => write!(f, "i32:{v}"),
            Value::I64(v) => write!(f, "i64:{v}"),
            Value::F32(bits) => write!(f, "f32:{}({bits:#010x})", f32::from_bits(bits)),
            Value::F64(bits) => write!(f, "f64:{}({bits:#018x})", f64::from_bits(bits)),
            Value::V128(v) => write!(f, "v128:{v:#034x}"),
            Value::FuncRef(None) => write!(f, "funcref:null"),
            Value::FuncRef(Some(_)) => write!(f, "funcref:func"),
            Value::ExternRef(None) => write!(f, "externref:null"),
            Value::ExternRef(Some(n)) => write!(f, "externref:{n}"),
        }
    }
}

impl Value {
    /// The zero value (or null) of `kind`.
    pub fn default_for(kind: Kind) -> Value {
        match kind {
            Kind::I32 => Value::I32(0),
            Kind::I64 => Value::I64(0),
            Kind::F32 => Value::F32(0),
            Kind::F64 => Value::F64(0),
            Kind::V128 => Value::V128(0),
            Kind::FuncRef => Value::FuncRef(None),
            Kind::ExternRef => Value::ExternRef(None),
        }
    }

    /// An arbitrary value of `kind`, biased toward the edge cases that make
    /// code trap or branch differently.
    pub fn arbitrary_of(kind: Kind, u: &mut Unstructured<'_>) -> arbitrary::Result<Value> {
        let special = u8::arbitrary(u)? % 4 == 0;
        Ok(match kind {
            Kind::I32 if special => {
                Value::I32(*u.choose(&[0, 1, -1, i32::MIN, i32::MAX, 65536, 65535])?)
            }
            Kind::I32 => Value::I32(i32::arbitrary(u)?),
            Kind::I64 if special => {
                Value::I64(*u.choose(&[0, 1, -1, i64::MIN, i64::MAX, 1 << 32, 65536])?)
            }
            Kind::I64 => Value::I64(i64::arbitrary(u)?),
            Kind::F32 if special => Value::F32(*u.choose(&[
                0,
                0x8000_0000,
                f32::NAN.to_bits(),
                f32::INFINITY.to_bits(),
                f32::NEG_INFINITY.to_bits(),
                2147483648.0f32.to_bits(),
                (-2147483904.0f32).to_bits(),
            ])?),
            Kind::F32 => Value::F32(u32::arbitrary(u)?),
            Kind::F64 if special => Value::F64(*u.choose(&[
                0,
                0x8000_0000_0000_0000,
                f64::NAN.to_bits(),
                f64::INFINITY.to_bits(),
                f64::NEG_INFINITY.to_bits(),
                9223372036854775808.0f64.to_bits(),
                (-2147483649.0f64).to_bits(),
            ])?),
            Kind::F64 => Value::F64(u64::arbitrary(u)?),
            Kind::V128 => Value::V128(u128::arbitrary(u)?),
            Kind::FuncRef => Value::FuncRef(Option::<u32>::arbitrary(u)?),
            Kind::ExternRef => Value::ExternRef(Option::<u32>::arbitrary(u)?),
        })
    }

    /// The value with everything a result comparison must ignore erased:
    /// which function a non-null function reference is and, unless
    /// `exact_nans`, the sign and payload of a NaN (which the spec leaves
    /// open for arithmetic results).
    pub fn comparable(self, exact_nans: bool) -> Value {
        match self {
            Value::FuncRef(Some(_)) => Value::FuncRef(Some(0)),
            Value::F32(bits) if !exact_nans && f32::from_bits(bits).is_nan() => {
                Value::F32(0x7fc0_0000)
            }
            Value::F64(bits) if !exact_nans && f64::from_bits(bits).is_nan() => {
                Value::F64(0x7ff8_0000_0000_0000)
            }
            v => v,
        }
    }
}

/// Arbitrary arguments for a function taking `params`.
pub fn arbitrary_args(params: &[Kind], u: &mut Unstructured<'_>) -> arbitrary::Result<Vec<Value>> {
    params.iter().map(|&k| Value::arbitrary_of(k, u)).collect()
}

/// Why a call (or instantiation) trapped, in the categories both engines
/// agree on. The spec's "undefined element" (`call_indirect` past the end
/// of the table) and "out of bounds table access" are one category: the
/// reference engine reports both the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapKind {
    Unreachable,
    MemoryOutOfBounds,
    TableOutOfBounds,
    UninitializedElement,
    BadSignature,
    IntegerOverflow,
    IntegerDivisionByZero,
    BadConversionToInteger,
    /// A trap the categories above do not cover, by the engine's own name.
    Other(String),
}

/// How a call or an instantiation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It returned these results (instantiation: none).
    Returned(Vec<Value>),
    /// It trapped.
    Trapped(TrapKind),
    /// The engine's call depth or stack limit was hit. Engines set these
    /// limits differently, so such runs are not compared.
    StackExhausted,
    /// The engine's fuel ran out. Engines count fuel differently, so such
    /// runs are not compared (except between Ember's tiers).
    OutOfFuel,
    /// A memory or table could not be created or grown for lack of host
    /// resources (not a Wasm-visible `-1` from `memory.grow`).
    Resource,
    /// The engine does not support something in the module
    /// (`ErrorKind::Unsupported` / `Limit` in Ember, a compile error in the
    /// reference engine).
    Unsupported(String),
    /// Any other error, by message.
    Failed(String),
}

impl Outcome {
    /// Whether a run that ended like this says nothing about correctness,
    /// so that the rest of the run is not compared.
    pub fn is_inconclusive(&self) -> bool {
        matches!(
            self,
            Outcome::StackExhausted
                | Outcome::OutOfFuel
                | Outcome::Resource
                | Outcome::Unsupported(_)
        )
    }

    /// The outcome with engine-specific details (error messages) erased;
    /// see [`Value::comparable`].
    pub fn comparable(&self, exact_nans: bool) -> Outcome {
        match self {
            Outcome::Returned(values) => {
                Outcome::Returned(values.iter().map(|v| v.comparable(exact_nans)).collect())
            }
            Outcome::Failed(_) => Outcome::Failed(String::new()),
            Outcome::Unsupported(_) => Outcome::Unsupported(String::new()),
            other => other.clone(),
        }
    }
}

/// What an instance's exported state looks like after a run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// Exported globals by export name.
    pub globals: BTreeMap<String, Value>,
    /// Exported memories by export name: their bytes.
    pub memories: BTreeMap<String, Vec<u8>>,
    /// Exported tables by export name: each element's comparable value.
    pub tables: BTreeMap<String, Vec<Value>>,
}

impl Snapshot {
    /// The snapshot with engine-specific details erased; see
    /// [`Value::comparable`]. Memory bytes are always compared exactly.
    pub fn comparable(&self, exact_nans: bool) -> Snapshot {
        Snapshot {
            globals: self
                .globals
                .iter()
                .map(|(k, v)| (k.clone(), v.comparable(exact_nans)))
                .collect(),
            memories: self.memories.clone(),
            tables: self
                .tables
                .iter()
                .map(|(k, v)| {
                    let elements = v.iter().map(|v| v.comparable(exact_nans)).collect();
                    (k.clone(), elements)
                })
                .collect(),
        }
    }

    /// A short description of where two snapshots first differ.
    pub fn first_difference(&self, other: &Snapshot) -> Option<String> {
        if self.globals != other.globals {
            for (name, value) in &self.globals {
                if other.globals.get(name) != Some(value) {
                    return Some(format!(
                        "global `{name}`: {value:?} vs {:?}",
                        other.globals.get(name)
                    ));
                }
            }
            return Some(format!(
                "globals: {:?} vs {:?}",
                self.globals.keys().collect::<Vec<_>>(),
                other.globals.keys().collect::<Vec<_>>()
            ));
        }
        for (name, bytes) in &self.memories {
            let Some(theirs) = other.memories.get(name) else {
                return Some(format!("memory `{name}` missing"));
            };
            if bytes.len() != theirs.len() {
                return Some(format!(
                    "memory `{name}`: {} vs {} bytes",
                    bytes.len(),
                    theirs.len()
                ));
            }
            if let Some(at) = bytes.iter().zip(theirs).position(|(a, b)| a != b) {
                return Some(format!(
                    "memory `{name}` at {at:#x}: {:#04x} vs {:#04x}",
                    bytes[at], theirs[at]
                ));
            }
        }
        if self.memories.len() != other.memories.len() {
            return Some("different exported memories".into());
        }
        if self.tables != other.tables {
            for (name, elements) in &self.tables {
                let theirs = other.tables.get(name);
                if theirs != Some(elements) {
                    return Some(format!("table `{name}`: {elements:?} vs {theirs:?}"));
                }
            }
            return Some("different exported tables".into());
        }
        None
    }
}

/// An exported function as a run sees it: its name and signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFunc {
    pub name: String,
    pub params: Vec<Kind>,
    pub results: Vec<Kind>,
}
