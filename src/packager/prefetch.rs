//! `bpkit fetch` (spec README, "Toolkit CLI": fill the dependency cache, parallel and verified,
//! without packaging): the dependencies `bpkit package --cached` would put in the zip for the
//! same stack and profile, fetched into the same cache by the same code, and no zip. An
//! air-gapped site runs it where the network is, then packages with `--offline`; `--offline`
//! here checks that the cache already holds every file, each re-verified.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::json;

use crate::checksum::Sha256;
use crate::fetch::{self, Mode};
use crate::output::Logger;
use crate::output::progress::Progress;

use super::{Origin, PackageError, StackChoice, plan};

/// What to fetch: `bpkit fetch`'s flags, resolved.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The buildpack folder (its `manifest.yml` is read).
    pub dir: PathBuf,
    /// A manifest to use instead of `DIR/manifest.yml`.
    pub manifest: Option<PathBuf>,
    pub stack: StackChoice,
    /// The dependency cache; [`super::default_cache_dir`] when `None` (see [`super::cache_dir`]).
    pub cache_dir: Option<PathBuf>,
    pub profile: Option<String>,
    pub exclude: Vec<String>,
    pub include: Vec<String>,
    /// Downloads at once.
    pub jobs: usize,
    pub mode: Mode,
}

impl FetchOptions {
    /// Defaults for the manifest in `dir`, any stack, the default cache.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FetchOptions {
            dir: dir.into(),
            manifest: None,
            stack: StackChoice::Any,
            cache_dir: None,
            profile: None,
            exclude: Vec::new(),
            include: Vec::new(),
            jobs: 4,
            mode: Mode::Normal,
        }
    }
}

/// One dependency in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedDependency {
    pub name: String,
    pub version: String,
    /// Credentials redacted.
    pub uri: String,
    /// The verified cache file (shared by dependencies with the same URI).
    pub path: PathBuf,
    pub sha256: Sha256,
    pub size: u64,
    pub origin: Origin,
}

/// What is in the cache now.
#[derive(Debug, Clone)]
pub struct FetchOutcome {
    pub cache_dir: PathBuf,
    pub stack: Option<String>,
    pub profile: Option<String>,
    /// In manifest order.
    pub dependencies: Vec<CachedDependency>,
}

impl FetchOutcome {
    /// The `--json` document.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "cache_dir": self.cache_dir.display().to_string(),
            "stack": self.stack,
            "profile": self.profile,
            "dependencies": self.dependencies.iter().map(|d| json!({
                "name": d.name,
                "version": d.version,
                "uri": d.uri,
                "path": d.path.display().to_string(),
                "sha256": d.sha256.hex(),
                "size": d.size,
                "source": d.origin,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Fetch every dependency the plan keeps into the cache. Fails as `bpkit package --cached`
/// would, with the same messages; a failed run leaves no `.part` file and no bad cache entry.
/// An interrupted one (SIGINT, SIGTERM, SIGHUP, caught as [`super::package`] catches them)
/// stops its downloads, removes their `.part` files and ends with
/// [`PackageError::FetchInterrupted`] (exit 130); files already verified stay in the cache.
pub fn fetch(
    options: &FetchOptions,
    logger: &Logger,
    progress: &dyn Progress,
) -> Result<FetchOutcome, PackageError> {
    crate::process_group::watch_termination();
    let result = fetch_steps(options, logger, progress);
    if crate::process_group::termination_requested() {
        return Err(PackageError::FetchInterrupted);
    }
    result
}

fn fetch_steps(
    options: &FetchOptions,
    logger: &Logger,
    progress: &dyn Progress,
) -> Result<FetchOutcome, PackageError> {
    let manifest_path = options
        .manifest
        .clone()
        .unwrap_or_else(|| options.dir.join("manifest.yml"));
    let manifest = super::job::load_manifest(&manifest_path, logger)?;
    let plan = super::job::make_plan(
        &manifest,
        &options.stack,
        plan::Selection {
            profile: options.profile.as_deref(),
            exclude: &options.exclude,
            include: &options.include,
        },
        logger,
    )?;
    let cache_dir = super::cache_dir(options.cache_dir.as_deref())?;
    let fetched = super::fetching::fetch_dependencies(
        &manifest,
        &plan,
        &cache_dir,
        (options.jobs, options.mode, super::Layout::Go),
        logger,
        progress,
        &BTreeMap::new(),
    )?;
    let dependencies = plan
        .kept
        .iter()
        .map(|&index| &manifest.dependencies[index])
        .filter_map(|d| {
            // fetch_dependencies returns every kept URI or fails.
            let done = fetched.get(d.uri.as_str())?;
            Some(CachedDependency {
                name: d.name.clone(),
                version: d.version.clone(),
                uri: fetch::uri::redact(&d.uri),
                path: done.path().to_path_buf(),
                sha256: done.digests.sha256,
                size: done.digests.len,
                origin: Origin::from(&done.source),
            })
        })
        .collect::<Vec<_>>();
    let files: std::collections::BTreeMap<&PathBuf, u64> =
        dependencies.iter().map(|d| (&d.path, d.size)).collect();
    let total: u64 = files.values().sum();
    logger.step(&format!(
        "{} dependenc{} in {} ({})",
        dependencies.len(),
        if dependencies.len() == 1 { "y" } else { "ies" },
        cache_dir.display(),
        crate::output::human_size(total)
    ));
    Ok(FetchOutcome {
        cache_dir,
        stack: options.stack.stack().map(String::from),
        profile: options.profile.clone(),
        dependencies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `--json` document scripts read: every field by name, each cache file's path.
    #[test]
    fn the_json_document_names_every_field() {
        let sha = Sha256::parse("cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc")
            .unwrap();
        let outcome = FetchOutcome {
            cache_dir: "/c".into(),
            stack: Some("cflinuxfs4".into()),
            profile: None,
            dependencies: vec![CachedDependency {
                name: "a".into(),
                version: "1.10".into(),
                uri: "https://h/a.tgz".into(),
                path: "/c/dependencies/abc/a.tgz".into(),
                sha256: sha,
                size: 3,
                origin: Origin::Cache,
            }],
        };
        assert_eq!(
            outcome.to_json(),
            json!({
                "cache_dir": "/c",
                "stack": "cflinuxfs4",
                "profile": null,
                "dependencies": [{
                    "name": "a",
                    "version": "1.10",
                    "uri": "https://h/a.tgz",
                    "path": "/c/dependencies/abc/a.tgz",
                    "sha256": "cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc",
                    "size": 3,
                    "source": "cache",
                }],
            })
        );
    }
}
