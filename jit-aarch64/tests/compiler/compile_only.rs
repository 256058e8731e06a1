//! Compilation without running the code (works on any host): the backend
//! accepts what the translator produces and reports its limits as errors.

use ember_core::code_buffer::VecCodeBuffer;
use ember_core::jit::CompileEnv;
use ember_core::{Backend, Engine, Module};
use ember_jit_aarch64::Aarch64Backend;

/// Compiles every function of `wat`; returns what the backend reported
/// and the code size.
fn compile_all(wat: &str, env: CompileEnv) -> Vec<(ember_core::CompiledFunc, usize)> {
    let module = Module::new(&Engine::default(), wat::parse_str(wat).unwrap()).unwrap();
    (0..)
        .map_while(|index| module.func_ir(index).ok())
        .map(|ir| {
            let mut buf = VecCodeBuffer::new();
            let info = Aarch64Backend.compile(&ir, &env, &mut buf).unwrap();
            assert!(info.entry < info.osr_entry && (info.osr_entry as usize) < buf.bytes.len());
            (info, buf.bytes.len())
        })
        .collect()
}

#[test]
fn loop_headers_are_the_sorted_targets_of_backward_branches() {
    let mut env = CompileEnv::new(0);
    env.interruptible = true;
    let funcs = compile_all(
        r#"(module (func (param i32) (result i32)
            (loop $outer
              (local.set 0 (i32.add (local.get 0) (i32.const 3)))
              (loop $inner
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br_if $inner (i32.gt_u (local.get 0) (i32.const 10))))
              (br_if $outer (local.get 0)))
            (local.get 0)))"#,
        env,
    );
    let headers = &funcs[0].0.loop_headers;
    assert_eq!(headers.len(), 2, "{headers:?}");
    assert!(
        headers
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1)
    );
}

#[test]
fn a_function_beyond_the_reach_of_conditional_branches_compiles() {
    // Tens of thousands of bounds checks, each with a stub that is far
    // away unless islands carry it: well past the 1 MiB reach of b.cond.
    // Two checks per line: the store ends past the checked load, and the
    // address changes before the next line.
    let body = "(i32.store offset=4 (local.get 0) (i32.load (local.get 0)))
                (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
        .repeat(20_000);
    let wat =
        format!("(module (memory 1) (func (param i32) (loop $l {body} (br_if $l (local.get 0)))))");
    let funcs = compile_all(&wat, CompileEnv::new(0));
    assert_eq!(funcs[0].0.loop_headers.len(), 1);
    assert!(funcs[0].1 > 1 << 20, "only {} bytes", funcs[0].1);
}

#[test]
fn instructions_without_native_code_go_through_the_helper() {
    let funcs = compile_all(
        r#"(module (memory 1)
            (func (param i32) (result i32)
              (drop (memory.grow (local.get 0)))
              (memory.fill (i32.const 0) (i32.const 1) (i32.const 2))
              (memory.size)))"#,
        CompileEnv::new(0),
    );
    assert_eq!(funcs[0].0.helper_instrs, 2);
}

/// Prints the code of one function, for looking at what the compiler
/// emits: `EMBER_DISASM=path.wat:FUNC cargo test -p ember-jit-aarch64
/// --test compiler disassembly -- --ignored --nocapture`.
#[test]
#[ignore = "a tool, run on demand"]
fn disassembly() {
    use yaxpeax_arch::{Decoder, U8Reader};
    use yaxpeax_arm::armv8::a64::InstDecoder;

    let request = std::env::var("EMBER_DISASM").expect("EMBER_DISASM=path.wat:FUNC");
    let (path, func) = request.rsplit_once(':').expect("path.wat:FUNC");
    let wat = std::fs::read_to_string(path).unwrap();
    let module = Module::new(&Engine::default(), wat::parse_str(&wat).unwrap()).unwrap();
    let ir = module.func_ir(func.parse().unwrap()).unwrap();
    println!("{ir}");
    let mut buf = VecCodeBuffer::new();
    let info = Aarch64Backend
        .compile(&ir, &CompileEnv::new(0), &mut buf)
        .unwrap();
    println!("{info:?}");
    for (at, word) in buf.bytes.chunks(4).enumerate() {
        let mut reader = U8Reader::new(word);
        let text = match InstDecoder::default().decode(&mut reader) {
            Ok(instruction) => instruction.to_string(),
            Err(error) => format!("<{error}>"),
        };
        println!("{:6x}: {text}", at * 4);
    }
}
