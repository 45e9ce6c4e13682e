//! Where each `-b` buildpack comes from, and the folder its `bin/` is in.
//!
//! - a folder: used where it is (nothing is written to it by the stager);
//! - a `.zip` file: unpacked safely into the workspace;
//! - an `http(s)://…/x.zip` (or `file://…/x.zip`) URL: downloaded through `bpkit::fetch`
//!   (mirrors, proxies, retries; no checksum exists for it), then unpacked;
//! - any other URL: cloned with git as the builder clones it, `git clone --depth 1 -b REF
//!   --recursive URL` with `REF` from the `#fragment`, and when that fails a full clone then
//!   `git checkout REF` (so a commit id works too).
//!
//! The buildpack's key (in `result.json`, and hashed for its cache folder) is the URL as given,
//! or the absolute path of a local folder or zip. Its root is the folder holding `bin/`, or
//! the only entry of the unpacked folder when that holds `bin/` (zips made with a top folder),
//! as the builder's `buildpackPath` decides.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use super::env::Environment;
use super::error::StageError;
use super::run_phase::{self, Deadline, RunError, Sink};
use crate::archive::{self, ExtractOptions};
use crate::checksum;
use crate::fetch::{Fetcher, uri};
use crate::output::Logger;

/// A `-b` argument, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    Dir(PathBuf),
    ZipFile(PathBuf),
    ZipUrl(String),
    Git {
        url: String,
        reference: Option<String>,
    },
}

/// A buildpack in place (not yet checked for `bin/`).
#[derive(Debug, Clone)]
pub struct Located {
    pub key: String,
    /// Where it was put (or found); see [`buildpack_root`].
    pub location: PathBuf,
    /// A local folder used where it is (not a zip or a clone): the author's working copy.
    pub folder: bool,
}

impl Spec {
    /// Decide what `arg` names, and its key. Local paths must exist. A URL's key is the URL
    /// with its credentials redacted: the key is shown in the log, result.json and `--json`.
    pub fn parse(arg: &str) -> Result<(Spec, String), StageError> {
        if let Some(scheme) = uri::scheme(arg) {
            let without_fragment = arg.split('#').next().unwrap_or(arg);
            let path = without_fragment
                .split('?')
                .next()
                .unwrap_or(without_fragment);
            // The builder's IsZipFile: `strings.HasSuffix(url.Path, ".zip")`, case and all. A
            // URL ending `.ZIP` or `.zip/` is cloned with git there (and fails), so it is here.
            #[allow(clippy::case_sensitive_file_extension_comparisons)] // the builder's rule
            let is_zip = path.ends_with(".zip");
            return Ok(match scheme.as_str() {
                "http" | "https" | "file" if is_zip => {
                    (Spec::ZipUrl(arg.to_string()), uri::redact(arg))
                }
                _ => {
                    let (url, reference) = match arg.split_once('#') {
                        Some((url, r)) if !r.is_empty() => (url.to_string(), Some(r.to_string())),
                        Some((url, _)) => (url.to_string(), None),
                        None => (arg.to_string(), None),
                    };
                    let key = uri::redact(arg);
                    // The ref goes to `git clone -b REF` and `git checkout REF`, and checkout
                    // takes a `-…` word for an option (`#--orphan=x` stages another tree, and
                    // worse options exist). Refused rather than passed after
                    // `--end-of-options`: that needs git 2.24, older than some stacks' git
                    // (cflinuxfs3 has 2.17, where it is an unknown option), and no branch or
                    // tag git makes can start with `-` (check-ref-format), nor a commit id.
                    // ssh takes no password from a URL: git hands `user:password@host` to
                    // ssh whole, which logs in as the user `user:password` and fails, with
                    // the password on ssh's command line (`ps`) on the way. Refused before
                    // either happens; the platform's clone would fail the same way, later.
                    if matches!(scheme.as_str(), "ssh" | "git+ssh" | "ssh+git")
                        && uri::take_credentials(&url)
                            .1
                            .is_some_and(|c| !c.password.is_empty())
                    {
                        return Err(StageError::PasswordInSshUrl { arg: key });
                    }
                    if let Some(reference) = reference.as_deref().filter(|r| r.starts_with('-')) {
                        return Err(StageError::OptionLikeGitReference {
                            arg: key,
                            reference: reference.to_string(),
                        });
                    }
                    (Spec::Git { url, reference }, key)
                }
            });
        }
        let path = Path::new(arg);
        // Not a path that exists: perhaps a URL whose scheme is missing or misspelled
        // (`user:token@host/repo.git`, `https:/user:token@…`), shown with its credentials
        // redacted as a URL's are.
        let absolute = std::fs::canonicalize(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                StageError::BuildpackNotFound {
                    arg: uri::redact(arg),
                }
            } else {
                StageError::CannotOpenBuildpack {
                    arg: uri::redact(arg),
                    source,
                }
            }
        })?;
        let key = absolute.to_string_lossy().into_owned();
        if absolute.is_dir() {
            Ok((Spec::Dir(absolute), key))
        } else {
            Ok((Spec::ZipFile(absolute), key))
        }
    }
}

/// Put every buildpack in place, in order (downloads and clones happen here, before any phase
/// runs, as the builder's `Setup` does).
pub fn locate_all(
    args: &[String],
    buildpacks_dir: &Path,
    git_env: &Environment,
    logger: &Logger,
    deadline: Option<Deadline>,
) -> Result<Vec<Located>, StageError> {
    let mut fetcher: Option<Fetcher> = None;
    let mut located = Vec::with_capacity(args.len());
    for arg in args {
        let (spec, key) = Spec::parse(arg)?;
        let dest = buildpacks_dir.join(checksum::md5_hex(&key));
        let folder = matches!(spec, Spec::Dir(_));
        let location = match spec {
            Spec::Dir(dir) => dir,
            Spec::ZipFile(zip) => {
                unzip(&zip, &dest).map_err(|source| StageError::CannotExtractBuildpack {
                    buildpack: zip.display().to_string(),
                    source,
                })?;
                dest
            }
            Spec::ZipUrl(url) => {
                // Made once, for the first zip URL: it reads the proxy and mirror settings,
                // which a list of local buildpacks never needs.
                let fetcher = match &mut fetcher {
                    Some(fetcher) => &*fetcher,
                    slot @ None => slot.insert(
                        Fetcher::from_env(logger.clone())
                            .map_err(StageError::CannotSetUpDownloads)?,
                    ),
                };
                download_zip(fetcher, &url, &dest, logger)?;
                dest
            }
            Spec::Git { url, reference } => {
                clone(&url, reference.as_deref(), &dest, git_env, logger, deadline)?;
                dest
            }
        };
        located.push(Located {
            key,
            location,
            folder,
        });
    }
    Ok(located)
}

fn unzip(zip: &Path, dest: &Path) -> Result<(), archive::ArchiveError> {
    // The name says "zip" to the extractor and names the archive in its messages: the file's
    // own name when it is a `.zip` (not a made-up `buildpack.zip` the user never wrote).
    let name = zip
        .file_name()
        .filter(|n| n.to_string_lossy().to_ascii_lowercase().ends_with(".zip"))
        .map_or_else(|| "buildpack.zip".into(), std::ffi::OsStr::to_os_string);
    let options = ExtractOptions {
        strip_components: 0,
        file_name: Some(name),
    };
    archive::extract(zip, dest, &options).map(|_| ())
}

fn download_zip(
    fetcher: &Fetcher,
    url: &str,
    dest: &Path,
    logger: &Logger,
) -> Result<(), StageError> {
    let shown = uri::redact(url);
    let zip_path = dest.with_extension("zip");
    let downloaded = fetcher
        .download_unverified(&zip_path, url)
        .map_err(|source| StageError::CannotDownloadBuildpack {
            buildpack: shown.clone(),
            source: Box::new(source),
        })?;
    unzip(&zip_path, dest).map_err(|source| StageError::CannotExtractBuildpack {
        buildpack: shown.clone(),
        source,
    })?;
    let _ = std::fs::remove_file(&zip_path);
    // The builder prints this line on its stdout, which is the staging log.
    logger.raw(&format!(
        "Downloaded buildpack `{shown}` ({})\n",
        byte_size(downloaded.digests.len)
    ));
    Ok(())
}

/// Cloud Foundry's `bytefmt.ByteSize`: one decimal, trailing `.0` dropped, unit letter.
pub fn byte_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 6] = [
        (1 << 50, "P"),
        (1 << 40, "T"),
        (1 << 30, "G"),
        (1 << 20, "M"),
        (1 << 10, "K"),
        (1, "B"),
    ];
    for (size, unit) in UNITS {
        if bytes >= size {
            #[allow(clippy::cast_precision_loss)]
            let value = bytes as f64 / size as f64;
            let mut text = format!("{value:.1}");
            if text.ends_with(".0") {
                text.truncate(text.len() - 2);
            }
            return format!("{text}{unit}");
        }
    }
    "0B".into()
}

fn clone(
    url: &str,
    reference: Option<&str>,
    dest: &Path,
    env: &Environment,
    logger: &Logger,
    deadline: Option<Deadline>,
) -> Result<(), StageError> {
    let shown = uri::redact(url);
    let secrets = uri::secrets(url);
    let failed = |source| StageError::CannotCloneBuildpack {
        url: shown.clone(),
        source,
    };
    // `user:password@` of an http(s) URL goes to git through a credential helper that reads
    // the environment, not in the URL: a command line is readable by every user of the machine
    // (`ps`), the environment of a process only by its owner.
    let (url, credentials) = match uri::scheme(url).as_deref() {
        Some("http" | "https") => uri::take_credentials(url),
        _ => (url.to_string(), None),
    };
    let url = url.as_str();
    let git = |args: &[&std::ffi::OsStr]| -> Result<bool, StageError> {
        let mut command = Command::new("git");
        env.apply(&mut command);
        // A private repository must fail, not wait for a password nobody will type.
        command.env("GIT_TERMINAL_PROMPT", "0");
        if let Some(credentials) = &credentials {
            // An empty `credential.helper` first drops the user's own helpers, so that the
            // URL's credentials win over stored ones, as they do when written in the URL.
            command
                .args(["-c", "credential.helper=", "-c", CREDENTIAL_HELPER])
                .env("BPKIT_GIT_ORIGIN", uri::origin_as_written(url))
                .env("BPKIT_GIT_USERNAME", &credentials.user)
                .env("BPKIT_GIT_PASSWORD", &credentials.password);
        }
        command.args(args);
        logger.debug(&format!("git {}", describe_args(args, url, &shown)));
        match run_phase::run(
            command,
            Sink::Debug(&secrets),
            Sink::Debug(&secrets),
            logger,
            deadline,
        ) {
            Ok(finished) => Ok(finished.status.success()),
            Err(RunError::CannotSpawn(source)) => Err(StageError::GitNotInstalled {
                url: shown.clone(),
                source,
            }),
            Err(RunError::Interrupted) => Err(StageError::Interrupted),
            Err(RunError::TimedOut) => Err(StageError::TimedOut(deadline.map_or(0, |d| d.secs))),
            Err(RunError::CannotWait(e)) => Err(failed(Some(e))),
        }
    };
    let dest_os = dest.as_os_str();
    let mut shallow: Vec<&std::ffi::OsStr> =
        vec!["clone".as_ref(), "--depth".as_ref(), "1".as_ref()];
    if let Some(reference) = reference {
        shallow.push("-b".as_ref());
        shallow.push(reference.as_ref());
    }
    shallow.extend(["--recursive".as_ref(), url.as_ref(), dest_os]);
    if git(&shallow)? {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(dest);
    if !git(&[
        "clone".as_ref(),
        "--recursive".as_ref(),
        url.as_ref(),
        dest_os,
    ])? {
        return Err(failed(None));
    }
    if let Some(reference) = reference {
        let git_dir = format!("--git-dir={}", dest.join(".git").display());
        let work_tree = format!("--work-tree={}", dest.display());
        if !git(&[
            git_dir.as_ref(),
            work_tree.as_ref(),
            "checkout".as_ref(),
            reference.as_ref(),
        ])? {
            return Err(StageError::CannotCheckoutBuildpack {
                reference: reference.to_string(),
                url: shown,
            });
        }
    }
    Ok(())
}

/// A git credential helper (git runs `!…` with `sh`, adding ` get`, `store` or `erase`) that
/// answers `get` with the credentials bpkit put in its environment, and only for the server
/// they were written for: a submodule or a redirect on another host gets nothing, as when the
/// credentials are in the URL. git gives `protocol` and `host` (with `:port` when the URL
/// has one) as written in the URL, one `key=value` per line, ending with an empty line.
const CREDENTIAL_HELPER: &str = "credential.helper=!f() { \
    if test \"$1\" = get; then \
        p=; h=; \
        while IFS= read -r l && test -n \"$l\"; do \
            case $l in protocol=*) p=${l#protocol=} ;; host=*) h=${l#host=} ;; esac; \
        done; \
        if test \"$p://$h\" = \"$BPKIT_GIT_ORIGIN\"; then \
            printf 'username=%s\\npassword=%s\\n' \"$BPKIT_GIT_USERNAME\" \"$BPKIT_GIT_PASSWORD\"; \
        fi; \
    fi; \
}; f";

fn describe_args(args: &[&std::ffi::OsStr], url: &str, shown: &str) -> String {
    let mut text = String::new();
    for arg in args {
        let arg = arg.to_string_lossy();
        let arg = if arg == url { shown.into() } else { arg };
        let _ = write!(text, "{arg} ");
    }
    text.trim_end().to_string()
}

/// Why a buildpack has no folder holding `bin/`, in the builder's words.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RootError {
    #[error("Failed to read buildpack directory '{}' for buildpack '{key}'", location.display())]
    CannotReadFolder {
        location: PathBuf,
        key: String,
        /// Shared: the stager keeps each buildpack's root (or this error) in its list, and
        /// reports the error as the builder does, when it reaches that buildpack.
        #[source]
        source: Arc<std::io::Error>,
    },
    /// The builder's words; for a folder holding a `manifest.yml` (a bpkit buildpack being
    /// written, with no `bin/` yet) followed by how to give it one.
    #[error(
        "malformed buildpack does not contain a /bin dir: {key}{}",
        if *has_manifest { NO_BIN_FIX } else { "" }
    )]
    NoBinFolder { key: String, has_manifest: bool },
}

/// What a folder with a manifest and no `bin/` lacks, in the words of "Writing a buildpack".
const NO_BIN_FIX: &str = " (it has a manifest.yml: a bpkit buildpack needs bin/bpkit and the bin/<phase> links to it, which `bpkit init` writes, or stage the zip `bpkit package` makes of it)";

/// The builder's `buildpackPath`: the folder itself when it has `bin/`, else its only entry
/// when that has `bin/`; otherwise the buildpack is malformed.
pub fn buildpack_root(location: &Path, key: &str) -> Result<PathBuf, RootError> {
    if location.join("bin").exists() {
        return Ok(location.to_path_buf());
    }
    let entries: Vec<_> = std::fs::read_dir(location)
        .map_err(|e| RootError::CannotReadFolder {
            location: location.to_path_buf(),
            key: key.to_string(),
            source: Arc::new(e),
        })?
        .filter_map(Result::ok)
        .collect();
    if let [only] = entries.as_slice() {
        let nested = only.path();
        if nested.join("bin").exists() {
            return Ok(nested);
        }
    }
    Err(RootError::NoBinFolder {
        key: key.to_string(),
        has_manifest: location.join("manifest.yml").is_file(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The credential helper as git runs it: `sh -c '<helper> get'`, the request on stdin.
    fn ask_helper(action: &str, request: &str) -> String {
        use std::io::Write as _;
        let body = CREDENTIAL_HELPER
            .strip_prefix("credential.helper=!")
            .unwrap();
        let mut child = Command::new("sh")
            .args(["-c", &format!("{body} {action}")])
            .env("BPKIT_GIT_ORIGIN", "https://git.example:8443")
            .env("BPKIT_GIT_USERNAME", "deploy")
            .env("BPKIT_GIT_PASSWORD", "p a$s'w\\ord")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // For `store` and `erase` the helper may exit before reading: a broken pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(request.as_bytes());
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    }

    #[test]
    fn the_credential_helper_answers_only_its_server() {
        let request = "protocol=https\nhost=git.example:8443\npath=org/bp.git\n\n";
        assert_eq!(
            ask_helper("get", request),
            "username=deploy\npassword=p a$s'w\\ord\n"
        );
        // Another host, port or protocol (a submodule, a redirect) gets nothing.
        for other in [
            "protocol=https\nhost=evil.example:8443\n\n",
            "protocol=https\nhost=git.example\n\n",
            "protocol=http\nhost=git.example:8443\n\n",
        ] {
            assert_eq!(ask_helper("get", other), "", "{other}");
        }
        // git tells helpers what worked or failed; this one stores nothing.
        assert_eq!(ask_helper("store", request), "");
        assert_eq!(ask_helper("erase", request), "");
    }

    #[test]
    fn specs() {
        assert_eq!(
            Spec::parse("https://example.com/bp.zip").unwrap().0,
            Spec::ZipUrl("https://example.com/bp.zip".into())
        );
        assert_eq!(
            Spec::parse("https://github.com/org/bp#v1.2.3").unwrap(),
            (
                Spec::Git {
                    url: "https://github.com/org/bp".into(),
                    reference: Some("v1.2.3".into())
                },
                "https://github.com/org/bp#v1.2.3".to_string()
            )
        );
        // As the builder decides: the URL's path ends with `.zip`, exactly.
        assert_eq!(
            Spec::parse("https://example.com/bp.zip?token=x").unwrap().0,
            Spec::ZipUrl("https://example.com/bp.zip?token=x".into())
        );
        for cloned in ["https://example.com/bp.ZIP", "https://example.com/bp.zip/"] {
            assert!(
                matches!(Spec::parse(cloned).unwrap().0, Spec::Git { .. }),
                "{cloned}"
            );
        }
        assert_eq!(
            Spec::parse("file:///srv/bp.git").unwrap().0,
            Spec::Git {
                url: "file:///srv/bp.git".into(),
                reference: None
            }
        );
        // A ref git would read as an option: refused, naming the -b argument (redacted).
        for url in [
            "ssh://deploy:s3cret@git.example:2222/org/bp.git#v1",
            "git+ssh://deploy:s3cret@git.example/org/bp.git",
            "SSH+GIT://deploy:s3cret@git.example/org/bp.git",
        ] {
            let e = Spec::parse(url).unwrap_err();
            assert!(matches!(e, StageError::PasswordInSshUrl { .. }), "{url}");
            assert!(!e.to_string().contains("s3cret"), "{e}");
        }
        assert_eq!(
            Spec::parse("ssh://deploy:s3cret@git.example:2222/org/bp.git#v1")
                .unwrap_err()
                .to_string(),
            "-b ssh://-redacted-:-redacted-@git.example:2222/org/bp.git#v1: an ssh URL cannot carry a password (git would pass it to ssh as part of the user name, and the login would fail); remove `:<password>` and let ssh log in with a key (ssh-agent or ~/.ssh)"
        );
        // A user alone, or a password over https (given to git through a credential helper),
        // is fine.
        for url in [
            "ssh://git@git.example/org/bp.git",
            "ssh://git:@git.example/org/bp.git",
            "https://deploy:s3cret@git.example/org/bp.git",
        ] {
            assert!(
                matches!(Spec::parse(url).unwrap().0, Spec::Git { .. }),
                "{url}"
            );
        }
        let e = Spec::parse("https://u:p4ss@example.com/bp.git#--orphan=x").unwrap_err();
        assert!(matches!(e, StageError::OptionLikeGitReference { .. }));
        assert_eq!(
            e.to_string(),
            "-b https://-redacted-:-redacted-@example.com/bp.git#--orphan=x: the git ref `--orphan=x` starts with `-`, which git would take for an option; give the branch, tag or commit after `#` (none of them starts with `-`)"
        );
        assert!(!e.is_builder_message());
        assert_eq!(e.exit_code(), 1);
        // A `-` further in is an ordinary ref name.
        assert_eq!(
            Spec::parse("file:///srv/bp.git#release-1").unwrap().0,
            Spec::Git {
                url: "file:///srv/bp.git".into(),
                reference: Some("release-1".into())
            }
        );
        let dir = tempfile::tempdir().unwrap();
        let (spec, key) = Spec::parse(dir.path().to_str().unwrap()).unwrap();
        assert!(matches!(spec, Spec::Dir(_)));
        assert!(key.starts_with('/'));
        let e = Spec::parse("/no/such/buildpack").unwrap_err();
        assert!(matches!(e, StageError::BuildpackNotFound { .. }));
        assert_eq!(
            e.to_string(),
            "-b /no/such/buildpack: no such file or folder; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)"
        );
    }

    #[test]
    fn roots_like_the_builder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("top/nested/bin")).unwrap();
        assert_eq!(
            buildpack_root(&dir.path().join("top"), "k").unwrap(),
            dir.path().join("top/nested")
        );
        std::fs::create_dir_all(dir.path().join("top/other")).unwrap();
        assert_eq!(
            buildpack_root(&dir.path().join("top"), "k")
                .unwrap_err()
                .to_string(),
            "malformed buildpack does not contain a /bin dir: k"
        );
        // A folder that is a buildpack being written gets how to give it a bin/.
        std::fs::write(dir.path().join("top/manifest.yml"), "language: x\n").unwrap();
        assert_eq!(
            buildpack_root(&dir.path().join("top"), "k")
                .unwrap_err()
                .to_string(),
            "malformed buildpack does not contain a /bin dir: k (it has a manifest.yml: a bpkit buildpack needs bin/bpkit and the bin/<phase> links to it, which `bpkit init` writes, or stage the zip `bpkit package` makes of it)"
        );
        let missing = dir.path().join("missing");
        let e = buildpack_root(&missing, "k").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "Failed to read buildpack directory '{}' for buildpack 'k'",
                missing.display()
            )
        );
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn sizes_like_bytefmt() {
        assert_eq!(byte_size(512), "512B");
        assert_eq!(byte_size(1024), "1K");
        assert_eq!(byte_size(1536), "1.5K");
        assert_eq!(byte_size(5 * 1024 * 1024 + 1024 * 100), "5.1M");
    }
}
