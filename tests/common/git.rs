//! Running git in the tests' scratch repositories, with an identity and defaults of its own so
//! the machine's git configuration (a missing user, commit signing, another default branch)
//! cannot change the outcome.

use std::path::Path;
use std::process::Command;

/// Run `git ARGS` in `dir`; panics with git's stderr when it fails. Returns stdout, trimmed.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=bpkit",
            "-c",
            "user.email=bpkit@example.invalid",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Make `dir` a repository whose one commit, `message`, holds everything in it.
pub fn init_and_commit(dir: &Path, message: &str) {
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message]);
}
