//! Hand-written shell-script buildpacks for the stager tests: they prove `bpkit stage` runs any
//! buildpack as the platform does (by its `bin/*` programs), not only bpkit ones.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A buildpack folder under construction.
pub struct ShellBuildpack {
    pub dir: PathBuf,
}

impl ShellBuildpack {
    /// An empty buildpack (just `bin/`) at `parent/name`.
    pub fn new(parent: &Path, name: &str) -> Self {
        let dir = parent.join(name);
        fs::create_dir_all(dir.join("bin")).unwrap();
        ShellBuildpack { dir }
    }

    /// Add `bin/<phase>` with this `sh` body (a `#!/bin/sh` and `set -e` are prepended).
    pub fn script(self, phase: &str, body: &str) -> Self {
        let path = self.dir.join("bin").join(phase);
        fs::write(&path, format!("#!/bin/sh\nset -e\n{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        self
    }

    /// A release that prints `default_process_types` with one `web` command.
    pub fn release_web(self, command: &str) -> Self {
        let body = format!("cat <<'YAML'\n---\ndefault_process_types:\n  web: {command}\nYAML");
        self.script("release", &body)
    }

    pub fn path(&self) -> &str {
        self.dir.to_str().unwrap()
    }
}

/// A small app folder with the given files (path, contents).
pub fn app(parent: &Path, files: &[(&str, &str)]) -> PathBuf {
    let dir = parent.join("app");
    fs::create_dir_all(&dir).unwrap();
    for (name, contents) in files {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
    dir
}

/// Every file under `dir` with its contents and mode, for "nothing changed" checks.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, u32)> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>, u32)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let meta = fs::symlink_metadata(&path).unwrap();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if meta.is_dir() {
            out.push((rel + "/", Vec::new(), meta.permissions().mode()));
            walk(root, &path, out);
        } else {
            out.push((
                rel,
                fs::read(&path).unwrap_or_default(),
                meta.permissions().mode(),
            ));
        }
    }
}
