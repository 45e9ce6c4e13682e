//! A finished or unstartable child in Go's words (`exit status 1`, `signal: killed`,
//! `fork/exec PATH: permission denied`), as the platform's builder and launcher print them, and
//! the exit code a shell would report.

use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;

/// Go's words for a finished process (`exec.ExitError`), which the builder prints:
/// `exit status 1`, `signal: killed`.
pub fn describe_status(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    if let Some(code) = status.code() {
        return format!("exit status {code}");
    }
    match status.signal() {
        Some(libc::SIGKILL) => "signal: killed".into(),
        Some(libc::SIGTERM) => "signal: terminated".into(),
        Some(libc::SIGINT) => "signal: interrupt".into(),
        Some(libc::SIGSEGV) => "signal: segmentation fault".into(),
        Some(libc::SIGABRT) => "signal: aborted".into(),
        Some(libc::SIGHUP) => "signal: hangup".into(),
        Some(libc::SIGPIPE) => "signal: broken pipe".into(),
        Some(n) => format!("signal: {n}"),
        None => "exit status unknown".into(),
    }
}

/// The exit code a shell would report for `status` (128 + signal for a killed process).
pub fn exit_code_of(status: ExitStatus) -> u8 {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => u8::try_from(code & 0xff).unwrap_or(1),
        (None, Some(signal)) => u8::try_from(128 + (signal & 0x7f)).unwrap_or(1),
        _ => 1,
    }
}

/// A program that could not be started, in Go's words (`fork/exec PATH: permission denied`):
/// the builder's messages embed this text, so the stager and the launcher show it as is.
#[derive(Debug, thiserror::Error)]
#[error("fork/exec {}: {}", program.display(), go_errno_text(error))]
pub struct SpawnError {
    pub program: PathBuf,
    /// Kept for callers to inspect, but not a `source()`: the message already says it in Go's
    /// words, and a cause-chain printer would repeat it in Rust's (`Permission denied (os
    /// error 13)`) after them.
    pub error: io::Error,
}

impl SpawnError {
    pub fn new(program: impl Into<PathBuf>, error: io::Error) -> Self {
        SpawnError {
            program: program.into(),
            error,
        }
    }
}

/// Go's `syscall.Errno` text for the errors a fork/exec gives; Rust's for any other.
fn go_errno_text(error: &io::Error) -> String {
    match error.raw_os_error() {
        Some(libc::EACCES) => "permission denied".to_string(),
        Some(libc::ENOENT) => "no such file or directory".to_string(),
        Some(libc::ENOEXEC) => "exec format error".to_string(),
        Some(libc::ENOTDIR) => "not a directory".to_string(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    #[test]
    fn statuses_in_go_words() {
        let status = Command::new("sh").args(["-c", "exit 3"]).status().unwrap();
        assert_eq!(describe_status(status), "exit status 3");
        assert_eq!(exit_code_of(status), 3);
        let status = Command::new("sh")
            .args(["-c", "kill -KILL $$"])
            .status()
            .unwrap();
        assert_eq!(describe_status(status), "signal: killed");
        assert_eq!(exit_code_of(status), 137);
    }

    /// Every signal Go names, and a number for the rest; the raw wait status of a process
    /// killed by signal N is N itself, and of one that exited with C is C << 8.
    #[test]
    fn every_named_signal_and_the_shell_code() {
        use std::os::unix::process::ExitStatusExt;
        for (signal, words) in [
            (libc::SIGKILL, "signal: killed"),
            (libc::SIGTERM, "signal: terminated"),
            (libc::SIGINT, "signal: interrupt"),
            (libc::SIGSEGV, "signal: segmentation fault"),
            (libc::SIGABRT, "signal: aborted"),
            (libc::SIGHUP, "signal: hangup"),
            (libc::SIGPIPE, "signal: broken pipe"),
            (libc::SIGUSR1, "signal: 10"),
        ] {
            let status = ExitStatus::from_raw(signal);
            assert_eq!(describe_status(status), words);
            assert_eq!(i32::from(exit_code_of(status)), 128 + signal);
        }
        assert_eq!(exit_code_of(ExitStatus::from_raw(255 << 8)), 255);
        assert_eq!(describe_status(ExitStatus::from_raw(0)), "exit status 0");
        // A stopped process (SIGSTOP, `0x137f`) has neither: no code a shell would make up.
        let stopped = ExitStatus::from_raw(0x137f);
        assert_eq!(describe_status(stopped), "exit status unknown");
        assert_eq!(exit_code_of(stopped), 1);
    }

    #[test]
    fn spawn_errors_in_go_words() {
        let said = |errno: i32| {
            SpawnError::new("/app/run", io::Error::from_raw_os_error(errno)).to_string()
        };
        assert_eq!(said(libc::EACCES), "fork/exec /app/run: permission denied");
        assert_eq!(
            said(libc::ENOENT),
            "fork/exec /app/run: no such file or directory"
        );
        assert_eq!(said(libc::ENOEXEC), "fork/exec /app/run: exec format error");
        assert_eq!(said(libc::ENOTDIR), "fork/exec /app/run: not a directory");
        // Any other error in Rust's words, which carry the number.
        assert!(
            said(libc::E2BIG).ends_with("(os error 7)"),
            "{}",
            said(libc::E2BIG)
        );
    }
}
