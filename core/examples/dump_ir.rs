//! Prints the register IR of every function of a `.wat` or `.wasm` file.

use ember_core::{Engine, Module};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dump_ir FILE")?;
    let bytes = wat::parse_file(&path)?;
    let module = Module::new(&Engine::default(), bytes)?;
    let imported = module
        .imports()
        .filter(|(_, _, ty)| matches!(ty, ember_core::ExternType::Func(_)))
        .count() as u32;
    for index in imported.. {
        match module.func_ir(index) {
            Ok(ir) => println!("func {index}: {ir}"),
            Err(_) => break,
        }
    }
    Ok(())
}
