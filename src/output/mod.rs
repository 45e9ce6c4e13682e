//! Output discipline: stdout carries data only (a zip path, YAML, JSON); narration goes to
//! stderr through the [`Logger`], in Cloud Foundry's format; progress bars go through the
//! [`progress::Progress`] trait so library code never touches indicatif.

pub mod logger;
pub mod progress;

pub use logger::{ColorChoice, Logger, Verbosity};
