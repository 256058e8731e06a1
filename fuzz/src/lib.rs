//! Shared machinery of Ember's fuzz targets: turning fuzz input into Wasm
//! modules, running a module on Ember (per tier) and on the reference
//! engine, and comparing what they did.
//!
//! The targets in `fuzz_targets/` stay thin; everything they check lives
//! here so that a crash can be replayed and debugged from an ordinary test
//! or example as well.

pub mod differential;
pub mod ember;
pub mod execute;
pub mod generate;
pub mod reference;
pub mod validate;
pub mod value;

pub use ember::Tier;
