//! A page allocator over one address range: how the platform carves linear
//! memories and code out of the RAM the firmware hands over. Portable (it
//! only does address arithmetic), so its unit tests run on the build host.
//!
//! First fit over a sorted list of free ranges, coalesced on free. Blocks
//! can grow in place when the range right after them is free, which keeps a
//! lone growing linear memory from moving at all.

use alloc::vec::Vec;
use core::ops::Range;

/// Page allocator over `[start, end)`; every block is a multiple of the
/// page size and starts on a page boundary.
#[derive(Debug)]
pub struct PageAllocator {
    page: usize,
    /// Free ranges, sorted by address, never adjacent (always coalesced).
    free: Vec<Range<usize>>,
    in_use: usize,
    peak: usize,
}

impl PageAllocator {
    /// An allocator owning the whole page-aligned part of `range`.
    /// `page` must be a power of two.
    pub fn new(range: Range<usize>, page: usize) -> Self {
        assert!(page.is_power_of_two(), "page size must be a power of two");
        let start = range.start.div_ceil(page) * page;
        let end = range.end & !(page - 1);
        let mut free = Vec::new();
        if start < end {
            free.push(start..end);
        }
        PageAllocator {
            page,
            free,
            in_use: 0,
            peak: 0,
        }
    }

    /// The page size.
    pub fn page_size(&self) -> usize {
        self.page
    }

    /// `bytes` rounded up to whole pages (`None` on overflow).
    pub fn round_up(&self, bytes: usize) -> Option<usize> {
        Some(bytes.checked_add(self.page - 1)? & !(self.page - 1))
    }

    /// Allocates `bytes` (rounded up to pages, at least one page) and
    /// returns the start address, or `None` when no free range is large
    /// enough.
    pub fn allocate(&mut self, bytes: usize) -> Option<usize> {
        let size = self.round_up(bytes.max(1))?;
        let index = self.free.iter().position(|r| r.len() >= size)?;
        let start = self.free[index].start;
        if self.free[index].len() == size {
            self.free.remove(index);
        } else {
            self.free[index].start += size;
        }
        self.account(size as isize);
        Some(start)
    }

    /// Grows the block at `start` from `old` to `new` bytes without moving
    /// it, if the pages right after it are free. Returns whether it grew.
    pub fn grow_in_place(&mut self, start: usize, old: usize, new: usize) -> bool {
        let (Some(old), Some(new)) = (self.round_up(old.max(1)), self.round_up(new.max(1))) else {
            return false;
        };
        if new <= old {
            return true;
        }
        let end = start + old;
        let extra = new - old;
        let Some(index) = self.free.iter().position(|r| r.start == end) else {
            return false;
        };
        if self.free[index].len() < extra {
            return false;
        }
        if self.free[index].len() == extra {
            self.free.remove(index);
        } else {
            self.free[index].start += extra;
        }
        self.account(extra as isize);
        true
    }

    /// Returns the block `[start, start + bytes)` (as allocated: `bytes` is
    /// rounded up the same way) to the free list.
    pub fn free(&mut self, start: usize, bytes: usize) {
        let size = self
            .round_up(bytes.max(1))
            .expect("a block that was allocated has a representable size");
        let end = start + size;
        let index = self.free.partition_point(|r| r.start < start);
        debug_assert!(
            index == 0 || self.free[index - 1].end <= start,
            "double free"
        );
        debug_assert!(
            index == self.free.len() || end <= self.free[index].start,
            "double free"
        );
        let joins_prev = index > 0 && self.free[index - 1].end == start;
        let joins_next = index < self.free.len() && self.free[index].start == end;
        match (joins_prev, joins_next) {
            (true, true) => {
                self.free[index - 1].end = self.free[index].end;
                self.free.remove(index);
            }
            (true, false) => self.free[index - 1].end = end,
            (false, true) => self.free[index].start = start,
            (false, false) => self.free.insert(index, start..end),
        }
        self.account(-(size as isize));
    }

    /// Bytes currently allocated.
    pub fn in_use(&self) -> usize {
        self.in_use
    }

    /// The most bytes ever allocated at once.
    pub fn peak(&self) -> usize {
        self.peak
    }

    /// Bytes still free (possibly fragmented).
    pub fn available(&self) -> usize {
        self.free.iter().map(|r| r.len()).sum()
    }

    fn account(&mut self, delta: isize) {
        self.in_use = self.in_use.wrapping_add_signed(delta);
        self.peak = self.peak.max(self.in_use);
    }
}

#[cfg(test)]
mod tests {
    use super::PageAllocator;

    const PAGE: usize = 4096;

    #[test]
    fn rounds_the_region_to_whole_pages() {
        let a = PageAllocator::new(100..10 * PAGE + 5, PAGE);
        assert_eq!(a.available(), 9 * PAGE);
    }

    #[test]
    fn allocates_first_fit_and_rounds_sizes_up() {
        let mut a = PageAllocator::new(0x10000..0x10000 + 8 * PAGE, PAGE);
        assert_eq!(a.allocate(1), Some(0x10000));
        assert_eq!(a.allocate(PAGE + 1), Some(0x10000 + PAGE));
        assert_eq!(a.in_use(), 3 * PAGE);
        assert_eq!(a.allocate(6 * PAGE), None, "only 5 pages are left");
        assert_eq!(a.allocate(5 * PAGE), Some(0x10000 + 3 * PAGE));
        assert_eq!(a.available(), 0);
    }

    #[test]
    fn freed_blocks_coalesce_with_both_neighbours() {
        let mut a = PageAllocator::new(0..6 * PAGE, PAGE);
        let x = a.allocate(2 * PAGE).unwrap();
        let y = a.allocate(2 * PAGE).unwrap();
        let z = a.allocate(2 * PAGE).unwrap();
        a.free(x, 2 * PAGE);
        a.free(z, 2 * PAGE);
        assert_eq!(a.allocate(3 * PAGE), None, "two separate 2-page holes");
        a.free(y, 2 * PAGE);
        assert_eq!(a.allocate(6 * PAGE), Some(0), "one 6-page hole again");
        assert_eq!(a.peak(), 6 * PAGE);
    }

    #[test]
    fn grows_in_place_only_into_free_pages_right_after() {
        let mut a = PageAllocator::new(0..8 * PAGE, PAGE);
        let x = a.allocate(PAGE).unwrap();
        assert!(a.grow_in_place(x, PAGE, 3 * PAGE));
        let y = a.allocate(PAGE).unwrap();
        assert_eq!(y, 3 * PAGE);
        assert!(!a.grow_in_place(x, 3 * PAGE, 4 * PAGE), "y is in the way");
        assert!(a.grow_in_place(y, PAGE, 5 * PAGE), "exactly the rest");
        assert_eq!(a.available(), 0);
        assert!(!a.grow_in_place(y, 5 * PAGE, 6 * PAGE));
        assert_eq!(a.in_use(), 8 * PAGE);
    }

    #[test]
    fn an_empty_region_allocates_nothing() {
        let mut a = PageAllocator::new(PAGE + 1..2 * PAGE - 1, PAGE);
        assert_eq!(a.allocate(1), None);
    }
}
