//! `poll_oneoff`: wait for clock deadlines and for descriptors to become
//! readable or writable. Regular files and directories are always ready;
//! streams (stdio) are polled on the host.

use std::time::Duration;

use rustix::event::{PollFd, PollFlags};
use rustix::time::Timespec;

use super::WasiView;
use super::abi::{Errno, event, rights, size};
use super::environ::clock_now;
use super::guest::{Args, Cx, WasiResult};
use super::table::{Descriptor, FdTable};
use crate::platform::monotonic_nanos;

/// The most subscriptions one call may make.
const MAX_SUBSCRIPTIONS: u32 = 1 << 16;

/// What one subscription waits for.
#[derive(Debug, Clone, Copy)]
enum Wait {
    /// The monotonic clock reaching this many nanoseconds.
    Deadline(u64),
    /// Descriptor `fd` becoming readable (`FD_READ`) or writable.
    Fd { fd: u32, kind: u8 },
    /// Nothing: the subscription is invalid and reports this error at once.
    Error(Errno),
}

#[derive(Debug, Clone, Copy)]
struct Subscription {
    userdata: u64,
    kind: u8,
    wait: Wait,
}

/// One event written back to the guest.
#[derive(Debug, Clone, Copy)]
struct Event {
    userdata: u64,
    error: u16,
    kind: u8,
    nbytes: u64,
    flags: u16,
}

impl Event {
    fn to_bytes(self) -> [u8; size::EVENT as usize] {
        let mut out = [0u8; size::EVENT as usize];
        out[0..8].copy_from_slice(&self.userdata.to_le_bytes());
        out[8..10].copy_from_slice(&self.error.to_le_bytes());
        out[10] = self.kind;
        out[16..24].copy_from_slice(&self.nbytes.to_le_bytes());
        out[24..26].copy_from_slice(&self.flags.to_le_bytes());
        out
    }

    fn ready(sub: &Subscription, nbytes: u64, flags: u16) -> Event {
        Event {
            userdata: sub.userdata,
            error: 0,
            kind: sub.kind,
            nbytes,
            flags,
        }
    }

    fn failed(sub: &Subscription, error: Errno) -> Event {
        Event {
            userdata: sub.userdata,
            error: error as u16,
            kind: sub.kind,
            nbytes: 0,
            flags: 0,
        }
    }
}

fn read_subscription<T: WasiView>(cx: &Cx<'_, '_, T>, at: u32) -> WasiResult<Subscription> {
    let userdata = cx.read_u64(at)?;
    let kind = cx.read_u8(at + 8)?;
    let wait = match kind {
        event::CLOCK => {
            let (id, timeout) = (cx.read_u32(at + 16)?, cx.read_u64(at + 24)?);
            let flags = cx.read_u16(at + 40)?;
            match clock_now(id) {
                Err(e) => Wait::Error(e),
                Ok(now) => {
                    let remaining = if flags & event::ABSTIME != 0 {
                        timeout.saturating_sub(now)
                    } else {
                        timeout
                    };
                    Wait::Deadline(monotonic_nanos().saturating_add(remaining))
                }
            }
        }
        event::FD_READ | event::FD_WRITE => Wait::Fd {
            fd: cx.read_u32(at + 16)?,
            kind,
        },
        _ => return Err(Errno::Inval.into()),
    };
    Ok(Subscription {
        userdata,
        kind,
        wait,
    })
}

/// The event of an fd subscription that needs no waiting: an error, or a
/// file or directory (always ready). `None` for a stream to poll.
fn immediate(table: &FdTable, sub: &Subscription, fd: u32, kind: u8) -> Option<Event> {
    let desc = match table.get(fd) {
        Ok(desc) => desc,
        Err(e) => return Some(Event::failed(sub, e)),
    };
    if let Err(e) = desc.rights().require(rights::POLL_FD_READWRITE) {
        return Some(Event::failed(sub, e));
    }
    match desc {
        Descriptor::Stdio(..) => None,
        Descriptor::Dir(_) => Some(Event::ready(sub, 0, 0)),
        Descriptor::File(f) => {
            let mut nbytes = 0;
            if kind == event::FD_READ {
                let size = f.file.metadata().map(|m| m.len()).unwrap_or(0);
                let position = rustix::fs::tell(&f.file).unwrap_or(size);
                nbytes = size.saturating_sub(position);
            }
            Some(Event::ready(sub, nbytes, 0))
        }
    }
}

fn timespec(nanos: u64) -> Timespec {
    Timespec {
        tv_sec: (nanos / 1_000_000_000) as i64,
        tv_nsec: (nanos % 1_000_000_000) as _,
    }
}

/// Waits until at least one subscription has an event; returns the events.
fn wait(table: &FdTable, subs: &[Subscription]) -> Result<Vec<Event>, Errno> {
    let mut events = Vec::new();
    let mut streams = Vec::new();
    for sub in subs {
        match sub.wait {
            Wait::Error(e) => events.push(Event::failed(sub, e)),
            Wait::Fd { fd, kind } => match immediate(table, sub, fd, kind) {
                Some(event) => events.push(event),
                None => streams.push((sub, table.get(fd)?.host_fd(), kind)),
            },
            Wait::Deadline(_) => {}
        }
    }
    loop {
        let now = monotonic_nanos();
        let next_deadline = subs
            .iter()
            .filter_map(|s| match s.wait {
                Wait::Deadline(d) => Some(d),
                _ => None,
            })
            .min();
        // Do not block when something is ready already.
        let timeout = if events.is_empty() {
            next_deadline.map(|d| d.saturating_sub(now))
        } else {
            Some(0)
        };
        if streams.is_empty() {
            if let Some(nanos) = timeout {
                std::thread::sleep(Duration::from_nanos(nanos));
            }
        } else {
            let mut fds: Vec<PollFd<'_>> = streams
                .iter()
                .map(|&(_, fd, kind)| {
                    let flags = if kind == event::FD_READ {
                        PollFlags::IN
                    } else {
                        PollFlags::OUT
                    };
                    PollFd::from_borrowed_fd(fd, flags)
                })
                .collect();
            let limit = timeout.map(timespec);
            match rustix::event::poll(&mut fds, limit.as_ref()) {
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(e.into()),
            }
            for (&(sub, fd, kind), polled) in streams.iter().zip(&fds) {
                let revents = polled.revents();
                if revents.contains(PollFlags::NVAL) {
                    events.push(Event::failed(sub, Errno::Badf));
                } else if revents.contains(PollFlags::ERR) {
                    events.push(Event::failed(sub, Errno::Io));
                } else if !revents.is_empty() {
                    let hangup = if revents.contains(PollFlags::HUP) {
                        event::HANGUP
                    } else {
                        0
                    };
                    let nbytes = if kind == event::FD_READ {
                        rustix::io::ioctl_fionread(fd).unwrap_or(0)
                    } else {
                        0
                    };
                    events.push(Event::ready(sub, nbytes, hangup));
                }
            }
        }
        let now = monotonic_nanos();
        for sub in subs {
            if let Wait::Deadline(d) = sub.wait
                && d <= now
            {
                events.push(Event::ready(sub, 0, 0));
            }
        }
        if !events.is_empty() {
            return Ok(events);
        }
    }
}

pub(crate) fn poll_oneoff<T: WasiView>(cx: &mut Cx<'_, '_, T>, a: Args<'_>) -> WasiResult {
    let (input, output, count, nevents_ptr) = (a.u32(0), a.u32(1), a.u32(2), a.u32(3));
    if count == 0 || count > MAX_SUBSCRIPTIONS {
        return Err(Errno::Inval.into());
    }
    let input_len = count.checked_mul(size::SUBSCRIPTION).ok_or(Errno::Fault)?;
    let output_len = count.checked_mul(size::EVENT).ok_or(Errno::Fault)?;
    cx.bytes(input, input_len)?;
    cx.bytes(output, output_len)?;
    let subs = (0..count)
        .map(|i| read_subscription(cx, input + i * size::SUBSCRIPTION))
        .collect::<WasiResult<Vec<_>>>()?;
    let events = wait(&cx.wasi().table, &subs)?;
    let mut bytes = Vec::with_capacity(events.len() * size::EVENT as usize);
    for event in &events {
        bytes.extend_from_slice(&event.to_bytes());
    }
    cx.write(output, &bytes)?;
    cx.write_u32(nevents_ptr, events.len() as u32)
}
