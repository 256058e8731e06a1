//! [`Store`]: owner of all runtime state (functions, memories, tables,
//! globals, instances) plus the user's data, fuel and the value stack.
//! Handles such as [`Func`] or [`Memory`] are indices into one store.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::exec::Stack;
use crate::module::Module;
use crate::platform::LinearMemory;
use crate::types::{FuncType, GlobalType, MemoryType, TableType};
use crate::value::Val;

static NEXT_STORE_ID: AtomicUsize = AtomicUsize::new(1);

/// Bytes in a Wasm page.
pub const PAGE_SIZE: usize = 65536;

/// A host function as stored: a type-erased closure over `Store<T>`.
pub(crate) type HostFn<T> =
    Arc<dyn Fn(crate::func::Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync>;

pub(crate) enum FuncEntity {
    Wasm {
        instance: u32,
        /// Index in the module's function index space.
        index: u32,
        type_id: u32,
    },
    Host {
        /// Index into `Store::hosts`.
        host: u32,
        type_id: u32,
        ty: FuncType,
    },
}

impl FuncEntity {
    pub(crate) fn type_id(&self) -> u32 {
        match self {
            FuncEntity::Wasm { type_id, .. } | FuncEntity::Host { type_id, .. } => *type_id,
        }
    }
}

/// Where a function's code is, for the interpreter's call fast path (and
/// for native code's indirect calls: its layout is ABI, see
/// `crate::jit::CODE_REF_SIZE`).
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct CodeRef {
    /// The IR once translated; null before that and for host functions.
    pub func: *const crate::ir::Func,
    /// The function's native code, once compiled.
    pub native: Option<crate::jit::NativeEntry>,
    /// Interpreted calls left before the function is compiled (0: not
    /// counting).
    pub hot: u32,
    /// The function's instance (`u32::MAX` for host functions).
    pub instance: u32,
    /// The function's interned type (for indirect calls from native code).
    pub type_id: u32,
    /// The threaded code the interpreter's call fast path jumps into:
    /// `func`'s, when the function is translated, has no native code and
    /// is not counting calls; null otherwise (see `sync_ops`). One load
    /// and one test on the call path instead of four.
    pub ops: *const crate::exec::Op,
    /// `func`'s frame sizes (see `ir::Func`), copied here so that the
    /// call fast path reads one record instead of following `func` (0
    /// until the function is translated).
    pub frame_slots: u32,
    pub param_slots: u32,
    pub local_slots: u32,
}

impl CodeRef {
    /// Recomputes `ops`; called after every change of the other fields.
    pub(crate) fn sync_ops(&mut self) {
        if !self.func.is_null() {
            // SAFETY: non-null `func` points to IR the store keeps alive.
            let ir = unsafe { &*self.func };
            self.frame_slots = ir.frame_slots;
            self.param_slots = ir.param_slots;
            self.local_slots = ir.local_slots;
        }
        self.ops = if self.func.is_null() || self.native.is_some() || self.hot != 0 {
            core::ptr::null()
        } else {
            // SAFETY: as above.
            unsafe { (*self.func).ops.as_ptr() }
        };
    }
}

pub(crate) struct MemoryEntity {
    pub ty: MemoryType,
    memory: Box<dyn LinearMemory>,
    /// `memory.base()` and `memory.len()`, cached for the interpreter and
    /// refreshed after every growth.
    pub base: *mut u8,
    pub len: usize,
    /// Growth limit in pages: the type's maximum capped by the config.
    pub max_pages: u32,
}

// SAFETY: `base` points into the memory owned by `memory` (which is `Send`);
// it moves between threads together with its owner.
unsafe impl Send for MemoryEntity {}

impl MemoryEntity {
    pub(crate) fn new(ty: MemoryType, memory: Box<dyn LinearMemory>, max_pages: u32) -> Self {
        let (base, len) = (memory.base(), memory.len());
        MemoryEntity {
            ty,
            memory,
            base,
            len,
            max_pages,
        }
    }

    pub(crate) fn pages(&self) -> u32 {
        (self.len / PAGE_SIZE) as u32
    }

    /// Grows by `delta` pages; returns the old size or `None` on failure.
    pub(crate) fn grow(&mut self, delta: u32) -> Option<u32> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages {
            return None;
        }
        if delta == 0 {
            return Some(old);
        }
        self.memory.grow_to(new as usize * PAGE_SIZE).ok()?;
        self.base = self.memory.base();
        self.len = self.memory.len();
        Some(old)
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: `LinearMemory` guarantees `base` points to `len` readable
        // bytes until the next `grow_to`, which needs `&mut self`.
        unsafe { core::slice::from_raw_parts(self.base, self.len) }
    }

    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `bytes`, and `&mut self` makes this the only access.
        unsafe { core::slice::from_raw_parts_mut(self.base, self.len) }
    }
}

pub(crate) struct TableEntity {
    pub ty: TableType,
    /// Raw references (0 = null, otherwise index + 1).
    pub elements: Vec<u64>,
    pub max: u32,
}

impl TableEntity {
    /// Grows by `delta` elements set to `init`; returns the old size or
    /// `None` on failure.
    pub(crate) fn grow(&mut self, delta: u32, init: u64) -> Option<u32> {
        let old = self.elements.len() as u32;
        let new = old.checked_add(delta)?;
        if new > self.max {
            return None;
        }
        self.elements.try_reserve(delta as usize).ok()?;
        self.elements.resize(new as usize, init);
        Some(old)
    }
}

pub(crate) struct GlobalEntity {
    pub ty: GlobalType,
    pub value: GlobalCell,
}

/// A global's value in its own heap cell, which never moves, so native
/// code can reach it through `VmContext::globals`.
pub(crate) struct GlobalCell(core::ptr::NonNull<u128>);

// SAFETY: the cell is owned exclusively by its `GlobalEntity`; it moves
// between threads together with the store.
unsafe impl Send for GlobalCell {}

impl GlobalCell {
    pub fn new(value: u128) -> Self {
        GlobalCell(core::ptr::NonNull::from(Box::leak(Box::new(value))))
    }

    pub fn get(&self) -> u128 {
        // SAFETY: the pointer comes from a live `Box` owned by `self`; a
        // store is used by one thread at a time.
        unsafe { *self.0.as_ptr() }
    }

    pub fn set(&mut self, value: u128) {
        // SAFETY: as in `get`.
        unsafe { *self.0.as_ptr() = value }
    }

    /// The value's address (its low 64 bits first).
    pub fn as_ptr(&self) -> *mut u64 {
        self.0.as_ptr().cast()
    }
}

impl Drop for GlobalCell {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `Box::leak` in `new` and is freed
        // only here.
        drop(unsafe { Box::from_raw(self.0.as_ptr()) });
    }
}

pub(crate) struct InstanceEntity {
    pub module: Module,
    pub funcs: Vec<u32>,
    pub tables: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    /// Passive data segments (empty once dropped).
    pub datas: Vec<core::ops::Range<usize>>,
    /// Element segments as raw references (empty once dropped).
    pub elems: Vec<Box<[u64]>>,
    pub exports: Vec<(alloc::string::String, crate::externals::Extern)>,
    /// The function table native code calls through.
    pub func_refs: Box<[crate::jit::FuncRef]>,
    /// Addresses of the instance's global values, for native code.
    pub global_ptrs: Box<[*mut u64]>,
}

/// The part of a store that does not depend on the user's data type; this is
/// what the interpreter works on.
pub(crate) struct StoreInner {
    pub id: usize,
    pub engine: Engine,
    pub funcs: Vec<FuncEntity>,
    /// For each function: its IR once translated (Wasm functions), else
    /// null. Lets calls skip the lookup through module and instance.
    pub func_code: Vec<CodeRef>,
    pub memories: Vec<MemoryEntity>,
    pub tables: Vec<TableEntity>,
    pub globals: Vec<GlobalEntity>,
    pub instances: Vec<InstanceEntity>,
    pub externrefs: Vec<Box<dyn Any + Send + Sync>>,
    /// What native code reads and writes; also holds the fuel left.
    pub ctx: Box<crate::jit::VmContext>,
    /// The error behind a `STATUS_ERROR` unwinding through native code.
    pub pending_error: Option<Error>,
    /// A host function's panic caught under native code, continued when
    /// the host's call into Wasm returns.
    pub pending_panic: Option<Box<dyn Any + Send>>,
    /// How native code reaches host functions (set for each call).
    pub host_hook: Option<crate::exec::HostHook>,
    /// Nesting of native regions (the outermost sets the stack limit).
    pub native_nesting: u32,
    /// Whether functions may be compiled, and when.
    pub jit: crate::exec::JitMode,
    pub interrupt: Arc<AtomicBool>,
    /// Whether calls check `interrupt` (copied from the config).
    pub interruptible: bool,
    pub stack: Stack,
    /// Nesting depth of host → Wasm calls currently active.
    pub host_depth: u32,
    /// Token of the call suspended for lack of fuel, if any.
    pub suspended: Option<u64>,
    pub next_token: u64,
}

/// All state of running Wasm code, plus user data `T` that host functions
/// can reach through [`crate::Caller`]. A store belongs to one thread at a
/// time.
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) hosts: Vec<HostFn<T>>,
    data: T,
}

/// A handle that stops Wasm code running in a store, from any thread.
#[derive(Clone, Debug)]
pub struct InterruptHandle {
    flag: Arc<AtomicBool>,
}

impl InterruptHandle {
    /// Makes running code trap with "interrupted" soon: at its next loop
    /// header or call in native code, within 1024 of them in the
    /// interpreter. The flag clears when the trap is raised.
    pub fn interrupt(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }
}

impl<T> Store<T> {
    /// A new, empty store.
    pub fn new(engine: &Engine, data: T) -> Self {
        let config = engine.config();
        let interrupt = Arc::new(AtomicBool::new(false));
        let ctx = Box::new(crate::exec::new_context(&interrupt));
        Store {
            inner: StoreInner {
                id: NEXT_STORE_ID.fetch_add(1, Ordering::Relaxed),
                engine: engine.clone(),
                funcs: Vec::new(),
                func_code: Vec::new(),
                memories: Vec::new(),
                tables: Vec::new(),
                globals: Vec::new(),
                instances: Vec::new(),
                externrefs: Vec::new(),
                ctx,
                pending_error: None,
                pending_panic: None,
                host_hook: None,
                native_nesting: 0,
                jit: crate::exec::JitMode::of(config),
                interrupt,
                interruptible: config.interruptible,
                stack: Stack::new(config.stack_slots, config.max_call_depth),
                host_depth: 0,
                suspended: None,
                next_token: 0,
            },
            hosts: Vec::new(),
            data,
        }
    }

    /// The engine this store was created for.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The user data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The user data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// The engine-side state and the user data, borrowed separately.
    pub(crate) fn inner_and_data_mut(&mut self) -> (&mut StoreInner, &mut T) {
        (&mut self.inner, &mut self.data)
    }

    /// Consumes the store and returns the user data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Sets the fuel left. Needs [`crate::Config::consume_fuel`].
    pub fn set_fuel(&mut self, fuel: u64) -> Result<()> {
        self.check_fuel_enabled()?;
        self.inner.ctx.fuel = fuel;
        Ok(())
    }

    /// The fuel left. Needs [`crate::Config::consume_fuel`].
    pub fn get_fuel(&self) -> Result<u64> {
        self.check_fuel_enabled()?;
        Ok(self.inner.ctx.fuel)
    }

    fn check_fuel_enabled(&self) -> Result<()> {
        if self.inner.engine.config().consume_fuel {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Usage,
                "fuel is not enabled in this engine's config",
            ))
        }
    }

    /// A handle to interrupt code running in this store from elsewhere.
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle {
            flag: self.inner.interrupt.clone(),
        }
    }
}

/// Types that give access to a store (the store itself or a [`crate::Caller`]).
pub trait AsContext {
    /// The store's user data type.
    type Data;
    /// The store.
    fn as_context(&self) -> &Store<Self::Data>;
}

/// Types that give mutable access to a store.
pub trait AsContextMut: AsContext {
    /// The store, mutably.
    fn as_context_mut(&mut self) -> &mut Store<Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self
    }
}

impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self
    }
}

impl<S: AsContext + ?Sized> AsContext for &S {
    type Data = S::Data;
    fn as_context(&self) -> &Store<S::Data> {
        (**self).as_context()
    }
}

impl<S: AsContext + ?Sized> AsContext for &mut S {
    type Data = S::Data;
    fn as_context(&self) -> &Store<S::Data> {
        (**self).as_context()
    }
}

impl<S: AsContextMut + ?Sized> AsContextMut for &mut S {
    fn as_context_mut(&mut self) -> &mut Store<S::Data> {
        (**self).as_context_mut()
    }
}

macro_rules! handle {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name {
            pub(crate) store: usize,
            index: u32,
        }

        impl $name {
            pub(crate) fn from_raw(store: usize, index: u32) -> Self {
                $name { store, index }
            }

            #[allow(dead_code, reason = "not every handle kind needs it")]
            pub(crate) fn raw_index(&self) -> u32 {
                self.index
            }

            /// Panics if the handle belongs to another store (API misuse).
            pub(crate) fn index_in(&self, store: &StoreInner) -> usize {
                assert_eq!(
                    self.store, store.id,
                    concat!(stringify!($name), " used with a store it does not belong to")
                );
                self.index as usize
            }
        }
    };
}

handle!(
    /// A Wasm or host function in a store.
    Func
);
handle!(
    /// A linear memory in a store.
    Memory
);
handle!(
    /// A table in a store.
    Table
);
handle!(
    /// A global in a store.
    Global
);
handle!(
    /// An instantiated module in a store.
    Instance
);
handle!(
    /// An opaque host value that Wasm code can hold as an `externref`.
    ExternRef
);

impl ExternRef {
    /// Wraps `value` so Wasm code can carry it.
    pub fn new<T: Any + Send + Sync>(mut store: impl AsContextMut, value: T) -> ExternRef {
        let inner = &mut store.as_context_mut().inner;
        inner.externrefs.push(Box::new(value));
        ExternRef::from_raw(inner.id, inner.externrefs.len() as u32 - 1)
    }

    /// The wrapped host value.
    pub fn data<'a, T: 'a>(&self, store: &'a Store<T>) -> &'a (dyn Any + Send + Sync) {
        &*store.inner.externrefs[self.index_in(&store.inner)]
    }
}

// SAFETY: the raw pointers in `func_code` point to immutable IR owned by
// modules (which are `Send + Sync`) that the store's instances keep alive.
unsafe impl Send for StoreInner {}

impl StoreInner {
    /// Adds a function and returns its index.
    pub(crate) fn push_func(&mut self, entity: FuncEntity) -> u32 {
        let instance = match entity {
            FuncEntity::Wasm { instance, .. } => instance,
            FuncEntity::Host { .. } => u32::MAX,
        };
        let type_id = entity.type_id();
        self.funcs.push(entity);
        self.func_code.push(CodeRef {
            func: core::ptr::null(),
            native: None,
            hot: 0,
            instance,
            type_id,
            ops: core::ptr::null(),
            frame_slots: 0,
            param_slots: 0,
            local_slots: 0,
        });
        self.funcs.len() as u32 - 1
    }

    pub(crate) fn check_owner(&self, engine: &Engine) -> Result<()> {
        if self.engine.same(engine) {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Usage,
                "module and store belong to different engines",
            ))
        }
    }
}
