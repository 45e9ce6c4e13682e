//! Running one program of the staging (a buildpack's `bin/<phase>`, `git`) as the builder does:
//! by path, no shell, no stdin, with the staging environment. Its output streams live into the
//! staging log line by line (detect's and release's stdout are captured instead: they are
//! data, bounded by [`CAPTURE_LIMIT`]). The program leads its own session and process group
//! (with no controlling terminal, as in a staging container), so a timeout or a Ctrl-C stops
//! everything it started; whatever it leaves running when it exits is stopped too, in its group
//! or out of it ([`process_group::stop_adopted`]), as the platform's staging container ends
//! with them.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::deadline::Deadline;
use crate::fetch::uri;
use crate::output::Logger;
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

/// The longest piece of output read at once: a program printing without line breaks is passed
/// on (or counted) in pieces of this size, never held whole.
const CHUNK: usize = 64 * 1024;

/// How many pieces may wait between the readers and the loop that handles them: past that the
/// readers wait, the pipe fills and the program blocks, so a program cannot outrun the log.
const QUEUE: usize = 16;

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

enum Message {
    Data(Stream, Vec<u8>),
    Eof,
}

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

    let mut captured_out = Vec::new();
    let mut captured_err = Vec::new();
    let mut open_streams = 2;
    let mut exited: Option<(ExitStatus, Instant)> = None;
    loop {
        match rx.recv_timeout(POLL) {
            Ok(Message::Data(stream, bytes)) => {
                let (sink, buffer) = match stream {
                    Stream::Out => (stdout, &mut captured_out),
                    Stream::Err => (stderr, &mut captured_err),
                };
                match sink {
                    Sink::Log => logger.raw(&String::from_utf8_lossy(&bytes)),
                    Sink::Capture => {
                        if buffer.len() + bytes.len() > CAPTURE_LIMIT {
                            // Stopped whether or not it has exited: its output is not read
                            // to the end, and whatever it started goes with it.
                            let _ = process_group::stop_group(&mut child, PHASE_GRACE);
                            return Err(RunError::TooMuchOutput {
                                limit: CAPTURE_LIMIT,
                            });
                        }
                        buffer.extend_from_slice(&bytes);
                    }
                    Sink::Debug(secrets) => {
                        let text = uri::scrub(&String::from_utf8_lossy(&bytes), secrets);
                        logger.debug(text.trim_end());
                        let room = CAPTURE_LIMIT.saturating_sub(buffer.len());
                        buffer.extend_from_slice(&bytes[..bytes.len().min(room)]);
                    }
                }
            }
            Ok(Message::Eof) => open_streams -= 1,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => open_streams = 0,
        }
        if exited.is_none() {
            match child.try_wait() {
                Ok(Some(status)) => {
                    // Nothing a phase started may outlive it (see the module header).
                    let _ = process_group::signal_group(child.id(), Signal::Kill);
                    exited = Some((status, Instant::now()));
                }
                Ok(None) => {
                    if process_group::termination_requested() {
                        let _ = process_group::stop_group(&mut child, PHASE_GRACE);
                        return Err(RunError::Interrupted);
                    }
                    if deadline.is_some_and(Deadline::passed) {
                        let _ = process_group::stop_group(&mut child, PHASE_GRACE);
                        return Err(RunError::TimedOut);
                    }
                }
                Err(e) => return Err(RunError::CannotWait(e)),
            }
        }
        if let Some((status, at)) = exited
            && (open_streams == 0 || at.elapsed() > DRAIN)
        {
            return Ok(Finished {
                status,
                stdout: captured_out,
                stderr: captured_err,
            });
        }
    }
}

fn spawn_reader(pipe: impl Read + Send + 'static, stream: Stream, tx: mpsc::SyncSender<Message>) {
    std::thread::spawn(move || {
        let mut reader = BufReader::with_capacity(CHUNK, pipe);
        let mut carry = Vec::new();
        while let Some(piece) = read_piece(&mut reader, &mut carry) {
            if tx.send(Message::Data(stream, piece)).is_err() {
                return;
            }
        }
        let _ = tx.send(Message::Eof);
    });
}

/// The next piece of a stream: one line, and the whole lines already read after it, up to
/// [`CHUNK`] bytes (a line longer than that is cut there, before a character the cut would
/// split, whose first bytes are `carry`ied to the next piece). Lines keep the log's stdout and
/// stderr from interleaving mid-line; taking what is already read with them keeps a program
/// printing tiny lines (`yes`) from costing a message each. `None` at the end of the stream.
fn read_piece(reader: &mut BufReader<impl Read>, carry: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut piece = std::mem::take(carry);
    loop {
        let room = (CHUNK - piece.len()) as u64;
        match reader.by_ref().take(room).read_until(b'\n', &mut piece) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        // Go on only while a whole line is already read: waiting for one would hold back
        // the lines in hand.
        if piece.len() >= CHUNK || !piece.ends_with(b"\n") || !reader.buffer().contains(&b'\n') {
            break;
        }
    }
    if piece.len() >= CHUNK && !piece.ends_with(b"\n") {
        let tail = crate::output::lines::incomplete_utf8_tail(&piece);
        if tail < piece.len() {
            *carry = piece.split_off(piece.len() - tail);
        }
    }
    (!piece.is_empty()).then_some(piece)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.arg("-c").arg(script);
        command
    }

    /// A line longer than a piece is cut before a character, never inside one.
    #[test]
    fn long_lines_are_cut_between_characters() {
        // One byte of padding puts a 2-byte character across every 64 KiB boundary.
        let line = format!("x{}\n", "é".repeat(CHUNK));
        let mut reader = BufReader::with_capacity(CHUNK, line.as_bytes());
        let mut carry = Vec::new();
        let mut text = String::new();
        while let Some(piece) = read_piece(&mut reader, &mut carry) {
            assert!(piece.len() <= CHUNK);
            text.push_str(std::str::from_utf8(&piece).unwrap());
        }
        assert_eq!(text, line);
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

    /// The whole lines already read go out as one piece; a last line with no newline goes out
    /// alone, at the end of the stream.
    #[test]
    fn a_piece_is_the_whole_lines_in_hand() {
        let mut reader = BufReader::with_capacity(CHUNK, &b"a\nb\nc"[..]);
        let mut carry = Vec::new();
        assert_eq!(read_piece(&mut reader, &mut carry).unwrap(), b"a\nb\n");
        assert_eq!(read_piece(&mut reader, &mut carry).unwrap(), b"c");
        assert_eq!(read_piece(&mut reader, &mut carry), None);
    }

    /// Pieces of tiny lines (`yes`) fill up to a chunk, and never past it.
    #[test]
    fn tiny_lines_fill_a_piece_up_to_a_chunk() {
        let lines = "y\n".repeat(CHUNK);
        let mut reader = BufReader::with_capacity(CHUNK, lines.as_bytes());
        let mut carry = Vec::new();
        let mut total = 0;
        let mut pieces = 0;
        while let Some(piece) = read_piece(&mut reader, &mut carry) {
            assert!(piece.len() <= CHUNK, "{}", piece.len());
            assert!(piece.ends_with(b"\n"));
            total += piece.len();
            pieces += 1;
        }
        assert_eq!(total, lines.len());
        assert!(pieces <= 4, "{pieces} pieces for {} bytes", lines.len());
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

        let started = Instant::now();
        let result = run(
            sh(&format!("yes | head -c {}; sleep 30", CAPTURE_LIMIT + 2)),
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
