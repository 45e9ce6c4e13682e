//! The calls into libc (`kill(2)`, `signal(2)`, `prctl(2)`, `waitpid(2)`, `_exit(2)`): the only
//! unsafe code of the crate, each call with its safety argument, behind safe functions that
//! refuse the pids no caller may mean (0, 1, and so our own group or every process).

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};

/// SIGXFSZ's action before [`ignore_file_size_signal`] (`SIG_DFL` until then).
static INHERITED_XFSZ: AtomicUsize = AtomicUsize::new(libc::SIG_DFL);
static XFSZ_IGNORED: std::sync::Once = std::sync::Once::new();

pub fn ignore_file_size_signal() {
    XFSZ_IGNORED.call_once(|| {
        // SAFETY: signal(2) with SIG_IGN installs no code of ours; it only changes how
        // the kernel treats SIGXFSZ for this process.
        let previous = unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
        if previous != libc::SIG_ERR {
            INHERITED_XFSZ.store(previous, Ordering::SeqCst);
        }
    });
}

pub fn restore_file_size_signal(command: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    let action = INHERITED_XFSZ.load(Ordering::SeqCst);
    // Only SIG_DFL or SIG_IGN are given back in a child: a handler's address means nothing
    // after exec (the kernel resets caught signals to SIG_DFL itself).
    let action = if action == libc::SIG_IGN {
        libc::SIG_IGN
    } else {
        libc::SIG_DFL
    };
    // SAFETY: the closure runs in the child between fork and exec, where only
    // async-signal-safe calls are allowed: signal(2) is one, and the closure allocates
    // nothing and touches no lock (`action` is a plain integer copied in).
    unsafe {
        command.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, action);
            Ok(())
        });
    }
}

pub fn new_session(command: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec, where only
    // async-signal-safe calls are allowed: setsid(2) is one, and the closure allocates
    // nothing and touches no lock. The child is not a group leader yet (no `process_group`
    // is set on the command), so setsid cannot fail with EPERM.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

use super::TERMINATION;

/// `prctl(PR_SET_CHILD_SUBREAPER, 1)`.
pub fn set_child_subreaper() -> io::Result<()> {
    // SAFETY: prctl(2) with PR_SET_CHILD_SUBREAPER takes plain integers and touches no
    // memory of ours; it only changes where the kernel re-parents orphaned descendants.
    let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `kill(pid, signal)` for one process.
pub fn kill_pid(pid: u32, signal: i32) -> io::Result<()> {
    let pid =
        libc::pid_t::try_from(pid).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    if pid <= 1 {
        // 0 is our own group, 1 init: never those.
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    // SAFETY: kill(2) takes two plain integers and touches no memory of ours; pid > 1
    // was checked above.
    let rc = unsafe { libc::kill(pid, signal) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `waitpid(pid, …, WNOHANG)` for an exited child; true when it was reaped.
pub fn reap(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 1 {
        return false;
    }
    let mut status = 0;
    // SAFETY: waitpid(2) writes the exit status into `status`, a live local integer; a
    // positive pid waits for that one child only, never one std's `Child` owns (those
    // are reaped before `stop_adopted` runs).
    let rc = unsafe { libc::waitpid(pid, &raw mut status, libc::WNOHANG) };
    rc == pid
}

/// `kill(-pgid, signal)`.
pub fn kill_group(pgid: u32, signal: i32) -> io::Result<()> {
    let pgid =
        libc::pid_t::try_from(pgid).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    if pgid <= 1 {
        // -1 would signal every process we may signal, -0 our own group: never that.
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    // SAFETY: kill(2) takes two plain integers and touches no memory of ours; a negative
    // pid addresses the process group, and pgid > 1 was checked above so this can never
    // be kill(-1, …) or kill(0, …).
    let rc = unsafe { libc::kill(-pgid, signal) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

extern "C" fn on_termination(_signal: libc::c_int) {
    // Only async-signal-safe work here: an atomic swap, and _exit on the second signal.
    if TERMINATION.swap(true, Ordering::SeqCst) {
        // SAFETY: _exit(2) is async-signal-safe and never returns.
        unsafe { libc::_exit(130) };
    }
}

/// Whether `signal` is ignored (SIG_IGN) for this process.
fn ignored(signal: libc::c_int) -> bool {
    // SAFETY: sigaction(2) with a null new action only reads the current one into `current`,
    // a zeroed plain-data struct of ours that outlives the call.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &raw mut current) == 0
            && current.sa_sigaction == libc::SIG_IGN
    }
}

pub fn install_handlers() {
    let handler = on_termination as extern "C" fn(libc::c_int) as libc::sighandler_t;
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // A signal ignored when bpkit started stays ignored, as POSIX has shells do: `nohup`
        // ignores SIGHUP so a logout does not end the run, and a script's `bpkit package &`
        // ignores SIGINT so the Ctrl-C meant for the command in front does not; catching
        // them anyway stopped such runs with exit 130.
        if ignored(signal) {
            continue;
        }
        // SAFETY: the handler is an `extern "C"` function that only performs an atomic
        // operation and _exit, both async-signal-safe. glibc's signal() installs it with
        // BSD semantics (SA_RESTART, not reset after delivery), so interrupted reads in
        // other threads are restarted rather than failing with EINTR.
        unsafe { libc::signal(signal, handler) };
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::process::Command;
    use std::time::{Duration, Instant};

    use super::*;

    /// Signal 0 only checks that the target exists: harmless, even if a check below failed
    /// and the call reached the kernel.
    const PROBE: i32 = 0;

    #[test]
    fn our_own_group_init_and_every_process_are_never_signalled() {
        for pid in [0, 1] {
            let refused = kill_pid(pid, PROBE).unwrap_err();
            assert_eq!(
                refused.kind(),
                io::ErrorKind::InvalidInput,
                "kill_pid({pid})"
            );
            let refused = kill_group(pid, PROBE).unwrap_err();
            assert_eq!(
                refused.kind(),
                io::ErrorKind::InvalidInput,
                "kill_group({pid})"
            );
            assert!(!reap(pid), "reap({pid})");
        }
        // Past what a pid_t holds: kill(2) would read it as a negative pid, a group.
        assert_eq!(
            kill_pid(u32::MAX, PROBE).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        assert_eq!(
            kill_group(u32::MAX, PROBE).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        assert!(!reap(u32::MAX));
    }

    /// A group is addressed by its leader's pid; a process that leads none is no group.
    #[test]
    fn a_group_is_signalled_through_its_leader_and_only_one_that_leads() {
        let mut in_our_group = Command::new("sleep").arg("30").spawn().unwrap();
        let mut leader = Command::new("sleep")
            .arg("30")
            .process_group(0)
            .spawn()
            .unwrap();
        let no_group = kill_group(in_our_group.id(), PROBE);
        let signalled = kill_group(leader.id(), libc::SIGKILL);
        let _ = in_our_group.kill();
        let _ = in_our_group.wait();
        let status = leader.wait().unwrap();
        let _ = leader.kill();
        assert_eq!(
            no_group.unwrap_err().raw_os_error(),
            Some(libc::ESRCH),
            "kill(-pid) of a process leading no group"
        );
        signalled.unwrap();
        assert_eq!(status.signal(), Some(libc::SIGKILL));
    }

    #[test]
    fn a_process_is_signalled_by_its_pid() {
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        let signalled = kill_pid(child.id(), libc::SIGKILL);
        let status = child.wait().unwrap();
        signalled.unwrap();
        assert_eq!(status.signal(), Some(libc::SIGKILL));
        // Reaped and gone: the kernel's own error.
        assert_eq!(
            kill_pid(child.id(), PROBE).unwrap_err().raw_os_error(),
            Some(libc::ESRCH)
        );
    }

    /// An exited child is reaped once; after that it is no child of ours.
    #[test]
    fn an_exited_child_is_reaped_once() {
        let child = Command::new("true").spawn().unwrap();
        let pid = child.id();
        // `Child` is never waited for: the pid is reaped here, as `stop_adopted` does.
        drop(child);
        let started = Instant::now();
        while !reap(pid) {
            assert!(started.elapsed() < Duration::from_secs(10), "never reaped");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(!reap(pid));
    }

    /// A signal set to SIG_IGN reads as ignored; one left at its default does not. SIGUSR2,
    /// which nothing in the tests sends, is changed for a moment and put back.
    #[test]
    fn an_ignored_signal_is_told_apart_from_a_default_one() {
        // SAFETY: SIG_IGN and SIG_DFL install no code of ours.
        let before = unsafe { libc::signal(libc::SIGUSR2, libc::SIG_IGN) };
        let when_ignored = ignored(libc::SIGUSR2);
        // SAFETY: as above.
        unsafe { libc::signal(libc::SIGUSR2, libc::SIG_DFL) };
        let when_default = ignored(libc::SIGUSR2);
        // SAFETY: `before` was SIG_DFL or SIG_IGN (no test installs a handler for SIGUSR2).
        unsafe { libc::signal(libc::SIGUSR2, before) };
        assert!(when_ignored);
        assert!(!when_default);
    }

    /// Set in the child process [`rerun_alone`] starts.
    const ALONE: &str = "BPKIT_TEST_RUN_ALONE";

    /// True in the child process [`rerun_alone`] started.
    fn in_rerun() -> bool {
        std::env::var_os(ALONE).is_some()
    }

    /// Run this test binary again for the test `name` alone (`prepare` may change how that
    /// process starts) and assert that it ran and passed: for what must not happen to the
    /// test binary itself, where other tests run beside it.
    fn rerun_alone(name: &str, prepare: impl FnOnce(&mut Command)) {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args([
                "--exact",
                &format!("process_group::sys::tests::{name}"),
                "--test-threads=1",
            ])
            .env(ALONE, "1");
        prepare(&mut command);
        let output = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}");
        // The child ran the test, rather than finding none to run.
        assert!(stdout.contains("1 passed"), "{stdout}");
    }

    /// bpkit becomes a child subreaper where it asks to. Tried in a child process
    /// ([`rerun_alone`]): the test binary itself must not adopt the processes other tests
    /// leave behind.
    #[test]
    fn the_kernel_makes_bpkit_a_subreaper_when_asked() {
        let subreaper = || {
            let mut flag: libc::c_int = -1;
            // SAFETY: PR_GET_CHILD_SUBREAPER writes one int into `flag`, a live local.
            let rc = unsafe { libc::prctl(libc::PR_GET_CHILD_SUBREAPER, &raw mut flag, 0, 0, 0) };
            assert_eq!(rc, 0);
            flag
        };
        if in_rerun() {
            assert_eq!(subreaper(), 0, "a subreaper before it asked");
            set_child_subreaper().unwrap();
            assert_eq!(subreaper(), 1);
            return;
        }
        rerun_alone("the_kernel_makes_bpkit_a_subreaper_when_asked", |_| {});
    }

    /// A bpkit started with SIGXFSZ ignored (`nohup`-like wrappers, a shell's `trap '' XFSZ`)
    /// gives its children SIGXFSZ ignored too, as it found it. Tried in a child process
    /// ([`rerun_alone`]) started with the signal ignored.
    #[test]
    fn an_inherited_ignored_file_size_signal_is_given_back_ignored() {
        if in_rerun() {
            let own = std::fs::read_to_string("/proc/self/status").unwrap();
            assert!(super::super::tests::xfsz_ignored(&own), "started ignoring");
            ignore_file_size_signal();
            let mut command = Command::new("cat");
            command.arg("/proc/self/status");
            restore_file_size_signal(&mut command);
            let child = String::from_utf8(command.output().unwrap().stdout).unwrap();
            assert!(super::super::tests::xfsz_ignored(&child));
            return;
        }
        rerun_alone(
            "an_inherited_ignored_file_size_signal_is_given_back_ignored",
            |command| {
                // SAFETY: runs between fork and exec; signal(2) with SIG_IGN is
                // async-signal-safe and installs no code of ours.
                unsafe {
                    command.pre_exec(|| {
                        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                        Ok(())
                    });
                }
            },
        );
    }
}
