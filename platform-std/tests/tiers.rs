//! The native tier agrees with the interpreter: results, traps with their
//! backtraces, fuel left, suspension and resumption, host calls,
//! interruption and deep recursion, under `Tier::Jit` (every function
//! compiled first) and `Tier::Auto` (tier-up by calls and at loop headers).

use std::time::Duration;

use ember_core::{
    Caller, Config, Engine, Instance, Linker, Module, ResumableCall, Store, Tier, TrapCode, Val,
};
use ember_platform_std::host_config;

const TIERS: [Tier; 3] = [Tier::Interp, Tier::Jit, Tier::Auto];

fn config(tier: Tier) -> Config {
    let mut config = host_config(tier);
    config.jit_call_threshold(2).jit_loop_threshold(50);
    config
}

fn instantiate(config: &Config, wat: &str) -> (Store<u32>, Instance) {
    let engine = Engine::new(config);
    let module = Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, 0u32);
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "twice", |mut caller: Caller<'_, u32>, x: i32| {
            *caller.data_mut() += 1;
            x * 2
        })
        .unwrap();
    linker
        .func_wrap(
            "host",
            "fail",
            |_: Caller<'_, u32>, x: i32| -> ember_core::Result<i32> {
                if x == 13 {
                    Err(ember_core::Error::host(std::io::Error::other("thirteen")))
                } else {
                    Ok(x)
                }
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

const PROGRAM: &str = r#"(module
  (import "host" "twice" (func $twice (param i32) (result i32)))
  (import "host" "fail" (func $fail (param i32) (result i32)))
  (memory (export "mem") 1)
  (global $g (mut i32) (i32.const 0))
  (table 4 funcref)
  (elem (i32.const 0) $sq $inc)
  (type $un (func (param i32) (result i32)))
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; A long loop in a function called once: moves to native code at its
  ;; header under Tier::Auto. Writes memory and a global on the way.
  (func (export "sum") (param $n i32) (result i64) (local $i i32) (local $acc i64)
    (loop $l
      (i32.store (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 2)) (local.get $i))
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (local.set $acc (i64.add (local.get $acc)
        (i64.extend_i32_u (call_indirect (type $un) (local.get $i) (i32.and (local.get $i) (i32.const 1))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func (export "global") (result i32) (global.get $g))
  (func (export "hosts") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $twice (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func $deep (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.div_u (i32.const 1) (local.get 0)))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "div_at_depth") (param i32) (result i32) (call $deep (local.get 0)))
  (func (export "fail_at") (param $n i32) (result i32) (local $i i32)
    (loop $l
      (drop (call $fail (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))
  (func $forever (export "forever") (param i32) (result i32)
    (call $forever (i32.add (local.get 0) (i32.const 1))))
  (func (export "spin") (loop $l (br $l)))
  (func (export "grow") (param i32) (result i32)
    (drop (memory.grow (local.get 0)))
    (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.const 77))
    (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)))))
"#;

fn call(
    store: &mut Store<u32>,
    instance: Instance,
    name: &str,
    args: &[Val],
) -> ember_core::Result<Vec<Val>> {
    let func = instance.get_func(&*store, name).unwrap();
    let mut results = vec![Val::I32(0); func.ty(&*store).results().len()];
    func.call(&mut *store, args, &mut results)?;
    Ok(results)
}

fn i32_of(vals: &[Val]) -> i32 {
    match vals[0] {
        Val::I32(v) => v,
        ref other => panic!("not an i32: {other:?}"),
    }
}

#[test]
fn every_tier_computes_the_same_results() {
    for tier in TIERS {
        let (mut store, instance) = instantiate(&config(tier), PROGRAM);
        for _ in 0..3 {
            assert_eq!(
                i32_of(&call(&mut store, instance, "fib", &[Val::I32(20)]).unwrap()),
                6765
            );
        }
        let sum = call(&mut store, instance, "sum", &[Val::I32(10_000)]).unwrap();
        // Even i: i*i (as u32); odd i: i + 1.
        let expected: i64 = (0..10_000u64)
            .map(|i| {
                if i % 2 == 0 {
                    (i * i) as u32 as u64
                } else {
                    i + 1
                }
            })
            .sum::<u64>() as i64;
        assert_eq!(sum[0], Val::I64(expected), "{tier:?}");
        assert_eq!(
            i32_of(&call(&mut store, instance, "global", &[]).unwrap()),
            10_000
        );
        let memory = instance.get_memory(&store, "mem").unwrap();
        let mut word = [0u8; 4];
        memory.read(&store, 4 * 1023, &mut word).unwrap();
        assert_eq!(u32::from_le_bytes(word), 9215, "{tier:?}");
        assert_eq!(
            i32_of(&call(&mut store, instance, "hosts", &[Val::I32(1000)]).unwrap()),
            999_000
        );
        assert_eq!(*store.data(), 1000);
        assert_eq!(
            i32_of(&call(&mut store, instance, "grow", &[Val::I32(2)]).unwrap()),
            77
        );
    }
}

#[test]
fn jit_tier_compiles_every_function_and_auto_tiers_up() {
    let (mut store, instance) = instantiate(&config(Tier::Jit), PROGRAM);
    call(&mut store, instance, "sum", &[Val::I32(100)]).unwrap();
    let stats = store.engine().jit_stats();
    assert!(stats.compiled >= 3, "{stats:?}");
    assert_eq!(stats.declined, 0, "{stats:?}");

    // `sum` is called once: only its loop can bring it to native code.
    let (mut store, instance) = instantiate(&config(Tier::Auto), PROGRAM);
    call(&mut store, instance, "sum", &[Val::I32(10_000)]).unwrap();
    let stats = store.engine().jit_stats();
    assert!(
        stats.compiled >= 2,
        "the loop and its hot callees: {stats:?}"
    );
}

/// A loop of one call and one back-edge, entered after one more call:
/// calls and back-edges share the interpreter's countdown, and with a
/// countdown of fixed (even) length every check would land on the call,
/// so the loop would never reach on-stack tier-up.
#[test]
fn a_loop_whose_checks_fall_on_its_call_still_tiers_up() {
    const LOOP: &str = r#"
        (module
          (func $step (param i32) (result i32)
            (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1)))
          (func (export "run") (param $n i32) (result i32)
            (local $acc i32)
            (local.set $acc (call $step (local.get $n)))
            (loop $again
              (local.set $acc (call $step (local.get $acc)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $again (local.get $n)))
            (local.get $acc)))
    "#;
    let (mut store, instance) = instantiate(&config(Tier::Interp), LOOP);
    let expected = i32_of(&call(&mut store, instance, "run", &[Val::I32(5_000)]).unwrap());
    let (mut store, instance) = instantiate(&config(Tier::Auto), LOOP);
    let got = i32_of(&call(&mut store, instance, "run", &[Val::I32(5_000)]).unwrap());
    assert_eq!(got, expected);
    let stats = store.engine().jit_stats();
    // `$step` by its calls, `run` (called once) at its loop header.
    assert_eq!(stats.compiled, 2, "{stats:?}");
}

#[test]
fn traps_have_the_same_kind_and_backtrace_in_every_tier() {
    let mut seen = Vec::new();
    for tier in TIERS {
        let (mut store, instance) = instantiate(&config(tier), PROGRAM);
        let err = call(&mut store, instance, "div_at_depth", &[Val::I32(5)]).unwrap_err();
        let trap = err.as_trap().expect("a trap");
        assert_eq!(trap.code(), TrapCode::IntegerDivisionByZero);
        let frames: Vec<u32> = trap.backtrace().iter().map(|f| f.func_index).collect();
        assert_eq!(frames.len(), 7, "{tier:?}: {frames:?}");
        seen.push(frames);
        // The store stays usable after a trap.
        assert_eq!(
            i32_of(&call(&mut store, instance, "fib", &[Val::I32(10)]).unwrap()),
            55
        );
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
}

#[test]
fn host_errors_cross_native_code_intact() {
    for tier in TIERS {
        let (mut store, instance) = instantiate(&config(tier), PROGRAM);
        let err = call(&mut store, instance, "fail_at", &[Val::I32(100)]).unwrap_err();
        let io = err
            .downcast_ref::<std::io::Error>()
            .expect("the host's own error");
        assert_eq!(io.to_string(), "thirteen", "{tier:?}");
        assert_eq!(
            i32_of(&call(&mut store, instance, "fail_at", &[Val::I32(10)]).unwrap()),
            10
        );
    }
}

#[test]
fn runaway_recursion_traps_in_every_tier() {
    for tier in TIERS {
        let (mut store, instance) = instantiate(&config(tier), PROGRAM);
        let err = call(&mut store, instance, "forever", &[Val::I32(0)]).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow), "{tier:?}");
        assert_eq!(
            i32_of(&call(&mut store, instance, "fib", &[Val::I32(10)]).unwrap()),
            55
        );
    }
}

#[test]
fn interrupt_stops_a_native_loop() {
    for tier in TIERS {
        let (mut store, instance) = instantiate(&config(tier), PROGRAM);
        let handle = store.interrupt_handle();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            handle.interrupt();
        });
        let err = call(&mut store, instance, "spin", &[]).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::Interrupted), "{tier:?}");
        stopper.join().unwrap();
        assert_eq!(
            i32_of(&call(&mut store, instance, "fib", &[Val::I32(10)]).unwrap()),
            55
        );
    }
}

const FUEL_PROGRAM: &str = r#"(module
  (memory 1)
  (func $work (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (memory.fill (i32.const 0) (i32.const 1) (local.get $n))
    (local.get $acc))
  (func (export "run") (param $n i32) (result i32) (local $k i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $work (local.get $n))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $k) (i32.const 20))))
    (local.get $acc)))"#;

/// `FUEL_PROGRAM` instantiated in `tier` with fuel on.
fn fuel_instance(tier: Tier) -> (Store<()>, Instance) {
    let mut config = config(tier);
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, wat::parse_str(FUEL_PROGRAM).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    (store, instance)
}

#[test]
fn fuel_left_is_identical_in_every_tier() {
    let mut outcomes = Vec::new();
    for tier in TIERS {
        let (mut store, instance) = fuel_instance(tier);
        let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
        store.set_fuel(10_000_000).unwrap();
        let result = run.call(&mut store, 500).unwrap();
        let left = store.get_fuel().unwrap();
        // Too little fuel: the trap leaves the same fuel behind.
        store.set_fuel(12_345).unwrap();
        let err = run.call(&mut store, 500).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel));
        outcomes.push((result, left, store.get_fuel().unwrap()));
    }
    assert!(outcomes.windows(2).all(|w| w[0] == w[1]), "{outcomes:?}");
}

#[test]
fn a_call_suspended_for_fuel_resumes_to_the_same_result() {
    let mut results = Vec::new();
    for tier in TIERS {
        let (mut store, instance) = fuel_instance(tier);
        let run = instance.get_func(&store, "run").unwrap();
        store.set_fuel(5_000).unwrap();
        let mut out = [Val::I32(0)];
        let mut call = run
            .call_resumable(&mut store, &[Val::I32(500)], &mut out)
            .unwrap();
        let mut suspensions = 0;
        while let ResumableCall::OutOfFuel(invocation) = call {
            suspensions += 1;
            store.set_fuel(5_000).unwrap();
            call = invocation.resume(&mut store, &mut out).unwrap();
        }
        assert!(suspensions > 10, "{tier:?}: {suspensions}");
        results.push((out[0], suspensions, store.get_fuel().unwrap()));
    }
    assert!(results.windows(2).all(|w| w[0] == w[1]), "{results:?}");
}

#[test]
fn a_module_compiles_ahead_of_any_call() {
    let engine = Engine::new(&config(Tier::Jit));
    let module = Module::new(&engine, wat::parse_str(PROGRAM).unwrap()).unwrap();
    let stats = module.jit_compile_all().unwrap();
    // Every defined function (the two imports are not compiled).
    assert_eq!((stats.compiled, stats.declined), (12, 0), "{stats:?}");
    assert!(
        stats.wasm_bytes > 0 && stats.code_bytes > stats.wasm_bytes,
        "{stats:?}"
    );
    // Without a backend nothing is compiled.
    let engine = Engine::new(&config(Tier::Interp));
    let module = Module::new(&engine, wat::parse_str(PROGRAM).unwrap()).unwrap();
    assert_eq!(module.jit_compile_all().unwrap().compiled, 0);
}
