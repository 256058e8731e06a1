//! Ember on a hosted OS (Linux): [`StdPlatform`], whose linear memories are
//! reserved address space that grows in place, and [`wasi`], WASI preview 1
//! sandboxed to preopened directories. The `ember` command-line runtime is
//! this crate's binary.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use ember_core::{Config, Engine, Linker, Module, Store};
//! use ember_platform_std::{StdPlatform, wasi};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut config = Config::new();
//! config.platform(Arc::new(StdPlatform::new()));
//! let engine = Engine::new(&config);
//! let module = Module::new(&engine, std::fs::read("hello.wasm")?)?;
//! let mut linker = Linker::new(&engine);
//! wasi::add_to_linker(&mut linker)?;
//! let mut store = Store::new(&engine, wasi::WasiCtxBuilder::new().arg("hello").build());
//! let instance = linker.instantiate(&mut store, &module)?;
//! instance
//!     .get_typed_func::<(), ()>(&store, "_start")?
//!     .call(&mut store, ())?;
//! # Ok(())
//! # }
//! ```

mod platform;
pub mod wasi;

pub use platform::StdPlatform;

use std::sync::Arc;

use ember_core::{Backend, Config, Tier};

/// The JIT backend for the machine this crate was built for, if Ember has
/// one (x86-64 and AArch64).
pub fn host_backend() -> Option<Arc<dyn Backend>> {
    #[cfg(target_arch = "x86_64")]
    return Some(Arc::new(ember_jit_x64::X64Backend));
    #[cfg(target_arch = "aarch64")]
    return Some(Arc::new(ember_jit_aarch64::Aarch64Backend));
    #[allow(unreachable_code)]
    None
}

/// A configuration for this host: [`StdPlatform`], and for
/// [`Tier::Jit`]/[`Tier::Auto`] the host's JIT backend (where there is
/// none, everything is interpreted).
pub fn host_config(tier: Tier) -> Config {
    let mut config = Config::new();
    config.platform(Arc::new(StdPlatform::new())).tier(tier);
    if tier != Tier::Interp
        && let Some(backend) = host_backend()
    {
        config.backend(backend);
    }
    config
}
