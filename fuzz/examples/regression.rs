//! Turns a fuzz input that made a target fail into a regression module:
//! the module the target built from it (the input itself, or what
//! `wasm-smith` generated from it) as `.wasm`, plus a `.wat` rendering.
//!
//! Usage: `cargo run --example regression -- TARGET INPUT OUT` writes
//! `OUT.wasm` and `OUT.wat`, where `TARGET` is `validate`, `execute` or
//! `differential`.

use ember_fuzz::generate::{SmithProfile, module_from_input};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, input, out] = args.as_slice() else {
        panic!("usage: regression TARGET INPUT OUT");
    };
    let profile: SmithProfile = match target.as_str() {
        "validate" => ember_fuzz::validate::PROFILE,
        "execute" => ember_fuzz::execute::PROFILE,
        "differential" => ember_fuzz::differential::PROFILE,
        other => panic!("unknown target `{other}`"),
    };
    let data = std::fs::read(input).expect("read INPUT");
    let module = module_from_input(&data, &profile).expect("the input makes no module");
    std::fs::write(format!("{out}.wasm"), &module.wasm).expect("write .wasm");
    let text = wasmprinter::print_bytes(&module.wasm).unwrap_or_else(|e| format!(";; {e}\n"));
    std::fs::write(format!("{out}.wat"), text).expect("write .wat");
    println!(
        "{out}.wasm: {} bytes ({:?} module)",
        module.wasm.len(),
        module.origin
    );
}
