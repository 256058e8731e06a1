//! The embedding API as a host uses it: calls, host functions, reentrancy,
//! traps and errors crossing the boundary, v128 values, shared engines.

use ember_core::{
    Caller, Engine, Error, ErrorKind, Extern, Func, FuncType, Global, GlobalType, Linker, Memory,
    MemoryType, Module, Mutability, Store, TrapCode, V128, Val, ValType,
};

fn instantiate<T>(store: &mut Store<T>, linker: &Linker<T>, wat: &str) -> ember_core::Instance {
    let module = Module::new(store.engine(), wat::parse_str(wat).unwrap()).unwrap();
    linker.instantiate(store, &module).unwrap()
}

#[test]
fn engine_and_module_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Engine>();
    check::<Module>();
}

#[test]
fn typed_and_untyped_calls_agree() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let instance = instantiate(
        &mut store,
        &Linker::new(&engine),
        r#"(module (func (export "fac") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0))
              (then (i64.const 1))
              (else (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1))))))))"#,
    );
    let fac = instance.get_typed_func::<i64, i64>(&store, "fac").unwrap();
    assert_eq!(fac.call(&mut store, 20).unwrap(), 2_432_902_008_176_640_000);
    let mut results = [Val::I64(0)];
    instance
        .get_func(&store, "fac")
        .unwrap()
        .call(&mut store, &[Val::I64(5)], &mut results)
        .unwrap();
    assert_eq!(results, [Val::I64(120)]);
    let err = instance
        .get_func(&store, "fac")
        .unwrap()
        .call(&mut store, &[Val::I32(5)], &mut results)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TypeMismatch);
    assert!(instance.get_typed_func::<i32, i64>(&store, "fac").is_err());
}

#[test]
fn v128_passes_through_calls() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let instance = instantiate(
        &mut store,
        &Linker::new(&engine),
        r#"(module
            (func $swap (param i32 v128 i64) (result v128 i32)
              local.get 1 local.get 0)
            (func (export "pass") (param v128) (result v128)
              (call $swap (i32.const 7) (local.get 0) (i64.const 9))
              drop)
            (func (export "const") (result v128) v128.const i64x2 1 2))"#,
    );
    let value = V128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210);
    let mut results = [Val::I32(0)];
    instance
        .get_func(&store, "pass")
        .unwrap()
        .call(&mut store, &[Val::V128(value)], &mut results)
        .unwrap();
    assert_eq!(results, [Val::V128(value)]);
    let konst = instance
        .get_typed_func::<(), V128>(&store, "const")
        .unwrap();
    assert_eq!(konst.call(&mut store, ()).unwrap(), V128(1 | 2 << 64));
}

#[derive(Debug)]
struct Refused(u32);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "refused {}", self.0)
    }
}

impl std::error::Error for Refused {}

#[test]
fn host_errors_and_traps_reach_the_caller_intact() {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "host",
            "check",
            |caller: Caller<'_, u32>, x: i32| -> Result<i32, Error> {
                if x < 0 {
                    return Err(Error::host(Refused(*caller.data())));
                }
                if x == 0 {
                    return Err(TrapCode::IntegerDivisionByZero.into());
                }
                Ok(x * 2)
            },
        )
        .unwrap();
    let mut store = Store::new(&engine, 42u32);
    let instance = instantiate(
        &mut store,
        &linker,
        r#"(module (import "host" "check" (func $check (param i32) (result i32)))
            (func (export "run") (param i32) (result i32)
              (i32.add (call $check (local.get 0)) (i32.const 1))))"#,
    );
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 5).unwrap(), 11);
    let err = run.call(&mut store, -1).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Host);
    assert_eq!(err.downcast_ref::<Refused>().unwrap().0, 42);
    let err = run.call(&mut store, 0).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::IntegerDivisionByZero));
    // The store stays usable after errors.
    assert_eq!(run.call(&mut store, 1).unwrap(), 3);
}

#[test]
fn host_functions_can_call_back_into_wasm() {
    let engine = Engine::default();
    let mut linker = Linker::<Option<Func>>::new(&engine);
    linker
        .func_wrap(
            "host",
            "twice",
            |mut caller: Caller<'_, Option<Func>>, x: i32| -> Result<i32, Error> {
                let callback = caller.data().unwrap();
                let callback = callback.typed::<i32, i32>(&caller)?;
                let once = callback.call(&mut caller, x)?;
                callback.call(&mut caller, once)
            },
        )
        .unwrap();
    let mut store = Store::new(&engine, None);
    let instance = instantiate(
        &mut store,
        &linker,
        r#"(module (import "host" "twice" (func $twice (param i32) (result i32)))
            (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
            (func (export "nest") (param i32) (result i32)
              ;; recursion through the host: nest(n) = twice(n) when n > 0
              (call $twice (local.get 0))))"#,
    );
    let inc = instance.get_func(&store, "inc").unwrap();
    *store.data_mut() = Some(inc);
    let nest = instance.get_typed_func::<i32, i32>(&store, "nest").unwrap();
    assert_eq!(nest.call(&mut store, 40).unwrap(), 42);
}

#[test]
fn traps_carry_kind_and_backtrace() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let instance = instantiate(
        &mut store,
        &Linker::new(&engine),
        r#"(module
            (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
            (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0))))"#,
    );
    let outer = instance
        .get_typed_func::<i32, i32>(&store, "outer")
        .unwrap();
    let err = outer.call(&mut store, 0).unwrap_err();
    let trap = err.as_trap().unwrap();
    assert_eq!(trap.code(), TrapCode::IntegerDivisionByZero);
    let names: Vec<_> = trap
        .backtrace()
        .iter()
        .map(|f| f.func_name.clone().unwrap())
        .collect();
    assert_eq!(names, ["inner", "outer"]);
    assert_eq!(err.to_string(), "wasm trap: integer divide by zero");
}

#[test]
fn host_reads_and_writes_memory_globals_and_tables() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let memory = Memory::new(&mut store, MemoryType::new(1, Some(2))).unwrap();
    let counter = Global::new(
        &mut store,
        GlobalType::new(ValType::I32, Mutability::Var),
        Val::I32(5),
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("env", "memory", memory).unwrap();
    linker.define("env", "counter", counter).unwrap();
    let instance = instantiate(
        &mut store,
        &linker,
        r#"(module
            (import "env" "memory" (memory 1 2))
            (import "env" "counter" (global $c (mut i32)))
            (table (export "t") 2 funcref)
            (func $f (export "bump") (result i32)
              (global.set $c (i32.add (global.get $c) (i32.load (i32.const 8))))
              (global.get $c))
            (elem (i32.const 1) $f))"#,
    );
    memory.write(&mut store, 8, &10i32.to_le_bytes()).unwrap();
    let bump = instance.get_typed_func::<(), i32>(&store, "bump").unwrap();
    assert_eq!(bump.call(&mut store, ()).unwrap(), 15);
    assert_eq!(counter.get(&store), Val::I32(15));
    counter.set(&mut store, Val::I32(0)).unwrap();
    assert_eq!(bump.call(&mut store, ()).unwrap(), 10);
    let table = instance.get_table(&store, "t").unwrap();
    assert_eq!(table.get(&store, 0), Some(Val::FuncRef(None)));
    assert_eq!(table.get(&store, 1), Some(Val::FuncRef(Some(bump.func()))));
    assert_eq!(memory.grow(&mut store, 1).unwrap(), 1);
    assert!(memory.grow(&mut store, 1).is_err());
    let mut buf = [0u8; 4];
    assert!(memory.read(&store, 2 * 65536 - 2, &mut buf).is_err());
    assert!(matches!(
        instance.get_export(&store, "bump"),
        Some(Extern::Func(_))
    ));
    // Memory bytes and user data borrowed together: the global now holds
    // 10, and the byte at 8 becomes 1.
    let (bytes, ()) = memory.data_and_store_mut(&mut store);
    bytes[8] = 1;
    assert_eq!(bump.call(&mut store, ()).unwrap(), 11);
}

#[test]
fn host_function_from_untyped_closure() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let ty = FuncType::new([ValType::I32, ValType::I32], [ValType::I32, ValType::I32]);
    let swap = Func::new(&mut store, ty, |_caller, params, results| {
        results[0] = params[1];
        results[1] = params[0];
        Ok(())
    });
    let mut linker = Linker::new(&engine);
    linker.define("env", "swap", swap).unwrap();
    let instance = instantiate(
        &mut store,
        &linker,
        r#"(module (import "env" "swap" (func $swap (param i32 i32) (result i32 i32)))
            (func (export "sub") (param i32 i32) (result i32)
              (call $swap (local.get 0) (local.get 1)) i32.sub))"#,
    );
    let sub = instance
        .get_typed_func::<(i32, i32), i32>(&store, "sub")
        .unwrap();
    assert_eq!(sub.call(&mut store, (10, 3)).unwrap(), -7);
}

#[test]
fn bad_modules_are_errors_not_panics() {
    let engine = Engine::default();
    let err = Module::new(&engine, b"\0asm\x01\0\0\0\x01").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidModule);
    assert!(err.to_string().contains("offset"), "{err}");
    let invalid = wat::parse_str(r#"(module (func (result i32) i64.const 1))"#).unwrap();
    let err = Module::new(&engine, invalid).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidModule);
    assert!(err.to_string().contains("type mismatch"), "{err}");
    let needs_import = wat::parse_str(r#"(module (import "env" "f" (func)))"#).unwrap();
    let module = Module::new(&engine, needs_import).unwrap();
    let mut store = Store::new(&engine, ());
    let err = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unlinkable);
    assert!(err.to_string().contains("unknown import"), "{err}");
}
