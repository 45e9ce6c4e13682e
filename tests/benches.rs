//! The bench scripts as a user runs them, at a size that fits a test: each must finish and print
//! its table whatever the number of calls asked for (quality.md, "Performance": the figures in
//! the README come from these scripts, so a script that cannot run shows nothing).
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use common::bin::{bpkit_path, repo_root};

/// `benches/detect.sh` with `CALLS` below one round of 50 still times every case, that many
/// calls each (it used to run no round at all and stop on an unbound variable).
#[test]
fn detect_bench_runs_with_fewer_calls_than_a_round() {
    let out = Command::new("bash")
        .arg(repo_root().join("benches/detect.sh"))
        .env("CALLS", "3")
        .env("BPKIT", bpkit_path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "detect.sh failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("mean of 3 calls each"), "{stdout}");
    for case in [
        "bpkit, match",
        "sh, no match",
        "/bin/true (process floor)",
        "bpkit / sh (match): ",
    ] {
        assert!(stdout.contains(case), "no `{case}` in:\n{stdout}");
    }
}

/// A `CALLS` that is not a positive number is refused with a one-line reason, not a shell error.
#[test]
fn detect_bench_refuses_a_calls_that_is_not_a_count() {
    for calls in ["0", "many"] {
        let out = Command::new("bash")
            .arg(repo_root().join("benches/detect.sh"))
            .env("CALLS", calls)
            .env("BPKIT", bpkit_path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "CALLS={calls}: {stderr}");
        assert!(
            stderr.contains("CALLS must be a whole number"),
            "CALLS={calls}: {stderr}"
        );
    }
}
