//! Assembles a WAT workload into a `.wasm` file, so that building the
//! benchmark suite needs nothing beyond this workspace.
//!
//! Usage: `wat2wasm INPUT.wat OUTPUT.wasm`

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: wat2wasm INPUT.wat OUTPUT.wasm");
        return ExitCode::from(2);
    };
    let wasm = match wat::parse_file(input) {
        Ok(wasm) => wasm,
        Err(error) => {
            eprintln!("wat2wasm: {input}: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = std::fs::write(output, wasm) {
        eprintln!("wat2wasm: {output}: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
