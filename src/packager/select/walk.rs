//! The walk of a folder: everything under it that is not excluded, each file with its
//! permission bits, a fifo, device or socket left out with one warning, a skipped (cache or
//! output) folder left out whole; and reading the tree (sorted, UTF-8 names).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::{ChosenBy, Item, SelectError, Walker};

impl Walker<'_> {
    /// Add everything under `dir` (whose zip path is `prefix`) not excluded.
    pub(super) fn walk(
        &mut self,
        dir: &Path,
        prefix: &str,
        ancestors: &mut Vec<PathBuf>,
    ) -> Result<(), SelectError> {
        for Named { name, path, utf8 } in self.read_dir_sorted(dir)? {
            if let Some(link) = self.following.first() {
                self.through_links += 1;
                if self.through_links > super::THROUGH_LINKS_LIMIT {
                    return Err(SelectError::TooManyThroughLinks {
                        link: link.clone(),
                        by: self.by(),
                    });
                }
            }
            let rel = format!("{prefix}{name}");
            let meta = self.lstat(&path)?;
            let is_dir = meta.is_dir();
            if self.excluded(&name, &rel, is_dir) {
                continue;
            }
            if !utf8 {
                return Err(SelectError::NotUtf8 {
                    path,
                    by: self.by(),
                });
            }
            if meta.file_type().is_symlink() {
                self.link(&path, &rel, ancestors)?;
            } else if is_dir {
                if self.skip.iter().any(|s| s == &path) {
                    continue;
                }
                self.selection.items.insert(rel.clone(), Item::Dir);
                ancestors.push(path.clone());
                self.walk(&path, &format!("{rel}/"), ancestors)?;
                ancestors.pop();
            } else if meta.is_file() {
                self.file(&path, &rel, &meta);
            } else {
                self.leave_out(&path);
            }
        }
        Ok(())
    }

    pub(super) fn file(&mut self, source: &Path, rel: &str, meta: &fs::Metadata) {
        self.selection.items.insert(
            rel.to_string(),
            Item::File {
                source: source.to_path_buf(),
                mode: meta.permissions().mode() & 0o7777,
            },
        );
    }

    /// Add a warning unless it was given already: a folder that include_files reaches twice
    /// (listed, and matched by a glob such as `*`) is walked twice, and a fifo in it was
    /// reported twice.
    pub(super) fn warn(&mut self, warning: String) {
        if !self.selection.warnings.contains(&warning) {
            self.selection.warnings.push(warning);
        }
    }

    /// Warn that `path`, a fifo, device or socket (or a link to one), is not packaged.
    pub(super) fn leave_out(&mut self, path: &Path) {
        self.warn(format!(
            "{} is not a regular file, folder or symlink; it is left out",
            super::error::shown(path)
        ));
    }
}

/// One name in a folder.
pub(super) struct Named {
    /// The name, with `U+FFFD` for bytes that are not UTF-8 (so that exclude_files and globs
    /// can still match it).
    pub name: String,
    pub path: PathBuf,
    /// False when the name is not UTF-8: an error only if it would be packaged, since a zip
    /// entry's name must be UTF-8, but a name left out (excluded, or matched by no
    /// include_files glob) stopped packaging too, and "leave it out" was no fix.
    pub utf8: bool,
}

impl Walker<'_> {
    /// Which list chooses the files, for the fix an error gives.
    pub(super) fn by(&self) -> ChosenBy {
        if self.excluder.is_some() {
            ChosenBy::ExcludeFiles
        } else {
            ChosenBy::IncludeFiles
        }
    }

    /// The names in a folder with their paths, sorted (the zip is sorted again, but errors
    /// and warnings then come in a stable order too).
    pub(super) fn read_dir_sorted(&self, dir: &Path) -> Result<Vec<Named>, SelectError> {
        let cannot_read = |cause| SelectError::CannotRead {
            path: dir.to_path_buf(),
            cause,
            by: self.by(),
        };
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).map_err(cannot_read)? {
            let entry = entry.map_err(cannot_read)?;
            let path = entry.path();
            let (name, utf8) = match entry.file_name().into_string() {
                Ok(name) => (name, true),
                Err(raw) => (raw.to_string_lossy().into_owned(), false),
            };
            out.push(Named { name, path, utf8 });
        }
        out.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
        Ok(out)
    }

    pub(super) fn lstat(&self, path: &Path) -> Result<fs::Metadata, SelectError> {
        fs::symlink_metadata(path).map_err(|cause| self.cannot_read(path, cause))
    }

    pub(super) fn canonical(&self, path: &Path) -> Result<PathBuf, SelectError> {
        fs::canonicalize(path).map_err(|cause| self.cannot_read(path, cause))
    }

    pub(super) fn cannot_read(&self, path: &Path, cause: std::io::Error) -> SelectError {
        SelectError::CannotRead {
            path: path.to_path_buf(),
            cause,
            by: self.by(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packager::select::tests::{mkfifo, paths, rules, strings, tree};
    use crate::packager::select::{Rules, select};
    use std::collections::BTreeSet;

    /// A fifo found in a listed folder, by a glob or by the walk is left out with a warning,
    /// given once even when a glob and a listed folder both reach it.
    #[test]
    fn a_fifo_in_a_folder_is_left_out_with_one_warning() {
        let dir = tree(&["sub/a.txt"]);
        mkfifo(&dir.path().join("sub/fifo"));
        let provided = BTreeSet::new();
        let root = fs::canonicalize(dir.path()).unwrap();
        let warning = format!(
            "{}/sub/fifo is not a regular file, folder or symlink; it is left out",
            root.display()
        );
        for include in [
            None,
            Some(strings(&["sub"])),
            Some(strings(&["sub/*"])),
            Some(strings(&["*", "sub"])),
        ] {
            let s = select(dir.path(), &rules(include.as_deref(), &[], &provided)).unwrap();
            assert_eq!(s.warnings, [warning.as_str()], "{include:?}");
            assert!(!s.items.contains_key("sub/fifo"), "{include:?}");
        }
    }

    /// A cache or output folder inside the tree (`skip`) is left out whole; its siblings stay.
    #[test]
    fn skipped_folders_are_left_out_whole() {
        let dir = tree(&["out/x", "lib/a", "lib/out/b"]);
        let provided = BTreeSet::new();
        let skip = [fs::canonicalize(dir.path().join("out")).unwrap()];
        let r = Rules {
            skip: &skip,
            ..rules(None, &[], &provided)
        };
        let s = select(dir.path(), &r).unwrap();
        assert_eq!(paths(&s), ["lib/", "lib/a", "lib/out/", "lib/out/b"]);
    }

    /// A file's permission bits are kept as they are (the zip writer applies the 0755 / 0644
    /// rules); the file type bits of `st_mode` are not.
    #[test]
    fn file_modes_are_the_permission_bits() {
        let dir = tree(&["bin/run", "data"]);
        fs::set_permissions(
            dir.path().join("bin/run"),
            fs::Permissions::from_mode(0o4750),
        )
        .unwrap();
        fs::set_permissions(dir.path().join("data"), fs::Permissions::from_mode(0o600)).unwrap();
        let provided = BTreeSet::new();
        let s = select(dir.path(), &rules(None, &[], &provided)).unwrap();
        let mode = |path: &str| match &s.items[path] {
            Item::File { mode, .. } => *mode,
            other => panic!("{path}: {other:?}"),
        };
        assert_eq!(mode("bin/run"), 0o4750);
        assert_eq!(mode("data"), 0o600);
    }
}
