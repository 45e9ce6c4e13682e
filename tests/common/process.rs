//! Processes a test left behind on purpose (a daemon a phase or pre_package started), read
//! from `/proc`, to check that bpkit stopped them; and processes a test means to signal.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The pid a test's script wrote to `pidfile`.
pub fn read_pid(pidfile: &Path) -> u32 {
    fs::read_to_string(pidfile).unwrap().trim().parse().unwrap()
}

/// Whether `pid` is still running now: a zombie (exited, not yet reaped) is not.
pub fn running(pid: u32) -> bool {
    let state = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    !state.is_empty() && !state.contains(") Z ")
}

/// Whether `pid` stops running within 5 s.
pub fn gone_soon(pid: u32) -> bool {
    (0..100).any(|_| {
        let gone = !running(pid);
        if !gone {
            std::thread::sleep(Duration::from_millis(50));
        }
        gone
    })
}

/// `command` run through coreutils' env with `options` (which env applies, then execs the
/// program: the pid is the same): the program, its arguments, environment and folder.
#[allow(dead_code)]
pub fn under_env(command: &Command, options: &[&str]) -> Command {
    let mut wrapped = Command::new("env");
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    wrapped
        .args(options)
        .arg(command.get_program())
        .args(command.get_args());
    wrapped
}

/// `command` run with SIGINT, SIGTERM and SIGHUP at their default action, for a test that
/// sends them. A test run started with them ignored (a script's `cargo test &`) hands that
/// on; bpkit keeps a signal ignored on entry ignored, and a shell may not even trap it
/// (POSIX), so such a test failed with the signal lost.
#[allow(dead_code)]
pub fn with_default_signals(command: &Command) -> Command {
    under_env(command, &["--default-signal=INT,TERM,HUP"])
}
