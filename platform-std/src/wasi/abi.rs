//! The `wasi_snapshot_preview1` ABI: error numbers, flags, rights and the
//! byte layouts of the structures exchanged through guest memory.

use std::io;

use rustix::io::Errno as Os;

/// A WASI error number (`errno`). `Success` is never an error value here:
/// handlers return `Ok(())` for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
#[allow(dead_code, reason = "the full list of the ABI, not all produced")]
pub enum Errno {
    TooBig = 1,
    Acces = 2,
    AddrInUse = 3,
    AddrNotAvail = 4,
    AfNoSupport = 5,
    Again = 6,
    Already = 7,
    Badf = 8,
    BadMsg = 9,
    Busy = 10,
    Canceled = 11,
    Child = 12,
    ConnAborted = 13,
    ConnRefused = 14,
    ConnReset = 15,
    Deadlk = 16,
    DestAddrReq = 17,
    Dom = 18,
    Dquot = 19,
    Exist = 20,
    Fault = 21,
    Fbig = 22,
    HostUnreach = 23,
    Idrm = 24,
    Ilseq = 25,
    InProgress = 26,
    Intr = 27,
    Inval = 28,
    Io = 29,
    IsConn = 30,
    IsDir = 31,
    Loop = 32,
    Mfile = 33,
    Mlink = 34,
    MsgSize = 35,
    Multihop = 36,
    NameTooLong = 37,
    NetDown = 38,
    NetReset = 39,
    NetUnreach = 40,
    Nfile = 41,
    NoBufs = 42,
    NoDev = 43,
    NoEnt = 44,
    NoExec = 45,
    NoLck = 46,
    NoLink = 47,
    NoMem = 48,
    NoMsg = 49,
    NoProtoOpt = 50,
    NoSpc = 51,
    NoSys = 52,
    NotConn = 53,
    NotDir = 54,
    NotEmpty = 55,
    NotRecoverable = 56,
    NotSock = 57,
    NotSup = 58,
    NoTty = 59,
    Nxio = 60,
    Overflow = 61,
    OwnerDead = 62,
    Perm = 63,
    Pipe = 64,
    Proto = 65,
    ProtoNoSupport = 66,
    ProtoType = 67,
    Range = 68,
    Rofs = 69,
    Spipe = 70,
    Srch = 71,
    Stale = 72,
    TimedOut = 73,
    TxtBsy = 74,
    Xdev = 75,
    NotCapable = 76,
}

impl From<Os> for Errno {
    fn from(e: Os) -> Self {
        os_errno(e)
    }
}

impl From<io::Error> for Errno {
    fn from(e: io::Error) -> Self {
        if let Some(os) = Os::from_io_error(&e) {
            return os_errno(os);
        }
        // Errors made by the capability layer carry no OS code. A path that
        // would leave its directory is refused as a missing capability.
        match e.kind() {
            io::ErrorKind::PermissionDenied => Errno::NotCapable,
            io::ErrorKind::NotFound => Errno::NoEnt,
            io::ErrorKind::AlreadyExists => Errno::Exist,
            io::ErrorKind::InvalidInput => Errno::Inval,
            io::ErrorKind::InvalidData => Errno::Ilseq,
            io::ErrorKind::Unsupported => Errno::NotSup,
            io::ErrorKind::WouldBlock => Errno::Again,
            io::ErrorKind::Interrupted => Errno::Intr,
            io::ErrorKind::UnexpectedEof => Errno::Io,
            io::ErrorKind::OutOfMemory => Errno::NoMem,
            _ => Errno::Io,
        }
    }
}

fn os_errno(e: Os) -> Errno {
    match e {
        Os::TOOBIG => Errno::TooBig,
        Os::ACCESS => Errno::Acces,
        Os::ADDRINUSE => Errno::AddrInUse,
        Os::ADDRNOTAVAIL => Errno::AddrNotAvail,
        Os::AFNOSUPPORT => Errno::AfNoSupport,
        Os::AGAIN => Errno::Again,
        Os::ALREADY => Errno::Already,
        Os::BADF => Errno::Badf,
        Os::BADMSG => Errno::BadMsg,
        Os::BUSY => Errno::Busy,
        Os::CANCELED => Errno::Canceled,
        Os::CHILD => Errno::Child,
        Os::CONNABORTED => Errno::ConnAborted,
        Os::CONNREFUSED => Errno::ConnRefused,
        Os::CONNRESET => Errno::ConnReset,
        Os::DEADLK => Errno::Deadlk,
        Os::DESTADDRREQ => Errno::DestAddrReq,
        Os::DOM => Errno::Dom,
        Os::DQUOT => Errno::Dquot,
        Os::EXIST => Errno::Exist,
        Os::FAULT => Errno::Fault,
        Os::FBIG => Errno::Fbig,
        Os::HOSTUNREACH => Errno::HostUnreach,
        Os::IDRM => Errno::Idrm,
        Os::ILSEQ => Errno::Ilseq,
        Os::INPROGRESS => Errno::InProgress,
        Os::INTR => Errno::Intr,
        Os::INVAL => Errno::Inval,
        Os::IO => Errno::Io,
        Os::ISCONN => Errno::IsConn,
        Os::ISDIR => Errno::IsDir,
        Os::LOOP => Errno::Loop,
        Os::MFILE => Errno::Mfile,
        Os::MLINK => Errno::Mlink,
        Os::MSGSIZE => Errno::MsgSize,
        Os::MULTIHOP => Errno::Multihop,
        Os::NAMETOOLONG => Errno::NameTooLong,
        Os::NETDOWN => Errno::NetDown,
        Os::NETRESET => Errno::NetReset,
        Os::NETUNREACH => Errno::NetUnreach,
        Os::NFILE => Errno::Nfile,
        Os::NOBUFS => Errno::NoBufs,
        Os::NODEV => Errno::NoDev,
        Os::NOENT => Errno::NoEnt,
        Os::NOEXEC => Errno::NoExec,
        Os::NOLCK => Errno::NoLck,
        Os::NOLINK => Errno::NoLink,
        Os::NOMEM => Errno::NoMem,
        Os::NOMSG => Errno::NoMsg,
        Os::NOPROTOOPT => Errno::NoProtoOpt,
        Os::NOSPC => Errno::NoSpc,
        Os::NOSYS => Errno::NoSys,
        Os::NOTCONN => Errno::NotConn,
        Os::NOTDIR => Errno::NotDir,
        Os::NOTEMPTY => Errno::NotEmpty,
        Os::NOTRECOVERABLE => Errno::NotRecoverable,
        Os::NOTSOCK => Errno::NotSock,
        Os::NOTSUP => Errno::NotSup,
        Os::NOTTY => Errno::NoTty,
        Os::NXIO => Errno::Nxio,
        Os::OVERFLOW => Errno::Overflow,
        Os::OWNERDEAD => Errno::OwnerDead,
        Os::PERM => Errno::Perm,
        Os::PIPE => Errno::Pipe,
        Os::PROTO => Errno::Proto,
        Os::PROTONOSUPPORT => Errno::ProtoNoSupport,
        Os::PROTOTYPE => Errno::ProtoType,
        Os::RANGE => Errno::Range,
        Os::ROFS => Errno::Rofs,
        Os::SPIPE => Errno::Spipe,
        Os::SRCH => Errno::Srch,
        Os::STALE => Errno::Stale,
        Os::TIMEDOUT => Errno::TimedOut,
        Os::TXTBSY => Errno::TxtBsy,
        Os::XDEV => Errno::Xdev,
        _ => Errno::Io,
    }
}

/// `filetype`.
#[allow(dead_code, reason = "the complete table of the ABI")]
pub mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_DGRAM: u8 = 5;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `fdflags`.
pub mod fdflags {
    pub const APPEND: u16 = 1 << 0;
    pub const DSYNC: u16 = 1 << 1;
    pub const NONBLOCK: u16 = 1 << 2;
    pub const RSYNC: u16 = 1 << 3;
    pub const SYNC: u16 = 1 << 4;
}

/// `oflags`.
pub mod oflags {
    pub const CREAT: u16 = 1 << 0;
    pub const DIRECTORY: u16 = 1 << 1;
    pub const EXCL: u16 = 1 << 2;
    pub const TRUNC: u16 = 1 << 3;
}

/// `lookupflags`.
pub mod lookupflags {
    pub const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// `fstflags`.
pub mod fstflags {
    pub const ATIM: u16 = 1 << 0;
    pub const ATIM_NOW: u16 = 1 << 1;
    pub const MTIM: u16 = 1 << 2;
    pub const MTIM_NOW: u16 = 1 << 3;
}

/// `whence`.
pub mod whence {
    pub const SET: u8 = 0;
    pub const CUR: u8 = 1;
    pub const END: u8 = 2;
}

/// `clockid`.
pub mod clockid {
    pub const REALTIME: u32 = 0;
    pub const MONOTONIC: u32 = 1;
    pub const PROCESS_CPUTIME_ID: u32 = 2;
    pub const THREAD_CPUTIME_ID: u32 = 3;
}

/// `eventtype` and the flags of events and clock subscriptions.
pub mod event {
    pub const CLOCK: u8 = 0;
    pub const FD_READ: u8 = 1;
    pub const FD_WRITE: u8 = 2;
    /// `eventrwflags::fd_readwrite_hangup`.
    pub const HANGUP: u16 = 1 << 0;
    /// `subclockflags::subscription_clock_abstime`.
    pub const ABSTIME: u16 = 1 << 0;
}

/// `rights`: one bit per operation a descriptor may allow.
#[allow(dead_code, reason = "the complete table of the ABI")]
pub mod rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub const SOCK_ACCEPT: u64 = 1 << 29;

    /// Every right defined by preview 1.
    pub const ALL: u64 = (1 << 30) - 1;

    /// What a regular file may do.
    pub const FILE: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;

    /// What a directory may do (for itself and the paths under it).
    pub const DIRECTORY: u64 = FD_DATASYNC
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE
        | POLL_FD_READWRITE;

    /// What stdin may do (a stream: no seeking).
    pub const STDIN: u64 = FD_READ | FD_FILESTAT_GET | POLL_FD_READWRITE;

    /// What stdout and stderr may do.
    pub const STDOUT: u64 = FD_WRITE | FD_FILESTAT_GET | POLL_FD_READWRITE;
}

/// Sizes of the structures in guest memory.
pub mod size {
    /// `iovec` / `ciovec`: `buf: u32, buf_len: u32`.
    pub const IOVEC: u32 = 8;
    /// `fdstat`.
    pub const FDSTAT: usize = 24;
    /// `filestat`.
    pub const FILESTAT: usize = 64;
    /// `prestat`.
    pub const PRESTAT: usize = 8;
    /// `dirent` header (the name follows it).
    pub const DIRENT: usize = 24;
    /// `subscription`.
    pub const SUBSCRIPTION: u32 = 48;
    /// `event`.
    pub const EVENT: u32 = 32;
}

/// `filestat`: what `fd_filestat_get` and `path_filestat_get` report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filestat {
    pub dev: u64,
    pub ino: u64,
    pub filetype: u8,
    pub nlink: u64,
    pub size: u64,
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

impl Filestat {
    /// The structure's bytes as the guest sees them.
    pub fn to_bytes(self) -> [u8; size::FILESTAT] {
        let mut out = [0u8; size::FILESTAT];
        out[0..8].copy_from_slice(&self.dev.to_le_bytes());
        out[8..16].copy_from_slice(&self.ino.to_le_bytes());
        out[16] = self.filetype;
        out[24..32].copy_from_slice(&self.nlink.to_le_bytes());
        out[32..40].copy_from_slice(&self.size.to_le_bytes());
        out[40..48].copy_from_slice(&self.atim.to_le_bytes());
        out[48..56].copy_from_slice(&self.mtim.to_le_bytes());
        out[56..64].copy_from_slice(&self.ctim.to_le_bytes());
        out
    }
}

/// `fdstat`: what `fd_fdstat_get` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fdstat {
    pub filetype: u8,
    pub flags: u16,
    pub rights_base: u64,
    pub rights_inheriting: u64,
}

impl Fdstat {
    /// The structure's bytes as the guest sees them.
    pub fn to_bytes(self) -> [u8; size::FDSTAT] {
        let mut out = [0u8; size::FDSTAT];
        out[0] = self.filetype;
        out[2..4].copy_from_slice(&self.flags.to_le_bytes());
        out[8..16].copy_from_slice(&self.rights_base.to_le_bytes());
        out[16..24].copy_from_slice(&self.rights_inheriting.to_le_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_map_to_wasi_numbers() {
        let e = io::Error::from_raw_os_error(Os::NOENT.raw_os_error());
        assert_eq!(Errno::from(e) as u16, 44);
        let e = io::Error::from_raw_os_error(Os::NOTEMPTY.raw_os_error());
        assert_eq!(Errno::from(e) as u16, 55);
        assert_eq!(Errno::from(Os::SPIPE) as u16, 70);
    }

    #[test]
    fn capability_refusals_are_not_capable() {
        let e = io::Error::new(io::ErrorKind::PermissionDenied, "outside");
        assert_eq!(Errno::from(e), Errno::NotCapable);
    }

    #[test]
    fn layouts_match_the_abi() {
        let stat = Filestat {
            dev: 1,
            ino: 2,
            filetype: filetype::REGULAR_FILE,
            nlink: 3,
            size: 4,
            atim: 5,
            mtim: 6,
            ctim: 7,
        };
        let bytes = stat.to_bytes();
        assert_eq!(bytes[16], 4);
        assert_eq!(u64::from_le_bytes(bytes[32..40].try_into().unwrap()), 4);
        assert_eq!(u64::from_le_bytes(bytes[56..64].try_into().unwrap()), 7);
        let fdstat = Fdstat {
            filetype: filetype::DIRECTORY,
            flags: fdflags::APPEND,
            rights_base: rights::FD_READ,
            rights_inheriting: 0,
        };
        let bytes = fdstat.to_bytes();
        assert_eq!((bytes[0], bytes[2]), (3, 1));
        assert_eq!(u64::from_le_bytes(bytes[8..16].try_into().unwrap()), 2);
    }
}
