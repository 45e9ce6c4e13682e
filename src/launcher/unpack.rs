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
        if e.kind() == std::io::ErrorKind::NotFound {
            LaunchError::DropletNotFound {
                path: given.to_path_buf(),
            }
        } else {
            LaunchError::CannotAccess {
                action: "open",
                path: given.to_path_buf(),
                source: e,
            }
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
