//! The differential driver: runs one module on several engines in lock
//! step (instantiate, then the same calls with the same arguments) and
//! reports the first difference in results, trap kinds, final exported
//! state, or fuel between Ember's tiers.

use std::fmt;

use arbitrary::Unstructured;

use crate::ember::{EmberSubject, Tier};
use crate::generate::{Origin, SmithProfile, module_from_input};
use crate::reference::WasmiSubject;
use crate::value::{ExportedFunc, Outcome, Snapshot, Value, arbitrary_args};

/// What `wasm-smith` generates for differential runs: everything both
/// engines execute identically. NaNs canonical (scalar and SIMD), every
/// loop and call bounded.
pub const PROFILE: SmithProfile = SmithProfile {
    allow_simd: true,
    canonicalize_nans: true,
    ensure_termination: true,
    allow_invalid_funcs: false,
    imports: true,
};

/// Something that can run a module: the reference engine or one of
/// Ember's tiers.
pub trait Subject {
    /// A short name for messages.
    fn name(&self) -> &str;
    /// Compiles `wasm`, instantiates it with stand-in imports and runs its
    /// start function. `Outcome::Returned(vec![])` means it is ready.
    fn instantiate(&mut self, wasm: &[u8]) -> Outcome;
    /// The instance's exported functions, in export order.
    fn exported_funcs(&self) -> Vec<ExportedFunc>;
    /// Calls the `index`-th exported function.
    fn call(&mut self, index: usize, args: &[Value]) -> Outcome;
    /// The exported globals, memories and tables now.
    fn snapshot(&mut self) -> Snapshot;
    /// Fuel used so far, for engines that count it the way Ember does (all
    /// of Ember's tiers must agree on it exactly).
    fn ember_fuel_used(&self) -> Option<u64>;
}

/// A subject borrowed for a run, so that the caller can look at it
/// afterwards (the `verdicts` example reads the JIT's statistics).
impl<S: Subject + ?Sized> Subject for &mut S {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn instantiate(&mut self, wasm: &[u8]) -> Outcome {
        (**self).instantiate(wasm)
    }
    fn exported_funcs(&self) -> Vec<ExportedFunc> {
        (**self).exported_funcs()
    }
    fn call(&mut self, index: usize, args: &[Value]) -> Outcome {
        (**self).call(index, args)
    }
    fn snapshot(&mut self) -> Snapshot {
        (**self).snapshot()
    }
    fn ember_fuel_used(&self) -> Option<u64> {
        (**self).ember_fuel_used()
    }
}

/// How many calls one run makes at most (each function once, then
/// calls picked by the input).
pub const MAX_CALLS: usize = 64;

/// Fuel (in Ember's units) after which a run makes no further calls and
/// goes on to compare the final state: bounds the time one input takes.
pub const RUN_FUEL: u64 = 20_000_000;

/// How a run that found no difference ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every engine agreed on everything, through this many calls.
    Agreed { calls: usize },
    /// Every engine failed to instantiate the module in the same way.
    NotInstantiated(Outcome),
    /// The run hit something that says nothing about correctness (stack
    /// exhaustion, fuel, host resources, an unsupported feature), so it
    /// was cut short there.
    Inconclusive(String),
}

/// The engines disagreed.
#[derive(Debug, Clone)]
pub struct Divergence {
    /// What was being done, what each engine did.
    pub report: String,
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report)
    }
}

/// Checks that every subject did what the first one (the reference) did.
fn agree(
    subjects: &[Box<dyn Subject + '_>],
    outcomes: &[Outcome],
    step: &str,
    exact_nans: bool,
) -> Result<Option<Verdict>, Divergence> {
    if let Some(o) = outcomes.iter().find(|o| o.is_inconclusive()) {
        return Ok(Some(Verdict::Inconclusive(format!("{step}: {o:?}"))));
    }
    let expected = outcomes[0].comparable(exact_nans);
    for (subject, outcome) in subjects.iter().zip(outcomes).skip(1) {
        if outcome.comparable(exact_nans) != expected {
            return Err(Divergence {
                report: format!(
                    "{step}: {} -> {:?}, {} -> {outcome:?}",
                    subjects[0].name(),
                    outcomes[0],
                    subject.name()
                ),
            });
        }
    }
    fuel_agrees(subjects, step)?;
    Ok(None)
}

/// Ember's tiers must have used exactly the same fuel.
fn fuel_agrees(subjects: &[Box<dyn Subject + '_>], step: &str) -> Result<(), Divergence> {
    let mut tiers = subjects
        .iter()
        .filter_map(|s| Some((s.name(), s.ember_fuel_used()?)));
    if let Some((first_name, first_fuel)) = tiers.next() {
        for (name, fuel) in tiers {
            if fuel != first_fuel {
                return Err(Divergence {
                    report: format!("{step}: fuel used: {first_name} {first_fuel}, {name} {fuel}"),
                });
            }
        }
    }
    Ok(())
}

/// Runs `wasm` on every subject (the first one is the reference) with
/// arguments and call choices taken from `u`. Unless `exact_nans`, NaN
/// results compare equal whatever their sign and payload (for modules that
/// do not canonicalize NaNs themselves).
pub fn run(
    wasm: &[u8],
    u: &mut Unstructured<'_>,
    subjects: &mut [Box<dyn Subject + '_>],
    exact_nans: bool,
) -> Result<Verdict, Divergence> {
    assert!(subjects.len() >= 2, "a differential run needs two engines");
    let outcomes: Vec<Outcome> = subjects.iter_mut().map(|s| s.instantiate(wasm)).collect();
    if let Some(verdict) = agree(subjects, &outcomes, "instantiation", exact_nans)? {
        return Ok(verdict);
    }
    if outcomes[0] != Outcome::Returned(Vec::new()) {
        return Ok(Verdict::NotInstantiated(outcomes[0].clone()));
    }
    let funcs = subjects[0].exported_funcs();
    for subject in &subjects[1..] {
        if subject.exported_funcs() != funcs {
            return Err(Divergence {
                report: format!(
                    "exports: {} has {funcs:?}, {} has {:?}",
                    subjects[0].name(),
                    subject.name(),
                    subject.exported_funcs()
                ),
            });
        }
    }
    let mut calls = 0;
    if !funcs.is_empty() {
        while calls < MAX_CALLS {
            // Every function once in order, then whichever the input picks.
            let index = if calls < funcs.len() {
                calls
            } else if u.is_empty() {
                break;
            } else {
                u.choose_index(funcs.len()).unwrap_or(0)
            };
            let func = &funcs[index];
            let args = arbitrary_args(&func.params, u)
                .unwrap_or_else(|_| func.params.iter().map(|&k| Value::default_for(k)).collect());
            let outcomes: Vec<Outcome> =
                subjects.iter_mut().map(|s| s.call(index, &args)).collect();
            let step = format!("call #{calls} `{}`{args:?}", func.name);
            if let Some(verdict) = agree(subjects, &outcomes, &step, exact_nans)? {
                return Ok(verdict);
            }
            calls += 1;
            let fuel_used = subjects.iter().filter_map(|s| s.ember_fuel_used()).max();
            if fuel_used.is_some_and(|fuel| fuel > RUN_FUEL) {
                break;
            }
        }
    }
    let expected = subjects[0].snapshot().comparable(exact_nans);
    for i in 1..subjects.len() {
        let snapshot = subjects[i].snapshot().comparable(exact_nans);
        if let Some(difference) = expected.first_difference(&snapshot) {
            return Err(Divergence {
                report: format!(
                    "final state after {calls} calls, {} vs {}: {difference}",
                    subjects[0].name(),
                    subjects[i].name()
                ),
            });
        }
    }
    Ok(Verdict::Agreed { calls })
}

/// The `differential` target's check: the input's module on wasmi and on
/// every Ember tier; panics with a report on the first divergence.
pub fn check(data: &[u8]) {
    let Ok(mut input) = module_from_input(data, &PROFILE) else {
        return;
    };
    let mut subjects: Vec<Box<dyn Subject>> = vec![Box::new(WasmiSubject::new())];
    for &tier in Tier::ALL {
        subjects.push(Box::new(EmberSubject::new(tier)));
    }
    // wasm-smith's modules canonicalize NaNs; others may not.
    let exact_nans = input.origin == Origin::Smith;
    if let Err(divergence) = run(&input.wasm, &mut input.rest, &mut subjects, exact_nans) {
        panic!("divergence ({:?} module): {divergence}", input.origin);
    }
}
