//! Processes bpkit's children leave behind (a daemon, a `setsid` process): adopted by bpkit as
//! a child subreaper (`PR_SET_CHILD_SUBREAPER`) instead of init, found among its children in
//! `/proc`, and stopped as a group is stopped once the phase, the app or `pre_package` they came
//! from has finished. See [`super`] for why.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{POLL, sys};

/// How long [`stop_adopted`] keeps sending SIGKILL after its grace period before it gives up on
/// a process that does not die (one stuck in the kernel, in uninterruptible sleep).
const KILL_GIVE_UP: Duration = Duration::from_secs(5);

static ADOPTING: AtomicBool = AtomicBool::new(false);

/// From now on processes that bpkit's children leave behind (a daemon, a `setsid` process) are
/// re-parented to bpkit instead of init, so [`stop_adopted`] can stop them. For the commands
/// that stand in for a container (`bpkit stage`, `bpkit run`) and `bpkit package` (for
/// `pre_package`); never in a process that runs
/// children concurrently on other threads (a test binary), as [`stop_adopted`] stops every
/// child. Returns whether the kernel agreed (Linux 3.4 and later).
pub fn adopt_orphans() -> bool {
    let adopted = sys::set_child_subreaper().is_ok();
    ADOPTING.store(adopted, Ordering::SeqCst);
    adopted
}

/// After [`adopt_orphans`], once the phase or the app bpkit waited for has been reaped: stop
/// every child bpkit still has, which can only be processes adopted that way, as
/// [`stop_group`](super::stop_group) stops a group: SIGTERM (to the process's own group too when it leads one,
/// as a `setsid` process does), up to `grace`, then SIGKILL; and reap them. Processes they
/// leave in turn are adopted and stopped in the same call. Returns how many running processes
/// were stopped (0 when [`adopt_orphans`] was not called or failed); processes that had
/// already exited are reaped but not counted.
pub fn stop_adopted(grace: Duration) -> usize {
    if !ADOPTING.load(Ordering::SeqCst) {
        return 0;
    }
    let me = std::process::id();
    let started = Instant::now();
    let mut termed = HashSet::new();
    let mut reaped = HashSet::new();
    loop {
        let children = children_of(me);
        if children.is_empty() || started.elapsed() >= grace + KILL_GIVE_UP {
            // A zombie reaped without a signal had already died (killed with the group it
            // was left in): not one that was still running.
            return reaped.intersection(&termed).count();
        }
        let late = started.elapsed() >= grace;
        for child in children {
            if child.zombie {
                if sys::reap(child.pid) {
                    reaped.insert(child.pid);
                }
                continue;
            }
            if child.exiting && !late {
                continue;
            }
            let signal = if late {
                libc::SIGKILL
            } else if termed.insert(child.pid) {
                libc::SIGTERM
            } else {
                continue;
            };
            termed.insert(child.pid);
            if child.leads_group {
                let _ = sys::kill_group(child.pid, signal);
            }
            let _ = sys::kill_pid(child.pid, signal);
        }
        std::thread::sleep(POLL);
    }
}

/// A child of bpkit's, as `/proc/PID/stat` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ChildProcess {
    pid: u32,
    /// Exited, waiting to be reaped.
    zombie: bool,
    /// On its way out (`PF_EXITING`, as one just killed with the group it was left in is): it
    /// will be a zombie in a moment, and needs no signal.
    exiting: bool,
    /// Leads its own process group (`setsid`, `setpgid(0, 0)`).
    leads_group: bool,
}

/// Every process whose parent is `parent`, from `/proc` (processes that vanish while it is
/// read are skipped).
fn children_of(parent: u32) -> Vec<ChildProcess> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            parse_stat(pid, &stat)
        })
        .filter(|(_, ppid)| *ppid == parent)
        .map(|(child, _)| child)
        .collect()
}

/// The state, parent, group and exiting flag of a `/proc/PID/stat` line: `PID (COMM) STATE
/// PPID PGRP SESSION TTY TPGID FLAGS …`. The command name may hold spaces and parentheses, so
/// the fields are counted from the last `)`.
fn parse_stat(pid: u32, stat: &str) -> Option<(ChildProcess, u32)> {
    // PF_EXITING, from include/linux/sched.h.
    const PF_EXITING: u64 = 0x4;
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?;
    let parent = fields.next()?.parse().ok()?;
    let group: u32 = fields.next()?.parse().ok()?;
    let flags: u64 = fields.nth(3).and_then(|f| f.parse().ok()).unwrap_or(0);
    let child = ChildProcess {
        pid,
        zombie: state == "Z",
        exiting: flags & PF_EXITING != 0,
        leads_group: group == pid,
    };
    Some((child, parent))
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::CommandExt;
    use std::process::Command;

    use super::*;

    #[test]
    fn stat_lines_are_read_from_the_last_parenthesis() {
        let (child, ppid) = parse_stat(42, "42 (a (weird) name) S 7 42 42 0 -1 4194560 0").unwrap();
        assert_eq!(
            (child, ppid),
            (
                ChildProcess {
                    pid: 42,
                    zombie: false,
                    exiting: false,
                    leads_group: true
                },
                7
            )
        );
        let (child, _) = parse_stat(43, "43 (sh) Z 7 40 40 0").unwrap();
        assert!(child.zombie);
        assert!(!child.leads_group);
        // Killed, on its way out (a real line, with PF_EXITING in FLAGS): not signalled again.
        let line = "12430 (sleep) R 12423 12426 27849 0 -1 4195340 168 108 0 0 0 0 0 0 20 0 1 0";
        let (child, _) = parse_stat(12430, line).unwrap();
        assert!(child.exiting && !child.zombie);
        assert_eq!(parse_stat(44, "44 (sh"), None);
        assert_eq!(parse_stat(44, "44 (sh) S x 1"), None);
    }

    #[test]
    fn children_are_found_in_proc() {
        let mut child = Command::new("sleep")
            .arg("30")
            .process_group(0)
            .spawn()
            .unwrap();
        let found = children_of(std::process::id());
        let _ = child.kill();
        let _ = child.wait();
        let ours = found.iter().find(|c| c.pid == child.id()).unwrap();
        assert!(ours.leads_group);
        assert!(!ours.zombie);
    }

    #[test]
    fn stop_adopted_does_nothing_before_adopt_orphans() {
        // This test binary never adopts: it runs children of other tests concurrently.
        assert_eq!(stop_adopted(Duration::ZERO), 0);
    }
}
