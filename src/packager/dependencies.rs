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

/// Where a cached zip puts each dependency's file (the packaged manifest's `file:` names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// `dependencies/<md5 of the uri>/<basename>`: the Go packager's ([`zip_path_for`]).
    #[default]
    Go,
    /// `dependencies/<the uri, its user and password hidden, each / : ? & made _>`: the Ruby
    /// gem's, where compile-extensions' `translate_dependency_url` (Ruby-era buildpacks) looks for
    /// a cached zip's files, whatever the manifest says. `buildpack-packager --cached`.
    RubyGem,
}

impl Layout {
    /// The path of `uri`'s file in a zip of this layout.
    pub fn zip_path(self, uri: &str) -> String {
        match self {
            Layout::Go => zip_path_for(uri),
            Layout::RubyGem => format!("dependencies/{}", ruby_gem_name(uri)),
        }
    }
}

/// The file name the Ruby gem gives `uri`'s copy, and compile-extensions looks for:
/// `uri_cache_path(uri_without_credentials(uri))`, a user and a password each written
/// `-redacted-` (Ruby's `URI#user=` and `#password=`), then every `/`, `:`, `?` and `&` an `_`.
fn ruby_gem_name(uri: &str) -> String {
    with_userinfo_hidden(uri, strict_userinfo_end(uri))
        .chars()
        .map(|c| {
            if matches!(c, '/' | ':' | '?' | '&') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Where the userinfo of `uri` ends (its `@`) as Ruby's `URI()` reads it, RFC 3986's way: the
/// authority ends at the first `/`, `?` or `#`, and only an `@` inside it ends a userinfo.
fn strict_userinfo_end(uri: &str) -> Option<usize> {
    let start = uri.find("://")? + "://".len();
    let rest = &uri[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest[..authority_end].rfind('@').map(|at| start + at)
}

/// `uri` with the userinfo that ends at `at` written as the gem writes it.
fn with_userinfo_hidden(uri: &str, at: Option<usize>) -> String {
    let Some(at) = at else {
        return uri.to_string();
    };
    let start = uri.find("://").map_or(0, |i| i + "://".len()).min(at);
    let userinfo = if uri[start..at].contains(':') {
        "-redacted-:-redacted-"
    } else {
        "-redacted-"
    };
    format!("{}{userinfo}{}", &uri[..start], &uri[at..])
}

/// Whether Ruby's reading of `uri` and the one every bpkit message redacts by
/// ([`fetch::uri::userinfo_end`], which takes `user:pa/ss@host`, a password pasted with a raw
/// `/`, as credentials) agree. Where they do not (`https://host:8080/pkg@latest/x.tgz` reads
/// either way), the gem's name would either miss the file compile-extensions looks for or show
/// what may be a password, so such a URI is refused for the gem's layout.
fn gem_readings_agree(uri: &str) -> bool {
    strict_userinfo_end(uri) == fetch::uri::userinfo_end(uri)
}

/// Everything about the dependencies that is known before fetching them. Two URIs the layout
/// gives one path (only the Ruby gem's can: `a/b` and `a_b`) are refused: one file could not
/// be both.
pub(super) fn dependencies(job: &Job, options: &Options) -> Result<Dependencies, PackageError> {
    let mut out = Dependencies {
        packaged: Vec::with_capacity(job.plan.kept.len()),
        kept: Vec::with_capacity(job.plan.kept.len()),
        files: BTreeMap::new(),
        by_uri: BTreeMap::new(),
    };
    let mut uri_at: BTreeMap<String, String> = BTreeMap::new();
    for &index in &job.plan.kept {
        let dependency = &job.manifest.dependencies[index];
        let file = options
            .cached
            .then(|| options.layout.zip_path(&dependency.uri));
        if file.is_some()
            && options.layout == Layout::RubyGem
            && !gem_readings_agree(&dependency.uri)
        {
            return Err(PackageError::AmbiguousUserinfo {
                uri: fetch::uri::redact(&dependency.uri),
            });
        }
        // The gem's name is the whole URI: a long one (a signed URL's query) is a file name no
        // extractor can create on the platform, which unzip reports only when staging there.
        if let Some(file) = &file
            && options.layout == Layout::RubyGem
            && let Some(name) = file.strip_prefix("dependencies/")
            && name.len() > super::name::MAX_FILE_NAME_BYTES
        {
            return Err(PackageError::GemNameTooLong {
                uri: fetch::uri::redact(&dependency.uri),
                bytes: name.len(),
            });
        }
        // The gem's name keeps every other character of the URI: a `\` is a folder separator
        // to extractors on Windows and some others (and `bpkit verify` refuses the zip), a
        // control character splits the lines of every listing. Refused before downloading,
        // where the zip was written and verify then called it broken.
        if let Some(file) = &file
            && options.layout == Layout::RubyGem
            && let Some(c) = file.chars().find(|c| *c == '\\' || c.is_control())
        {
            return Err(PackageError::GemNameUnsafe {
                uri: crate::output::escape_controls(&fetch::uri::redact(&dependency.uri)),
                found: crate::output::escape_controls(&c.to_string()),
                encoded: fetch::uri::percent_encode(c.encode_utf8(&mut [0; 4]).as_bytes(), b""),
            });
        }
        if let Some(file) = &file {
            if let Some(other) = uri_at.get(file.as_str())
                && *other != dependency.uri
            {
                return Err(PackageError::SharedZipPath {
                    path: file.clone(),
                    first: fetch::uri::redact(other),
                    second: fetch::uri::redact(&dependency.uri),
                });
            }
            uri_at.insert(file.clone(), dependency.uri.clone());
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
    Ok(out)
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
                (options.jobs, options.mode, options.layout),
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

    /// The gem's `uri_cache_path(uri_without_credentials(uri))`, as compile-extensions'
    /// `cached_uri` looks the file up.
    #[test]
    fn dependency_paths_follow_the_ruby_gems_layout() {
        let gem = |uri: &str| Layout::RubyGem.zip_path(uri);
        assert_eq!(
            gem("https://buildpacks.cloudfoundry.org/dependencies/ruby/ruby-2.2.2-linux-x64.tgz"),
            "dependencies/https___buildpacks.cloudfoundry.org_dependencies_ruby_ruby-2.2.2-linux-x64.tgz"
        );
        assert_eq!(
            gem("https://user:pa55@host:8443/a/b.tgz?x=1&y=2#f"),
            "dependencies/https___-redacted-_-redacted-@host_8443_a_b.tgz_x=1_y=2#f"
        );
        assert_eq!(
            gem("https://token@host/a.tgz"),
            "dependencies/https___-redacted-@host_a.tgz"
        );
        // An `@` after the host is part of the path, not a user; with a port before it and a
        // word after it, the URI also reads as `user:password@` (the password holding a raw
        // `/`), so packaging refuses it for this layout rather than guess. A version after it
        // is no host: that URI reads one way.
        assert_eq!(
            gem("https://host:8080/pkg@1.0/x.tgz"),
            "dependencies/https___host_8080_pkg@1.0_x.tgz"
        );
        assert!(!gem_readings_agree("https://host:8080/pkg@latest/x.tgz"));
        assert!(!gem_readings_agree("https://user:pa/ss@host/a.tgz"));
        for uri in [
            "https://host:8080/pkg@1.0/x.tgz",
            "https://user:pa55@host:8443/a/b.tgz?x=1",
            "https://token@host/a.tgz",
            "https://host/pkg@1.0/a.tgz",
            "file:///deps/a.tgz",
        ] {
            assert!(gem_readings_agree(uri), "{uri}");
        }
        assert_eq!(
            gem("https://host/pkg@1.0/a.tgz"),
            "dependencies/https___host_pkg@1.0_a.tgz"
        );
        assert_eq!(gem("file:///deps/a.tgz"), "dependencies/file____deps_a.tgz");
        assert_eq!(
            Layout::Go.zip_path("https://e/a.tgz"),
            zip_path_for("https://e/a.tgz")
        );
    }

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
