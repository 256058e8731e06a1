//! [`StdPlatform`]: the engine's [`Platform`] on a hosted OS. Linear memories
//! live in virtual address space reserved up front for their maximum size, so
//! `memory.grow` only changes page protections and never moves or copies.

use std::ptr::NonNull;

use ember_core::{CodeMemory, LinearMemory, MemoryError, Platform};
use rustix::mm::{MapFlags, MprotectFlags, ProtFlags};
use rustix::time::ClockId;

/// The hosted platform: mmap'd linear memories and the OS monotonic clock.
///
/// Each memory reserves its maximum size as inaccessible address space
/// (`PROT_NONE`, no swap reserved) and makes pages readable and writable as
/// it grows. The bytes are zero when first touched, as Wasm requires.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdPlatform;

impl StdPlatform {
    /// The hosted platform.
    pub fn new() -> Self {
        StdPlatform
    }
}

impl Platform for StdPlatform {
    fn create_memory(
        &self,
        initial: usize,
        maximum: usize,
    ) -> Result<Box<dyn LinearMemory>, MemoryError> {
        let memory = MmapMemory::new(initial, maximum.max(initial))?;
        Ok(Box::new(memory))
    }

    fn monotonic_nanos(&self) -> u64 {
        monotonic_nanos()
    }

    fn map_code(&self, code: &[u8]) -> Result<Box<dyn CodeMemory>, MemoryError> {
        Ok(Box::new(MmapCode::new(code)?))
    }

    fn catch_unwind(&self, f: &mut dyn FnMut()) -> Result<(), Box<dyn std::any::Any + Send>> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
    }

    fn resume_unwind(&self, payload: Box<dyn std::any::Any + Send>) -> ! {
        std::panic::resume_unwind(payload)
    }
}

/// Compiled code in its own private mapping: written while read+write,
/// then made read+execute for good.
struct MmapCode {
    base: NonNull<u8>,
    len: usize,
    mapped: usize,
}

// SAFETY: the mapping is owned by this value alone and is never written
// after construction, so sharing or moving it between threads is safe.
unsafe impl Send for MmapCode {}
// SAFETY: as above (read-only after construction).
unsafe impl Sync for MmapCode {}

impl MmapCode {
    fn new(code: &[u8]) -> Result<Self, MemoryError> {
        let mapped = round_up_to_page(code.len().max(1)).ok_or(MemoryError::OutOfMemory)?;
        // SAFETY: a fresh private anonymous mapping aliases nothing.
        let ptr = unsafe {
            rustix::mm::mmap_anonymous(
                std::ptr::null_mut(),
                mapped,
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::PRIVATE,
            )
        }
        .map_err(|_| MemoryError::OutOfMemory)?;
        let base = NonNull::new(ptr.cast::<u8>()).ok_or(MemoryError::OutOfMemory)?;
        let this = MmapCode {
            base,
            len: code.len(),
            mapped,
        };
        // SAFETY: the mapping is `mapped >= code.len()` writable bytes.
        unsafe { std::ptr::copy_nonoverlapping(code.as_ptr(), base.as_ptr(), code.len()) };
        // SAFETY: the range is exactly our mapping; from here on it is
        // never writable again.
        unsafe {
            rustix::mm::mprotect(
                base.as_ptr().cast(),
                mapped,
                MprotectFlags::READ | MprotectFlags::EXEC,
            )
        }
        .map_err(|_| MemoryError::OutOfMemory)?;
        sync_instruction_cache(base.as_ptr(), code.len());
        Ok(this)
    }
}

impl CodeMemory for MmapCode {
    fn as_ptr(&self) -> *const u8 {
        self.base.as_ptr()
    }

    fn len(&self) -> usize {
        self.len
    }
}

impl Drop for MmapCode {
    fn drop(&mut self) {
        // SAFETY: the mapping was created in `new` and is unmapped only
        // here; no code in it runs any more (its module is being dropped).
        let _ = unsafe { rustix::mm::munmap(self.base.as_ptr().cast(), self.mapped) };
    }
}

/// Makes freshly written code visible to instruction fetch. x86-64 keeps
/// its caches coherent; AArch64 needs the data cache cleaned and the
/// instruction cache invalidated by address.
#[cfg(target_arch = "aarch64")]
fn sync_instruction_cache(start: *const u8, len: usize) {
    let ctr: u64;
    // SAFETY: reading CTR_EL0 is allowed at EL0 on Linux and has no effects.
    unsafe { std::arch::asm!("mrs {}, ctr_el0", out(reg) ctr, options(nomem, nostack)) };
    let dline = 4usize << ((ctr >> 16) & 0xf);
    let iline = 4usize << (ctr & 0xf);
    let begin = start as usize;
    let end = begin + len;
    let mut addr = begin & !(dline - 1);
    while addr < end {
        // SAFETY: cleaning a readable line of our own mapping to the point
        // of unification has no other effect.
        unsafe { std::arch::asm!("dc cvau, {}", in(reg) addr, options(nostack)) };
        addr += dline;
    }
    // SAFETY: barriers only.
    unsafe { std::arch::asm!("dsb ish", options(nostack)) };
    let mut addr = begin & !(iline - 1);
    while addr < end {
        // SAFETY: invalidating instruction-cache lines of our own mapping.
        unsafe { std::arch::asm!("ic ivau, {}", in(reg) addr, options(nostack)) };
        addr += iline;
    }
    // SAFETY: barriers only.
    unsafe { std::arch::asm!("dsb ish", "isb", options(nostack)) };
}

#[cfg(not(target_arch = "aarch64"))]
fn sync_instruction_cache(_start: *const u8, _len: usize) {}

/// Nanoseconds on the OS monotonic clock.
pub(crate) fn monotonic_nanos() -> u64 {
    timespec_nanos(rustix::time::clock_gettime(ClockId::Monotonic))
}

/// A timespec as nanoseconds, saturating (clocks here never go negative).
pub(crate) fn timespec_nanos(t: rustix::time::Timespec) -> u64 {
    let secs = u64::try_from(t.tv_sec).unwrap_or(0);
    let nanos = u64::try_from(t.tv_nsec).unwrap_or(0);
    secs.saturating_mul(1_000_000_000).saturating_add(nanos)
}

/// One linear memory in a private anonymous mapping of `reserved` bytes, of
/// which the first `committed` are readable and writable.
struct MmapMemory {
    /// Start of the mapping, or a dangling pointer when `reserved == 0`.
    base: NonNull<u8>,
    /// Wasm-visible size in bytes.
    len: usize,
    /// Bytes made accessible (`len` rounded up to the host page size).
    committed: usize,
    /// Bytes of address space mapped (the maximum rounded up).
    reserved: usize,
}

// SAFETY: the mapping is owned by this value alone (nothing else holds
// `base`), so moving the value to another thread moves sole ownership.
unsafe impl Send for MmapMemory {}

fn round_up_to_page(bytes: usize) -> Option<usize> {
    let page = rustix::param::page_size();
    bytes.checked_add(page - 1).map(|b| b & !(page - 1))
}

impl MmapMemory {
    fn new(initial: usize, maximum: usize) -> Result<Self, MemoryError> {
        let reserved = round_up_to_page(maximum).ok_or(MemoryError::OutOfMemory)?;
        if reserved == 0 {
            return Ok(MmapMemory {
                base: NonNull::dangling(),
                len: 0,
                committed: 0,
                reserved: 0,
            });
        }
        // SAFETY: a fresh anonymous mapping at an address of the kernel's
        // choosing (null hint, no MAP_FIXED) cannot alias any existing
        // memory; `reserved` is non-zero.
        let ptr = unsafe {
            rustix::mm::mmap_anonymous(
                std::ptr::null_mut(),
                reserved,
                ProtFlags::empty(),
                MapFlags::PRIVATE | MapFlags::NORESERVE,
            )
        }
        .map_err(|_| MemoryError::OutOfMemory)?;
        let base = NonNull::new(ptr.cast::<u8>()).ok_or(MemoryError::OutOfMemory)?;
        let mut memory = MmapMemory {
            base,
            len: 0,
            committed: 0,
            reserved,
        };
        // On failure `memory` is dropped, which unmaps the reservation.
        memory.grow_to(initial)?;
        Ok(memory)
    }
}

impl LinearMemory for MmapMemory {
    fn base(&self) -> *mut u8 {
        self.base.as_ptr()
    }

    fn len(&self) -> usize {
        self.len
    }

    fn grow_to(&mut self, new_len: usize) -> Result<(), MemoryError> {
        if new_len > self.reserved {
            return Err(MemoryError::OutOfMemory);
        }
        let committed = round_up_to_page(new_len).ok_or(MemoryError::OutOfMemory)?;
        if committed > self.committed {
            // SAFETY: `committed <= reserved` (both page-rounded, and
            // `new_len <= reserved`), so the range
            // `[base + self.committed, base + committed)` lies inside our own
            // mapping, starts page-aligned, and is not yet accessible: no
            // reference into it exists.
            unsafe {
                rustix::mm::mprotect(
                    self.base.as_ptr().add(self.committed).cast(),
                    committed - self.committed,
                    MprotectFlags::READ | MprotectFlags::WRITE,
                )
            }
            .map_err(|_| MemoryError::OutOfMemory)?;
            self.committed = committed;
        }
        self.len = new_len;
        Ok(())
    }
}

impl Drop for MmapMemory {
    fn drop(&mut self) {
        if self.reserved > 0 {
            // SAFETY: `base..base + reserved` is exactly the mapping created
            // in `new`, owned by this value; borrows of the memory's bytes
            // cannot outlive the value. A failure would leave the mapping in
            // place, which leaks but is harmless.
            let _ = unsafe { rustix::mm::munmap(self.base.as_ptr().cast(), self.reserved) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: usize = 65536;

    fn bytes(memory: &dyn LinearMemory) -> &[u8] {
        // SAFETY: the `LinearMemory` contract: `base()` points to `len()`
        // readable bytes until the next `grow_to`, which needs `&mut`.
        unsafe { std::slice::from_raw_parts(memory.base(), memory.len()) }
    }

    fn bytes_mut(memory: &mut dyn LinearMemory) -> &mut [u8] {
        // SAFETY: as in `bytes`, and `&mut` makes this the only access.
        unsafe { std::slice::from_raw_parts_mut(memory.base(), memory.len()) }
    }

    #[test]
    fn new_memory_is_zeroed_and_of_the_initial_size() {
        let memory = StdPlatform.create_memory(2 * PAGE, 10 * PAGE).unwrap();
        assert_eq!(memory.len(), 2 * PAGE);
        assert!(bytes(&*memory).iter().all(|&b| b == 0));
    }

    #[test]
    fn grow_keeps_the_base_and_the_contents_and_zeroes_new_pages() {
        let mut memory = StdPlatform.create_memory(PAGE, 64 * PAGE).unwrap();
        let base = memory.base();
        bytes_mut(&mut *memory)[PAGE - 1] = 0xAB;
        memory.grow_to(40 * PAGE).unwrap();
        assert_eq!(memory.base(), base, "memory.grow must not move the memory");
        assert_eq!(memory.len(), 40 * PAGE);
        let all = bytes(&*memory);
        assert_eq!(all[PAGE - 1], 0xAB);
        assert!(all[PAGE..].iter().all(|&b| b == 0));
        bytes_mut(&mut *memory)[40 * PAGE - 1] = 7;
        assert_eq!(bytes(&*memory)[40 * PAGE - 1], 7);
    }

    #[test]
    fn growing_past_the_reservation_fails_and_changes_nothing() {
        let mut memory = StdPlatform.create_memory(PAGE, 2 * PAGE).unwrap();
        assert_eq!(memory.grow_to(3 * PAGE), Err(MemoryError::OutOfMemory));
        assert_eq!(memory.len(), PAGE);
        memory.grow_to(2 * PAGE).unwrap();
        assert_eq!(memory.len(), 2 * PAGE);
    }

    #[test]
    fn empty_memories_work_and_can_grow() {
        let mut memory = StdPlatform.create_memory(0, 0).unwrap();
        assert!(memory.is_empty());
        assert!(bytes(&*memory).is_empty());
        assert_eq!(memory.grow_to(PAGE), Err(MemoryError::OutOfMemory));
        let mut memory = StdPlatform.create_memory(0, PAGE).unwrap();
        memory.grow_to(PAGE).unwrap();
        assert!(bytes(&*memory).iter().all(|&b| b == 0));
    }

    #[test]
    fn a_four_gib_reservation_costs_no_memory() {
        // 65536 pages: the largest 32-bit memory. Reserving it must succeed
        // on any 64-bit host because nothing is committed.
        let memory = StdPlatform.create_memory(PAGE, 65536 * PAGE).unwrap();
        assert_eq!(memory.len(), PAGE);
    }

    #[test]
    fn the_clock_is_monotonic() {
        let a = StdPlatform.monotonic_nanos();
        let b = StdPlatform.monotonic_nanos();
        assert!(a > 0 && b >= a);
    }
}
