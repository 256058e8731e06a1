//! The checked list of known failures (`spec/known-failures.txt`): files
//! expected to fail, so that a failure there does not fail the run, while a
//! listed file that starts passing does.

use std::collections::BTreeSet;

/// The files listed in `spec/known-failures.txt`.
#[derive(Debug, Clone, Default)]
pub struct KnownFailures {
    files: BTreeSet<String>,
}

impl KnownFailures {
    /// The list compiled into this build from `spec/known-failures.txt`.
    pub fn load() -> KnownFailures {
        KnownFailures::parse(include_str!("../known-failures.txt"))
    }

    /// Parses the list format: one `suite/file.wast` per line; `#` starts a
    /// comment; blank lines are ignored.
    pub fn parse(text: &str) -> KnownFailures {
        let files = text
            .lines()
            .map(|line| line.split_once('#').map_or(line, |(entry, _)| entry).trim())
            .filter(|entry| !entry.is_empty())
            .map(String::from)
            .collect();
        KnownFailures { files }
    }

    /// Whether `name` (e.g. `wasm-v2/i32.wast`) is listed.
    pub fn contains(&self, name: &str) -> bool {
        self.files.contains(name)
    }

    /// The listed files.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blank_lines_are_ignored() {
        let known = KnownFailures::parse(
            "# header\n\n  wasm-v2/a.wast  # needs X\nproposals/simd/b.wast\n",
        );
        assert_eq!(
            known.iter().collect::<Vec<_>>(),
            ["proposals/simd/b.wast", "wasm-v2/a.wast"]
        );
        assert!(known.contains("wasm-v2/a.wast"));
        assert!(!known.contains("wasm-v2/c.wast"));
    }

    #[test]
    fn the_checked_in_list_parses() {
        for entry in KnownFailures::load().iter() {
            assert!(
                entry.ends_with(".wast") && entry.contains('/'),
                "bad entry `{entry}`"
            );
        }
    }
}
