//! Entries written: folders, regular files, symbolic links and hard links (as copies), each
//! at a path whose folders `paths` made real first; a file or link already at an entry's path
//! is unlinked and the new file created with `O_EXCL`, never followed.

use std::ffi::OsStr;
use std::fs::{self, DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::SystemTime;

use super::Target;
use super::copy::{CopyError, copy};
use super::mode::{DIR_OWNER_BITS, MODE_MASK};
use crate::archive::ArchiveError;
use crate::archive::entry_path;

impl Target {
    /// A folder entry. An existing folder gets the entry's mode; an existing file is replaced;
    /// an existing symbolic link is refused.
    pub(in crate::archive) fn directory(
        &mut self,
        raw: &[u8],
        mode: u32,
    ) -> Result<(), ArchiveError> {
        let Some(rel) = self.relative(raw)? else {
            return Ok(());
        };
        self.ensure_parents(&rel, raw)?;
        let full = self.root.join(&rel);
        let mode = (mode & MODE_MASK) | DIR_OWNER_BITS;
        let created = match DirBuilder::new().mode(mode).create(&full) {
            Ok(()) => true,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let meta = self.existing_not_a_link(&full, &rel, raw)?;
                if !meta.is_dir() {
                    fs::remove_file(&full).map_err(|e| self.write_error(raw, &full, e))?;
                    self.files.remove(&rel);
                    DirBuilder::new()
                        .mode(mode)
                        .create(&full)
                        .map_err(|e| self.write_error(raw, &full, e))?;
                }
                !meta.is_dir()
            }
            Err(e) => return Err(self.write_error(raw, &full, e)),
        };
        if !created || self.umask_changes(mode) {
            fs::set_permissions(&full, Permissions::from_mode(mode))
                .map_err(|e| self.write_error(raw, &full, e))?;
        }
        self.known_dirs.insert(rel);
        self.stats.directories += 1;
        Ok(())
    }

    /// A regular file entry: its contents are copied from `data` (read to its end).
    pub(in crate::archive) fn file<R: Read + ?Sized>(
        &mut self,
        raw: &[u8],
        mode: u32,
        mtime: Option<SystemTime>,
        data: &mut R,
    ) -> Result<(), ArchiveError> {
        let Some(rel) = self.relative(raw)? else {
            return Ok(());
        };
        self.ensure_parents(&rel, raw)?;
        let full = self.root.join(&rel);
        let mode = mode & MODE_MASK;
        let mut file = self.create_file(&full, raw, mode)?;
        let mut buf = std::mem::take(&mut self.buf);
        let copied = copy(data, &mut file, &mut buf);
        self.buf = buf;
        let bytes = copied.map_err(|e| match e {
            CopyError::Read(e) => self.read_error(e),
            CopyError::Write(e) => self.write_error(raw, &full, e),
        })?;
        self.finish_file(&file, &full, raw, mode, mtime)?;
        self.files.insert(rel);
        self.stats.files += 1;
        self.stats.bytes += bytes;
        Ok(())
    }

    /// A symbolic link entry, created only if its target stays inside the root.
    pub(in crate::archive) fn symlink(
        &mut self,
        raw: &[u8],
        link: &[u8],
    ) -> Result<(), ArchiveError> {
        let Some(rel) = self.relative(raw)? else {
            return Ok(());
        };
        self.ensure_parents(&rel, raw)?;
        self.check_link_target(&rel, raw, link)?;
        let full = self.root.join(&rel);
        let target = OsStr::from_bytes(link);
        match std::os::unix::fs::symlink(target, &full) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                self.clear_leaf(&full, &rel, raw)?;
                std::os::unix::fs::symlink(target, &full)
                    .map_err(|e| self.write_error(raw, &full, e))?;
            }
            Err(e) => return Err(self.write_error(raw, &full, e)),
        }
        self.files.remove(&rel);
        self.stats.symlinks += 1;
        Ok(())
    }

    /// A hard link entry, materialised as a copy of a regular file extracted before it. Its
    /// target is an archive path (stripped like entry names), not relative to the link.
    pub(in crate::archive) fn hard_link(
        &mut self,
        raw: &[u8],
        link: &[u8],
    ) -> Result<(), ArchiveError> {
        let Some(rel) = self.relative(raw)? else {
            return Ok(());
        };
        let archive = self.archive.clone();
        let escapes = || ArchiveError::HardLinkEscapes {
            archive: archive.clone(),
            entry: entry_path::display(raw),
            link: entry_path::display(link),
        };
        let missing = || ArchiveError::HardLinkMissing {
            archive: archive.clone(),
            entry: entry_path::display(raw),
            link: entry_path::display(link),
        };
        let source = match entry_path::entry_path(link, self.strip) {
            Ok(Some(source)) if self.files.contains(&source) => source,
            Ok(_) => return Err(missing()),
            Err(_) => return Err(escapes()),
        };
        self.ensure_parents(&rel, raw)?;
        let source_full = self.root.join(&source);
        // The source is opened before the link's path is cleared, so a link to itself copies
        // the old contents; `O_NOFOLLOW` is a second guard on top of the `files` bookkeeping.
        let open = || {
            OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&source_full)
        };
        let opened = match open() {
            // A file its owner may not read (mode 0111 or 0200, kept from the archive): GNU
            // tar links it and never reads it; the copy does, so the owner's read bit is lent
            // for the open and given back. Only a regular file this extraction wrote gets here
            // (`files`), with real folders on its way.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                match fs::symlink_metadata(&source_full) {
                    Ok(meta) if meta.is_file() => {
                        let mode = meta.permissions().mode();
                        fs::set_permissions(&source_full, Permissions::from_mode(mode | 0o400))
                            .and_then(|()| {
                                let opened = open();
                                fs::set_permissions(&source_full, Permissions::from_mode(mode))
                                    .and(opened)
                            })
                    }
                    _ => Err(e),
                }
            }
            other => other,
        };
        let mut source_file = opened.map_err(|e| self.write_error(raw, &source_full, e))?;
        let meta = source_file
            .metadata()
            .map_err(|e| self.write_error(raw, &source_full, e))?;
        if !meta.is_file() {
            return Err(missing());
        }
        let full = self.root.join(&rel);
        let mode = meta.permissions().mode() & MODE_MASK;
        let mut file = self.create_file(&full, raw, mode)?;
        // File to file: std uses copy_file_range, no user-space buffer.
        let bytes =
            io::copy(&mut source_file, &mut file).map_err(|e| self.write_error(raw, &full, e))?;
        self.finish_file(&file, &full, raw, mode, meta.modified().ok())?;
        self.files.insert(rel);
        self.stats.hard_links += 1;
        self.stats.bytes += bytes;
        Ok(())
    }

    /// Creates `full` with `O_EXCL`, first unlinking a file or link already there (a folder
    /// there is refused).
    fn create_file(&mut self, full: &Path, raw: &[u8], mode: u32) -> Result<File, ArchiveError> {
        let open = || {
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(mode)
                .open(full)
        };
        match open() {
            Ok(file) => Ok(file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let rel = full.strip_prefix(&self.root).unwrap_or(full).to_path_buf();
                self.clear_leaf(full, &rel, raw)?;
                open().map_err(|e| self.write_error(raw, full, e))
            }
            Err(e) => Err(self.write_error(raw, full, e)),
        }
    }

    /// Sets the exact mode (when the umask trimmed it) and the modification time, which
    /// matters: Python checks `.pyc` files against their source's mtime.
    fn finish_file(
        &self,
        file: &File,
        full: &Path,
        raw: &[u8],
        mode: u32,
        mtime: Option<SystemTime>,
    ) -> Result<(), ArchiveError> {
        if self.umask_changes(mode) {
            file.set_permissions(Permissions::from_mode(mode))
                .map_err(|e| self.write_error(raw, full, e))?;
        }
        if let Some(mtime) = mtime {
            // Best effort: a time the file system cannot store is not worth failing for.
            let _ = file.set_modified(mtime);
        }
        Ok(())
    }

    /// Removes a file or link at an entry's own path; a folder there is refused.
    fn clear_leaf(&mut self, full: &Path, rel: &Path, raw: &[u8]) -> Result<(), ArchiveError> {
        match fs::symlink_metadata(full) {
            Ok(meta) if meta.is_dir() => Err(ArchiveError::ReplacesFolder {
                archive: self.archive.clone(),
                entry: entry_path::display(raw),
                path: rel.to_path_buf(),
            }),
            Ok(_) => {
                self.files.remove(rel);
                fs::remove_file(full).map_err(|e| self.write_error(raw, full, e))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.write_error(raw, full, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{mode_of, target};
    use super::*;

    /// A folder entry for a folder that is already there (made by an earlier entry or left
    /// from before) sets the entry's mode, even one the umask would not have changed.
    #[test]
    fn an_existing_folder_takes_the_entry_mode() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = target(dir.path());
        let d = dir.path().join("d");
        fs::create_dir(&d).unwrap();
        fs::set_permissions(&d, Permissions::from_mode(0o700)).unwrap();
        t.directory(b"d/", 0o755).unwrap();
        assert_eq!(mode_of(&d), 0o755);
        t.directory(b"d/", 0o711).unwrap();
        assert_eq!(mode_of(&d), 0o711);
        assert_eq!(t.finish().directories, 2);
    }

    /// A folder entry where an earlier entry wrote a file replaces the file, and later entries
    /// go inside the folder.
    #[test]
    fn a_folder_entry_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = target(dir.path());
        t.file(b"x", 0o644, None, &mut &b"file"[..]).unwrap();
        t.directory(b"x/", 0o755).unwrap();
        assert!(fs::symlink_metadata(dir.path().join("x")).unwrap().is_dir());
        t.file(b"x/y", 0o644, None, &mut &b"inside"[..]).unwrap();
        assert_eq!(fs::read(dir.path().join("x/y")).unwrap(), b"inside");
    }
}
