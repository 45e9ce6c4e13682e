//! A buildpack and an app in a temp dir, staged the way the platform does it: each phase run by
//! path through `<buildpack>/bin/<phase>` (a symlink to the bpkit binary, so argv[0] picks the
//! phase and its folder's parent is the buildpack), with the platform's arguments and a clean
//! environment (`CF_STACK=cflinuxfs4`, no proxies, mirrors or debug settings from the caller).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::bin::{Run, bpkit_path, command_for, run};

pub const PHASES: [&str; 5] = ["detect", "supply", "finalize", "compile", "release"];

/// Make a buildpack folder under `root` with `manifest` and VERSION 1.0.0, its `bin/<phase>`
/// linked to the bpkit binary.
pub fn buildpack(root: &Path, name: &str, manifest: &str) -> PathBuf {
    let dir = root.join(name);
    fs::create_dir_all(dir.join("bin")).unwrap();
    fs::write(dir.join("manifest.yml"), manifest).unwrap();
    fs::write(dir.join("VERSION"), "1.0.0\n").unwrap();
    for phase in PHASES {
        std::os::unix::fs::symlink(bpkit_path(), dir.join("bin").join(phase)).unwrap();
    }
    dir
}

/// The folders of one staging.
pub struct Staging {
    pub root: tempfile::TempDir,
    pub app: PathBuf,
    pub cache: PathBuf,
    pub deps: PathBuf,
    pub profile: PathBuf,
    /// Extra environment for every phase.
    pub env: Vec<(String, String)>,
}

impl Staging {
    pub fn new() -> Staging {
        let root = tempfile::tempdir().unwrap();
        let base = root.path().to_path_buf();
        let staging = Staging {
            app: base.join("app"),
            cache: base.join("cache"),
            deps: base.join("deps"),
            profile: base.join("profile.d"),
            env: vec![("CF_STACK".into(), "cflinuxfs4".into())],
            root,
        };
        for dir in [
            &staging.app,
            &staging.cache,
            &staging.deps,
            &staging.profile,
        ] {
            fs::create_dir_all(dir).unwrap();
        }
        staging
    }

    pub fn path(&self) -> &Path {
        self.root.path()
    }

    /// Write a file of the app.
    pub fn app_file(&self, name: &str, contents: &str) -> &Self {
        let path = self.app.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    pub fn set_env(&mut self, name: &str, value: &str) -> &mut Self {
        self.env.retain(|(k, _)| k != name);
        self.env.push((name.into(), value.into()));
        self
    }

    /// `<bp>/bin/<phase>` with this staging's environment (no arguments yet).
    pub fn command(&self, buildpack: &Path, phase: &str) -> Command {
        let mut command = command_for(&buildpack.join("bin").join(phase));
        for name in [
            "BUILDPACK_DIR",
            "CF_STACK",
            "STACK",
            "http_proxy",
            "https_proxy",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "all_proxy",
            "ALL_PROXY",
            "no_proxy",
            "NO_PROXY",
            "SSL_CERT_FILE",
        ] {
            command.env_remove(name);
        }
        command.env("BPKIT_RETRY_DELAY_MS", "10");
        for (k, v) in &self.env {
            command.env(k, v);
        }
        command
    }

    pub fn detect(&self, buildpack: &Path) -> Run {
        run(self.command(buildpack, "detect").arg(&self.app))
    }

    pub fn supply(&self, buildpack: &Path, idx: &str) -> Run {
        fs::create_dir_all(self.deps.join(idx)).unwrap();
        run(self
            .command(buildpack, "supply")
            .args([&self.app, &self.cache, &self.deps])
            .arg(idx))
    }

    pub fn finalize(&self, buildpack: &Path, idx: &str) -> Run {
        run(self
            .command(buildpack, "finalize")
            .args([&self.app, &self.cache, &self.deps])
            .arg(idx)
            .arg(&self.profile))
    }

    /// Heroku's `bin/compile BUILD_DIR CACHE_DIR [ENV_DIR]`.
    pub fn compile(&self, buildpack: &Path, env_dir: Option<&Path>) -> Run {
        run(self
            .command(buildpack, "compile")
            .arg(&self.app)
            .arg(&self.cache)
            .args(env_dir))
    }

    pub fn release(&self, buildpack: &Path) -> Run {
        run(self.command(buildpack, "release").arg(&self.app))
    }

    /// Every file under the staging root, relative, sorted, with what it holds: a file's text
    /// (or the sha256 of other bytes) and mode, a link's target.
    pub fn tree(&self) -> Vec<String> {
        let mut out = Vec::new();
        walk(self.path(), self.path(), &mut out);
        out.sort();
        out
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap().display().to_string();
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            out.push(format!(
                "{relative} -> {}",
                fs::read_link(&path).unwrap().display()
            ));
        } else if kind.is_dir() {
            out.push(format!("{relative}/"));
            walk(root, &path, out);
        } else {
            let bytes = fs::read(&path).unwrap();
            let mode = entry.metadata().unwrap().permissions().mode() & 0o7777;
            let contents = match String::from_utf8(bytes) {
                Ok(text) => format!("{text:?}"),
                Err(e) => format!("<sha256 {}>", super::tarball::sha256(e.as_bytes())),
            };
            out.push(format!("{relative} ({mode:o}): {contents}"));
        }
    }
}

/// The lines of `text` that contain `needle`.
pub fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}
