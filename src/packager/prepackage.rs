//! `pre_package` (packager.md, "Which files go in"): the command runs through `sh -c` in a
//! temporary copy of the buildpack, never in the user's tree, with its output streamed
//! indented as it arrives; a failure stops packaging with the command's exit code.
//!
//! The command leads its own process group, as the stager's phases do ([`process_group`]): when
//! bpkit is interrupted (Ctrl-C, SIGTERM, SIGHUP, caught for the whole run) the command and
//! everything it started get SIGTERM, then SIGKILL after [`STOP_GRACE`], and bpkit waits for
//! them before it cleans up and exits. (In bpkit's own group, only a Ctrl-C typed at the
//! terminal would reach it: a SIGTERM sent to bpkit would not, and bpkit could not pass it on
//! without signalling itself.)
//!
//! Nothing the command starts outlives it, as nothing a staging phase starts does
//! ([`crate::stager`]): once the shell exits, what is left of its group is killed, and what left
//! the group (`setsid`, a daemon's double fork) is stopped too when `bpkit package` adopted
//! orphans ([`process_group::adopt_orphans`]; the CLI does, a test binary calling in-process
//! must not). Its output is read for at most 2 s more (`DRAIN`): such a process may hold the pipe
//! open long after the shell is gone.
//!
//! The copy keeps symlinks as links: one that stays inside the tree is rewritten relative (so it
//! still points inside the copy), one that points outside is rewritten to its absolute target
//! (a relative `../../x` would otherwise point somewhere else from the temporary folder).

use std::fs;
use std::io;
use std::os::unix::fs::symlink;
use std::os::unix::process::CommandExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::select::is_own_output_at_top;
use crate::output::Logger;
use crate::output::streamed::Streamed;
use crate::process_group::{self, POLL, STOP_GRACE, Signal};
use crate::scratch::ScratchDir;

/// Why `pre_package` could not run or failed.
#[derive(Debug, thiserror::Error)]
pub enum PrePackageError {
    #[error("cannot copy {} to a temporary folder for pre_package: {cause}", path.display())]
    CannotCopy { path: PathBuf, cause: io::Error },
    #[error(transparent)]
    Scratch(#[from] crate::scratch::ScratchError),
    #[error("cannot run pre_package `{command}` with sh: {cause}")]
    CannotStart { command: String, cause: io::Error },
    #[error(
        "pre_package `{command}` failed with exit code {code} (it ran in a temporary copy of {}); fix it, or run it by hand there to see why",
        source_dir.display()
    )]
    Failed {
        command: String,
        code: i32,
        source_dir: PathBuf,
    },
    /// The Go packager reads the manifest it packages after `pre_package` has run; bpkit reads
    /// it before (to check stacks and defaults and plan the downloads before running anything),
    /// so a change would be lost without a word.
    #[error(
        "pre_package `{command}` changed manifest.yml, and bpkit packages {} as it was before pre_package ran; make pre_package leave manifest.yml alone, or write the manifest before running bpkit package",
        manifest.display()
    )]
    ChangedManifest { command: String, manifest: PathBuf },
    /// The Go packager zips the copy pre_package ran in, VERSION as the command left it;
    /// bpkit names the zip and writes its VERSION from the version decided before, so a
    /// change was dropped without a word (the zip shipped the version before it).
    #[error(
        "pre_package `{command}` changed VERSION, and bpkit packages version {version}, read before pre_package ran (the zip's name holds it too); make pre_package leave VERSION alone, or write VERSION (or pass --version) before running bpkit package"
    )]
    ChangedVersion { command: String, version: String },
    /// bpkit was interrupted while the command ran; it was stopped and waited for.
    #[error("pre_package `{command}` was stopped: bpkit was interrupted")]
    Interrupted { command: String },
    #[error(
        "pre_package `{command}` was killed by signal {signal} (it ran in a temporary copy of {})",
        source_dir.display()
    )]
    Killed {
        command: String,
        signal: i32,
        source_dir: PathBuf,
    },
}

impl PrePackageError {
    /// The command's own exit code, which `bpkit package` exits with.
    pub fn exit_code(&self) -> Option<i32> {
        match self {
            PrePackageError::Failed { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// Copy `source` into a new temporary folder, leaving out `.git`, the folders in `skip`
/// (absolute, canonical: a cache or output folder inside the tree) and, when `drop_outputs`
/// (no `include_files`, which may list any file), earlier output zips at its top.
pub fn copy_tree(
    source: &Path,
    skip: &[PathBuf],
    drop_outputs: bool,
) -> Result<TreeCopy, PrePackageError> {
    let root = fs::canonicalize(source).map_err(|cause| PrePackageError::CannotCopy {
        path: source.to_path_buf(),
        cause,
    })?;
    let scratch = ScratchDir::create("bpkit-package-")?;
    // The tree goes one level down: the scratch folder's lock file must not be packaged.
    let tree = scratch.path().join("tree");
    fs::create_dir(&tree).map_err(|cause| PrePackageError::CannotCopy {
        path: tree.clone(),
        cause,
    })?;
    // A TMPDIR inside the buildpack (`TMPDIR=$PWD/tmp` in CI) holds the copy, which must not
    // copy itself: it did, a level deeper each time, until the path was too long for the
    // system (`File name too long`, after a message of thousands of characters).
    let mut skip = skip.to_vec();
    if let Ok(own) = fs::canonicalize(scratch.path())
        && own.starts_with(&root)
    {
        skip.push(own);
    }
    copy_dir(&root, &root, &tree, (&skip, drop_outputs))?;
    Ok(TreeCopy {
        _scratch: scratch,
        tree,
    })
}

/// A copy of a buildpack's tree in a scratch folder of the system temp folder, removed when
/// dropped, or by a later run when the process was killed ([`ScratchDir`]).
#[derive(Debug)]
pub struct TreeCopy {
    _scratch: ScratchDir,
    tree: PathBuf,
}

impl TreeCopy {
    /// The copied tree.
    pub fn path(&self) -> &Path {
        &self.tree
    }
}

fn copy_dir(
    root: &Path,
    from: &Path,
    to: &Path,
    (skip, drop_outputs): (&[PathBuf], bool),
) -> Result<(), PrePackageError> {
    let error = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| PrePackageError::CannotCopy { path, cause }
    };
    for entry in fs::read_dir(from).map_err(error(from))? {
        // A Ctrl-C while a large tree is copied stops the copy, not only `pre_package`.
        process_group::check_termination().map_err(error(from))?;
        let entry = entry.map_err(error(from))?;
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        let path = entry.path();
        let dest = to.join(&name);
        let kind = entry.file_type().map_err(error(&path))?;
        // bpkit's own outputs only at the top, where they are written (select/exclude.rs says why).
        if name_text == ".git"
            || (drop_outputs
                && from == root
                && (kind.is_file() || kind.is_dir())
                && is_own_output_at_top(&name_text, kind.is_dir()))
            || skip.iter().any(|s| s == &path)
        {
            continue;
        }
        if kind.is_symlink() {
            let text = fs::read_link(&path).map_err(error(&path))?;
            let target = match fs::canonicalize(&path) {
                Ok(canonical) => match canonical.strip_prefix(root) {
                    Ok(inside) => {
                        let link = path.strip_prefix(root).unwrap_or(&path);
                        PathBuf::from(super::select::relative_link(
                            &link.to_string_lossy(),
                            &inside.to_string_lossy(),
                        ))
                    }
                    Err(_) => canonical,
                },
                // Dangling: copied as it is; selection reports it if it is packaged.
                Err(_) => text,
            };
            symlink(&target, &dest).map_err(error(&dest))?;
        } else if kind.is_dir() {
            fs::create_dir(&dest).map_err(error(&dest))?;
            copy_dir(root, &path, &dest, (skip, drop_outputs))?;
            let permissions = fs::metadata(&path).map_err(error(&path))?.permissions();
            fs::set_permissions(&dest, permissions).map_err(error(&dest))?;
        } else if kind.is_file() {
            copy_file(&path, &dest).map_err(error(&path))?;
        }
    }
    Ok(())
}

/// Copy one file with its mode, in chunks (`copy_file_range` within each, as `fs::copy` uses),
/// so that a Ctrl-C stops a multi-gigabyte file within one chunk.
fn copy_file(from: &Path, to: &Path) -> io::Result<()> {
    let mut source = fs::File::open(from)?;
    let permissions = source.metadata()?.permissions();
    let mut copy = fs::File::create(to)?;
    crate::stoppable::copy_in_chunks(
        &mut source,
        &mut copy,
        crate::stoppable::CHUNK,
        &mut process_group::check_termination,
    )?;
    copy.set_permissions(permissions)
}

/// After the shell exits, how long its output is still read (a daemon it started in another
/// session could keep the pipe open forever).
const DRAIN: Duration = Duration::from_secs(2);

/// Run `command` with `sh -c` in `dir`, streaming its output (stdout and stderr, in order)
/// through `logger`. `source_dir` is the user's tree, for messages. When bpkit is interrupted
/// meanwhile, the command's process group is stopped; whatever it leaves running is stopped
/// when it exits (see the module header).
pub fn run(
    command: &str,
    dir: &Path,
    source_dir: &Path,
    logger: &Logger,
) -> Result<(), PrePackageError> {
    let result = run_group(command, dir, source_dir, logger);
    match process_group::stop_adopted(STOP_GRACE) {
        0 => {}
        1 => logger.detail("Stopped 1 process pre_package left running outside its process group"),
        n => logger.detail(&format!(
            "Stopped {n} processes pre_package left running outside its process group"
        )),
    }
    result
}

fn run_group(
    command: &str,
    dir: &Path,
    source_dir: &Path,
    logger: &Logger,
) -> Result<(), PrePackageError> {
    let cannot_start = |cause| PrePackageError::CannotStart {
        command: command.to_string(),
        cause,
    };
    let (reader, writer) = io::pipe().map_err(cannot_start)?;
    let mut child = {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(command)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(writer.try_clone().map_err(cannot_start)?)
            .stderr(writer)
            .process_group(0);
        crate::process_group::restore_signals(&mut cmd);
        // The Command (holding our copies of the pipe's write end) is dropped at the end of
        // this block, so the reader sees end of file when the child exits.
        cmd.spawn().map_err(cannot_start)?
    };
    // Read on another thread, so this one can look for an interruption while the command is
    // silent (a signal caught with SA_RESTART does not end a blocked read), in bounded pieces
    // through a bounded queue, so memory stays small however long a line the command writes
    // or however slowly the log is written.
    let mut output = Streamed::start(reader);
    let mut show = |bytes: &[u8]| logger.output(&String::from_utf8_lossy(bytes));
    let mut exited: Option<(std::process::ExitStatus, Instant)> = None;
    let status = loop {
        // A read error ends the output as its end does: there is nothing more to show.
        let _ = output.poll(POLL, &mut show);
        if exited.is_none() {
            if let Some(status) = child.try_wait().map_err(cannot_start)? {
                // Nothing it started in its group outlives it (see the module header).
                let _ = process_group::signal_group(child.id(), Signal::Kill);
                exited = Some((status, Instant::now()));
            } else if process_group::termination_requested() {
                let _ = process_group::stop_group(&mut child, STOP_GRACE);
                output.flush(&mut show);
                logger.end_line();
                return Err(PrePackageError::Interrupted {
                    command: command.to_string(),
                });
            }
        }
        // Then the rest of its output, for a bounded time.
        if let Some((status, at)) = exited
            && (!output.is_open() || at.elapsed() > DRAIN)
        {
            output.flush(&mut show);
            break status;
        }
    };
    // Its last line may have had no line break: what comes next starts a line of its own.
    logger.end_line();
    match (status.code(), status.signal()) {
        (Some(0), _) => Ok(()),
        (Some(code), _) => Err(PrePackageError::Failed {
            command: command.to_string(),
            code,
            source_dir: source_dir.to_path_buf(),
        }),
        (None, signal) => Err(PrePackageError::Killed {
            command: command.to_string(),
            signal: signal.unwrap_or_default(),
            source_dir: source_dir.to_path_buf(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_the_tree_with_links_rewritten() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("shared"), "s").unwrap();
        let src = tempfile::tempdir().unwrap();
        fs::create_dir_all(src.path().join("bin")).unwrap();
        fs::create_dir_all(src.path().join(".git")).unwrap();
        fs::write(src.path().join("bin/bpkit"), "#!/bin/sh\n").unwrap();
        let mode = |path: &Path| {
            use std::os::unix::fs::PermissionsExt;
            fs::metadata(path).unwrap().permissions().mode() & 0o7777
        };
        fs::set_permissions(
            src.path().join("bin/bpkit"),
            std::os::unix::fs::PermissionsExt::from_mode(0o751),
        )
        .unwrap();
        fs::write(src.path().join("x_buildpack-v1.zip"), "old").unwrap();
        fs::write(src.path().join("bin/y_buildpack-v1.zip"), "fixture").unwrap();
        symlink("bpkit", src.path().join("bin/detect")).unwrap();
        symlink(outside.path().join("shared"), src.path().join("shared")).unwrap();
        let copy = copy_tree(src.path(), &[], true).unwrap();
        assert_eq!(
            fs::read_link(copy.path().join("bin/detect")).unwrap(),
            Path::new("bpkit")
        );
        assert_eq!(fs::read_to_string(copy.path().join("shared")).unwrap(), "s");
        // Files keep their contents and mode.
        assert_eq!(
            fs::read_to_string(copy.path().join("bin/bpkit")).unwrap(),
            "#!/bin/sh\n"
        );
        assert_eq!(mode(&copy.path().join("bin/bpkit")), 0o751);
        assert!(!copy.path().join(".git").exists());
        assert!(!copy.path().join("x_buildpack-v1.zip").exists());
        assert!(copy.path().join("bin/y_buildpack-v1.zip").exists());
        // include_files may list it: then it is copied.
        let copy = copy_tree(src.path(), &[], false).unwrap();
        assert!(copy.path().join("x_buildpack-v1.zip").exists());
        // A folder to skip (the cache or output folder inside the tree) is left out, and only
        // it.
        let skip = fs::canonicalize(src.path()).unwrap().join("bin");
        let copy = copy_tree(src.path(), &[skip], true).unwrap();
        assert!(!copy.path().join("bin").exists());
        assert_eq!(fs::read_to_string(copy.path().join("shared")).unwrap(), "s");
    }

    #[test]
    fn streams_output_and_reports_the_exit_code() {
        let dir = tempfile::tempdir().unwrap();
        let (logger, out) = Logger::capture();
        run(
            "echo one; echo two >&2; touch made",
            dir.path(),
            dir.path(),
            &logger,
        )
        .unwrap();
        assert_eq!(out.text(), "       one\n       two\n");
        assert!(dir.path().join("made").exists());
        // Ended or not, a line goes on as it is.
        let (logger, out) = Logger::capture();
        run("printf 'a\\r\\nb'", dir.path(), dir.path(), &logger).unwrap();
        assert_eq!(out.text(), "       a\n       b\n");
        let err = run("exit 3", dir.path(), Path::new("/src"), &logger).unwrap_err();
        assert_eq!(err.exit_code(), Some(3));
        assert_eq!(
            err.to_string(),
            "pre_package `exit 3` failed with exit code 3 (it ran in a temporary copy of /src); fix it, or run it by hand there to see why"
        );
    }

    /// What the command left holding its output (outside its process group, where nothing is
    /// killed when it exits) is read until it closes the output, and for [`DRAIN`] at most.
    /// Each command waits for its daemon to be out of the group (`setsid` run) before it exits,
    /// or the daemon could be killed with the group first.
    #[test]
    fn output_after_the_command_exits_is_read_for_a_bounded_time() {
        let dir = tempfile::tempdir().unwrap();
        let (logger, out) = Logger::capture();
        let started = Instant::now();
        run(
            "setsid sh -c 'touch out; sleep 0.2; echo late' & until [ -e out ]; do sleep 0.01; done; echo early",
            dir.path(),
            dir.path(),
            &logger,
        )
        .unwrap();
        assert_eq!(out.text(), "       early\n       late\n");
        assert!(started.elapsed() < DRAIN, "{:?}", started.elapsed());

        let pid = dir.path().join("pid");
        let (logger, out) = Logger::capture();
        let started = Instant::now();
        run(
            "setsid sh -c 'echo $$ > pid.part; mv pid.part pid; exec sleep 30' & until [ -e pid ]; do sleep 0.01; done; echo early",
            dir.path(),
            dir.path(),
            &logger,
        )
        .unwrap();
        let took = started.elapsed();
        if let Ok(pid) = fs::read_to_string(&pid) {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
        assert_eq!(out.text(), "       early\n");
        assert!(took >= DRAIN && took < DRAIN * 3, "{took:?}");
    }

    /// A line without a line break (`head -c 50M | tr`) was held whole until it ended (a 50 MB
    /// line took ~114 MB); it is shown as it comes, in pieces (as the build commands' output),
    /// on one line of the log, and what comes next starts a line of its own.
    #[test]
    fn a_line_without_end_is_shown_on_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let (logger, out) = Logger::capture();
        run(
            "head -c 200000 /dev/zero | tr '\\0' a",
            dir.path(),
            dir.path(),
            &logger,
        )
        .unwrap();
        logger.step("next");
        assert_eq!(
            out.text(),
            format!("       {}\n-----> next\n", "a".repeat(200_000))
        );
    }
}
