//! SIMD in the register IR and the interpreter: the shape of the translated
//! code (one instruction per operator, immediates folded) and edge cases of
//! the semantics that a user sees (saturation, NaN and signed zeros, lane
//! order, traps). The spec testsuite (`proposals/simd`) is the full oracle.

use ember_core::ir::{Instr, SimdInstr};
use ember_core::{Engine, Linker, Module, Store, TrapCode, V128};

fn module(wat: &str) -> Module {
    Module::new(&Engine::default(), wat::parse_str(wat).unwrap()).unwrap()
}

/// The code of function 0 without the trailing guard trap.
fn body_of(wat: &str) -> Vec<Instr> {
    let code = module(wat).func_ir(0).unwrap().code.to_vec();
    code[..code.len() - 1].to_vec()
}

/// Instantiates `wat` and returns its store and instance.
fn instance(wat: &str) -> (Store<()>, ember_core::Instance) {
    let module = module(wat);
    let mut store = Store::new(module.engine(), ());
    let instance = Linker::new(module.engine())
        .instantiate(&mut store, &module)
        .unwrap();
    (store, instance)
}

/// Calls the exported `(v128, v128) -> v128` function `f` of `wat`.
fn binary(wat_body: &str, a: u128, b: u128) -> u128 {
    let wat = format!(
        r#"(module (func (export "f") (param v128 v128) (result v128)
            local.get 0 local.get 1 {wat_body}))"#
    );
    let (mut store, instance) = instance(&wat);
    let f = instance
        .get_typed_func::<(V128, V128), V128>(&store, "f")
        .unwrap();
    f.call(&mut store, (V128(a), V128(b))).unwrap().0
}

/// Calls the exported `v128 -> v128` function `f` of `wat`.
fn unary(wat_body: &str, a: u128) -> u128 {
    let wat = format!(
        r#"(module (func (export "f") (param v128) (result v128)
            local.get 0 {wat_body}))"#
    );
    let (mut store, instance) = instance(&wat);
    let f = instance.get_typed_func::<V128, V128>(&store, "f").unwrap();
    f.call(&mut store, V128(a)).unwrap().0
}

fn i16x8(lanes: [i16; 8]) -> u128 {
    lanes
        .iter()
        .rev()
        .fold(0, |acc, &l| acc << 16 | l as u16 as u128)
}

fn u32x4(lanes: [u32; 4]) -> u128 {
    lanes.iter().rev().fold(0, |acc, &l| acc << 32 | l as u128)
}

// ---- IR shape ----

#[test]
fn binary_op_of_two_locals_into_a_third_is_one_instruction() {
    let code = body_of(
        r#"(module (func (param v128 v128) (local v128)
            local.get 0 local.get 1 i32x4.add local.set 2))"#,
    );
    assert_eq!(
        code,
        [
            Instr::Simd {
                op: SimdInstr::I32x4Add { dst: 4, a: 0, b: 2 }
            },
            Instr::Return {}
        ]
    );
}

#[test]
fn shift_by_a_constant_uses_the_immediate_form_modulo_the_lane_width() {
    let code = body_of(
        r#"(module (func (param v128) (result v128)
            local.get 0 i32.const 9 i8x16.shl))"#,
    );
    assert_eq!(
        code[0],
        Instr::Simd {
            op: SimdInstr::I8x16ShlImm {
                dst: 2,
                a: 0,
                imm: 1
            }
        }
    );
}

#[test]
fn splat_of_a_constant_folds_into_a_v128_constant() {
    let wat = r#"(module (func (param v128) (result v128)
        local.get 0 i32.const 7 i32x4.splat i32x4.mul))"#;
    let func = module(wat).func_ir(0).unwrap();
    assert!(
        !func
            .code
            .iter()
            .any(|i| matches!(i, Instr::Simd { op } if op.name() == "I32x4Splat")),
        "{func}"
    );
    assert!(func.consts128.contains(&0x7_0000_0007_0000_0007_0000_0007));
}

#[test]
fn shuffle_mask_and_memory_immediates_live_in_the_constant_pool() {
    let wat = r#"(module (memory 1) (func (param v128 v128 i32) (result v128)
        local.get 0 local.get 1
        i8x16.shuffle 31 0 30 1 29 2 28 3 27 4 26 5 25 6 24 7
        local.get 2 v128.load32_zero offset=70000
        v128.and))"#;
    let func = module(wat).func_ir(0).unwrap();
    let ops: Vec<SimdInstr> = func
        .code
        .iter()
        .filter_map(|i| match i {
            Instr::Simd { op } => Some(*op),
            _ => None,
        })
        .collect();
    let [
        SimdInstr::I8x16Shuffle { pool: mask, .. },
        SimdInstr::V128Load32Zero { pool: memarg, .. },
        SimdInstr::V128And { .. },
    ] = ops[..]
    else {
        panic!("unexpected code:\n{func}");
    };
    let lanes = [31, 0, 30, 1, 29, 2, 28, 3, 27, 4, 26, 5, 25, 6, 24, 7];
    assert_eq!(func.consts128[mask as usize], u128::from_le_bytes(lanes));
    assert_eq!(
        ember_core::ir::SimdMemArg::from_pool(func.consts128[memarg as usize]).offset,
        70000
    );
}

// ---- semantics ----

#[test]
fn lane_zero_is_the_lowest_address_and_the_least_significant_bits() {
    let (mut store, instance) = instance(
        r#"(module (memory (export "mem") 1)
            (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f")
            (func (export "f") (result i32)
              (i16x8.extract_lane_u 1 (v128.load (i32.const 0)))))"#,
    );
    let f = instance.get_typed_func::<(), i32>(&store, "f").unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), 0x0302);
}

#[test]
fn q15_multiply_saturates_the_one_overflowing_product() {
    let a = i16x8([i16::MIN, i16::MIN, 0x4000, -1, 1, 0, 16384, -16384]);
    let b = i16x8([i16::MIN, i16::MAX, 0x4000, -1, 1, 5, -16384, -16384]);
    assert_eq!(
        binary("i16x8.q15mulr_sat_s", a, b),
        i16x8([i16::MAX, -32767, 0x2000, 0, 0, 0, -8192, 8192])
    );
}

#[test]
fn narrowing_saturates_signed_input_to_the_unsigned_range() {
    let a = i16x8([-1, 0, 255, 256, i16::MIN, i16::MAX, 128, 7]);
    let got = binary("i8x16.narrow_i16x8_u", a, 0).to_le_bytes();
    assert_eq!(&got[..8], &[0, 0, 255, 255, 0, 255, 128, 7]);
    assert_eq!(&got[8..], &[0; 8]);
}

#[test]
fn float_min_orders_zeros_and_propagates_nan_but_pmin_compares() {
    const NEG_ZERO: u32 = 0x8000_0000;
    const SNAN: u32 = 0x7fa0_0001;
    let a = u32x4([0, NEG_ZERO, SNAN, 0x3f80_0000]);
    let b = u32x4([NEG_ZERO, 0, 0x3f80_0000, SNAN]);
    let min = binary("f32x4.min", a, b).to_le_bytes();
    let lane = |bytes: &[u8; 16], i: usize| {
        u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap())
    };
    assert_eq!(lane(&min, 0), NEG_ZERO);
    assert_eq!(lane(&min, 1), NEG_ZERO);
    assert!(f32::from_bits(lane(&min, 2)).is_nan());
    assert_eq!(lane(&min, 2) & 0x0040_0000, 0x0040_0000, "a quiet NaN");
    assert!(f32::from_bits(lane(&min, 3)).is_nan());
    // pmin is `b < a ? b : a`: a NaN operand on either side yields `a`.
    assert_eq!(
        binary("f32x4.pmin", a, b),
        u32x4([0, NEG_ZERO, SNAN, 0x3f80_0000])
    );
}

#[test]
fn saturating_truncation_maps_nan_to_zero_and_clamps() {
    let input = u32x4([0x7fc0_0000, 0x4f80_0000, 0xcf80_0000, 0xbfc0_0000]); // NaN, 2^32, -2^32, -1.5
    assert_eq!(
        unary("i32x4.trunc_sat_f32x4_s", input),
        u32x4([0, i32::MAX as u32, i32::MIN as u32, -1i32 as u32])
    );
    assert_eq!(
        unary("i32x4.trunc_sat_f32x4_u", input),
        u32x4([0, u32::MAX, 0, 0])
    );
}

#[test]
fn swizzle_zeroes_out_of_range_indices_and_bitmask_reads_sign_bits() {
    let a = u128::from_le_bytes(core::array::from_fn(|i| 0x10 + i as u8));
    let indices = u128::from_le_bytes([15, 16, 0, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 128]);
    let got = binary("i8x16.swizzle", a, indices).to_le_bytes();
    assert_eq!(&got[..5], &[0x1f, 0, 0x10, 0, 0x11]);
    assert_eq!(got[15], 0);

    let (mut store, instance) = instance(
        r#"(module (func (export "f") (param v128) (result i32)
            local.get 0 i16x8.bitmask))"#,
    );
    let f = instance.get_typed_func::<V128, i32>(&store, "f").unwrap();
    let v = i16x8([-1, 0, i16::MIN, 1, 0, 0, 0, -32767]);
    assert_eq!(f.call(&mut store, V128(v)).unwrap(), 0b1000_0101);
}

#[test]
fn shifts_take_the_count_modulo_the_lane_width() {
    let v = i16x8([-0x100, 1, 0, 0, 0, 0, 0, 0x4000]);
    for count in ["i32.const 17", "i32.const 1"] {
        assert_eq!(
            unary(&format!("{count} i16x8.shr_s"), v),
            i16x8([-0x80, 0, 0, 0, 0, 0, 0, 0x2000])
        );
    }
    // The count in a register behaves like the immediate.
    let (mut store, instance) = instance(
        r#"(module (func (export "f") (param v128 i32) (result v128)
            local.get 0 local.get 1 i64x2.shl))"#,
    );
    let f = instance
        .get_typed_func::<(V128, i32), V128>(&store, "f")
        .unwrap();
    assert_eq!(
        f.call(&mut store, (V128(1 | 1 << 64), 65)).unwrap().0,
        2 | 2 << 64
    );
}

#[test]
fn lane_load_into_its_own_source_reads_the_source_first() {
    // `local.set 1` retargets the lane load's result onto its vector input.
    let (mut store, instance) = instance(
        r#"(module (memory 1) (data (i32.const 8) "\aa\bb")
            (func (export "f") (param i32 v128) (result v128)
              local.get 0 local.get 1 v128.load16_lane 7 local.set 1
              local.get 1))"#,
    );
    let f = instance
        .get_typed_func::<(i32, V128), V128>(&store, "f")
        .unwrap();
    let v = 0x1111_2222_3333_4444_5555_6666_7777_8888_u128;
    assert_eq!(
        f.call(&mut store, (8, V128(v))).unwrap().0,
        0xbbaa_2222_3333_4444_5555_6666_7777_8888
    );
}

#[test]
fn out_of_bounds_lane_store_traps_without_writing() {
    let (mut store, instance) = instance(
        r#"(module (memory (export "mem") 1)
            (func (export "f") (param i32)
              local.get 0 v128.const i64x2 -1 -1 v128.store64_lane offset=2 1))"#,
    );
    let f = instance.get_typed_func::<i32, ()>(&store, "f").unwrap();
    let err = f.call(&mut store, 65536 - 8 - 1).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    let memory = instance.get_memory(&store, "mem").unwrap();
    assert!(memory.data(&store).iter().all(|&b| b == 0));
    f.call(&mut store, 65536 - 8 - 2).unwrap();
    assert_eq!(&memory.data(&store)[65528..], &[0xff; 8]);
}

#[test]
fn extended_multiply_and_dot_product_widen_before_multiplying() {
    let a = i16x8([i16::MIN, i16::MIN, i16::MAX, 2, -3, 4, 5, 6]);
    let dot = binary("i32x4.dot_i16x8_s", a, a);
    // (-32768)² · 2 wraps to i32::MIN; 32767² + 4; 9 + 16; 25 + 36.
    assert_eq!(dot, u32x4([i32::MIN as u32, 32767 * 32767 + 4, 25, 61]));
    let ext = binary("i32x4.extmul_high_i16x8_u", a, a);
    assert_eq!(ext, u32x4([(65533u32 * 65533), 16, 25, 36]));
}

/// A module whose function 0, `(param v128) (result v128)`, evaluates and
/// drops `consts` `v128.const`s, then shuffles its parameter with itself.
fn shuffle_after_constants(consts: usize) -> Vec<u8> {
    fn leb(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            out.push(if n == 0 { byte } else { byte | 0x80 });
            if n == 0 {
                return;
            }
        }
    }
    let mut body = vec![0]; // no locals
    for _ in 0..consts {
        body.extend([0xfd, 0x0c]); // v128.const 0
        body.extend([0; 16]);
        body.push(0x1a); // drop
    }
    body.extend([0x20, 0, 0x20, 0, 0xfd, 0x0d, 1]); // local.get 0 ×2, i8x16.shuffle 1 0…
    body.extend([0; 15]);
    body.push(0x0b);
    let mut code = vec![1];
    leb(body.len(), &mut code);
    code.extend(body);
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend([1, 6, 1, 0x60, 1, 0x7b, 1, 0x7b]); // type (v128) -> v128
    wasm.extend([3, 2, 1, 0]); // one function of type 0
    wasm.push(10);
    leb(code.len(), &mut wasm);
    wasm.extend(code);
    wasm
}

#[test]
fn too_many_pool_constants_for_a_shuffle_is_a_limit_error() {
    let engine = Engine::default();
    let module = Module::new(&engine, shuffle_after_constants(65_536)).unwrap();
    let err = module.func_ir(0).unwrap_err();
    assert_eq!(err.kind(), ember_core::ErrorKind::Limit);
    // One constant fewer and the mask still fits.
    let module = Module::new(&engine, shuffle_after_constants(65_535)).unwrap();
    assert!(module.func_ir(0).is_ok());
}
