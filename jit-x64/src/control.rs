//! Control flow: jumps and conditional jumps to [`Label`]s (short and near
//! forms), direct calls to labels and relocated targets, indirect calls and
//! jumps, `ret`, trap instructions, and padding `nop`s.

use ember_core::{CodeBuffer, Reloc, RelocKind, RelocTarget, TrapCode};

use crate::assembler::Assembler;
use crate::encoding::{Enc, Inst, Rm};
use crate::label::{EncodeError, Label, LabelUseKind};
use crate::mem::Mem;
use crate::regs::{Cond, Gpr, Size};

/// The recommended multi-byte `nop`s, by length (index 0 is one byte).
const NOPS: [&[u8]; 9] = [
    &[0x90],
    &[0x66, 0x90],
    &[0x0f, 0x1f, 0x00],
    &[0x0f, 0x1f, 0x40, 0x00],
    &[0x0f, 0x1f, 0x44, 0x00, 0x00],
    &[0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
    &[0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
    &[0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
    &[0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

/// Whether a branch to a label may use the 2-byte short form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Short if the label is bound and near, else rel32.
    Auto,
    /// Always rel8; a target out of range is an error.
    Short,
}

impl<B: CodeBuffer + ?Sized> Assembler<'_, B> {
    /// Emits `short` (opcode bytes of the rel8 form) or `near` (of the
    /// rel32 form) followed by the distance field, and registers the use.
    fn branch(&mut self, label: Label, reach: Reach, short: &[u8], near: &[u8]) {
        let start = self.offset();
        let use_short = match reach {
            Reach::Short => true,
            Reach::Auto => self.label_offset(label).is_some_and(|target| {
                let distance = i64::from(target) - (start + short.len() + 1) as i64;
                LabelUseKind::Rel8.can_reach(distance)
            }),
        };
        let (opcode, kind) = if use_short {
            (short, LabelUseKind::Rel8)
        } else {
            (near, LabelUseKind::Rel32)
        };
        let mut inst = Inst::raw(opcode);
        let field = inst.len();
        for _ in 0..kind.field_size() {
            inst.u8(0);
        }
        self.emit(&inst);
        let end = start + inst.len();
        self.use_label(label, kind, start + field, end as i64);
    }

    /// `jmp label`: the 2-byte form for a bound label within reach, else
    /// the 5-byte rel32 form (always for a label not bound yet).
    pub fn jmp(&mut self, label: Label) {
        self.branch(label, Reach::Auto, &[0xeb], &[0xe9]);
    }

    /// `jmp short label`: always the 2-byte form. If the label ends up
    /// outside -128..=127 bytes from the end of the jump,
    /// [`finish`](Assembler::finish) reports [`EncodeError::OutOfRange`].
    pub fn jmp_short(&mut self, label: Label) {
        self.branch(label, Reach::Short, &[0xeb], &[0xe9]);
    }

    /// `jcc label`: forms chosen as for [`jmp`](Self::jmp) (2 or 6 bytes).
    pub fn jcc(&mut self, cond: Cond, label: Label) {
        self.branch(
            label,
            Reach::Auto,
            &[0x70 | cond.enc()],
            &[0x0f, 0x80 | cond.enc()],
        );
    }

    /// `jcc short label`: always the 2-byte form; range as for
    /// [`jmp_short`](Self::jmp_short).
    pub fn jcc_short(&mut self, cond: Cond, label: Label) {
        self.branch(
            label,
            Reach::Short,
            &[0x70 | cond.enc()],
            &[0x0f, 0x80 | cond.enc()],
        );
    }

    /// `jmp target` through a register.
    pub fn jmp_r(&mut self, target: Gpr) {
        self.emit(&Inst::modrm(Enc::new(0xff), 4, Rm::Reg(target.enc())));
    }

    /// `jmp [mem]`.
    pub fn jmp_m(&mut self, mem: Mem) {
        self.emit(&Inst::modrm(Enc::new(0xff), 4, Rm::Mem(mem)));
    }

    /// `call target` through a register.
    pub fn call_r(&mut self, target: Gpr) {
        self.emit(&Inst::modrm(Enc::new(0xff), 2, Rm::Reg(target.enc())));
    }

    /// `call [mem]` (e.g. a helper in the `VmContext` table).
    pub fn call_m(&mut self, mem: Mem) {
        self.emit(&Inst::modrm(Enc::new(0xff), 2, Rm::Mem(mem)));
    }

    /// `call label` (rel32) to code of this assembler.
    pub fn call_label(&mut self, label: Label) {
        let start = self.emit(&Inst::raw(&[0xe8, 0, 0, 0, 0]));
        self.use_label(label, LabelUseKind::Rel32, start + 1, (start + 5) as i64);
    }

    /// `call rel32` to `target`, placed later: records a
    /// [`RelocKind::Rel32`] relocation on the 4-byte field.
    pub fn call_reloc(&mut self, target: RelocTarget) {
        let start = self.emit(&Inst::raw(&[0xe8, 0, 0, 0, 0]));
        self.buffer_mut().record_reloc(Reloc {
            offset: (start + 1) as u32,
            kind: RelocKind::Rel32,
            target,
        });
    }

    /// `call` to function `index` of the module (see
    /// [`call_reloc`](Self::call_reloc)).
    pub fn call_func(&mut self, index: u32) {
        self.call_reloc(RelocTarget::Func(index));
    }

    /// `movabs dst, <address of target>`: records a [`RelocKind::Abs64`]
    /// relocation on the 8-byte immediate.
    pub fn movabs_reloc(&mut self, dst: Gpr, target: RelocTarget) {
        let start = self.offset();
        self.movabs_ri(dst, 0);
        self.buffer_mut().record_reloc(Reloc {
            offset: (start + 2) as u32,
            kind: RelocKind::Abs64,
            target,
        });
    }

    /// `lea dst, [rip + label]`: the address of `label`.
    pub fn lea_label(&mut self, dst: Gpr, label: Label) {
        self.lea(Size::S64, dst, Mem::label(label));
    }

    /// Appends a 4-byte jump-table entry holding `target - base`, where
    /// `base` (typically the table's start) must already be bound; `target`
    /// may be bound later.
    pub fn put_label_delta32(&mut self, target: Label, base: Label) {
        let at = self.offset();
        self.buffer_mut().put_u32(0);
        match self.label_offset(base) {
            Some(origin) => self.use_label(target, LabelUseKind::Rel32, at, origin.into()),
            None => self.fail(EncodeError::BaseNotBound { label: base }),
        }
    }

    /// `ret`.
    pub fn ret(&mut self) {
        self.emit(&Inst::raw(&[0xc3]));
    }

    /// `ud2`: raises an invalid-opcode exception.
    pub fn ud2(&mut self) {
        self.emit(&Inst::raw(&[0x0f, 0x0b]));
    }

    /// `ud2`, recorded as a trap site with `code`.
    pub fn ud2_trap(&mut self, code: TrapCode) {
        self.trap_site(code);
        self.ud2();
    }

    /// `int3`: a breakpoint.
    pub fn int3(&mut self) {
        self.emit(&Inst::raw(&[0xcc]));
    }

    /// `len` bytes of `nop`s, in as few instructions as possible (at most 9
    /// bytes each).
    pub fn nop(&mut self, len: usize) {
        let mut left = len;
        while left > 0 {
            let chunk = left.min(NOPS.len());
            self.emit(&Inst::raw(NOPS[chunk - 1]));
            left -= chunk;
        }
    }

    /// Pads with `nop`s up to a multiple of `alignment` (a power of two),
    /// e.g. before a loop header.
    ///
    /// # Panics
    ///
    /// If `alignment` is not a power of two.
    pub fn align(&mut self, alignment: usize) {
        assert!(alignment.is_power_of_two(), "alignment {alignment}");
        let pad = self.offset().wrapping_neg() & (alignment - 1);
        self.nop(pad);
    }
}
