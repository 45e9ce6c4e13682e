//! Why a zip could not be checked at all: [`VerifyError`].

use std::io;
use std::path::PathBuf;

/// Why the zip cannot be opened, with the fix for the usual case (a mistyped path).
fn open_problem(cause: &io::Error) -> String {
    match crate::output::nothing_at(cause, "no such file") {
        Some(why) => format!("{why}; give the path of a buildpack zip"),
        None => crate::output::read_problem(cause),
    }
}

/// Why a zip could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("cannot open {}: {}", path.display(), open_problem(cause))]
    CannotOpen { path: PathBuf, cause: io::Error },
    #[error(
        "{} is not a readable zip ({cause}): it is truncated, corrupt or not a zip; give the path of a buildpack zip, as `bpkit package` prints it",
        path.display()
    )]
    NotAZip { path: PathBuf, cause: String },
    #[error("{} is {found}, not a zip file; give the path of a buildpack zip", path.display())]
    NotAFile { path: PathBuf, found: &'static str },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mistyped path gets the fix; anything else its reason in words.
    #[test]
    fn a_zip_that_cannot_be_opened_is_said_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "").unwrap();
        let message = |path: PathBuf| {
            let cause = std::fs::File::open(&path).unwrap_err();
            VerifyError::CannotOpen { path, cause }.to_string()
        };
        let missing = dir.path().join("missing.zip");
        assert_eq!(
            message(missing.clone()),
            format!(
                "cannot open {}: no such file; give the path of a buildpack zip",
                missing.display()
            )
        );
        let under_a_file = notes.join("bp.zip");
        assert_eq!(
            message(under_a_file.clone()),
            format!(
                "cannot open {}: part of that path is a file, not a folder; give the path of a buildpack zip",
                under_a_file.display()
            )
        );
        let denied = VerifyError::CannotOpen {
            path: "bp.zip".into(),
            cause: io::Error::from(io::ErrorKind::PermissionDenied),
        };
        assert_eq!(denied.to_string(), "cannot open bp.zip: permission denied");
    }
}
