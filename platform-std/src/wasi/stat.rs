//! File metadata and timestamps in WASI's terms: `filestat` from host
//! metadata, and the `fstflags` time updates of `*_set_times`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cap_fs_ext::SystemTimeSpec;
use rustix::fs::{Timespec, Timestamps, UTIME_NOW, UTIME_OMIT};

use super::abi::{Errno, Filestat, fstflags};
use super::table::filetype_of_mode;

/// Seconds and nanoseconds since the epoch as WASI nanoseconds (times
/// before 1970 clamp to 0).
fn nanos(secs: i64, nsec: i64) -> u64 {
    let secs = u64::try_from(secs).unwrap_or(0);
    let nsec = u64::try_from(nsec).unwrap_or(0);
    secs.saturating_mul(1_000_000_000).saturating_add(nsec)
}

/// The `filestat` of a `fstat` result.
pub(crate) fn from_stat(stat: &rustix::fs::Stat) -> Filestat {
    #[allow(
        clippy::useless_conversion,
        reason = "st_nlink is 64 bits on x86-64 but 32 bits on AArch64"
    )]
    let nlink = u64::from(stat.st_nlink);
    Filestat {
        dev: stat.st_dev,
        ino: stat.st_ino,
        filetype: filetype_of_mode(stat.st_mode),
        nlink,
        size: u64::try_from(stat.st_size).unwrap_or(0),
        atim: nanos(stat.st_atime, stat.st_atime_nsec as i64),
        mtim: nanos(stat.st_mtime, stat.st_mtime_nsec as i64),
        ctim: nanos(stat.st_ctime, stat.st_ctime_nsec as i64),
    }
}

/// The `filestat` of metadata found by path through a capability.
pub(crate) fn from_metadata(meta: &cap_std::fs::Metadata) -> Filestat {
    use cap_std::fs::MetadataExt;
    Filestat {
        dev: meta.dev(),
        ino: meta.ino(),
        filetype: filetype_of_mode(meta.mode()),
        nlink: meta.nlink(),
        size: meta.size(),
        atim: nanos(meta.atime(), meta.atime_nsec()),
        mtim: nanos(meta.mtime(), meta.mtime_nsec()),
        ctim: nanos(meta.ctime(), meta.ctime_nsec()),
    }
}

/// One timestamp of a `*_set_times` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeUpdate {
    /// Leave it unchanged.
    Keep,
    /// Set it to the current time.
    Now,
    /// Set it to this many nanoseconds since the epoch.
    At(u64),
}

/// The access and modification updates requested by `fstflags`.
pub(crate) fn time_updates(atim: u64, mtim: u64, flags: u16) -> Result<[TimeUpdate; 2], Errno> {
    let one = |time: u64, set: u16, now: u16| match (flags & set != 0, flags & now != 0) {
        (true, true) => Err(Errno::Inval),
        (true, false) => Ok(TimeUpdate::At(time)),
        (false, true) => Ok(TimeUpdate::Now),
        (false, false) => Ok(TimeUpdate::Keep),
    };
    if flags & !(fstflags::ATIM | fstflags::ATIM_NOW | fstflags::MTIM | fstflags::MTIM_NOW) != 0 {
        return Err(Errno::Inval);
    }
    Ok([
        one(atim, fstflags::ATIM, fstflags::ATIM_NOW)?,
        one(mtim, fstflags::MTIM, fstflags::MTIM_NOW)?,
    ])
}

/// The updates as `futimens` timestamps.
pub(crate) fn timestamps(updates: [TimeUpdate; 2]) -> Timestamps {
    let spec = |u: TimeUpdate| match u {
        TimeUpdate::Keep => Timespec {
            tv_sec: 0,
            tv_nsec: UTIME_OMIT,
        },
        TimeUpdate::Now => Timespec {
            tv_sec: 0,
            tv_nsec: UTIME_NOW,
        },
        TimeUpdate::At(ns) => Timespec {
            tv_sec: (ns / 1_000_000_000) as i64,
            tv_nsec: (ns % 1_000_000_000) as _,
        },
    };
    Timestamps {
        last_access: spec(updates[0]),
        last_modification: spec(updates[1]),
    }
}

/// One update as `cap-std`'s time specification (`None` keeps the time).
pub(crate) fn time_spec(update: TimeUpdate) -> Option<SystemTimeSpec> {
    match update {
        TimeUpdate::Keep => None,
        TimeUpdate::Now => Some(SystemTimeSpec::SymbolicNow),
        TimeUpdate::At(ns) => {
            let time: SystemTime = UNIX_EPOCH + Duration::from_nanos(ns);
            Some(SystemTimeSpec::Absolute(
                cap_std::time::SystemTime::from_std(time),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fstflags_select_the_updates() {
        assert_eq!(
            time_updates(5, 6, fstflags::ATIM | fstflags::MTIM_NOW),
            Ok([TimeUpdate::At(5), TimeUpdate::Now])
        );
        assert_eq!(
            time_updates(5, 6, 0),
            Ok([TimeUpdate::Keep, TimeUpdate::Keep])
        );
        assert_eq!(
            time_updates(5, 6, fstflags::ATIM | fstflags::ATIM_NOW),
            Err(Errno::Inval)
        );
        assert_eq!(time_updates(0, 0, 1 << 7), Err(Errno::Inval));
    }

    #[test]
    fn nanoseconds_split_into_timespecs() {
        let t = timestamps([TimeUpdate::At(3_000_000_007), TimeUpdate::Keep]);
        assert_eq!(t.last_access.tv_sec, 3);
        assert_eq!(t.last_access.tv_nsec, 7);
        assert_eq!(t.last_modification.tv_nsec, UTIME_OMIT);
    }
}
