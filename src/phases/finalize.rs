//! `bin/finalize BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX [PROFILE_DIR]` (phases.md, "finalize"):
//! build the staging environment from every buildpack's deps folder, run the manifest's
//! `build:` commands in the app, then write the launch scripts into PROFILE_DIR.

use std::ffi::OsString;

use crate::manifest::Manifest;

use super::build_commands;
use super::context::{Context, Purpose};
use super::profile;
use super::staging_env::{self, EnvMap};
use super::{PhaseError, StagingDirs};

/// The phase: checks, build, launch scripts, metadata.
pub(super) fn run(context: &Context, dirs: &StagingDirs) -> Result<(), PhaseError> {
    let manifest = context.load_manifest(Purpose::Staging)?;
    let (version, _) = context.check_buildpack(&manifest, &dirs.cache_dir)?;
    if dirs.profile_dir == dirs.build_dir.join(".profile.d") {
        // No PROFILE_DIR given: the launch scripts go into the app's own `.profile.d`, which
        // its user pushed, as compile writes them; a link there would have them written (and
        // stale ones removed) where it points, outside the app.
        super::compile::refuse_app_links(
            &dirs.build_dir,
            &[".profile.d"],
            "finalize writes the launch scripts into that folder of the app when no PROFILE_DIR is given",
        )?;
    }
    finalize(context, &manifest, dirs)?;
    context.store_metadata(&manifest, &version, &dirs.cache_dir);
    Ok(())
}

/// Build and write the launch scripts (shared with compile).
pub(super) fn finalize(
    context: &Context,
    manifest: &Manifest,
    dirs: &StagingDirs,
) -> Result<(), PhaseError> {
    // Checked before anything runs, so a typo in the manifest fails in seconds, not after a
    // long build. `launch_env` is supply's: it is in the script finalize copies.
    let config_vars = manifest
        .release
        .as_ref()
        .map(|r| r.config_vars.as_slice())
        .unwrap_or_default();
    let config_vars = profile::section_exports("release.config_vars", config_vars)?;
    // Made before the build too: a PROFILE_DIR that cannot be a folder (a file is there) fails
    // now, not after a long build whose result could not be launched.
    super::files::create_dir(&dirs.profile_dir)?;
    let env = build_environment(context, dirs)?;
    if let Some(path) = env.get(std::ffi::OsStr::new("PATH")) {
        context
            .logger
            .debug(&format!("PATH={}", path.to_string_lossy()));
    }
    build_commands::run_all(&manifest.build, &dirs.build_dir, &env, &context.logger)?;
    // Cloud Foundry ignores release's config_vars (manifest.md), so bpkit exports them.
    let extra = if config_vars.is_empty() {
        String::new()
    } else {
        format!(
            "# release.config_vars from the {} buildpack's manifest.yml (bpkit finalize)\n{config_vars}",
            // One line whatever the language holds (see supply's launch script).
            crate::output::escape_controls(manifest.language())
        )
    };
    // The platform's PROFILE_DIR is finalize's alone; `BUILD_DIR/.profile.d` (no fifth
    // argument, or compile) also holds the app's own scripts.
    let ownership = if dirs.profile_dir == dirs.build_dir.join(".profile.d") {
        profile::Ownership::Shared
    } else {
        profile::Ownership::Dedicated
    };
    profile::write_launch_environment_into(
        &dirs.deps_dir,
        &dirs.profile_dir,
        &profile::OwnScript {
            deps_idx: &dirs.deps_idx,
            name: &profile::script_name(manifest.language()),
            extra: &extra,
        },
        ownership,
    )?;
    Ok(())
}

/// The environment of `build:` commands: this process's, then every deps folder's (as
/// libbuildpack's `SetStagingEnvironment`), `DEPS_DIR`, and last the app's Heroku ENV_DIR
/// values (the user's settings win over the buildpacks' defaults).
pub(super) fn build_environment(
    context: &Context,
    dirs: &StagingDirs,
) -> Result<EnvMap, PhaseError> {
    let mut env: EnvMap = context.env.vars().clone();
    staging_env::apply_deps(&mut env, &dirs.deps_dir)?;
    env.insert("DEPS_DIR".into(), dirs.deps_dir.clone().into_os_string());
    for (name, value) in &context.app_env {
        env.insert(OsString::from(name), OsString::from(value));
    }
    Ok(env)
}
