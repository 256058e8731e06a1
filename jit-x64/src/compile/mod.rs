//! The single-pass compiler from Ember's register IR to x86-64: the
//! [`X64Backend`], the function frame (prologues, epilogue, unwinding
//! exits) and control flow. Instruction families live in `int`, `float`
//! and `memory`; the register cache in `cache`.

mod cache;
mod float;
mod int;
mod liveness;
mod memory;
mod pins;
mod simd;

use alloc::vec;
use alloc::vec::Vec;

use ember_core::ir::{Func, Instr, Slot};
use ember_core::jit::{
    Backend, CODE_REF_INSTANCE, CODE_REF_NATIVE, CODE_REF_SIZE, CODE_REF_TYPE_ID, CompileEnv,
    CompiledFunc, FuncRef, Helpers, JitError, VmContext, status_of_trap,
};
use ember_core::{CodeBuffer, TrapCode};

use crate::{AluOp, Assembler, Cond, Gpr, Label, Mem, Scale, Size, Xmm};
use cache::{Cache, Reg};
use int::Rhs;

/// `ctx: *mut VmContext`, pinned for the whole function.
pub(crate) const CTX: Gpr = Gpr::R15;
/// The frame: slot `i` is at `[SLOTS + 8*i]`.
pub(crate) const SLOTS: Gpr = Gpr::R14;
/// `VmContext::mem_base`, reloaded after every call and helper call.
pub(crate) const MEM_BASE: Gpr = Gpr::R13;
/// `VmContext::mem_len`, reloaded with `MEM_BASE`.
pub(crate) const MEM_LEN: Gpr = Gpr::R12;

/// Bytes from a function's C entry (`CompiledFunc::entry`, a thunk) to its
/// internal entry, which compiled code calls directly.
///
/// The internal convention: `CTX` holds the context and `SLOTS` the
/// callee's frame; `rsp` is 8 below a multiple of 16 (just called). The
/// callee keeps `CTX`, `SLOTS`, `rbx`, `rbp` and `rsp`, may change every
/// other register (`MEM_BASE` and `MEM_LEN` too: callers reload them after
/// every call anyway), and returns the status in `eax`. So a call costs the
/// caller two additions to `SLOTS` and the callee saves only the `rbx` and
/// `rbp` it pins. The thunk saves `r12`..`r15`, which the C convention
/// wants kept, and sets up `CTX` and `SLOTS` from the arguments.
pub(crate) const INTERNAL_ENTRY: usize = 48;

/// The x86-64 backend. Generated code assumes SSE4.1 (`roundss`/`roundsd`
/// for `ceil`/`floor`/`trunc`/`nearest`, several packed operations),
/// SSSE3 (`pshufb`) and POPCNT, i.e. an x86-64-v2 host.
#[derive(Debug, Clone, Copy, Default)]
pub struct X64Backend;

impl Backend for X64Backend {
    fn name(&self) -> &'static str {
        "x86-64"
    }

    fn compile(
        &self,
        func: &Func,
        env: &CompileEnv,
        buf: &mut dyn CodeBuffer,
    ) -> Result<CompiledFunc, JitError> {
        compile(func, env, buf, Options::default())
    }
}

/// Compiler switches (tests turn the register cache off to compare).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Keep slots in registers within a basic block; when off, every
    /// instruction's results are stored at once and nothing is reused.
    pub cache: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { cache: true }
    }
}

/// An out-of-line exit: store the listed registers to their slots, then
/// unwind at `pc` with `status` (`None`: the status is in `eax`).
struct Stub {
    label: Label,
    pc: u32,
    status: Option<u32>,
    stores: Vec<(Slot, Reg)>,
}

/// The way a direct call reaches a callee that is not compiled code: the
/// C entry of its `FuncRef` (whose address is in `rax`), out of line.
struct SlowCall {
    label: Label,
    done: Label,
    base: Slot,
    /// Byte offset of the callee's `FuncRef`.
    entry: i32,
}

/// Per-instruction facts found before compiling.
const IS_TARGET: u8 = 1;
const IS_LOOP_HEADER: u8 = 2;

pub(crate) struct Compiler<'a, 'b> {
    pub(crate) asm: Assembler<'b, dyn CodeBuffer + 'b>,
    func: &'a Func,
    env: &'a CompileEnv,
    options: Options,
    marks: Vec<u8>,
    labels: Vec<Option<Label>>,
    pub(crate) cache: Cache,
    /// Whether the code touches memory 0 (else `MEM_BASE`/`MEM_LEN` are
    /// never loaded).
    uses_memory: bool,
    /// Constants placed after the code (`simd::constant_pool`).
    data: Vec<(Label, [u8; 16])>,
    /// Live slots at block boundaries (`None`: all of them).
    liveness: Option<liveness::Liveness>,
    stubs: Vec<Stub>,
    slow_calls: Vec<SlowCall>,
    unwind_exit: Label,
    /// The shared stack-overflow exit.
    overflow: Label,
    /// Whether the body calls nothing (no call, no helper): then the frame
    /// need not keep `rsp` 16-byte aligned, and the unwinding exit aligns
    /// it for its own helper call.
    leaf: bool,
    helper_instrs: u32,
    loop_headers: Vec<(u32, u32)>,
    /// Index of the instruction being compiled.
    pub(crate) pc: u32,
}

/// The memory operand of slot `slot`.
pub(crate) fn slot_mem(slot: Slot) -> Mem {
    Mem::base_disp(SLOTS, i32::from(slot) * 8)
}

/// Compiles `func` into `buf`.
pub(crate) fn compile(
    func: &Func,
    env: &CompileEnv,
    buf: &mut dyn CodeBuffer,
    options: Options,
) -> Result<CompiledFunc, JitError> {
    if func.code.len() >= (i32::MAX / 2) as usize {
        return Err(JitError::Limit("function too long"));
    }
    if func.frame_slots > 0x1_0000 || func.local_slots > func.frame_slots {
        return Err(JitError::Limit("frame too large"));
    }
    if pins::helper_bound(&func.code) {
        return Err(JitError::Unsupported(
            "loops mostly made of instructions run by the interpreter helper (SIMD)",
        ));
    }
    let marks = scan(func, env)?;
    let liveness = if options.cache {
        liveness::Liveness::of(func, &marks)
    } else {
        None
    };
    let mut asm = Assembler::new(buf);
    let unwind_exit = asm.new_label();
    let overflow = asm.new_label();
    let leaf = !func.code.iter().any(|i| {
        matches!(i, Instr::Call { .. } | Instr::CallIndirect { .. }) || pins::runs_in_helper(i)
    });
    let mut c = Compiler {
        asm,
        func,
        env,
        options,
        labels: vec![None; func.code.len()],
        marks,
        cache: Cache::default(),
        data: Vec::new(),
        uses_memory: func.code.iter().any(|i| {
            matches!(
                i,
                Instr::MemorySize { .. } | Instr::V128Load { .. } | Instr::V128Store { .. }
            ) || pins::is_memory_access(i)
        }),
        liveness,
        stubs: Vec::new(),
        slow_calls: Vec::new(),
        unwind_exit,
        overflow,
        leaf,
        helper_instrs: 0,
        loop_headers: Vec::new(),
        pc: 0,
    };
    if options.cache {
        for (slot, reg) in pins::choose(func) {
            c.cache.pin(slot, reg);
        }
    }
    let entry = c.asm.offset() as u32;
    let internal = c.asm.new_label();
    c.c_entry(internal);
    while c.asm.offset() < entry as usize + INTERNAL_ENTRY {
        c.asm.int3();
    }
    if c.asm.offset() != entry as usize + INTERNAL_ENTRY {
        return Err(JitError::Limit("entry thunk too long"));
    }
    c.asm.bind(internal);
    c.prologue();
    for pc in 0..func.code.len() {
        c.pc = pc as u32;
        c.instr(func.code[pc])?;
        if !c.options.cache {
            c.flush_all();
            c.forget_all();
        }
    }
    // The translator ends every function with a control transfer; never
    // run into the stubs.
    c.asm.ud2();
    c.emit_stubs();
    c.emit_landing_pads();
    let osr_entry = c.asm.offset() as u32;
    let osr_internal = c.asm.new_label();
    c.c_entry(osr_internal);
    c.asm.bind(osr_internal);
    c.osr_prologue();
    c.emit_data();
    let helper_instrs = c.helper_instrs;
    let loop_headers = core::mem::take(&mut c.loop_headers);
    c.asm
        .finish()
        .map_err(|_| JitError::Limit("branch out of range"))?;
    Ok(CompiledFunc {
        entry,
        osr_entry,
        loop_headers,
        helper_instrs,
    })
}

/// The branch distance of a control instruction that jumps, if `instr` is
/// one.
fn jump_of(instr: &Instr) -> Option<i32> {
    match *instr {
        Instr::Br { jump } | Instr::BrIfNez { jump, .. } | Instr::BrIfEqz { jump, .. } => {
            Some(jump)
        }
        _ => int::fused_branch(instr).map(|(.., jump)| jump),
    }
}

/// Finds branch targets and loop headers, and checks that every branch
/// stays inside the function.
fn scan(func: &Func, env: &CompileEnv) -> Result<Vec<u8>, JitError> {
    let code = &func.code;
    let mut marks = vec![0u8; code.len()];
    let target_of = |pc: usize, jump: i32| -> Result<usize, JitError> {
        let target = pc as i64 + i64::from(jump);
        if target < 0 || target >= code.len() as i64 {
            return Err(JitError::Unsupported("branch outside the function"));
        }
        Ok(target as usize)
    };
    for (pc, instr) in code.iter().enumerate() {
        if let Some(jump) = jump_of(instr) {
            let target = target_of(pc, jump)?;
            marks[target] |= IS_TARGET;
            if jump <= 0 {
                marks[target] |= IS_LOOP_HEADER;
            }
        }
        if let Instr::BrTable { len, .. } = *instr {
            let last = pc as u64 + 1 + u64::from(len);
            if last >= code.len() as u64 {
                return Err(JitError::Unsupported("br_table outside the function"));
            }
            for entry in pc + 1..=last as usize {
                let Instr::Br { jump } = code[entry] else {
                    return Err(JitError::Unsupported("br_table entry is not a branch"));
                };
                if jump <= 0 && env.interruptible {
                    // The table jumps to the entry, which checks the flag.
                    marks[entry] |= IS_TARGET;
                }
            }
        }
    }
    Ok(marks)
}

impl<'a, 'b> Compiler<'a, 'b> {
    fn label_at(&mut self, pc: usize) -> Label {
        match self.labels[pc] {
            Some(label) => label,
            None => {
                let label = self.asm.new_label();
                self.labels[pc] = Some(label);
                label
            }
        }
    }

    // ---- frame ----

    /// The callee-saved registers of the internal convention that the
    /// function uses, in push order: `rbx`/`rbp` if pinned locals live
    /// there.
    fn saved(&self) -> Vec<Gpr> {
        let mut saved = Vec::new();
        for (_, reg) in self.cache.pins() {
            if let Reg::G(g @ (Gpr::Rbx | Gpr::Rbp)) = reg {
                saved.push(g);
            }
        }
        saved
    }

    /// Stack padding that keeps `rsp` 16-byte aligned at calls (none in a
    /// leaf).
    fn padding(&self) -> i32 {
        if self.saved().len().is_multiple_of(2) && !self.leaf {
            8
        } else {
            0
        }
    }

    /// Whether `rsp` is 8 below a multiple of 16 in the body.
    fn misaligned(&self) -> bool {
        self.saved().len().is_multiple_of(2) && self.leaf
    }

    /// A C entry (`ctx` in `rdi`, frame in `rsi`, `rdx` kept): saves what
    /// the C convention wants kept and the internal one does not, sets
    /// up `CTX` and `SLOTS`, and calls `internal`.
    fn c_entry(&mut self, internal: Label) {
        let kept = [CTX, SLOTS, MEM_BASE, MEM_LEN];
        for r in kept {
            self.asm.push_r(r);
        }
        self.asm.alu_ri(AluOp::Sub, Size::S64, Gpr::Rsp, 8);
        self.asm.mov_rr(Size::S64, CTX, Gpr::Rdi);
        self.asm.mov_rr(Size::S64, SLOTS, Gpr::Rsi);
        self.asm.call_label(internal);
        self.asm.alu_ri(AluOp::Add, Size::S64, Gpr::Rsp, 8);
        for r in kept.iter().rev() {
            self.asm.pop_r(*r);
        }
        self.asm.ret();
    }

    fn push_saved(&mut self) {
        for r in self.saved() {
            self.asm.push_r(r);
        }
        let pad = self.padding();
        if pad != 0 {
            self.asm.alu_ri(AluOp::Sub, Size::S64, Gpr::Rsp, pad);
        }
    }

    /// Returns from the internal entry (status in `eax`).
    fn epilogue(&mut self) {
        let pad = self.padding();
        if pad != 0 {
            self.asm.alu_ri(AluOp::Add, Size::S64, Gpr::Rsp, pad);
        }
        for r in self.saved().iter().rev() {
            self.asm.pop_r(*r);
        }
        self.asm.ret();
    }

    /// The native stack and value stack checks: jumps to `overflow`.
    fn stack_checks(&mut self, overflow: Label) {
        let ctx = |off: usize| Mem::base_disp(CTX, off as i32);
        self.asm
            .alu_rm(AluOp::Cmp, Size::S64, Gpr::Rsp, ctx(VmContext::STACK_LIMIT));
        self.asm.jcc(Cond::B, overflow);
        let frame_end = Mem::base_disp(SLOTS, self.func.frame_slots as i32 * 8);
        self.asm.lea(Size::S64, Gpr::Rax, frame_end);
        self.asm
            .alu_rm(AluOp::Cmp, Size::S64, Gpr::Rax, ctx(VmContext::SLOTS_END));
        self.asm.jcc(Cond::A, overflow);
    }

    pub(crate) fn reload_memory(&mut self) {
        if !self.uses_memory {
            return;
        }
        let ctx = |off: usize| Mem::base_disp(CTX, off as i32);
        self.asm
            .mov_rm(Size::S64, MEM_BASE, ctx(VmContext::MEM_BASE));
        self.asm.mov_rm(Size::S64, MEM_LEN, ctx(VmContext::MEM_LEN));
    }

    /// The internal on-stack-replacement entry: the checks, then a jump
    /// to the loop header address in `rdx`.
    fn osr_prologue(&mut self) {
        self.push_saved();
        // The checks and the reloads keep `rdx`, the loop header.
        self.stack_checks(self.overflow);
        self.reload_memory();
        self.asm.jmp_r(Gpr::Rdx);
    }

    fn prologue(&mut self) {
        self.push_saved();
        self.stack_checks(self.overflow);
        self.zero_locals();
        let from = self.func.param_slots;
        let pins = self.cache.pins();
        self.reload_memory();
        for (slot, reg) in pins {
            match reg {
                _ if u32::from(slot) < from => self.load_pin(slot, reg),
                Reg::G(g) => self.asm.alu_rr(AluOp::Xor, Size::S32, g, g),
                Reg::X(x) | Reg::V(x) => {
                    self.asm
                        .logic_xx(crate::LogicOp::Xor, crate::FloatSize::F64, x, x)
                }
            }
        }
        if self.env.interruptible {
            self.interrupt_check();
        }
    }

    /// Zeroes the locals that some path may read before writing them
    /// (live on entry; all of them without the liveness analysis). The
    /// others are written first on every path, in native code and in the
    /// interpreter alike, so their old contents never show. A pinned local
    /// starts as a zeroed register instead.
    fn zero_locals(&mut self) {
        let (from, to) = (self.func.param_slots, self.func.local_slots);
        let pins = self.cache.pins();
        let live = self.liveness.as_ref().map(|l| l.live_in(0));
        let slots: Vec<u32> = (from..to)
            .filter(|&s| !pins.iter().any(|&(p, _)| u32::from(p) == s))
            .filter(|&s| live.is_none_or(|l| liveness::contains(l, s as Slot)))
            .collect();
        if slots.is_empty() {
            return;
        }
        if slots.len() <= 8 {
            self.asm.alu_rr(AluOp::Xor, Size::S32, Gpr::Rax, Gpr::Rax);
            for slot in slots {
                self.asm.mov_mr(Size::S64, slot_mem(slot as Slot), Gpr::Rax);
            }
            return;
        }
        // Many locals: the whole range, 16 bytes a store (the first slot
        // alone if the count is odd).
        let mut first = from;
        self.asm.logic_xx(
            crate::LogicOp::Xor,
            crate::FloatSize::F64,
            Xmm::Xmm0,
            Xmm::Xmm0,
        );
        if (to - from) % 2 == 1 {
            self.asm
                .movs_mx(crate::FloatSize::F64, slot_mem(first as Slot), Xmm::Xmm0);
            first += 1;
        }
        self.asm.lea(Size::S64, Gpr::Rcx, slot_mem(first as Slot));
        self.asm.lea(Size::S64, Gpr::Rdx, slot_mem(to as Slot));
        let top = self.asm.bound_label();
        self.asm.movups_mx(Mem::base(Gpr::Rcx), Xmm::Xmm0);
        self.asm.alu_ri(AluOp::Add, Size::S64, Gpr::Rcx, 16);
        self.asm.alu_rr(AluOp::Cmp, Size::S64, Gpr::Rcx, Gpr::Rdx);
        self.asm.jcc(Cond::B, top);
    }

    /// With pinned locals, a loop header entered from the OSR entry first
    /// loads them: its listed offset is a pad that does, then jumps in.
    fn emit_landing_pads(&mut self) {
        if self.cache.pins().is_empty() {
            return;
        }
        for i in 0..self.loop_headers.len() {
            let pc = self.loop_headers[i].0 as usize;
            self.loop_headers[i].1 = self.asm.offset() as u32;
            self.reload_pins(false);
            let label = self.label_at(pc);
            self.asm.jmp(label);
        }
    }

    /// Exits with `Interrupted` (unwinding at `pc`) if the flag is set.
    /// Everything must already be in its slot.
    fn interrupt_check(&mut self) {
        self.asm.mov_rm(
            Size::S64,
            Gpr::Rax,
            Mem::base_disp(CTX, VmContext::INTERRUPT as i32),
        );
        self.asm
            .alu_mi(AluOp::Cmp, Size::S8, Mem::base(Gpr::Rax), 0);
        self.trap_if(Cond::Ne, TrapCode::Interrupted);
    }

    // ---- exits ----

    /// Jumps to a new exit stub if `cond` holds; the stub stores the
    /// registers dirty now and unwinds at the current instruction.
    pub(crate) fn trap_if(&mut self, cond: Cond, code: TrapCode) {
        let label = self.new_stub(self.pc, Some(status_of_trap(code)));
        self.asm.jcc(cond, label);
    }

    /// Jumps to a new exit stub unconditionally (see `trap_if`).
    pub(crate) fn trap_always(&mut self, code: TrapCode) {
        let label = self.new_stub(self.pc, Some(status_of_trap(code)));
        self.asm.jmp(label);
    }

    fn new_stub(&mut self, pc: u32, status: Option<u32>) -> Label {
        let stores = self.cache.dirty();
        self.stub_with(pc, status, stores)
    }

    fn stub_with(&mut self, pc: u32, status: Option<u32>, stores: Vec<(Slot, Reg)>) -> Label {
        let label = self.asm.new_label();
        self.stubs.push(Stub {
            label,
            pc,
            status,
            stores,
        });
        label
    }

    fn emit_stubs(&mut self) {
        for stub in core::mem::take(&mut self.stubs) {
            self.asm.bind(stub.label);
            for (slot, reg) in stub.stores {
                self.store_reg(slot, reg);
            }
            if let Some(status) = stub.status {
                self.asm.mov_ri(Size::S32, Gpr::Rax, status.into());
            }
            self.asm.mov_ri(Size::S32, Gpr::Rcx, stub.pc.into());
            self.asm.jmp(self.unwind_exit);
        }
        for slow in core::mem::take(&mut self.slow_calls) {
            self.asm.bind(slow.label);
            self.asm.mov_rr(Size::S64, Gpr::Rdi, CTX);
            self.asm.lea(Size::S64, Gpr::Rsi, slot_mem(slow.base));
            self.asm.mov_rm(
                Size::S32,
                Gpr::Rdx,
                Mem::base_disp(Gpr::Rax, slow.entry + FuncRef::STORE_FUNC as i32),
            );
            let code = Mem::base_disp(Gpr::Rax, slow.entry + FuncRef::CODE as i32);
            self.aligned(|asm| asm.call_m(code));
            self.asm.jmp(slow.done);
        }
        // eax = status, ecx = pc. The status waits on the stack while
        // `unwind` runs; pushing it also aligns a leaf's frame.
        self.asm.bind(self.unwind_exit);
        self.asm.mov_rr(Size::S64, Gpr::Rdi, CTX);
        self.asm.mov_rr(Size::S64, Gpr::Rsi, SLOTS);
        self.asm
            .mov_ri(Size::S32, Gpr::Rdx, self.env.func_index.into());
        self.asm.push_r(Gpr::Rax);
        let pad = if self.misaligned() { 0 } else { 8 };
        if pad != 0 {
            self.asm.alu_ri(AluOp::Sub, Size::S64, Gpr::Rsp, pad);
        }
        self.asm.mov_rm(
            Size::S64,
            Gpr::Rax,
            Mem::base_disp(CTX, VmContext::HELPERS as i32),
        );
        self.asm
            .call_m(Mem::base_disp(Gpr::Rax, Helpers::UNWIND as i32));
        if pad != 0 {
            self.asm.alu_ri(AluOp::Add, Size::S64, Gpr::Rsp, pad);
        }
        self.asm.pop_r(Gpr::Rax);
        self.epilogue();
        // The stack-overflow exit: the frame never started.
        self.asm.bind(self.overflow);
        self.asm.mov_ri(
            Size::S32,
            Gpr::Rax,
            status_of_trap(TrapCode::StackOverflow).into(),
        );
        self.epilogue();
    }

    /// Calls helper `offset` of `Helpers` (arguments set up), from the
    /// body.
    fn call_helper(&mut self, offset: usize) {
        self.asm.mov_rm(
            Size::S64,
            Gpr::Rax,
            Mem::base_disp(CTX, VmContext::HELPERS as i32),
        );
        self.aligned(|asm| asm.call_m(Mem::base_disp(Gpr::Rax, offset as i32)));
    }

    /// Emits a call from the body with `rsp` 16-byte aligned (in a leaf,
    /// which should not call anything, it is not).
    fn aligned(&mut self, call: impl FnOnce(&mut Assembler<'b, dyn CodeBuffer + 'b>)) {
        let misaligned = self.misaligned();
        if misaligned {
            self.asm.alu_ri(AluOp::Sub, Size::S64, Gpr::Rsp, 8);
        }
        call(&mut self.asm);
        if misaligned {
            self.asm.alu_ri(AluOp::Add, Size::S64, Gpr::Rsp, 8);
        }
    }

    /// Calls the internal entry of the compiled code whose C entry is in
    /// `rax`, with its frame at slot `base`.
    fn call_internal(&mut self, base: Slot) {
        let shift = i32::from(base) * 8;
        if shift != 0 {
            self.asm.alu_ri(AluOp::Add, Size::S64, SLOTS, shift);
        }
        self.asm
            .alu_ri(AluOp::Add, Size::S64, Gpr::Rax, INTERNAL_ENTRY as i32);
        self.aligned(|asm| asm.call_r(Gpr::Rax));
        if shift != 0 {
            self.asm.alu_ri(AluOp::Sub, Size::S64, SLOTS, shift);
        }
    }

    /// After a call that returned its status in `eax`: unwind at `pc` if
    /// it is not OK (everything is in its slot), and reload what the call
    /// may have changed (`helper`: any slot, else only the callee's frame,
    /// where no local lives).
    fn after_call(&mut self, pc: u32, helper: bool) {
        self.forget_all();
        self.asm.test_rr(Size::S32, Gpr::Rax, Gpr::Rax);
        let label = self.stub_with(pc, None, Vec::new());
        self.asm.jcc(Cond::Ne, label);
        self.reload_memory();
        self.reload_pins(!helper);
    }

    // ---- instructions ----

    fn instr(&mut self, instr: Instr) -> Result<(), JitError> {
        let pc = self.pc as usize;
        let marks = self.marks[pc];
        if marks & IS_TARGET != 0 {
            let live = self.liveness.as_ref().map(|l| l.live_in(pc).to_vec());
            self.flush_live(live.as_deref());
            self.forget_all();
            let label = self.label_at(pc);
            self.asm.bind(label);
            if marks & IS_LOOP_HEADER != 0 {
                self.loop_headers
                    .push((pc as u32, self.asm.offset() as u32));
            }
        }
        self.cache.unlock_all();
        if self.int(&instr)? || self.float(&instr)? || self.memory(&instr)? {
            return Ok(());
        }
        match instr {
            Instr::Trap { code } => {
                self.flush_all();
                self.trap_always(code);
                self.forget_all();
            }
            Instr::Br { jump } => self.branch(jump, None),
            Instr::BrIfNez { cond, jump } | Instr::BrIfEqz { cond, jump } => {
                self.compare(Size::S32, cond, Rhs::Imm(0));
                let cc = if matches!(instr, Instr::BrIfNez { .. }) {
                    Cond::Ne
                } else {
                    Cond::E
                };
                self.branch(jump, Some(cc));
            }
            Instr::BrTable { index, len } => self.br_table(index, len),
            Instr::Return {} => {
                self.flush_below(self.func.result_slots, true);
                self.asm.alu_rr(AluOp::Xor, Size::S32, Gpr::Rax, Gpr::Rax);
                self.epilogue();
                self.forget_all();
            }
            Instr::ReturnSlot { src } => {
                if src != 0 {
                    let r = self.gpr_of(src);
                    self.asm.mov_mr(Size::S64, slot_mem(0), r);
                } else {
                    self.flush_below(1, true);
                }
                self.asm.alu_rr(AluOp::Xor, Size::S32, Gpr::Rax, Gpr::Rax);
                self.epilogue();
                self.forget_all();
            }
            Instr::Call { func, base } => self.call(func, base)?,
            Instr::CallIndirect {
                base,
                index,
                table,
                type_index,
            } => {
                // Both paths start from the index's register (the flush
                // keeps it valid; the inline path changes only rax, rcx and
                // rdx before it gives up): the call target waits on it.
                let index_reg = self.gpr_of(index);
                self.flush_for_call(base);
                let done = self.asm.new_label();
                if table == 0 && type_index < (i32::MAX / 4) as u32 {
                    self.call_indirect_inline(base, index_reg, type_index, done);
                }
                self.asm.mov_rr(Size::S32, Gpr::R8, index_reg);
                self.asm.mov_rr(Size::S64, Gpr::Rdi, CTX);
                self.asm.lea(Size::S64, Gpr::Rsi, slot_mem(base));
                self.asm.mov_ri(Size::S32, Gpr::Rdx, table.into());
                self.asm.mov_ri(Size::S32, Gpr::Rcx, type_index.into());
                self.call_helper(Helpers::CALL_INDIRECT);
                self.asm.bind(done);
                self.after_call(self.pc + 1, false);
            }
            Instr::ConsumeFuel { amount } => {
                if self.env.fuel {
                    self.consume_fuel(amount);
                }
            }
            Instr::Simd { op } if self.simd(&op) => {}
            // Everything else runs in the interpreter.
            _ => self.exec_helper(),
        }
        Ok(())
    }

    fn consume_fuel(&mut self, amount: u32) {
        let fuel = Mem::base_disp(CTX, VmContext::FUEL as i32);
        match i32::try_from(amount) {
            Ok(imm) => {
                self.asm.alu_mi(AluOp::Cmp, Size::S64, fuel, imm);
                self.trap_if(Cond::B, TrapCode::OutOfFuel);
                self.asm.alu_mi(AluOp::Sub, Size::S64, fuel, imm);
            }
            Err(_) => {
                self.asm.mov_ri(Size::S32, Gpr::Rax, amount.into());
                self.asm.alu_mr(AluOp::Cmp, Size::S64, fuel, Gpr::Rax);
                self.trap_if(Cond::B, TrapCode::OutOfFuel);
                self.asm.alu_mr(AluOp::Sub, Size::S64, fuel, Gpr::Rax);
            }
        }
    }

    /// Runs the current instruction through `Helpers::exec`.
    fn exec_helper(&mut self) {
        self.helper_instrs += 1;
        self.flush_everything();
        self.asm.mov_rr(Size::S64, Gpr::Rdi, CTX);
        self.asm.mov_rr(Size::S64, Gpr::Rsi, SLOTS);
        self.asm
            .mov_ri(Size::S32, Gpr::Rdx, self.env.func_index.into());
        self.asm.mov_ri(Size::S32, Gpr::Rcx, self.pc.into());
        self.call_helper(Helpers::EXEC);
        self.after_call(self.pc, true);
    }

    /// The common case of `call_indirect` through table 0, done inline: a
    /// set entry whose function has the expected type, belongs to the
    /// running instance and has native code is called directly, then
    /// jumps to `done` with the status in eax. Anything else falls
    /// through to the helper call that follows (which also raises the
    /// traps). Everything is in its slot already; `index` holds the
    /// table index. The loads that lead to the call target form one short
    /// chain (entry, function-list address, native entry); the checks
    /// hang off it.
    fn call_indirect_inline(&mut self, base: Slot, index: Gpr, type_index: u32, done: Label) {
        let slow = self.asm.new_label();
        let ctx = |offset: usize| Mem::base_disp(CTX, offset as i32);
        self.asm.mov_rr(Size::S32, Gpr::Rax, index);
        self.asm
            .alu_rm(AluOp::Cmp, Size::S64, Gpr::Rax, ctx(VmContext::TABLE0_LEN));
        self.asm.jcc(Cond::Ae, slow);
        self.asm.mov_rm(Size::S64, Gpr::Rcx, ctx(VmContext::TABLE0));
        self.asm.mov_rm(
            Size::S64,
            Gpr::Rcx,
            Mem::base_index_disp(Gpr::Rcx, Gpr::Rax, Scale::X8, 0),
        );
        self.asm.test_rr(Size::S64, Gpr::Rcx, Gpr::Rcx);
        self.asm.jcc(Cond::E, slow);
        // rdx = &func_code[rcx - 1] + CODE_REF_SIZE (the entry's fields
        // are addressed with displacements less one entry).
        if CODE_REF_SIZE.is_power_of_two() {
            self.asm.mov_rr(Size::S64, Gpr::Rdx, Gpr::Rcx);
            self.asm.shift_ri(
                crate::ShiftOp::Shl,
                Size::S64,
                Gpr::Rdx,
                CODE_REF_SIZE.trailing_zeros() as u8,
            );
        } else {
            self.asm
                .imul_rri(Size::S64, Gpr::Rdx, Gpr::Rcx, CODE_REF_SIZE as i32);
        }
        self.asm
            .alu_rm(AluOp::Add, Size::S64, Gpr::Rdx, ctx(VmContext::FUNC_CODE));
        let field = |offset: usize| Mem::base_disp(Gpr::Rdx, offset as i32 - CODE_REF_SIZE as i32);
        self.asm
            .mov_rm(Size::S64, Gpr::Rax, ctx(VmContext::TYPE_IDS));
        self.asm.mov_rm(
            Size::S32,
            Gpr::Rax,
            Mem::base_disp(Gpr::Rax, type_index as i32 * 4),
        );
        self.asm
            .alu_rm(AluOp::Cmp, Size::S32, Gpr::Rax, field(CODE_REF_TYPE_ID));
        self.asm.jcc(Cond::Ne, slow);
        self.asm
            .mov_rm(Size::S32, Gpr::Rax, field(CODE_REF_INSTANCE));
        self.asm
            .alu_rm(AluOp::Cmp, Size::S32, Gpr::Rax, ctx(VmContext::INSTANCE));
        self.asm.jcc(Cond::Ne, slow);
        self.asm.mov_rm(Size::S64, Gpr::Rax, field(CODE_REF_NATIVE));
        self.asm.test_rr(Size::S64, Gpr::Rax, Gpr::Rax);
        self.asm.jcc(Cond::E, slow);
        self.call_internal(base);
        self.asm.jmp(done);
        self.asm.bind(slow);
    }

    fn call(&mut self, func: u32, base: Slot) -> Result<(), JitError> {
        let entry = (func as usize)
            .checked_mul(FuncRef::SIZE)
            .filter(|&e| e <= i32::MAX as usize - 16)
            .ok_or(JitError::Limit("function index"))? as i32;
        self.flush_for_call(base);
        self.asm.mov_rm(
            Size::S64,
            Gpr::Rax,
            Mem::base_disp(CTX, VmContext::FUNC_REFS as i32),
        );
        let (slow, done) = (self.asm.new_label(), self.asm.new_label());
        self.asm.alu_mi(
            AluOp::Cmp,
            Size::S32,
            Mem::base_disp(Gpr::Rax, entry + FuncRef::COMPILED as i32),
            0,
        );
        self.asm.jcc(Cond::E, slow);
        self.asm.mov_rm(
            Size::S64,
            Gpr::Rax,
            Mem::base_disp(Gpr::Rax, entry + FuncRef::CODE as i32),
        );
        self.call_internal(base);
        self.asm.bind(done);
        self.slow_calls.push(SlowCall {
            label: slow,
            done,
            base,
            entry,
        });
        self.after_call(self.pc + 1, false);
        Ok(())
    }

    /// A branch by `jump` from the current instruction, taken if `cond`
    /// holds (the flags are set) or always. Stores every dirty register
    /// first (which keeps the flags).
    fn branch(&mut self, jump: i32, cond: Option<Cond>) {
        let target = (self.pc as i64 + i64::from(jump)) as usize;
        let label = self.label_at(target);
        self.flush_block_end();
        if jump <= 0 && self.env.interruptible {
            let skip = self.asm.new_label();
            if let Some(cc) = cond {
                self.asm.jcc(cc.invert(), skip);
            }
            self.interrupt_check();
            self.asm.jmp(label);
            self.asm.bind(skip);
        } else {
            match cond {
                Some(cc) => self.asm.jcc(cc, label),
                None => self.asm.jmp(label),
            }
        }
        if cond.is_none() {
            self.forget_all();
        }
    }

    /// Stores what the successors of the current instruction, which ends
    /// a block, may read.
    fn flush_block_end(&mut self) {
        let pc = self.pc as usize;
        let live = self.liveness.as_ref().map(|l| l.live_out(pc).to_vec());
        self.flush_live(live.as_deref());
    }

    fn br_table(&mut self, index: Slot, len: u32) {
        let pc = self.pc as usize;
        let r = self.gpr_of(index);
        self.asm.mov_rr(Size::S32, Gpr::Rax, r);
        self.asm.mov_ri(Size::S32, Gpr::Rcx, len.into());
        self.asm.alu_rr(AluOp::Cmp, Size::S32, Gpr::Rax, Gpr::Rcx);
        self.asm.cmov_rr(Cond::A, Size::S32, Gpr::Rax, Gpr::Rcx);
        self.flush_block_end();
        self.forget_all();
        let table = self.asm.new_label();
        self.asm.lea_label(Gpr::Rcx, table);
        self.asm.movsx_rm(
            Size::S64,
            Size::S32,
            Gpr::Rax,
            Mem::base_index_disp(Gpr::Rcx, Gpr::Rax, Scale::X4, 0),
        );
        self.asm.alu_rr(AluOp::Add, Size::S64, Gpr::Rax, Gpr::Rcx);
        self.asm.jmp_r(Gpr::Rax);
        self.asm.align(4);
        self.asm.bind(table);
        for entry in pc + 1..=pc + 1 + len as usize {
            // `scan` checked that every entry is a `Br`.
            let Instr::Br { jump } = self.func.code[entry] else {
                continue;
            };
            let target = if jump <= 0 && self.env.interruptible {
                entry
            } else {
                (entry as i64 + i64::from(jump)) as usize
            };
            let label = self.label_at(target);
            self.asm.put_label_delta32(label, table);
        }
    }
}
