//! The `ember` command line as users see it: running modules (binary and
//! text), `--invoke`, limits, tiers, `validate`, exit statuses, and the
//! one-line errors for files that are not valid modules.

mod common;

use std::path::Path;

use common::{run_ember, scratch, stderr, stdout, wat_file};

fn hello_example() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/hello.wat")
        .to_str()
        .unwrap()
        .to_string()
}

/// Asserts the run failed with `status` and exactly one line on stderr,
/// which contains `expected`, and returns that line.
fn one_line_error(output: &std::process::Output, status: i32, expected: &str) -> String {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(status), "{err}");
    assert_eq!(err.lines().count(), 1, "expected one line, got: {err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(expected), "expected `{expected}` in: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn hello_prints_hello() {
    let output = run_ember(&["run", &hello_example()], b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "hello\n");
    assert_eq!(stderr(&output), "");
}

#[test]
fn run_is_the_default_command() {
    let output = run_ember(&[&hello_example()], b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "hello\n");
}

#[test]
fn binary_modules_run_too() {
    let dir = scratch("binary-module");
    let wasm = wat::parse_file(hello_example()).unwrap();
    let path = dir.join("hello.wasm");
    std::fs::write(&path, wasm).unwrap();
    let output = run_ember(&["run", path.to_str().unwrap()], b"");
    assert_eq!(stdout(&output), "hello\n");
    let output = run_ember(&["validate", path.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).ends_with("hello.wasm: valid\n"));
}

const MATH: &str = r#"
(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "split") (param i64) (result i32 i64 f64)
    (i32.wrap_i64 (local.get 0))
    (i64.mul (local.get 0) (i64.const 2))
    (f64.convert_i64_s (local.get 0)))
  (func (export "half") (param f32) (result f32)
    (f32.mul (local.get 0) (f32.const 0.5)))
  (func (export "nothing")))
"#;

#[test]
fn invoke_prints_results_one_per_line() {
    let dir = scratch("invoke");
    let math = wat_file(&dir, "math.wat", MATH);
    let math = math.to_str().unwrap();
    let output = run_ember(&["run", "--invoke", "add", math, "40", "2"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "42\n");
    let output = run_ember(&["--invoke", "add", math, "-5", "0x3"], b"");
    assert_eq!(stdout(&output), "-2\n");
    let output = run_ember(&["--invoke", "split", math, "-3"], b"");
    assert_eq!(stdout(&output), "-3\n-6\n-3\n");
    let output = run_ember(&["--invoke", "half", math, "5"], b"");
    assert_eq!(stdout(&output), "2.5\n");
    let output = run_ember(&["--invoke", "nothing", math], b"");
    assert_eq!(
        (output.status.code(), stdout(&output)),
        (Some(0), String::new())
    );
}

#[test]
fn invoke_checks_its_arguments() {
    let dir = scratch("invoke-errors");
    let math = wat_file(&dir, "math.wat", MATH);
    let math = math.to_str().unwrap();
    one_line_error(
        &run_ember(&["--invoke", "add", math, "1"], b""),
        2,
        "takes 2 arguments, 1 given",
    );
    one_line_error(
        &run_ember(&["--invoke", "add", math, "1", "x"], b""),
        2,
        "cannot read `x`",
    );
    one_line_error(
        &run_ember(&["--invoke", "sub", math], b""),
        2,
        "exports no function `sub`",
    );
    one_line_error(&run_ember(&[math], b""), 1, "exports no `_start` function");
}

#[test]
fn a_trap_reports_its_kind_function_and_backtrace() {
    let dir = scratch("trap");
    let module = wat_file(
        &dir,
        "trap.wat",
        r#"(module
             (func $divide (param i32 i32) (result i32)
               (i32.div_s (local.get 0) (local.get 1)))
             (func $compute (result i32) (call $divide (i32.const 1) (i32.const 0)))
             (func (export "_start") (drop (call $compute))))"#,
    );
    let output = run_ember(&["run", module.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(134));
    let err = stderr(&output);
    let lines: Vec<_> = err.lines().collect();
    assert_eq!(
        lines[0],
        "error: wasm trap in `divide`: integer divide by zero"
    );
    assert_eq!(lines[1], "wasm backtrace:");
    assert_eq!(lines[2].trim(), "0: divide (func 0)");
    assert_eq!(lines[3].trim(), "1: compute (func 1)");
    assert_eq!(lines[4].trim(), "2: func 2");
    assert_eq!(lines.len(), 5, "{err}");
}

#[test]
fn proc_exit_sets_the_exit_status() {
    let dir = scratch("proc-exit");
    let module = wat_file(
        &dir,
        "exit.wat",
        r#"(module
             (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
             (memory (export "memory") 1)
             (func (export "_start") (call $exit (i32.const 5)) unreachable))"#,
    );
    let output = run_ember(&["run", module.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(stderr(&output), "");
}

#[test]
fn invalid_files_get_one_line_errors() {
    let dir = scratch("invalid");
    let garbage = dir.join("garbage.wasm");
    std::fs::write(&garbage, b"\x7fELF\x02\x01\x01\x00 not wasm at all").unwrap();
    one_line_error(
        &run_ember(&["run", garbage.to_str().unwrap()], b""),
        1,
        "is not a valid WebAssembly module: magic header not detected",
    );
    let truncated = dir.join("truncated.wasm");
    std::fs::write(&truncated, b"\0asm\x01\0\0\0\x01\x05").unwrap();
    one_line_error(
        &run_ember(&["run", truncated.to_str().unwrap()], b""),
        1,
        "unexpected end",
    );
    let bad_text = wat_file(
        &dir,
        "bad.wat",
        "(module\n  (func (result i32)\n    (i32.add)))",
    );
    one_line_error(
        &run_ember(&["validate", bad_text.to_str().unwrap()], b""),
        1,
        "type mismatch",
    );
    let bad_syntax = wat_file(
        &dir,
        "syntax.wat",
        "(module\n  (func $f\n    (i32.const 1)\n",
    );
    one_line_error(
        &run_ember(&["run", bad_syntax.to_str().unwrap()], b""),
        1,
        "is not valid text format",
    );
    one_line_error(
        &run_ember(&["run", dir.join("absent.wasm").to_str().unwrap()], b""),
        1,
        "cannot read",
    );
    let unknown_import = wat_file(
        &dir,
        "import.wat",
        r#"(module (import "env" "missing" (func)) (func (export "_start")))"#,
    );
    one_line_error(
        &run_ember(&["run", unknown_import.to_str().unwrap()], b""),
        1,
        "unknown import: `env::missing`",
    );
    let wrong_signature = wat_file(
        &dir,
        "signature.wat",
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32)))
                   (func (export "_start")))"#,
    );
    one_line_error(
        &run_ember(&["run", wrong_signature.to_str().unwrap()], b""),
        1,
        "cannot instantiate",
    );
}

#[test]
fn every_truncation_of_a_module_is_an_error_not_a_crash() {
    let dir = scratch("truncations");
    let wasm = wat::parse_file(hello_example()).unwrap();
    let path = dir.join("cut.wasm");
    for len in 0..wasm.len() {
        std::fs::write(&path, &wasm[..len]).unwrap();
        let output = run_ember(&["run", path.to_str().unwrap()], b"");
        // Some prefixes are valid modules (without their later sections).
        let status = output.status.code();
        assert!(
            status == Some(0) || status == Some(1),
            "length {len}: {status:?}"
        );
        assert!(!stderr(&output).contains("panicked"), "length {len}");
        if status == Some(1) {
            assert_eq!(stderr(&output).lines().count(), 1, "length {len}");
        }
    }
}

const SPIN: &str = r#"
(module
  (func (export "count") (param i32) (result i32) (local i32)
    (loop $again
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 1))
  (func (export "_start") (loop $forever (br $forever))))
"#;

#[test]
fn fuel_stops_runaway_programs() {
    let dir = scratch("fuel");
    let spin = wat_file(&dir, "spin.wat", SPIN);
    let spin = spin.to_str().unwrap();
    let output = run_ember(&["run", "--fuel", "100000", spin], b"");
    assert_eq!(output.status.code(), Some(134));
    assert!(stderr(&output).starts_with("error: wasm trap in func 1: all fuel consumed\n"));
    let output = run_ember(
        &["--fuel", "100000", "--invoke", "count", spin, "1000"],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "1000\n");
    let output = run_ember(&["--fuel", "100", "--invoke", "count", spin, "1000"], b"");
    assert_eq!(output.status.code(), Some(134));
}

const GROW: &str = r#"
(module
  (memory (export "memory") 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "poke") (param i32) (result i32)
    (i32.store8 (local.get 0) (i32.const 7))
    (i32.load8_u (local.get 0))))
"#;

#[test]
fn max_memory_limits_growth() {
    let dir = scratch("max-memory");
    let grow = wat_file(&dir, "grow.wat", GROW);
    let grow = grow.to_str().unwrap();
    let output = run_ember(&["--invoke", "grow", grow, "3"], b"");
    assert_eq!(stdout(&output), "1\n");
    let output = run_ember(
        &["--max-memory", "128K", "--invoke", "grow", grow, "1"],
        b"",
    );
    assert_eq!(stdout(&output), "1\n");
    let output = run_ember(
        &["--max-memory", "128K", "--invoke", "grow", grow, "2"],
        b"",
    );
    assert_eq!(stdout(&output), "-1\n");
    let output = run_ember(&["--max-memory", "0", "--invoke", "grow", grow, "0"], b"");
    one_line_error(&output, 1, "exceeds the limit");
    // Past the end of the one page: a trap, not a crash.
    let output = run_ember(&["--invoke", "poke", grow, "65536"], b"");
    assert_eq!(output.status.code(), Some(134));
    assert!(stderr(&output).contains("out of bounds memory access"));
    let output = run_ember(&["--invoke", "poke", grow, "65535"], b"");
    assert_eq!(stdout(&output), "7\n");
}

#[test]
fn every_tier_runs_the_example_and_traps_alike() {
    for tier in ["interp", "jit", "auto"] {
        let output = run_ember(&["run", "--tier", tier, &hello_example()], b"");
        assert_eq!(stdout(&output), "hello\n", "--tier {tier}");
        assert_eq!(output.status.code(), Some(0), "--tier {tier}");
    }
    one_line_error(
        &run_ember(&["--tier", "fast", &hello_example()], b""),
        2,
        "invalid --tier",
    );
}

#[test]
fn compile_reports_every_function_compiled() {
    let output = run_ember(&["compile", &hello_example()], b"");
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    assert!(
        out.contains("functions compiled, 0 left to the interpreter"),
        "{out}"
    );
    assert!(out.contains("MB/s of Wasm"), "{out}");
}

#[test]
fn version_help_and_usage_errors() {
    let output = run_ember(&["--version"], b"");
    assert_eq!(
        stdout(&output),
        format!("ember {}\n", env!("CARGO_PKG_VERSION"))
    );
    let output = run_ember(&["--help"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("ember run [OPTIONS] FILE [ARGS...]"));
    assert!(stdout(&output).contains("--dir HOST[::GUEST]"));
    one_line_error(
        &run_ember(&["--frobnicate", "x.wasm"], b""),
        2,
        "--frobnicate",
    );
    one_line_error(&run_ember(&[], b""), 2, "missing FILE");
    one_line_error(
        &run_ember(&["run", "--fuel", "lots", "x.wasm"], b""),
        2,
        "lots",
    );
    one_line_error(
        &run_ember(&["run", "--dir", "/no/such/dir", &hello_example()], b""),
        1,
        "cannot open directory",
    );
}

/// WASI functions that C programs rarely reach, called directly.
const WASI_CALLS: &str = r#"
(module
  (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $sock_shutdown (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "sock_accept") (param i32) (result i32) (call $sock_accept (local.get 0) (i32.const 0) (i32.const 0)))
  (func (export "sock_shutdown") (param i32) (result i32) (call $sock_shutdown (local.get 0) (i32.const 1)))
  (func (export "proc_raise") (result i32) (call $proc_raise (i32.const 6)))
  (func (export "sched_yield") (result i32) (call $sched_yield))
  (func (export "renumber") (param i32 i32) (result i32) (call $fd_renumber (local.get 0) (local.get 1)))
  (func (export "seek_stdout") (result i32) (call $fd_seek (i32.const 1) (i64.const 0) (i32.const 0) (i32.const 0)))
  ;; The name of preopen 3, read into memory at 100, written to stdout.
  (func (export "preopen_name") (result i32)
    (local $errno i32)
    (local.set $errno (call $fd_prestat_get (i32.const 3) (i32.const 0)))
    (if (local.get $errno) (then (return (local.get $errno))))
    (local.set $errno (call $fd_prestat_dir_name (i32.const 3) (i32.const 100) (i32.load (i32.const 4))))
    (if (local.get $errno) (then (return (local.get $errno))))
    (i32.store (i32.const 16) (i32.const 100))
    (i32.store (i32.const 20) (i32.load (i32.const 4)))
    (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
  ;; A write to fd 9 after renumbering stdout to it.
  (func (export "write_after_renumber") (result i32)
    (drop (call $fd_renumber (i32.const 1) (i32.const 3)))
    (i32.store (i32.const 16) (i32.const 100))
    (i32.store (i32.const 20) (i32.const 3))
    (i32.store (i32.const 100) (i32.const 0x0a6b6f)) ;; "ok\n"
    (call $fd_write (i32.const 3) (i32.const 16) (i32.const 1) (i32.const 24)))
  ;; Sleeps 30 ms with a relative monotonic clock subscription; returns the
  ;; milliseconds that passed, or -errno.
  (func (export "sleep_ms") (result i64)
    (local $errno i32)
    (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 300)))
    (i64.store (i32.const 200) (i64.const 42))         ;; userdata
    (i32.store8 (i32.const 208) (i32.const 0))          ;; eventtype clock
    (i32.store (i32.const 216) (i32.const 1))           ;; monotonic
    (i64.store (i32.const 224) (i64.const 30000000))    ;; 30 ms
    (i64.store (i32.const 232) (i64.const 0))
    (i32.store16 (i32.const 240) (i32.const 0))         ;; relative
    (local.set $errno (call $poll_oneoff (i32.const 200) (i32.const 400) (i32.const 1) (i32.const 500)))
    (if (local.get $errno) (then (return (i64.sub (i64.const 0) (i64.extend_i32_u (local.get $errno))))))
    (if (i32.ne (i32.load (i32.const 500)) (i32.const 1)) (then (return (i64.const -1000))))
    (if (i64.ne (i64.load (i32.const 400)) (i64.const 42)) (then (return (i64.const -1001))))
    (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 308)))
    (i64.div_u (i64.sub (i64.load (i32.const 308)) (i64.load (i32.const 300))) (i64.const 1000000))))
"#;

#[test]
fn rarely_used_wasi_functions() {
    let dir = scratch("wasi-calls");
    let module = wat_file(&dir, "calls.wat", WASI_CALLS);
    let module = module.to_str().unwrap();
    let call = |args: &[&str]| {
        let mut all = vec!["--dir", dir.to_str().unwrap(), "--invoke"];
        all.extend_from_slice(args);
        let output = run_ember(&all, b"");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        stdout(&output)
    };
    // No descriptor is a socket; a closed one is EBADF.
    assert_eq!(call(&["sock_accept", module, "1"]), "57\n");
    assert_eq!(call(&["sock_shutdown", module, "0"]), "57\n");
    assert_eq!(call(&["sock_accept", module, "77"]), "8\n");
    assert_eq!(call(&["proc_raise", module]), "58\n");
    assert_eq!(call(&["sched_yield", module]), "0\n");
    assert_eq!(call(&["renumber", module, "1", "77"]), "8\n");
    assert_eq!(call(&["seek_stdout", module]), "70\n");
    assert_eq!(
        call(&["preopen_name", module]),
        format!("{}0\n", dir.display())
    );
    assert_eq!(call(&["write_after_renumber", module]), "ok\n0\n");
    let slept: i64 = call(&["sleep_ms", module]).trim().parse().unwrap();
    assert!((30..2000).contains(&slept), "slept {slept} ms");
}

/// Arguments a hostile guest might pass: each gets an errno, never a crash
/// or an unbounded host allocation.
const HOSTILE: &str = r#"
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 300 iovecs, each the whole memory: far more than one write moves.
  (func (export "huge_write") (result i32)
    (local $i i32)
    (loop $fill
      (i32.store (i32.add (i32.const 1024) (i32.mul (local.get $i) (i32.const 8))) (i32.const 0))
      (i32.store (i32.add (i32.const 1028) (i32.mul (local.get $i) (i32.const 8))) (i32.const 65536))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 300))))
    (drop (call $fd_write (i32.const 2) (i32.const 1024) (i32.const 300) (i32.const 0)))
    (i32.load (i32.const 0)))
  (func (export "args_out_of_bounds") (result i32) (call $args_get (i32.const 65535) (i32.const 0)))
  (func (export "long_path") (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 65536)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))
  (func (export "path_past_memory") (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 65530) (i32.const 100)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))
  (func (export "no_subscriptions") (result i32)
    (call $poll_oneoff (i32.const 0) (i32.const 100) (i32.const 0) (i32.const 200)))
  (func (export "readdir_far_cookie") (result i32)
    (local $errno i32)
    (i32.store (i32.const 8) (i32.const 99))
    (local.set $errno (call $fd_readdir (i32.const 3) (i32.const 100) (i32.const 1000) (i64.const -1) (i32.const 8)))
    (if (local.get $errno) (then (return (local.get $errno))))
    (i32.load (i32.const 8)))
  (func (export "random_everywhere") (result i32) (call $random_get (i32.const 0) (i32.const 65536)))
  (func (export "random_past_memory") (result i32) (call $random_get (i32.const 1) (i32.const 65536))))
"#;

#[test]
fn hostile_arguments_get_errors_not_crashes() {
    let dir = scratch("hostile");
    let module = wat_file(&dir, "hostile.wat", HOSTILE);
    let module = module.to_str().unwrap();
    let call = |name: &str| {
        let output = run_ember(
            &["--dir", dir.to_str().unwrap(), "--invoke", name, module],
            b"",
        );
        assert_eq!(output.status.code(), Some(0), "{name}");
        (stdout(&output), output.stderr.len())
    };
    // A write moves at most 16 MiB, and says so.
    assert_eq!(call("huge_write"), ("16777216\n".to_string(), 16 << 20));
    assert_eq!(call("args_out_of_bounds").0, "21\n");
    assert_eq!(call("long_path").0, "37\n");
    assert_eq!(call("path_past_memory").0, "21\n");
    assert_eq!(call("no_subscriptions").0, "28\n");
    assert_eq!(call("readdir_far_cookie").0, "0\n");
    assert_eq!(call("random_everywhere").0, "0\n");
    assert_eq!(call("random_past_memory").0, "21\n");
}

/// Every function of `wasi_snapshot_preview1` with its signature from the
/// WASI specification (witx), independent of how Ember lists them.
const ALL_OF_PREVIEW_1: &str = r#"
(module
  (import "wasi_snapshot_preview1" "args_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_res_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_advise" (func (param i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_allocate" (func (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_datasync" (func (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_rights" (func (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_size" (func (param i32 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_times" (func (param i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pread" (func (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pwrite" (func (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_sync" (func (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_tell" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_set_times" (func (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link" (func (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_readlink" (func (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_remove_directory" (func (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename" (func (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (import "wasi_snapshot_preview1" "proc_raise" (func (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send" (func (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
"#;

#[test]
fn every_preview_1_function_links_with_its_signature() {
    assert_eq!(ALL_OF_PREVIEW_1.matches("(import ").count(), 46);
    let dir = scratch("all-of-preview-1");
    let module = wat_file(&dir, "all.wat", ALL_OF_PREVIEW_1);
    let output = run_ember(&["run", module.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
