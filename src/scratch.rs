//! Scratch folders in the system temp folder (`$TMPDIR`) that a killed bpkit does not leave
//! behind for ever: `bpkit stage`'s workspace (a copy of the app, every dependency), `bpkit
//! run`'s unpacked droplet and `bpkit package`'s copy of the tree for `pre_package` can be
//! hundreds of megabytes, and SIGKILL, a second Ctrl-C (which
//! exits at once) or a crash run no clean-up.
//!
//! Each folder holds a `.lock` file locked (`flock`) by its process for as long as the folder
//! is in use; the kernel releases the lock however the process ends. Creating a folder first
//! removes the folders of the same prefix whose lock can be taken: their process is gone. A
//! folder the user asked to keep (`--keep`) loses its lock file, so it is never removed; one
//! without a lock file (another bpkit that has not locked it yet, or an older bpkit) neither.
//! The lock file is locked under another name and then renamed to `.lock`, so no other process
//! can find a `.lock` before it is locked.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// A scratch folder that could not be made: the system temp folder is missing, not a folder,
/// or not writable.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot create a temporary folder in {}: {reason}; set TMPDIR to an existing folder bpkit can write to",
    dir.display()
)]
pub struct ScratchError {
    /// The system temp folder (`$TMPDIR`, else `/tmp`).
    pub dir: PathBuf,
    /// What is wrong with it, without the random name tempfile tried (its errors carry it,
    /// so the error is not shown as this error's source).
    pub reason: String,
    pub cause: io::Error,
}

impl ScratchError {
    fn new(cause: io::Error) -> Self {
        let dir = std::env::temp_dir();
        let reason = match fs::metadata(&dir) {
            Err(_) => "it does not exist".to_string(),
            Ok(meta) if !meta.is_dir() => "it is not a folder".to_string(),
            // The system's words (`Read-only file system (os error 30)`) without tempfile's
            // random path, not the kind's (`entity not found` for a folder such as /proc).
            Ok(_) => {
                crate::output::without_temp_path(io::Error::new(cause.kind(), cause.to_string()))
                    .to_string()
            }
        };
        ScratchError { dir, reason, cause }
    }
}

/// The lock file in each scratch folder.
const LOCK_FILE: &str = ".lock";

/// A scratch folder, removed when dropped unless kept.
#[derive(Debug)]
pub struct ScratchDir {
    path: PathBuf,
    /// The folder's guard; `None` once kept.
    dir: Option<tempfile::TempDir>,
    /// Holds the lock while the folder is in use.
    lock: Option<File>,
}

impl ScratchDir {
    /// A fresh, locked folder `<prefix>XXXXXX` in the system temp folder, after removing the
    /// abandoned folders of the same prefix there.
    pub fn create(prefix: &str) -> Result<ScratchDir, ScratchError> {
        let error = ScratchError::new;
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir()
            .map_err(error)?;
        let locking = dir.path().join(".lock.new");
        let lock = File::create(&locking).map_err(error)?;
        lock.lock().map_err(error)?;
        fs::rename(&locking, dir.path().join(LOCK_FILE)).map_err(error)?;
        let path = dir.path().to_path_buf();
        if let Some(parent) = path.parent() {
            remove_abandoned(parent, prefix, &path);
        }
        Ok(ScratchDir {
            path,
            dir: Some(dir),
            lock: Some(lock),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Keep the folder after bpkit exits (and never let a later run remove it); returns it.
    pub fn keep(&mut self) -> &Path {
        if let Some(dir) = self.dir.take() {
            let _ = fs::remove_file(self.path.join(LOCK_FILE));
            self.lock = None;
            // Dropping the TempDir would delete it; forget the guard, keep the path.
            let _ = dir.keep();
        }
        &self.path
    }
}

/// Remove the folders `<prefix>*` in `parent` (but `ours`) whose `.lock` can be locked.
fn remove_abandoned(parent: &Path, prefix: &str, ours: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path == ours
            || !entry.file_name().to_string_lossy().starts_with(prefix)
            || !entry.file_type().is_ok_and(|t| t.is_dir())
        {
            continue;
        }
        if let Ok(file) = File::open(path.join(LOCK_FILE))
            && file.try_lock().is_ok()
        {
            // Whatever cannot be removed costs disk space only, and the next run tries again.
            let _ = fs::remove_dir_all(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_abandoned_folders_are_removed() {
        let prefix = format!("bpkit-scratch-test-{}-", std::process::id());
        let temp = std::env::temp_dir();
        let abandoned = temp.join(format!("{prefix}abandoned"));
        let kept = temp.join(format!("{prefix}kept"));
        fs::create_dir_all(abandoned.join("app")).unwrap();
        fs::write(abandoned.join(LOCK_FILE), "").unwrap();
        fs::create_dir_all(&kept).unwrap();
        // Only folders of this prefix are bpkit's to remove, abandoned or not: another
        // program's folder with a `.lock` nobody holds stays, and so does a file of the prefix.
        let others = temp.join(format!("not-{prefix}other"));
        fs::create_dir_all(&others).unwrap();
        fs::write(others.join(LOCK_FILE), "").unwrap();
        let file = temp.join(format!("{prefix}file"));
        fs::write(&file, "").unwrap();
        let mut busy = ScratchDir::create(&prefix).unwrap();
        let busy_path = busy.path().to_path_buf();
        assert!(!abandoned.exists());
        assert!(
            others.join(LOCK_FILE).is_file(),
            "another prefix's folder was removed"
        );
        assert!(file.is_file());
        fs::remove_dir_all(&others).unwrap();
        fs::remove_file(&file).unwrap();
        let other = ScratchDir::create(&prefix).unwrap();
        assert!(busy_path.is_dir(), "a folder in use was removed");
        assert!(kept.is_dir());
        let kept_by_user = busy.keep().to_path_buf();
        drop(busy);
        drop(other);
        let last = ScratchDir::create(&prefix).unwrap();
        assert!(kept_by_user.is_dir(), "a kept folder was removed");
        let last_path = last.path().to_path_buf();
        drop(last);
        assert!(!last_path.exists());
        fs::remove_dir_all(kept_by_user).unwrap();
        fs::remove_dir_all(kept).unwrap();
    }
}
