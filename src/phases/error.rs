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
    #[error("{name} `{value}` {problem}; {fix}")]
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
        "DEPS_IDX `{shown}` has {digits} digits, more than a buildpack's position ever has (at most {max}); pass this buildpack's position in the buildpack list (0, 1, …), as the platform does"
    )]
    DepsIdxTooLong {
        /// The value, cut after its first digits when long.
        shown: String,
        digits: usize,
        max: usize,
    },
    /// A folder argument that is empty (an unset variable in a hand-written call).
    #[error(
        "{name} is an empty argument; pass the folder's path (a phase never falls back to the working directory)"
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
