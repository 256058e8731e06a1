//! The `alloc` heap of bare-metal firmware: a first-fit free-list allocator
//! over one RAM range, usable as the `#[global_allocator]`.
//!
//! Free blocks hold their own list node (size and next pointer), sorted by
//! address and coalesced on free; allocated blocks carry no header, since
//! `dealloc` is told the layout. Every block is a multiple of 16 bytes and
//! 16-byte aligned. One spin lock guards the list: interrupt handlers must
//! not allocate (they could spin on a lock their own core holds).

use core::alloc::{GlobalAlloc, Layout};
use core::ptr::{self, NonNull};

/// Allocation granule: the size and alignment of a free-list node.
const UNIT: usize = 16;

#[repr(C, align(16))]
struct Node {
    size: usize,
    next: Option<NonNull<Node>>,
}

/// The free list itself (not locked).
struct FreeList {
    head: Option<NonNull<Node>>,
    total: usize,
    in_use: usize,
    peak: usize,
}

// SAFETY: the nodes live in the memory handed to `Heap::init`, which the
// heap owns exclusively; the list is only reached through `Heap`'s lock.
unsafe impl Send for FreeList {}

/// Usage counters of a [`Heap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeapStats {
    /// Bytes the heap manages.
    pub total: usize,
    /// Bytes allocated now (rounded to the 16-byte granule).
    pub in_use: usize,
    /// The most bytes ever allocated at once.
    pub peak: usize,
}

/// A locked free-list heap; empty until [`Heap::init`].
pub struct Heap {
    list: spin::Mutex<FreeList>,
}

impl Default for Heap {
    fn default() -> Self {
        Self::empty()
    }
}

impl Heap {
    /// A heap with no memory (every allocation fails until `init`).
    pub const fn empty() -> Self {
        Heap {
            list: spin::Mutex::new(FreeList {
                head: None,
                total: 0,
                in_use: 0,
                peak: 0,
            }),
        }
    }

    /// Adds `[start, start + bytes)` to the heap (its 16-byte-aligned part).
    ///
    /// # Safety
    ///
    /// The range must be writable RAM that nothing else uses, now or later,
    /// and must not overlap memory given to this heap before.
    pub unsafe fn init(&self, start: usize, bytes: usize) {
        let begin = start.next_multiple_of(UNIT);
        let end = (start + bytes) & !(UNIT - 1);
        if end <= begin {
            return;
        }
        let mut list = self.list.lock();
        list.total += end - begin;
        // SAFETY: the caller hands over this range exclusively; it is
        // aligned to `UNIT` and at least one `UNIT` long.
        unsafe { list.insert(begin, end - begin) };
    }

    /// Current usage.
    pub fn stats(&self) -> HeapStats {
        let list = self.list.lock();
        HeapStats {
            total: list.total,
            in_use: list.in_use,
            peak: list.peak,
        }
    }
}

fn block_size(layout: Layout) -> usize {
    layout.size().max(1).next_multiple_of(UNIT)
}

impl FreeList {
    /// Takes a block of `size` bytes aligned to `align` (both multiples of
    /// `UNIT`) from the first free block that can hold it.
    fn take(&mut self, size: usize, align: usize) -> Option<usize> {
        let mut link: *mut Option<NonNull<Node>> = &mut self.head;
        // SAFETY: every node in the list is a live free block that the heap
        // owns (see `insert`), and `link` always points at either `head` or
        // the `next` field of such a node.
        unsafe {
            while let Some(node) = *link {
                let block = node.as_ptr() as usize;
                let block_size = (*node.as_ptr()).size;
                let next = (*node.as_ptr()).next;
                let start = block.next_multiple_of(align);
                let front = start - block;
                if start + size <= block + block_size {
                    let tail = block + block_size - (start + size);
                    // Both remainders are multiples of UNIT (all addresses
                    // and sizes are), so each is empty or a valid block.
                    let mut rest = next;
                    if tail > 0 {
                        let tail_node = (start + size) as *mut Node;
                        tail_node.write(Node {
                            size: tail,
                            next: rest,
                        });
                        rest = NonNull::new(tail_node);
                    }
                    if front > 0 {
                        (*node.as_ptr()).size = front;
                        (*node.as_ptr()).next = rest;
                    } else {
                        *link = rest;
                    }
                    self.in_use += size;
                    self.peak = self.peak.max(self.in_use);
                    return Some(start);
                }
                link = &mut (*node.as_ptr()).next;
            }
        }
        None
    }

    /// Puts `[start, start + size)` back, coalescing with its neighbours.
    ///
    /// # Safety
    ///
    /// The range is owned by the heap, `UNIT`-aligned, a multiple of `UNIT`
    /// long, and not in the free list already.
    unsafe fn insert(&mut self, start: usize, size: usize) {
        let mut prev: Option<NonNull<Node>> = None;
        let mut next = self.head;
        // SAFETY: list nodes are live free blocks owned by the heap; the new
        // block is owned by the heap per this function's contract.
        unsafe {
            while let Some(node) = next {
                if node.as_ptr() as usize > start {
                    break;
                }
                prev = Some(node);
                next = (*node.as_ptr()).next;
            }
            let new = start as *mut Node;
            new.write(Node { size, next });
            if let Some(after) = next
                && start + size == after.as_ptr() as usize
            {
                (*new).size += (*after.as_ptr()).size;
                (*new).next = (*after.as_ptr()).next;
            }
            match prev {
                Some(before) if before.as_ptr() as usize + (*before.as_ptr()).size == start => {
                    (*before.as_ptr()).size += (*new).size;
                    (*before.as_ptr()).next = (*new).next;
                }
                Some(before) => (*before.as_ptr()).next = NonNull::new(new),
                None => self.head = NonNull::new(new),
            }
        }
    }
}

// SAFETY: `alloc` returns blocks of at least `layout.size()` bytes aligned
// to at least `layout.align()`, carved from memory the heap owns and
// removed from the free list, so no two live allocations overlap;
// `dealloc` returns exactly the block `alloc` handed out (same rounding).
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let align = layout.align().max(UNIT);
        match self.list.lock().take(block_size(layout), align) {
            Some(start) => start as *mut u8,
            None => ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let size = block_size(layout);
        let mut list = self.list.lock();
        list.in_use -= size;
        // SAFETY: `ptr` came from `alloc` with this layout, so it is a
        // `UNIT`-aligned block of `size` bytes owned by the heap and not
        // free.
        unsafe { list.insert(ptr as usize, size) };
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::boxed::Box;
    use std::vec::Vec;

    /// A heap over a leaked, page-aligned buffer of `bytes`.
    fn heap(bytes: usize) -> (&'static Heap, usize) {
        let layout = Layout::from_size_align(bytes, 4096).unwrap();
        // SAFETY: the layout is non-zero-sized; the buffer is leaked.
        let start = unsafe { std::alloc::alloc(layout) } as usize;
        assert_ne!(start, 0);
        let heap = Box::leak(Box::new(Heap::empty()));
        // SAFETY: the leaked buffer is used by nothing else.
        unsafe { heap.init(start, bytes) };
        (heap, start)
    }

    fn alloc(h: &Heap, size: usize, align: usize) -> usize {
        // SAFETY: the layouts used here are non-zero-sized.
        unsafe { h.alloc(Layout::from_size_align(size, align).unwrap()) as usize }
    }

    fn free(h: &Heap, ptr: usize, size: usize, align: usize) {
        // SAFETY: tests free only what they allocated, with the same layout.
        unsafe {
            h.dealloc(
                ptr as *mut u8,
                Layout::from_size_align(size, align).unwrap(),
            )
        }
    }

    #[test]
    fn allocations_do_not_overlap_and_are_aligned() {
        let (h, start) = heap(4096);
        let a = alloc(h, 24, 8);
        let b = alloc(h, 1, 1);
        let c = alloc(h, 100, 64);
        assert_eq!(a, start);
        assert_eq!(b, start + 32);
        assert_eq!(c, start + 64);
        assert_eq!(h.stats().in_use, 32 + 16 + 112);
    }

    #[test]
    fn an_alignment_gap_stays_usable() {
        let (h, start) = heap(4096);
        let _a = alloc(h, 16, 16);
        let big = alloc(h, 256, 256);
        assert_eq!(big % 256, 0);
        // The gap between `a` and `big` is handed out next.
        assert_eq!(alloc(h, 16, 16), start + 16);
    }

    #[test]
    fn freeing_everything_coalesces_back_to_one_block() {
        let (h, start) = heap(1024);
        let blocks: Vec<usize> = (0..8).map(|_| alloc(h, 128, 16)).collect();
        assert_eq!(alloc(h, 16, 16), 0, "full");
        for &i in &[3usize, 1, 7, 0, 5, 2, 6, 4] {
            free(h, blocks[i], 128, 16);
        }
        assert_eq!(h.stats().in_use, 0);
        assert_eq!(h.stats().peak, 1024);
        assert_eq!(alloc(h, 1024, 16), start, "one block of everything");
    }

    #[test]
    fn exhaustion_returns_null() {
        let (h, _) = heap(256);
        assert_ne!(alloc(h, 200, 16), 0);
        assert_eq!(alloc(h, 64, 16), 0);
    }
}
