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

/// A manifest.yml an `--any-stack` zip of the manifest would hold, over [`MANIFEST_LIMIT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverTheLimit {
    /// Its size in bytes.
    pub size: usize,
    /// True when only the cached zip's is over: each dependency's `file:` key made it so.
    pub cached: bool,
}

/// The smallest manifest.yml an `--any-stack` zip of `manifest` can hold (uncached: every
/// dependency kept, no `file:` keys; comments dropped as packaging drops them) when that is
/// over [`MANIFEST_LIMIT`], else the cached zip's (each dependency with its `file:` key) when
/// that is. `bpkit validate` warns with it: the source manifest is valid, but `bpkit package
/// --any-stack` (or `--cached --any-stack`, which CI pipelines run) refuses it, which only
/// packaging for one stack (or fewer dependencies) gets under.
#[must_use]
pub fn any_stack_manifest_over_the_limit(manifest: &Manifest) -> Option<OverTheLimit> {
    let tree = manifest.tree.as_ref()?;
    let size = |cached: bool| {
        let kept: Vec<KeptDependency> = manifest
            .dependencies
            .iter()
            .enumerate()
            .map(|(index, dependency)| KeptDependency {
                index,
                file: cached.then(|| super::zip_path_for(&dependency.uri)),
            })
            .collect();
        rewrite::packaged_manifest(
            tree,
            manifest.dependencies.len(),
            &kept,
            None,
            &std::collections::BTreeSet::new(),
        )
        .ok()
        .map(|text| text.len())
    };
    [false, true].into_iter().find_map(|cached| {
        size(cached)
            .filter(|&size| size > MANIFEST_LIMIT)
            .map(|size| OverTheLimit { size, cached })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Manifest {
        Manifest::parse(text, Path::new("m.yml")).unwrap().0
    }

    /// Up to 90% of the limit says nothing; past it, a warning; past the limit itself, the
    /// error `bpkit verify` would give the zip.
    #[test]
    fn the_packaged_manifest_is_warned_about_near_the_limit_and_refused_past_it() {
        let check = |size| {
            let (logger, out) = Logger::capture();
            let result = check_manifest_size(size, Path::new("bp/manifest.yml"), &logger);
            (result.map_err(|e| e.to_string()), out.text())
        };
        let quiet = MANIFEST_LIMIT / 10 * 9;
        assert_eq!(check(quiet), (Ok(()), String::new()));
        let (result, warning) = check(quiet + 1);
        assert_eq!(result, Ok(()));
        assert!(
            warning.contains("close to the 1 MiB Cloud Controller accepts"),
            "{warning}"
        );
        let (result, warning) = check(MANIFEST_LIMIT);
        assert_eq!(result, Ok(()));
        assert!(
            warning.contains("The packaged manifest.yml is 1.0 MiB"),
            "{warning}"
        );
        let (result, warning) = check(MANIFEST_LIMIT + 1);
        assert_eq!(
            result,
            Err(PackageError::ManifestTooLarge {
                size: MANIFEST_LIMIT + 1,
                manifest: "bp/manifest.yml".into(),
            }
            .to_string())
        );
        assert_eq!(warning, "");
    }

    /// Credentials in the kept dependencies' URIs are said once, naming each dependency and
    /// never the credentials; a left-out dependency's are not the zip's.
    #[test]
    fn credentials_kept_in_the_packaged_uris_are_warned_about_once() {
        let m = manifest(
            "language: x\ndependencies:\n- {name: a, version: '1', uri: 'https://u:secret@h/a.tgz'}\n- {name: b, version: '2', uri: 'https://h/b.tgz'}\n- {name: c, version: '3', uri: 'https://h/c.tgz?token=secret'}\n",
        );
        let warned = |kept: &[usize]| {
            let (logger, out) = Logger::capture();
            check_credentials(&m, kept, &logger);
            out.text()
        };
        let both = warned(&[0, 1, 2]);
        assert!(
            both.contains("credentials written in the URIs of a 1, c 3: anyone who can read"),
            "{both}"
        );
        assert!(!both.contains("secret"), "{both}");
        assert_eq!(both.lines().count(), 1, "{both}");
        let one = warned(&[0, 1]);
        assert!(one.contains("in the URI of a 1: "), "{one}");
        assert_eq!(warned(&[1]), "");
    }

    /// `bpkit validate` learns when no `--any-stack` zip could hold the manifest, with the
    /// size its packaged manifest would have.
    #[test]
    fn a_manifest_too_large_for_an_any_stack_zip_is_found() {
        let small = manifest(
            "language: x\ndependencies:\n- {name: a, version: '1', uri: 'https://h/a.tgz'}\n",
        );
        assert_eq!(any_stack_manifest_over_the_limit(&small), None);
        let uncached = |size| {
            Some(OverTheLimit {
                size,
                cached: false,
            })
        };
        let with_osl = |bytes: usize| {
            manifest(&format!(
                "language: x\ndependencies:\n- name: a\n  version: '1'\n  uri: https://h/a.tgz\n  osl: {}\n",
                "x".repeat(bytes)
            ))
        };
        let size = any_stack_manifest_over_the_limit(&with_osl(MANIFEST_LIMIT))
            .unwrap()
            .size;
        assert!(
            size > MANIFEST_LIMIT && size < MANIFEST_LIMIT + 200,
            "{size}"
        );
        // Exactly at the limit is still accepted; one byte more is not.
        let at_limit = MANIFEST_LIMIT - (size - MANIFEST_LIMIT);
        // Exactly at the limit uncached, the cached zip's `file:` key takes it over.
        let file_key = "  file: ".len() + super::super::zip_path_for("https://h/a.tgz").len() + 1;
        assert_eq!(
            any_stack_manifest_over_the_limit(&with_osl(at_limit)),
            Some(OverTheLimit {
                size: MANIFEST_LIMIT + file_key,
                cached: true
            })
        );
        assert_eq!(
            any_stack_manifest_over_the_limit(&with_osl(at_limit - file_key)),
            None
        );
        assert_eq!(
            any_stack_manifest_over_the_limit(&with_osl(at_limit + 1)),
            uncached(MANIFEST_LIMIT + 1)
        );
    }
}
