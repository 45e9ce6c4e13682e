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

use std::collections::HashSet;
use std::io;
use std::path::PathBuf;
use std::process::{Child, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a stopped group gets between SIGTERM and SIGKILL (the platform's default).
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// How often waiting loops look at their children.
pub const POLL: Duration = Duration::from_millis(20);

/// How long [`stop_adopted`] keeps sending SIGKILL after its grace period before it gives up on
/// a process that does not die (one stuck in the kernel, in uninterruptible sleep).
const KILL_GIVE_UP: Duration = Duration::from_secs(5);

static TERMINATION: AtomicBool = AtomicBool::new(false);
static INSTALLED: AtomicBool = AtomicBool::new(false);
static ADOPTING: AtomicBool = AtomicBool::new(false);

/// From now on SIGINT, SIGTERM and SIGHUP set a flag ([`termination_requested`]) instead of
/// killing bpkit, so its waiting loops can stop their process groups and clean up. A second
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

/// True once SIGINT, SIGTERM or SIGHUP arrived after [`watch_termination`].
pub fn termination_requested() -> bool {
    TERMINATION.load(Ordering::SeqCst)
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
/// [`stop_group`] stops a group: SIGTERM (to the process's own group too when it leads one,
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

#[allow(unsafe_code)]
mod sys {
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
        let pgid = libc::pid_t::try_from(pgid)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
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

    pub fn install_handlers() {
        let handler = on_termination as extern "C" fn(libc::c_int) as libc::sighandler_t;
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: the handler is an `extern "C"` function that only performs an atomic
            // operation and _exit, both async-signal-safe. glibc's signal() installs it with
            // BSD semantics (SA_RESTART, not reset after delivery), so interrupted reads in
            // other threads are restarted rather than failing with EINTR.
            unsafe { libc::signal(signal, handler) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;
    use std::process::Command;

    #[test]
    fn stop_group_stops_grandchildren_too() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("grandchild.pid");
        let mut child = Command::new("sh")
            .arg("-c")
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

    /// Whether SIGXFSZ (25) is ignored in the `SigIgn` mask of a `/proc/<pid>/status` text.
    fn xfsz_ignored(status: &str) -> bool {
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

    #[test]
    fn never_signals_our_own_group() {
        assert!(signal_group(0, Signal::Term).is_err());
        assert!(signal_group(1, Signal::Term).is_err());
        assert!(sys::kill_pid(0, 0).is_err());
        assert!(sys::kill_pid(1, 0).is_err());
        assert!(!sys::reap(0));
    }
}
