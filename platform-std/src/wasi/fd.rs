//! The `fd_*` functions (except `fd_readdir`): reading, writing, seeking,
//! syncing, flags, rights, metadata and the preopened-directory queries.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;

use rustix::fs::{Advice, FallocateFlags, OFlags};

use super::WasiView;
use super::abi::{Errno, Fdstat, fdflags, filetype, rights, size, whence};
use super::guest::{Args, Cx, WasiResult, read_capacity};
use super::stat::{self, time_updates, timestamps};
use super::table::{Descriptor, FdTable, host_filetype};

/// The regular file at `fd`, which must allow `needed`. Streams cannot
/// seek (`ESPIPE`) and directories are not files (`EISDIR`).
fn file(table: &FdTable, fd: u32, needed: u64) -> Result<&File, Errno> {
    match table.get(fd)? {
        Descriptor::File(f) => {
            f.rights.require(needed)?;
            Ok(&f.file)
        }
        Descriptor::Stdio(..) => Err(Errno::Spipe),
        Descriptor::Dir(_) => Err(Errno::IsDir),
    }
}

/// Retries a host call interrupted by a signal.
fn retry<R>(mut op: impl FnMut() -> std::io::Result<R>) -> std::io::Result<R> {
    loop {
        match op() {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// A guest `u16` flags argument; higher bits are invalid.
fn flags16(raw: u32) -> Result<u16, Errno> {
    u16::try_from(raw).map_err(|_| Errno::Inval)
}

pub(crate) fn fd_read<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, iovs, count, nread_ptr) = (a.u32(0), a.u32(1), a.u32(2), a.u32(3));
    let bufs = cx.read_iovecs(iovs, count)?;
    let mut data = vec![0u8; read_capacity(&bufs)];
    let n = {
        let desc = cx.wasi().table.get(fd)?;
        desc.rights().require(rights::FD_READ)?;
        match desc {
            Descriptor::Stdio(s, _) => retry(|| Ok(rustix::io::read(s.fd(), &mut data[..])?))?,
            Descriptor::File(f) => retry(|| (&f.file).read(&mut data))?,
            Descriptor::Dir(_) => return Err(Errno::IsDir.into()),
        }
    };
    cx.scatter(&bufs, &data[..n])?;
    cx.write_u32(nread_ptr, n as u32)
}

pub(crate) fn fd_write<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, iovs, count, nwritten_ptr) = (a.u32(0), a.u32(1), a.u32(2), a.u32(3));
    let bufs = cx.read_iovecs(iovs, count)?;
    let data = cx.gather(&bufs)?;
    let n = {
        let desc = cx.wasi().table.get(fd)?;
        desc.rights().require(rights::FD_WRITE)?;
        match desc {
            Descriptor::Stdio(s, _) => retry(|| Ok(rustix::io::write(s.fd(), &data)?))?,
            Descriptor::File(f) => retry(|| (&f.file).write(&data))?,
            Descriptor::Dir(_) => return Err(Errno::IsDir.into()),
        }
    };
    cx.write_u32(nwritten_ptr, n as u32)
}

pub(crate) fn fd_pread<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, iovs, count, offset, nread_ptr) = (a.u32(0), a.u32(1), a.u32(2), a.u64(3), a.u32(4));
    let bufs = cx.read_iovecs(iovs, count)?;
    let mut data = vec![0u8; read_capacity(&bufs)];
    let n = {
        let file = file(&cx.wasi().table, fd, rights::FD_READ | rights::FD_SEEK)?;
        retry(|| file.read_at(&mut data, offset))?
    };
    cx.scatter(&bufs, &data[..n])?;
    cx.write_u32(nread_ptr, n as u32)
}

pub(crate) fn fd_pwrite<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, iovs, count, offset, nwritten_ptr) =
        (a.u32(0), a.u32(1), a.u32(2), a.u64(3), a.u32(4));
    let bufs = cx.read_iovecs(iovs, count)?;
    let data = cx.gather(&bufs)?;
    let n = {
        let file = file(&cx.wasi().table, fd, rights::FD_WRITE | rights::FD_SEEK)?;
        retry(|| file.write_at(&data, offset))?
    };
    cx.write_u32(nwritten_ptr, n as u32)
}

pub(crate) fn fd_seek<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, offset, whence, out) = (a.u32(0), a.u64(1) as i64, a.u32(2), a.u32(3));
    let position = match u8::try_from(whence) {
        Ok(whence::SET) => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
        Ok(whence::CUR) => SeekFrom::Current(offset),
        Ok(whence::END) => SeekFrom::End(offset),
        _ => return Err(Errno::Inval.into()),
    };
    let needed = if position == SeekFrom::Current(0) {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    };
    let new = {
        let mut file = file(&cx.wasi().table, fd, needed)?;
        file.seek(position)?
    };
    cx.write_u64(out, new)
}

pub(crate) fn fd_tell<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let position = {
        let mut file = file(&cx.wasi().table, a.u32(0), rights::FD_TELL)?;
        file.stream_position()?
    };
    cx.write_u64(a.u32(1), position)
}

pub(crate) fn fd_close<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    cx.wasi().table.remove(a.u32(0))?;
    Ok(())
}

pub(crate) fn fd_renumber<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    cx.wasi().table.renumber(a.u32(0), a.u32(1))?;
    Ok(())
}

pub(crate) fn fd_datasync<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let desc = cx.wasi().table.get(a.u32(0))?;
    desc.rights().require(rights::FD_DATASYNC)?;
    rustix::fs::fdatasync(desc.host_fd())?;
    Ok(())
}

pub(crate) fn fd_sync<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let desc = cx.wasi().table.get(a.u32(0))?;
    desc.rights().require(rights::FD_SYNC)?;
    rustix::fs::fsync(desc.host_fd())?;
    Ok(())
}

pub(crate) fn fd_advise<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, offset, len, advice) = (a.u32(0), a.u64(1), a.u64(2), a.u32(3));
    let advice = match advice {
        0 => Advice::Normal,
        1 => Advice::Sequential,
        2 => Advice::Random,
        3 => Advice::WillNeed,
        4 => Advice::DontNeed,
        5 => Advice::NoReuse,
        _ => return Err(Errno::Inval.into()),
    };
    let file = file(&cx.wasi().table, fd, rights::FD_ADVISE)?;
    let len = std::num::NonZeroU64::new(len);
    rustix::fs::fadvise(file, offset, len, advice)?;
    Ok(())
}

pub(crate) fn fd_allocate<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, offset, len) = (a.u32(0), a.u64(1), a.u64(2));
    let file = file(&cx.wasi().table, fd, rights::FD_ALLOCATE)?;
    if offset
        .checked_add(len)
        .is_none_or(|end| end > i64::MAX as u64)
    {
        return Err(Errno::Fbig.into());
    }
    retry(|| {
        Ok(rustix::fs::fallocate(
            file,
            FallocateFlags::empty(),
            offset,
            len,
        )?)
    })?;
    Ok(())
}

/// The fd flags of a host descriptor in WASI's terms.
fn wasi_fdflags(flags: OFlags) -> u16 {
    let mut out = 0;
    for (host, wasi) in [
        (OFlags::APPEND, fdflags::APPEND),
        (OFlags::NONBLOCK, fdflags::NONBLOCK),
        (OFlags::DSYNC, fdflags::DSYNC),
        (OFlags::SYNC, fdflags::SYNC),
        (OFlags::RSYNC, fdflags::RSYNC),
    ] {
        if flags.contains(host) {
            out |= wasi;
        }
    }
    out
}

pub(crate) fn fd_fdstat_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let fdstat = {
        let desc = cx.wasi().table.get(a.u32(0))?;
        let filetype = match desc {
            Descriptor::Dir(_) => filetype::DIRECTORY,
            _ => host_filetype(desc.host_fd())?,
        };
        let rights = desc.rights();
        Fdstat {
            filetype,
            flags: wasi_fdflags(rustix::fs::fcntl_getfl(desc.host_fd())?),
            rights_base: rights.base,
            rights_inheriting: rights.inheriting,
        }
    };
    cx.write(a.u32(1), &fdstat.to_bytes())
}

pub(crate) fn fd_fdstat_set_flags<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, flags) = (a.u32(0), flags16(a.u32(1))?);
    if flags & (fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC) != 0 {
        // Linux cannot change the synchronous-I/O flags of an open file.
        return Err(Errno::NotSup.into());
    }
    if flags & !(fdflags::APPEND | fdflags::NONBLOCK) != 0 {
        return Err(Errno::Inval.into());
    }
    let desc = cx.wasi().table.get(fd)?;
    desc.rights().require(rights::FD_FDSTAT_SET_FLAGS)?;
    let mut host = rustix::fs::fcntl_getfl(desc.host_fd())?;
    host.set(OFlags::APPEND, flags & fdflags::APPEND != 0);
    host.set(OFlags::NONBLOCK, flags & fdflags::NONBLOCK != 0);
    rustix::fs::fcntl_setfl(desc.host_fd(), host)?;
    Ok(())
}

pub(crate) fn fd_fdstat_set_rights<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, base, inheriting) = (a.u32(0), a.u64(1), a.u64(2));
    let rights = cx.wasi().table.get_mut(fd)?.rights_mut();
    // Rights can only be dropped, never gained.
    if base & !rights.base != 0 || inheriting & !rights.inheriting != 0 {
        return Err(Errno::NotCapable.into());
    }
    rights.base = base;
    rights.inheriting = inheriting;
    Ok(())
}

pub(crate) fn fd_filestat_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let filestat = {
        let desc = cx.wasi().table.get(a.u32(0))?;
        desc.rights().require(rights::FD_FILESTAT_GET)?;
        stat::from_stat(&rustix::fs::fstat(desc.host_fd())?)
    };
    cx.write(a.u32(1), &filestat.to_bytes())
}

pub(crate) fn fd_filestat_set_size<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let file = file(&cx.wasi().table, a.u32(0), rights::FD_FILESTAT_SET_SIZE)?;
    retry(|| file.set_len(a.u64(1)))?;
    Ok(())
}

pub(crate) fn fd_filestat_set_times<T: WasiView>(
    cx: &mut Cx<'_, '_, T>,
    a: Args<'_>,
) -> WasiResult {
    let (fd, atim, mtim, flags) = (a.u32(0), a.u64(1), a.u64(2), flags16(a.u32(3))?);
    let updates = time_updates(atim, mtim, flags)?;
    let desc = cx.wasi().table.get(fd)?;
    desc.rights().require(rights::FD_FILESTAT_SET_TIMES)?;
    rustix::fs::futimens(desc.host_fd(), &timestamps(updates))?;
    Ok(())
}

/// The guest name of the preopened directory at `fd`.
fn preopen_name<T: WasiView>(cx: &mut Cx<'_, '_, T>, fd: u32) -> Result<Vec<u8>, Errno> {
    match cx.wasi().table.get(fd)? {
        Descriptor::Dir(d) => d
            .preopen
            .as_ref()
            .map(|name| name.as_bytes().to_vec())
            .ok_or(Errno::Badf),
        _ => Err(Errno::Badf),
    }
}

pub(crate) fn fd_prestat_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let name = preopen_name(cx, a.u32(0))?;
    let mut prestat = [0u8; size::PRESTAT];
    // Tag 0: a directory, whose name length follows.
    prestat[4..8].copy_from_slice(&(name.len() as u32).to_le_bytes());
    cx.write(a.u32(1), &prestat)
}

pub(crate) fn fd_prestat_dir_name<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, path, path_len) = (a.u32(0), a.u32(1), a.u32(2));
    let name = preopen_name(cx, fd)?;
    if (path_len as usize) < name.len() {
        return Err(Errno::NameTooLong.into());
    }
    cx.write(path, &name)
}
