//! `fd_readdir`: directory listings as `dirent` records, resumable by
//! cookie (the index of the next entry in the listing).

use std::os::unix::ffi::OsStrExt;

use cap_std::fs::{Dir, FileType, FileTypeExt};

use super::WasiView;
use super::abi::{Errno, filetype, rights, size};
use super::guest::{Args, Cx, WasiResult};
use super::table::{Descriptor, DirListing};

fn filetype_of(ty: FileType) -> u8 {
    if ty.is_dir() {
        filetype::DIRECTORY
    } else if ty.is_file() {
        filetype::REGULAR_FILE
    } else if ty.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else if ty.is_char_device() {
        filetype::CHARACTER_DEVICE
    } else if ty.is_block_device() {
        filetype::BLOCK_DEVICE
    } else if ty.is_socket() {
        filetype::SOCKET_STREAM
    } else {
        filetype::UNKNOWN
    }
}

/// Lists `dir`: `.` and `..` first, then its entries in the host's order.
fn list(dir: &Dir) -> Result<Vec<DirListing>, Errno> {
    use cap_std::fs::MetadataExt;
    use std::os::unix::fs::DirEntryExt;

    let own_ino = dir.dir_metadata()?.ino();
    let mut listing = vec![
        DirListing {
            ino: own_ino,
            filetype: filetype::DIRECTORY,
            name: b".".to_vec(),
        },
        DirListing {
            // The parent may lie outside the capability: report our own.
            ino: own_ino,
            filetype: filetype::DIRECTORY,
            name: b"..".to_vec(),
        },
    ];
    for entry in dir.entries()? {
        let entry = entry?;
        listing.push(DirListing {
            ino: entry.ino(),
            filetype: filetype_of(entry.file_type()?),
            name: entry.file_name().as_bytes().to_vec(),
        });
    }
    Ok(listing)
}

/// The `dirent` records of `entries`, numbered from `first`, cut at `limit`
/// bytes (a cut record tells the guest to retry with a larger buffer).
fn encode(entries: &[DirListing], first: u64, limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        if out.len() >= limit {
            break;
        }
        let next = first.saturating_add(index as u64 + 1);
        out.reserve(size::DIRENT + entry.name.len());
        out.extend_from_slice(&next.to_le_bytes());
        out.extend_from_slice(&entry.ino.to_le_bytes());
        out.extend_from_slice(&(entry.name.len() as u32).to_le_bytes());
        out.extend_from_slice(&[entry.filetype, 0, 0, 0]);
        out.extend_from_slice(&entry.name);
    }
    out.truncate(limit);
    out
}

pub(crate) fn fd_readdir<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (fd, buf, buf_len, cookie, used_ptr) = (a.u32(0), a.u32(1), a.u32(2), a.u64(3), a.u32(4));
    cx.bytes(buf, buf_len)?;
    let records = {
        let desc = match cx.wasi().table.get_mut(fd)? {
            Descriptor::Dir(d) => d,
            _ => return Err(Errno::NotDir.into()),
        };
        desc.rights.require(rights::FD_READDIR)?;
        if cookie == 0 || desc.listing.is_none() {
            desc.listing = Some(list(&desc.dir)?);
        }
        let listing = desc.listing.as_deref().unwrap_or_default();
        let first = usize::try_from(cookie).unwrap_or(usize::MAX);
        encode(
            listing.get(first..).unwrap_or_default(),
            cookie,
            buf_len as usize,
        )
    };
    cx.write(buf, &records)?;
    cx.write_u32(used_ptr, records.len() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> DirListing {
        DirListing {
            ino: 9,
            filetype: filetype::REGULAR_FILE,
            name: name.as_bytes().to_vec(),
        }
    }

    #[test]
    fn records_carry_the_next_cookie_and_the_name() {
        let out = encode(&[entry("ab"), entry("c")], 5, 1000);
        assert_eq!(out.len(), 2 * size::DIRENT + 3);
        assert_eq!(u64::from_le_bytes(out[0..8].try_into().unwrap()), 6);
        assert_eq!(u32::from_le_bytes(out[16..20].try_into().unwrap()), 2);
        assert_eq!(out[20], filetype::REGULAR_FILE);
        assert_eq!(&out[24..26], b"ab");
        assert_eq!(u64::from_le_bytes(out[26..34].try_into().unwrap()), 7);
    }

    #[test]
    fn a_cookie_past_the_end_gives_nothing() {
        assert!(encode(&[], u64::MAX, 100).is_empty());
    }

    #[test]
    fn a_full_buffer_is_cut_at_its_size() {
        let out = encode(&[entry("abc"), entry("d")], 0, 30);
        assert_eq!(out.len(), 30);
    }

    #[test]
    fn listing_starts_with_dot_entries() {
        let dir = Dir::open_ambient_dir(env!("CARGO_MANIFEST_DIR"), cap_std::ambient_authority())
            .unwrap();
        let listing = list(&dir).unwrap();
        assert_eq!(listing[0].name, b".");
        assert_eq!(listing[1].name, b"..");
        let cargo = listing.iter().find(|e| e.name == b"Cargo.toml").unwrap();
        assert_eq!(cargo.filetype, filetype::REGULAR_FILE);
        let src = listing.iter().find(|e| e.name == b"src").unwrap();
        assert_eq!(src.filetype, filetype::DIRECTORY);
    }
}
