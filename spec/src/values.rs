//! Values between `.wast` scripts and Ember: arguments of `invoke` become
//! [`Val`]s, and results are checked against `assert_return`'s patterns
//! (exact bits, `nan:canonical`/`nan:arithmetic`, v128 lanes, references).

use ember_core::{ExternRef, Store, V128, Val};
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

/// Converts an `invoke` argument; `externref(n)` gives the handle for
/// `(ref.extern n)`.
pub(crate) fn arg_to_val(
    arg: &WastArg<'_>,
    externref: impl FnOnce(u32) -> ExternRef,
) -> Result<Val, String> {
    let WastArg::Core(arg) = arg else {
        return Err("component-model arguments are not supported".into());
    };
    Ok(match arg {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(v) => Val::V128(V128(u128::from_le_bytes(v.to_le_bytes()))),
        WastArgCore::RefNull(heap) => match null_kind(heap)? {
            NullKind::Func => Val::FuncRef(None),
            NullKind::Extern => Val::ExternRef(None),
        },
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(externref(*n))),
        WastArgCore::RefHost(_) => {
            return Err("`ref.host` arguments need GC, which is not supported".into());
        }
    })
}

enum NullKind {
    Func,
    Extern,
}

fn null_kind(heap: &HeapType<'_>) -> Result<NullKind, String> {
    match heap {
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
        } => Ok(NullKind::Func),
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
        } => Ok(NullKind::Extern),
        other => Err(format!(
            "null references of heap type {other:?} are not supported"
        )),
    }
}

/// Checks `actual` against the expected results of an `assert_return`.
pub(crate) fn check_results(
    store: &Store<()>,
    expected: &[WastRet<'_>],
    actual: &[Val],
) -> Result<(), String> {
    if expected.len() != actual.len() {
        return Err(format!(
            "expected {} results, got {}: {}",
            expected.len(),
            actual.len(),
            describe_vals(store, actual)
        ));
    }
    for (i, (expected, actual)) in expected.iter().zip(actual).enumerate() {
        let WastRet::Core(expected) = expected else {
            return Err("component-model results are not supported".into());
        };
        if !matches(store, expected, actual)? {
            return Err(format!(
                "result {i}: expected {}, got {}",
                describe_pattern(expected),
                describe_val(store, actual)
            ));
        }
    }
    Ok(())
}

/// Whether `actual` matches the pattern; `Err` for patterns this runner
/// cannot check (they need proposals Ember does not implement).
fn matches(store: &Store<()>, expected: &WastRetCore<'_>, actual: &Val) -> Result<bool, String> {
    Ok(match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(e), Val::F32(a)) => f32_matches(e, *a),
        (WastRetCore::F64(e), Val::F64(a)) => f64_matches(e, *a),
        (WastRetCore::V128(e), Val::V128(a)) => v128_matches(e, *a),
        (WastRetCore::RefNull(None), Val::FuncRef(r)) => r.is_none(),
        (WastRetCore::RefNull(None), Val::ExternRef(r)) => r.is_none(),
        (WastRetCore::RefNull(Some(heap)), _) => match (null_kind(heap)?, actual) {
            (NullKind::Func, Val::FuncRef(r)) => r.is_none(),
            (NullKind::Extern, Val::ExternRef(r)) => r.is_none(),
            _ => false,
        },
        (WastRetCore::RefExtern(None), Val::ExternRef(r)) => r.is_some(),
        (WastRetCore::RefExtern(Some(n)), Val::ExternRef(Some(r))) => {
            r.data(store).downcast_ref::<u32>() == Some(n)
        }
        (WastRetCore::RefFunc(_), Val::FuncRef(r)) => r.is_some(),
        (WastRetCore::Either(cases), _) => {
            for case in cases {
                if matches(store, case, actual)? {
                    return Ok(true);
                }
            }
            false
        }
        (
            WastRetCore::RefHost(_)
            | WastRetCore::RefAny
            | WastRetCore::RefEq
            | WastRetCore::RefArray
            | WastRetCore::RefStruct
            | WastRetCore::RefI31
            | WastRetCore::RefI31Shared,
            _,
        ) => {
            return Err(format!(
                "result pattern {expected:?} needs GC, which is not supported"
            ));
        }
        _ => false,
    })
}

fn f32_matches(expected: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(expected: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

/// Compares lane by lane, in the pattern's lane type.
fn v128_matches(expected: &V128Pattern, actual: V128) -> bool {
    let bytes = actual.0.to_le_bytes();
    let lane = |i: usize, width: usize| -> u64 {
        let mut le = [0u8; 8];
        le[..width].copy_from_slice(&bytes[i * width..(i + 1) * width]);
        u64::from_le_bytes(le)
    };
    match expected {
        V128Pattern::I8x16(lanes) => lanes
            .iter()
            .enumerate()
            .all(|(i, &v)| lane(i, 1) == u64::from(v as u8)),
        V128Pattern::I16x8(lanes) => lanes
            .iter()
            .enumerate()
            .all(|(i, &v)| lane(i, 2) == u64::from(v as u16)),
        V128Pattern::I32x4(lanes) => lanes
            .iter()
            .enumerate()
            .all(|(i, &v)| lane(i, 4) == u64::from(v as u32)),
        V128Pattern::I64x2(lanes) => lanes
            .iter()
            .enumerate()
            .all(|(i, &v)| lane(i, 8) == v as u64),
        V128Pattern::F32x4(lanes) => lanes
            .iter()
            .enumerate()
            .all(|(i, p)| f32_matches(p, lane(i, 4) as u32)),
        V128Pattern::F64x2(lanes) => lanes
            .iter()
            .enumerate()
            .all(|(i, p)| f64_matches(p, lane(i, 8))),
    }
}

/// A value in `.wast` syntax, floats with their bits.
pub(crate) fn describe_val(store: &Store<()>, val: &Val) -> String {
    match *val {
        Val::I32(v) => format!("(i32.const {v})"),
        Val::I64(v) => format!("(i64.const {v})"),
        Val::F32(bits) => format!("(f32.const {} [0x{bits:08x}])", f32::from_bits(bits)),
        Val::F64(bits) => format!("(f64.const {} [0x{bits:016x}])", f64::from_bits(bits)),
        Val::V128(v) => {
            let lanes: Vec<String> =
                v.0.to_le_bytes()
                    .chunks(4)
                    .map(|c| format!("0x{:08x}", u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
                    .collect();
            format!("(v128.const i32x4 {})", lanes.join(" "))
        }
        Val::FuncRef(None) => "(ref.null func)".into(),
        Val::FuncRef(Some(_)) => "(ref.func)".into(),
        Val::ExternRef(None) => "(ref.null extern)".into(),
        Val::ExternRef(Some(r)) => match r.data(store).downcast_ref::<u32>() {
            Some(n) => format!("(ref.extern {n})"),
            None => "(ref.extern ?)".into(),
        },
    }
}

/// Several values, space-separated (or `nothing`).
pub(crate) fn describe_vals(store: &Store<()>, vals: &[Val]) -> String {
    if vals.is_empty() {
        return "nothing".into();
    }
    vals.iter()
        .map(|v| describe_val(store, v))
        .collect::<Vec<_>>()
        .join(" ")
}

fn describe_nan<T>(pattern: &NanPattern<T>, ty: &str, value: impl Fn(&T) -> String) -> String {
    match pattern {
        NanPattern::CanonicalNan => format!("({ty}.const nan:canonical)"),
        NanPattern::ArithmeticNan => format!("({ty}.const nan:arithmetic)"),
        NanPattern::Value(v) => format!("({ty}.const {})", value(v)),
    }
}

fn describe_pattern(pattern: &WastRetCore<'_>) -> String {
    match pattern {
        WastRetCore::I32(v) => format!("(i32.const {v})"),
        WastRetCore::I64(v) => format!("(i64.const {v})"),
        WastRetCore::F32(p) => describe_nan(p, "f32", |v| {
            format!("{} [0x{:08x}]", f32::from_bits(v.bits), v.bits)
        }),
        WastRetCore::F64(p) => describe_nan(p, "f64", |v| {
            format!("{} [0x{:016x}]", f64::from_bits(v.bits), v.bits)
        }),
        WastRetCore::V128(p) => format!("(v128.const {p:?})"),
        WastRetCore::RefNull(None) => "(ref.null)".into(),
        WastRetCore::RefNull(Some(heap)) => format!("(ref.null {heap:?})"),
        WastRetCore::RefExtern(None) => "(ref.extern)".into(),
        WastRetCore::RefExtern(Some(n)) => format!("(ref.extern {n})"),
        WastRetCore::RefFunc(_) => "(ref.func)".into(),
        WastRetCore::Either(cases) => {
            format!(
                "(either {})",
                cases
                    .iter()
                    .map(describe_pattern)
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wast::token::{F32, F64};

    #[test]
    fn nan_patterns() {
        let canonical = NanPattern::<F32>::CanonicalNan;
        let arithmetic = NanPattern::<F32>::ArithmeticNan;
        assert!(f32_matches(&canonical, 0x7fc0_0000));
        assert!(f32_matches(&canonical, 0xffc0_0000));
        assert!(!f32_matches(&canonical, 0x7fc0_0001));
        assert!(f32_matches(&arithmetic, 0x7fc0_0001));
        assert!(
            !f32_matches(&arithmetic, 0x7f80_0001),
            "signalling NaN is not arithmetic"
        );
        assert!(
            !f32_matches(&NanPattern::Value(F32 { bits: 0 }), 0x8000_0000),
            "-0 is not +0"
        );
        assert!(f64_matches(
            &NanPattern::CanonicalNan,
            0xfff8_0000_0000_0000
        ));
        assert!(!f64_matches(
            &NanPattern::CanonicalNan,
            0x7ff8_0000_0000_0001
        ));
        assert!(f64_matches(
            &NanPattern::ArithmeticNan,
            0x7ff8_0000_0000_0001
        ));
        assert!(f64_matches(&NanPattern::Value(F64 { bits: 1 }), 1));
    }

    #[test]
    fn v128_lanes_compare_in_the_pattern_type() {
        let value = V128(u128::from_le_bytes([0xff; 16]));
        assert!(v128_matches(&V128Pattern::I8x16([-1; 16]), value));
        assert!(v128_matches(&V128Pattern::I16x8([-1; 8]), value));
        assert!(v128_matches(&V128Pattern::I32x4([-1; 4]), value));
        assert!(!v128_matches(&V128Pattern::I32x4([-1, -1, -1, 0]), value));
        let nans = V128(u128::from(0x7fc0_0000u32) | u128::from(0xffc0_0000u32) << 32);
        let pattern = V128Pattern::F32x4([
            NanPattern::CanonicalNan,
            NanPattern::CanonicalNan,
            NanPattern::Value(F32 { bits: 0 }),
            NanPattern::Value(F32 { bits: 0 }),
        ]);
        assert!(v128_matches(&pattern, nans));
    }
}
