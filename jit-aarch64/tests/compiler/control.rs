//! Control flow, calls, fuel, interrupts, stack limits, unwinding and
//! on-stack entry, against the JIT contract in `ember_core::jit`.

use ember_core::TrapCode;
use ember_core::ir::Instr;
use ember_core::jit::{CompileEnv, status_of_trap};

use crate::harness::{Event, Machine, compile, set_exec_writes, set_helper_status, take_events};

fn trap(code: TrapCode) -> u32 {
    status_of_trap(code)
}

/// The IR index of the first instruction matching `pred` in function
/// `func` of the compiled module.
fn pc_of(compiled: &crate::harness::Compiled, func: u32, pred: impl Fn(&Instr) -> bool) -> u32 {
    let ir = compiled.module.func_ir(func).unwrap();
    ir.code.iter().position(pred).expect("instruction present") as u32
}

const SUM: &str = r#"(module
  (func (param i32) (result i32) (local i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (local.get 1)))"#;

#[test]
fn loops_and_locals() {
    let compiled = compile(SUM, CompileEnv::new(0));
    let mut machine = Machine::new(&compiled);
    // Garbage in the local's slot: the entry zeroes it.
    machine.slots[1] = 12345;
    assert_eq!(machine.call(&compiled, 0, &[100]).0, 0);
    assert_eq!(machine.slots[0], 5050);
    assert!(take_events().is_empty());
}

#[test]
fn on_stack_entry_continues_a_loop_with_the_slots_as_they_are() {
    let compiled = compile(SUM, CompileEnv::new(0));
    let code = &compiled.funcs[0];
    assert_eq!(code.info.loop_headers.len(), 1);
    let (pc, _) = code.info.loop_headers[0];
    let header = code.loop_header(pc);
    let mut machine = Machine::new(&compiled);
    // Mid-loop: 10 left to add, 1000 accumulated (not zeroed by OSR).
    machine.slots[0] = 10;
    machine.slots[1] = 1000;
    let status = machine.enter(code.osr_entry(), 0, header);
    assert_eq!((status, machine.slots[0]), (0, 1055));
}

#[test]
fn br_table_picks_its_entry_or_the_default() {
    let compiled = compile(
        r#"(module (func (param i32) (result i32)
            (block $d (block $c (block $b (block $a
              (br_table $a $b $c $d (local.get 0)))
              (return (i32.const 10)))
              (return (i32.const 11)))
              (return (i32.const 12)))
            (i32.const 13)))"#,
        CompileEnv::new(0),
    );
    let mut machine = Machine::new(&compiled);
    for (index, expected) in [(0, 10), (1, 11), (2, 12), (3, 13), (4, 13), (u32::MAX, 13)] {
        assert_eq!(
            machine.call(&compiled, 0, &[u64::from(index)]),
            (0, [expected, 0, 0, 0]).into(),
            "index {index}"
        );
    }
}

const CALLS: &str = r#"(module
  (func (param i32 i32) (result i32)
    (i32.mul (call 1 (local.get 0) (local.get 1)) (i32.const 2)))
  (func (param i32 i32) (result i32)
    (if (i32.eqz (local.get 1)) (then unreachable))
    (i32.sub (local.get 0) (local.get 1))))"#;

#[test]
fn calls_go_through_the_function_table() {
    let compiled = compile(CALLS, CompileEnv::new(0));
    let mut machine = Machine::new(&compiled);
    assert_eq!(machine.call(&compiled, 0, &[50, 8]).0, 0);
    assert_eq!(machine.slots[0], 84);
    assert!(take_events().is_empty());
}

#[test]
fn a_trap_in_a_callee_unwinds_both_frames() {
    let compiled = compile(CALLS, CompileEnv::new(0));
    let mut machine = Machine::new(&compiled);
    assert_eq!(
        machine.call(&compiled, 0, &[50, 0]).0,
        trap(TrapCode::Unreachable)
    );
    let trap_pc = pc_of(&compiled, 1, |i| matches!(i, Instr::Trap { .. }));
    let call_pc = pc_of(&compiled, 0, |i| matches!(i, Instr::Call { .. }));
    let events = take_events();
    assert!(
        matches!(
            events.as_slice(),
            [
                Event::Unwind { func: 1, pc: p1, .. },
                Event::Unwind { func: 0, pc: p0, .. },
            ] if *p1 == trap_pc && *p0 == call_pc + 1
        ),
        "{events:?}"
    );
}

#[test]
fn the_native_stack_and_slot_stack_limits_trap_without_unwinding() {
    let compiled = compile(CALLS, CompileEnv::new(0));
    let mut machine = Machine::new(&compiled);
    machine.stack_limit = usize::MAX;
    assert_eq!(
        machine.call(&compiled, 0, &[1, 1]).0,
        trap(TrapCode::StackOverflow)
    );
    machine.stack_limit = 0;
    let end = machine.slots.len();
    let entry = compiled.funcs[0].entry();
    assert_eq!(
        machine.enter(entry, end - 1, 0),
        trap(TrapCode::StackOverflow)
    );
    assert!(take_events().is_empty());
}

#[test]
fn fuel_is_charged_and_running_out_unwinds_with_fuel_unchanged() {
    let mut env = CompileEnv::new(0);
    env.fuel = true;
    let compiled = compile(SUM, env);
    let mut machine = Machine::new(&compiled);
    machine.fuel = 1_000_000;
    assert_eq!(machine.call(&compiled, 0, &[10]).0, 0);
    assert_eq!(machine.slots[0], 55);
    let used = 1_000_000 - machine.fuel;
    assert!(used > 10, "{used}");
    // Not enough for the whole loop: stops at a ConsumeFuel with the
    // fuel that was left.
    machine.fuel = used / 2;
    let before = machine.fuel;
    assert_eq!(
        machine.call(&compiled, 0, &[10]).0,
        trap(TrapCode::OutOfFuel)
    );
    assert!(machine.fuel <= before);
    let events = take_events();
    let [Event::Unwind { func: 0, pc, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    let ir = compiled.module.func_ir(0).unwrap();
    let Instr::ConsumeFuel { amount } = ir.code[*pc as usize] else {
        panic!("unwound at {}", ir.code[*pc as usize])
    };
    assert!(u64::from(amount) > machine.fuel);
}

#[test]
fn interrupts_stop_at_entry_and_at_back_edges() {
    let mut env = CompileEnv::new(0);
    env.interruptible = true;
    let compiled = compile(SUM, env);
    let mut machine = Machine::new(&compiled);
    assert_eq!(machine.call(&compiled, 0, &[10]).0, 0);
    machine.interrupt = 1;
    assert_eq!(
        machine.call(&compiled, 0, &[10]).0,
        trap(TrapCode::Interrupted)
    );
    assert!(matches!(
        take_events().as_slice(),
        [Event::Unwind { func: 0, pc: 0, .. }]
    ));
    // Entered at the loop header, the first taken back-edge stops.
    let code = &compiled.funcs[0];
    let header = code.loop_header(code.info.loop_headers[0].0);
    machine.slots[..2].copy_from_slice(&[5, 0]);
    assert_eq!(
        machine.enter(code.osr_entry(), 0, header),
        trap(TrapCode::Interrupted)
    );
    let back_edge = pc_of(
        &compiled,
        0,
        |i| matches!(i, Instr::Br { jump } if *jump <= 0),
    );
    assert!(matches!(
        take_events().as_slice(),
        [Event::Unwind { func: 0, pc, .. }] if *pc == back_edge
    ));
    // The values computed before the back-edge are in their slots.
    assert_eq!(&machine.slots[..2], &[4, 5]);
}

#[test]
fn globals_are_read_and_written_through_the_context() {
    let compiled = compile(
        r#"(module (global (mut i64) (i64.const 0)) (global (mut i32) (i32.const 0))
            (func (param i64) (result i64)
              (global.set 1 (i32.const 7))
              (global.set 0 (i64.add (global.get 0) (local.get 0)))
              (global.get 0)))"#,
        CompileEnv::new(0),
    );
    let mut machine = Machine::new(&compiled);
    machine.globals[0] = 40;
    assert_eq!(machine.call(&compiled, 0, &[2]).0, 0);
    assert_eq!(
        (machine.slots[0], machine.globals[0], machine.globals[1]),
        (42, 42, 7)
    );
}

#[test]
fn helpers_run_other_instructions_and_their_status_unwinds() {
    let compiled = compile(
        r#"(module (memory 1) (table 2 funcref)
            (type $t (func (param i32) (result i32)))
            (func (param i32) (result i32)
              (drop (memory.grow (i32.const 1)))
              (call_indirect (type $t) (i32.const 5) (local.get 0))))"#,
        CompileEnv::new(0),
    );
    let mut machine = Machine::new(&compiled);
    let grow = pc_of(&compiled, 0, |i| matches!(i, Instr::MemoryGrow { .. }));
    set_helper_status(0);
    assert_eq!(machine.call(&compiled, 0, &[1]).0, 0);
    assert_eq!(
        take_events(),
        [
            Event::Exec { func: 0, pc: grow },
            Event::CallIndirect {
                table: 0,
                ty: 0,
                index: 1
            },
        ]
    );
    set_helper_status(trap(TrapCode::BadSignature));
    let status = machine.call(&compiled, 0, &[1]).0;
    set_helper_status(0);
    assert_eq!(status, trap(TrapCode::BadSignature));
    let events = take_events();
    assert!(
        matches!(events.as_slice(), [Event::Exec { .. }, Event::Unwind { func: 0, pc, .. }] if *pc == grow),
        "{events:?}"
    );
}

#[test]
fn locals_kept_in_registers_see_what_helpers_write() {
    // $n is hot (a loop), so it lives in a register; memory.grow runs in
    // the helper, which writes its result to $n's slot.
    let compiled = compile(
        r#"(module (memory 1)
            (func (param i32) (result i32) (local $n i32)
              (loop $l
                (local.set $n (i32.add (local.get $n) (local.get 0)))
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br_if $l (local.get 0)))
              (local.set $n (memory.grow (i32.const 0)))
              (i32.add (local.get $n) (local.get 0))))"#,
        CompileEnv::new(0),
    );
    let ir = compiled.module.func_ir(0).unwrap();
    let Some(&Instr::MemoryGrow { dst, .. }) = ir
        .code
        .iter()
        .find(|i| matches!(i, Instr::MemoryGrow { .. }))
    else {
        panic!("{ir}")
    };
    assert_eq!(dst, 1, "memory.grow writes $n directly");
    let mut machine = Machine::new(&compiled);
    set_exec_writes(Some((usize::from(dst), 1000)));
    let result = machine.call(&compiled, 0, &[4]);
    set_exec_writes(None);
    let _ = take_events();
    // $n = 10 after the loop, then the helper's 1000 replaces it.
    assert_eq!((result.0, result.1[0]), (0, 1000));
}
