//! Labels: each use kind reaches exactly its range, forward uses are
//! patched at bind, distances out of reach are errors, islands of veneers
//! extend short branches, and calls and traps leave their side-table
//! entries.

use std::collections::HashMap;

use ember_core::{CodeBuffer, Reloc, RelocKind, RelocTarget, TrapCode, VecCodeBuffer};
use ember_jit_aarch64::Size::{W, X};
use ember_jit_aarch64::*;

use crate::oracle::disasm;

/// A buffer that stores only instruction words and skips over filler
/// without storing it, so that tests can place labels 128 MiB apart.
#[derive(Default)]
struct SparseBuffer {
    len: usize,
    bytes: HashMap<usize, u8>,
    traps: Vec<(usize, TrapCode)>,
    relocs: Vec<Reloc>,
}

/// Writes longer than this are filler: counted, not stored.
const FILLER_MIN: usize = 64;

impl CodeBuffer for SparseBuffer {
    fn offset(&self) -> usize {
        self.len
    }
    fn put(&mut self, bytes: &[u8]) {
        if bytes.len() < FILLER_MIN {
            for (i, &byte) in bytes.iter().enumerate() {
                self.bytes.insert(self.len + i, byte);
            }
        }
        self.len += bytes.len();
    }
    fn patch(&mut self, at: usize, bytes: &[u8]) {
        assert!(at + bytes.len() <= self.len, "patch past the end");
        for (i, &byte) in bytes.iter().enumerate() {
            self.bytes.insert(at + i, byte);
        }
    }
    fn code(&self) -> &[u8] {
        &[]
    }
    fn record_trap(&mut self, offset: usize, code: TrapCode) {
        self.traps.push((offset, code));
    }
    fn record_reloc(&mut self, reloc: Reloc) {
        self.relocs.push(reloc);
    }
    fn read_u32(&self, at: usize) -> u32 {
        let byte = |i| u32::from(self.bytes.get(&(at + i)).copied().unwrap_or(0));
        byte(0) | byte(1) << 8 | byte(2) << 16 | byte(3) << 24
    }
}

/// Appends `bytes` bytes of filler (a multiple of 4, at least FILLER_MIN).
fn skip(asm: &mut Assembler<'_>, bytes: usize) {
    assert!(bytes.is_multiple_of(4) && bytes >= FILLER_MIN);
    thread_local! {
        static FILLER: Vec<u8> = vec![0; 1 << 28];
    }
    FILLER.with(|filler| asm.buffer().put(&filler[..bytes]));
}

fn word_at(buf: &dyn CodeBuffer, at: usize) -> String {
    disasm(buf.read_u32(at))
}

#[test]
fn forward_and_backward_uses_are_patched() {
    let mut buf = VecCodeBuffer::new();
    let mut asm = Assembler::new(&mut buf);
    let top = asm.new_label();
    let end = asm.new_label();
    asm.bind(top).unwrap();
    asm.emit(nop());
    asm.b_cond(Cond::Eq, end).unwrap();
    asm.cbz(W, R1, end).unwrap();
    asm.tbnz(R2, 40, end).unwrap();
    asm.adr(R3, end).unwrap();
    asm.b(top).unwrap();
    asm.cbnz(X, R4, top).unwrap();
    asm.bind(end).unwrap();
    asm.ldr_literal(X, R5, end).unwrap();
    asm.finish().unwrap();
    let text: Vec<String> = (0..buf.bytes.len())
        .step_by(4)
        .map(|at| word_at(&buf, at))
        .collect();
    assert_eq!(
        text,
        [
            "nop",
            "b.eq $+0x18",
            "cbz w1, $+0x14",
            "tbnz x2, #0x28, $+0x10",
            "adr x3, $+0xc",
            "b $-0x14",
            "cbnz x4, $-0x18",
            "ldr x5, $+0x0",
        ]
    );
}

#[test]
fn branch19_reaches_one_mebibyte() {
    // Forward: bound exactly at the last reachable word, then one past it.
    let mut buf = SparseBuffer::default();
    let mut asm = Assembler::new(&mut buf);
    let near = asm.new_label();
    let far = asm.new_label();
    asm.b_cond(Cond::Ne, near).unwrap();
    asm.b_cond(Cond::Ne, far).unwrap();
    skip(&mut asm, (1 << 20) - 12);
    asm.bind(near).unwrap();
    asm.emit(nop());
    asm.emit(nop());
    let error = asm.bind(far).unwrap_err();
    assert_eq!(
        error,
        LabelError::OutOfRange {
            at: 4,
            label: far,
            error: OutOfRange {
                kind: LabelUse::Branch19,
                distance: 1 << 20,
            },
        }
    );
    assert_eq!(word_at(&buf, 0), "b.ne $+0xffffc");
    assert_eq!(
        error.to_string(),
        "label 1 used at offset 4: distance 1048576 does not fit a Branch19 field (-1048576..=1048572, multiple of 4)"
    );
}

#[test]
fn backward_uses_out_of_reach_emit_nothing() {
    let mut buf = SparseBuffer::default();
    let mut asm = Assembler::new(&mut buf);
    let top = asm.new_label();
    asm.bind(top).unwrap();
    skip(&mut asm, 1 << 20);
    // 1 MiB back: the last reachable distance.
    asm.cbz(X, R0, top).unwrap();
    let before = asm.offset();
    let error = asm.cbnz(X, R0, top).unwrap_err();
    assert!(matches!(
        error,
        LabelError::OutOfRange { error: OutOfRange { kind: LabelUse::Branch19, distance }, .. }
            if distance == -(1 << 20) - 4
    ));
    assert_eq!(
        asm.offset(),
        before,
        "nothing emitted for an unreachable use"
    );
    // The long form still reaches.
    asm.b(top).unwrap();
    assert_eq!(word_at(&buf, before - 4), "cbz x0, $-0x100000");
    assert_eq!(word_at(&buf, before), "b $-0x100004");
}

#[test]
fn branch14_reaches_thirty_two_kibibytes() {
    let mut buf = SparseBuffer::default();
    let mut asm = Assembler::new(&mut buf);
    let ok = asm.new_label();
    let too_far = asm.new_label();
    asm.tbz(R0, 5, ok).unwrap();
    asm.tbz(R0, 5, too_far).unwrap();
    skip(&mut asm, (1 << 15) - 12);
    asm.bind(ok).unwrap();
    asm.emit(nop());
    asm.emit(nop());
    assert!(matches!(
        asm.bind(too_far),
        Err(LabelError::OutOfRange {
            error: OutOfRange {
                kind: LabelUse::Branch14,
                distance: 32768
            },
            ..
        })
    ));
    assert_eq!(word_at(&buf, 0), "tbz w0, #0x5, $+0x7ffc");
}

#[test]
fn branch26_reaches_one_hundred_twenty_eight_mebibytes() {
    let mut buf = SparseBuffer::default();
    let mut asm = Assembler::new(&mut buf);
    let ok = asm.new_label();
    let too_far = asm.new_label();
    asm.b(ok).unwrap();
    asm.bl(too_far).unwrap();
    skip(&mut asm, (1 << 27) - 12);
    asm.bind(ok).unwrap();
    asm.emit(nop());
    asm.emit(nop());
    assert!(matches!(
        asm.bind(too_far),
        Err(LabelError::OutOfRange { error: OutOfRange { kind: LabelUse::Branch26, distance }, .. })
            if distance == 1 << 27
    ));
    assert_eq!(word_at(&buf, 0), "b $+0x7fffffc");
}

#[test]
fn adr21_reaches_one_mebibyte_to_the_byte() {
    let mut buf = SparseBuffer::default();
    let mut asm = Assembler::new(&mut buf);
    let ok = asm.new_label();
    let too_far = asm.new_label();
    asm.adr(R0, ok).unwrap();
    asm.adr(R1, too_far).unwrap();
    // Up to 1 MiB - 1, an odd offset.
    skip(&mut asm, (1 << 20) - 8 - 64);
    asm.buffer().put(&[0; 63]);
    asm.bind(ok).unwrap();
    asm.buffer().put(&[0; 5]);
    assert!(matches!(
        asm.bind(too_far),
        Err(LabelError::OutOfRange { at: 4, error: OutOfRange { kind: LabelUse::Adr21, distance }, .. })
            if distance == 1 << 20
    ));
    assert_eq!(word_at(&buf, 0), "adr x0, $+0xfffff");
}

#[test]
fn binding_twice_and_unbound_labels_are_errors() {
    let mut buf = VecCodeBuffer::new();
    let mut asm = Assembler::new(&mut buf);
    let label = asm.new_label();
    asm.bind(label).unwrap();
    assert_eq!(asm.bind(label), Err(LabelError::AlreadyBound(label)));
    let dangling = asm.new_label();
    asm.b(dangling).unwrap();
    assert_eq!(asm.finish(), Err(LabelError::Unbound(dangling)));
}

#[test]
fn islands_extend_short_branches() {
    let mut buf = SparseBuffer::default();
    let mut asm = Assembler::new(&mut buf);
    let far = asm.new_label();
    let other = asm.new_label();
    assert_eq!(asm.deadline(), usize::MAX);
    asm.b_cond(Cond::Lo, far).unwrap();
    asm.tbz(R3, 0, far).unwrap();
    asm.cbz(W, R3, other).unwrap();
    asm.b(other).unwrap();
    // The tbz at 4 reaches 4 + 32 KiB - 4.
    assert_eq!(asm.deadline(), 4 + (1 << 15) - 3);
    assert!(!asm.island_needed(1024));
    skip(&mut asm, (1 << 15) - 1024);
    assert!(asm.island_needed(1024));
    let island = asm.offset();
    asm.emit_island(true).unwrap();
    // One jump over the island and one veneer per label.
    assert_eq!(asm.offset(), island + 12);
    assert_eq!(disasm(asm.buffer().read_u32(island)), "b $+0xc");
    // Only the long b is left pending.
    assert_eq!(asm.deadline(), 12 + (1 << 27) - 3);
    skip(&mut asm, 4 << 20);
    asm.bind(far).unwrap();
    asm.bind(other).unwrap();
    asm.finish().unwrap();
    // The short uses go to their veneers, the veneers to the labels.
    let veneer_far = island + 4;
    let veneer_other = island + 8;
    assert_eq!(word_at(&buf, 0), format!("b.lo $+{:#x}", veneer_far));
    assert_eq!(
        word_at(&buf, 4),
        format!("tbz w3, #0x0, $+{:#x}", veneer_far - 4)
    );
    assert_eq!(
        word_at(&buf, 8),
        format!("cbz w3, $+{:#x}", veneer_other - 8)
    );
    let far_at = island + 12 + (4 << 20);
    assert_eq!(
        word_at(&buf, veneer_far),
        format!("b $+{:#x}", far_at - veneer_far)
    );
    assert_eq!(
        word_at(&buf, veneer_other),
        format!("b $+{:#x}", far_at - veneer_other)
    );
    assert_eq!(word_at(&buf, 12), format!("b $+{:#x}", far_at - 12));
}

#[test]
fn an_island_too_late_reports_the_lost_use() {
    let mut buf = SparseBuffer::default();
    let mut asm = Assembler::new(&mut buf);
    let label = asm.new_label();
    asm.tbnz(R0, 1, label).unwrap();
    skip(&mut asm, 1 << 15);
    assert!(asm.island_needed(4));
    assert!(matches!(
        asm.emit_island(false),
        Err(LabelError::OutOfRange {
            at: 0,
            error: OutOfRange {
                kind: LabelUse::Branch14,
                ..
            },
            ..
        })
    ));
}

#[test]
fn calls_record_relocations_and_traps_record_sites() {
    let mut buf = VecCodeBuffer::new();
    let mut asm = Assembler::new(&mut buf);
    asm.emit(nop());
    asm.call(RelocTarget::Func(7));
    asm.udf(0, Some(TrapCode::Unreachable));
    asm.brk(1, None);
    asm.emit_trapping(
        ldr(MemSize::W, R0, Addr::base(R1)).unwrap(),
        TrapCode::MemoryOutOfBounds,
    );
    asm.udf(2, None);
    asm.finish().unwrap();
    assert_eq!(
        buf.relocs,
        [Reloc {
            offset: 4,
            kind: RelocKind::Arm64Call26,
            target: RelocTarget::Func(7),
        }]
    );
    assert_eq!(word_at(&buf, 4), "bl $+0x0");
    assert_eq!(buf.traps.len(), 2);
    assert_eq!(
        (buf.traps[0].offset, buf.traps[0].code),
        (8, TrapCode::Unreachable)
    );
    assert_eq!(
        (buf.traps[1].offset, buf.traps[1].code),
        (16, TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(word_at(&buf, 12), "brk #0x1");
}

#[test]
fn literal_pool_loads() {
    let mut buf = VecCodeBuffer::new();
    let mut asm = Assembler::new(&mut buf);
    let pool = asm.new_label();
    asm.ldr_literal_vec(VecMemSize::Q, V1, pool).unwrap();
    asm.ldr_literal_vec(VecMemSize::D, V2, pool).unwrap();
    asm.emit(ret());
    asm.emit(nop()); // align the pool to 16
    asm.bind(pool).unwrap();
    asm.buffer().put_u64(0x3ff0_0000_0000_0000);
    asm.buffer().put_u64(0);
    asm.finish().unwrap();
    assert_eq!(word_at(&buf, 0), "ldr q1, $+0x10");
    assert_eq!(word_at(&buf, 4), "ldr d2, $+0xc");
}
