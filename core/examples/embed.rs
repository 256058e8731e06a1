//! Embedding Ember: load a module, give it a host function, call it.
//!
//! `cargo run --release -p ember-core --example embed [N]` prints the
//! Fibonacci numbers up to `fib(N)` (default 30), computed in Wasm.

use ember_core::{Caller, Engine, Linker, Module, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let upto: i32 = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(30);
    let engine = Engine::default();
    let wasm = wat::parse_str(include_str!("fib.wat"))?;
    let module = Module::new(&engine, wasm)?;

    let mut linker = Linker::new(&engine);
    linker.func_wrap(
        "host",
        "report",
        |mut caller: Caller<'_, u32>, n: i32, value: i64| {
            *caller.data_mut() += 1;
            println!("fib({n}) = {value}");
        },
    )?;

    let mut store = Store::new(&engine, 0u32);
    let instance = linker.instantiate(&mut store, &module)?;
    let run = instance.get_typed_func::<i32, ()>(&store, "run")?;
    let started = std::time::Instant::now();
    run.call(&mut store, upto)?;
    println!("{} reports in {:.1?}", store.data(), started.elapsed());
    Ok(())
}
