//! Step 2 without detect: every buildpack but the last runs `bin/supply`, in order, each into
//! its own deps folder and cache, after checking that every one of them has one; the last
//! buildpack is the final one.

use std::ffi::OsStr;

use super::error::StageError;
use super::layout::{deps_index, supply_cache_name};
use super::phases::Phases;
use super::run_phase::Sink;
use super::{Buildpack, Chosen, Staging};

impl Staging<'_> {
    /// The builder's `runSupplyBuildpacks` (skip-detect mode).
    pub(super) fn run_supply_buildpacks(
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
}
