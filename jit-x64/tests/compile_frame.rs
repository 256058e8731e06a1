//! The native calling convention as `X64Backend` implements it: memory
//! bounds, globals, fuel, calls, unwinding, interrupts, the interpreter
//! helper, the stack checks and on-stack replacement.

mod native;

use ember_core::TrapCode;
use ember_core::jit::{CompileEnv, STATUS_OK, status_of_trap};
use native::{Code, Ctx, Event};

fn env(func: u32) -> CompileEnv {
    CompileEnv::new(func)
}

const MEMORY: &str = r#"(module (memory 1)
  (func (param i32) (result i64) (i64.load offset=8 (local.get 0)))
  (func (param i32 i64) (i64.store32 offset=4 (local.get 0) (local.get 1)))
  (func (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (param i32) (result i32) (i32.load16_u offset=4294967295 (local.get 0)))
  (func (result i32) memory.size)
  (func (param i32) (result i64)
    (i64.add (i64.load32_u offset=4 (local.get 0))
      (i64.add (i64.load8_u (local.get 0)) (i64.load offset=1 (local.get 0)))))
)"#;

#[test]
fn loads_and_stores_check_bounds() {
    let load = Code::compile(MEMORY, 0, env(0));
    let mut ctx = Ctx::new(65536, 16);
    ctx.memory[8..16].copy_from_slice(&0x1122_3344_5566_7788u64.to_le_bytes());
    ctx.memory[65528..].copy_from_slice(&7u64.to_le_bytes());
    ctx.slots[0] = 0;
    assert_eq!(load.call(&mut ctx, 0), STATUS_OK);
    assert_eq!(ctx.slots[0], 0x1122_3344_5566_7788);
    ctx.slots[0] = 65520;
    assert_eq!(load.call(&mut ctx, 0), STATUS_OK);
    assert_eq!(ctx.slots[0], 7);
    for addr in [65521u64, 0xffff_fff8, 0xffff_ffff] {
        ctx.slots[0] = addr;
        native::take_events();
        assert_eq!(
            load.call(&mut ctx, 0),
            status_of_trap(TrapCode::MemoryOutOfBounds)
        );
        assert!(matches!(
            native::take_events()[..],
            [Event::Unwind { func: 0, .. }]
        ));
    }

    let store = Code::compile(MEMORY, 1, env(1));
    ctx.slots[..2].copy_from_slice(&[100, 0xaabb_ccdd_eeff_0011]);
    assert_eq!(store.call(&mut ctx, 0), STATUS_OK);
    assert_eq!(ctx.memory[104..109], [0x11, 0, 0xff, 0xee, 0]);
    ctx.slots[..2].copy_from_slice(&[65532, 1]);
    assert_eq!(
        store.call(&mut ctx, 0),
        status_of_trap(TrapCode::MemoryOutOfBounds)
    );

    let load8 = Code::compile(MEMORY, 2, env(2));
    ctx.memory[3] = 0x80;
    ctx.slots[0] = 3;
    assert_eq!(load8.call(&mut ctx, 0), STATUS_OK);
    assert_eq!(ctx.slots[0], 0xffff_ff80, "sign-extended to 32 bits only");

    // An offset beyond i32 goes through a 64-bit end address.
    let far = Code::compile(MEMORY, 3, env(3));
    ctx.slots[0] = 0;
    assert_eq!(
        far.call(&mut ctx, 0),
        status_of_trap(TrapCode::MemoryOutOfBounds)
    );

    // A second access to the same address checks again when it reaches
    // further.
    let repeated = Code::compile(MEMORY, 5, env(5));
    let mut small = Ctx::new(65536, 16);
    small.memory[65526..65536].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    small.slots[0] = 65526;
    assert_eq!(repeated.call(&mut small, 0), STATUS_OK);
    let want = 0x0807_0605u64 + 1 + u64::from_le_bytes([2, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(small.slots[0], want);
    small.slots[0] = 65528;
    assert_eq!(
        repeated.call(&mut small, 0),
        status_of_trap(TrapCode::MemoryOutOfBounds)
    );

    let size = Code::compile(MEMORY, 4, env(4));
    let mut big = Ctx::new(3 * 65536, 16);
    assert_eq!(size.call(&mut big, 0), STATUS_OK);
    assert_eq!(big.slots[0], 3);
}

#[test]
fn globals_read_and_write_through_the_context() {
    let wat = r#"(module (global $g (mut i64) (i64.const 0)) (global $h (mut i32) (i32.const 0))
      (func (param i32) (result i64)
        (global.set $h (local.get 0))
        (global.set $g (i64.add (global.get $g) (i64.const 5)))
        (global.get $g)))"#;
    let code = Code::compile(wat, 0, env(0));
    let mut ctx = Ctx::new(0, 16);
    ctx.add_global(10);
    ctx.add_global(0);
    ctx.slots[0] = 77;
    assert_eq!(code.call(&mut ctx, 0), STATUS_OK);
    assert_eq!(ctx.slots[0], 15);
    assert_eq!(ctx.globals[0], [15, 0]);
    assert_eq!(ctx.globals[1], [77, 0]);
}

const LOOP: &str = r#"(module
  (func (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1)))"#;

#[test]
fn fuel_runs_out_at_a_block_and_resumes_there() {
    let module = native::module(LOOP, true);
    let mut e = env(0);
    e.fuel = true;
    let code = Code::of(&module, 0, e);
    let mut ctx = Ctx::new(0, 16);
    ctx.slots[0] = 10;
    ctx.set_fuel(1_000);
    assert_eq!(code.call(&mut ctx, 0), STATUS_OK);
    assert_eq!(ctx.slots[0], 55);
    let used = 1_000 - ctx.fuel();
    assert!(used > 10, "fuel charged per block: {used}");

    ctx.slots[..2].copy_from_slice(&[10, 0]);
    ctx.set_fuel(used / 2);
    native::take_events();
    assert_eq!(code.call(&mut ctx, 0), status_of_trap(TrapCode::OutOfFuel));
    let events = native::take_events();
    let [Event::Unwind { func: 0, pc, slots }] = events[..] else {
        panic!("one unwind: {events:?}")
    };
    assert!(matches!(
        code.ir.code[pc as usize],
        ember_core::ir::Instr::ConsumeFuel { .. }
    ));
    // The frame is exact at the fuel check: the sum so far matches the
    // counter.
    let (n, sum) = (slots[0], slots[1]);
    assert!(n < 10);
    assert_eq!(sum, (n + 1..=10).sum::<u64>());
    assert!(
        ctx.fuel() < used / 2,
        "fuel is left unchanged by the failed check"
    );
}

#[test]
fn osr_entry_continues_at_a_loop_header() {
    let code = Code::compile(LOOP, 0, env(0));
    assert!(!code.info.loop_headers.is_empty());
    let (pc, _) = code.info.loop_headers[0];
    let mut ctx = Ctx::new(0, 16);
    // Halfway through: n = 4 left, sum = 10 + 9 + 8 + 7 + 6 + 5.
    ctx.slots[..2].copy_from_slice(&[4, 45]);
    assert_eq!(code.call_osr(&mut ctx, pc), STATUS_OK);
    assert_eq!(ctx.slots[0], 55);
}

#[test]
fn interrupts_stop_at_entry_and_back_edges() {
    let mut e = env(0);
    e.interruptible = true;
    let code = Code::compile(LOOP, 0, e);
    let mut ctx = Ctx::new(0, 16);
    ctx.slots[0] = 1000;
    assert_eq!(code.call(&mut ctx, 0), STATUS_OK);
    assert_eq!(ctx.slots[0], 500500);
    *ctx.interrupt = 1;
    ctx.slots[0] = 1000;
    native::take_events();
    assert_eq!(
        code.call(&mut ctx, 0),
        status_of_trap(TrapCode::Interrupted)
    );
    assert!(matches!(
        native::take_events()[..],
        [Event::Unwind { func: 0, pc: 0, .. }]
    ));
    // From a loop header, the next back-edge stops.
    let (pc, _) = code.info.loop_headers[0];
    ctx.slots[..2].copy_from_slice(&[5, 0]);
    assert_eq!(
        code.call_osr(&mut ctx, pc),
        status_of_trap(TrapCode::Interrupted)
    );
    let events = native::take_events();
    let [Event::Unwind { slots, .. }] = events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(
        slots[..2],
        [4, 5],
        "one iteration ran, stored before unwinding"
    );
}

#[test]
fn stack_checks_refuse_to_start_the_frame() {
    let code = Code::compile(LOOP, 0, env(0));
    let frame = code.ir.frame_slots as usize;
    let mut ctx = Ctx::new(0, frame - 1);
    native::take_events();
    assert_eq!(
        code.call(&mut ctx, 0),
        status_of_trap(TrapCode::StackOverflow)
    );
    let mut ctx = Ctx::new(0, frame);
    ctx.set_stack_limit(usize::MAX);
    assert_eq!(
        code.call(&mut ctx, 0),
        status_of_trap(TrapCode::StackOverflow)
    );
    assert!(native::take_events().is_empty(), "no unwind");
}

#[test]
fn calls_pass_the_frame_and_unwind_after_failures() {
    let wat = r#"(module
      (func $caller (param i32) (result i32)
        (i32.add (call $callee (local.get 0) (i32.const 3)) (i32.const 1000)))
      (func $callee (param i32 i32) (result i32)
        (i32.div_u (local.get 0) (local.get 1))))"#;
    let caller = Code::compile(wat, 0, env(0));
    let callee = Code::compile(wat, 1, env(1));
    let mut ctx = Ctx::new(0, 64);
    ctx.set_func(1, callee.entry());
    ctx.slots[0] = 30;
    assert_eq!(caller.call(&mut ctx, 0), STATUS_OK);
    assert_eq!(ctx.slots[0], 1010);

    // A trap in the callee unwinds both frames, callee first.
    let wat_trap = wat.replace("(i32.const 3)", "(i32.const 0)");
    let caller = Code::compile(&wat_trap, 0, env(0));
    let callee = Code::compile(&wat_trap, 1, env(1));
    ctx.set_func(1, callee.entry());
    ctx.slots[0] = 30;
    native::take_events();
    assert_eq!(
        caller.call(&mut ctx, 0),
        status_of_trap(TrapCode::IntegerDivisionByZero)
    );
    let events = native::take_events();
    let [
        Event::Unwind { func: 1, .. },
        Event::Unwind {
            func: 0,
            pc: after_call,
            ..
        },
    ] = events[..]
    else {
        panic!("{events:?}")
    };
    assert!(matches!(
        caller.ir.code[after_call as usize - 1],
        ember_core::ir::Instr::Call { func: 1, .. }
    ));
}

#[test]
fn calls_between_compiled_functions_take_the_internal_entry() {
    let wat = r#"(module (memory 1)
      (func $caller (param i32) (result i32)
        (i32.store (i32.const 0) (i32.const 5))
        (i32.add (call $callee (local.get 0) (i32.const 3))
          (i32.add (i32.load (i32.const 0)) (i32.const 1000))))
      (func $callee (param i32 i32) (result i32)
        (i32.store (i32.const 0) (i32.const 7))
        (i32.div_u (local.get 0) (local.get 1))))"#;
    let caller = Code::compile(wat, 0, env(0));
    let callee = Code::compile(wat, 1, env(1));
    let mut ctx = Ctx::new(65536, 64);
    ctx.set_compiled_func(1, callee.entry());
    ctx.slots[0] = 30;
    assert_eq!(caller.call(&mut ctx, 0), STATUS_OK);
    assert_eq!(ctx.slots[0], 10 + 7 + 1000, "the callee's store is seen");

    // A trap in the callee unwinds both frames, each with its own slots.
    ctx.slots[0] = 30;
    let wat_trap = wat.replace("(i32.const 3)", "(i32.const 0)");
    let caller = Code::compile(&wat_trap, 0, env(0));
    let callee = Code::compile(&wat_trap, 1, env(1));
    ctx.set_compiled_func(1, callee.entry());
    native::take_events();
    assert_eq!(
        caller.call(&mut ctx, 0),
        status_of_trap(TrapCode::IntegerDivisionByZero)
    );
    let events = native::take_events();
    let [
        Event::Unwind {
            func: 1,
            slots: callee_slots,
            ..
        },
        Event::Unwind {
            func: 0,
            slots: caller_slots,
            ..
        },
    ] = events[..]
    else {
        panic!("{events:?}")
    };
    assert_eq!(callee_slots[..2], [30, 0]);
    assert_eq!(caller_slots[0], 30);
}

#[test]
fn values_live_across_calls_survive_them() {
    // The product is computed before the call, in a register that the
    // callee may change: it must reach its slot first.
    let wat = r#"(module
      (func $caller (param i32) (result i32) (local i32)
        (local.set 1 (i32.mul (local.get 0) (i32.const 3)))
        (i32.sub
          (i32.mul (local.get 0) (i32.const 5))
          (i32.add (call $callee (local.get 0)) (local.get 1))))
      (func $callee (param i32) (result i32)
        (i32.xor (i32.mul (local.get 0) (i32.const 7)) (i32.const 1))))"#;
    let caller = Code::compile(wat, 0, env(0));
    let callee = Code::compile(wat, 1, env(1));
    for compiled in [false, true] {
        let mut ctx = Ctx::new(0, 64);
        ctx.set_func_as(1, callee.entry(), compiled);
        ctx.slots[0] = 1000;
        assert_eq!(caller.call(&mut ctx, 0), STATUS_OK);
        let want = 5000u32.wrapping_sub((7000 ^ 1) + 3000);
        assert_eq!(ctx.slots[0], u64::from(want));
    }
}

#[test]
fn recursion_stops_at_the_stack_limits() {
    let wat = r#"(module (func $f (param i32) (result i32)
      (if (result i32) (local.get 0)
        (then (i32.add (call $f (i32.sub (local.get 0) (i32.const 1))) (i32.const 2)))
        (else (i32.const 0)))))"#;
    let code = Code::compile(wat, 0, env(0));
    for compiled in [false, true] {
        let mut ctx = Ctx::new(0, 4096);
        ctx.set_func_as(0, code.entry(), compiled);
        ctx.slots[0] = 1000;
        assert_eq!(code.call(&mut ctx, 0), STATUS_OK);
        assert_eq!(ctx.slots[0], 2000);

        // The value stack runs out.
        ctx.slots[0] = 1 << 20;
        native::take_events();
        assert_eq!(
            code.call(&mut ctx, 0),
            status_of_trap(TrapCode::StackOverflow)
        );
        let depth = native::take_events().len();
        assert!(depth > 1000, "{depth} frames");
        assert!(depth < 4096, "{depth} frames");

        // The native stack runs out first: 16 KiB below here.
        let here = &ctx as *const Ctx as usize;
        ctx.set_stack_limit(here - (16 << 10));
        assert_eq!(
            code.call(&mut ctx, 0),
            status_of_trap(TrapCode::StackOverflow)
        );
        let events = native::take_events();
        assert!(events.len() < depth, "{} frames", events.len());
        assert!(
            events
                .iter()
                .all(|e| matches!(e, Event::Unwind { func: 0, .. }))
        );
    }
}

#[test]
fn helpers_run_what_is_not_compiled() {
    let wat = r#"(module (memory 1) (table 1 funcref) (type $t (func))
      (func (param i32) (result i32)
        (drop (memory.grow (local.get 0)))
        (call_indirect (type $t) (local.get 0))
        (i32.const 1)))"#;
    let code = Code::compile(wat, 0, env(0));
    assert_eq!(code.info.helper_instrs, 1);
    let mut ctx = Ctx::new(65536, 32);
    ctx.slots[0] = 9;
    native::set_exec_result(STATUS_OK, 9);
    native::take_events();
    let status = code.call(&mut ctx, 0);
    assert_eq!(status, status_of_trap(TrapCode::UndefinedElement));
    let events = native::take_events();
    let [
        Event::Exec { func: 0, pc },
        Event::CallIndirect {
            table: 0,
            type_index: 0,
            index: 9,
        },
        Event::Unwind {
            func: 0, pc: after, ..
        },
    ] = events[..]
    else {
        panic!("{events:?}")
    };
    assert!(matches!(
        code.ir.code[pc as usize],
        ember_core::ir::Instr::MemoryGrow { .. }
    ));
    assert!(matches!(
        code.ir.code[after as usize - 1],
        ember_core::ir::Instr::CallIndirect { .. }
    ));

    // A failing helper unwinds at its own instruction.
    native::set_exec_result(status_of_trap(TrapCode::MemoryOutOfBounds), 0);
    assert_eq!(
        code.call(&mut ctx, 0),
        status_of_trap(TrapCode::MemoryOutOfBounds)
    );
    let events = native::take_events();
    assert!(
        matches!(events[..], [Event::Exec { pc: a, .. }, Event::Unwind { pc: b, .. }] if a == b),
        "{events:?}"
    );
    native::set_exec_result(STATUS_OK, 0);
}

#[test]
fn br_table_reaches_every_entry() {
    let wat = r#"(module (func (param i32) (result i32)
      (block (block (block (block
        (br_table 0 1 2 3 (local.get 0)))
        (return (i32.const 10)))
        (return (i32.const 11)))
        (return (i32.const 12)))
      (i32.const 13)))"#;
    let code = Code::compile(wat, 0, env(0));
    let mut ctx = Ctx::new(0, 16);
    for (index, want) in [
        (0, 10),
        (1, 11),
        (2, 12),
        (3, 13),
        (4, 13),
        (u32::MAX as u64, 13),
    ] {
        ctx.slots[0] = index;
        assert_eq!(code.call(&mut ctx, 0), STATUS_OK);
        assert_eq!(ctx.slots[0], want, "index {index}");
    }
}

/// Prints the IR and machine code of function `EMBER_DISAS_FUNC` of the
/// module in `EMBER_DISAS` (a `.wat` or `.wasm` file):
/// `EMBER_DISAS=bench/wat/tak.wat EMBER_DISAS_FUNC=2 cargo test -p
/// ember-jit-x64 --test compile_frame -- --ignored --nocapture disassemble`.
#[test]
#[ignore = "a tool, not a test"]
fn disassemble() {
    use iced_x86::{Decoder, DecoderOptions, Formatter, IntelFormatter};
    let path = std::env::var("EMBER_DISAS").expect("EMBER_DISAS");
    let index: u32 = std::env::var("EMBER_DISAS_FUNC").map_or(0, |v| v.parse().unwrap());
    let bytes = wat::parse_file(&path).expect("a module");
    let engine = ember_core::Engine::default();
    let module = ember_core::Module::new(&engine, &bytes).expect("valid");
    let ir = module.func_ir(index).expect("a defined function");
    println!("{ir}");
    let mut buf = ember_core::VecCodeBuffer::new();
    let info = ember_core::Backend::compile(&ember_jit_x64::X64Backend, &ir, &env(index), &mut buf)
        .expect("compiles");
    println!("{info:?}");
    let mut decoder = Decoder::with_ip(64, &buf.bytes, 0, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    let mut text = String::new();
    for instr in &mut decoder {
        text.clear();
        formatter.format(&instr, &mut text);
        println!("{:5x}  {text}", instr.ip());
    }
}
