//! stdout that cannot be written. A closed pipe (`bpkit validate | true`) only means nobody
//! reads the data: the command still ends with its own verdict, so an invalid manifest exits 1
//! and a valid one 0. Any other write error (a full disk, `/dev/full`) is a failure, reported in
//! one line on stderr with exit 1, by `bpkit` and by the `buildpack-packager` drop-in alike.
#![allow(clippy::unwrap_used)]

mod common;

use common::bin::{
    bpkit, command_for, link_as, repo_root, run_with_closed_stdout, run_with_full_stderr,
    run_with_full_stdout,
};

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

#[test]
fn a_full_disk_is_a_failure_for_bpkit_and_buildpack_packager() {
    let result = run_with_full_stdout(
        bpkit()
            .arg("summary")
            .arg(repo_root().join("fixtures/buildpack")),
    );
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            "bpkit: error: cannot write the output to stdout (/dev/full): No space left on device (os error 28); free space on that disk, or redirect stdout to a file on another one\n"
        )
    );

    let tools = tempfile::tempdir().unwrap();
    let packager = link_as(tools.path(), "buildpack-packager");
    let summary = || {
        let mut command = command_for(&packager);
        command
            .current_dir(repo_root().join("fixtures/buildpack"))
            .arg("summary");
        command
    };
    let result = run_with_full_stdout(&mut summary());
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            1,
            "buildpack-packager: cannot write the output to stdout (/dev/full): No space left on device (os error 28); free space on that disk, or redirect stdout to a file on another one\n"
        )
    );
    // A closed pipe is not an error for the drop-in either.
    let result = run_with_closed_stdout(&mut summary());
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
}

/// A phase's data (`release` YAML) on a full disk names where stdout goes, the OS reason and the
/// fix, as the packager's commands do (it once said only `cannot write to stdout`).
#[test]
fn a_phase_on_a_full_disk_names_stdout_and_the_fix() {
    let tools = tempfile::tempdir().unwrap();
    let release = link_as(tools.path(), "release");
    let app = tempfile::tempdir().unwrap();
    let result = run_with_full_stdout(
        command_for(&release)
            .env("BUILDPACK_DIR", repo_root().join("fixtures/buildpack"))
            .env("CF_STACK", "cflinuxfs4")
            .env("NO_COLOR", "1")
            .arg(app.path()),
    );
    assert_eq!(
        (result.code, result.stderr.as_str()),
        (
            15,
            "       **ERROR** cannot write the output to stdout (/dev/full): No space left on device (os error 28); free space on that disk, or redirect stdout to a file on another one\n"
        )
    );
}

/// A phase's usage line on a stderr that cannot be written (`2>/dev/full`) once panicked
/// (`eprintln!`), exiting 101 instead of the usage error's 1.
#[test]
fn a_full_stderr_never_panics() {
    let tools = tempfile::tempdir().unwrap();
    let detect = link_as(tools.path(), "detect");
    let result = run_with_full_stderr(&mut command_for(&detect));
    assert_eq!(result.code, 1, "{result:?}");
    let result = run_with_full_stderr(bpkit().arg("detect"));
    assert_eq!(result.code, 1, "{result:?}");
    // The findings still reach stdout; only the summary line is lost.
    let result = run_with_full_stderr(
        bpkit()
            .current_dir(repo_root())
            .args(["validate", "fixtures/manifests/short-sha256"]),
    );
    assert_eq!(result.code, 1, "{result:?}");
    assert!(
        result.stdout.contains(": error: dependencies[0].sha256"),
        "{result:?}"
    );
}

/// `--help` and `--version` are data on stdout like any other: one that cannot be written is
/// a failure (it once exited 0, having printed nothing), while a closed pipe is not.
#[test]
fn help_and_version_on_a_full_disk_are_a_failure() {
    for args in [&["--help"][..], &["--version"], &["package", "--help"]] {
        let result = run_with_full_stdout(bpkit().args(args));
        assert_eq!(
            (result.code, result.stderr.as_str()),
            (
                1,
                "bpkit: error: cannot write the output to stdout (/dev/full): No space left on device (os error 28); free space on that disk, or redirect stdout to a file on another one\n"
            ),
            "{args:?}"
        );
        let result = run_with_closed_stdout(bpkit().args(args));
        assert_eq!((result.code, result.stderr.as_str()), (0, ""), "{args:?}");
    }
}

/// Every command that prints data, with its stdout a pipe nobody reads any more (`bpkit man |
/// head -1` once `head` has its line): no panic, no Rust error text, nothing on stderr the
/// command would not print anyway, and the exit code it ends with when stdout is read. With
/// stderr on that closed pipe too (`bpkit … 2>&1 | head -1`) the exit code is still the same.
#[test]
fn every_data_command_stops_quietly_on_a_closed_pipe() {
    let app = tempfile::tempdir().unwrap();
    std::fs::write(app.path().join("hello.txt"), "hi\n").unwrap();
    let buildpack = repo_root().join("fixtures/buildpack");
    let app_dir = app.path().to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["list", "fixtures/buildpack"],
        &["summary", "fixtures/buildpack"],
        &["defaults", "fixtures/buildpack"],
        &["summary", "--json", "fixtures/buildpack"],
        &["completions", "bash"],
        &["completions", "zsh"],
        &["completions", "fish"],
        &["completions", "elvish"],
        &["completions", "powershell"],
        &["man"],
        &["--help"],
        &["validate", "fixtures/manifests/short-sha256"],
        &["validate", "--json", "fixtures/buildpack"],
        &[
            "default-version-for",
            "fixtures/buildpack/manifest.yml",
            "hello",
        ],
        &["release", app_dir],
        &["detect", app_dir],
    ];
    let bpkit_for = |args: &[&str]| {
        let mut command = bpkit();
        command
            .current_dir(repo_root())
            .env("BUILDPACK_DIR", &buildpack)
            .env("CF_STACK", "cflinuxfs4")
            .args(args);
        command
    };
    for args in commands {
        let read = common::bin::run(&mut bpkit_for(args));
        assert!(!read.stdout.is_empty(), "{args:?} prints data: {read:?}");
        let closed = run_with_closed_stdout(&mut bpkit_for(args));
        assert_eq!(
            (closed.code, closed.stderr.as_str()),
            (read.code, read.stderr.as_str()),
            "{args:?}"
        );
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let both = common::timed::run_within_to_both(
            &mut bpkit_for(args),
            common::bin::RUN_LIMIT,
            writer.try_clone().unwrap().into(),
            writer.into(),
        );
        assert_eq!(both.code, read.code, "{args:?} with stderr closed too");
    }
}
