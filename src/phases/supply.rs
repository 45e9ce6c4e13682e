//! `bin/supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX` (phases.md, "supply"): install every
//! `install:` entry into `DEPS_DIR/IDX/<name>`, link its `path` folders into `DEPS_DIR/IDX/bin`
//! (and `library_path` into `lib`) with relative links, write its `env` as `DEPS_DIR/IDX/env/NAME`
//! files (staging values) and `DEPS_DIR/IDX/profile.d/<language>.sh` (launch values, then the
//! manifest's `launch_env`), then `DEPS_DIR/IDX/config.yml`; finally remove unused app-cache
//! entries. `env/`, `bin/` and `lib/` end up holding exactly what this run wrote, and a
//! dependency an earlier run installed that the manifest dropped is removed: a supply run again
//! by hand after a manifest edit leaves what a fresh staging leaves.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::manifest::{Install, Manifest};

use super::choose;
use super::context::Context;
use super::files;
use super::install::Installer;
use super::profile;
use super::staging_env;
use super::template::{self, Template};
use super::yaml_out;
use super::{PhaseError, StagingDirs};

/// Problems with an `install:` entry found while installing it.
#[derive(Debug, thiserror::Error)]
pub enum SupplyError {
    #[error(
        "manifest.yml {key_path}: {name} {version} has no folder `{folder}` (it has: {}); fix the folder name", .found.join(", ")
    )]
    MissingFolder {
        key_path: String,
        name: String,
        version: String,
        folder: String,
        found: Vec<String>,
    },
    #[error(
        "manifest.yml {key_path}.name: `{name}` cannot be used as a folder name under DEPS_DIR; use a plain name without `/`"
    )]
    BadName { key_path: String, name: String },
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
    let dep_dir = dirs.dep_dir();
    files::create_dir(&dep_dir)?;
    // A supply killed mid-extraction or mid-write (the platform's staging timeout, an
    // operator's `kill -9` of a local staging) left its temporary folders and files here.
    for dir in [
        dep_dir.clone(),
        dep_dir.join("env"),
        dep_dir.join("profile.d"),
    ] {
        let removed = files::remove_leftovers(&dir)?;
        if removed > 0 {
            context.logger.debug(&format!(
                "Removed {removed} temporary files an interrupted run left in {}",
                dir.display()
            ));
        }
    }
    // What an earlier run installed here, by its config.yml, read before this run rewrites it.
    let previously_installed = installed_by_config(&dep_dir);
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
    for (i, install) in manifest.install.iter().enumerate() {
        let key_path = format!("install[{i}]");
        check_folder_name(&install.name, &key_path)?;
        let lookup = |name: &str| context.var(name);
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
        context.logger.detail(&choice.describe());
        let file = installer.fetch(dep)?;
        for warning in choose::warnings(manifest, dep, stack, context.today) {
            context.logger.warning(&warning);
        }
        let target = dep_dir.join(&install.name);
        let extracted = installer.extract(dep, &file, &target, install.strip_components)?;
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
    remove_stale(context, &dep_dir, &written)?;
    remove_uninstalled(context, manifest, &dep_dir, &previously_installed)?;
    write_launch_script(manifest, &dep_dir, &launch_exports, &launch_env)?;
    write_config(manifest, buildpack_version, &versions_installed, &dep_dir)?;
    let removed = installer.cleanup_app_cache()?;
    if removed > 0 {
        context
            .logger
            .debug(&format!("Removed {removed} unused app cache entries"));
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

/// Remove from `env/` the files, and from `bin/` and `lib/` the links, that this run did not
/// write. On the platform DEPS_DIR is new at every staging, so there is nothing to remove; a
/// supply run again by hand into the same folders after a manifest edit would otherwise keep
/// a variable the manifest no longer sets (finalize exports every `env/` file) or a link to a
/// dependency it no longer installs (finalize puts `bin/` on PATH). Only symbolic links are
/// removed from `bin/` and `lib/`, as supply writes nothing else there.
fn remove_stale(context: &Context, dep_dir: &Path, written: &Written) -> Result<(), PhaseError> {
    for (folder, kept, links_only) in [
        ("env", &written.env, false),
        ("bin", &written.bin, true),
        ("lib", &written.lib, true),
    ] {
        let dir = dep_dir.join(folder);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(files::FileError::new("list", &dir, e).into()),
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let stale = if links_only {
                kind.is_symlink()
            } else {
                !kind.is_dir()
            };
            if stale && !kept.contains(&name) {
                files::remove_file_if_present(&entry.path())?;
                context.logger.debug(&format!(
                    "Removed {folder}/{}, which an earlier run wrote and manifest.yml no longer gives",
                    name.to_string_lossy()
                ));
            }
        }
    }
    Ok(())
}

/// The dependency folders an earlier supply recorded in `DEPS_DIR/IDX/config.yml`
/// (`config.dependencies`); none when there is no readable one.
fn installed_by_config(dep_dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dep_dir.join("config.yml")) else {
        return Vec::new();
    };
    let Ok(tree) = crate::manifest::yaml::parse(&text) else {
        return Vec::new();
    };
    match tree
        .get("config")
        .and_then(|c| c.get("dependencies"))
        .map(|d| &d.value)
    {
        Some(crate::manifest::yaml::Value::Mapping(entries)) => entries
            .iter()
            .map(|(k, _)| k.key_text().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// Remove the folder of a dependency an earlier run installed here (as its config.yml says)
/// that the manifest no longer installs: on the platform DEPS_DIR is new at every staging, and
/// a supply run again by hand should leave what a fresh one leaves. Only plain names are
/// touched, so a config.yml edited by hand cannot point outside this folder.
fn remove_uninstalled(
    context: &Context,
    manifest: &Manifest,
    dep_dir: &Path,
    previously: &[String],
) -> Result<(), PhaseError> {
    for name in previously {
        if manifest.install.iter().any(|i| &i.name == name)
            || check_folder_name(name, "config.yml").is_err()
            || matches!(
                name.as_str(),
                "bin" | "lib" | "env" | "profile.d" | "config.yml"
            )
        {
            continue;
        }
        let folder = dep_dir.join(name);
        if folder.is_dir() {
            files::remove_dir_if_present(&folder)?;
            context.logger.debug(&format!(
                "Removed {name}/, which an earlier run installed and manifest.yml no longer installs"
            ));
        }
    }
    Ok(())
}

/// `DEPS_DIR/IDX/profile.d/<language>.sh`: the dependencies' `env`, then `launch_env`, which may
/// refer to them. `launch_env` is written here, not by finalize, because a non-final buildpack
/// runs no finalize: its scripts reach the app through the final buildpack's finalize, which
/// copies every deps folder's `profile.d` into PROFILE_DIR. Without any variable there is no
/// script (and an earlier run's is removed).
fn write_launch_script(
    manifest: &Manifest,
    dep_dir: &Path,
    dependency_exports: &str,
    launch_env: &str,
) -> Result<(), PhaseError> {
    let language = manifest.language();
    let mut text = String::new();
    if !dependency_exports.is_empty() {
        let _ = write!(
            text,
            "# The environment of the dependencies the {language} buildpack installed (bpkit supply).\n{dependency_exports}"
        );
    }
    if !launch_env.is_empty() {
        let _ = write!(
            text,
            "# launch_env from the {language} buildpack's manifest.yml (bpkit supply).\n{launch_env}"
        );
    }
    let script = dep_dir
        .join("profile.d")
        .join(profile::script_name(language));
    if text.is_empty() {
        files::remove_file_if_present(&script)?;
    } else {
        files::write_atomic(&script, text.as_bytes(), 0o755)?;
    }
    Ok(())
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

/// Link every entry of each `folders` folder of the dependency into `DEPS_DIR/IDX/<dest>`,
/// with relative links (`../ruby/bin/ruby`) that still work when the droplet is moved.
fn link_folders(
    dep_dir: &Path,
    install: &Install,
    version: &str,
    key_path: &str,
    folders: &[String],
    dest: &str,
    written: &mut BTreeSet<OsString>,
) -> Result<(), PhaseError> {
    for (j, folder) in folders.iter().enumerate() {
        let relative: PathBuf = Path::new(&install.name)
            .components()
            .chain(Path::new(folder).components())
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect();
        let source = dep_dir.join(&relative);
        if !source.is_dir() {
            let found = listing(&dep_dir.join(&install.name));
            return Err(SupplyError::MissingFolder {
                key_path: format!("{key_path}[{j}]"),
                name: install.name.clone(),
                version: version.to_string(),
                folder: folder.clone(),
                found,
            }
            .into());
        }
        let dest_dir = dep_dir.join(dest);
        files::create_dir(&dest_dir)?;
        let mut names: Vec<_> = std::fs::read_dir(&source)
            .map_err(|e| files::FileError::new("list", &source, e))?
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        names.sort();
        for name in names {
            let target = Path::new("..").join(&relative).join(&name);
            files::replace_symlink(&target, &dest_dir.join(&name))?;
            written.insert(name);
        }
    }
    Ok(())
}

/// What a folder holds, for a message: its first entries, folders marked with `/`.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if e.file_type().is_ok_and(|t| t.is_dir()) {
                        format!("{name}/")
                    } else {
                        name
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    if names.is_empty() {
        names.push("nothing".into());
    }
    if names.len() > 10 {
        names.truncate(10);
        names.push("…".into());
    }
    names
}

/// Write one entry's `env`: `env/NAME` files with staging values (what later buildpacks and
/// finalize read) and return the export lines for launch.
fn write_env(
    context: &Context,
    dirs: &StagingDirs,
    install: &Install,
    key_path: &str,
    target: &Path,
    staging_vars: &mut BTreeMap<String, String>,
    written: &mut BTreeSet<OsString>,
) -> Result<String, PhaseError> {
    let staging_dir = target.to_string_lossy().into_owned();
    let deps_dir = dirs.deps_dir.to_string_lossy().into_owned();
    let build_dir = dirs.build_dir.to_string_lossy().into_owned();
    // Spliced into a double-quoted shell word: the dependency's name (and the platform's
    // index) are data, so `$`, `` ` ``, `"` and `\` in them are escaped (issue 6).
    let dir_at_launch = format!(
        "${{DEPS_DIR}}/{}/{}",
        template::escape_in_double_quotes(&dirs.deps_idx),
        template::escape_in_double_quotes(&install.name)
    );
    let mut exports = String::new();
    for (name, value) in &install.env {
        template::check_name(name, &format!("{key_path}.env.{name}"))?;
        let value = Template::parse(value);
        // At staging `$DEPS_DIR` and `$HOME` mean the staging folders that become them at
        // launch; the app's own settings (Heroku's ENV_DIR) win over the buildpacks' values,
        // which win over the phase's environment, as in finalize's build environment.
        let lookup = |name: &str| match name {
            "DEPS_DIR" => Some(deps_dir.clone()),
            "HOME" => Some(build_dir.clone()),
            _ => context
                .app_var(name)
                .or_else(|| staging_vars.get(name).cloned())
                .or_else(|| context.env.get(name)),
        };
        let staged = value.expand(&staging_dir, &lookup);
        files::write_atomic(
            &dirs.dep_dir().join("env").join(name),
            staged.as_bytes(),
            0o644,
        )?;
        written.insert(OsString::from(name));
        staging_vars.insert(name.clone(), staged);
        exports.push_str(&profile::exports([(name.as_str(), &value)], &dir_at_launch));
    }
    Ok(exports)
}

/// `DEPS_DIR/IDX/config.yml`: the buildpack's `name` (language) and `version`, as
/// libbuildpack's `WriteConfigYml`, with the installed dependencies under `config`.
fn write_config(
    manifest: &Manifest,
    buildpack_version: &str,
    installed: &[(String, String)],
    dep_dir: &Path,
) -> Result<(), PhaseError> {
    let config = if installed.is_empty() {
        yaml_out::string_map(&[])
    } else {
        crate::manifest::yaml::Node::mapping(vec![(
            yaml_out::string("dependencies"),
            yaml_out::string_map(installed),
        )])
    };
    let text = yaml_out::emit(vec![
        ("name", yaml_out::string(manifest.language())),
        ("version", yaml_out::string(buildpack_version)),
        ("config", config),
    ]);
    files::write_atomic(&dep_dir.join("config.yml"), text.as_bytes(), 0o644)?;
    Ok(())
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
