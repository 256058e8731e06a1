//! One WASI call's view of its caller: the raw arguments, the guest's
//! exported `memory` (read and written by copying, bounds-checked), and the
//! WASI state in the store's data.

use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use ember_core::{AsContext, AsContextMut, Caller, Error, Memory, Val};

use super::abi::{Errno, size};
use super::{WasiCtx, WasiView};

/// How a WASI function can fail: with an error number for the guest, or by
/// stopping the run (`proc_exit`, a missing memory export).
#[derive(Debug)]
pub(crate) enum Failure {
    /// Returned to the guest as the function's `errno` result.
    Errno(Errno),
    /// Ends the Wasm call with this error.
    Fatal(Error),
}

impl From<Errno> for Failure {
    fn from(e: Errno) -> Self {
        Failure::Errno(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Errno(Errno::from(e))
    }
}

impl From<rustix::io::Errno> for Failure {
    fn from(e: rustix::io::Errno) -> Self {
        Failure::Errno(Errno::from(e))
    }
}

/// What a WASI function body returns.
pub(crate) type WasiResult<T = ()> = Result<T, Failure>;

/// The arguments of a call, typed by the function's signature: `i32`
/// parameters are read as `u32`, `i64` ones as `u64`.
#[derive(Clone, Copy)]
pub(crate) struct Args<'a>(pub(crate) &'a [Val]);

impl Args<'_> {
    /// Argument `index`, an `i32` as unsigned.
    pub(crate) fn u32(&self, index: usize) -> u32 {
        match self.0.get(index) {
            Some(Val::I32(v)) => *v as u32,
            _ => 0,
        }
    }

    /// Argument `index`, an `i64` as unsigned.
    pub(crate) fn u64(&self, index: usize) -> u64 {
        match self.0.get(index) {
            Some(Val::I64(v)) => *v as u64,
            _ => 0,
        }
    }
}

/// A guest buffer: `len` bytes at `ptr` (an `iovec`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct GuestBuf {
    pub ptr: u32,
    pub len: u32,
}

/// The most bytes one read or write call moves; callers accept short reads
/// and writes, and this bounds the host buffer a guest can make us allocate.
pub(crate) const MAX_TRANSFER: usize = 16 << 20;

/// The longest path accepted (`ENAMETOOLONG` beyond, as Linux's `PATH_MAX`).
const MAX_PATH: usize = 4096;

/// The context of one WASI call.
pub(crate) struct Cx<'a, 'b, T> {
    caller: &'a mut Caller<'b, T>,
    memory: Option<Memory>,
}

impl<'a, 'b, T: WasiView> Cx<'a, 'b, T> {
    pub(crate) fn new(caller: &'a mut Caller<'b, T>) -> Self {
        let memory = caller.get_export("memory").and_then(|e| e.into_memory());
        Cx { caller, memory }
    }

    /// The WASI state.
    pub(crate) fn wasi(&mut self) -> &mut WasiCtx {
        self.caller.data_mut().wasi()
    }

    fn memory(&self) -> WasiResult<Memory> {
        self.memory.ok_or_else(|| {
            Failure::Fatal(Error::msg(
                "WASI function called by a module that exports no memory named `memory`",
            ))
        })
    }

    /// `len` bytes of guest memory at `ptr`, borrowed.
    pub(crate) fn bytes(&self, ptr: u32, len: u32) -> WasiResult<&[u8]> {
        let memory = self.memory()?;
        let data = memory.data(self.caller.as_context());
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::Fault)?;
        data.get(start..end).ok_or(Failure::Errno(Errno::Fault))
    }

    pub(crate) fn read_u8(&self, ptr: u32) -> WasiResult<u8> {
        Ok(self.bytes(ptr, 1)?[0])
    }

    pub(crate) fn read_u16(&self, ptr: u32) -> WasiResult<u16> {
        let b = self.bytes(ptr, 2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    pub(crate) fn read_u32(&self, ptr: u32) -> WasiResult<u32> {
        let b = self.bytes(ptr, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn read_u64(&self, ptr: u32) -> WasiResult<u64> {
        let b = self.bytes(ptr, 8)?;
        let mut raw = [0u8; 8];
        raw.copy_from_slice(b);
        Ok(u64::from_le_bytes(raw))
    }

    /// Copies `bytes` into guest memory at `ptr`.
    pub(crate) fn write(&mut self, ptr: u32, bytes: &[u8]) -> WasiResult {
        let memory = self.memory()?;
        let data = memory.data_mut(self.caller.as_context_mut());
        let start = ptr as usize;
        let end = start.checked_add(bytes.len()).ok_or(Errno::Fault)?;
        data.get_mut(start..end)
            .ok_or(Failure::Errno(Errno::Fault))?
            .copy_from_slice(bytes);
        Ok(())
    }

    pub(crate) fn write_u32(&mut self, ptr: u32, value: u32) -> WasiResult {
        self.write(ptr, &value.to_le_bytes())
    }

    pub(crate) fn write_u64(&mut self, ptr: u32, value: u64) -> WasiResult {
        self.write(ptr, &value.to_le_bytes())
    }

    /// A path argument: `len` bytes at `ptr`, taken as the host's path bytes.
    /// Interior NUL bytes are refused.
    pub(crate) fn read_path(&self, ptr: u32, len: u32) -> WasiResult<PathBuf> {
        if len as usize > MAX_PATH {
            return Err(Errno::NameTooLong.into());
        }
        let bytes = self.bytes(ptr, len)?;
        if bytes.contains(&0) {
            return Err(Errno::Inval.into());
        }
        Ok(PathBuf::from(OsStr::from_bytes(bytes)))
    }

    /// The `iovec`s of an array of `count` at `ptr`, each checked to lie in
    /// memory.
    pub(crate) fn read_iovecs(&self, ptr: u32, count: u32) -> WasiResult<Vec<GuestBuf>> {
        let table_len = count.checked_mul(size::IOVEC).ok_or(Errno::Fault)?;
        let table = self.bytes(ptr, table_len)?;
        let mut bufs = Vec::with_capacity(count as usize);
        for entry in table.chunks_exact(size::IOVEC as usize) {
            let buf = GuestBuf {
                ptr: u32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]]),
                len: u32::from_le_bytes([entry[4], entry[5], entry[6], entry[7]]),
            };
            self.bytes(buf.ptr, buf.len)?;
            bufs.push(buf);
        }
        Ok(bufs)
    }

    /// The bytes of `bufs`, concatenated, up to [`MAX_TRANSFER`] of them (a
    /// write may be short).
    pub(crate) fn gather(&self, bufs: &[GuestBuf]) -> WasiResult<Vec<u8>> {
        let mut out = Vec::with_capacity(read_capacity(bufs));
        for buf in bufs {
            let room = MAX_TRANSFER - out.len();
            if room == 0 {
                break;
            }
            let bytes = self.bytes(buf.ptr, buf.len)?;
            out.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
        Ok(out)
    }

    /// Spreads `data` over `bufs` in order (`data` is at most their total).
    pub(crate) fn scatter(&mut self, bufs: &[GuestBuf], mut data: &[u8]) -> WasiResult {
        for buf in bufs {
            if data.is_empty() {
                break;
            }
            let n = data.len().min(buf.len as usize);
            self.write(buf.ptr, &data[..n])?;
            data = &data[n..];
        }
        Ok(())
    }
}

/// How many bytes a read into `bufs` asks for, bounded by [`MAX_TRANSFER`].
pub(crate) fn read_capacity(bufs: &[GuestBuf]) -> usize {
    bufs.iter()
        .map(|b| b.len as usize)
        .fold(0usize, usize::saturating_add)
        .min(MAX_TRANSFER)
}
