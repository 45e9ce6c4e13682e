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
/// in KiB (`ru_maxrss`, from `wait4`: its own and that of the children it waited for).
// std reaps a child without its resource usage, so `wait4` is called directly (and reaps it,
// which clippy cannot see).
#[allow(unsafe_code, clippy::zombie_processes)]
pub fn run_within_measuring_memory(
    command: &mut Command,
    limit: Duration,
    stderr: Stdio,
) -> (Run, u64) {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .process_group(0);
    let mut child = super::bin::retry_busy(|| command.spawn()).expect("spawn");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = read(stdout.map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = read(stderr.map(|p| Box::new(p) as Box<dyn Read + Send>));
    let started = Instant::now();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value of that plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our child, not yet reaped (`Child` never waits for it here); both
        // pointers are to live locals.
        let reaped = unsafe { libc::wait4(pid, &raw mut status, libc::WNOHANG, &raw mut usage) };
        assert!(reaped >= 0, "wait4: {}", std::io::Error::last_os_error());
        if reaped == pid {
            break;
        }
        if started.elapsed() > limit {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
            let _ = child.wait();
            panic!("{command:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let run = Run {
        code,
        stdout: String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
    };
    (run, u64::try_from(usage.ru_maxrss).unwrap_or(0))
}
