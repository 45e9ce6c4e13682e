//! The buildpack phases the platform runs: `detect`, `supply`, `finalize`, `compile`,
//! `release`, with the platform's exact positional arguments (phases.md), driven by the
//! buildpack's `manifest.yml` (manifest.md, "bpkit's declarative buildpack keys").
//!
//! A phase runs in this order: `invocation` matches the arguments to the phase's contract
//! ([`Phase`], [`Invocation`], the usage line); `entry` runs it ([`run_from_args`], [`run`],
//! [`run_with`], [`execute`]) after `arguments` refuses what the platform never passes and
//! gathers the [`StagingDirs`]; a failure is one [`PhaseError`] (`error`), printed once, whose
//! cause picks the [`exit`] code.
//!
//! - [`context`]: buildpack dir, manifest, VERSION, stack, environment; the checks every
//!   staging phase starts with. A folder: `context/buildpack.rs` (buildpack dir, manifest,
//!   VERSION), `context/environment.rs` ([`Env`], stack, Heroku's ENV_DIR),
//!   `context/staging.rs` (the start-of-staging checks, `BUILDPACK_METADATA`).
//! - [`detect`]: the `detect:` rules. [`release`]: the `release:` YAML.
//! - [`choose`]: which version to install, and libbuildpack's version warnings.
//! - [`install`]: fetch (`file:` → app cache → download), verify, extract; app-cache cleanup.
//! - `supply`, `finalize`, `compile`: the staging phases, built from [`staging_env`],
//!   [`build_commands`], [`profile`] and [`template`] (manifest values for staging and launch).
//!   `supply` is a folder: `supply/mod.rs` (the phase's order), `supply/links.rs` (`bin/`,
//!   `lib/` links), `supply/environment.rs` (`env/` files, the `profile.d` script),
//!   `supply/config.rs` (`config.yml`), `supply/cleanup.rs` (what a run again removes).
//! - [`files`], [`yaml_out`]: atomic writes, small YAML documents.

mod arguments;
pub mod build_commands;
pub mod choose;
mod compile;
pub mod context;
pub mod detect;
mod entry;
mod error;
pub mod exit;
pub mod files;
mod finalize;
pub mod install;
mod invocation;
pub mod profile;
pub mod release;
pub mod staging_env;
mod supply;
pub mod template;
pub mod yaml_out;

pub use arguments::StagingDirs;
pub use context::{Context, ContextError, Env, Purpose};
pub use entry::{execute, run, run_from_args, run_with};
pub use error::PhaseError;
pub use invocation::{Invocation, Phase};

pub use crate::output::error_chain;
