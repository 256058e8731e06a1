//! The single-pass compiler from Ember's register IR to A64 code, and
//! [`Aarch64Backend`], its entry point for the core.
//!
//! # Code shape
//!
//! One function becomes: the normal entry (prologue, stack checks, local
//! zeroing, entry interrupt check), the body (one IR instruction after the
//! other), out-of-line trap stubs, a shared unwind tail, and the on-stack-
//! replacement entry (the same prologue, then `br x2`).
//!
//! Registers: `x19` = `VmContext`, `x20` = the frame's slots, `x21`/`x22` =
//! memory 0's base and length (reloaded after every call, unless the
//! function never accesses memory), `x23` = the status on the unwind path;
//! `x0`–`x14` and `v16`–`v31` cache slots (see [`cache`]), `x24`–`x28`
//! hold the most used locals (see [`pinned`]), `x15` addresses far slots,
//! `x16`/`x17` and `v0`–`v2` are scratch.
//!
//! Each function is compiled twice: a counting pass (into a scratch
//! buffer) records slot accesses, from which come the pinned locals,
//! whether memory is used, and the liveness of temporaries ([`liveness`]).
//!
//! Every trap check branches to a stub that writes back the registers that
//! were dirty (and live) at that point, then calls `Helpers::unwind` with
//! the IR index and returns the status. Stubs and label veneers are placed in islands
//! before any short-range branch (`b.cond`, `cbz`: ±1 MiB) runs out of
//! reach.

mod cache;
mod control;
mod dispatch;
mod float;
mod integer;
mod liveness;
mod memory;
mod pinned;

use alloc::vec;
use alloc::vec::Vec;

use ember_core::ir::{self, Instr, Slot};
use ember_core::jit::{CompileEnv, CompiledFunc, JitError, VmContext, status_of_trap};
use ember_core::{Backend, CodeBuffer, TrapCode};

use crate::label::{Label, LabelError};
use crate::memory::{Addr, MemSize, VecMemSize};
use crate::regs::{Cond, FpSize, R0, R1, R2, R3, R15, R16, R17, R19, R20, R21, R22, R23, Reg};
use crate::regs::{FP, LR, SP, Size, VReg, ZR};
use crate::{AddImm, Assembler};
use cache::{Loc, RegCache};

/// The general register of cache entry `index`.
fn gpr(index: usize) -> Reg {
    match cache::loc(index) {
        Loc::Gpr(reg) => reg,
        Loc::Fpr(_) => unreachable!("entry {index} is an FP register"),
    }
}

/// The FP register of cache entry `index`.
fn fpr(index: usize) -> VReg {
    match cache::loc(index) {
        Loc::Fpr(v) => v,
        Loc::Gpr(_) => unreachable!("entry {index} is a general register"),
    }
}

/// Where a float result goes: a cache register, or the scratch
/// [`FP_RESULT`] then a pinned general register.
#[derive(Debug, Clone, Copy)]
struct FpDst {
    v: VReg,
    pinned: Option<Reg>,
}

/// Scratch FP register for results bound for a pinned local.
const FP_RESULT: VReg = crate::regs::V2;

/// The AArch64 JIT backend.
#[derive(Debug, Clone, Copy, Default)]
pub struct Aarch64Backend;

impl Backend for Aarch64Backend {
    fn name(&self) -> &'static str {
        "aarch64"
    }

    fn compile(
        &self,
        func: &ir::Func,
        env: &CompileEnv,
        buf: &mut dyn CodeBuffer,
    ) -> core::result::Result<CompiledFunc, JitError> {
        // A counting pass picks the locals to pin (functions without
        // locals need none).
        let usage = if func.frame_slots == 0 {
            None
        } else {
            let mut scratch = ember_core::VecCodeBuffer::new();
            let mut counter = Compiler::new(func, env, &mut scratch, Vec::new());
            counter.usage = Some(pinned::Usage::new(
                func.local_slots as usize,
                func.code.len(),
            ));
            counter.compile()?.1
        };
        let pinned = usage.as_ref().map(|u| u.choose()).unwrap_or_default();
        let mut compiler = Compiler::new(func, env, buf, pinned);
        compiler.uses_memory = usage.as_ref().is_none_or(|u| u.memory);
        compiler.liveness = usage.map(|u| liveness::Liveness::solve(func, &u.reads, &u.writes));
        Ok(compiler.compile()?.0)
    }
}

/// The running `VmContext`.
const CTX: Reg = R19;
/// Slot 0 of the frame.
const SLOTS: Reg = R20;
/// Memory 0's base.
const MEM_BASE: Reg = R21;
/// Memory 0's length in bytes.
const MEM_LEN: Reg = R22;
/// The status returned after unwinding.
const STATUS: Reg = R23;
/// Address of far slots (offsets beyond the scaled 12-bit immediate).
const FAR: Reg = R15;
/// Scratch registers of single instructions.
const TMP0: Reg = R16;
const TMP1: Reg = R17;

impl From<LabelError> for JitError {
    fn from(_: LabelError) -> JitError {
        JitError::Limit("branch out of range")
    }
}

type Result<T = ()> = core::result::Result<T, JitError>;

/// What an unwinding stub returns.
#[derive(Debug, Clone, Copy)]
enum StubStatus {
    /// A fixed status (a trap code).
    Fixed(u32),
    /// The status in `w0` (a failed call or helper).
    FromW0,
}

/// An out-of-line path that writes back `dirty`, unwinds at `pc` and
/// returns `status`.
struct Stub {
    label: Label,
    pc: u32,
    status: StubStatus,
    dirty: Vec<(Loc, Slot)>,
}

/// Where in an instruction values must be in their slots.
#[derive(Debug, Clone, Copy)]
enum Point {
    /// Before it runs (at a branch target).
    Before,
    /// After it ran (at a branch).
    After,
    /// Either (evictions, stubs, calls).
    Around,
}

/// A condition for a conditional branch.
#[derive(Debug, Clone, Copy)]
enum Test {
    /// The flags satisfy the condition.
    Flags(Cond),
    /// The register is zero (`nonzero == false`) or not zero.
    Zero { size: Size, reg: Reg, nonzero: bool },
}

impl Test {
    fn invert(self) -> Test {
        match self {
            Test::Flags(cond) => Test::Flags(cond.invert()),
            Test::Zero { size, reg, nonzero } => Test::Zero {
                size,
                reg,
                nonzero: !nonzero,
            },
        }
    }
}

/// Bytes kept free before a short-range deadline besides the pending
/// uses and stubs: more than any one IR instruction's code.
const ISLAND_MARGIN: usize = 16 * 1024;
/// Reach of a `b.cond`/`cbz` to a bound label, with slack.
const SHORT_REACH: usize = (1 << 20) - 256;

pub(crate) struct Compiler<'a> {
    asm: Assembler<'a>,
    func: &'a ir::Func,
    env: CompileEnv,
    cache: RegCache,
    /// The label of every branch target, by IR index.
    labels: Vec<Option<Label>>,
    /// Whether an IR index is the target of a backward branch.
    loop_header: Vec<bool>,
    loop_headers: Vec<(u32, u32)>,
    stubs: Vec<Stub>,
    /// Upper bound of the bytes that pending stubs and veneers need.
    pending_bytes: usize,
    unwind: Label,
    overflow: Label,
    helper_instrs: u32,
    /// Locals living in callee-saved registers.
    pinned: Vec<pinned::Pin>,
    /// In the counting pass: what the function uses.
    usage: Option<pinned::Usage>,
    /// Whether memory 0's base and length must be kept in registers.
    uses_memory: bool,
    /// Which temporaries are live where (from the counting pass).
    liveness: Option<liveness::Liveness>,
    /// The IR index being compiled.
    pc: usize,
    /// In the current block: address slots, unchanged since an access
    /// through them was checked, and the end (`offset + size`) checked.
    checked_bounds: Vec<(Slot, u64)>,
    /// The weight of an access at each IR index, and at the current one.
    weights: Vec<u32>,
    weight: u32,
}

impl<'a> Compiler<'a> {
    fn new(
        func: &'a ir::Func,
        env: &CompileEnv,
        buf: &'a mut dyn CodeBuffer,
        pinned: Vec<pinned::Pin>,
    ) -> Compiler<'a> {
        let mut asm = Assembler::new(buf);
        let unwind = asm.new_label();
        let overflow = asm.new_label();
        Compiler {
            asm,
            func,
            env: *env,
            cache: RegCache::new(),
            labels: vec![None; func.code.len()],
            loop_header: vec![false; func.code.len()],
            loop_headers: Vec::new(),
            stubs: Vec::new(),
            pending_bytes: 0,
            unwind,
            overflow,
            helper_instrs: 0,
            pinned,
            usage: None,
            uses_memory: true,
            liveness: None,
            pc: 0,
            checked_bounds: Vec::new(),
            weights: pinned::access_weights(func),
            weight: 1,
        }
    }

    /// Compiles the function; returns what the core needs and, in the
    /// counting pass, the weighted accesses of each local.
    fn compile(mut self) -> Result<(CompiledFunc, Option<pinned::Usage>)> {
        self.find_targets()?;
        let entry = self.asm.offset() as u32;
        self.prologue()?;
        self.zero_locals();
        self.load_pinned();
        if self.env.interruptible {
            self.interrupt_check(0)?;
        }
        let func = self.func;
        for (pc, &instr) in func.code.iter().enumerate() {
            self.pc = pc;
            let extra = match instr {
                Instr::BrTable { len, .. } => 4 * (len as usize + 1),
                _ => 0,
            };
            if self
                .asm
                .island_needed(ISLAND_MARGIN + self.pending_bytes + extra)
            {
                self.emit_island()?;
            }
            if let Some(label) = self.labels[pc] {
                self.flush_live(Point::Before);
                self.cache.clear();
                self.checked_bounds.clear();
                self.asm.bind(label)?;
                if self.loop_header[pc] {
                    self.loop_headers
                        .push((pc as u32, self.asm.offset() as u32));
                }
            }
            self.cache.unlock_all();
            self.weight = self.weights[pc];
            self.instr(pc as u32, instr)?;
        }
        self.emit_stubs()?;
        self.tails()?;
        let osr_entry = self.asm.offset() as u32;
        self.prologue()?;
        self.load_pinned();
        self.emit(crate::br(R2));
        if self.asm.offset() > u32::MAX as usize {
            return Err(JitError::Limit("code size"));
        }
        self.asm.finish()?;
        let info = CompiledFunc {
            entry,
            osr_entry,
            loop_headers: self.loop_headers,
            helper_instrs: self.helper_instrs,
        };
        Ok((info, self.usage))
    }

    /// Creates the labels of branch targets and marks loop headers.
    fn find_targets(&mut self) -> Result {
        let len = self.func.code.len();
        for (pc, instr) in self.func.code.iter().enumerate() {
            if let Instr::BrTable { len: n, .. } = *instr {
                for entry in pc + 1..=pc + 1 + n as usize {
                    if entry >= len {
                        return Err(JitError::Unsupported("br_table past the code"));
                    }
                    self.target_label(entry);
                }
            }
            if let Some(jump) = dispatch::jump_of(instr) {
                let target = pc as i64 + i64::from(jump);
                if !(0..len as i64).contains(&target) {
                    return Err(JitError::Unsupported("branch past the code"));
                }
                self.target_label(target as usize);
                if jump <= 0 {
                    self.loop_header[target as usize] = true;
                }
            }
        }
        Ok(())
    }

    fn target_label(&mut self, pc: usize) -> Label {
        match self.labels[pc] {
            Some(label) => label,
            None => {
                let label = self.asm.new_label();
                self.labels[pc] = Some(label);
                label
            }
        }
    }

    fn label_at(&self, pc: u32) -> Label {
        self.labels[pc as usize].expect("branch targets have labels")
    }

    // ---- emission helpers ----

    fn emit(&mut self, word: u32) {
        self.asm.emit(word);
    }

    fn emit_all(&mut self, words: &[u32]) {
        self.asm.emit_all(words);
    }

    /// Emits an access whose address encoder always succeeds for the
    /// offsets this compiler passes.
    fn emit_access(&mut self, word: Option<u32>) {
        self.emit(word.expect("encodable address"));
    }

    /// `rd = rn + value`, using `tmp` for values beyond 24 bits.
    fn add_const(&mut self, rd: Reg, rn: Reg, value: u64, tmp: Reg) {
        if let Some(imm) = AddImm::new(value) {
            if value != 0 || rd != rn {
                self.emit(crate::add_imm(Size::X, rd, rn, imm));
            }
        } else if value < 1 << 24 {
            let high = AddImm::new(value & !0xfff).expect("a shifted 12-bit immediate");
            let low = AddImm::new(value & 0xfff).expect("a 12-bit immediate");
            self.emit(crate::add_imm(Size::X, rd, rn, high));
            self.emit(crate::add_imm(Size::X, rd, rd, low));
        } else {
            self.emit_all(&crate::mov_imm64(tmp, value));
            self.emit(crate::add(Size::X, rd, rn, tmp));
        }
    }

    /// The address of a field of `VmContext` (offsets are small).
    fn ctx_field(offset: usize) -> Addr {
        Addr::offset(CTX, offset as i64)
    }

    /// The address of `slot`, computing far slots' page into `x15`.
    fn slot_addr(&mut self, slot: Slot) -> Addr {
        let offset = i64::from(slot) * 8;
        if offset < 4096 * 8 {
            Addr::offset(SLOTS, offset)
        } else {
            let page = AddImm::new((offset & !0xfff) as u64).expect("slot offsets are below 2^19");
            self.emit(crate::add_imm(Size::X, FAR, SLOTS, page));
            Addr::offset(FAR, offset & 0xfff)
        }
    }

    fn load_slot(&mut self, reg: Reg, slot: Slot) {
        let addr = self.slot_addr(slot);
        self.emit_access(crate::ldr(MemSize::X, reg, addr));
    }

    fn store_slot(&mut self, reg: Reg, slot: Slot) {
        let addr = self.slot_addr(slot);
        self.emit_access(crate::str(MemSize::X, reg, addr));
    }

    // ---- the register cache ----

    /// Writes the register at `loc` to `slot`.
    fn store_loc(&mut self, loc: Loc, slot: Slot) {
        match loc {
            Loc::Gpr(reg) => self.store_slot(reg, slot),
            Loc::Fpr(v) => {
                // Floats in registers are zero-extended to 64 bits (scalar
                // f32 operations clear the upper bits), so `str d` writes
                // the whole slot.
                let addr = self.slot_addr(slot);
                self.emit_access(crate::str_vec(VecMemSize::D, v, addr));
            }
        }
    }

    /// A general register holding the value of `slot` (for this
    /// instruction).
    fn read(&mut self, slot: Slot) -> Reg {
        self.count_access(slot, false);
        if let Some(reg) = self.pinned_reg(slot) {
            return reg;
        }
        match self.cache.find(slot) {
            Some(index) if !cache::is_fp(index) => {
                self.cache.touch(index);
                gpr(index)
            }
            Some(from) => {
                // A float read as bits: move it to the general file.
                self.cache.touch(from);
                let dirty = self.cache.take(from);
                let index = self.take_reg(false);
                let reg = gpr(index);
                self.emit(crate::fmov_to_gpr(FpSize::D, reg, fpr(from)));
                self.cache.set(index, slot, dirty);
                reg
            }
            None => {
                let index = self.take_reg(false);
                let reg = gpr(index);
                self.load_slot(reg, slot);
                self.cache.set(index, slot, false);
                reg
            }
        }
    }

    /// The general register to write the new value of `slot` into. Call it
    /// after the instruction's last trap check: the register counts as
    /// holding the slot from now on.
    fn write(&mut self, slot: Slot) -> Reg {
        self.count_access(slot, true);
        self.forget_bounds_of(slot);
        if let Some(reg) = self.pinned_reg(slot) {
            return reg;
        }
        if let Some(index) = self.cache.find(slot) {
            self.cache.touch(index);
            if !cache::is_fp(index) {
                self.cache.mark_dirty(index);
                return gpr(index);
            }
            // The old value (in the FP file) is overwritten.
            self.cache.take(index);
        }
        let index = self.take_reg(false);
        self.cache.set(index, slot, true);
        gpr(index)
    }

    /// A free cache register of the FP file (`fp`) or the general one,
    /// writing back the slot it held if needed.
    fn take_reg(&mut self, fp: bool) -> usize {
        let (index, spill) = self.cache.victim(fp);
        if let Some(slot) = spill
            && self.is_live(slot)
        {
            self.store_loc(cache::loc(index), slot);
        }
        self.cache.take(index);
        index
    }

    /// Writes every dirty register back (unless its value is dead); the
    /// cache stays valid.
    fn flush(&mut self) {
        self.flush_live(Point::Around);
    }

    /// Writes back the dirty registers whose values are live at `point`
    /// of the current instruction.
    fn flush_live(&mut self, point: Point) {
        let pc = self.pc;
        let dirty: Vec<(Loc, Slot)> = self
            .cache
            .dirty()
            .filter(|&(_, slot)| {
                self.liveness.as_ref().is_none_or(|live| match point {
                    Point::Before => live.live_before(pc, slot),
                    Point::After => live.live_after(pc, slot),
                    Point::Around => live.live_around(pc, slot),
                })
            })
            .collect();
        for (loc, slot) in dirty {
            self.store_loc(loc, slot);
        }
        self.cache.mark_all_clean();
    }

    /// Writes every dirty register back and forgets the cache (at branch
    /// targets, and before calls, which clobber the cache registers).
    fn invalidate(&mut self) {
        self.flush();
        self.cache.clear();
        self.checked_bounds.clear();
    }

    /// An FP register holding `slot` as a float (of either precision: the
    /// low bits of the register). A pinned local is copied into `scratch`.
    fn fp_read(&mut self, slot: Slot, scratch: VReg) -> VReg {
        self.count_access(slot, false);
        self.count_float(slot);
        if let Some(reg) = self.pinned_reg(slot) {
            self.emit(crate::fmov_from_gpr(FpSize::D, scratch, reg));
            return scratch;
        }
        match self.cache.find(slot) {
            Some(index) if cache::is_fp(index) => {
                self.cache.touch(index);
                fpr(index)
            }
            Some(from) => {
                // Bits read as a float: move them to the FP file.
                self.cache.touch(from);
                let dirty = self.cache.take(from);
                let index = self.take_reg(true);
                let v = fpr(index);
                self.emit(crate::fmov_from_gpr(FpSize::D, v, gpr(from)));
                self.cache.set(index, slot, dirty);
                v
            }
            None => {
                let index = self.take_reg(true);
                let v = fpr(index);
                let addr = self.slot_addr(slot);
                self.emit_access(crate::ldr_vec(VecMemSize::D, v, addr));
                self.cache.set(index, slot, false);
                v
            }
        }
    }

    /// Whether `slot` is cached in an FP register now.
    fn in_fp_register(&self, slot: Slot) -> bool {
        self.cache.find(slot).is_some_and(cache::is_fp)
    }

    /// Where to compute a float for `slot`: an FP register, to be passed to
    /// [`Compiler::fp_commit`] after the instruction that writes it.
    fn fp_write(&mut self, slot: Slot) -> FpDst {
        self.count_access(slot, true);
        self.forget_bounds_of(slot);
        self.count_float(slot);
        if let Some(reg) = self.pinned_reg(slot) {
            return FpDst {
                v: FP_RESULT,
                pinned: Some(reg),
            };
        }
        if let Some(index) = self.cache.find(slot) {
            self.cache.touch(index);
            if cache::is_fp(index) {
                self.cache.mark_dirty(index);
                return FpDst {
                    v: fpr(index),
                    pinned: None,
                };
            }
            // The old value (in the general file) is overwritten.
            self.cache.take(index);
        }
        let index = self.take_reg(true);
        self.cache.set(index, slot, true);
        FpDst {
            v: fpr(index),
            pinned: None,
        }
    }

    /// Completes a float write of `size` started by [`Compiler::fp_write`].
    fn fp_commit(&mut self, dst: FpDst, size: FpSize) {
        if let Some(reg) = dst.pinned {
            self.emit(crate::fmov_to_gpr(size, reg, dst.v));
        }
    }

    // ---- branches, stubs and islands ----

    /// Branches to `label` when `test` holds, with a long form for a bound
    /// label out of the short reach.
    fn jump_if(&mut self, test: Test, label: Label) -> Result {
        let far = self
            .asm
            .label_offset(label)
            .is_some_and(|target| self.asm.offset() - target > SHORT_REACH);
        if far {
            let skip = self.asm.new_label();
            self.short_jump(test.invert(), skip)?;
            self.asm.b(label)?;
            self.asm.bind(skip)?;
            return Ok(());
        }
        if self.asm.label_offset(label).is_none() {
            self.pending_bytes += 4;
        }
        self.short_jump(test, label)
    }

    fn short_jump(&mut self, test: Test, label: Label) -> Result {
        match test {
            Test::Flags(cond) => self.asm.b_cond(cond, label)?,
            Test::Zero {
                size,
                reg,
                nonzero: false,
            } => self.asm.cbz(size, reg, label)?,
            Test::Zero {
                size,
                reg,
                nonzero: true,
            } => self.asm.cbnz(size, reg, label)?,
        }
        Ok(())
    }

    /// A stub that unwinds at `pc` with `status`, writing back what is
    /// dirty now.
    fn stub(&mut self, pc: u32, status: StubStatus) -> Label {
        let label = self.asm.new_label();
        let mut dirty: Vec<(Loc, Slot)> = self
            .cache
            .dirty()
            .filter(|&(_, slot)| self.is_live(slot))
            .collect();
        dirty.extend(self.stale_pins().map(|(reg, slot)| (Loc::Gpr(reg), slot)));
        self.pending_bytes += 8 * dirty.len() + 16;
        self.stubs.push(Stub {
            label,
            pc,
            status,
            dirty,
        });
        label
    }

    /// Traps with `code` at `pc` when `test` holds.
    fn trap_if(&mut self, test: Test, code: TrapCode, pc: u32) -> Result {
        let stub = self.stub(pc, StubStatus::Fixed(status_of_trap(code)));
        self.jump_if(test, stub)
    }

    fn emit_stubs(&mut self) -> Result {
        for stub in core::mem::take(&mut self.stubs) {
            self.asm.bind(stub.label)?;
            for (loc, slot) in stub.dirty {
                self.store_loc(loc, slot);
            }
            match stub.status {
                StubStatus::Fixed(status) => {
                    self.emit_all(&crate::mov_imm32(STATUS, status));
                }
                StubStatus::FromW0 => self.emit(crate::mov(Size::W, STATUS, R0)),
            }
            self.emit_all(&crate::mov_imm32(R3, stub.pc));
            self.asm.b(self.unwind)?;
        }
        Ok(())
    }

    /// Places pending stubs and veneers here, jumping around them.
    fn emit_island(&mut self) -> Result {
        let after = self.asm.new_label();
        self.asm.b(after)?;
        self.emit_stubs()?;
        self.asm.emit_island(false)?;
        self.asm.bind(after)?;
        self.pending_bytes = 0;
        Ok(())
    }

    // ---- prologue and epilogue ----

    fn prologue(&mut self) -> Result {
        let frame = self.frame_bytes();
        self.emit_access(crate::stp(Size::X, FP, LR, Addr::pre_index(SP, -frame)));
        self.emit(crate::mov_sp(Size::X, FP, SP));
        self.save_registers(false);
        self.emit(crate::mov(Size::X, CTX, R0));
        self.emit(crate::mov(Size::X, SLOTS, R1));
        // The native stack.
        self.emit_access(crate::ldr(
            MemSize::X,
            TMP0,
            Self::ctx_field(VmContext::STACK_LIMIT),
        ));
        self.emit(crate::mov_sp(Size::X, TMP1, SP));
        self.emit(crate::cmp(Size::X, TMP1, TMP0));
        let overflow = self.overflow;
        self.jump_if(Test::Flags(Cond::Lo), overflow)?;
        // The slot stack.
        self.emit_access(crate::ldr(
            MemSize::X,
            TMP0,
            Self::ctx_field(VmContext::SLOTS_END),
        ));
        self.add_const(TMP1, SLOTS, u64::from(self.func.frame_slots) * 8, TMP1);
        self.emit(crate::cmp(Size::X, TMP1, TMP0));
        self.jump_if(Test::Flags(Cond::Hi), overflow)?;
        self.reload_memory();
        Ok(())
    }

    /// Reloads memory 0's base and length (after calls and helpers), if
    /// the function accesses memory.
    fn reload_memory(&mut self) {
        if !self.uses_memory {
            return;
        }
        self.emit_access(crate::ldr(
            MemSize::X,
            MEM_BASE,
            Self::ctx_field(VmContext::MEM_BASE),
        ));
        self.emit_access(crate::ldr(
            MemSize::X,
            MEM_LEN,
            Self::ctx_field(VmContext::MEM_LEN),
        ));
    }

    /// Restores the callee-saved registers and returns (status in `w0`).
    fn epilogue(&mut self) {
        self.save_registers(true);
        let frame = self.frame_bytes();
        self.emit_access(crate::ldp(Size::X, FP, LR, Addr::post_index(SP, frame)));
        self.emit(crate::ret());
    }

    /// Zeroes the declared locals (normal entry only).
    fn zero_locals(&mut self) {
        let (first, end) = (self.func.param_slots, self.func.local_slots);
        if end <= first {
            return;
        }
        let count = end - first;
        if count <= 16 {
            for slot in first..end {
                self.store_slot_zero(slot as Slot);
            }
            return;
        }
        // A loop of 8-byte stores from `slots + first` to `slots + end`.
        self.add_const(TMP0, SLOTS, u64::from(first) * 8, TMP1);
        self.emit_all(&crate::mov_imm32(TMP1, count));
        let top = self.asm.offset();
        self.emit_access(crate::str(MemSize::X, ZR, Addr::post_index(TMP0, 8)));
        self.emit(crate::subs_imm(
            Size::W,
            TMP1,
            TMP1,
            AddImm::new(1).expect("1 is an immediate"),
        ));
        let back = top as i64 - self.asm.offset() as i64;
        self.emit(crate::b_cond(Cond::Ne, back).expect("a short loop"));
    }

    fn store_slot_zero(&mut self, slot: Slot) {
        let addr = self.slot_addr(slot);
        self.emit_access(crate::str(MemSize::X, ZR, addr));
    }

    /// The shared tails: unwinding (`x23` = status, `w3` = IR index) and
    /// the stack-overflow return.
    fn tails(&mut self) -> Result {
        self.asm.bind(self.unwind)?;
        self.emit(crate::mov(Size::X, R0, CTX));
        self.emit(crate::mov(Size::X, R1, SLOTS));
        self.emit_all(&crate::mov_imm32(R2, self.env.func_index));
        self.call_helper(ember_core::jit::Helpers::UNWIND);
        self.emit(crate::mov(Size::W, R0, STATUS));
        self.epilogue();
        self.asm.bind(self.overflow)?;
        self.emit_all(&crate::mov_imm32(
            R0,
            status_of_trap(TrapCode::StackOverflow),
        ));
        self.epilogue();
        Ok(())
    }

    /// Calls the helper at byte offset `field` of `Helpers` (arguments
    /// already in place).
    fn call_helper(&mut self, field: usize) {
        self.emit_access(crate::ldr(
            MemSize::X,
            TMP0,
            Self::ctx_field(VmContext::HELPERS),
        ));
        self.emit_access(crate::ldr(
            MemSize::X,
            TMP0,
            Addr::offset(TMP0, field as i64),
        ));
        self.emit(crate::blr(TMP0));
    }

    /// Returns status `w0` through a stub at `pc` unless it is OK.
    fn check_status(&mut self, pc: u32) -> Result {
        let stub = self.stub(pc, StubStatus::FromW0);
        self.jump_if(
            Test::Zero {
                size: Size::W,
                reg: R0,
                nonzero: true,
            },
            stub,
        )
    }

    /// Unwinds with `Interrupted` at `pc` if the interrupt flag is set.
    fn interrupt_check(&mut self, pc: u32) -> Result {
        self.emit_access(crate::ldr(
            MemSize::X,
            TMP0,
            Self::ctx_field(VmContext::INTERRUPT),
        ));
        self.emit_access(crate::ldr(MemSize::B, TMP0, Addr::base(TMP0)));
        let stub = self.stub(pc, StubStatus::Fixed(status_of_trap(TrapCode::Interrupted)));
        self.jump_if(
            Test::Zero {
                size: Size::W,
                reg: TMP0,
                nonzero: true,
            },
            stub,
        )
    }
}
