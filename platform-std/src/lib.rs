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
