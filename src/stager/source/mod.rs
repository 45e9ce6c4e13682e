//! Where each `-b` buildpack comes from, and the folder its `bin/` is in.
//!
//! - a folder: used where it is (nothing is written to it by the stager);
//! - a `.zip` file: unpacked safely into the workspace;
//! - an `http(s)://…/x.zip` (or `file://…/x.zip`) URL: downloaded through `bpkit::fetch`
//!   (mirrors, proxies, retries; no checksum exists for it), then unpacked;
//! - any other URL: cloned with git as the builder clones it, `git clone --depth 1 --recursive
//!   URL DEST -b REF` with `REF` from the `#fragment`, and when that fails the same without
//!   `--depth 1` (so a branch or a tag works, and a commit id fails as on the platform).
//!
//! The buildpack's key (in `result.json`, and hashed for its cache folder) is the URL as given,
//! or the absolute path of a local folder or zip. Its root is the folder holding `bin/`, or
//! the only entry of the unpacked folder when that holds `bin/` (zips made with a top folder),
//! as the builder's `buildpackPath` decides.
//!
//! Files: `zip` (unpacking, downloading a zip URL), `git` (cloning, the credential helper),
//! `root` (the folder holding `bin/`).

mod git;
mod root;
mod zip;

use std::path::{Path, PathBuf};

use super::deadline::Deadline;
use super::env::Environment;
use super::error::StageError;
use crate::checksum;
use crate::fetch::{Fetcher, uri};
use crate::output::Logger;

use git::clone;
pub use root::{RootError, buildpack_root};
pub use zip::byte_size;
use zip::{download_zip, unzip};

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
                    // The ref goes to `git clone -b REF`, which takes the next word as its
                    // value even when it starts with `-`, so the platform's clone fails with
                    // "Remote branch … not found": no branch or tag git makes can start with
                    // `-` (check-ref-format). Refused here before git runs, naming the `-b`
                    // argument, rather than after a clone's noise.
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
        if arg.trim().is_empty() {
            return Err(StageError::EmptyBuildpack);
        }
        let path = Path::new(arg);
        // `bp#v1` where `bp` is a folder or a zip: a `#branch` or `#tag` belongs to a git URL,
        // and a local path is used as it is, so the ref is not silently dropped.
        if let Some((local, reference)) = arg.rsplit_once('#')
            && !local.is_empty()
            && !path.exists()
            && let Ok(meta) = std::fs::metadata(local)
        {
            let fix = if reference.is_empty() {
                "remove the `#`".to_string()
            } else if meta.is_dir() {
                let absolute = std::fs::canonicalize(local).unwrap_or_else(|_| local.into());
                format!(
                    "remove `#{reference}`, or give the folder as a git URL to clone that ref of its repository (-b file://{}#{reference})",
                    absolute.display()
                )
            } else {
                format!("remove `#{reference}`")
            };
            return Err(StageError::RefOnLocalBuildpack {
                arg: uri::redact(arg),
                local: local.to_string(),
                kind: if meta.is_dir() { "folder" } else { "file" },
                fix,
            });
        }
        // Not a path that exists: perhaps a URL whose scheme is missing or misspelled
        // (`user:token@host/repo.git`, `https:/user:token@…`), shown with its credentials
        // redacted as a URL's are.
        let absolute =
            std::fs::canonicalize(path).map_err(|source| {
                match crate::output::nothing_at(&source, "no such file or folder") {
                    Some(why) => StageError::BuildpackNotFound {
                        arg: uri::redact(arg),
                        why,
                    },
                    None => StageError::CannotOpenBuildpack {
                        arg: uri::redact(arg),
                        source,
                    },
                }
            })?;
        let key = absolute.to_string_lossy().into_owned();
        let kind = std::fs::metadata(&absolute)
            .map_err(|source| StageError::CannotOpenBuildpack {
                arg: uri::redact(arg),
                source,
            })?
            .file_type();
        if kind.is_dir() {
            Ok((Spec::Dir(absolute), key))
        } else if kind.is_file() {
            Ok((Spec::ZipFile(absolute), key))
        } else {
            // A fifo would block the zip's open until a writer came (Ctrl-C included), and a
            // device is no zip either.
            Err(StageError::CannotOpenBuildpack {
                arg: uri::redact(arg),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "it is {}, not a folder or a file",
                        crate::regular_file::describe_file_type(kind)
                    ),
                ),
            })
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
                unzip(&zip, &dest, deadline).map_err(|source| {
                    StageError::CannotExtractBuildpack {
                        buildpack: zip.display().to_string(),
                        source,
                    }
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
                download_zip(fetcher, &url, &dest, logger, deadline)?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // An empty fragment names no ref: git clones the default branch, with no `-b ""`.
        assert_eq!(
            Spec::parse("file:///srv/bp.git#").unwrap(),
            (
                Spec::Git {
                    url: "file:///srv/bp.git".into(),
                    reference: None
                },
                "file:///srv/bp.git#".to_string()
            )
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
            "-b https://-redacted-:-redacted-@example.com/bp.git#--orphan=x: the git ref `--orphan=x` starts with `-`, as no branch or tag that git makes does; give the branch or tag after `#`"
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
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "").unwrap();
        let under_a_file = format!("{}/bp", notes.display());
        assert_eq!(
            Spec::parse(&under_a_file).unwrap_err().to_string(),
            format!(
                "-b {under_a_file}: part of that path is a file, not a folder; give a buildpack folder, a .zip file, an http(s) zip URL or a git URL (with #branch or #tag)"
            )
        );
    }
}
