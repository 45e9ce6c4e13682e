//! Why a zip could not be written, each error with its fix, and the check that stops the
//! writer once bpkit is interrupted.

use std::io;
use std::path::PathBuf;

/// Why the zip could not be written. Nothing is left at the destination in any case.
#[derive(Debug, thiserror::Error)]
pub enum ZipWriteError {
    #[error("cannot create the zip in {}: {cause}; {}", dir.display(), create_fix(cause))]
    CannotCreate { dir: PathBuf, cause: io::Error },
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

/// What to do about a zip file that could not be created: a full disk is no matter of
/// permissions (`make that folder writable` sent the user the wrong way).
fn create_fix(cause: &io::Error) -> &'static str {
    match cause.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "the disk is full; free space on it (`df -h`), or package into another folder"
        }
        _ => "make that folder writable, or package into another folder",
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
            ZipWriteError::CannotCreate {
                dir: PathBuf::from("/out"),
                cause: io::Error::from(kind),
            }
            .to_string()
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
    }
}
