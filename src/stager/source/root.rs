//! The folder of a buildpack that holds its `bin/`, as the builder's `buildpackPath` finds it:
//! the folder itself, or the only entry of an unpacked folder (zips made with a top folder).

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a buildpack has no folder holding `bin/`, in the builder's words.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RootError {
    #[error("Failed to read buildpack directory '{}' for buildpack '{key}'", location.display())]
    CannotReadFolder {
        location: PathBuf,
        key: String,
        /// Shared: the stager keeps each buildpack's root (or this error) in its list, and
        /// reports the error as the builder does, when it reaches that buildpack.
        #[source]
        source: Arc<std::io::Error>,
    },
    /// The builder's words; for a folder holding a `manifest.yml` (a bpkit buildpack being
    /// written, with no `bin/` yet) followed by how to give it one.
    #[error(
        "malformed buildpack does not contain a /bin dir: {key}{}",
        if *has_manifest { NO_BIN_FIX } else { "" }
    )]
    NoBinFolder { key: String, has_manifest: bool },
}

/// What a folder with a manifest and no `bin/` lacks, in the words of "Writing a buildpack".
const NO_BIN_FIX: &str = " (it has a manifest.yml: a bpkit buildpack needs bin/bpkit and the bin/<phase> links to it, which `bpkit init` writes, or stage the zip `bpkit package` makes of it)";

/// The builder's `buildpackPath`: the folder itself when it has `bin/`, else its only entry
/// when that has `bin/`; otherwise the buildpack is malformed.
pub fn buildpack_root(location: &Path, key: &str) -> Result<PathBuf, RootError> {
    if location.join("bin").exists() {
        return Ok(location.to_path_buf());
    }
    let entries: Vec<_> = std::fs::read_dir(location)
        .map_err(|e| RootError::CannotReadFolder {
            location: location.to_path_buf(),
            key: key.to_string(),
            source: Arc::new(e),
        })?
        .filter_map(Result::ok)
        .collect();
    if let [only] = entries.as_slice() {
        let nested = only.path();
        if nested.join("bin").exists() {
            return Ok(nested);
        }
    }
    Err(RootError::NoBinFolder {
        key: key.to_string(),
        has_manifest: location.join("manifest.yml").is_file(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_like_the_builder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("top/nested/bin")).unwrap();
        assert_eq!(
            buildpack_root(&dir.path().join("top"), "k").unwrap(),
            dir.path().join("top/nested")
        );
        std::fs::create_dir_all(dir.path().join("top/other")).unwrap();
        assert_eq!(
            buildpack_root(&dir.path().join("top"), "k")
                .unwrap_err()
                .to_string(),
            "malformed buildpack does not contain a /bin dir: k"
        );
        // A folder that is a buildpack being written gets how to give it a bin/.
        std::fs::write(dir.path().join("top/manifest.yml"), "language: x\n").unwrap();
        assert_eq!(
            buildpack_root(&dir.path().join("top"), "k")
                .unwrap_err()
                .to_string(),
            "malformed buildpack does not contain a /bin dir: k (it has a manifest.yml: a bpkit buildpack needs bin/bpkit and the bin/<phase> links to it, which `bpkit init` writes, or stage the zip `bpkit package` makes of it)"
        );
        let missing = dir.path().join("missing");
        let e = buildpack_root(&missing, "k").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "Failed to read buildpack directory '{}' for buildpack 'k'",
                missing.display()
            )
        );
        assert!(std::error::Error::source(&e).is_some());
    }
}
