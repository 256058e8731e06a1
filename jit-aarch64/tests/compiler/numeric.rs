//! Numeric instructions: every function of a module runs on a grid of
//! edge-case operands in the interpreter and in native code, and the
//! results (or trap kinds) must match bit for bit (NaNs: both NaN).

use ember_core::jit::{CompileEnv, trap_of_status};
use ember_core::{Engine, Linker, Module, Store, Val, ValType};

use crate::harness::{Machine, compile};

fn i32_values() -> Vec<u64> {
    [
        0,
        1,
        2,
        7,
        31,
        32,
        33,
        -1,
        -2,
        -7,
        i32::MIN,
        i32::MAX,
        0x1234_5678,
        100_000,
    ]
    .iter()
    .map(|&v: &i32| u64::from(v as u32))
    .collect()
}

fn i64_values() -> Vec<u64> {
    [
        0,
        1,
        2,
        7,
        63,
        64,
        65,
        -1,
        -2,
        -7,
        i64::MIN,
        i64::MAX,
        i64::from(i32::MIN),
        0x1234_5678_9abc_def0,
        1 << 32,
    ]
    .iter()
    .map(|&v: &i64| v as u64)
    .collect()
}

fn f32_values() -> Vec<u64> {
    [
        0.0f32,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        -0.99,
        f32::NAN,
        -f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        2147483648.0,
        -2147483648.0,
        -2147483904.0,
        4294967296.0,
        4294967040.0,
        9.223372e18,
        -9.223372e18,
        1.8446743e19,
        1e-40,
    ]
    .iter()
    .map(|v| u64::from(v.to_bits()))
    .collect()
}

fn f64_values() -> Vec<u64> {
    [
        0.0f64,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        -0.99,
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        2147483647.9,
        2147483648.0,
        -2147483648.9,
        -2147483649.0,
        4294967295.9,
        4294967296.0,
        9223372036854774784.0,
        9223372036854775808.0,
        -9223372036854775808.0,
        -9223372036854777856.0,
        18446744073709549568.0,
        18446744073709551616.0,
        1e-310,
        std::f64::consts::PI,
    ]
    .iter()
    .map(|v| v.to_bits())
    .collect()
}

fn values(ty: &ValType) -> Vec<u64> {
    match ty {
        ValType::I32 => i32_values(),
        ValType::I64 => i64_values(),
        ValType::F32 => f32_values(),
        ValType::F64 => f64_values(),
        other => panic!("no test values for {other:?}"),
    }
}

fn to_val(ty: &ValType, raw: u64) -> Val {
    match ty {
        ValType::I32 => Val::I32(raw as u32 as i32),
        ValType::I64 => Val::I64(raw as i64),
        ValType::F32 => Val::F32(raw as u32),
        ValType::F64 => Val::F64(raw),
        other => panic!("no test values for {other:?}"),
    }
}

fn from_val(val: &Val) -> u64 {
    match *val {
        Val::I32(v) => u64::from(v as u32),
        Val::I64(v) => v as u64,
        Val::F32(v) => u64::from(v),
        Val::F64(v) => v,
        ref other => panic!("unexpected result {other:?}"),
    }
}

fn is_nan(ty: &ValType, raw: u64) -> bool {
    match ty {
        ValType::F32 => f32::from_bits(raw as u32).is_nan(),
        ValType::F64 => f64::from_bits(raw).is_nan(),
        _ => false,
    }
}

/// Runs every exported function of `wat` (one or two parameters, one
/// result) on all operand combinations in both tiers.
fn check_against_interpreter(wat: &str) {
    let compiled = compile(wat, CompileEnv::new(0));
    let engine = Engine::default();
    let module = Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let mut machine = Machine::new(&compiled);
    let exports: Vec<String> = module.exports().map(|(name, _)| name.to_string()).collect();
    let mut checked = 0;
    for (index, name) in exports.iter().enumerate() {
        let func = instance.get_func(&store, name).unwrap();
        let ty = func.ty(&store);
        let params: Vec<ValType> = ty.params().to_vec();
        let result = ty.results()[0].clone();
        let grids: Vec<Vec<u64>> = params.iter().map(values).collect();
        let mut combos: Vec<Vec<u64>> = vec![vec![]];
        for grid in &grids {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    grid.iter().map(move |&v| {
                        let mut c = c.clone();
                        c.push(v);
                        c
                    })
                })
                .collect();
        }
        for args in combos {
            let vals: Vec<Val> = params
                .iter()
                .zip(&args)
                .map(|(t, &a)| to_val(t, a))
                .collect();
            let mut out = [Val::I32(0)];
            let expected = func
                .call(&mut store, &vals, &mut out)
                .map(|()| from_val(&out[0]))
                .map_err(|e| e.trap_code().expect("a trap"));
            let (status, slots) = machine.call(&compiled, index, &args);
            let actual = match status {
                0 => Ok(slots[0]),
                _ => Err(trap_of_status(status).expect("a trap status")),
            };
            let same = match (&expected, &actual) {
                (Ok(e), Ok(a)) => e == a || (is_nan(&result, *e) && is_nan(&result, *a)),
                _ => expected == actual,
            };
            assert!(
                same,
                "{name}{args:x?}: interpreter {expected:x?}, native {actual:x?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

macro_rules! ops {
    ($ty:literal, $sig:literal, $($op:literal),*) => {
        concat!($("(func (export \"", $op, "\") ", $sig, " (", $ty, ".", $op, " (local.get 0) (local.get 1)))\n"),*)
    };
}

macro_rules! unops {
    ($ty:literal, $sig:literal, $($op:literal),*) => {
        concat!($("(func (export \"", $ty, ".", $op, "\") ", $sig, " (", $ty, ".", $op, " (local.get 0)))\n"),*)
    };
}

const I32_BINARY: &[&str] = &[
    "add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s",
    "shr_u", "rotl", "rotr", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s",
    "ge_u",
];

fn module(funcs: &str) -> String {
    format!("(module {funcs})")
}

#[test]
fn i32_binary_operations() {
    check_against_interpreter(&module(ops!(
        "i32",
        "(param i32 i32) (result i32)",
        "add",
        "sub",
        "mul",
        "div_s",
        "div_u",
        "rem_s",
        "rem_u",
        "and",
        "or",
        "xor",
        "shl",
        "shr_s",
        "shr_u",
        "rotl",
        "rotr",
        "eq",
        "ne",
        "lt_s",
        "lt_u",
        "gt_s",
        "gt_u",
        "le_s",
        "le_u",
        "ge_s",
        "ge_u"
    )));
}

#[test]
fn i32_operations_with_immediates() {
    let sig = "(param i32) (result i32)";
    let mut funcs = String::new();
    for imm in [
        "0",
        "1",
        "-1",
        "5",
        "4095",
        "4096",
        "-4096",
        "0x12345",
        "0x7fffffff",
        "0x80000000",
        "33",
    ] {
        for op in I32_BINARY {
            funcs += &format!(
                "(func (export \"{op}_{imm}\") {sig} (i32.{op} (local.get 0) (i32.const {imm})))\n"
            );
        }
    }
    check_against_interpreter(&module(&funcs));
}

#[test]
fn i64_operations() {
    let mut funcs = String::from(ops!(
        "i64",
        "(param i64 i64) (result i64)",
        "add",
        "sub",
        "mul",
        "div_s",
        "div_u",
        "rem_s",
        "rem_u",
        "and",
        "or",
        "xor",
        "shl",
        "shr_s",
        "shr_u",
        "rotl",
        "rotr"
    ));
    funcs += ops!(
        "i64",
        "(param i64 i64) (result i32)",
        "eq",
        "ne",
        "lt_s",
        "lt_u",
        "gt_s",
        "gt_u",
        "le_s",
        "le_u",
        "ge_s",
        "ge_u"
    );
    for imm in ["0", "-1", "7", "4096", "-5000", "0x7fffffff", "-0x80000000"] {
        for op in [
            "add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl",
            "shr_s", "shr_u", "rotl", "rotr",
        ] {
            funcs += &format!(
                "(func (export \"{op}_{imm}\") (param i64) (result i64) (i64.{op} (local.get 0) (i64.const {imm})))\n"
            );
        }
    }
    check_against_interpreter(&module(&funcs));
}

#[test]
fn integer_unary_operations() {
    let mut funcs = String::from(unops!(
        "i32",
        "(param i32) (result i32)",
        "eqz",
        "clz",
        "ctz",
        "popcnt",
        "extend8_s",
        "extend16_s"
    ));
    funcs += unops!(
        "i64",
        "(param i64) (result i64)",
        "clz",
        "ctz",
        "popcnt",
        "extend8_s",
        "extend16_s",
        "extend32_s"
    );
    funcs += r#"
        (func (export "i64.eqz") (param i64) (result i32) (i64.eqz (local.get 0)))
        (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
        (func (export "extend_s") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
        (func (export "extend_u") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
        (func (export "select") (param i64 i32) (result i64)
          (select (local.get 0) (i64.const 99) (local.get 1)))
    "#;
    check_against_interpreter(&module(&funcs));
}

#[test]
fn float_operations() {
    let mut funcs = String::new();
    for (ty, cmp) in [("f32", "i32"), ("f64", "i32")] {
        for op in ["add", "sub", "mul", "div", "min", "max", "copysign"] {
            funcs += &format!(
                "(func (export \"{ty}.{op}\") (param {ty} {ty}) (result {ty}) ({ty}.{op} (local.get 0) (local.get 1)))\n"
            );
        }
        for op in ["eq", "ne", "lt", "gt", "le", "ge"] {
            funcs += &format!(
                "(func (export \"{ty}.{op}\") (param {ty} {ty}) (result {cmp}) ({ty}.{op} (local.get 0) (local.get 1)))\n"
            );
        }
        for op in ["abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"] {
            funcs += &format!(
                "(func (export \"{ty}.{op}\") (param {ty}) (result {ty}) ({ty}.{op} (local.get 0)))\n"
            );
        }
    }
    funcs += r#"
        (func (export "demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
        (func (export "promote") (param f32) (result f64) (f64.promote_f32 (local.get 0)))
    "#;
    check_against_interpreter(&module(&funcs));
}

#[test]
fn conversions() {
    let mut funcs = String::new();
    for int in ["i32", "i64"] {
        for fp in ["f32", "f64"] {
            for sign in ["s", "u"] {
                funcs += &format!(
                    "(func (export \"{int}.trunc_{fp}_{sign}\") (param {fp}) (result {int}) ({int}.trunc_{fp}_{sign} (local.get 0)))\n\
                     (func (export \"{int}.trunc_sat_{fp}_{sign}\") (param {fp}) (result {int}) ({int}.trunc_sat_{fp}_{sign} (local.get 0)))\n\
                     (func (export \"{fp}.convert_{int}_{sign}\") (param {int}) (result {fp}) ({fp}.convert_{int}_{sign} (local.get 0)))\n"
                );
            }
        }
    }
    funcs += r#"
        (func (export "reinterpret") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
    "#;
    check_against_interpreter(&module(&funcs));
}

#[test]
fn many_live_values_spill_and_reload() {
    // More simultaneously live temporaries than cache registers.
    let mut body = String::new();
    for i in 0..24 {
        body += &format!("(i64.mul (local.get 0) (i64.const {}))\n", i + 3);
    }
    for _ in 0..23 {
        body += "(i64.add)\n";
    }
    let funcs = format!(
        "(func (export \"sum\") (param i64 i64) (result i64) {body} (i64.xor (local.get 1)))"
    );
    check_against_interpreter(&module(&funcs));
}
