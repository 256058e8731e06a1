//! `ember-spec`: runs spec testsuite folders or `.wast` files against Ember
//! and prints one line per file and the assertion totals.
//!
//! ```text
//! ember-spec [--tier interp|jit|auto] [-v|--verbose] [SUITE-OR-FILE ...]
//! ```
//!
//! Exits 0 when everything passed (known failures aside), 1 when something
//! failed, 2 on a usage error.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use ember_spec::{KnownFailures, Options, Tier, Verdict, WastFile, resolve, run_file};

const USAGE: &str = "usage: ember-spec [--tier interp|jit|auto] [-v|--verbose] [SUITE-OR-FILE ...]

SUITE-OR-FILE is a testsuite folder (wasm-v1, wasm-v2, wasm-v3, wasm-latest,
proposals/NAME), one file of it (wasm-v2/i32.wast), or a .wast file or
directory on disk. The default is wasm-v2.";

/// The command line, parsed.
struct Args {
    options: Options,
    targets: Vec<String>,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut options = Options::default();
    let mut targets = Vec::new();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "-v" | "--verbose" => options.verbose = true,
            "--tier" => {
                let tier = args
                    .next()
                    .ok_or("`--tier` needs a value (interp, jit or auto)")?;
                options.tier = tier.parse::<Tier>()?;
            }
            _ if arg.starts_with("--tier=") => {
                options.tier = arg["--tier=".len()..].parse::<Tier>()?
            }
            _ if arg.starts_with('-') => return Err(format!("unknown option `{arg}`")),
            _ => targets.push(arg),
        }
    }
    if targets.is_empty() {
        targets.push("wasm-v2".to_string());
    }
    Ok(Some(Args { options, targets }))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut files: Vec<WastFile> = Vec::new();
    for target in &args.targets {
        match resolve(target) {
            Ok(found) => files.extend(found),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }

    let known = KnownFailures::load();
    let (mut passed, mut failed, mut run_fails) = (0, 0, false);
    let (mut compiled, mut declined, mut helper_instrs) = (0, 0, 0);
    for file in &files {
        let report = run_file(file, &args.options);
        let verdict = report.verdict(&known);
        println!("{}", report.status_line(verdict));
        if args.options.verbose && verdict != Verdict::Pass {
            for line in report.failure_lines() {
                println!("    {line}");
            }
        }
        passed += report.passed;
        failed += report.failures.len();
        compiled += report.jit.compiled;
        declined += report.jit.declined;
        helper_instrs += report.jit.helper_instrs;
        run_fails |= verdict.fails_run();
    }
    if args.options.tier != Tier::Interp {
        println!(
            "jit: {compiled} functions compiled, {declined} left to the interpreter, \
             {helper_instrs} instructions run through the interpreter helper"
        );
    }
    println!("total: {passed} passed, {failed} failed");
    if run_fails {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
