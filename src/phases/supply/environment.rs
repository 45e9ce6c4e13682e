//! A dependency's `env` in `DEPS_DIR/IDX`: `env/NAME` files with the staging values, and
//! `profile.d/<language>.sh` with the launch values and then the manifest's `launch_env`.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;

use crate::manifest::{Install, Manifest};
use crate::phases::context::Context;
use crate::phases::template::{self, Template};
use crate::phases::{PhaseError, StagingDirs, files, profile};

/// Write one entry's `env`: `env/NAME` files with staging values (what later buildpacks and
/// finalize read) and return the export lines for launch.
pub(super) fn write_env(
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

/// `DEPS_DIR/IDX/profile.d/<language>.sh`: the dependencies' `env`, then `launch_env`, which may
/// refer to them. `launch_env` is written here, not by finalize, because a non-final buildpack
/// runs no finalize: its scripts reach the app through the final buildpack's finalize, which
/// copies every deps folder's `profile.d` into PROFILE_DIR. Without any variable there is no
/// script (and an earlier run's is removed).
pub(super) fn write_launch_script(
    manifest: &Manifest,
    dep_dir: &Path,
    dependency_exports: &str,
    launch_env: &str,
) -> Result<(), PhaseError> {
    // On the comment lines, a line break in the language (`language: |`, which the packager
    // refuses but staging takes) would end the comment and have the rest run at launch, where
    // its `'` broke the whole script: escaped, the comment stays one line.
    let language = crate::output::escape_controls(manifest.language());
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
        .join(profile::script_name(manifest.language()));
    if text.is_empty() {
        files::remove_file_if_present(&script)?;
    } else {
        files::write_atomic(&script, text.as_bytes(), 0o755)?;
    }
    Ok(())
}
