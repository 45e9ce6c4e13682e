//! Output discipline: stdout carries data only (a zip path, YAML, JSON); narration goes to
//! stderr through the [`Logger`], in Cloud Foundry's format; progress bars go through the
//! [`progress::Progress`] trait so library code never touches indicatif.

pub mod logger;
pub mod progress;

pub use logger::{ColorChoice, Logger, Verbosity};

/// An error and its causes on one line, joined by `: `, as bpkit prints every error (a cause
/// whose text is already in the message is not repeated).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
