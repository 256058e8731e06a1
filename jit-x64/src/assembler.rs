//! The [`Assembler`]: owns the label bookkeeping for one code buffer and
//! writes each encoded instruction into it. The instruction families add
//! their methods to it in `integer`, `control` and `float`.

use ember_core::{CodeBuffer, TrapCode};

use crate::encoding::Inst;
use crate::label::{EncodeError, Label, LabelUse, LabelUseKind, Labels};

/// An x86-64 assembler writing into a [`CodeBuffer`].
///
/// Every instruction method appends one instruction (or, for `nop`/`align`,
/// a padding sequence). The methods never fail: a problem that can only be
/// seen later (a short branch that turns out too far, a label bound twice or
/// never) is kept and reported by [`finish`](Assembler::finish), which must be
/// called before the code is used. Invalid operand combinations that the
/// types cannot rule out (an 8-bit `imul`, an `rsp` index) are caller bugs
/// and panic, as documented on each method.
pub struct Assembler<'b, B: CodeBuffer + ?Sized> {
    buf: &'b mut B,
    labels: Labels,
}

impl<'b, B: CodeBuffer + ?Sized> Assembler<'b, B> {
    /// An assembler appending to `buf` (which may already hold code).
    pub fn new(buf: &'b mut B) -> Self {
        Assembler {
            buf,
            labels: Labels::default(),
        }
    }

    /// The offset of the next instruction.
    pub fn offset(&self) -> usize {
        self.buf.offset()
    }

    /// The buffer written so far.
    pub fn buffer(&self) -> &B {
        self.buf
    }

    /// The buffer, to append data or record side tables directly.
    pub fn buffer_mut(&mut self) -> &mut B {
        self.buf
    }

    /// Records that the *next* instruction may trap with `code` (a memory
    /// access protected by a guard page, a `div` by zero, ...).
    pub fn trap_site(&mut self, code: TrapCode) {
        let offset = self.buf.offset();
        self.buf.record_trap(offset, code);
    }

    /// The first error so far, if any (the code is unusable once there is).
    pub fn error(&self) -> Option<EncodeError> {
        self.labels.error
    }

    /// Checks that the code is complete: every label use reached its label
    /// and every used label is bound. The code must not run otherwise.
    pub fn finish(self) -> Result<(), EncodeError> {
        self.labels.check()
    }

    // ---- labels ----

    /// A new, unbound label.
    pub fn new_label(&mut self) -> Label {
        self.labels.create()
    }

    /// Binds `label` to the current offset and patches the uses waiting for
    /// it. Binding a label twice, or reaching a short use that is too far,
    /// is reported by [`finish`](Assembler::finish).
    pub fn bind(&mut self, label: Label) {
        let offset = self.buf.offset() as u32;
        self.labels.bind(self.buf, label, offset);
    }

    /// A new label bound to the current offset.
    pub fn bound_label(&mut self) -> Label {
        let label = self.new_label();
        self.bind(label);
        label
    }

    /// Where `label` is bound, if it is.
    pub fn label_offset(&self, label: Label) -> Option<u32> {
        self.labels.offset_of(label)
    }

    /// Records a use of `label` by the field at `at`; the field is patched
    /// now if the label is bound, else when it is bound.
    pub(crate) fn use_label(&mut self, label: Label, kind: LabelUseKind, at: usize, origin: i64) {
        let label_use = LabelUse {
            kind,
            at: at as u32,
            origin,
        };
        self.labels.add_use(self.buf, label, label_use);
    }

    /// Notes an error found while emitting.
    pub(crate) fn fail(&mut self, error: EncodeError) {
        self.labels.fail(error);
    }

    /// Appends one encoded instruction, registering its RIP-relative label
    /// operand if it has one. Returns the instruction's offset.
    pub(crate) fn emit(&mut self, inst: &Inst) -> usize {
        let start = self.buf.offset();
        self.buf.put(inst.bytes());
        if let Some(disp) = inst.label_disp {
            let end = (start + inst.len()) as i64;
            self.use_label(
                disp.label,
                LabelUseKind::Rel32,
                start + disp.pos as usize,
                end - i64::from(disp.addend),
            );
        }
        start
    }
}
