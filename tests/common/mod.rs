//! Support shared by integration tests: the local HTTP server with fault modes.
//! Each test crate uses part of it, hence `dead_code` is allowed here.
#![allow(dead_code)]

pub mod server;
