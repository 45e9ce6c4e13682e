//! Running one program of the staging (a buildpack's `bin/<phase>`, `git`) as the builder does:
//! by path, no shell, no stdin, with the staging environment. Its output streams live into the
//! staging log in whole lines, a line's start alone once it has waited 0.2 s for its end
//! (detect's and release's stdout are captured instead: they are data, bounded by
//! [`CAPTURE_LIMIT`]). The program leads its own session and process group
//! (with no controlling terminal, as in a staging container), so a timeout or a Ctrl-C stops
//! everything it started; whatever it leaves running when it exits is stopped too, in its group
//! or out of it ([`process_group::stop_adopted`]), as the platform's staging container ends
//! with them.

use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::deadline::Deadline;
use crate::fetch::uri;
use crate::output::Logger;
use crate::output::held::Held;
use crate::output::streamed::{Piece, QUEUE, spawn_reader};
use crate::process_group::{self, POLL, Signal, SpawnError};

/// Where a stream of the child goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sink<'a> {
    /// Into the staging log, as it arrives.
    Log,
    /// Kept, and handed back in [`Finished`]; past [`CAPTURE_LIMIT`] the program is stopped
    /// ([`RunError::TooMuchOutput`]).
    Capture,
    /// Kept, and shown as `DEBUG:` lines (for tools whose chatter is not the platform's log),
    /// with these secrets (a git URL's credentials) replaced: the tool may print its arguments.
    /// At most [`CAPTURE_LIMIT`] bytes are kept (for an error message), the rest only shown.
    Debug(&'a [String]),
}

/// A program that ran to the end.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Why a program did not run to the end.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// It could not be started (Go's `fork/exec PATH: permission denied`).
    #[error("{0}")]
    CannotSpawn(#[from] SpawnError),
    /// SIGINT/SIGTERM/SIGHUP reached bpkit; the program's group was stopped.
    #[error("interrupted")]
    Interrupted,
    /// The staging deadline passed; the program's group was stopped.
    #[error("the staging deadline passed")]
    TimedOut,
    /// Waiting on it failed (should not happen).
    #[error("cannot wait for the program: {0}")]
    CannotWait(#[source] std::io::Error),
    /// A captured stream went past [`CAPTURE_LIMIT`]; the program's group was stopped.
    #[error("{}", too_much_output(*limit))]
    TooMuchOutput { limit: usize },
}

/// Why a buildpack program failed, in the words the builder (Go's `os/exec`) gives to the
/// cause of its messages: `exit status 1`, `signal: killed`, `fork/exec PATH: permission
/// denied`.
#[derive(Debug, thiserror::Error)]
pub enum PhaseFailure {
    #[error("{}", process_group::describe_status(*.0))]
    Exited(ExitStatus),
    #[error("{0}")]
    CannotStart(#[source] SpawnError),
    /// It printed more than `limit` bytes where its output is captured, and was stopped.
    #[error("{}", too_much_output(*limit))]
    TooMuchOutput { limit: usize },
}

/// How much of a program's captured stdout is kept: detect prints a name and release a few
/// lines of YAML, so a program going past this is printing endlessly (`yes`, a log sent to the
/// wrong stream) and would otherwise fill memory and hold the staging until its deadline.
pub const CAPTURE_LIMIT: usize = 4 * 1024 * 1024;

/// After a program is stopped (a timeout, a Ctrl-C), how long its last output may take to
/// arrive: what it printed before it hung, and on its way out, is what says why it hung.
const LAST_WORDS: Duration = Duration::from_millis(500);

/// `printed more than 4 MiB on stdout`.
pub fn too_much_output(limit: usize) -> String {
    if limit.is_multiple_of(1024 * 1024) {
        format!("printed more than {} MiB on stdout", limit / (1024 * 1024))
    } else {
        format!("printed more than {limit} bytes on stdout")
    }
}

/// After the program exits, how long to wait for its pipes to close (a daemon it started in
/// another session could keep them open forever).
const DRAIN: Duration = Duration::from_secs(2);

/// Between SIGTERM and SIGKILL when a phase is interrupted or times out.
const PHASE_GRACE: Duration = Duration::from_secs(3);

/// What the readers of the two streams send.
type Message = Piece<Stream>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Out,
    Err,
}

/// Run `command` to the end (or to `deadline`). Its stdin is empty. Processes it left running
/// outside its group are stopped too, once it has finished (`bpkit stage` adopts them:
/// [`process_group::adopt_orphans`]).
pub fn run(
    command: Command,
    stdout: Sink<'_>,
    stderr: Sink<'_>,
    logger: &Logger,
    deadline: Option<Deadline>,
) -> Result<Finished, RunError> {
    let result = run_group(command, stdout, stderr, logger, deadline);
    process_group::stop_adopted(PHASE_GRACE);
    result
}

fn run_group(
    mut command: Command,
    stdout: Sink<'_>,
    stderr: Sink<'_>,
    logger: &Logger,
    deadline: Option<Deadline>,
) -> Result<Finished, RunError> {
    let program = PathBuf::from(command.get_program());
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    process_group::new_session(&mut command);
    crate::process_group::restore_signals(&mut command);
    let mut child = command.spawn().map_err(|e| SpawnError::new(&program, e))?;
    let (tx, rx) = mpsc::sync_channel(QUEUE);
    if let Some(out) = child.stdout.take() {
        spawn_reader(out, Stream::Out, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        spawn_reader(err, Stream::Err, tx.clone());
    }
    drop(tx);

    let mut streams = Streams {
        out: Output::new(stdout),
        err: Output::new(stderr),
        logger,
        open: 2,
    };
    let mut exited: Option<(ExitStatus, Instant)> = None;
    loop {
        let received = rx.recv_timeout(POLL);
        if let Err(e) = streams.handle(received, Instant::now()) {
            // Stopped whether or not it has exited: its output is not read to the end, and
            // whatever it started goes with it.
            let _ = process_group::stop_group(&mut child, PHASE_GRACE);
            streams.flush();
            return Err(e);
        }
        if exited.is_none() {
            match child.try_wait() {
                Ok(Some(status)) => {
                    // Nothing a phase started may outlive it (see the module header).
                    let _ = process_group::signal_group(child.id(), Signal::Kill);
                    exited = Some((status, Instant::now()));
                }
                Ok(None) => {
                    let stopped_for = if process_group::termination_requested() {
                        Some(RunError::Interrupted)
                    } else if deadline.is_some_and(Deadline::passed) {
                        Some(RunError::TimedOut)
                    } else {
                        None
                    };
                    if let Some(reason) = stopped_for {
                        let _ = process_group::stop_group(&mut child, PHASE_GRACE);
                        streams.last_words(&rx);
                        return Err(reason);
                    }
                }
                Err(e) => return Err(RunError::CannotWait(e)),
            }
        }
        if let Some((status, at)) = exited
            && (streams.open == 0 || at.elapsed() > DRAIN)
        {
            streams.flush();
            return Ok(Finished {
                status,
                stdout: streams.out.kept,
                stderr: streams.err.kept,
            });
        }
    }
}

/// Both streams of a running program, and where they go.
struct Streams<'a, 'l> {
    out: Output<'a>,
    err: Output<'a>,
    logger: &'l Logger,
    /// How many of the two have not ended yet.
    open: usize,
}

impl<'a> Streams<'a, '_> {
    /// Take in what a reader sent (or nothing, when `received` timed out), and hand on the
    /// line starts that waited long enough. `Err` when a captured stream went past its limit.
    fn handle(
        &mut self,
        received: Result<Message, mpsc::RecvTimeoutError>,
        now: Instant,
    ) -> Result<(), RunError> {
        let logger = self.logger;
        match received {
            Ok(Piece::Data(stream, bytes)) => self.of(stream).take_in(&bytes, now, logger)?,
            Ok(Piece::End(stream, _)) => {
                self.open = self.open.saturating_sub(1);
                self.of(stream).flush(logger);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => self.open = 0,
        }
        self.out.hand_on_stale(now, logger);
        self.err.hand_on_stale(now, logger);
        Ok(())
    }

    fn of(&mut self, stream: Stream) -> &mut Output<'a> {
        match stream {
            Stream::Out => &mut self.out,
            Stream::Err => &mut self.err,
        }
    }

    /// What a stopped program printed last, and what arrives within [`LAST_WORDS`] (its pipes
    /// close as it dies, unless something it started elsewhere holds them), handed on.
    fn last_words(&mut self, rx: &mpsc::Receiver<Message>) {
        let until = Instant::now() + LAST_WORDS;
        while self.open > 0 {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            // The limit was not reached before the stop; past it, the rest is not kept.
            let _ = self.handle(rx.recv_timeout(left.min(POLL)), Instant::now());
        }
        self.flush();
    }

    fn flush(&mut self) {
        self.out.flush(self.logger);
        self.err.flush(self.logger);
    }
}

/// One stream of a running program: its sink, what is kept of it, and the start of a line
/// waiting for its end.
struct Output<'a> {
    sink: Sink<'a>,
    kept: Vec<u8>,
    held: Held,
}

impl<'a> Output<'a> {
    fn new(sink: Sink<'a>) -> Self {
        Output {
            sink,
            kept: Vec::new(),
            held: Held::default(),
        }
    }

    fn take_in(&mut self, bytes: &[u8], now: Instant, logger: &Logger) -> Result<(), RunError> {
        if self.sink == Sink::Capture {
            // Data, not a log: no lines to keep whole.
            return self.deliver(bytes, logger);
        }
        if let Some(ready) = self.held.push(bytes, now) {
            self.deliver(&ready, logger)?;
        }
        Ok(())
    }

    fn hand_on_stale(&mut self, now: Instant, logger: &Logger) {
        if let Some(stale) = self.held.take_stale(now) {
            // Only log sinks hold bytes, and they have no limit to go past.
            let _ = self.deliver(&stale, logger);
        }
    }

    fn flush(&mut self, logger: &Logger) {
        if let Some(rest) = self.held.take_all() {
            let _ = self.deliver(&rest, logger);
        }
    }

    fn deliver(&mut self, bytes: &[u8], logger: &Logger) -> Result<(), RunError> {
        match self.sink {
            Sink::Log => logger.raw(&String::from_utf8_lossy(bytes)),
            Sink::Capture => {
                if self.kept.len() + bytes.len() > CAPTURE_LIMIT {
                    return Err(RunError::TooMuchOutput {
                        limit: CAPTURE_LIMIT,
                    });
                }
                self.kept.extend_from_slice(bytes);
            }
            Sink::Debug(secrets) => {
                let text = uri::scrub(&String::from_utf8_lossy(bytes), secrets);
                logger.debug(text.trim_end());
                let room = CAPTURE_LIMIT.saturating_sub(self.kept.len());
                self.kept.extend_from_slice(&bytes[..bytes.len().min(room)]);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.arg("-c").arg(script);
        command
    }

    #[test]
    fn streams_log_and_captures() {
        let (logger, out) = Logger::capture();
        let finished = run(
            sh("echo data; echo progress >&2; exit 3"),
            Sink::Capture,
            Sink::Log,
            &logger,
            None,
        )
        .unwrap();
        assert_eq!(finished.status.code(), Some(3));
        assert_eq!(finished.stdout, b"data\n");
        assert_eq!(out.text(), "progress\n");
    }

    /// No controlling terminal, as in a staging container: the program leads a session of
    /// its own and its process group (after the name in /proc/PID/stat: state, parent,
    /// group, session).
    #[test]
    fn the_program_leads_its_own_session() {
        let (logger, _) = Logger::capture();
        let finished = run(
            sh("set -- $(cut -d')' -f2 /proc/$$/stat); [ $3 = $$ ] && [ $4 = $$ ] && echo leader"),
            Sink::Capture,
            Sink::Log,
            &logger,
            None,
        )
        .unwrap();
        assert_eq!(finished.stdout, b"leader\n");
    }

    #[test]
    fn a_deadline_stops_the_group() {
        let (logger, _) = Logger::capture();
        let started = Instant::now();
        let result = run(
            sh("sleep 30 & sleep 30"),
            Sink::Log,
            Sink::Log,
            &logger,
            Some(Deadline {
                at: Instant::now() + Duration::from_millis(200),
                secs: 0,
            }),
        );
        assert!(matches!(result, Err(RunError::TimedOut)));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn leftover_background_processes_do_not_hold_us() {
        let (logger, _) = Logger::capture();
        let started = Instant::now();
        let finished = run(
            sh("sleep 30 & echo started"),
            Sink::Capture,
            Sink::Log,
            &logger,
            None,
        )
        .unwrap();
        assert!(finished.status.success());
        assert_eq!(finished.stdout, b"started\n");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    /// A program that exits is done at once; a daemon it started in a session of its own,
    /// out of reach of its group's stop, holding its output open, holds the staging for
    /// [`DRAIN`] only.
    #[test]
    fn open_output_is_waited_for_briefly() {
        let (logger, _) = Logger::capture();
        let started = Instant::now();
        let finished = run(sh("echo quick"), Sink::Capture, Sink::Log, &logger, None).unwrap();
        assert_eq!(finished.stdout, b"quick\n");
        assert!(started.elapsed() < DRAIN, "{:?}", started.elapsed());

        let started = Instant::now();
        let finished = run(
            // Exits once the daemon leads its session, out of the group stopped at its exit.
            sh("setsid sleep 30 & \
                while [ \"$(cut -d')' -f2 /proc/$!/stat | cut -d' ' -f5)\" != $! ]; do :; done; \
                echo $!"),
            Sink::Capture,
            Sink::Log,
            &logger,
            None,
        )
        .unwrap();
        let waited = started.elapsed();
        let daemon = String::from_utf8(finished.stdout).unwrap();
        let _ = Command::new("kill").arg(daemon.trim()).status();
        assert!(waited >= DRAIN, "{waited:?}");
        assert!(waited < DRAIN * 3, "{waited:?}");
    }

    #[test]
    fn spawn_errors_in_go_words() {
        let (logger, _) = Logger::capture();
        let result = run(
            Command::new("/nonexistent/bin/supply"),
            Sink::Log,
            Sink::Log,
            &logger,
            None,
        );
        match result {
            Err(RunError::CannotSpawn(e)) => {
                assert_eq!(
                    e.to_string(),
                    "fork/exec /nonexistent/bin/supply: no such file or directory"
                );
                assert_eq!(e.error.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("{other:?}"),
        }
    }

    /// A log holds a line's start for its end; a capture, which is data, keeps bytes as they
    /// come.
    #[test]
    fn only_logs_hold_line_starts() {
        let (logger, out) = Logger::capture();
        let now = Instant::now();
        let mut log = Output::new(Sink::Log);
        log.take_in(b"one ", now, &logger).unwrap();
        assert_eq!(out.text(), "");
        log.take_in(b"two\n", now, &logger).unwrap();
        assert_eq!(out.text(), "one two\n");
        let mut capture = Output::new(Sink::Capture);
        capture.take_in(b"data", now, &logger).unwrap();
        assert_eq!(capture.kept, b"data");
        assert_eq!(capture.held.take_all(), None);
    }

    /// A line a program writes in pieces reaches the log whole, never cut by a line of its
    /// other stream written in between (as it would be, were pieces shown as they come).
    #[test]
    fn lines_of_the_two_streams_do_not_cut_into_each_other() {
        let (logger, out) = Logger::capture();
        run(
            sh("printf 'one '; echo err >&2; sleep 0.02; echo two"),
            Sink::Log,
            Sink::Log,
            &logger,
            None,
        )
        .unwrap();
        let text = out.text();
        let mut lines: Vec<&str> = text.lines().collect();
        lines.sort_unstable();
        assert_eq!(lines, ["err", "one two"], "{text}");
    }

    /// A program pausing mid-line is shown before its line ends, as on the platform.
    #[test]
    fn a_pause_mid_line_shows_the_line_so_far() {
        let (logger, out) = Logger::capture();
        let started = Instant::now();
        let running = std::thread::spawn(move || {
            run(
                sh("printf 'Installing ruby... '; sleep 2; echo done"),
                Sink::Log,
                Sink::Log,
                &logger,
                None,
            )
            .map(|finished| finished.status.success())
        });
        while out.text().is_empty() {
            assert!(started.elapsed() < Duration::from_secs(10));
            std::thread::sleep(POLL);
        }
        assert_eq!(out.text(), "Installing ruby... ");
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "{:?}",
            started.elapsed()
        );
        assert!(running.join().unwrap().unwrap());
        assert_eq!(out.text(), "Installing ruby... done\n");
    }

    /// A program stopped at the deadline has its last words shown: the line it was writing
    /// when it hung, and what it says as it is stopped.
    #[test]
    fn a_stopped_program_has_its_last_words_shown() {
        let (logger, out) = Logger::capture();
        let result = run(
            sh(
                "trap 'echo stopped >&2; exit 1' TERM; printf 'waiting for the lock'; sleep 30 & wait",
            ),
            Sink::Log,
            Sink::Log,
            &logger,
            Some(Deadline {
                at: Instant::now() + Duration::from_millis(300),
                secs: 0,
            }),
        );
        assert!(matches!(result, Err(RunError::TimedOut)), "{result:?}");
        assert_eq!(out.text(), "waiting for the lockstopped\n");
    }

    #[test]
    fn output_limits_are_named_in_mib_or_bytes() {
        assert_eq!(
            too_much_output(CAPTURE_LIMIT),
            "printed more than 4 MiB on stdout"
        );
        assert_eq!(
            too_much_output(1000),
            "printed more than 1000 bytes on stdout"
        );
        assert_eq!(
            too_much_output(4096),
            "printed more than 4096 bytes on stdout"
        );
        assert_eq!(
            too_much_output(1024 * 1024 + 1),
            "printed more than 1048577 bytes on stdout"
        );
    }

    /// Exactly the limit is kept; one line more stops the program (and what it started), at
    /// once rather than at its end.
    #[test]
    fn capture_keeps_the_limit_and_stops_a_program_past_it() {
        let (logger, _) = Logger::capture();
        let finished = run(
            sh(&format!("yes | head -c {CAPTURE_LIMIT}")),
            Sink::Capture,
            Sink::Log,
            &logger,
            None,
        )
        .unwrap();
        assert_eq!(finished.stdout.len(), CAPTURE_LIMIT);

        let (logger, out) = Logger::capture();
        let started = Instant::now();
        let result = run(
            sh(&format!(
                "printf working >&2; yes | head -c {}; sleep 30",
                CAPTURE_LIMIT + 2
            )),
            Sink::Capture,
            Sink::Log,
            &logger,
            None,
        );
        assert!(
            matches!(
                result,
                Err(RunError::TooMuchOutput {
                    limit: CAPTURE_LIMIT
                })
            ),
            "{result:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        // The line the other stream was writing is shown, not dropped with the program.
        assert_eq!(out.text(), "working");
    }

    /// A tool's chatter is shown as DEBUG lines with its secrets replaced, and kept (for an
    /// error message) only up to the limit, without stopping the tool.
    #[test]
    fn debug_output_is_scrubbed_and_kept_up_to_the_limit() {
        let (logger, out) = Logger::capture();
        let logger = logger.with_debug(true);
        let secrets = vec!["hunter22".to_string()];
        let finished = run(
            sh("echo 'fatal: https://u:hunter22@git.example/repo'; echo progress >&2; exit 128"),
            Sink::Debug(&secrets),
            Sink::Log,
            &logger,
            None,
        )
        .unwrap();
        assert_eq!(finished.status.code(), Some(128));
        let log = out.text();
        assert!(
            log.contains("DEBUG: fatal: https://u:-redacted-@git.example/repo\n"),
            "{log}"
        );
        assert!(!log.contains("hunter22"), "{log}");
        assert!(log.contains("progress\n"), "{log}");

        let (quiet, _) = Logger::capture();
        let finished = run(
            sh(&format!("head -c {} /dev/zero >&2", CAPTURE_LIMIT + 10)),
            Sink::Log,
            Sink::Debug(&[]),
            &quiet,
            None,
        )
        .unwrap();
        assert!(finished.status.success());
        assert_eq!(finished.stderr.len(), CAPTURE_LIMIT);
    }

    /// A program reads nothing: its stdin is empty, not bpkit's.
    #[test]
    fn stdin_is_empty() {
        let (logger, _) = Logger::capture();
        let finished = run(
            sh("if read line; then echo \"read: $line\"; else echo none; fi"),
            Sink::Capture,
            Sink::Log,
            &logger,
            None,
        )
        .unwrap();
        assert_eq!(finished.stdout, b"none\n");
    }

    /// What a program leaves running in its group is stopped when it exits.
    #[test]
    fn the_group_goes_with_the_program() {
        let (logger, _) = Logger::capture();
        let finished = run(
            sh("sleep 30 >/dev/null 2>&1 & echo $!"),
            Sink::Capture,
            Sink::Log,
            &logger,
            None,
        )
        .unwrap();
        let pid = String::from_utf8(finished.stdout).unwrap();
        let stat = format!("/proc/{}/stat", pid.trim());
        let until = Instant::now() + Duration::from_secs(5);
        // Gone, or a zombie waiting for whoever adopted it.
        while std::fs::read_to_string(&stat)
            .is_ok_and(|s| !s.rsplit_once(')').is_some_and(|(_, r)| r.starts_with(" Z")))
        {
            assert!(Instant::now() < until, "{stat} still running");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
