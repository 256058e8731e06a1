//! Runs one exported function of a `.wat`/`.wasm` file with i32/i64
//! arguments and prints its results and the time it took.
//!
//! `cargo run --release -p ember-core --example invoke -- FILE FUNC [ARGS...]`

use ember_core::{Engine, Linker, Module, Store, Val, ValType};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: invoke FILE FUNC [ARGS...]")?;
    let name = args.next().ok_or("usage: invoke FILE FUNC [ARGS...]")?;
    let engine = Engine::default();
    let module = Module::new(&engine, wat::parse_file(&path)?)?;
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
    let func = instance.get_func(&store, &name).ok_or("no such export")?;
    let ty = func.ty(&store);
    let params = ty
        .params()
        .iter()
        .zip(args)
        .map(|(ty, arg)| match ty {
            ValType::I64 => arg.parse().map(Val::I64),
            _ => arg.parse().map(Val::I32),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut results = vec![Val::I32(0); ty.results().len()];
    let started = std::time::Instant::now();
    func.call(&mut store, &params, &mut results)?;
    let elapsed = started.elapsed();
    for result in &results {
        println!("{result:?}");
    }
    eprintln!("{elapsed:.1?}");
    Ok(())
}
