//! Finding the droplet `bpkit run` was given (a droplet.tgz, a `bpkit stage` output folder or
//! an unpacked droplet) and unpacking it into the [`Home`] standing in for `/home/vcap`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::stager::droplet;
use crate::stager::outputs::app_name;

use super::LaunchError;

/// The unpacked droplet, removed when dropped (unless it was given unpacked).
pub(super) struct Home {
    pub(super) root: PathBuf,
    _guard: Option<crate::scratch::ScratchDir>,
}

/// The droplet `bpkit stage` wrote for the app folder `given` when staged with the default
/// `--out` from here, if there is one.
fn staged_droplet_of(given: &Path) -> Option<PathBuf> {
    let app_dir = fs::canonicalize(given).ok()?;
    let out = crate::stager::default_out_dir(&app_dir).ok()?;
    let droplet = out.path.join("droplet.tgz");
    droplet.is_file().then_some(droplet)
}

/// Find or unpack the droplet. Returns the home, `result.json` when one sits beside the
/// droplet, and an app name for `VCAP_APPLICATION`.
pub(super) fn unpack(given: &Path) -> Result<(Home, Option<PathBuf>, String), LaunchError> {
    let meta = fs::metadata(given).map_err(|e| {
        match crate::output::nothing_at(&e, "no such file or folder") {
            Some(why) => LaunchError::DropletNotFound {
                path: given.to_path_buf(),
                why,
            },
            None => LaunchError::CannotAccess {
                action: "open",
                path: given.to_path_buf(),
                source: e,
            },
        }
    })?;
    let (tgz, beside) = if meta.is_file() {
        (given.to_path_buf(), given.parent().map(Path::to_path_buf))
    } else if given.join("droplet.tgz").is_file() {
        (given.join("droplet.tgz"), Some(given.to_path_buf()))
    } else if given.join("app").is_dir() {
        let name = app_name(given);
        // Absolute: the app runs in `app/`, where a relative HOME, TMPDIR or DEPS_DIR (and the
        // launcher's own `cd`) would name nothing.
        let root = std::path::absolute(given).map_err(|e| LaunchError::CannotAccess {
            action: "open",
            path: given.to_path_buf(),
            source: e,
        })?;
        let home = Home { root, _guard: None };
        return Ok((home, None, name));
    } else {
        let path = given.to_path_buf();
        return Err(if crate::stager::outputs::staging_in_progress(given) {
            LaunchError::StagingInProgress { path }
        } else if given.join("result.json").is_file() {
            LaunchError::FailedStaging { path }
        } else if let Some(droplet) = staged_droplet_of(given) {
            LaunchError::AppFolderNotDroplet { path, droplet }
        } else {
            LaunchError::NotADroplet { path }
        });
    };
    let result_json = beside
        .as_ref()
        .map(|d| d.join("result.json"))
        .filter(|p| p.is_file());
    let name = beside.as_deref().map_or_else(|| "app".into(), app_name);
    // Removed by a later run when this one is killed (an unpacked droplet is large).
    let dir = crate::scratch::ScratchDir::create("bpkit-run-")?;
    droplet::extract_tgz(&tgz, dir.path()).map_err(|e| {
        // Stopped by a Ctrl-C (the unpacking looks between two reads): the partly unpacked
        // droplet goes with `dir`.
        if crate::process_group::termination_requested() {
            LaunchError::Interrupted
        } else {
            unpack_error(&tgz, e)
        }
    })?;
    // Every droplet holds `app/` (the builder makes it, and the launcher starts there): a
    // tarball without it is another archive, such as the cache.tgz beside droplet.tgz, and
    // running a command in an empty app folder would fail with the command's own error.
    if !dir.path().join("app").is_dir() {
        return Err(LaunchError::NoAppInDroplet { path: tgz });
    }
    for sub in ["app", "tmp", "logs", "deps"] {
        let _ = fs::create_dir_all(dir.path().join(sub));
    }
    Ok((
        Home {
            root: dir.path().to_path_buf(),
            _guard: Some(dir),
        },
        result_json,
        name,
    ))
}

/// A droplet that would not unpack: this machine's fault (a full disk, a permission) when the
/// innermost io error says so, else the file's (not a gzip'd tar, or one cut short).
fn unpack_error(tgz: &Path, error: io::Error) -> LaunchError {
    let mut reasons = vec![error.to_string()];
    let mut kind = error.kind();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = error.get_ref().map(|e| e as _);
    while let Some(current) = cause {
        if let Some(io_error) = current.downcast_ref::<io::Error>() {
            kind = io_error.kind();
        }
        let words = current.to_string();
        if !reasons.iter().any(|r| r.contains(&words)) {
            reasons.push(words);
        }
        cause = current.source();
    }
    match kind {
        io::ErrorKind::PermissionDenied
        | io::ErrorKind::StorageFull
        | io::ErrorKind::QuotaExceeded
        | io::ErrorKind::ReadOnlyFilesystem
        | io::ErrorKind::FileTooLarge => LaunchError::CannotAccess {
            action: "unpack",
            path: tgz.to_path_buf(),
            source: error,
        },
        _ => LaunchError::DamagedDroplet {
            path: tgz.to_path_buf(),
            reason: reasons.join(": "),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A gzip'd tarball at `path` holding `files` (name, contents), each mode 0755, made as
    /// `bpkit init` makes its fixture tarballs.
    fn tgz(path: &Path, files: &[(&str, &str)]) {
        let entries: Vec<(&str, u32, &str)> = files
            .iter()
            .map(|(name, contents)| (*name, 0o755, *contents))
            .collect();
        let bytes = crate::scaffold::render::tarball("test.tgz", &entries).unwrap();
        fs::write(path, bytes).unwrap();
    }

    fn error_of(given: &Path) -> LaunchError {
        match unpack(given) {
            Ok(_) => panic!("{} unpacked", given.display()),
            Err(error) => error,
        }
    }

    #[test]
    fn a_droplet_is_unpacked_into_a_home_removed_after_with_result_json_beside_it() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("my-app");
        fs::create_dir(&out).unwrap();
        tgz(&out.join("droplet.tgz"), &[("./app/start", "#!/bin/sh\n")]);
        // Through the file and through the folder holding it.
        for given in [out.join("droplet.tgz"), out.clone()] {
            let (home, result_json, name) = unpack(&given).unwrap();
            assert_eq!(result_json, None, "{}", given.display());
            assert_eq!(name, "my-app");
            assert_eq!(
                fs::read_to_string(home.root.join("app/start")).unwrap(),
                "#!/bin/sh\n"
            );
            for sub in ["tmp", "logs", "deps"] {
                assert!(home.root.join(sub).is_dir(), "{sub}");
            }
            let root = home.root.clone();
            assert!(!root.starts_with(&out), "{}", root.display());
            drop(home);
            assert!(!root.exists(), "{}", root.display());
        }
        fs::write(out.join("result.json"), "{}").unwrap();
        let (_home, result_json, _) = unpack(&out.join("droplet.tgz")).unwrap();
        assert_eq!(result_json, Some(out.join("result.json")));
        // A result.json that is a folder is none.
        fs::remove_file(out.join("result.json")).unwrap();
        fs::create_dir(out.join("result.json")).unwrap();
        assert_eq!(unpack(&out).unwrap().1, None);
    }

    #[test]
    fn an_unpacked_droplet_is_run_where_it_is_and_kept() {
        let temp = tempfile::tempdir().unwrap();
        let droplet = temp.path().join("unpacked");
        fs::create_dir_all(droplet.join("app")).unwrap();
        let (home, result_json, name) = unpack(&droplet).unwrap();
        assert_eq!(home.root, droplet);
        assert_eq!((result_json, name.as_str()), (None, "unpacked"));
        drop(home);
        assert!(droplet.join("app").is_dir());
        // A droplet.tgz beside app/ is the one run.
        tgz(&droplet.join("droplet.tgz"), &[("app/packed", "")]);
        let (home, _, _) = unpack(&droplet).unwrap();
        assert_ne!(home.root, droplet);
        assert!(home.root.join("app/packed").is_file());
    }

    #[test]
    fn what_holds_no_droplet_is_named_with_the_reason() {
        let temp = tempfile::tempdir().unwrap();
        let missing = temp.path().join("missing");
        assert!(
            matches!(error_of(&missing), LaunchError::DropletNotFound { path, .. } if path == missing)
        );
        let notes = temp.path().join("notes.txt");
        fs::write(&notes, "").unwrap();
        assert_eq!(
            error_of(&notes.join("droplet.tgz")).to_string(),
            format!(
                "{}/droplet.tgz: part of that path is a file, not a folder; give a droplet.tgz or the output folder of `bpkit stage`",
                notes.display()
            )
        );
        let empty = temp.path().join("empty");
        fs::create_dir(&empty).unwrap();
        assert!(matches!(error_of(&empty), LaunchError::NotADroplet { path } if path == empty));
        // An app/ that is a file is no unpacked droplet.
        fs::write(empty.join("app"), "").unwrap();
        assert!(matches!(error_of(&empty), LaunchError::NotADroplet { .. }));
        let failed = temp.path().join("failed");
        fs::create_dir(&failed).unwrap();
        fs::write(failed.join("result.json"), "{}").unwrap();
        assert!(matches!(error_of(&failed), LaunchError::FailedStaging { path } if path == failed));
        // While a staging holds the outputs folder's lock; not once it is let go.
        let lock = fs::File::create(failed.join(crate::stager::outputs::LOCK_NAME)).unwrap();
        lock.lock().unwrap();
        assert!(
            matches!(error_of(&failed), LaunchError::StagingInProgress { path } if path == failed)
        );
        lock.unlock().unwrap();
        assert!(matches!(
            error_of(&failed),
            LaunchError::FailedStaging { .. }
        ));
        // A tarball without app/, such as the cache.tgz beside a droplet.
        let cache = temp.path().join("cache.tgz");
        tgz(&cache, &[("final/x", "")]);
        assert!(matches!(error_of(&cache), LaunchError::NoAppInDroplet { path } if path == cache));
        // A folder's droplet.tgz that is one.
        let out = temp.path().join("out");
        fs::create_dir(&out).unwrap();
        tgz(&out.join("droplet.tgz"), &[("./deps/0/x", "")]);
        assert!(
            matches!(error_of(&out), LaunchError::NoAppInDroplet { path } if path == out.join("droplet.tgz"))
        );
        let text = temp.path().join("droplet.tgz");
        fs::write(&text, "not gzip").unwrap();
        match error_of(&text) {
            LaunchError::DamagedDroplet { path, reason } => {
                assert_eq!(path, text);
                assert_eq!(
                    reason,
                    "failed to iterate over archive: unexpected end of file"
                );
            }
            other => panic!("{other}"),
        }
    }

    /// An error wrapping another as the tar library's do.
    #[derive(Debug, thiserror::Error)]
    #[error("failed to unpack `app/x`")]
    struct Unpacking(#[source] io::Error);

    #[test]
    fn an_unpacking_failure_is_this_machines_only_when_the_innermost_io_error_says_so() {
        let tgz = Path::new("/srv/droplet.tgz");
        for kind in [
            io::ErrorKind::PermissionDenied,
            io::ErrorKind::StorageFull,
            io::ErrorKind::QuotaExceeded,
            io::ErrorKind::ReadOnlyFilesystem,
            io::ErrorKind::FileTooLarge,
        ] {
            let wrapped = io::Error::other(io::Error::new(kind, "while writing app/x"));
            match unpack_error(tgz, wrapped) {
                LaunchError::CannotAccess { action, path, .. } => {
                    assert_eq!((action, path.as_path()), ("unpack", tgz), "{kind:?}");
                }
                other => panic!("{kind:?}: {other}"),
            }
        }
        // The tar library's words wrap the cause: each is said once, outermost first.
        let cause = io::Error::new(io::ErrorKind::UnexpectedEof, "unexpected end of file");
        let error = io::Error::new(io::ErrorKind::PermissionDenied, Unpacking(cause));
        match unpack_error(tgz, error) {
            LaunchError::DamagedDroplet { path, reason } => {
                assert_eq!(path, tgz);
                assert_eq!(reason, "failed to unpack `app/x`: unexpected end of file");
            }
            other => panic!("{other}"),
        }
    }
}
