//! Where `bpkit stage` writes `droplet.tgz`, `result.json` and `cache.tgz`: `--out`, or a
//! default folder that is never inside the app folder (whatever landed there would be uploaded
//! by the next `cf push`), and the clearing of a previous staging's outputs. `--cache` is
//! kept out of the app folder by the same check (`resolve_inside`), and so is the system temp
//! folder, where the workspace goes. Two stagings into one outputs folder take turns
//! (`OutLock`).

use std::fs;
use std::path::{Path, PathBuf};

use super::{StageError, StageOptions};

/// Where the outputs go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutDir {
    /// Absolute, with the part that exists resolved (symbolic links followed).
    pub path: PathBuf,
    /// The default `./.bpkit/stage/<app>` was inside the app folder, so the user cache folder
    /// was used instead (the staging log says so).
    pub moved: bool,
}

/// The output folder for `options`: `--out`, else `./.bpkit/stage/<app>`, else (when that is
/// inside the app folder, as it is when bpkit runs from the app) `$XDG_CACHE_HOME/bpkit/stage/
/// <app>` or `~/.cache/bpkit/stage/<app>`. Nothing is ever put inside the app folder: the
/// user's folder is only read, and whatever landed there would be uploaded by the next
/// `cf push` (droplets included). `app_dir` is canonical.
pub fn out_dir(options: &StageOptions, app_dir: &Path) -> Result<OutDir, StageError> {
    if let Some(out) = &options.out {
        let (path, is_inside) = resolve_inside(out, app_dir)?;
        if is_inside {
            return Err(StageError::OutInsideApp {
                out: out.clone(),
                app_dir: app_dir.to_path_buf(),
            });
        }
        return Ok(OutDir { path, moved: false });
    }
    default_out_dir(app_dir)
}

/// Where `bpkit stage APP` without `--out` puts its outputs, for the canonical `app_dir` (see
/// [`out_dir`]); `bpkit run APP` uses it to point at the droplet of an app folder given to it.
pub fn default_out_dir(app_dir: &Path) -> Result<OutDir, StageError> {
    let name = app_name(app_dir);
    let default = Path::new(".bpkit").join("stage").join(&name);
    let (path, is_inside) = resolve_inside(&default, app_dir)?;
    if !is_inside {
        return Ok(OutDir { path, moved: false });
    }
    let Some(cache_home) = user_cache_dir() else {
        return Err(StageError::NoOutDirOutsideApp {
            name,
            app_dir: app_dir.to_path_buf(),
        });
    };
    let fallback = cache_home.join("bpkit").join("stage").join(&name);
    let (path, is_inside) = resolve_inside(&fallback, app_dir)?;
    if is_inside {
        return Err(StageError::OutDirsInsideApp {
            name,
            fallback,
            app_dir: app_dir.to_path_buf(),
        });
    }
    Ok(OutDir { path, moved: true })
}

/// `path` resolved ([`resolve`]), and whether it is inside the canonical `app_dir`.
pub(super) fn resolve_inside(path: &Path, app_dir: &Path) -> Result<(PathBuf, bool), StageError> {
    let resolved = resolve(path).map_err(|e| StageError::access("resolve", path, e))?;
    let inside = resolved.starts_with(app_dir);
    Ok((resolved, inside))
}

/// The workspace goes in the system temp folder; were that the app folder (canonical) or
/// inside it, copying the app into the workspace would copy the copy too, and the user's
/// folder would be written to. Refused before anything is touched.
pub(super) fn refuse_temp_inside(app_dir: &Path) -> Result<(), StageError> {
    let tmp = std::env::temp_dir();
    if resolve_inside(&tmp, app_dir)?.1 {
        return Err(StageError::TempInsideApp {
            tmp,
            app_dir: app_dir.to_path_buf(),
        });
    }
    Ok(())
}

/// The user's cache folder, as the XDG base directory specification defines it:
/// `$XDG_CACHE_HOME` when set to an absolute path, else `$HOME/.cache`.
fn user_cache_dir() -> Option<PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    absolute("XDG_CACHE_HOME").or_else(|| absolute("HOME").map(|home| home.join(".cache")))
}

/// `path` made absolute, with its longest existing ancestor canonicalized and the rest
/// appended (`..` applied), so a folder that does not exist yet can be compared with the
/// canonical app folder, symbolic links included.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    use std::path::Component;
    let absolute = std::path::absolute(path)?;
    let components: Vec<Component<'_>> = absolute.components().collect();
    for split in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..split].iter().collect();
        if let Ok(mut resolved) = fs::canonicalize(&prefix) {
            for component in &components[split..] {
                match component {
                    Component::ParentDir => {
                        resolved.pop();
                    }
                    Component::Normal(name) => resolved.push(name),
                    _ => {}
                }
            }
            return Ok(resolved);
        }
    }
    Ok(absolute)
}

/// The file an outputs folder is locked by while a staging writes into it.
pub(crate) const LOCK_NAME: &str = ".bpkit-stage.lock";

/// An outputs folder held by one staging, from the removal of the previous outputs to the
/// last one written: a second staging into it waits. Without it, each removed the other's
/// outputs and temporary files, and the droplet of one could sit beside the `result.json` of
/// the other. The lock file is removed when the staging ends (a killed one leaves it, empty,
/// and the next staging takes it over).
pub(super) struct OutLock {
    path: PathBuf,
    _file: fs::File,
}

impl Drop for OutLock {
    fn drop(&mut self) {
        // Removed while still held, so a staging waiting on this file sees, once it has the
        // lock, that the path no longer leads to it, and locks the path's new file instead.
        let _ = fs::remove_file(&self.path);
    }
}

impl OutLock {
    /// Lock the outputs folder `out`, waiting (and saying so) while another staging holds it.
    /// A file system without locks goes unlocked, as the cache's lock does.
    pub(super) fn acquire(out: &Path, logger: &crate::output::Logger) -> Result<Self, StageError> {
        let path = out.join(LOCK_NAME);
        let mut told = false;
        loop {
            let file = fs::File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .or_else(|e| {
                    // Another user's lock file in a shared folder (`--out /tmp`): a lock
                    // needs no write access to it, and the folder may still be writable.
                    if e.kind() == std::io::ErrorKind::PermissionDenied {
                        fs::File::open(&path).map_err(|_| e)
                    } else {
                        Err(e)
                    }
                })
                .map_err(|source| StageError::CannotWriteOut {
                    path: out.to_path_buf(),
                    source,
                })?;
            match file.try_lock() {
                Ok(()) => {
                    if is_the_file_at(&path, &file) {
                        return Ok(OutLock { path, _file: file });
                    }
                    // The previous holder removed it as it let go: lock the path's new file.
                    continue;
                }
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(_)) => return Ok(OutLock { path, _file: file }),
            }
            if !told {
                logger.detail(&format!(
                    "Waiting for another `bpkit stage` writing to {} to finish",
                    out.display()
                ));
                told = true;
            }
            if crate::process_group::termination_requested() {
                return Err(StageError::Interrupted);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

/// Whether `file` is the file at `path` now (not one removed, or replaced, since it was
/// opened), by device and inode.
fn is_the_file_at(path: &Path, file: &fs::File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(path), file.metadata()) {
        (Ok(at_path), Ok(held)) => at_path.dev() == held.dev() && at_path.ino() == held.ino(),
        _ => false,
    }
}

/// Whether a `bpkit stage` is writing into the outputs folder `out` now (it holds the lock):
/// `bpkit run OUT` can then say so, rather than call the folder no droplet's.
pub fn staging_in_progress(out: &Path) -> bool {
    fs::File::open(out.join(LOCK_NAME))
        .is_ok_and(|file| matches!(file.try_lock_shared(), Err(fs::TryLockError::WouldBlock)))
}

/// Create the outputs folder `out` (resolved from `options.out`, or the default).
pub(super) fn create_out_dir(options: &StageOptions, out: &Path) -> Result<(), StageError> {
    fs::create_dir_all(out).map_err(|e| {
        // A file where the folder (or one of its parents) should be is the user's choice of
        // --out, not this machine's problem: name the file and the fix, looked for along the
        // path as given so the message uses the user's words.
        let given = options.out.as_deref().unwrap_or(out);
        // A link to nothing: mkdir does not follow it (`File exists`), and the folder it
        // names may be anywhere, the app folder included.
        if let Ok(target) = fs::read_link(out)
            && fs::metadata(out).is_err()
        {
            return StageError::OutIsDanglingLink {
                out: given.to_path_buf(),
                target,
            };
        }
        match existing_non_folder(given) {
            Some(file) => StageError::OutNotAFolder {
                out: given.to_path_buf(),
                file,
            },
            None => StageError::CannotCreateOut {
                path: out.to_path_buf(),
                source: e,
            },
        }
    })
}

/// The first of `path` and its ancestors that exists and is not a folder (symbolic links
/// followed), if any.
pub(super) fn existing_non_folder(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| fs::metadata(p).is_ok_and(|m| !m.is_dir()))
        .map(Path::to_path_buf)
}

/// The app's name, as the staging environment and `bpkit run` give it: the name of its folder
/// (symbolic links followed), else `app`.
pub(crate) fn app_name(app_dir: &Path) -> String {
    fs::canonicalize(app_dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".to_string())
}

/// The three output files.
pub(super) struct Outputs {
    pub(super) droplet: PathBuf,
    pub(super) result_json: PathBuf,
    pub(super) cache_tgz: PathBuf,
}

impl Outputs {
    pub(super) fn in_dir(dir: &Path) -> Self {
        Outputs {
            droplet: dir.join("droplet.tgz"),
            result_json: dir.join("result.json"),
            cache_tgz: dir.join("cache.tgz"),
        }
    }

    /// Remove the outputs of an interrupted staging; one that cannot be removed stays (the
    /// interruption is what gets reported).
    pub(super) fn remove_written(&self) {
        for path in [&self.droplet, &self.result_json, &self.cache_tgz] {
            let _ = fs::remove_file(path);
        }
    }

    /// A previous staging's outputs must not pass for this one's if it fails, and the
    /// temporary files of a staging that was killed while writing are removed.
    pub(super) fn remove_stale(&self) -> Result<(), StageError> {
        for path in [&self.droplet, &self.result_json, &self.cache_tgz] {
            match fs::remove_file(path) {
                Err(_) if path.symlink_metadata().is_ok_and(|m| m.is_dir()) => {
                    return Err(StageError::OutputIsAFolder {
                        path: path.clone(),
                        name: path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    });
                }
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(StageError::access("remove the old", path, e));
                }
                _ => {}
            }
        }
        if let Some(dir) = self.droplet.parent()
            && let Ok(entries) = fs::read_dir(dir)
        {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let ours = [".droplet.tgz.", ".cache.tgz.", ".result."]
                    .iter()
                    .any(|p| name.starts_with(p));
                if ours && Path::new(&name).extension().is_some_and(|e| e == "part") {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Logger;

    #[test]
    fn a_path_is_resolved_through_what_exists_and_applied_past_it() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(real.join("target")).unwrap();
        std::os::unix::fs::symlink(real.join("target"), real.join("link")).unwrap();
        // Nothing of `missing` exists: it is appended, its `..` applied.
        assert_eq!(
            resolve(&dir.path().join("missing/../other/x")).unwrap(),
            real.join("other/x")
        );
        // Through a link that exists, to where it points.
        assert_eq!(
            resolve(&dir.path().join("link/new")).unwrap(),
            real.join("target/new")
        );
        assert_eq!(
            resolve(&dir.path().join("link")).unwrap(),
            real.join("target")
        );
        // A relative path, from the working folder.
        assert_eq!(
            resolve(Path::new("no-such-bpkit-folder")).unwrap(),
            fs::canonicalize(".").unwrap().join("no-such-bpkit-folder")
        );
    }

    #[test]
    fn a_path_through_a_link_into_the_app_is_inside_it() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        let app = real.join("app");
        fs::create_dir(&app).unwrap();
        std::os::unix::fs::symlink(&app, real.join("to-app")).unwrap();
        assert_eq!(
            resolve_inside(&real.join("to-app/out"), &app).unwrap(),
            (app.join("out"), true)
        );
        assert_eq!(
            resolve_inside(&real.join("app/../out"), &app).unwrap(),
            (real.join("out"), false)
        );
    }

    fn options(out: Option<PathBuf>) -> StageOptions {
        StageOptions {
            app_dir: PathBuf::from("app"),
            buildpacks: Vec::new(),
            detect: false,
            stack: "cflinuxfs4".into(),
            env: Vec::new(),
            services: None,
            cache: None,
            out,
            memory_mb: 1024,
            keep: false,
            timeout_secs: 900,
        }
    }

    #[test]
    fn an_outputs_folder_given_is_taken_unless_it_is_in_the_app() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        let app = real.join("app");
        fs::create_dir(&app).unwrap();
        let out = out_dir(&options(Some(real.join("out"))), &app).unwrap();
        assert_eq!(
            out,
            OutDir {
                path: real.join("out"),
                moved: false
            }
        );
        let err = out_dir(&options(Some(app.join("out"))), &app).unwrap_err();
        assert!(matches!(err, StageError::OutInsideApp { .. }), "{err:?}");
        // The system temp folder inside the app (here: an app at the root) is refused too.
        assert!(refuse_temp_inside(&app).is_ok());
        let err = refuse_temp_inside(Path::new("/")).unwrap_err();
        assert!(matches!(err, StageError::TempInsideApp { .. }), "{err:?}");
    }

    #[test]
    fn an_outputs_folder_that_cannot_be_made_is_named_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let made = dir.path().join("a/b");
        create_out_dir(&options(None), &made).unwrap();
        assert!(made.is_dir());
        // A file on the way, named as the user gave the path.
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        let given = file.join("out");
        let err = create_out_dir(&options(Some(given.clone())), &given).unwrap_err();
        assert!(
            matches!(&err, StageError::OutNotAFolder { file: found, .. } if *found == file),
            "{err:?}"
        );
        // A link to nothing.
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        let err = create_out_dir(&options(Some(dangling.clone())), &dangling).unwrap_err();
        assert!(
            matches!(&err, StageError::OutIsDanglingLink { target, .. } if *target == dir.path().join("nowhere")),
            "{err:?}"
        );
    }

    #[test]
    fn the_first_existing_non_folder_on_a_path_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        assert_eq!(existing_non_folder(&file.join("a/b")), Some(file.clone()));
        assert_eq!(existing_non_folder(&file), Some(file));
        assert_eq!(existing_non_folder(&dir.path().join("a/b")), None);
        assert_eq!(existing_non_folder(dir.path()), None);
    }

    #[test]
    fn the_app_name_is_its_folders_through_links() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("my-app")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("my-app"), dir.path().join("link")).unwrap();
        assert_eq!(app_name(&dir.path().join("link")), "my-app");
        assert_eq!(app_name(&dir.path().join("missing")), "app");
        assert_eq!(app_name(Path::new("/")), "app");
    }

    #[test]
    fn a_lock_file_is_the_one_at_its_path_until_removed_or_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let file = fs::File::create(&path).unwrap();
        assert!(is_the_file_at(&path, &file));
        // Another file of the same folder (same device) in its place.
        fs::remove_file(&path).unwrap();
        let other = fs::File::create(dir.path().join("other")).unwrap();
        fs::rename(dir.path().join("other"), &path).unwrap();
        assert!(!is_the_file_at(&path, &file));
        assert!(is_the_file_at(&path, &other));
        fs::remove_file(&path).unwrap();
        assert!(!is_the_file_at(&path, &other));
    }

    #[test]
    fn an_outputs_folder_is_locked_while_held_and_its_lock_file_removed_after() {
        let dir = tempfile::tempdir().unwrap();
        let (logger, said) = Logger::capture();
        assert!(!staging_in_progress(dir.path()));
        let lock = OutLock::acquire(dir.path(), &logger).unwrap();
        assert!(dir.path().join(LOCK_NAME).exists());
        assert!(staging_in_progress(dir.path()));
        drop(lock);
        assert!(!dir.path().join(LOCK_NAME).exists());
        assert!(!staging_in_progress(dir.path()));
        // A lock file a killed staging left, unlocked, is taken over without a wait.
        fs::write(dir.path().join(LOCK_NAME), "").unwrap();
        drop(OutLock::acquire(dir.path(), &logger).unwrap());
        assert_eq!(said.text(), "");
    }

    /// The names in `dir`, sorted.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn stale_outputs_and_temporary_files_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = Outputs::in_dir(dir.path());
        let names = [
            "droplet.tgz",
            "result.json",
            "cache.tgz",
            ".droplet.tgz.a1b2.part",
            ".cache.tgz.x.part",
            ".result.y.part",
            ".droplet.tgz.kept",
            "other.part",
            "keep.txt",
        ];
        for name in names {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        outputs.remove_stale().unwrap();
        assert_eq!(
            names_in(dir.path()),
            [".droplet.tgz.kept", "keep.txt", "other.part"]
        );
        // Nothing to remove is no error.
        outputs.remove_stale().unwrap();
        // A folder where an output goes is named.
        fs::create_dir(dir.path().join("result.json")).unwrap();
        let err = outputs.remove_stale().unwrap_err();
        assert!(
            matches!(&err, StageError::OutputIsAFolder { name, .. } if name == "result.json"),
            "{err:?}"
        );
    }

    #[test]
    fn an_interrupted_stagings_outputs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = Outputs::in_dir(dir.path());
        for name in ["droplet.tgz", "result.json", "cache.tgz", "keep.txt"] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        outputs.remove_written();
        assert_eq!(names_in(dir.path()), ["keep.txt"]);
    }
}
