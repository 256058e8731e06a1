//! The value stack: one fixed block of 8-byte slots per store, allocated on
//! the first call and never moved, plus the list of active frames.

use alloc::alloc::{Layout, alloc_zeroed, dealloc};
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};
use crate::ir;

/// An active Wasm function.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    /// The function's IR; owned by its module, which the store keeps alive.
    pub func: *const ir::Func,
    /// The function in the store's function list.
    pub store_func: u32,
    pub instance: u32,
    /// Index of the frame's slot 0 in the stack.
    pub base: usize,
    /// Where execution continues when this frame runs again (an
    /// instruction of `func`'s code).
    pub ip: *const super::Op,
}

pub(crate) struct Stack {
    slots: *mut u64,
    len: usize,
    capacity: usize,
    pub frames: Vec<Frame>,
    pub max_depth: usize,
    /// End of the argument area of the host calls in progress (nested host
    /// → Wasm calls start above it).
    pub reserved: usize,
}

// SAFETY: the slot block is owned exclusively by this `Stack`; the raw
// pointers in `frames` point into modules kept alive by the same store.
unsafe impl Send for Stack {}

impl Stack {
    pub fn new(capacity: usize, max_depth: u32) -> Self {
        Stack {
            slots: core::ptr::null_mut(),
            len: 0,
            capacity,
            frames: Vec::new(),
            max_depth: max_depth as usize,
            reserved: 0,
        }
    }

    /// Allocates the slot block if this is the first call.
    pub fn ensure_allocated(&mut self) -> Result<()> {
        if !self.slots.is_null() {
            return Ok(());
        }
        let capacity = self.capacity.max(16);
        let layout = Layout::array::<u64>(capacity)
            .map_err(|_| Error::new(ErrorKind::Resource, "value stack too large"))?;
        // SAFETY: `layout` has a non-zero size (capacity >= 16).
        let slots = unsafe { alloc_zeroed(layout) }.cast::<u64>();
        if slots.is_null() {
            return Err(Error::new(
                ErrorKind::Resource,
                "cannot allocate the value stack",
            ));
        }
        self.slots = slots;
        self.len = capacity;
        Ok(())
    }

    /// Start of the slot block.
    pub fn slots(&self) -> *mut u64 {
        self.slots
    }

    /// Number of slots in the block (0 before the first call).
    pub fn len(&self) -> usize {
        self.len
    }

    /// The first even slot free above all active frames and host areas.
    pub fn free_base(&self) -> usize {
        let frames_end = self.frames.last().map_or(0, |f| {
            // SAFETY: frame IR pointers stay valid while the frame is active.
            f.base + unsafe { (*f.func).frame_slots as usize }
        });
        (frames_end.max(self.reserved) + 1) & !1
    }

    /// Reads slot `index`. Panics outside the block.
    pub fn get(&self, index: usize) -> u64 {
        assert!(index < self.len, "slot index outside the value stack");
        // SAFETY: checked above that `index` is inside the allocated block.
        unsafe { *self.slots.add(index) }
    }

    /// Writes slot `index`. Panics outside the block.
    pub fn set(&mut self, index: usize, value: u64) {
        assert!(index < self.len, "slot index outside the value stack");
        // SAFETY: checked above that `index` is inside the allocated block.
        unsafe { *self.slots.add(index) = value }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        if !self.slots.is_null() {
            let layout = Layout::array::<u64>(self.len).expect("layout was valid at allocation");
            // SAFETY: `slots` was allocated with exactly this layout.
            unsafe { dealloc(self.slots.cast(), layout) }
        }
    }
}
