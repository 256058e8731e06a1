//! Real C programs, compiled to `wasm32-wasi` at test time, run under
//! `ember`: standard streams, arguments and environment, files in a
//! preopened directory, clocks, randomness, polling, exit codes, and
//! attempts to escape the sandbox.

mod common;

use std::io::Write;
use std::os::unix::fs::symlink;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{compile_c, ember, run_ember, run_ember_in, scratch, stderr, stdout};

#[test]
fn stdin_is_read_and_stdout_and_stderr_are_written() {
    let wasm = compile_c("stdio");
    let input = "hello, world\nsecond line\n".repeat(500);
    let output = run_ember(&["run", wasm.to_str().unwrap()], input.as_bytes());
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), input.to_uppercase());
    assert_eq!(stderr(&output), format!("read {} bytes\n", input.len()));
}

#[test]
fn arguments_and_environment_reach_the_program() {
    let wasm = compile_c("args_env");
    let output = run_ember(
        &[
            "run",
            "--env",
            "GREETING=hello there",
            "--env=OTHER=1",
            wasm.to_str().unwrap(),
            "first",
            "two words",
            "--not-an-ember-option",
        ],
        b"",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "argc=4\n\
         argv[1]=first\n\
         argv[2]=two words\n\
         argv[3]=--not-an-ember-option\n\
         GREETING=hello there\n\
         MISSING=(unset)\n\
         environ count=2\n"
    );
}

#[test]
fn files_in_a_preopened_directory() {
    let wasm = compile_c("files");
    let dir = scratch("files");
    let preopen = format!("{}::/sandbox", dir.display());
    let output = run_ember(
        &["run", "--dir", &preopen, wasm.to_str().unwrap(), "/sandbox"],
        b"",
    );
    let out = stdout(&output);
    assert!(output.status.success(), "{out}{}", stderr(&output));
    assert!(!out.contains("FAIL"), "{out}");
    assert!(out.contains("entries: b.txt c.txt\n"), "{out}");
    assert!(out.ends_with("failures=0\n"), "{out}");
    assert_eq!(out.matches("ok: ").count(), 43, "{out}");
    // What the guest left behind, seen from the host.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left, ["kept.txt"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("kept.txt")).unwrap(),
        "written by the guest\n"
    );
}

#[test]
fn a_directory_is_visible_under_its_host_name_by_default() {
    let wasm = compile_c("files");
    let dir = scratch("files-default-name");
    std::fs::create_dir(dir.join("data")).unwrap();
    let output = run_ember_in(
        Some(&dir),
        &["run", "--dir", "data", wasm.to_str().unwrap(), "data"],
        b"",
    );
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(dir.join("data/kept.txt").exists());
}

#[test]
fn clocks_and_randomness_work() {
    let wasm = compile_c("clocks_random");
    let host_before = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let output = run_ember(&["run", wasm.to_str().unwrap()], b"");
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    let field = |name: &str| -> i64 {
        let start = out.find(&format!("{name}=")).expect(name) + name.len() + 1;
        out[start..]
            .split(|c: char| !c.is_ascii_digit() && c != '-')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let guest_now = field("realtime_s") as u64;
    assert!(
        guest_now >= host_before && guest_now <= host_before + 60,
        "guest wall clock {guest_now}, host {host_before}"
    );
    assert_eq!(field("monotonic_res_ok"), 1);
    assert_eq!(field("nanosleep"), 0);
    let slept = field("slept_ms");
    assert!((20..2000).contains(&slept), "a 20 ms sleep took {slept} ms");
    assert_eq!(field("cputime_ok"), 1);
    assert_eq!(field("random_differs"), 1);
    assert_eq!(field("random_nonzero"), 1);
}

#[test]
fn exit_codes_are_the_programs() {
    let wasm = compile_c("exit_code");
    let wasm = wasm.to_str().unwrap();
    for (how, code) in [
        ("exit", 0),
        ("exit", 3),
        ("exit", 42),
        ("return", 0),
        ("return", 7),
    ] {
        let output = run_ember(&["run", wasm, how, &code.to_string()], b"");
        assert_eq!(output.status.code(), Some(code), "{how} {code}");
        assert_eq!(stdout(&output), format!("ending with {how} {code}\n"));
        assert_eq!(stderr(&output), "");
    }
}

#[test]
fn abort_is_a_trap_with_a_backtrace() {
    let wasm = compile_c("exit_code");
    let output = run_ember(&["run", wasm.to_str().unwrap(), "abort", "1"], b"");
    assert_eq!(output.status.code(), Some(134));
    let err = stderr(&output);
    assert!(
        err.starts_with("error: wasm trap in `abort`: unreachable\nwasm backtrace:\n"),
        "{err}"
    );
    assert!(err.contains(": main (func "), "{err}");
    assert!(err.contains(": _start (func "), "{err}");
}

#[test]
fn the_sandbox_cannot_be_escaped() {
    let wasm = compile_c("sandbox");
    let root = scratch("sandbox");
    let inside = root.join("box");
    let outside = root.join("outside");
    std::fs::create_dir_all(inside.join("sub")).unwrap();
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(inside.join("inside.txt"), "inside data\n").unwrap();
    std::fs::write(outside.join("secret.txt"), "secret\n").unwrap();
    symlink("../outside", inside.join("link_out")).unwrap();
    symlink(&outside, inside.join("abs_link")).unwrap();
    symlink("../outside/secret.txt", inside.join("file_link")).unwrap();
    let secret_mtime = std::fs::metadata(outside.join("secret.txt"))
        .unwrap()
        .modified()
        .unwrap();

    let preopen = format!("{}::/sandbox", inside.display());
    let output = run_ember(
        &["run", "--dir", &preopen, wasm.to_str().unwrap(), "/sandbox"],
        b"",
    );
    let out = stdout(&output);
    assert!(output.status.success(), "{out}{}", stderr(&output));
    assert!(out.starts_with("inside: inside data\n"), "{out}");
    assert!(!out.contains("ESCAPED"), "{out}");
    assert_eq!(out.matches("blocked: ").count(), 26, "{out}");
    assert!(out.ends_with("escaped=0\n"), "{out}");

    // Nothing outside changed.
    let mut outside_names: Vec<_> = std::fs::read_dir(&outside)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    outside_names.sort();
    assert_eq!(outside_names, ["secret.txt"]);
    assert_eq!(
        std::fs::read_to_string(outside.join("secret.txt")).unwrap(),
        "secret\n"
    );
    let mtime_now = std::fs::metadata(outside.join("secret.txt"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(mtime_now, secret_mtime);
    let mut root_names: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    root_names.sort();
    assert_eq!(root_names, ["box", "outside"]);
    assert!(inside.join("inside.txt").exists());
}

#[test]
fn poll_waits_for_stdin_and_sees_files_ready() {
    let wasm = compile_c("poll");
    let dir = scratch("poll");
    std::fs::write(dir.join("data.txt"), "data\n").unwrap();
    let preopen = format!("{}::/d", dir.display());
    let mut child = ember()
        .args(["run", "--dir", &preopen, wasm.to_str().unwrap(), "/d"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The program's first poll (100 ms) must time out before this arrives.
    std::thread::sleep(Duration::from_millis(1500));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"ping\n").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "first poll: ready=0 after_ms>=100:1\n\
         second poll: ready=1 pollin=1 read=ping\n\
         file poll: ready=1 pollin=1\n"
    );
}
