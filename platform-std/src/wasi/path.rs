//! The `path_*` functions. Every path is resolved by `cap-std` relative to
//! a directory descriptor, which refuses `..`, absolute paths and symlinks
//! that would lead outside that directory.

use cap_fs_ext::{
    DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, OpenOptionsSyncExt,
};
use cap_std::fs::{Dir, OpenOptions};

use super::WasiView;
use super::abi::{Errno, fdflags, lookupflags, oflags, rights};
use super::guest::{Args, Cx, WasiResult};
use super::stat::{self, time_spec, time_updates};
use super::table::{Descriptor, DirDesc, FileDesc, Rights};

/// A guest `u16` flags argument; higher bits are invalid.
fn flags16(raw: u32) -> Result<u16, Errno> {
    u16::try_from(raw).map_err(|_| Errno::Inval)
}

fn follow(lookup: u32) -> bool {
    lookup & lookupflags::SYMLINK_FOLLOW != 0
}

pub(crate) fn path_open<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, lookup, path, path_len) = (a.u32(0), a.u32(1), a.u32(2), a.u32(3));
    let (open, base, inheriting, fd_flags) =
        (flags16(a.u32(4))?, a.u64(5), a.u64(6), flags16(a.u32(7))?);
    let fd_out = a.u32(8);
    let path = cx.read_path(path, path_len)?;

    let desc = {
        let parent = cx.wasi().table.dir(fd, rights::PATH_OPEN)?;
        if open & oflags::CREAT != 0 {
            parent.rights.require(rights::PATH_CREATE_FILE)?;
        }
        if open & oflags::TRUNC != 0 {
            parent.rights.require(rights::PATH_FILESTAT_SET_SIZE)?;
        }
        if open & oflags::DIRECTORY != 0
            && open & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0
        {
            return Err(Errno::Inval.into());
        }
        // A new descriptor never gets more than its parent passes on.
        let base = base & parent.rights.inheriting;
        let inheriting = inheriting & parent.rights.inheriting;

        let read = base & (rights::FD_READ | rights::FD_READDIR) != 0;
        let write =
            base & (rights::FD_WRITE | rights::FD_ALLOCATE | rights::FD_FILESTAT_SET_SIZE) != 0;
        let mut options = OpenOptions::new();
        options.maybe_dir(true);
        options.follow(if follow(lookup) {
            FollowSymlinks::Yes
        } else {
            FollowSymlinks::No
        });
        if open & oflags::CREAT != 0 {
            options.write(true);
            if open & oflags::EXCL != 0 {
                options.create_new(true);
            } else {
                options.create(true);
            }
        }
        if open & oflags::TRUNC != 0 {
            options.write(true).truncate(true);
        }
        options.read(read || !write);
        if write {
            options.write(true);
        }
        if fd_flags & fdflags::APPEND != 0 {
            options.append(true);
        }
        options.nonblock(fd_flags & fdflags::NONBLOCK != 0);
        options.dsync(fd_flags & fdflags::DSYNC != 0);
        options.sync(fd_flags & fdflags::SYNC != 0);
        options.rsync(fd_flags & fdflags::RSYNC != 0);

        let file = parent.dir.open_with(&path, &options)?;
        if file.metadata()?.is_dir() {
            Descriptor::Dir(DirDesc {
                dir: Dir::from_std_file(file.into_std()),
                rights: Rights {
                    base: base & rights::DIRECTORY,
                    inheriting,
                },
                preopen: None,
                listing: None,
            })
        } else if open & oflags::DIRECTORY != 0 {
            return Err(Errno::NotDir.into());
        } else {
            Descriptor::File(FileDesc {
                file: file.into_std(),
                rights: Rights {
                    base: base & rights::FILE,
                    inheriting: 0,
                },
            })
        }
    };
    let new_fd = cx.wasi().table.insert(desc)?;
    cx.write_u32(fd_out, new_fd)
}

pub(crate) fn path_create_directory<T: WasiView>(
    cx: &mut Cx<'_, '_, T>,
    a: Args<'_>,
) -> WasiResult {
    let path = cx.read_path(a.u32(1), a.u32(2))?;
    let dir = cx
        .wasi()
        .table
        .dir(a.u32(0), rights::PATH_CREATE_DIRECTORY)?;
    dir.dir.create_dir(path)?;
    Ok(())
}

pub(crate) fn path_remove_directory<T: WasiView>(
    cx: &mut Cx<'_, '_, T>,
    a: Args<'_>,
) -> WasiResult {
    let path = cx.read_path(a.u32(1), a.u32(2))?;
    let dir = cx
        .wasi()
        .table
        .dir(a.u32(0), rights::PATH_REMOVE_DIRECTORY)?;
    dir.dir.remove_dir(path)?;
    Ok(())
}

pub(crate) fn path_unlink_file<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let path = cx.read_path(a.u32(1), a.u32(2))?;
    let dir = cx.wasi().table.dir(a.u32(0), rights::PATH_UNLINK_FILE)?;
    dir.dir.remove_file_or_symlink(path)?;
    Ok(())
}

pub(crate) fn path_rename<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let from = cx.read_path(a.u32(1), a.u32(2))?;
    let to = cx.read_path(a.u32(4), a.u32(5))?;
    let table = &cx.wasi().table;
    let source = table.dir(a.u32(0), rights::PATH_RENAME_SOURCE)?;
    let target = table.dir(a.u32(3), rights::PATH_RENAME_TARGET)?;
    source.dir.rename(from, &target.dir, to)?;
    Ok(())
}

pub(crate) fn path_link<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    if follow(a.u32(1)) {
        // Linking to a symlink's target could name a file outside the
        // capability; only the link itself can be linked.
        return Err(Errno::Inval.into());
    }
    let from = cx.read_path(a.u32(2), a.u32(3))?;
    let to = cx.read_path(a.u32(5), a.u32(6))?;
    let table = &cx.wasi().table;
    let source = table.dir(a.u32(0), rights::PATH_LINK_SOURCE)?;
    let target = table.dir(a.u32(4), rights::PATH_LINK_TARGET)?;
    source.dir.hard_link(from, &target.dir, to)?;
    Ok(())
}

pub(crate) fn path_symlink<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let target = cx.read_path(a.u32(0), a.u32(1))?;
    let link = cx.read_path(a.u32(3), a.u32(4))?;
    let dir = cx.wasi().table.dir(a.u32(2), rights::PATH_SYMLINK)?;
    // Refuses absolute targets: such a link could never be followed here.
    dir.dir.symlink(target, link)?;
    Ok(())
}

pub(crate) fn path_readlink<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    use std::os::unix::ffi::OsStrExt;
    let (buf, buf_len, used_ptr) = (a.u32(3), a.u32(4), a.u32(5));
    let path = cx.read_path(a.u32(1), a.u32(2))?;
    let contents = {
        let dir = cx.wasi().table.dir(a.u32(0), rights::PATH_READLINK)?;
        dir.dir.read_link_contents(path)?
    };
    let bytes = contents.as_os_str().as_bytes();
    // Like readlink(2): a short buffer gets the start of the contents.
    let n = bytes.len().min(buf_len as usize);
    cx.write(buf, &bytes[..n])?;
    cx.write_u32(used_ptr, n as u32)
}

pub(crate) fn path_filestat_get<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let path = cx.read_path(a.u32(2), a.u32(3))?;
    let filestat = {
        let dir = cx.wasi().table.dir(a.u32(0), rights::PATH_FILESTAT_GET)?;
        let meta = if follow(a.u32(1)) {
            dir.dir.metadata(path)?
        } else {
            dir.dir.symlink_metadata(path)?
        };
        stat::from_metadata(&meta)
    };
    cx.write(a.u32(4), &filestat.to_bytes())
}

pub(crate) fn path_filestat_set_times<T: WasiView>(
    cx: &mut Cx<'_, '_, T>,
    a: Args<'_>,
) -> WasiResult {
    let path = cx.read_path(a.u32(2), a.u32(3))?;
    let [atime, mtime] = time_updates(a.u64(4), a.u64(5), flags16(a.u32(6))?)?;
    let dir = cx
        .wasi()
        .table
        .dir(a.u32(0), rights::PATH_FILESTAT_SET_TIMES)?;
    if follow(a.u32(1)) {
        dir.dir
            .set_times(path, time_spec(atime), time_spec(mtime))?;
    } else {
        dir.dir
            .set_symlink_times(path, time_spec(atime), time_spec(mtime))?;
    }
    Ok(())
}
