//! The builder's side of [`StageError`]: its messages (buildpackapplifecycle's `errors.go`),
//! which variants are its failures (shown without bpkit's `error:` prefix), and the exit code
//! each one stages with (stager.md).

use super::StageError;
use crate::exit_code;

// The builder's messages (buildpackapplifecycle's errors.go), matched word for word: scripts
// and CI grep staging logs for them.
pub const DETECT_FAIL_MSG: &str = "None of the buildpacks detected a compatible application";
pub const COMPILE_FAIL_MSG: &str = "Failed to compile droplet";
pub const RELEASE_FAIL_MSG: &str = "Failed to build droplet release";
pub const SUPPLY_FAIL_MSG: &str = "Failed to run all supply scripts";
pub const NO_SUPPLY_SCRIPT_FAIL_MSG: &str = "Error: one of the buildpacks chosen to supply dependencies does not support multi-buildpack apps";
pub const MISSING_FINALIZE_WARN_MSG: &str = "Warning: the last buildpack is not compatible with multi-buildpack apps and cannot make use of any dependencies supplied by the buildpacks specified before it";
pub const FINALIZE_FAIL_MSG: &str = "Failed to run finalize script";
/// Not in errors.go: the runner's own words when it cannot copy the build dir into the droplet
/// (`GoLikeLightning`'s `copyApp`).
pub const COPY_APP_FAIL_MSG: &str = "Failed to copy compiled droplet";

impl StageError {
    /// The builder's exit code for its failures (stager.md); 130 for an interrupted staging;
    /// 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            StageError::DetectFailed => exit_code::DETECT_FAILED,
            StageError::SupplyFailed(_)
            | StageError::NoSupplyScript
            | StageError::MalformedBuildpack(_) => exit_code::SUPPLY_FAILED,
            StageError::FinalSupplyFailed(_)
            | StageError::FinalizeFailed(_)
            | StageError::CompileFailed(_) => exit_code::COMPILE_FAILED,
            StageError::ReleaseFailed(_)
            | StageError::ReleaseOutputTooLarge { .. }
            | StageError::InvalidReleaseOutput(_) => exit_code::RELEASE_FAILED,
            StageError::Interrupted => exit_code::INTERRUPTED,
            _ => exit_code::FAILURE,
        }
    }

    /// The failure on one line, for `--json`'s `error`: the message, except for a failed
    /// clone, whose message holds git's whole output between the builder's first line and
    /// git's exit status; its summary is those two, and git's lines stay in the log.
    pub fn summary(&self) -> String {
        match self {
            StageError::CannotCloneBuildpack { url, status, .. } => {
                format!("Failed to clone git repository at {url}: git clone failed: {status}")
            }
            other => other.to_string(),
        }
    }

    /// True for messages the builder itself prints (shown without bpkit's `error:` prefix).
    /// Every variant is listed, so a new one must be placed on one side or the other.
    pub fn is_builder_message(&self) -> bool {
        match self {
            StageError::DetectFailed
            | StageError::SupplyFailed(_)
            | StageError::NoSupplyScript
            | StageError::MalformedBuildpack(_)
            | StageError::FinalSupplyFailed(_)
            | StageError::FinalizeFailed(_)
            | StageError::CompileFailed(_)
            | StageError::ReleaseFailed(_)
            | StageError::ReleaseOutputTooLarge { .. }
            | StageError::InvalidReleaseOutput(_)
            | StageError::CannotExtractBuildpack { .. }
            | StageError::CannotDownloadBuildpack { .. }
            | StageError::CannotCloneBuildpack { .. }
            | StageError::GitNotInstalled { .. }
            | StageError::InvalidProcfile(_)
            | StageError::CannotReadProcfile { .. }
            | StageError::InvalidLaunchYml { .. }
            | StageError::BuildDirGone { .. }
            | StageError::CannotCompressDroplet(_)
            | StageError::CannotCompressCache(_)
            | StageError::CannotWaitForPhase(_) => true,
            StageError::BuildpackNotFound { .. }
            | StageError::EmptyBuildpack
            | StageError::RefOnLocalBuildpack { .. }
            | StageError::CannotOpenBuildpack { .. }
            | StageError::OptionLikeGitReference { .. }
            | StageError::PasswordInSshUrl { .. }
            | StageError::CannotSetUpDownloads(_)
            | StageError::NoBuildpack
            | StageError::AppDirNotFound { .. }
            | StageError::AppDirIsAFile { .. }
            | StageError::AppDirUnreadable { .. }
            | StageError::OutInsideApp { .. }
            | StageError::NoOutDirOutsideApp { .. }
            | StageError::OutDirsInsideApp { .. }
            | StageError::CacheInsideApp { .. }
            | StageError::TempInsideApp { .. }
            | StageError::NotABuildCache { .. }
            | StageError::CacheNotAFolder { .. }
            | StageError::CannotWriteCache { .. }
            | StageError::OutInsideCache { .. }
            | StageError::OutNotAFolder { .. }
            | StageError::OutIsDanglingLink { .. }
            | StageError::OutputIsAFolder { .. }
            | StageError::CannotCreateOut { .. }
            | StageError::CannotWriteOut { .. }
            | StageError::NoRoomToCopyApp { .. }
            | StageError::LinkOutsideApp { .. }
            | StageError::CannotReadAppEntry { .. }
            | StageError::UnreadableCfignore { .. }
            | StageError::ServicesNotAnObject { .. }
            | StageError::InvalidServicesJson { .. }
            | StageError::CannotReadServices { .. }
            | StageError::ServicesTooLarge { .. }
            | StageError::InvalidUserEnv { .. }
            | StageError::ReservedUserEnv { .. }
            | StageError::CannotAccess { .. }
            | StageError::Scratch(_)
            | StageError::Interrupted
            | StageError::TimedOut(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stager::run_phase::PhaseFailure;
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;

    fn exit_status(code: i32) -> PhaseFailure {
        PhaseFailure::Exited(ExitStatus::from_raw(code << 8))
    }

    #[test]
    fn builder_wording_and_codes() {
        let e = StageError::FinalizeFailed(exit_status(1));
        assert_eq!(
            e.to_string(),
            "Failed to compile droplet: Failed to run finalize script: exit status 1"
        );
        assert_eq!(e.exit_code(), 223);
        assert!(e.is_builder_message());
        assert_eq!(
            StageError::CompileFailed(exit_status(2)).to_string(),
            "Failed to compile droplet: Failed to compile droplet: exit status 2"
        );
        assert_eq!(
            StageError::FinalSupplyFailed(exit_status(3)).to_string(),
            "Failed to compile droplet: Failed to run all supply scripts: exit status 3"
        );
        assert_eq!(StageError::DetectFailed.exit_code(), 222);
        assert_eq!(StageError::NoSupplyScript.exit_code(), 225);
        let e = StageError::SupplyFailed(exit_status(4));
        assert_eq!(
            e.to_string(),
            "Failed to run all supply scripts: exit status 4"
        );
        assert_eq!(e.exit_code(), 225);
        let e = StageError::ReleaseFailed(exit_status(2));
        assert_eq!(
            e.to_string(),
            "Failed to build droplet release: exit status 2"
        );
        assert_eq!(e.exit_code(), 224);
        let e = StageError::CannotCloneBuildpack {
            url: "https://h/bp".into(),
            output: "fatal: Remote branch v1 not found in upstream origin\n".into(),
            status: "exit status 128".into(),
        };
        assert_eq!(
            e.to_string(),
            "Failed to clone git repository at https://h/bp: git clone failed:\nfatal: Remote branch v1 not found in upstream origin\n\nexit status 128"
        );
        assert_eq!(
            e.summary(),
            "Failed to clone git repository at https://h/bp: git clone failed: exit status 128"
        );
        assert_eq!(e.exit_code(), 1);
        assert!(e.is_builder_message());
        assert_eq!(StageError::Interrupted.exit_code(), 130);
        assert!(!StageError::NoBuildpack.is_builder_message());
    }
}
