//! Exit codes, named. The platform's builder gives 222–225 meanings (see stager.md); the
//! `buildpack-packager` drop-in uses Go's 0/1/2.

/// Success.
pub const SUCCESS: u8 = 0;
/// Any failure: bad input, a failed download, a failed build command.
pub const FAILURE: u8 = 1;
/// Wrong command-line usage (Go `flag` and clap both use 2).
pub const USAGE: u8 = 2;
/// Staging: no buildpack detected the app.
pub const DETECT_FAILED: u8 = 222;
/// Staging: compile, finalize or the final supply failed.
pub const COMPILE_FAILED: u8 = 223;
/// Staging: release failed or printed invalid YAML.
pub const RELEASE_FAILED: u8 = 224;
/// Staging: a non-final supply failed (or the buildpack has no `bin/supply`).
pub const SUPPLY_FAILED: u8 = 225;
/// Interrupted by SIGINT, SIGTERM or SIGHUP, and stopped cleanly (128 + SIGINT, as a shell
/// reports a Ctrl-C).
pub const INTERRUPTED: u8 = 130;
