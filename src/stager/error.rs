//! The stager's one error type. Failures the platform's builder reports are kept in its words
//! and with its exit code ([`StageError::Builder`]); everything else is bpkit's own (bad
//! arguments, unwritable outputs) and exits 1.

use std::io;
use std::path::PathBuf;

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

#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// A failure as the builder reports it: its message (printed as is, the last line of the
    /// staging log) and its exit code (222–225, or 1).
    #[error("{message}")]
    Builder { code: u8, message: String },

    /// Bad input or a problem before staging starts, worded as a full sentence with the fix.
    #[error("{0}")]
    Setup(String),

    #[error("cannot {action} {}: {source}", path.display())]
    CannotAccess {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("staging was interrupted; nothing was written to the output folder")]
    Interrupted,

    #[error(
        "staging timed out after {0} s and was stopped; raise --timeout if the buildpack needs longer"
    )]
    TimedOut(u64),
}

impl StageError {
    /// The builder's `newDescriptiveError(err, message)`: `message: cause`.
    pub fn builder(code: u8, message: &str, cause: Option<&str>) -> Self {
        let message = match cause {
            Some(cause) => format!("{message}: {cause}"),
            None => message.to_string(),
        };
        StageError::Builder { code, message }
    }

    pub fn detect_failed() -> Self {
        StageError::builder(exit_code::DETECT_FAILED, DETECT_FAIL_MSG, None)
    }

    pub fn supply_failed(cause: &str) -> Self {
        StageError::builder(exit_code::SUPPLY_FAILED, SUPPLY_FAIL_MSG, Some(cause))
    }

    pub fn no_supply_script() -> Self {
        StageError::builder(exit_code::SUPPLY_FAILED, NO_SUPPLY_SCRIPT_FAIL_MSG, None)
    }

    /// A failure of the final buildpack's supply, finalize or compile: the builder wraps it in
    /// "Failed to compile droplet", and the exit code follows that outer message (223).
    pub fn compile_failed(inner: &str) -> Self {
        StageError::builder(exit_code::COMPILE_FAILED, COMPILE_FAIL_MSG, Some(inner))
    }

    pub fn release_failed(cause: &str) -> Self {
        StageError::builder(exit_code::RELEASE_FAILED, RELEASE_FAIL_MSG, Some(cause))
    }

    /// A builder failure outside the numbered ones (clone, download, Procfile): exit 1.
    pub fn system(message: impl Into<String>) -> Self {
        StageError::Builder {
            code: exit_code::FAILURE,
            message: message.into(),
        }
    }

    pub fn access(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        StageError::CannotAccess {
            action,
            path: path.into(),
            source,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            StageError::Builder { code, .. } => *code,
            StageError::Interrupted => 130,
            _ => exit_code::FAILURE,
        }
    }

    /// True for messages the builder itself prints (shown without bpkit's `error:` prefix).
    pub fn is_builder_message(&self) -> bool {
        matches!(self, StageError::Builder { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_wording_and_codes() {
        let e = StageError::compile_failed(&format!("{FINALIZE_FAIL_MSG}: exit status 1"));
        assert_eq!(
            e.to_string(),
            "Failed to compile droplet: Failed to run finalize script: exit status 1"
        );
        assert_eq!(e.exit_code(), 223);
        assert_eq!(StageError::detect_failed().exit_code(), 222);
        assert_eq!(StageError::no_supply_script().exit_code(), 225);
        assert_eq!(StageError::release_failed("exit status 2").exit_code(), 224);
        assert_eq!(StageError::system("x").exit_code(), 1);
    }
}
