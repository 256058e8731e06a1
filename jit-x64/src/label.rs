//! Labels and their uses. A [`Label`] names a code position that may not be
//! known yet; every reference to it is a [`LabelUse`] that knows its own
//! field width, the distances it can reach and how to patch itself, so a
//! short branch that cannot reach its target is a reported error, never a
//! silently wrong jump.

use core::fmt;

use alloc::vec::Vec;
use ember_core::CodeBuffer;

/// A code position inside one [`Assembler`](crate::Assembler), created
/// unbound by `new_label` and fixed by `bind`. Using a label of another
/// assembler is a bug (it names some other position or panics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Label(pub(crate) u32);

impl Label {
    /// The label's number within its assembler (0, 1, 2, ...).
    pub const fn index(self) -> u32 {
        self.0
    }
}

/// How a use encodes the distance to its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelUseKind {
    /// A signed byte: reaches -128..=127 bytes from the origin (short
    /// `jmp`/`jcc`).
    Rel8,
    /// A signed 32-bit little-endian word: reaches ±2 GiB (near branches,
    /// calls, RIP-relative operands, jump-table entries).
    Rel32,
}

impl LabelUseKind {
    /// Bytes of the patched field.
    pub const fn field_size(self) -> usize {
        match self {
            LabelUseKind::Rel8 => 1,
            LabelUseKind::Rel32 => 4,
        }
    }

    /// The smallest and largest `target - origin` the field can hold.
    pub const fn range(self) -> (i64, i64) {
        match self {
            LabelUseKind::Rel8 => (i8::MIN as i64, i8::MAX as i64),
            LabelUseKind::Rel32 => (i32::MIN as i64, i32::MAX as i64),
        }
    }

    /// Whether a distance of `distance` bytes fits.
    pub const fn can_reach(self, distance: i64) -> bool {
        let (min, max) = self.range();
        min <= distance && distance <= max
    }
}

/// One reference to a label: the field at byte `at` receives
/// `target - origin` where `origin` is the position the hardware counts
/// from (the end of a branch instruction; the end of the instruction minus
/// the displacement's addend for a RIP-relative operand; the table start for
/// a jump-table entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelUse {
    pub kind: LabelUseKind,
    /// Byte offset of the field to patch.
    pub at: u32,
    /// The position the distance is counted from.
    pub origin: i64,
}

impl LabelUse {
    /// Writes the distance to `target` into the field, or reports that the
    /// field cannot hold it (leaving the bytes unchanged).
    pub fn patch<B: CodeBuffer + ?Sized>(
        &self,
        buf: &mut B,
        label: Label,
        target: u32,
    ) -> Result<(), EncodeError> {
        let distance = i64::from(target) - self.origin;
        if !self.kind.can_reach(distance) {
            return Err(EncodeError::OutOfRange {
                label,
                at: self.at,
                kind: self.kind,
                distance,
            });
        }
        let at = self.at as usize;
        match self.kind {
            LabelUseKind::Rel8 => buf.patch(at, &[distance as i8 as u8]),
            LabelUseKind::Rel32 => buf.patch_u32(at, distance as i32 as u32),
        }
        Ok(())
    }
}

/// Why the code an [`Assembler`](crate::Assembler) produced is unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// A use of `label` at byte `at` cannot reach it: `distance` does not
    /// fit in a `kind` field (a short branch asked for too far away).
    OutOfRange {
        label: Label,
        at: u32,
        kind: LabelUseKind,
        distance: i64,
    },
    /// `label` was bound twice.
    AlreadyBound { label: Label },
    /// `label` was used but never bound.
    Unbound { label: Label },
    /// A jump-table entry was emitted relative to `label` before `label`
    /// was bound.
    BaseNotBound { label: Label },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            EncodeError::OutOfRange {
                label,
                at,
                kind,
                distance,
            } => {
                let (min, max) = kind.range();
                write!(
                    f,
                    "label {} is {distance} bytes from its {kind:?} use at offset {at}, \
                     outside {min}..={max}",
                    label.0
                )
            }
            EncodeError::AlreadyBound { label } => write!(f, "label {} bound twice", label.0),
            EncodeError::Unbound { label } => {
                write!(f, "label {} is used but never bound", label.0)
            }
            EncodeError::BaseNotBound { label } => write!(
                f,
                "jump-table base label {} must be bound before its entries",
                label.0
            ),
        }
    }
}

impl core::error::Error for EncodeError {}

const NONE: u32 = u32::MAX;

/// A use waiting for its label, chained per label.
struct PendingUse {
    label_use: LabelUse,
    next: u32,
}

/// The label bookkeeping of one assembler: bound positions, and for each
/// unbound label a chain of uses to patch when it is bound.
#[derive(Default)]
pub(crate) struct Labels {
    /// Offset of each label, or `NONE` while unbound.
    bound: Vec<u32>,
    /// First pending use of each label (index into `pending`), or `NONE`.
    first_pending: Vec<u32>,
    pending: Vec<PendingUse>,
    /// The first error met; the code is unusable once this is set.
    pub(crate) error: Option<EncodeError>,
}

impl Labels {
    pub(crate) fn create(&mut self) -> Label {
        let label = Label(self.bound.len() as u32);
        self.bound.push(NONE);
        self.first_pending.push(NONE);
        label
    }

    pub(crate) fn offset_of(&self, label: Label) -> Option<u32> {
        let at = self.bound[label.0 as usize];
        (at != NONE).then_some(at)
    }

    pub(crate) fn fail(&mut self, error: EncodeError) {
        self.error.get_or_insert(error);
    }

    /// Fixes `label` at `offset` and patches every use waiting for it.
    pub(crate) fn bind<B: CodeBuffer + ?Sized>(&mut self, buf: &mut B, label: Label, offset: u32) {
        let i = label.0 as usize;
        if self.bound[i] != NONE {
            self.fail(EncodeError::AlreadyBound { label });
            return;
        }
        self.bound[i] = offset;
        let mut next = core::mem::replace(&mut self.first_pending[i], NONE);
        while next != NONE {
            let pending = &self.pending[next as usize];
            let (label_use, following) = (pending.label_use, pending.next);
            if let Err(error) = label_use.patch(buf, label, offset) {
                self.fail(error);
            }
            next = following;
        }
    }

    /// Records a use: patched now if the label is bound, else when it is.
    pub(crate) fn add_use<B: CodeBuffer + ?Sized>(
        &mut self,
        buf: &mut B,
        label: Label,
        label_use: LabelUse,
    ) {
        let i = label.0 as usize;
        if let Some(target) = self.offset_of(label) {
            if let Err(error) = label_use.patch(buf, label, target) {
                self.fail(error);
            }
        } else {
            let next = self.first_pending[i];
            self.first_pending[i] = self.pending.len() as u32;
            self.pending.push(PendingUse { label_use, next });
        }
    }

    /// The first error, or the first label still waiting to be bound.
    pub(crate) fn check(&self) -> Result<(), EncodeError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        match self.first_pending.iter().position(|&p| p != NONE) {
            Some(i) => Err(EncodeError::Unbound {
                label: Label(i as u32),
            }),
            None => Ok(()),
        }
    }
}
