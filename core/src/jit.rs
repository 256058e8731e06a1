//! The native-code tier: the contract between the core and the JIT
//! backends (`ember-jit-x64`, `ember-jit-aarch64`), and the tier-up
//! machinery that decides when a function runs native code.
//!
//! # Calling convention
//!
//! A compiled function is entered with the platform's C calling convention
//! (System V on x86-64, AAPCS64 on AArch64):
//!
//! ```text
//! entry(ctx: *mut VmContext, slots: *mut u64, extra: usize) -> u32
//! ```
//!
//! - `slots` is the function's frame: slot 0 of the same layout the
//!   interpreter uses (parameters first; results are written from slot 0 on
//!   return). The slots in memory are the truth at every call, helper call,
//!   trap and loop header; code may keep values in registers in between.
//! - At the normal entry `extra` is the callee's store function index
//!   (unused by compiled code; interpreter trampolines need it). At the
//!   on-stack-replacement entry (`CompiledFunc::osr_entry`) `extra` is the
//!   absolute address of a loop header of the same function
//!   (`CompiledFunc::loop_headers`): the code runs its prologue and jumps
//!   there, with every value in its slot.
//! - The result is a status: [`STATUS_OK`] when the function returned, or
//!   the reason to unwind ([`status_of_trap`], [`STATUS_ERROR`]). Before a
//!   function returns a non-OK status it calls [`Helpers::unwind`] with the
//!   IR index where the interpreter should continue it (for a trap or fuel
//!   check: that instruction; after a call: the instruction after the
//!   call), after storing every register-held value to its slot.
//!
//! # What compiled code must do
//!
//! - **Prologue**: compare the native stack pointer with
//!   `VmContext::stack_limit` and the frame end (`slots + frame_slots`)
//!   with `VmContext::slots_end`; if either fails, return
//!   `status_of_trap(TrapCode::StackOverflow)` *without* calling `unwind`
//!   (the frame never started). Then zero slots `param_slots..local_slots`
//!   (normal entry only: at an OSR entry the locals already hold values);
//!   a local that every path writes before reading it may be left as it
//!   is (the interpreter, resuming such a frame, writes it first too).
//!   With [`CompileEnv::interruptible`], check the interrupt flag at entry
//!   and on every taken backward branch (`jump <= 0`): if
//!   `*VmContext::interrupt != 0` return `TrapCode::Interrupted` (the core
//!   clears the flag).
//! - **Fuel** (`CompileEnv::fuel`): `ConsumeFuel { amount }` is: if
//!   `VmContext::fuel < amount` unwind with `TrapCode::OutOfFuel` at this
//!   instruction (fuel unchanged), else subtract. Nothing else charges
//!   fuel natively; bulk operations charge inside [`Helpers::exec`].
//! - **Memory 0**: `VmContext::mem_base` / `mem_len` describe the running
//!   instance's memory 0 (length 0 when it has none). They can change at
//!   every call and helper call: reload them after each. An access of `n`
//!   bytes at `addr as u32 as u64 + offset` traps with
//!   `MemoryOutOfBounds` unless `ea + n <= mem_len`.
//! - **Globals**: `VmContext::globals[i]` points to the value of global
//!   `i` of the running instance (little-endian, 8 bytes; 16 for `v128`),
//!   valid until the next call or helper call.
//! - **Calls** (`Call { func, base }`): store every live register value,
//!   then call `func_refs[func].code(ctx, slots + base, func_refs[func].
//!   store_func)` where `func_refs = VmContext::func_refs` (reload it after
//!   each call: the running instance is the same, but the table may be
//!   replaced). A non-OK status unwinds this frame too (continue index =
//!   the call's index + 1).
//! - **Entering compiled code another way**: code with
//!   `FuncRef::compiled == 1` or a non-null [`CODE_REF_NATIVE`] entry
//!   was compiled by the engine's one backend, for the running instance
//!   when it is reached through `func_refs`. A backend may therefore call
//!   it through an internal entry of its own (at a fixed place relative
//!   to `CompiledFunc::entry`, with its own register convention) instead
//!   of the C entry, as long as everything above still holds.
//! - **Indirect calls** go through [`Helpers::call_indirect`], which checks
//!   the table entry and signature.
//! - **Everything else** that a backend does not compile (tables, bulk
//!   memory, `memory.grow`, SIMD, ...) may be run by [`Helpers::exec`],
//!   which executes one non-control IR instruction in the interpreter over
//!   the frame's slots. Control instructions (branches, `BrTable`,
//!   `Return*`, `Call*`, `Trap`, `ConsumeFuel`) must be compiled.
//! - Values in slots: an `i32` or `f32` is stored zero-extended to 64 bits;
//!   native code writes results that way too.
//! - Code embeds no per-instance or per-store address; all of that comes
//!   through `VmContext`, so one compiled function serves every instance of
//!   its module.
//!
//! The core never names an ISA: a backend is handed in through
//! [`crate::Config::backend`], and code memory comes from
//! [`crate::Platform::map_code`].

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};

use crate::code_buffer::{CodeBuffer, VecCodeBuffer};
use crate::ir;
use crate::module::ModuleInner;
use crate::trap::TrapCode;

/// Native code finished normally.
pub const STATUS_OK: u32 = 0;
/// Native code stopped for an error kept in the store (a host function's
/// error, a failed translation); unwind.
pub const STATUS_ERROR: u32 = 0xffff_ffff;

/// The status native code returns for trap `code`.
pub const fn status_of_trap(code: TrapCode) -> u32 {
    code as u32 + 1
}

/// The trap a status stands for, if it is one.
pub fn trap_of_status(status: u32) -> Option<TrapCode> {
    TrapCode::ALL
        .get((status as usize).wrapping_sub(1))
        .copied()
}

/// A compiled function's entry: see the module docs.
pub type NativeEntry = unsafe extern "C" fn(*mut VmContext, *mut u64, usize) -> u32;

/// One entry of an instance's function table, as native code sees it.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct FuncRef {
    /// Entry point to call: the function's native code, or a trampoline
    /// into the interpreter (or a host function).
    pub code: NativeEntry,
    /// The function's index in the store, passed as `extra`.
    pub store_func: u32,
    /// 1 when `code` is the function's compiled code (the
    /// `CompiledFunc::entry` of code from the engine's backend), 0 when it
    /// is a trampoline into the interpreter or the host.
    pub compiled: u32,
}

impl FuncRef {
    /// Size in bytes (the stride of `VmContext::func_refs`).
    pub const SIZE: usize = core::mem::size_of::<FuncRef>();
    /// Byte offset of `code`.
    pub const CODE: usize = core::mem::offset_of!(FuncRef, code);
    /// Byte offset of `store_func`.
    pub const STORE_FUNC: usize = core::mem::offset_of!(FuncRef, store_func);
    /// Byte offset of `compiled` (`u32`).
    pub const COMPILED: usize = core::mem::offset_of!(FuncRef, compiled);

    /// An entry whose `code` is a trampoline.
    pub(crate) fn new(code: NativeEntry, store_func: u32) -> Self {
        FuncRef {
            code,
            store_func,
            compiled: 0,
        }
    }

    /// An entry whose `code` is the function's compiled code.
    pub(crate) fn compiled(code: NativeEntry, store_func: u32) -> Self {
        FuncRef {
            code,
            store_func,
            compiled: 1,
        }
    }
}

/// Engine functions that native code calls (C calling convention). All
/// take the context first and return a status unless noted.
#[repr(C)]
pub struct Helpers {
    /// `exec(ctx, slots, func_index, pc)`: runs instruction `pc` of the
    /// running function (module function index `func_index`) in the
    /// interpreter over the frame at `slots`. Must not be used for control
    /// instructions. The instruction's effects (memory growth, bulk fuel
    /// charges) are visible in `VmContext` afterwards.
    pub exec: unsafe extern "C" fn(*mut VmContext, *mut u64, u32, u32) -> u32,
    /// `call_indirect(ctx, callee_slots, table, type_index, index)`: calls
    /// entry `index` of table `table` of the running instance, checking
    /// that it is set and has the module's type `type_index`.
    pub call_indirect: unsafe extern "C" fn(*mut VmContext, *mut u64, u32, u32, u32) -> u32,
    /// `unwind(ctx, slots, func_index, pc)`: records the frame at `slots`
    /// of function `func_index` (running instance), to continue at IR index
    /// `pc`, as native code unwinds with a non-OK status. Returns nothing.
    pub unwind: unsafe extern "C" fn(*mut VmContext, *mut u64, u32, u32),
}

impl Helpers {
    /// Byte offset of `exec`.
    pub const EXEC: usize = core::mem::offset_of!(Helpers, exec);
    /// Byte offset of `call_indirect`.
    pub const CALL_INDIRECT: usize = core::mem::offset_of!(Helpers, call_indirect);
    /// Byte offset of `unwind`.
    pub const UNWIND: usize = core::mem::offset_of!(Helpers, unwind);
}

/// Per-store state that native code reads and writes. The first fields are
/// the ABI (their byte offsets are the associated constants); the rest is
/// the core's.
#[repr(C)]
pub struct VmContext {
    /// Base of the running instance's memory 0 (dangling when it has none).
    pub mem_base: *mut u8,
    /// Length in bytes of the running instance's memory 0.
    pub mem_len: u64,
    /// Fuel left (the store's only copy).
    pub fuel: u64,
    /// Lowest native stack address compiled code may use: prologues trap
    /// with "call stack exhausted" when the stack pointer is below it.
    pub stack_limit: usize,
    /// The store's interrupt flag (a byte; non-zero means stop).
    pub interrupt: *const u8,
    /// The running instance's function table.
    pub func_refs: *const FuncRef,
    /// Pointers to the running instance's global values.
    pub globals: *const *mut u64,
    /// One past the last slot of the value stack.
    pub slots_end: *mut u64,
    /// Engine helpers.
    pub helpers: *const Helpers,
    // ---- the core's own fields ----
    /// The store (valid while native code runs).
    pub(crate) store: *mut crate::store::StoreInner,
    /// The running instance.
    pub(crate) instance: u32,
    /// Frame-stack depth where frames unwound from the current native
    /// region belong.
    pub(crate) native_depth: usize,
    /// How many frames the current native region has unwound so far. They
    /// are pushed innermost first (cheap, however deep the recursion) and
    /// put in order when the region returns.
    pub(crate) native_unwound: usize,
    /// Caches for indirect calls, refreshed with the running instance
    /// (whenever the store's tables or function list may have changed):
    /// the elements of the instance's table 0, the module's interned type
    /// ids, and the store's function list.
    pub(crate) table0: *const u64,
    pub(crate) table0_len: usize,
    pub(crate) type_ids: *const u32,
    pub(crate) func_code: *const crate::store::CodeRef,
}

impl VmContext {
    /// Byte offset of `mem_base`.
    pub const MEM_BASE: usize = core::mem::offset_of!(VmContext, mem_base);
    /// Byte offset of `mem_len`.
    pub const MEM_LEN: usize = core::mem::offset_of!(VmContext, mem_len);
    /// Byte offset of `fuel`.
    pub const FUEL: usize = core::mem::offset_of!(VmContext, fuel);
    /// Byte offset of `stack_limit`.
    pub const STACK_LIMIT: usize = core::mem::offset_of!(VmContext, stack_limit);
    /// Byte offset of `interrupt`.
    pub const INTERRUPT: usize = core::mem::offset_of!(VmContext, interrupt);
    /// Byte offset of `func_refs`.
    pub const FUNC_REFS: usize = core::mem::offset_of!(VmContext, func_refs);
    /// Byte offset of `globals`.
    pub const GLOBALS: usize = core::mem::offset_of!(VmContext, globals);
    /// Byte offset of `slots_end`.
    pub const SLOTS_END: usize = core::mem::offset_of!(VmContext, slots_end);
    /// Byte offset of `helpers`.
    pub const HELPERS: usize = core::mem::offset_of!(VmContext, helpers);
    /// Byte offset of the running instance's index (`u32`).
    pub const INSTANCE: usize = core::mem::offset_of!(VmContext, instance);
    /// Byte offset of the pointer to the elements of the running
    /// instance's table 0 (`u64` each: 0 for null, else store function
    /// index + 1).
    pub const TABLE0: usize = core::mem::offset_of!(VmContext, table0);
    /// Byte offset of the number of elements of table 0 (`usize`).
    pub const TABLE0_LEN: usize = core::mem::offset_of!(VmContext, table0_len);
    /// Byte offset of the pointer to the running module's interned type
    /// ids (`u32`, by type index).
    pub const TYPE_IDS: usize = core::mem::offset_of!(VmContext, type_ids);
    /// Byte offset of the pointer to the store's function list (entries of
    /// [`CODE_REF_SIZE`] bytes, by store function index).
    pub const FUNC_CODE: usize = core::mem::offset_of!(VmContext, func_code);
}

/// Size of an entry of `VmContext::FUNC_CODE`'s list. With the offsets
/// below, native code can make an indirect call through table 0 itself:
/// entry `i < table0_len`, non-zero `raw`, function `raw - 1` whose type id
/// equals `type_ids[type_index]`, whose instance is the running one and
/// whose native entry is non-null is called like a direct call (`extra` =
/// `raw - 1`); anything else goes through `Helpers::call_indirect`. The
/// list and table pointers stay valid until the next call or helper call.
pub const CODE_REF_SIZE: usize = core::mem::size_of::<crate::store::CodeRef>();
/// Byte offset of the native entry in a function-list entry (null when
/// the function has no native code).
pub const CODE_REF_NATIVE: usize = core::mem::offset_of!(crate::store::CodeRef, native);
/// Byte offset of the instance index (`u32`) in a function-list entry.
pub const CODE_REF_INSTANCE: usize = core::mem::offset_of!(crate::store::CodeRef, instance);
/// Byte offset of the interned type id (`u32`) in a function-list entry.
pub const CODE_REF_TYPE_ID: usize = core::mem::offset_of!(crate::store::CodeRef, type_id);

/// What a backend knows about the function it compiles.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct CompileEnv {
    /// The function's index in its module's function index space (passed
    /// to `Helpers::exec` and `Helpers::unwind`).
    pub func_index: u32,
    /// Whether `ConsumeFuel` instructions must charge fuel.
    pub fuel: bool,
    /// Whether entry and backward branches check the interrupt flag.
    pub interruptible: bool,
}

impl CompileEnv {
    /// The environment of module function `func_index`, without fuel or
    /// interrupt checks (backend tests set the fields they need).
    pub const fn new(func_index: u32) -> Self {
        CompileEnv {
            func_index,
            fuel: false,
            interruptible: false,
        }
    }
}

/// A compiled function, as offsets into the code the backend wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompiledFunc {
    /// Offset of the normal entry.
    pub entry: u32,
    /// Offset of the on-stack-replacement entry.
    pub osr_entry: u32,
    /// `(IR index, code offset)` of every target of a backward branch,
    /// sorted by IR index: places where an interpreted frame may move to
    /// native code.
    pub loop_headers: Vec<(u32, u32)>,
    /// How many instructions ran through `Helpers::exec` instead of
    /// native code (for statistics).
    pub helper_instrs: u32,
}

/// Why a backend did not compile a function. The function keeps running
/// in the interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JitError {
    /// The function uses something this backend does not compile.
    Unsupported(&'static str),
    /// An implementation limit (code size, branch range) was exceeded.
    Limit(&'static str),
}

impl fmt::Display for JitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JitError::Unsupported(what) => write!(f, "not supported by the JIT: {what}"),
            JitError::Limit(what) => write!(f, "JIT limit: {what}"),
        }
    }
}

/// A compiler from register IR to native code for one ISA.
///
/// Contract:
/// - `compile` writes position-independent code into `buf` (which starts
///   empty) and returns the offsets of its entries; it either succeeds
///   completely or returns an error (the buffer is then discarded).
/// - The code follows the calling convention in the module docs and needs
///   no relocation (it reaches everything through `VmContext`).
/// - `compile` must not panic on any IR the translator produces.
pub trait Backend: Send + Sync {
    /// A short name for messages (`"x86-64"`).
    fn name(&self) -> &'static str;
    /// Compiles `func` (see [`CompileEnv`]) into `buf`.
    fn compile(
        &self,
        func: &ir::Func,
        env: &CompileEnv,
        buf: &mut dyn CodeBuffer,
    ) -> Result<CompiledFunc, JitError>;
}

/// Which tiers run code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Tier {
    /// Only the interpreter.
    Interp,
    /// Compile every function before its first call (functions the backend
    /// cannot compile stay interpreted).
    Jit,
    /// Start in the interpreter; compile functions after
    /// [`crate::Config::jit_call_threshold`] calls, and hot loops at their
    /// header (the default when a backend is configured).
    #[default]
    Auto,
}

/// Native code of one function, placed in executable memory.
pub(crate) struct NativeCode {
    pub memory: Box<dyn crate::platform::CodeMemory>,
    pub info: CompiledFunc,
}

impl NativeCode {
    pub fn entry(&self) -> NativeEntry {
        // SAFETY: the backend's contract makes `info.entry` the offset of
        // a function with the `NativeEntry` signature inside the mapped
        // code, which lives as long as `self`.
        unsafe { core::mem::transmute(self.memory.as_ptr().add(self.info.entry as usize)) }
    }

    pub fn osr_entry(&self) -> NativeEntry {
        // SAFETY: as in `entry`.
        unsafe { core::mem::transmute(self.memory.as_ptr().add(self.info.osr_entry as usize)) }
    }

    /// The absolute address of the loop header at IR index `pc`.
    pub fn loop_header(&self, pc: u32) -> Option<usize> {
        let i = self
            .info
            .loop_headers
            .binary_search_by_key(&pc, |&(p, _)| p)
            .ok()?;
        Some(self.memory.as_ptr() as usize + self.info.loop_headers[i].1 as usize)
    }
}

/// Counts of what the native tier did, engine-wide.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JitStats {
    /// Functions compiled to native code.
    pub compiled: u64,
    /// Functions the backend or platform declined (they stay interpreted).
    pub declined: u64,
    /// Instructions, over all compiled functions, that native code runs
    /// through the interpreter helper.
    pub helper_instrs: u64,
    /// Bytes of Wasm function bodies compiled.
    pub wasm_bytes: u64,
    /// Bytes of native code produced.
    pub code_bytes: u64,
}

#[derive(Default)]
pub(crate) struct JitCounters {
    compiled: AtomicU64,
    declined: AtomicU64,
    helper_instrs: AtomicU64,
    wasm_bytes: AtomicU64,
    code_bytes: AtomicU64,
}

impl JitCounters {
    pub fn snapshot(&self) -> JitStats {
        JitStats {
            compiled: self.compiled.load(Ordering::Relaxed),
            declined: self.declined.load(Ordering::Relaxed),
            helper_instrs: self.helper_instrs.load(Ordering::Relaxed),
            wasm_bytes: self.wasm_bytes.load(Ordering::Relaxed),
            code_bytes: self.code_bytes.load(Ordering::Relaxed),
        }
    }
}

/// Compiles defined function `func_index` of `module` with the engine's
/// backend and places it in executable memory.
pub(crate) fn compile(module: &ModuleInner, func_index: u32) -> Option<Arc<NativeCode>> {
    let engine = &module.engine.inner;
    let config = &engine.config;
    let backend = config.backend.as_ref()?;
    let ir = module.compiled_ref(func_index).ok()?;
    let env = CompileEnv {
        func_index,
        fuel: config.consume_fuel,
        interruptible: config.interruptible,
    };
    let mut buf = VecCodeBuffer::new();
    let counters = &engine.jit;
    let placed = backend.compile(ir, &env, &mut buf).ok().and_then(|info| {
        let memory = config.platform.map_code(&buf.bytes).ok()?;
        Some(NativeCode { memory, info })
    });
    match placed {
        Some(code) => {
            let body = &module.bodies[(func_index - module.num_imported_funcs) as usize];
            counters.compiled.fetch_add(1, Ordering::Relaxed);
            counters
                .helper_instrs
                .fetch_add(code.info.helper_instrs as u64, Ordering::Relaxed);
            counters
                .wasm_bytes
                .fetch_add(body.len() as u64, Ordering::Relaxed);
            counters
                .code_bytes
                .fetch_add(buf.bytes.len() as u64, Ordering::Relaxed);
            Some(Arc::new(code))
        }
        None => {
            counters.declined.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}
