//! The command line of `ember`: subcommands and options, parsed into a
//! [`Command`], with the help text.

use std::ffi::OsString;
use std::path::PathBuf;

use lexopt::prelude::*;

pub const HELP: &str = "\
ember: run WebAssembly modules (WASI preview 1)

Usage:
  ember run [OPTIONS] FILE [ARGS...]   run a .wasm or .wat file
  ember [OPTIONS] FILE [ARGS...]       the same
  ember validate FILE                  check that FILE is a valid module
  ember compile FILE                   compile every function of FILE to
                                       native code and report the JIT's
                                       output size and speed (nothing runs)
  ember --version | --help

Options of `run` (before FILE; everything after FILE goes to the program):
  --dir HOST[::GUEST]   give the program the host directory HOST, visible to it
                        as GUEST (default: HOST); nothing outside is reachable
  --env NAME=VALUE      set an environment variable of the program
  --env NAME            pass the host's value of NAME
  --invoke FUNC         call the exported function FUNC with ARGS as its
                        parameters instead of `_start`; print its results,
                        one per line
  --fuel N              stop the program with a trap after N units of fuel
                        (about one per Wasm instruction)
  --max-memory BYTES    largest linear memory the program may have (suffixes
                        K, M, G: binary multiples)
  --tier TIER           `auto` (the default: functions start in the
                        interpreter and hot ones are compiled to native
                        code), `jit` (compile every function before its
                        first call) or `interp` (interpreter only)

Exit status: the program's exit code (proc_exit, or 0 when `_start`
returns); 1 when the file cannot be loaded or linked; 2 for a bad command
line; 134 when the program traps.
";

/// Which execution tier to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Interp,
    Jit,
    Auto,
}

/// How to run a module.
#[derive(Debug, Default)]
pub struct RunOptions {
    pub file: PathBuf,
    /// The program's arguments after its name.
    pub args: Vec<OsString>,
    /// `(host, guest)` directory pairs.
    pub dirs: Vec<(PathBuf, String)>,
    pub env: Vec<(OsString, OsString)>,
    pub invoke: Option<String>,
    pub fuel: Option<u64>,
    pub max_memory: Option<u64>,
    pub tier: Option<Tier>,
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Run(RunOptions),
    Validate(PathBuf),
    Compile(PathBuf),
    Help,
    Version,
}

/// Parses the arguments after the program name.
pub fn parse(args: Vec<OsString>) -> Result<Command, lexopt::Error> {
    let mut args = args.into_iter().peekable();
    match args.peek().and_then(|a| a.to_str()) {
        Some("run") => {
            args.next();
            parse_run(lexopt::Parser::from_args(args))
        }
        Some("validate") => {
            args.next();
            parse_validate(lexopt::Parser::from_args(args))
        }
        Some("compile") => {
            args.next();
            match parse_validate(lexopt::Parser::from_args(args))? {
                Command::Validate(file) => Ok(Command::Compile(file)),
                other => Ok(other),
            }
        }
        Some("help") => Ok(Command::Help),
        _ => parse_run(lexopt::Parser::from_args(args)),
    }
}

fn parse_validate(mut parser: lexopt::Parser) -> Result<Command, lexopt::Error> {
    let mut file = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Value(v) if file.is_none() => file = Some(PathBuf::from(v)),
            _ => return Err(arg.unexpected()),
        }
    }
    file.map(Command::Validate)
        .ok_or_else(|| "missing FILE to validate".into())
}

fn parse_run(mut parser: lexopt::Parser) -> Result<Command, lexopt::Error> {
    let mut run = RunOptions::default();
    let mut file = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Short('V') | Long("version") => return Ok(Command::Version),
            Long("dir") => run.dirs.push(parse_dir(parser.value()?)?),
            Long("env") => run.env.extend(parse_env(parser.value()?)?),
            Long("invoke") => run.invoke = Some(parser.value()?.string()?),
            Long("fuel") => run.fuel = Some(parser.value()?.parse()?),
            Long("max-memory") => run.max_memory = Some(parse_bytes(parser.value()?)?),
            Long("tier") => run.tier = Some(parse_tier(parser.value()?)?),
            Value(v) => {
                file = Some(PathBuf::from(v));
                break;
            }
            _ => return Err(arg.unexpected()),
        }
    }
    run.file = file.ok_or("missing FILE to run")?;
    run.args = parser.raw_args()?.collect();
    Ok(Command::Run(run))
}

fn parse_dir(value: OsString) -> Result<(PathBuf, String), lexopt::Error> {
    let value = value.string()?;
    Ok(match value.split_once("::") {
        Some((host, guest)) if !host.is_empty() && !guest.is_empty() => {
            (PathBuf::from(host), guest.to_string())
        }
        Some(_) => return Err(format!("invalid --dir `{value}`: expected HOST::GUEST").into()),
        None => (PathBuf::from(&value), value),
    })
}

/// `NAME=VALUE`, or `NAME` for the host's value (nothing if it has none).
fn parse_env(value: OsString) -> Result<Option<(OsString, OsString)>, lexopt::Error> {
    let text = value.string()?;
    match text.split_once('=') {
        Some(("", _)) => Err(format!("invalid --env `{text}`: empty name").into()),
        Some((name, value)) => Ok(Some((name.into(), value.into()))),
        None if text.is_empty() => Err("invalid --env: empty name".into()),
        None => Ok(std::env::var_os(&text).map(|host| (text.into(), host))),
    }
}

/// A byte count with an optional binary suffix: `65536`, `64K`, `16M`, `4G`.
fn parse_bytes(value: OsString) -> Result<u64, lexopt::Error> {
    let text = value.string()?;
    let (digits, shift) = match text.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        t if t.ends_with('K') => (t[..t.len() - 1].to_string(), 10),
        t if t.ends_with('M') => (t[..t.len() - 1].to_string(), 20),
        t if t.ends_with('G') => (t[..t.len() - 1].to_string(), 30),
        t => (t.to_string(), 0),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("invalid --max-memory `{text}`: expected a byte count").into())
}

fn parse_tier(value: OsString) -> Result<Tier, lexopt::Error> {
    match value.string()?.as_str() {
        "interp" => Ok(Tier::Interp),
        "jit" => Ok(Tier::Jit),
        "auto" => Ok(Tier::Auto),
        other => Err(format!("invalid --tier `{other}`: expected interp, jit or auto").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_of(args: &[&str]) -> RunOptions {
        match parse(args.iter().map(OsString::from).collect()).unwrap() {
            Command::Run(run) => run,
            other => panic!("expected run, got {other:?}"),
        }
    }

    #[test]
    fn options_before_the_file_belong_to_ember_and_after_it_to_the_program() {
        let run = run_of(&[
            "run",
            "--dir",
            "data::/d",
            "--env=A=1",
            "p.wasm",
            "--env",
            "x",
        ]);
        assert_eq!(run.file, PathBuf::from("p.wasm"));
        assert_eq!(run.dirs, vec![(PathBuf::from("data"), "/d".to_string())]);
        assert_eq!(run.env, vec![("A".into(), "1".into())]);
        assert_eq!(run.args, vec![OsString::from("--env"), OsString::from("x")]);
    }

    #[test]
    fn run_is_implicit() {
        let run = run_of(&["--fuel", "100", "p.wat", "a"]);
        assert_eq!((run.fuel, run.args.len()), (Some(100), 1));
    }

    #[test]
    fn values_are_checked() {
        assert_eq!(
            run_of(&["--max-memory", "64K", "p"]).max_memory,
            Some(65536)
        );
        assert_eq!(
            run_of(&["--max-memory", "2MiB", "p"]).max_memory,
            Some(2 << 20)
        );
        assert_eq!(run_of(&["--dir", ".", "p"]).dirs[0].1, ".");
        let path = std::env::var_os("PATH").unwrap();
        assert_eq!(
            run_of(&["--env", "PATH", "p"]).env,
            vec![("PATH".into(), path)]
        );
        assert!(
            run_of(&["--env", "EMBER_SURELY_UNSET_VARIABLE", "p"])
                .env
                .is_empty()
        );
        assert_eq!(run_of(&["--tier", "jit", "p"]).tier, Some(Tier::Jit));
        let bad = |args: &[&str]| parse(args.iter().map(OsString::from).collect()).is_err();
        assert!(bad(&["--max-memory", "lots", "p"]));
        assert!(bad(&["--tier", "fast", "p"]));
        assert!(bad(&["--fuel", "-1", "p"]));
        assert!(bad(&["--dir", "a::", "p"]));
        assert!(bad(&["--bogus", "p"]));
        assert!(bad(&["run"]));
        assert!(bad(&["validate"]));
    }
}
