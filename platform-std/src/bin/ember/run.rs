//! What `ember run` and `ember validate` do: load a module (binary or text),
//! run it with WASI on the hosted platform, and turn every way it can end
//! into an exit status and, for failures, a message on stderr.

use std::ffi::OsString;
use std::path::Path;

use ember_core::{
    Engine, Error, ErrorKind, FrameInfo, Func, Instance, Linker, Module, PAGE_SIZE, Store, Trap,
    Val, ValType,
};
use ember_platform_std::wasi::{self, ProcExit, WasiCtx, WasiCtxBuilder};

use crate::cli::{RunOptions, Tier};

/// How a command ended, when it did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// A bad command line (exit status 2).
    Usage(String),
    /// The module could not be read, loaded or linked (exit status 1).
    Load(String),
    /// The program trapped (exit status 134, as for an abort).
    Trap(String),
    /// The program called `proc_exit` with this code.
    Exit(u32),
}

impl Failure {
    /// The process exit status.
    pub fn exit_status(&self) -> i32 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Load(_) => 1,
            Failure::Trap(_) => 134,
            Failure::Exit(code) => *code as i32,
        }
    }

    /// What to print on stderr, if anything.
    pub fn message(&self) -> Option<&str> {
        match self {
            Failure::Usage(m) | Failure::Load(m) | Failure::Trap(m) => Some(m),
            Failure::Exit(_) => None,
        }
    }
}

/// A message on one line: a module error can span several.
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The module's bytes, compiled from text if it is a `.wat` file.
fn read_wasm(path: &Path) -> Result<Vec<u8>, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Load(format!("cannot read `{}`: {e}", path.display())))?;
    let is_text = match wat::Detect::from_bytes(&bytes) {
        wat::Detect::WasmText => true,
        wat::Detect::WasmBinary => false,
        wat::Detect::Unknown => path.extension().is_some_and(|e| e == "wat" || e == "wast"),
    };
    if !is_text {
        return Ok(bytes);
    }
    wat::parse_bytes(&bytes)
        .map(|wasm| wasm.into_owned())
        .map_err(|e| {
            // The text parser reports the message, then `--> file:line:col`.
            let text = e.to_string();
            let mut lines = text.lines();
            let message = lines.next().unwrap_or_default().trim();
            let at = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("--> "))
                .and_then(|l| l.rsplit_once(':').and_then(|(l, _)| l.rsplit_once(':')))
                .map(|(_, line)| format!(" (line {line})"))
                .unwrap_or_default();
            Failure::Load(format!(
                "`{}` is not valid text format: {message}{at}",
                path.display()
            ))
        })
}

fn load(engine: &Engine, path: &Path) -> Result<Module, Failure> {
    let wasm = read_wasm(path)?;
    Module::new(engine, &wasm).map_err(|e| {
        Failure::Load(format!(
            "`{}` is not a valid WebAssembly module: {}",
            path.display(),
            one_line(&e.to_string())
        ))
    })
}

/// `ember validate FILE`.
pub fn validate(path: &Path) -> Result<(), Failure> {
    load(&Engine::default(), path).map(drop)
}

/// `ember compile`: compiles every function with the JIT tier and reports
/// sizes and speed (translation to IR included in the time).
pub fn compile(path: &Path) -> Result<(), Failure> {
    let engine = Engine::new(&ember_platform_std::host_config(ember_core::Tier::Jit));
    let module = load(&engine, path)?;
    let started = std::time::Instant::now();
    let stats = module
        .jit_compile_all()
        .map_err(|e| Failure::Load(one_line(&e.to_string())))?;
    let seconds = started.elapsed().as_secs_f64();
    let mb_per_s = stats.wasm_bytes as f64 / 1e6 / seconds.max(1e-9);
    println!(
        "{}: {} functions compiled, {} left to the interpreter; {} bytes of Wasm code \
         -> {} bytes of native code in {:.1} ms ({mb_per_s:.1} MB/s of Wasm)",
        path.display(),
        stats.compiled,
        stats.declined,
        stats.wasm_bytes,
        stats.code_bytes,
        seconds * 1e3,
    );
    Ok(())
}

/// The report of a trap: its kind and the function it happened in, then the
/// Wasm backtrace, innermost first.
fn trap_report(trap: &Trap) -> String {
    let mut out = match trap.backtrace().first() {
        Some(FrameInfo {
            func_name: Some(name),
            ..
        }) => format!("wasm trap in `{name}`: {}", trap.code()),
        Some(frame) => format!("wasm trap in func {}: {}", frame.func_index, trap.code()),
        None => format!("wasm trap: {}", trap.code()),
    };
    if !trap.backtrace().is_empty() {
        out.push_str("\nwasm backtrace:");
        for (i, frame) in trap.backtrace().iter().enumerate() {
            let index = frame.func_index;
            match &frame.func_name {
                Some(name) => out.push_str(&format!("\n  {i:>3}: {name} (func {index})")),
                None => out.push_str(&format!("\n  {i:>3}: func {index}")),
            }
        }
    }
    out
}

/// The failure an error of a running program stands for.
fn run_failure(error: Error) -> Failure {
    if let Some(exit) = error.downcast_ref::<ProcExit>() {
        return Failure::Exit(exit.0);
    }
    match error.as_trap() {
        Some(trap) => Failure::Trap(trap_report(trap)),
        None if error.kind() == ErrorKind::Trap => Failure::Trap(format!("wasm trap: {error}")),
        None => Failure::Load(one_line(&error.to_string())),
    }
}

fn engine_for(options: &RunOptions) -> Engine {
    let tier = match options.tier {
        Some(Tier::Interp) => ember_core::Tier::Interp,
        Some(Tier::Jit) => ember_core::Tier::Jit,
        None | Some(Tier::Auto) => ember_core::Tier::Auto,
    };
    let mut config = ember_platform_std::host_config(tier);
    if options.fuel.is_some() {
        config.consume_fuel(true);
    }
    if let Some(bytes) = options.max_memory {
        let pages = (bytes / PAGE_SIZE as u64).min(65536) as u32;
        config.max_memory_pages(pages);
    }
    Engine::new(&config)
}

fn wasi_ctx(options: &RunOptions) -> Result<WasiCtx, Failure> {
    let mut builder = WasiCtxBuilder::new();
    builder.arg(&options.file).args(&options.args);
    for (name, value) in &options.env {
        builder.env(name, value);
    }
    for (host, guest) in &options.dirs {
        builder.preopened_dir(host, guest.clone()).map_err(|e| {
            Failure::Load(format!("cannot open directory `{}`: {e}", host.display()))
        })?;
    }
    Ok(builder.build())
}

/// `ember run`.
pub fn run(options: &RunOptions) -> Result<(), Failure> {
    let engine = engine_for(options);
    let module = load(&engine, &options.file)?;
    let mut linker = Linker::new(&engine);
    wasi::add_to_linker(&mut linker).map_err(|e| Failure::Load(e.to_string()))?;
    let mut store = Store::new(&engine, wasi_ctx(options)?);
    if let Some(fuel) = options.fuel {
        store
            .set_fuel(fuel)
            .map_err(|e| Failure::Load(e.to_string()))?;
    }
    let instance = linker
        .instantiate(&mut store, &module)
        .map_err(|e| match e.kind() {
            ErrorKind::Trap | ErrorKind::Host => run_failure(e),
            _ => Failure::Load(format!(
                "cannot instantiate `{}`: {}",
                options.file.display(),
                one_line(&e.to_string())
            )),
        })?;
    match &options.invoke {
        Some(name) => invoke(&mut store, instance, name, &options.args),
        None => {
            let start = instance.get_func(&store, "_start").ok_or_else(|| {
                Failure::Load(format!(
                    "`{}` exports no `_start` function; call one of its exports with --invoke",
                    options.file.display()
                ))
            })?;
            start.call(&mut store, &[], &mut []).map_err(run_failure)
        }
    }
}

/// `--invoke`: calls export `name` with `args` parsed by its parameter
/// types and prints the results, one per line.
fn invoke(
    store: &mut Store<WasiCtx>,
    instance: Instance,
    name: &str,
    args: &[OsString],
) -> Result<(), Failure> {
    let func: Func = instance
        .get_func(&*store, name)
        .ok_or_else(|| Failure::Usage(format!("the module exports no function `{name}`")))?;
    if let Some(init) = instance.get_func(&*store, "_initialize") {
        init.call(&mut *store, &[], &mut []).map_err(run_failure)?;
    }
    let ty = func.ty(&*store);
    if ty.params().len() != args.len() {
        return Err(Failure::Usage(format!(
            "`{name}` has type {ty}: it takes {} arguments, {} given",
            ty.params().len(),
            args.len()
        )));
    }
    let params = ty
        .params()
        .iter()
        .zip(args)
        .map(|(&ty, arg)| parse_val(ty, arg))
        .collect::<Result<Vec<_>, _>>()?;
    let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
    func.call(&mut *store, &params, &mut results)
        .map_err(run_failure)?;
    for result in results {
        println!("{}", show_val(result));
    }
    Ok(())
}

fn parse_int(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = match digits.strip_prefix("0x") {
        Some(hex) => i128::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<i128>().ok()?,
    };
    Some(if negative { -value } else { value })
}

/// An argument of `--invoke` as a value of type `ty`. Integers may be
/// given signed or unsigned, in decimal or `0x` hex.
fn parse_val(ty: ValType, arg: &OsString) -> Result<Val, Failure> {
    let text = arg.to_string_lossy();
    let bad = || Failure::Usage(format!("cannot read `{text}` as a value of type {ty}"));
    let int = |min: i128, max: i128| {
        parse_int(&text)
            .filter(|v| (min..=max).contains(v))
            .ok_or_else(bad)
    };
    Ok(match ty {
        ValType::I32 => Val::I32(int(i32::MIN.into(), u32::MAX.into())? as u32 as i32),
        ValType::I64 => Val::I64(int(i64::MIN.into(), u64::MAX.into())? as u64 as i64),
        ValType::F32 => Val::F32(text.parse::<f32>().map_err(|_| bad())?.to_bits()),
        ValType::F64 => Val::F64(text.parse::<f64>().map_err(|_| bad())?.to_bits()),
        _ => return Err(bad()),
    })
}

fn show_val(val: Val) -> String {
    match val {
        Val::I32(v) => v.to_string(),
        Val::I64(v) => v.to_string(),
        Val::F32(bits) => f32::from_bits(bits).to_string(),
        Val::F64(bits) => f64::from_bits(bits).to_string(),
        Val::V128(v) => format!("0x{:032x}", v.0),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "funcref".to_string(),
        Val::ExternRef(Some(_)) => "externref".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoke_arguments_follow_the_parameter_types() {
        let v = |ty, s: &str| parse_val(ty, &OsString::from(s)).ok();
        assert_eq!(v(ValType::I32, "-1"), Some(Val::I32(-1)));
        assert_eq!(v(ValType::I32, "4294967295"), Some(Val::I32(-1)));
        assert_eq!(v(ValType::I32, "0x10"), Some(Val::I32(16)));
        assert_eq!(v(ValType::I32, "4294967296"), None);
        assert_eq!(v(ValType::I64, "-9"), Some(Val::I64(-9)));
        assert_eq!(v(ValType::F64, "1.5"), Some(Val::F64(1.5f64.to_bits())));
        assert_eq!(v(ValType::F32, "x"), None);
    }

    #[test]
    fn results_print_like_wasm_values() {
        assert_eq!(show_val(Val::I32(-7)), "-7");
        assert_eq!(show_val(Val::F64(2.5f64.to_bits())), "2.5");
        assert_eq!(show_val(Val::FuncRef(None)), "null");
    }

    #[test]
    fn messages_fit_on_one_line() {
        assert_eq!(one_line("a\n  b\n\nc "), "a b c");
    }
}
