//! [`CodeBuffer`]: the byte sink native-code generators write into. It is
//! ISA-neutral: labels and branch fixups, whose ranges differ per ISA, live
//! in the JIT crates; the buffer only stores bytes, patches them, and keeps
//! the side tables (trap sites, relocations) the engine needs afterwards.

use alloc::vec::Vec;

use crate::trap::TrapCode;

/// What a relocation refers to; resolved when the code is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RelocTarget {
    /// The entry point of function `index` of the module being compiled.
    Func(u32),
    /// Engine helper number `index` (see the JIT calling convention).
    Helper(u32),
}

/// How the bytes at a relocation site encode the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RelocKind {
    /// A 64-bit absolute address, little-endian.
    Abs64,
    /// A 32-bit offset relative to the end of the 4 bytes (x86-64 `rel32`).
    Rel32,
    /// An AArch64 `BL`/`B` 26-bit word offset.
    Arm64Call26,
}

/// A place in the code that must be patched with a target's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reloc {
    /// Byte offset of the patched field.
    pub offset: u32,
    pub kind: RelocKind,
    pub target: RelocTarget,
}

/// An instruction that may trap, by byte offset, with its trap kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrapSite {
    pub offset: u32,
    pub code: TrapCode,
}

/// Byte sink for generated code.
///
/// Contract:
/// - `offset()` MUST equal the number of bytes appended so far.
/// - `patch(at, bytes)` MUST only overwrite bytes already appended
///   (`at + bytes.len() <= offset()`); it never changes `offset()`.
/// - Trap sites and relocations are kept in the order they are recorded.
pub trait CodeBuffer {
    /// Number of bytes written so far.
    fn offset(&self) -> usize;
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);
    /// Overwrites already written bytes at `at`.
    fn patch(&mut self, at: usize, bytes: &[u8]);
    /// The bytes written so far.
    fn code(&self) -> &[u8];
    /// Notes that the instruction at byte `offset` may trap with `code`.
    fn record_trap(&mut self, offset: usize, code: TrapCode);
    /// Notes a field to patch with a target's address.
    fn record_reloc(&mut self, reloc: Reloc);

    /// Appends one byte.
    fn put_u8(&mut self, value: u8) {
        self.put(&[value]);
    }
    /// Appends a little-endian 16-bit value.
    fn put_u16(&mut self, value: u16) {
        self.put(&value.to_le_bytes());
    }
    /// Appends a little-endian 32-bit value (an AArch64 instruction word).
    fn put_u32(&mut self, value: u32) {
        self.put(&value.to_le_bytes());
    }
    /// Appends a little-endian 64-bit value.
    fn put_u64(&mut self, value: u64) {
        self.put(&value.to_le_bytes());
    }
    /// Overwrites the little-endian 32-bit value at `at`.
    fn patch_u32(&mut self, at: usize, value: u32) {
        self.patch(at, &value.to_le_bytes());
    }
    /// Reads back the little-endian 32-bit value at `at`.
    fn read_u32(&self, at: usize) -> u32 {
        let bytes = &self.code()[at..at + 4];
        u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
    }
}

/// A [`CodeBuffer`] in a heap vector: for tests, and as the staging area
/// before code is copied into executable memory.
#[derive(Debug, Default, Clone)]
pub struct VecCodeBuffer {
    pub bytes: Vec<u8>,
    pub traps: Vec<TrapSite>,
    pub relocs: Vec<Reloc>,
}

impl VecCodeBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }
}

impl CodeBuffer for VecCodeBuffer {
    fn offset(&self) -> usize {
        self.bytes.len()
    }

    fn put(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    fn patch(&mut self, at: usize, bytes: &[u8]) {
        self.bytes[at..at + bytes.len()].copy_from_slice(bytes);
    }

    fn code(&self) -> &[u8] {
        &self.bytes
    }

    fn record_trap(&mut self, offset: usize, code: TrapCode) {
        self.traps.push(TrapSite {
            offset: offset as u32,
            code,
        });
    }

    fn record_reloc(&mut self, reloc: Reloc) {
        self.relocs.push(reloc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patching_rewrites_in_place() {
        let mut buf = VecCodeBuffer::new();
        buf.put_u8(0x90);
        buf.put_u32(0);
        buf.patch_u32(1, 0xdead_beef);
        assert_eq!(buf.offset(), 5);
        assert_eq!(buf.read_u32(1), 0xdead_beef);
        assert_eq!(buf.code(), &[0x90, 0xef, 0xbe, 0xad, 0xde]);
    }
}
