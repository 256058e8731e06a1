//! Replays a corpus through the differential driver and counts how runs
//! ended, to see that the target really compares something (calls made,
//! not just modules rejected or runs cut short), and that the native tiers
//! really compile code.
//!
//! Usage: `cargo run --release --example verdicts -- CORPUS_DIR`.

use std::collections::BTreeMap;

use ember_fuzz::Tier;
use ember_fuzz::differential::{self, Subject, Verdict};
use ember_fuzz::ember::EmberSubject;
use ember_fuzz::generate::{Origin, module_from_input};
use ember_fuzz::reference::WasmiSubject;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: verdicts CORPUS_DIR");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut calls = 0;
    // Per tier: functions compiled and declined by the JIT.
    let mut jit: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("read CORPUS_DIR") {
        let data = std::fs::read(entry.expect("entry").path()).expect("read input");
        let Ok(mut input) = module_from_input(&data, &differential::PROFILE) else {
            *counts.entry("no module".into()).or_default() += 1;
            continue;
        };
        let mut reference = WasmiSubject::new();
        let mut tiers: Vec<EmberSubject> =
            Tier::ALL.iter().map(|&t| EmberSubject::new(t)).collect();
        let mut subjects: Vec<Box<dyn Subject + '_>> = vec![Box::new(&mut reference)];
        for tier in &mut tiers {
            subjects.push(Box::new(tier));
        }
        let exact_nans = input.origin == Origin::Smith;
        let verdict = differential::run(&input.wasm, &mut input.rest, &mut subjects, exact_nans);
        drop(subjects);
        for (tier, subject) in Tier::ALL.iter().zip(&tiers) {
            let stats = subject.jit_stats();
            let entry = jit.entry(tier.name()).or_default();
            entry.0 += stats.compiled;
            entry.1 += stats.declined;
        }
        let key = match verdict {
            Ok(Verdict::Agreed { calls: 0 }) => "agreed, no call".to_string(),
            Ok(Verdict::NotInstantiated(outcome)) => {
                let outcome = format!("{outcome:?}");
                format!(
                    "not instantiated: {}",
                    outcome.chars().take(60).collect::<String>()
                )
            }
            Ok(Verdict::Agreed { calls: n }) => {
                calls += n;
                "agreed after calls".to_string()
            }
            Ok(Verdict::Inconclusive(why)) => {
                let why = why.split_once(": ").map_or(why.as_str(), |(_, w)| w);
                format!("inconclusive: {}", why.chars().take(60).collect::<String>())
            }
            Err(divergence) => format!("DIVERGENCE: {divergence}"),
        };
        *counts
            .entry(format!("{:?} {key}", input.origin))
            .or_default() += 1;
    }
    for (key, count) in &counts {
        println!("{count:6}  {key}");
    }
    println!("{calls:6}  calls compared in total");
    for (tier, (compiled, declined)) in &jit {
        println!("{tier}: {compiled} functions compiled, {declined} declined");
    }
}
