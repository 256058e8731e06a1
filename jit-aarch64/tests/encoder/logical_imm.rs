//! The bitmask-immediate encoder against a decoder written from the
//! architecture's `DecodeBitMasks` pseudocode: every encodable pattern of
//! both sizes round-trips, random other values are rejected.

use std::collections::HashMap;

use ember_jit_aarch64::Size::{W, X};
use ember_jit_aarch64::*;

use crate::oracle::{Rng, check_cases};

/// `DecodeBitMasks(N, imms, immr, immediate = TRUE, M = width)`: the value
/// a logical instruction's immediate fields stand for, `None` for a
/// reserved encoding.
pub fn decode_bit_masks(n: u32, imms: u32, immr: u32, width: u32) -> Option<u64> {
    // len = HighestSetBit(N:NOT(imms)).
    let combined = (n << 6) | (!imms & 0x3f);
    if combined == 0 {
        return None;
    }
    let len = 31 - combined.leading_zeros();
    if len < 1 {
        return None;
    }
    let esize = 1u32 << len;
    if esize > width {
        return None;
    }
    let levels = esize - 1;
    if imms & levels == levels {
        return None; // all ones: reserved
    }
    let s = imms & levels;
    let r = immr & levels;
    let welem: u64 = (1u64 << (s + 1)) - 1;
    let emask = if esize == 64 {
        u64::MAX
    } else {
        (1u64 << esize) - 1
    };
    let rotated = if r == 0 {
        welem
    } else {
        ((welem >> r) | (welem << (esize - r))) & emask
    };
    let mut value = 0u64;
    let mut at = 0;
    while at < width {
        value |= rotated << at;
        at += esize;
    }
    Some(value)
}

/// Every canonical encoding (rotation below the element size) of `width`,
/// by value.
fn all_encodings(width: u32) -> HashMap<u64, (u32, u32, u32)> {
    let mut map = HashMap::new();
    for n in 0..=u32::from(width == 64) {
        for imms in 0..64 {
            for immr in 0..64 {
                let Some(value) = decode_bit_masks(n, imms, immr, width) else {
                    continue;
                };
                let combined = (n << 6) | (!imms & 0x3f);
                let esize = 1 << (31 - combined.leading_zeros());
                if immr >= esize {
                    continue;
                }
                let previous = map.insert(value, (n, immr, imms));
                assert!(previous.is_none(), "{value:#x} has two canonical encodings");
            }
        }
    }
    map
}

fn size_of_width(width: u32) -> Size {
    if width == 64 { X } else { W }
}

#[test]
fn every_encodable_pattern_round_trips() {
    for (width, count) in [(32, 1302), (64, 5334)] {
        let encodings = all_encodings(width);
        assert_eq!(encodings.len(), count, "encodable {width}-bit patterns");
        for (&value, &(n, immr, imms)) in &encodings {
            let imm = LogicalImm::new(value, size_of_width(width))
                .unwrap_or_else(|| panic!("{value:#x} ({width}-bit) rejected"));
            assert_eq!(
                (
                    u32::from(imm.n()),
                    u32::from(imm.immr()),
                    u32::from(imm.imms())
                ),
                (n, immr, imms),
                "{value:#x} ({width}-bit)"
            );
            assert_eq!(imm.value(), value);
        }
    }
}

#[test]
fn every_encodable_pattern_disassembles() {
    let mut cases = Vec::new();
    for width in [32, 64] {
        let size = size_of_width(width);
        let mut values: Vec<u64> = all_encodings(width).into_keys().collect();
        values.sort_unstable();
        let register = if width == 64 { "x" } else { "w" };
        for value in values {
            let word = and_imm(size, R1, R2, LogicalImm::new(value, size).unwrap());
            cases.push((word, format!("and {register}1, {register}2, #{value:#x}")));
        }
    }
    assert_eq!(check_cases("bitmask immediates", &cases), 1302 + 5334);
}

#[test]
fn random_values_are_rejected_unless_encodable() {
    let encodings64 = all_encodings(64);
    let encodings32 = all_encodings(32);
    let patterns: Vec<u64> = encodings64.keys().copied().collect();
    let mut rng = Rng::new(11);
    let mut rejected = 0;
    for round in 0..200_000 {
        // Mix uniform values with near-patterns (an encodable value with a
        // bit flipped), which are the likely false positives.
        let value = match round % 3 {
            0 => rng.next_u64(),
            1 => rng.pick(&patterns) ^ (1 << rng.below(64)),
            _ => rng.next_u64() & 0xffff_ffff,
        };
        let expected64 = encodings64.contains_key(&value);
        assert_eq!(
            LogicalImm::new(value, X).is_some(),
            expected64,
            "{value:#x} (64-bit)"
        );
        let expected32 = encodings32.contains_key(&value);
        assert_eq!(
            LogicalImm::new(value, W).is_some(),
            expected32,
            "{value:#x} (32-bit)"
        );
        rejected += usize::from(!expected64);
    }
    assert!(
        rejected > 100_000,
        "the sample must be mostly non-encodable"
    );
    for value in [0, u64::MAX, 0xffff_ffff, 0x1234_5678, 0xff00_ff01] {
        assert!(
            LogicalImm::new(value, X).is_none() || value == 0xffff_ffff,
            "{value:#x}"
        );
        assert!(LogicalImm::new(value, W).is_none(), "{value:#x}");
    }
}
