//! [`PhaseError`]: any reason a phase failed, and the exit code of each cause.

use super::context::ContextError;
use super::{build_commands, choose, detect, exit, files, install, supply, template};

/// Any reason a phase failed. Printed once, as `**ERROR** <message>: <causes>`.
#[derive(Debug, thiserror::Error)]
pub enum PhaseError {
    #[error(transparent)]
    Context(#[from] ContextError),
    #[error(transparent)]
    Detect(#[from] detect::DetectError),
    #[error(transparent)]
    Choose(#[from] choose::ChooseError),
    #[error(transparent)]
    Install(#[from] install::InstallError),
    #[error(transparent)]
    Supply(#[from] supply::SupplyError),
    #[error(transparent)]
    Template(#[from] template::TemplateError),
    #[error(transparent)]
    Build(#[from] build_commands::BuildError),
    #[error(transparent)]
    File(#[from] files::FileError),
    #[error("{}", crate::output::stdout_write_failure(.0))]
    CannotWriteOutput(std::io::Error),
    /// An argument the platform would never pass (a person running a phase by hand might).
    #[error("Invalid {name}: `{value}` {problem}; {fix}")]
    BadArgument {
        name: &'static str,
        value: String,
        problem: &'static str,
        fix: &'static str,
    },
    /// A folder of the app that compile writes into is a symbolic link or a file (compile.rs).
    #[error("BUILD_DIR/{folder} {problem}: remove {folder} from the app (or list it in .cfignore)")]
    AppFolderInTheWay {
        folder: &'static str,
        /// `is a file; compile writes …`.
        problem: String,
    },
    /// A DEPS_IDX of digits too many for a buildpack's position: joined to DEPS_DIR, it would
    /// fail with the system's "File name too long" (arguments.rs).
    #[error(
        "Invalid DEPS_IDX: `{shown}` has {digits} digits, more than a buildpack's position ever has (at most {max}); pass this buildpack's position in the buildpack list (0, 1, …), as the platform does"
    )]
    DepsIdxTooLong {
        /// The value, cut after its first digits when long.
        shown: String,
        digits: usize,
        max: usize,
    },
    /// A folder argument that is empty (an unset variable in a hand-written call).
    #[error(
        "Invalid {name}: it is an empty argument; pass the folder's path (a phase never falls back to the working directory)"
    )]
    EmptyArgument { name: &'static str },
}

impl PhaseError {
    /// The exit code for this cause.
    pub fn exit_code(&self) -> u8 {
        match self {
            PhaseError::Context(
                ContextError::CannotLoadManifest { .. } | ContextError::InvalidManifest { .. },
            )
            | PhaseError::Detect(_)
            | PhaseError::Template(_) => exit::MANIFEST,
            PhaseError::Supply(supply::SupplyError::CannotApplyOverride { .. }) => exit::OVERRIDE,
            PhaseError::Context(
                ContextError::CannotReadVersion { .. }
                | ContextError::BadVersion { .. }
                | ContextError::UnsupportedStack { .. }
                | ContextError::NoStack { .. },
            ) => exit::BUILDPACK_INVALID,
            PhaseError::Context(ContextError::CannotReadEnvDir { .. })
            | PhaseError::AppFolderInTheWay { .. } => exit::ENVIRONMENT,
            PhaseError::Install(install::InstallError::CannotCleanCache { .. }) => {
                exit::CACHE_CLEANUP
            }
            PhaseError::Choose(_) | PhaseError::Install(_) | PhaseError::Supply(_) => {
                exit::INSTALL_FAILED
            }
            PhaseError::Build(_) => exit::BUILD_FAILED,
            PhaseError::Context(ContextError::File(_))
            | PhaseError::File(_)
            | PhaseError::CannotWriteOutput(_) => exit::WRITE_FAILED,
            PhaseError::BadArgument { .. }
            | PhaseError::DepsIdxTooLong { .. }
            | PhaseError::EmptyArgument { .. } => exit::FAILURE,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn io_error() -> std::io::Error {
        std::io::Error::from(std::io::ErrorKind::PermissionDenied)
    }

    /// Each cause keeps the number libbuildpack's buildpacks give it, so a platform log
    /// or a script reading the exit code tells the causes apart.
    #[test]
    fn each_cause_exits_with_its_own_code() {
        let cases: Vec<(PhaseError, u8)> = vec![
            (
                ContextError::InvalidManifest { errors: Vec::new() }.into(),
                exit::MANIFEST,
            ),
            (
                ContextError::BadVersion {
                    path: PathBuf::from("VERSION"),
                    problem: "is empty".into(),
                }
                .into(),
                exit::BUILDPACK_INVALID,
            ),
            (
                ContextError::NoStack {
                    supported: vec!["cflinuxfs4".into()],
                }
                .into(),
                exit::BUILDPACK_INVALID,
            ),
            (
                ContextError::CannotReadEnvDir {
                    path: PathBuf::from("/env"),
                    source: io_error(),
                }
                .into(),
                exit::ENVIRONMENT,
            ),
            (
                PhaseError::AppFolderInTheWay {
                    folder: ".profile.d",
                    problem: "is a file".into(),
                },
                exit::ENVIRONMENT,
            ),
            (
                ContextError::File(files::FileError::new("write", Path::new("/x"), io_error()))
                    .into(),
                exit::WRITE_FAILED,
            ),
            (
                files::FileError::new("write", Path::new("/x"), io_error()).into(),
                exit::WRITE_FAILED,
            ),
            (
                PhaseError::CannotWriteOutput(io_error()),
                exit::WRITE_FAILED,
            ),
            (
                PhaseError::EmptyArgument { name: "BUILD_DIR" },
                exit::FAILURE,
            ),
        ];
        for (error, code) in cases {
            assert_eq!(error.exit_code(), code, "{error}");
        }
        assert_eq!(
            (
                exit::MANIFEST,
                exit::BUILDPACK_INVALID,
                exit::ENVIRONMENT,
                exit::WRITE_FAILED
            ),
            (10, 11, 13, 15)
        );
    }
}
