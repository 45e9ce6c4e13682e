//! Which version of an `install:` entry to install (manifest.md): the app's request
//! (`version_from`, first hit wins), else `default_versions`, else the highest version the
//! manifest has for the stack; and the warnings libbuildpack gives about the chosen version
//! (a newer patch in the manifest, an end-of-life date within 30 days), in its words.

use std::fmt::Write as _;
use std::path::Path;

use regex::Regex;

use crate::manifest::{Dependency, Install, Manifest, VersionSource};
use crate::version::{self, Constraint, ConstraintProblem, Version};

use super::files::AppPath;
use crate::regular_file::OpenError;

use crate::calendar::Date;

/// libbuildpack's message for a default that matches nothing (`error_messages.go`).
const DEFAULT_VERSIONS_ERROR: &str = "The buildpack manifest is misconfigured for 'default_versions'. Contact your Cloud Foundry operator/admin. For more information, see https://docs.cloudfoundry.org/buildpacks/custom.html#specifying-default-versions";

/// The longest request taken as one (characters): ample for a constraint such as
/// `>= 1.2.3, < 2.0.0-rc.1`, and short enough to quote whole in a log line.
const REQUEST_LIMIT: usize = 256;

/// How many characters of a longer request its error shows.
const REQUEST_SHOWN: usize = 40;

/// Why no version could be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChooseError {
    #[error(
        "Version {request} of dependency {name} is not supported by this buildpack (requested {origin}); the versions of {name} it has for {stack} are: {}. Ask for one of them {origin}", .available.join(", ")
    )]
    VersionMissing {
        name: String,
        request: String,
        /// `in .ruby-version` or `by BP_RUBY_VERSION`.
        origin: String,
        stack: String,
        available: Vec<String>,
    },
    #[error(
        "`{request}`, requested {origin} for {name}, is not a version or a version constraint ({reason}); write a version such as 1.2.3 or a line such as 1.2.x"
    )]
    BadRequest {
        name: String,
        request: String,
        /// `in .ruby-version` or `by BP_RUBY_VERSION`.
        origin: String,
        #[source]
        reason: Box<ConstraintProblem>,
    },
    /// A request of several lines (a `.ruby-version` with a second line, an env var holding a
    /// line break) or with another control character: quoted in Rust's escaped form, so the
    /// `**ERROR**` stays one line and shows what is in the file.
    #[error(
        "the version of {name} requested {origin} is {request:?}, which is not one line of text; write one version such as 1.2.3 or a line such as 1.2.x there"
    )]
    NotOneLine {
        name: String,
        request: String,
        /// `in .ruby-version` or `by BP_RUBY_VERSION`.
        origin: String,
    },
    /// A request longer than any version or constraint (a file of megabytes): named by its
    /// length and its start, escaped as [`ChooseError::NotOneLine`] escapes, so the `**ERROR**`
    /// line stays short.
    #[error(
        "the version of {name} requested {origin} is {length} characters long, starting `{start}…`, more than the {REQUEST_LIMIT} any version or constraint needs; write one version such as 1.2.3 or a line such as 1.2.x there"
    )]
    TooLong {
        name: String,
        length: usize,
        /// The first `REQUEST_SHOWN` characters, escaped.
        start: String,
        /// `in .ruby-version` or `by BP_RUBY_VERSION`.
        origin: String,
    },
    #[error(
        "Dependency {name} is not provided by this buildpack for {stack}; add a dependency named {name} whose cf_stacks lists {stack} to manifest.yml"
    )]
    NotProvided { name: String, stack: String },
    #[error(
        "{DEFAULT_VERSIONS_ERROR} (default_versions asks for {name} {constraint}, and the versions of {name} for {stack} are: {})", .available.join(", ")
    )]
    DefaultMissing {
        name: String,
        constraint: String,
        stack: String,
        available: Vec<String>,
    },
    /// A `version_from` file that is a link leading out of the app (`.ruby-version ->
    /// /etc/hostname`): never read, so the staging machine's files never reach the log.
    #[error(
        "the version of {name} would be read from {path}, a link leading outside the app (to {target}); version_from reads only the app's own files: put the file itself in the app, or a link to a file inside it"
    )]
    OutsideApp {
        name: String,
        path: String,
        target: String,
    },
    #[error("manifest.yml {key_path}: `{pattern}` is not a valid regular expression ({reason})")]
    BadRegex {
        key_path: String,
        pattern: String,
        reason: String,
    },
}

/// Why a version was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The app asked: `source` is `in .ruby-version` or `by BP_RUBY_VERSION`.
    Requested { source: String, request: String },
    /// `default_versions` gave this constraint.
    Default { constraint: String },
    /// Nothing asked; the highest release for the stack (a pre-release only when the stack has
    /// nothing else). `prerelease_above` is the highest pre-release passed over for it.
    Highest { prerelease_above: Option<String> },
}

/// The dependency entry to install and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice<'m> {
    pub dependency: &'m Dependency,
    pub reason: Reason,
    /// Warnings for `version_from` files that are there but could not ask for a version (a
    /// folder, an unreadable file), said before the choice they may have changed.
    pub passed_over: Vec<String>,
}

impl Choice<'_> {
    /// A detail line saying where the version came from.
    pub fn describe(&self) -> String {
        let version = &self.dependency.version;
        match &self.reason {
            Reason::Requested { source, request } if request == version => {
                format!("Using version {version}, as requested {source}")
            }
            Reason::Requested { source, request } => {
                format!(
                    "Using version {version}, the highest matching {request} requested {source}"
                )
            }
            Reason::Default { constraint } if constraint == version => {
                format!("Using version {version} (the buildpack's default)")
            }
            Reason::Default { constraint } => {
                format!(
                    "Using version {version}, the highest matching the buildpack's default {constraint}"
                )
            }
            Reason::Highest {
                prerelease_above: None,
            } => format!(
                "Using version {version}, the highest this buildpack has (the app asks for none and the manifest has no default)"
            ),
            Reason::Highest {
                prerelease_above: Some(prerelease),
            } => format!(
                "Using version {version}, the highest release this buildpack has (the app asks for none and the manifest has no default; the pre-release {prerelease} is used only when asked for by name)"
            ),
        }
    }
}

/// Choose the version of `install` for the app in `app_dir` on `stack` (`None`: any stack).
/// `var` reads the app's environment; `key_path` names the entry (`install[0]`).
pub fn choose<'m>(
    manifest: &'m Manifest,
    install: &Install,
    key_path: &str,
    stack: Option<&str>,
    app_dir: &Path,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<Choice<'m>, ChooseError> {
    let name = install.name.as_str();
    let stack_name = stack.unwrap_or("any stack").to_string();
    let available = versions_for(manifest, name, stack);
    if available.is_empty() {
        return Err(ChooseError::NotProvided {
            name: name.to_string(),
            stack: stack_name,
        });
    }
    let Request { found, passed_over } = requested(install, key_path, app_dir, var)?;
    let mut choice = choose_for(manifest, name, stack, found, available)?;
    choice.passed_over = passed_over;
    Ok(choice)
}

/// [`choose`] once the app's request (`found`: where it asked, and what) is known.
fn choose_for<'m>(
    manifest: &'m Manifest,
    name: &str,
    stack: Option<&str>,
    found: Option<(String, String)>,
    available: Vec<String>,
) -> Result<Choice<'m>, ChooseError> {
    let stack_name = stack.unwrap_or("any stack").to_string();
    if let Some((source, request)) = found {
        // The file is read up to 8 MiB, and every error below quotes the request whole.
        let length = request.chars().count();
        if length > REQUEST_LIMIT {
            let start: String = request.chars().take(REQUEST_SHOWN).collect();
            return Err(ChooseError::TooLong {
                name: name.to_string(),
                length,
                start: start.escape_debug().to_string(),
                origin: source,
            });
        }
        // Checked before parsing: a constraint's parts are split on any whitespace, so
        // `>=1.0` and `<2.0` on two lines would otherwise be accepted and logged on two lines.
        if request.chars().any(char::is_control) {
            return Err(ChooseError::NotOneLine {
                name: name.to_string(),
                request,
                origin: source,
            });
        }
        let constraint = Constraint::parse(&request).map_err(|e| ChooseError::BadRequest {
            name: name.to_string(),
            request: request.clone(),
            origin: source.clone(),
            reason: Box::new(e.reason),
        })?;
        return match manifest.highest_matching(name, &constraint, stack) {
            Some(dependency) => Ok(Choice {
                dependency,
                reason: Reason::Requested { source, request },
                passed_over: Vec::new(),
            }),
            None => Err(ChooseError::VersionMissing {
                name: name.to_string(),
                request,
                origin: source,
                stack: stack_name,
                available,
            }),
        };
    }
    if let Some(default) = manifest.default_version(name) {
        return match manifest.resolve_default(name, stack) {
            Some(dependency) => Ok(Choice {
                dependency,
                reason: Reason::Default {
                    constraint: default.version.clone(),
                },
                passed_over: Vec::new(),
            }),
            None => Err(ChooseError::DefaultMissing {
                name: name.to_string(),
                constraint: default.version.clone(),
                stack: stack_name,
                available,
            }),
        };
    }
    // As every constraint does (`*` too), the highest release: a release candidate listed
    // beside the stable versions was given to every app that asked for nothing.
    let is_prerelease = |v: &str| Version::parse(v).is_some_and(|v| v.is_prerelease());
    let overall = version::highest(available.iter().map(String::as_str)).unwrap_or_default();
    let releases = available
        .iter()
        .map(String::as_str)
        .filter(|v| !is_prerelease(v));
    let highest = version::highest(releases).unwrap_or(overall);
    let prerelease_above = (highest != overall).then(|| overall.to_string());
    let dependency = manifest
        .dependencies_named(name, stack)
        .into_iter()
        .find(|d| d.version == highest)
        .ok_or_else(|| ChooseError::NotProvided {
            name: name.to_string(),
            stack: stack_name.clone(),
        })?;
    Ok(Choice {
        dependency,
        reason: Reason::Highest { prerelease_above },
        passed_over: Vec::new(),
    })
}

/// The versions of `name` for `stack`, lowest first, each once.
pub fn versions_for(manifest: &Manifest, name: &str, stack: Option<&str>) -> Vec<String> {
    let mut versions: Vec<String> = manifest
        .dependencies_named(name, stack)
        .iter()
        .map(|d| d.version.clone())
        .collect();
    versions.sort_by(|a, b| version::compare(a, b));
    versions.dedup();
    versions
}

/// What the app asks for: the first request, with where it asked (`in .ruby-version`), and a
/// warning for each file passed over on the way although it was there.
struct Request {
    found: Option<(String, String)>,
    passed_over: Vec<String>,
}

/// The first version the app asks for, with where it asked.
fn requested(
    install: &Install,
    key_path: &str,
    app_dir: &Path,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<Request, ChooseError> {
    let mut passed_over = Vec::new();
    for (i, source) in install.version_from.iter().enumerate() {
        match source {
            VersionSource::File { path, regex } => {
                // Not a regular file (a folder, a fifo that would never finish) asks nothing;
                // of a large one only the start is read, as detect's `contains` reads it. A
                // link out of the app is refused: its target is the staging machine's file,
                // which the error would quote, and taking no request from it would install
                // another version than the one the app's author pinned.
                let real = match super::files::resolve_in_app(app_dir, Path::new(path)) {
                    AppPath::Missing => continue,
                    AppPath::Outside(target) => {
                        return Err(ChooseError::OutsideApp {
                            name: install.name.clone(),
                            path: path.clone(),
                            target: crate::output::escape_controls(&target.display().to_string()),
                        });
                    }
                    AppPath::Inside(real) => real,
                };
                // A file the app holds but that cannot say anything (a folder, one the staging
                // user may not read) is passed over with a warning: silence left the author
                // wondering why the pinned version was not installed.
                let text = crate::regular_file::open(&real)
                    .map_err(|e| match e {
                        OpenError::NotAFile(kind) => format!("is {kind}, not a file"),
                        OpenError::Io(e) => format!("cannot be read ({e})"),
                    })
                    .and_then(|(file, _)| {
                        let mut bytes = Vec::new();
                        std::io::Read::read_to_end(
                            &mut std::io::Read::take(file, super::files::APP_TEXT_LIMIT),
                            &mut bytes,
                        )
                        .map_err(|e| format!("cannot be read ({e})"))?;
                        // As detect reads it: lossy, since the cut may fall inside a
                        // character, and without a byte-order mark.
                        Ok(super::files::app_text(&bytes))
                    });
                let text = match text {
                    Ok(text) => text,
                    Err(problem) => {
                        passed_over.push(format!(
                            "{path} {problem}, so it asks for no version of {} ({key_path}.version_from[{i}]); make it a file the app's version request can be read from, or remove it",
                            install.name
                        ));
                        continue;
                    }
                };
                let found = match regex {
                    None => Some(text.trim().to_string()),
                    Some(pattern) => {
                        let regex = Regex::new(pattern).map_err(|e| ChooseError::BadRegex {
                            key_path: format!("{key_path}.version_from[{i}].regex"),
                            pattern: pattern.clone(),
                            reason: crate::manifest::validate::regex_reason(&e),
                        })?;
                        regex
                            .captures(&text)
                            .and_then(|c| c.get(1))
                            .map(|m| m.as_str().trim().to_string())
                    }
                };
                if let Some(request) = found.filter(|r| !r.is_empty()) {
                    return Ok(Request {
                        found: Some((format!("in {path}"), request)),
                        passed_over,
                    });
                }
            }
            VersionSource::Env { name } => {
                if let Some(request) = var(name)
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                {
                    return Ok(Request {
                        found: Some((format!("by {name}"), request)),
                        passed_over,
                    });
                }
            }
        }
    }
    Ok(Request {
        found: None,
        passed_over,
    })
}

/// libbuildpack's warnings for an installed version: a pre-release, a newer patch of the same
/// line in the manifest (`warnNewerPatch`), an end of life within 30 days or past
/// (`warnEndOfLife`).
pub fn warnings(
    manifest: &Manifest,
    dep: &Dependency,
    stack: Option<&str>,
    today: Date,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(v) = Version::parse(&dep.version) {
        if v.is_prerelease() {
            out.push(format!(
                "You are using the pre-release version {} of {}",
                dep.version, dep.name
            ));
        } else if let Ok(line) = Constraint::parse(&format!("{}.{}.x", v.major, v.minor)) {
            let versions = versions_for(manifest, &dep.name, stack);
            if let Some(latest) =
                version::highest_matching(&line, versions.iter().map(String::as_str))
                && latest != dep.version
            {
                out.push(format!(
                    "A newer version of {name} is available in this buildpack. Please adjust your app to use version {latest} instead of version {version} as soon as possible. Old versions of {name} are only provided to assist in migrating to newer versions.",
                    name = dep.name,
                    version = dep.version,
                ));
            }
        }
    }
    for deprecation in manifest
        .deprecation_dates
        .iter()
        .filter(|d| d.name == dep.name)
    {
        // libbuildpack's `warnEndOfLife` reads `version_line` only: a constraint for a semver
        // version, the same text for any other. The `match` regex beside it in the official
        // manifests (java, php) is for the tools that update them, and is unanchored:
        // `8\.\d+\.\d+` also matches `18.0.2`, which `8.x` does not. It decides only for an
        // entry without a `version_line`, which libbuildpack would never match.
        let applies = if deprecation.version_line.is_empty() {
            deprecation
                .match_regex
                .as_deref()
                .and_then(|pattern| Regex::new(pattern).ok())
                .is_some_and(|r| r.is_match(&dep.version))
        } else if Version::parse(&dep.version).is_some() {
            Constraint::parse(&deprecation.version_line).is_ok_and(|c| c.matches(&dep.version))
        } else {
            deprecation.version_line == dep.version
        };
        let Some((year, month, day)) = deprecation.ymd() else {
            continue;
        };
        if applies && today.days_until(Date::new(year, month, day)) <= 30 {
            let line = if deprecation.version_line.is_empty() {
                &dep.version
            } else {
                &deprecation.version_line
            };
            let mut text = format!(
                "{} {} will no longer be available in new buildpacks released after {}.",
                dep.name, line, deprecation.date
            );
            // libbuildpack's line, the link shown as every URI is: a private page's
            // `?token=` or `user:password@` never in the staging log.
            if let Some(link) = deprecation.link.as_deref().filter(|l| !l.is_empty()) {
                let _ = write!(text, "\nSee: {}", crate::fetch::uri::redact(link));
            }
            out.push(text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const MANIFEST: &str = "language: hello
default_versions:
- {name: hello, version: 1.1.x}
dependency_deprecation_dates:
- {name: hello, version_line: 1.0.x, date: 2026-03-20, link: https://eol.example/hello}
- {name: hello, version_line: 1.1.x, date: 2099-01-01}
dependencies:
- {name: hello, version: 1.0.0, uri: https://e/h-1.0.0.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1, s2]}
- {name: hello, version: 1.0.1, uri: https://e/h-1.0.1.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s2]}
- {name: hello, version: 1.1.0, uri: https://e/h-1.1.0.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1, s2]}
- {name: hello, version: 2.0.0-rc.1, uri: https://e/h-2.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}
- {name: other, version: 3.0.0, uri: https://e/o.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}
";

    fn manifest() -> Manifest {
        Manifest::parse(MANIFEST, Path::new("manifest.yml"))
            .unwrap()
            .0
    }

    fn install(name: &str, sources: Vec<VersionSource>) -> Install {
        Install {
            name: name.into(),
            version_from: sources,
            ..Install::default()
        }
    }

    fn no_vars(_: &str) -> Option<String> {
        None
    }

    fn app(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let path = dir.path().to_path_buf();
        (dir, path)
    }

    fn sources() -> Vec<VersionSource> {
        vec![
            VersionSource::File {
                path: ".hello-version".into(),
                regex: None,
            },
            VersionSource::File {
                path: "Hellofile".into(),
                regex: Some(r#"hello\s+"([^"]+)""#.into()),
            },
            VersionSource::Env {
                name: "BP_HELLO".into(),
            },
        ]
    }

    /// A version file that is there but cannot ask for anything (a folder; a fifo, never
    /// waited on) is passed over with a warning naming it and its `version_from` item, where
    /// the next source or the default was taken without a word.
    #[test]
    fn a_version_file_that_is_no_file_is_passed_over_with_a_warning() {
        let m = manifest();
        let entry = install("hello", sources());
        let (_d, dir) = app(&[("Hellofile", "hello \"1.0.0\"\n")]);
        std::fs::create_dir(dir.join(".hello-version")).unwrap();
        let choice = choose(&m, &entry, "install[0]", Some("s1"), &dir, &no_vars).unwrap();
        assert_eq!(
            choice.describe(),
            "Using version 1.0.0, as requested in Hellofile"
        );
        assert_eq!(
            choice.passed_over,
            [
                ".hello-version is a folder, not a file, so it asks for no version of hello (install[0].version_from[0]); make it a file the app's version request can be read from, or remove it"
            ]
        );
        std::fs::remove_file(dir.join("Hellofile")).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("Hellofile"))
            .status()
            .unwrap();
        assert!(made.success());
        let choice = choose(&m, &entry, "install[0]", Some("s1"), &dir, &no_vars).unwrap();
        assert!(
            matches!(choice.reason, Reason::Default { .. }),
            "{:?}",
            choice.reason
        );
        assert_eq!(choice.passed_over.len(), 2, "{:?}", choice.passed_over);
        assert!(
            choice.passed_over[1].starts_with("Hellofile is a fifo, not a file, so it asks for no version of hello (install[0].version_from[1])"),
            "{:?}",
            choice.passed_over
        );
        // A missing file asks nothing, as it always did, and says nothing.
        let (_d, dir) = app(&[]);
        let choice = choose(&m, &entry, "install[0]", Some("s1"), &dir, &no_vars).unwrap();
        assert!(choice.passed_over.is_empty());
    }

    #[test]
    fn request_then_default_then_highest() {
        let m = manifest();
        let entry = install("hello", sources());
        let (_d, dir) = app(&[
            (".hello-version", " 1.0.x\n"),
            ("Hellofile", "hello \"1.1.0\""),
        ]);
        let choice = choose(&m, &entry, "install[0]", Some("s2"), &dir, &no_vars).unwrap();
        assert_eq!(choice.dependency.version, "1.0.1");
        assert_eq!(
            choice.describe(),
            "Using version 1.0.1, the highest matching 1.0.x requested in .hello-version"
        );

        let (_d, dir) = app(&[("Hellofile", "x\nhello \"1.0.0\"\n")]);
        let choice = choose(&m, &entry, "install[0]", Some("s1"), &dir, &no_vars).unwrap();
        assert_eq!(
            choice.describe(),
            "Using version 1.0.0, as requested in Hellofile"
        );

        let (_d, dir) = app(&[(".hello-version", "  \n")]);
        let vars = |n: &str| (n == "BP_HELLO").then(|| "1.1.0".to_string());
        let choice = choose(&m, &entry, "install[0]", Some("s1"), &dir, &vars).unwrap();
        assert_eq!(
            choice.describe(),
            "Using version 1.1.0, as requested by BP_HELLO"
        );

        let choice = choose(&m, &entry, "install[0]", Some("s1"), &dir, &no_vars).unwrap();
        assert_eq!(
            choice.describe(),
            "Using version 1.1.0, the highest matching the buildpack's default 1.1.x"
        );

        let other = install("other", vec![]);
        let choice = choose(&m, &other, "install[1]", Some("s1"), &dir, &no_vars).unwrap();
        assert_eq!(choice.dependency.version, "3.0.0");
        assert_eq!(
            choice.reason,
            Reason::Highest {
                prerelease_above: None
            }
        );
    }

    /// With nothing asked and no default, a pre-release above the releases was chosen, where
    /// every constraint (`*` included) passes pre-releases over unless it names one. Only a
    /// stack with nothing but pre-releases gets one.
    #[test]
    fn the_highest_is_a_release_unless_there_is_none() {
        let text = "language: x\ndependencies:\n- {name: t, version: 1.0.0, uri: 'https://e/1', sha256: 0000000000000000000000000000000000000000000000000000000000000000, cf_stacks: [s1]}\n- {name: t, version: 1.1.0-rc1, uri: 'https://e/2', sha256: 0000000000000000000000000000000000000000000000000000000000000000, cf_stacks: [s1, s2]}\n- {name: t, version: 0.9.0, uri: 'https://e/3', sha256: 0000000000000000000000000000000000000000000000000000000000000000, cf_stacks: [s1]}\n";
        let m = Manifest::parse(text, Path::new("manifest.yml")).unwrap().0;
        let entry = install("t", vec![]);
        let (_d, dir) = app(&[]);
        let choice = choose(&m, &entry, "install[0]", Some("s1"), &dir, &no_vars).unwrap();
        assert_eq!(choice.dependency.version, "1.0.0");
        assert_eq!(
            choice.describe(),
            "Using version 1.0.0, the highest release this buildpack has (the app asks for none and the manifest has no default; the pre-release 1.1.0-rc1 is used only when asked for by name)"
        );
        let choice = choose(&m, &entry, "install[0]", Some("s2"), &dir, &no_vars).unwrap();
        assert_eq!(choice.dependency.version, "1.1.0-rc1");
        assert_eq!(
            choice.describe(),
            "Using version 1.1.0-rc1, the highest this buildpack has (the app asks for none and the manifest has no default)"
        );
    }

    /// A request is read from up to 8 MiB of the app's file (or an env var of up to 128 KiB):
    /// a `.hello-version` holding a megabyte of text was quoted whole in the error, one line of
    /// megabytes in the staging log. Its length is named instead, with its start.
    #[test]
    fn a_request_longer_than_any_version_is_named_by_its_length() {
        let m = manifest();
        let entry = install("hello", sources());
        let long = format!("1.0.{}", "9".repeat(300_000));
        let (_d, dir) = app(&[(".hello-version", &format!("{long}\n{long}"))]);
        let err = choose(&m, &entry, "install[0]", Some("s2"), &dir, &no_vars).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the version of hello requested in .hello-version is 600009 characters long, starting `1.0.999999999999999999999999999999999999…`, more than the 256 any version or constraint needs; write one version such as 1.2.3 or a line such as 1.2.x there"
        );
        let (_d, dir) = app(&[]);
        let var = |name: &str| (name == "BP_HELLO").then(|| "\u{1b}[2J".repeat(100));
        let err = choose(&m, &entry, "install[0]", Some("s2"), &dir, &var).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "the version of hello requested by BP_HELLO is 400 characters long, starting `{}…`, more than the 256 any version or constraint needs; write one version such as 1.2.3 or a line such as 1.2.x there",
                r"\u{1b}[2J".repeat(10)
            )
        );
        // The limit itself is a request like any other: 256 characters are looked up (and
        // missing here), 257 are named by their length.
        for (length, too_long) in [(256, false), (257, true)] {
            let request = format!("1.0.{}", "9".repeat(length - 4));
            let (_d, dir) = app(&[(".hello-version", &request)]);
            let err = choose(&m, &entry, "install[0]", Some("s2"), &dir, &no_vars).unwrap_err();
            assert_eq!(
                matches!(err, ChooseError::TooLong { .. }),
                too_long,
                "{length}: {err}"
            );
        }
    }

    #[test]
    fn missing_versions_list_what_the_stack_has() {
        let m = manifest();
        let entry = install("hello", sources());
        let (_d, dir) = app(&[(".hello-version", "9.9.9")]);
        let err = choose(&m, &entry, "install[0]", Some("s2"), &dir, &no_vars).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Version 9.9.9 of dependency hello is not supported by this buildpack (requested in .hello-version); the versions of hello it has for s2 are: 1.0.0, 1.0.1, 1.1.0. Ask for one of them in .hello-version"
        );
        let err = choose(
            &m,
            &install("other", vec![]),
            "install[1]",
            Some("s2"),
            &dir,
            &no_vars,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Dependency other is not provided by this buildpack for s2; add a dependency named other whose cf_stacks lists s2 to manifest.yml"
        );
        let (_d, dir) = app(&[(".hello-version", ">=>1")]);
        let err = choose(&m, &entry, "install[0]", Some("s2"), &dir, &no_vars).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`>=>1`, requested in .hello-version for hello, is not a version or a version constraint (`>=` has no version after it); write a version such as 1.2.3 or a line such as 1.2.x"
        );
        // Two lines in the file: one line of error, the file's text escaped, whether or not
        // the lines would parse as a constraint together.
        for (text, shown) in [
            ("1.0.0\n1.0.1\n", r#""1.0.0\n1.0.1""#),
            (">=1.0\n<2.0", r#"">=1.0\n<2.0""#),
        ] {
            let (_d, dir) = app(&[(".hello-version", text)]);
            let err = choose(&m, &entry, "install[0]", Some("s2"), &dir, &no_vars).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "the version of hello requested in .hello-version is {shown}, which is not one line of text; write one version such as 1.2.3 or a line such as 1.2.x there"
                )
            );
        }
        let (_d, dir) = app(&[]);
        let tab = |name: &str| (name == "BP_HELLO").then(|| "1.0.0\t1.0.1".to_string());
        let err = choose(&m, &entry, "install[0]", Some("s2"), &dir, &tab).unwrap_err();
        assert!(
            err.to_string().starts_with(
                r#"the version of hello requested by BP_HELLO is "1.0.0\t1.0.1", which"#
            ),
            "{err}"
        );
    }

    #[test]
    fn default_without_a_match_is_libbuildpacks_error() {
        let text = MANIFEST.replace("version: 1.1.x}", "version: 7.x}");
        let m = Manifest::parse(&text, Path::new("m.yml")).unwrap().0;
        let (_d, dir) = app(&[]);
        let err = choose(
            &m,
            &install("hello", vec![]),
            "install[0]",
            Some("s1"),
            &dir,
            &no_vars,
        )
        .unwrap_err();
        assert!(err.to_string().starts_with(DEFAULT_VERSIONS_ERROR), "{err}");
        assert!(err.to_string().ends_with("(default_versions asks for hello 7.x, and the versions of hello for s1 are: 1.0.0, 1.1.0, 2.0.0-rc.1)"), "{err}");
    }

    /// A version file is read up to the phases' limit: a request at its top is found however
    /// large the file, even when the limit cuts a character in two; one past it is not.
    #[test]
    fn a_version_file_is_read_up_to_the_limit() {
        let m = manifest();
        let entry = install("hello", sources());
        let limit = usize::try_from(crate::phases::files::APP_TEXT_LIMIT).unwrap();
        let mut large = String::from("hello \"1.0.0\"\n#");
        large.push_str(&"é".repeat(limit / 2 + 1));
        let (_d, dir) = app(&[("Hellofile", large.as_str())]);
        let choice = choose(&m, &entry, "install[0]", Some("s1"), &dir, &no_vars).unwrap();
        assert_eq!(
            choice.describe(),
            "Using version 1.0.0, as requested in Hellofile"
        );
        let late = format!("{}\nhello \"1.0.0\"\n", " ".repeat(limit));
        let (_d, dir) = app(&[("Hellofile", late.as_str())]);
        let choice = choose(&m, &entry, "install[0]", Some("s1"), &dir, &no_vars).unwrap();
        assert_eq!(
            choice.describe(),
            "Using version 1.1.0, the highest matching the buildpack's default 1.1.x"
        );
    }

    /// A default written as an exact version says so, not "the highest matching".
    #[test]
    fn an_exact_default_is_described_as_the_default() {
        let m = manifest();
        let other = m.dependencies.iter().find(|d| d.name == "other").unwrap();
        let choice = Choice {
            dependency: other,
            reason: Reason::Default {
                constraint: "3.0.0".into(),
            },
            passed_over: Vec::new(),
        };
        assert_eq!(
            choice.describe(),
            "Using version 3.0.0 (the buildpack's default)"
        );
    }

    /// A version that is not semver (`jdk8u362`) is deprecated by a `version_line` written as
    /// the same text, and by no other: there is no line to match it against.
    #[test]
    fn a_version_that_is_not_semver_is_deprecated_by_its_exact_text() {
        let (m, _) = Manifest::parse(
            "language: j\ndependency_deprecation_dates:\n- {name: jdk, version_line: jdk8u362, date: 2026-03-20, link: https://eol.example/jdk}\n- {name: jdk, version_line: jdk8, date: 2026-03-20, link: https://eol.example/jdk8}\ndependencies:\n- {name: jdk, version: jdk8u362, uri: https://e/j.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}\n- {name: jdk, version: jdk8u372, uri: https://e/k.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}\n",
            Path::new("manifest.yml"),
        )
        .unwrap();
        let today = Date::new(2026, 3, 1);
        assert_eq!(
            warnings(&m, &m.dependencies[0], Some("s1"), today),
            [
                "jdk jdk8u362 will no longer be available in new buildpacks released after 2026-03-20.\nSee: https://eol.example/jdk"
            ]
        );
        assert!(warnings(&m, &m.dependencies[1], Some("s1"), today).is_empty());
    }

    /// As libbuildpack, the `version_line` decides, not the `match` regex written beside it
    /// (java-buildpack's openjdk entries): `8\.\d+\.\d+` is found inside `18.0.2`, but
    /// `8.x` does not match it. A `match` alone still decides.
    #[test]
    fn the_version_line_decides_not_the_match_regex() {
        let (m, _) = Manifest::parse(
            "language: j\ndependency_deprecation_dates:\n- {name: openjdk, version_line: 8.x, date: 2026-03-20, link: https://eol.example/8, match: '8\\.\\d+\\.\\d+'}\n- {name: openjdk, version_line: 11.x, date: 2026-03-20, match: '^1[01]\\.'}\n- {name: zulu, date: 2026-03-20, match: '^1\\.'}\ndependencies:\n- {name: openjdk, version: 8.0.452, uri: https://e/8.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}\n- {name: openjdk, version: 18.0.2, uri: https://e/18.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}\n- {name: openjdk, version: 10.0.2, uri: https://e/10.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}\n- {name: zulu, version: 1.2.3, uri: https://e/z.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1]}\n",
            Path::new("manifest.yml"),
        )
        .unwrap();
        let today = Date::new(2026, 3, 1);
        let dep = |v: &str| m.dependencies.iter().find(|d| d.version == v).unwrap();
        assert_eq!(
            warnings(&m, dep("8.0.452"), Some("s1"), today),
            [
                "openjdk 8.x will no longer be available in new buildpacks released after 2026-03-20.\nSee: https://eol.example/8"
            ]
        );
        assert!(warnings(&m, dep("18.0.2"), Some("s1"), today).is_empty());
        // `^1[01]\.` matches 10.0.2, but its version line 11.x does not.
        assert!(warnings(&m, dep("10.0.2"), Some("s1"), today).is_empty());
        assert_eq!(
            warnings(&m, dep("1.2.3"), Some("s1"), today),
            ["zulu 1.2.3 will no longer be available in new buildpacks released after 2026-03-20."]
        );
    }

    #[test]
    fn warnings_in_libbuildpacks_words() {
        let m = manifest();
        let today = Date::new(2026, 3, 1);
        let dep = |v: &str| m.dependencies.iter().find(|d| d.version == v).unwrap();
        assert_eq!(
            warnings(&m, dep("1.0.0"), Some("s2"), today),
            [
                "A newer version of hello is available in this buildpack. Please adjust your app to use version 1.0.1 instead of version 1.0.0 as soon as possible. Old versions of hello are only provided to assist in migrating to newer versions.",
                "hello 1.0.x will no longer be available in new buildpacks released after 2026-03-20.\nSee: https://eol.example/hello",
            ]
        );
        // The link is shown as every URI is.
        let mut private = manifest();
        private.deprecation_dates[0].link = Some("https://eol.example/hello?token=T0k3n".into());
        assert!(
            warnings(&private, dep("1.0.0"), Some("s2"), today)[1]
                .ends_with("\nSee: https://eol.example/hello?token=-redacted-")
        );
        // On s1 there is no newer 1.0 patch; 30 days before the date still warns, 31 does not.
        assert_eq!(
            warnings(&m, dep("1.0.0"), Some("s1"), Date::new(2026, 2, 18)).len(),
            1
        );
        assert!(warnings(&m, dep("1.0.0"), Some("s1"), Date::new(2026, 2, 17)).is_empty());
        assert_eq!(
            warnings(&m, dep("1.0.0"), Some("s1"), Date::new(2027, 1, 1)).len(),
            1
        );
        assert!(warnings(&m, dep("1.1.0"), Some("s1"), today).is_empty());
        assert_eq!(
            warnings(&m, dep("2.0.0-rc.1"), Some("s1"), today),
            ["You are using the pre-release version 2.0.0-rc.1 of hello"]
        );
    }
}
