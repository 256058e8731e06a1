//! The interpreter's side of the native tier: when functions are compiled,
//! how the interpreter enters native code (calls and loop headers), and
//! the trampolines and helpers that native code calls back into.
//!
//! Native frames live on the native stack, not in the frame list. When
//! native code unwinds (trap, fuel, error) each native frame records itself
//! through `Helpers::unwind`, which pushes it; when the native region
//! returns, its frames are moved to `VmContext::native_depth` in caller
//! order (below the interpreter frames of nested calls), so the frame
//! list afterwards looks exactly as if the interpreter had run those
//! frames: backtraces are the same in both tiers, and a call suspended for
//! fuel resumes in the interpreter.

use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, Ordering};

use super::{Frame, Outcome, push_frame, run};
use crate::engine::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::ir::Instr;
use crate::jit::{
    FuncRef, Helpers, NativeEntry, STATUS_ERROR, STATUS_OK, Tier, VmContext, status_of_trap,
    trap_of_status,
};
use crate::store::{FuncEntity, StoreInner};
use crate::trap::TrapCode;

/// How native code reaches host functions: a function monomorphized for
/// the store's data type, and the store it runs on.
#[derive(Clone, Copy)]
pub(crate) struct HostHook {
    pub store: *mut (),
    /// `call(store, func, base, caller_instance)`.
    pub call: unsafe fn(*mut (), u32, usize, u32) -> Result<()>,
}

/// When functions move to native code.
#[derive(Clone, Copy)]
pub(crate) struct JitMode {
    /// A backend is configured and the tier allows native code.
    pub enabled: bool,
    /// Compile before the first call.
    pub eager: bool,
    pub call_threshold: u32,
    /// Back-edges between loop-header tier-up checks (0: never).
    pub loop_threshold: u32,
}

impl JitMode {
    pub fn of(config: &Config) -> Self {
        let enabled = config.jit_enabled();
        let eager = enabled && config.tier == Tier::Jit;
        JitMode {
            enabled,
            eager,
            call_threshold: config.jit_call_threshold,
            loop_threshold: if enabled && !eager {
                config.jit_loop_threshold
            } else {
                0
            },
        }
    }
}

static HELPERS: Helpers = Helpers {
    exec: helper_exec,
    call_indirect: helper_call_indirect,
    unwind: helper_unwind,
};

/// A fresh context for a store whose interrupt flag is `interrupt`.
pub(crate) fn new_context(interrupt: &Arc<AtomicBool>) -> VmContext {
    VmContext {
        mem_base: core::ptr::NonNull::dangling().as_ptr(),
        mem_len: 0,
        fuel: 0,
        stack_limit: 0,
        interrupt: Arc::as_ptr(interrupt).cast(),
        func_refs: core::ptr::null(),
        globals: core::ptr::null(),
        slots_end: core::ptr::null_mut(),
        helpers: &HELPERS,
        store: core::ptr::null_mut(),
        instance: u32::MAX,
        native_depth: 0,
        native_unwound: 0,
        table0: core::ptr::null(),
        table0_len: 0,
        type_ids: core::ptr::null(),
        func_code: core::ptr::null(),
    }
}

/// Points the context at `instance`: its function table, globals and
/// memory 0.
pub(crate) fn load_instance(inner: &mut StoreInner, instance: u32) {
    let entity = &inner.instances[instance as usize];
    let ctx = &mut *inner.ctx;
    ctx.instance = instance;
    ctx.func_refs = entity.func_refs.as_ptr();
    ctx.globals = entity.global_ptrs.as_ptr();
    ctx.type_ids = entity.module.inner.type_ids.as_ptr();
    ctx.func_code = inner.func_code.as_ptr();
    match entity.tables.first() {
        Some(&t) => {
            let elements = &inner.tables[t as usize].elements;
            ctx.table0 = elements.as_ptr();
            ctx.table0_len = elements.len();
        }
        None => {
            ctx.table0 = core::ptr::null();
            ctx.table0_len = 0;
        }
    }
    match entity.memories.first() {
        Some(&m) => {
            let memory = &inner.memories[m as usize];
            ctx.mem_base = memory.base;
            ctx.mem_len = memory.len as u64;
        }
        None => {
            ctx.mem_base = core::ptr::NonNull::dangling().as_ptr();
            ctx.mem_len = 0;
        }
    }
}

/// Sets up the tier state of a just-translated function: compiles it now
/// in eager mode, else starts its call counter.
pub(crate) fn on_translated(inner: &mut StoreInner, store_func: u32) {
    let mode = inner.jit;
    if !mode.enabled {
        return;
    }
    if mode.eager {
        tier_up(inner, store_func);
    } else {
        inner.func_code[store_func as usize].hot = mode.call_threshold;
        inner.func_code[store_func as usize].sync_ops();
    }
}

/// Counts an interpreted call of `store_func` and compiles it when it
/// becomes hot.
#[inline]
pub(crate) fn count_call(inner: &mut StoreInner, store_func: u32) {
    let code = &mut inner.func_code[store_func as usize];
    if code.hot != 0 && code.native.is_none() {
        code.hot -= 1;
        if code.hot == 0 {
            tier_up(inner, store_func);
        }
    }
}

/// Compiles Wasm function `store_func` (if its module has not already)
/// and routes its calls to native code. `None` if it stays interpreted.
pub(crate) fn tier_up(inner: &mut StoreInner, store_func: u32) -> Option<NativeEntry> {
    inner.func_code[store_func as usize].hot = 0;
    inner.func_code[store_func as usize].sync_ops();
    let FuncEntity::Wasm {
        instance, index, ..
    } = inner.funcs[store_func as usize]
    else {
        return None;
    };
    let module = inner.instances[instance as usize].module.inner.clone();
    let entry = module.native_code(index)?.entry();
    inner.func_code[store_func as usize].native = Some(entry);
    inner.func_code[store_func as usize].sync_ops();
    inner.instances[instance as usize].func_refs[index as usize] =
        FuncRef::compiled(entry, store_func);
    Some(entry)
}

/// Runs native code `entry` over the frame at slot `base` of instance
/// `instance`, with `extra` as its third argument; returns its status.
/// Frames it unwinds are inserted at the current top of the frame list.
///
/// # Safety
/// `inner` must be valid for the whole call and not otherwise used while
/// native code runs; `entry` must be native code of a function of
/// `instance`'s module whose frame (or loop header, for OSR) matches.
pub(crate) unsafe fn enter_native(
    inner: *mut StoreInner,
    entry: NativeEntry,
    base: usize,
    extra: usize,
    instance: u32,
) -> u32 {
    // SAFETY: the caller passes a valid store.
    let store = unsafe { &mut *inner };
    let saved_instance = store.ctx.instance;
    let saved_depth = store.ctx.native_depth;
    let saved_unwound = store.ctx.native_unwound;
    if store.native_nesting == 0 {
        let here = &saved_depth as *const usize as usize;
        let config = &store.engine.inner.config;
        store.ctx.stack_limit = config
            .platform
            .native_stack_limit()
            .unwrap_or_else(|| here.saturating_sub(config.max_native_stack));
    }
    store.native_nesting += 1;
    load_instance(store, instance);
    let stack_slots = store.stack.slots();
    let ctx: *mut VmContext = &mut *store.ctx;
    // SAFETY: the value stack is allocated (a frame is being entered) and
    // `len()` slots long.
    let slots_end = unsafe { stack_slots.add(store.stack.len()) };
    store.ctx.slots_end = slots_end;
    let depth = store.stack.frames.len();
    store.ctx.native_depth = depth;
    store.ctx.native_unwound = 0;
    store.ctx.store = inner;
    // SAFETY: `entry` follows the native calling convention (the backend
    // contract); `ctx` is the store's context, boxed and alive; the slot
    // pointer is inside the value stack (native code checks the frame end
    // against `slots_end` itself).
    let status = unsafe { entry(ctx, stack_slots.add(base), extra) };
    // SAFETY: native code has returned; the store is ours again.
    let store = unsafe { &mut *inner };
    store.native_nesting -= 1;
    if store.native_nesting == 0 {
        store.ctx.stack_limit = 0;
    }
    order_unwound_frames(store, depth);
    store.ctx.native_depth = saved_depth;
    store.ctx.native_unwound = saved_unwound;
    if saved_instance != u32::MAX {
        load_instance(store, saved_instance);
    }
    status
}

/// The outcome a non-OK status from native code stands for.
pub(crate) fn outcome_of_status(inner: &mut StoreInner, status: u32) -> Outcome {
    if status == STATUS_ERROR {
        return Outcome::Error(inner.pending_error.take().unwrap_or_else(|| {
            Error::new(ErrorKind::Internal, "native code failed without an error")
        }));
    }
    match trap_of_status(status) {
        Some(TrapCode::OutOfFuel) => Outcome::OutOfFuel,
        Some(TrapCode::Interrupted) => {
            inner.interrupt.store(false, Ordering::Relaxed);
            Outcome::Trap(TrapCode::Interrupted)
        }
        Some(code) => Outcome::Trap(code),
        None => Outcome::Error(Error::new(
            ErrorKind::Internal,
            "native code returned an unknown status",
        )),
    }
}

/// The status for an outcome that stops a nested interpreter run.
fn status_of_outcome(inner: &mut StoreInner, outcome: Outcome) -> u32 {
    match outcome {
        Outcome::Returned => STATUS_OK,
        Outcome::Trap(code) => status_of_trap(code),
        Outcome::OutOfFuel => status_of_trap(TrapCode::OutOfFuel),
        Outcome::Error(e) => {
            inner.pending_error = Some(e);
            STATUS_ERROR
        }
        Outcome::HostCall { .. } => {
            inner.pending_error = Some(Error::new(
                ErrorKind::Internal,
                "host call outside a Wasm call",
            ));
            STATUS_ERROR
        }
    }
}

/// Calls host function `func` with its arguments at slot `base` on behalf
/// of code of `caller_instance`.
fn call_host(inner: &mut StoreInner, func: u32, base: usize, caller_instance: u32) -> u32 {
    let Some(hook) = inner.host_hook else {
        inner.pending_error = Some(Error::new(
            ErrorKind::Internal,
            "no host context for a host call from native code",
        ));
        return STATUS_ERROR;
    };
    let platform = inner.engine.inner.config.platform.clone();
    let mut result = None;
    // A panic in the host function must not unwind through native frames:
    // catch it here and continue it once they are gone (`func.rs`).
    let caught = platform.catch_unwind(&mut || {
        // SAFETY: `host_hook` is set by the embedding layer for the store
        // that is running this code, and stays valid for the whole call.
        result = Some(unsafe { (hook.call)(hook.store, func, base, caller_instance) });
    });
    match (caught, result) {
        (Ok(()), Some(Ok(()))) => STATUS_OK,
        (Ok(()), Some(Err(e))) => {
            inner.pending_error = Some(e);
            STATUS_ERROR
        }
        (Err(payload), _) => {
            inner.pending_panic = Some(payload);
            inner.pending_error = Some(Error::new(ErrorKind::Host, "a host function panicked"));
            STATUS_ERROR
        }
        (Ok(()), None) => {
            inner.pending_error = Some(Error::new(ErrorKind::Internal, "host call did not run"));
            STATUS_ERROR
        }
    }
}

/// Runs the interpreted frames above `depth`, serving host calls, and
/// returns the status native code expects.
fn run_nested(inner: *mut StoreInner, depth: usize) -> u32 {
    loop {
        // SAFETY: `inner` is the running store; nothing else uses it now.
        let store = unsafe { &mut *inner };
        match run(store, depth) {
            Outcome::HostCall { func, base } => {
                let caller = store.stack.frames.last().map_or(u32::MAX, |f| f.instance);
                let status = call_host(store, func, base, caller);
                if status != STATUS_OK {
                    return status;
                }
            }
            outcome => return status_of_outcome(store, outcome),
        }
    }
}

/// Calls function `store_func` from native code with its frame at `slots`.
///
/// # Safety
/// `ctx` must be a store's context while native code of that store runs.
unsafe fn call_from_native(ctx: *mut VmContext, slots: *mut u64, store_func: u32) -> u32 {
    // SAFETY: the caller's contract.
    let inner = unsafe { (*ctx).store };
    // SAFETY: `store` points to the running store, which native code does
    // not touch while a helper runs.
    let store = unsafe { &mut *inner };
    let caller_instance = store.ctx.instance;
    // SAFETY: native code passes frame pointers inside the value stack.
    let base = unsafe { slots.offset_from(store.stack.slots()) } as usize;
    let status = call_in_store(inner, store_func, base, caller_instance);
    // SAFETY: as above; the callee has finished.
    let store = unsafe { &mut *inner };
    if store.interruptible && store.interrupt.load(Ordering::Relaxed) && status == STATUS_OK {
        return status_of_trap(TrapCode::Interrupted);
    }
    load_instance(store, caller_instance);
    status
}

fn call_in_store(inner: *mut StoreInner, store_func: u32, base: usize, caller: u32) -> u32 {
    // SAFETY: `inner` is the running store.
    let store = unsafe { &mut *inner };
    if let FuncEntity::Host { .. } = store.funcs[store_func as usize] {
        return call_host(store, store_func, base, caller);
    }
    if store.func_code[store_func as usize].func.is_null()
        && let Err(outcome) = super::resolve(store, store_func, base)
    {
        return status_of_outcome(store, outcome);
    }
    count_call(store, store_func);
    let code = store.func_code[store_func as usize];
    if let Some(entry) = code.native {
        // SAFETY: `entry` is the native code of `store_func`, whose frame
        // starts at `base`.
        return unsafe { enter_native(inner, entry, base, store_func as usize, code.instance) };
    }
    let depth = store.stack.frames.len();
    if let Err(outcome) = push_frame(store, code.func, store_func, code.instance, base) {
        return status_of_outcome(store, outcome);
    }
    run_nested(inner, depth)
}

/// The `FuncRef` code of functions without native code: calls them in the
/// interpreter (or the host).
///
/// # Safety
/// Called only by native code, with a store's running context.
pub(crate) unsafe extern "C" fn interp_trampoline(
    ctx: *mut VmContext,
    slots: *mut u64,
    store_func: usize,
) -> u32 {
    // SAFETY: the caller's contract.
    unsafe { call_from_native(ctx, slots, store_func as u32) }
}

unsafe extern "C" fn helper_call_indirect(
    ctx: *mut VmContext,
    slots: *mut u64,
    table: u32,
    type_index: u32,
    index: u32,
) -> u32 {
    // Fast path: table 0, a set entry of the right type, compiled code of
    // the running instance: a direct native call, through the caches that
    // `load_instance` keeps in the context.
    {
        // SAFETY: called by native code with its store's running context.
        let c = unsafe { &*ctx };
        if table == 0 && (index as usize) < c.table0_len {
            // SAFETY: `index < table0_len`, the length of the elements that
            // `table0` points to; both were refreshed by `load_instance`
            // after anything that could change the table.
            let raw = unsafe { *c.table0.add(index as usize) };
            if raw == 0 {
                return status_of_trap(TrapCode::UninitializedElement);
            }
            // SAFETY: table entries hold store function indices + 1, which
            // index the store's function list that `func_code` caches;
            // `type_index` is a valid type index (validation), and
            // `type_ids` is the running module's list.
            let (code, expected) = unsafe {
                (
                    *c.func_code.add(raw as usize - 1),
                    *c.type_ids.add(type_index as usize),
                )
            };
            if code.type_id != expected {
                return status_of_trap(TrapCode::BadSignature);
            }
            if let Some(entry) = code.native
                && code.instance == c.instance
            {
                // SAFETY: the native code of a function of the running
                // instance, whose frame starts at `slots`; `ctx` is set up
                // for that instance.
                return unsafe { entry(ctx, slots, raw as usize - 1) };
            }
        }
    }
    // SAFETY: called by native code with its store's running context.
    let store = unsafe { &mut *(*ctx).store };
    let instance = &store.instances[store.ctx.instance as usize];
    let table = &store.tables[instance.tables[table as usize] as usize];
    let Some(&raw) = table.elements.get(index as usize) else {
        return status_of_trap(TrapCode::UndefinedElement);
    };
    if raw == 0 {
        return status_of_trap(TrapCode::UninitializedElement);
    }
    let store_func = (raw - 1) as u32;
    let expected = instance.module.inner.type_ids[type_index as usize];
    if store.funcs[store_func as usize].type_id() != expected {
        return status_of_trap(TrapCode::BadSignature);
    }
    // Fast path: a compiled function of the running instance runs in the
    // same native region and context, like a direct call.
    let code = store.func_code[store_func as usize];
    if let Some(entry) = code.native
        && code.instance == store.ctx.instance
    {
        // SAFETY: `entry` is the native code of `store_func`, an instance
        // function whose frame starts at `slots`; `ctx` is already set up
        // for that instance.
        return unsafe { entry(ctx, slots, store_func as usize) };
    }
    // SAFETY: as above.
    unsafe { call_from_native(ctx, slots, store_func) }
}

/// Puts the frames a native region unwound in caller order. The region's
/// part of the frame list, from `depth`, holds the interpreter frames that
/// nested calls left (in order), then the region's own native frames,
/// innermost first as `helper_unwind` pushed them. They become: native
/// frames outermost first, then the nested ones. Linear in the frames
/// moved; inserting each frame at `depth` as it unwound was quadratic in
/// the recursion depth.
fn order_unwound_frames(store: &mut StoreInner, depth: usize) {
    let unwound = store.ctx.native_unwound;
    if unwound == 0 {
        return;
    }
    let frames = &mut store.stack.frames;
    let start = depth.min(frames.len() - unwound);
    let region = &mut frames[start..];
    let nested = region.len() - unwound;
    region[nested..].reverse();
    region.rotate_right(unwound);
}

unsafe extern "C" fn helper_unwind(ctx: *mut VmContext, slots: *mut u64, func_index: u32, pc: u32) {
    // SAFETY: called by native code with its store's running context.
    let store = unsafe { &mut *(*ctx).store };
    let instance = store.ctx.instance;
    let store_func = store.instances[instance as usize].funcs[func_index as usize];
    let func = store.func_code[store_func as usize].func;
    // SAFETY: native code passes its frame pointer, inside the value stack;
    // a compiled function was translated first, so `func` is its IR, and
    // `pc` is an index into its code.
    let (base, ip) = unsafe {
        (
            slots.offset_from(store.stack.slots()) as usize,
            (*func).ops.as_ptr().add(pc as usize),
        )
    };
    store.stack.frames.push(Frame {
        func,
        store_func,
        instance,
        base,
        ip,
    });
    store.ctx.native_unwound += 1;
}

unsafe extern "C" fn helper_exec(
    ctx: *mut VmContext,
    slots: *mut u64,
    func_index: u32,
    pc: u32,
) -> u32 {
    // SAFETY: called by native code with its store's running context.
    let inner = unsafe { (*ctx).store };
    // SAFETY: as above.
    let store = unsafe { &mut *inner };
    let instance = store.ctx.instance;
    let store_func = store.instances[instance as usize].funcs[func_index as usize];
    let func = store.func_code[store_func as usize].func;
    // SAFETY: as in `helper_unwind`.
    let (base, instr) = unsafe {
        (
            slots.offset_from(store.stack.slots()) as usize,
            (*func).code[pc as usize],
        )
    };
    // SIMD instructions touch only the frame and memory 0: run them right
    // here, without a nested interpreter run.
    if let Instr::Simd { op } = instr {
        // `Regs` finds the function's constants through its frame record.
        let mut frame = Frame {
            func,
            store_func,
            instance,
            base,
            ip: core::ptr::null(),
        };
        let mut regs = super::Regs {
            ip: core::ptr::null(),
            base,
            sp: slots,
            instance,
            funcs: core::ptr::null(),
            globals: core::ptr::null(),
            mem_base: store.ctx.mem_base,
            mem_len: store.ctx.mem_len as usize,
            memory: core::ptr::null(),
            table0: core::ptr::null(),
            type_ids: core::ptr::null(),
            frame: &mut frame,
            depth: 0,
            num_imports: 0,
            first_defined: 0,
            defined_code: core::ptr::null(),
        };
        return match super::simd::execute(&mut regs, op) {
            Ok(()) => STATUS_OK,
            Err(code) => status_of_trap(code),
        };
    }
    // Anything else runs as a one-instruction function over the same
    // frame: `instr` followed by a return.
    let scratch = [super::Op::new(instr), super::Op::new(Instr::Return {})];
    let depth = store.stack.frames.len();
    store.stack.frames.push(Frame {
        func,
        store_func,
        instance,
        base,
        ip: scratch.as_ptr(),
    });
    let outcome = run(store, depth);
    store.stack.frames.truncate(depth);
    let status = status_of_outcome(store, outcome);
    load_instance(store, instance);
    status
}

/// What a loop-header tier-up check decided.
pub(crate) enum Osr {
    /// Keep interpreting.
    Declined,
    /// Native code finished the frame; continue with the new top frame.
    Continue,
    /// Stop running with this outcome.
    Stop(Outcome),
}

/// At a loop back-edge of the top frame, about to continue at `target`:
/// compiles the function if needed and moves the frame to native code at
/// that loop header.
#[cold]
#[inline(never)]
pub(crate) fn osr(inner: &mut StoreInner, entry_depth: usize, target: *const super::Op) -> Osr {
    let frame = *inner.stack.frames.last().expect("a frame is running");
    let code = inner.func_code[frame.store_func as usize];
    if code.native.is_none() && (code.hot == 0 || tier_up(inner, frame.store_func).is_none()) {
        return Osr::Declined;
    }
    let FuncEntity::Wasm { index, .. } = inner.funcs[frame.store_func as usize] else {
        return Osr::Declined;
    };
    let module = inner.instances[frame.instance as usize]
        .module
        .inner
        .clone();
    let Some(native) = module.native_code(index) else {
        return Osr::Declined;
    };
    // SAFETY: `target` is an instruction of the frame's function.
    let pc = unsafe { target.offset_from((*frame.func).ops.as_ptr()) } as u32;
    let Some(header) = native.loop_header(pc) else {
        return Osr::Declined;
    };
    inner.stack.frames.pop();
    let ptr: *mut StoreInner = inner;
    // SAFETY: the OSR entry of the frame's own function, entered at one of
    // its loop headers with the frame's slots holding every value.
    let status =
        unsafe { enter_native(ptr, native.osr_entry(), frame.base, header, frame.instance) };
    if status != STATUS_OK {
        return Osr::Stop(outcome_of_status(inner, status));
    }
    if inner.stack.frames.len() == entry_depth {
        Osr::Stop(Outcome::Returned)
    } else {
        Osr::Continue
    }
}
