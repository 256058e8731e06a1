//! The guest's file descriptors: stdio streams, open files and directories
//! (preopened or opened through them), each with its WASI rights.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd};

use cap_std::fs::Dir;

use super::abi::{Errno, filetype, rights};

/// The rights of a descriptor: what it allows itself (`base`) and what
/// descriptors opened through it may get (`inheriting`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rights {
    pub base: u64,
    pub inheriting: u64,
}

impl Rights {
    /// Fails with `ENOTCAPABLE` unless every right in `needed` is present.
    pub(crate) fn require(&self, needed: u64) -> Result<(), Errno> {
        if self.base & needed == needed {
            Ok(())
        } else {
            Err(Errno::NotCapable)
        }
    }
}

/// One of the host process's standard streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stdio {
    Stdin,
    Stdout,
    Stderr,
}

impl Stdio {
    /// The host descriptor (the process's own, shared with the host).
    pub(crate) fn fd(self) -> BorrowedFd<'static> {
        match self {
            Stdio::Stdin => rustix::stdio::stdin(),
            Stdio::Stdout => rustix::stdio::stdout(),
            Stdio::Stderr => rustix::stdio::stderr(),
        }
    }
}

/// An open file.
#[derive(Debug)]
pub(crate) struct FileDesc {
    pub file: File,
    pub rights: Rights,
}

/// One entry of a directory listing, as `fd_readdir` reports it.
#[derive(Debug, Clone)]
pub(crate) struct DirListing {
    pub ino: u64,
    pub filetype: u8,
    pub name: Vec<u8>,
}

/// An open directory.
#[derive(Debug)]
pub(crate) struct DirDesc {
    pub dir: Dir,
    pub rights: Rights,
    /// The guest-visible name, for preopened directories.
    pub preopen: Option<String>,
    /// The listing taken by the last `fd_readdir` that started at cookie 0;
    /// later calls continue in it, so cookies stay stable.
    pub listing: Option<Vec<DirListing>>,
}

/// What a guest file descriptor refers to.
#[derive(Debug)]
pub(crate) enum Descriptor {
    Stdio(Stdio, Rights),
    File(FileDesc),
    Dir(DirDesc),
}

impl Descriptor {
    /// The host descriptor behind it.
    pub(crate) fn host_fd(&self) -> BorrowedFd<'_> {
        match self {
            Descriptor::Stdio(s, _) => s.fd(),
            Descriptor::File(f) => f.file.as_fd(),
            Descriptor::Dir(d) => d.dir.as_fd(),
        }
    }

    pub(crate) fn rights(&self) -> Rights {
        match self {
            Descriptor::Stdio(_, r) => *r,
            Descriptor::File(f) => f.rights,
            Descriptor::Dir(d) => d.rights,
        }
    }

    pub(crate) fn rights_mut(&mut self) -> &mut Rights {
        match self {
            Descriptor::Stdio(_, r) => r,
            Descriptor::File(f) => &mut f.rights,
            Descriptor::Dir(d) => &mut d.rights,
        }
    }
}

/// The WASI file type of a host descriptor, from `fstat`.
pub(crate) fn host_filetype(fd: BorrowedFd<'_>) -> Result<u8, Errno> {
    let stat = rustix::fs::fstat(fd)?;
    Ok(filetype_of_mode(stat.st_mode))
}

/// The WASI file type for an `st_mode`.
pub(crate) fn filetype_of_mode(mode: u32) -> u8 {
    use rustix::fs::FileType;
    match FileType::from_raw_mode(mode) {
        FileType::RegularFile => filetype::REGULAR_FILE,
        FileType::Directory => filetype::DIRECTORY,
        FileType::Symlink => filetype::SYMBOLIC_LINK,
        FileType::CharacterDevice => filetype::CHARACTER_DEVICE,
        FileType::BlockDevice => filetype::BLOCK_DEVICE,
        FileType::Socket => filetype::SOCKET_STREAM,
        _ => filetype::UNKNOWN,
    }
}

/// The descriptor table: the guest's fd `n` is entry `n`.
#[derive(Debug, Default)]
pub(crate) struct FdTable {
    entries: Vec<Option<Descriptor>>,
}

impl FdTable {
    /// A table with the host's stdin, stdout and stderr as fds 0, 1 and 2.
    pub(crate) fn with_stdio() -> Self {
        let stream = |s| {
            let base = if s == Stdio::Stdin {
                rights::STDIN
            } else {
                rights::STDOUT
            };
            Some(Descriptor::Stdio(
                s,
                Rights {
                    base,
                    inheriting: 0,
                },
            ))
        };
        FdTable {
            entries: vec![
                stream(Stdio::Stdin),
                stream(Stdio::Stdout),
                stream(Stdio::Stderr),
            ],
        }
    }

    /// Adds `desc` at the lowest free fd.
    pub(crate) fn insert(&mut self, desc: Descriptor) -> Result<u32, Errno> {
        let fd = match self.entries.iter().position(Option::is_none) {
            Some(free) => {
                self.entries[free] = Some(desc);
                free
            }
            None => {
                self.entries.push(Some(desc));
                self.entries.len() - 1
            }
        };
        u32::try_from(fd).map_err(|_| Errno::Mfile)
    }

    pub(crate) fn get(&self, fd: u32) -> Result<&Descriptor, Errno> {
        self.entries
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::Badf)
    }

    pub(crate) fn get_mut(&mut self, fd: u32) -> Result<&mut Descriptor, Errno> {
        self.entries
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::Badf)
    }

    /// The directory at `fd`, which must allow `needed`.
    pub(crate) fn dir(&self, fd: u32, needed: u64) -> Result<&DirDesc, Errno> {
        match self.get(fd)? {
            Descriptor::Dir(d) => {
                d.rights.require(needed)?;
                Ok(d)
            }
            _ => Err(Errno::NotDir),
        }
    }

    /// Removes and returns the descriptor at `fd`.
    pub(crate) fn remove(&mut self, fd: u32) -> Result<Descriptor, Errno> {
        let desc = self
            .entries
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::Badf)?;
        while matches!(self.entries.last(), Some(None)) {
            self.entries.pop();
        }
        Ok(desc)
    }

    /// Moves the descriptor at `from` to `to`, closing what `to` held.
    pub(crate) fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.get(from)?;
        self.get(to)?;
        if from == to {
            return Ok(());
        }
        let desc = self.remove(from)?;
        // `to` exists, so the table still reaches it after the removal.
        self.entries[to as usize] = Some(desc);
        Ok(())
    }
}

/// Opens `host_path` as a preopened directory named `guest_path`.
pub(crate) fn preopen(host_path: &std::path::Path, guest_path: String) -> io::Result<Descriptor> {
    let dir = Dir::open_ambient_dir(host_path, cap_std::ambient_authority())?;
    Ok(Descriptor::Dir(DirDesc {
        dir,
        rights: Rights {
            base: rights::DIRECTORY,
            inheriting: rights::DIRECTORY | rights::FILE,
        },
        preopen: Some(guest_path),
        listing: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fds_are_allocated_lowest_first_and_renumbered() {
        let mut table = FdTable::with_stdio();
        let null = || {
            Descriptor::File(FileDesc {
                file: File::open("/dev/null").unwrap(),
                rights: Rights {
                    base: rights::FILE,
                    inheriting: 0,
                },
            })
        };
        assert_eq!(table.insert(null()).unwrap(), 3);
        assert_eq!(table.insert(null()).unwrap(), 4);
        table.remove(3).unwrap();
        assert_eq!(table.insert(null()).unwrap(), 3);
        assert_eq!(table.renumber(4, 9), Err(Errno::Badf));
        table.renumber(4, 3).unwrap();
        assert!(table.get(4).is_err());
        assert!(matches!(table.get(3), Ok(Descriptor::File(_))));
        assert_eq!(table.remove(4).unwrap_err(), Errno::Badf);
    }

    #[test]
    fn rights_are_checked() {
        let r = Rights {
            base: rights::FD_READ,
            inheriting: 0,
        };
        assert!(r.require(rights::FD_READ).is_ok());
        assert_eq!(r.require(rights::FD_WRITE), Err(Errno::NotCapable));
    }
}
