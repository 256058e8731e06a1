//! Threaded dispatch: every IR instruction is paired with the address of
//! its handler, a small function that runs it and jumps straight to the
//! next instruction's handler.
//!
//! # Why
//!
//! A `loop { match }` interpreter has one indirect jump that every
//! instruction goes through, so the branch predictor sees one site with as
//! many targets as there are instructions; the match also bounds-checks
//! the opcode and reloads its state around each arm. Here each handler ends
//! in its own indirect jump (`jmp [next_op]`), the hot state (instruction
//! pointer, frame pointer, memory base and length, and the `Exec` state)
//! travels in argument registers, and an instruction costs the work it does
//! plus two machine instructions of dispatch.
//!
//! # Two builds of the same handlers
//!
//! Stable Rust cannot promise a tail call, but LLVM turns a call in tail
//! position between functions of the same signature into a jump (a sibling
//! call) when optimizing. `build.rs` turns on `ember_tail_dispatch` for
//! optimized builds without debug assertions (their checks can keep a call
//! a call) on x86-64 and AArch64; there each handler tail-calls
//! the next and the chain only returns when execution stops. Elsewhere (a
//! debug build, another architecture) each handler returns the next
//! instruction to a driver loop instead, which is slower but uses no stack.
//!
//! Handlers that do complex work (SIMD, bulk memory, tables) run it in an
//! out-of-line function, so the handler itself has no local whose address
//! escapes, which would keep LLVM from turning its dispatch into a jump. As a net under
//! that guarantee, tail-dispatch builds compare the native stack pointer
//! with the depth at entry periodically on loop back-edges, calls and
//! returns (a deep recursion unwinds with returns alone), and before
//! every call into native code or the host; should it ever have
//! grown (a dispatch that stayed a call), execution returns to the driver,
//! which continues at the same instruction with an empty stack. CI checks
//! the machine code of every handler (`.ci/check-dispatch`), so the net
//! is for compilers that behave differently.
//!
//! # Pairs, triples and quints
//!
//! Every instruction has a body, an always-inlined function that runs it
//! and returns where to continue. A handler is a body plus the dispatch;
//! `pairs!`, `triples!` and `quints!` make handlers that run two, three or
//! five bodies in a row, chosen when the threaded code is built (`build`;
//! the longest run that fits wins). The lists come from dispatch profiles
//! (which handler ran at which instruction, how often) of compiled C and
//! hand-written loops; an entry stays only if it measured faster. Fusing
//! pays where dispatch is the limit (queens ran 15% faster when its
//! bit-twiddling singletons paired up), not everywhere: for sieve's
//! strided fill and a bytecode interpreter's push, one handler for the
//! whole loop body measured no faster than two (their limits are likely
//! the stores and the switch's jump).
//! When the next instruction reads the previous one's result, the handler
//! tells the compiler so, and the value stays in a register. One run of
//! four has its own handler: `switch (table[i])` in compiled C (shift,
//! add, load, `br_table`), which keeps the loaded index in a register up to
//! the table's jump.
//!
//! # The accumulator
//!
//! Values travel between instructions through their frame slots, and a
//! value stored by one handler and loaded by the next waits for the
//! store to be forwarded to the load (about five cycles). So every handler
//! also hands the value of its instruction's `dst` slot to the next one in
//! a sixth argument register, the accumulator (`Acc`). Hot handlers come in
//! variants, one per operand (a const parameter names it, see
//! `OPERANDS`), that take that operand from the accumulator instead of its
//! slot; so do pairs and triples, for their first instruction.
//! Instructions that write no slot (branches, stores) pass the accumulator
//! on. `build` works out which slot the accumulator holds at each
//! instruction (`acc_slots`: where ways in meet, such as a loop header
//! and its back-edges, they must agree) and picks the variant for an
//! instruction that reads that slot. Wherever execution enters the chain
//! otherwise (the driver loop, after a back-edge's check, when a run
//! resumes), the value is read from the slot that `Op::acc` names. Slots
//! are written as before, so nothing else changes: the accumulator only
//! shortens the path from one result to its use. In the C benchmarks, a
//! quarter to a half of all dispatches pass a result that way.
//!
//! # The address of the next instruction
//!
//! Every handler reads its fields through the instruction pointer, so the
//! chain of next-instruction addresses is itself a dependency chain that
//! a tight loop cannot run ahead of: falling through costs one addition,
//! a taken branch a load of its distance and an addition. `build` stores
//! threaded branch distances in bytes, not instructions, for that reason:
//! scaling by the 24-byte op took two `lea`s on x86-64, one of them a
//! three-part `lea`, which is a slow form on many cores (the sieve
//! benchmark ran 24% faster without them). For the same reason no branch handler may become a
//! select: the target would then wait for the test instead of being
//! predicted. `keep_branch` keeps the rare way of such a branch a branch
//! where the compiler would otherwise merge the two.
//!
//! # SIMD
//!
//! `Simd` runs a SIMD instruction out of line, through one match over all
//! of them. The common lane-wise ones (arithmetic, bitwise, shifts,
//! extends, splats, lanes, shuffles) have handlers of their own
//! (`hot_simd!`), where that match folds away and the lane loop runs
//! inline. They pair only with each other (`simd_pairs!`, the steps of
//! vectorized loop bodies); when the second reads the first one's result,
//! the handler tells the compiler so and the vector stays in a register
//! (simd +8.5%, against the same pairs without it).
//!
//! # Tables and calls
//!
//! A `br_table` takes its entry's branch itself. Forward entries are only
//! ever run by their table, so `build` gives them their target's handler:
//! the table's jump then loads the handler from the entry, next to the
//! branch distance, instead of waiting for the target's address first.
//! That jump is the one that mispredicts in a switch loop, and it resolves
//! sooner. Every entry stays a `Br` (one that would become a return keeps
//! its branch to it), so the table reads the distance without checking
//! what the entry is; a back-edge entry is run where it is, with its
//! check.
//!
//! A direct call to a function the instance defines finds its callee's
//! `CodeRef` by position (`Regs::defined_code`: instantiation adds an
//! instance's functions to the store in one run), without loading the
//! store index from the instance's function list first; the record also
//! carries the callee's frame sizes, so the call does not follow the IR
//! pointer.
//!
//! A call's fast path reads the callee's threaded code from the store's
//! code entry (`CodeRef::ops`, null when the call must take the slow path:
//! not yet translated, compiled, or counting calls to compile). A return
//! reads its caller's record through the frame pointer cached in `Regs`,
//! not through the frame list.

use core::sync::atomic::{AtomicBool, Ordering};

use super::{Outcome, Regs, call_fast, call_slow, callee, native, simd};
use crate::ir::Instr;
use crate::numeric;
use crate::store::{PAGE_SIZE, StoreInner};
use crate::trap::TrapCode;

/// An instruction pointer of the threaded code.
pub(crate) type Ip = *const Op;

/// Runs the instruction at `ip` (and, in tail-dispatch builds, everything
/// after it) over the frame at `sp` and memory 0 at `mem_base`/`mem_len`.
/// Returns null when execution stops (`Exec::outcome` says why, or is
/// `None` to continue at `Exec::r.ip` with a fresh stack), else the next
/// instruction to run (driver-loop builds only).
type Handler = unsafe fn(Ip, *mut u64, *mut u8, usize, &mut Exec, Acc) -> Ip;

/// The accumulator: the value of the last `dst` slot written, handed to
/// the next handler in a register (see the module docs). Instructions
/// without a `dst` pass it on; calls and returns leave it uninitialized.
/// Only handlers that `build` chose for an instruction reading the slot
/// it holds there (`acc_slots`) look at it.
type Acc = core::mem::MaybeUninit<u64>;

/// `Op::acc` where nothing is known of the accumulator (never a slot:
/// frames have at most `u16::MAX` slots).
const NO_ACC: u16 = u16::MAX;

/// An IR instruction with its handler: the unit of threaded code.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct Op {
    handler: Handler,
    /// The instruction; its handler reads the operands from here.
    pub(crate) instr: Instr,
    /// The slot whose value the accumulator holds when control reaches
    /// this op, or `NO_ACC` (see `acc_slots`; it fits in what would be
    /// padding).
    acc: u16,
}

impl Op {
    /// `instr` with its handler.
    pub(crate) fn new(instr: Instr) -> Op {
        Op {
            handler: handler_of(&instr),
            instr,
            acc: NO_ACC,
        }
    }
}

/// The accumulator that the handler of the op at `ip` expects when
/// execution enters it from outside the handler chain (the driver loop,
/// a back-edge's check, a resumed run), read from its slot.
///
/// # Safety
/// `ip` is an op of the frame at `sp`.
#[inline(always)]
unsafe fn acc_at(ip: Ip, sp: *mut u64) -> Acc {
    // SAFETY: the caller's contract; `build` only names slots of the
    // frame.
    unsafe {
        match (*ip).acc {
            NO_ACC => Acc::uninit(),
            slot => Acc::new(*sp.add(slot as usize)),
        }
    }
}

impl core::fmt::Debug for Op {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.instr.fmt(f)
    }
}

/// Loop back-edges between two checks of the interrupt flag, the tier-up
/// counter and the stack net (fewer when the tier-up threshold is lower).
const CHECK_PERIOD: u32 = 1024;

/// How far below its depth at entry the native stack may be during a run
/// before the net described in the module docs steps in.
#[cfg(ember_tail_dispatch)]
const STACK_NET: usize = 64 * 1024;

/// The state of one run that is not in argument registers.
pub(crate) struct Exec {
    inner: *mut StoreInner,
    /// The truth about the running frame whenever control leaves the
    /// handlers' registers (calls, returns, memory growth, stops).
    r: Regs,
    entry_depth: usize,
    /// Why execution stopped (set together with a null return).
    outcome: Option<Outcome>,
    fuel_on: bool,
    /// Back-edges left before the next check.
    ticks: u32,
    /// The branch (from, to) whose check is due (see `BACK_EDGE`).
    edge: (Ip, Ip),
    period: u32,
    osr_threshold: u32,
    osr_left: u32,
    /// State of the pseudo-random countdown lengths after calls (see
    /// `call_tick`).
    jitter: u32,
    interruptible: bool,
    interrupt: *const AtomicBool,
    /// Lowest native stack address the handler chain may reach.
    #[cfg(ember_tail_dispatch)]
    stack_floor: usize,
}

/// The native stack pointer.
#[cfg(ember_tail_dispatch)]
#[inline(always)]
fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads the stack pointer register; no memory, no side effects.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        core::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    // SAFETY: as above.
    #[cfg(target_arch = "aarch64")]
    unsafe {
        core::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    sp
}

/// Whether the handler chain has grown the native stack (see the module
/// docs); never in driver-loop builds, where it cannot.
#[inline(always)]
fn stack_grew(x: &Exec) -> bool {
    #[cfg(ember_tail_dispatch)]
    {
        stack_pointer() < x.stack_floor
    }
    #[cfg(not(ember_tail_dispatch))]
    {
        let _ = x;
        false
    }
}

/// Jumps to the handler of `$next` with the given state: a tail call, or a
/// return to the driver loop (which reloads the state from `Exec::r`).
macro_rules! dispatch {
    ($next:expr, $sp:expr, $mem_base:expr, $mem_len:expr, $x:ident, $acc:expr) => {{
        let next: Ip = $next;
        // SAFETY: `next` is an instruction of the running frame's code.
        dispatch_via!(
            unsafe { (*next).handler },
            next,
            $sp,
            $mem_base,
            $mem_len,
            $x,
            $acc
        )
    }};
}

/// Continues at what a body returned (see `handlers!`): stops on null,
/// runs a back-edge's check on `BACK_EDGE`, else dispatches.
macro_rules! continue_at {
    ($next:expr, $sp:expr, $mem_base:expr, $mem_len:expr, $x:ident, $acc:expr) => {{
        let next: Ip = $next;
        // One comparison for both: null is 0 and `BACK_EDGE` 8.
        if next as usize <= BACK_EDGE as usize {
            if next.is_null() {
                return next;
            }
            return back_edge_then($x);
        }
        dispatch!(next, $sp, $mem_base, $mem_len, $x, $acc)
    }};
}

/// Tells the compiler what `passes!` checked when the handler was chosen:
/// `$second` (`Some` `Instr::$b`) reads the result of `$first` (an
/// `Instr::$a`) in its operand `$field`, so the value can stay in a
/// register.
macro_rules! assume_passes {
    ($first:expr, $a:ident, $second:expr, $b:ident, $field:ident) => {
        // SAFETY: the handler is only given to instructions for which
        // `passes!` held (see `pair_handler` and `triple_handler`).
        unsafe {
            let (Instr::$a { dst, .. }, Some(Instr::$b { $field, .. })) = ($first, $second) else {
                core::hint::unreachable_unchecked()
            };
            core::hint::assert_unchecked(dst == $field);
        }
    };
}

/// Whether `$second` (an `Instr::$b`) reads the result of `$first` (an
/// `Instr::$a`) in its operand `$field`.
macro_rules! passes {
    ($first:expr, $a:ident, $second:expr, $b:ident, $field:ident) => {
        matches!(($first, $second), (Instr::$a { dst, .. }, Instr::$b { $field, .. }) if dst == $field)
    };
}

/// Like `dispatch!`, with the handler to run at `next` already known (the
/// driver loop looks it up itself).
macro_rules! dispatch_via {
    ($handler:expr, $next:expr, $sp:expr, $mem_base:expr, $mem_len:expr, $x:ident, $acc:expr) => {{
        let handler: Handler = $handler;
        let next: Ip = $next;
        let acc: Acc = $acc;
        #[cfg(ember_tail_dispatch)]
        {
            // SAFETY: `next` is an instruction of the running frame's code,
            // `handler` runs it, the state is the running frame's, and
            // `acc` is what the handler expects when `next` follows the
            // instruction just run (see `build`).
            return unsafe { handler(next, $sp, $mem_base, $mem_len, $x, acc) };
        }
        #[cfg(not(ember_tail_dispatch))]
        {
            let _ = (handler, $sp, $mem_base, $mem_len, &$x, acc);
            return next;
        }
    }};
}

/// Runs the top frame until the frame at index `entry_depth` returns or
/// something needs the embedder.
pub(crate) fn run(inner: &mut StoreInner, entry_depth: usize) -> Outcome {
    let osr_threshold = inner.jit.loop_threshold;
    let period = if osr_threshold == 0 {
        CHECK_PERIOD
    } else {
        osr_threshold.min(CHECK_PERIOD)
    };
    let mut x = Exec {
        r: super::load_frame(inner),
        inner,
        entry_depth,
        outcome: None,
        fuel_on: inner.engine.inner.config.consume_fuel,
        ticks: period,
        edge: (core::ptr::null(), core::ptr::null()),
        period,
        osr_threshold,
        osr_left: osr_threshold,
        jitter: 0x9e37_79b9,
        interruptible: inner.interruptible,
        interrupt: alloc::sync::Arc::as_ptr(&inner.interrupt),
        #[cfg(ember_tail_dispatch)]
        stack_floor: stack_pointer().saturating_sub(STACK_NET),
    };
    let mut ip = x.r.ip;
    loop {
        // SAFETY: `ip` is an instruction of the running frame's threaded
        // code (see `Regs`), whose handler expects exactly this state.
        // SAFETY: as above.
        let acc = unsafe { acc_at(ip, x.r.sp) };
        ip = unsafe { ((*ip).handler)(ip, x.r.sp, x.r.mem_base, x.r.mem_len, &mut x, acc) };
        if ip.is_null() {
            match x.outcome.take() {
                Some(outcome) => return outcome,
                // The stack net: start over at the same instruction.
                None => ip = x.r.ip,
            }
        }
    }
}

/// Stops the run with `outcome`.
#[cold]
#[inline(never)]
fn stop_with(x: &mut Exec, outcome: Outcome) -> Ip {
    x.outcome = Some(outcome);
    core::ptr::null()
}

/// Stops the run: the entry frame returned.
#[cold]
#[inline(never)]
fn stop_returned(x: &mut Exec) -> Ip {
    stop_with(x, Outcome::Returned)
}

/// Stops the run with a trap at `at`.
#[cold]
#[inline(never)]
fn trap_at(x: &mut Exec, at: Ip, code: TrapCode) -> Ip {
    // SAFETY: `Exec::inner` is the store this run has exclusive use of.
    let inner = unsafe { &mut *x.inner };
    inner.stack.frames.last_mut().unwrap().ip = at;
    stop_with(x, Outcome::Trap(code))
}

/// Stops the run for fuel before the instruction at `at`, which runs again
/// when the run resumes.
#[cold]
#[inline(never)]
fn out_of_fuel(x: &mut Exec, at: Ip) -> Ip {
    // SAFETY: as in `trap_at`.
    let inner = unsafe { &mut *x.inner };
    inner.stack.frames.last_mut().unwrap().ip = at;
    stop_with(x, Outcome::OutOfFuel)
}

/// The periodic check of calls (which share the back-edges' countdown)
/// at the call `at`: the interrupt flag and the stack net. `false` means
/// return null (stop, or start over at `x.r.ip`); `true` means run the call.
#[cold]
#[inline(never)]
fn call_tick(x: &mut Exec, at: Ip) -> bool {
    // Calls and back-edges share the countdown. With a fixed length, the
    // check could land on the same call of a loop every time, and its
    // back-edge would never count towards on-stack tier-up (a loop of one
    // call and one back-edge, and an even period, does that). So after a
    // call the next countdown is shortened by a pseudo-random amount, up
    // to half: the checks move over every position of a loop.
    x.ticks = if x.period < 4 {
        x.period
    } else {
        x.jitter ^= x.jitter << 13;
        x.jitter ^= x.jitter >> 17;
        x.jitter ^= x.jitter << 5;
        x.period - x.jitter % (x.period / 2)
    };
    // SAFETY: the store's `Arc` keeps the flag alive and is never replaced.
    if x.interruptible && unsafe { (*x.interrupt).load(Ordering::Relaxed) } {
        // SAFETY: as above.
        unsafe { (*x.interrupt).store(false, Ordering::Relaxed) };
        trap_at(x, at, TrapCode::Interrupted);
        return false;
    }
    if stack_grew(x) {
        x.r.ip = at;
        return false;
    }
    true
}

/// A call that [`call_fast`] declined (`x.r.ip` is the call instruction).
/// `false` means return null (stop, or start over at the call); `true`
/// means continue at `x.r`.
#[cold]
#[inline(never)]
fn call_slow_then(x: &mut Exec, store_func: u32, base: crate::ir::Slot) -> bool {
    // Native code and host functions run on this stack: give them all of
    // it (the stack net; the call runs again from the driver loop).
    if stack_grew(x) {
        return false;
    }
    // SAFETY: `Exec::inner` is the store this run has exclusive use of.
    let inner = unsafe { &mut *x.inner };
    let callee_base = x.r.base + base as usize;
    if let Some(outcome) = call_slow(inner, &mut x.r, store_func, callee_base) {
        stop_with(x, outcome);
        return false;
    }
    true
}

/// What a body returns when a loop back-edge's countdown ran out, with
/// the branch in `Exec::edge`: its handler then tail-calls
/// [`back_edge_then`], so that the check costs the fast path no stack
/// frame. Never an instruction's address (ops are 24 bytes, at least
/// 8-aligned, and never at address 8).
const BACK_EDGE: Ip = core::ptr::dangling();

/// [`back_edge`] for the branch in `Exec::edge`, then the dispatch to
/// where it says to continue.
#[cold]
#[inline(never)]
fn back_edge_then(x: &mut Exec) -> Ip {
    let (from, target) = x.edge;
    if !back_edge(x, from, target) {
        return core::ptr::null();
    }
    // SAFETY: `x.r.ip` is an op of the frame at `x.r.sp`.
    let acc = unsafe { acc_at(x.r.ip, x.r.sp) };
    dispatch!(x.r.ip, x.r.sp, x.r.mem_base, x.r.mem_len, x, acc)
}

/// A loop back-edge's periodic check, about to jump from `ip` to `target`:
/// interrupt, tier-up (which may move the frame to native code) and the
/// stack net. `false` means return null (stop, or start over at `x.r.ip`);
/// `true` means continue at `x.r.ip`.
#[cold]
#[inline(never)]
fn back_edge(x: &mut Exec, ip: Ip, target: Ip) -> bool {
    x.ticks = x.period;
    // SAFETY: `Exec::inner` is the store this run has exclusive use of.
    let inner = unsafe { &mut *x.inner };
    // SAFETY: the store's `Arc` keeps the flag alive and is never replaced.
    if x.interruptible && unsafe { (*x.interrupt).load(Ordering::Relaxed) } {
        // SAFETY: as above.
        unsafe { (*x.interrupt).store(false, Ordering::Relaxed) };
        inner.stack.frames.last_mut().unwrap().ip = ip;
        x.outcome = Some(Outcome::Trap(TrapCode::Interrupted));
        return false;
    }
    x.r.ip = target;
    if stack_grew(x) {
        return false;
    }
    if x.osr_threshold != 0 {
        x.osr_left = x.osr_left.saturating_sub(x.period);
        if x.osr_left == 0 {
            x.osr_left = x.osr_threshold;
            inner.stack.frames.last_mut().unwrap().ip = target;
            match native::osr(inner, x.entry_depth, target) {
                native::Osr::Declined => {}
                native::Osr::Continue => x.r.resume_top(inner),
                native::Osr::Stop(outcome) => {
                    x.outcome = Some(outcome);
                    return false;
                }
            }
        }
    }
    true
}

/// The operands a handler can take from the accumulator, by field name;
/// a handler's const parameter is one's position plus one (0: none).
const OPERANDS: [&str; 6] = ["a", "b", "src", "addr", "cond", "index"];

/// Whether two strings are equal (usable in constants).
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The accumulator number of the field `field`, 0 if it is not one of
/// `OPERANDS`.
const fn operand_id(field: &str) -> u8 {
    let mut i = 0;
    while i < OPERANDS.len() {
        if str_eq(OPERANDS[i], field) {
            return i as u8 + 1;
        }
        i += 1;
    }
    0
}

/// Whether `expr` (a body's slot expression, as written) is the operand
/// numbered `id`.
const fn is_operand(id: u8, expr: &str) -> bool {
    id != 0 && str_eq(OPERANDS[id as usize - 1], expr)
}

/// Whether `ids` holds `id`.
const fn has_operand(ids: &[u8], id: u8) -> bool {
    let mut i = 0;
    while i < ids.len() {
        if ids[i] == id {
            return true;
        }
        i += 1;
    }
    false
}

/// The variant of the fused handler `$handler` (whose first instruction is
/// an `Instr::$first`) that takes operand `$operand` from the accumulator,
/// if `$first` has that operand. Only those variants are instantiated.
macro_rules! acc_variant {
    ($handler:ident, $first:ident, $operand:expr) => {{
        let operand: u8 = $operand;
        if operand == 0 {
            Some($handler::<0> as Handler)
        } else if const { has_operand(operand_ids::$first, 1) } && operand == 1 {
            Some($handler::<1> as Handler)
        } else if const { has_operand(operand_ids::$first, 2) } && operand == 2 {
            Some($handler::<2> as Handler)
        } else if const { has_operand(operand_ids::$first, 3) } && operand == 3 {
            Some($handler::<3> as Handler)
        } else if const { has_operand(operand_ids::$first, 4) } && operand == 4 {
            Some($handler::<4> as Handler)
        } else if const { has_operand(operand_ids::$first, 5) } && operand == 5 {
            Some($handler::<5> as Handler)
        } else if const { has_operand(operand_ids::$first, 6) } && operand == 6 {
            Some($handler::<6> as Handler)
        } else {
            None
        }
    }};
}

/// Defines, inside a handler, the macros its body is written with. `$d` is
/// a `$` token (for the nested macros' own variables); the other names are
/// the handler's parameters and state, passed in so that the body, written
/// at the invocation, can name them too.
macro_rules! body_macros {
    ($d:tt $ip:ident $sp:ident $mem_base:ident $mem_len:ident $x:ident $inner:ident $acc:ident $acc_field:ident) => {
        // SAFETY (for the four slot macros): `push_frame` checked that the
        // whole frame (`frame_slots` slots from `sp`) lies inside the value
        // stack, and the translator only emits slot operands below
        // `frame_slots` (a `v128` operand's second slot included).
        //
        // The operand named by `$acc_field` (see `operand_id`) comes from
        // the accumulator instead: `build` chose this variant because the
        // previous instruction wrote that slot and falls through here, so
        // the accumulator holds the slot's value.
        #[allow(unused_macros)]
        macro_rules! get {
            ($d slot:expr) => {
                if const { is_operand($acc_field, stringify!($d slot)) } {
                    // SAFETY: see above.
                    unsafe { $acc.assume_init() }
                } else {
                    unsafe { *$sp.add($d slot as usize) }
                }
            };
        }
        #[allow(unused_macros)]
        macro_rules! set {
            ($d slot:expr, $d value:expr) => {{
                let value: u64 = $d value;
                unsafe { *$sp.add($d slot as usize) = value }
            }};
        }
        #[allow(unused_macros)]
        macro_rules! get128 {
            ($d slot:expr) => {
                get!($d slot) as u128 | (get!($d slot + 1) as u128) << 64
            };
        }
        #[allow(unused_macros)]
        macro_rules! set128 {
            ($d slot:expr, $d value:expr) => {{
                let value: u128 = $d value;
                set!($d slot, value as u64);
                set!($d slot + 1, (value >> 64) as u64);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! mem_at {
            ($d addr:expr, $d offset:expr, $d len:expr) => {{
                let ea = ($d addr as u32 as u64) + $d offset as u64;
                if ea + $d len as u64 > $mem_len as u64 {
                    Err(TrapCode::MemoryOutOfBounds)
                } else {
                    // SAFETY: `ea + len <= mem_len`: inside memory 0.
                    Ok(unsafe { $mem_base.add(ea as usize) })
                }
            }};
        }
        /// Pops the running frame and continues in its caller, or stops
        /// the run if it was the run's first frame.
        #[allow(unused_macros)]
        macro_rules! return_to_caller {
            () => {{
                let depth = $x.r.depth;
                debug_assert_eq!(depth + 1, $inner.stack.frames.len());
                // SAFETY: the list holds the running frame at `depth`
                // (`Regs::depth`); this drops it.
                unsafe { $inner.stack.frames.set_len(depth) };
                if depth == $x.entry_depth {
                    return stop_returned($x);
                }
                // The stack net (see the module docs): a run of returns
                // has no calls or back-edges to check it on. Every 64th
                // depth is enough (64 handler frames are far below the
                // net's margin) and keeps the check off most returns.
                if depth % 64 == 0 && stack_grew($x) {
                    $x.r.resume_below($inner);
                    return core::ptr::null();
                }
                $x.r.resume_below($inner);
                resume!()
            }};
        }
        #[allow(unused_macros)]
        macro_rules! save_pc {
            ($d at:expr) => {
                $inner.stack.frames.last_mut().unwrap().ip = $d at
            };
        }
        #[allow(unused_macros)]
        macro_rules! trap {
            ($d code:expr) => {{
                trap_out!($d code);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! tri {
            ($d e:expr) => {
                match $d e {
                    Ok(v) => v,
                    Err(code) => trap!(code),
                }
            };
        }
        #[allow(unused_macros)]
        macro_rules! i32_bin {
            ($d dst:ident, $d a:ident, $d b:expr, |$d p:ident, $d q:ident| $d body:expr) => {{
                let $d p = get!($d a) as u32;
                let $d q = $d b;
                set!($d dst, ($d body) as u32 as u64);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! i64_bin {
            ($d dst:ident, $d a:ident, $d b:expr, |$d p:ident, $d q:ident| $d body:expr) => {{
                let $d p = get!($d a);
                let $d q = $d b;
                set!($d dst, ($d body) as u64);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! f32_bin {
            ($d dst:ident, $d a:ident, $d b:ident, |$d p:ident, $d q:ident| $d body:expr) => {{
                let $d p = f32::from_bits(get!($d a) as u32);
                let $d q = f32::from_bits(get!($d b) as u32);
                set!($d dst, ($d body).to_bits() as u64);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! f64_bin {
            ($d dst:ident, $d a:ident, $d b:ident, |$d p:ident, $d q:ident| $d body:expr) => {{
                let $d p = f64::from_bits(get!($d a));
                let $d q = f64::from_bits(get!($d b));
                set!($d dst, ($d body).to_bits());
            }};
        }
        #[allow(unused_macros)]
        macro_rules! f32_cmp {
            ($d dst:ident, $d a:ident, $d b:ident, $d op:tt) => {{
                let p = f32::from_bits(get!($d a) as u32);
                let q = f32::from_bits(get!($d b) as u32);
                set!($d dst, (p $d op q) as u64);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! f64_cmp {
            ($d dst:ident, $d a:ident, $d b:ident, $d op:tt) => {{
                let p = f64::from_bits(get!($d a));
                let q = f64::from_bits(get!($d b));
                set!($d dst, (p $d op q) as u64);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! unary {
            ($d dst:ident, $d src:ident, |$d p:ident| $d body:expr) => {{
                let $d p = get!($d src);
                set!($d dst, $d body);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! f32_un {
            ($d dst:ident, $d src:ident, $d f:expr) => {{
                let p = f32::from_bits(get!($d src) as u32);
                set!($d dst, ($d f)(p).to_bits() as u64);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! f64_un {
            ($d dst:ident, $d src:ident, $d f:expr) => {{
                let p = f64::from_bits(get!($d src));
                set!($d dst, ($d f)(p).to_bits());
            }};
        }
        #[allow(unused_macros)]
        macro_rules! load {
            ($d dst:ident, $d addr:ident, $d offset:ident, $d ty:ty, |$d v:ident| $d conv:expr) => {{
                let p = tri!(mem_at!(get!($d addr), $d offset, core::mem::size_of::<$d ty>()));
                // SAFETY: `mem_at` checked that the bytes are inside memory
                // 0; the read is unaligned-safe.
                let $d v = <$d ty>::from_le(unsafe { p.cast::<$d ty>().read_unaligned() });
                set!($d dst, $d conv);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! store {
            ($d addr:ident, $d src:ident, $d offset:ident, $d ty:ty) => {{
                let p = tri!(mem_at!(get!($d addr), $d offset, core::mem::size_of::<$d ty>()));
                let v = (get!($d src) as $d ty).to_le();
                // SAFETY: `mem_at` checked that the bytes are inside memory 0.
                unsafe { p.cast::<$d ty>().write_unaligned(v) };
            }};
        }
        #[allow(unused_macros)]
        macro_rules! charge_bulk {
            ($d n:expr) => {
                if $x.fuel_on {
                    let n = $d n as u64;
                    if $inner.ctx.fuel < n {
                        save_pc!($ip);
                        stop!(Outcome::OutOfFuel);
                    }
                    $inner.ctx.fuel -= n;
                }
            };
        }
    };
}

/// The part of a hot handler and a hot body that is the same in both:
/// the ways out (`stop!`, `trap_out!`, `branch!`, `branch_if!`, on top of
/// the context's own `goto!`, `resume!` and `tick_out!`), the body, and
/// the fall-through to the next instruction.
macro_rules! hot_body {
    ($d:tt [$ip:ident $sp:ident $mem_base:ident $mem_len:ident $x:ident $inner:ident $r:ident $acc:ident $acc_out:ident $acc_field:ident]
        [$($field:ident)*] $body:block) => {{
        // Leaving the handler goes through cold functions, so that the
        // fast path needs no stack frame.
        #[allow(unused_macros)]
        macro_rules! stop {
            ($d outcome:expr) => {
                return stop_with($x, $d outcome)
            };
        }
        #[allow(unused_macros)]
        macro_rules! trap_out {
            ($d code:expr) => {
                return trap_at($x, $ip, $d code)
            };
        }
        /// Takes the branch at `from` by `jump` instructions.
        #[allow(unused_macros)]
        macro_rules! branch {
            ($d from:expr, $d jump:expr) => {{
                let from: Ip = $d from;
                // (Threaded code keeps branch distances in bytes.)
                let jump: i32 = $d jump;
                // SAFETY: the translator keeps branch targets inside the
                // code.
                let target = unsafe { from.byte_offset(jump as isize) };
                // Backward branches are loop back-edges.
                if jump <= 0 {
                    $x.ticks -= 1;
                    if $x.ticks == 0 {
                        tick_out!(from, target);
                    }
                }
                goto!(target);
            }};
        }
        #[allow(unused_macros)]
        macro_rules! branch_if {
            ($d cond:expr, $d jump:ident) => {
                if $d cond {
                    branch!($ip, $d jump);
                }
            };
        }
        body_macros!($d $ip $sp $mem_base $mem_len $x $inner $acc $acc_field);
        {
            let $r: &mut Regs = &mut $x.r;
            $body
        }
        // The next instruction may take this one's `dst` from the
        // accumulator. Read back right after the body's store, the value
        // stays in a register.
        $acc_out = acc_of_fields!($sp, $acc; $($field)*);
        // SAFETY: every instruction that falls through has a successor
        // (each function ends with a trap).
        goto!(unsafe { $ip.add(1) })
    }};
}

/// The accumulator after an instruction with the given fields: the value
/// of its `dst` slot, if it has a field of that name, else the one before
/// (see `acc_slots` for when that is known).
macro_rules! acc_of_fields {
    ($sp:ident, $before:expr;) => {
        $before
    };
    ($sp:ident, $before:expr; $field:ident $($rest:ident)*) => {
        acc_of_fields!(@check $sp, $before; $field $field; $($rest)*)
    };
    (@check $sp:ident, $before:expr; dst $dst:ident; $($rest:ident)*) => {
        // SAFETY: a slot of the running frame (see `body_macros!`).
        Acc::new(unsafe { *$sp.add($dst as usize) })
    };
    (@check $sp:ident, $before:expr; $other:ident $same:ident; $($rest:ident)*) => {
        acc_of_fields!($sp, $before; $($rest)*)
    };
}

/// Defines, per instruction, its body (in module `bodies`: an always
/// inlined function that runs the instruction and returns where execution
/// continues, or null to stop), its handler (the body, then the dispatch),
/// and `handler_of`. `hot` bodies run inline; `cold` bodies run in an
/// out-of-line function (see the module docs). A body that falls through
/// continues with the next instruction; `stop!`, `goto!` and `resume!`
/// leave it otherwise.
///
/// Bodies take the frame pointer and memory 0 by reference: `resume!`
/// (calls, returns, tier changes) updates them. Once inlined, the
/// references disappear into registers.
macro_rules! handlers {
    (
        $d:tt [$ip:ident $sp:ident $mem_base:ident $mem_len:ident $x:ident $inner:ident $r:ident $acc:ident $acc_out:ident $acc_field:ident]
        $( $kind:ident $name:ident { $($field:ident),* } => $body:block )*
    ) => {
        /// The instructions' bodies, named after them (those of
        /// instructions in no pair are unused).
        #[allow(dead_code)]
        mod bodies {
            use super::*;
            $( handlers!(@body $kind $d [$ip $sp $mem_base $mem_len $x $inner $r $acc $acc_out $acc_field] $name { $($field),* } => $body); )*
        }

        /// Per instruction, the `operand_id` of each of its fields.
        #[allow(non_upper_case_globals, dead_code)]
        mod operand_ids {
            use super::*;
            $( pub(super) const $name: &[u8] = &[$(operand_id(stringify!($field))),*]; )*
        }

        $( handlers!(@one $kind $d [$ip $sp $mem_base $mem_len $x $inner $r $acc $acc_out $acc_field] $name { $($field),* } => $body); )*

        /// The handler of `instr`.
        fn handler_of(instr: &Instr) -> Handler {
            match instr {
                $( Instr::$name { .. } => handlers!(@plain $kind $name), )*
            }
        }

        /// The handler of `instr` that takes its operand `operand` (an
        /// `operand_id`) from the accumulator, if there is one: `hot`
        /// handlers have one per operand.
        fn acc_handler_of(instr: &Instr, operand: u8) -> Option<Handler> {
            match instr {
                $( Instr::$name { .. } => handlers!(@acc $kind $name operand [$($field)*]), )*
            }
        }
    };
    (@plain hot $name:ident) => { $name::<0> };
    (@plain cold $name:ident) => { $name };
    (@acc cold $name:ident $operand:ident [$($field:ident)*]) => {{
        let _ = $operand;
        None
    }};
    (@acc hot $name:ident $operand:ident [$($field:ident)*]) => {{
        $(
            if operand_id(stringify!($field)) != 0 && $operand == operand_id(stringify!($field)) {
                return Some($name::<{ operand_id(stringify!($field)) }>);
            }
        )*
        None
    }};
    (@one hot $d:tt [$ip:ident $sp:ident $mem_base:ident $mem_len:ident $x:ident $inner:ident $r:ident $acc:ident $acc_out:ident $acc_field:ident]
        $name:ident { $($field:ident),* } => $body:block) => {
        #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments, unreachable_code, clippy::all)]
        unsafe fn $name<const $acc_field: u8>($ip: Ip, $sp: *mut u64, $mem_base: *mut u8, $mem_len: usize, $x: &mut Exec, $acc: Acc) -> Ip {
            // SAFETY: `handler_of` gives this handler only to this
            // instruction, and `ip` points at it.
            let Instr::$name { $($field),* } = (unsafe { &*$ip }).instr else {
                // SAFETY: as above.
                unsafe { core::hint::unreachable_unchecked() }
            };
            // SAFETY: `Exec::inner` is the store this run has exclusive use
            // of; nothing else reaches it while a handler runs.
            let $inner: &mut StoreInner = unsafe { &mut *$x.inner };
            let mut $acc_out = $acc;
            #[allow(unused_macros)]
            macro_rules! goto {
                ($d target:expr) => {
                    dispatch!($d target, $sp, $mem_base, $mem_len, $x, $acc_out)
                };
            }
            /// Like `goto!`, running `handler` there (the target's own or
            /// one equivalent to it for that instruction).
            #[allow(unused_macros)]
            macro_rules! goto_via {
                ($d handler:expr, $d target:expr) => {
                    dispatch_via!($d handler, $d target, $sp, $mem_base, $mem_len, $x, $acc_out)
                };
            }
            #[allow(unused_macros)]
            macro_rules! resume {
                () => {
                    dispatch!($x.r.ip, $x.r.sp, $x.r.mem_base, $x.r.mem_len, $x, Acc::uninit())
                };
            }
            /// A back-edge whose countdown ran out: the check, then the
            /// dispatch (see `back_edge_then`).
            #[allow(unused_macros)]
            macro_rules! tick_out {
                ($d from:expr, $d target:expr) => {{
                    $x.edge = ($d from, $d target);
                    return back_edge_then($x);
                }};
            }
            hot_body!($d [$ip $sp $mem_base $mem_len $x $inner $r $acc $acc_out $acc_field] [$($field)*] $body)
        }
    };
    (@one cold $d:tt [$ip:ident $sp:ident $mem_base:ident $mem_len:ident $x:ident $inner:ident $r:ident $acc:ident $acc_out:ident $acc_field:ident]
        $name:ident { $($field:ident),* } => $body:block) => {
        #[allow(non_snake_case)]
        unsafe fn $name(ip: Ip, sp: *mut u64, mem_base: *mut u8, mem_len: usize, x: &mut Exec, acc: Acc) -> Ip {
            let (mut sp, mut mem_base, mut mem_len, mut acc) = (sp, mem_base, mem_len, acc);
            // SAFETY: `handler_of` gives this handler only to this
            // instruction, and `ip` points at it.
            let next = unsafe { bodies::$name::<0>(ip, (*ip).instr, &mut sp, &mut mem_base, &mut mem_len, x, &mut acc) };
            if next.is_null() {
                return next;
            }
            dispatch!(next, sp, mem_base, mem_len, x, acc)
        }
    };
    (@body hot $d:tt [$ip:ident $sp:ident $mem_base:ident $mem_len:ident $x:ident $inner:ident $r:ident $acc:ident $acc_out:ident $acc_field:ident]
        $name:ident { $($field:ident),* } => $body:block) => {
        #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments, unreachable_code, clippy::all)]
        #[inline(always)]
        pub(super) unsafe fn $name<const $acc_field: u8>(
            $ip: Ip,
            instr: Instr,
            sp_io: &mut *mut u64,
            mem_base_io: &mut *mut u8,
            mem_len_io: &mut usize,
            $x: &mut Exec,
            acc_io: &mut Acc,
        ) -> Ip {
            let ($sp, $mem_base, $mem_len) = (*sp_io, *mem_base_io, *mem_len_io);
            let $acc: Acc = *acc_io;
            let mut $acc_out = $acc;
            // SAFETY: `pair_handler` gives this body only this instruction
            // (`instr`, the one at `ip`).
            let Instr::$name { $($field),* } = instr else {
                // SAFETY: as above.
                unsafe { core::hint::unreachable_unchecked() }
            };
            // SAFETY: `Exec::inner` is the store this run has exclusive use
            // of; nothing else reaches it while a handler runs.
            let $inner: &mut StoreInner = unsafe { &mut *$x.inner };
            #[allow(unused_macros)]
            macro_rules! goto {
                ($d target:expr) => {{
                    let target: Ip = $d target;
                    // SAFETY: instructions live in the code's allocation,
                    // never at null or at `BACK_EDGE`; telling the
                    // compiler lets it drop the handler's checks for those.
                    unsafe { core::hint::assert_unchecked(!target.is_null() && target != BACK_EDGE) };
                    *acc_io = $acc_out;
                    return target;
                }};
            }
            #[allow(unused_macros)]
            macro_rules! goto_via {
                ($d handler:expr, $d target:expr) => {{
                    let _: Handler = $d handler;
                    goto!($d target)
                }};
            }
            #[allow(unused_macros)]
            macro_rules! resume {
                () => {{
                    *sp_io = $x.r.sp;
                    *mem_base_io = $x.r.mem_base;
                    *mem_len_io = $x.r.mem_len;
                    *acc_io = Acc::uninit();
                    return $x.r.ip;
                }};
            }
            /// A back-edge whose countdown ran out: its handler runs the
            /// check (see `BACK_EDGE`).
            #[allow(unused_macros)]
            macro_rules! tick_out {
                ($d from:expr, $d target:expr) => {{
                    $x.edge = ($d from, $d target);
                    return BACK_EDGE;
                }};
            }
            hot_body!($d [$ip $sp $mem_base $mem_len $x $inner $r $acc $acc_out $acc_field] [$($field)*] $body)
        }
    };
    (@body cold $d:tt [$ip:ident $sp:ident $mem_base:ident $mem_len:ident $x:ident $inner:ident $r:ident $acc:ident $acc_out:ident $acc_field:ident]
        $name:ident { $($field:ident),* } => $body:block) => {
        #[allow(non_snake_case, unused_variables, unused_mut, unreachable_code, clippy::all)]
        #[inline(always)]
        pub(super) unsafe fn $name<const $acc_field: u8>(
            $ip: Ip,
            instr: Instr,
            sp_io: &mut *mut u64,
            mem_base_io: &mut *mut u8,
            mem_len_io: &mut usize,
            $x: &mut Exec,
            acc_io: &mut Acc,
        ) -> Ip {
            #[inline(never)]
            fn work($ip: Ip, $sp: *mut u64, $mem_base: *mut u8, $mem_len: usize, $x: &mut Exec) -> bool {
                // SAFETY: as in the `hot` bodies.
                let Instr::$name { $($field),* } = (unsafe { &*$ip }).instr else {
                    // SAFETY: as above.
                    unsafe { core::hint::unreachable_unchecked() }
                };
                // SAFETY: as in the `hot` bodies.
                let $inner: &mut StoreInner = unsafe { &mut *$x.inner };
                #[allow(unused_macros)]
                macro_rules! stop {
                    ($d outcome:expr) => {{
                        $x.outcome = Some($d outcome);
                        return false;
                    }};
                }
                #[allow(unused_macros)]
                macro_rules! trap_out {
                    ($d code:expr) => {{
                        save_pc!($ip);
                        stop!(Outcome::Trap($d code));
                    }};
                }
                // Out-of-line bodies read every operand from its slot.
                const $acc_field: u8 = 0;
                let $acc = Acc::uninit();
                body_macros!($d $ip $sp $mem_base $mem_len $x $inner $acc $acc_field);
                {
                    let $r: &mut Regs = &mut $x.r;
                    $body
                }
                true
            }
            let $sp = *sp_io;
            if !work($ip, $sp, *mem_base_io, *mem_len_io, $x) {
                return core::ptr::null();
            }
            // Memory 0 may have moved.
            *mem_base_io = $x.r.mem_base;
            *mem_len_io = $x.r.mem_len;
            // SAFETY: as in the `hot` bodies.
            let Instr::$name { $($field),* } = instr else {
                // SAFETY: as above.
                unsafe { core::hint::unreachable_unchecked() }
            };
            *acc_io = acc_of_fields!($sp, *acc_io; $($field)*);
            // SAFETY: as in the `hot` bodies.
            unsafe { $ip.add(1) }
        }
    };
}

/// Defines handlers that run two instructions in a row, `$first` and the
/// `$second` that follows it, with one dispatch, and `pair_handler`, which
/// picks them when the threaded code is built. Any two instructions can
/// pair: if the first one does not fall through, its handler continues
/// where it says (a jump into the second instruction lands on the second's
/// own op). The list holds the pairs that are frequent in compiled C and
/// hand-written loops.
macro_rules! pairs {
    // The second instruction, read before the first one runs when the
    // pair passes a result (see below), else `None`.
    (@early $second:ident [$($field:ident)?] [early]) => {
        // SAFETY: as in the handler.
        Some(unsafe { (*$second).instr })
    };
    (@early $second:ident [$field:ident] []) => {
        // SAFETY: as in the handler.
        Some(unsafe { (*$second).instr })
    };
    (@early $second:ident [] []) => {
        None
    };
    ($( $pair:ident = $first:ident + $second:ident $([$field:ident])? $(($early:ident))?, )*) => {
        $(
            #[allow(non_snake_case)]
            unsafe fn $pair<const ACC: u8>(ip: Ip, sp: *mut u64, mem_base: *mut u8, mem_len: usize, x: &mut Exec, acc: Acc) -> Ip {
                let (mut sp, mut mem_base, mut mem_len, mut acc) = (sp, mem_base, mem_len, acc);
                // SAFETY: `pair_handler` gives this handler only to a
                // `$first` followed by a `$second`.
                let second = unsafe { ip.add(1) };
                // SAFETY: as above.
                let one = unsafe { (*ip).instr };
                // When the second instruction reads the first one's result,
                // it is read before the first one writes, so that what is
                // known of it holds. Otherwise it is read when it runs
                // (fewer registers live across the first instruction),
                // unless the pair is marked `(early)`: then its loads may
                // start before the first instruction's store.
                let early: Option<Instr> = pairs!(@early second [$($field)?] [$($early)?]);
                $( assume_passes!(one, $first, early, $second, $field); )?
                // SAFETY: as above.
                let next = unsafe { bodies::$first::<ACC>(ip, one, &mut sp, &mut mem_base, &mut mem_len, x, &mut acc) };
                if next != second {
                    continue_at!(next, sp, mem_base, mem_len, x, acc)
                }
                // SAFETY: as above.
                let two = early.unwrap_or_else(|| unsafe { (*second).instr });
                // SAFETY: as above.
                let next = unsafe { bodies::$second::<0>(second, two, &mut sp, &mut mem_base, &mut mem_len, x, &mut acc) };
                continue_at!(next, sp, mem_base, mem_len, x, acc)
            }
        )*

        /// The handler that runs `first` and then `second`, if the pair is
        /// in the list (the first entry that fits), in its variant that
        /// takes `first`'s operand `operand` from the accumulator (0: none).
        fn pair_handler(first: &Instr, second: &Instr, operand: u8) -> Option<Handler> {
            $(
                if let (Instr::$first { .. }, Instr::$second { .. }) = (first, second) {
                    #[allow(unused_variables)]
                    let fits = true;
                    $( let fits = passes!(first, $first, second, $second, $field); )?
                    if fits {
                        return acc_variant!($pair, $first, operand);
                    }
                }
            )*
            None
        }
    };
}

pairs! {
    // A result used right away: `[field]` marks the second instruction's
    // operand that reads the first one's `dst`.
    AddImmToLoad = I32AddImm + I32Load [addr],
    AddImmToLoad8U = I32AddImm + I32Load8U [addr],
    AddImmToI64Load = I32AddImm + I64Load [addr],
    AddImmToStore = I32AddImm + I32Store [addr],
    AddImmToStore8 = I32AddImm + I32Store8 [addr],
    AddImmToI64Store = I32AddImm + I64Store [addr],
    AddImmToBrLeU = I32AddImm + BrI32LeU [a],
    AddImmToBrNe = I32AddImm + BrI32Ne [a],
    AddImmToBrNeB = I32AddImm + BrI32Ne [b],
    AddImmToBrNeImm = I32AddImm + BrI32NeImm [a],
    AddImmToBrLtUImm = I32AddImm + BrI32LtUImm [a],
    AddImmToBrGtUImm = I32AddImm + BrI32GtUImm [a],
    AddImmToBrIfNez = I32AddImm + BrIfNez [cond],
    AddToLoad = I32Add + I32Load [addr],
    AddToLoad8U = I32Add + I32Load8U [addr],
    AddToI64Load = I32Add + I64Load [addr],
    AddToStore = I32Add + I32Store [addr],
    AddToStore8 = I32Add + I32Store8 [addr],
    AddToI64Store = I32Add + I64Store [addr],
    AddToBrLeU = I32Add + BrI32LeU [a],
    AddToBrLtU = I32Add + BrI32LtU [a],
    ShlImmToAdd = I32ShlImm + I32Add [b],
    MulImmToAddImm = I32MulImm + I32AddImm [a],
    Const32ToStore8 = Const32 + I32Store8 [src],
    Const32ToStore = Const32 + I32Store [src],
    Load8UToBrNe = I32Load8U + BrI32Ne [a],
    Load8UToBrEqImm = I32Load8U + BrI32EqImm [a],
    Load8UToBrIfNez = I32Load8U + BrIfNez [cond],
    LoadToAdd = I32Load + I32Add [b],
    LoadToLoad = I32Load + I32Load [addr],
    RotlImmToXor = I32RotlImm + I32Xor [b],
    XorImmToAnd = I32XorImm + I32And [b],
    AndToBrIfEqz = I32And + BrIfEqz [cond],
    LoadToF32Mul = I32Load + F32Mul [b],
    F32MulToF32Add = F32Mul + F32Add [a],
    F32AddToF32Add = F32Add + F32Add [b],
    F64MulToF64Div = F64Mul + F64Div [b],
    MulImmToAdd = I32MulImm + I32Add [b],
    ShrUImmToAndImm = I32ShrUImm + I32AndImm [a],
    ShrUToAndImm = I32ShrU + I32AndImm [a],
    MulImmToShrUImm = I32MulImm + I32ShrUImm [a],
    AndImmToAdd = I32AndImm + I32Add [b],
    SubToBrGtUImm = I32Sub + BrI32GtUImm [a],
    ConstToAdd = Const32 + I32Add [b],
    ConstToSub = Const32 + I32Sub [a],
    SubToAnd = I32Sub + I32And [b],
    LoadToBrLtU = I32Load + BrI32LtU [a],
    LoadToBrLeU = I32Load + BrI32LeU [a],
    CopyToShlImm = Copy + I32ShlImm [a],
    I64Load8UToXor = I64Load8U + I64Xor [b],
    Const32ToI64Store = Const32 + I64Store [src],
    SubToLoad8U = I32Sub + I32Load8U [addr],
    F64SqrtToF64Mul = F64Sqrt + F64Mul [b],
    I64LoadToF64Mul = I64Load + F64Mul [b],
    I64LoadToF64Add = I64Load + F64Add [b],
    I64LoadToF64Sub = I64Load + F64Sub [b],
    F64MulToF64Add = F64Mul + F64Add [b],
    F64MulToF64Sub = F64Mul + F64Sub [b],
    F64AddToI64Store = F64Add + I64Store [src],
    F64SubToI64Store = F64Sub + I64Store [src],
    GtUToSelect = I32GtU + Select [cond],
    AddImmToShlImm = I32AddImm + I32ShlImm [a],
    AddImmToV128Load = I32AddImm + V128Load [addr],
    LoadToBrTable = I32Load + BrTable [index],
    LoadToStore = I32Load + I32Store [src],
    LoadToReturnSlot = I32Load + ReturnSlot [src],
    CopyToReturnSlot = Copy + ReturnSlot [src],
    AddToReturnSlot = I32Add + ReturnSlot [src],
    SelectToReturnSlot = Select + ReturnSlot [src],
    AndImmToBrIfEqz = I32AndImm + BrIfEqz [cond],
    OrToOr = I32Or + I32Or [a],
    // Hashes and bit tricks: `x ^ (y >> k)`, `(x ^ y) & z`, `1 << c`.
    ShrUImmToXor = I32ShrUImm + I32Xor [b],
    XorToAnd = I32Xor + I32And [a],
    ConstToShl = Const32 + I32Shl [a],
    // Branch-free merging: `i += (x <= y)`, and a comparison kept and
    // tested.
    LeUToAdd = I32LeU + I32Add [b],
    LeUToBrIfNez = I32LeU + BrIfNez [cond],
    AddImmToCopy = I32AddImm + Copy [src],
    // Decimal parsing: `n * 10 + c - '0'` in 64 bits.
    I64AddToI64AddImm = I64Add + I64AddImm [a],
    // Pairs in general.
    AddImmThenLoad = I32AddImm + I32Load,
    AddImmThenLoad8U = I32AddImm + I32Load8U,
    AddImmThenI64Load = I32AddImm + I64Load,
    AddImmThenStore = I32AddImm + I32Store,
    AddImmThenStore8 = I32AddImm + I32Store8,
    AddImmThenI64Store = I32AddImm + I64Store,
    AddImmThenAddImm = I32AddImm + I32AddImm,
    AddImmThenConst32 = I32AddImm + Const32,
    AddImmThenBrLeU = I32AddImm + BrI32LeU,
    AddImmThenBrNe = I32AddImm + BrI32Ne,
    AddImmThenBrNeImm = I32AddImm + BrI32NeImm,
    AddImmThenBrLtUImm = I32AddImm + BrI32LtUImm,
    AddImmThenBrGtUImm = I32AddImm + BrI32GtUImm,
    AddImmThenBrIfNez = I32AddImm + BrIfNez,
    AddImmThenBr = I32AddImm + Br,
    AddThenLoad = I32Add + I32Load,
    AddThenLoad8U = I32Add + I32Load8U,
    AddThenI64Load = I32Add + I64Load,
    AddThenStore = I32Add + I32Store,
    AddThenStore8 = I32Add + I32Store8,
    AddThenI64Store = I32Add + I64Store,
    AddThenAdd = I32Add + I32Add,
    AddThenAddImm = I32Add + I32AddImm,
    AddThenBrLeU = I32Add + BrI32LeU,
    AddThenBrLtU = I32Add + BrI32LtU,
    ShlImmThenAdd = I32ShlImm + I32Add,
    MulImmThenAddImm = I32MulImm + I32AddImm,
    Const32ThenStore8 = Const32 + I32Store8,
    Const32ThenStore = Const32 + I32Store,
    Load8UThenBrNe = I32Load8U + BrI32Ne,
    Load8UThenBrEqImm = I32Load8U + BrI32EqImm,
    Load8UThenBrIfNez = I32Load8U + BrIfNez,
    Load8UThenAdd = I32Load8U + I32Add,
    Load8UThenAddImm = I32Load8U + I32AddImm,
    LoadThenLoad = I32Load + I32Load (early),
    LoadThenAddImm = I32Load + I32AddImm,
    LoadThenAdd = I32Load + I32Add,
    LoadThenCopy = I32Load + Copy (early),
    StoreThenAddImm = I32Store + I32AddImm,
    StoreThenLoad = I32Store + I32Load,
    StoreThenCopy = I32Store + Copy,
    I64MulThenAddImm = I64Mul + I32AddImm,
    BrGeUThenSub = BrI32GeU + I32Sub,
    BrGtUImmThenAdd = BrI32GtUImm + I32Add,
    SelectThenBrGtUImm = Select + BrI32GtUImm,
    I64LoadThenF64Mul = I64Load + F64Mul,
    I64LoadThenF64Add = I64Load + F64Add,
    I64LoadThenF64Sub = I64Load + F64Sub,
    I64LoadThenI64Load = I64Load + I64Load,
    I64StoreThenI64Load = I64Store + I64Load,
    I64StoreThenAddImm = I64Store + I32AddImm,
    F64MulThenF64Mul = F64Mul + F64Mul,
    F64MulThenF64Add = F64Mul + F64Add,
    F64MulThenF64Sub = F64Mul + F64Sub,
    F64MulThenI64Load = F64Mul + I64Load,
    F64SubThenI64Load = F64Sub + I64Load,
    F64DivThenI64Load = F64Div + I64Load,
    F64SubThenF64Mul = F64Sub + F64Mul,
    F64AddThenF64Mul = F64Add + F64Mul,
    F64AddThenI64Store = F64Add + I64Store,
    F64SubThenI64Store = F64Sub + I64Store,
    BrLeUThenAddImm = BrI32LeU + I32AddImm,
    BrNeThenAddImm = BrI32Ne + I32AddImm,
    BrNeThenAdd = BrI32Ne + I32Add,
    BrIfNezThenAddImm = BrIfNez + I32AddImm,
    BrNeImmThenAdd = BrI32NeImm + I32Add,
    SelectThenStore = Select + I32Store,
    GtUThenSelect = I32GtU + Select,
    AddThenBr = I32Add + Br,
    ShlImmThenOr = I32ShlImm + I32Or,
    ShrUImmThenCopy = I32ShrUImm + Copy,
    I64MulImmThenI64Load8S = I64MulImm + I64Load8S,
    // (A `Copy` or `I32SubImm` of the argument, then `Call`, measured
    // slower: fib -4%, calls -3%.)
    CopyThenCallIndirect = Copy + CallIndirect (early),
    CopyThenCopy = Copy + Copy (early),
    CopyThenBr = Copy + Br,
    BrGeSImmThenCopy = BrI32GeSImm + Copy,
    BrGeSThenCopy = BrI32GeS + Copy,
    BrGeSImmThenSubImm = BrI32GeSImm + I32SubImm,
    BrGeSThenSubImm = BrI32GeS + I32SubImm,
    SubImmThenCopy = I32SubImm + Copy,
    OrThenOr = I32Or + I32Or,
    OrThenShlImm = I32Or + I32ShlImm,
    XorThenOr = I32Xor + I32Or,
    AndThenXor = I32And + I32Xor,
    SimdThenSimd = Simd + Simd,
    V128LoadThenSimd = V128Load + Simd,
    Const128ThenSimd = Const128 + Simd,
    SimdThenV128Store = Simd + V128Store,
    SimdThenAddImm = Simd + I32AddImm,
    SimdThenConst128 = Simd + Const128,
    Const128ThenConst128 = Const128 + Const128,
    V128StoreThenAddImm = V128Store + I32AddImm,
}

/// The body of a triple or quint handler: runs the listed instructions'
/// bodies in a row (each an `$name` at op `$at`, whose instruction is
/// read into `$instr`), the first with the accumulator variant `$acc_v`,
/// and continues wherever one does not fall through to the next. An
/// instruction that reads the previous one's result (`[field]`) is read
/// before that result is written, so that what is known of it holds; the
/// others are read when they run (see `pairs!`).
macro_rules! fused_run {
    ([$sp:ident $mem_base:ident $mem_len:ident $x:ident $acc:ident] $acc_v:expr;
        $at:ident $instr:ident $name:ident) => {{
        // SAFETY: the handler's list puts an `Instr::$name` at `$at`.
        let next = unsafe { bodies::$name::<{ $acc_v }>($at, $instr, &mut $sp, &mut $mem_base, &mut $mem_len, $x, &mut $acc) };
        continue_at!(next, $sp, $mem_base, $mem_len, $x, $acc)
    }};
    ([$sp:ident $mem_base:ident $mem_len:ident $x:ident $acc:ident] $acc_v:expr;
        $at:ident $instr:ident $name:ident,
        $next_at:ident $next_instr:ident $next_name:ident [$($field:ident)?] $($rest:tt)*) => {{
        let early: Option<Instr> = pairs!(@early $next_at [$($field)?] []);
        $( assume_passes!($instr, $name, early, $next_name, $field); )?
        // SAFETY: the handler's list puts an `Instr::$name` at `$at`.
        let next = unsafe { bodies::$name::<{ $acc_v }>($at, $instr, &mut $sp, &mut $mem_base, &mut $mem_len, $x, &mut $acc) };
        if next != $next_at {
            continue_at!(next, $sp, $mem_base, $mem_len, $x, $acc)
        }
        // SAFETY: as above, for `$next_at`.
        let $next_instr = early.unwrap_or_else(|| unsafe { (*$next_at).instr });
        fused_run!([$sp $mem_base $mem_len $x $acc] 0; $next_at $next_instr $next_name $($rest)*)
    }};
}

/// Whether the instructions `$i` (each an `Instr::$name`, already matched)
/// pass results as a triple's or quint's list says: each `[field]` after
/// an instruction names its operand that must read the previous one's
/// `dst` (see `passes!`).
macro_rules! chain_fits {
    ($i:ident $name:ident) => {
        true
    };
    ($i:ident $name:ident, $j:ident $next:ident [$($field:ident)?] $($rest:tt)*) => {
        true $( && passes!($i, $name, $j, $next, $field) )? && chain_fits!($j $next $($rest)*)
    };
}

/// Like [`pairs!`], for three instructions in a row: `triple_handler`
/// picks them. `[field]` after the second (third) instruction marks its
/// operand that reads the first (second) one's `dst`.
macro_rules! triples {
    ($( $name:ident = $a:ident + $b:ident $([$fb:ident])? + $c:ident $([$fc:ident])?, )*) => {
        $(
            #[allow(non_snake_case)]
            unsafe fn $name<const ACC: u8>(ip: Ip, sp: *mut u64, mem_base: *mut u8, mem_len: usize, x: &mut Exec, acc: Acc) -> Ip {
                let (mut sp, mut mem_base, mut mem_len, mut acc) = (sp, mem_base, mem_len, acc);
                // SAFETY: `triple_handler` gives this handler only to an
                // `$a`, a `$b` and a `$c` in a row.
                let (second, third) = unsafe { (ip.add(1), ip.add(2)) };
                // SAFETY: as above.
                let one = unsafe { (*ip).instr };
                fused_run!([sp mem_base mem_len x acc] ACC;
                    ip one $a, second two $b [$($fb)?], third three $c [$($fc)?])
            }
        )*

        /// The handler that runs `a`, `b` and `c`, if the triple is in the
        /// list (the first entry that fits).
        fn triple_handler(a: &Instr, b: &Instr, c: &Instr, operand: u8) -> Option<Handler> {
            $(
                if let (Instr::$a { .. }, Instr::$b { .. }, Instr::$c { .. }) = (a, b, c)
                    && chain_fits!(a $a, b $b [$($fb)?], c $c [$($fc)?])
                {
                    return acc_variant!($name, $a, operand);
                }
            )*
            None
        }
    };
}

triples! {
    // Array indexing: `base + (i << k)`, then the access.
    IndexLoad = I32ShlImm + I32Add [b] + I32Load [addr],
    IndexI64Load = I32ShlImm + I32Add [b] + I64Load [addr],
    IndexStore = I32ShlImm + I32Add [b] + I32Store [addr],
    // Byte scanning and comparing.
    AddLoad8UBrNe = I32Add + I32Load8U [addr] + BrI32Ne [a],
    // `while (p[i] == q[i]) i++`: the second load, compared.
    AddLoad8UBrNeB = I32Add + I32Load8U [addr] + BrI32Ne [b],
    AddImmLoad8UBrIfNez = I32AddImm + I32Load8U [addr] + BrIfNez [cond],
    AddImmLoad8UBrEqImm = I32AddImm + I32Load8U [addr] + BrI32EqImm [a],
    // `while (*p == *q)`, and a character class: `(c - k) & 255 > n`.
    Load8ULoad8UBrNe = I32Load8U + I32Load8U + BrI32Ne [b],
    AddImmAndImmBrGtUImm = I32AddImm + I32AndImm [a] + BrI32GtUImm [a],
    // Hash rounds: two rotations of one value, combined; a 64-bit
    // multiplicative hash step; a lowest-set-bit test.
    RotlRotlXor = I32RotlImm + I32RotlImm + I32Xor [b],
    Const64MulAddImm = Const64 + I64Mul [b] + I32AddImm,
    XorImmAndBrIfEqz = I32XorImm + I32And [b] + BrIfEqz [cond],
    // `while (s->pos < s->len)`: two fields of a struct, compared.
    LoadLoadBrLtU = I32Load + I32Load + BrI32LtU [b],
    // Arguments of a call: one computed, two copied.
    SubImmCopyCopy = I32SubImm + Copy + Copy,
    // Storing a constant at a computed address.
    AddImmConstStore8 = I32AddImm + Const32 + I32Store8 [src],
    AddImmConstStore = I32AddImm + Const32 + I32Store [src],
    // Loop tails: store, step, test.
    Store8AddBrLeU = I32Store8 + I32Add + BrI32LeU [a],
    StoreAddImmBrNe = I32Store + I32AddImm + BrI32Ne [a],
    // Float kernels: `acc + x * y`, `x[i] op= ...`, `d * sqrt(d)`, and a
    // loop over an array of structs: test, then `base + j * size`.
    F64AddSqrtMul = F64Add + F64Sqrt [src] + F64Mul [b],
    BrGeUImmMulImmAddImm = BrI32GeUImm + I32MulImm + I32AddImm [a],
    LoadMulAdd = I64Load + F64Mul [b] + F64Add [b],
    MulAddStore = F64Mul + F64Add [b] + I64Store [src],
    LoadAddStore = I64Load + F64Add [b] + I64Store [src],
    LoadSubStore = I64Load + F64Sub [b] + I64Store [src],
}

/// `switch (table[i])` in compiled C: the array load of a triple, then
/// the `br_table` on the loaded value, in one handler. (Running the
/// `pc + 1` of an interpreter's `switch (code[pc++])` in it as well
/// measured 3% slower.) A switch on a loaded value is taken to be dense,
/// an interpreter's dispatch (see `table_branch`): interp +4%, where a
/// plain `br_table` doing the same made json and calls 1% slower.
#[allow(non_snake_case)]
unsafe fn IndexLoadBrTable<const ACC: u8>(
    ip: Ip,
    sp: *mut u64,
    mem_base: *mut u8,
    mem_len: usize,
    x: &mut Exec,
    acc: Acc,
) -> Ip {
    let (mut sp, mut mem_base, mut mem_len, mut acc) = (sp, mem_base, mem_len, acc);
    // SAFETY: `quad_handler` gives this handler only to a listed run of
    // four instructions whose operands chain (checked there).
    let (second, third, fourth) = unsafe { (ip.add(1), ip.add(2), ip.add(3)) };
    // SAFETY: as above.
    let (one, two, three, four) = unsafe {
        (
            (*ip).instr,
            (*second).instr,
            (*third).instr,
            (*fourth).instr,
        )
    };
    // SAFETY: as above.
    unsafe {
        let (
            Instr::I32ShlImm { dst: d1, .. },
            Instr::I32Add { dst: d2, b, .. },
            Instr::I32Load { dst: d3, addr, .. },
            Instr::BrTable { index, .. },
        ) = (one, two, three, four)
        else {
            core::hint::unreachable_unchecked()
        };
        core::hint::assert_unchecked(d1 == b && d2 == addr && d3 == index);
    }
    // The first three fall through or trap (null).
    // SAFETY: as above.
    let next = unsafe {
        bodies::I32ShlImm::<ACC>(ip, one, &mut sp, &mut mem_base, &mut mem_len, x, &mut acc)
    };
    if next.is_null() {
        return next;
    }
    // SAFETY: as above.
    let next = unsafe {
        bodies::I32Add::<0>(
            second,
            two,
            &mut sp,
            &mut mem_base,
            &mut mem_len,
            x,
            &mut acc,
        )
    };
    if next.is_null() {
        return next;
    }
    // SAFETY: as above.
    let next = unsafe {
        bodies::I32Load::<0>(
            third,
            three,
            &mut sp,
            &mut mem_base,
            &mut mem_len,
            x,
            &mut acc,
        )
    };
    if next.is_null() {
        return next;
    }
    let Instr::BrTable { index, len } = four else {
        // SAFETY: as above.
        unsafe { core::hint::unreachable_unchecked() }
    };
    // SAFETY: a slot of the running frame (see `body_macros!`); the value
    // the load just wrote, which the compiler keeps in a register.
    let value = unsafe { *sp.add(index as usize) } as u32;
    // SAFETY: `len + 1` branches follow the table.
    let (handler, target) = unsafe { table_branch::<true>(fourth, value, len) };
    dispatch_via!(handler, target, sp, mem_base, mem_len, x, acc)
}

/// Like [`triples!`], for five instructions in a row (`quint_handler`
/// picks them): whole inner-loop bodies of compiled C that would
/// otherwise take three dispatches. `[field]` after an instruction marks
/// its operand that reads the previous one's `dst`.
macro_rules! quints {
    ($( $name:ident = $a:ident + $b:ident $([$fb:ident])? + $c:ident $([$fc:ident])?
        + $d:ident $([$fd:ident])? + $e:ident $([$fe:ident])?, )*) => {
        $(
            #[allow(non_snake_case)]
            unsafe fn $name<const ACC: u8>(ip: Ip, sp: *mut u64, mem_base: *mut u8, mem_len: usize, x: &mut Exec, acc: Acc) -> Ip {
                let (mut sp, mut mem_base, mut mem_len, mut acc) = (sp, mem_base, mem_len, acc);
                // SAFETY: `quint_handler` gives this handler only to an
                // `$a`, `$b`, `$c`, `$d` and `$e` in a row.
                let (second, third, fourth, fifth) =
                    unsafe { (ip.add(1), ip.add(2), ip.add(3), ip.add(4)) };
                // SAFETY: as above.
                let one = unsafe { (*ip).instr };
                fused_run!([sp mem_base mem_len x acc] ACC;
                    ip one $a, second two $b [$($fb)?], third three $c [$($fc)?],
                    fourth four $d [$($fd)?], fifth five $e [$($fe)?])
            }
        )*

        /// The handler that runs the first five instructions of `code`, if
        /// they are a listed run (the first entry that fits).
        fn quint_handler(code: &[Instr], operand: u8) -> Option<Handler> {
            let [a, b, c, d, e, ..] = code else {
                return None;
            };
            $(
                if let (Instr::$a { .. }, Instr::$b { .. }, Instr::$c { .. }, Instr::$d { .. }, Instr::$e { .. }) = (a, b, c, d, e)
                    && chain_fits!(a $a, b $b [$($fb)?], c $c [$($fc)?], d $d [$($fd)?], e $e [$($fe)?])
                {
                    return acc_variant!($name, $a, operand);
                }
            )*
            None
        }
    };
}

quints! {
    // `while (p[i] == q[i])`: both byte loads and the comparison.
    AddLoad8UAddLoad8UBrNe = I32Add + I32Load8U [addr] + I32Add + I32Load8U [addr] + BrI32Ne [b],
    // `y[i] += a * x[i]` in doubles.
    LoadMulLoadAddStore = I64Load + F64Mul [b] + I64Load + F64Add [b] + I64Store [src],
    // (A strided fill, `for (; j <= n; j += k) p[j] = c`, and a push onto
    // a stack in memory, `*sp = a[i]; sp += 1`, in one handler each
    // measured no faster; likely the fill waits for its stores, the push
    // for its loads.)
}

/// Handlers for two SIMD instructions in a row that both have handlers of
/// their own (`hot_simd!`), picked by `simd_pair_handler`: the lane-wise
/// steps of a vectorized loop body (widen, shift, add, narrow) otherwise
/// cost a dispatch each.
macro_rules! simd_pairs {
    ($( $name:ident = $first:ident + $second:ident $([$field:ident])?, )*) => {
        $(
            #[allow(non_snake_case)]
            unsafe fn $name(ip: Ip, sp: *mut u64, mem_base: *mut u8, mem_len: usize, x: &mut Exec, acc: Acc) -> Ip {
                // SAFETY: `simd_pair_handler` gives this handler only to a
                // `$first` followed by a `$second`, and `ip` points at the
                // first.
                let second = unsafe { ip.add(1) };
                // SAFETY: as above.
                let (Instr::Simd { op: one }, Instr::Simd { op: two }) =
                    (unsafe { (*ip).instr }, unsafe { (*second).instr })
                else {
                    // SAFETY: as above.
                    unsafe { core::hint::unreachable_unchecked() }
                };
                let (crate::ir::SimdInstr::$first { .. }, crate::ir::SimdInstr::$second { .. }) = (one, two) else {
                    // SAFETY: as above.
                    unsafe { core::hint::unreachable_unchecked() }
                };
                // When the second reads the first one's result (`[field]`,
                // checked by `simd_pair_handler`), telling the compiler
                // lets it keep the vector in a register instead of
                // reloading it from the slot just written.
                $(
                    // SAFETY: as above.
                    unsafe {
                        let (crate::ir::SimdInstr::$first { dst, .. }, crate::ir::SimdInstr::$second { $field, .. }) = (one, two) else {
                            core::hint::unreachable_unchecked()
                        };
                        core::hint::assert_unchecked(dst == $field);
                    }
                )?
                // `Regs::sp` is the running frame's `sp`.
                if let Err(code) = simd::execute(&mut x.r, one) {
                    return trap_at(x, ip, code);
                }
                if let Err(code) = simd::execute(&mut x.r, two) {
                    return trap_at(x, second, code);
                }
                // SAFETY: every instruction that falls through has a
                // successor (each function ends with a trap).
                dispatch!(unsafe { ip.add(2) }, sp, mem_base, mem_len, x, acc)
            }
        )*

        /// The handler that runs SIMD instructions `first` and `second`, if
        /// the pair is in the list.
        fn simd_pair_handler(first: &crate::ir::SimdInstr, second: &crate::ir::SimdInstr) -> Option<Handler> {
            $(
                if let (crate::ir::SimdInstr::$first { .. }, crate::ir::SimdInstr::$second { .. }) = (first, second) {
                    #[allow(unused_variables)]
                    let fits = true;
                    $(
                        let fits = matches!(
                            (first, second),
                            (crate::ir::SimdInstr::$first { dst, .. }, crate::ir::SimdInstr::$second { $field, .. })
                                if dst == $field
                        );
                    )?
                    if fits {
                        return Some($name);
                    }
                }
            )*
            None
        }
    };
}

simd_pairs! {
    // `[field]`: the second reads the first one's result there.
    SimdExtendLowToShl = I16x8ExtendLowI8x16U + I16x8ShlImm [a],
    SimdExtendHighToShl = I16x8ExtendHighI8x16U + I16x8ShlImm [a],
    SimdShlToAdd = I16x8ShlImm + I16x8Add [b],
    SimdAddToAdd = I16x8Add + I16x8Add [a],
    SimdAddToShrU = I16x8Add + I16x8ShrUImm [a],
    SimdShrUToShuffle = I16x8ShrUImm + I8x16Shuffle [b],
    SimdShuffleToNot = I8x16Shuffle + V128Not [src],
    SimdExtMulLowToAdd = I16x8ExtMulLowI8x16U + I16x8Add [b],
    SimdF32x4MulToAdd = F32x4Mul + F32x4Add [b],
    SimdI32x4MulToAdd = I32x4Mul + I32x4Add [b],
    SimdI32x4ShrUToAnd = I32x4ShrUImm + V128And [a],
    SimdShuffleToAddSatU = I8x16Shuffle + I8x16AddSatU [a],
    SimdExtMulHighToAdd = I16x8ExtMulHighI8x16U + I16x8Add [b],
    SimdAndToOr = V128And + V128Or [b],
    // Any two in a row.
    SimdI32x4MulThenShrU = I32x4Mul + I32x4ShrUImm,
    SimdI32x4AddThenShrU = I32x4Add + I32x4ShrUImm,
    SimdExtMulHighThenExtMulHigh = I16x8ExtMulHighI8x16U + I16x8ExtMulHighI8x16U,
    SimdExtendLowThenShl = I16x8ExtendLowI8x16U + I16x8ShlImm,
    SimdExtendHighThenShl = I16x8ExtendHighI8x16U + I16x8ShlImm,
    SimdExtendHighThenExtendHigh = I16x8ExtendHighI8x16U + I16x8ExtendHighI8x16U,
    SimdExtendLowThenAdd = I16x8ExtendLowI8x16U + I16x8Add,
    SimdExtendHighThenAdd = I16x8ExtendHighI8x16U + I16x8Add,
    SimdShlThenAdd = I16x8ShlImm + I16x8Add,
    SimdAddThenAdd = I16x8Add + I16x8Add,
    SimdAddThenShrU = I16x8Add + I16x8ShrUImm,
    SimdShrUThenShuffle = I16x8ShrUImm + I8x16Shuffle,
    SimdShrUThenAdd = I16x8ShrUImm + I16x8Add,
    SimdShrUThenExtendHigh = I16x8ShrUImm + I16x8ExtendHighI8x16U,
    SimdAddThenExtendHigh = I16x8Add + I16x8ExtendHighI8x16U,
    SimdShuffleThenNot = I8x16Shuffle + V128Not,
    SimdNotThenExtMulLow = V128Not + I16x8ExtMulLowI8x16U,
    SimdExtMulLowThenExtMulLow = I16x8ExtMulLowI8x16U + I16x8ExtMulLowI8x16U,
    SimdExtMulLowThenAdd = I16x8ExtMulLowI8x16U + I16x8Add,
    SimdF32x4MulThenAdd = F32x4Mul + F32x4Add,
}

/// Handlers of their own for the most common lane-wise SIMD instructions,
/// which the `Simd` handler otherwise runs out of line, through the
/// match over every SIMD instruction: here the match folds away and the
/// lane loop runs inline. `simd_handler` picks them.
macro_rules! hot_simd {
    ($( $name:ident = $op:ident, )*) => {
        $(
            #[allow(non_snake_case)]
            unsafe fn $name(ip: Ip, sp: *mut u64, mem_base: *mut u8, mem_len: usize, x: &mut Exec, acc: Acc) -> Ip {
                // SAFETY: `simd_handler` gives this handler only to this
                // SIMD instruction, and `ip` points at it.
                let Instr::Simd { op } = (unsafe { &*ip }).instr else {
                    // SAFETY: as above.
                    unsafe { core::hint::unreachable_unchecked() }
                };
                let crate::ir::SimdInstr::$op { .. } = op else {
                    // SAFETY: as above.
                    unsafe { core::hint::unreachable_unchecked() }
                };
                // `Regs::sp` is the running frame's `sp`.
                if let Err(code) = simd::execute(&mut x.r, op) {
                    return trap_at(x, ip, code);
                }
                // SAFETY: every instruction that falls through has a
                // successor (each function ends with a trap).
                dispatch!(unsafe { ip.add(1) }, sp, mem_base, mem_len, x, acc)
            }
        )*

        /// The handler of its own for the SIMD instruction `op`, if it has
        /// one.
        fn simd_handler(op: &crate::ir::SimdInstr) -> Option<Handler> {
            match op {
                $( crate::ir::SimdInstr::$op { .. } => Some($name), )*
                _ => None,
            }
        }
    };
}

hot_simd! {
    SimdF32x4Add = F32x4Add,
    SimdF32x4Sub = F32x4Sub,
    SimdF32x4Mul = F32x4Mul,
    SimdF64x2Add = F64x2Add,
    SimdF64x2Sub = F64x2Sub,
    SimdF64x2Mul = F64x2Mul,
    SimdI8x16Add = I8x16Add,
    SimdI8x16Sub = I8x16Sub,
    SimdI16x8Add = I16x8Add,
    SimdI16x8Sub = I16x8Sub,
    SimdI16x8Mul = I16x8Mul,
    SimdI32x4Add = I32x4Add,
    SimdI32x4Sub = I32x4Sub,
    SimdI32x4Mul = I32x4Mul,
    SimdI64x2Add = I64x2Add,
    SimdI64x2Sub = I64x2Sub,
    SimdV128And = V128And,
    SimdV128AndNot = V128AndNot,
    SimdV128Or = V128Or,
    SimdV128Xor = V128Xor,
    SimdV128Not = V128Not,
    SimdI16x8ShlImm = I16x8ShlImm,
    SimdI16x8ShrSImm = I16x8ShrSImm,
    SimdI16x8ShrUImm = I16x8ShrUImm,
    SimdI32x4ShlImm = I32x4ShlImm,
    SimdI32x4ShrSImm = I32x4ShrSImm,
    SimdI32x4ShrUImm = I32x4ShrUImm,
    SimdI16x8ExtendLowI8x16U = I16x8ExtendLowI8x16U,
    SimdI16x8ExtendHighI8x16U = I16x8ExtendHighI8x16U,
    SimdI32x4Splat = I32x4Splat,
    SimdI32x4ExtractLane = I32x4ExtractLane,
    SimdI8x16Splat = I8x16Splat,
    SimdI16x8Splat = I16x8Splat,
    SimdI64x2Splat = I64x2Splat,
    SimdI8x16ExtractLaneU = I8x16ExtractLaneU,
    SimdI16x8ExtractLaneU = I16x8ExtractLaneU,
    SimdI64x2ExtractLane = I64x2ExtractLane,
    SimdI8x16ReplaceLane = I8x16ReplaceLane,
    SimdI16x8ReplaceLane = I16x8ReplaceLane,
    SimdI32x4ReplaceLane = I32x4ReplaceLane,
    SimdI8x16Shuffle = I8x16Shuffle,
    SimdI8x16Swizzle = I8x16Swizzle,
    SimdV128Bitselect = V128Bitselect,
    SimdI8x16Eq = I8x16Eq,
    SimdI8x16Ne = I8x16Ne,
    SimdI32x4Eq = I32x4Eq,
    SimdI8x16AddSatS = I8x16AddSatS,
    SimdI8x16AddSatU = I8x16AddSatU,
    SimdI8x16SubSatS = I8x16SubSatS,
    SimdI8x16SubSatU = I8x16SubSatU,
    SimdI8x16MinU = I8x16MinU,
    SimdI8x16MaxU = I8x16MaxU,
    SimdI16x8AddSatS = I16x8AddSatS,
    SimdI16x8AddSatU = I16x8AddSatU,
    SimdI16x8SubSatS = I16x8SubSatS,
    SimdI16x8SubSatU = I16x8SubSatU,
    SimdI16x8MinS = I16x8MinS,
    SimdI16x8MaxS = I16x8MaxS,
    SimdI32x4MinS = I32x4MinS,
    SimdI32x4MaxS = I32x4MaxS,
    SimdI32x4DotI16x8S = I32x4DotI16x8S,
    SimdI64x2Mul = I64x2Mul,
    SimdI16x8ExtendLowI8x16S = I16x8ExtendLowI8x16S,
    SimdI16x8ExtendHighI8x16S = I16x8ExtendHighI8x16S,
    SimdI32x4ExtendLowI16x8S = I32x4ExtendLowI16x8S,
    SimdI32x4ExtendHighI16x8S = I32x4ExtendHighI16x8S,
    SimdI32x4ExtendLowI16x8U = I32x4ExtendLowI16x8U,
    SimdI32x4ExtendHighI16x8U = I32x4ExtendHighI16x8U,
    SimdI16x8ExtMulLowI8x16U = I16x8ExtMulLowI8x16U,
    SimdI16x8ExtMulHighI8x16U = I16x8ExtMulHighI8x16U,
    SimdI8x16NarrowI16x8S = I8x16NarrowI16x8S,
    SimdI8x16NarrowI16x8U = I8x16NarrowI16x8U,
    SimdI16x8NarrowI32x4S = I16x8NarrowI32x4S,
    SimdI16x8NarrowI32x4U = I16x8NarrowI32x4U,
    SimdF32x4Div = F32x4Div,
    SimdF32x4Min = F32x4Min,
    SimdF32x4Max = F32x4Max,
    SimdF64x2Div = F64x2Div,
    SimdI32x4TruncSatF32x4S = I32x4TruncSatF32x4S,
    SimdF32x4ConvertI32x4S = F32x4ConvertI32x4S,
}

/// Where the `br_table` at `table` goes for `index`: the entry's handler
/// and where to run it. A forward entry carries its target's handler (see
/// `build`), so the two loads do not wait for each other and the entry's
/// own branch is skipped. Any other entry (a back-edge, which checks) runs
/// itself.
///
/// `DENSE`: the index is almost never past the table (an interpreter's
/// opcode), so clamping it is a predicted branch; otherwise (a `switch`
/// on a character, which takes the default often) a select.
///
/// # Safety
/// `table` is a `BrTable` with `len` followed by its `len + 1` entries,
/// each a `Br` (`build` keeps them so).
#[inline(always)]
unsafe fn table_branch<const DENSE: bool>(table: Ip, index: u32, len: u32) -> (Handler, Ip) {
    let index = if !DENSE {
        index.min(len)
    } else if index > len {
        keep_branch();
        len
    } else {
        index
    };
    // SAFETY: the caller's contract.
    let entry = unsafe { table.add(1 + index as usize) };
    // SAFETY: as above.
    let Instr::Br { jump } = (unsafe { &*entry }).instr else {
        // SAFETY: as above.
        unsafe { core::hint::unreachable_unchecked() }
    };
    // A branch rather than a select: back-edge entries are rare, and a
    // select would make the target wait for the test.
    if jump <= 0 {
        keep_branch();
        // SAFETY: as above.
        return unsafe { ((*entry).handler, entry) };
    }
    // SAFETY: as above; a branch stays inside the code.
    unsafe { ((*entry).handler, entry.byte_offset(jump as isize)) }
}

/// Marks the rare way of a branch that must stay a branch: an empty
/// `asm` block, which the compiler may neither remove nor run on both
/// ways, so it cannot turn the branch into a select (a select would make
/// what follows wait for the test, where a predicted branch does not).
/// Nothing on other architectures, which run the driver loop anyway.
#[inline(always)]
fn keep_branch() {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    // SAFETY: no instructions: touches no memory, stack or flags.
    unsafe {
        core::arch::asm!("", options(nomem, nostack, preserves_flags))
    };
}

/// The handler of a listed run of four instructions starting at
/// `code[0]`, taking operand `operand` of the first from the accumulator.
fn quad_handler(code: &[Instr], operand: u8) -> Option<Handler> {
    match code {
        [
            Instr::I32ShlImm { dst: d1, .. },
            Instr::I32Add { dst: d2, b, .. },
            Instr::I32Load { dst: d3, addr, .. },
            Instr::BrTable { index, .. },
            ..,
        ] if d1 == b && d2 == addr && d3 == index => {
            acc_variant!(IndexLoadBrTable, I32ShlImm, operand)
        }
        _ => None,
    }
}

/// The threaded code of `code`: each instruction with its handler, or with
/// a triple or pair handler when it and the next instructions form a
/// listed triple or pair. An instruction that reads the slot the
/// accumulator holds there (`acc_slots`) gets the variant of its handler
/// that takes that operand from the accumulator (see the module docs).
///
/// A forward `Br` whose target is a return becomes that return (control
/// would get there with nothing done in between), and a forward `Br` to
/// another forward `Br` jumps to the final target. Only the threaded code
/// changes; `code` (what the JITs and the helpers read) stays as it is.
pub(crate) fn build(code: &[Instr]) -> alloc::boxed::Box<[Op]> {
    // A `br_table`'s entries stay branches (`table_branch` reads their
    // distance).
    let mut entry = alloc::vec![false; code.len()];
    for (at, instr) in code.iter().enumerate() {
        if let Instr::BrTable { len, .. } = *instr {
            entry[at + 1..=at + 1 + len as usize].fill(true);
        }
    }
    let threaded: alloc::vec::Vec<Instr> = code
        .iter()
        .enumerate()
        .map(|(at, &instr)| thread_branch(code, at, instr, entry[at]))
        .collect();
    let jumps: alloc::vec::Vec<Option<i32>> = threaded.iter().map(jump_of).collect();
    let holds = acc_slots(&threaded, &jumps);
    let mut ops = threaded
        .iter()
        .enumerate()
        .map(|(at, instr)| {
            let acc = holds[at];
            let operand = if acc == NO_ACC {
                0
            } else {
                operand_reading(instr, acc)
            };
            // A SIMD instruction with a handler of its own runs alone.
            let hot_simd = |instr: &Instr| match instr {
                Instr::Simd { op } => simd_handler(op),
                _ => None,
            };
            if let Some(handler) = hot_simd(instr) {
                // Or with the next one, if the two are a listed pair.
                let handler = match (instr, threaded.get(at + 1)) {
                    (Instr::Simd { op }, Some(Instr::Simd { op: next })) => {
                        simd_pair_handler(op, next).unwrap_or(handler)
                    }
                    _ => handler,
                };
                return Op {
                    handler,
                    instr: *instr,
                    acc,
                };
            }
            let fused = |operand| {
                if threaded
                    .get(at + 1)
                    .is_some_and(|next| hot_simd(next).is_some())
                {
                    return None;
                }
                quint_handler(&threaded[at..], operand)
                    .or_else(|| quad_handler(&threaded[at..], operand))
                    .or_else(|| match threaded.get(at + 1..at + 3) {
                        Some([b, c]) => triple_handler(instr, b, c, operand),
                        _ => None,
                    })
                    .or_else(|| {
                        threaded
                            .get(at + 1)
                            .and_then(|next| pair_handler(instr, next, operand))
                    })
            };
            // Fused handlers first, then the single handler; each taking
            // the operand from the accumulator if it has such a variant
            // (fused handlers have one for every operand of their first
            // instruction, so the list is searched again only when one
            // fits).
            let handler = match fused(0) {
                Some(plain) if operand != 0 => fused(operand).unwrap_or(plain),
                Some(plain) => plain,
                None => (operand != 0)
                    .then(|| acc_handler_of(instr, operand))
                    .flatten()
                    .unwrap_or_else(|| handler_of(instr)),
            };
            Op {
                handler,
                instr: *instr,
                acc,
            }
        })
        .collect::<alloc::vec::Vec<Op>>();
    for at in 0..ops.len() {
        let Some(jump) = jumps[at] else {
            continue;
        };
        // The forward `Br` entries of a `br_table` run only through it,
        // which takes their branch itself: they carry their target's
        // handler.
        if entry[at] && jump > 0 {
            ops[at].handler = ops[at + jump as usize].handler;
        }
        // Handlers take branches by adding the distance to the op's
        // address: in bytes, that is one addition, not a multiplication
        // too (see the module docs).
        crate::translate::set_offset(&mut ops[at].instr, jump * size_of::<Op>() as i32);
    }
    ops.into_boxed_slice()
}

/// For each instruction of the threaded code `code` (whose branch
/// distances, in instructions, are `jumps`), the slot whose value the
/// accumulator holds whenever control reaches it, or `NO_ACC`.
///
/// After an instruction with a `dst`, the accumulator holds that slot
/// (`acc_of_fields!`). Branches, stores and the other instructions that
/// write no slot pass it on unchanged, on every way out; after anything
/// else it holds nothing known. Where ways in meet (a branch target and
/// the instruction before it, a loop header and its back-edges), the
/// accumulator holds a slot only if every way in agrees. A `br_table`'s
/// targets and a function's first instruction start with nothing known.
fn acc_slots(code: &[Instr], jumps: &[Option<i32>]) -> alloc::vec::Vec<u16> {
    /// Not reached yet (every state can only move down, to a slot and
    /// then to `NO_ACC`, so the worklist ends).
    const UNSEEN: u32 = u32::MAX;
    let mut holds = alloc::vec![UNSEEN; code.len()];
    let mut work = alloc::vec::Vec::new();
    let meet = |holds: &mut [u32], work: &mut alloc::vec::Vec<usize>, at: usize, slot: u16| {
        let now = match holds[at] {
            UNSEEN => slot as u32,
            same if same == slot as u32 => return,
            _ => NO_ACC as u32,
        };
        if holds[at] != now {
            holds[at] = now;
            work.push(at);
        }
    };
    if !code.is_empty() {
        meet(&mut holds, &mut work, 0, NO_ACC);
    }
    let dsts: alloc::vec::Vec<Option<crate::ir::Slot>> = code.iter().map(dst_of).collect();
    while let Some(at) = work.pop() {
        let instr = &code[at];
        let before = holds[at] as u16;
        let passes_on = matches!(
            instr,
            Instr::I32Store { .. }
                | Instr::I64Store { .. }
                | Instr::I32Store8 { .. }
                | Instr::I32Store16 { .. }
                | Instr::I64Store32 { .. }
                | Instr::V128Store { .. }
                | Instr::GlobalSet { .. }
                | Instr::ConsumeFuel { .. }
        ) || (jumps[at].is_some() && dsts[at].is_none());
        let after = match dsts[at] {
            Some(dst) => dst,
            None if passes_on => before,
            None => NO_ACC,
        };
        match *instr {
            Instr::BrTable { len, .. } => {
                for entry in at + 1..=at + 1 + len as usize {
                    meet(&mut holds, &mut work, entry, NO_ACC);
                }
                continue;
            }
            Instr::Br { .. } | Instr::Return {} | Instr::ReturnSlot { .. } | Instr::Trap { .. } => {
            }
            _ if at + 1 < code.len() => meet(&mut holds, &mut work, at + 1, after),
            _ => {}
        }
        if let Some(jump) = jumps[at] {
            meet(
                &mut holds,
                &mut work,
                at.wrapping_add_signed(jump as isize),
                after,
            );
        }
    }
    holds
        .into_iter()
        .map(|slot| if slot == UNSEEN { NO_ACC } else { slot as u16 })
        .collect()
}

/// What `build` reads from an instruction's fields, by their type (`Slot`
/// and `u16` are one type; field names tell slots from table indices).
trait Field: Copy {
    fn slot(self) -> Option<crate::ir::Slot> {
        None
    }
    fn distance(self) -> Option<i32> {
        None
    }
}

impl Field for u16 {
    fn slot(self) -> Option<crate::ir::Slot> {
        Some(self)
    }
}

impl Field for i32 {
    fn distance(self) -> Option<i32> {
        Some(self)
    }
}

impl Field for u32 {}
impl Field for TrapCode {}
impl Field for crate::ir::SimdInstr {}

/// The first answer of `pick` for the fields of `instr`, given each one's
/// name, its slot if it is a `u16` and its value if it is an `i32`.
fn find_field<T>(
    instr: &Instr,
    mut pick: impl FnMut(&'static str, Option<crate::ir::Slot>, Option<i32>) -> Option<T>,
) -> Option<T> {
    macro_rules! find {
        ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $ty:ty),* } )*) => {
            match *instr {
                $( Instr::$name { $($field),* } => {
                    $(
                        let found = pick(stringify!($field), Field::slot($field), Field::distance($field));
                        if found.is_some() {
                            return found;
                        }
                    )*
                    None
                } )*
            }
        };
    }
    crate::for_each_instr!(find)
}

/// The branch distance of `instr` (its field `jump`), if it has one.
fn jump_of(instr: &Instr) -> Option<i32> {
    find_field(instr, |name, _, distance| {
        distance.filter(|_| name == "jump")
    })
}

/// The slot in `instr`'s field `dst`, if it has one: what its handlers
/// leave in the accumulator when they fall through (see `acc_of_fields!`).
fn dst_of(instr: &Instr) -> Option<crate::ir::Slot> {
    find_field(instr, |name, slot, _| slot.filter(|_| name == "dst"))
}

/// The `operand_id` of `instr`'s first operand that reads `slot`, 0 if
/// none does.
fn operand_reading(instr: &Instr, slot: crate::ir::Slot) -> u8 {
    find_field(instr, |name, read, _| {
        let id = operand_id(name);
        (id != 0 && read == Some(slot)).then_some(id)
    })
    .unwrap_or(0)
}

/// What the instruction at `at` becomes in the threaded code (see
/// [`build`]); a `br_table` entry (`in_table`) stays a branch, to the end
/// of its chain.
fn thread_branch(code: &[Instr], at: usize, instr: Instr, in_table: bool) -> Instr {
    // Forward branches only: back-edges keep their checks.
    let Instr::Br { jump } = instr else {
        return instr;
    };
    if jump <= 0 {
        return instr;
    }
    let mut target = at + jump as usize;
    // A bounded walk: chains are short, and this keeps building linear.
    for _ in 0..8 {
        match code[target] {
            Instr::Br { jump: next } if next > 0 => target += next as usize,
            ret @ (Instr::Return {} | Instr::ReturnSlot { .. }) if !in_table => return ret,
            _ => break,
        }
    }
    Instr::Br {
        jump: (target - at) as i32,
    }
}

handlers! {
    $ [ip sp mem_base mem_len x inner r acc acc_out ACC]

    hot Br { jump } => { branch_if!(true, jump) }
    hot BrIfNez { cond, jump } => { branch_if!(get!(cond) as u32 != 0, jump) }
    hot BrIfEqz { cond, jump } => { branch_if!(get!(cond) as u32 == 0, jump) }
    hot BrTable { index, len } => {
        let i = get!(index) as u32;
        // SAFETY: `len + 1` branches follow the table.
        let (handler, target) = unsafe { table_branch::<false>(ip, i, len) };
        goto_via!(handler, target)
    }
    hot Return {} => {
        return_to_caller!()
    }
    hot ReturnSlot { src } => {
        set!(0, get!(src));
        return_to_caller!()
    }
    hot Call { func, base } => {
        x.ticks -= 1;
        if x.ticks == 0 {
            if !call_tick(x, ip) {
                return core::ptr::null();
            }
        }
        let (store_func, code) = callee(inner, &x.r, func);
        if !call_fast(inner, &mut x.r, ip, store_func, code, base) {
            x.r.ip = ip;
            if !call_slow_then(x, store_func, base) {
                return core::ptr::null();
            }
            resume!();
        }
        resume!()
    }
    hot CallIndirect { base, index, table, type_index } => {
        x.ticks -= 1;
        if x.ticks == 0 {
            if !call_tick(x, ip) {
                return core::ptr::null();
            }
        }
        let table = if table == 0 {
            // SAFETY: validation checked that the instance has table 0;
            // `Regs::table0` points into the store's table list, which
            // does not change during a run.
            unsafe { &*x.r.table0 }
        } else {
            let instance = &inner.instances[x.r.instance as usize];
            &inner.tables[instance.tables[table as usize] as usize]
        };
        let i = get!(index) as u32 as usize;
        let Some(&raw) = table.elements.get(i) else {
            trap!(TrapCode::UndefinedElement)
        };
        if raw == 0 {
            trap!(TrapCode::UninitializedElement);
        }
        let store_func = (raw - 1) as u32;
        // SAFETY: validation checked `type_index` against the module's
        // types, which `Regs::type_ids` lists.
        let expected = unsafe { *x.r.type_ids.add(type_index as usize) };
        if inner.func_code[store_func as usize].type_id != expected {
            trap!(TrapCode::BadSignature);
        }
        let code = inner.func_code[store_func as usize];
        if !call_fast(inner, &mut x.r, ip, store_func, code, base) {
            x.r.ip = ip;
            if !call_slow_then(x, store_func, base) {
                return core::ptr::null();
            }
            resume!();
        }
        resume!()
    }
    hot ConsumeFuel { amount } => {
        if inner.ctx.fuel < amount as u64 {
            return out_of_fuel(x, ip);
        }
        inner.ctx.fuel -= amount as u64;
    }
    cold MemoryGrow { dst, delta } => {
        let m = inner.instances[r.instance as usize].memories[0];
        let delta = get!(delta) as u32;
        let old = inner.memories[m as usize].grow(delta).unwrap_or(u32::MAX);
        set!(dst, old as u64);
        r.reload_memory();
    }
    hot Copy { dst, src } => { set!(dst, get!(src)) }
    hot Copy128 { dst, src } => { set128!(dst, get128!(src)) }
    hot Const32 { dst, imm } => { set!(dst, imm as u64) }
    hot Const64 { dst, lo, hi } => { set!(dst, (hi as u64) << 32 | lo as u64) }
    hot Const128 { dst, index } => {
                let value = r.consts128()[index as usize];
                set128!(dst, value);
            }
    cold Simd { op } => {
                tri!(simd::execute(r, op))
            }
    hot Select { dst, cond, a, b } => {
                let v = if get!(cond) as u32 != 0 {
                    get!(a)
                } else {
                    get!(b)
                };
                set!(dst, v);
            }
    hot Select128 { dst, cond, a, b } => {
                let v = if get!(cond) as u32 != 0 {
                    get128!(a)
                } else {
                    get128!(b)
                };
                set128!(dst, v);
            }
    hot Trap { code } => { trap!(code) }
    hot BrI32Eq { a, b, jump } => { branch_if!(get!(a) as u32 == get!(b) as u32, jump) }
    hot BrI32Ne { a, b, jump } => { branch_if!(get!(a) as u32 != get!(b) as u32, jump) }
    hot BrI32LtS { a, b, jump } => { branch_if!((get!(a) as i32) < get!(b) as i32, jump) }
    hot BrI32LtU { a, b, jump } => { branch_if!((get!(a) as u32) < get!(b) as u32, jump) }
    hot BrI32GtS { a, b, jump } => { branch_if!(get!(a) as i32 > get!(b) as i32, jump) }
    hot BrI32GtU { a, b, jump } => { branch_if!(get!(a) as u32 > get!(b) as u32, jump) }
    hot BrI32LeS { a, b, jump } => { branch_if!(get!(a) as i32 <= get!(b) as i32, jump) }
    hot BrI32LeU { a, b, jump } => { branch_if!(get!(a) as u32 <= get!(b) as u32, jump) }
    hot BrI32GeS { a, b, jump } => { branch_if!(get!(a) as i32 >= get!(b) as i32, jump) }
    hot BrI32GeU { a, b, jump } => { branch_if!(get!(a) as u32 >= get!(b) as u32, jump) }
    hot BrI32EqImm { a, imm, jump } => { branch_if!(get!(a) as u32 == imm as u32, jump) }
    hot BrI32NeImm { a, imm, jump } => { branch_if!(get!(a) as u32 != imm as u32, jump) }
    hot BrI32LtSImm { a, imm, jump } => { branch_if!((get!(a) as i32) < imm, jump) }
    hot BrI32LtUImm { a, imm, jump } => { branch_if!((get!(a) as u32) < imm as u32, jump) }
    hot BrI32GtSImm { a, imm, jump } => { branch_if!(get!(a) as i32 > imm, jump) }
    hot BrI32GtUImm { a, imm, jump } => { branch_if!(get!(a) as u32 > imm as u32, jump) }
    hot BrI32LeSImm { a, imm, jump } => { branch_if!(get!(a) as i32 <= imm, jump) }
    hot BrI32LeUImm { a, imm, jump } => { branch_if!(get!(a) as u32 <= imm as u32, jump) }
    hot BrI32GeSImm { a, imm, jump } => { branch_if!(get!(a) as i32 >= imm, jump) }
    hot BrI32GeUImm { a, imm, jump } => { branch_if!(get!(a) as u32 >= imm as u32, jump) }
    hot BrI64Eq { a, b, jump } => { branch_if!(get!(a) == get!(b), jump) }
    hot BrI64Ne { a, b, jump } => { branch_if!(get!(a) != get!(b), jump) }
    hot BrI64LtS { a, b, jump } => { branch_if!((get!(a) as i64) < get!(b) as i64, jump) }
    hot BrI64LtU { a, b, jump } => { branch_if!(get!(a) < get!(b), jump) }
    hot BrI64GtS { a, b, jump } => { branch_if!(get!(a) as i64 > get!(b) as i64, jump) }
    hot BrI64GtU { a, b, jump } => { branch_if!(get!(a) > get!(b), jump) }
    hot BrI64LeS { a, b, jump } => { branch_if!(get!(a) as i64 <= get!(b) as i64, jump) }
    hot BrI64LeU { a, b, jump } => { branch_if!(get!(a) <= get!(b), jump) }
    hot BrI64GeS { a, b, jump } => { branch_if!(get!(a) as i64 >= get!(b) as i64, jump) }
    hot BrI64GeU { a, b, jump } => { branch_if!(get!(a) >= get!(b), jump) }
    hot BrI64EqImm { a, imm, jump } => { branch_if!(get!(a) as i64 == imm as i64, jump) }
    hot BrI64NeImm { a, imm, jump } => { branch_if!(get!(a) as i64 != imm as i64, jump) }
    hot BrI64LtSImm { a, imm, jump } => { branch_if!((get!(a) as i64) < imm as i64, jump) }
    hot BrI64LtUImm { a, imm, jump } => { branch_if!(get!(a) < imm as i64 as u64, jump) }
    hot BrI64GtSImm { a, imm, jump } => { branch_if!(get!(a) as i64 > imm as i64, jump) }
    hot BrI64GtUImm { a, imm, jump } => { branch_if!(get!(a) > imm as i64 as u64, jump) }
    hot BrI64LeSImm { a, imm, jump } => { branch_if!(get!(a) as i64 <= imm as i64, jump) }
    hot BrI64LeUImm { a, imm, jump } => { branch_if!(get!(a) <= imm as i64 as u64, jump) }
    hot BrI64GeSImm { a, imm, jump } => { branch_if!(get!(a) as i64 >= imm as i64, jump) }
    hot BrI64GeUImm { a, imm, jump } => { branch_if!(get!(a) >= imm as i64 as u64, jump) }
    hot I32Add { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.wrapping_add(y))
            }
    hot I32Sub { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.wrapping_sub(y))
            }
    hot I32Mul { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.wrapping_mul(y))
            }
    hot I32DivS { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| tri!(
                numeric::i32_div_s(x as i32, y as i32)
            )) }
    hot I32DivU { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| tri!(
                numeric::i32_div_u(x, y)
            )) }
    hot I32RemS { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| tri!(
                numeric::i32_rem_s(x as i32, y as i32)
            )) }
    hot I32RemU { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| tri!(
                numeric::i32_rem_u(x, y)
            )) }
    hot I32And { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| x & y) }
    hot I32Or { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| x | y) }
    hot I32Xor { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| x ^ y) }
    hot I32Shl { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.wrapping_shl(y))
            }
    hot I32ShrS { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| (x as i32).wrapping_shr(y))
            }
    hot I32ShrU { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.wrapping_shr(y))
            }
    hot I32Rotl { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.rotate_left(y % 32))
            }
    hot I32Rotr { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x.rotate_right(y % 32))
            }
    hot I32Eq { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| x == y) }
    hot I32Ne { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| x != y) }
    hot I32LtS { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| (x as i32) < y as i32)
            }
    hot I32LtU { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| x < y) }
    hot I32GtS { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x as i32 > y as i32)
            }
    hot I32GtU { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| x > y) }
    hot I32LeS { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x as i32 <= y as i32)
            }
    hot I32LeU { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| x <= y) }
    hot I32GeS { dst, a, b } => {
                i32_bin!(dst, a, get!(b) as u32, |x, y| x as i32 >= y as i32)
            }
    hot I32GeU { dst, a, b } => { i32_bin!(dst, a, get!(b) as u32, |x, y| x >= y) }
    hot I32AddImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.wrapping_add(y))
            }
    hot I32SubImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.wrapping_sub(y))
            }
    hot I32MulImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.wrapping_mul(y))
            }
    hot I32DivSImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| tri!(
                numeric::i32_div_s(x as i32, y as i32)
            )) }
    hot I32DivUImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| tri!(numeric::i32_div_u(x, y)))
            }
    hot I32RemSImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| tri!(
                numeric::i32_rem_s(x as i32, y as i32)
            )) }
    hot I32RemUImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| tri!(numeric::i32_rem_u(x, y)))
            }
    hot I32AndImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| x & y) }
    hot I32OrImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| x | y) }
    hot I32XorImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| x ^ y) }
    hot I32ShlImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.wrapping_shl(y))
            }
    hot I32ShrSImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| (x as i32).wrapping_shr(y))
            }
    hot I32ShrUImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.wrapping_shr(y))
            }
    hot I32RotlImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.rotate_left(y % 32))
            }
    hot I32RotrImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x.rotate_right(y % 32))
            }
    hot I32EqImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| x == y) }
    hot I32NeImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| x != y) }
    hot I32LtSImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| (x as i32) < y as i32)
            }
    hot I32LtUImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| x < y) }
    hot I32GtSImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x as i32 > y as i32)
            }
    hot I32GtUImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| x > y) }
    hot I32LeSImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x as i32 <= y as i32)
            }
    hot I32LeUImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| x <= y) }
    hot I32GeSImm { dst, a, imm } => {
                i32_bin!(dst, a, imm as u32, |x, y| x as i32 >= y as i32)
            }
    hot I32GeUImm { dst, a, imm } => { i32_bin!(dst, a, imm as u32, |x, y| x >= y) }
    hot I32Eqz { dst, src } => { unary!(dst, src, |x| (x as u32 == 0) as u64) }
    hot I32Clz { dst, src } => { unary!(dst, src, |x| (x as u32).leading_zeros() as u64) }
    hot I32Ctz { dst, src } => { unary!(dst, src, |x| (x as u32).trailing_zeros() as u64) }
    hot I32Popcnt { dst, src } => { unary!(dst, src, |x| (x as u32).count_ones() as u64) }
    hot I32Extend8S { dst, src } => { unary!(dst, src, |x| x as i8 as i32 as u32 as u64) }
    hot I32Extend16S { dst, src } => { unary!(dst, src, |x| x as i16 as i32 as u32 as u64) }
    hot I64Add { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x.wrapping_add(y)) }
    hot I64Sub { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x.wrapping_sub(y)) }
    hot I64Mul { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x.wrapping_mul(y)) }
    hot I64DivS { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| tri!(
                numeric::i64_div_s(x as i64, y as i64)
            )) }
    hot I64DivU { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| tri!(numeric::i64_div_u(x, y)))
            }
    hot I64RemS { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| tri!(
                numeric::i64_rem_s(x as i64, y as i64)
            )) }
    hot I64RemU { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| tri!(numeric::i64_rem_u(x, y)))
            }
    hot I64And { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x & y) }
    hot I64Or { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x | y) }
    hot I64Xor { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x ^ y) }
    hot I64Shl { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| x.wrapping_shl(y as u32))
            }
    hot I64ShrS { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| (x as i64).wrapping_shr(y as u32))
            }
    hot I64ShrU { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| x.wrapping_shr(y as u32))
            }
    hot I64Rotl { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| x.rotate_left((y % 64) as u32))
            }
    hot I64Rotr { dst, a, b } => {
                i64_bin!(dst, a, get!(b), |x, y| x.rotate_right((y % 64) as u32))
            }
    hot I64Eq { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x == y) }
    hot I64Ne { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x != y) }
    hot I64LtS { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| (x as i64) < y as i64) }
    hot I64LtU { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x < y) }
    hot I64GtS { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x as i64 > y as i64) }
    hot I64GtU { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x > y) }
    hot I64LeS { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x as i64 <= y as i64) }
    hot I64LeU { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x <= y) }
    hot I64GeS { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x as i64 >= y as i64) }
    hot I64GeU { dst, a, b } => { i64_bin!(dst, a, get!(b), |x, y| x >= y) }
    hot I64AddImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x.wrapping_add(y))
            }
    hot I64SubImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x.wrapping_sub(y))
            }
    hot I64MulImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x.wrapping_mul(y))
            }
    hot I64DivSImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| tri!(
                numeric::i64_div_s(x as i64, y as i64)
            )) }
    hot I64DivUImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| tri!(
                numeric::i64_div_u(x, y)
            )) }
    hot I64RemSImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| tri!(
                numeric::i64_rem_s(x as i64, y as i64)
            )) }
    hot I64RemUImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| tri!(
                numeric::i64_rem_u(x, y)
            )) }
    hot I64AndImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x & y) }
    hot I64OrImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x | y) }
    hot I64XorImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x ^ y) }
    hot I64ShlImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x.wrapping_shl(y as u32))
            }
    hot I64ShrSImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| (x
                as i64)
                .wrapping_shr(y as u32)) }
    hot I64ShrUImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x.wrapping_shr(y as u32))
            }
    hot I64RotlImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x
                .rotate_left((y % 64) as u32)) }
    hot I64RotrImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x
                .rotate_right((y % 64) as u32)) }
    hot I64EqImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x == y) }
    hot I64NeImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x != y) }
    hot I64LtSImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| (x as i64) < y as i64)
            }
    hot I64LtUImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x < y) }
    hot I64GtSImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x as i64 > y as i64)
            }
    hot I64GtUImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x > y) }
    hot I64LeSImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x as i64 <= y as i64)
            }
    hot I64LeUImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x <= y) }
    hot I64GeSImm { dst, a, imm } => {
                i64_bin!(dst, a, imm as i64 as u64, |x, y| x as i64 >= y as i64)
            }
    hot I64GeUImm { dst, a, imm } => { i64_bin!(dst, a, imm as i64 as u64, |x, y| x >= y) }
    hot I64Eqz { dst, src } => { unary!(dst, src, |x| (x == 0) as u64) }
    hot I64Clz { dst, src } => { unary!(dst, src, |x| x.leading_zeros() as u64) }
    hot I64Ctz { dst, src } => { unary!(dst, src, |x| x.trailing_zeros() as u64) }
    hot I64Popcnt { dst, src } => { unary!(dst, src, |x| x.count_ones() as u64) }
    hot I64Extend8S { dst, src } => { unary!(dst, src, |x| x as i8 as i64 as u64) }
    hot I64Extend16S { dst, src } => { unary!(dst, src, |x| x as i16 as i64 as u64) }
    hot I64Extend32S { dst, src } => { unary!(dst, src, |x| x as i32 as i64 as u64) }
    hot F32Add { dst, a, b } => { f32_bin!(dst, a, b, |x, y| x + y) }
    hot F32Sub { dst, a, b } => { f32_bin!(dst, a, b, |x, y| x - y) }
    hot F32Mul { dst, a, b } => { f32_bin!(dst, a, b, |x, y| x * y) }
    hot F32Div { dst, a, b } => { f32_bin!(dst, a, b, |x, y| x / y) }
    hot F32Min { dst, a, b } => { f32_bin!(dst, a, b, |x, y| numeric::f32_min(x, y)) }
    hot F32Max { dst, a, b } => { f32_bin!(dst, a, b, |x, y| numeric::f32_max(x, y)) }
    hot F32Copysign { dst, a, b } => {
                f32_bin!(dst, a, b, |x, y| numeric::f32_copysign(x, y))
            }
    hot F32Eq { dst, a, b } => { f32_cmp!(dst, a, b, ==) }
    hot F32Ne { dst, a, b } => { f32_cmp!(dst, a, b, !=) }
    hot F32Lt { dst, a, b } => { f32_cmp!(dst, a, b, <) }
    hot F32Gt { dst, a, b } => { f32_cmp!(dst, a, b, >) }
    hot F32Le { dst, a, b } => { f32_cmp!(dst, a, b, <=) }
    hot F32Ge { dst, a, b } => { f32_cmp!(dst, a, b, >=) }
    hot F32Abs { dst, src } => { f32_un!(dst, src, numeric::f32_abs) }
    hot F32Neg { dst, src } => { f32_un!(dst, src, numeric::f32_neg) }
    hot F32Ceil { dst, src } => { f32_un!(dst, src, numeric::f32_ceil) }
    hot F32Floor { dst, src } => { f32_un!(dst, src, numeric::f32_floor) }
    hot F32Trunc { dst, src } => { f32_un!(dst, src, numeric::f32_trunc) }
    hot F32Nearest { dst, src } => { f32_un!(dst, src, numeric::f32_nearest) }
    hot F32Sqrt { dst, src } => { f32_un!(dst, src, numeric::f32_sqrt) }
    hot F64Add { dst, a, b } => { f64_bin!(dst, a, b, |x, y| x + y) }
    hot F64Sub { dst, a, b } => { f64_bin!(dst, a, b, |x, y| x - y) }
    hot F64Mul { dst, a, b } => { f64_bin!(dst, a, b, |x, y| x * y) }
    hot F64Div { dst, a, b } => { f64_bin!(dst, a, b, |x, y| x / y) }
    hot F64Min { dst, a, b } => { f64_bin!(dst, a, b, |x, y| numeric::f64_min(x, y)) }
    hot F64Max { dst, a, b } => { f64_bin!(dst, a, b, |x, y| numeric::f64_max(x, y)) }
    hot F64Copysign { dst, a, b } => {
                f64_bin!(dst, a, b, |x, y| numeric::f64_copysign(x, y))
            }
    hot F64Eq { dst, a, b } => { f64_cmp!(dst, a, b, ==) }
    hot F64Ne { dst, a, b } => { f64_cmp!(dst, a, b, !=) }
    hot F64Lt { dst, a, b } => { f64_cmp!(dst, a, b, <) }
    hot F64Gt { dst, a, b } => { f64_cmp!(dst, a, b, >) }
    hot F64Le { dst, a, b } => { f64_cmp!(dst, a, b, <=) }
    hot F64Ge { dst, a, b } => { f64_cmp!(dst, a, b, >=) }
    hot F64Abs { dst, src } => { f64_un!(dst, src, numeric::f64_abs) }
    hot F64Neg { dst, src } => { f64_un!(dst, src, numeric::f64_neg) }
    hot F64Ceil { dst, src } => { f64_un!(dst, src, numeric::f64_ceil) }
    hot F64Floor { dst, src } => { f64_un!(dst, src, numeric::f64_floor) }
    hot F64Trunc { dst, src } => { f64_un!(dst, src, numeric::f64_trunc) }
    hot F64Nearest { dst, src } => { f64_un!(dst, src, numeric::f64_nearest) }
    hot F64Sqrt { dst, src } => { f64_un!(dst, src, numeric::f64_sqrt) }
    hot I32WrapI64 { dst, src } => { unary!(dst, src, |x| x as u32 as u64) }
    hot I64ExtendI32S { dst, src } => { unary!(dst, src, |x| x as i32 as i64 as u64) }
    hot I64ExtendI32U { dst, src } => { unary!(dst, src, |x| x as u32 as u64) }
    hot I32TruncF32S { dst, src } => { unary!(
                dst,
                src,
                |x| tri!(numeric::i32_trunc_f32_s(f32::from_bits(x as u32))) as u32 as u64
            ) }
    hot I32TruncF32U { dst, src } => { unary!(
                dst,
                src,
                |x| tri!(numeric::i32_trunc_f32_u(f32::from_bits(x as u32))) as u64
            ) }
    hot I32TruncF64S { dst, src } => { unary!(
                dst,
                src,
                |x| tri!(numeric::i32_trunc_f64_s(f64::from_bits(x))) as u32 as u64
            ) }
    hot I32TruncF64U { dst, src } => { unary!(
                dst,
                src,
                |x| tri!(numeric::i32_trunc_f64_u(f64::from_bits(x))) as u64
            ) }
    hot I64TruncF32S { dst, src } => { unary!(
                dst,
                src,
                |x| tri!(numeric::i64_trunc_f32_s(f32::from_bits(x as u32))) as u64
            ) }
    hot I64TruncF32U { dst, src } => { unary!(dst, src, |x| tri!(
                numeric::i64_trunc_f32_u(f32::from_bits(x as u32))
            )) }
    hot I64TruncF64S { dst, src } => { unary!(
                dst,
                src,
                |x| tri!(numeric::i64_trunc_f64_s(f64::from_bits(x))) as u64
            ) }
    hot I64TruncF64U { dst, src } => { unary!(dst, src, |x| tri!(
                numeric::i64_trunc_f64_u(f64::from_bits(x))
            )) }
    hot I32TruncSatF32S { dst, src } => { unary!(
                dst,
                src,
                |x| numeric::i32_trunc_sat_f32_s(f32::from_bits(x as u32)) as u32 as u64
            ) }
    hot I32TruncSatF32U { dst, src } => { unary!(
                dst,
                src,
                |x| numeric::i32_trunc_sat_f32_u(f32::from_bits(x as u32)) as u64
            ) }
    hot I32TruncSatF64S { dst, src } => { unary!(
                dst,
                src,
                |x| numeric::i32_trunc_sat_f64_s(f64::from_bits(x)) as u32 as u64
            ) }
    hot I32TruncSatF64U { dst, src } => { unary!(
                dst,
                src,
                |x| numeric::i32_trunc_sat_f64_u(f64::from_bits(x)) as u64
            ) }
    hot I64TruncSatF32S { dst, src } => { unary!(
                dst,
                src,
                |x| numeric::i64_trunc_sat_f32_s(f32::from_bits(x as u32)) as u64
            ) }
    hot I64TruncSatF32U { dst, src } => {
                unary!(dst, src, |x| numeric::i64_trunc_sat_f32_u(f32::from_bits(
                    x as u32
                )))
            }
    hot I64TruncSatF64S { dst, src } => { unary!(
                dst,
                src,
                |x| numeric::i64_trunc_sat_f64_s(f64::from_bits(x)) as u64
            ) }
    hot I64TruncSatF64U { dst, src } => {
                unary!(dst, src, |x| numeric::i64_trunc_sat_f64_u(f64::from_bits(
                    x
                )))
            }
    hot F32ConvertI32S { dst, src } => {
                unary!(dst, src, |x| (x as i32 as f32).to_bits() as u64)
            }
    hot F32ConvertI32U { dst, src } => {
                unary!(dst, src, |x| (x as u32 as f32).to_bits() as u64)
            }
    hot F32ConvertI64S { dst, src } => {
                unary!(dst, src, |x| (x as i64 as f32).to_bits() as u64)
            }
    hot F32ConvertI64U { dst, src } => { unary!(dst, src, |x| (x as f32).to_bits() as u64) }
    hot F64ConvertI32S { dst, src } => { unary!(dst, src, |x| (x as i32 as f64).to_bits()) }
    hot F64ConvertI32U { dst, src } => { unary!(dst, src, |x| (x as u32 as f64).to_bits()) }
    hot F64ConvertI64S { dst, src } => { unary!(dst, src, |x| (x as i64 as f64).to_bits()) }
    hot F64ConvertI64U { dst, src } => { unary!(dst, src, |x| (x as f64).to_bits()) }
    hot F32DemoteF64 { dst, src } => {
                unary!(dst, src, |x| (f64::from_bits(x) as f32).to_bits() as u64)
            }
    hot F64PromoteF32 { dst, src } => {
                unary!(dst, src, |x| (f32::from_bits(x as u32) as f64).to_bits())
            }
    hot I32Load { dst, addr, offset } => { load!(dst, addr, offset, u32, |v| v as u64) }
    hot I64Load { dst, addr, offset } => { load!(dst, addr, offset, u64, |v| v) }
    hot I32Load8S { dst, addr, offset } => {
                load!(dst, addr, offset, u8, |v| v as i8 as i32 as u32 as u64)
            }
    hot I32Load8U { dst, addr, offset } => { load!(dst, addr, offset, u8, |v| v as u64) }
    hot I32Load16S { dst, addr, offset } => {
                load!(dst, addr, offset, u16, |v| v as i16 as i32 as u32 as u64)
            }
    hot I32Load16U { dst, addr, offset } => { load!(dst, addr, offset, u16, |v| v as u64) }
    hot I64Load8S { dst, addr, offset } => {
                load!(dst, addr, offset, u8, |v| v as i8 as i64 as u64)
            }
    hot I64Load8U { dst, addr, offset } => { load!(dst, addr, offset, u8, |v| v as u64) }
    hot I64Load16S { dst, addr, offset } => {
                load!(dst, addr, offset, u16, |v| v as i16 as i64 as u64)
            }
    hot I64Load16U { dst, addr, offset } => { load!(dst, addr, offset, u16, |v| v as u64) }
    hot I64Load32S { dst, addr, offset } => {
                load!(dst, addr, offset, u32, |v| v as i32 as i64 as u64)
            }
    hot I64Load32U { dst, addr, offset } => { load!(dst, addr, offset, u32, |v| v as u64) }
    hot V128Load { dst, addr, offset } => {
                let p = tri!(mem_at!(get!(addr), offset, 16));
                // SAFETY: `mem_at` checked the 16 bytes are inside memory 0.
                let v = u128::from_le(unsafe { p.cast::<u128>().read_unaligned() });
                set128!(dst, v);
            }
    hot I32Store { addr, src, offset } => { store!(addr, src, offset, u32) }
    hot I64Store { addr, src, offset } => { store!(addr, src, offset, u64) }
    hot I32Store8 { addr, src, offset } => { store!(addr, src, offset, u8) }
    hot I32Store16 { addr, src, offset } => { store!(addr, src, offset, u16) }
    hot I64Store32 { addr, src, offset } => { store!(addr, src, offset, u32) }
    hot V128Store { addr, src, offset } => {
                let p = tri!(mem_at!(get!(addr), offset, 16));
                let v = get128!(src).to_le();
                // SAFETY: `mem_at` checked the 16 bytes are inside memory 0.
                unsafe { p.cast::<u128>().write_unaligned(v) };
            }
    hot MemorySize { dst } => { set!(dst, (mem_len / PAGE_SIZE) as u64) }
    cold MemoryFill { dst, value, len } => {
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
    cold MemoryCopy { dst, src, len } => {
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
    cold MemoryInit { dst, src, len, data } => {
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
    cold DataDrop { data } => {
                inner.instances[r.instance as usize].datas[data as usize] = 0..0;
            }
    hot GlobalGet { dst, global } => {
        // SAFETY: validation guarantees that `global` indexes the running
        // instance's globals, whose cells live as long as the store.
        set!(dst, unsafe { **r.globals.add(global as usize) });
    }
    hot GlobalSet { src, global } => {
        // SAFETY: as in `GlobalGet`. A scalar global's value is its cell's
        // low 64 bits.
        let value = get!(src);
        unsafe { **r.globals.add(global as usize) = value };
    }
    cold GlobalGet128 { dst, global } => {
                let g = inner.instances[r.instance as usize].globals[global as usize];
                set128!(dst, inner.globals[g as usize].value.get());
            }
    cold GlobalSet128 { src, global } => {
                let g = inner.instances[r.instance as usize].globals[global as usize];
                inner.globals[g as usize].value.set(get128!(src));
            }
    cold TableGet { dst, index, table } => {
                let t = inner.instances[r.instance as usize].tables[table as usize];
                let i = get!(index) as u32 as usize;
                let Some(&v) = inner.tables[t as usize].elements.get(i) else {
                    trap!(TrapCode::TableOutOfBounds)
                };
                set!(dst, v);
            }
    cold TableSet { index, value, table } => {
                let t = inner.instances[r.instance as usize].tables[table as usize];
                let i = get!(index) as u32 as usize;
                let v = get!(value);
                let Some(slot) = inner.tables[t as usize].elements.get_mut(i) else {
                    trap!(TrapCode::TableOutOfBounds)
                };
                *slot = v;
            }
    cold TableSize { dst, table } => {
                let t = inner.instances[r.instance as usize].tables[table as usize];
                set!(dst, inner.tables[t as usize].elements.len() as u64);
            }
    cold TableGrow { dst, init, delta, table } => {
                let t = inner.instances[r.instance as usize].tables[table as usize];
                let delta = get!(delta) as u32;
                charge_bulk!(delta);
                let old = inner.tables[t as usize]
                    .grow(delta, get!(init))
                    .unwrap_or(u32::MAX);
                set!(dst, old as u64);
            }
    cold TableFill { dst, value, len, table } => {
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
    cold TableCopy { dst, src, len, dst_table, src_table } => {
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
    cold TableInit { dst, src, len, table, elem } => {
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
    cold ElemDrop { elem } => {
                inner.instances[r.instance as usize].elems[elem as usize] =
                    alloc::boxed::Box::new([]);
            }
    cold RefFunc { dst, func } => {
                let f = inner.instances[r.instance as usize].funcs[func as usize];
                set!(dst, f as u64 + 1);
            }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A branch distance of one op, in bytes (see `build`).
    const OP: i32 = size_of::<Op>() as i32;

    fn handler_is(op: &Op, expected: Handler) -> bool {
        core::ptr::fn_addr_eq(op.handler, expected)
    }

    #[test]
    fn forward_branches_to_returns_become_returns() {
        let code = [
            Instr::Br { jump: 2 },
            Instr::Br { jump: 2 },
            Instr::ReturnSlot { src: 1 },
            Instr::Copy { dst: 0, src: 1 },
            Instr::Return {},
        ];
        let ops = build(&code);
        assert_eq!(ops[0].instr, Instr::ReturnSlot { src: 1 });
        // A chain of forward branches jumps to its end.
        let code = [
            Instr::Br { jump: 1 },
            Instr::Br { jump: 2 },
            Instr::Trap {
                code: TrapCode::Unreachable,
            },
            Instr::Copy { dst: 0, src: 1 },
            Instr::Return {},
        ];
        let ops = build(&code);
        assert_eq!(ops[0].instr, Instr::Br { jump: 3 * OP });
        // Back-edges stay as they are.
        let code = [Instr::Copy { dst: 0, src: 1 }, Instr::Br { jump: -1 }];
        assert_eq!(build(&code)[1].instr, Instr::Br { jump: -OP });
    }

    #[test]
    fn pairs_pass_results_only_when_the_second_reads_them() {
        let add = Instr::I32AddImm {
            dst: 3,
            a: 0,
            imm: 16,
        };
        let reads = Instr::I32Load {
            dst: 4,
            addr: 3,
            offset: 0,
        };
        let other = Instr::I32Load {
            dst: 4,
            addr: 2,
            offset: 0,
        };
        let ops = build(&[add, reads, Instr::Return {}]);
        assert!(handler_is(&ops[0], AddImmToLoad::<0>));
        let ops = build(&[add, other, Instr::Return {}]);
        assert!(handler_is(&ops[0], AddImmThenLoad::<0>));
    }

    #[test]
    fn triples_check_every_link() {
        let shift = Instr::I32ShlImm {
            dst: 5,
            a: 1,
            imm: 2,
        };
        let add = Instr::I32Add { dst: 6, a: 0, b: 5 };
        let load = Instr::I32Load {
            dst: 7,
            addr: 6,
            offset: 0,
        };
        let ops = build(&[shift, add, load, Instr::Return {}]);
        assert!(handler_is(&ops[0], IndexLoad::<0>));
        // The load reads another address: no triple, but the first pair.
        let elsewhere = Instr::I32Load {
            dst: 7,
            addr: 4,
            offset: 0,
        };
        let ops = build(&[shift, add, elsewhere, Instr::Return {}]);
        assert!(handler_is(&ops[0], ShlImmToAdd::<0>));
    }

    #[test]
    fn a_byte_compare_loop_runs_in_two_handlers() {
        // while (p[i] == q[i]) { i++; if (i == n) break; }
        let code = [
            Instr::I32Add { dst: 5, a: 1, b: 0 },
            Instr::I32Load8U {
                dst: 5,
                addr: 5,
                offset: 0,
            },
            Instr::I32Add { dst: 6, a: 2, b: 0 },
            Instr::I32Load8U {
                dst: 6,
                addr: 6,
                offset: 0,
            },
            Instr::BrI32Ne {
                a: 5,
                b: 6,
                jump: 3,
            },
            Instr::I32AddImm {
                dst: 0,
                a: 0,
                imm: 1,
            },
            Instr::BrI32Ne {
                a: 3,
                b: 0,
                jump: -6,
            },
            Instr::Return {},
        ];
        let ops = build(&code);
        // Both loads and the comparison (the second load in `b`), then the
        // step, tested in `b`.
        assert!(handler_is(&ops[0], AddLoad8UAddLoad8UBrNe::<0>));
        assert!(handler_is(&ops[5], AddImmToBrNeB::<0>));
        // Entered at the second address, the triple.
        assert!(handler_is(&ops[2], AddLoad8UBrNeB::<0>));
        // Compared the other way round: no quint, a pair and the other
        // triple.
        let mut swapped = code;
        swapped[4] = Instr::BrI32Ne {
            a: 6,
            b: 5,
            jump: 3,
        };
        let ops = build(&swapped);
        assert!(handler_is(&ops[0], AddToLoad8U::<0>));
        assert!(handler_is(&ops[2], AddLoad8UBrNe::<0>));
    }

    #[test]
    fn table_dispatch_on_a_loaded_value_is_one_handler() {
        let shift = Instr::I32ShlImm {
            dst: 5,
            a: 1,
            imm: 2,
        };
        let add = Instr::I32Add { dst: 6, a: 0, b: 5 };
        let load = Instr::I32Load {
            dst: 7,
            addr: 6,
            offset: 0,
        };
        let table = Instr::BrTable { index: 7, len: 2 };
        let code = [
            shift,
            add,
            load,
            table,
            Instr::Br { jump: 3 },
            Instr::Br { jump: -5 },
            Instr::Br { jump: 2 },
            Instr::Copy { dst: 0, src: 1 },
            Instr::Return {},
        ];
        let ops = build(&code);
        assert!(handler_is(&ops[0], IndexLoadBrTable::<0>));
        // Forward entries carry their target's handler; back-edges keep
        // their own (the table runs them, with the back-edge check).
        assert!(handler_is(&ops[4], ops[7].handler));
        assert!(handler_is(&ops[5], Br::<0>));
        // An entry to a return stays a branch (the table reads its
        // distance), carrying the return's handler.
        assert_eq!(ops[6].instr, Instr::Br { jump: 2 * OP });
        assert!(handler_is(&ops[6], handler_of(&Instr::Return {})));
        // Another index: the triple, and the table on its own.
        let code = [
            shift,
            add,
            load,
            Instr::BrTable { index: 2, len: 0 },
            Instr::Br { jump: 1 },
            Instr::Return {},
        ];
        let ops = build(&code);
        assert!(handler_is(&ops[0], IndexLoad::<0>));
    }

    #[test]
    fn an_operand_written_just_before_comes_from_the_accumulator() {
        let add = Instr::I32AddImm {
            dst: 3,
            a: 0,
            imm: 16,
        };
        let store = Instr::I32Store {
            addr: 1,
            src: 3,
            offset: 0,
        };
        let ops = build(&[add, store, Instr::Return {}]);
        // The store's own handler (run when control reaches it from the
        // add's handler) takes `src` from the accumulator.
        let src = operand_id("src");
        assert!(handler_is(&ops[1], I32Store::<{ operand_id("src") }>));
        assert_eq!(
            acc_handler_of(&store, src).map(|h| h as usize),
            Some(ops[1].handler as usize)
        );
        assert_eq!(ops[1].acc, 3);
        assert_eq!(ops[0].acc, NO_ACC);
        // An instruction without a `dst` leaves nothing to take.
        let ops = build(&[Instr::Call { func: 0, base: 3 }, store, Instr::Return {}]);
        assert_eq!(ops[1].acc, NO_ACC);
        assert!(handler_is(&ops[1], I32Store::<0>));
        // One that reads another slot reads it from there.
        let other = Instr::I32Store {
            addr: 1,
            src: 2,
            offset: 0,
        };
        let ops = build(&[add, other, Instr::Return {}]);
        assert_eq!(ops[1].acc, 3);
        assert!(handler_is(&ops[1], I32Store::<0>));
    }

    #[test]
    fn stores_and_branches_pass_the_accumulator_on() {
        let add = Instr::I32AddImm {
            dst: 3,
            a: 3,
            imm: 1,
        };
        let store = Instr::I32Store {
            addr: 1,
            src: 2,
            offset: 0,
        };
        let test = Instr::BrI32NeImm {
            a: 3,
            imm: 10,
            jump: -3,
        };
        // A loop whose header reads what its back-edge's block wrote: the
        // way in and the back-edge agree.
        let code = [add, add, store, test, Instr::Return {}];
        let ops = build(&code);
        assert_eq!(ops[1].acc, 3);
        assert_eq!(ops[3].acc, 3);
        assert!(handler_is(&ops[3], BrI32NeImm::<{ operand_id("a") }>));
    }

    #[test]
    fn where_ways_in_disagree_nothing_is_known() {
        let first = Instr::I32AddImm {
            dst: 4,
            a: 0,
            imm: 1,
        };
        let add = Instr::I32AddImm {
            dst: 3,
            a: 3,
            imm: 1,
        };
        let test = Instr::BrI32NeImm {
            a: 3,
            imm: 10,
            jump: 2,
        };
        // `test` follows the add (slot 3) but the branch over the add
        // lands there too (slot 4): its handler reads the slot.
        let code = [
            first,
            Instr::BrIfNez { cond: 4, jump: 2 },
            add,
            test,
            Instr::Return {},
            Instr::Return {},
        ];
        let ops = build(&code);
        assert_eq!(ops[3].acc, NO_ACC);
        assert!(handler_is(&ops[3], BrI32NeImm::<0>));
        // Without that branch it takes the accumulator.
        let code = [
            first,
            Instr::BrIfNez { cond: 4, jump: 1 },
            add,
            test,
            Instr::Return {},
            Instr::Return {},
        ];
        let ops = build(&code);
        assert_eq!(ops[3].acc, 3);
        // A `br_table`'s targets start with nothing known.
        let code = [
            add,
            Instr::BrTable { index: 3, len: 0 },
            Instr::Br { jump: 1 },
            test,
            Instr::Return {},
            Instr::Return {},
        ];
        assert_eq!(build(&code)[3].acc, NO_ACC);
    }

    #[test]
    fn fused_handlers_take_their_first_operand_from_the_accumulator() {
        let load = Instr::I32Load {
            dst: 2,
            addr: 0,
            offset: 0,
        };
        let add = Instr::I32AddImm {
            dst: 3,
            a: 2,
            imm: 16,
        };
        let then = Instr::I32Load {
            dst: 4,
            addr: 3,
            offset: 0,
        };
        let ops = build(&[load, add, then, Instr::Return {}]);
        assert!(handler_is(&ops[1], AddImmToLoad::<{ operand_id("a") }>));
        assert_eq!(ops[1].acc, 2);
    }

    #[test]
    fn common_simd_instructions_have_handlers_of_their_own() {
        let add = Instr::Simd {
            op: crate::ir::SimdInstr::F32x4Add { dst: 4, a: 0, b: 2 },
        };
        let load = Instr::V128Load {
            dst: 0,
            addr: 6,
            offset: 0,
        };
        let ops = build(&[load, add, Instr::Return {}]);
        assert!(handler_is(&ops[1], SimdF32x4Add));
        // The load before it does not pair with it.
        assert!(handler_is(&ops[0], handler_of(&load)));
        // Others run out of line, and pair.
        let rare = Instr::Simd {
            op: crate::ir::SimdInstr::I8x16Popcnt { dst: 4, src: 0 },
        };
        let ops = build(&[load, rare, Instr::Return {}]);
        assert!(handler_is(&ops[1], handler_of(&rare)));
        assert!(handler_is(&ops[0], V128LoadThenSimd::<0>));
    }
}
