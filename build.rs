//! Puts the git revision into `bpkit --version` when built from a git checkout. A build from a
//! source tarball (no `.git`) still works and simply shows the crate version.

use std::path::Path;
use std::process::Command;

fn main() {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
    };
    let suffix = match git(&["rev-parse", "--short=10", "HEAD"]) {
        Some(rev) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            format!(" (git {rev}{})", if dirty { ", modified" } else { "" })
        }
        None => String::new(),
    };
    println!("cargo:rustc-env=BPKIT_GIT_SUFFIX={suffix}");
    // Rebuild the string when HEAD moves, but only watch files that exist (a missing path
    // would make cargo rerun this script on every build).
    if let Some(git_dir) = git(&["rev-parse", "--git-dir"]) {
        for file in ["HEAD", "index"] {
            let path = Path::new(&git_dir).join(file);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
