//! build.rs, run on scratch repositories: `--version`'s git revision is recomputed whenever
//! HEAD moves (the ref HEAD names, packed-refs, the reflog, in a plain clone and in a worktree),
//! and a build without git (a source tarball, even one unpacked inside another repository)
//! still works and shows no revision.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../build.rs"]
mod build_rs;
mod common;

use std::path::Path;

use common::git::{git, init_and_commit};

/// A repository at `dir` with one commit.
fn repository(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("Cargo.toml"), "[package]\n").unwrap();
    init_and_commit(dir, "one");
}

fn watched(directives: &[String]) -> Vec<String> {
    directives
        .iter()
        .filter_map(|d| d.strip_prefix("cargo:rerun-if-changed="))
        .map(str::to_string)
        .collect()
}

fn suffix(directives: &[String]) -> String {
    directives
        .iter()
        .find_map(|d| d.strip_prefix("cargo:rustc-env=BPKIT_GIT_SUFFIX="))
        .unwrap()
        .to_string()
}

#[test]
fn a_build_without_git_shows_no_revision_and_watches_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("bpkit-0.1.0");
    std::fs::create_dir_all(&plain).unwrap();
    assert_eq!(
        build_rs::directives(&plain),
        [
            "cargo:rerun-if-changed=build.rs",
            "cargo:rustc-env=BPKIT_GIT_SUFFIX="
        ]
    );
    // Unpacked inside some other repository: still not that repository's revision.
    let outer = tmp.path().join("outer");
    repository(&outer);
    let inside = outer.join("vendor/bpkit-0.1.0");
    std::fs::create_dir_all(&inside).unwrap();
    assert_eq!(suffix(&build_rs::directives(&inside)), "");
}

#[test]
fn head_the_branch_it_names_packed_refs_and_the_reflog_are_watched() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().canonicalize().unwrap().join("repo");
    repository(&repo);
    let rev = git(&repo, &["rev-parse", "--short=10", "HEAD"]);
    let directives = build_rs::directives(&repo);
    assert_eq!(suffix(&directives), format!(" (git {rev})"));
    let git_dir = repo.join(".git");
    let expected: Vec<String> = ["HEAD", "index", "logs/HEAD", "refs/heads/main"]
        .iter()
        .map(|f| git_dir.join(f).display().to_string())
        .collect();
    assert_eq!(watched(&directives)[1..], expected[..]);

    // A packed branch has no file of its own: packed-refs is watched (and the reflog).
    git(&repo, &["pack-refs", "--all"]);
    std::fs::write(repo.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    let directives = build_rs::directives(&repo);
    assert_eq!(suffix(&directives), format!(" (git {rev}, modified)"));
    let watched = watched(&directives);
    assert!(
        watched.contains(&git_dir.join("packed-refs").display().to_string()),
        "{watched:?}"
    );
    assert!(!watched.iter().any(|w| w.ends_with("refs/heads/main")));
}

#[test]
fn in_a_worktree_the_branch_is_watched_in_the_common_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path().canonicalize().unwrap();
    let repo = t.join("repo");
    repository(&repo);
    let worktree = t.join("wt");
    git(
        &repo,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "other",
            worktree.to_str().unwrap(),
        ],
    );
    assert!(worktree.join(".git").is_file());
    let rev = git(&worktree, &["rev-parse", "--short=10", "HEAD"]);
    let directives = build_rs::directives(&worktree);
    assert_eq!(suffix(&directives), format!(" (git {rev})"));
    let own = repo.join(".git/worktrees/wt");
    let expected: Vec<String> = [
        own.join("HEAD"),
        own.join("index"),
        own.join("logs/HEAD"),
        repo.join(".git/refs/heads/other"),
    ]
    .iter()
    .map(|p| p.display().to_string())
    .collect();
    assert_eq!(watched(&directives)[1..], expected[..]);
}
