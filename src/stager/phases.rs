//! Running a buildpack's `bin/*` programs for the staging ([`Phases`]): in the platform's
//! staging environment, from the workspace root, under the staging deadline, with stdout into
//! the log or captured; and what each outcome means for the staging. A program that failed is
//! the buildpack's failure, told in the builder's words; an interruption or the deadline ends
//! the staging. Running one program (process group, streams, timeout) is [`run_phase`]'s.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::env;
use super::error::StageError;
use super::run_phase::{self, Deadline, Finished, PhaseFailure, RunError, Sink};
use crate::output::Logger;

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
