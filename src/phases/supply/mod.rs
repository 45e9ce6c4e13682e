//! `bin/supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX` (phases.md, "supply"): install every
//! `install:` entry into `DEPS_DIR/IDX/<name>`, link its `path` folders into `DEPS_DIR/IDX/bin`
//! (and `library_path` into `lib`) with relative links, write its `env` as `DEPS_DIR/IDX/env/NAME`
//! files (staging values) and `DEPS_DIR/IDX/profile.d/<language>.sh` (launch values, then the
//! manifest's `launch_env`), then `DEPS_DIR/IDX/config.yml`; finally remove unused app-cache
//! entries. `env/`, `bin/` and `lib/` end up holding exactly what this run wrote, and a
//! dependency an earlier run installed that the manifest dropped is removed: a supply run again
//! by hand after a manifest edit leaves what a fresh staging leaves. Not when `config.yml`
//! names another buildpack: on the Heroku path every buildpack's compile shares
//! `BUILD_DIR/.cloudfoundry/0`, and what an earlier one wrote there stays.
//!
//! This file holds the phase's order; each step it takes lives in a file of its own:
//! - `links`: the `bin/` and `lib/` links to a dependency's `path` and `library_path` folders.
//! - `environment`: a dependency's `env` as `env/NAME` files and the `profile.d` script.
//! - `config`: `config.yml`, written, and read back for what an earlier run installed.
//! - `cleanup`: removing what an earlier run wrote that this one did not.
//! - `overrides`: earlier buildpacks' `override.yml`, applied to the manifest first.

mod cleanup;
mod config;
mod environment;
mod links;
mod overrides;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Component, Path};

use crate::manifest::Manifest;

use super::choose;
use super::context::Context;
use super::files;
use super::install::Installer;
use super::profile;
use super::staging_env;
use super::{PhaseError, StagingDirs};

use cleanup::{clear_the_way, remove_earlier};
use config::{earlier_run, write_config};
use environment::{write_env, write_launch_script};
use links::link_folders;

/// Problems with an `install:` entry found while installing it.
#[derive(Debug, thiserror::Error)]
pub enum SupplyError {
    #[error(
        "manifest.yml {key_path}: {dependency} has no folder `{folder}` (it has: {}); {fix}", .found.join(", ")
    )]
    MissingFolder {
        key_path: String,
        /// Its name and version, `zorg 1.2.0`.
        dependency: String,
        folder: String,
        found: Vec<String>,
        /// "fix the folder name", or the `strip_components` that would find it.
        fix: String,
    },
    #[error(
        "manifest.yml {key_path}.name: `{name}` cannot be used as a folder name under DEPS_DIR; use a plain name without `/`"
    )]
    BadName { key_path: String, name: String },
    /// libbuildpack's words (`Unable to apply override.yml files`), then the file and the
    /// problem in it.
    #[error(
        "Unable to apply override.yml files: {source}{}",
        overrides::unreadable_fix(source)
    )]
    CannotApplyOverride {
        #[source]
        source: crate::manifest::ManifestError,
    },
}

/// The phase: checks, installs, metadata.
pub(super) fn run(context: &Context, dirs: &StagingDirs) -> Result<(), PhaseError> {
    let manifest = context.load_manifest(super::context::Purpose::Staging)?;
    let (version, stack) = context.check_buildpack(&manifest, &dirs.cache_dir)?;
    install_all(context, &manifest, &version, stack.as_deref(), dirs)?;
    context.store_metadata(&manifest, &version, &dirs.cache_dir);
    Ok(())
}

/// Install every `install:` entry and write what supply leaves for finalize and the launcher.
pub(super) fn install_all(
    context: &Context,
    manifest: &Manifest,
    buildpack_version: &str,
    stack: Option<&str>,
    dirs: &StagingDirs,
) -> Result<(), PhaseError> {
    // Checked before anything is installed, so a typo in the manifest fails in seconds.
    let launch_env = profile::section_exports("launch_env", &manifest.launch_env)?;
    // After the stack check, as libbuildpack's supply applies them: an override adds versions,
    // it does not make the buildpack support another stack.
    let overridden = overrides::apply(context, manifest, &dirs.deps_dir)?;
    let manifest = overridden.as_ref().unwrap_or(manifest);
    let dep_dir = dirs.dep_dir();
    files::create_dir(&dep_dir)?;
    clear_the_way(context, &dep_dir)?;
    // Who ran here before and what it installed, by its config.yml, read before this run
    // rewrites it.
    let earlier = earlier_run(&dep_dir, manifest.language());
    let mut installer = Installer::new(context, manifest, &dirs.cache_dir);
    let mut launch_exports = String::new();
    let mut versions_installed: Vec<(String, String)> = Vec::new();
    // What this run writes into `env/`, `bin/` and `lib/`, to remove what an earlier run wrote
    // that the manifest no longer asks for.
    let mut written = Written::default();
    // What `$NAME` in an `env` value sees at staging besides the app's settings: the earlier
    // buildpacks' `env/` files, as libbuildpack's supply has them in its environment
    // (`SetStagingEnvironment`), then the values this run writes, as it writes them.
    let mut staging_vars = staging_env::env_files(&dirs.deps_dir, Some(&dirs.deps_idx))?;
    for install in &manifest.install {
        let key_path = format!("install[{}]", install.index);
        check_folder_name(&install.name, &key_path)?;
        // The app's request by variable is read as `$NAME` in an `env` value is: an earlier
        // buildpack's `env/NAME` file counts, as libbuildpack's supply has it in its
        // environment (`SetStagingEnvironment`) when it looks at the app's settings.
        let lookup = |name: &str| {
            context
                .app_var(name)
                .or_else(|| staging_vars.get(name).cloned())
                .or_else(|| context.env.get(name))
        };
        let choice = choose::choose(
            manifest,
            install,
            &key_path,
            stack,
            &dirs.build_dir,
            &lookup,
        )?;
        let dep = choice.dependency;
        context
            .logger
            .step(&format!("Installing {} {}", dep.name, dep.version));
        for warning in &choice.passed_over {
            context.logger.warning(warning);
        }
        context.logger.detail(&choice.describe());
        let file = installer.fetch(dep)?;
        for warning in choose::warnings(manifest, dep, stack, context.today) {
            context.logger.warning(&warning);
        }
        let target = dep_dir.join(&install.name);
        let extracted =
            installer.extract(dep, &file, &target, install.strip_components, &key_path)?;
        context.logger.debug(&format!(
            "Extracted {} files and {} folders ({} bytes) into {}",
            extracted.files,
            extracted.directories,
            extracted.bytes,
            target.display()
        ));
        link_folders(
            &dep_dir,
            install,
            &dep.version,
            &format!("{key_path}.path"),
            &install.path,
            "bin",
            &mut written.bin,
        )?;
        link_folders(
            &dep_dir,
            install,
            &dep.version,
            &format!("{key_path}.library_path"),
            &install.library_path,
            "lib",
            &mut written.lib,
        )?;
        launch_exports.push_str(&write_env(
            context,
            dirs,
            install,
            &key_path,
            &target,
            &mut staging_vars,
            &mut written.env,
        )?);
        versions_installed.push((dep.name.clone(), dep.version.clone()));
    }
    remove_earlier(context, manifest, &dep_dir, &earlier, &written)?;
    write_launch_script(manifest, &dep_dir, &launch_exports, &launch_env)?;
    write_config(manifest, buildpack_version, &versions_installed, &dep_dir)?;
    let removed = installer.cleanup_app_cache()?;
    if removed > 0 {
        context.logger.debug(&format!(
            "Removed {removed} unused app cache {}",
            if removed == 1 { "entry" } else { "entries" }
        ));
    }
    Ok(())
}

/// The names one supply run wrote into `DEPS_DIR/IDX/env`, `bin` and `lib`.
#[derive(Debug, Default)]
struct Written {
    env: BTreeSet<OsString>,
    bin: BTreeSet<OsString>,
    lib: BTreeSet<OsString>,
}

fn check_folder_name(name: &str, key_path: &str) -> Result<(), SupplyError> {
    let mut components = Path::new(name).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(_)), None) if !name.contains('/') => Ok(()),
        _ => Err(SupplyError::BadName {
            key_path: key_path.to_string(),
            name: name.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_plain() {
        assert!(check_folder_name("ruby", "install[0]").is_ok());
        for bad in ["a/b", "..", ".", "", "/x"] {
            assert!(check_folder_name(bad, "install[0]").is_err(), "{bad}");
        }
    }
}
