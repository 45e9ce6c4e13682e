//! What `bpkit stage` is asked to do ([`StageOptions`]) and what it hands back: [`Staged`] on
//! success, [`Failed`] (the error and the outputs the builder still writes) otherwise; and the
//! platform defaults the CLI starts from.

use std::path::PathBuf;

use super::StageError;
use super::procfile::Process;

/// The platform's default stack.
pub const DEFAULT_STACK: &str = "cflinuxfs4";
/// Cloud Controller's default staging timeout (`staging_timeout_in_seconds`).
pub const DEFAULT_TIMEOUT_SECS: u64 = 900;

/// What to stage, and how.
#[derive(Debug, Clone)]
pub struct StageOptions {
    pub app_dir: PathBuf,
    /// `-b` arguments, in order.
    pub buildpacks: Vec<String>,
    /// Run detect over the buildpacks instead of using them all (`cf push` without `-b`).
    pub detect: bool,
    pub stack: String,
    /// Raw `-e KEY=VALUE` arguments.
    pub env: Vec<String>,
    /// Raw `--services` (JSON or `@FILE`).
    pub services: Option<String>,
    /// A folder carrying the build cache from one staging to the next.
    pub cache: Option<PathBuf>,
    /// Where the outputs go; by default `./.bpkit/stage/<app>`, or the user cache folder when
    /// that is inside the app folder (see [`out_dir`](super::out_dir)).
    pub out: Option<PathBuf>,
    pub memory_mb: u64,
    /// Keep the workspace (build dir, deps, caches) after staging.
    pub keep: bool,
    pub timeout_secs: u64,
}

/// A successful staging.
#[derive(Debug, Clone)]
pub struct Staged {
    pub out_dir: PathBuf,
    pub droplet: PathBuf,
    pub result_json: PathBuf,
    pub cache_tgz: PathBuf,
    pub detected_buildpack: String,
    pub processes: Vec<Process>,
    /// The workspace, when `--keep` kept it.
    pub workspace: Option<PathBuf>,
}

/// A failed staging: the error, and the outputs the builder still writes.
#[derive(Debug)]
pub struct Failed {
    /// Boxed: a `StageError` can carry a large cause, and a successful staging should not pay
    /// for the room.
    pub error: Box<StageError>,
    /// `result.json`, when staging got past detection (the builder writes it then).
    pub result_json: Option<PathBuf>,
    /// `result.json`'s `detected_buildpack`, when staging got past detection.
    pub detected_buildpack: Option<String>,
    pub workspace: Option<PathBuf>,
}

impl From<StageError> for Failed {
    fn from(error: StageError) -> Self {
        Failed {
            error: Box::new(error),
            result_json: None,
            detected_buildpack: None,
            workspace: None,
        }
    }
}
