//! The fuzz targets' committed inputs, replayed on stable Rust without libFuzzer (quality.md:
//! "the corpus and crash cases kept as regression tests"): every file under
//! `fuzz/seeds/<target>/` (the seed corpus) and `fuzz/regressions/<target>/` (inputs that once
//! crashed, each fixed in the library) goes through the very checks the fuzz target runs,
//! compiled here from `fuzz/src/lib.rs`. See README.md, "Fuzzing".

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The files of `fuzz/<kind>/<target>/`, sorted; none when the folder does not exist.
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("cannot read a folder entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `check` on every input, naming the file of the first that fails.
fn replay(kind: &str, target: &str, check: fn(&[u8])) -> usize {
    let files = inputs(kind, target);
    for file in &files {
        let data = fs::read(file).expect("cannot read a fuzz input");
        if let Err(cause) = panic::catch_unwind(AssertUnwindSafe(|| check(&data))) {
            let message = cause
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| cause.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!("{}: {message}", file.display());
        }
    }
    files.len()
}

// The counts are what is committed (`scripts/fuzz` writes what it finds to fuzz/corpus/ and never
// removes a seed or a regression): lost inputs, a moved folder or a broken `inputs()` fail here
// rather than replaying nothing. Lower one only on purpose, after minimising a seed corpus.

#[test]
fn manifest_seeds() {
    assert!(replay("seeds", "manifest", checks::manifest) >= 1999);
}

#[test]
fn manifest_regressions() {
    assert!(replay("regressions", "manifest", checks::manifest) >= 6);
}

#[test]
fn version_seeds() {
    assert!(replay("seeds", "version", checks::version) >= 969);
}

#[test]
fn version_regressions() {
    assert!(replay("regressions", "version", checks::version) >= 2);
}

#[test]
fn archive_seeds() {
    assert!(replay("seeds", "archive", checks::archive) >= 1260);
}

#[test]
fn archive_regressions() {
    replay("regressions", "archive", checks::archive);
}

#[test]
fn uri_seeds() {
    assert!(replay("seeds", "uri", checks::uri) >= 939);
}

#[test]
fn uri_regressions() {
    assert!(replay("regressions", "uri", checks::uri) >= 1);
}

#[test]
fn elf_seeds() {
    assert!(replay("seeds", "elf", checks::elf) >= 280);
}
