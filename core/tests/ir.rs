//! The register IR does its job: locals and constants fold into operands,
//! `local.set` retargets results, comparisons fuse with branches.

use ember_core::ir::Instr;
use ember_core::{Engine, Module};

fn ir_of(wat: &str) -> Vec<Instr> {
    let engine = Engine::default();
    let module = Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
    module.func_ir(0).unwrap().code.to_vec()
}

/// The code without the trailing guard trap the translator always appends.
fn body(code: &[Instr]) -> &[Instr] {
    &code[..code.len() - 1]
}

#[test]
fn add_of_two_locals_into_a_third_is_one_instruction() {
    let code = ir_of(
        r#"(module (func (param i32 i32) (local i32)
            local.get 0 local.get 1 i32.add local.set 2))"#,
    );
    assert_eq!(
        body(&code),
        &[Instr::I32Add { dst: 2, a: 0, b: 1 }, Instr::Return {}]
    );
}

#[test]
fn constants_become_immediates() {
    let code = ir_of(
        r#"(module (func (param i32) (result i32)
            local.get 0 i32.const 7 i32.mul))"#,
    );
    assert_eq!(
        body(&code),
        &[
            Instr::I32MulImm {
                dst: 1,
                a: 0,
                imm: 7
            },
            Instr::ReturnSlot { src: 1 }
        ]
    );
}

#[test]
fn constant_on_the_left_of_a_comparison_swaps_it() {
    let code = ir_of(
        r#"(module (func (param i32) (result i32)
            i32.const 10 local.get 0 i32.lt_s))"#,
    );
    assert_eq!(
        body(&code),
        &[
            Instr::I32GtSImm {
                dst: 1,
                a: 0,
                imm: 10
            },
            Instr::ReturnSlot { src: 1 }
        ]
    );
}

#[test]
fn compare_and_br_if_fuse() {
    let code = ir_of(
        r#"(module (func (param i32 i32)
            (loop $l
              local.get 0 i32.const 1 i32.add local.set 0
              local.get 0 local.get 1 i32.lt_u
              br_if $l)))"#,
    );
    // One add and one fused compare-and-branch back to the loop header
    // (which, being a backward branch, also checks the interrupt flag).
    assert_eq!(
        body(&code),
        &[
            Instr::I32AddImm {
                dst: 0,
                a: 0,
                imm: 1
            },
            Instr::BrI32LtU {
                a: 0,
                b: 1,
                jump: -1
            },
            Instr::Return {},
        ]
    );
}

#[test]
fn eqz_and_if_fuse_into_one_branch() {
    let code = ir_of(
        r#"(module (func (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 1)) (else (i32.const 2)))))"#,
    );
    // `if` jumps to the else arm when the condition is false: i.e. when
    // local 0 is not zero.
    assert_eq!(code[0], Instr::BrIfNez { cond: 0, jump: 3 });
}

#[test]
fn calls_pass_arguments_in_place() {
    let code = ir_of(
        r#"(module
            (func (param i32) (result i32)
              local.get 0 i32.const 1 i32.sub
              local.get 0 i32.const 2 i32.sub
              call 1)
            (func (param i32 i32) (result i32) local.get 0))"#,
    );
    // The arguments are computed straight into the callee's frame, which
    // starts at slot 1, and the result comes back in that same slot.
    assert_eq!(
        body(&code),
        &[
            Instr::I32SubImm {
                dst: 1,
                a: 0,
                imm: 1
            },
            Instr::I32SubImm {
                dst: 2,
                a: 0,
                imm: 2
            },
            Instr::Call { func: 1, base: 1 },
            Instr::ReturnSlot { src: 1 },
        ]
    );
}

#[test]
fn v128_signatures_get_an_even_frame() {
    let code = ir_of(
        r#"(module
            (func (param v128) (result v128)
              i32.const 1 drop
              local.get 0 call 1)
            (func (param v128) (result v128) local.get 0))"#,
    );
    // The parameter occupies slots 0-1, so the argument's positional slot
    // is 2: already even, no staging.
    assert_eq!(
        body(&code)[..2],
        [
            Instr::Copy128 { dst: 2, src: 0 },
            Instr::Call { func: 1, base: 2 }
        ]
    );
    let code = ir_of(
        r#"(module
            (func (param i32 v128 i32) (result v128)
              local.get 0 local.get 1 call 1)
            (func (param i32 v128) (result v128) local.get 1))"#,
    );
    // Locals take slots 0, 2-3 and 4; the i32 argument lands on odd slot
    // 5, so the arguments are staged from the next even slot above them.
    assert_eq!(
        body(&code),
        &[
            Instr::Copy { dst: 8, src: 0 },
            Instr::Copy128 { dst: 10, src: 2 },
            Instr::Call { func: 1, base: 8 },
            Instr::Copy128 { dst: 6, src: 8 },
            Instr::Copy128 { dst: 0, src: 6 },
            Instr::Return {},
        ]
    );
}

#[test]
fn instruction_size_is_pinned() {
    assert_eq!(std::mem::size_of::<Instr>(), 12);
}

#[test]
fn immutable_globals_with_constant_values_fold() {
    let code = ir_of(
        r#"(module
            (global $base i32 (i32.const 1024))
            (global $count (mut i32) (i32.const 0))
            (func (param i32) (result i32)
              (i32.add (global.get $base) (local.get 0))
              global.get $count
              i32.add))"#,
    );
    // The immutable one becomes an immediate; the mutable one is read.
    assert_eq!(
        body(&code),
        &[
            Instr::I32AddImm {
                dst: 1,
                a: 0,
                imm: 1024
            },
            Instr::GlobalGet { dst: 2, global: 1 },
            Instr::I32Add { dst: 1, a: 1, b: 2 },
            Instr::ReturnSlot { src: 1 },
        ]
    );
}

#[test]
fn if_without_else_falls_through_to_its_end() {
    let code = ir_of(
        r#"(module (func (param i32) (local i32)
            (if (local.get 0) (then (local.set 1 (i32.const 5))))))"#,
    );
    assert_eq!(
        body(&code),
        &[
            Instr::BrIfEqz { cond: 0, jump: 2 },
            Instr::Const32 { dst: 1, imm: 5 },
            Instr::Return {}
        ]
    );
}
