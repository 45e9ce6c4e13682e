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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// The first 20 bytes of a 64-bit little-endian ELF file for `machine`.
    fn elf_head(machine: u16) -> Vec<u8> {
        let mut head = b"\x7fELF\x02\x01\x01".to_vec();
        head.resize(18, 0);
        head.extend(machine.to_le_bytes());
        head
    }

    /// What glibc's execvp would hand to /bin/sh, and the kernel (and Go's exec) refuses, is
    /// refused as the builder words it; a `#!` script, an ELF for this machine, a file
    /// without an execute bit and one that is not there are left to the kernel.
    #[test]
    fn only_programs_the_kernel_would_refuse_as_a_format_are_refused() {
        let temp = tempfile::tempdir().unwrap();
        let program = |name: &str, bytes: &[u8], mode: u32| {
            let path = temp.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            path
        };
        let own = elf_head(if std::env::consts::ARCH == "aarch64" {
            183
        } else {
            62
        });
        let other = elf_head(if std::env::consts::ARCH == "aarch64" {
            62
        } else {
            183
        });
        for path in [
            program("script", b"#!/bin/sh\nexit 0\n", 0o755),
            program("own", &own, 0o755),
            program("plain", b"echo no shebang\n", 0o644),
            temp.path().join("missing"),
        ] {
            assert!(not_executable_format(&path).is_none(), "{}", path.display());
        }
        for path in [
            program("no-shebang", b"echo no shebang\n", 0o755),
            program("empty", b"", 0o700),
            program("other", &other, 0o755),
        ] {
            let failure = not_executable_format(&path).map(|f| f.to_string());
            assert_eq!(
                failure,
                Some(format!("fork/exec {}: exec format error", path.display())),
                "{}",
                path.display()
            );
        }
    }

    /// A program that failed is the buildpack's failure, kept for the builder's words; an
    /// interruption, the deadline (with its seconds) or a failed wait ends the staging.
    #[test]
    fn each_outcome_is_the_buildpacks_failure_or_the_stagings_end() {
        use std::os::unix::process::ExitStatusExt;
        let env = env::Environment::from_host();
        let (logger, _) = Logger::capture();
        let phases = |deadline| Phases {
            env: &env,
            logger: &logger,
            cwd: PathBuf::from("/"),
            deadline,
        };
        let finished = |code: i32| Finished {
            status: std::process::ExitStatus::from_raw(code << 8),
            stdout: b"out".to_vec(),
            stderr: Vec::new(),
        };
        let run = phases(None);
        assert!(matches!(run.outcome(Ok(finished(0))), Ok(Ok(f)) if f.stdout == b"out"));
        assert!(matches!(
            run.outcome(Ok(finished(3))),
            Ok(Err(PhaseFailure::Exited(status))) if status.code() == Some(3)
        ));
        let spawn = SpawnError::new("bin/x", std::io::Error::from_raw_os_error(libc::EACCES));
        assert!(matches!(
            run.outcome(Err(RunError::CannotSpawn(spawn))),
            Ok(Err(PhaseFailure::CannotStart(_)))
        ));
        assert!(matches!(
            run.outcome(Err(RunError::TooMuchOutput { limit: 9 })),
            Ok(Err(PhaseFailure::TooMuchOutput { limit: 9 }))
        ));
        assert!(matches!(
            run.outcome(Err(RunError::Interrupted)),
            Err(StageError::Interrupted)
        ));
        assert!(matches!(
            run.outcome(Err(RunError::CannotWait(std::io::Error::other("x")))),
            Err(StageError::CannotWaitForPhase(_))
        ));
        assert!(matches!(
            run.outcome(Err(RunError::TimedOut)),
            Err(StageError::TimedOut(0))
        ));
        let deadline = Deadline {
            at: std::time::Instant::now(),
            secs: 7,
        };
        assert!(matches!(
            phases(Some(deadline)).outcome(Err(RunError::TimedOut)),
            Err(StageError::TimedOut(7))
        ));
    }

    /// A program runs with the staging environment, its arguments, in the workspace root;
    /// captured, its stdout comes back; into the log, what it prints is in the log; a program
    /// the kernel would refuse never runs.
    #[test]
    fn programs_run_with_the_environment_arguments_and_folder() {
        let temp = tempfile::tempdir().unwrap();
        let program = temp.path().join("prog");
        std::fs::write(
            &program,
            "#!/bin/sh\necho \"$STAGING_MARK $1 $(pwd)\"\nexit ${2:-0}\n",
        )
        .unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut env = env::Environment::from_host();
        env.set("STAGING_MARK", "marked");
        let (logger, log) = Logger::capture();
        let cwd = std::fs::canonicalize(temp.path()).unwrap();
        let phases = Phases {
            env: &env,
            logger: &logger,
            cwd: cwd.clone(),
            deadline: None,
        };
        let captured = phases
            .run_capturing(&program, &[OsStr::new("arg")])
            .unwrap()
            .unwrap();
        assert_eq!(
            String::from_utf8(captured).unwrap(),
            format!("marked arg {}\n", cwd.display())
        );
        assert_eq!(log.text(), "");
        let ran = phases.run(
            &program,
            &[OsStr::new("logged"), OsStr::new("4")],
            Sink::Log,
        );
        assert!(matches!(ran, Ok(Err(PhaseFailure::Exited(status))) if status.code() == Some(4)));
        assert!(
            log.text()
                .contains(&format!("marked logged {}", cwd.display())),
            "{}",
            log.text()
        );
        let bare = temp.path().join("bare");
        std::fs::write(&bare, "touch ran\n").unwrap();
        std::fs::set_permissions(&bare, std::fs::Permissions::from_mode(0o755)).unwrap();
        for ran in [
            phases
                .run(&bare, &[], Sink::Log)
                .map(|r| r.map(|()| Vec::new())),
            phases.run_capturing(&bare, &[]),
        ] {
            assert!(matches!(ran, Ok(Err(PhaseFailure::CannotStart(_)))));
        }
        assert!(!cwd.join("ran").exists());
    }

    /// The ELF header's machine against this one; a header cut short is left to the kernel.
    #[test]
    fn another_machine_is_told_by_the_elf_header() {
        let own = if std::env::consts::ARCH == "aarch64" {
            183
        } else {
            62
        };
        assert!(!for_another_machine(&elf_head(own)));
        assert!(for_another_machine(&elf_head(own + 1)));
        assert!(!for_another_machine(&elf_head(own + 1)[..19]));
        assert!(!for_another_machine(b"#!/bin/sh\n"));
    }
}
