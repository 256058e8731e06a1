//! Every scalar instruction compiled by `X64Backend`, checked against
//! Ember's interpreter on edge-case inputs: the same result bits (any NaN
//! for a NaN), or the same trap.

mod native;

use ember_core::jit::{CompileEnv, STATUS_OK, trap_of_status};
use ember_core::{Linker, Store, Val, ValType};
use native::{Code, Ctx, Event};

const I32: &[i32] = &[
    0,
    1,
    -1,
    2,
    7,
    -8,
    31,
    32,
    33,
    0x1234_5678,
    i32::MIN,
    i32::MAX,
];
const I64: &[i64] = &[
    0,
    1,
    -1,
    3,
    63,
    64,
    65,
    -1_000_000_007,
    0x1234_5678_9abc_def0,
    0xffff_ffff,
    i64::MIN,
    i64::MAX,
];
const F32: &[f32] = &[
    0.0,
    -0.0,
    1.5,
    -2.5,
    0.5,
    3.5,
    -0.75,
    2147483648.0,
    -2147483648.0,
    -2147483904.0,
    4294967296.0,
    4294967040.0,
    9.223372e18,
    -9.223372e18,
    1.8446744e19,
    1e30,
    f32::NAN,
    f32::INFINITY,
    f32::NEG_INFINITY,
    f32::MIN_POSITIVE,
];
const F64: &[f64] = &[
    0.0,
    -0.0,
    1.5,
    -2.5,
    2.5,
    -0.999,
    2147483647.9,
    2147483648.0,
    -2147483648.9,
    -2147483649.0,
    4294967295.5,
    4294967296.0,
    9.223372036854775e18,
    9.223372036854776e18,
    -9.223372036854776e18,
    18446744073709549568.0,
    1.8446744073709552e19,
    1e300,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    4503599627370497.0,
];

fn values(ty: ValType) -> Vec<Val> {
    match ty {
        ValType::I32 => I32.iter().map(|&v| Val::I32(v)).collect(),
        ValType::I64 => I64.iter().map(|&v| Val::I64(v)).collect(),
        ValType::F32 => F32.iter().map(|&v| Val::F32(v.to_bits())).collect(),
        ValType::F64 => F64.iter().map(|&v| Val::F64(v.to_bits())).collect(),
        _ => unreachable!(),
    }
}

fn bits(v: &Val) -> u64 {
    match *v {
        Val::I32(x) => x as u32 as u64,
        Val::I64(x) => x as u64,
        Val::F32(x) => x as u64,
        Val::F64(x) => x,
        _ => unreachable!(),
    }
}

fn is_nan(ty: ValType, bits: u64) -> bool {
    match ty {
        ValType::F32 => f32::from_bits(bits as u32).is_nan(),
        ValType::F64 => f64::from_bits(bits).is_nan(),
        _ => false,
    }
}

fn name(ty: ValType) -> &'static str {
    match ty {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        _ => unreachable!(),
    }
}

/// A test function: its parameters, result and body.
struct Case {
    params: Vec<ValType>,
    result: ValType,
    body: String,
}

fn case(params: &[ValType], result: ValType, body: impl Into<String>) -> Case {
    Case {
        params: params.to_vec(),
        result,
        body: body.into(),
    }
}

/// Runs every case on every combination of edge values (for up to two
/// parameters) in both tiers.
fn check(cases: &[Case]) {
    let mut wat = String::from("(module\n");
    for (i, c) in cases.iter().enumerate() {
        let params: Vec<&str> = c.params.iter().map(|&t| name(t)).collect();
        wat += &format!(
            "(func (export \"f{i}\") (param {}) (result {}) {})\n",
            params.join(" "),
            name(c.result),
            c.body
        );
    }
    wat += ")";
    let module = native::module(&wat, false);
    let engine = module.engine().clone();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .expect("instantiates");
    for (i, c) in cases.iter().enumerate() {
        let code = Code::of(&module, i as u32, CompileEnv::new(i as u32));
        let func = instance.get_func(&store, &format!("f{i}")).unwrap();
        let mut inputs: Vec<Vec<Val>> = vec![vec![]];
        for &ty in &c.params {
            inputs = inputs
                .into_iter()
                .flat_map(|prefix| {
                    values(ty).into_iter().map(move |v| {
                        let mut p = prefix.clone();
                        p.push(v);
                        p
                    })
                })
                .collect();
        }
        for params in inputs {
            let mut expected = [Val::I32(0)];
            let interp = func.call(&mut store, &params, &mut expected);
            let mut ctx = Ctx::new(0, code.ir.frame_slots as usize + 8);
            for (slot, p) in params.iter().enumerate() {
                ctx.slots[slot] = bits(p);
            }
            native::take_events();
            let status = code.call(&mut ctx, 0);
            let what = format!("{} on {params:?}", c.body);
            match interp {
                Ok(()) => {
                    assert_eq!(status, STATUS_OK, "{what}");
                    let (want, got) = (bits(&expected[0]), ctx.slots[0]);
                    if !(is_nan(c.result, want) && is_nan(c.result, got)) {
                        assert_eq!(got, want, "{what}: got {got:#x}, want {want:#x}");
                    }
                }
                Err(e) => {
                    assert_eq!(trap_of_status(status), e.trap_code(), "{what}");
                    let events = native::take_events();
                    assert!(
                        matches!(events[..], [Event::Unwind { func, .. }] if func == i as u32),
                        "{what}: {events:?}"
                    );
                }
            }
        }
    }
}

const BINARY_INT: &[&str] = &[
    "add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s",
    "shr_u", "rotl", "rotr",
];
const COMPARE_INT: &[&str] = &[
    "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
];

#[test]
fn integer_binary_and_compare() {
    use ValType::{I32 as T32, I64 as T64};
    let mut cases = Vec::new();
    for (t, ty) in [("i32", T32), ("i64", T64)] {
        for op in BINARY_INT {
            let body = format!("local.get 0 local.get 1 {t}.{op}");
            cases.push(case(&[ty, ty], ty, body));
            // The result replaces an operand (computed in place).
            let body = format!("local.get 0 local.get 1 {t}.{op} local.set 0 local.get 0");
            cases.push(case(&[ty, ty], ty, body));
            let body = format!("local.get 0 local.get 1 {t}.{op} local.set 1 local.get 1");
            cases.push(case(&[ty, ty], ty, body));
            let body = format!("local.get 0 local.get 0 {t}.{op}");
            cases.push(case(&[ty, ty], ty, body));
        }
        for op in COMPARE_INT {
            let body = format!("local.get 0 local.get 1 {t}.{op}");
            cases.push(case(&[ty, ty], T32, body));
            // Fused with a branch.
            let body = format!(
                "(block (br_if 0 ({t}.{op} (local.get 0) (local.get 1)))) i32.const 5 \
                 (if (result i32) ({t}.{op} (local.get 0) (local.get 1)) \
                 (then (i32.const 7)) (else (i32.const 9))) i32.add"
            );
            cases.push(case(&[ty, ty], T32, body));
        }
    }
    check(&cases);
}

#[test]
fn integer_immediates() {
    use ValType::{I32 as T32, I64 as T64};
    let imms: &[i64] = &[
        0,
        1,
        -1,
        2,
        3,
        8,
        31,
        32,
        33,
        63,
        64,
        1024,
        -7,
        0x7fff_ffff,
        -0x8000_0000,
        0x8000_0000,
    ];
    let mut cases = Vec::new();
    for (t, ty) in [("i32", T32), ("i64", T64)] {
        for &imm in imms {
            for op in BINARY_INT {
                let body = format!("local.get 0 {t}.const {imm} {t}.{op}");
                cases.push(case(&[ty], ty, body));
                let body = format!("local.get 0 {t}.const {imm} {t}.{op} local.set 0 local.get 0");
                cases.push(case(&[ty], ty, body));
            }
            for op in COMPARE_INT {
                let body = format!("local.get 0 {t}.const {imm} {t}.{op}");
                cases.push(case(&[ty], T32, body));
                let body = format!(
                    "(if (result i32) ({t}.{op} (local.get 0) ({t}.const {imm})) \
                     (then (i32.const 7)) (else (i32.const 9)))"
                );
                cases.push(case(&[ty], T32, body));
            }
        }
    }
    check(&cases);
}

#[test]
fn integer_unary_and_conversions() {
    use ValType::{I32 as T32, I64 as T64};
    let mut cases = Vec::new();
    for op in ["clz", "ctz", "popcnt", "extend8_s", "extend16_s"] {
        cases.push(case(&[T32], T32, format!("local.get 0 i32.{op}")));
        cases.push(case(&[T64], T64, format!("local.get 0 i64.{op}")));
    }
    cases.push(case(&[T32], T32, "local.get 0 i32.eqz"));
    cases.push(case(&[T64], T32, "local.get 0 i64.eqz"));
    cases.push(case(&[T64], T64, "local.get 0 i64.extend32_s"));
    cases.push(case(&[T64], T32, "local.get 0 i32.wrap_i64"));
    cases.push(case(&[T32], T64, "local.get 0 i64.extend_i32_s"));
    cases.push(case(&[T32], T64, "local.get 0 i64.extend_i32_u"));
    cases.push(case(
        &[T32, T32],
        T32,
        "(select (local.get 0) (local.get 1) (i32.and (local.get 0) (i32.const 4)))",
    ));
    cases.push(case(
        &[T64, T32],
        T64,
        "(select (i64.const 5) (local.get 0) (local.get 1))",
    ));
    check(&cases);
}

#[test]
fn float_arithmetic_and_compare() {
    use ValType::{F32 as TF32, F64 as TF64, I32 as T32};
    let mut cases = Vec::new();
    for (t, ty) in [("f32", TF32), ("f64", TF64)] {
        for op in ["add", "sub", "mul", "div", "min", "max", "copysign"] {
            cases.push(case(
                &[ty, ty],
                ty,
                format!("local.get 0 local.get 1 {t}.{op}"),
            ));
            let body = format!("local.get 0 local.get 1 {t}.{op} local.set 1 local.get 1");
            cases.push(case(&[ty, ty], ty, body));
        }
        for op in ["eq", "ne", "lt", "gt", "le", "ge"] {
            cases.push(case(
                &[ty, ty],
                T32,
                format!("local.get 0 local.get 1 {t}.{op}"),
            ));
        }
        for op in ["abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"] {
            cases.push(case(&[ty], ty, format!("local.get 0 {t}.{op}")));
            // From a register: the operand is the result of an addition.
            let body = format!("local.get 0 local.get 0 {t}.add {t}.{op}");
            cases.push(case(&[ty], ty, body));
        }
    }
    check(&cases);
}

#[test]
fn float_conversions() {
    use ValType::{F32 as TF32, F64 as TF64, I32 as T32, I64 as T64};
    let mut cases = Vec::new();
    for (i, it) in [("i32", T32), ("i64", T64)] {
        for (f, ft) in [("f32", TF32), ("f64", TF64)] {
            for sign in ["s", "u"] {
                cases.push(case(&[ft], it, format!("local.get 0 {i}.trunc_{f}_{sign}")));
                cases.push(case(
                    &[ft],
                    it,
                    format!("local.get 0 {i}.trunc_sat_{f}_{sign}"),
                ));
                cases.push(case(
                    &[it],
                    ft,
                    format!("local.get 0 {f}.convert_{i}_{sign}"),
                ));
            }
        }
    }
    cases.push(case(&[TF64], TF32, "local.get 0 f32.demote_f64"));
    cases.push(case(&[TF32], TF64, "local.get 0 f64.promote_f32"));
    cases.push(case(&[TF32], T32, "local.get 0 i32.reinterpret_f32"));
    cases.push(case(&[TF64], T64, "local.get 0 i64.reinterpret_f64"));
    cases.push(case(&[T32], TF32, "local.get 0 f32.reinterpret_i32"));
    cases.push(case(
        &[TF32, TF32],
        T32,
        "local.get 0 local.get 1 f32.add i32.reinterpret_f32",
    ));
    cases.push(case(&[T64], TF64, "local.get 0 f64.reinterpret_i64"));
    check(&cases);
}

/// More live values than registers: the cache must evict and reload.
#[test]
fn register_pressure() {
    use ValType::{F64 as TF64, I64 as T64};
    let mut int = String::from("(local $a i64) (local $b i64)");
    let mut float = String::new();
    for k in 0..20 {
        int += &format!(
            " local.get 0 i64.const {} i64.mul local.get 1 i64.xor",
            k * 7 + 1
        );
        float += &format!(" local.get 0 f64.const {k}.25 f64.mul local.get 1 f64.add");
    }
    for _ in 0..19 {
        int += " i64.add";
        float += " f64.sub";
    }
    check(&[
        case(&[T64, T64], T64, int),
        case(&[TF64, TF64], TF64, float),
    ]);
}

/// Loops: their hot locals are pinned to registers across blocks.
#[test]
fn loops_with_pinned_locals() {
    use ValType::{F32 as TF32, F64 as TF64, I32 as T32, I64 as T64};
    let int_loop = "(local $i i32) (local $s i64) (local $t i64)
        (loop $l
          (local.set $s (i64.xor (local.get $s)
            (i64.mul (i64.extend_i32_u (local.get $i)) (local.get 1))))
          (local.set $t (i64.add (local.get $t) (i64.rotl (local.get $s) (i64.const 7))))
          (if (i32.and (local.get $i) (i32.const 1))
            (then (local.set $s (i64.div_u (local.get $s) (i64.const 3)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.and (local.get 0) (i32.const 63)))))
        (i64.add (local.get $s) (local.get $t))";
    let float_loop = "(local $i i32) (local $acc f64) (local $m f32)
        (loop $l
          (local.set $acc (f64.add (f64.mul (local.get $acc) (f64.const 1.0001))
            (f64.convert_i32_s (local.get $i))))
          (local.set $m (f32.max (local.get $m) (f32.demote_f64 (f64.sqrt (local.get $acc)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.and (local.get 0) (i32.const 63)))))
        (f64.add (local.get $acc) (f64.promote_f32 (local.get $m)))";
    let mixed_loop = "(local $i i32) (local $x f32)
        (local.set $x (local.get 1))
        (block $done (loop $l
          (br_if $done (i32.ge_u (local.get $i) (i32.const 20)))
          (local.set $x (f32.add (local.get $x)
            (f32.reinterpret_i32 (i32.and (i32.reinterpret_f32 (local.get $x)) (i32.const 0x807fffff)))))
          (local.set $i (i32.add (local.get $i) (i32.trunc_sat_f32_s (f32.abs (local.get $x)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
        (local.get $x)";
    check(&[
        case(&[T32, T64], T64, int_loop),
        case(&[T32, TF64], TF64, float_loop),
        case(&[T32, TF32], TF32, mixed_loop),
    ]);
}

/// The natively compiled SIMD operations (the harness's helper does not
/// run instructions), on vectors built from two i64 parameters, folded
/// back to an i64.
#[test]
fn simd_operations() {
    use ValType::I64 as T64;
    let binary = [
        "v128.and",
        "v128.or",
        "v128.xor",
        "v128.andnot",
        "i8x16.add",
        "i16x8.add",
        "i32x4.add",
        "i64x2.add",
        "i8x16.sub",
        "i16x8.sub",
        "i32x4.sub",
        "i64x2.sub",
        "i8x16.add_sat_s",
        "i8x16.add_sat_u",
        "i8x16.sub_sat_s",
        "i8x16.sub_sat_u",
        "i16x8.add_sat_s",
        "i16x8.add_sat_u",
        "i16x8.sub_sat_s",
        "i16x8.sub_sat_u",
        "i16x8.mul",
        "i32x4.mul",
        "i8x16.min_s",
        "i8x16.min_u",
        "i8x16.max_s",
        "i8x16.max_u",
        "i16x8.min_s",
        "i16x8.min_u",
        "i16x8.max_s",
        "i16x8.max_u",
        "i32x4.min_s",
        "i32x4.min_u",
        "i32x4.max_s",
        "i32x4.max_u",
        "i8x16.avgr_u",
        "i16x8.avgr_u",
        "i32x4.dot_i16x8_s",
        "i8x16.narrow_i16x8_s",
        "i8x16.narrow_i16x8_u",
        "i16x8.narrow_i32x4_s",
        "i16x8.narrow_i32x4_u",
        "i8x16.eq",
        "i16x8.eq",
        "i32x4.eq",
        "i8x16.gt_s",
        "i16x8.gt_s",
        "i32x4.gt_s",
        "i8x16.lt_s",
        "i16x8.lt_s",
        "i32x4.lt_s",
        "f32x4.add",
        "f32x4.sub",
        "f32x4.mul",
        "f32x4.div",
        "f64x2.add",
        "f64x2.sub",
        "f64x2.mul",
        "f64x2.div",
        "f32x4.pmin",
        "f32x4.pmax",
        "f64x2.pmin",
        "f64x2.pmax",
        "i16x8.extmul_low_i8x16_s",
        "i16x8.extmul_high_i8x16_u",
        "i32x4.extmul_low_i16x8_u",
        "i32x4.extmul_high_i16x8_s",
        "i8x16.shuffle 0 17 2 19 4 21 6 23 31 30 29 28 27 26 25 24",
    ];
    let unary = [
        "v128.not",
        "i16x8.extend_low_i8x16_s",
        "i16x8.extend_high_i8x16_u",
        "i32x4.extend_low_i16x8_u",
        "i32x4.extend_high_i16x8_s",
        "i64x2.extend_low_i32x4_s",
        "i64x2.extend_high_i32x4_u",
        "i16x8.shl 3",
        "i16x8.shr_u 17",
        "i16x8.shr_s 15",
        "i32x4.shl 33",
        "i32x4.shr_u 1",
        "i32x4.shr_s 31",
        "i64x2.shl 63",
        "i64x2.shr_u 64",
    ];
    // v = [a, b] as i64x2 (b in lane 1); the result folds both lanes.
    let vector = "(i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1))";
    let fold = |v: String| {
        format!(
            "(local.set $v {v}) (i64.xor (i64x2.extract_lane 0 (local.get $v)) \
             (i64.rotl (i64x2.extract_lane 1 (local.get $v)) (i64.const 17)))"
        )
    };
    let mut cases = Vec::new();
    for op in binary {
        let other = "(i32x4.replace_lane 2 (i8x16.splat (i32.wrap_i64 (local.get 1))) \
                     (i32.wrap_i64 (local.get 0)))";
        let (name, imm) = op.split_once(' ').unwrap_or((op, ""));
        let body = fold(format!("({name} {imm} {vector} {other})"));
        cases.push(case(&[T64, T64], T64, format!("(local $v v128) {body}")));
    }
    for op in unary {
        let body = match op.split_once(' ') {
            Some((name, count)) => fold(format!("({name} {vector} (i32.const {count}))")),
            None => fold(format!("({op} {vector})")),
        };
        cases.push(case(&[T64, T64], T64, format!("(local $v v128) {body}")));
    }
    // Lanes out and in.
    let lanes = "(local $v v128)
        (local.set $v (i16x8.replace_lane 5 (i8x16.replace_lane 9 (i32x4.splat
          (i32.wrap_i64 (local.get 0))) (i32.wrap_i64 (local.get 1))) (i32.const -3)))
        (i64.add (i64.extend_i32_s (i8x16.extract_lane_s 9 (local.get $v)))
          (i64.add (i64.extend_i32_u (i16x8.extract_lane_u 5 (local.get $v)))
            (i64.add (i64.extend_i32_s (i16x8.extract_lane_s 1 (local.get $v)))
              (i64.extend_i32_u (i8x16.extract_lane_u 3 (local.get $v))))))";
    cases.push(case(&[T64, T64], T64, lanes));
    cases.push(case(
        &[T64, T64],
        T64,
        fold(
            "(i16x8.add (i16x8.splat (i32.wrap_i64 (local.get 0))) (i64x2.splat (local.get 1)))"
                .into(),
        )
        .replace("(local.set", "(local $v v128) (local.set"),
    ));
    check(&cases);
}
