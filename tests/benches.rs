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

/// A count of calls or runs that is not a positive number is refused with a one-line reason
/// before anything is built or timed, not with a shell error after the timing (with 0, every
/// script used to time nothing and then stop on an unbound variable or a missing file).
#[test]
fn benches_refuse_a_count_that_is_not_positive() {
    for (script, setting) in [
        ("detect.sh", "CALLS"),
        ("package.sh", "RUNS"),
        ("extract.sh", "RUNS"),
    ] {
        for value in ["0", "many"] {
            let out = Command::new("bash")
                .arg(repo_root().join("benches").join(script))
                .env(setting, value)
                // Never built: the refusal comes first.
                .env("BPKIT", "/nonexistent/bpkit")
                .env("BPKIT_SERVE", "/nonexistent/serve")
                .env("BPKIT_EXTRACT", "/nonexistent/extract")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                (out.status.code(), stderr.as_ref()),
                (
                    Some(2),
                    format!(
                        "{script}: {setting} must be a whole number, at least 1 (got '{value}')\n"
                    )
                    .as_str()
                ),
                "{script} with {setting}={value}"
            );
        }
    }
}
