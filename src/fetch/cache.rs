//! One cache entry on disk, safe against crashes and against other processes.
//!
//! - A per-entry lock file `<dir>/.<name>.lock` is held (an exclusive `flock`, released when
//!   the process exits, however it exits) while the entry is checked, downloaded and renamed.
//!   Two packagers sharing a cache wait for each other per file, and the second finds the
//!   first one's verified file.
//! - A download goes to `<dir>/.<name>.<random>.part`, is hashed while written, and renamed
//!   over `<name>` only when every checksum matches. `rename` is atomic, so readers see the old
//!   file or the new one, never half of one.
//! - No fsync: every use of an entry re-hashes it ([`check_existing`]) and downloads it again
//!   when it does not match, so the one thing an fsync would add (a complete file after a power
//!   loss, rather than an empty or torn one) is already guaranteed where it matters, when the
//!   entry is read. Syncing cost more than the download itself on a cold cache (each 20 MB
//!   file waited ~40 ms for the disk, and later files queued behind them): issue 6,
//!   benches/package.sh. A process killed at any moment is no concern either way: its writes
//!   are in the page cache, and only a verified file is ever renamed.
//! - A process killed mid-download leaves only a `.part` file. Whoever next holds the lock
//!   deletes such leftovers: holding the lock proves nobody is writing them. An interrupted one
//!   (Ctrl-C, caught: [`super::interrupted`]) deletes its own as the download unwinds, and
//!   only its own: another process's entry, locked, is never touched.
//! - A lock file is removed by its holder when it is done, while still holding it, and so is
//!   the entry's folder when that leaves it empty (a failed download): a cache shared with
//!   the Go packager gathered one `.<name>.lock` per entry ever fetched, and an empty folder
//!   per failed one. Removing a file another process has opened and waits to lock would let a
//!   third create and lock a new file at the same path, both then "holding" the entry; so
//!   whoever gets a lock checks that the path still names the file it locked (same device and
//!   inode), and otherwise starts again on the file now there ([`lock`]). A process killed while
//!   holding one leaves it behind; the next holder removes it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::checksum::{Checksums, Digests, Mismatch};

use super::error::FetchError;
use super::held::HeldFile;
use crate::regular_file::OpenError;

/// How often a process waiting for another's lock on an entry tries again.
const LOCK_POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// The exclusive right to one cache entry; released on drop, which removes the lock file (and
/// the entry's folder, when that leaves it empty) first.
pub(crate) struct EntryLock {
    file: File,
    path: PathBuf,
}

impl Drop for EntryLock {
    fn drop(&mut self) {
        // Still locked here: a process that opened this file and waits for it finds, once it
        // has it, that the path no longer names it, and starts again ([`lock_once`]). Removed
        // only while the path names this very file, as it does unless the entry's folder was
        // removed meanwhile ([`remove_unlocked_entry`]).
        let ours = self.file.metadata().is_ok_and(|mine| {
            fs::symlink_metadata(&self.path)
                .is_ok_and(|now| now.dev() == mine.dev() && now.ino() == mine.ino())
        });
        if ours && fs::remove_file(&self.path).is_ok() {
            // Fails, as it should, unless the folder is empty: the entry's file is there after
            // a success, and another process's lock file when it is about to take its turn.
            // One that made the folder and has not yet created its lock file in it starts
            // again on a new folder ([`lock_once`]).
            let _ = fs::remove_dir(parent(&self.path));
        }
    }
}

/// What a cached file turned out to be.
pub(crate) enum Existing {
    Missing,
    /// Verified, and held open: what is read later is what was hashed ([`HeldFile`]).
    Good(HeldFile, Digests),
    Bad(Mismatch),
}

/// The lock file of an entry: `.<name>.lock` next to it.
pub(crate) fn lock_path(dest: &Path) -> PathBuf {
    dest.with_file_name(format!(".{}.lock", file_name(dest)))
}

fn file_name(dest: &Path) -> String {
    dest.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn write_error(path: &Path, e: &io::Error) -> FetchError {
    FetchError::cannot_write(path, e)
}

/// Why an entry's folder could not be made: a file (or a link to nothing) where
/// `dependencies/` or the entry's folder goes is named, where the OS said only `Not a
/// directory (os error 20)` or `File exists (os error 17)`, naming neither it nor the fix.
fn folder_error(dir: &Path, e: &io::Error) -> FetchError {
    let in_the_way = matches!(
        e.kind(),
        io::ErrorKind::NotADirectory | io::ErrorKind::AlreadyExists
    )
    .then(|| crate::packager::options::in_the_way(dir))
    .flatten();
    match in_the_way {
        Some(problem) => FetchError::CannotWrite {
            path: dir.to_path_buf(),
            cause: problem,
            fix: "; remove it, or use another folder".into(),
            elsewhere: Some(super::WhoseCache::Packager),
        },
        None => write_error(dir, e),
    }
}

/// Lock the entry at `dest`, creating its folder. `waiting` is called once when another process
/// holds the lock, before waiting until it is released, or until bpkit is interrupted
/// ([`super::interrupted`]; `uri` names the entry then): the wait polls rather than blocks in
/// `flock`, which a signal caught with `SA_RESTART` would not end.
pub(crate) fn lock(
    dest: &Path,
    uri: &str,
    waiting: impl FnOnce(),
) -> Result<EntryLock, FetchError> {
    let mut waiting = Some(waiting);
    // The holder of a lock removes the lock file when it is done (and the folder, if empty),
    // and a staging's clean-up removes the folders of app-cache entries it did not use,
    // holding their locks ([`remove_unlocked_entry`]); another process may have created the
    // folder or opened the lock file just before. Its lock is then on a file no longer at the
    // path, or its open finds no folder: it starts again, on the file or folder now there.
    for _ in 0..100 {
        if let Some(lock) = lock_once(dest, uri, &mut waiting)? {
            return Ok(lock);
        }
    }
    let path = lock_path(dest);
    Err(FetchError::CannotLock {
        cause: format!(
            "it (or its folder {}) was removed 100 times while bpkit took the lock, by other processes done with the entry; run again",
            parent(dest).display()
        ),
        path,
    })
}

/// One try of [`lock`]: `None` when the folder or the lock file was removed (or replaced)
/// meanwhile.
fn lock_once(
    dest: &Path,
    uri: &str,
    waiting: &mut Option<impl FnOnce()>,
) -> Result<Option<EntryLock>, FetchError> {
    let dir = parent(dest);
    if let Err(e) = fs::create_dir_all(dir) {
        // "File exists" with nothing in the way: the folder was removed by another process's
        // release after `mkdir` found it there and before `create_dir_all` checked that it is
        // a folder (and perhaps made again since). Start again.
        if e.kind() == io::ErrorKind::AlreadyExists
            && crate::packager::options::in_the_way(dir).is_none()
        {
            return Ok(None);
        }
        return Err(folder_error(dir, &e));
    }
    let path = lock_path(dest);
    let lock_error = |e: io::Error| FetchError::CannotLock {
        path: path.clone(),
        cause: super::error::io_cause(&e),
    };
    // Without waiting: a fifo where the lock file goes would block a plain open for writing
    // until a reader came (and a caught Ctrl-C would not end that wait); opened so, it fails
    // at once (no reader) or is refused below, and the entry is used without a lock, as on a
    // read-only cache. Not through a link (`O_NOFOLLOW`, ELOOP): one there is no lock file
    // bpkit made, and the file it leads to, locked, never matched the path's own inode below,
    // so every try started again, 100 times, and failed saying the lock file was removed.
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(&path)
        .and_then(|file| file.metadata().map(|meta| (file, meta)));
    let (file, meta) = match file {
        // The folder removed since it was made (and perhaps made again by a third process
        // since, so whether it is there now tells nothing): start again.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        other => other,
    }
    .map_err(|e| match fs::symlink_metadata(&path) {
        // ENXIO: a fifo with no reader; ELOOP: a link.
        Ok(meta) if !meta.is_file() => not_a_file(&meta),
        _ => e,
    })
    .and_then(|(file, meta)| {
        if meta.is_file() {
            Ok((file, meta))
        } else {
            Err(not_a_file(&meta))
        }
    })
    .map_err(lock_error)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            if let Some(waiting) = waiting.take() {
                waiting();
            }
            loop {
                if super::interrupted() {
                    return Err(FetchError::Interrupted {
                        uri: uri.to_string(),
                    });
                }
                std::thread::sleep(LOCK_POLL);
                match file.try_lock() {
                    Ok(()) => break,
                    Err(fs::TryLockError::WouldBlock) => {}
                    Err(fs::TryLockError::Error(e)) => return Err(lock_error(e)),
                }
            }
        }
        Err(fs::TryLockError::Error(e)) => return Err(lock_error(e)),
    }
    // Still the lock file of the entry: not removed (by the holder this waited for, or with
    // its folder) while this waited.
    let same = fs::symlink_metadata(&path)
        .is_ok_and(|now| now.dev() == meta.dev() && now.ino() == meta.ino());
    Ok(same.then_some(EntryLock { file, path }))
}

/// Remove the folder of an app-cache entry unless another process holds one of its locks
/// (another staging sharing the cache, mid-download): every lock file in it, and the lock of
/// every file in it, is locked first, without waiting, and held while the folder is removed.
/// Returns whether it was removed.
///
/// A lock file is there only while its entry is in use ([`EntryLock`]): the lock of an entry
/// file with none is created, so that a process about to lock that entry either holds it first
/// (the folder stays) or waits, and then finds the file it locked gone with the folder and
/// starts again ([`lock_once`]).
pub(crate) fn remove_unlocked_entry(dir: &Path) -> io::Result<bool> {
    let mut locks = std::collections::BTreeSet::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name();
        let name = name.as_bytes();
        if !name.starts_with(b".") {
            locks.insert(lock_path(&entry.path()));
        } else if name.ends_with(b".lock") {
            locks.insert(entry.path());
        }
        // Any other hidden file is a `.part` file, whose writer holds its entry's lock file,
        // found as such; or one left by a killed process, removed with the folder.
    }
    let mut held = Vec::new();
    for path in locks {
        let file = match OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(&path)
        {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            // A link where a lock file goes is none that bpkit holds (`lock_once` refuses it),
            // so it keeps nobody's entry: the folder, the link with it, goes. Followed, it
            // locked the link's target, which never matched the path, and the entry stayed.
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => continue,
            Err(e) => return Err(e),
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Ok(false),
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
        // Removed (or replaced) by its holder between the open and the lock: that process is
        // done, but another may already hold a new one there; left for a later clean-up.
        let same = file.metadata().is_ok_and(|mine| {
            fs::symlink_metadata(&path)
                .is_ok_and(|now| now.dev() == mine.dev() && now.ino() == mine.ino())
        });
        if !same {
            return Ok(false);
        }
        held.push(file);
    }
    fs::remove_dir_all(dir)?;
    drop(held);
    Ok(true)
}

/// The error for a lock file that is not a file (a fifo, a folder), naming what it is.
fn not_a_file(meta: &fs::Metadata) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "it is {}, not a file; remove it",
            crate::regular_file::describe_file_type(meta.file_type())
        ),
    )
}

fn parent(dest: &Path) -> &Path {
    match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Delete `.part` files left in the entry's folder by a process that died mid-download.
/// Call only while holding the entry's lock. Returns how many were removed.
pub(crate) fn remove_stale_parts(dest: &Path, _lock: &EntryLock) -> usize {
    let prefix = format!(".{}.", file_name(dest));
    let Ok(entries) = fs::read_dir(parent(dest)) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".part")
        })
        // A leftover that cannot be removed is harmless: it is never read.
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}

/// Hash the file at `dest`, if there is one, and compare with `checksums`. Anything but a
/// regular file there (a folder, a fifo, which is not waited for) is an error naming the fix.
pub(crate) fn check_existing(
    dest: &Path,
    checksums: &Checksums,
    uri: &str,
) -> Result<Existing, FetchError> {
    let cannot_read = |cause: String| FetchError::CannotRead {
        path: dest.to_path_buf(),
        uri: uri.to_string(),
        cause,
    };
    match HeldFile::open(dest, checksums.md5.is_some()) {
        Ok((held, digests)) => Ok(match checksums.verify(&digests) {
            Ok(()) => Existing::Good(held, digests),
            Err(mismatch) => Existing::Bad(mismatch),
        }),
        Err(OpenError::Io(e)) if e.kind() == io::ErrorKind::NotFound => Ok(Existing::Missing),
        Err(OpenError::Io(e)) => Err(cannot_read(super::error::io_cause(&e))),
        Err(OpenError::NotAFile(found)) => Err(cannot_read(format!(
            "it is {found}, not a regular file; remove it, and the dependency is fetched again"
        ))),
    }
}

/// Remove a cached file that failed verification.
pub(crate) fn remove(dest: &Path) -> Result<(), FetchError> {
    remove_if_present(dest).map_err(|e| write_error(dest, &e))
}

/// [`remove`] with the OS's error as it is: `--offline` reports the mismatch, not this.
/// One already gone (another process removed it) is removed.
pub(crate) fn remove_if_present(dest: &Path) -> io::Result<()> {
    match fs::remove_file(dest) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// A download in progress: a hidden `.part` file next to its destination, deleted on drop
/// unless committed.
pub(crate) struct Part {
    file: NamedTempFile,
    /// The entry it becomes, named in errors: the `.part` file is gone by the time they show.
    dest: PathBuf,
}

impl Part {
    pub fn create(dest: &Path) -> Result<Self, FetchError> {
        let dir = parent(dest);
        let file = tempfile::Builder::new()
            .prefix(&format!(".{}.", file_name(dest)))
            .suffix(".part")
            // Readable by others, as `curl -o` leaves a file (tempfile's default is 0600): a
            // cache may be shared between users or copied to another machine.
            .permissions(fs::Permissions::from_mode(0o644))
            .tempfile_in(dir)
            .map_err(|e| write_error(dir, &crate::output::without_temp_path(e)))?;
        Ok(Part {
            file,
            dest: dest.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Empty the file for a new attempt and return it for writing.
    pub fn restart(&mut self) -> Result<&mut File, FetchError> {
        let path = self.file.path().to_path_buf();
        let file = self.file.as_file_mut();
        // Truncate only a file an earlier attempt wrote to: on ext4, truncating marks the file
        // for `auto_da_alloc`, which starts writing it to disk when it is closed, so that every
        // fresh download would compete for the disk with the zip's fsync (benches/package.sh).
        file.metadata()
            .and_then(|meta| {
                if meta.len() > 0 {
                    file.set_len(0)
                } else {
                    Ok(())
                }
            })
            .and_then(|()| file.rewind())
            .map_err(|e| write_error(&path, &e))?;
        Ok(file)
    }

    /// [`Part::restart`], returning a second handle on the file (sharing its offset) that the
    /// caller owns, so a download can keep writing to it from one attempt to the next.
    pub fn writer(&mut self) -> Result<File, FetchError> {
        let path = self.file.path().to_path_buf();
        self.restart()?
            .try_clone()
            .map_err(|e| write_error(&path, &e))
    }

    /// Verify what was written, then rename it over `dest` (no fsync: see the module header)
    /// and hold it open. On a mismatch the `.part` file is deleted and nothing else changes.
    pub fn commit(
        mut self,
        dest: &Path,
        digests: &Digests,
        checksums: &Checksums,
    ) -> Result<Result<HeldFile, Mismatch>, FetchError> {
        if let Err(mismatch) = checksums.verify(digests) {
            return Ok(Err(mismatch));
        }
        let path = self.file.path().to_path_buf();
        self.file
            .as_file_mut()
            .flush()
            .map_err(|e| write_error(&path, &e))?;
        let file = self
            .file
            .persist(dest)
            .map_err(|e| write_error(dest, &e.error))?;
        let held = HeldFile::new(dest.to_path_buf(), file, digests.len)
            .map_err(|e| write_error(dest, &e))?;
        Ok(Ok(held))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_file_is_hidden_next_to_the_entry() {
        assert_eq!(
            lock_path(Path::new("/c/dependencies/ab/x.tgz")),
            Path::new("/c/dependencies/ab/.x.tgz.lock")
        );
    }

    #[test]
    fn a_second_lock_waits() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/x.tgz");
        let first = lock(&dest, "u", || panic!("nobody holds it yet")).unwrap();
        let waited = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let handle = s.spawn(|| {
                lock(&dest, "u", || {
                    waited.store(true, std::sync::atomic::Ordering::SeqCst);
                })
                .unwrap()
            });
            std::thread::sleep(std::time::Duration::from_millis(100));
            drop(first);
            drop(handle.join().unwrap());
            assert!(waited.load(std::sync::atomic::Ordering::SeqCst));
        });
    }

    /// A staging's clean-up removes an unused entry's folder while holding its lock; a process
    /// that was waiting for that lock then holds one on a file no longer in the cache, and
    /// would write its `.part` file into a folder that is gone. It takes the lock again, on a
    /// new folder. An entry whose lock is held is not removed.
    #[test]
    fn a_lock_on_a_removed_entry_is_taken_again() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/x.tgz");
        let first = lock(&dest, "u", || {}).unwrap();
        assert!(!remove_unlocked_entry(&dir.path().join("sub")).unwrap());
        std::thread::scope(|s| {
            let handle = s.spawn(|| lock(&dest, "u", || {}).unwrap());
            std::thread::sleep(std::time::Duration::from_millis(100));
            // As the clean-up does: the folder goes while its lock is held.
            fs::remove_dir_all(dir.path().join("sub")).unwrap();
            drop(first);
            let second = handle.join().unwrap();
            assert!(lock_path(&dest).exists());
            assert!(!remove_unlocked_entry(&dir.path().join("sub")).unwrap());
            fs::write(&dest, "the entry").unwrap();
            drop(second);
        });
        assert!(remove_unlocked_entry(&dir.path().join("sub")).unwrap());
        assert!(!dir.path().join("sub").exists());
    }

    /// Lock files are removed by their holders when done, and an entry's folder with them
    /// when nothing else is in it (a failed download): a shared cache gathered one `.x.lock`
    /// per entry ever fetched and an empty folder per failed one.
    #[test]
    fn a_released_lock_leaves_no_lock_file_and_no_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/x.tgz");
        drop(lock(&dest, "u", || {}).unwrap());
        assert!(!dir.path().join("sub").exists());
        let held = lock(&dest, "u", || {}).unwrap();
        fs::write(&dest, "the entry").unwrap();
        drop(held);
        let left: Vec<_> = fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["x.tgz"]);
    }

    /// The lock file a process waits on is removed by its holder when done: the waiter then
    /// holds a lock on a file no longer in the cache, and a third process would create and
    /// lock a new one at once, two processes then "holding" the entry. The waiter takes the
    /// lock again on the file at the path, so the third still waits for it.
    #[test]
    fn a_lock_removed_by_its_holder_still_excludes_the_next_two() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/x.tgz");
        let first = lock(&dest, "u", || {}).unwrap();
        let third_waited = AtomicBool::new(false);
        std::thread::scope(|s| {
            let second = s.spawn(|| lock(&dest, "u", || {}).unwrap());
            std::thread::sleep(std::time::Duration::from_millis(100));
            drop(first);
            let second = second.join().unwrap();
            let third = s
                .spawn(|| lock(&dest, "u", || third_waited.store(true, Ordering::SeqCst)).unwrap());
            std::thread::sleep(std::time::Duration::from_millis(100));
            assert!(
                third_waited.load(Ordering::SeqCst),
                "two held the lock at once"
            );
            drop(second);
            drop(third.join().unwrap());
        });
        assert!(!dir.path().join("sub").exists());
    }

    /// An entry whose lock file its last holder removed, locked anew, is not removed while
    /// held; once released (no lock file again) it is.
    #[test]
    fn an_entry_being_locked_anew_is_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/x.tgz");
        let held = lock(&dest, "u", || {}).unwrap();
        fs::write(&dest, "the entry").unwrap();
        drop(held);
        assert!(!lock_path(&dest).exists());
        let again = lock(&dest, "u", || {}).unwrap();
        assert!(!remove_unlocked_entry(&dir.path().join("sub")).unwrap());
        assert!(dest.exists());
        drop(again);
        assert!(remove_unlocked_entry(&dir.path().join("sub")).unwrap());
        assert!(!dir.path().join("sub").exists());
    }

    /// A file where the entry's folder goes is named, with the fix; it stays there however
    /// often the lock is tried again, so it is no folder removed meanwhile and not retried.
    #[test]
    fn a_file_where_the_entrys_folder_goes_is_in_the_way_not_a_retry() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("sub"), "not a folder").unwrap();
        let error = lock(&dir.path().join("sub/x.tgz"), "u", || {})
            .err()
            .unwrap()
            .to_string();
        assert!(!error.contains("removed 100 times"), "{error}");
        assert!(
            error.contains("remove it, or use another folder"),
            "{error}"
        );
    }

    /// A folder that cannot be made with nothing in the way (its name too long) is an error
    /// naming the cause, not taken for a folder removed meanwhile and retried.
    #[test]
    fn a_folder_that_cannot_be_made_is_an_error_not_a_retry() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("a".repeat(300)).join("x.tgz");
        let error = lock(&dest, "u", || {}).err().unwrap().to_string();
        assert!(!error.contains("removed 100 times"), "{error}");
        assert!(error.contains("File name too long"), "{error}");
    }

    /// A link where the lock file goes, to nothing or to a file, is refused as a link: not
    /// taken for a folder removed meanwhile and retried (to nothing), nor followed to its
    /// target, whose lock never matched the path's inode, so every try started again and the
    /// 100th failed saying the lock file had been removed.
    #[test]
    fn a_lock_file_that_is_a_link_is_refused_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::write(&target, "").unwrap();
        for (name, to) in [
            ("x.tgz", Path::new("/nonexistent/dir/lock")),
            ("y.tgz", &target),
        ] {
            let dest = dir.path().join(name);
            std::os::unix::fs::symlink(to, lock_path(&dest)).unwrap();
            let error = lock(&dest, "u", || {}).err().unwrap().to_string();
            assert_eq!(
                error,
                format!(
                    "Could not lock {} to share the cache with other processes: it is a symbolic link, not a file; remove it.",
                    lock_path(&dest).display()
                )
            );
        }
        // No lock was taken through the link.
        assert!(File::open(&target).unwrap().try_lock().is_ok());
    }

    /// An entry whose lock path is a link holds no bpkit's lock: its folder is removed by the
    /// clean-up (the link with it; the file it leads to stays), where it was kept for ever.
    #[test]
    fn an_entry_whose_lock_path_is_a_link_is_cleaned_up() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::write(&target, "kept").unwrap();
        let entry = dir.path().join("entry");
        fs::create_dir(&entry).unwrap();
        fs::write(entry.join("x.tgz"), "x").unwrap();
        std::os::unix::fs::symlink(&target, lock_path(&entry.join("x.tgz"))).unwrap();
        assert!(remove_unlocked_entry(&entry).unwrap());
        assert!(!entry.exists());
        assert_eq!(fs::read_to_string(&target).unwrap(), "kept");
    }

    /// A fifo where the lock file goes: opening it for writing used to wait for a reader,
    /// for ever, and not even Ctrl-C ended the wait.
    #[test]
    fn a_lock_file_that_is_a_fifo_is_refused_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.tgz");
        let made = std::process::Command::new("mkfifo")
            .arg(lock_path(&dest))
            .status();
        if !made.is_ok_and(|s| s.success()) {
            return;
        }
        let (sender, receiver) = std::sync::mpsc::channel();
        let waiting = dest.clone();
        std::thread::spawn(move || {
            let _ = sender.send(lock(&waiting, "u", || {}).err().map(|e| e.to_string()));
        });
        let result = receiver.recv_timeout(std::time::Duration::from_secs(10));
        if result.is_err() {
            // Let the blocked open through, so the test ends.
            drop(File::open(lock_path(&dest)));
        }
        let error = result.expect("the lock waited on the fifo").unwrap();
        assert_eq!(
            error,
            format!(
                "Could not lock {} to share the cache with other processes: it is a fifo, not a file; remove it.",
                lock_path(&dest).display()
            )
        );
        // A folder there is refused too.
        let other = dir.path().join("y.tgz");
        fs::create_dir(lock_path(&other)).unwrap();
        assert!(lock(&other, "u", || {}).is_err());
    }

    /// Every leftover of the entry is removed and counted (two killed downloads leave two),
    /// none of another entry's, nor a file that is no `.part` file of it.
    #[test]
    fn stale_parts_of_this_entry_only_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.tgz");
        fs::write(dir.path().join(".x.tgz.abc123.part"), "half").unwrap();
        fs::write(dir.path().join(".x.tgz.def456.part"), "a third").unwrap();
        fs::write(dir.path().join(".y.tgz.abc123.part"), "other").unwrap();
        fs::write(dir.path().join("x.tgz.part"), "not ours").unwrap();
        let held = lock(&dest, "u", || {}).unwrap();
        assert_eq!(remove_stale_parts(&dest, &held), 2);
        assert!(!dir.path().join(".x.tgz.abc123.part").exists());
        assert!(!dir.path().join(".x.tgz.def456.part").exists());
        assert!(dir.path().join(".y.tgz.abc123.part").exists());
        assert!(dir.path().join("x.tgz.part").exists());
        assert_eq!(remove_stale_parts(&dest, &held), 0);
    }

    /// A staging's clean-up removed the folder while the first process held the entry's lock,
    /// and a second has since locked the entry anew (a new folder, a new lock file). The first's
    /// release leaves the second's lock file alone: removed, a third would create and lock
    /// another at once, two processes then holding the entry.
    #[test]
    fn a_release_after_the_folder_was_removed_leaves_the_new_holders_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/x.tgz");
        let first = lock(&dest, "u", || {}).unwrap();
        fs::remove_dir_all(dir.path().join("sub")).unwrap();
        let second = lock(&dest, "u", || panic!("the new lock file is nobody's yet")).unwrap();
        drop(first);
        assert!(lock_path(&dest).exists());
        drop(second);
        assert!(!dir.path().join("sub").exists());
    }

    /// The holder a process waits for removes its lock file when done, and a third process
    /// creates and locks a new one before the waiter wakes: the waiter's lock is then on a file
    /// that is no longer the entry's, so it waits for the third's rather than hold the entry
    /// beside it.
    #[test]
    fn a_waiter_whose_lock_file_was_replaced_waits_for_the_new_one() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/x.tgz");
        let (holders, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let hold = |lock: EntryLock, for_ms| {
            most.fetch_max(holders.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(for_ms));
            holders.fetch_sub(1, Ordering::SeqCst);
            drop(lock);
        };
        let first = lock(&dest, "u", || {}).unwrap();
        std::thread::scope(|s| {
            let second = s.spawn(|| hold(lock(&dest, "u", || {}).unwrap(), 0));
            std::thread::sleep(std::time::Duration::from_millis(100));
            // The third takes the new lock file within microseconds, while the second sleeps
            // out its poll (20 ms); should the second wake first, it holds the lock first and
            // the third waits, which is no overlap either.
            drop(first);
            hold(lock(&dest, "u", || {}).unwrap(), 200);
            second.join().unwrap();
        });
        assert_eq!(most.load(Ordering::SeqCst), 1, "two held the lock at once");
    }

    /// An open that fails on a lock file that is a regular file gives the OS's reason, not
    /// "it is a file, not a file". A read-only cache is the usual cause; root, who runs the
    /// tests, writes any file on a writable one, so here the file is a running program's,
    /// which Linux lets nobody open for writing.
    #[test]
    fn a_lock_file_that_cannot_be_opened_for_writing_is_named_by_the_os_reason() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.tgz");
        fs::copy("/bin/sh", lock_path(&dest)).unwrap();
        // A fork in another test's thread may briefly hold the copy open for writing.
        let mut running = None;
        for _ in 0..50 {
            match std::process::Command::new(lock_path(&dest))
                .args(["-c", "read line"])
                .stdin(std::process::Stdio::piped())
                .spawn()
            {
                Ok(child) => {
                    running = Some(child);
                    break;
                }
                Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => panic!("{e}"),
            }
        }
        let mut running = running.expect("the program started");
        let result = lock(&dest, "u", || {}).err().map(|e| e.to_string());
        drop(running.stdin.take());
        running.wait().unwrap();
        // A kernel that lets a running program's file be written leaves nothing to check.
        let Some(error) = result else { return };
        assert_eq!(
            error,
            format!(
                "Could not lock {} to share the cache with other processes: Text file busy (os error 26).",
                lock_path(&dest).display()
            )
        );
    }

    /// The clean-up locks the lock file of every file in the entry's folder; a link to nothing
    /// there (its target's folder gone) is no process's lock, and goes with the folder.
    #[test]
    fn an_entry_whose_lock_path_links_to_nothing_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("x.tgz"), "the entry").unwrap();
        std::os::unix::fs::symlink("/nonexistent/dir/lock", lock_path(&sub.join("x.tgz"))).unwrap();
        assert!(remove_unlocked_entry(&sub).unwrap());
        assert!(!sub.exists());
    }

    /// A lock file the clean-up cannot open (a folder there) may be another process's lock
    /// for all it knows: the error is returned, and the entry's folder kept.
    #[test]
    fn an_entry_whose_lock_path_cannot_be_opened_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("x.tgz"), "the entry").unwrap();
        fs::create_dir(lock_path(&sub.join("x.tgz"))).unwrap();
        let error = remove_unlocked_entry(&sub).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::IsADirectory);
        assert!(sub.join("x.tgz").exists());
    }

    /// A cached file is missing, good (held, with its digests) or bad (the mismatch); any other
    /// failure to open it is an error naming the path and the cause, not taken for a missing
    /// file (which would download over what cannot be read), nor a missing one for an error.
    #[test]
    fn an_existing_entry_is_missing_good_bad_or_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.tgz");
        let sums = |bytes: &[u8]| Checksums {
            sha256: Some(crate::checksum::Sha256::of_bytes(bytes)),
            md5: None,
        };
        assert!(matches!(
            check_existing(&dest, &sums(b"hello"), "u"),
            Ok(Existing::Missing)
        ));
        fs::write(&dest, "hello").unwrap();
        match check_existing(&dest, &sums(b"hello"), "u") {
            Ok(Existing::Good(held, digests)) => {
                assert_eq!((held.path(), digests.len), (dest.as_path(), 5));
            }
            _ => panic!("not good"),
        }
        assert!(matches!(
            check_existing(&dest, &sums(b"other"), "u"),
            Ok(Existing::Bad(_))
        ));
        let too_long = dir.path().join("a".repeat(300));
        let error = match check_existing(&too_long, &sums(b"hello"), "u") {
            Err(e) => e.to_string(),
            Ok(_) => panic!("a name too long was read"),
        };
        assert!(error.contains("File name too long"), "{error}");
        fs::remove_file(&dest).unwrap();
        fs::create_dir(&dest).unwrap();
        let error = match check_existing(&dest, &sums(b"hello"), "u") {
            Err(e) => e.to_string(),
            Ok(_) => panic!("a folder was read"),
        };
        assert!(
            error.contains("it is a folder, not a regular file; remove it"),
            "{error}"
        );
    }

    /// Removing a bad entry: the file goes, one already gone is no error (another process
    /// removed it), and one that cannot be removed (a folder there) is an error naming it.
    #[test]
    fn remove_deletes_the_entry_and_only_a_real_failure_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.tgz");
        fs::write(&dest, "bad").unwrap();
        remove(&dest).unwrap();
        assert!(!dest.exists());
        remove(&dest).unwrap();
        fs::create_dir(&dest).unwrap();
        let error = remove(&dest).unwrap_err().to_string();
        assert!(error.contains(&dest.display().to_string()), "{error}");
        assert!(dest.is_dir());
    }

    /// A new attempt starts on an empty file: what an earlier attempt wrote is gone, even
    /// where the new one writes less.
    #[test]
    fn a_restarted_part_holds_only_the_new_attempts_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.tgz");
        let mut part = Part::create(&dest).unwrap();
        part.restart().unwrap().write_all(b"hello world").unwrap();
        part.restart().unwrap().write_all(b"hi").unwrap();
        assert_eq!(fs::read(part.path()).unwrap(), b"hi");
        let mut writer = part.writer().unwrap();
        writer.write_all(b"x").unwrap();
        assert_eq!(fs::read(part.path()).unwrap(), b"x");
    }

    /// Processes taking an entry in turn: each release removes the lock file and the folder,
    /// at times just after another's `mkdir` found the folder there (before `create_dir_all`
    /// checks it is one), or before it opens its lock file in it, often with a third making
    /// the folder again meanwhile. That one starts again, where it failed with "File exists"
    /// or "No such file or directory" (in one run of this test in five). A few hundred turns
    /// bring those moments about every time, in well under a second.
    #[test]
    fn processes_taking_an_entry_in_turn_each_get_it() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/x.tgz");
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for turn in 0..300 {
                        match lock(&dest, "u", || {}) {
                            Ok(held) => drop(held),
                            Err(e) => panic!("turn {turn}: {e}"),
                        }
                    }
                });
            }
        });
        assert!(!dir.path().join("sub").exists());
    }

    #[test]
    fn commit_renames_only_verified_files() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.tgz");
        let mut part = Part::create(&dest).unwrap();
        part.restart().unwrap().write_all(b"hello").unwrap();
        let digests = crate::checksum::digest_file(part.path(), false).unwrap();
        let wrong = Checksums {
            sha256: Some(crate::checksum::Sha256::of_bytes(b"other")),
            md5: None,
        };
        let part_path = part.path().to_path_buf();
        assert!(part.commit(&dest, &digests, &wrong).unwrap().is_err());
        assert!(!dest.exists());
        assert!(!part_path.exists());

        let mut part = Part::create(&dest).unwrap();
        part.restart().unwrap().write_all(b"hello").unwrap();
        let right = Checksums {
            sha256: Some(digests.sha256),
            md5: None,
        };
        let held = part.commit(&dest, &digests, &right).unwrap().unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"hello");
        // What was committed is held: a file renamed over the entry later is not read.
        fs::write(dir.path().join("other"), b"other").unwrap();
        fs::rename(dir.path().join("other"), &dest).unwrap();
        let mut read = Vec::new();
        std::io::Read::read_to_end(&mut held.reader(), &mut read).unwrap();
        assert_eq!(
            (read.as_slice(), held.path()),
            (b"hello".as_slice(), dest.as_path())
        );
    }
}
