//! Why packaging stopped ([`PackageError`]), in one line each: the error line is one line, in
//! `--json` too.

use std::io;
use std::path::PathBuf;

use crate::fetch::FetchError;
use crate::manifest::ManifestError;

use super::name;
use super::plan::PlanError;
use super::prepackage::PrePackageError;
use super::rewrite::RewriteError;
use super::select::SelectError;
use super::shim::ShimError;
use super::zipwriter::ZipWriteError;

/// A dependency that could not be fetched.
#[derive(Debug)]
pub struct FailedFetch {
    pub name: String,
    pub version: String,
    pub error: FetchError,
}

/// Why packaging stopped. No zip and no bad cache entry are left behind in any case.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("cannot use {} as the buildpack folder: {}", path.display(), open_dir_problem(cause))]
    CannotOpenDir { path: PathBuf, cause: io::Error },
    #[error("{}{}", .0, .0.command_line_fix())]
    Manifest(#[from] ManifestError),
    #[error("cannot read {}: {}", path.display(), version_problem(cause))]
    MissingVersion { path: PathBuf, cause: io::Error },
    /// A folder with neither VERSION nor manifest.yml: told what to create, it was then told
    /// the next file was missing too, where the fix is another folder.
    #[error(
        "{} is not a buildpack folder: it has neither VERSION nor manifest.yml; give the buildpack's folder (the one holding manifest.yml), or run bpkit package from it",
        dir.display()
    )]
    NotABuildpack { dir: PathBuf },
    #[error(
        "{}: the file holds no version (it is empty or blank); write the buildpack's version in it (`echo 1.0.0 > VERSION`) or pass --version",
        path.display()
    )]
    EmptyVersion { path: PathBuf },
    /// `source_name` is the VERSION file's path or `--version`.
    #[error("{source_name}: {problem}; use a version such as 1.2.3")]
    BadVersion {
        source_name: String,
        problem: name::VersionProblem,
    },
    #[error(
        "{what} `{}` cannot be part of the zip's file name ({problem}); {fix}",
        crate::output::escape_controls(value)
    )]
    BadNamePart {
        what: &'static str,
        value: String,
        problem: name::NamePartProblem,
        fix: &'static str,
    },
    /// A name the file system cannot hold: said before anything is fetched or written, where
    /// the zip's temporary file failed at the end with `File name too long (os error 36); make
    /// that folder writable`.
    #[error(
        "the zip's file name would be {bytes} bytes long, more than the {} a file name holds ({name}); shorten `language` in {} ({language_bytes} bytes), the version or the stack",
        name::MAX_FILE_NAME_BYTES,
        manifest.display()
    )]
    NameTooLong {
        name: String,
        bytes: usize,
        language_bytes: usize,
        manifest: PathBuf,
    },
    /// Cloud Controller refuses such a zip (and `bpkit verify` calls it broken), so it is not
    /// written: a warning scrolled past in CI and the zip failed only at `cf create-buildpack`.
    #[error(
        "the packaged manifest.yml would be {size} bytes, {} over the 1 MiB ({} bytes) Cloud Controller accepts, so `cf create-buildpack` would refuse the zip; package for one stack (--stack) or drop old dependencies from {}",
        size.saturating_sub(crate::packager::MANIFEST_LIMIT),
        crate::packager::MANIFEST_LIMIT,
        manifest.display()
    )]
    ManifestTooLarge { size: usize, manifest: PathBuf },
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    PrePackage(#[from] PrePackageError),
    #[error(transparent)]
    Select(#[from] SelectError),
    #[error(transparent)]
    Shim(#[from] ShimError),
    #[error(
        "a cached zip needs a dependency cache folder: pass --cache-dir, or set BPKIT_CACHE_DIR or HOME"
    )]
    NoCacheDir,
    /// A URI that reads two ways for [`super::Layout::RubyGem`]'s file names.
    #[error(
        "the URI {uri} reads two ways, as `user:password@host` (a password holding a raw `/`) or as a host and a path holding an `@`, and the Ruby gem's layout of a cached zip names its file after one of them; percent-encode the `/` in the password (%2F) or the `@` in the path (%40), or package with `buildpack-packager build -cached` (the Go layout)"
    )]
    AmbiguousUserinfo { uri: String },
    /// A URI whose file name in the Ruby gem's layout ([`super::Layout::RubyGem`]) is longer
    /// than a file name may be: the zip was written, `bpkit verify` passed it, and unzip failed
    /// on the platform with `File name too long`.
    #[error(
        "the dependency at {uri} would be named after its whole URI in the Ruby gem's layout of a cached zip (each `/`, `:`, `?` and `&` written as `_`), a file name of {bytes} bytes, more than the {} a file name holds, so no extractor could create it; shorten the URI, or package with `buildpack-packager build -cached` (the Go layout, which names the file after the URI's last segment)",
        super::name::MAX_FILE_NAME_BYTES
    )]
    GemNameTooLong { uri: String, bytes: usize },
    /// A URI holding a `\` or a control character, which the Ruby gem's layout keeps in the
    /// file's name in the zip.
    #[error(
        "the dependency at {uri} would be named after its whole URI in the Ruby gem's layout of a cached zip, keeping its `{found}`, which extractors read as a folder separator or which splits the lines of every listing (`bpkit verify` refuses such a zip); percent-encode it in the URI ({encoded}), or package with `buildpack-packager build -cached` (the Go layout)"
    )]
    GemNameUnsafe {
        uri: String,
        found: String,
        encoded: String,
    },
    /// Two URIs that the Ruby gem's layout names alike ([`super::Layout::RubyGem`]).
    #[error(
        "the dependencies at {first} and {second} would both be {path} in the Ruby gem's layout of a cached zip (which writes each `/`, `:`, `?` and `&` of a URI as `_`), and one file cannot be both; change one of the URIs, or package with `buildpack-packager build -cached` (the Go layout)"
    )]
    SharedZipPath {
        path: String,
        first: String,
        second: String,
    },
    #[error("{0}")]
    ConflictingChecksums(Box<ConflictingChecksums>),
    #[error(transparent)]
    Fetcher(#[from] FetchError),
    #[error("{}", fetch_failures(.0))]
    Fetch(Vec<FailedFetch>),
    #[error(transparent)]
    Rewrite(#[from] RewriteError),
    #[error(transparent)]
    Zip(#[from] ZipWriteError),
    /// A folder's path starting with a `~` no shell expanded (`options::unexpanded_tilde`).
    #[error(
        "{what} {} starts with `~`, which no shell expanded (one does only at the start of a word: not after `--flag=`, nor in CI files or Dockerfile ENV lines), so bpkit would make a folder named `{first}` in the current one; {meant}",
        path.display()
    )]
    UnexpandedTilde {
        what: &'static str,
        path: PathBuf,
        /// The path's first part (`~`, `~bob`).
        first: String,
        meant: String,
    },
    /// `--output-dir bin` (or a cache there): the folder is left out of the zip whole, and
    /// the zip was written without its phases.
    #[error(
        "{what} bin/ is the buildpack's bin/, and it is left out of the zip whole, so the zip would have none of its phases ({files}); {fix}"
    )]
    BinLeftOut {
        what: &'static str,
        files: String,
        fix: &'static str,
    },
    #[error("cannot create the output folder {}: {}", path.display(), output_problem(cause))]
    CannotCreateOutput { path: PathBuf, cause: io::Error },
    #[error(
        "the dependency cache {} is a file, not a folder; point --cache-dir (or BPKIT_CACHE_DIR) at a folder, which is created when missing",
        path.display()
    )]
    CacheDirNotAFolder { path: PathBuf },
    /// Something on the way to the cache folder is not a folder (`options::in_the_way`).
    #[error(
        "the dependency cache {} cannot be made: {problem}; point --cache-dir (or BPKIT_CACHE_DIR) at a folder, which is created when missing",
        path.display()
    )]
    CacheDirCannotBeMade { path: PathBuf, problem: String },
    /// Something on the way to the output folder is not a folder (`options::in_the_way`).
    #[error(
        "cannot create the output folder {}: {problem}; give --output-dir a folder, which is created when missing",
        path.display()
    )]
    OutputCannotBeMade { path: PathBuf, problem: String },
    #[error("cannot read the finished zip {}: {cause}", path.display())]
    CannotHash { path: PathBuf, cause: io::Error },
    /// SIGINT, SIGTERM or SIGHUP reached `bpkit package`: downloads, `pre_package` and the
    /// zip writer stopped, and every `.part` file of the run was removed. `cached` when
    /// dependencies were being fetched into the cache.
    #[error(
        "packaging was interrupted; no zip was written{}",
        if *cached { ", and the cache holds only verified files" } else { "" }
    )]
    Interrupted { cached: bool },
    /// The same for `bpkit fetch`.
    #[error("fetching was interrupted; the cache holds only verified files")]
    FetchInterrupted,
}

/// Two entries sharing a uri whose checksums no one file can match ([`PackageError`]; boxed,
/// as it is much larger than the other variants).
#[derive(Debug)]
pub struct ConflictingChecksums {
    pub manifest: PathBuf,
    /// Redacted.
    pub uri: String,
    pub algorithm: &'static str,
    pub first: usize,
    pub expected: String,
    pub second: usize,
    pub found: String,
}

impl std::fmt::Display for ConflictingChecksums {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ConflictingChecksums {
            manifest,
            uri,
            algorithm,
            first,
            expected,
            second,
            found,
        } = self;
        write!(
            f,
            "{}: dependencies[{second}].{algorithm} is {found} but dependencies[{first}].{algorithm} is {expected}, and both entries have the uri {uri}: one file cannot match both; fix the checksum, or give the entries different uris",
            manifest.display()
        )
    }
}

/// One line however many failed (the error line is one line, in `--json` too): the one, or
/// how many and each in manifest order. Which ones failed can vary between runs of an
/// unreachable server: downloads not yet started when the first fails are not started.
fn fetch_failures(failures: &[FailedFetch]) -> String {
    let each = |f: &FailedFetch| format!("{} {}: {}", f.name, f.version, f.error);
    // Offline with a cache that lacks several files, each error ended in the same fix: say it
    // once, after the files and where each comes from.
    let not_cached: Option<Vec<String>> = failures
        .iter()
        .map(|f| match &f.error {
            FetchError::NotCached { path, uri, mirror } => Some(format!(
                "{} {}: {} (from {})",
                f.name,
                f.version,
                path.display(),
                match mirror {
                    Some(mirror) => format!("{mirror}, the mirror of {uri}"),
                    None => uri.clone(),
                }
            )),
            _ => None,
        })
        .collect();
    // Said once: why a mirror rule that was read did not help.
    let mirrored = failures.iter().any(|f| {
        matches!(
            &f.error,
            FetchError::NotCached {
                mirror: Some(_),
                ..
            }
        )
    });
    let text = match (failures, not_cached) {
        ([_, _, ..], Some(missing)) => format!(
            "Could not fetch {} dependencies: they are not in the cache and --offline forbids downloading them: {}; {}run again without --offline to fill the cache, or copy in a cache that `bpkit fetch` filled elsewhere.",
            missing.len(),
            missing.join("; "),
            if mirrored {
                "--offline reads only a `file://` mirror (BPKIT_MIRRORS or the manifest's `mirrors:`): "
            } else {
                ""
            }
        ),
        ([one], _) => format!("Could not fetch {}", each(one)),
        // Each error is a sentence ending in `.`; joined, only the last keeps it (not `.;`).
        (many, _) => format!(
            "Could not fetch {} dependencies: {}.",
            many.len(),
            many.iter()
                .map(|f| each(f).trim_end_matches('.').to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    match unreachable_server(failures) {
        Some((prefix, None)) => format!(
            "{text} Where this machine cannot reach {prefix}, map it to a mirror that it can: BPKIT_MIRRORS={prefix}=<the mirror's URL>/ (README, \"Air-gapped sites\")."
        ),
        // Mirror rules map the manifest's URIs, never a redirect's target: the rule that
        // helps is for the server that redirects.
        Some((target, Some(prefix))) => format!(
            "{text} Where this machine cannot reach {target}, map {prefix} (which redirects there) to a mirror that it can: BPKIT_MIRRORS={prefix}=<the mirror's URL>/ (README, \"Air-gapped sites\")."
        ),
        None => text,
    }
}

/// The server (`https://buildpacks.cloudfoundry.org/`) of the first dependency no server
/// answered for, as the manifest names it: what a machine with no route to the internet meets,
/// and what a `BPKIT_MIRRORS` rule would map. When a redirect led there, the manifest's
/// server (which answered, and which a rule would map) comes second. `None` when a mirror was
/// tried already (its own error names it) or every failure is another kind.
fn unreachable_server(failures: &[FailedFetch]) -> Option<(String, Option<String>)> {
    let prefix = crate::fetch::uri::server_prefix;
    failures.iter().find_map(|f| match &f.error {
        FetchError::CannotConnect { uri, .. } | FetchError::Timeout { uri, .. }
            if f.error.is_unreachable() =>
        {
            Some((prefix(uri)?, None))
        }
        FetchError::Redirected { original, error } if f.error.is_unreachable() => match &**error {
            FetchError::CannotConnect { uri, .. } | FetchError::Timeout { uri, .. } => {
                Some((prefix(uri)?, Some(prefix(original)?)))
            }
            _ => None,
        },
        _ => None,
    })
}

impl PackageError {
    /// The process exit code: a failed `pre_package`'s own code, 130 for an interrupted run
    /// (what a shell reports for SIGINT), else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            PackageError::Interrupted { .. } | PackageError::FetchInterrupted => {
                crate::exit_code::INTERRUPTED
            }
            PackageError::PrePackage(e) => e
                .exit_code()
                .and_then(|c| u8::try_from(c).ok())
                .filter(|c| *c != 0)
                .unwrap_or(crate::exit_code::FAILURE),
            _ => crate::exit_code::FAILURE,
        }
    }
}

/// Why VERSION cannot be read, and its fix: a folder in its place or an unreadable file each
/// named (the raw `Is a directory (os error 21)` said neither what was wrong nor what to do).
fn version_problem(cause: &io::Error) -> String {
    let fix = match cause.kind() {
        // A symlink to nothing (`regular_file::open`).
        io::ErrorKind::NotFound if cause.get_ref().is_some() => {
            "point the link at a file holding the version, replace the link with such a file,"
        }
        io::ErrorKind::NotFound => {
            "create it with the buildpack's version (`echo 1.0.0 > VERSION`)"
        }
        io::ErrorKind::IsADirectory => {
            "put a file holding the buildpack's version in its place (`echo 1.0.0 > VERSION`)"
        }
        io::ErrorKind::PermissionDenied => "let this user read it (`chmod a+r VERSION`)",
        _ => "write the buildpack's version in it (`echo 1.0.0 > VERSION`)",
    };
    let problem = match cause.kind() {
        // read_to_string's `stream did not contain valid UTF-8`.
        io::ErrorKind::InvalidData => "it is not UTF-8 text".to_string(),
        _ => crate::output::read_problem(cause),
    };
    format!("{problem}; {fix} or pass --version")
}

/// Why the output folder cannot be made, with the fix when a file is in the way (`mkdir -p`
/// says only `File exists`).
fn output_problem(cause: &io::Error) -> String {
    match cause.kind() {
        io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory => {
            "a file is in the way; give --output-dir a folder, which is created when missing"
                .to_string()
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => format!(
            "{cause}; give --output-dir a folder you can write to (or make its parent writable)"
        ),
        _ => cause.to_string(),
    }
}

/// Why the buildpack folder cannot be used, with the fix for the usual case (a mistyped path).
fn open_dir_problem(cause: &io::Error) -> String {
    if cause.kind() == io::ErrorKind::NotFound {
        "no such folder; give the path of the buildpack's folder (the one holding manifest.yml)"
            .to_string()
    } else if cause.kind() == io::ErrorKind::NotADirectory {
        "it is not a folder; give the path of the buildpack's folder (the one holding manifest.yml)"
            .to_string()
    } else {
        cause.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_fetches_are_one_line_however_many() {
        let failed = |name: &str| FailedFetch {
            name: name.into(),
            version: "1.0".into(),
            error: FetchError::NoChecksum {
                uri: format!("https://example.invalid/{name}.tgz"),
            },
        };
        let one = PackageError::Fetch(vec![failed("a")]).to_string();
        assert_eq!(one, format!("Could not fetch a 1.0: {}", failed("a").error));
        let two = PackageError::Fetch(vec![failed("a"), failed("b")]).to_string();
        assert_eq!(
            two,
            "Could not fetch 2 dependencies: a 1.0: https://example.invalid/a.tgz has neither a sha256 nor an md5 checksum, so it would not be verified; add its sha256 to the manifest; b 1.0: https://example.invalid/b.tgz has neither a sha256 nor an md5 checksum, so it would not be verified; add its sha256 to the manifest."
        );
        assert!(!two.contains('\n'));
    }

    /// Offline, several files missing from the cache: one sentence listing each file and
    /// where it comes from (a mirror named with the URI it stands for), the fix said once,
    /// and why a mirror did not help when one was read.
    #[test]
    fn several_files_missing_offline_are_listed_with_the_fix_once() {
        let missing = |name: &str, mirror: Option<&str>| FailedFetch {
            name: name.into(),
            version: "1.0".into(),
            error: FetchError::NotCached {
                path: format!("/c/{name}.tgz").into(),
                uri: format!("https://deps.example.invalid/{name}.tgz"),
                mirror: mirror.map(Into::into),
            },
        };
        let fix = "run again without --offline to fill the cache, or copy in a cache that `bpkit fetch` filled elsewhere.";
        assert_eq!(
            PackageError::Fetch(vec![missing("a", None), missing("b", None)]).to_string(),
            format!(
                "Could not fetch 2 dependencies: they are not in the cache and --offline forbids downloading them: a 1.0: /c/a.tgz (from https://deps.example.invalid/a.tgz); b 1.0: /c/b.tgz (from https://deps.example.invalid/b.tgz); {fix}"
            )
        );
        assert_eq!(
            PackageError::Fetch(vec![
                missing("a", None),
                missing("b", Some("https://mirror.example.invalid/b.tgz"))
            ])
            .to_string(),
            format!(
                "Could not fetch 2 dependencies: they are not in the cache and --offline forbids downloading them: a 1.0: /c/a.tgz (from https://deps.example.invalid/a.tgz); b 1.0: /c/b.tgz (from https://mirror.example.invalid/b.tgz, the mirror of https://deps.example.invalid/b.tgz); --offline reads only a `file://` mirror (BPKIT_MIRRORS or the manifest's `mirrors:`): {fix}"
            )
        );
        // One missing file keeps its own sentence, and a missing file beside another failure
        // is listed as any failure is.
        let one = PackageError::Fetch(vec![missing("a", None)]).to_string();
        assert_eq!(
            one,
            format!("Could not fetch a 1.0: {}", missing("a", None).error)
        );
        let other = FailedFetch {
            error: FetchError::NoChecksum {
                uri: "https://deps.example.invalid/b.tgz".into(),
            },
            ..missing("b", None)
        };
        let mixed = PackageError::Fetch(vec![missing("a", None), other]).to_string();
        assert!(
            mixed.starts_with("Could not fetch 2 dependencies: a 1.0: "),
            "{mixed}"
        );
        assert!(!mixed.contains("they are not in the cache"), "{mixed}");
    }

    /// Only a server no one could connect to is "unreachable": a read timeout is a server
    /// that answered and then went quiet, which a mirror rule would not help with.
    #[test]
    fn a_read_timeout_gets_no_mirror_rule() {
        let timeout = |env: &'static str| FailedFetch {
            name: "a".into(),
            version: "1.0".into(),
            error: FetchError::Timeout {
                uri: "https://deps.example.invalid/a.tgz".into(),
                what: "no data for 60 s".into(),
                env,
            },
        };
        let read = PackageError::Fetch(vec![timeout(crate::fetch::config::READ_TIMEOUT_ENV)]);
        assert!(!read.to_string().contains("Where this machine"), "{read}");
        let connect = PackageError::Fetch(vec![timeout(crate::fetch::config::CONNECT_TIMEOUT_ENV)]);
        assert!(
            connect.to_string().ends_with(
                "Where this machine cannot reach https://deps.example.invalid/, map it to a mirror that it can: BPKIT_MIRRORS=https://deps.example.invalid/=<the mirror's URL>/ (README, \"Air-gapped sites\")."
            ),
            "{connect}"
        );
    }

    /// 130 for an interrupted run, a failed pre_package's own code (but never 0, nor one
    /// past 255), else 1.
    #[test]
    fn the_exit_code_is_the_interrupts_or_pre_packages_else_one() {
        let failed = |code: i32| {
            PackageError::PrePackage(PrePackageError::Failed {
                command: "make".into(),
                code,
                source_dir: "bp".into(),
            })
        };
        let codes = [
            PackageError::Interrupted { cached: true }.exit_code(),
            PackageError::FetchInterrupted.exit_code(),
            failed(3).exit_code(),
            failed(0).exit_code(),
            failed(256).exit_code(),
            failed(-1).exit_code(),
            PackageError::NoCacheDir.exit_code(),
        ];
        assert_eq!(codes, [130, 130, 3, 1, 1, 1, 1]);
    }

    /// Each cause of a folder that cannot be used or made in words, with its fix; any other
    /// cause as the OS says it.
    #[test]
    fn folder_problems_say_what_to_give() {
        let kind = io::Error::from;
        let open = |cause| {
            PackageError::CannotOpenDir {
                path: "bp".into(),
                cause,
            }
            .to_string()
        };
        assert_eq!(
            open(kind(io::ErrorKind::NotFound)),
            "cannot use bp as the buildpack folder: no such folder; give the path of the buildpack's folder (the one holding manifest.yml)"
        );
        assert_eq!(
            open(kind(io::ErrorKind::NotADirectory)),
            "cannot use bp as the buildpack folder: it is not a folder; give the path of the buildpack's folder (the one holding manifest.yml)"
        );
        assert_eq!(
            open(io::Error::other("disk on fire")),
            "cannot use bp as the buildpack folder: disk on fire"
        );
        let output = |cause| {
            PackageError::CannotCreateOutput {
                path: "out".into(),
                cause,
            }
            .to_string()
        };
        let in_the_way = "cannot create the output folder out: a file is in the way; give --output-dir a folder, which is created when missing";
        assert_eq!(output(kind(io::ErrorKind::AlreadyExists)), in_the_way);
        assert_eq!(output(kind(io::ErrorKind::NotADirectory)), in_the_way);
        assert_eq!(
            output(io::Error::from_raw_os_error(libc::EACCES)),
            "cannot create the output folder out: Permission denied (os error 13); give --output-dir a folder you can write to (or make its parent writable)"
        );
        assert_eq!(
            output(io::Error::other("disk on fire")),
            "cannot create the output folder out: disk on fire"
        );
    }

    /// A VERSION that is a symlink to nothing says so (the link's own words), with the fix
    /// for a link, not the one for a missing file.
    #[test]
    fn a_version_link_to_nothing_is_told_to_point_it_at_a_file() {
        let dangling = PackageError::MissingVersion {
            path: "bp/VERSION".into(),
            cause: io::Error::new(
                io::ErrorKind::NotFound,
                "it is a symlink to `gone`, which does not exist",
            ),
        };
        assert_eq!(
            dangling.to_string(),
            "cannot read bp/VERSION: it is a symlink to `gone`, which does not exist; point the link at a file holding the version, replace the link with such a file, or pass --version"
        );
    }

    /// A redirect's target that no one answered for is named as unreachable, and the rule
    /// offered maps the manifest's server, which answered: mirror rules map the manifest's
    /// URIs, never a redirect's target. Told to mirror the server that redirected, as
    /// unreachable, the user was sent after the wrong host.
    #[test]
    fn an_unreachable_redirect_target_gets_the_rule_for_the_server_that_redirects() {
        let failed = |error: FetchError| FailedFetch {
            name: "a".into(),
            version: "1.0".into(),
            error: error.after_redirect("http://deps.example.invalid:8080/to-refused/a.tgz"),
        };
        let refused = failed(FetchError::CannotConnect {
            uri: "https://cdn.example.invalid/a.tgz".into(),
            cause: "connection refused".into(),
            through: None,
        });
        let text = PackageError::Fetch(vec![refused]).to_string();
        assert_eq!(
            text,
            "Could not fetch a 1.0: Could not connect to https://cdn.example.invalid/a.tgz: connection refused. Check the network, the proxy settings (HTTPS_PROXY, NO_PROXY) and BPKIT_MIRRORS. It was reached by a redirect from http://deps.example.invalid:8080/to-refused/a.tgz. Where this machine cannot reach https://cdn.example.invalid/, map http://deps.example.invalid:8080/ (which redirects there) to a mirror that it can: BPKIT_MIRRORS=http://deps.example.invalid:8080/=<the mirror's URL>/ (README, \"Air-gapped sites\")."
        );
        // A TLS failure after a redirect is no unreachable server.
        let tls = failed(FetchError::Tls {
            uri: "https://cdn.example.invalid/a.tgz".into(),
            cause: "invalid peer certificate: UnknownIssuer".into(),
            fix: crate::fetch::error::TLS_CA_FIX,
        });
        let text = PackageError::Fetch(vec![tls]).to_string();
        assert!(!text.contains("Where this machine"), "{text}");
    }

    #[test]
    fn an_unreachable_server_gets_the_mirror_rule_that_would_map_it() {
        let refused = |name: &str, uri: &str| FailedFetch {
            name: name.into(),
            version: "1.0".into(),
            error: FetchError::CannotConnect {
                uri: uri.into(),
                cause: "connection refused".into(),
                through: None,
            },
        };
        let text = PackageError::Fetch(vec![
            refused(
                "a",
                "https://-redacted-:-redacted-@deps.example.invalid:8443/a/a.tgz",
            ),
            refused("b", "https://other.example.invalid/b.tgz"),
        ])
        .to_string();
        assert!(
            text.ends_with(" Where this machine cannot reach https://deps.example.invalid:8443/, map it to a mirror that it can: BPKIT_MIRRORS=https://deps.example.invalid:8443/=<the mirror's URL>/ (README, \"Air-gapped sites\")."),
            "{text}"
        );
        assert!(!text.contains('\n'));
        // At a mirror, the mirror is what to fix, and its error says which rule sent it there.
        let at_mirror = FailedFetch {
            error: refused("a", "https://mirror.example.invalid/a.tgz")
                .error
                .at_mirror("https://deps.example.invalid/a.tgz"),
            ..refused("a", "")
        };
        assert!(
            !PackageError::Fetch(vec![at_mirror])
                .to_string()
                .contains("Where this machine")
        );
        // A server that answered is reachable.
        let not_found = FailedFetch {
            error: FetchError::HttpStatus {
                uri: "https://deps.example.invalid/a.tgz".into(),
                status: 404,
                reason: "Not Found".into(),
                redirected: String::new(),
                fix: String::new(),
                retry_after: None,
            },
            ..refused("a", "")
        };
        assert!(
            !PackageError::Fetch(vec![not_found])
                .to_string()
                .contains("Where this machine")
        );
    }
}
