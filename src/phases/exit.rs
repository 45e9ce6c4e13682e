//! Exit codes of the phases, one per cause, numbered as libbuildpack-based buildpacks number
//! the same causes where they have one (10 manifest, 11 invalid buildpack, 14 supply,
//! 17 override.yml, 19 cache).

/// Success; and 1 for a usage error, or a detect that found no match: the toolkit's codes.
pub use crate::exit_code::{FAILURE, SUCCESS};

/// The manifest cannot be loaded or is invalid.
pub const MANIFEST: u8 = 10;
/// The buildpack cannot run here: no VERSION, unsupported stack.
pub const BUILDPACK_INVALID: u8 = 11;
/// A `build:` command failed.
pub const BUILD_FAILED: u8 = 12;
/// The staging environment could not be set up (an unreadable ENV_DIR, an app folder compile
/// writes into that is a link or a file).
pub const ENVIRONMENT: u8 = 13;
/// A dependency could not be chosen, fetched, verified or installed.
pub const INSTALL_FAILED: u8 = 14;
/// A file or folder the phase writes could not be written (`DEPS_DIR/IDX` included).
pub const WRITE_FAILED: u8 = 15;
/// An earlier buildpack's `override.yml` could not be applied (libbuildpack's 17).
pub const OVERRIDE: u8 = 17;
/// The app cache could not be cleaned up.
pub const CACHE_CLEANUP: u8 = 19;
