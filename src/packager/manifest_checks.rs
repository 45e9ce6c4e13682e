//! Warnings about the packaged `manifest.yml` that Cloud Controller or the zip's readers would
//! otherwise find too late: its size against the 1 MiB limit (over it, an error), and credentials
//! kept in its URIs.

use std::path::Path;

use super::PackageError;
use super::rewrite::{self, KeptDependency};
use crate::fetch;
use crate::manifest::Manifest;
use crate::output::{Logger, human_size};

/// Cloud Controller refuses a buildpack whose `manifest.yml` is larger than this.
pub const MANIFEST_LIMIT: usize = 1 << 20;

/// The packaged manifest.yml keeps each `uri:` as written (as the Go packager does: an uncached
/// zip downloads with them when staging), so credentials in a URI ship to everyone who can read
/// the zip. Messages never show them; this says, once, that the zip does.
pub(super) fn check_credentials(manifest: &Manifest, kept: &[usize], logger: &Logger) {
    let with_secrets: Vec<String> = kept
        .iter()
        .map(|&i| &manifest.dependencies[i])
        .filter(|d| !fetch::uri::secrets(&d.uri).is_empty())
        .map(|d| format!("{} {}", d.name, d.version))
        .collect();
    if with_secrets.is_empty() {
        return;
    }
    logger.warning(&format!(
        "The packaged manifest.yml keeps the credentials written in the URI{} of {}: anyone who can read the zip can read them. Write the URIs without them and give them through BPKIT_MIRRORS where the zip is packaged and staged (README, \"Air-gapped sites\").",
        if with_secrets.len() == 1 { "" } else { "s" },
        with_secrets.join(", ")
    ));
}

/// Over [`MANIFEST_LIMIT`] is an error, as `bpkit verify` has it: a zip bpkit writes must pass
/// `bpkit verify`, and Cloud Controller refuses this one. Close to it is a warning.
pub(super) fn check_manifest_size(
    size: usize,
    manifest: &Path,
    logger: &Logger,
) -> Result<(), PackageError> {
    if size > MANIFEST_LIMIT {
        return Err(PackageError::ManifestTooLarge {
            size,
            manifest: manifest.to_path_buf(),
        });
    }
    if size > MANIFEST_LIMIT / 10 * 9 {
        logger.warning(&format!(
            "The packaged manifest.yml is {}, close to the 1 MiB Cloud Controller accepts.",
            human_size(size as u64)
        ));
    }
    Ok(())
}

/// The size of the smallest manifest.yml an `--any-stack` zip of `manifest` can hold (uncached:
/// every dependency kept, no `file:` keys; comments dropped as packaging drops them), when that
/// is over [`MANIFEST_LIMIT`]. `bpkit validate` warns with it: the source manifest is valid,
/// but `bpkit package --any-stack` refuses it, which only packaging for one stack (or fewer
/// dependencies) gets under.
#[must_use]
pub fn any_stack_manifest_over_the_limit(manifest: &Manifest) -> Option<usize> {
    let tree = manifest.tree.as_ref()?;
    let kept: Vec<KeptDependency> = (0..manifest.dependencies.len())
        .map(|index| KeptDependency { index, file: None })
        .collect();
    let text = rewrite::packaged_manifest(
        tree,
        manifest.dependencies.len(),
        &kept,
        None,
        &std::collections::BTreeSet::new(),
    )
    .ok()?;
    (text.len() > MANIFEST_LIMIT).then_some(text.len())
}
