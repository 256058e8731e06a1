#![no_std]
//! Ember's engine core: decoding and validation (through wasmparser), the
//! register IR and its translator, the interpreter, and the embedding API
//! (engine, store, linker, instances, host functions, traps, fuel, limits).
//! It needs only `alloc`; everything the host must provide comes through
//! the [`Platform`] trait.
//!
//! # Using it
//!
//! ```
//! use ember_core::{Engine, Linker, Module, Store};
//!
//! # fn main() -> Result<(), ember_core::Error> {
//! // (module (func (export "add") (param i32 i32) (result i32)
//! //   local.get 0 local.get 1 i32.add))
//! let wasm = [
//!     0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1, 127, 3, 2, 1, 0, 7, 7, 1, 3, 97,
//!     100, 100, 0, 0, 10, 9, 1, 7, 0, 32, 0, 32, 1, 106, 11,
//! ];
//! let engine = Engine::default();
//! let module = Module::new(&engine, &wasm)?;
//! let mut store = Store::new(&engine, ());
//! let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
//! let add = instance.get_typed_func::<(i32, i32), i32>(&store, "add")?;
//! assert_eq!(add.call(&mut store, (2, 3))?, 5);
//! # Ok(())
//! # }
//! ```
//!
//! # Frames
//!
//! Every active function owns one *frame*: a contiguous run of 8-byte slots
//! in its store's value stack. The value stack is allocated once per store
//! (on the first call, [`Config::stack_slots`] slots) and never moves, so a
//! pointer into it stays valid for the store's life. A frame holds, in
//! order:
//!
//! 1. the parameters, from slot 0;
//! 2. the declared locals (zeroed on entry);
//! 3. temporaries: the positions of the Wasm operand stack, each in a fixed
//!    slot, and above them the areas where this function builds the frames
//!    of the functions it calls.
//!
//! A `v128` takes two slots starting at an even index *of its frame*;
//! everything else takes one slot. A frame starts at an even slot of the
//! value stack when its function's signature has a `v128` (so caller and
//! callee agree on where those values go); otherwise it starts right at the
//! caller's arguments, whatever their parity. A `v128` in memory is
//! therefore only 8-byte aligned in general, and native code accesses it
//! with unaligned 128-bit loads and stores. `i32`/`f32` values sit in the
//! low 32 bits of their slot, references are `0` for null or a store index
//! plus one.
//!
//! A call needs no copying in the common case: the caller evaluates the
//! arguments into consecutive temporaries, and the callee's frame *starts*
//! at the first of them (`Call { base }`), so they already are the callee's
//! parameters. On return the results are in the callee's slots `0..`, which
//! are the caller's temporaries at `base..`, exactly where the caller's
//! operand stack expects them.
//!
//! Both tiers use this layout. Native code may keep slots in registers
//! but writes them back at calls, traps and tier switches, so the
//! interpreter can always take over, and a hot loop can move to native code
//! at its header.
//!
//! # The register IR
//!
//! [`ir::Instr`] is generated from one list (`for_each_instr!`, with its
//! naming grammar in the `ir::list` module). Instructions name slots, not
//! stack positions: `local.get` and constants emit nothing (a local is read
//! where it lives, a constant becomes an immediate such as `I32AddImm`), a
//! `local.set` after an operation retargets its `dst`, and a comparison
//! followed by `br_if`/`if` becomes a fused compare-and-branch such as
//! `BrI32LtS`. For example
//! `local.get 0; local.get 1; i32.add; local.set 2` is the single
//! instruction `I32Add { dst: 2, a: 0, b: 1 }`.
//!
//! Translation is one pass over the body, driven by wasmparser's operator
//! visitor, and happens on a function's first call. Bodies are validated
//! when the module is loaded, so translation fails only at documented
//! implementation limits ([`ErrorKind::Limit`]): a frame larger than
//! 65,535 slots, a table or element-segment index above 65,535, or more
//! than 65,536 `v128` constants, shuffle masks and SIMD memory immediates
//! in one function (SIMD instructions index them with 16 bits).
//!
//! # The interpreter
//!
//! Next to its IR, a translated function keeps *threaded code*: each
//! instruction paired with the address of its handler (`exec::threaded`).
//! A handler runs its instruction and jumps straight to the next one's
//! handler, with the instruction pointer, the frame, memory 0's base and
//! length and the run's state in argument registers. In optimized builds
//! on x86-64 and AArch64 the jump is a tail call that the compiler turns
//! into `jmp`; CI checks every handler's machine code for it (and a
//! native-stack check on back-edges and calls would catch a build where it
//! did not happen). Elsewhere a driver loop calls one handler at a time.
//!
//! Every handler also hands the value its instruction wrote to the next
//! handler in a register, the *accumulator*; where the next instruction
//! reads that value (known when the threaded code is built, also across
//! branches and loop back-edges that agree on it), its handler is a
//! variant that takes the operand from there instead of from its slot, so
//! a result does not wait for its store to reach the next load.
//!
//! The threaded code also runs frequent runs of two, three or five adjacent
//! instructions with one handler (an address computation and its load, a loop counter
//! and its compare-and-branch, a switch on a loaded array element, a
//! byte-compare loop's body, ...);
//! when the next instruction reads the previous one's result, the value
//! stays in a register. The common SIMD instructions have handlers of
//! their own. Forward branches to a return become the return,
//! and a `br_table`'s forward entries carry their target's handler.
//! Branch distances in the threaded code are in bytes, so that a taken
//! branch computes the next instruction's address with one addition:
//! that address is on the critical path of every tight loop. None of
//! this changes the IR, so both JITs, the helpers and the frame layout see
//! the same instructions and indices. A call finds the callee's threaded
//! code in one load from the store's code entry; a return finds its
//! caller's record through a pointer cached with the running frame.
//!
//! Loop back-edges and calls count down one shared tick: every 1024 (or
//! the tier-up threshold, if lower) the interpreter checks the interrupt
//! flag, counts towards on-stack tier-up, and checks the native stack.
//!
//! # Limits and fuel
//!
//! With [`Config::consume_fuel`], every Wasm operator costs one unit,
//! charged at the start of each basic block (`ConsumeFuel`), and bulk
//! memory/table operations cost one unit per byte or element. When the fuel
//! runs out, [`Func::call_resumable`] suspends the call; the host can add
//! fuel and resume it. Call depth ([`Config::max_call_depth`]) and the value
//! stack size are checked on every call, so deep recursion traps with "call
//! stack exhausted"; interpreted calls never touch the native stack, and
//! native code checks the native stack against a limit in every prologue.
//!
//! # Tiers
//!
//! With a [`Backend`] configured ([`Config::backend`]) and a platform that
//! provides executable memory ([`Platform::map_code`]), functions move to
//! native code ([`Tier::Auto`], the default: after
//! [`Config::jit_call_threshold`] calls, or at a loop header after
//! [`Config::jit_loop_threshold`] back-edges, replacing the running frame
//! on the spot; [`Tier::Jit`]: before their first call). The contract
//! between the core and a backend is in the [`jit`] module.
//!
//! Native frames live on the native stack and are invisible while they run.
//! When native code stops early (a trap, fuel running out, a host error)
//! every native frame records itself on the way out, in the interpreter's
//! frame list, with the IR position to continue at. So a backtrace is the
//! same in both tiers, and a call suspended for fuel in native code resumes
//! in the interpreter with nothing lost. Instructions a backend does not
//! compile run through a helper that interprets one instruction over the
//! native frame's slots, so a function never half-runs in one tier.

extern crate alloc;

pub mod code_buffer;
mod engine;
mod error;
mod exec;
mod externals;
mod func;
mod instance;
pub mod ir;
pub mod jit;
mod linker;
mod module;
mod numeric;
mod platform;
mod store;
mod translate;
mod trap;
mod types;
mod value;

pub use code_buffer::{CodeBuffer, Reloc, RelocKind, RelocTarget, TrapSite, VecCodeBuffer};
pub use engine::{Config, Engine};
pub use error::{Error, ErrorKind, Result};
pub use externals::Extern;
pub use func::{
    Caller, IntoFunc, ResumableCall, ResumableInvocation, TypedFunc, WasmParams, WasmResults,
    WasmRet, WasmTy,
};
pub use jit::{Backend, CompileEnv, CompiledFunc, JitError, JitStats, Tier, VmContext};
pub use linker::Linker;
pub use module::{Module, features};
pub use platform::{CodeMemory, HeapPlatform, LinearMemory, MemoryError, Platform};
pub use store::{
    AsContext, AsContextMut, ExternRef, Func, Global, Instance, InterruptHandle, Memory, PAGE_SIZE,
    Store, Table,
};
pub use trap::{FrameInfo, Trap, TrapCode};
pub use types::{ExternType, FuncType, GlobalType, MemoryType, Mutability, TableType, ValType};
pub use value::{V128, Val};
