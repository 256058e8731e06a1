//! The interpreter: runs register IR over the frames of a store's value
//! stack. Wasm-to-Wasm calls never recurse on the native stack; host calls,
//! fuel exhaustion and traps return to the embedding layer with the frames
//! intact, so a call can be resumed or unwound there.

mod native;
mod simd;
mod stack;

use core::sync::atomic::{AtomicBool, Ordering};

pub(crate) use native::{HostHook, JitMode, interp_trampoline, new_context};
pub(crate) use stack::{Frame, Stack};

use crate::error::Error;
use crate::ir::{Instr, Slot};
use crate::numeric;
use crate::store::{FuncEntity, MemoryEntity, PAGE_SIZE, StoreInner};
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
        ip: ir.code.as_ptr(),
    });
    Ok(())
}

/// Cached view of the running frame and its instance.
struct Regs {
    /// The running function.
    func: *const crate::ir::Func,
    /// The next instruction to run.
    ip: *const Instr,
    /// Index of the frame's slot 0 in the value stack.
    base: usize,
    sp: *mut u64,
    instance: u32,
    /// The instance's function index space (store indices).
    funcs: *const u32,
    mem_base: *mut u8,
    mem_len: usize,
    /// The instance's memory 0, if any.
    memory: *const MemoryEntity,
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
        // SAFETY: the running function's IR outlives its frame (see
        // `push_frame`) and is never mutated.
        unsafe { &(*self.func).consts128 }
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
        self.memory = match entity.memories.first() {
            Some(&m) => &inner.memories[m as usize],
            None => core::ptr::null(),
        };
        self.mem_base = core::ptr::null_mut();
        self.mem_len = 0;
        self.reload_memory();
    }

    /// Continues in the frame on top of the stack.
    #[inline(always)]
    fn resume_top(&mut self, inner: &StoreInner) {
        let frame = *inner.stack.frames.last().expect("a frame is active");
        // SAFETY: `frame.func` is valid while the frame is active (see
        // `push_frame`), which also checked that the frame fits the stack.
        unsafe {
            self.sp = inner.stack.slots().add(frame.base);
        }
        self.func = frame.func;
        self.base = frame.base;
        self.ip = frame.ip;
        if frame.instance != self.instance {
            self.switch_instance(inner, frame.instance);
        } else {
            self.reload_memory();
        }
    }
}

fn load_frame(inner: &StoreInner) -> Regs {
    let mut regs = Regs {
        func: core::ptr::null(),
        ip: core::ptr::null(),
        base: 0,
        sp: core::ptr::null_mut(),
        instance: u32::MAX,
        funcs: core::ptr::null(),
        mem_base: core::ptr::null_mut(),
        mem_len: 0,
        memory: core::ptr::null(),
    };
    regs.resume_top(inner);
    regs
}

/// Runs the top frame until the frame at index `entry_depth` returns or
/// something needs the embedder.
pub(crate) fn run(inner: &mut StoreInner, entry_depth: usize) -> Outcome {
    let fuel_on = inner.engine.inner.config.consume_fuel;
    let mut r = load_frame(inner);
    // The hot state lives in locals (registers); `r` stays the truth for
    // everything that leaves this loop.
    let mut ip = r.ip;
    let mut sp = r.sp;
    let mut mem_base = r.mem_base;
    let mut mem_len = r.mem_len;

    macro_rules! refresh {
        () => {{
            ip = r.ip;
            sp = r.sp;
            mem_base = r.mem_base;
            mem_len = r.mem_len;
        }};
    }
    // SAFETY (for the four slot macros): `push_frame` checked that the
    // whole frame (`frame_slots` slots from `sp`) lies inside the value
    // stack, and the translator only emits slot operands below
    // `frame_slots` (a `v128` operand's second slot included).
    macro_rules! get {
        ($slot:expr) => {
            unsafe { *sp.add($slot as usize) }
        };
    }
    macro_rules! set {
        ($slot:expr, $value:expr) => {{
            let value: u64 = $value;
            unsafe { *sp.add($slot as usize) = value }
        }};
    }
    macro_rules! get128 {
        ($slot:expr) => {
            get!($slot) as u128 | (get!($slot + 1) as u128) << 64
        };
    }
    macro_rules! set128 {
        ($slot:expr, $value:expr) => {{
            let value: u128 = $value;
            set!($slot, value as u64);
            set!($slot + 1, (value >> 64) as u64);
        }};
    }
    macro_rules! mem_at {
        ($addr:expr, $offset:expr, $len:expr) => {{
            let ea = ($addr as u32 as u64) + $offset as u64;
            if ea + $len as u64 > mem_len as u64 {
                Err(TrapCode::MemoryOutOfBounds)
            } else {
                // SAFETY: `ea + len <= mem_len`: inside memory 0.
                Ok(unsafe { mem_base.add(ea as usize) })
            }
        }};
    }

    macro_rules! save_pc {
        ($ip:expr) => {
            inner.stack.frames.last_mut().unwrap().ip = $ip
        };
    }
    macro_rules! trap {
        ($code:expr) => {{
            save_pc!(ip);
            return Outcome::Trap($code);
        }};
    }
    macro_rules! tri {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(code) => trap!(code),
            }
        };
    }
    macro_rules! i32_bin {
        ($dst:ident, $a:ident, $b:expr, |$x:ident, $y:ident| $body:expr) => {{
            let $x = get!($a) as u32;
            let $y = $b;
            set!($dst, ($body) as u32 as u64);
        }};
    }
    macro_rules! i64_bin {
        ($dst:ident, $a:ident, $b:expr, |$x:ident, $y:ident| $body:expr) => {{
            let $x = get!($a);
            let $y = $b;
            set!($dst, ($body) as u64);
        }};
    }
    macro_rules! f32_bin {
        ($dst:ident, $a:ident, $b:ident, |$x:ident, $y:ident| $body:expr) => {{
            let $x = f32::from_bits(get!($a) as u32);
            let $y = f32::from_bits(get!($b) as u32);
            set!($dst, ($body).to_bits() as u64);
        }};
    }
    macro_rules! f64_bin {
        ($dst:ident, $a:ident, $b:ident, |$x:ident, $y:ident| $body:expr) => {{
            let $x = f64::from_bits(get!($a));
            let $y = f64::from_bits(get!($b));
            set!($dst, ($body).to_bits());
        }};
    }
    macro_rules! f32_cmp {
        ($dst:ident, $a:ident, $b:ident, $op:tt) => {{
            let x = f32::from_bits(get!($a) as u32);
            let y = f32::from_bits(get!($b) as u32);
            set!($dst, (x $op y) as u64);
        }};
    }
    macro_rules! f64_cmp {
        ($dst:ident, $a:ident, $b:ident, $op:tt) => {{
            let x = f64::from_bits(get!($a));
            let y = f64::from_bits(get!($b));
            set!($dst, (x $op y) as u64);
        }};
    }
    macro_rules! unary {
        ($dst:ident, $src:ident, |$x:ident| $body:expr) => {{
            let $x = get!($src);
            set!($dst, $body);
        }};
    }
    macro_rules! f32_un {
        ($dst:ident, $src:ident, $f:expr) => {{
            let x = f32::from_bits(get!($src) as u32);
            set!($dst, ($f)(x).to_bits() as u64);
        }};
    }
    macro_rules! f64_un {
        ($dst:ident, $src:ident, $f:expr) => {{
            let x = f64::from_bits(get!($src));
            set!($dst, ($f)(x).to_bits());
        }};
    }
    // Backward branches are loop back-edges: they check the interrupt flag
    // and count towards moving a hot loop to native code.
    let osr_threshold = inner.jit.loop_threshold;
    let mut osr_left = osr_threshold;
    let interruptible = inner.interruptible;
    let interrupt: *const AtomicBool = alloc::sync::Arc::as_ptr(&inner.interrupt);
    macro_rules! branch_if {
        ($cond:expr, $jump:ident) => {{
            if $cond {
                // SAFETY: the store's `Arc` keeps the flag alive and is never
                // replaced.
                if $jump <= 0 && interruptible && unsafe { (*interrupt).load(Ordering::Relaxed) } {
                    // SAFETY: as above.
                    unsafe { (*interrupt).store(false, Ordering::Relaxed) };
                    trap!(TrapCode::Interrupted);
                }
                // SAFETY: the translator keeps branch targets inside the code.
                ip = unsafe { ip.offset($jump as isize) };
                if $jump <= 0 && osr_threshold != 0 {
                    osr_left -= 1;
                    if osr_left == 0 {
                        osr_left = osr_threshold;
                        save_pc!(ip);
                        match native::osr(inner, entry_depth, ip) {
                            native::Osr::Declined => {}
                            native::Osr::Continue => {
                                r.resume_top(inner);
                                refresh!();
                            }
                            native::Osr::Stop(outcome) => return outcome,
                        }
                    }
                }
                continue;
            }
        }};
    }
    macro_rules! load {
        ($dst:ident, $addr:ident, $offset:ident, $ty:ty, |$v:ident| $conv:expr) => {{
            let p = tri!(mem_at!(get!($addr), $offset, core::mem::size_of::<$ty>()));
            // SAFETY: `mem_at` checked that the bytes are inside memory 0;
            // the read is unaligned-safe.
            let $v = <$ty>::from_le(unsafe { p.cast::<$ty>().read_unaligned() });
            set!($dst, $conv);
        }};
    }
    macro_rules! store {
        ($addr:ident, $src:ident, $offset:ident, $ty:ty) => {{
            let p = tri!(mem_at!(get!($addr), $offset, core::mem::size_of::<$ty>()));
            let v = (get!($src) as $ty).to_le();
            // SAFETY: `mem_at` checked that the bytes are inside memory 0.
            unsafe { p.cast::<$ty>().write_unaligned(v) };
        }};
    }
    macro_rules! charge_bulk {
        ($n:expr) => {
            if fuel_on {
                let n = $n as u64;
                if inner.ctx.fuel < n {
                    save_pc!(ip);
                    return Outcome::OutOfFuel;
                }
                inner.ctx.fuel -= n;
            }
        };
    }

    loop {
        // SAFETY: the translator ends every function with a trap and keeps
        // branch targets inside the code, so `ip` stays in bounds.
        let instr = unsafe { &*ip };
        match *instr {
            Instr::Copy { dst, src } => set!(dst, get!(src)),
            Instr::Copy128 { dst, src } => set128!(dst, get128!(src)),
            Instr::Const32 { dst, imm } => set!(dst, imm as u64),
            Instr::Const64 { dst, lo, hi } => set!(dst, (hi as u64) << 32 | lo as u64),
            Instr::Const128 { dst, index } => {
                let value = r.consts128()[index as usize];
                set128!(dst, value);
            }
            Instr::Simd { op } => {
                tri!(simd::execute(&mut r, op))
            }
            Instr::Select { dst, cond, a, b } => {
                let v = if get!(cond) as u32 != 0 {
                    get!(a)
                } else {
                    get!(b)
                };
                set!(dst, v);
            }
            Instr::Select128 { dst, cond, a, b } => {
                let v = if get!(cond) as u32 != 0 {
                    get128!(a)
                } else {
                    get128!(b)
                };
                set128!(dst, v);
            }
            Instr::Trap { code } => trap!(code),
            Instr::Br { jump } => branch_if!(true, jump),
            Instr::BrIfNez { cond, jump } => branch_if!(get!(cond) as u32 != 0, jump),
            Instr::BrIfEqz { cond, jump } => branch_if!(get!(cond) as u32 == 0, jump),
            Instr::BrTable { index, len } => {
                let i = (get!(index) as u32).min(len);
                // SAFETY: `len + 1` branches follow the table.
                ip = unsafe { ip.add(1 + i as usize) };
                continue;
            }
            Instr::Return {} | Instr::ReturnSlot { .. } => {
                if let Instr::ReturnSlot { src } = *instr {
                    set!(0, get!(src));
                }
                inner.stack.frames.pop();
                if inner.stack.frames.len() == entry_depth {
                    return Outcome::Returned;
                }
                r.resume_top(inner);
                refresh!();
                continue;
            }
            Instr::Call { func, base } => {
                // SAFETY: `funcs` is the running instance's function list and
                // validation guarantees `func` indexes it.
                let store_func = unsafe { *r.funcs.add(func as usize) };
                r.ip = ip;
                let outcome = call(inner, &mut r, store_func, base);
                refresh!();
                if let Some(outcome) = outcome {
                    return outcome;
                }
                continue;
            }
            Instr::CallIndirect {
                base,
                index,
                table,
                type_index,
            } => {
                let instance = &inner.instances[r.instance as usize];
                let table = &inner.tables[instance.tables[table as usize] as usize];
                let i = get!(index) as u32 as usize;
                let Some(&raw) = table.elements.get(i) else {
                    trap!(TrapCode::UndefinedElement)
                };
                if raw == 0 {
                    trap!(TrapCode::UninitializedElement);
                }
                let store_func = (raw - 1) as u32;
                let expected = instance.module.inner.type_ids[type_index as usize];
                if inner.funcs[store_func as usize].type_id() != expected {
                    trap!(TrapCode::BadSignature);
                }
                r.ip = ip;
                let outcome = call(inner, &mut r, store_func, base);
                refresh!();
                if let Some(outcome) = outcome {
                    return outcome;
                }
                continue;
            }
            Instr::ConsumeFuel { amount } => {
                if inner.ctx.fuel < amount as u64 {
                    save_pc!(ip);
                    return Outcome::OutOfFuel;
                }
                inner.ctx.fuel -= amount as u64;
            }

            Instr::BrI32Eq { a, b, jump } => branch_if!(get!(a) as u32 == get!(b) as u32, jump),
            Instr::BrI32Ne { a, b, jump } => branch_if!(get!(a) as u32 != get!(b) as u32, jump),
            Instr::BrI32LtS { a, b, jump } => branch_if!((get!(a) as i32) < get!(b) as i32, jump),
            Instr::BrI32LtU { a, b, jump } => branch_if!((get!(a) as u32) < get!(b) as u32, jump),
            Instr::BrI32GtS { a, b, jump } => branch_if!(get!(a) as i32 > get!(b) as i32, jump),
            Instr::BrI32GtU { a, b, jump } => branch_if!(get!(a) as u32 > get!(b) as u32, jump),
            Instr::BrI32LeS { a, b, jump } => branch_if!(get!(a) as i32 <= get!(b) as i32, jump),
            Instr::BrI32LeU { a, b, jump } => branch_if!(get!(a) as u32 <= get!(b) as u32, jump),
            Instr::BrI32GeS { a, b, jump } => branch_if!(get!(a) as i32 >= get!(b) as i32, jump),
            Instr::BrI32GeU { a, b, jump } => branch_if!(get!(a) as u32 >= get!(b) as u32, jump),
            Instr::BrI32EqImm { a, imm, jump } => branch_if!(get!(a) as u32 == imm as u32, jump),
            Instr::BrI32NeImm { a, imm, jump } => branch_if!(get!(a) as u32 != imm as u32, jump),
            Instr::BrI32LtSImm { a, imm, jump } => branch_if!((get!(a) as i32) < imm, jump),
            Instr::BrI32LtUImm { a, imm, jump } => branch_if!((get!(a) as u32) < imm as u32, jump),
            Instr::BrI32GtSImm { a, imm, jump } => branch_if!(get!(a) as i32 > imm, jump),
            Instr::BrI32GtUImm { a, imm, jump } => branch_if!(get!(a) as u32 > imm as u32, jump),
            Instr::BrI32LeSImm { a, imm, jump } => branch_if!(get!(a) as i32 <= imm, jump),
            Instr::BrI32LeUImm { a, imm, jump } => branch_if!(get!(a) as u32 <= imm as u32, jump),
            Instr::BrI32GeSImm { a, imm, jump } => branch_if!(get!(a) as i32 >= imm, jump),
            Instr::BrI32GeUImm { a, imm, jump } => branch_if!(get!(a) as u32 >= imm as u32, jump),
            Instr::BrI64Eq { a, b, jump } => branch_if!(get!(a) == get!(b), jump),
            Instr::BrI64Ne { a, b, jump } => branch_if!(get!(a) != get!(b), jump),
            Instr::BrI64LtS { a, b, jump } => branch_if!((get!(a) as i64) < get!(b) as i64, jump),
            Instr::BrI64LtU { a, b, jump } => branch_if!(get!(a) < get!(b), jump),
            Instr::BrI64GtS { a, b, jump } => branch_if!(get!(a) as i64 > get!(b) as i64, jump),
            Instr::BrI64GtU { a, b, jump } => branch_if!(get!(a) > get!(b), jump),
            Instr::BrI64LeS { a, b, jump } => branch_if!(get!(a) as i64 <= get!(b) as i64, jump),
            Instr::BrI64LeU { a, b, jump } => branch_if!(get!(a) <= get!(b), jump),
            Instr::BrI64GeS { a, b, jump } => branch_if!(get!(a) as i64 >= get!(b) as i64, jump),
            Instr::BrI64GeU { a, b, jump } => branch_if!(get!(a) >= get!(b), jump),
            Instr::BrI64EqImm { a, imm, jump } => branch_if!(get!(a) as i64 == imm as i64, jump),
            Instr::BrI64NeImm { a, imm, jump } => branch_if!(get!(a) as i64 != imm as i64, jump),
            Instr::BrI64LtSImm { a, imm, jump } => branch_if!((get!(a) as i64) < imm as i64, jump),
            Instr::BrI64LtUImm { a, imm, jump } => branch_if!(get!(a) < imm as i64 as u64, jump),
            Instr::BrI64GtSImm { a, imm, jump } => branch_if!(get!(a) as i64 > imm as i64, jump),
            Instr::BrI64GtUImm { a, imm, jump } => branch_if!(get!(a) > imm as i64 as u64, jump),
            Instr::BrI64LeSImm { a, imm, jump } => branch_if!(get!(a) as i64 <= imm as i64, jump),
            Instr::BrI64LeUImm { a, imm, jump } => branch_if!(get!(a) <= imm as i64 as u64, jump),
            Instr::BrI64GeSImm { a, imm, jump } => branch_if!(get!(a) as i64 >= imm as i64, jump),
            Instr::BrI64GeUImm { a, imm, jump } => branch_if!(get!(a) >= imm as i64 as u64, jump),

            Instr::I32Add { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.wrapping_add(y))
            }
            Instr::I32Sub { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.wrapping_sub(y))
            }
            Instr::I32Mul { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.wrapping_mul(y))
            }
            Instr::I32DivS { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| tri!(
                numeric::i32_div_s(x as i32, y as i32)
            )),
            Instr::I32DivU { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| tri!(
                numeric::i32_div_u(x, y)
            )),
            Instr::I32RemS { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| tri!(
                numeric::i32_rem_s(x as i32, y as i32)
            )),
            Instr::I32RemU { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| tri!(
                numeric::i32_rem_u(x, y)
            )),
            Instr::I32And { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| x & y),
            Instr::I32Or { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| x | y),
            Instr::I32Xor { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| x ^ y),
            Instr::I32Shl { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.wrapping_shl(y))
            }
            Instr::I32ShrS { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| (x as i32).wrapping_shr(y))
            }
            Instr::I32ShrU { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.wrapping_shr(y))
            }
            Instr::I32Rotl { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.rotate_left(y % 32))
            }
            Instr::I32Rotr { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.rotate_right(y % 32))
            }
            Instr::I32Eq { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| x == y),
            Instr::I32Ne { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| x != y),
            Instr::I32LtS { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| (x as i32) < y as i32)
            }
            Instr::I32LtU { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| x < y),
            Instr::I32GtS { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x as i32 > y as i32)
            }
            Instr::I32GtU { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| x > y),
            Instr::I32LeS { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x as i32 <= y as i32)
            }
            Instr::I32LeU { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| x <= y),
            Instr::I32GeS { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x as i32 >= y as i32)
            }
            Instr::I32GeU { dst, a, b } => i32_bin!(dst, a, get!(b) as u32, |x, y| x >= y),
            Instr::I32AddImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.wrapping_add(y))
            }
            Instr::I32SubImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.wrapping_sub(y))
            }
            Instr::I32MulImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.wrapping_mul(y))
            }
            Instr::I32DivSImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| tri!(
                numeric::i32_div_s(x as i32, y as i32)
            )),
            Instr::I32DivUImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| tri!(numeric::i32_div_u(x, y)))
            }
            Instr::I32RemSImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| tri!(
                numeric::i32_rem_s(x as i32, y as i32)
            )),
            Instr::I32RemUImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| tri!(numeric::i32_rem_u(x, y)))
            }
            Instr::I32AndImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| x & y),
            Instr::I32OrImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| x | y),
            Instr::I32XorImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| x ^ y),
            Instr::I32ShlImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.wrapping_shl(y))
            }
            Instr::I32ShrSImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| (x as i32).wrapping_shr(y))
            }
            Instr::I32ShrUImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.wrapping_shr(y))
            }
            Instr::I32RotlImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.rotate_left(y % 32))
            }
            Instr::I32RotrImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.rotate_right(y % 32))
            }
            Instr::I32EqImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| x == y),
            Instr::I32NeImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| x != y),
            Instr::I32LtSImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| (x as i32) < y as i32)
            }
            Instr::I32LtUImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| x < y),
            Instr::I32GtSImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x as i32 > y as i32)
            }
            Instr::I32GtUImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| x > y),
            Instr::I32LeSImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x as i32 <= y as i32)
            }
            Instr::I32LeUImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| x <= y),
            Instr::I32GeSImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x as i32 >= y as i32)
            }
            Instr::I32GeUImm { dst, a, imm } => i32_bin!(dst, a, imm as u32, |x, y| x >= y),
            Instr::I32Eqz { dst, src } => unary!(dst, src, |x| (x as u32 == 0) as u64),
            Instr::I32Clz { dst, src } => unary!(dst, src, |x| (x as u32).leading_zeros() as u64),
            Instr::I32Ctz { dst, src } => unary!(dst, src, |x| (x as u32).trailing_zeros() as u64),
            Instr::I32Popcnt { dst, src } => unary!(dst, src, |x| (x as u32).count_ones() as u64),
            Instr::I32Extend8S { dst, src } => unary!(dst, src, |x| x as i8 as i32 as u32 as u64),
            Instr::I32Extend16S { dst, src } => unary!(dst, src, |x| x as i16 as i32 as u32 as u64),

            Instr::I64Add { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x.wrapping_add(y)),
            Instr::I64Sub { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x.wrapping_sub(y)),
            Instr::I64Mul { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x.wrapping_mul(y)),
            Instr::I64DivS { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| tri!(
                numeric::i64_div_s(x as i64, y as i64)
            )),
            Instr::I64DivU { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| tri!(numeric::i64_div_u(x, y)))
            }
            Instr::I64RemS { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| tri!(
                numeric::i64_rem_s(x as i64, y as i64)
            )),
            Instr::I64RemU { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| tri!(numeric::i64_rem_u(x, y)))
            }
            Instr::I64And { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x & y),
            Instr::I64Or { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x | y),
            Instr::I64Xor { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x ^ y),
            Instr::I64Shl { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| x.wrapping_shl(y as u32))
            }
            Instr::I64ShrS { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| (x as i64).wrapping_shr(y as u32))
            }
            Instr::I64ShrU { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| x.wrapping_shr(y as u32))
            }
            Instr::I64Rotl { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| x.rotate_left((y % 64) as u32))
            }
            Instr::I64Rotr { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| x.rotate_right((y % 64) as u32))
            }
            Instr::I64Eq { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x == y),
            Instr::I64Ne { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x != y),
            Instr::I64LtS { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| (x as i64) < y as i64),
            Instr::I64LtU { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x < y),
            Instr::I64GtS { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x as i64 > y as i64),
            Instr::I64GtU { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x > y),
            Instr::I64LeS { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x as i64 <= y as i64),
            Instr::I64LeU { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x <= y),
            Instr::I64GeS { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x as i64 >= y as i64),
            Instr::I64GeU { dst, a, b } => i64_bin!(dst, a, get!(b), |x, y| x >= y),
            Instr::I64AddImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x.wrapping_add(y))
            }
            Instr::I64SubImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x.wrapping_sub(y))
            }
            Instr::I64MulImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x.wrapping_mul(y))
            }
            Instr::I64DivSImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| tri!(
                numeric::i64_div_s(x as i64, y as i64)
            )),
            Instr::I64DivUImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| tri!(
                numeric::i64_div_u(x, y)
            )),
            Instr::I64RemSImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| tri!(
                numeric::i64_rem_s(x as i64, y as i64)
            )),
            Instr::I64RemUImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| tri!(
                numeric::i64_rem_u(x, y)
            )),
            Instr::I64AndImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x & y),
            Instr::I64OrImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x | y),
            Instr::I64XorImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x ^ y),
            Instr::I64ShlImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x.wrapping_shl(y as u32))
            }
            Instr::I64ShrSImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| (x
                as i64)
                .wrapping_shr(y as u32)),
            Instr::I64ShrUImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x.wrapping_shr(y as u32))
            }
            Instr::I64RotlImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x
                .rotate_left((y % 64) as u32)),
            Instr::I64RotrImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x
                .rotate_right((y % 64) as u32)),
            Instr::I64EqImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x == y),
            Instr::I64NeImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x != y),
            Instr::I64LtSImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| (x as i64) < y as i64)
            }
            Instr::I64LtUImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x < y),
            Instr::I64GtSImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x as i64 > y as i64)
            }
            Instr::I64GtUImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x > y),
            Instr::I64LeSImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x as i64 <= y as i64)
            }
            Instr::I64LeUImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x <= y),
            Instr::I64GeSImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x as i64 >= y as i64)
            }
            Instr::I64GeUImm { dst, a, imm } => i64_bin!(dst, a, imm as i64 as u64, |x, y| x >= y),
            Instr::I64Eqz { dst, src } => unary!(dst, src, |x| (x == 0) as u64),
            Instr::I64Clz { dst, src } => unary!(dst, src, |x| x.leading_zeros() as u64),
            Instr::I64Ctz { dst, src } => unary!(dst, src, |x| x.trailing_zeros() as u64),
            Instr::I64Popcnt { dst, src } => unary!(dst, src, |x| x.count_ones() as u64),
            Instr::I64Extend8S { dst, src } => unary!(dst, src, |x| x as i8 as i64 as u64),
            Instr::I64Extend16S { dst, src } => unary!(dst, src, |x| x as i16 as i64 as u64),
            Instr::I64Extend32S { dst, src } => unary!(dst, src, |x| x as i32 as i64 as u64),

            Instr::F32Add { dst, a, b } => f32_bin!(dst, a, b, |x, y| x + y),
            Instr::F32Sub { dst, a, b } => f32_bin!(dst, a, b, |x, y| x - y),
            Instr::F32Mul { dst, a, b } => f32_bin!(dst, a, b, |x, y| x * y),
            Instr::F32Div { dst, a, b } => f32_bin!(dst, a, b, |x, y| x / y),
            Instr::F32Min { dst, a, b } => f32_bin!(dst, a, b, |x, y| numeric::f32_min(x, y)),
            Instr::F32Max { dst, a, b } => f32_bin!(dst, a, b, |x, y| numeric::f32_max(x, y)),
            Instr::F32Copysign { dst, a, b } => {
                f32_bin!(dst, a, b, |x, y| numeric::f32_copysign(x, y))
            }
            Instr::F32Eq { dst, a, b } => f32_cmp!(dst, a, b, ==),
            Instr::F32Ne { dst, a, b } => f32_cmp!(dst, a, b, !=),
            Instr::F32Lt { dst, a, b } => f32_cmp!(dst, a, b, <),
            Instr::F32Gt { dst, a, b } => f32_cmp!(dst, a, b, >),
            Instr::F32Le { dst, a, b } => f32_cmp!(dst, a, b, <=),
            Instr::F32Ge { dst, a, b } => f32_cmp!(dst, a, b, >=),
            Instr::F32Abs { dst, src } => f32_un!(dst, src, numeric::f32_abs),
            Instr::F32Neg { dst, src } => f32_un!(dst, src, numeric::f32_neg),
            Instr::F32Ceil { dst, src } => f32_un!(dst, src, numeric::f32_ceil),
            Instr::F32Floor { dst, src } => f32_un!(dst, src, numeric::f32_floor),
            Instr::F32Trunc { dst, src } => f32_un!(dst, src, numeric::f32_trunc),
            Instr::F32Nearest { dst, src } => f32_un!(dst, src, numeric::f32_nearest),
            Instr::F32Sqrt { dst, src } => f32_un!(dst, src, numeric::f32_sqrt),
            Instr::F64Add { dst, a, b } => f64_bin!(dst, a, b, |x, y| x + y),
            Instr::F64Sub { dst, a, b } => f64_bin!(dst, a, b, |x, y| x - y),
            Instr::F64Mul { dst, a, b } => f64_bin!(dst, a, b, |x, y| x * y),
            Instr::F64Div { dst, a, b } => f64_bin!(dst, a, b, |x, y| x / y),
            Instr::F64Min { dst, a, b } => f64_bin!(dst, a, b, |x, y| numeric::f64_min(x, y)),
            Instr::F64Max { dst, a, b } => f64_bin!(dst, a, b, |x, y| numeric::f64_max(x, y)),
            Instr::F64Copysign { dst, a, b } => {
                f64_bin!(dst, a, b, |x, y| numeric::f64_copysign(x, y))
            }
            Instr::F64Eq { dst, a, b } => f64_cmp!(dst, a, b, ==),
            Instr::F64Ne { dst, a, b } => f64_cmp!(dst, a, b, !=),
            Instr::F64Lt { dst, a, b } => f64_cmp!(dst, a, b, <),
            Instr::F64Gt { dst, a, b } => f64_cmp!(dst, a, b, >),
            Instr::F64Le { dst, a, b } => f64_cmp!(dst, a, b, <=),
            Instr::F64Ge { dst, a, b } => f64_cmp!(dst, a, b, >=),
            Instr::F64Abs { dst, src } => f64_un!(dst, src, numeric::f64_abs),
            Instr::F64Neg { dst, src } => f64_un!(dst, src, numeric::f64_neg),
            Instr::F64Ceil { dst, src } => f64_un!(dst, src, numeric::f64_ceil),
            Instr::F64Floor { dst, src } => f64_un!(dst, src, numeric::f64_floor),
            Instr::F64Trunc { dst, src } => f64_un!(dst, src, numeric::f64_trunc),
            Instr::F64Nearest { dst, src } => f64_un!(dst, src, numeric::f64_nearest),
            Instr::F64Sqrt { dst, src } => f64_un!(dst, src, numeric::f64_sqrt),

            Instr::I32WrapI64 { dst, src } => unary!(dst, src, |x| x as u32 as u64),
            Instr::I64ExtendI32S { dst, src } => unary!(dst, src, |x| x as i32 as i64 as u64),
            Instr::I64ExtendI32U { dst, src } => unary!(dst, src, |x| x as u32 as u64),
            Instr::I32TruncF32S { dst, src } => unary!(
                dst,
                src,
                |x| tri!(numeric::i32_trunc_f32_s(f32::from_bits(x as u32))) as u32 as u64
            ),
            Instr::I32TruncF32U { dst, src } => unary!(
                dst,
                src,
                |x| tri!(numeric::i32_trunc_f32_u(f32::from_bits(x as u32))) as u64
            ),
            Instr::I32TruncF64S { dst, src } => unary!(
                dst,
                src,
                |x| tri!(numeric::i32_trunc_f64_s(f64::from_bits(x))) as u32 as u64
            ),
            Instr::I32TruncF64U { dst, src } => unary!(
                dst,
                src,
                |x| tri!(numeric::i32_trunc_f64_u(f64::from_bits(x))) as u64
            ),
            Instr::I64TruncF32S { dst, src } => unary!(
                dst,
                src,
                |x| tri!(numeric::i64_trunc_f32_s(f32::from_bits(x as u32))) as u64
            ),
            Instr::I64TruncF32U { dst, src } => unary!(dst, src, |x| tri!(
                numeric::i64_trunc_f32_u(f32::from_bits(x as u32))
            )),
            Instr::I64TruncF64S { dst, src } => unary!(
                dst,
                src,
                |x| tri!(numeric::i64_trunc_f64_s(f64::from_bits(x))) as u64
            ),
            Instr::I64TruncF64U { dst, src } => unary!(dst, src, |x| tri!(
                numeric::i64_trunc_f64_u(f64::from_bits(x))
            )),
            Instr::I32TruncSatF32S { dst, src } => unary!(
                dst,
                src,
                |x| numeric::i32_trunc_sat_f32_s(f32::from_bits(x as u32)) as u32 as u64
            ),
            Instr::I32TruncSatF32U { dst, src } => unary!(
                dst,
                src,
                |x| numeric::i32_trunc_sat_f32_u(f32::from_bits(x as u32)) as u64
            ),
            Instr::I32TruncSatF64S { dst, src } => unary!(
                dst,
                src,
                |x| numeric::i32_trunc_sat_f64_s(f64::from_bits(x)) as u32 as u64
            ),
            Instr::I32TruncSatF64U { dst, src } => unary!(
                dst,
                src,
                |x| numeric::i32_trunc_sat_f64_u(f64::from_bits(x)) as u64
            ),
            Instr::I64TruncSatF32S { dst, src } => unary!(
                dst,
                src,
                |x| numeric::i64_trunc_sat_f32_s(f32::from_bits(x as u32)) as u64
            ),
            Instr::I64TruncSatF32U { dst, src } => {
                unary!(dst, src, |x| numeric::i64_trunc_sat_f32_u(f32::from_bits(
                    x as u32
                )))
            }
            Instr::I64TruncSatF64S { dst, src } => unary!(
                dst,
                src,
                |x| numeric::i64_trunc_sat_f64_s(f64::from_bits(x)) as u64
            ),
            Instr::I64TruncSatF64U { dst, src } => {
                unary!(dst, src, |x| numeric::i64_trunc_sat_f64_u(f64::from_bits(
                    x
                )))
            }
            Instr::F32ConvertI32S { dst, src } => {
                unary!(dst, src, |x| (x as i32 as f32).to_bits() as u64)
            }
            Instr::F32ConvertI32U { dst, src } => {
                unary!(dst, src, |x| (x as u32 as f32).to_bits() as u64)
            }
            Instr::F32ConvertI64S { dst, src } => {
                unary!(dst, src, |x| (x as i64 as f32).to_bits() as u64)
            }
            Instr::F32ConvertI64U { dst, src } => unary!(dst, src, |x| (x as f32).to_bits() as u64),
            Instr::F64ConvertI32S { dst, src } => unary!(dst, src, |x| (x as i32 as f64).to_bits()),
            Instr::F64ConvertI32U { dst, src } => unary!(dst, src, |x| (x as u32 as f64).to_bits()),
            Instr::F64ConvertI64S { dst, src } => unary!(dst, src, |x| (x as i64 as f64).to_bits()),
            Instr::F64ConvertI64U { dst, src } => unary!(dst, src, |x| (x as f64).to_bits()),
            Instr::F32DemoteF64 { dst, src } => {
                unary!(dst, src, |x| (f64::from_bits(x) as f32).to_bits() as u64)
            }
            Instr::F64PromoteF32 { dst, src } => {
                unary!(dst, src, |x| (f32::from_bits(x as u32) as f64).to_bits())
            }

            Instr::I32Load { dst, addr, offset } => load!(dst, addr, offset, u32, |v| v as u64),
            Instr::I64Load { dst, addr, offset } => load!(dst, addr, offset, u64, |v| v),
            Instr::I32Load8S { dst, addr, offset } => {
                load!(dst, addr, offset, u8, |v| v as i8 as i32 as u32 as u64)
            }
            Instr::I32Load8U { dst, addr, offset } => load!(dst, addr, offset, u8, |v| v as u64),
            Instr::I32Load16S { dst, addr, offset } => {
                load!(dst, addr, offset, u16, |v| v as i16 as i32 as u32 as u64)
            }
            Instr::I32Load16U { dst, addr, offset } => load!(dst, addr, offset, u16, |v| v as u64),
            Instr::I64Load8S { dst, addr, offset } => {
                load!(dst, addr, offset, u8, |v| v as i8 as i64 as u64)
            }
            Instr::I64Load8U { dst, addr, offset } => load!(dst, addr, offset, u8, |v| v as u64),
            Instr::I64Load16S { dst, addr, offset } => {
                load!(dst, addr, offset, u16, |v| v as i16 as i64 as u64)
            }
            Instr::I64Load16U { dst, addr, offset } => load!(dst, addr, offset, u16, |v| v as u64),
            Instr::I64Load32S { dst, addr, offset } => {
                load!(dst, addr, offset, u32, |v| v as i32 as i64 as u64)
            }
            Instr::I64Load32U { dst, addr, offset } => load!(dst, addr, offset, u32, |v| v as u64),
            Instr::V128Load { dst, addr, offset } => {
                let p = tri!(mem_at!(get!(addr), offset, 16));
                // SAFETY: `mem_at` checked the 16 bytes are inside memory 0.
                let v = u128::from_le(unsafe { p.cast::<u128>().read_unaligned() });
                set128!(dst, v);
            }
            Instr::I32Store { addr, src, offset } => store!(addr, src, offset, u32),
            Instr::I64Store { addr, src, offset } => store!(addr, src, offset, u64),
            Instr::I32Store8 { addr, src, offset } => store!(addr, src, offset, u8),
            Instr::I32Store16 { addr, src, offset } => store!(addr, src, offset, u16),
            Instr::I64Store32 { addr, src, offset } => store!(addr, src, offset, u32),
            Instr::V128Store { addr, src, offset } => {
                let p = tri!(mem_at!(get!(addr), offset, 16));
                let v = get128!(src).to_le();
                // SAFETY: `mem_at` checked the 16 bytes are inside memory 0.
                unsafe { p.cast::<u128>().write_unaligned(v) };
            }
            Instr::MemorySize { dst } => set!(dst, (mem_len / PAGE_SIZE) as u64),
            Instr::MemoryGrow { dst, delta } => {
                let m = inner.instances[r.instance as usize].memories[0];
                let delta = get!(delta) as u32;
                let old = inner.memories[m as usize].grow(delta).unwrap_or(u32::MAX);
                set!(dst, old as u64);
                r.reload_memory();
                mem_base = r.mem_base;
                mem_len = r.mem_len;
            }
            Instr::MemoryFill { dst, value, len } => {
                let (d, v, n) = (
                    get!(dst) as u32 as usize,
                    get!(value) as u8,
                    get!(len) as u32 as usize,
                );
                if d.checked_add(n).is_none_or(|end| end > mem_len) {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                charge_bulk!(n);
                // SAFETY: `d + n <= mem_len` was checked above.
                unsafe { core::ptr::write_bytes(mem_base.add(d), v, n) };
            }
            Instr::MemoryCopy { dst, src, len } => {
                let (d, s, n) = (
                    get!(dst) as u32 as usize,
                    get!(src) as u32 as usize,
                    get!(len) as u32 as usize,
                );
                if d.checked_add(n).is_none_or(|end| end > mem_len)
                    || s.checked_add(n).is_none_or(|end| end > mem_len)
                {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                charge_bulk!(n);
                // SAFETY: both ranges were checked to lie inside memory 0;
                // `copy` allows overlap.
                unsafe { core::ptr::copy(mem_base.add(s), mem_base.add(d), n) };
            }
            Instr::MemoryInit {
                dst,
                src,
                len,
                data,
            } => {
                let (d, s, n) = (
                    get!(dst) as u32 as usize,
                    get!(src) as u32 as usize,
                    get!(len) as u32 as usize,
                );
                let instance = &inner.instances[r.instance as usize];
                let segment = instance.datas[data as usize].clone();
                if s.checked_add(n).is_none_or(|end| end > segment.len())
                    || d.checked_add(n).is_none_or(|end| end > mem_len)
                {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                charge_bulk!(n);
                let bytes =
                    &inner.instances[r.instance as usize].module.inner.bytes[segment][s..s + n];
                // SAFETY: `d + n <= mem_len` was checked; the source is a
                // module byte slice, never inside linear memory.
                unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), mem_base.add(d), n) };
            }
            Instr::DataDrop { data } => {
                inner.instances[r.instance as usize].datas[data as usize] = 0..0;
            }
            Instr::GlobalGet { dst, global } => {
                let g = inner.instances[r.instance as usize].globals[global as usize];
                set!(dst, inner.globals[g as usize].value.get() as u64);
            }
            Instr::GlobalSet { src, global } => {
                let g = inner.instances[r.instance as usize].globals[global as usize];
                inner.globals[g as usize].value.set(get!(src) as u128);
            }
            Instr::GlobalGet128 { dst, global } => {
                let g = inner.instances[r.instance as usize].globals[global as usize];
                set128!(dst, inner.globals[g as usize].value.get());
            }
            Instr::GlobalSet128 { src, global } => {
                let g = inner.instances[r.instance as usize].globals[global as usize];
                inner.globals[g as usize].value.set(get128!(src));
            }
            Instr::TableGet { dst, index, table } => {
                let t = inner.instances[r.instance as usize].tables[table as usize];
                let i = get!(index) as u32 as usize;
                let Some(&v) = inner.tables[t as usize].elements.get(i) else {
                    trap!(TrapCode::TableOutOfBounds)
                };
                set!(dst, v);
            }
            Instr::TableSet {
                index,
                value,
                table,
            } => {
                let t = inner.instances[r.instance as usize].tables[table as usize];
                let i = get!(index) as u32 as usize;
                let v = get!(value);
                let Some(slot) = inner.tables[t as usize].elements.get_mut(i) else {
                    trap!(TrapCode::TableOutOfBounds)
                };
                *slot = v;
            }
            Instr::TableSize { dst, table } => {
                let t = inner.instances[r.instance as usize].tables[table as usize];
                set!(dst, inner.tables[t as usize].elements.len() as u64);
            }
            Instr::TableGrow {
                dst,
                init,
                delta,
                table,
            } => {
                let t = inner.instances[r.instance as usize].tables[table as usize];
                let delta = get!(delta) as u32;
                charge_bulk!(delta);
                let old = inner.tables[t as usize]
                    .grow(delta, get!(init))
                    .unwrap_or(u32::MAX);
                set!(dst, old as u64);
            }
            Instr::TableFill {
                dst,
                value,
                len,
                table,
            } => {
                let t = inner.instances[r.instance as usize].tables[table as usize];
                let (d, v, n) = (
                    get!(dst) as u32 as usize,
                    get!(value),
                    get!(len) as u32 as usize,
                );
                let elements = &mut inner.tables[t as usize].elements;
                if d.checked_add(n).is_none_or(|end| end > elements.len()) {
                    trap!(TrapCode::TableOutOfBounds);
                }
                charge_bulk!(n);
                inner.tables[t as usize].elements[d..d + n].fill(v);
            }
            Instr::TableCopy {
                dst,
                src,
                len,
                dst_table,
                src_table,
            } => {
                let instance = &inner.instances[r.instance as usize];
                let (td, ts) = (
                    instance.tables[dst_table as usize] as usize,
                    instance.tables[src_table as usize] as usize,
                );
                let (d, s, n) = (
                    get!(dst) as u32 as usize,
                    get!(src) as u32 as usize,
                    get!(len) as u32 as usize,
                );
                if d.checked_add(n)
                    .is_none_or(|end| end > inner.tables[td].elements.len())
                    || s.checked_add(n)
                        .is_none_or(|end| end > inner.tables[ts].elements.len())
                {
                    trap!(TrapCode::TableOutOfBounds);
                }
                charge_bulk!(n);
                if td == ts {
                    inner.tables[td].elements.copy_within(s..s + n, d);
                } else {
                    let values: alloc::vec::Vec<u64> = inner.tables[ts].elements[s..s + n].to_vec();
                    inner.tables[td].elements[d..d + n].copy_from_slice(&values);
                }
            }
            Instr::TableInit {
                dst,
                src,
                len,
                table,
                elem,
            } => {
                let instance = &inner.instances[r.instance as usize];
                let t = instance.tables[table as usize] as usize;
                let (d, s, n) = (
                    get!(dst) as u32 as usize,
                    get!(src) as u32 as usize,
                    get!(len) as u32 as usize,
                );
                let segment = &instance.elems[elem as usize];
                if s.checked_add(n).is_none_or(|end| end > segment.len())
                    || d.checked_add(n)
                        .is_none_or(|end| end > inner.tables[t].elements.len())
                {
                    trap!(TrapCode::TableOutOfBounds);
                }
                charge_bulk!(n);
                let values: alloc::vec::Vec<u64> =
                    inner.instances[r.instance as usize].elems[elem as usize][s..s + n].to_vec();
                inner.tables[t].elements[d..d + n].copy_from_slice(&values);
            }
            Instr::ElemDrop { elem } => {
                inner.instances[r.instance as usize].elems[elem as usize] =
                    alloc::boxed::Box::new([]);
            }
            Instr::RefFunc { dst, func } => {
                let f = inner.instances[r.instance as usize].funcs[func as usize];
                set!(dst, f as u64 + 1);
            }
        }
        // SAFETY: every instruction that falls through has a successor
        // (each function ends with a trap).
        ip = unsafe { ip.add(1) };
    }
}

/// Performs a call from the running frame; `None` means continue running
/// the (new) top frame.
#[inline(always)]
fn call(inner: &mut StoreInner, r: &mut Regs, store_func: u32, base: Slot) -> Option<Outcome> {
    let code = inner.func_code[store_func as usize];
    let callee_base = r.base + base as usize;
    if code.func.is_null()
        || code.native.is_some()
        || code.hot != 0
        || inner.interruptible && inner.interrupt.load(Ordering::Relaxed)
    {
        return call_slow(inner, r, store_func, callee_base);
    }
    // SAFETY: non-null `func_code` entries point to IR the store keeps alive.
    let ir = unsafe { &*code.func };
    let stack = &mut inner.stack;
    if stack.frames.len() >= stack.max_depth || callee_base + ir.frame_slots as usize > stack.len()
    {
        return call_slow(inner, r, store_func, callee_base);
    }
    // SAFETY: a frame is running, so `frames` is not empty.
    unsafe { stack.frames.last_mut().unwrap_unchecked() }.ip = r.ip.wrapping_add(1);
    for slot in callee_base + ir.param_slots as usize..callee_base + ir.local_slots as usize {
        // SAFETY: `callee_base + frame_slots <= stack.len()` was checked
        // above and `local_slots <= frame_slots`.
        unsafe { *stack.slots().add(slot) = 0 };
    }
    let ip = ir.code.as_ptr();
    stack.frames.push(Frame {
        func: code.func,
        store_func,
        instance: code.instance,
        base: callee_base,
        ip,
    });
    r.func = code.func;
    r.ip = ip;
    r.base = callee_base;
    // SAFETY: the frame fits in the stack (checked above).
    r.sp = unsafe { stack.slots().add(callee_base) };
    if code.instance != r.instance {
        r.switch_instance(inner, code.instance);
    } else {
        r.reload_memory();
    }
    None
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
            r.reload_memory();
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
