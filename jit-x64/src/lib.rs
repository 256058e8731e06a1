#![no_std]
//! Ember's x86-64 JIT: [`X64Backend`], a single-pass compiler from
//! Ember's register IR to native code, and the machine-code encoder it
//! writes with ([`Assembler`]). It emits into any [`CodeBuffer`] and needs
//! only `alloc`.
//!
//! # The compiler
//!
//! [`X64Backend`] implements `ember_core::Backend` and follows the calling
//! convention of `ember_core::jit` (System V: `rdi` = context, `rsi` =
//! frame, `rdx` = extra; status in `eax`). It compiles every instruction
//! of a function in one forward pass.
//!
//! - **Pinned registers.** `r15` holds the `VmContext`, `r14` the frame
//!   (slot `i` is `[r14 + 8*i]`), `r13` memory 0's base and `r12` its
//!   length; the last two are reloaded after every call and helper call.
//!   `rax`, `rcx`, `rdx`, `xmm0` and `xmm1` are scratch.
//! - **Two entries.** The C entry (`CompiledFunc::entry`) is a thunk that
//!   saves `r12`..`r15`, sets up `r15` and `r14` and calls the internal
//!   entry a fixed distance after it. Compiled code calls compiled code
//!   (a `FuncRef` marked compiled, or an inline `call_indirect` hit)
//!   straight at its internal entry: the caller moves `r14` to the
//!   callee's frame and back, and the callee saves only the `rbx`/`rbp`
//!   it pins. Its prologue checks both stacks, zeroes only the locals
//!   some path reads before writing (liveness) and loads the memory
//!   registers if it uses memory; a leaf leaves `rsp` unaligned.
//! - **Register cache** (`compile/cache.rs`). Within a basic block, slots
//!   live in the remaining general-purpose and xmm registers: an operand
//!   is loaded once and reused, a result stays in a register (dirty)
//!   until the block ends, an instruction whose result replaces an
//!   operand computes in place, and a value needed as the other class
//!   moves with `movq`. A branch stores the dirty registers (stores keep
//!   the flags, so a fused compare-and-branch is `cmp`, stores, `jcc`); a
//!   branch target, a call and a helper call forget them all. A liveness
//!   analysis over the basic blocks (`compile/liveness.rs`) limits those
//!   stores to slots a successor reads: the temporaries of finished
//!   expressions are never written back. Within a block, the bounds of an
//!   address slot are checked once for the furthest reach used so far.
//! - **Pinned locals** (`compile/pins.rs`). The parameters and locals used
//!   most inside loops (weighted by loop depth) keep a register of their
//!   own for the whole function (`rbx`, `rbp`, `r11`, `r10` for integers,
//!   `xmm8`..`xmm15` for floats), so loop-carried values never go through
//!   memory. They are stored before calls, helper calls, returns and
//!   unwinding, and reloaded after calls. Every loop header listed for
//!   on-stack replacement points at a small landing pad that loads them
//!   from the frame and jumps to the header. Functions with `v128` moves
//!   or SIMD get no pinned locals.
//! - **Traps and unwinding.** A check that can fail (bounds, division,
//!   conversion, fuel, interrupt) jumps to an out-of-line stub that stores
//!   the registers dirty at that point, then calls `Helpers::unwind` with
//!   the instruction's index and returns the status. After a call or
//!   helper call that failed, everything is already in the frame and the
//!   stub only unwinds (at the call's index + 1, or the helper's).
//! - **What is native.** All scalar instructions: integer arithmetic with
//!   the division traps, shifts and rotates, `clz`/`ctz` (`bsr`/`bsf` with
//!   the zero case patched), `popcnt`, comparisons and fused
//!   compare-and-branch, `select`, float arithmetic with Wasm's `min`/`max`
//!   NaN and signed-zero rules, rounding (`roundss`/`roundsd`), sign
//!   operations as integer bit operations, every conversion with its
//!   trapping or saturating rule, loads and stores of every width with
//!   explicit bounds checks (`addr + offset + size <= mem_len`),
//!   `memory.size`, globals, `br_table` (a jump table), calls through
//!   `VmContext::func_refs`, returns, traps and fuel; `v128` copies,
//!   selects, constants, loads, stores and globals; and a SIMD subset
//!   (`compile/simd.rs`: lane-wise integer and float arithmetic that is
//!   one packed SSE instruction, logic, integer compares, immediate
//!   shifts, widening and extending multiplies, splats, lane extract and
//!   replace, shuffles through `pshufb`); within a block the register
//!   cache keeps `v128` values in xmm registers too. Everything else (the other SIMD operations, tables, bulk
//!   memory, `memory.grow`, references) runs through `Helpers::exec` and
//!   `call_indirect` through `Helpers::call_indirect`. A function whose
//!   loops would mostly run through the helper is declined
//!   (`JitError::Unsupported`): the interpreter runs it faster.
//! - **Host requirements.** Generated code uses SSE4.1 (`roundss`,
//!   `roundsd`, `pmulld`, `pmovzx`, ...), SSSE3 (`pshufb`) and POPCNT: an
//!   x86-64-v2 machine.
//!
//! The compiler tests (`tests/compile_ops.rs`, `tests/compile_frame.rs`)
//! run compiled code over a hand-made `VmContext`: every scalar
//! instruction against the interpreter on edge-case inputs, and the frame
//! contract (bounds, fuel, calls, unwinding, interrupts, helpers, stack
//! checks, OSR entry, `br_table`).
//!
//! # Using the encoder
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
//!   `pxor`;
//! - packed (`packed`): lane-wise SSE2/SSSE3/SSE4.1 integer and float
//!   arithmetic, logic, saturation, min/max, packs, `pmovsx`/`pmovzx`,
//!   `pshufb`, `pshufd`/`pshuflw`, and shifts by an immediate.
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
mod packed;
mod regs;

pub use assembler::Assembler;
pub use compile::X64Backend;
pub use ember_core::CodeBuffer;
pub use float::{LogicOp, RoundMode, SseOp};
pub use integer::{AluOp, ShiftOp};
pub use label::{EncodeError, Label, LabelUse, LabelUseKind};
pub use mem::{Mem, Scale};
pub use packed::{PackedOp, PackedShift};
pub use regs::{Cond, FloatSize, Gpr, Size, Xmm};
