//! The paths an entry goes through: the folders on its way made real (never a link), and the
//! target of a symbolic link checked to stay inside the root before the link is made.

use std::fs::{self, DirBuilder};
use std::io;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use super::Target;
use super::mode::IMPLICIT_DIR_MODE;
use crate::archive::ArchiveError;
use crate::archive::entry_path::{self, LinkProblem, Step};

impl Target {
    /// Makes every folder on the way to `rel` exist as a real folder (never a link).
    pub(super) fn ensure_parents(&mut self, rel: &Path, raw: &[u8]) -> Result<(), ArchiveError> {
        let Some(parent) = rel.parent() else {
            return Ok(());
        };
        if parent.as_os_str().is_empty() || self.known_dirs.contains(parent) {
            return Ok(());
        }
        let mut prefix = PathBuf::new();
        for component in parent.components() {
            prefix.push(component);
            if self.known_dirs.contains(&prefix) {
                continue;
            }
            let full = self.root.join(&prefix);
            match DirBuilder::new().mode(IMPLICIT_DIR_MODE).create(&full) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let meta = self.existing_not_a_link(&full, &prefix, raw)?;
                    if !meta.is_dir() {
                        return Err(ArchiveError::NotAFolder {
                            archive: self.archive.clone(),
                            entry: entry_path::display(raw),
                            path: prefix,
                        });
                    }
                }
                Err(e) => return Err(self.write_error(raw, &full, e)),
            }
            self.known_dirs.insert(prefix.clone());
        }
        Ok(())
    }

    /// What is already at `full` (the root joined with `rel`), where a folder is to be:
    /// refused when it is a symbolic link, which the entry would be written through.
    pub(super) fn existing_not_a_link(
        &self,
        full: &Path,
        rel: &Path,
        raw: &[u8],
    ) -> Result<fs::Metadata, ArchiveError> {
        let meta = fs::symlink_metadata(full).map_err(|e| self.write_error(raw, full, e))?;
        if meta.file_type().is_symlink() {
            return Err(ArchiveError::ThroughSymlink {
                archive: self.archive.clone(),
                entry: entry_path::display(raw),
                symlink: rel.to_path_buf(),
            });
        }
        Ok(meta)
    }

    /// Whether `rel` and every folder above it are real folders, without creating anything.
    fn is_real_dir_chain(&mut self, rel: &Path) -> bool {
        if rel.as_os_str().is_empty() || self.known_dirs.contains(rel) {
            return true;
        }
        let mut prefix = PathBuf::new();
        for component in rel.components() {
            prefix.push(component);
            if self.known_dirs.contains(&prefix) {
                continue;
            }
            match fs::symlink_metadata(self.root.join(&prefix)) {
                Ok(meta) if meta.is_dir() => {
                    self.known_dirs.insert(prefix.clone());
                }
                _ => return false,
            }
        }
        true
    }

    /// Refuses a symbolic link target that is absolute, empty, or may resolve outside the root.
    ///
    /// Resolution starts in the link's folder, a real folder inside the root (checked by
    /// `ensure_parents`). A `..` that comes first walks up real folders, so it is safe as long
    /// as it does not climb above the root. A `..` after a name (`a/../b`) would walk up from
    /// wherever `a` really is, which is not its parent when `a` is itself a link (the classic
    /// `s -> ../..`, `t -> s/../x` escape), so it is accepted only when everything walked down
    /// so far already exists as real folders. Names walked down are either real folders, files,
    /// or links that were themselves checked by this rule, so they cannot lead outside.
    pub(super) fn check_link_target(
        &mut self,
        rel: &Path,
        raw: &[u8],
        link: &[u8],
    ) -> Result<(), ArchiveError> {
        let archive = self.archive.clone();
        let error = |make: fn(String, String, String) -> ArchiveError| {
            make(
                archive.clone(),
                entry_path::display(raw),
                entry_path::display(link),
            )
        };
        let steps = match entry_path::link_steps(link) {
            Ok(steps) => steps,
            Err(LinkProblem::Absolute) => {
                return Err(error(|archive, entry, link| {
                    ArchiveError::AbsoluteSymlink {
                        archive,
                        entry,
                        link,
                    }
                }));
            }
            Err(LinkProblem::Invalid) => {
                return Err(error(|archive, entry, link| ArchiveError::InvalidSymlink {
                    archive,
                    entry,
                    link,
                }));
            }
        };
        let escapes = |archive, entry, link| ArchiveError::SymlinkEscapes {
            archive,
            entry,
            link,
        };
        let mut at = rel.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut walked_down = 0usize;
        for step in steps {
            match step {
                Step::Down(name) => {
                    at.push(name);
                    walked_down += 1;
                }
                Step::Up => {
                    if walked_down > 0 {
                        if !self.is_real_dir_chain(&at) {
                            return Err(error(escapes));
                        }
                        walked_down -= 1;
                    } else if at.as_os_str().is_empty() {
                        return Err(error(escapes));
                    }
                    at.pop();
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::target;
    use super::*;

    /// A `..` after a name in a link target is accepted when that name is a real folder, also
    /// one that was there before the extraction (checked on disk, not only in the cache of
    /// folders this extraction made), and refused when it is a link.
    #[test]
    fn a_link_target_walks_up_only_out_of_real_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("a")).unwrap();
        std::os::unix::fs::symlink("..", root.join("s")).unwrap();
        let mut t = target(root);
        t.symlink(b"l", b"a/../x").unwrap();
        assert_eq!(fs::read_link(root.join("l")).unwrap(), Path::new("a/../x"));
        assert!(matches!(
            t.symlink(b"m", b"s/../x"),
            Err(ArchiveError::SymlinkEscapes { .. })
        ));
        assert!(fs::symlink_metadata(root.join("m")).is_err());
    }
}
