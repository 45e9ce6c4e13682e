//! `bin/finalize BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX [PROFILE_DIR]` (phases.md, "finalize"):
//! build the staging environment from every buildpack's deps folder, run the manifest's
//! `build:` commands in the app, then write the launch scripts into PROFILE_DIR.

use std::ffi::OsString;

use crate::manifest::Manifest;

use super::build_commands;
use super::context::{Context, Purpose};
use super::profile;
use super::staging_env::{self, EnvMap};
use super::template::{self, Template, TemplateError};
use super::{PhaseError, StagingDirs};

/// The phase: checks, build, launch scripts, metadata.
pub(super) fn run(context: &Context, dirs: &StagingDirs) -> Result<(), PhaseError> {
    let manifest = context.load_manifest(Purpose::Staging)?;
    let (version, _) = context.check_buildpack(&manifest, &dirs.cache_dir)?;
    finalize(context, &manifest, dirs)?;
    context.store_metadata(&manifest, &version, &dirs.cache_dir)?;
    Ok(())
}

/// Build and write the launch scripts (shared with compile).
pub(super) fn finalize(
    context: &Context,
    manifest: &Manifest,
    dirs: &StagingDirs,
) -> Result<(), PhaseError> {
    // Checked before anything runs, so a typo in the manifest fails in seconds, not after a
    // long build.
    let launch_exports = launch_exports(manifest)?;
    let env = build_environment(context, dirs)?;
    if let Some(path) = env.get(std::ffi::OsStr::new("PATH")) {
        context
            .logger
            .debug(&format!("PATH={}", path.to_string_lossy()));
    }
    build_commands::run_all(&manifest.build, &dirs.build_dir, &env, &context.logger)?;
    let extra = if launch_exports.is_empty() {
        String::new()
    } else {
        format!(
            "# launch_env and release.config_vars from the buildpack's manifest.yml\n{launch_exports}"
        )
    };
    profile::write_launch_environment(
        &dirs.deps_dir,
        &dirs.profile_dir,
        &profile::OwnScript {
            deps_idx: &dirs.deps_idx,
            name: &profile::script_name(manifest.language()),
            extra: &extra,
        },
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

/// `launch_env`, then `release.config_vars` (Cloud Foundry ignores release's config_vars, so
/// bpkit exports them at launch; manifest.md), as export lines.
fn launch_exports(manifest: &Manifest) -> Result<String, TemplateError> {
    let config_vars = manifest
        .release
        .as_ref()
        .map(|r| r.config_vars.as_slice())
        .unwrap_or_default();
    let mut out = String::new();
    for (section, pairs) in [
        ("launch_env", manifest.launch_env.as_slice()),
        ("release.config_vars", config_vars),
    ] {
        for (name, value) in pairs {
            let key_path = format!("{section}.{name}");
            template::check_name(name, &key_path)?;
            let value = Template::parse(value);
            if value.uses_dir() {
                return Err(TemplateError::DirOutsideInstall { key_path });
            }
            out.push_str(&profile::exports([(name.as_str(), &value)], ""));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn launch_exports_check_names_and_dir() {
        let parse = |text: &str| Manifest::parse(text, Path::new("m.yml")).unwrap().0;
        let m = parse(
            "language: x\nlaunch_env:\n  A: one two\nrelease:\n  config_vars:\n    B: $HOME/b\n",
        );
        assert_eq!(
            launch_exports(&m).unwrap(),
            "export A=\"one two\"\nexport B=\"${HOME}/b\"\n"
        );
        let m = parse("language: x\nlaunch_env:\n  A-B: x\n");
        assert_eq!(
            launch_exports(&m).unwrap_err().to_string(),
            "launch_env.A-B: `A-B` is not a valid environment variable name; use letters, digits and _ (not starting with a digit)"
        );
        let m = parse("language: x\nlaunch_env:\n  A: '{{dir}}/x'\n");
        assert!(
            launch_exports(&m)
                .unwrap_err()
                .to_string()
                .starts_with("launch_env.A: `{{dir}}` only means something under install[].env")
        );
    }
}
