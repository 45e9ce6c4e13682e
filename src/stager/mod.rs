//! `bpkit stage`: what Cloud Foundry's builder (buildpackapplifecycle `builder`,
//! `buildpackrunner`) does to turn an app and a list of buildpacks into a droplet, done on the
//! local machine by running each buildpack's `bin/*` programs as the platform runs them
//! (stager.md). Any buildpack works, not only bpkit ones.
//!
//! The order follows the builder's `Setup` and `GoLikeLightning`:
//! 1. copy the app (as `cf push` would upload it) into a fresh build dir (`upload`); put every
//!    buildpack in place (folder, zip, zip URL, git URL: [`source`]; a `bpkit init` folder runs
//!    this bpkit: `bootstrap`); prepare the caches ([`cache`]) and the deps folders with padded
//!    indexes ([`layout`]);
//! 2. detect mode: run `bin/detect` of each buildpack in order, first match wins (`detect`);
//!    otherwise every buildpack but the last runs `bin/supply` (`supply`);
//! 3. the last buildpack runs `supply` (when present) and `finalize`, or `compile` (`build`);
//! 4. process types from supply buildpacks' `launch.yml`, the final buildpack's `launch.yml` or
//!    else `bin/release`, and the app's `Procfile` ([`procfile`], `build`);
//! 5. `staging_info.yml`, `result.json` ([`result`]), `droplet.tgz` and `cache.tgz`
//!    ([`droplet`], `package`), in a folder outside the app ([`outputs`]).
//!
//! Each buildpack program runs in the staging environment ([`env`](mod@env)) through `phases`,
//! which tells a buildpack's failure from the end of the staging, over [`run_phase`]. The
//! whole staging, steps 1 to 5, is under `--timeout` ([`deadline`]). What a staging is asked
//! and what it hands back are in `options`.
//!
//! Failures keep the builder's messages and exit codes ([`error`]). The user's app folder and
//! buildpack folders are only read.

pub mod cache;
pub mod copy;
pub mod deadline;
pub mod droplet;
pub mod env;
pub mod error;
pub mod ignore;
pub mod layout;
pub mod outputs;
pub mod procfile;
pub mod result;
pub mod run_phase;
pub mod source;

mod bootstrap;
mod build;
mod detect;
mod go_url;
mod options;
mod package;
mod phases;
mod supply;
mod upload;

use std::fs;
use std::path::{Path, PathBuf};

pub use error::StageError;
pub use options::{DEFAULT_STACK, DEFAULT_TIMEOUT_SECS, Failed, StageOptions, Staged};

use crate::output::Logger;
use crate::process_group;
use deadline::Deadline;
use layout::{Workspace, deps_index};
pub use outputs::{OutDir, default_out_dir, out_dir};
use outputs::{Outputs, app_name, create_out_dir};
use package::{detected_name, write_atomically};
use phases::Phases;
use procfile::Process;
use source::RootError;

/// Stage the app. The staging log goes to `logger`; buildpack output is passed through as is.
pub fn stage(options: &StageOptions, logger: &Logger) -> Result<Staged, Failed> {
    process_group::watch_termination();
    let app_dir = check_app_dir(&options.app_dir)?;
    if options.buildpacks.is_empty() {
        return Err(StageError::NoBuildpack.into());
    }
    // Every `-b` is read before the outputs folder is touched: a mistyped path or a refused
    // URL is a command line refused, as a missing app folder or a bad `-e` is, and leaves the
    // previous staging's droplet in place (downloads and clones still happen in `run`).
    for arg in &options.buildpacks {
        source::Spec::parse(arg)?;
    }
    let platform = env::Platform {
        app_name: app_name(&app_dir),
        stack: options.stack.clone(),
        memory_mb: options.memory_mb,
        services: env::parse_services(options.services.as_deref())?,
        user_env: env::parse_user_env(&options.env)?,
    };
    let cache = match &options.cache {
        Some(cache) => Some(check_cache(cache, &app_dir)?),
        None => None,
    };
    outputs::refuse_temp_inside(&app_dir)?;
    let OutDir { path: out, moved } = out_dir(options, &app_dir)?;
    // The cache is saved by replacing its folder whole, which would take the droplet and
    // result.json with it (a cache inside the outputs is fine: they are only added to).
    if let (Some(given), Some(cache)) = (&options.cache, &cache)
        && out.starts_with(&cache.resolved)
    {
        return Err(StageError::OutInsideCache {
            out,
            cache: given.clone(),
        }
        .into());
    }
    if moved {
        logger.detail(&format!(
            "Outputs go to {}: the default ./.bpkit/stage/{} is inside the app folder, which staging never writes to",
            out.display(),
            platform.app_name
        ));
    }
    // Made before the outputs folder is touched: a TMPDIR where no folder can be made is a
    // setting to fix, and must not cost the previous staging's droplet.
    let mut workspace = Workspace::create()?;
    create_out_dir(options, &out)?;
    let out = fs::canonicalize(&out).map_err(|e| StageError::access("open", &out, e))?;
    // Held until the staging ends (dropped when `stage` returns).
    let _out_lock = outputs::OutLock::acquire(&out, logger)?;
    let outputs = Outputs::in_dir(&out);
    outputs.remove_stale()?;

    let mut detected_on_failure = None;
    let result = Staging {
        options,
        cache: cache.map(|c| c.folder),
        logger,
        workspace: &workspace,
        outputs: &outputs,
        deadline: Deadline::after_secs(options.timeout_secs),
    }
    .run(&app_dir, &platform, &mut detected_on_failure);
    let result = ended(result, &outputs);
    let kept = if options.keep {
        let root = workspace.keep().to_path_buf();
        logger.detail(&format!("Staging folders kept in {}", root.display()));
        Some(root)
    } else {
        None
    };
    match result {
        Ok((detected, processes)) => Ok(Staged {
            out_dir: out,
            droplet: outputs.droplet,
            result_json: outputs.result_json,
            cache_tgz: outputs.cache_tgz,
            detected_buildpack: detected,
            processes,
            workspace: kept,
        }),
        Err(error) => Err(Failed {
            result_json: outputs.result_json.exists().then_some(outputs.result_json),
            detected_buildpack: detected_on_failure,
            error: Box::new(error),
            workspace: kept,
        }),
    }
}

/// What the staging's steps returned, as the staging ends.
fn ended<T>(result: Result<T, StageError>, outputs: &Outputs) -> Result<T, StageError> {
    // Ctrl-C (or SIGTERM, SIGHUP) is caught for the whole staging, so the steps that run no
    // phase (copying the app, writing the droplet and cache.tgz, updating --cache) must not
    // carry on as if nothing happened: whatever they returned, the staging was interrupted, and
    // outputs it may already have written are removed (the persisted cache is swapped in whole
    // or not at all, so it is left as it is).
    if process_group::termination_requested() {
        outputs.remove_written();
        return Err(StageError::Interrupted);
    }
    // A staging that timed out leaves no output either: the deadline may pass while the droplet
    // is written, after result.json was.
    if let Err(StageError::TimedOut(_)) = result {
        outputs.remove_written();
    }
    result
}

/// Where `--cache` is kept, checked before anything is written.
struct CacheDir {
    /// The folder the cache is read from and swapped into: `--cache` with its symbolic links
    /// followed ([`cache::follow_links`]).
    folder: PathBuf,
    /// `folder` made absolute and canonical, to compare with other folders.
    resolved: PathBuf,
}

/// Check `--cache` (`given`): outside the app, a folder staging can save into, and a build
/// cache (or new, or empty), since saving replaces it whole.
fn check_cache(given: &Path, app_dir: &Path) -> Result<CacheDir, StageError> {
    let folder = cache::follow_links(given).map_err(|e| StageError::access("resolve", given, e))?;
    let (resolved, inside_app) = outputs::resolve_inside(&folder, app_dir)?;
    if inside_app {
        return Err(StageError::CacheInsideApp {
            cache: given.to_path_buf(),
            app_dir: app_dir.to_path_buf(),
        });
    }
    cache::check_usable(given, &folder)?;
    let found =
        cache::foreign_entries(&folder).map_err(|e| StageError::access("read", given, e))?;
    if !found.is_empty() {
        return Err(StageError::NotABuildCache {
            cache: given.to_path_buf(),
            found,
        });
    }
    Ok(CacheDir { folder, resolved })
}

fn check_app_dir(app_dir: &Path) -> Result<PathBuf, StageError> {
    match fs::metadata(app_dir) {
        Ok(meta) if meta.is_dir() => {
            // Listed now, so that a folder this user may not read is named as the app folder,
            // not as the `.cfignore` in it that is read first.
            if let Err(e) = fs::read_dir(app_dir)
                && e.kind() == std::io::ErrorKind::PermissionDenied
            {
                return Err(StageError::AppDirUnreadable {
                    app_dir: app_dir.to_path_buf(),
                });
            }
            fs::canonicalize(app_dir)
                .map_err(|e| StageError::access("open the app folder", app_dir, e))
        }
        Ok(_) => Err(StageError::AppDirIsAFile {
            app_dir: app_dir.to_path_buf(),
        }),
        Err(e) => match crate::output::nothing_at(&e, "no such folder") {
            Some(why) => Err(StageError::AppDirNotFound {
                app_dir: app_dir.to_path_buf(),
                why,
            }),
            None => Err(StageError::access("open the app folder", app_dir, e)),
        },
    }
}

/// A buildpack ready to run.
#[derive(Debug, Clone)]
struct Buildpack {
    key: String,
    /// The folder holding `bin/`, or why there is none.
    root: Result<PathBuf, RootError>,
}

/// The final buildpack, chosen by detect or by position.
struct Chosen {
    key: String,
    root: PathBuf,
    /// detect's output (trimmed), in detect mode.
    detect_output: String,
}

struct Staging<'a> {
    options: &'a StageOptions,
    /// The `--cache` folder, its links followed (`CacheDir::folder`).
    cache: Option<PathBuf>,
    logger: &'a Logger,
    workspace: &'a Workspace,
    outputs: &'a Outputs,
    deadline: Option<Deadline>,
}

impl Staging<'_> {
    /// Stage; on success the detected buildpack's name and the processes. A build that fails
    /// after detection still names the buildpack, in `detected_on_failure`.
    fn run(
        &self,
        app_dir: &Path,
        platform: &env::Platform,
        detected_on_failure: &mut Option<String>,
    ) -> Result<(String, Vec<Process>), StageError> {
        let ws = self.workspace;
        self.copy_app(app_dir).map_err(|e| self.or_timed_out(e))?;
        let mut environment = env::staging(platform, &ws.tmp_dir());

        let located = source::locate_all(
            &self.options.buildpacks,
            &ws.buildpacks_dir(),
            &env::Environment::from_host(),
            self.logger,
            self.deadline,
        )
        .map_err(|e| self.or_timed_out(e))?;
        self.run_folder_bootstraps_with_this_bpkit(&located, &mut environment);
        let buildpacks: Vec<Buildpack> = located
            .into_iter()
            .map(|l| Buildpack {
                root: source::buildpack_root(&l.location, &l.key),
                key: l.key,
            })
            .collect();
        let roots: Vec<(&str, &Path)> = buildpacks
            .iter()
            .filter_map(|b| Some((b.key.as_str(), b.root.as_deref().ok()?)))
            .collect();
        self.warn_of_binaries_the_stack_cannot_start(&roots, &platform.stack);
        let skip_detect = !self.options.detect;
        // `buildpacks` is never empty: `stage` refuses an empty list (NoBuildpack) and
        // `locate_all` gives one buildpack per argument, so `len() - 1` below cannot underflow.
        let supply: &[Buildpack] = if skip_detect {
            &buildpacks[..buildpacks.len() - 1]
        } else {
            &[]
        };
        // The builder pads indexes to the number of buildpacks that get deps folders.
        let count = supply.len() + 1;

        let cache_dir = ws.cache_dir();
        if let (Some(given), Some(persisted)) = (&self.options.cache, &self.cache) {
            cache::restore(persisted, &cache_dir, self.deadline, &|| {
                self.tell_waiting_for_cache(given);
            })
            .map_err(|e| self.or_timed_out(StageError::access("read the cache", given, e)))?;
        }
        let supply_keys: Vec<String> = supply.iter().map(|b| b.key.clone()).collect();
        cache::prepare(&cache_dir, &supply_keys)
            .map_err(|e| StageError::access("prepare the cache", &cache_dir, e))?;
        for i in 0..count {
            let dir = ws.deps_dir().join(deps_index(i, count));
            fs::create_dir_all(&dir).map_err(|e| StageError::access("create", &dir, e))?;
        }

        let phases = Phases {
            env: &environment,
            logger: self.logger,
            cwd: ws.root().to_path_buf(),
            deadline: self.deadline,
        };
        let chosen = if skip_detect {
            self.run_supply_buildpacks(&phases, supply, &buildpacks[buildpacks.len() - 1], count)?
        } else {
            self.detect(&phases, &buildpacks)?
        };
        let metadata_keys: Vec<String> = if skip_detect {
            buildpacks.iter().map(|b| b.key.clone()).collect()
        } else {
            vec![chosen.key.clone()]
        };

        match self.build(&phases, &chosen, supply, count, buildpacks.len()) {
            Ok(processes) => {
                if result::web_command(&processes).is_empty() {
                    self.logger
                        .raw("No start command specified by buildpack or via Procfile.\n");
                    self.logger
                        .raw("App will not start unless a command is provided at runtime.\n");
                }
                let detect_output = self.options.detect.then_some(chosen.detect_output.as_str());
                let metadata = self.metadata(&metadata_keys, count, detect_output);
                let info = ws.contents_dir().join("staging_info.yml");
                fs::write(&info, result::staging_info(&metadata, &processes))
                    .map_err(|e| StageError::access("write", &info, e))?;
                write_atomically(
                    &self.outputs.result_json,
                    &result::result_json(&metadata, Some(&processes)),
                )?;
                self.package().map_err(|e| self.or_timed_out(e))?;
                if let (Some(given), Some(persisted)) = (&self.options.cache, &self.cache) {
                    cache::persist(&cache_dir, persisted, self.deadline, &|| {
                        self.tell_waiting_for_cache(given);
                    })
                    .map_err(|e| {
                        self.or_timed_out(StageError::access("update the cache", given, e))
                    })?;
                }
                Ok((detected_name(&metadata), processes))
            }
            Err(error @ (StageError::Interrupted | StageError::TimedOut(_))) => Err(error),
            Err(error) => {
                // The builder writes result.json even when the build fails, "to capture
                // buildpack metadata", from config.yml alone: detect's output does not name
                // the buildpack there.
                let metadata = self.metadata(&metadata_keys, count, None);
                *detected_on_failure = Some(detected_name(&metadata));
                let _ = write_atomically(
                    &self.outputs.result_json,
                    &result::result_json(&metadata, None),
                );
                Err(error)
            }
        }
    }
}

impl Staging<'_> {
    /// Said once when another staging holds `--cache`, so that a staging waiting for its turn
    /// does not look stuck.
    fn tell_waiting_for_cache(&self, persisted: &Path) {
        self.logger.detail(&format!(
            "Waiting for another `bpkit stage` using the cache {} to finish",
            persisted.display()
        ));
    }

    /// The timeout in place of `error` once the deadline has passed: a step that runs no
    /// program (a copy, an archive) stops there with an I/O error it would report as its own
    /// failure (`cannot copy the app from …: the staging deadline passed`).
    fn or_timed_out(&self, error: StageError) -> StageError {
        match self.deadline {
            Some(deadline) if deadline.passed() => StageError::TimedOut(deadline.secs),
            _ => error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(app_dir: &Path) -> String {
        check_app_dir(app_dir).unwrap_err().to_string()
    }

    #[test]
    fn the_app_folder_is_checked_before_anything_is_written() {
        let scratch = tempfile::tempdir().unwrap();
        let file = scratch.path().join("notes.txt");
        fs::write(&file, "not an app").unwrap();
        assert_eq!(
            message(&file),
            format!(
                "{} is a file; give the app's folder (what `cf push -p` would upload)",
                file.display()
            )
        );
        let missing = scratch.path().join("missing");
        assert_eq!(
            message(&missing),
            format!(
                "{}: no such folder; give the app's folder (what `cf push -p` would upload)",
                missing.display()
            )
        );
        let under_a_file = file.join("app");
        assert_eq!(
            message(&under_a_file),
            format!(
                "{}: part of that path is a file, not a folder; give the app's folder (what `cf push -p` would upload)",
                under_a_file.display()
            )
        );
        // A folder given through a link is staged from where the link leads.
        let app = scratch.path().join("app");
        fs::create_dir(&app).unwrap();
        let link = scratch.path().join("link");
        std::os::unix::fs::symlink(&app, &link).unwrap();
        assert_eq!(
            check_app_dir(&link).unwrap(),
            fs::canonicalize(&app).unwrap()
        );
    }
}
