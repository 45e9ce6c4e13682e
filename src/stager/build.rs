//! Steps 3 and 4, the builder's `build`: the final buildpack runs `supply` (when present) and
//! `finalize`, or else `compile`; then the process types, from the supply buildpacks'
//! `launch.yml`, the final buildpack's `launch.yml` or else `bin/release`, and the app's
//! `Procfile` ([`procfile`]).

use std::ffi::OsStr;
use std::fs;

use super::error::{MISSING_FINALIZE_WARN_MSG, StageError};
use super::layout::{FINAL_CACHE, deps_index};
use super::phases::Phases;
use super::procfile::{self, Process};
use super::run_phase::{PhaseFailure, Sink};
use super::{Buildpack, Chosen, Staging};

impl Staging<'_> {
    /// The builder's `build`: finalize (or compile), then the process types.
    pub(super) fn build(
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
                .map_err(|cause| match cause {
                    PhaseFailure::TooMuchOutput { limit } => StageError::ReleaseOutputTooLarge {
                        buildpack: chosen.key.clone(),
                        limit,
                    },
                    cause => StageError::ReleaseFailed(cause),
                })?;
            let types = procfile::utf8(&output)
                .and_then(procfile::parse_release)
                .map_err(StageError::InvalidReleaseOutput)?;
            processes = procfile::merge(processes, procfile::from_map(types));
        }
        let procfile_path = build_dir.join("Procfile");
        // Read as bytes: text that is not UTF-8 is the YAML reader's error ("invalid YAML"),
        // as in the builder, not a read error.
        match procfile::read_document(&procfile_path) {
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
                    "The app's Procfile is a folder, and the platform reads Procfile as a file of `type: command` lines; rename the folder, or leave it out of the upload with a `/Procfile` line in .cfignore (`/Procfile/` would leave out only what is in it)".to_string()
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
        let text = match procfile::read_document_text(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StageError::access("read", &path, e)),
        };
        procfile::parse_launch_yml(&text)
            .map(Some)
            .map_err(|source| StageError::InvalidLaunchYml { index, source })
    }
}
