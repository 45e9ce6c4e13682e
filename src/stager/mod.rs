//! `bpkit stage`: what Cloud Foundry's builder (buildpackapplifecycle `builder`,
//! `buildpackrunner`) does to turn an app and a list of buildpacks into a droplet, done on the
//! local machine by running each buildpack's `bin/*` programs as the platform runs them
//! (stager.md). Any buildpack works, not only bpkit ones.
//!
//! The order follows the builder's `Setup` and `GoLikeLightning`:
//! 1. copy the app (as `cf push` would upload it) into a fresh build dir; put every buildpack
//!    in place (folder, zip, zip URL, git URL: [`source`]); prepare the caches ([`cache`]) and
//!    the deps folders with padded indexes ([`layout`]);
//! 2. detect mode: run `bin/detect` of each buildpack in order, first match wins; otherwise
//!    every buildpack but the last runs `bin/supply`;
//! 3. the last buildpack runs `supply` (when present) and `finalize`, or `compile`;
//! 4. process types from supply buildpacks' `launch.yml`, the final buildpack's `launch.yml` or
//!    else `bin/release`, and the app's `Procfile` ([`procfile`]);
//! 5. `staging_info.yml`, `result.json` ([`result`]), `droplet.tgz` and `cache.tgz`
//!    ([`droplet`]), in a folder outside the app ([`outputs`]).
//!
//! Failures keep the builder's messages and exit codes ([`error`]). The user's app folder and
//! buildpack folders are only read.

pub mod cache;
pub mod copy;
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

use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

pub use error::StageError;

use crate::output::Logger;
use crate::process_group;
use error::MISSING_FINALIZE_WARN_MSG;
use layout::{FINAL_CACHE, Workspace, deps_index, supply_cache_name};
pub use outputs::{OutDir, default_out_dir, out_dir};
use outputs::{Outputs, app_name, create_out_dir};
use procfile::Process;
use result::BuildpackMetadata;
use run_phase::{Deadline, Finished, PhaseFailure, RunError, Sink};
use source::RootError;

/// The platform's default stack.
pub const DEFAULT_STACK: &str = "cflinuxfs4";
/// Cloud Controller's default staging timeout (`staging_timeout_in_seconds`).
pub const DEFAULT_TIMEOUT_SECS: u64 = 900;

/// What to stage, and how.
#[derive(Debug, Clone)]
pub struct StageOptions {
    pub app_dir: PathBuf,
    /// `-b` arguments, in order.
    pub buildpacks: Vec<String>,
    /// Run detect over the buildpacks instead of using them all (`cf push` without `-b`).
    pub detect: bool,
    pub stack: String,
    /// Raw `-e KEY=VALUE` arguments.
    pub env: Vec<String>,
    /// Raw `--services` (JSON or `@FILE`).
    pub services: Option<String>,
    /// A folder carrying the build cache from one staging to the next.
    pub cache: Option<PathBuf>,
    /// Where the outputs go; by default `./.bpkit/stage/<app>`, or the user cache folder when
    /// that is inside the app folder (see [`out_dir`]).
    pub out: Option<PathBuf>,
    pub memory_mb: u64,
    /// Keep the workspace (build dir, deps, caches) after staging.
    pub keep: bool,
    pub timeout_secs: u64,
}

/// A successful staging.
#[derive(Debug, Clone)]
pub struct Staged {
    pub out_dir: PathBuf,
    pub droplet: PathBuf,
    pub result_json: PathBuf,
    pub cache_tgz: PathBuf,
    pub detected_buildpack: String,
    pub processes: Vec<Process>,
    /// The workspace, when `--keep` kept it.
    pub workspace: Option<PathBuf>,
}

/// A failed staging: the error, and the outputs the builder still writes.
#[derive(Debug)]
pub struct Failed {
    /// Boxed: a `StageError` can carry a large cause, and a successful staging should not pay
    /// for the room.
    pub error: Box<StageError>,
    /// `result.json`, when staging got past detection (the builder writes it then).
    pub result_json: Option<PathBuf>,
    /// `result.json`'s `detected_buildpack`, when staging got past detection.
    pub detected_buildpack: Option<String>,
    pub workspace: Option<PathBuf>,
}

impl From<StageError> for Failed {
    fn from(error: StageError) -> Self {
        Failed {
            error: Box::new(error),
            result_json: None,
            detected_buildpack: None,
            workspace: None,
        }
    }
}

/// Stage the app. The staging log goes to `logger`; buildpack output is passed through as is.
pub fn stage(options: &StageOptions, logger: &Logger) -> Result<Staged, Failed> {
    process_group::watch_termination();
    let app_dir = check_app_dir(&options.app_dir)?;
    if options.buildpacks.is_empty() {
        return Err(StageError::NoBuildpack.into());
    }
    let platform = env::Platform {
        app_name: app_name(&app_dir),
        stack: options.stack.clone(),
        memory_mb: options.memory_mb,
        services: env::parse_services(options.services.as_deref())?,
        user_env: env::parse_user_env(&options.env)?,
    };
    let mut cache_dir = None;
    if let Some(cache) = &options.cache {
        let (resolved, inside_app) = outputs::resolve_inside(cache, &app_dir)?;
        if inside_app {
            return Err(StageError::CacheInsideApp {
                cache: cache.clone(),
                app_dir,
            }
            .into());
        }
        let found =
            cache::foreign_entries(cache).map_err(|e| StageError::access("read", cache, e))?;
        if !found.is_empty() {
            return Err(StageError::NotABuildCache {
                cache: cache.clone(),
                found,
            }
            .into());
        }
        cache_dir = Some((cache, resolved));
    }
    let OutDir { path: out, moved } = out_dir(options, &app_dir)?;
    // The cache is saved by replacing its folder whole, which would take the droplet and
    // result.json with it (a cache inside the outputs is fine: they are only added to).
    if let Some((cache, resolved)) = cache_dir
        && out.starts_with(&resolved)
    {
        return Err(StageError::OutInsideCache {
            out,
            cache: cache.clone(),
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
    create_out_dir(options, &out)?;
    let out = fs::canonicalize(&out).map_err(|e| StageError::access("open", &out, e))?;
    let outputs = Outputs::in_dir(&out);
    outputs.remove_stale()?;

    let mut workspace = Workspace::create()?;
    let mut detected_on_failure = None;
    let result = Staging {
        options,
        logger,
        workspace: &workspace,
        outputs: &outputs,
        deadline: Deadline::after_secs(options.timeout_secs),
    }
    .run(&app_dir, &platform, &mut detected_on_failure);
    // Ctrl-C (or SIGTERM, SIGHUP) is caught for the whole staging, so the steps that run no
    // phase (copying the app, writing the droplet and cache.tgz, updating --cache) must not
    // carry on as if nothing happened: whatever they returned, the staging was interrupted, and
    // outputs it may already have written are removed (the persisted cache is swapped in whole
    // or not at all, so it is left as it is).
    let result = if process_group::termination_requested() {
        outputs.remove_written();
        Err(StageError::Interrupted)
    } else {
        result
    };
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

fn check_app_dir(app_dir: &Path) -> Result<PathBuf, StageError> {
    match fs::metadata(app_dir) {
        Ok(meta) if meta.is_dir() => fs::canonicalize(app_dir)
            .map_err(|e| StageError::access("open the app folder", app_dir, e)),
        Ok(_) => Err(StageError::AppDirIsAFile {
            app_dir: app_dir.to_path_buf(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StageError::AppDirNotFound {
            app_dir: app_dir.to_path_buf(),
        }),
        Err(e) => Err(StageError::access("open the app folder", app_dir, e)),
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
    logger: &'a Logger,
    workspace: &'a Workspace,
    outputs: &'a Outputs,
    deadline: Option<Deadline>,
}

impl Staging<'_> {
    /// A buildpack folder made by `bpkit init` has the bootstrap as `bin/bpkit`, and neither
    /// Rust sources to build nor, until bpkit is released, a binary its lock can download: its
    /// phases would stop at once. `bpkit stage APP -b .` is the author's edit-stage loop, so its
    /// phases run this bpkit, as `bpkit package` puts this bpkit in the zip; a `BPKIT_BINARY`
    /// of the host still wins. The variable is the staging's, so a git-URL bpkit buildpack staged
    /// alongside runs this bpkit too (alone, a zip or a clone takes the platform's own path).
    fn run_folder_bootstraps_with_this_bpkit(
        &self,
        located: &[source::Located],
        environment: &mut env::Environment,
    ) {
        if environment.get("BPKIT_BINARY").is_some() {
            return;
        }
        let Some(folder) = located.iter().find(|l| {
            l.folder
                && matches!(
                    crate::packager::shim::detect(&l.location, None),
                    Ok(Some(crate::packager::shim::Layout::Bootstrap))
                )
        }) else {
            return;
        };
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        self.logger.detail(&format!(
            "{}/bin/bpkit is the bootstrap: its phases run this bpkit ({}); set BPKIT_BINARY to run another",
            folder.location.display(),
            exe.display()
        ));
        environment.set("BPKIT_BINARY", exe);
    }

    /// Stage; on success the detected buildpack's name and the processes. A build that fails
    /// after detection still names the buildpack, in `detected_on_failure`.
    fn run(
        &self,
        app_dir: &Path,
        platform: &env::Platform,
        detected_on_failure: &mut Option<String>,
    ) -> Result<(String, Vec<Process>), StageError> {
        let ws = self.workspace;
        self.copy_app(app_dir)?;
        let mut environment = env::staging(platform, &ws.tmp_dir());

        let located = source::locate_all(
            &self.options.buildpacks,
            &ws.buildpacks_dir(),
            &env::Environment::from_host(),
            self.logger,
            self.deadline,
        )?;
        self.run_folder_bootstraps_with_this_bpkit(&located, &mut environment);
        let buildpacks: Vec<Buildpack> = located
            .into_iter()
            .map(|l| Buildpack {
                root: source::buildpack_root(&l.location, &l.key),
                key: l.key,
            })
            .collect();
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
        if let Some(persisted) = &self.options.cache {
            cache::restore(persisted, &cache_dir)
                .map_err(|e| StageError::access("read the cache", persisted, e))?;
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
                let metadata = self.metadata(&metadata_keys, &chosen, count);
                let info = ws.contents_dir().join("staging_info.yml");
                fs::write(&info, result::staging_info(&metadata, &processes))
                    .map_err(|e| StageError::access("write", &info, e))?;
                write_atomically(
                    &self.outputs.result_json,
                    &result::result_json(&metadata, Some(&processes)),
                )?;
                self.package()?;
                if let Some(persisted) = &self.options.cache {
                    cache::persist(&cache_dir, persisted)
                        .map_err(|e| StageError::access("update the cache", persisted, e))?;
                }
                Ok((detected_name(&metadata), processes))
            }
            Err(error @ (StageError::Interrupted | StageError::TimedOut(_))) => Err(error),
            Err(error) => {
                // The builder writes result.json even when the build fails, "to capture
                // buildpack metadata".
                let metadata = self.metadata(&metadata_keys, &chosen, count);
                *detected_on_failure = Some(detected_name(&metadata));
                let _ = write_atomically(
                    &self.outputs.result_json,
                    &result::result_json(&metadata, None),
                );
                Err(error)
            }
        }
    }

    fn copy_app(&self, app_dir: &Path) -> Result<(), StageError> {
        let ignore = ignore::Ignore::for_app(app_dir)?;
        // The first uploaded link that points outside the app, which stops the staging.
        let outside: std::cell::RefCell<Option<(PathBuf, PathBuf)>> = std::cell::RefCell::new(None);
        // Exactly what `cf push` would upload: bpkit's own outputs and caches are never inside
        // the app folder (`out_dir`, and `--cache` is refused there), so nothing else is left out.
        copy::upload_tree(app_dir, &self.workspace.build_dir(), &|rel| {
            if ignore.is_ignored(rel.path, rel.is_dir) {
                return true;
            }
            let link = app_dir.join(rel.path);
            match fs::read_link(&link) {
                Ok(target) if !link_stays_inside(rel.path, &target) => {
                    outside.borrow_mut().get_or_insert((link, target));
                    true
                }
                _ => false,
            }
        })
        .map_err(|e| {
            if crate::output::no_room_fix(e.kind()).is_some() {
                StageError::NoRoomToCopyApp {
                    dir: self.workspace.root().to_path_buf(),
                    source: e,
                }
            } else {
                StageError::access("copy the app from", app_dir, e)
            }
        })?;
        match outside.into_inner() {
            Some((link, target)) => Err(StageError::LinkOutsideApp { link, target }),
            None => Ok(()),
        }
    }

    /// The builder's `runSupplyBuildpacks` (skip-detect mode).
    fn run_supply_buildpacks(
        &self,
        phases: &Phases<'_>,
        supply: &[Buildpack],
        last: &Buildpack,
        count: usize,
    ) -> Result<Chosen, StageError> {
        let ws = self.workspace;
        // validateSupplyBuildpacks: every supply buildpack must have bin/supply before any runs.
        for buildpack in supply {
            let root = match &buildpack.root {
                Ok(root) => root,
                Err(error) => {
                    self.logger.raw(&format!("{error}\n"));
                    return Err(StageError::MalformedBuildpack(error.clone()));
                }
            };
            if !root.join("bin/supply").exists() {
                return Err(StageError::NoSupplyScript);
            }
        }
        for (i, buildpack) in supply.iter().enumerate() {
            let Ok(root) = &buildpack.root else {
                continue;
            };
            let cache = ws.cache_dir().join(supply_cache_name(&buildpack.key));
            let status = phases.run(
                &root.join("bin/supply"),
                &[
                    ws.build_dir().as_os_str(),
                    cache.as_os_str(),
                    ws.deps_dir().as_os_str(),
                    OsStr::new(&deps_index(i, count)),
                ],
                Sink::Log,
            )?;
            if let Err(cause) = status {
                return Err(StageError::SupplyFailed(cause));
            }
        }
        match &last.root {
            Ok(root) => Ok(Chosen {
                key: last.key.clone(),
                root: root.clone(),
                detect_output: String::new(),
            }),
            Err(error) => Err(StageError::MalformedBuildpack(error.clone())),
        }
    }

    /// The builder's `detect`: the first buildpack whose `bin/detect` exits 0.
    fn detect(&self, phases: &Phases<'_>, buildpacks: &[Buildpack]) -> Result<Chosen, StageError> {
        use std::os::unix::fs::PermissionsExt;
        let build_dir = self.workspace.build_dir();
        for buildpack in buildpacks {
            let root = match &buildpack.root {
                Ok(root) => root,
                Err(error) => {
                    self.logger.raw(&format!("{error}\n"));
                    continue;
                }
            };
            let detect = root.join("bin/detect");
            match fs::metadata(&detect) {
                Ok(meta) => {
                    if meta.permissions().mode() & 0o111 != 0o111 {
                        self.logger
                            .raw("WARNING: buildpack script '/bin/detect' is not executable\n");
                    }
                }
                Err(e) => {
                    self.logger.raw(&format!(
                        "stat {}: {}\n",
                        detect.display(),
                        if e.kind() == std::io::ErrorKind::NotFound {
                            "no such file or directory".to_string()
                        } else {
                            e.to_string()
                        }
                    ));
                    continue;
                }
            }
            if let Ok(output) = phases.run_capturing(&detect, &[build_dir.as_os_str()])? {
                let output = String::from_utf8_lossy(&output);
                return Ok(Chosen {
                    key: buildpack.key.clone(),
                    root: root.clone(),
                    detect_output: output.trim_end_matches(['\r', '\n']).to_string(),
                });
            }
        }
        Err(StageError::DetectFailed)
    }

    /// The builder's `build`: finalize (or compile), then the process types.
    fn build(
        &self,
        phases: &Phases<'_>,
        chosen: &Chosen,
        supply: &[Buildpack],
        count: usize,
        total: usize,
    ) -> Result<Vec<Process>, StageError> {
        let ws = self.workspace;
        let build_dir = ws.build_dir();
        let deps_dir = ws.deps_dir();
        let index = deps_index(supply.len(), count);
        let cache = ws.cache_dir().join(FINAL_CACHE);
        let bin = chosen.root.join("bin");
        let common = [
            build_dir.as_os_str(),
            cache.as_os_str(),
            deps_dir.as_os_str(),
            OsStr::new(&index),
        ];
        if bin.join("finalize").exists() {
            if bin.join("supply").exists()
                && let Err(cause) = phases.run(&bin.join("supply"), &common, Sink::Log)?
            {
                return Err(StageError::FinalSupplyFailed(cause));
            }
            let profile_dir = ws.profile_dir();
            let mut args = common.to_vec();
            args.push(profile_dir.as_os_str());
            if let Err(cause) = phases.run(&bin.join("finalize"), &args, Sink::Log)? {
                return Err(StageError::FinalizeFailed(cause));
            }
        } else {
            if !supply.is_empty() {
                self.logger.raw(&format!("{MISSING_FINALIZE_WARN_MSG}\n"));
            }
            // compile gets no deps folder: the builder removes the unused one.
            let unused = deps_dir.join(&index);
            fs::remove_dir_all(&unused).map_err(|e| StageError::access("remove", &unused, e))?;
            if let Err(cause) = phases.run(&bin.join("compile"), &common[..2], Sink::Log)? {
                return Err(StageError::CompileFailed(cause));
            }
        }

        // Supply buildpacks' launch.yml, by unpadded index (the builder uses strconv.Itoa here,
        // unlike everywhere else).
        let mut processes = Vec::new();
        for i in 0..supply.len() {
            if let Some(found) = self.launch_yml(i)? {
                processes = procfile::merge(processes, found);
            }
        }
        // The final buildpack's launch.yml replaces release altogether. Its index is the
        // position in the whole list, even in detect mode (where that folder never exists).
        if let Some(found) = self.launch_yml(total - 1)? {
            processes = procfile::merge(processes, found);
        } else {
            let output = phases
                .run_capturing(&bin.join("release"), &[build_dir.as_os_str()])?
                .map_err(StageError::ReleaseFailed)?;
            let types = procfile::utf8(&output)
                .and_then(procfile::parse_release)
                .map_err(StageError::InvalidReleaseOutput)?;
            processes = procfile::merge(processes, procfile::from_map(types));
        }
        let procfile_path = build_dir.join("Procfile");
        // Read as bytes: text that is not UTF-8 is the YAML reader's error ("invalid YAML"),
        // as in the builder, not a read error.
        match fs::read(&procfile_path) {
            Ok(bytes) => {
                let types = procfile::utf8(&bytes)
                    .and_then(procfile::parse_procfile)
                    .map_err(|e| {
                        // The builder's last line says only "invalid YAML": say where and how
                        // to fix it, above that line.
                        self.logger.error(&format!(
                            "The app's Procfile is not a list of process types: {e}; write each as `type: command` on one line, in single quotes when the command holds `: ` or ` #` (worker: 'echo a: b')"
                        ));
                        StageError::InvalidProcfile(e)
                    })?;
                processes = procfile::merge(processes, procfile::from_map(types));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                // The builder's line names only its own build folder: say what is wrong with
                // the app's file and how to fix it, above that line.
                self.logger.error(&if e.kind() == std::io::ErrorKind::IsADirectory {
                    "The app's Procfile is a folder, and the platform reads Procfile as a file of `type: command` lines; rename the folder, or leave it out of the upload with a `/Procfile/` line in .cfignore".to_string()
                } else {
                    format!("The app's Procfile cannot be read ({e}); make it a readable file of `type: command` lines, or remove it")
                });
                return Err(StageError::CannotReadProcfile {
                    path: procfile_path,
                    source: e,
                });
            }
        }
        Ok(processes)
    }

    fn launch_yml(&self, index: usize) -> Result<Option<Vec<Process>>, StageError> {
        let path = self
            .workspace
            .deps_dir()
            .join(index.to_string())
            .join("launch.yml");
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StageError::access("read", &path, e)),
        };
        procfile::parse_launch_yml(&text)
            .map(Some)
            .map_err(|source| StageError::InvalidLaunchYml { index, source })
    }

    fn metadata(&self, keys: &[String], chosen: &Chosen, count: usize) -> Vec<BuildpackMetadata> {
        let deps_dir = self.workspace.deps_dir();
        let mut metadata: Vec<BuildpackMetadata> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                BuildpackMetadata::read(&deps_dir, &deps_index(i, count), key, self.logger)
            })
            .collect();
        if self.options.detect
            && let Some(first) = metadata.first_mut()
            && first.name.is_empty()
        {
            first.name.clone_from(&chosen.detect_output);
        }
        metadata
    }

    /// The builder's `packageDroplet`.
    fn package(&self) -> Result<(), StageError> {
        let ws = self.workspace;
        let contents = ws.contents_dir();
        for name in ["tmp", "logs"] {
            let dir = contents.join(name);
            fs::create_dir_all(&dir).map_err(|e| StageError::access("create", &dir, e))?;
        }
        // The builder copies the build dir with `cp -a`; both live in the workspace, so a
        // rename gives the same tree without copying it.
        let app = contents.join("app");
        fs::rename(ws.build_dir(), &app).map_err(|e| StageError::access("move", &app, e))?;
        // Writing an archive fails for bpkit's own reasons (a full disk, the file-size limit),
        // told as its other writes are, with the fix; reading the staged tree fails as the
        // builder's compress step does.
        let dest = &self.outputs.droplet;
        droplet::write_tgz(&contents, dest).map_err(|e| match e {
            droplet::TgzError::Write(source) => StageError::access("write", dest, source),
            read @ droplet::TgzError::Read { .. } => StageError::CannotCompressDroplet(read),
        })?;
        let dest = &self.outputs.cache_tgz;
        droplet::write_tgz(&ws.cache_dir(), dest).map_err(|e| {
            // The staging failed: its droplet must not be left for `bpkit run` to start.
            let _ = fs::remove_file(&self.outputs.droplet);
            match e {
                droplet::TgzError::Write(source) => StageError::access("write", dest, source),
                read @ droplet::TgzError::Read { .. } => StageError::CannotCompressCache(read),
            }
        })?;
        Ok(())
    }
}

/// Runs buildpack programs with the staging environment.
struct Phases<'a> {
    env: &'a env::Environment,
    logger: &'a Logger,
    cwd: PathBuf,
    deadline: Option<Deadline>,
}

impl Phases<'_> {
    fn command(&self, program: &Path, args: &[&OsStr]) -> Command {
        let mut command = Command::new(program);
        self.env.apply(&mut command);
        command.args(args).current_dir(&self.cwd);
        command
    }

    /// Run with stdout into the log. `Ok(Err(cause))` when it failed, with Go's words for why
    /// (`exit status 1`, `fork/exec …: permission denied`).
    fn run(
        &self,
        program: &Path,
        args: &[&OsStr],
        stdout: Sink<'_>,
    ) -> Result<Result<(), PhaseFailure>, StageError> {
        self.logger.debug(&format!("Running {}", program.display()));
        let ran = run_phase::run(
            self.command(program, args),
            stdout,
            Sink::Log,
            self.logger,
            self.deadline,
        );
        Ok(self.outcome(ran)?.map(|_| ()))
    }

    /// Run with stdout captured (detect, release): `Ok(stdout)`, as bytes (release's must be
    /// UTF-8 YAML, detect's is only a name), or `Err(cause)` in Go's words.
    fn run_capturing(
        &self,
        program: &Path,
        args: &[&OsStr],
    ) -> Result<Result<Vec<u8>, PhaseFailure>, StageError> {
        self.logger.debug(&format!("Running {}", program.display()));
        let ran = run_phase::run(
            self.command(program, args),
            Sink::Capture,
            Sink::Log,
            self.logger,
            self.deadline,
        );
        Ok(self.outcome(ran)?.map(|finished| finished.stdout))
    }

    /// A program that failed (exited non-zero, or could not be started) is the buildpack's
    /// failure, which the builder reports in its words; an interruption, the deadline or a
    /// failed wait ends the staging.
    fn outcome(
        &self,
        ran: Result<Finished, RunError>,
    ) -> Result<Result<Finished, PhaseFailure>, StageError> {
        match ran {
            Ok(finished) if finished.status.success() => Ok(Ok(finished)),
            Ok(finished) => Ok(Err(PhaseFailure::Exited(finished.status))),
            Err(RunError::CannotSpawn(e)) => Ok(Err(PhaseFailure::CannotStart(e))),
            Err(RunError::Interrupted) => Err(StageError::Interrupted),
            Err(RunError::TimedOut) => {
                Err(StageError::TimedOut(self.deadline.map_or(0, |d| d.secs)))
            }
            Err(RunError::CannotWait(e)) => Err(StageError::CannotWaitForPhase(e)),
        }
    }
}

/// Whether the symbolic link at `link` (relative to the app folder, `/`-separated) to `target`
/// stays inside the app folder, as Cloud Controller requires of an upload: an absolute target
/// never does (the user's paths do not exist on the platform, and here a phase would write
/// through it into the user's files); a relative one must not climb above the app folder.
/// Read lexically, from the link's own folder.
fn link_stays_inside(link: &str, target: &Path) -> bool {
    use std::path::Component;
    let mut depth = link.split('/').count() - 1;
    for component in target.components() {
        match component {
            Component::ParentDir => match depth.checked_sub(1) {
                Some(up) => depth = up,
                None => return false,
            },
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

/// `result.json`'s `detected_buildpack`: the final buildpack's name.
fn detected_name(metadata: &[BuildpackMetadata]) -> String {
    metadata.last().map(|m| m.name.clone()).unwrap_or_default()
}

/// Write `text` to `path` through a temporary file renamed into place.
fn write_atomically(path: &Path, text: &str) -> Result<(), StageError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".result.")
        .suffix(".part")
        // As a plain write leaves it (tempfile's default is 0600), less the umask.
        .permissions(fs::Permissions::from_mode(0o644))
        .tempfile_in(dir)
        .map_err(|e| StageError::access("write", path, crate::output::without_temp_path(e)))?;
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| StageError::access("write", path, e))?;
    temp.persist(path)
        .map_err(|e| StageError::access("write", path, e.error))?;
    Ok(())
}
