//! Output discipline: stdout carries data only (a zip path, YAML, JSON); narration goes to
//! stderr through the [`Logger`], in Cloud Foundry's format; progress bars go through the
//! [`progress::Progress`] trait so library code never touches indicatif.

pub mod logger;
pub mod progress;

pub use logger::{ColorChoice, Logger, Verbosity};

/// An error and its causes on one line, joined by `: `, as bpkit prints every error (a cause
/// whose text is already in the message is not repeated).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Why a file could not be read, in words, for a one-line message that goes on with its own
/// fix: the io error's text for the common cases (`Is a directory (os error 21)`, `No such file
/// or directory (os error 2)`) said neither what was in the way nor what to do.
pub fn read_problem(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file".to_string(),
        ErrorKind::IsADirectory => "it is a folder, not a file".to_string(),
        // A file given where a folder on the way belongs (`validate afile` reads
        // `afile/manifest.yml`): the raw `Not a directory (os error 20)` did not say which part.
        ErrorKind::NotADirectory => "part of that path is a file, not a folder".to_string(),
        // Mode 000, or a folder on the way that this user may not enter.
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// What to do about a write that failed because the file did not fit: a full disk (or quota),
/// or the file-size limit (`ulimit -f`, EFBIG). `None` for any other reason. The OS's own words
/// (`File too large (os error 27)`) name neither the limit nor the way out.
pub fn no_room_fix(kind: std::io::ErrorKind) -> Option<&'static str> {
    use std::io::ErrorKind;
    match kind {
        ErrorKind::FileTooLarge => Some(
            "the file is larger than the file-size limit (`ulimit -f`) allows; raise the limit (`ulimit -f unlimited`)",
        ),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            Some("the disk is full; free space on it (`df -h`)")
        }
        _ => None,
    }
}

/// Why data could not be written to stdout, as one line: where stdout goes (a redirect to a
/// file names it: `>/dev/full`, a full disk), the OS reason, and what to do about it. A bare
/// `cannot write output: No space left on device` left the user guessing which file was full.
pub fn stdout_write_failure(error: &std::io::Error) -> String {
    // On Linux, /proc/self/fd/1 names the file stdout was redirected to; a pipe or socket
    // reads as `pipe:[…]`, which names nothing a user can act on, so only a path is shown.
    let target = std::fs::read_link("/proc/self/fd/1")
        .ok()
        .filter(|path| path.is_absolute())
        .map(|path| format!(" ({})", path.display()))
        .unwrap_or_default();
    let fix = if error.kind() == std::io::ErrorKind::StorageFull {
        "free space on that disk, or redirect stdout to a file on another one"
    } else {
        "redirect stdout to a file that can be written"
    };
    format!("cannot write the output to stdout{target}: {error}; {fix}")
}
