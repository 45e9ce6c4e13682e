//! Puts the git revision into `bpkit --version` when built from a git checkout. A build from a
//! source tarball (no `.git`) still works and simply shows the crate version.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    for line in directives(&root) {
        println!("{line}");
    }
}

/// What this script tells cargo for the package in `root` (tests/build_script.rs runs it on
/// scratch repositories).
pub fn directives(root: &Path) -> Vec<String> {
    let mut out = vec!["cargo:rerun-if-changed=build.rs".to_string()];
    // Only this package's own checkout counts (`.git` is a folder, or a file in a worktree): a
    // source tarball unpacked inside some other repository must not show that one's revision.
    if !root.join(".git").exists() {
        out.push("cargo:rustc-env=BPKIT_GIT_SUFFIX=".to_string());
        return out;
    }
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let suffix = match git(&["rev-parse", "--short=10", "HEAD"]) {
        Some(rev) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some();
            format!(" (git {rev}{})", if dirty { ", modified" } else { "" })
        }
        None => String::new(),
    };
    out.push(format!("cargo:rustc-env=BPKIT_GIT_SUFFIX={suffix}"));

    // Rebuild the string whenever HEAD may have moved. `--git-dir` is this checkout's own
    // folder (in a worktree, `.git/worktrees/<name>`, named by the `.git` file), holding HEAD,
    // the index and HEAD's reflog; `--git-common-dir` holds the branches and packed-refs,
    // shared by all worktrees. Relative answers are relative to `root`, where git ran.
    let absolute = |dir: String| {
        let dir = PathBuf::from(dir);
        if dir.is_absolute() {
            dir
        } else {
            root.join(dir)
        }
    };
    let Some(git_dir) = git(&["rev-parse", "--git-dir"]).map(absolute) else {
        return out;
    };
    let common_dir =
        git(&["rev-parse", "--git-common-dir"]).map_or_else(|| git_dir.clone(), absolute);
    let mut watched = vec![
        git_dir.join("HEAD"),
        git_dir.join("index"),
        // Appended to on every commit, checkout or reset in this checkout, even when the
        // branch itself is only in packed-refs (a commit then creates a loose ref file that
        // did not exist to be watched).
        git_dir.join("logs/HEAD"),
        common_dir.join("packed-refs"),
    ];
    // The branch HEAD points to (`ref: refs/heads/main`): per-worktree refs live in the
    // worktree's own folder, the others in the common one.
    if let Ok(head) = std::fs::read_to_string(git_dir.join("HEAD"))
        && let Some(reference) = head.trim().strip_prefix("ref: ")
        && is_plain_ref(reference)
    {
        watched.push(git_dir.join(reference));
        if common_dir != git_dir {
            watched.push(common_dir.join(reference));
        }
    }
    // Only watch files that exist: a missing path would make cargo rerun this script (and
    // rebuild bpkit) on every build.
    for path in watched.iter().filter(|p| p.is_file()) {
        out.push(format!("cargo:rerun-if-changed={}", path.display()));
    }
    out
}

/// A ref name as git writes it in HEAD (`refs/heads/x`), never a path out of the git folder.
fn is_plain_ref(reference: &str) -> bool {
    reference.starts_with("refs/")
        && Path::new(reference)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}
