//! The `execute` target's check: a module is instantiated and every
//! exported function called with arbitrary arguments under fuel, through
//! plain and resumable calls, with small and large stacks, in every tier
//! (the JIT forced, and tiering up at input-chosen low thresholds). Nothing may
//! panic or overflow the native stack, every failure must be a trap or a
//! documented limit, and fuel bounds the time taken.

use arbitrary::{Arbitrary, Unstructured};
use ember_core::{
    Config, Engine, Error, ErrorKind, Extern, Instance, Module, PAGE_SIZE, ResumableCall, Store,
    Val,
};

use crate::ember::{Tier, exported_funcs, fuzz_config, stand_in_imports, to_val};
use crate::generate::{MAX_MEMORY_PAGES, MAX_TABLE_ELEMENTS, SmithProfile, module_from_input};
use crate::value::{Value, arbitrary_args};

/// What `wasm-smith` may generate here: valid modules with imports and
/// (sometimes) SIMD, without a termination counter: fuel stops them.
pub const PROFILE: SmithProfile = SmithProfile {
    allow_simd: true,
    canonicalize_nans: false,
    ensure_termination: false,
    allow_invalid_funcs: false,
    imports: true,
};

/// Fuel for the instantiation and for each plain call.
pub const CALL_FUEL: u64 = 100_000;

/// Calls per input at most.
pub const MAX_CALLS: usize = 32;

/// How many times a resumable call is given more fuel before it is dropped.
pub const MAX_RESUMES: usize = 4;

/// Checks one fuzz input.
pub fn check(data: &[u8]) {
    let Ok(mut input) = module_from_input(data, &PROFILE) else {
        return;
    };
    for &tier in Tier::ALL {
        let mut config = fuzz_config(tier);
        if configure_stack(&mut config, &mut input.rest).is_err()
            || (tier == Tier::Auto && configure_thresholds(&mut config, &mut input.rest).is_err())
        {
            return;
        }
        run(&input.wasm, tier, &config, &mut input.rest);
    }
}

/// Sometimes a tiny value stack or call depth, to reach those limits.
fn configure_stack(config: &mut Config, u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    match u8::arbitrary(u)? % 4 {
        0 => {
            config.stack_slots(u.int_in_range(0..=4096)?);
        }
        1 => {
            config.max_call_depth(u.int_in_range(0..=64)?);
        }
        _ => {}
    }
    Ok(())
}

/// Tier-up thresholds from 1 (compile at the first call, move a loop to
/// native code at its first back-edge) to a few dozen, so that functions
/// and running frames change tier at different points of a run.
fn configure_thresholds(config: &mut Config, u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    config
        .jit_call_threshold(u.int_in_range(1..=4)?)
        .jit_loop_threshold(u.int_in_range(1..=40)?);
    Ok(())
}

/// Asserts that `error`, from a call or an instantiation, is something a
/// user may see: a trap, a documented limit, or a host resource failure.
fn assert_clean(tier: Tier, what: &str, error: &Error) {
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Trap | ErrorKind::Limit | ErrorKind::Unsupported | ErrorKind::Resource
        ),
        "{}: {what}: unexpected error {error:?}",
        tier.name()
    );
}

fn run(wasm: &[u8], tier: Tier, config: &Config, u: &mut Unstructured<'_>) {
    let engine = Engine::new(config);
    let Ok(module) = Module::new(&engine, wasm) else {
        return;
    };
    let mut store = Store::new(&engine, ());
    let imports = match stand_in_imports(&mut store, &module) {
        Ok(imports) => imports,
        Err(e) => return assert_clean(tier, "imports", &e),
    };
    store.set_fuel(CALL_FUEL).unwrap();
    let instance = match Instance::new(&mut store, &module, &imports) {
        Ok(instance) => instance,
        Err(e) => return assert_clean(tier, "instantiation", &e),
    };
    let funcs = exported_funcs(&store, instance);
    let handles: Vec<_> = funcs.iter().map(|(_, f)| *f).collect();
    for call in 0..MAX_CALLS {
        if funcs.is_empty() || (call >= funcs.len() && u.is_empty()) {
            break;
        }
        let index = if call < funcs.len() {
            call
        } else {
            u.choose_index(funcs.len()).unwrap_or(0)
        };
        let (export, func) = &funcs[index];
        let args = arbitrary_args(&export.params, u).unwrap_or_else(|_| {
            export
                .params
                .iter()
                .map(|&k| Value::default_for(k))
                .collect()
        });
        let args: Vec<Val> = args
            .into_iter()
            .map(|a| to_val(&mut store, a, &handles))
            .collect();
        let ty = func.ty(&store);
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
        let what = format!("call `{}`", export.name);
        let resumable = u.arbitrary::<bool>().unwrap_or(false);
        let outcome = if resumable {
            store
                .set_fuel(u.int_in_range(0..=CALL_FUEL / 8).unwrap_or(0))
                .unwrap();
            call_resumable(&mut store, *func, &args, &mut results, u)
        } else {
            store.set_fuel(CALL_FUEL).unwrap();
            func.call(&mut store, &args, &mut results)
        };
        match outcome {
            Ok(()) => {
                for (value, &t) in results.iter().zip(ty.results()) {
                    assert_eq!(
                        value.ty(),
                        t,
                        "{}: {what}: result of the wrong type",
                        tier.name()
                    );
                }
            }
            Err(e) => assert_clean(tier, &what, &e),
        }
        check_exports(tier, &store, instance);
    }
}

/// A resumable call given a little more fuel a few times, then dropped.
fn call_resumable(
    store: &mut Store<()>,
    func: ember_core::Func,
    args: &[Val],
    results: &mut [Val],
    u: &mut Unstructured<'_>,
) -> Result<(), Error> {
    let mut call = func.call_resumable(&mut *store, args, results)?;
    for _ in 0..MAX_RESUMES {
        match call {
            ResumableCall::Finished => return Ok(()),
            ResumableCall::OutOfFuel(invocation) => {
                let more = u.int_in_range(0..=CALL_FUEL / 4).unwrap_or(CALL_FUEL / 4);
                store.set_fuel(more).unwrap();
                call = invocation.resume(&mut *store, results)?;
            }
        }
    }
    match call {
        ResumableCall::Finished => Ok(()),
        ResumableCall::OutOfFuel(invocation) => {
            if u.arbitrary::<bool>().unwrap_or(true) {
                invocation.cancel(&mut *store);
            }
            Ok(())
        }
    }
}

/// The exported memories and tables are within the configured limits and
/// their sizes agree with their contents.
fn check_exports(tier: Tier, store: &Store<()>, instance: Instance) {
    for (name, ext) in instance.exports(store) {
        match ext {
            Extern::Memory(m) => {
                let pages = m.size(store);
                assert!(
                    pages <= MAX_MEMORY_PAGES,
                    "{}: memory `{name}` has {pages} pages",
                    tier.name()
                );
                assert_eq!(
                    m.data(store).len(),
                    pages as usize * PAGE_SIZE,
                    "{}: memory `{name}` size disagrees with its data",
                    tier.name()
                );
            }
            Extern::Table(t) => {
                let size = t.size(store);
                assert!(
                    size <= MAX_TABLE_ELEMENTS,
                    "{}: table `{name}` has {size} elements",
                    tier.name()
                );
                if size > 0 {
                    assert!(t.get(store, size - 1).is_some());
                }
                assert!(t.get(store, size).is_none());
            }
            Extern::Global(g) => {
                let _ = g.get(store);
            }
            Extern::Func(_) => {}
        }
    }
}
