#![no_std]
//! Ember's x86-64 machine-code encoder, the layer the single-pass JIT
//! writes code with. It emits into any [`CodeBuffer`] and needs only
//! `alloc`.
//!
//! # Using it
//!
//! ```
//! use ember_core::VecCodeBuffer;
//! use ember_jit_x64::{AluOp, Assembler, Cond, Gpr, Mem, Size};
//!
//! // A loop summing `rcx` 32-bit integers at `[rdi]` into eax.
//! let mut buf = VecCodeBuffer::new();
//! let mut asm = Assembler::new(&mut buf);
//! let (top, done) = (asm.new_label(), asm.new_label());
//! asm.alu_rr(AluOp::Xor, Size::S32, Gpr::Rax, Gpr::Rax);
//! asm.test_rr(Size::S64, Gpr::Rcx, Gpr::Rcx);
//! asm.jcc(Cond::E, done); // forward: rel32, patched at `bind`
//! asm.bind(top);
//! asm.alu_rm(AluOp::Add, Size::S32, Gpr::Rax, Mem::base(Gpr::Rdi));
//! asm.alu_ri(AluOp::Add, Size::S64, Gpr::Rdi, 4);
//! asm.alu_ri(AluOp::Sub, Size::S64, Gpr::Rcx, 1);
//! asm.jcc(Cond::Ne, top); // backward and near: rel8
//! asm.bind(done);
//! asm.ret();
//! asm.finish().expect("all labels bound and in range");
//! assert_eq!(buf.bytes.len(), 24);
//! ```
//!
//! # The API
//!
//! - Operands are typed: [`Gpr`] and [`Xmm`] registers, [`Mem`] operands
//!   (`[base + index*scale + disp32]`, `[rip + disp]`, `[rip + label]`),
//!   `i32`/`i64` immediates, a [`Size`] for integer operations (a `Gpr` at
//!   [`Size::S8`] is its low byte: `sil`, `r8b`, ...), a [`FloatSize`] for
//!   scalar float operations, and [`Cond`] condition codes.
//! - Method names are the mnemonic (or a family such as `alu`, `shift`,
//!   `sse`, `logic`, whose operation is an enum: [`AluOp`], [`ShiftOp`],
//!   [`SseOp`], [`LogicOp`]) followed by the operand forms, destination
//!   first: `r` a general-purpose register, `x` an xmm register, `m` memory,
//!   `i` an immediate. `alu_rm(AluOp::Add, Size::S32, dst, mem)` is
//!   `add dst32, [mem]`; `movd_rx` moves an xmm register into a `Gpr`.
//! - The encoder chooses encodings: REX only when needed (and always for
//!   `spl`..`dil`), SIB for `rsp`/`r12` bases, a zero `disp8` for
//!   `rbp`/`r13` bases, `disp8` and `imm8` whenever the value fits, short
//!   `rax` forms.
//! - [`Label`]s: `new_label`, `bind`, and uses by `jmp`/`jcc` (rel8 for a
//!   bound label in reach, else rel32), `jmp_short`/`jcc_short` (rel8 only),
//!   `call_label`, RIP-relative operands ([`Mem::label`], `lea_label`) and
//!   jump-table entries (`put_label_delta32`). Every use is a [`LabelUse`]
//!   that knows its range and patches itself; one that cannot reach its
//!   label is an [`EncodeError`] from [`Assembler::finish`].
//! - Side tables go to the buffer: `call_reloc`/`call_func` and
//!   `movabs_reloc` record relocations, `ud2_trap` and `trap_site` record
//!   trap sites.
//!
//! # Families
//!
//! - integer (`integer`): `mov` (register, immediate, load, store),
//!   `movzx`/`movsx`/`movsxd`, `lea`, `add`/`or`/`adc`/`sbb`/`and`/`sub`/
//!   `xor`/`cmp`, `test`, `imul` (2 and 3 operands), `mul`/`imul`/`div`/
//!   `idiv`/`neg`/`not`, `cdq`/`cqo`, `shl`/`shr`/`sar`/`rol`/`ror`,
//!   `lzcnt`/`tzcnt`/`popcnt`/`bsr`/`bsf`, `setcc`, `cmovcc`, `xchg`,
//!   `push`/`pop`, `bswap`;
//! - control (`control`): `jmp`/`jcc` to labels, `call` (label, relocated,
//!   register, memory), `jmp` (register, memory), `ret`, `ud2`, `int3`,
//!   multi-byte `nop`s and alignment;
//! - float (`float`): `movss`/`movsd`, `movaps`, `movups`, `movdqu`,
//!   `movd`/`movq`, `addss`..`sqrtsd`, `minss`..`maxsd`, `roundss`/`roundsd`,
//!   `ucomiss`/`ucomisd`/`comiss`/`comisd`, `cvtsi2ss`/`cvtsi2sd`,
//!   `cvttss2si`/`cvttsd2si`, `cvtss2sd`/`cvtsd2ss`, `andps`..`xorpd`,
//!   `pxor`.
//!
//! Every family is tested against an independent disassembler (iced-x86):
//! tables of (call, bytes, Intel syntax) and randomized operands.

extern crate alloc;

mod assembler;
mod compile;
mod control;
mod encoding;
mod float;
mod integer;
mod label;
mod mem;
mod regs;

pub use assembler::Assembler;
pub use compile::X64Backend;
pub use ember_core::CodeBuffer;
pub use float::{LogicOp, RoundMode, SseOp};
pub use integer::{AluOp, ShiftOp};
pub use label::{EncodeError, Label, LabelUse, LabelUseKind};
pub use mem::{Mem, Scale};
pub use regs::{Cond, FloatSize, Gpr, Size, Xmm};
