//! Running the built `bpkit` binary (directly or through a symlink named after a phase) and
//! capturing exactly what a user would see.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// The binary cargo built for these tests.
pub fn bpkit_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_bpkit"))
}

/// A `bpkit` command with a clean, predictable environment for output assertions.
pub fn bpkit() -> Command {
    command_for(&bpkit_path())
}

/// A command for `program` with colour and debug output switched off.
pub fn command_for(program: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .env("NO_COLOR", "1")
        .env_remove("BP_DEBUG")
        .env_remove("BPKIT_MIRRORS");
    command
}

/// A `bpkit` command run as a user that file modes apply to: this one when it is not root,
/// else `nobody` (uid 65534) through `setpriv`, since root reads and writes through any mode.
/// `None` when that cannot be had (root without `setpriv`). The folders the command uses must
/// then be open to that user.
pub fn bpkit_without_root() -> Option<Command> {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the effective user: no `unsafe` geteuid needed.
    let root = std::fs::metadata("/proc/self").ok()?.uid() == 0;
    if !root {
        return Some(bpkit());
    }
    let works = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        return None;
    }
    let mut command = command_for(Path::new("setpriv"));
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(bpkit_path());
    Some(command)
}

/// The repository root (fixtures live under it).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics, showing stderr, unless the run exited with `code`.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "{}", self.stderr);
        self
    }

    /// Panics unless the run exited with `code` and printed exactly `stdout` and `stderr`.
    #[track_caller]
    pub fn assert_printed(&self, code: i32, stdout: &str, stderr: &str) {
        assert_eq!(
            (self.code, self.stdout.as_str(), self.stderr.as_str()),
            (code, stdout, stderr)
        );
    }

    /// Panics unless the run exited with `code` and the last line of its stderr is `line`.
    #[track_caller]
    pub fn assert_last_line(&self, code: i32, line: &str) {
        assert_eq!(self.code, code, "{}", self.stderr);
        assert_eq!(
            self.stderr.lines().last().unwrap_or(""),
            line,
            "the last line of stderr:\n{}",
            self.stderr
        );
    }

    /// Panics unless the run exited with `code` and its stderr starts with `prefix`.
    #[track_caller]
    pub fn assert_stderr_starts(&self, code: i32, prefix: &str) {
        assert_eq!(self.code, code, "{}", self.stderr);
        assert!(
            self.stderr.starts_with(prefix),
            "stderr does not start with {prefix:?}:\n{}",
            self.stderr
        );
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// How long any one bpkit run in a test may take before it is killed and the test fails: far
/// above what any run needs (the slowest, a stalled-server timeout, takes seconds), so it only
/// ever turns a hang into a failure.
pub const RUN_LIMIT: Duration = Duration::from_secs(300);

/// Run a command to completion, killing it (and failing the test) after [`RUN_LIMIT`].
pub fn run(command: &mut Command) -> Run {
    super::timed::run_within(command, RUN_LIMIT)
}

/// Run a command to completion as [`run`] does, with stdout a pipe whose reader is already
/// closed, as in `bpkit … | true` once `true` has exited: every write to stdout fails with
/// EPIPE. The returned `stdout` is empty.
pub fn run_with_closed_stdout(command: &mut Command) -> Run {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    super::timed::run_within_to(command, RUN_LIMIT, writer.into())
}

/// Run a command to completion as [`run`] does, with stdout `/dev/full`, where every write fails
/// with ENOSPC. The returned `stdout` is empty.
pub fn run_with_full_stdout(command: &mut Command) -> Run {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    super::timed::run_within_to(command, RUN_LIMIT, full.into())
}

/// Run a command to completion as [`run`] does, with stderr `/dev/full`: every line of
/// narration fails to be written. The returned `stderr` is empty.
pub fn run_with_full_stderr(command: &mut Command) -> Run {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    super::timed::run_within_to_both(
        command,
        RUN_LIMIT,
        std::process::Stdio::piped(),
        full.into(),
    )
}

/// Retry an exec that failed with ETXTBSY. Tests write scripts and run them at once while
/// other test threads fork: a child forked between our write and close holds the file open
/// for writing until it execs, and Linux refuses to execute a file open for writing. The
/// window is microseconds, so a few short retries always get through.
pub fn retry_busy<T>(mut exec: impl FnMut() -> std::io::Result<T>) -> std::io::Result<T> {
    let mut attempts = 0;
    loop {
        match exec() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && attempts < 50 => {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Make `dir/name` a symlink to the bpkit binary, as `bin/<phase>` is in a buildpack.
pub fn link_as(dir: &Path, name: &str) -> PathBuf {
    let link = dir.join(name);
    std::os::unix::fs::symlink(bpkit_path(), &link).unwrap();
    link
}

/// This process's umask, from /proc (reading it with umask(2) would change it): what a file
/// created with mode 0644 ends up with is `0o644 & !umask()`.
pub fn umask() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let value = status
        .lines()
        .find_map(|l| l.strip_prefix("Umask:"))
        .unwrap()
        .trim();
    u32::from_str_radix(value, 8).unwrap()
}

/// The proxy variables of the machine running the tests, removed from `command`: a test
/// decides itself whether a download goes through a proxy.
pub fn clear_proxies(command: &mut Command) -> &mut Command {
    for proxy in [
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ] {
        command.env_remove(proxy);
    }
    command
}

/// `command` run by `sh` after `setup` (such as `ulimit -f 8` or `umask 000`), with its
/// program, arguments, environment changes and working folder: the way to give it a limit or
/// a umask Command cannot set.
pub fn after_sh(setup: &str, command: &Command) -> Command {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("{setup} && exec \"$0\" \"$@\""))
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => sh.env(key, value),
            None => sh.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        sh.current_dir(dir);
    }
    sh
}
