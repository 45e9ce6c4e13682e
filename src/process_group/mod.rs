//! Child processes in their own process group, for the stager (buildpack phases, `git clone`),
//! the launcher (the app) and the packager (`pre_package`): a phase, an app or a command may
//! start children of its own, and a timeout, a Ctrl-C or the end of a smoke test must stop all
//! of them, not only the one we spawned. `bpkit package` and `bpkit fetch` catch the signals
//! too, so their downloads and zip writer stop and remove their `.part` files
//! ([`crate::fetch`], [`crate::packager`]).
//!
//! Because each child leads its own group, the terminal's Ctrl-C no longer reaches it. So while
//! bpkit waits on such children it catches SIGINT, SIGTERM and SIGHUP itself
//! ([`watch_termination`]) and the waiting loops stop the group ([`stop_group`]): SIGTERM,
//! a grace period, then SIGKILL, as the platform stops an app instance (10 s by default). A
//! second signal exits at once (130), so a stuck download can still be abandoned.
//!
//! bpkit also ignores SIGXFSZ ([`ignore_file_size_signal`]): under a file-size limit (`ulimit
//! -f`) a write past it then fails with EFBIG, which bpkit reports and cleans up after (its
//! `.part` files, a half-extracted dependency), where the signal's default action killed it on
//! the spot and left them behind. Children get back the action bpkit started with
//! ([`restore_signals`]), as std does for the SIGPIPE it ignores.
//!
//! A process can leave its group (`setsid`, a daemon's double fork), and a group signal no
//! longer reaches it. On the platform that does not matter: the container dies with the app or
//! the staging, and every process in it. `bpkit stage`, `bpkit run` and `bpkit package` make
//! bpkit a child subreaper instead ([`adopt_orphans`], `PR_SET_CHILD_SUBREAPER`): whatever
//! their children leave running is re-parented to bpkit rather than to init, so once a phase,
//! the app or `pre_package` has finished, [`stop_adopted`] finds those processes among bpkit's
//! own children and stops them
//! the same way. A child's pid cannot be reused before its parent reaps it, so signalling them
//! by pid cannot hit a stranger.
//!
//! The calls into libc (`kill(2)`, `signal(2)`, `prctl(2)`, `waitpid(2)`) are the only unsafe
//! code of the crate; they live in the private `sys` module with their safety arguments.
//! `orphans` adopts and stops what children leave behind; `status` words a finished child as Go
//! does.

mod orphans;
mod status;
#[allow(unsafe_code)]
mod sys;

use std::io;
use std::process::{Child, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub use orphans::{adopt_orphans, stop_adopted};
pub use status::{SpawnError, describe_status, exit_code_of};

/// How long a stopped group gets between SIGTERM and SIGKILL (the platform's default).
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// How often waiting loops look at their children.
pub const POLL: Duration = Duration::from_millis(20);

static TERMINATION: AtomicBool = AtomicBool::new(false);
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// From now on SIGINT, SIGTERM and SIGHUP (each that bpkit did not start with ignored, as under
/// `nohup`) set a flag ([`termination_requested`]) instead of killing bpkit, so its waiting loops can stop their process groups and clean up. A second
/// signal exits immediately with 130. Idempotent.
pub fn watch_termination() {
    if !INSTALLED.swap(true, Ordering::SeqCst) {
        sys::install_handlers();
    }
}

/// From now on a write past the file-size limit (`ulimit -f`) fails with EFBIG (`File too
/// large`) instead of killing bpkit with SIGXFSZ, so the error is reported and the half-written
/// file removed. Idempotent; called once at startup.
pub fn ignore_file_size_signal() {
    sys::ignore_file_size_signal();
}

/// Give a child the SIGXFSZ action bpkit itself started with (normally the default, which
/// ends a process writing past the limit), not the ignoring bpkit chose for its own writes:
/// buildpack phases, build commands and apps start in the state any other parent gives them.
pub fn restore_signals(command: &mut std::process::Command) {
    sys::restore_file_size_signal(command);
}

/// Start a child in a session of its own, as the leader of its own process group (so
/// [`signal_group`] reaches it, as with `CommandExt::process_group(0)`, which must not be set
/// as well) and with no controlling terminal: what a staging container gives buildpack
/// programs. A program that opens `/dev/tty` (ssh asking whether to trust a host, a script's
/// `read < /dev/tty`) then fails at once, as on the platform, instead of being stopped by
/// SIGTTIN in a background group until the staging deadline.
pub fn new_session(command: &mut std::process::Command) {
    sys::new_session(command);
}

/// True once SIGINT, SIGTERM or SIGHUP arrived after [`watch_termination`].
pub fn termination_requested() -> bool {
    TERMINATION.load(Ordering::SeqCst)
}

/// An error once [`termination_requested`]: what a long copy or read that runs no child checks
/// between two steps, so that Ctrl-C stops it too. The caller tells it apart by the flag, as the
/// error comes back through steps that name their own paths. Not `ErrorKind::Interrupted`,
/// which `io::copy` retries.
pub fn check_termination() -> io::Result<()> {
    if termination_requested() {
        return Err(io::Error::other("interrupted"));
    }
    Ok(())
}

/// Send `signal` to every process of the group `pgid` (the pid of a child spawned with
/// `CommandExt::process_group(0)`). A group that is already gone is not an error.
pub fn signal_group(pgid: u32, signal: Signal) -> io::Result<()> {
    match sys::kill_group(pgid, signal.number()) {
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => Ok(()),
        other => other,
    }
}

/// The signals bpkit sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Term,
    Kill,
}

impl Signal {
    fn number(self) -> i32 {
        match self {
            Signal::Term => libc::SIGTERM,
            Signal::Kill => libc::SIGKILL,
        }
    }
}

/// Stop `child` and everything else in its process group: SIGTERM to the group, up to `grace`
/// for `child` to exit, then SIGKILL to the group. Returns `child`'s exit status. Whatever is
/// left of the group after `child` exited is killed too, so nothing outlives the call.
pub fn stop_group(child: &mut Child, grace: Duration) -> io::Result<ExitStatus> {
    let pgid = child.id();
    if let Some(status) = child.try_wait()? {
        signal_group(pgid, Signal::Kill)?;
        return Ok(status);
    }
    signal_group(pgid, Signal::Term)?;
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait()? {
            signal_group(pgid, Signal::Kill)?;
            return Ok(status);
        }
        std::thread::sleep(POLL);
    }
    signal_group(pgid, Signal::Kill)?;
    child.wait()
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::CommandExt;
    use std::process::Command;

    use super::*;

    #[test]
    fn stop_group_stops_grandchildren_too() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("grandchild.pid");
        // SIGTERM at its default action, which a test run started with it ignored (a script's
        // `cargo test &`) would hand on: the group would then outlast the grace period.
        let mut child = Command::new("env")
            .args(["--default-signal=TERM", "sh", "-c"])
            .arg(format!("sleep 30 & echo $! > {}; wait", marker.display()))
            .process_group(0)
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !marker.exists() && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(POLL);
        }
        std::thread::sleep(Duration::from_millis(50));
        let grandchild: i32 = std::fs::read_to_string(&marker)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let status = stop_group(&mut child, Duration::from_secs(5)).unwrap();
        assert!(!status.success());
        // The grandchild got the group's SIGTERM too; give the kernel a moment to reap it.
        let gone = (0..100).any(|_| {
            std::thread::sleep(POLL);
            !std::path::Path::new(&format!("/proc/{grandchild}")).exists()
                || std::fs::read_to_string(format!("/proc/{grandchild}/stat"))
                    .is_ok_and(|s| s.contains(") Z "))
        });
        assert!(gone, "grandchild {grandchild} survived");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    /// Whether SIGXFSZ (25) is ignored in the `SigIgn` mask of a `/proc/<pid>/status` text.
    pub(super) fn xfsz_ignored(status: &str) -> bool {
        let mask = status
            .lines()
            .find_map(|line| line.strip_prefix("SigIgn:"))
            .unwrap();
        u64::from_str_radix(mask.trim(), 16).unwrap() & (1 << (libc::SIGXFSZ - 1)) != 0
    }

    #[test]
    fn sigxfsz_is_ignored_by_bpkit_and_given_back_to_children() {
        let own = || std::fs::read_to_string("/proc/self/status").unwrap();
        let started_ignored = xfsz_ignored(&own());
        ignore_file_size_signal();
        assert!(xfsz_ignored(&own()));
        let child_status = |restore: bool| {
            let mut command = Command::new("cat");
            command.arg("/proc/self/status");
            if restore {
                restore_signals(&mut command);
            }
            String::from_utf8(command.output().unwrap().stdout).unwrap()
        };
        // Without the reset a child inherits the ignoring; with it, the action we started with.
        assert!(xfsz_ignored(&child_status(false)));
        assert_eq!(xfsz_ignored(&child_status(true)), started_ignored);
    }

    /// A group whose processes have all exited and been reaped is stopped already: what a
    /// caller stopping a group after its leader ended meets every time.
    #[test]
    fn signalling_a_group_that_is_gone_is_no_error() {
        let mut child = Command::new("true").process_group(0).spawn().unwrap();
        let pgid = child.id();
        child.wait().unwrap();
        // The pid stays unused for the moment this takes: the kernel hands out pids in order.
        let error = sys::kill_group(pgid, libc::SIGTERM).unwrap_err();
        assert_eq!(error.raw_os_error(), Some(libc::ESRCH));
        signal_group(pgid, Signal::Term).unwrap();
        signal_group(pgid, Signal::Kill).unwrap();
    }

    #[test]
    fn never_signals_our_own_group() {
        assert!(signal_group(0, Signal::Term).is_err());
        assert!(signal_group(1, Signal::Term).is_err());
        assert!(sys::kill_pid(0, 0).is_err());
        assert!(sys::kill_pid(1, 0).is_err());
        assert!(!sys::reap(0));
    }
}
