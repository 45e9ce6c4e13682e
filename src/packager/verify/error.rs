//! Why a zip could not be checked at all: [`VerifyError`].

use std::io;
use std::path::PathBuf;

/// Why the zip cannot be opened, with the fix for the usual case (a mistyped path).
fn open_problem(cause: &io::Error) -> String {
    if cause.kind() == io::ErrorKind::NotFound {
        "no such file; give the path of a buildpack zip".to_string()
    } else {
        cause.to_string()
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
