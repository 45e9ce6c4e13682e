//! `bpkit default-version-for MANIFEST NAME`: compile-extensions' `bin/default_version_for`,
//! the helper buildpack scripts call. As there: the version (no trailing newline) on stdout,
//! `DEBUG: default_version_for NAME is VERSION` on stderr under `BP_DEBUG`, and exit 1 with
//! compile-extensions' "misconfigured for 'default_versions'" message when `default_versions`
//! is missing, has no entry or more than one entry for NAME, or its entry matches no dependency.
//! bpkit adds, in parentheses on the same line, the file, what is wrong and the fix.
//!
//! `--json` prints `{"success", "exit_code", "error", "name", "version"}` instead of the bare
//! version, for callers other than compile-extensions' scripts.
//!
//! Where bpkit goes further: the entry may be a constraint (`3.3.x`, resolved to the highest
//! matching dependency, as libbuildpack does), and the dependency must be available on
//! `CF_STACK` when that is set.

use std::path::PathBuf;

use super::{CliError, Context, print_data, print_json};
use crate::exit_code;
use crate::manifest::Manifest;
use crate::version::Constraint;

/// compile-extensions' message (bin/default_version_for, also libbuildpack's
/// `defaultVersionsError`), word for word: operators and scripts search logs for it.
pub const MISCONFIGURED: &str = "The buildpack manifest is misconfigured for 'default_versions'. Contact your Cloud Foundry operator/admin. For more information, see https://docs.cloudfoundry.org/buildpacks/custom.html#specifying-default-versions";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The manifest.yml to read, or the buildpack folder holding it.
    pub manifest: PathBuf,
    /// The dependency name.
    #[arg(value_parser = super::text())]
    pub name: String,
    /// Print {"name", "version"} as JSON instead of the bare version.
    #[arg(long)]
    pub json: bool,
}

/// Every way `default_versions` can fail to give one version for NAME.
#[derive(Debug, thiserror::Error)]
pub enum DefaultVersionError {
    #[error("{MISCONFIGURED} ({}: no default_versions; add `default_versions:` with `- name: {name}` and its `version:`)", manifest.display())]
    NoDefaultVersions { manifest: PathBuf, name: String },

    #[error("{MISCONFIGURED} ({}: default_versions has no entry for `{name}`; add `- name: {name}` with a `version:` there)", manifest.display())]
    NoEntry { manifest: PathBuf, name: String },

    #[error("{MISCONFIGURED} ({}: default_versions has {count} entries for `{name}`; keep one)", manifest.display())]
    SeveralEntries {
        manifest: PathBuf,
        name: String,
        count: usize,
    },

    #[error("{MISCONFIGURED} ({}: the default_versions entry for `{name}` has no version; add `version:` to it)", manifest.display())]
    NoVersion { manifest: PathBuf, name: String },

    #[error("{MISCONFIGURED} ({}: the default {name} {version} matches no dependency {on}; add that version to dependencies or change the default)", manifest.display())]
    NoMatch {
        manifest: PathBuf,
        name: String,
        version: String,
        /// `on any stack` or `on stack cflinuxfs4`.
        on: String,
    },
}

pub fn run(args: &Args, context: &Context) -> Result<u8, CliError> {
    check_name(&args.name)?;
    // A folder is the buildpack's, as every other command takes it (the error for a folder
    // said to give "its folder as DIR", which this command then refused too).
    let path = if args.manifest.is_dir() {
        args.manifest.join("manifest.yml")
    } else {
        args.manifest.clone()
    };
    let (manifest, _) = Manifest::load(&path)?;
    let stack = std::env::var("CF_STACK").ok().filter(|s| !s.is_empty());
    let version = resolve(&manifest, &path, &args.name, stack.as_deref())?;
    if context.logger.is_debug() {
        // compile-extensions' line, unindented, as its scripts print it.
        context.logger.raw(&format!(
            "DEBUG: default_version_for {} is {version}\n",
            args.name
        ));
    }
    if args.json {
        let document = serde_json::json!({ "name": args.name, "version": version });
        print_json(context, exit_code::SUCCESS, None, document)?;
    } else {
        print_data(&version)?;
    }
    Ok(exit_code::SUCCESS)
}

/// Refuse a NAME no dependency can have: an empty one (an unset variable in the script's call)
/// said the manifest had no entry for ``, and one holding a line break split every message
/// naming it over two lines (a dependency's name holding one is refused by `validate`).
fn check_name(name: &str) -> Result<(), CliError> {
    if name.trim().is_empty() {
        return Err(CliError::Usage(format!(
            "NAME {name:?} is empty; give the dependency's name as default_versions lists it, such as ruby"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(CliError::Usage(format!(
            "NAME {name:?} holds a line break or another control character; give the dependency's name as default_versions lists it, on one line"
        )));
    }
    Ok(())
}

/// The version NAME's single `default_versions` entry resolves to on `stack` (any when `None`).
fn resolve(
    manifest: &Manifest,
    path: &std::path::Path,
    name: &str,
    stack: Option<&str>,
) -> Result<String, DefaultVersionError> {
    let manifest_path = path.to_path_buf();
    let name_owned = name.to_string();
    if manifest.default_versions.is_empty() {
        return Err(DefaultVersionError::NoDefaultVersions {
            manifest: manifest_path,
            name: name_owned,
        });
    }
    let entries: Vec<_> = manifest
        .default_versions
        .iter()
        .filter(|d| d.name == name)
        .collect();
    let default = match entries.as_slice() {
        [] => {
            return Err(DefaultVersionError::NoEntry {
                manifest: manifest_path,
                name: name_owned,
            });
        }
        [one] => one,
        several => {
            return Err(DefaultVersionError::SeveralEntries {
                manifest: manifest_path,
                name: name_owned,
                count: several.len(),
            });
        }
    };
    if default.version.trim().is_empty() {
        return Err(DefaultVersionError::NoVersion {
            manifest: manifest_path,
            name: name_owned,
        });
    }
    Constraint::parse(&default.version)
        .ok()
        .and_then(|constraint| manifest.highest_matching(name, &constraint, stack))
        .map(|dependency| dependency.version.clone())
        .ok_or_else(|| DefaultVersionError::NoMatch {
            manifest: manifest_path,
            name: name_owned,
            version: default.version.clone(),
            on: stack.map_or_else(|| "on any stack".to_string(), |s| format!("on stack {s}")),
        })
}
