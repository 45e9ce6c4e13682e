//! The dependencies of a zip: what the packaged manifest says about each, where a cached zip
//! puts its file (`dependencies/<md5(uri)>/<basename>`), and writing the zip while they are
//! fetched, so that on a cold cache the downloads and the zip overlap.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::fetching::fetch_dependencies;
use super::job::Job;
use super::pending::Pending;
use super::rewrite::KeptDependency;
use super::zipwriter::{self, Entries};
use super::{Options, Origin, PackageError, PackagedDependency};
use crate::checksum;
use crate::fetch;
use crate::output::Logger;
use crate::output::progress::Progress;

/// The dependencies of the zip: what the packaged manifest says about each, and for a cached
/// zip the files to put in, each one [`Pending`] until it is fetched and verified.
pub(super) struct Dependencies {
    pub(super) packaged: Vec<PackagedDependency>,
    pub(super) kept: Vec<KeptDependency>,
    /// (path in the zip, its file once fetched), one per URI.
    pub(super) files: BTreeMap<String, Arc<Pending>>,
    /// The same files by URI.
    pub(super) by_uri: BTreeMap<String, Arc<Pending>>,
}

/// Everything about the dependencies that is known before fetching them.
pub(super) fn dependencies(job: &Job, options: &Options) -> Dependencies {
    let mut out = Dependencies {
        packaged: Vec::with_capacity(job.plan.kept.len()),
        kept: Vec::with_capacity(job.plan.kept.len()),
        files: BTreeMap::new(),
        by_uri: BTreeMap::new(),
    };
    for &index in &job.plan.kept {
        let dependency = &job.manifest.dependencies[index];
        let file = options.cached.then(|| zip_path_for(&dependency.uri));
        if let Some(file) = &file {
            let pending = out.by_uri.entry(dependency.uri.clone()).or_default();
            out.files.insert(file.clone(), Arc::clone(pending));
        }
        out.kept.push(KeptDependency {
            index,
            file: file.clone(),
        });
        out.packaged.push(PackagedDependency {
            name: dependency.name.clone(),
            version: dependency.version.clone(),
            uri: fetch::uri::redact(&dependency.uri),
            file,
            sha256: None,
            size: None,
            origin: None,
        });
    }
    out
}

/// Write the zip while the dependencies are fetched into the cache (for a cached zip): the
/// writer waits for each dependency only when it gets to its entry, so on a cold cache the
/// downloads and the zip overlap instead of adding up (issue 6, benches/package.sh). A failed
/// fetch fails the zip, which is then not written; the fetch's error is the one reported.
/// Fills in each dependency's sha256, size and origin.
pub(super) fn write_while_fetching(
    job: &Job,
    entries: &Entries,
    settings: zipwriter::Settings,
    dependencies: &mut Dependencies,
    options: &Options,
    logger: &Logger,
    progress: &dyn Progress,
) -> Result<zipwriter::Written, PackageError> {
    let Some(cache_dir) = job
        .cache_dir
        .as_deref()
        .filter(|_| !dependencies.by_uri.is_empty())
    else {
        logger.step(&format!("Writing {}", job.file_name));
        return Ok(zipwriter::write(entries, &job.dest, settings)?);
    };
    let by_uri = &dependencies.by_uri;
    let (written, fetched) = std::thread::scope(|scope| {
        let fetching = scope.spawn(|| {
            /// Whatever happens (an early error, a panic), no entry is left pending, so the
            /// writer never waits for ever.
            struct FailTheRest<'a>(&'a BTreeMap<String, Arc<Pending>>);
            impl Drop for FailTheRest<'_> {
                fn drop(&mut self) {
                    self.0.values().for_each(|p| p.fail());
                }
            }
            let _guard = FailTheRest(by_uri);
            fetch_dependencies(
                &job.manifest,
                &job.plan,
                cache_dir,
                (options.jobs, options.mode),
                logger,
                progress,
                by_uri,
            )
        });
        let written = zipwriter::write(entries, &job.dest, settings);
        let fetched = fetching
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (written, fetched)
    });
    let fetched = fetched?;
    logger.step(&format!("Writing {}", job.file_name));
    let written = written?;
    for (packaged, kept) in dependencies.packaged.iter_mut().zip(&job.plan.kept) {
        let uri = &job.manifest.dependencies[*kept].uri;
        if let Some(result) = fetched.get(uri.as_str()) {
            packaged.sha256 = Some(result.digests.sha256);
            packaged.size = Some(result.digests.len);
            packaged.origin = Some(Origin::from(&result.source));
        }
    }
    Ok(written)
}

/// `dependencies/<md5 of the uri>/<basename>`: the path of a dependency inside a cached zip and
/// the `file:` the packaged manifest gives it (the Go packager's layout), with the basename's
/// unsafe characters replaced (`zip_safe`).
pub fn zip_path_for(uri: &str) -> String {
    format!(
        "dependencies/{}/{}",
        checksum::md5_hex(uri),
        zip_safe(&fetch::uri::basename(uri))
    )
}

/// A basename with every character but ASCII letters, digits and `._-+~%=,@` replaced by `_`
/// (packager.md): operators list, copy and script the files of an unpacked zip, and a `&`,
/// `;`, quote, space or non-ASCII letter there is a trap for every shell line and extractor.
/// The names of the official buildpacks' dependencies (`openjdk_17.0.20%2B10_….tgz`) are kept
/// as they are, and the md5 folder still tells URIs apart.
fn zip_safe(basename: &str) -> String {
    basename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-+~%=,@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_paths_follow_the_go_layout() {
        let uri = "https://example.org/deps/ruby-3.3.0.tgz?token=x&a=b";
        assert_eq!(
            zip_path_for(uri),
            format!("dependencies/{}/ruby-3.3.0.tgz", checksum::md5_hex(uri))
        );
        // The raw last segment, `%2B` kept, as the Go packager writes it.
        let uri = "https://buildpacks.cloudfoundry.org/dependencies/openjdk/openjdk_17.0.20%2B10_linux_x64_cflinuxfs4_42fe5962.tgz";
        assert_eq!(
            zip_path_for(uri),
            "dependencies/2f7f22b1804c9828ce030b4332af3a2e/openjdk_17.0.20%2B10_linux_x64_cflinuxfs4_42fe5962.tgz"
        );
        // Characters a shell or an extractor could trip on are replaced in the zip.
        let uri = "https://example.org/deps/a&b c;$(x)'q\"ü.tgz?t=1";
        assert_eq!(
            zip_path_for(uri),
            format!("dependencies/{}/a_b_c___x__q__.tgz", checksum::md5_hex(uri))
        );
    }
}
