//! Running the manifest's `build:` commands (manifest.md): each with
//! `bash -e -o pipefail -c COMMAND` in the app folder, its stdout and stderr streamed as they
//! come (a line's start shown before its end when the end is slow to come, as on the
//! platform), indented 7 spaces like every detail line; a failure stops staging with the
//! command, its exit code and the tail of its output. Commands come from the manifest only;
//! nothing from the app or a URI is ever put into a command line.
//!
//! Files: `tail` (the last lines kept for a failure).

use std::fmt::Write as _;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::output::Logger;
use crate::output::streamed::Streamed;

use super::staging_env::EnvMap;

mod tail;

pub use tail::TAIL_LINES;
use tail::Tail;

/// Why a build command failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(
        "Could not run build[{index}] {}: cannot start bash; build commands need bash on the PATH",
        shown(.command)
    )]
    CannotStart {
        index: usize,
        command: String,
        #[source]
        source: std::io::Error,
    },
    /// The environment passed to bash is larger than Linux lets a program start with
    /// (`E2BIG`): said as such, naming what made it so, where "cannot start bash; build
    /// commands need bash on the PATH" sent the author looking for bash.
    #[error(
        "Could not run build[{index}] {}: {what}, so bash cannot be started with it (Argument list too long); make that value smaller: a large value belongs in a file, named by a variable",
        shown(.command)
    )]
    EnvironmentTooLarge {
        index: usize,
        command: String,
        /// `BIG holds 200000 bytes, more than …` or the whole environment's size.
        what: String,
    },
    #[error("Could not read the output of build[{index}] {}", shown(.command))]
    CannotRead {
        index: usize,
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", failure_text(*.index, .command, .status, .tail))]
    Failed {
        index: usize,
        command: String,
        /// `exit code 3` or `signal 9`.
        status: String,
        tail: Vec<String>,
    },
}

/// A command as an error quotes it: whole when it is one line; otherwise its first line and how
/// many there are, since the `**ERROR**` line is one line (and the whole command was logged by
/// `Running:` just above it). A block scalar (`|`) is how a longer command is written, as in
/// the templates.
fn shown(command: &str) -> String {
    let command = command.trim();
    let mut lines = command.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    let count = 1 + lines.count();
    if count == 1 {
        format!("`{first}`")
    } else {
        format!("`{first}` (the first of its {count} lines)")
    }
}

fn failure_text(index: usize, command: &str, status: &str, tail: &[String]) -> String {
    let mut text = format!(
        "Build command build[{index}] failed: {} ended with {status}; fix the app or the command in manifest.yml.",
        shown(command)
    );
    if tail.is_empty() {
        text.push_str(" It printed nothing.");
    } else {
        let _ = write!(
            text,
            " The last {} line{} of its output:",
            tail.len(),
            if tail.len() == 1 { "" } else { "s" }
        );
        for line in tail {
            text.push_str("\n  ");
            text.push_str(line);
        }
    }
    text
}

/// Run every command in order in `dir` with exactly `env`; stop at the first failure.
pub fn run_all(
    commands: &[String],
    dir: &Path,
    env: &EnvMap,
    logger: &Logger,
) -> Result<(), BuildError> {
    for (index, command) in commands.iter().enumerate() {
        // An empty item (`- ` alone) is kept in the list so that indices are the manifest's;
        // validation warns about it, and there is nothing to run.
        if command.trim().is_empty() {
            continue;
        }
        // A block scalar (`|`) ends in a newline, which would log an empty detail line.
        logger.step(&format!("Running: {}", command.trim_end()));
        run_one(index, command, dir, env, logger)?;
    }
    Ok(())
}

/// After bash exits, how long the rest of its output is still read: a process it left
/// running in the background (`server &`, a daemon) keeps the pipe open, and waiting for the
/// pipe's end would hold staging until the platform's timeout.
const DRAIN: Duration = Duration::from_secs(2);

/// How often the wait for bash looks at it while the command prints nothing.
const POLL: Duration = Duration::from_millis(20);

fn run_one(
    index: usize,
    command: &str,
    dir: &Path,
    env: &EnvMap,
    logger: &Logger,
) -> Result<(), BuildError> {
    let cannot_start = |source: std::io::Error| {
        if source.raw_os_error() == Some(libc::E2BIG) {
            return BuildError::EnvironmentTooLarge {
                index,
                command: command.to_string(),
                what: too_large(env),
            };
        }
        BuildError::CannotStart {
            index,
            command: command.to_string(),
            source,
        }
    };
    let cannot_read = |source| BuildError::CannotRead {
        index,
        command: command.to_string(),
        source,
    };
    // One pipe for both streams keeps their lines in the order the command wrote them.
    let (reader, writer) = std::io::pipe().map_err(cannot_start)?;
    let mut child = {
        let mut bash = Command::new("bash");
        bash.args(["-e", "-o", "pipefail", "-c", command])
            .current_dir(dir)
            .env_clear()
            .envs(env)
            .stdin(Stdio::null())
            .stdout(writer.try_clone().map_err(cannot_start)?)
            .stderr(writer);
        crate::process_group::restore_signals(&mut bash);
        bash.spawn().map_err(cannot_start)?
        // `bash` is dropped here, closing this process's copies of the pipe's write end, so
        // reading ends when the command (and anything it left running) closes its own.
    };
    // Read on another thread, so this one can see bash exit while something it left running
    // still holds the pipe open (and goes on writing to it, or not).
    let mut output = Streamed::start(reader);
    let mut tail = Tail::default();
    let mut show = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        logger.output(&text);
        tail.push(&text);
    };
    let mut exited: Option<(ExitStatus, Instant)> = None;
    let status = loop {
        if let Err(e) = output.poll(POLL, &mut show) {
            let _ = child.wait();
            logger.end_line();
            return Err(cannot_read(e));
        }
        if !output.is_open() {
            break child.wait().map_err(cannot_read)?;
        }
        match exited {
            None => {
                if let Some(status) = child.try_wait().map_err(cannot_read)? {
                    exited = Some((status, Instant::now()));
                }
            }
            Some((status, at)) if at.elapsed() >= DRAIN => {
                output.flush(&mut show);
                logger.warning(&format!(
                    "build[{index}] {} has ended, but a process it left running still holds its output open; staging goes on without it (what it prints is no longer shown): end such a process in the command, or send its output to a file",
                    shown(command)
                ));
                break status;
            }
            Some(_) => {}
        }
    };
    // Its last line may have had no line break: what comes next starts a line of its own.
    logger.end_line();
    if status.success() {
        return Ok(());
    }
    Err(BuildError::Failed {
        index,
        command: command.to_string(),
        status: describe(status),
        tail: tail.finish(),
    })
}

/// The most one variable (`NAME=value` and its NUL) may hold when a program starts on Linux
/// (`MAX_ARG_STRLEN`, 32 pages of 4 KiB).
const VARIABLE_LIMIT: usize = 32 * 4096;

/// What made `env` too large to start a program with: its largest variable when that alone is
/// over [`VARIABLE_LIMIT`], else the whole.
fn too_large(env: &EnvMap) -> String {
    let size =
        |(name, value): (&std::ffi::OsString, &std::ffi::OsString)| name.len() + value.len() + 2;
    let largest = env.iter().max_by_key(|&pair| size(pair));
    match largest {
        Some(pair @ (name, value)) if size(pair) > VARIABLE_LIMIT => format!(
            "the build environment's {} holds {} bytes, more than the {VARIABLE_LIMIT} Linux lets one variable hold",
            name.to_string_lossy(),
            value.len()
        ),
        _ => format!(
            "the build environment's {} variables hold {} bytes together, more than Linux lets a program start with",
            env.len(),
            env.iter().map(size).sum::<usize>()
        ),
    }
}

fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("signal {signal}"),
        (None, None) => "an unknown status".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    fn env() -> EnvMap {
        std::env::vars_os()
            .filter(|(k, _)| k == "PATH")
            .chain([("GREETING".into(), "hi there".into())])
            .collect()
    }

    #[test]
    fn streams_output_in_order_and_indents_it() {
        let (logger, out) = Logger::capture();
        let dir = tempfile::tempdir().unwrap();
        run_all(
            &[
                "echo \"$GREETING\"; echo err >&2; echo back".into(),
                "pwd > where; printf 'no newline'".into(),
                "echo one\necho two\n".into(),
            ],
            dir.path(),
            &env(),
            &logger,
        )
        .unwrap();
        assert_eq!(
            out.text(),
            "-----> Running: echo \"$GREETING\"; echo err >&2; echo back\n       hi there\n       err\n       back\n-----> Running: pwd > where; printf 'no newline'\n       no newline\n-----> Running: echo one\n       echo two\n       one\n       two\n"
        );
        let pwd = std::fs::read_to_string(dir.path().join("where")).unwrap();
        assert_eq!(
            Path::new(pwd.trim()).canonicalize().unwrap(),
            dir.path().canonicalize().unwrap()
        );
    }

    #[test]
    fn failures_show_command_status_and_tail() {
        let (logger, _) = Logger::capture();
        let dir = tempfile::tempdir().unwrap();
        let err = run_all(
            &["true".into(), "seq 1 30; exit 3".into()],
            dir.path(),
            &env(),
            &logger,
        )
        .unwrap_err();
        let text = err.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "Build command build[1] failed: `seq 1 30; exit 3` ended with exit code 3; fix the app or the command in manifest.yml. The last 20 lines of its output:"
        );
        assert_eq!(lines[1], "  11");
        assert_eq!(lines[20], "  30");
        // -e and pipefail: a failing stage of a pipeline stops the command.
        let err = run_all(
            &["false | true; echo not reached".into()],
            dir.path(),
            &env(),
            &logger,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Build command build[0] failed: `false | true; echo not reached` ended with exit code 1; fix the app or the command in manifest.yml. It printed nothing."
        );
        let err = run_all(&["kill -9 $$".into()], dir.path(), &env(), &logger).unwrap_err();
        assert!(err.to_string().contains("ended with signal 9"), "{err}");
    }

    /// A command that leaves a process running in the background holding its output open
    /// (`server &`) used to hold finalize until that process ended, which for a server is
    /// never: staging hung until the platform's timeout. Its output is read for a short while
    /// after bash exits, then staging goes on with a warning.
    #[test]
    fn a_process_left_running_holding_the_output_does_not_hold_the_build() {
        let (logger, out) = Logger::capture();
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let result = run_all(
            &[
                "sleep 60 & echo $! > pid; echo started".into(),
                "echo next".into(),
            ],
            dir.path(),
            &env(),
            &logger,
        );
        let elapsed = started.elapsed();
        let pid = std::fs::read_to_string(dir.path().join("pid")).unwrap();
        let _ = Command::new("kill").arg(pid.trim()).status();
        result.unwrap();
        assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
        assert_eq!(
            out.text(),
            "-----> Running: sleep 60 & echo $! > pid; echo started\n       started\n       **WARNING** build[0] `sleep 60 & echo $! > pid; echo started` has ended, but a process it left running still holds its output open; staging goes on without it (what it prints is no longer shown): end such a process in the command, or send its output to a file\n-----> Running: echo next\n       next\n"
        );
    }

    /// A variable too large to start a program with (an earlier buildpack's `env/` file of
    /// 200 KB) was reported as "cannot start bash; build commands need bash on the PATH".
    #[test]
    fn an_environment_too_large_to_start_bash_names_the_variable() {
        let (logger, _) = Logger::capture();
        let dir = tempfile::tempdir().unwrap();
        let mut big = env();
        big.insert("BIG".into(), "a".repeat(200_000).into());
        let err = run_all(&["echo hi".into()], dir.path(), &big, &logger).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Could not run build[0] `echo hi`: the build environment's BIG holds 200000 bytes, more than the 131072 Linux lets one variable hold, so bash cannot be started with it (Argument list too long); make that value smaller: a large value belongs in a file, named by a variable"
        );
        let mut many = env();
        for i in 0..100 {
            many.insert(format!("V{i}").into(), "a".repeat(100_000).into());
        }
        let err = run_all(&["echo hi".into()], dir.path(), &many, &logger).unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "Could not run build[0] `echo hi`: the build environment's {} variables hold ",
                many.len()
            )),
            "{err}"
        );
    }

    /// A variable is too large when `NAME=value` and its NUL are over Linux's `MAX_ARG_STRLEN`
    /// (with 4 KiB pages): one of exactly that size starts bash, and is not the one the error
    /// names; the whole's size counts the `=` and the NUL of each variable too.
    #[test]
    fn a_variable_is_too_large_only_past_the_limit_linux_sets() {
        // `A=` and the NUL take 3 bytes of the limit.
        let sized = |extra: usize| -> EnvMap {
            [("A".into(), "a".repeat(VARIABLE_LIMIT - 3 + extra).into())]
                .into_iter()
                .collect()
        };
        let (logger, _) = Logger::capture();
        let dir = tempfile::tempdir().unwrap();
        let mut at_limit = env();
        at_limit.extend(sized(0));
        run_all(&["true".into()], dir.path(), &at_limit, &logger).unwrap();
        let mut over = env();
        over.extend(sized(1));
        let err = run_all(&["true".into()], dir.path(), &over, &logger).unwrap_err();
        assert!(
            err.to_string()
                .contains("the build environment's A holds 131070 bytes, more than the 131072"),
            "{err}"
        );
        // What a failure says of a variable exactly at the limit, as when others make the
        // whole too large with it.
        assert_eq!(
            too_large(&sized(0)),
            "the build environment's 1 variables hold 131072 bytes together, more than Linux lets a program start with"
        );
        assert_eq!(
            too_large(&sized(1)),
            "the build environment's A holds 131070 bytes, more than the 131072 Linux lets one variable hold"
        );
    }

    /// A command printing faster than the log is written waits for it: with an unbounded
    /// queue between the reading thread and the log, its whole output piled up in memory.
    #[test]
    fn a_command_faster_than_the_log_waits_for_it() {
        struct SlowLog {
            marker: std::path::PathBuf,
            done_while_stalled: Arc<AtomicBool>,
            stalled: bool,
        }
        impl std::io::Write for SlowLog {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                // At the command's first line of output (not at the `Running:` step).
                if !self.stalled && buf.starts_with(b"       ") {
                    self.stalled = true;
                    std::thread::sleep(Duration::from_millis(1500));
                    self.done_while_stalled
                        .store(self.marker.exists(), Ordering::SeqCst);
                }
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let done_while_stalled = Arc::new(AtomicBool::new(false));
        let logger = Logger::new(
            Box::new(SlowLog {
                marker: dir.path().join("done"),
                done_while_stalled: Arc::clone(&done_while_stalled),
                stalled: false,
            }),
            false,
            false,
        );
        // 200000 lines: more than the pipe holds, far fewer than a thread reads in 1.5 s.
        run_all(
            &["seq 1 200000; touch done".into()],
            dir.path(),
            &env(),
            &logger,
        )
        .unwrap();
        assert!(dir.path().join("done").exists());
        assert!(!done_while_stalled.load(Ordering::SeqCst));
    }

    /// A failure repeats the end of each of its last lines no longer than [`TAIL_LINE_CHARS`]:
    /// a tool failing as it prints a minified file put a megabyte into the one error entry.
    #[test]
    fn a_failure_repeats_long_lines_cut() {
        let (logger, out) = Logger::capture();
        let dir = tempfile::tempdir().unwrap();
        let err = run_all(
            &["printf 'é%.0s' $(seq 1 1000); echo; echo short; exit 2".into()],
            dir.path(),
            &env(),
            &logger,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err.lines().skip(1).collect::<Vec<_>>(),
            [
                format!("  {}… (500 more characters)", "é".repeat(500)).as_str(),
                "  short"
            ]
        );
        // The log shows the line whole.
        assert!(
            out.text()
                .contains(&format!("       {}\n", "é".repeat(1000)))
        );
    }

    /// One write of a logger, and when it was made.
    type Write = (Instant, Vec<u8>);

    /// What a logger wrote.
    #[derive(Clone, Default)]
    struct Writes(Arc<std::sync::Mutex<Vec<Write>>>);

    impl std::io::Write for Writes {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().push((Instant::now(), buf.to_vec()));
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Writes {
        fn logger(&self) -> Logger {
            Logger::new(Box::new(self.clone()), false, false)
        }

        fn taken(&self) -> Vec<Write> {
            std::mem::take(&mut self.0.lock().unwrap())
        }
    }

    /// Output without a line break (a minified file, a progress bar redrawn with `\r`) was
    /// held in memory whole until the command ended; it is shown as it comes, in pieces of at
    /// most a read, on one line of the log as the command wrote it.
    #[test]
    fn a_line_without_end_is_shown_in_pieces_on_one_line() {
        use crate::output::held::CHUNK;
        let writes = Writes::default();
        let dir = tempfile::tempdir().unwrap();
        run_all(
            &["head -c 200000 /dev/zero | tr '\\0' a".into()],
            dir.path(),
            &env(),
            &writes.logger(),
        )
        .unwrap();
        let writes = writes.taken();
        let text: Vec<u8> = writes.iter().flat_map(|(_, bytes)| bytes.clone()).collect();
        let text = String::from_utf8(text).unwrap();
        let mut lines = text.lines().skip(1);
        assert_eq!(
            lines.next(),
            Some(format!("       {}", "a".repeat(200_000)).as_str())
        );
        assert_eq!(lines.next(), None);
        // The `Running:` step, then the output in at least 2 pieces, none longer than what is
        // held (less than a read) and a read, and the indent.
        assert!(writes.len() >= 3, "{} writes", writes.len());
        assert!(writes.iter().all(|(_, bytes)| bytes.len() < 2 * CHUNK + 7));
    }

    /// A command that prints the start of a line and then works (`Installing... `, a prompt
    /// before it hangs) has that start shown while it works, as on the platform, not with the
    /// line's end; what comes next in the log starts a line of its own.
    #[test]
    fn a_line_start_is_shown_while_the_command_works() {
        let writes = Writes::default();
        let dir = tempfile::tempdir().unwrap();
        run_all(
            &[
                "printf 'Installing... '; sleep 1; echo done; printf 'no end'".into(),
                "true".into(),
            ],
            dir.path(),
            &env(),
            &writes.logger(),
        )
        .unwrap();
        let writes = writes.taken();
        let shown: Vec<String> = writes
            .iter()
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .collect();
        let start = shown
            .iter()
            .position(|text| text == "       Installing... ");
        let end = shown.iter().position(|text| text.starts_with("done\n"));
        let (Some(start), Some(end)) = (start, end) else {
            panic!("{shown:?}");
        };
        let waited = writes[end].0.duration_since(writes[start].0);
        assert!(waited >= Duration::from_millis(500), "{waited:?} {shown:?}");
        assert_eq!(
            shown.concat(),
            "-----> Running: printf 'Installing... '; sleep 1; echo done; printf 'no end'\n       Installing... done\n       no end\n-----> Running: true\n"
        );
    }

    /// A long line of text is cut between characters: a 2-byte `é` across the 64 KiB mark
    /// showed as U+FFFD on both sides of the cut.
    #[test]
    fn a_line_without_end_is_cut_between_characters() {
        let (logger, out) = Logger::capture();
        let dir = tempfile::tempdir().unwrap();
        run_all(
            &["awk 'BEGIN { printf \"x\"; for (i = 0; i < 70000; i++) printf \"é\" }'".into()],
            dir.path(),
            &env(),
            &logger,
        )
        .unwrap();
        let text = out.text();
        assert!(!text.contains('\u{fffd}'));
        // The first line names the command, which holds one `é` of its own.
        let output: usize = text.lines().skip(1).map(|l| l.matches('é').count()).sum();
        assert_eq!(output, 70_000);
    }

    #[test]
    fn a_failed_block_command_is_named_by_its_first_line() {
        // The templates' build commands are block scalars of a dozen lines: the error line
        // quotes the first, not all of them (the `Running:` step above shows them whole).
        let (logger, out) = Logger::capture();
        let dir = tempfile::tempdir().unwrap();
        let command = "web=$(cat Procfile 2>/dev/null || true)\nif [ -z \"$web\" ]; then\n  echo no web >&2\n  exit 4\nfi\n";
        let err = run_all(&[command.into()], dir.path(), &env(), &logger).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Build command build[0] failed: `web=$(cat Procfile 2>/dev/null || true)` (the first of its 5 lines) ended with exit code 4; fix the app or the command in manifest.yml. The last 1 line of its output:\n  no web"
        );
        assert!(
            out.text().contains("       if [ -z \"$web\" ]; then\n"),
            "{}",
            out.text()
        );
    }
}
