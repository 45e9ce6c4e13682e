//! `bpkit package`'s settings once its flags are read: the [`Options`] a run is given, and the
//! two things they name indirectly — the dependency cache folder and the version packaged.

use std::fs;
use std::path::{Path, PathBuf};

use super::{BinLinks, Layout, PackageError, StackChoice, name, plan};
use crate::fetch::Mode;

/// What to package and how: `bpkit package`'s flags, resolved.
#[derive(Debug, Clone)]
pub struct Options {
    /// The buildpack folder.
    pub dir: PathBuf,
    /// A manifest to use instead of `DIR/manifest.yml` (packaged as `manifest.yml`).
    pub manifest: Option<PathBuf>,
    pub cached: bool,
    pub stack: StackChoice,
    /// Else the trimmed `DIR/VERSION`.
    pub version: Option<String>,
    /// The dependency cache; needed for a cached zip ([`default_cache_dir`]).
    pub cache_dir: Option<PathBuf>,
    /// Where the zip goes; `dir` when `None`.
    pub output_dir: Option<PathBuf>,
    pub profile: Option<String>,
    pub exclude: Vec<String>,
    pub include: Vec<String>,
    /// Parallel downloads, and threads deflating files.
    pub jobs: usize,
    pub mode: Mode,
    pub bin_links: BinLinks,
    /// The Linux bpkit binary for a bpkit buildpack; else the running executable.
    pub binary: Option<PathBuf>,
    /// `SOURCE_DATE_EPOCH`, for the entries' timestamp.
    pub source_date_epoch: Option<String>,
    /// Compute the zip's sha256 (for `--json`).
    pub hash_zip: bool,
    /// Where a cached zip puts the dependencies: the Go packager's layout, or the Ruby gem's
    /// for `buildpack-packager --cached`.
    pub layout: Layout,
}

impl Options {
    /// The dependencies chosen by `--profile`, `--exclude` and `--include`.
    pub(super) fn selection(&self) -> plan::Selection<'_> {
        plan::Selection {
            profile: self.profile.as_deref(),
            exclude: &self.exclude,
            include: &self.include,
        }
    }

    /// Defaults for packaging `dir` for any stack, uncached.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Options {
            dir: dir.into(),
            manifest: None,
            cached: false,
            stack: StackChoice::Any,
            version: None,
            cache_dir: None,
            output_dir: None,
            profile: None,
            exclude: Vec::new(),
            include: Vec::new(),
            jobs: 4,
            mode: Mode::Normal,
            bin_links: BinLinks::Shim,
            binary: None,
            source_date_epoch: None,
            hash_zip: false,
            layout: Layout::Go,
        }
    }
}

/// The dependency cache to use: `given` (`--cache-dir`), else [`default_cache_dir`]; made
/// absolute, since the paths in it are printed (`bpkit fetch`, `--json`) for scripts to use
/// from anywhere.
pub fn cache_dir(given: Option<&Path>) -> Result<PathBuf, PackageError> {
    let dir = given
        .map(Path::to_path_buf)
        .or_else(default_cache_dir)
        .ok_or(PackageError::NoCacheDir)?;
    unexpanded_tilde("the dependency cache", &dir)?;
    // A file there would fail every download with "Not a directory" under a hashed path.
    if fs::metadata(&dir).is_ok_and(|meta| !meta.is_dir()) {
        return Err(PackageError::CacheDirNotAFolder { path: dir });
    }
    // So would a file above it (`afile/sub`), and a symlink to nothing ("File exists").
    if let Some(problem) = in_the_way(&dir) {
        return Err(PackageError::CacheDirCannotBeMade { path: dir, problem });
    }
    // Only fails without a current folder, where a relative path is no worse.
    Ok(std::path::absolute(&dir).unwrap_or(dir))
}

/// A folder to be made whose path starts with a `~` no shell expanded (`--cache-dir=~/c`: a
/// shell expands one only at the start of a word; a CI file's `env:` or a Dockerfile's `ENV`
/// never does) is refused: bpkit made a folder named `~` in the current one, where the next
/// zip could pack it.
pub(crate) fn unexpanded_tilde(what: &'static str, dir: &Path) -> Result<(), PackageError> {
    let Some(std::path::Component::Normal(first)) = dir.components().next() else {
        return Ok(());
    };
    if !first.as_encoded_bytes().starts_with(b"~") {
        return Ok(());
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    let meant = match (first == "~", home) {
        (true, Some(home)) => {
            let rest: PathBuf = dir.components().skip(1).collect();
            format!("write {}", Path::new(&home).join(rest).display())
        }
        _ => "write the folder's full path".to_string(),
    };
    Err(PackageError::UnexpandedTilde {
        what,
        path: dir.to_path_buf(),
        first: first.to_string_lossy().into_owned(),
        meant,
    })
}

/// What keeps `dir` (a folder to be made with `create_dir_all`) from being a folder, said
/// as "afile is a file, not a folder" or "link is a symlink to `x`, which does not exist";
/// `None` when nothing is in the way. `create_dir_all` says only "Not a directory" (a file
/// above) or "File exists" (a dangling symlink), naming neither the path nor the fix.
pub(crate) fn in_the_way(dir: &Path) -> Option<String> {
    let mut parts: Vec<&Path> = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .collect();
    parts.reverse();
    for part in parts {
        let Ok(meta) = fs::symlink_metadata(part) else {
            // Missing: made by create_dir_all, and so is everything under it.
            return None;
        };
        let meta = if meta.file_type().is_symlink() {
            let Ok(meta) = fs::metadata(part) else {
                let target = fs::read_link(part).unwrap_or_default();
                return Some(format!(
                    "{} is a symlink to `{}`, which does not exist",
                    part.display(),
                    target.display()
                ));
            };
            meta
        } else {
            meta
        };
        if !meta.is_dir() {
            let what = if meta.is_file() {
                "a file"
            } else {
                crate::regular_file::describe_file_type(meta.file_type())
            };
            return Some(format!("{} is {what}, not a folder", part.display()));
        }
    }
    None
}

/// The default dependency cache: `BPKIT_CACHE_DIR`, else `$HOME/.buildpack-packager/cache`
/// (the Go packager's, so the two can share it).
pub fn default_cache_dir() -> Option<PathBuf> {
    default_cache_dir_in(|name| std::env::var_os(name))
}

/// [`default_cache_dir`] with the environment read through `var` (tests give their own). An
/// empty variable counts as unset, as a shell's `VAR=` means.
fn default_cache_dir_in(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    if let Some(dir) = var("BPKIT_CACHE_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    var("HOME")
        .filter(|v| !v.is_empty())
        .map(|home| PathBuf::from(home).join(".buildpack-packager/cache"))
}

/// The version to package: `--version`, else the trimmed `VERSION` file; either way one the
/// zip's file name can hold ([`name::version_problem`]), checked here where its source is
/// known so the error can name it.
pub fn resolve_version(explicit: Option<&str>, dir: &Path) -> Result<String, PackageError> {
    if let Some(version) = explicit {
        let version = version.trim();
        return match name::version_problem(version) {
            Some(problem) => Err(PackageError::BadVersion {
                source_name: "--version".into(),
                problem,
            }),
            None => Ok(version.to_string()),
        };
    }
    let path = dir.join("VERSION");
    let text =
        crate::version::read_version_file(&path).map_err(|cause| PackageError::MissingVersion {
            path: path.clone(),
            cause,
        })?;
    let version = crate::version::from_version_file(&text);
    if version.is_empty() {
        return Err(PackageError::EmptyVersion { path });
    }
    match name::version_problem(version) {
        Some(problem) => Err(PackageError::BadVersion {
            source_name: path.display().to_string(),
            problem,
        }),
        None => Ok(version.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// BPKIT_CACHE_DIR, else the Go packager's folder under HOME; an empty one is unset.
    #[test]
    fn the_default_cache_is_bpkit_cache_dir_else_the_go_packagers() {
        let with = |pairs: &'static [(&str, &str)]| {
            default_cache_dir_in(move |name| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.into())
            })
        };
        let go = Some(PathBuf::from("/home/u/.buildpack-packager/cache"));
        assert_eq!(
            with(&[("BPKIT_CACHE_DIR", "/c"), ("HOME", "/home/u")]),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(with(&[("HOME", "/home/u")]), go);
        assert_eq!(with(&[("BPKIT_CACHE_DIR", ""), ("HOME", "/home/u")]), go);
        assert_eq!(with(&[("HOME", "")]), None);
        assert_eq!(with(&[]), None);
    }

    /// `--profile`, `--exclude` and `--include` are what the plan selects by.
    #[test]
    fn the_selection_is_the_profile_and_the_lists() {
        let mut options = Options::new("bp");
        options.profile = Some("lean".into());
        options.exclude = vec!["a".into()];
        options.include = vec!["b".into(), "c".into()];
        let selection = options.selection();
        assert_eq!(
            (selection.profile, selection.exclude, selection.include),
            (
                Some("lean"),
                &["a".to_string()][..],
                &["b".to_string(), "c".to_string()][..]
            )
        );
    }

    /// A `~` no shell expanded is refused with what was meant: `~/c` as the folder under
    /// HOME, `~bob/c` only as "the full path"; a `~` anywhere but the first part is a name.
    #[test]
    fn a_tilde_no_shell_expanded_is_refused_with_what_was_meant() {
        let refused =
            |dir: &str| unexpanded_tilde("the output folder", Path::new(dir)).unwrap_err();
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
        let meant = match &home {
            Some(home) => format!("write {}", Path::new(home).join("c/d").display()),
            None => "write the folder's full path".to_string(),
        };
        assert_eq!(
            refused("~/c/d").to_string(),
            format!(
                "the output folder ~/c/d starts with `~`, which no shell expanded (one does only at the start of a word: not after `--flag=`, nor in CI files or Dockerfile ENV lines), so bpkit would make a folder named `~` in the current one; {meant}"
            )
        );
        assert!(
            home.is_some(),
            "the tests run with HOME set, so the folder under it is what they check"
        );
        assert!(
            refused("~bob/c").to_string().ends_with(
                "so bpkit would make a folder named `~bob` in the current one; write the folder's full path"
            ),
            "{}",
            refused("~bob/c")
        );
        for fine in ["c/~", "c/~/d", "/~/c", "./~", "", "c"] {
            assert!(
                unexpanded_tilde("the output folder", Path::new(fine)).is_ok(),
                "{fine}"
            );
        }
    }

    /// What keeps a folder from being made is named: a file on the way, a symlink to
    /// nothing, a file or a socket where the folder goes; nothing for a path that is missing
    /// (made whole) or that is a folder already, or a symlink to one.
    #[test]
    fn what_is_in_the_way_of_a_folder_is_named() {
        let temp = tempfile::tempdir().unwrap();
        let t = temp.path();
        fs::write(t.join("afile"), "x").unwrap();
        std::os::unix::fs::symlink("nowhere", t.join("dangling")).unwrap();
        std::os::unix::fs::symlink(t, t.join("to-dir")).unwrap();
        let _socket = std::os::unix::net::UnixListener::bind(t.join("sock")).unwrap();
        assert_eq!(
            in_the_way(&t.join("afile/sub")),
            Some(format!(
                "{} is a file, not a folder",
                t.join("afile").display()
            ))
        );
        assert_eq!(
            in_the_way(&t.join("afile")),
            Some(format!(
                "{} is a file, not a folder",
                t.join("afile").display()
            ))
        );
        assert_eq!(
            in_the_way(&t.join("dangling/sub")),
            Some(format!(
                "{} is a symlink to `nowhere`, which does not exist",
                t.join("dangling").display()
            ))
        );
        assert_eq!(
            in_the_way(&t.join("sock")),
            Some(format!(
                "{} is a socket, not a folder",
                t.join("sock").display()
            ))
        );
        for free in ["missing/sub", "to-dir/sub", "to-dir", ""] {
            assert_eq!(in_the_way(&t.join(free)), None, "{free}");
        }
        assert_eq!(in_the_way(Path::new("relative/missing")), None);
    }

    /// `--cache-dir` is made absolute (its paths are printed for scripts), after the same
    /// checks: a `~`, a file in its place, a file on its way.
    #[test]
    fn the_cache_folder_given_is_checked_and_made_absolute() {
        let temp = tempfile::tempdir().unwrap();
        let t = temp.path();
        assert_eq!(cache_dir(Some(&t.join("c"))).unwrap(), t.join("c"));
        let relative = cache_dir(Some(Path::new("some/cache"))).unwrap();
        assert!(relative.is_absolute(), "{}", relative.display());
        assert!(relative.ends_with("some/cache"), "{}", relative.display());
        fs::write(t.join("afile"), "x").unwrap();
        assert_eq!(
            cache_dir(Some(&t.join("afile"))).unwrap_err().to_string(),
            format!(
                "the dependency cache {} is a file, not a folder; point --cache-dir (or BPKIT_CACHE_DIR) at a folder, which is created when missing",
                t.join("afile").display()
            )
        );
        assert_eq!(
            cache_dir(Some(&t.join("afile/c"))).unwrap_err().to_string(),
            format!(
                "the dependency cache {} cannot be made: {} is a file, not a folder; point --cache-dir (or BPKIT_CACHE_DIR) at a folder, which is created when missing",
                t.join("afile/c").display(),
                t.join("afile").display()
            )
        );
        assert!(matches!(
            cache_dir(Some(Path::new("~/c"))),
            Err(PackageError::UnexpandedTilde { .. })
        ));
    }

    #[test]
    fn versions_come_from_the_flag_or_the_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            resolve_version(Some(" 2.0.0 "), dir.path()).unwrap(),
            "2.0.0"
        );
        let err = resolve_version(None, dir.path()).unwrap_err();
        assert!(
            err.to_string().ends_with(
                "VERSION: no such file; create it with the buildpack's version (`echo 1.0.0 > VERSION`) or pass --version"
            ),
            "{err}"
        );
        fs::write(dir.path().join("VERSION"), "1.2.3").unwrap();
        assert_eq!(resolve_version(None, dir.path()).unwrap(), "1.2.3");
    }

    /// VERSION there but unreadable: each cause in words with its fix, not the raw
    /// `Is a directory (os error 21)` or `stream did not contain valid UTF-8`.
    #[test]
    fn an_unreadable_version_file_says_why_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("VERSION");
        fs::create_dir(&path).unwrap();
        let err = resolve_version(None, dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot read {}: it is a folder, not a file; put a file holding the buildpack's version in its place (`echo 1.0.0 > VERSION`) or pass --version",
                path.display()
            )
        );
        fs::remove_dir(&path).unwrap();
        fs::write(&path, b"1.0\xff\n").unwrap();
        let err = resolve_version(None, dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot read {}: it is not UTF-8 text; write the buildpack's version in it (`echo 1.0.0 > VERSION`) or pass --version",
                path.display()
            )
        );
        // A VERSION that is a link to a device is not read at all, and a large file is not
        // read to its end.
        fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        let err = resolve_version(None, dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot read {}: it is a character device, not a file; write the buildpack's version in it (`echo 1.0.0 > VERSION`) or pass --version",
                path.display()
            )
        );
        fs::remove_file(&path).unwrap();
        fs::write(&path, vec![b'1'; 64 * 1024 + 1]).unwrap();
        let err = resolve_version(None, dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot read {}: it is larger than 64 KiB, which no VERSION file is; write the buildpack's version in it (`echo 1.0.0 > VERSION`) or pass --version",
                path.display()
            )
        );
        // Mode 000 cannot be tried as root (the tests' usual user), which reads it anyway.
        let denied = PackageError::MissingVersion {
            path: "bp/VERSION".into(),
            cause: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert_eq!(
            denied.to_string(),
            "cannot read bp/VERSION: permission denied; let this user read it (`chmod a+r VERSION`) or pass --version"
        );
    }
}
