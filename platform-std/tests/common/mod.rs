//! Shared by the integration tests: running the `ember` binary, scratch
//! directories, and compiling the C programs under `tests/c` to
//! `wasm32-wasi` with the system's clang and wasi-libc.

#![allow(dead_code, reason = "each test crate uses part of this")]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

/// The `ember` binary built for these tests.
pub fn ember() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ember"))
}

/// Runs `ember` with `args`, feeding it `stdin`.
pub fn run_ember(args: &[&str], stdin: &[u8]) -> Output {
    run_ember_in(None, args, stdin)
}

/// Runs `ember` in directory `cwd` with `args`, feeding it `stdin`.
pub fn run_ember_in(cwd: Option<&Path>, args: &[&str], stdin: &[u8]) -> Output {
    let mut command = ember();
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    let mut child = command.spawn().expect("cannot start ember");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin)
        .expect("cannot write ember's stdin");
    child.wait_with_output().expect("ember did not finish")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A new empty directory for one test, under Cargo's scratch area.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("ember-tests")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("cannot clear the scratch directory");
    }
    std::fs::create_dir_all(&dir).expect("cannot create the scratch directory");
    dir
}

/// The C compiler for `wasm32-wasi`: `$EMBER_WASI_CC` or `clang`.
fn wasi_cc() -> String {
    std::env::var("EMBER_WASI_CC").unwrap_or_else(|_| "clang".to_string())
}

/// The wasi-libc sysroot: `$EMBER_WASI_SYSROOT`, else Debian's layout
/// (`/usr/include/wasm32-wasi`, `/usr/lib/wasm32-wasi`), else the
/// `wasi-sdk` layout under `/usr/share/wasi-sysroot`.
fn wasi_sysroot() -> String {
    if let Ok(sysroot) = std::env::var("EMBER_WASI_SYSROOT") {
        return sysroot;
    }
    if Path::new("/usr/share/wasi-sysroot/include").exists() {
        "/usr/share/wasi-sysroot".to_string()
    } else {
        "/usr".to_string()
    }
}

/// Compiles `tests/c/NAME.c` to a `wasm32-wasi` command module (once per
/// test process) and returns its path. Panics if the toolchain is missing:
/// these tests must run, so CI installs it (`.ci/install-wasi-toolchain`).
pub fn compile_c(name: &str) -> PathBuf {
    static COMPILED: Mutex<Option<HashMap<String, PathBuf>>> = Mutex::new(None);
    let mut compiled = COMPILED.lock().unwrap_or_else(|e| e.into_inner());
    let compiled = compiled.get_or_insert_with(HashMap::new);
    if let Some(path) = compiled.get(name) {
        return path.clone();
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/c")
        .join(format!("{name}.c"));
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ember-c");
    std::fs::create_dir_all(&out_dir).expect("cannot create the output directory");
    let output = out_dir.join(format!("{name}.wasm"));
    let cc = wasi_cc();
    let result = Command::new(&cc)
        .arg("--target=wasm32-wasi")
        .arg(format!("--sysroot={}", wasi_sysroot()))
        .args(["-O2", "-Wall", "-Werror", "-o"])
        .arg(&output)
        .arg(&source)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `{cc}` to build {name}.c for wasm32-wasi: {e}\n\
                 install the toolchain with .ci/install-wasi-toolchain \
                 (clang, lld, wasi-libc, libclang-rt-dev-wasm32)"
            )
        });
    assert!(
        result.status.success(),
        "compiling {name}.c for wasm32-wasi failed (is the toolchain installed? \
         see .ci/install-wasi-toolchain):\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    compiled.insert(name.to_string(), output.clone());
    output
}

/// Writes a text-format module to a scratch file and returns its path.
pub fn wat_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("cannot write the module");
    path
}
