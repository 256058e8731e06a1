//! Runs code from `X64Backend` without the engine's native tier: compiles
//! one function of a module, maps it executable, and calls it over a
//! hand-made `VmContext` whose helpers record what they are asked to do.

#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::sync::Arc;

use ember_core::ir::Func;
use ember_core::jit::{
    CompileEnv, CompiledFunc, FuncRef, Helpers, NativeEntry, STATUS_OK, VmContext,
};
use ember_core::{Backend, Engine, Module, TrapCode, VecCodeBuffer};
use ember_jit_x64::X64Backend;
use rustix::mm::{MapFlags, MprotectFlags, ProtFlags, mmap_anonymous, mprotect, munmap};

/// A compiled function in executable memory.
pub struct Code {
    ptr: *mut c_void,
    len: usize,
    pub info: CompiledFunc,
    pub ir: Arc<Func>,
}

impl Code {
    /// Compiles function `index` of `wat` with `env`.
    pub fn compile(wat: &str, index: u32, env: CompileEnv) -> Code {
        let module = module(wat, false);
        Code::of(&module, index, env)
    }

    /// Compiles function `index` of `module`.
    pub fn of(module: &Module, index: u32, env: CompileEnv) -> Code {
        let ir = module.func_ir(index).expect("a defined function");
        let mut buf = VecCodeBuffer::new();
        let info = X64Backend
            .compile(&ir, &env, &mut buf)
            .expect("the function compiles");
        let len = buf.bytes.len().next_multiple_of(4096);
        // SAFETY: a fresh private anonymous mapping; no existing memory is
        // affected.
        let ptr = unsafe {
            mmap_anonymous(
                std::ptr::null_mut(),
                len,
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::PRIVATE,
            )
        }
        .expect("mmap");
        // SAFETY: the mapping is `len >= bytes.len()` bytes, writable, and
        // does not overlap the buffer.
        unsafe { std::ptr::copy_nonoverlapping(buf.bytes.as_ptr(), ptr.cast(), buf.bytes.len()) };
        // SAFETY: the mapping is ours; after this it is only executed.
        unsafe { mprotect(ptr, len, MprotectFlags::READ | MprotectFlags::EXEC) }.expect("mprotect");
        Code { ptr, len, info, ir }
    }

    fn at(&self, offset: u32) -> NativeEntry {
        // SAFETY: the backend's contract: `offset` is the start of a
        // function with the `NativeEntry` signature inside the mapping.
        unsafe {
            std::mem::transmute::<*mut u8, NativeEntry>(self.ptr.cast::<u8>().add(offset as usize))
        }
    }

    pub fn entry(&self) -> NativeEntry {
        self.at(self.info.entry)
    }

    /// The absolute address of the loop header at IR index `pc`.
    pub fn loop_header(&self, pc: u32) -> usize {
        let (_, offset) = self
            .info
            .loop_headers
            .iter()
            .find(|(p, _)| *p == pc)
            .expect("a loop header");
        self.ptr as usize + *offset as usize
    }

    /// Runs the normal entry over `ctx`'s slots from `base`.
    pub fn call(&self, ctx: &mut Ctx, base: usize) -> u32 {
        ctx.enter(self.entry(), base, 0)
    }

    /// Runs the OSR entry, continuing at the loop header of IR index `pc`.
    pub fn call_osr(&self, ctx: &mut Ctx, pc: u32) -> u32 {
        let header = self.loop_header(pc);
        ctx.enter(self.at(self.info.osr_entry), 0, header)
    }
}

impl Drop for Code {
    fn drop(&mut self) {
        // SAFETY: the mapping was made in `compile` and is no longer used.
        unsafe { munmap(self.ptr, self.len) }.expect("munmap");
    }
}

/// A validated module of `wat` (with fuel metering in its IR if `fuel`).
pub fn module(wat: &str, fuel: bool) -> Module {
    let bytes = wat::parse_str(wat).expect("valid text");
    let mut config = ember_core::Config::new();
    config.consume_fuel(fuel);
    let engine = Engine::new(&config);
    Module::new(&engine, &bytes).expect("a valid module")
}

/// What the test helpers were asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `unwind(func_index, pc)`, with the frame's slot 0..4 at that time.
    Unwind { func: u32, pc: u32, slots: [u64; 4] },
    /// `exec(func_index, pc)`.
    Exec { func: u32, pc: u32 },
    /// `call_indirect(table, type_index, index)`.
    CallIndirect {
        table: u32,
        type_index: u32,
        index: u32,
    },
}

thread_local! {
    static EVENTS: RefCell<Vec<Event>> = const { RefCell::new(Vec::new()) };
    /// The status `exec` returns, and the value it writes to slot 0.
    static EXEC_RESULT: RefCell<(u32, u64)> = const { RefCell::new((STATUS_OK, 0)) };
    /// Whether a helper was called with a stack not aligned as the C
    /// convention requires.
    static MISALIGNED: Cell<bool> = const { Cell::new(false) };
}

/// The events so far (and forgets them). Also checks that every helper
/// was called with an aligned stack.
pub fn take_events() -> Vec<Event> {
    assert!(
        !MISALIGNED.with(Cell::take),
        "a helper was called with a misaligned stack"
    );
    EVENTS.with(|e| std::mem::take(&mut *e.borrow_mut()))
}

/// Notes whether the stack is 16-byte aligned as compiled code called a
/// helper: the compiler places a 16-aligned local assuming it is, so the
/// local's address shows it.
#[inline(never)]
fn check_alignment() {
    #[repr(align(16))]
    struct Aligned([u8; 16]);
    let local = Aligned([0; 16]);
    let address = std::hint::black_box(&local) as *const Aligned as usize;
    if !address.is_multiple_of(16) {
        MISALIGNED.with(|m| m.set(true));
    }
}

/// Makes `exec` return `status` after writing `value` to slot 0.
pub fn set_exec_result(status: u32, value: u64) {
    EXEC_RESULT.with(|r| *r.borrow_mut() = (status, value));
}

unsafe extern "C" fn test_exec(_: *mut VmContext, slots: *mut u64, func: u32, pc: u32) -> u32 {
    check_alignment();
    EVENTS.with(|e| e.borrow_mut().push(Event::Exec { func, pc }));
    let (status, value) = EXEC_RESULT.with(|r| *r.borrow());
    // SAFETY: compiled code passes its frame, at least one slot long.
    unsafe { *slots = value };
    status
}

unsafe extern "C" fn test_call_indirect(
    _: *mut VmContext,
    _: *mut u64,
    table: u32,
    type_index: u32,
    index: u32,
) -> u32 {
    check_alignment();
    EVENTS.with(|e| {
        e.borrow_mut().push(Event::CallIndirect {
            table,
            type_index,
            index,
        })
    });
    ember_core::jit::status_of_trap(TrapCode::UndefinedElement)
}

unsafe extern "C" fn test_unwind(_: *mut VmContext, slots: *mut u64, func: u32, pc: u32) {
    check_alignment();
    let mut first = [0; 4];
    for (i, v) in first.iter_mut().enumerate() {
        // SAFETY: test frames are at least four slots long.
        *v = unsafe { *slots.add(i) };
    }
    EVENTS.with(|e| {
        e.borrow_mut().push(Event::Unwind {
            func,
            pc,
            slots: first,
        })
    });
}

static HELPERS: Helpers = Helpers {
    exec: test_exec,
    call_indirect: test_call_indirect,
    unwind: test_unwind,
};

/// A fake `VmContext` with its memory, globals, function table and slots.
pub struct Ctx {
    raw: Vec<u64>,
    pub memory: Vec<u8>,
    pub interrupt: Box<u8>,
    pub globals: Vec<[u64; 2]>,
    global_ptrs: Vec<*mut u64>,
    /// `FuncRef`s as raw words: code, store_func.
    func_refs: Vec<u64>,
    pub slots: Vec<u64>,
}

impl Ctx {
    /// A context with `pages` of zeroed memory and `slots` zeroed slots.
    pub fn new(memory_len: usize, slots: usize) -> Ctx {
        let words = std::mem::size_of::<VmContext>().div_ceil(8);
        Ctx {
            raw: vec![0; words],
            memory: vec![0; memory_len],
            interrupt: Box::new(0),
            globals: Vec::new(),
            global_ptrs: Vec::new(),
            func_refs: Vec::new(),
            slots: vec![0; slots],
        }
    }

    fn set(&mut self, offset: usize, value: u64) {
        self.raw[offset / 8] = value;
    }

    pub fn fuel(&self) -> u64 {
        self.raw[VmContext::FUEL / 8]
    }

    pub fn set_fuel(&mut self, fuel: u64) {
        self.set(VmContext::FUEL, fuel);
    }

    pub fn add_global(&mut self, value: u64) {
        self.globals.push([value, 0]);
    }

    /// Makes function `index` of the table call `entry`.
    pub fn set_func(&mut self, index: usize, entry: NativeEntry) {
        let words = FuncRef::SIZE / 8;
        if self.func_refs.len() < (index + 1) * words {
            self.func_refs.resize((index + 1) * words, 0);
        }
        self.func_refs[index * words + FuncRef::CODE / 8] = entry as usize as u64;
        self.func_refs[index * words + FuncRef::STORE_FUNC / 8] = index as u64;
    }

    /// Makes function `index` of the table compiled code with C entry
    /// `entry` (which compiled callers may enter their own way).
    pub fn set_compiled_func(&mut self, index: usize, entry: NativeEntry) {
        self.set_func(index, entry);
        let bytes: &mut [u8] = words_as_bytes(&mut self.func_refs);
        let at = index * FuncRef::SIZE + FuncRef::COMPILED;
        bytes[at..at + 4].copy_from_slice(&1u32.to_ne_bytes());
    }

    /// `set_compiled_func` when `compiled`, else `set_func`: for tests that
    /// run both kinds of call.
    pub fn set_func_as(&mut self, index: usize, entry: NativeEntry, compiled: bool) {
        if compiled {
            self.set_compiled_func(index, entry);
        } else {
            self.set_func(index, entry);
        }
    }

    /// Slots usable from `base` on: the rest of the slot vector, minus
    /// `limit_slack` (to test the value-stack check).
    fn enter(&mut self, entry: NativeEntry, base: usize, extra: usize) -> u32 {
        self.global_ptrs = self.globals.iter_mut().map(|g| g.as_mut_ptr()).collect();
        let slots = self.slots.as_mut_ptr();
        let mem = self.memory.as_mut_ptr();
        self.set(VmContext::MEM_BASE, mem as u64);
        self.set(VmContext::MEM_LEN, self.memory.len() as u64);
        self.set(VmContext::INTERRUPT, &*self.interrupt as *const u8 as u64);
        self.set(VmContext::FUNC_REFS, self.func_refs.as_ptr() as u64);
        self.set(VmContext::GLOBALS, self.global_ptrs.as_ptr() as u64);
        // SAFETY: one past the end of the slot vector.
        self.set(VmContext::SLOTS_END, unsafe { slots.add(self.slots.len()) }
            as u64);
        self.set(VmContext::HELPERS, &HELPERS as *const Helpers as u64);
        let ctx = self.raw.as_mut_ptr().cast::<VmContext>();
        // SAFETY: `raw` is as large as a `VmContext` and holds every field
        // compiled code reads; memory, slots, globals and the function
        // table outlive the call; `entry` is compiled code.
        unsafe { entry(ctx, slots.add(base), extra) }
    }

    /// Sets the native stack limit (0: none).
    pub fn set_stack_limit(&mut self, limit: usize) {
        self.set(VmContext::STACK_LIMIT, limit as u64);
    }
}

/// `words` as bytes.
fn words_as_bytes(words: &mut [u64]) -> &mut [u8] {
    // SAFETY: the bytes of `words`, which any byte pattern may fill; the
    // borrow keeps `words` exclusively borrowed for the slice's life.
    unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast(), words.len() * 8) }
}
