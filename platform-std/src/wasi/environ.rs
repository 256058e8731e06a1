//! The process-level WASI functions: arguments, environment, clocks,
//! randomness, exit, signals and yielding.

use ember_core::Error;
use rustix::time::ClockId;

use super::abi::{Errno, clockid};
use super::guest::{Args, Cx, Failure, WasiResult};
use super::{ProcExit, WasiView};
use crate::platform::timespec_nanos;

/// Writes a list of NUL-terminated strings the way `args_get` and
/// `environ_get` return them: pointers at `ptrs`, bytes at `buf`.
fn write_strings<T: WasiView>(
    cx: &mut Cx<'_, '_, T>,
    strings: &[Vec<u8>],
    ptrs: u32,
    buf: u32,
) -> WasiResult {
    let mut table = Vec::with_capacity(strings.len() * 4);
    let mut bytes = Vec::new();
    for s in strings {
        let at = u32::try_from(bytes.len())
            .ok()
            .and_then(|offset| buf.checked_add(offset))
            .ok_or(Errno::Fault)?;
        table.extend_from_slice(&at.to_le_bytes());
        bytes.extend_from_slice(s);
        bytes.push(0);
    }
    cx.write(ptrs, &table)?;
    cx.write(buf, &bytes)
}

/// Writes the count and the total size (with NULs) of a string list.
fn write_sizes<T: WasiView>(
    cx: &mut Cx<'_, '_, T>,
    strings: &[Vec<u8>],
    count_ptr: u32,
    size_ptr: u32,
) -> WasiResult {
    let size: usize = strings.iter().map(|s| s.len() + 1).sum();
    let count = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let size = u32::try_from(size).map_err(|_| Errno::Overflow)?;
    cx.write_u32(count_ptr, count)?;
    cx.write_u32(size_ptr, size)
}

pub(crate) fn args_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let args = cx.wasi().args.clone();
    write_strings(cx, &args, a.u32(0), a.u32(1))
}

pub(crate) fn args_sizes_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let args = cx.wasi().args.clone();
    write_sizes(cx, &args, a.u32(0), a.u32(1))
}

pub(crate) fn environ_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let env = cx.wasi().env.clone();
    write_strings(cx, &env, a.u32(0), a.u32(1))
}

pub(crate) fn environ_sizes_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let env = cx.wasi().env.clone();
    write_sizes(cx, &env, a.u32(0), a.u32(1))
}

fn host_clock(id: u32) -> Result<ClockId, Errno> {
    match id {
        clockid::REALTIME => Ok(ClockId::Realtime),
        clockid::MONOTONIC => Ok(ClockId::Monotonic),
        clockid::PROCESS_CPUTIME_ID => Ok(ClockId::ProcessCPUTime),
        clockid::THREAD_CPUTIME_ID => Ok(ClockId::ThreadCPUTime),
        _ => Err(Errno::Inval),
    }
}

/// The current time of WASI clock `id`, in nanoseconds.
pub(crate) fn clock_now(id: u32) -> Result<u64, Errno> {
    Ok(timespec_nanos(rustix::time::clock_gettime(host_clock(id)?)))
}

pub(crate) fn clock_res_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let resolution = timespec_nanos(rustix::time::clock_getres(host_clock(a.u32(0))?));
    cx.write_u64(a.u32(1), resolution.max(1))
}

pub(crate) fn clock_time_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    // a.u64(1) is the requested precision; the host clock is as precise as
    // it gets, so it is not needed.
    let now = clock_now(a.u32(0))?;
    cx.write_u64(a.u32(2), now)
}

pub(crate) fn random_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (ptr, len) = (a.u32(0), a.u32(1));
    cx.bytes(ptr, len)?;
    // In chunks, so a large request needs no large host buffer.
    let mut chunk = [0u8; 4096];
    let mut done = 0u32;
    while done < len {
        let n = (len - done).min(chunk.len() as u32) as usize;
        let mut filled = 0;
        while filled < n {
            match rustix::rand::getrandom(
                &mut chunk[filled..n],
                rustix::rand::GetRandomFlags::empty(),
            ) {
                Ok(got) => filled += got,
                Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
        cx.write(ptr + done, &chunk[..n])?;
        done += n as u32;
    }
    Ok(())
}

pub(crate) fn proc_exit<T: WasiView>(_cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    Err(Failure::Fatal(Error::host(ProcExit(a.u32(0)))))
}

pub(crate) fn proc_raise<T: WasiView>(_cx: &mut Cx<'_, '_, T>, _a: Args<'_>) -> WasiResult {
    // Signals do not exist for a WASI guest; preview 1 deprecates this.
    Err(Errno::NotSup.into())
}

pub(crate) fn sched_yield<T: WasiView>(_cx: &mut Cx<'_, '_, T>, _a: Args<'_>) -> WasiResult {
    std::thread::yield_now();
    Ok(())
}
