//! Ember's AArch64 (A64) JIT: [`Aarch64Backend`], a single-pass compiler
//! from the register IR to native code, on an instruction encoder with
//! range-checked labels.
//!
//! # The compiler
//!
//! [`Aarch64Backend`] implements `ember_core::Backend` with the calling
//! convention and duties documented in `ember_core::jit`. Every scalar
//! instruction is compiled natively with Wasm's exact semantics; SIMD,
//! bulk memory, tables and `memory.grow` run through `Helpers::exec`. The
//! frame's slots stay the truth at block boundaries: a register cache
//! (general registers for integers, v16–v31 for floats) keeps values
//! within a block, and the most used locals are pinned to callee-saved
//! registers for the whole function; a first counting pass picks them,
//! finds whether memory is used, and gives the liveness of temporaries so
//! that dead values are never written back. Trap checks branch to
//! out-of-line stubs that write back what is live and unwind; stubs and
//! veneers go into islands before any `b.cond` runs out of reach. The
//! module docs of `compiler` describe the register assignment.
//!
//! # The encoder
//!
//! - Encoder functions are pure: each takes typed operands and returns the
//!   32-bit instruction word (`add_imm(Size::X, R0, R1, imm)`), so they are
//!   tested one word at a time against an independent disassembler.
//!   Operands whose range belongs to the instruction are types that can
//!   only hold encodable values: [`AddImm`], [`LogicalImm`] (bitmask
//!   immediates), [`FpImm8`]. Encoders whose operand range depends on
//!   another operand (memory offsets scaled by the access size, branch
//!   distances) return `Option<u32>`.
//! - Register 31 is the zero register in some operand positions and the
//!   stack pointer in others; the types say which ([`RegOrZr`] with [`ZR`],
//!   [`RegOrSp`] with [`SP`]), and a plain [`Reg`] (R0–R30) converts into
//!   both. The operation size ([`Size::W`] or [`Size::X`]) is an argument.
//! - [`Assembler`] writes words into an [`ember_core::CodeBuffer`] and owns
//!   labels: each use records its [`LabelUse`] kind, which knows its reach
//!   (`b.cond` ±1 MiB, `tbz` ±32 KiB, `b` ±128 MiB), patches itself, and
//!   reports a distance out of reach as an error. It also places islands of
//!   veneers, records call relocations and trap sites.
//!
//! Small constants whose range is obvious at the call site (shift amounts,
//! bitfield positions, lane indices) are checked with assertions: a wrong
//! one is a bug in the compiler, not a property of the module.

#![no_std]

extern crate alloc;

mod assembler;
mod compiler;
pub mod control;
pub mod float;
pub mod integer;
pub mod label;
pub mod logical_imm;
pub mod memory;
pub mod regs;

pub use assembler::Assembler;
pub use compiler::Aarch64Backend;
pub use control::{
    Barrier, SysReg, adr, adrp, b, b_cond, bl, blr, br, brk, cbnz, cbz, dc_civac, dc_cvau, dmb,
    dsb, ic_iallu, ic_ivau, isb, mrs, msr, nop, ret, ret_to, tbnz, tbz, udf,
};
pub use float::{
    FpImm8, Lane, addv_8b, addv_16b, and_16b, bic_16b, cnt_8b, cnt_16b, eor_16b, fabs, fadd, fcmp,
    fcmp_zero, fcmpe, fcsel, fcvt, fcvtzs, fcvtzu, fdiv, fmax, fmaxnm, fmin, fminnm, fmov,
    fmov_from_gpr, fmov_imm, fmov_to_gpr, fmul, fneg, fnmul, frinta, frinti, frintm, frintn,
    frintp, frintx, frintz, fsqrt, fsub, ins_from_gpr, mov_16b, orr_16b, scvtf, ucvtf, umov,
};
pub use integer::{
    AddImm, Words, add, add_ext, add_imm, adds, adds_ext, adds_imm, and, and_imm, ands, ands_imm,
    asr, asr_imm, bfm, bic, bics, ccmn, ccmn_imm, ccmp, ccmp_imm, cls, clz, cmn, cmn_imm, cmp,
    cmp_ext, cmp_imm, csel, cset, csetm, csinc, csinv, csneg, eon, eor, eor_imm, extr, lsl,
    lsl_imm, lsr, lsr_imm, madd, mov, mov_imm32, mov_imm64, mov_sp, movk, movn, movz, msub, mul,
    mvn, neg, orn, orr, orr_imm, rbit, rev, rev16, ror, ror_imm, sbfm, sdiv, smulh, sub, sub_ext,
    sub_imm, subs, subs_ext, subs_imm, sxtb, sxth, sxtw, tst, tst_imm, ubfm, ubfx, udiv, umulh,
    uxtb, uxth, uxtw,
};
pub use label::{Label, LabelError, LabelUse, OutOfRange};
pub use logical_imm::LogicalImm;
pub use memory::{
    Addr, IndexExtend, MemSize, VecMemSize, ldp, ldp_vec, ldr, ldr_literal, ldr_literal_vec,
    ldr_vec, ldrs, stp, stp_vec, str, str_vec,
};
pub use regs::*;
