//! Fuel, resumable calls, interruption, call depth and resource limits
//! behave as documented.

use ember_core::{Config, Engine, ErrorKind, Linker, Module, ResumableCall, Store, TrapCode, Val};

fn setup(config: &Config, wat: &str) -> (Store<()>, ember_core::Instance) {
    let engine = Engine::new(config);
    let module = Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    (store, instance)
}

const COUNT_LOOP: &str = r#"(module
    (func (export "count") (param $n i32) (result i32) (local $i i32)
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (local.get $i))
    (memory 1)
    (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 7) (local.get 0))))"#;

#[test]
fn fuel_is_charged_per_operator_and_per_byte() {
    let (mut store, instance) = setup(Config::new().consume_fuel(true), COUNT_LOOP);
    let count = instance
        .get_typed_func::<i32, i32>(&store, "count")
        .unwrap();
    store.set_fuel(1_000_000).unwrap();
    assert_eq!(count.call(&mut store, 10).unwrap(), 10);
    let used_10 = 1_000_000 - store.get_fuel().unwrap();
    store.set_fuel(1_000_000).unwrap();
    assert_eq!(count.call(&mut store, 20).unwrap(), 20);
    let used_20 = 1_000_000 - store.get_fuel().unwrap();
    // Each iteration runs 8 operators (local.get, i32.const, i32.add,
    // local.set, local.get, local.get, i32.lt_u, br_if); `loop` itself runs
    // once.
    assert_eq!(used_20 - used_10, 10 * 8);

    let fill = instance.get_typed_func::<i32, ()>(&store, "fill").unwrap();
    store.set_fuel(10_000).unwrap();
    fill.call(&mut store, 1000).unwrap();
    let used_1000 = 10_000 - store.get_fuel().unwrap();
    store.set_fuel(10_000).unwrap();
    fill.call(&mut store, 3000).unwrap();
    let used_3000 = 10_000 - store.get_fuel().unwrap();
    assert_eq!(used_3000 - used_1000, 2000);
}

#[test]
fn running_out_of_fuel_traps_a_plain_call() {
    let (mut store, instance) = setup(Config::new().consume_fuel(true), COUNT_LOOP);
    let count = instance
        .get_typed_func::<i32, i32>(&store, "count")
        .unwrap();
    store.set_fuel(100).unwrap();
    let err = count.call(&mut store, 1_000_000).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel));
    // Fuel is off by default, and asking for it is an error.
    let (store, _) = setup(&Config::new(), COUNT_LOOP);
    assert_eq!(store.get_fuel().unwrap_err().kind(), ErrorKind::Usage);
}

#[test]
fn out_of_fuel_suspends_and_resumes_to_completion() {
    let (mut store, instance) = setup(Config::new().consume_fuel(true), COUNT_LOOP);
    let count = instance.get_func(&store, "count").unwrap();
    store.set_fuel(500).unwrap();
    let mut results = [Val::I32(0)];
    let mut call = count
        .call_resumable(&mut store, &[Val::I32(1000)], &mut results)
        .unwrap();
    let mut suspensions = 0;
    loop {
        match call {
            ResumableCall::Finished => break,
            ResumableCall::OutOfFuel(invocation) => {
                suspensions += 1;
                assert!(store.get_fuel().unwrap() < 10);
                store.set_fuel(500).unwrap();
                call = invocation.resume(&mut store, &mut results).unwrap();
            }
        }
    }
    assert_eq!(results, [Val::I32(1000)]);
    assert!(suspensions >= 10, "{suspensions}");
}

#[test]
fn a_suspended_call_can_be_dropped() {
    let (mut store, instance) = setup(Config::new().consume_fuel(true), COUNT_LOOP);
    let count = instance.get_func(&store, "count").unwrap();
    store.set_fuel(100).unwrap();
    let mut results = [Val::I32(0)];
    let ResumableCall::OutOfFuel(first) = count
        .call_resumable(&mut store, &[Val::I32(1000)], &mut results)
        .unwrap()
    else {
        panic!("expected suspension");
    };
    first.cancel(&mut store);
    store.set_fuel(100_000).unwrap();
    let ResumableCall::OutOfFuel(second) = count
        .call_resumable(&mut store, &[Val::I32(1_000_000)], &mut results)
        .unwrap()
    else {
        panic!("expected suspension");
    };
    // A new call abandons the suspended one, which then refuses to resume.
    store.set_fuel(100).unwrap();
    count
        .call(&mut store, &[Val::I32(5)], &mut results)
        .unwrap();
    assert_eq!(results, [Val::I32(5)]);
    let err = second.resume(&mut store, &mut results).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Usage);
}

#[test]
fn million_deep_recursion_traps_without_overflowing() {
    let (mut store, instance) = setup(
        &Config::new(),
        r#"(module (func $f (export "f") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0))
              (then (i64.const 0))
              (else (i64.add (i64.const 1) (call $f (i64.sub (local.get 0) (i64.const 1))))))))"#,
    );
    let f = instance.get_typed_func::<i64, i64>(&store, "f").unwrap();
    assert_eq!(f.call(&mut store, 10_000).unwrap(), 10_000);
    let err = f.call(&mut store, 1_000_000).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow));
    assert_eq!(TrapCode::StackOverflow.message(), "call stack exhausted");
    // The store recovers.
    assert_eq!(f.call(&mut store, 3).unwrap(), 3);
}

#[test]
fn small_slot_stack_also_traps_cleanly() {
    let (mut store, instance) = setup(
        Config::new().stack_slots(4096).max_call_depth(u32::MAX),
        r#"(module (func $f (export "f") (param i32) (result i32) (local i64 i64 i64 i64 i64 i64)
            (call $f (local.get 0))))"#,
    );
    let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
    let err = f.call(&mut store, 1).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow));
}

#[test]
fn memory_limit_applies_to_instantiation_and_grow() {
    let engine = Engine::new(Config::new().max_memory_pages(4));
    let mut store = Store::new(&engine, ());
    let too_big = Module::new(&engine, wat::parse_str("(module (memory 5))").unwrap()).unwrap();
    let err = Linker::new(&engine)
        .instantiate(&mut store, &too_big)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Resource);
    let module = Module::new(
        &engine,
        wat::parse_str(r#"(module (memory 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#)
            .unwrap(),
    )
    .unwrap();
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 3).unwrap(), 1);
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 0).unwrap(), 4);
}

#[test]
fn table_limit_applies_to_instantiation_and_grow() {
    let engine = Engine::new(Config::new().max_table_elements(100));
    let mut store = Store::new(&engine, ());
    let too_big = Module::new(
        &engine,
        wat::parse_str("(module (table 101 funcref))").unwrap(),
    )
    .unwrap();
    let err = Linker::new(&engine)
        .instantiate(&mut store, &too_big)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Resource);
    let module = Module::new(
        &engine,
        wat::parse_str(
            r#"(module (table 10 funcref)
                (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 90).unwrap(), 10);
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1);
}

#[test]
fn interrupt_from_another_thread_stops_an_endless_loop() {
    let (mut store, instance) = setup(
        &Config::new(),
        r#"(module (func (export "spin") (loop $l (br $l))))"#,
    );
    let spin = instance.get_typed_func::<(), ()>(&store, "spin").unwrap();
    let handle = store.interrupt_handle();
    let interrupter = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        handle.interrupt();
    });
    let err = spin.call(&mut store, ()).unwrap_err();
    interrupter.join().unwrap();
    assert_eq!(err.trap_code(), Some(TrapCode::Interrupted));
}
