//! Running a command with a time limit: every integration test that starts a process is
//! bounded, and a hung process is killed (with its process group) and reported, never waited on
//! forever.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::bin::Run;

/// Run `command` to completion within `limit`, capturing stdout and stderr. Panics (after
/// killing the command's process group) when it takes longer.
pub fn run_within(command: &mut Command, limit: Duration) -> Run {
    run_within_to(command, limit, Stdio::piped())
}

/// [`run_within`] with stdout going to `stdout` (a full device, a pipe nobody reads); unless
/// that is `Stdio::piped()`, the returned `stdout` is empty.
pub fn run_within_to(command: &mut Command, limit: Duration, stdout: Stdio) -> Run {
    run_within_to_both(command, limit, stdout, Stdio::piped())
}

/// [`run_within_to`] with stderr going to `stderr` too; unless that is `Stdio::piped()`, the
/// returned `stderr` is empty.
pub fn run_within_to_both(
    command: &mut Command,
    limit: Duration,
    stdout: Stdio,
    stderr: Stdio,
) -> Run {
    command
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .process_group(0);
    let child = super::bin::retry_busy(|| command.spawn()).expect("spawn");
    wait_within(child, limit, &format!("{command:?}"))
}

/// Wait for a child started with piped stderr (and stdout, when it is to be captured) (and, for the kill to reach its
/// children too, its own process group) for at most `limit`, capturing what it prints. Panics,
/// naming `what`, after killing the child's process group when it takes longer.
pub fn wait_within(mut child: Child, limit: Duration, what: &str) -> Run {
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut stdout) = stdout {
            let _ = stdout.read_to_end(&mut buf);
        }
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut stderr) = stderr {
            let _ = stderr.read_to_end(&mut buf);
        }
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
            panic!("{what} did not finish within {limit:?}; stderr so far:\n{stderr}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
    }
}

/// [`run_within_to_both`] with stdout captured, also giving the command's peak resident memory
/// in KiB (`ru_maxrss`), or `None` without `python3` to measure it. Linux carries a process's
/// peak across `execve`, so a command forked from this (large, multi-threaded) test process
/// would report the test's own memory: the command is forked from a small `python3` instead,
/// which waits for it with `wait4` and writes its `ru_maxrss` to a file.
pub fn run_within_measuring_memory(
    command: &Command,
    limit: Duration,
    stderr: Stdio,
) -> (Run, Option<u64>) {
    const MEASURE: &str = r#"
import os, signal, sys
report, argv = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    try:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as f:
    f.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)
"#;
    let has_python = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_python {
        let mut plain = Command::new(command.get_program());
        plain.args(command.get_args());
        copy_setup(command, &mut plain);
        return (
            run_within_to_both(&mut plain, limit, Stdio::piped(), stderr),
            None,
        );
    }
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut measured = Command::new("python3");
    measured
        .arg("-c")
        .arg(MEASURE)
        .arg(report.path())
        .arg(command.get_program())
        .args(command.get_args());
    copy_setup(command, &mut measured);
    let run = run_within_to_both(&mut measured, limit, Stdio::piped(), stderr);
    let peak = std::fs::read_to_string(report.path())
        .ok()
        .and_then(|text| text.trim().parse().ok());
    (run, peak)
}

/// `to` given `from`'s folder and environment changes.
fn copy_setup(from: &Command, to: &mut Command) {
    if let Some(dir) = from.get_current_dir() {
        to.current_dir(dir);
    }
    for (name, value) in from.get_envs() {
        match value {
            Some(value) => to.env(name, value),
            None => to.env_remove(name),
        };
    }
}
