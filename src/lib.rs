//! bpkit: one binary that is a Cloud Foundry / PaaS-TA buildpack (the phases `detect`, `supply`,
//! `finalize`, `compile`, `release`, driven by `manifest.yml`) and the toolkit around it
//! (packager, local stager, scaffolder).
//!
//! Table of contents:
//! - [`dispatch`]: `argv[0]` decides between a phase, the `buildpack-packager` drop-in and the CLI.
//! - [`cli`]: the toolkit's commands (clap), and the one place errors are printed; the
//!   `buildpack-packager` drop-in's Go and Ruby command lines.
//! - [`phases`]: the platform contract: `detect`, `supply`, `finalize`, `compile`, `release`.
//! - [`manifest`]: the `manifest.yml` model, its order- and spelling-preserving YAML tree, validation.
//! - [`version`]: version ordering and libbuildpack-style constraints (`3.2.x`, `~1.2`, `>=1 <2`).
//! - [`checksum`]: `Sha256` / `Md5` types and hashing while streaming.
//! - [`clean_path`]: Go's `filepath.Clean` and `Abs`, where bpkit must name the folder Go names.
//! - [`fetch`]: dependency download, cache and verify (mirrors, retries, proxies, `.part` files).
//! - [`output`]: the Cloud Foundry style logger, progress bars, the stdout/stderr discipline.
//! - [`scaffold`]: `bpkit init`: new buildpacks from the embedded templates.
//! - [`packager`]: `bpkit package` (zips), dependency tables, `bpkit verify`: a library that
//!   prints nothing itself (narration goes through the [`output::Logger`] it is given).
//! - [`archive`]: safe extraction of dependency archives (tarballs, zips) into a folder.
//! - [`calendar`]: civil dates for deprecation warnings, zip timestamps and `Retry-After`.
//! - [`stager`]: `bpkit stage`, the platform's builder on the local machine.
//! - [`launcher`]: `bpkit run`, the platform's launcher on the local machine.
//! - [`process_group`]: children in their own process group, stopped as a whole.
//! - [`regular_file`]: opening someone else's file as a regular file, without waiting on a fifo.
//! - [`scratch`]: temp folders that a killed bpkit does not leave behind for ever.
//! - [`stoppable`]: reads and file copies that a Ctrl-C or a deadline stops at once.
//! - [`exit_code`]: named exit codes.

/// `bpkit --version`: the crate version and, when built from git, the revision.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), env!("BPKIT_GIT_SUFFIX"));

pub mod archive;
pub mod calendar;
pub mod checksum;
pub mod clean_path;
pub mod cli;
pub mod dispatch;
pub mod exit_code;
pub mod fetch;
pub mod launcher;
pub mod manifest;
pub mod output;
pub mod packager;
pub mod phases;
pub mod process_group;
pub mod regular_file;
pub mod scaffold;
pub mod scratch;
pub mod stager;
pub mod stoppable;
pub mod version;
