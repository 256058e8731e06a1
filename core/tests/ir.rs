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
    // The loop header checks the interrupt flag, then one add and one fused
    // compare-and-branch back to the header.
    assert_eq!(
        body(&code),
        &[
            Instr::CheckInterrupt {},
            Instr::I32AddImm {
                dst: 0,
                a: 0,
                imm: 1
            },
            Instr::BrI32LtU {
                a: 0,
                b: 1,
                jump: -2
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
    // Arguments are computed straight into the callee's frame (slot 2 is
    // the even-aligned base), and the result is returned from there.
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
            Instr::Copy { dst: 4, src: 1 },
            Instr::Copy { dst: 5, src: 2 },
            Instr::Call { func: 1, base: 4 },
            Instr::Copy { dst: 1, src: 4 },
            Instr::ReturnSlot { src: 1 },
        ]
    );
}

#[test]
fn even_based_calls_need_no_copies() {
    let code = ir_of(
        r#"(module
            (func (param i32 i32) (result i32)
              local.get 0 i32.const 1 i32.sub
              local.get 1
              call 1)
            (func (param i32 i32) (result i32) local.get 0))"#,
    );
    assert_eq!(
        body(&code),
        &[
            Instr::I32SubImm {
                dst: 2,
                a: 0,
                imm: 1
            },
            Instr::Copy { dst: 3, src: 1 },
            Instr::Call { func: 1, base: 2 },
            Instr::ReturnSlot { src: 2 },
        ]
    );
}

#[test]
fn instruction_size_is_pinned() {
    assert_eq!(std::mem::size_of::<Instr>(), 12);
}
