//! The interpreter: runs register IR over the frames of a store's value
//! stack. Wasm-to-Wasm calls never recurse on the native stack; host calls,
//! fuel exhaustion and traps return to the embedding layer with the frames
//! intact, so a call can be resumed or unwound there.

mod native;
mod simd;
mod stack;
mod threaded;

use core::sync::atomic::Ordering;

pub(crate) use native::{HostHook, JitMode, interp_trampoline, new_context};
pub(crate) use stack::{Frame, Stack};
pub(crate) use threaded::{Op, build as build_ops, run};

use crate::error::Error;
use crate::ir::Slot;
use crate::store::{FuncEntity, MemoryEntity, StoreInner, TableEntity};
use crate::trap::TrapCode;

/// Why [`run`] stopped.
pub(crate) enum Outcome {
    /// The entry frame returned; its results are at its base.
    Returned,
    /// A trap; the frames are still on the stack for the backtrace.
    Trap(TrapCode),
    /// The top frame called host function `func` whose arguments are at
    /// slot `base` (results go there too); resume with [`run`] afterwards.
    HostCall { func: u32, base: usize },
    /// Not enough fuel for the next step; resume with [`run`] after adding.
    OutOfFuel,
    /// Translating a callee failed.
    Error(Error),
}

/// How [`enter`] started a function.
pub(crate) enum Entered {
    /// Its frame is on top of the stack; [`run`] runs it.
    Frame,
    /// It ran to completion in native code; the results are at its base.
    Returned,
}

/// Starts function `store_func` with its arguments already at slot `base`:
/// pushes its frame (Wasm), runs it natively if it is compiled, or reports
/// the host call.
pub(crate) fn enter(
    inner: &mut StoreInner,
    store_func: u32,
    base: usize,
) -> Result<Entered, Outcome> {
    if inner.func_code[store_func as usize].func.is_null() {
        resolve(inner, store_func, base)?;
    }
    native::count_call(inner, store_func);
    let code = inner.func_code[store_func as usize];
    if let Some(entry) = code.native {
        let ptr: *mut StoreInner = inner;
        // SAFETY: `entry` is the native code of `store_func`, whose
        // arguments are at `base`; the store is not used until it returns.
        let status =
            unsafe { native::enter_native(ptr, entry, base, store_func as usize, code.instance) };
        if status != crate::jit::STATUS_OK {
            return Err(native::outcome_of_status(inner, status));
        }
        return Ok(Entered::Returned);
    }
    push_frame(inner, code.func, store_func, code.instance, base)?;
    Ok(Entered::Frame)
}

/// Slow path of a call: translates a Wasm function on its first call (and
/// caches its IR), or reports a host call.
#[cold]
fn resolve(
    inner: &mut StoreInner,
    store_func: u32,
    base: usize,
) -> Result<*const crate::ir::Func, Outcome> {
    match &inner.funcs[store_func as usize] {
        FuncEntity::Host { ty, .. } => {
            let width =
                crate::func::slot_width(ty.params()).max(crate::func::slot_width(ty.results()));
            if base + width > inner.stack.len() {
                return Err(Outcome::Trap(TrapCode::StackOverflow));
            }
            Err(Outcome::HostCall {
                func: store_func,
                base,
            })
        }
        &FuncEntity::Wasm {
            instance, index, ..
        } => {
            let module = &inner.instances[instance as usize].module.inner;
            // The module owns the `Arc`, and the instance keeps the module
            // alive for the store's lifetime, so the pointer stays valid.
            let func = match module.compiled_ref(index) {
                Ok(func) => alloc::sync::Arc::as_ptr(func),
                Err(e) => return Err(Outcome::Error(e)),
            };
            inner.func_code[store_func as usize].func = func;
            inner.func_code[store_func as usize].sync_ops();
            native::on_translated(inner, store_func);
            Ok(func)
        }
    }
}

/// Pushes the frame of Wasm function `store_func` (whose IR is `func`) at
/// slot `base`, after checking the depth and stack limits.
#[inline(always)]
fn push_frame(
    inner: &mut StoreInner,
    func: *const crate::ir::Func,
    store_func: u32,
    instance: u32,
    base: usize,
) -> Result<(), Outcome> {
    // SAFETY: `func` comes from `func_code`, which only holds pointers to IR
    // that the store keeps alive (see `resolve`); IR is never mutated.
    let ir = unsafe { &*func };
    if inner.stack.frames.len() >= inner.stack.max_depth
        || base + ir.frame_slots as usize > inner.stack.len()
    {
        return Err(Outcome::Trap(TrapCode::StackOverflow));
    }
    for slot in base + ir.param_slots as usize..base + ir.local_slots as usize {
        // SAFETY: `base + frame_slots <= stack.len()` was checked above and
        // `local_slots <= frame_slots`.
        unsafe { *inner.stack.slots().add(slot) = 0 };
    }
    inner.stack.frames.push(Frame {
        func,
        store_func,
        instance,
        base,
        ip: ir.ops.as_ptr(),
    });
    Ok(())
}

/// Cached view of the running frame and its instance.
struct Regs {
    /// The next instruction to run.
    ip: *const Op,
    /// Index of the frame's slot 0 in the value stack.
    base: usize,
    sp: *mut u64,
    instance: u32,
    /// The instance's function index space (store indices).
    funcs: *const u32,
    /// The instance's globals: a pointer to each one's value (the low 64
    /// bits of its cell; see `InstanceEntity::global_ptrs`).
    globals: *const *mut u64,
    mem_base: *mut u8,
    mem_len: usize,
    /// The instance's memory 0, if any.
    memory: *const MemoryEntity,
    /// The instance's table 0 (null if it has none) and its module's
    /// interned types, for `call_indirect`.
    table0: *const TableEntity,
    type_ids: *const u32,
    /// The running frame's record in the frame list and its index there:
    /// a return reads its caller's record without going through the list,
    /// and SIMD constants are read through its function. Set wherever the
    /// running frame changes; refreshed after anything that may have
    /// grown (moved) the list. (A SIMD instruction that native code hands
    /// to `simd::execute` comes with a record of its own.)
    frame: *mut Frame,
    depth: usize,
    /// The instance's defined functions are the store's functions
    /// `first_defined..` in order (instantiation adds them in one run),
    /// after its `num_imports` imports: a direct call to one of them finds
    /// its `CodeRef` at `defined_code` without going through `funcs`.
    num_imports: u32,
    first_defined: u32,
    defined_code: *const crate::store::CodeRef,
}

impl Regs {
    #[inline(always)]
    fn get(&self, slot: Slot) -> u64 {
        // SAFETY: `push_frame` checked that the whole frame (`frame_slots`
        // slots from `sp`) lies inside the value stack, and the translator
        // only emits slot operands below `frame_slots`.
        unsafe { *self.sp.add(slot as usize) }
    }

    #[inline(always)]
    fn set(&mut self, slot: Slot, value: u64) {
        // SAFETY: as in `get`.
        unsafe { *self.sp.add(slot as usize) = value }
    }

    /// Checks that `len` bytes at `addr + offset` are inside memory 0 and
    /// returns their address (for the SIMD handlers; the main loop keeps
    /// its own copy of the memory bounds).
    #[inline(always)]
    fn mem_at(&self, addr: u64, offset: u32, len: usize) -> Result<*mut u8, TrapCode> {
        let ea = (addr as u32 as u64) + offset as u64;
        if ea + len as u64 > self.mem_len as u64 {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        // SAFETY: `ea + len <= mem_len`, so the range is inside memory 0.
        Ok(unsafe { self.mem_base.add(ea as usize) })
    }

    /// The running function's 128-bit constant pool.
    #[inline(always)]
    fn consts128(&self) -> &[u128] {
        // SAFETY: `frame` is the running frame's record (see above); its
        // IR outlives the frame (see `push_frame`) and is never mutated.
        unsafe { &(*(*self.frame).func).consts128 }
    }

    /// Reloads memory 0's base and length (after calls and growth).
    #[inline(always)]
    fn reload_memory(&mut self) {
        if !self.memory.is_null() {
            // SAFETY: `memory` points into the store's memory list, which
            // does not change while `run` holds the store (it is refreshed
            // by `switch_instance` whenever `run` starts).
            let memory = unsafe { &*self.memory };
            self.mem_base = memory.base;
            self.mem_len = memory.len;
        }
    }

    /// Points the caches at instance `instance`.
    fn switch_instance(&mut self, inner: &StoreInner, instance: u32) {
        let entity = &inner.instances[instance as usize];
        self.instance = instance;
        self.funcs = entity.funcs.as_ptr();
        self.globals = entity.global_ptrs.as_ptr();
        self.table0 = match entity.tables.first() {
            Some(&t) => &inner.tables[t as usize],
            None => core::ptr::null(),
        };
        self.type_ids = entity.module.inner.type_ids.as_ptr();
        let imports = entity.module.inner.num_imported_funcs;
        self.num_imports = imports;
        self.first_defined = entity.funcs.get(imports as usize).copied().unwrap_or(0);
        debug_assert!(
            entity.funcs[imports as usize..]
                .iter()
                .enumerate()
                .all(|(i, &f)| f == self.first_defined + i as u32)
        );
        self.defined_code = inner
            .func_code
            .as_ptr()
            .wrapping_add(self.first_defined as usize);
        self.memory = match entity.memories.first() {
            Some(&m) => &inner.memories[m as usize],
            None => core::ptr::null(),
        };
        self.mem_base = core::ptr::null_mut();
        self.mem_len = 0;
        self.reload_memory();
    }

    /// Continues in the caller after an interpreted callee returned: like
    /// `resume_top`, but memory 0 of the same instance is still current.
    #[inline(always)]
    fn resume_caller(&mut self, inner: &StoreInner) {
        let depth = inner.stack.frames.len() - 1;
        // SAFETY: both callers run with a frame on the stack: the caller of
        // a returning frame, or the frame a run starts or continues with.
        self.frame = unsafe { inner.stack.frames.as_ptr().add(depth).cast_mut() };
        self.depth = depth;
        // SAFETY: as above.
        let frame = unsafe { *self.frame };
        self.resume(inner, frame);
    }

    /// Continues in the caller of the running frame, whose record the
    /// frame list (now one shorter) still holds.
    #[inline(always)]
    fn resume_below(&mut self, inner: &StoreInner) {
        // SAFETY: the caller of the running frame is in the list, right
        // below it (`Return` checked that the running frame is not the
        // run's first), and the list has not moved since `frame` was set.
        self.frame = unsafe { self.frame.sub(1) };
        self.depth -= 1;
        // SAFETY: as above.
        let frame = unsafe { *self.frame };
        self.resume(inner, frame);
    }

    #[inline(always)]
    fn resume(&mut self, inner: &StoreInner, frame: Frame) {
        // SAFETY: `frame.func` is valid while the frame is active (see
        // `push_frame`), which also checked that the frame fits the stack.
        unsafe {
            self.sp = inner.stack.slots().add(frame.base);
        }
        self.base = frame.base;
        self.ip = frame.ip;
        if frame.instance != self.instance {
            self.switch_instance(inner, frame.instance);
        }
    }

    /// Continues in the frame on top of the stack.
    #[inline(always)]
    fn resume_top(&mut self, inner: &StoreInner) {
        let instance = self.instance;
        self.resume_caller(inner);
        // Memory 0 may have changed while the frame was not running.
        if self.instance == instance {
            self.reload_memory();
        }
    }
}

fn load_frame(inner: &StoreInner) -> Regs {
    let mut regs = Regs {
        ip: core::ptr::null(),
        base: 0,
        sp: core::ptr::null_mut(),
        instance: u32::MAX,
        funcs: core::ptr::null(),
        globals: core::ptr::null(),
        mem_base: core::ptr::null_mut(),
        mem_len: 0,
        memory: core::ptr::null(),
        table0: core::ptr::null(),
        type_ids: core::ptr::null(),
        frame: core::ptr::null_mut(),
        depth: 0,
        num_imports: 0,
        first_defined: 0,
        defined_code: core::ptr::null(),
    };
    regs.resume_top(inner);
    regs
}

/// The store function and code record of the running instance's
/// function `func`.
#[inline(always)]
fn callee(inner: &StoreInner, r: &Regs, func: u32) -> (u32, crate::store::CodeRef) {
    if func >= r.num_imports {
        let defined = func - r.num_imports;
        // SAFETY: validation keeps `func` below the module's function
        // count, so `defined` indexes the instance's defined functions,
        // whose records start at `defined_code` (see `Regs`).
        (r.first_defined + defined, unsafe {
            *r.defined_code.add(defined as usize)
        })
    } else {
        // SAFETY: as above, `func` indexes the instance's function list.
        let store_func = unsafe { *r.funcs.add(func as usize) };
        (store_func, inner.func_code[store_func as usize])
    }
}

/// Performs the call at `at` from the running frame to an interpreted
/// function of the same store (`store_func`, whose record is `code`),
/// pushing its frame; `false` means the call needs [`call_slow`] (nothing
/// was changed then; `r.ip` is not yet the call).
#[inline(always)]
fn call_fast(
    inner: &mut StoreInner,
    r: &mut Regs,
    at: *const Op,
    store_func: u32,
    code: crate::store::CodeRef,
    base: Slot,
) -> bool {
    let callee_base = r.base + base as usize;
    // Interrupts are checked by the caller (see `threaded::call_tick`).
    let ip = code.ops;
    if ip.is_null() {
        return false;
    }
    let stack = &mut inner.stack;
    let depth = r.depth + 1;
    debug_assert_eq!(depth, stack.frames.len());
    // A full frame list grows in the slow path, so this one never calls.
    if depth >= stack.max_depth
        || depth == stack.frames.capacity()
        || callee_base + code.frame_slots as usize > stack.len()
    {
        return false;
    }
    let slots = stack.slots();
    let frames = stack.frames.as_mut_ptr();
    // SAFETY: a frame is running, so `depth >= 1`; `depth < capacity`, so
    // the new frame's place is allocated; `callee_base + frame_slots <=
    // stack.len()` was checked above and `local_slots <= frame_slots`, so
    // the locals to zero are inside the stack.
    debug_assert_eq!(
        r.frame.cast_const(),
        frames.wrapping_add(depth - 1).cast_const()
    );
    unsafe {
        (*r.frame).ip = at.wrapping_add(1);
        let mut local = slots.add(callee_base + code.param_slots as usize);
        let end = slots.add(callee_base + code.local_slots as usize);
        // Functions have few locals: plain stores beat a call to
        // `memset`, which LLVM would make of a non-volatile loop (and
        // which would cost every call a stack frame).
        while local < end {
            local.write_volatile(0);
            local = local.add(1);
        }
        frames.add(depth).write(Frame {
            func: code.func,
            store_func,
            instance: code.instance,
            base: callee_base,
            ip,
        });
        stack.frames.set_len(depth + 1);
    }
    r.ip = ip;
    r.base = callee_base;
    // SAFETY: the new frame's place (see above).
    r.frame = unsafe { frames.add(depth) };
    r.depth = depth;
    // SAFETY: the frame fits in the stack (checked above).
    r.sp = unsafe { slots.add(callee_base) };
    // Within an instance, memory 0 is as the caller left it: only
    // `memory.grow` (which reloads it) and the slow paths change it.
    if code.instance != r.instance {
        r.switch_instance(inner, code.instance);
    }
    true
}

/// The rare cases of a call: first call (translation), host functions,
/// interruption, and exhausted limits.
#[cold]
#[inline(never)]
fn call_slow(
    inner: &mut StoreInner,
    r: &mut Regs,
    store_func: u32,
    callee_base: usize,
) -> Option<Outcome> {
    let frame = inner.stack.frames.last_mut().unwrap();
    if inner.interruptible && inner.interrupt.load(Ordering::Relaxed) {
        inner.interrupt.store(false, Ordering::Relaxed);
        frame.ip = r.ip;
        return Some(Outcome::Trap(TrapCode::Interrupted));
    }
    // Host calls (and calls unwound from native code) resume after the
    // call instruction; traps point at it.
    frame.ip = r.ip.wrapping_add(1);
    let depth = inner.stack.frames.len();
    match enter(inner, store_func, callee_base) {
        Ok(Entered::Frame) => {
            r.resume_top(inner);
            None
        }
        Ok(Entered::Returned) => {
            r.ip = r.ip.wrapping_add(1);
            // Calls made meanwhile may have grown (moved) the frame list.
            // SAFETY: the running frame is still on top.
            r.frame = unsafe { inner.stack.frames.as_mut_ptr().add(depth - 1) };
            // Host functions called meanwhile may have added to the
            // store's lists that the instance caches point into.
            let instance = r.instance;
            r.switch_instance(inner, instance);
            None
        }
        Err(outcome) => {
            if !matches!(outcome, Outcome::HostCall { .. } | Outcome::OutOfFuel) {
                inner.stack.frames[depth - 1].ip = r.ip;
            }
            Some(outcome)
        }
    }
}
