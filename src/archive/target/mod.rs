//! The target folder, written safely: every entry of a tarball or zip goes through [`Target`],
//! which turns its name into a path under the root and refuses what could touch anything
//! outside it.
//!
//! The invariants that make this safe without resolving paths on every write:
//! - entry paths hold normal components only (`entry_path.rs`);
//! - before an entry is written, every folder on its way is a real folder (checked with lstat,
//!   or created by us), never a symbolic link, even one pointing inside: nothing is ever
//!   written through a link;
//! - folders are never removed or replaced, so a folder checked once stays checked (the cache
//!   of checked folders is what keeps extraction of many small files fast);
//! - an existing file or link at an entry's own path is unlinked first and the new file created
//!   with `O_EXCL`, so a link left there is replaced, never followed;
//! - a symbolic link is created only if its target, resolved from the link's folder, stays
//!   inside the root (see [`Target::check_link_target`]);
//! - a hard link is materialised as a copy of a regular file this extraction wrote before it.
//!
//! Files: this one holds the [`Target`] itself, its errors and entry names turned into paths;
//! `write` writes folders, files, symbolic links and hard links; `paths` makes the folders on
//! an entry's way and checks where a link's target leads (the escape checks above); `mode`
//! decides the modes kept and knows the umask; `copy` copies a file's contents through one
//! buffer.

mod copy;
mod mode;
mod paths;
mod write;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::entry_path::{self, NameProblem};
use super::{ArchiveError, ArchiveKind, Extracted};

/// Size of the buffer file contents are copied through: large enough that a typical file is
/// one `write`, and that decompressors work on big runs.
pub(super) const COPY_BUFFER: usize = 256 * 1024;

pub(super) struct Target {
    archive: String,
    kind: ArchiveKind,
    root: PathBuf,
    strip: usize,
    /// Relative paths known to be real folders (created by us or checked with lstat).
    known_dirs: HashSet<PathBuf>,
    /// Relative paths of regular files written by this extraction: the only hard link sources.
    files: HashSet<PathBuf>,
    /// The process umask, when known: modes it would not change need no extra `chmod`.
    umask: Option<u32>,
    buf: Vec<u8>,
    stats: Extracted,
}

impl Target {
    /// Creates the root folder if needed. `archive` is the name used in messages.
    pub(super) fn create(
        archive: String,
        kind: ArchiveKind,
        root: &Path,
        strip: usize,
    ) -> Result<Self, ArchiveError> {
        if let Err(source) = fs::create_dir_all(root) {
            return Err(ArchiveError::CannotCreateTarget {
                archive,
                target: root.to_path_buf(),
                source,
            });
        }
        Ok(Target {
            archive,
            kind,
            root: root.to_path_buf(),
            strip,
            known_dirs: HashSet::new(),
            files: HashSet::new(),
            umask: mode::process_umask(),
            buf: vec![0; COPY_BUFFER],
            stats: Extracted::default(),
        })
    }

    pub(super) fn finish(self) -> Extracted {
        self.stats
    }

    /// An error for bytes that could not be read from the archive stream.
    pub(super) fn read_error(&self, source: io::Error) -> ArchiveError {
        // lzma-rust2 refuses a block needing more than the memory limit with OutOfMemory.
        if self.kind == ArchiveKind::TarXz && source.kind() == io::ErrorKind::OutOfMemory {
            return ArchiveError::XzMemoryLimit {
                archive: self.archive.clone(),
            };
        }
        ArchiveError::CannotReadArchive {
            archive: self.archive.clone(),
            kind: self.kind,
            source,
        }
    }

    pub(super) fn unsupported(&self, raw: &[u8], feature: &'static str) -> ArchiveError {
        ArchiveError::Unsupported {
            archive: self.archive.clone(),
            entry: entry_path::display(raw),
            feature,
        }
    }

    fn write_error(&self, raw: &[u8], path: &Path, source: io::Error) -> ArchiveError {
        if crate::output::no_room_fix(source.kind()).is_some() {
            return ArchiveError::NoRoom {
                archive: self.archive.clone(),
                entry: entry_path::display(raw),
                path: path.to_path_buf(),
                cause: source,
            };
        }
        ArchiveError::CannotWriteEntry {
            archive: self.archive.clone(),
            entry: entry_path::display(raw),
            path: path.to_path_buf(),
            source,
        }
    }

    /// The entry's path relative to the root; `None`, and the entry counted as skipped, when
    /// stripping leaves nothing (every entry writer starts here).
    fn relative(&mut self, raw: &[u8]) -> Result<Option<PathBuf>, ArchiveError> {
        let relative = self.path_in_root(raw)?;
        if relative.is_none() {
            self.skip();
        }
        Ok(relative)
    }

    /// The entry's path relative to the root, `None` when stripping leaves nothing.
    fn path_in_root(&self, raw: &[u8]) -> Result<Option<PathBuf>, ArchiveError> {
        let archive = || self.archive.clone();
        let entry = || entry_path::display(raw);
        entry_path::entry_path(raw, self.strip).map_err(|problem| match problem {
            NameProblem::Absolute => ArchiveError::AbsolutePath {
                archive: archive(),
                entry: entry(),
            },
            NameProblem::ParentDir => ArchiveError::EscapesTarget {
                archive: archive(),
                entry: entry(),
            },
            NameProblem::Nul => ArchiveError::NulInName {
                archive: archive(),
                entry: entry(),
            },
        })
    }

    /// An entry of a kind that is not extracted (device, fifo, socket, unknown tar type).
    pub(super) fn skip(&mut self) {
        self.stats.skipped += 1;
    }
}

/// What the tests of this folder's files share.
#[cfg(test)]
mod test_support {
    use std::fs;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    use super::Target;
    use crate::archive::ArchiveKind;

    pub(super) fn target(root: &Path) -> Target {
        Target::create("x.tgz".to_string(), ArchiveKind::TarGz, root, 0).unwrap()
    }

    pub(super) fn mode_of(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
    }
}
