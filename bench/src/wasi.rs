//! Just enough WASI preview 1 to run the benchmark workloads in-process:
//! arguments, writes to stdout/stderr (captured), `fd_fdstat_get`,
//! `fd_seek`/`fd_close` stubs and `proc_exit`. The real WASI lives in
//! `ember-platform-std`; this one keeps the in-process benchmarks free of
//! files and of the host's output.

use ember_core::{Caller, Error, Extern, Linker, Memory};

/// The module name of every WASI preview 1 import.
pub const MODULE: &str = "wasi_snapshot_preview1";

const ERRNO_SUCCESS: i32 = 0;
const ERRNO_BADF: i32 = 8;
const ERRNO_SPIPE: i32 = 70;

/// Per-store state of the WASI functions.
#[derive(Debug, Default)]
pub struct WasiState {
    /// `argv`, program name first.
    pub args: Vec<String>,
    /// Everything written to file descriptor 1.
    pub stdout: Vec<u8>,
    /// Everything written to file descriptor 2.
    pub stderr: Vec<u8>,
}

impl WasiState {
    /// A state whose program sees `args` (program name first).
    pub fn new(args: &[&str]) -> Self {
        WasiState {
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            ..WasiState::default()
        }
    }
}

/// The error `proc_exit` stops the program with; `_start` callers treat
/// code 0 as success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit(pub i32);

impl core::fmt::Display for Exit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "the program exited with code {}", self.0)
    }
}

impl core::error::Error for Exit {}

fn memory(caller: &Caller<'_, WasiState>) -> Result<Memory, Error> {
    caller
        .get_export("memory")
        .and_then(Extern::into_memory)
        .ok_or_else(|| Error::msg("the module exports no memory"))
}

fn read_u32(caller: &Caller<'_, WasiState>, memory: Memory, at: u32) -> Result<u32, Error> {
    let mut bytes = [0; 4];
    memory.read(caller, at as usize, &mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

fn write_bytes(
    caller: &mut Caller<'_, WasiState>,
    memory: Memory,
    at: u32,
    bytes: &[u8],
) -> Result<(), Error> {
    memory.write(caller, at as usize, bytes)
}

/// Defines the WASI functions the workloads import in `linker`.
pub fn add_to_linker(linker: &mut Linker<WasiState>) -> Result<(), Error> {
    linker.func_wrap(
        MODULE,
        "args_sizes_get",
        |mut caller: Caller<'_, WasiState>, count_at: u32, size_at: u32| -> Result<i32, Error> {
            let memory = memory(&caller)?;
            let count = caller.data().args.len() as u32;
            let size: usize = caller.data().args.iter().map(|a| a.len() + 1).sum();
            write_bytes(&mut caller, memory, count_at, &count.to_le_bytes())?;
            write_bytes(&mut caller, memory, size_at, &(size as u32).to_le_bytes())?;
            Ok(ERRNO_SUCCESS)
        },
    )?;
    linker.func_wrap(
        MODULE,
        "args_get",
        |mut caller: Caller<'_, WasiState>,
         pointers_at: u32,
         strings_at: u32|
         -> Result<i32, Error> {
            let memory = memory(&caller)?;
            let args = caller.data().args.clone();
            let mut next = strings_at;
            for (i, arg) in args.iter().enumerate() {
                write_bytes(
                    &mut caller,
                    memory,
                    pointers_at + 4 * i as u32,
                    &next.to_le_bytes(),
                )?;
                let mut bytes = arg.as_bytes().to_vec();
                bytes.push(0);
                write_bytes(&mut caller, memory, next, &bytes)?;
                next += bytes.len() as u32;
            }
            Ok(ERRNO_SUCCESS)
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_write",
        |mut caller: Caller<'_, WasiState>,
         fd: i32,
         iovecs_at: u32,
         iovecs_len: u32,
         written_at: u32|
         -> Result<i32, Error> {
            if !(1..=2).contains(&fd) {
                return Ok(ERRNO_BADF);
            }
            let memory = memory(&caller)?;
            let mut data = Vec::new();
            for i in 0..iovecs_len {
                let base = read_u32(&caller, memory, iovecs_at + 8 * i)?;
                let len = read_u32(&caller, memory, iovecs_at + 8 * i + 4)?;
                let start = data.len();
                data.resize(start + len as usize, 0);
                memory.read(&caller, base as usize, &mut data[start..])?;
            }
            let written = data.len() as u32;
            let state = caller.data_mut();
            if fd == 1 {
                state.stdout.extend_from_slice(&data);
            } else {
                state.stderr.extend_from_slice(&data);
            }
            write_bytes(&mut caller, memory, written_at, &written.to_le_bytes())?;
            Ok(ERRNO_SUCCESS)
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_fdstat_get",
        |mut caller: Caller<'_, WasiState>, fd: i32, stat_at: u32| -> Result<i32, Error> {
            if !(0..=2).contains(&fd) {
                return Ok(ERRNO_BADF);
            }
            let memory = memory(&caller)?;
            // fdstat: filetype u8 (2 = character device), flags u16 at 2,
            // base and inheriting rights u64 at 8 and 16.
            let mut stat = [0u8; 24];
            stat[0] = 2;
            stat[8..24].fill(0xff);
            write_bytes(&mut caller, memory, stat_at, &stat)?;
            Ok(ERRNO_SUCCESS)
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_seek",
        |_fd: i32, _offset: i64, _whence: i32, _result_at: u32| ERRNO_SPIPE,
    )?;
    linker.func_wrap(MODULE, "fd_close", |_fd: i32| ERRNO_SUCCESS)?;
    linker.func_wrap(MODULE, "proc_exit", |code: i32| -> Result<(), Error> {
        Err(Error::host(Exit(code)))
    })?;
    Ok(())
}
