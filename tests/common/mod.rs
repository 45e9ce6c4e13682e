//! Support shared by the integration tests: running the built binary, and a local HTTP server
//! with fault modes. Each test crate uses part of it, hence `dead_code` is allowed here.
#![allow(dead_code, clippy::unwrap_used)]

pub mod bin;
pub mod buildpack;
pub mod git;
pub mod process;
pub mod server;
pub mod shell_buildpack;
pub mod stager;
pub mod staging;
pub mod tarball;
pub mod terminal;
pub mod timed;
pub mod zipball;
