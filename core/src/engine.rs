//! [`Engine`] and [`Config`]: the settings shared by every module and store,
//! and the engine-wide registry that gives each function type a small id.

use alloc::sync::Arc;
use alloc::vec::Vec;

use hashbrown::HashMap;

use crate::jit::{Backend, Tier};
use crate::platform::{HeapPlatform, Platform};
use crate::types::FuncType;

/// Engine-wide settings. Defaults suit a hosted runtime; firmware will want
/// smaller stacks.
#[derive(Clone)]
pub struct Config {
    pub(crate) consume_fuel: bool,
    pub(crate) interruptible: bool,
    pub(crate) max_call_depth: u32,
    pub(crate) stack_slots: usize,
    pub(crate) max_memory_pages: u32,
    pub(crate) max_table_elements: u32,
    pub(crate) max_host_reentry: u32,
    pub(crate) platform: Arc<dyn Platform>,
    pub(crate) backend: Option<Arc<dyn Backend>>,
    pub(crate) tier: Tier,
    pub(crate) jit_call_threshold: u32,
    pub(crate) jit_loop_threshold: u32,
    pub(crate) max_native_stack: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            consume_fuel: false,
            interruptible: true,
            max_call_depth: 100_000,
            stack_slots: 1 << 20,
            max_memory_pages: 65536,
            max_table_elements: 10_000_000,
            max_host_reentry: 200,
            platform: Arc::new(HeapPlatform),
            backend: None,
            tier: Tier::Auto,
            jit_call_threshold: 8,
            jit_loop_threshold: 2000,
            max_native_stack: 1 << 20,
        }
    }
}

impl Config {
    /// The default configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Charge fuel for execution (off by default). Stores then start with
    /// zero fuel; see [`crate::Store::set_fuel`].
    pub fn consume_fuel(&mut self, enable: bool) -> &mut Self {
        self.consume_fuel = enable;
        self
    }

    /// Check the store's interrupt flag at loop headers and calls (on by
    /// default). Native code checks at every one; the interpreter checks at
    /// every 1024th, which keeps the check off its fast paths.
    pub fn interruptible(&mut self, enable: bool) -> &mut Self {
        self.interruptible = enable;
        self
    }

    /// Maximum number of nested Wasm calls before "call stack exhausted".
    pub fn max_call_depth(&mut self, depth: u32) -> &mut Self {
        self.max_call_depth = depth;
        self
    }

    /// Size in 8-byte slots of each store's value stack, allocated once (on
    /// the first call) and never moved.
    pub fn stack_slots(&mut self, slots: usize) -> &mut Self {
        self.stack_slots = slots;
        self
    }

    /// Largest memory, in 64 KiB pages, that instantiation or `memory.grow`
    /// may create (at most 65536).
    pub fn max_memory_pages(&mut self, pages: u32) -> &mut Self {
        self.max_memory_pages = pages.min(65536);
        self
    }

    /// Largest table, in elements, that instantiation or `table.grow` may
    /// create.
    pub fn max_table_elements(&mut self, elements: u32) -> &mut Self {
        self.max_table_elements = elements;
        self
    }

    /// How deeply host functions may call back into Wasm, nested.
    pub fn max_host_reentry(&mut self, depth: u32) -> &mut Self {
        self.max_host_reentry = depth;
        self
    }

    /// The platform that provides linear memories, code memory and the
    /// clock.
    pub fn platform(&mut self, platform: Arc<dyn Platform>) -> &mut Self {
        self.platform = platform;
        self
    }

    /// The native-code backend (none by default: interpreter only). The
    /// platform must also provide executable memory
    /// ([`Platform::map_code`]).
    pub fn backend(&mut self, backend: Arc<dyn Backend>) -> &mut Self {
        self.backend = Some(backend);
        self
    }

    /// Which tiers run code ([`Tier::Auto`] by default; without a backend
    /// everything is interpreted).
    pub fn tier(&mut self, tier: Tier) -> &mut Self {
        self.tier = tier;
        self
    }

    /// In [`Tier::Auto`], how many calls of a function run in the
    /// interpreter before it is compiled (default 8).
    pub fn jit_call_threshold(&mut self, calls: u32) -> &mut Self {
        self.jit_call_threshold = calls.max(1);
        self
    }

    /// In [`Tier::Auto`], how many loop back-edges run in the interpreter
    /// before the running function is compiled and continues natively at
    /// the loop header (default 2000).
    pub fn jit_loop_threshold(&mut self, back_edges: u32) -> &mut Self {
        self.jit_loop_threshold = back_edges.max(1);
        self
    }

    /// Bytes of native stack that compiled code may use below the point
    /// where it is first entered, when the platform does not know the
    /// thread's stack bounds (default 1 MiB). Deeper recursion traps with
    /// "call stack exhausted".
    pub fn max_native_stack(&mut self, bytes: usize) -> &mut Self {
        self.max_native_stack = bytes;
        self
    }

    /// Whether functions may run native code under this configuration.
    pub(crate) fn jit_enabled(&self) -> bool {
        self.backend.is_some() && self.tier != Tier::Interp
    }
}

/// Interned function types: equal types get equal ids, so `call_indirect`
/// compares one integer.
#[derive(Default)]
pub(crate) struct TypeRegistry {
    ids: HashMap<FuncType, u32>,
    types: Vec<FuncType>,
}

pub(crate) struct EngineInner {
    pub(crate) config: Config,
    types: spin::Mutex<TypeRegistry>,
    pub(crate) jit: crate::jit::JitCounters,
}

/// Compilation and execution settings shared by modules and stores. Cheap to
/// clone; `Send + Sync`.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Arc<EngineInner>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(&Config::default())
    }
}

impl Engine {
    /// An engine with the given configuration.
    pub fn new(config: &Config) -> Self {
        Engine {
            inner: Arc::new(EngineInner {
                config: config.clone(),
                types: spin::Mutex::new(TypeRegistry::default()),
                jit: Default::default(),
            }),
        }
    }

    /// This engine's configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// What the native tier has compiled so far, over all modules of this
    /// engine.
    pub fn jit_stats(&self) -> crate::jit::JitStats {
        self.inner.jit.snapshot()
    }

    pub(crate) fn intern_type(&self, ty: &FuncType) -> u32 {
        let mut registry = self.inner.types.lock();
        if let Some(&id) = registry.ids.get(ty) {
            return id;
        }
        let id = registry.types.len() as u32;
        registry.types.push(ty.clone());
        registry.ids.insert(ty.clone(), id);
        id
    }

    pub(crate) fn same(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl core::fmt::Debug for Engine {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}
