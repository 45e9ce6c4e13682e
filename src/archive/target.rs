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

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::{self, DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::entry_path::{self, LinkProblem, NameProblem, Step};
use super::{ArchiveError, ArchiveKind, Extracted};

/// Size of the buffer file contents are copied through: large enough that a typical file is
/// one `write`, and that decompressors work on big runs.
pub(super) const COPY_BUFFER: usize = 256 * 1024;

/// Permission bits kept from an archive: rwx for owner, group, others. Setuid, setgid and
/// sticky bits are dropped (a dependency has no business setting them).
const MODE_MASK: u32 = 0o777;

/// Folders always stay readable, writable and searchable by their owner, so that extraction
/// (and a later clean-up) can go on inside a folder the archive marks read-only.
const DIR_OWNER_BITS: u32 = 0o700;

/// Mode of folders created on the way to an entry that the archive does not list itself.
const IMPLICIT_DIR_MODE: u32 = 0o755;

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

enum CopyError {
    Read(io::Error),
    Write(io::Error),
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
            umask: process_umask(),
            buf: vec![0; COPY_BUFFER],
            stats: Extracted::default(),
        })
    }

    pub(super) fn finish(self) -> Extracted {
        self.stats
    }

    /// An error for bytes that could not be read from the archive stream.
    pub(super) fn read_error(&self, source: io::Error) -> ArchiveError {
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

    /// The entry's path relative to the root, `None` when stripping leaves nothing.
    fn relative(&self, raw: &[u8]) -> Result<Option<PathBuf>, ArchiveError> {
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

    /// A folder entry. An existing folder gets the entry's mode; an existing file is replaced;
    /// an existing symbolic link is refused.
    pub(super) fn directory(&mut self, raw: &[u8], mode: u32) -> Result<(), ArchiveError> {
        let Some(rel) = self.relative(raw)? else {
            self.skip();
            return Ok(());
        };
        self.ensure_parents(&rel, raw)?;
        let full = self.root.join(&rel);
        let mode = (mode & MODE_MASK) | DIR_OWNER_BITS;
        let created = match DirBuilder::new().mode(mode).create(&full) {
            Ok(()) => true,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let meta =
                    fs::symlink_metadata(&full).map_err(|e| self.write_error(raw, &full, e))?;
                if meta.file_type().is_symlink() {
                    return Err(ArchiveError::ThroughSymlink {
                        archive: self.archive.clone(),
                        entry: entry_path::display(raw),
                        symlink: rel,
                    });
                }
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
    pub(super) fn file<R: Read + ?Sized>(
        &mut self,
        raw: &[u8],
        mode: u32,
        mtime: Option<SystemTime>,
        data: &mut R,
    ) -> Result<(), ArchiveError> {
        let Some(rel) = self.relative(raw)? else {
            self.skip();
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
    pub(super) fn symlink(&mut self, raw: &[u8], link: &[u8]) -> Result<(), ArchiveError> {
        let Some(rel) = self.relative(raw)? else {
            self.skip();
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
    pub(super) fn hard_link(&mut self, raw: &[u8], link: &[u8]) -> Result<(), ArchiveError> {
        let Some(rel) = self.relative(raw)? else {
            self.skip();
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
        let mut source_file = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&source_full)
            .map_err(|e| self.write_error(raw, &source_full, e))?;
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

    /// Makes every folder on the way to `rel` exist as a real folder (never a link).
    fn ensure_parents(&mut self, rel: &Path, raw: &[u8]) -> Result<(), ArchiveError> {
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
                    let meta =
                        fs::symlink_metadata(&full).map_err(|e| self.write_error(raw, &full, e))?;
                    if meta.file_type().is_symlink() {
                        return Err(ArchiveError::ThroughSymlink {
                            archive: self.archive.clone(),
                            entry: entry_path::display(raw),
                            symlink: prefix,
                        });
                    }
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
    fn check_link_target(
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

    fn umask_changes(&self, mode: u32) -> bool {
        self.umask.is_none_or(|umask| mode & umask != 0)
    }
}

/// Copies `data` to `file` through `buf`, filling the buffer before each write so that a file
/// smaller than the buffer is written with one system call.
fn copy<R: Read + ?Sized>(data: &mut R, file: &mut File, buf: &mut [u8]) -> Result<u64, CopyError> {
    let mut total = 0u64;
    loop {
        let mut filled = 0;
        let mut at_end = false;
        while filled < buf.len() {
            match data.read(&mut buf[filled..]) {
                Ok(0) => {
                    at_end = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(CopyError::Read(e)),
            }
        }
        if filled > 0 {
            file.write_all(&buf[..filled]).map_err(CopyError::Write)?;
            total += filled as u64;
        }
        if at_end {
            return Ok(total);
        }
    }
}

/// The process umask from `/proc/self/status` (Linux 4.7+). Reading it with `umask(2)` would
/// need `unsafe` and would change it for a moment under other threads; when it is unknown,
/// every mode is set explicitly.
fn process_umask() -> Option<u32> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
    u32::from_str_radix(line.trim(), 8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(root: &Path) -> Target {
        Target::create("x.tgz".to_string(), ArchiveKind::TarGz, root, 0).unwrap()
    }

    fn mode_of(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
    }

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

    /// A mode made only of bits the umask clears still ends up exact (the file is created
    /// with none of them, so it needs its `chmod`).
    #[test]
    fn a_mode_the_umask_clears_entirely_is_set() {
        let umask = process_umask().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut t = target(dir.path());
        t.file(b"f", umask, None, &mut &b"x"[..]).unwrap();
        assert_eq!(mode_of(&dir.path().join("f")), umask);
    }

    #[test]
    fn umask_is_read() {
        // The test harness does not change the umask; whatever it is, it parses, and it is
        // what the kernel applies to a new file.
        let umask = process_umask().unwrap();
        assert!(umask <= 0o777);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o777)
            .open(&path)
            .unwrap();
        assert_eq!(mode_of(&path), 0o777 & !umask);
    }

    #[test]
    fn copy_fills_the_buffer_and_reports_read_errors() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("boom"))
            }
        }
        struct InterruptedOnce(bool, &'static [u8]);
        impl Read for InterruptedOnce {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if std::mem::replace(&mut self.0, false) {
                    return Err(io::ErrorKind::Interrupted.into());
                }
                self.1.read(out)
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let mut file = File::create(dir.path().join("f")).unwrap();
        let mut buf = vec![0; 7];
        let data = vec![42u8; 100];
        assert!(matches!(
            copy(&mut data.as_slice(), &mut file, &mut buf),
            Ok(100)
        ));
        assert!(matches!(
            copy(&mut Failing, &mut file, &mut buf),
            Err(CopyError::Read(_))
        ));
        // An interrupted read is retried, not an error.
        let mut file = File::create(dir.path().join("g")).unwrap();
        assert!(matches!(
            copy(&mut InterruptedOnce(true, b"after"), &mut file, &mut buf),
            Ok(5)
        ));
        assert_eq!(fs::read(dir.path().join("g")).unwrap(), b"after");
        assert_eq!(fs::read(dir.path().join("f")).unwrap(), data);
    }
}
