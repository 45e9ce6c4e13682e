//! This repository's own manifest.yml, "the bpkit buildpack" (manifest.md): a Ruby buildpack
//! with no scripts. It validates, detects a Gemfile, releases the rackup command, and stages a
//! Rack app end to end with its real `install:`, `build:`, `launch_env:` and `release:` keys;
//! only the Ruby and Bundler tarballs are stand-ins (small shell scripts, checksummed like the
//! real ones) so that no test touches the internet.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::bin::{bpkit, repo_root, run};
use common::server::refused_url;
use common::staging::{PHASES, Staging};
use common::tarball::{Tarball, sha256};

fn fake_ruby() -> Vec<u8> {
    Tarball::new()
        .dir("bin/")
        .script("bin/ruby", "echo \"ruby 3.3.x (stand-in) $*\"")
        .dir("lib/")
        .file("lib/libruby.so.3.3", 0o644, "")
        .tgz()
}

/// `bundle` records each call in the app folder; `bundle exec CMD…` runs CMD from the app's
/// `bin/` (as a binstub would), so the launch really starts something.
fn fake_bundler() -> Vec<u8> {
    Tarball::new()
        .dir("bin/")
        .script(
            "bin/bundle",
            r#"echo "bundle $*" >> bundle-calls.txt
if [ "$1" = exec ]; then shift; cmd=$1; shift; exec "./bin/$cmd" "$@"; fi"#,
        )
        .dir("gems/")
        .tgz()
}

/// The repository's manifest with every ruby and bundler entry pointing at the stand-ins,
/// kept inside the buildpack as `file:` entries (a cached buildpack), URIs unreachable.
fn bpkit_buildpack(root: &Path) -> PathBuf {
    let bp = root.join("bpkit-buildpack");
    fs::create_dir_all(bp.join("bin")).unwrap();
    fs::create_dir_all(bp.join("deps")).unwrap();
    let ruby = fake_ruby();
    let bundler = fake_bundler();
    fs::write(bp.join("deps/ruby.tgz"), &ruby).unwrap();
    fs::write(bp.join("deps/bundler.tgz"), &bundler).unwrap();
    let original = fs::read_to_string(repo_root().join("manifest.yml")).unwrap();
    let mut manifest = String::new();
    let mut current = String::new();
    for line in original.lines() {
        if let Some(name) = line.strip_prefix("- name: ") {
            current = name.trim().to_string();
        }
        if line.starts_with("  uri: ") && (current == "ruby" || current == "bundler") {
            writeln!(
                manifest,
                "  uri: {}",
                refused_url(&format!("/{current}.tgz"))
            )
            .unwrap();
            continue;
        }
        if line.starts_with("  sha256: ") && (current == "ruby" || current == "bundler") {
            let bytes = if current == "ruby" { &ruby } else { &bundler };
            writeln!(
                manifest,
                "  sha256: {}\n  file: deps/{current}.tgz",
                sha256(bytes)
            )
            .unwrap();
            continue;
        }
        manifest.push_str(line);
        manifest.push('\n');
    }
    fs::write(bp.join("manifest.yml"), manifest).unwrap();
    fs::copy(repo_root().join("VERSION"), bp.join("VERSION")).unwrap();
    for phase in PHASES {
        std::os::unix::fs::symlink(common::bin::bpkit_path(), bp.join("bin").join(phase)).unwrap();
    }
    bp
}

fn rack_app(staging: &Staging) {
    staging
        .app_file(
            "Gemfile",
            "source 'https://rubygems.org'\nruby \"3.3.11\"\ngem 'rack'\ngem 'puma'\n",
        )
        .app_file("Gemfile.lock", "GEM\n  specs:\n\nBUNDLED WITH\n   2.6.5\n")
        .app_file("config.ru", "run ->(env) { [200, {}, ['hi']] }\n")
        .app_file(
            "bin/rackup",
            "#!/bin/sh\necho \"rackup $* RACK_ENV=$RACK_ENV ruby=$(command -v ruby) GEM_PATH=$GEM_PATH\"\n",
        );
    fs::set_permissions(
        staging.app.join("bin/rackup"),
        fs::Permissions::from_mode(0o755),
    )
    .unwrap();
}

#[test]
fn the_repository_manifest_validates() {
    let result = run(bpkit().arg("validate").arg(repo_root()));
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    assert!(!result.stdout.contains("error"), "{}", result.stdout);
}

#[test]
fn it_detects_a_gemfile_and_releases_rackup() {
    let staging = Staging::new();
    let bp = bpkit_buildpack(staging.path());
    let none = staging.detect(&bp);
    assert_eq!((none.code, none.stdout.as_str()), (1, ""));
    staging.app_file("Gemfile", "source 'https://rubygems.org'\n");
    let found = staging.detect(&bp);
    assert_eq!(
        (found.code, found.stdout.as_str(), found.stderr.as_str()),
        (0, "Ruby\n", "")
    );
    let release = staging.release(&bp);
    assert_eq!(
        release.stdout,
        "---\nconfig_vars:\n  RACK_ENV: production\ndefault_process_types:\n  web: bundle exec rackup config.ru -p $PORT\n"
    );
}

#[test]
fn it_stages_and_launches_a_rack_app() {
    let staging = Staging::new();
    let bp = bpkit_buildpack(staging.path());
    rack_app(&staging);
    let supply = staging.supply(&bp, "0");
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    let version = fs::read_to_string(repo_root().join("VERSION")).unwrap();
    for line in [
        format!("-----> Ruby Buildpack version {}", version.trim()),
        "-----> Installing ruby 3.3.11".to_string(),
        "       Using version 3.3.11, as requested in Gemfile".to_string(),
        "-----> Installing bundler 2.6.5".to_string(),
        "       Using version 2.6.5, as requested in Gemfile.lock".to_string(),
    ] {
        assert!(
            supply.stderr.lines().any(|l| l == line),
            "{line}\n---\n{}",
            supply.stderr
        );
    }
    let finalize = staging.finalize(&bp, "0");
    assert_eq!(finalize.code, 0, "{}", finalize.stderr);
    assert_eq!(
        fs::read_to_string(staging.app.join("bundle-calls.txt")).unwrap(),
        "bundle config set --local deployment true\nbundle config set --local without development:test\nbundle install --jobs 4 --retry 3\n"
    );

    // Launch the release's web command the way the launcher does, from /home/vcap-like paths.
    let release = staging.release(&bp);
    let web = release
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("  web: "))
        .unwrap()
        .to_string();
    let home = tempfile::tempdir().unwrap();
    let root = home.path();
    for (from, to) in [
        (&staging.app, "app"),
        (&staging.deps, "deps"),
        (&staging.profile, "profile.d"),
    ] {
        let status = Command::new("cp")
            .arg("-a")
            .arg(from)
            .arg(root.join(to))
            .status()
            .unwrap();
        assert!(status.success());
    }
    drop(staging);
    let output = Command::new("bash")
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", root.join("app"))
        .env("DEPS_DIR", root.join("deps"))
        .env("PORT", "8080")
        .current_dir(root.join("app"))
        .arg("-c")
        .arg("for f in ../profile.d/*; do . \"$f\"; done; exec bash -c \"$0\"")
        .arg(&web)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "rackup config.ru -p 8080 RACK_ENV=production ruby={deps}/0/bin/ruby GEM_PATH={deps}/0/bundler\n",
            deps = root.join("deps").display()
        )
    );
}
