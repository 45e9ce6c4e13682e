//! Sample entries shared by the zip writer's tests: a stored tarball, a deflated text, bytes,
//! a symlink and a folder, and optionally a file another thread is still producing.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use super::{Entries, Entry, Pending, Source};

pub(super) fn entry(source: Source, mode: u32) -> Entry {
    Entry { source, mode }
}

pub(super) fn sample(dir: &Path) -> Entries {
    let tgz = dir.join("dep.tgz");
    fs::write(&tgz, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4]).unwrap();
    let text = dir.join("readme");
    fs::write(&text, "hello hello hello hello\n".repeat(50)).unwrap();
    let mut e = Entries::new();
    e.insert(
        "manifest.yml".into(),
        entry(Source::Bytes(b"---\nlanguage: x\n".to_vec()), 0o644),
    );
    e.insert(
        "dependencies/abc/dep.tgz".into(),
        entry(Source::File(tgz), 0o644),
    );
    e.insert("README".into(), entry(Source::File(text), 0o644));
    e.insert(
        "bin/detect".into(),
        entry(Source::Symlink("bpkit".into()), 0o777),
    );
    e.insert("empty".into(), entry(Source::Dir, 0o755));
    e
}

/// [`sample`] plus an entry `name` whose file another thread will produce.
pub(super) fn sample_with_pending(dir: &Path, name: &str) -> (Entries, Arc<Pending>) {
    let pending = Pending::new();
    let mut e = sample(dir);
    e.insert(
        name.into(),
        entry(Source::Pending(Arc::clone(&pending)), 0o644),
    );
    (e, pending)
}

/// Whether `dir` holds no `.part` file: a zip written or refused leaves none behind.
pub(super) fn no_part_files(dir: &Path) -> bool {
    fs::read_dir(dir)
        .unwrap()
        .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".part"))
}

/// The file at `path` held open, as the fetcher hands a verified dependency over.
pub(super) fn held(path: &Path) -> crate::fetch::HeldFile {
    crate::fetch::HeldFile::open(path, false).unwrap().0
}
