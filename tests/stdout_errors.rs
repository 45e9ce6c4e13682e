//! stdout that cannot be written. A closed pipe (`bpkit validate | true`) only means nobody
//! reads the data: the command still ends with its own verdict, so an invalid manifest exits 1
//! and a valid one 0. Any other write error (a full disk, `/dev/full`) is a failure, reported in
//! one line on stderr with exit 1.
#![allow(clippy::unwrap_used)]

mod common;

use common::bin::{bpkit, repo_root, run_with_closed_stdout};

#[test]
fn a_closed_pipe_keeps_validates_verdict() {
    let invalid = run_with_closed_stdout(
        bpkit()
            .current_dir(repo_root())
            .args(["validate", "fixtures/manifests/short-sha256"]),
    );
    assert_eq!(
        (invalid.code, invalid.stderr.as_str()),
        (
            1,
            "-----> fixtures/manifests/short-sha256/manifest.yml: 1 error, 0 warnings\n"
        )
    );

    let valid = run_with_closed_stdout(
        bpkit()
            .current_dir(repo_root())
            .args(["validate", "fixtures/buildpack"]),
    );
    assert_eq!(
        (valid.code, valid.stderr.as_str()),
        (0, "-----> fixtures/buildpack/manifest.yml: valid\n")
    );

    let json = run_with_closed_stdout(bpkit().current_dir(repo_root()).args([
        "validate",
        "--json",
        "fixtures/manifests/short-sha256",
    ]));
    assert_eq!((json.code, json.stderr.as_str()), (1, ""));
}

#[test]
fn a_closed_pipe_keeps_a_missing_dependencys_exit_1() {
    let missing = run_with_closed_stdout(
        bpkit()
            .current_dir(repo_root())
            .env("CF_STACK", "cflinuxfs4")
            .args([
                "translate-dependency-url",
                "https://s3.amazonaws.com/ruby-buildpack/ruby-2.2.2-linux-x64.tgz",
                "fixtures/ruby-era",
            ]),
    );
    assert_eq!((missing.code, missing.stderr.as_str()), (1, ""));
}
