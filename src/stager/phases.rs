//! Running a buildpack's `bin/*` programs for the staging ([`Phases`]): in the platform's
//! staging environment, from the workspace root, under the staging deadline, with stdout into
//! the log or captured; and what each outcome means for the staging. A program that failed is
//! the buildpack's failure, told in the builder's words; an interruption or the deadline ends
//! the staging. Running one program (process group, streams, timeout) is [`run_phase`]'s.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::deadline::Deadline;
use super::env;
use super::error::StageError;
use super::run_phase::{self, Finished, PhaseFailure, RunError, Sink};
use crate::output::Logger;
use crate::process_group::SpawnError;

/// Runs buildpack programs with the staging environment.
pub(super) struct Phases<'a> {
    pub(super) env: &'a env::Environment,
    pub(super) logger: &'a Logger,
    pub(super) cwd: PathBuf,
    pub(super) deadline: Option<Deadline>,
}

impl Phases<'_> {
    fn command(&self, program: &Path, args: &[&OsStr]) -> Command {
        let mut command = Command::new(program);
        self.env.apply(&mut command);
        command.args(args).current_dir(&self.cwd);
        command
    }

    /// Run with stdout into the log. `Ok(Err(cause))` when it failed, with Go's words for why
    /// (`exit status 1`, `fork/exec …: permission denied`).
    pub(super) fn run(
        &self,
        program: &Path,
        args: &[&OsStr],
        stdout: Sink<'_>,
    ) -> Result<Result<(), PhaseFailure>, StageError> {
        self.logger.debug(&format!("Running {}", program.display()));
        if let Some(failure) = not_executable_format(program) {
            return Ok(Err(failure));
        }
        let ran = run_phase::run(
            self.command(program, args),
            stdout,
            Sink::Log,
            self.logger,
            self.deadline,
        );
        Ok(self.outcome(ran)?.map(|_| ()))
    }

    /// Run with stdout captured (detect, release): `Ok(stdout)`, as bytes (release's must be
    /// UTF-8 YAML, detect's is only a name), or `Err(cause)` in Go's words, or
    /// [`PhaseFailure::TooMuchOutput`] when it printed past [`run_phase::CAPTURE_LIMIT`].
    pub(super) fn run_capturing(
        &self,
        program: &Path,
        args: &[&OsStr],
    ) -> Result<Result<Vec<u8>, PhaseFailure>, StageError> {
        self.logger.debug(&format!("Running {}", program.display()));
        if let Some(failure) = not_executable_format(program) {
            return Ok(Err(failure));
        }
        let ran = run_phase::run(
            self.command(program, args),
            Sink::Capture,
            Sink::Log,
            self.logger,
            self.deadline,
        );
        Ok(self.outcome(ran)?.map(|finished| finished.stdout))
    }

    /// A program that failed (exited non-zero, or could not be started) is the buildpack's
    /// failure, which the builder reports in its words; an interruption, the deadline or a
    /// failed wait ends the staging.
    fn outcome(
        &self,
        ran: Result<Finished, RunError>,
    ) -> Result<Result<Finished, PhaseFailure>, StageError> {
        match ran {
            Ok(finished) if finished.status.success() => Ok(Ok(finished)),
            Ok(finished) => Ok(Err(PhaseFailure::Exited(finished.status))),
            Err(RunError::CannotSpawn(e)) => Ok(Err(PhaseFailure::CannotStart(e))),
            Err(RunError::TooMuchOutput { limit }) => {
                Ok(Err(PhaseFailure::TooMuchOutput { limit }))
            }
            Err(RunError::Interrupted) => Err(StageError::Interrupted),
            Err(RunError::TimedOut) => {
                Err(StageError::TimedOut(self.deadline.map_or(0, |d| d.secs)))
            }
            Err(RunError::CannotWait(e)) => Err(StageError::CannotWaitForPhase(e)),
        }
    }
}

/// Whether `head`, the first 20 bytes of an ELF file, names a machine (`e_machine`) other
/// than the one bpkit runs on. False when bpkit's own machine has no number here, or the
/// header is cut short: the kernel then decides.
fn for_another_machine(head: &[u8]) -> bool {
    let own: u16 = match std::env::consts::ARCH {
        "x86_64" => 62,
        "aarch64" => 183,
        "x86" => 3,
        "arm" => 40,
        "powerpc64" => 21,
        "s390x" => 22,
        "riscv64" => 243,
        _ => return false,
    };
    crate::packager::shim::elf_machine(head).is_some_and(|machine| machine != own)
}

/// The builder's failure for a program the kernel will not execute: a script without a `#!`
/// line (or an empty file), or a binary for another machine. Go's `exec` reports it (`fork/exec PATH: exec format error`), but
/// glibc's `execvp`, which std uses, runs such a file with `/bin/sh` instead, so a buildpack
/// that fails on the platform would stage here. Only files that can be read are looked at; the
/// rest are left to the kernel (an execute-only binary, a missing file, no execute bit).
fn not_executable_format(program: &Path) -> Option<PhaseFailure> {
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;
    // Without an execute bit the kernel refuses it first (`permission denied`), as on the
    // platform.
    let file = std::fs::File::open(program).ok()?;
    if file.metadata().ok()?.permissions().mode() & 0o111 == 0 {
        return None;
    }
    let mut head = Vec::with_capacity(20);
    file.take(20).read_to_end(&mut head).ok()?;
    // `#!` scripts and ELF binaries for this machine: what a buildpack's bin/ holds on a
    // Linux stack. One built for another machine (an arm64 binary on x86_64) the kernel
    // refuses as well, and execvp ran that through /bin/sh too.
    if head.starts_with(b"#!") || (head.starts_with(b"\x7fELF") && !for_another_machine(&head)) {
        return None;
    }
    Some(PhaseFailure::CannotStart(SpawnError::new(
        program,
        std::io::Error::from_raw_os_error(libc::ENOEXEC),
    )))
}
