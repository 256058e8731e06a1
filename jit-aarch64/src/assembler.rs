//! [`Assembler`]: writes instruction words into a [`CodeBuffer`] and owns
//! what needs more than one word's view — labels and their fixups, islands
//! of veneers for short-range uses, call relocations and trap sites.

use alloc::vec::Vec;

use ember_core::{CodeBuffer, Reloc, RelocKind, RelocTarget, TrapCode};

use crate::control;
use crate::label::{Label, LabelError, LabelUse, Labels, PendingUse};
use crate::memory::{self, VecMemSize};
use crate::regs::{Cond, Reg, RegOrZr, Size, VReg};

/// Emits A64 code into a [`CodeBuffer`].
///
/// Plain instructions come from the encoder functions of this crate and go
/// in through [`Assembler::emit`]; the methods here add what needs the
/// buffer's offsets. Branches to labels take the label's kind of use from
/// the instruction (`b.cond` is a [`LabelUse::Branch19`], reaching ±1 MiB),
/// patch forward uses when the label is bound, and report a distance out of
/// reach as [`LabelError::OutOfRange`].
pub struct Assembler<'a> {
    buf: &'a mut dyn CodeBuffer,
    labels: Labels,
}

impl<'a> Assembler<'a> {
    /// An assembler appending to `buf`.
    pub fn new(buf: &'a mut dyn CodeBuffer) -> Assembler<'a> {
        Assembler {
            buf,
            labels: Labels::new(),
        }
    }

    /// The buffer, for reading back or for data (constant pools).
    pub fn buffer(&mut self) -> &mut dyn CodeBuffer {
        self.buf
    }

    /// Current byte offset (where the next instruction goes).
    pub fn offset(&self) -> usize {
        self.buf.offset()
    }

    /// Appends one instruction word.
    pub fn emit(&mut self, word: u32) {
        self.buf.put_u32(word);
    }

    /// Appends instruction words in order (e.g. a [`mov_imm64`] sequence).
    ///
    /// [`mov_imm64`]: crate::mov_imm64
    pub fn emit_all(&mut self, words: &[u32]) {
        for &word in words {
            self.emit(word);
        }
    }

    /// Appends an instruction that may fault (a load or store through a
    /// guard page, a division that the hardware checks), recording it as a
    /// trap site with `code`.
    pub fn emit_trapping(&mut self, word: u32, code: TrapCode) {
        let at = self.offset();
        self.buf.record_trap(at, code);
        self.emit(word);
    }

    /// `udf #imm16`, recorded as a trap site of kind `code` when one is
    /// given.
    pub fn udf(&mut self, imm16: u16, code: Option<TrapCode>) {
        self.emit_maybe_trapping(control::udf(imm16), code);
    }

    /// `brk #imm16`, recorded as a trap site of kind `code` when one is
    /// given.
    pub fn brk(&mut self, imm16: u16, code: Option<TrapCode>) {
        self.emit_maybe_trapping(control::brk(imm16), code);
    }

    fn emit_maybe_trapping(&mut self, word: u32, code: Option<TrapCode>) {
        match code {
            Some(code) => self.emit_trapping(word, code),
            None => self.emit(word),
        }
    }

    /// `bl` to another function, resolved when the code is placed: records
    /// an [`RelocKind::Arm64Call26`] relocation at the instruction.
    pub fn call(&mut self, target: RelocTarget) {
        let offset = self.offset() as u32;
        self.buf.record_reloc(Reloc {
            offset,
            kind: RelocKind::Arm64Call26,
            target,
        });
        self.emit(control::BL_WORD);
    }

    // ---- labels ----

    /// A new, unbound label.
    pub fn new_label(&mut self) -> Label {
        self.labels.create()
    }

    /// The offset `label` is bound to, if bound.
    pub fn label_offset(&self, label: Label) -> Option<usize> {
        self.labels.offset(label)
    }

    /// Binds `label` to the current offset and patches its earlier uses.
    /// Every use is patched or reported; the first use that cannot reach is
    /// returned as [`LabelError::OutOfRange`] (its word keeps a zero
    /// offset).
    pub fn bind(&mut self, label: Label) -> Result<(), LabelError> {
        let here = self.offset();
        let buf = &mut *self.buf;
        let mut first_error = None;
        self.labels.bind(label, here, |use_| {
            if let Err(error) = patch_use(buf, use_, here)
                && first_error.is_none()
            {
                first_error = Some(error);
            }
        })?;
        first_error.map_or(Ok(()), Err)
    }

    /// Emits `word`, whose field of kind `kind` refers to `label`. A bound
    /// label is patched in at once, and a distance out of reach is an error
    /// with nothing emitted (the compiler can pick a long form); an unbound
    /// one is patched by [`Assembler::bind`].
    pub fn emit_with_label(
        &mut self,
        word: u32,
        kind: LabelUse,
        label: Label,
    ) -> Result<(), LabelError> {
        let at = self.offset();
        match self.labels.offset(label) {
            Some(target) => {
                let distance = target as i64 - at as i64;
                let word = kind
                    .patch(word, distance)
                    .map_err(|error| LabelError::OutOfRange { at, label, error })?;
                self.emit(word);
            }
            None => {
                self.emit(word);
                self.labels.add_pending(PendingUse { label, at, kind });
            }
        }
        Ok(())
    }

    /// `b label` (±128 MiB).
    pub fn b(&mut self, label: Label) -> Result<(), LabelError> {
        self.emit_with_label(control::B_WORD, LabelUse::Branch26, label)
    }

    /// `bl label` (±128 MiB).
    pub fn bl(&mut self, label: Label) -> Result<(), LabelError> {
        self.emit_with_label(control::BL_WORD, LabelUse::Branch26, label)
    }

    /// `b.cond label` (±1 MiB).
    pub fn b_cond(&mut self, cond: Cond, label: Label) -> Result<(), LabelError> {
        self.emit_with_label(control::b_cond_word(cond), LabelUse::Branch19, label)
    }

    /// `cbz rt, label` (±1 MiB).
    pub fn cbz(
        &mut self,
        size: Size,
        rt: impl Into<RegOrZr>,
        label: Label,
    ) -> Result<(), LabelError> {
        self.emit_with_label(
            control::cbz_word(size, false, rt.into()),
            LabelUse::Branch19,
            label,
        )
    }

    /// `cbnz rt, label` (±1 MiB).
    pub fn cbnz(
        &mut self,
        size: Size,
        rt: impl Into<RegOrZr>,
        label: Label,
    ) -> Result<(), LabelError> {
        self.emit_with_label(
            control::cbz_word(size, true, rt.into()),
            LabelUse::Branch19,
            label,
        )
    }

    /// `tbz rt, #bit, label` (±32 KiB).
    pub fn tbz(&mut self, rt: impl Into<RegOrZr>, bit: u8, label: Label) -> Result<(), LabelError> {
        self.emit_with_label(
            control::tbz_word(false, rt.into(), bit),
            LabelUse::Branch14,
            label,
        )
    }

    /// `tbnz rt, #bit, label` (±32 KiB).
    pub fn tbnz(
        &mut self,
        rt: impl Into<RegOrZr>,
        bit: u8,
        label: Label,
    ) -> Result<(), LabelError> {
        self.emit_with_label(
            control::tbz_word(true, rt.into(), bit),
            LabelUse::Branch14,
            label,
        )
    }

    /// `adr rd, label` (±1 MiB): the label's address, e.g. of a jump table.
    pub fn adr(&mut self, rd: Reg, label: Label) -> Result<(), LabelError> {
        self.emit_with_label(control::adr_word(rd), LabelUse::Adr21, label)
    }

    /// `ldr wt/xt, label` (±1 MiB).
    pub fn ldr_literal(
        &mut self,
        size: Size,
        rt: impl Into<RegOrZr>,
        label: Label,
    ) -> Result<(), LabelError> {
        self.emit_with_label(
            memory::ldr_literal_word(size, rt.into()),
            LabelUse::Branch19,
            label,
        )
    }

    /// `ldr st/dt/qt, label` (±1 MiB): loads a constant from a pool.
    ///
    /// # Panics
    /// For `B`/`H`, which have no literal load.
    pub fn ldr_literal_vec(
        &mut self,
        size: VecMemSize,
        vt: VReg,
        label: Label,
    ) -> Result<(), LabelError> {
        self.emit_with_label(
            memory::ldr_literal_vec_word(size, vt),
            LabelUse::Branch19,
            label,
        )
    }

    // ---- islands ----

    /// The first offset at which some pending use could no longer reach its
    /// label if the label were bound there (`usize::MAX` when nothing is
    /// pending). An island must be placed before it.
    pub fn deadline(&self) -> usize {
        self.labels.deadline()
    }

    /// Whether fewer than `margin` bytes are left before [`deadline`]: the
    /// compiler asks this at block boundaries, with a margin covering the
    /// largest code it emits before asking again plus the island itself
    /// (4 bytes per pending short-range use, plus one jump).
    ///
    /// [`deadline`]: Assembler::deadline
    pub fn island_needed(&self, margin: usize) -> bool {
        self.deadline().saturating_sub(self.offset()) < margin
    }

    /// Emits an island: for every pending `b.cond`/`cbz`/`cbnz`/`tbz`/
    /// `tbnz`/literal use, a veneer `b label` (±128 MiB), and points the
    /// short use at its veneer. With `jump_over`, the island starts with a
    /// branch around it, for use where execution can fall through.
    /// `adr` uses cannot go through a veneer and stay pending. Errors when a
    /// short use is already out of reach of the island.
    pub fn emit_island(&mut self, jump_over: bool) -> Result<(), LabelError> {
        let short = self
            .labels
            .take_pending(|use_| matches!(use_.kind, LabelUse::Branch19 | LabelUse::Branch14));
        if short.is_empty() {
            return Ok(());
        }
        let after = self.new_label();
        if jump_over {
            self.b(after)?;
        }
        let mut first_error = None;
        // Uses of one label share a veneer.
        let mut veneers: Vec<(Label, usize)> = Vec::new();
        for use_ in short {
            let veneer = match veneers.iter().find(|(label, _)| *label == use_.label) {
                Some(&(_, at)) => at,
                None => {
                    let at = self.offset();
                    self.b(use_.label)?;
                    veneers.push((use_.label, at));
                    at
                }
            };
            if let Err(error) = patch_use(self.buf, use_, veneer)
                && first_error.is_none()
            {
                first_error = Some(error);
            }
        }
        self.bind(after)?;
        first_error.map_or(Ok(()), Err)
    }

    /// Checks that every used label was bound; the code is complete.
    pub fn finish(self) -> Result<(), LabelError> {
        match self.labels.first_pending() {
            Some(label) => Err(LabelError::Unbound(label)),
            None => Ok(()),
        }
    }
}

/// Patches the word of `use_` to reach `target`.
fn patch_use(buf: &mut dyn CodeBuffer, use_: PendingUse, target: usize) -> Result<(), LabelError> {
    let distance = target as i64 - use_.at as i64;
    let word = buf.read_u32(use_.at);
    let patched = use_
        .kind
        .patch(word, distance)
        .map_err(|error| LabelError::OutOfRange {
            at: use_.at,
            label: use_.label,
            error,
        })?;
    buf.patch_u32(use_.at, patched);
    Ok(())
}
