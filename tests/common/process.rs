//! Processes a test left behind on purpose (a daemon a phase or pre_package started), read
//! from `/proc`, to check that bpkit stopped them.

use std::fs;
use std::path::Path;
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
