//! Labels and label uses. Every PC-relative field of A64 has its own reach,
//! so every use of a label records its kind, a [`LabelUse`], which knows the
//! reach, where the field sits in the word, and how to patch it:
//!
//! | kind | instructions | reach |
//! |---|---|---|
//! | [`LabelUse::Branch26`] | `b`, `bl` | ±128 MiB |
//! | [`LabelUse::Branch19`] | `b.cond`, `cbz`, `cbnz`, `ldr` literal | ±1 MiB |
//! | [`LabelUse::Branch14`] | `tbz`, `tbnz` | ±32 KiB |
//! | [`LabelUse::Adr21`] | `adr` | ±1 MiB, byte granular |
//!
//! A use whose final distance is out of reach is an error
//! ([`LabelError::OutOfRange`]), never a silently truncated field. The
//! [`Assembler`](crate::Assembler) tracks the earliest offset at which a
//! pending short use would go out of reach, so that the compiler can place
//! an island of veneers (long `b` branches) before then.

use alloc::vec::Vec;
use core::fmt;

/// A position in the code, bound once, usable before and after binding.
/// Labels are numbered by the [`Assembler`](crate::Assembler) that made
/// them and mean nothing to another one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label(u32);

impl Label {
    /// The label's number within its assembler.
    pub const fn index(self) -> u32 {
        self.0
    }
}

/// The kind of a PC-relative field that refers to a label: its reach and
/// its place in the instruction word. Distances are in bytes from the
/// instruction that holds the field to the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelUse {
    /// `b`, `bl`: a signed 26-bit word offset in bits 25:0, ±128 MiB.
    Branch26,
    /// `b.cond`, `cbz`, `cbnz`, `ldr` (literal): a signed 19-bit word offset
    /// in bits 23:5, ±1 MiB.
    Branch19,
    /// `tbz`, `tbnz`: a signed 14-bit word offset in bits 18:5, ±32 KiB.
    Branch14,
    /// `adr`: a signed 21-bit byte offset split into bits 30:29 (low two
    /// bits) and 23:5, ±1 MiB.
    Adr21,
}

impl LabelUse {
    /// Largest reachable distance, in bytes.
    pub const fn max_forward(self) -> i64 {
        match self {
            LabelUse::Branch26 => (1 << 27) - 4,
            LabelUse::Branch19 => (1 << 20) - 4,
            LabelUse::Branch14 => (1 << 15) - 4,
            LabelUse::Adr21 => (1 << 20) - 1,
        }
    }

    /// Most negative reachable distance, in bytes.
    pub const fn max_backward(self) -> i64 {
        match self {
            LabelUse::Branch26 => -(1 << 27),
            LabelUse::Branch19 => -(1 << 20),
            LabelUse::Branch14 => -(1 << 15),
            LabelUse::Adr21 => -(1 << 20),
        }
    }

    /// Granularity of the distance in bytes: 4 for branches and literal
    /// loads (instruction words), 1 for `adr`.
    pub const fn alignment(self) -> i64 {
        match self {
            LabelUse::Adr21 => 1,
            _ => 4,
        }
    }

    /// Whether `distance` fits this field.
    pub const fn in_range(self, distance: i64) -> bool {
        distance >= self.max_backward()
            && distance <= self.max_forward()
            && distance % self.alignment() == 0
    }

    /// Bits of the instruction word that hold the field.
    pub const fn field_mask(self) -> u32 {
        match self {
            LabelUse::Branch26 => 0x03ff_ffff,
            LabelUse::Branch19 => 0x7ffff << 5,
            LabelUse::Branch14 => 0x3fff << 5,
            LabelUse::Adr21 => (0b11 << 29) | (0x7ffff << 5),
        }
    }

    /// `word` with its field replaced by `distance`, or an error when the
    /// distance is out of reach or misaligned. Any old field value is
    /// overwritten, so a use can be patched more than once.
    pub fn patch(self, word: u32, distance: i64) -> Result<u32, OutOfRange> {
        if !self.in_range(distance) {
            return Err(OutOfRange {
                kind: self,
                distance,
            });
        }
        let bits = distance as u32;
        let field = match self {
            LabelUse::Branch26 => (bits >> 2) & 0x03ff_ffff,
            LabelUse::Branch19 => ((bits >> 2) & 0x7ffff) << 5,
            LabelUse::Branch14 => ((bits >> 2) & 0x3fff) << 5,
            LabelUse::Adr21 => ((bits & 0b11) << 29) | (((bits >> 2) & 0x7ffff) << 5),
        };
        Ok((word & !self.field_mask()) | field)
    }

    /// The distance currently stored in `word`'s field (the inverse of
    /// [`LabelUse::patch`]).
    pub fn distance(self, word: u32) -> i64 {
        // Sign-extend a `bits`-wide value.
        fn signed(value: u32, bits: u32) -> i64 {
            let shift = 32 - bits;
            i64::from(((value << shift) as i32) >> shift)
        }
        match self {
            LabelUse::Branch26 => signed(word & 0x03ff_ffff, 26) * 4,
            LabelUse::Branch19 => signed((word >> 5) & 0x7ffff, 19) * 4,
            LabelUse::Branch14 => signed((word >> 5) & 0x3fff, 14) * 4,
            LabelUse::Adr21 => signed((((word >> 5) & 0x7ffff) << 2) | ((word >> 29) & 0b11), 21),
        }
    }
}

/// A distance that does not fit a label use's field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    /// The field.
    pub kind: LabelUse,
    /// The distance that did not fit, in bytes.
    pub distance: i64,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "distance {} does not fit a {:?} field ({}..={}, multiple of {})",
            self.distance,
            self.kind,
            self.kind.max_backward(),
            self.kind.max_forward(),
            self.kind.alignment()
        )
    }
}

/// Why a label operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LabelError {
    /// The use at byte offset `at` cannot reach its label: the compiler
    /// needs a veneer or a long form.
    OutOfRange {
        /// Offset of the instruction holding the field.
        at: usize,
        /// The label it refers to.
        label: Label,
        /// The field and the distance that did not fit.
        error: OutOfRange,
    },
    /// The label was bound twice.
    AlreadyBound(Label),
    /// The code was finished while this label still had uses but no
    /// position.
    Unbound(Label),
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelError::OutOfRange { at, label, error } => {
                write!(f, "label {} used at offset {at}: {error}", label.0)
            }
            LabelError::AlreadyBound(label) => write!(f, "label {} is bound twice", label.0),
            LabelError::Unbound(label) => write!(f, "label {} is used but never bound", label.0),
        }
    }
}

impl core::error::Error for LabelError {}

/// A use of a label not bound yet.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PendingUse {
    pub(crate) label: Label,
    pub(crate) at: usize,
    pub(crate) kind: LabelUse,
}

impl PendingUse {
    /// The first offset the label cannot be bound at without this use going
    /// out of reach.
    pub(crate) fn deadline(&self) -> usize {
        self.at + self.kind.max_forward() as usize + 1
    }
}

/// Label positions and the uses still waiting for one.
#[derive(Debug, Default)]
pub(crate) struct Labels {
    /// Bound offset of each label, `None` until bound.
    offsets: Vec<Option<usize>>,
    /// Uses of unbound labels, in emission order.
    pending: Vec<PendingUse>,
    /// The smallest deadline of the pending uses (`usize::MAX` if none).
    deadline: usize,
}

impl Labels {
    pub(crate) fn new() -> Labels {
        Labels {
            offsets: Vec::new(),
            pending: Vec::new(),
            deadline: usize::MAX,
        }
    }

    pub(crate) fn create(&mut self) -> Label {
        let label = Label(self.offsets.len() as u32);
        self.offsets.push(None);
        label
    }

    pub(crate) fn offset(&self, label: Label) -> Option<usize> {
        self.offsets[label.0 as usize]
    }

    /// Records a use; the caller has emitted the word at `at`.
    pub(crate) fn add_pending(&mut self, use_: PendingUse) {
        self.deadline = self.deadline.min(use_.deadline());
        self.pending.push(use_);
    }

    /// Marks `label` bound at `offset` and hands back its pending uses
    /// (through `resolve`) for patching.
    pub(crate) fn bind(
        &mut self,
        label: Label,
        offset: usize,
        mut resolve: impl FnMut(PendingUse),
    ) -> Result<(), LabelError> {
        let slot = &mut self.offsets[label.0 as usize];
        if slot.is_some() {
            return Err(LabelError::AlreadyBound(label));
        }
        *slot = Some(offset);
        let mut deadline = usize::MAX;
        self.pending.retain(|use_| {
            if use_.label == label {
                resolve(*use_);
                false
            } else {
                deadline = deadline.min(use_.deadline());
                true
            }
        });
        self.deadline = deadline;
        Ok(())
    }

    pub(crate) fn deadline(&self) -> usize {
        self.deadline
    }

    /// Removes and returns the pending uses for which `take` is true.
    pub(crate) fn take_pending(
        &mut self,
        mut take: impl FnMut(&PendingUse) -> bool,
    ) -> Vec<PendingUse> {
        let mut taken = Vec::new();
        let mut deadline = usize::MAX;
        self.pending.retain(|use_| {
            if take(use_) {
                taken.push(*use_);
                false
            } else {
                deadline = deadline.min(use_.deadline());
                true
            }
        });
        self.deadline = deadline;
        taken
    }

    pub(crate) fn first_pending(&self) -> Option<Label> {
        self.pending.first().map(|use_| use_.label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reaches_match_the_field_widths() {
        for kind in [
            LabelUse::Branch26,
            LabelUse::Branch19,
            LabelUse::Branch14,
            LabelUse::Adr21,
        ] {
            let word = kind.patch(0, kind.max_forward()).unwrap();
            assert_eq!(kind.distance(word), kind.max_forward());
            let word = kind.patch(0, kind.max_backward()).unwrap();
            assert_eq!(kind.distance(word), kind.max_backward());
            assert!(
                kind.patch(0, kind.max_forward() + kind.alignment())
                    .is_err()
            );
            assert!(
                kind.patch(0, kind.max_backward() - kind.alignment())
                    .is_err()
            );
        }
        assert_eq!(LabelUse::Branch19.max_forward(), (1 << 20) - 4);
        assert!(LabelUse::Branch14.patch(0, 2).is_err());
        assert_eq!(
            LabelUse::Adr21.distance(LabelUse::Adr21.patch(0, -3).unwrap()),
            -3
        );
    }

    #[test]
    fn patching_keeps_the_other_bits() {
        let word = LabelUse::Branch19.patch(0x5400_0001, 8).unwrap();
        assert_eq!(word, 0x5400_0041);
        let word = LabelUse::Branch19.patch(word, -4).unwrap();
        assert_eq!(word, 0x54ff_ffe1);
    }
}
