//! The `validate` target's check: decoding and validation never panic and
//! agree with wasmparser's own verdict, and every function of an accepted
//! module is translated to IR and compiled by the JIT backend with no
//! error other than a documented limit.

use arbitrary::Unstructured;
use ember_core::{Engine, ErrorKind, Module};

use crate::ember::{
    Tier, fuzz_config, is_documented_jit_error, is_documented_translation_error, jit_compile_each,
};
use crate::generate::{SmithProfile, WASM_MAGIC, smith_module};

/// What `wasm-smith` may generate here: everything Ember validates,
/// including SIMD and invalid function bodies.
pub const PROFILE: SmithProfile = SmithProfile {
    allow_simd: true,
    canonicalize_nans: false,
    ensure_termination: false,
    allow_invalid_funcs: true,
    imports: true,
};

/// Checks the input as a module and, unless it is one already, the module
/// `wasm-smith` makes from it.
pub fn check(data: &[u8]) {
    check_module(data, false);
    if !data.starts_with(WASM_MAGIC)
        && let Ok(wasm) = smith_module(&mut Unstructured::new(data), &PROFILE)
    {
        check_module(&wasm, true);
    }
}

/// Validates `wasm` with Ember and with wasmparser alone (same feature
/// set), force-translates every function of an accepted module and, in the
/// native tiers, compiles each one with the JIT backend.
/// `generated` says the module came from `wasm-smith`.
pub fn check_module(wasm: &[u8], generated: bool) {
    let reference = wasmparser::Validator::new_with_features(ember_core::features())
        .validate_all(wasm)
        .map(drop);
    // `Tier::Auto` would translate and compile exactly what the other two
    // do: left out for speed.
    for &tier in Tier::ALL.iter().filter(|&&tier| tier != Tier::Auto) {
        let engine = Engine::new(&fuzz_config(tier));
        let module = match (Module::new(&engine, wasm), &reference) {
            (Ok(module), Ok(())) => module,
            (Ok(_), Err(e)) => panic!("{}: accepted a module wasmparser rejects: {e}", tier.name()),
            (Err(e), Ok(())) => {
                assert!(
                    matches!(e.kind(), ErrorKind::Limit | ErrorKind::Unsupported),
                    "{}: rejected a valid module: {e:?}",
                    tier.name()
                );
                continue;
            }
            (Err(e), Err(_)) => {
                assert_eq!(
                    e.kind(),
                    ErrorKind::InvalidModule,
                    "{}: wrong error kind for an invalid module: {e:?}",
                    tier.name()
                );
                continue;
            }
        };
        for (func, error) in tier.prepare(&module) {
            assert!(
                is_documented_translation_error(&error),
                "{}: function {func}: undocumented translation error {error:?}",
                tier.name()
            );
            // wasm-smith generates only WebAssembly 2.0, all of which Ember
            // implements.
            assert!(
                !(generated && error.kind() == ErrorKind::Unsupported),
                "{}: function {func}: {error:?} in a WebAssembly 2.0 module",
                tier.name()
            );
        }
        // One native tier is enough: the backend sees the same IR in both.
        if tier == Tier::Jit {
            let (compiled, declined) = jit_compile_each(&module);
            for (func, error) in &declined {
                assert!(
                    is_documented_jit_error(error),
                    "{}: function {func}: the JIT declined it: {error}",
                    tier.name()
                );
            }
            // The engine's own path (backend, then the platform's W^X code
            // memory) compiles at least what the backend compiled alone,
            // which also needed the variant with interrupt checks.
            if let Ok(stats) = module.jit_compile_all() {
                assert!(
                    stats.compiled >= compiled as u64,
                    "{}: the engine compiled {} functions, the backend alone {compiled}",
                    tier.name(),
                    stats.compiled
                );
            }
        }
    }
}
