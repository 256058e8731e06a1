//! Compiles functions of a WAT module with the AArch64 backend and runs
//! them over a fake `VmContext` (same ABI prefix as the core's), with
//! helpers that record what native code asked for.

use std::cell::RefCell;

use ember_core::code_buffer::VecCodeBuffer;
use ember_core::jit::{FuncRef, Helpers, NativeEntry, VmContext};
use ember_core::{Backend, CompileEnv, CompiledFunc, Config, Engine, Module};
use ember_jit_aarch64::Aarch64Backend;

/// The ABI prefix of `VmContext` (checked against its offsets).
#[repr(C)]
pub struct Ctx {
    pub mem_base: *mut u8,
    pub mem_len: u64,
    pub fuel: u64,
    pub stack_limit: usize,
    pub interrupt: *const u8,
    pub func_refs: *const FuncEntry,
    pub globals: *const *mut u64,
    pub slots_end: *mut u64,
    pub helpers: *const Helpers,
}

/// The layout of `FuncRef`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct FuncEntry {
    pub code: NativeEntry,
    pub store_func: u32,
    pub pad: u32,
}

/// What native code asked the helpers for, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Unwind { func: u32, pc: u32, slot0: u64 },
    Exec { func: u32, pc: u32 },
    CallIndirect { table: u32, ty: u32, index: u32 },
}

thread_local! {
    static EVENTS: RefCell<Vec<Event>> = const { RefCell::new(Vec::new()) };
    /// The status `exec` and `call_indirect` return.
    static HELPER_STATUS: RefCell<u32> = const { RefCell::new(0) };
    /// A `(slot, value)` that `exec` writes, as if it ran an instruction.
    static EXEC_WRITES: RefCell<Option<(usize, u64)>> = const { RefCell::new(None) };
}

unsafe extern "C" fn exec(_: *mut VmContext, slots: *mut u64, func: u32, pc: u32) -> u32 {
    EVENTS.with(|e| e.borrow_mut().push(Event::Exec { func, pc }));
    if let Some((slot, value)) = EXEC_WRITES.with(|w| *w.borrow()) {
        // SAFETY: tests name a slot of the running frame.
        unsafe { *slots.add(slot) = value };
    }
    HELPER_STATUS.with(|s| *s.borrow())
}

unsafe extern "C" fn call_indirect(
    _: *mut VmContext,
    _: *mut u64,
    table: u32,
    ty: u32,
    index: u32,
) -> u32 {
    EVENTS.with(|e| {
        e.borrow_mut()
            .push(Event::CallIndirect { table, ty, index })
    });
    HELPER_STATUS.with(|s| *s.borrow())
}

unsafe extern "C" fn unwind(_: *mut VmContext, slots: *mut u64, func: u32, pc: u32) {
    // SAFETY: native code passes its frame, whose slot 0 exists.
    let slot0 = unsafe { *slots };
    EVENTS.with(|e| e.borrow_mut().push(Event::Unwind { func, pc, slot0 }));
}

static HELPERS: Helpers = Helpers {
    exec,
    call_indirect,
    unwind,
};

/// Events recorded since the last call (and clears them).
pub fn take_events() -> Vec<Event> {
    EVENTS.with(|e| std::mem::take(&mut *e.borrow_mut()))
}

/// Makes `exec` write `value` to `slot` of the frame (`None`: nothing).
pub fn set_exec_writes(write: Option<(usize, u64)>) {
    EXEC_WRITES.with(|w| *w.borrow_mut() = write);
}

pub fn set_helper_status(status: u32) {
    HELPER_STATUS.with(|s| *s.borrow_mut() = status);
}

/// Native code in an executable anonymous mapping.
pub struct Code {
    ptr: *mut u8,
    len: usize,
    pub info: CompiledFunc,
}

impl Code {
    pub fn new(bytes: &[u8], info: CompiledFunc) -> Code {
        use rustix::mm::{MapFlags, MprotectFlags, ProtFlags, mmap_anonymous, mprotect};
        let len = bytes.len().next_multiple_of(4096).max(4096);
        // SAFETY: a fresh private anonymous mapping, written before it
        // becomes executable (W^X) and never aliased.
        unsafe {
            let ptr = mmap_anonymous(
                std::ptr::null_mut(),
                len,
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::PRIVATE,
            )
            .expect("mmap")
            .cast::<u8>();
            ptr.copy_from_nonoverlapping(bytes.as_ptr(), bytes.len());
            mprotect(ptr.cast(), len, MprotectFlags::READ | MprotectFlags::EXEC).expect("mprotect");
            clear_cache(ptr, ptr.add(len));
            Code { ptr, len, info }
        }
    }

    fn at(&self, offset: u32) -> NativeEntry {
        // SAFETY: the backend's offsets point at functions with the
        // native entry signature inside this mapping.
        unsafe { std::mem::transmute(self.ptr.add(offset as usize)) }
    }

    pub fn entry(&self) -> NativeEntry {
        self.at(self.info.entry)
    }

    pub fn osr_entry(&self) -> NativeEntry {
        self.at(self.info.osr_entry)
    }

    /// The absolute address of the loop header at IR index `pc`.
    pub fn loop_header(&self, pc: u32) -> usize {
        let &(_, offset) = self
            .info
            .loop_headers
            .iter()
            .find(|&&(p, _)| p == pc)
            .expect("a loop header");
        self.ptr as usize + offset as usize
    }
}

impl Drop for Code {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, no longer used.
        unsafe { rustix::mm::munmap(self.ptr.cast(), self.len).expect("munmap") };
    }
}

unsafe extern "C" {
    /// libgcc's instruction-cache synchronization for `[start, end)`.
    fn __clear_cache(start: *mut u8, end: *mut u8);
}

unsafe fn clear_cache(start: *mut u8, end: *mut u8) {
    // SAFETY: the range is a mapping of ours.
    unsafe { __clear_cache(start, end) }
}

/// A module and its compiled functions.
pub struct Compiled {
    pub module: Module,
    pub funcs: Vec<Code>,
}

/// Compiles every function of `wat` (no imports) with `env` (its
/// `func_index` is set per function).
pub fn compile(wat: &str, env: CompileEnv) -> Compiled {
    let bytes = wat::parse_str(wat).expect("valid WAT");
    let mut config = Config::new();
    config
        .consume_fuel(env.fuel)
        .interruptible(env.interruptible);
    let module = Module::new(&Engine::new(&config), bytes).expect("valid module");
    let mut funcs = Vec::new();
    for index in 0.. {
        let Ok(ir) = module.func_ir(index) else { break };
        let mut env = env;
        env.func_index = index;
        let mut buf = VecCodeBuffer::new();
        let info = Aarch64Backend
            .compile(&ir, &env, &mut buf)
            .unwrap_or_else(|e| panic!("function {index}: {e}\n{ir}"));
        funcs.push(Code::new(&buf.bytes, info));
    }
    Compiled { module, funcs }
}

/// The state a compiled function runs over.
pub struct Machine {
    pub memory: Vec<u8>,
    pub slots: Vec<u64>,
    pub globals: Vec<u64>,
    global_ptrs: Vec<*mut u64>,
    pub interrupt: u8,
    pub fuel: u64,
    pub stack_limit: usize,
    func_refs: Vec<FuncEntry>,
}

impl Machine {
    pub fn new(compiled: &Compiled) -> Machine {
        Machine {
            memory: vec![0; 65536],
            slots: vec![0; 4096],
            globals: vec![0; 16],
            global_ptrs: Vec::new(),
            interrupt: 0,
            fuel: 0,
            stack_limit: 0,
            func_refs: compiled
                .funcs
                .iter()
                .zip(0..)
                .map(|(code, index)| FuncEntry {
                    code: code.entry(),
                    store_func: index,
                    pad: 0,
                })
                .collect(),
        }
    }

    /// Calls `entry` with `extra` over the frame at slot `base`; returns
    /// the status.
    pub fn enter(&mut self, entry: NativeEntry, base: usize, extra: usize) -> u32 {
        self.global_ptrs = self.globals.iter_mut().map(|g| g as *mut u64).collect();
        let mut ctx = Ctx {
            mem_base: self.memory.as_mut_ptr(),
            mem_len: self.memory.len() as u64,
            fuel: self.fuel,
            stack_limit: self.stack_limit,
            interrupt: &self.interrupt,
            func_refs: self.func_refs.as_ptr(),
            globals: self.global_ptrs.as_ptr(),
            slots_end: self.slots.as_mut_ptr_range().end,
            helpers: &HELPERS,
        };
        let slots = self.slots.as_mut_ptr();
        // SAFETY: `ctx` has the ABI prefix of `VmContext` (checked by a
        // test), which is all native code reads; the frame is inside
        // `slots` (native code checks its end).
        let status = unsafe { entry((&raw mut ctx).cast(), slots.add(base), extra) };
        self.fuel = ctx.fuel;
        status
    }

    /// Runs function `func` with `args` in slots `0..`; returns the status
    /// and slots `0..4`.
    pub fn call(&mut self, compiled: &Compiled, func: usize, args: &[u64]) -> (u32, [u64; 4]) {
        self.slots[..args.len()].copy_from_slice(args);
        let status = self.enter(compiled.funcs[func].entry(), 0, func);
        (status, self.slots[..4].try_into().unwrap())
    }
}

#[test]
fn fake_context_has_the_abi_layout() {
    use std::mem::offset_of;
    assert_eq!(offset_of!(Ctx, mem_base), VmContext::MEM_BASE);
    assert_eq!(offset_of!(Ctx, mem_len), VmContext::MEM_LEN);
    assert_eq!(offset_of!(Ctx, fuel), VmContext::FUEL);
    assert_eq!(offset_of!(Ctx, stack_limit), VmContext::STACK_LIMIT);
    assert_eq!(offset_of!(Ctx, interrupt), VmContext::INTERRUPT);
    assert_eq!(offset_of!(Ctx, func_refs), VmContext::FUNC_REFS);
    assert_eq!(offset_of!(Ctx, globals), VmContext::GLOBALS);
    assert_eq!(offset_of!(Ctx, slots_end), VmContext::SLOTS_END);
    assert_eq!(offset_of!(Ctx, helpers), VmContext::HELPERS);
    assert_eq!(std::mem::size_of::<FuncEntry>(), FuncRef::SIZE);
    assert_eq!(offset_of!(FuncEntry, code), FuncRef::CODE);
    assert_eq!(offset_of!(FuncEntry, store_func), FuncRef::STORE_FUNC);
}
