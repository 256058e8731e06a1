//! The independent oracle: yaxpeax-arm's A64 decoder, plus the table runner
//! and a small deterministic random generator for the property tests.

use std::fmt::Write as _;

use yaxpeax_arch::{Decoder, U8Reader};
use yaxpeax_arm::armv8::a64::InstDecoder;

/// yaxpeax-arm's text for one instruction word (`<error>` if it rejects it).
pub fn disasm(word: u32) -> String {
    let bytes = word.to_le_bytes();
    let mut reader = U8Reader::new(&bytes);
    match InstDecoder::default().decode(&mut reader) {
        Ok(instruction) => instruction.to_string(),
        Err(error) => format!("<{error}>"),
    }
}

/// What an encoder returned: a word, or `None` for "not encodable".
pub trait IntoWord {
    fn into_word(self) -> Option<u32>;
}

impl IntoWord for u32 {
    fn into_word(self) -> Option<u32> {
        Some(self)
    }
}

impl IntoWord for Option<u32> {
    fn into_word(self) -> Option<u32> {
        self
    }
}

/// One table row: the encoder call, the word it must produce and the
/// disassembly of that word.
pub struct Row {
    pub call: &'static str,
    pub line: u32,
    pub word: Option<u32>,
    pub hex: u32,
    pub asm: &'static str,
}

/// `call => 0xHEX, "assembly";` rows.
#[macro_export]
macro_rules! table {
    ($($call:expr => $hex:literal, $asm:literal;)*) => {
        vec![$($crate::oracle::Row {
            call: stringify!($call),
            line: line!(),
            word: $crate::oracle::IntoWord::into_word($call),
            hex: $hex,
            asm: $asm,
        }),*]
    };
}

/// Checks every row: the encoder gives the table's word, and the oracle
/// disassembles that word to the table's text. Reports all failures at once.
#[track_caller]
pub fn check(family: &str, file: &str, rows: Vec<Row>) -> usize {
    let mut failures = String::new();
    for row in &rows {
        let table_text = disasm(row.hex);
        let word_ok = row.word == Some(row.hex);
        let text_ok = table_text == row.asm;
        if word_ok && text_ok {
            continue;
        }
        let encoded = match row.word {
            Some(word) => format!("0x{word:08x} `{}`", disasm(word)),
            None => "not encodable".to_string(),
        };
        writeln!(
            failures,
            "{file}:{}: {}\n    table:   0x{:08x} disassembles as `{table_text}`, expected `{}`\n    encoder: {encoded}",
            row.line, row.call, row.hex, row.asm
        )
        .unwrap();
        if let Some(word) = row.word
            && disasm(word) == row.asm
        {
            writeln!(failures, "BLESS {file} 0x{word:08x} {}", row.asm).unwrap();
        }
    }
    assert!(
        failures.is_empty(),
        "{family}: table mismatches\n{failures}"
    );
    rows.len()
}

/// xorshift64*: a fixed-seed generator so that property tests are
/// reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    pub fn bool(&mut self) -> bool {
        self.next_u64() & 1 == 1
    }

    /// One of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Checks generated cases: the oracle's text of each word must equal the
/// text built from what was requested. Reports up to 20 mismatches.
#[track_caller]
pub fn check_cases(family: &str, cases: &[(u32, String)]) -> usize {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(word, expected)| {
            let actual = disasm(*word);
            (actual != *expected)
                .then(|| format!("0x{word:08x}: oracle `{actual}`, requested `{expected}`"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{family}: {} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    cases.len()
}

/// Runs `case` on `count` random operand sets (fixed seed) and checks them
/// with [`check_cases`].
#[track_caller]
pub fn property(
    family: &str,
    seed: u64,
    count: usize,
    mut case: impl FnMut(&mut Rng) -> (u32, String),
) -> usize {
    let mut rng = Rng::new(seed);
    let cases: Vec<(u32, String)> = (0..count).map(|_| case(&mut rng)).collect();
    check_cases(family, &cases)
}
