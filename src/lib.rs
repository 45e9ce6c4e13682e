//! bpkit: one binary that is a Cloud Foundry / PaaS-TA buildpack (the phases `detect`, `supply`,
//! `finalize`, `compile`, `release`, driven by `manifest.yml`) and the toolkit around it
//! (packager, local stager, scaffolder).
//!
//! Table of contents:
//! - [`dispatch`]: argv[0] decides between a phase, the `buildpack-packager` drop-in and the CLI.
//! - [`manifest`]: the `manifest.yml` model, its order- and spelling-preserving YAML tree, validation.
//! - [`version`]: version ordering and libbuildpack-style constraints (`3.2.x`, `~1.2`, `>=1 <2`).
//! - [`checksum`]: `Sha256` / `Md5` types and hashing while streaming.
//! - [`output`]: the Cloud Foundry style logger and the stdout/stderr discipline.
//! - [`exit_code`]: named exit codes.
//! - [`archive`]: safe extraction of dependency archives (tarballs, zips) into a folder.

pub mod archive;
pub mod checksum;
pub mod exit_code;
pub mod manifest;
pub mod output;
pub mod version;
