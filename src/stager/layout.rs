//! The staging workspace, laid out as the platform's builder lays out its container: the build
//! dir the phases change (the builder's `/tmp/app`), a "contents" dir that becomes the droplet
//! (`deps/<idx>`, `profile.d`, later `app`, `tmp`, `logs`, `staging_info.yml`, like the
//! builder's `$TMPDIR/contents…`), the build artifacts cache (`/tmp/cache`), downloaded
//! buildpacks, and a fresh `tmp` standing in for the staging container's empty `/tmp`.
//!
//! Also the builder's two naming rules: zero-padded deps indexes (`DepsIndex`) and the
//! per-supply-buildpack cache folder names.

use super::error::StageError;
use std::path::{Path, PathBuf};

use super::cache::xxhash64;
use crate::scratch::ScratchDir;

/// The folders of one staging. Removed when dropped, unless kept (`--keep`); removed by a later
/// staging when bpkit was killed ([`ScratchDir`]).
#[derive(Debug)]
pub struct Workspace {
    root: PathBuf,
    dir: ScratchDir,
}

impl Workspace {
    /// A fresh workspace in the system temp folder.
    pub fn create() -> Result<Self, StageError> {
        let dir = ScratchDir::create("bpkit-stage-")?;
        let root = dir.path().to_path_buf();
        for sub in [
            "contents/deps",
            "contents/profile.d",
            "cache",
            "buildpacks",
            "tmp",
        ] {
            let path = root.join(sub);
            std::fs::create_dir_all(&path).map_err(|e| StageError::access("create", path, e))?;
        }
        Ok(Workspace { root, dir })
    }

    /// Keep the folders after bpkit exits; returns where they are.
    pub fn keep(&mut self) -> &Path {
        self.dir.keep()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The app the phases work on (`BUILD_DIR`).
    pub fn build_dir(&self) -> PathBuf {
        self.root.join("app")
    }

    /// What becomes the droplet.
    pub fn contents_dir(&self) -> PathBuf {
        self.root.join("contents")
    }

    /// `DEPS_DIR`.
    pub fn deps_dir(&self) -> PathBuf {
        self.contents_dir().join("deps")
    }

    /// Finalize's `PROFILE_DIR`: the droplet's top-level `profile.d`.
    pub fn profile_dir(&self) -> PathBuf {
        self.contents_dir().join("profile.d")
    }

    /// The build artifacts cache (`final/` and one folder per supply buildpack).
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join("cache")
    }

    /// Where zip-URL and git-URL buildpacks are unpacked.
    pub fn buildpacks_dir(&self) -> PathBuf {
        self.root.join("buildpacks")
    }

    /// `TMPDIR` for the phases: empty at the start of each staging, like the container's `/tmp`.
    pub fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }
}

/// The builder's `DepsIndex(i)`: `i` zero-padded to the number of digits of `count`, the number
/// of buildpacks that get a deps folder (every `-b` without detect; 1 in detect mode).
pub fn deps_index(i: usize, count: usize) -> String {
    let width = count.max(1).to_string().len();
    format!("{i:0width$}")
}

/// The cache folder of a supply buildpack: the builder names it after a hash of the buildpack's
/// key (the name or URL it was given as): xxhash64, 16 hex digits, in current versions (older
/// ones used md5).
pub fn supply_cache_name(key: &str) -> String {
    format!("{:016x}", xxhash64(key.as_bytes()))
}

/// The cache folder of the final buildpack.
pub const FINAL_CACHE: &str = "final";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_are_padded_to_the_buildpack_count() {
        assert_eq!(deps_index(0, 1), "0");
        assert_eq!(deps_index(2, 9), "2");
        assert_eq!(deps_index(0, 10), "00");
        assert_eq!(deps_index(9, 10), "09");
        assert_eq!(deps_index(10, 11), "10");
        assert_eq!(deps_index(7, 100), "007");
    }

    /// xxhash64 with seed 0, 16 hex digits: the empty key's is the algorithm's published
    /// test value.
    #[test]
    fn a_supply_buildpacks_cache_is_named_by_the_xxhash64_of_its_key() {
        assert_eq!(supply_cache_name(""), "ef46db3751d8e999");
        assert_eq!(supply_cache_name("ruby_buildpack").len(), 16);
        assert_ne!(
            supply_cache_name("ruby_buildpack"),
            supply_cache_name("go_buildpack")
        );
    }

    #[test]
    fn workspace_is_removed_unless_kept() {
        let ws = Workspace::create().unwrap();
        let root = ws.root().to_path_buf();
        assert!(root.join("contents/deps").is_dir());
        // The builder's layout: the droplet's contents beside the app, cache and buildpacks.
        for (dir, under_root) in [
            (ws.build_dir(), "app"),
            (ws.contents_dir(), "contents"),
            (ws.deps_dir(), "contents/deps"),
            (ws.profile_dir(), "contents/profile.d"),
            (ws.cache_dir(), "cache"),
            (ws.buildpacks_dir(), "buildpacks"),
            (ws.tmp_dir(), "tmp"),
        ] {
            assert_eq!(dir, root.join(under_root));
        }
        drop(ws);
        assert!(!root.exists());

        let mut ws = Workspace::create().unwrap();
        let kept = ws.keep().to_path_buf();
        drop(ws);
        assert!(kept.is_dir());
        std::fs::remove_dir_all(kept).unwrap();
    }
}
