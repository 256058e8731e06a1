//! The EL1 stage-1 MMU with an identity map: translation tables built from
//! a board's memory map (4 KiB granule, 39-bit addresses, walks starting at
//! level 1), and per-page permission changes for JIT code.
//!
//! Why the MMU at all on a single-address-space firmware: with it off,
//! every data access is Device memory, where unaligned accesses and
//! exclusives fault on real cores (Wasm allows unaligned loads and JIT code
//! uses them), and nothing is ever non-executable. With it on, RAM is
//! Normal write-back cacheable memory, devices are Device-nGnRE, and W^X
//! holds: each mapping is either writable or executable, never both.

use core::arch::asm;
use core::ops::Range;

/// Bytes in a page (the translation granule).
pub const PAGE_SIZE: usize = 4096;

/// How one range of the memory map is mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryKind {
    /// Device-nGnRE, never executable (MMIO).
    Device,
    /// Normal write-back RAM, read-only and executable (firmware code).
    Code,
    /// Normal write-back RAM, read-only, never executable.
    ReadOnly,
    /// Normal write-back RAM, read+write, never executable.
    Data,
    /// Like `Data`, but always mapped with 4 KiB pages so that
    /// [`TranslationTables::protect`] can turn individual pages into code
    /// (the JIT's code window).
    CodeWindow,
}

/// What [`TranslationTables::protect`] makes a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagePermissions {
    /// Read+write, never executable (while code is written, or free).
    ReadWrite,
    /// Read+execute, never writable (finished code).
    ReadExecute,
}

/// Why a memory map could not be turned into translation tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapError {
    /// A range is not page-aligned, or lies above the 39-bit address space.
    BadRange,
    /// Two ranges overlap.
    Overlap,
    /// The fixed table pool is exhausted.
    OutOfTables,
}

/// One translation table (512 descriptors).
#[repr(C, align(4096))]
struct Table([u64; 512]);

/// How many tables the pool holds: a level-1 root plus level-2 and level-3
/// tables where the map needs them.
const TABLES: usize = 12;

/// Input-address bits: 39 (T0SZ = 25), so walks start at level 1.
const VA_BITS: u32 = 39;

// Descriptor bits (ARMv8-A, VMSAv8-64 stage 1).
const VALID: u64 = 1 << 0;
/// Table descriptor at levels 0-2, page descriptor at level 3.
const TABLE_OR_PAGE: u64 = 1 << 1;
const ATTR_DEVICE: u64 = 0 << 2; // MAIR index 0
const ATTR_NORMAL: u64 = 1 << 2; // MAIR index 1
const AP_READ_ONLY: u64 = 1 << 7; // AP[2]; AP[1] = 0 keeps EL0 out
const INNER_SHAREABLE: u64 = 3 << 8;
const ACCESS_FLAG: u64 = 1 << 10;
const PXN: u64 = 1 << 53;
const UXN: u64 = 1 << 54;
const ADDRESS_MASK: u64 = 0x0000_ffff_ffff_f000;

/// MAIR_EL1: attribute 0 = Device-nGnRE, attribute 1 = Normal, inner and
/// outer write-back, read- and write-allocate.
const MAIR: u64 = 0x04 | (0xff << 8);

fn attributes(kind: MemoryKind) -> u64 {
    let normal = ATTR_NORMAL | INNER_SHAREABLE | ACCESS_FLAG;
    match kind {
        MemoryKind::Device => ATTR_DEVICE | ACCESS_FLAG | PXN | UXN,
        MemoryKind::Code => normal | AP_READ_ONLY | UXN,
        MemoryKind::ReadOnly => normal | AP_READ_ONLY | PXN | UXN,
        MemoryKind::Data | MemoryKind::CodeWindow => normal | PXN | UXN,
    }
}

fn permission_bits(permissions: PagePermissions) -> u64 {
    match permissions {
        PagePermissions::ReadWrite => PXN | UXN,
        PagePermissions::ReadExecute => AP_READ_ONLY | UXN,
    }
}

/// Bit position of the address bits a table at `level` (1..=3) resolves.
const fn shift(level: usize) -> u32 {
    39 - 9 * level as u32
}

/// An identity map: a pool of translation tables, the first being the
/// level-1 root.
pub struct TranslationTables {
    tables: [Table; TABLES],
    /// Tables in use besides the root (`tables[0]`); all-zero initial
    /// state keeps a static instance in `.bss`.
    used: usize,
}

impl Default for TranslationTables {
    fn default() -> Self {
        Self::new()
    }
}

impl TranslationTables {
    /// Empty tables (everything unmapped).
    pub const fn new() -> Self {
        TranslationTables {
            tables: [const { Table([0; 512]) }; TABLES],
            used: 0,
        }
    }

    /// Maps `range` (page-aligned) with `kind`, using the largest blocks
    /// that fit (1 GiB, 2 MiB, 4 KiB), or only 4 KiB pages for
    /// [`MemoryKind::CodeWindow`].
    pub fn map(&mut self, range: Range<usize>, kind: MemoryKind) -> Result<(), MapError> {
        let page_mask = PAGE_SIZE - 1;
        if range.start & page_mask != 0
            || range.end & page_mask != 0
            || range.end > 1 << VA_BITS
            || range.start > range.end
        {
            return Err(MapError::BadRange);
        }
        let attrs = attributes(kind);
        let smallest_only = kind == MemoryKind::CodeWindow;
        let mut address = range.start;
        while address < range.end {
            let mut table = 0;
            let mut level = 1;
            loop {
                let size = 1usize << shift(level);
                let index = (address >> shift(level)) & 511;
                let entry = self.tables[table].0[index];
                let fits = address.is_multiple_of(size) && address + size <= range.end;
                if level == 3 || (fits && !smallest_only) {
                    if entry & VALID != 0 {
                        return Err(MapError::Overlap);
                    }
                    let kind_bit = if level == 3 { TABLE_OR_PAGE } else { 0 };
                    self.tables[table].0[index] = address as u64 | attrs | kind_bit | VALID;
                    address += size;
                    break;
                }
                table = match entry & (VALID | TABLE_OR_PAGE) {
                    0 => {
                        let next = self.allocate_table()?;
                        let next_address = self.tables[next].0.as_ptr() as u64;
                        self.tables[table].0[index] = next_address | TABLE_OR_PAGE | VALID;
                        next
                    }
                    x if x == VALID | TABLE_OR_PAGE => self.table_at(entry & ADDRESS_MASK),
                    _ => return Err(MapError::Overlap),
                };
                level += 1;
            }
        }
        Ok(())
    }

    fn allocate_table(&mut self) -> Result<usize, MapError> {
        if self.used + 1 == TABLES {
            return Err(MapError::OutOfTables);
        }
        self.used += 1;
        Ok(self.used)
    }

    fn table_at(&self, address: u64) -> usize {
        self.tables
            .iter()
            .position(|t| t.0.as_ptr() as u64 == address)
            .expect("table descriptors point into the pool")
    }

    /// The level-3 descriptor of the page at `address`, if it is mapped
    /// with a page (not a block).
    fn page_entry(&mut self, address: usize) -> Option<&mut u64> {
        let mut table = 0;
        for level in 1..3 {
            let entry = self.tables[table].0[(address >> shift(level)) & 511];
            if entry & (VALID | TABLE_OR_PAGE) != VALID | TABLE_OR_PAGE {
                return None;
            }
            table = self.table_at(entry & ADDRESS_MASK);
        }
        let entry = &mut self.tables[table].0[(address >> shift(3)) & 511];
        (*entry & VALID != 0).then_some(entry)
    }

    /// Changes the pages covering `range` (mapped as
    /// [`MemoryKind::CodeWindow`]) to `permissions`, and invalidates their
    /// TLB entries. Panics if a page is not mapped with a 4 KiB page.
    pub fn protect(&mut self, range: Range<usize>, permissions: PagePermissions) {
        let bits = permission_bits(permissions);
        let mut page = range.start & !(PAGE_SIZE - 1);
        while page < range.end {
            let entry = self
                .page_entry(page)
                .expect("protect: the page is mapped with a 4 KiB page");
            *entry = (*entry & !(AP_READ_ONLY | PXN | UXN)) | bits;
            // A permission-only change needs no break-before-make: make the
            // new descriptor visible to the walker, then drop the old TLB
            // entry (by VA, all ASIDs, inner shareable).
            // SAFETY: barriers and TLB maintenance do not access memory
            // that Rust knows about.
            unsafe {
                asm!(
                    "dsb ishst",
                    "tlbi vaae1is, {0}",
                    in(reg) (page >> 12) as u64,
                    options(nostack, preserves_flags),
                );
            }
            page += PAGE_SIZE;
        }
        // SAFETY: barriers only order what came before.
        unsafe { asm!("dsb ish", "isb", options(nostack, preserves_flags)) };
    }

    /// Loads these tables into TTBR0_EL1 and turns on the MMU and both
    /// caches (alignment checking off, so Normal memory allows unaligned
    /// accesses).
    ///
    /// # Safety
    ///
    /// The tables must identity-map every address the program uses from
    /// now on (code, stack, data, devices) with a fitting kind, and must
    /// stay at this address, unchanged except through [`Self::protect`],
    /// for as long as the MMU is on.
    pub unsafe fn enable(&self) {
        let mmfr0: u64;
        // SAFETY: reading an ID register has no side effects.
        unsafe {
            asm!("mrs {0}, id_aa64mmfr0_el1", out(reg) mmfr0, options(nomem, nostack, preserves_flags));
        }
        let physical_range = (mmfr0 & 0xf).min(0b101);
        let tcr: u64 = (64 - u64::from(VA_BITS)) // T0SZ
            | (0b01 << 8) // IRGN0: inner write-back, write-allocate
            | (0b01 << 10) // ORGN0: outer write-back, write-allocate
            | (0b11 << 12) // SH0: inner shareable
            // TG0 (bits 14-15) = 0: 4 KiB granule
            | (1 << 23) // EPD1: no walks through TTBR1
            | (physical_range << 32); // IPS
        let root = self.tables[0].0.as_ptr() as u64;
        // SAFETY: per this function's contract the identity map covers
        // everything in use, so execution continues at the same addresses
        // after the switch. The `dsb` makes the table writes visible to the
        // walker before it starts.
        unsafe {
            asm!(
                "dsb ish",
                "msr mair_el1, {mair}",
                "msr tcr_el1, {tcr}",
                "msr ttbr0_el1, {root}",
                "isb",
                "tlbi vmalle1",
                "dsb ish",
                "isb",
                "mrs {sctlr}, sctlr_el1",
                "orr {sctlr}, {sctlr}, {on}",
                "bic {sctlr}, {sctlr}, {off}",
                "msr sctlr_el1, {sctlr}",
                "isb",
                mair = in(reg) MAIR,
                tcr = in(reg) tcr,
                root = in(reg) root,
                sctlr = out(reg) _,
                // M (MMU), C (data cache), I (instruction cache).
                on = in(reg) (1u64 << 0) | (1 << 2) | (1 << 12),
                // A (alignment checks), WXN (we choose per mapping).
                off = in(reg) (1u64 << 1) | (1 << 19),
                options(nostack),
            );
        }
    }
}
