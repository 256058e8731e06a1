//! [`BareMetalPlatform`]: Ember's [`Platform`] on bare-metal AArch64, over
//! RAM the firmware hands over.
//!
//! - **Linear memories** come from the memory region through a
//!   [`PageAllocator`] (4 KiB pages). A memory takes exactly the pages its
//!   current size needs. Growing extends it in place when the pages right
//!   after it are free, and otherwise moves it: a new block is allocated,
//!   the contents copied and the old block freed (the engine reloads the
//!   base after every growth, in both tiers). Nothing is reserved up to the
//!   maximum, so small firmware RAM is not tied up by a large declared
//!   maximum; the price is a copy when two growing memories interleave.
//! - **Code** comes from a separate code window, mapped with 4 KiB pages
//!   that are read+write and never executable while free. `map_code`
//!   copies the code in, cleans the data cache to the point of
//!   unification, flips the pages to read+execute (never writable) and
//!   invalidates the instruction cache. Dropping the code flips its pages
//!   back before they are reused. Each piece of code takes whole pages.
//! - **Clock**: the generic timer's virtual counter.
//! - **Native stack limit**: the bottom of the boot stack plus a margin.

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::ops::Range;

use ember_core::{CodeMemory, LinearMemory, MemoryError, Platform};

use crate::arch::{cache, mmu, timer};
use crate::region::PageAllocator;

/// Allocation granule for linear memories and code.
const PAGE: usize = mmu::PAGE_SIZE;

/// Bytes kept free below the native stack limit for the engine's own
/// frames (helpers, host functions, the interpreter) under JIT code.
const STACK_MARGIN: usize = 64 << 10;

/// Usage of the platform's RAM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlatformStats {
    /// Bytes of linear memory allocated now.
    pub memory_in_use: usize,
    /// The most bytes of linear memory allocated at once.
    pub memory_peak: usize,
    /// Bytes of code memory allocated now (whole pages).
    pub code_in_use: usize,
    /// The most bytes of code memory allocated at once.
    pub code_peak: usize,
}

struct CodeWindow {
    pages: spin::Mutex<PageAllocator>,
    /// The translation tables that map the window, when the MMU is on.
    tables: Option<&'static spin::mutex::SpinMutex<mmu::TranslationTables>>,
}

/// Ember's platform for bare-metal AArch64 (see the module docs).
#[derive(Clone)]
pub struct BareMetalPlatform {
    memories: Arc<spin::Mutex<PageAllocator>>,
    code: Option<Arc<CodeWindow>>,
    stack_limit: Option<usize>,
}

impl BareMetalPlatform {
    /// A platform that places linear memories in `memory_region`.
    ///
    /// # Safety
    ///
    /// `memory_region` must be RAM mapped read+write that nothing else
    /// uses for as long as the platform or any memory it created lives.
    pub unsafe fn new(memory_region: Range<usize>) -> Self {
        BareMetalPlatform {
            memories: Arc::new(spin::Mutex::new(PageAllocator::new(memory_region, PAGE))),
            code: None,
            stack_limit: None,
        }
    }

    /// Lets the platform place JIT code in `window`. With `tables`, the
    /// window must be mapped in them as [`mmu::MemoryKind::CodeWindow`]
    /// and its pages become executable only once written; without (MMU
    /// off), memory is executable anyway and only the caches are synced.
    ///
    /// # Safety
    ///
    /// `window` must be RAM used by nothing else while the platform or any
    /// code it mapped lives; with `tables`, they must be the active ones.
    pub unsafe fn with_code_window(
        mut self,
        window: Range<usize>,
        tables: Option<&'static spin::mutex::SpinMutex<mmu::TranslationTables>>,
    ) -> Self {
        self.code = Some(Arc::new(CodeWindow {
            pages: spin::Mutex::new(PageAllocator::new(window, PAGE)),
            tables,
        }));
        self
    }

    /// Reports `stack_bottom + 64 KiB` as the lowest address JIT code may
    /// push the native stack to.
    pub fn with_stack_bottom(mut self, stack_bottom: usize) -> Self {
        self.stack_limit = Some(stack_bottom + STACK_MARGIN);
        self
    }

    /// How much of its RAM the platform uses.
    pub fn stats(&self) -> PlatformStats {
        let memories = self.memories.lock();
        let (code_in_use, code_peak) = match &self.code {
            Some(window) => {
                let pages = window.pages.lock();
                (pages.in_use(), pages.peak())
            }
            None => (0, 0),
        };
        PlatformStats {
            memory_in_use: memories.in_use(),
            memory_peak: memories.peak(),
            code_in_use,
            code_peak,
        }
    }
}

/// A linear memory in the platform's region.
struct RegionMemory {
    pages: Arc<spin::Mutex<PageAllocator>>,
    base: usize,
    len: usize,
    /// Bytes of the block (whole pages, at least one).
    block: usize,
}

/// Zeroes `[start, end)`.
///
/// # Safety
///
/// The range must be writable memory owned by the caller.
unsafe fn zero(start: usize, end: usize) {
    // SAFETY: per this function's contract.
    unsafe { core::ptr::write_bytes(start as *mut u8, 0, end - start) };
}

impl LinearMemory for RegionMemory {
    fn base(&self) -> *mut u8 {
        self.base as *mut u8
    }

    fn len(&self) -> usize {
        self.len
    }

    fn grow_to(&mut self, new_len: usize) -> Result<(), MemoryError> {
        if new_len <= self.len {
            return Ok(());
        }
        let mut pages = self.pages.lock();
        if new_len > self.block {
            if pages.grow_in_place(self.base, self.block, new_len) {
                self.block = pages.round_up(new_len).ok_or(MemoryError::OutOfMemory)?;
            } else {
                let new_base = pages.allocate(new_len).ok_or(MemoryError::OutOfMemory)?;
                // SAFETY: both blocks belong to this memory (the new one
                // was just allocated, so they do not overlap) and hold at
                // least `len` bytes.
                unsafe {
                    core::ptr::copy_nonoverlapping(
                        self.base as *const u8,
                        new_base as *mut u8,
                        self.len,
                    );
                }
                pages.free(self.base, self.block);
                self.base = new_base;
                self.block = pages.round_up(new_len).ok_or(MemoryError::OutOfMemory)?;
            }
        }
        // SAFETY: `[len, new_len)` lies inside this memory's block.
        unsafe { zero(self.base + self.len, self.base + new_len) };
        self.len = new_len;
        Ok(())
    }
}

impl Drop for RegionMemory {
    fn drop(&mut self) {
        self.pages.lock().free(self.base, self.block);
    }
}

/// Code mapped read+execute in the code window.
struct RegionCode {
    window: Arc<CodeWindow>,
    start: usize,
    len: usize,
    block: usize,
}

impl CodeMemory for RegionCode {
    fn as_ptr(&self) -> *const u8 {
        self.start as *const u8
    }

    fn len(&self) -> usize {
        self.len
    }
}

impl Drop for RegionCode {
    fn drop(&mut self) {
        if let Some(tables) = self.window.tables {
            let pages = self.start..self.start + self.block;
            tables
                .lock()
                .protect(pages, mmu::PagePermissions::ReadWrite);
        }
        self.window.pages.lock().free(self.start, self.block);
    }
}

impl Platform for BareMetalPlatform {
    fn create_memory(
        &self,
        initial: usize,
        _maximum: usize,
    ) -> Result<Box<dyn LinearMemory>, MemoryError> {
        let mut pages = self.memories.lock();
        let base = pages.allocate(initial).ok_or(MemoryError::OutOfMemory)?;
        let block = pages
            .round_up(initial.max(1))
            .ok_or(MemoryError::OutOfMemory)?;
        drop(pages);
        // SAFETY: the block was just allocated from the region the platform
        // owns (read+write RAM per `new`'s contract).
        unsafe { zero(base, base + block) };
        Ok(Box::new(RegionMemory {
            pages: self.memories.clone(),
            base,
            len: initial,
            block,
        }))
    }

    fn monotonic_nanos(&self) -> u64 {
        timer::ticks_to_nanos(timer::counter())
    }

    fn map_code(&self, code: &[u8]) -> Result<Box<dyn CodeMemory>, MemoryError> {
        let window = self.code.as_ref().ok_or(MemoryError::Unsupported)?;
        let mut pages = window.pages.lock();
        let start = pages.allocate(code.len()).ok_or(MemoryError::OutOfMemory)?;
        let block = pages
            .round_up(code.len().max(1))
            .ok_or(MemoryError::OutOfMemory)?;
        drop(pages);
        let end = start + code.len();
        // SAFETY: the block was just allocated from the code window, whose
        // free pages are mapped read+write (see `with_code_window` and
        // `RegionCode::drop`), and holds at least `code.len()` bytes.
        unsafe { core::ptr::copy_nonoverlapping(code.as_ptr(), start as *mut u8, code.len()) };
        cache::clean_data_to_pou(start, end);
        if let Some(tables) = window.tables {
            tables
                .lock()
                .protect(start..start + block, mmu::PagePermissions::ReadExecute);
        }
        cache::invalidate_instructions(start, end);
        Ok(Box::new(RegionCode {
            window: window.clone(),
            start,
            len: code.len(),
            block,
        }))
    }

    fn native_stack_limit(&self) -> Option<usize> {
        self.stack_limit
    }
}
