//! Why a zip could not be written, each error with its fix, and the check that stops the
//! writer once bpkit is interrupted.

use std::io;
use std::path::{Path, PathBuf};

/// Why the zip could not be written. Nothing is left at the destination in any case.
#[derive(Debug, thiserror::Error)]
pub enum ZipWriteError {
    /// `fix` is `create_fix`'s, chosen when the error is made, as it looks at the folder.
    #[error("cannot create the zip in {}: {cause}{fix}", dir.display())]
    CannotCreate {
        dir: PathBuf,
        cause: io::Error,
        fix: &'static str,
    },
    #[error("cannot read {} to put it in the zip: {cause}", path.display())]
    CannotRead { path: PathBuf, cause: io::Error },
    #[error(
        "cannot write {}: {cause}; check the free space on its disk (`df -h`), or package into another folder",
        path.display()
    )]
    CannotWrite { path: PathBuf, cause: String },
    /// The disk filled up, or the zip grew past the file-size limit (`ulimit -f`), while it
    /// was written: named by the zip's own name, since its temporary file is gone.
    #[error("cannot write {}: {cause}: {}", path.display(), no_room_fix(cause.kind()))]
    NoRoom { path: PathBuf, cause: io::Error },
    /// The finished zip could not be moved to its name: a folder in the way, a folder that
    /// cannot be written.
    #[error("cannot write {}: {}", path.display(), place_problem(cause))]
    CannotPlace { path: PathBuf, cause: io::Error },
    #[error(
        "SOURCE_DATE_EPOCH=`{value}` is not usable: {reason}; set it to a whole number of seconds since 1970 (`git log -1 --format=%ct`), or unset it"
    )]
    BadTimestamp { value: String, reason: String },
    /// A [`Source::Pending`](super::Source::Pending) file failed; whoever was producing it
    /// reports why.
    #[error("{name} could not be fetched, so the zip was not written")]
    Unavailable { name: String },
    #[error("the zip was not written: bpkit was interrupted")]
    Interrupted,
}

/// Why the zip could not take its name, and the fix: a folder of that name is the usual case
/// (the raw `Is a directory (os error 21)` said neither what was in the way nor what to do).
fn place_problem(cause: &io::Error) -> String {
    if cause.kind() == io::ErrorKind::IsADirectory {
        "a folder is in the way; remove it, or package into another folder".to_string()
    } else {
        format!("{cause}; make that folder writable, or package into another folder")
    }
}

impl ZipWriteError {
    /// The zip's temporary file could not be created in `dir`.
    pub(super) fn cannot_create(dir: &Path, cause: io::Error) -> Self {
        let fix = create_fix(&cause, dir.is_dir());
        Self::CannotCreate {
            dir: dir.to_path_buf(),
            cause,
            fix,
        }
    }
}

/// What to do about a zip file that could not be created in a folder (`is_dir`: that folder is
/// there): only a permission problem is fixed by making the folder writable. A full disk is
/// freed; a read-only file system is no one's to make writable; and a folder that is there but
/// answers "No such file or directory" to a new file is one of the kernel's (/proc, /sys), which
/// take none, where `make that folder writable` sent the user the wrong way each time.
fn create_fix(cause: &io::Error, is_dir: bool) -> &'static str {
    match cause.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "; the disk is full; free space on it (`df -h`), or package into another folder"
        }
        io::ErrorKind::ReadOnlyFilesystem => {
            ", as that folder is on a read-only file system; package into another folder"
        }
        io::ErrorKind::NotFound if is_dir => {
            ", though the folder is there: it is one of the kernel's (as /proc and /sys are), where no file can be created; package into another folder"
        }
        io::ErrorKind::NotFound => {
            "; the folder is gone (removed while bpkit ran); create it again, or package into another folder"
        }
        _ => "; make that folder writable, or package into another folder",
    }
}

/// What to do about a zip that did not fit: the OS's words (`File too large`) name neither the
/// limit nor the way out.
fn no_room_fix(kind: io::ErrorKind) -> &'static str {
    if kind == io::ErrorKind::FileTooLarge {
        "the zip is larger than the file-size limit (`ulimit -f`) allows; raise the limit (`ulimit -f unlimited`)"
    } else {
        "the disk is full; free space on it (`df -h`), or package into another folder"
    }
}

/// [`ZipWriteError::Interrupted`] once bpkit was asked to stop.
pub(super) fn check_interrupted() -> Result<(), ZipWriteError> {
    if crate::process_group::termination_requested() {
        Err(ZipWriteError::Interrupted)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip that cannot be created for lack of room is told to free space, not to make a
    /// folder writable; a permission problem still is.
    #[test]
    fn a_zip_not_created_gets_the_fix_for_its_cause() {
        let error = |kind| {
            ZipWriteError::cannot_create(Path::new("/out"), io::Error::from(kind)).to_string()
        };
        let full = error(io::ErrorKind::StorageFull);
        assert!(
            full.starts_with("cannot create the zip in /out: "),
            "{full}"
        );
        assert!(
            full.ends_with(
                "; the disk is full; free space on it (`df -h`), or package into another folder"
            ),
            "{full}"
        );
        let denied = error(io::ErrorKind::PermissionDenied);
        assert!(
            denied.ends_with("; make that folder writable, or package into another folder"),
            "{denied}"
        );
        assert_eq!(
            ZipWriteError::cannot_create(Path::new("/"), io::Error::from_raw_os_error(libc::EROFS))
                .to_string(),
            "cannot create the zip in /: Read-only file system (os error 30), as that folder is on a read-only file system; package into another folder"
        );
        assert_eq!(
            error(io::ErrorKind::NotFound),
            "cannot create the zip in /out: entity not found; the folder is gone (removed while bpkit ran); create it again, or package into another folder"
        );
        // A folder that is there and still takes no new file is one of the kernel's.
        assert_eq!(
            ZipWriteError::cannot_create(Path::new("/proc"), io::ErrorKind::NotFound.into())
                .to_string(),
            "cannot create the zip in /proc: entity not found, though the folder is there: it is one of the kernel's (as /proc and /sys are), where no file can be created; package into another folder"
        );
    }

    /// The message of the error `make` builds for the zip `/out/bp.zip` and the OS error `code`.
    fn message(make: fn(PathBuf, io::Error) -> ZipWriteError, code: i32) -> String {
        make("/out/bp.zip".into(), io::Error::from_raw_os_error(code)).to_string()
    }

    /// A zip that did not fit names the limit it ran into, a file-size limit or the disk; one
    /// that cannot take its name names a folder in the way as one, and anything else with the
    /// OS's reason and the folder's fix.
    #[test]
    fn a_zip_that_did_not_fit_or_cannot_take_its_name_gets_the_fix_for_its_cause() {
        let no_room = |path, cause| ZipWriteError::NoRoom { path, cause };
        let place = |path, cause| ZipWriteError::CannotPlace { path, cause };
        for (make, code, expected) in [
            (
                no_room as fn(_, _) -> _,
                libc::EFBIG,
                "cannot write /out/bp.zip: File too large (os error 27): the zip is larger than the file-size limit (`ulimit -f`) allows; raise the limit (`ulimit -f unlimited`)",
            ),
            (
                no_room,
                libc::ENOSPC,
                "cannot write /out/bp.zip: No space left on device (os error 28): the disk is full; free space on it (`df -h`), or package into another folder",
            ),
            (
                place,
                libc::EISDIR,
                "cannot write /out/bp.zip: a folder is in the way; remove it, or package into another folder",
            ),
            (
                place,
                libc::EACCES,
                "cannot write /out/bp.zip: Permission denied (os error 13); make that folder writable, or package into another folder",
            ),
        ] {
            assert_eq!(message(make, code), expected);
        }
    }
}
