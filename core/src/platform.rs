//! The boundary between the engine and whatever it runs on: linear-memory
//! storage and a clock. [`HeapPlatform`] needs nothing but `alloc`.

use alloc::boxed::Box;
use alloc::vec::Vec;

/// Why a memory could not be created or grown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemoryError {
    /// The host has no room for the requested size.
    OutOfMemory,
    /// The platform does not provide this kind of memory (for example
    /// executable memory on [`HeapPlatform`]).
    Unsupported,
}

/// Executable memory holding one piece of compiled code.
///
/// Contract: `as_ptr()` MUST point to `len()` bytes that are readable and
/// executable, and never writable again, until the value is dropped.
pub trait CodeMemory: Send + Sync {
    /// Start of the code.
    fn as_ptr(&self) -> *const u8;
    /// Length of the code in bytes.
    fn len(&self) -> usize;
    /// Whether the code is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Storage for one linear memory.
///
/// Contract:
/// - `base()` MUST point to `len()` readable and writable bytes, valid until
///   the next call of `grow_to` or the memory is dropped.
/// - `grow_to(n)` MUST either fail and leave the memory unchanged, or succeed
///   with `len() == n`, the old contents preserved and the new bytes zeroed.
///   It MAY move the memory (callers reload `base()` after it).
/// - New memories MUST be zero-filled.
pub trait LinearMemory: Send {
    /// Start of the memory.
    fn base(&self) -> *mut u8;
    /// Current size in bytes.
    fn len(&self) -> usize;
    /// Whether the memory has zero bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Grows the memory to exactly `new_len` bytes (`new_len >= len()`).
    fn grow_to(&mut self, new_len: usize) -> Result<(), MemoryError>;
}

/// What the engine needs from its host.
///
/// Contract:
/// - `create_memory(initial, maximum)` MUST return a zeroed memory of
///   exactly `initial` bytes that can later be grown up to `maximum` bytes
///   (growing beyond `maximum` is never asked for).
/// - `monotonic_nanos` MUST never go backwards. It never fails.
pub trait Platform: Send + Sync {
    /// Creates the storage for a linear memory.
    fn create_memory(
        &self,
        initial: usize,
        maximum: usize,
    ) -> Result<Box<dyn LinearMemory>, MemoryError>;

    /// Nanoseconds since an arbitrary fixed point in the past.
    fn monotonic_nanos(&self) -> u64;

    /// Copies `code` into new executable memory. The memory MUST be
    /// written while not executable, then made read+execute and never
    /// writable again (W^X), with the instruction cache synchronized before
    /// this returns. Platforms without executable memory return
    /// [`MemoryError::Unsupported`] (the default), which keeps every
    /// function in the interpreter.
    fn map_code(&self, code: &[u8]) -> Result<Box<dyn CodeMemory>, MemoryError> {
        let _ = code;
        Err(MemoryError::Unsupported)
    }

    /// The lowest address the native stack of the calling thread may reach
    /// (with room to spare for the engine's own frames), if known. Native
    /// code traps with "call stack exhausted" below it. `None` makes the
    /// engine allow [`crate::Config::max_native_stack`] bytes below the
    /// point where native code is first entered.
    fn native_stack_limit(&self) -> Option<usize> {
        None
    }

    /// Runs `f` and catches a panic unwinding out of it, returning its
    /// payload. The engine calls host functions through this when native
    /// code is on the stack, because a panic must not unwind through
    /// native frames. Platforms that cannot unwind (panic = abort, bare
    /// metal) keep the default, which just calls `f`.
    fn catch_unwind(&self, f: &mut dyn FnMut()) -> Result<(), Box<dyn core::any::Any + Send>> {
        f();
        Ok(())
    }

    /// Continues a panic caught by [`Platform::catch_unwind`] once the
    /// native frames are gone (in the host's call into Wasm). The default
    /// panics with a generic message.
    fn resume_unwind(&self, payload: Box<dyn core::any::Any + Send>) -> ! {
        drop(payload);
        panic!("a host function panicked")
    }
}

/// A platform that keeps linear memories in heap vectors (which may move
/// when they grow) and has no clock (time stands still at zero).
#[derive(Debug, Default, Clone, Copy)]
pub struct HeapPlatform;

struct HeapMemory {
    bytes: Vec<u8>,
    /// `bytes.as_mut_ptr()`, taken through `&mut` whenever `bytes` changes.
    base: *mut u8,
}

// SAFETY: `base` only ever points into `bytes`, which the memory owns; moving
// the memory to another thread moves the allocation's ownership with it.
unsafe impl Send for HeapMemory {}

impl LinearMemory for HeapMemory {
    fn base(&self) -> *mut u8 {
        self.base
    }

    fn len(&self) -> usize {
        self.bytes.len()
    }

    fn grow_to(&mut self, new_len: usize) -> Result<(), MemoryError> {
        let extra = new_len.saturating_sub(self.bytes.len());
        self.bytes
            .try_reserve_exact(extra)
            .map_err(|_| MemoryError::OutOfMemory)?;
        self.bytes.resize(new_len, 0);
        self.base = self.bytes.as_mut_ptr();
        Ok(())
    }
}

impl Platform for HeapPlatform {
    fn create_memory(
        &self,
        initial: usize,
        _maximum: usize,
    ) -> Result<Box<dyn LinearMemory>, MemoryError> {
        let mut bytes = Vec::new();
        bytes
            .try_reserve_exact(initial)
            .map_err(|_| MemoryError::OutOfMemory)?;
        bytes.resize(initial, 0);
        let base = bytes.as_mut_ptr();
        Ok(Box::new(HeapMemory { bytes, base }))
    }

    fn monotonic_nanos(&self) -> u64 {
        0
    }
}
