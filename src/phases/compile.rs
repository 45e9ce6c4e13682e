//! `bin/compile BUILD_DIR CACHE_DIR [ENV_DIR]`: the single-buildpack path (Cloud Foundry with
//! two arguments, Heroku with three). As the official buildpacks' `bin/compile` does, it uses
//! `DEPS_DIR = BUILD_DIR/.cloudfoundry`, `DEPS_IDX = 0` and `BUILD_DIR/.profile.d`, writes
//! `0000_set-deps-dir.sh` so the launcher finds the deps at `$HOME/.cloudfoundry`, then runs
//! supply and finalize. Heroku's ENV_DIR files become the app's environment for the build.

use std::path::Path;

use super::context::{Context, Purpose};
use super::profile;
use super::{PhaseError, StagingDirs, files, finalize, supply};

pub(super) fn run(
    context: &mut Context,
    build_dir: &Path,
    cache_dir: &Path,
    env_dir: Option<&Path>,
) -> Result<(), PhaseError> {
    if let Some(env_dir) = env_dir {
        context.read_env_dir(env_dir)?;
    }
    let dirs = StagingDirs {
        build_dir: build_dir.to_path_buf(),
        cache_dir: cache_dir.to_path_buf(),
        deps_dir: build_dir.join(".cloudfoundry"),
        deps_idx: "0".to_string(),
        profile_dir: build_dir.join(".profile.d"),
    };
    let manifest = context.load_manifest(Purpose::Staging)?;
    let (version, stack) = context.check_buildpack(&manifest, cache_dir)?;
    refuse_app_links(build_dir, &APP_FOLDERS, WRITES)?;
    files::create_dir(&dirs.dep_dir())?;
    files::create_dir(&dirs.profile_dir)?;
    profile::write_set_deps_dir(&dirs.profile_dir)?;
    supply::install_all(context, &manifest, &version, stack.as_deref(), &dirs)?;
    finalize::finalize(context, &manifest, &dirs)?;
    context.store_metadata(&manifest, &version, cache_dir);
    Ok(())
}

/// The folders of the app compile writes into. They are the app's, pushed by its user: one
/// that is a symbolic link would have compile install, link and write where it points,
/// outside the app, and remove there what an earlier run's `config.yml` names (the official
/// buildpacks' `bin/compile` follows such a link; the droplet then holds a dangling one).
const APP_FOLDERS: [&str; 3] = [".cloudfoundry", ".cloudfoundry/0", ".profile.d"];

/// What compile writes into the app's folders, for the error naming one in the way.
const WRITES: &str =
    "compile writes the app's dependencies and launch scripts into that folder of the app";

/// Refuse an app whose `folders` (compile's [`APP_FOLDERS`], or finalize's `.profile.d`) are
/// links, or files (which would fail with the system's words alone, "File exists"). `writes`
/// says what the phase writes there.
pub(super) fn refuse_app_links(
    build_dir: &Path,
    folders: &[&'static str],
    writes: &str,
) -> Result<(), PhaseError> {
    for &folder in folders {
        let path = build_dir.join(folder);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let problem = if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).unwrap_or_default();
            format!(
                "is a symbolic link (to {}); {writes}, and would write and remove files where the link points",
                crate::output::escape_controls(&target.display().to_string())
            )
        } else if meta.is_dir() {
            continue;
        } else {
            format!("is a file; {writes}")
        };
        return Err(PhaseError::AppFolderInTheWay { folder, problem });
    }
    Ok(())
}
