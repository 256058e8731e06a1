//! WASI preview 1 (`wasi_snapshot_preview1`): every function of the API as
//! host functions for a [`Linker`], over the host OS. Files are reachable
//! only through preopened directories, resolved by `cap-std`, so `..`,
//! absolute paths and symlinks cannot leave a preopen.
//!
//! ```no_run
//! use ember_core::{Engine, Linker, Module, Store};
//! use ember_platform_std::wasi::{self, WasiCtxBuilder};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = Engine::default();
//! let module = Module::new(&engine, std::fs::read("app.wasm")?)?;
//! let mut linker = Linker::new(&engine);
//! wasi::add_to_linker(&mut linker)?;
//! let ctx = WasiCtxBuilder::new()
//!     .arg("app.wasm")
//!     .env("LANG", "C")
//!     .preopened_dir("data", "/data")?
//!     .build();
//! let mut store = Store::new(&engine, ctx);
//! let instance = linker.instantiate(&mut store, &module)?;
//! let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
//! match start.call(&mut store, ()) {
//!     Ok(()) => {}
//!     Err(e) => match e.downcast_ref::<wasi::ProcExit>() {
//!         Some(exit) => std::process::exit(exit.0 as i32),
//!         None => return Err(e.into()),
//!     },
//! }
//! # Ok(())
//! # }
//! ```

mod abi;
mod dir;
mod environ;
mod fd;
mod guest;
mod path;
mod poll;
mod sock;
mod stat;
mod table;

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use ember_core::{Caller, FuncType, Linker, Val, ValType};

use guest::{Args, Cx, Failure, WasiResult};
use table::FdTable;

/// The module name WASI preview 1 functions are imported from.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// The error a call ends with when the guest calls `proc_exit`: the exit
/// code. Find it with `error.downcast_ref::<ProcExit>()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcExit(pub u32);

impl fmt::Display for ProcExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "guest exited with code {}", self.0)
    }
}

impl std::error::Error for ProcExit {}

/// The state of one WASI guest: arguments, environment and descriptors.
#[derive(Debug)]
pub struct WasiCtx {
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    table: FdTable,
}

/// Store data that holds a [`WasiCtx`].
pub trait WasiView {
    /// The WASI state.
    fn wasi(&mut self) -> &mut WasiCtx;
}

impl WasiView for WasiCtx {
    fn wasi(&mut self) -> &mut WasiCtx {
        self
    }
}

/// Builds a [`WasiCtx`]. The guest gets the host's stdin, stdout and stderr
/// as fds 0-2 and the preopened directories from fd 3 on, in order.
#[derive(Debug)]
pub struct WasiCtxBuilder {
    ctx: WasiCtx,
}

impl Default for WasiCtxBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl WasiCtxBuilder {
    /// No arguments, no environment, no preopened directories.
    pub fn new() -> Self {
        WasiCtxBuilder {
            ctx: WasiCtx {
                args: Vec::new(),
                env: Vec::new(),
                table: FdTable::with_stdio(),
            },
        }
    }

    /// Appends a command-line argument (the first is the program name).
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.ctx.args.push(arg.as_ref().as_bytes().to_vec());
        self
    }

    /// Appends command-line arguments.
    pub fn args<I: IntoIterator<Item = A>, A: AsRef<OsStr>>(&mut self, args: I) -> &mut Self {
        for arg in args {
            self.arg(arg);
        }
        self
    }

    /// Sets environment variable `key` to `value`.
    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Self {
        let key = key.as_ref().as_bytes();
        self.ctx
            .env
            .retain(|kv| !(kv.starts_with(key) && kv.get(key.len()) == Some(&b'=')));
        let mut kv = key.to_vec();
        kv.push(b'=');
        kv.extend_from_slice(value.as_ref().as_bytes());
        self.ctx.env.push(kv);
        self
    }

    /// Gives the guest the host directory `host_path` under the name
    /// `guest_path`. Everything the guest reaches through it stays inside it.
    pub fn preopened_dir(
        &mut self,
        host_path: impl AsRef<Path>,
        guest_path: impl Into<String>,
    ) -> io::Result<&mut Self> {
        let desc = table::preopen(host_path.as_ref(), guest_path.into())?;
        self.ctx
            .table
            .insert(desc)
            .map_err(|_| io::Error::other("too many preopened directories"))?;
        Ok(self)
    }

    /// The finished context (the builder is left empty).
    pub fn build(&mut self) -> WasiCtx {
        std::mem::take(self).ctx
    }
}

/// The body of one WASI function.
type Handler<T> = for<'a, 'b, 'c, 'd> fn(&'a mut Cx<'b, 'c, T>, Args<'d>) -> WasiResult;

/// Defines every `wasi_snapshot_preview1` function in `linker`.
pub fn add_to_linker<T: WasiView + 'static>(linker: &mut Linker<T>) -> ember_core::Result<()> {
    use ValType::{I32, I64};

    // One line per function: name, parameter types, body. Every function
    // returns an `errno` except `proc_exit`, which returns nothing.
    #[rustfmt::skip]
    let functions: [(&str, &[ValType], Handler<T>); 46] = [
        ("args_get", &[I32, I32], environ::args_get),
        ("args_sizes_get", &[I32, I32], environ::args_sizes_get),
        ("environ_get", &[I32, I32], environ::environ_get),
        ("environ_sizes_get", &[I32, I32], environ::environ_sizes_get),
        ("clock_res_get", &[I32, I32], environ::clock_res_get),
        ("clock_time_get", &[I32, I64, I32], environ::clock_time_get),
        ("fd_advise", &[I32, I64, I64, I32], fd::fd_advise),
        ("fd_allocate", &[I32, I64, I64], fd::fd_allocate),
        ("fd_close", &[I32], fd::fd_close),
        ("fd_datasync", &[I32], fd::fd_datasync),
        ("fd_fdstat_get", &[I32, I32], fd::fd_fdstat_get),
        ("fd_fdstat_set_flags", &[I32, I32], fd::fd_fdstat_set_flags),
        ("fd_fdstat_set_rights", &[I32, I64, I64], fd::fd_fdstat_set_rights),
        ("fd_filestat_get", &[I32, I32], fd::fd_filestat_get),
        ("fd_filestat_set_size", &[I32, I64], fd::fd_filestat_set_size),
        ("fd_filestat_set_times", &[I32, I64, I64, I32], fd::fd_filestat_set_times),
        ("fd_pread", &[I32, I32, I32, I64, I32], fd::fd_pread),
        ("fd_prestat_get", &[I32, I32], fd::fd_prestat_get),
        ("fd_prestat_dir_name", &[I32, I32, I32], fd::fd_prestat_dir_name),
        ("fd_pwrite", &[I32, I32, I32, I64, I32], fd::fd_pwrite),
        ("fd_read", &[I32, I32, I32, I32], fd::fd_read),
        ("fd_readdir", &[I32, I32, I32, I64, I32], dir::fd_readdir),
        ("fd_renumber", &[I32, I32], fd::fd_renumber),
        ("fd_seek", &[I32, I64, I32, I32], fd::fd_seek),
        ("fd_sync", &[I32], fd::fd_sync),
        ("fd_tell", &[I32, I32], fd::fd_tell),
        ("fd_write", &[I32, I32, I32, I32], fd::fd_write),
        ("path_create_directory", &[I32, I32, I32], path::path_create_directory),
        ("path_filestat_get", &[I32, I32, I32, I32, I32], path::path_filestat_get),
        ("path_filestat_set_times", &[I32, I32, I32, I32, I64, I64, I32], path::path_filestat_set_times),
        ("path_link", &[I32, I32, I32, I32, I32, I32, I32], path::path_link),
        ("path_open", &[I32, I32, I32, I32, I32, I64, I64, I32, I32], path::path_open),
        ("path_readlink", &[I32, I32, I32, I32, I32, I32], path::path_readlink),
        ("path_remove_directory", &[I32, I32, I32], path::path_remove_directory),
        ("path_rename", &[I32, I32, I32, I32, I32, I32], path::path_rename),
        ("path_symlink", &[I32, I32, I32, I32, I32], path::path_symlink),
        ("path_unlink_file", &[I32, I32, I32], path::path_unlink_file),
        ("poll_oneoff", &[I32, I32, I32, I32], poll::poll_oneoff),
        ("proc_exit", &[I32], environ::proc_exit),
        ("proc_raise", &[I32], environ::proc_raise),
        ("sched_yield", &[], environ::sched_yield),
        ("random_get", &[I32, I32], environ::random_get),
        ("sock_accept", &[I32, I32, I32], sock::sock_accept),
        ("sock_recv", &[I32, I32, I32, I32, I32, I32], sock::sock_recv),
        ("sock_send", &[I32, I32, I32, I32, I32], sock::sock_send),
        ("sock_shutdown", &[I32, I32], sock::sock_shutdown),
    ];

    for (name, params, handler) in functions {
        let results: &[ValType] = if name == "proc_exit" { &[] } else { &[I32] };
        let ty = FuncType::new(params.iter().copied(), results.iter().copied());
        linker.func_new(MODULE, name, ty, move |mut caller, args, results| {
            call(&mut caller, handler, args, results)
        })?;
    }
    Ok(())
}

/// Runs one WASI function and turns its outcome into the `errno` result.
fn call<T: WasiView>(
    caller: &mut Caller<'_, T>,
    handler: Handler<T>,
    args: &[Val],
    results: &mut [Val],
) -> ember_core::Result<()> {
    let mut cx = Cx::new(caller);
    let errno = match handler(&mut cx, Args(args)) {
        Ok(()) => 0,
        Err(Failure::Errno(e)) => e as i32,
        Err(Failure::Fatal(e)) => return Err(e),
    };
    if let Some(result) = results.first_mut() {
        *result = Val::I32(errno);
    }
    Ok(())
}
