//! The buildpack's `manifest.yml`: every key the official packagers and runtimes read, plus
//! bpkit's declarative keys (`detect`, `install`, `build`, `launch_env`, `release`).
//!
//! - [`yaml`]: the order- and spelling-preserving YAML tree (and writer) underneath.
//! - [`model`]: the typed entries.
//! - `load`: tree → model, collecting type errors instead of stopping at the first.
//! - [`validate`]: the rules of `manifest.md` (errors and warnings).
//! - [`overrides`]: an earlier buildpack's `override.yml` applied (libbuildpack's `ApplyOverride`).
//! - [`diagnostic`]: how a problem is located and printed.

pub mod diagnostic;
mod load;
pub mod model;
pub mod overrides;
pub mod validate;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Report, Severity};
pub use model::{
    DefaultVersion, Dependency, DeprecationDate, Detect, DetectRule, Install, Module,
    PackagingProfile, Release, UrlMapping, VersionSource,
};

use crate::version::{self, Constraint};

/// The most of a manifest file read. The official manifests are under 30 KiB and the packaged
/// one must stay under 1 MiB, so this leaves room for any real source manifest while keeping
/// memory bounded whatever the path names.
pub const MANIFEST_READ_LIMIT: u64 = 16 << 20;

/// Why a manifest could not be used at all.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// Worded without a fix: the phases and the toolkit each know what the user should do.
    #[error("cannot read {}: {}", path.display(), crate::output::read_problem(cause))]
    CannotRead {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// Read up to [`MANIFEST_READ_LIMIT`] and refused there: `--manifest /dev/zero` or a
    /// mistyped path to a large file would otherwise fill memory before any message.
    #[error(
        "{} is larger than {} MiB, which no manifest is (Cloud Controller takes at most 1 MiB in a buildpack); give the buildpack's manifest.yml",
        path.display(),
        MANIFEST_READ_LIMIT >> 20
    )]
    TooLarge { path: PathBuf },
    #[error("{}:{}:{}: invalid YAML: {}", path.display(), error.position.line, error.position.column, error.message)]
    CannotParse {
        path: PathBuf,
        error: yaml::SyntaxError,
    },
    /// The manifest parsed but has errors; each is a full one-line diagnostic.
    #[error("{}", invalid_summary(.errors))]
    Invalid { errors: Vec<Diagnostic> },
}

/// Where the first byte that is not UTF-8 is (`valid` bytes before it are), as a YAML error:
/// YAML text is Unicode, and Go's and Ruby's YAML libraries refuse such a file too. Reading it
/// as a string said only "stream did not contain valid UTF-8", with no line to look at.
fn not_utf8(bytes: &[u8], valid: usize) -> yaml::SyntaxError {
    // The bytes before `valid` are UTF-8 (so the column counts characters).
    let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    yaml::SyntaxError {
        position: yaml::Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        },
        message: format!(
            "byte 0x{:02X} is not UTF-8 text; save the file as UTF-8",
            bytes[valid]
        ),
    }
}

impl ManifestError {
    /// The fix for a manifest file that is there but cannot be read, however it was named
    /// (a command line, a phase's buildpack folder), starting with `; `: a folder called
    /// `manifest.yml` where the file belongs, or a file this user may not read.
    pub fn unreadable_fix(&self) -> Option<&'static str> {
        let ManifestError::CannotRead { path, cause } = self else {
            return None;
        };
        match cause.kind() {
            std::io::ErrorKind::IsADirectory
                if path.file_name().is_some_and(|n| n == "manifest.yml") =>
            {
                Some("; replace that folder with the buildpack's manifest file")
            }
            std::io::ErrorKind::PermissionDenied => Some(
                "; let this user read it (`chmod a+r` the file, and `a+x` the folders above it)",
            ),
            // A fifo, a device or a socket (`regular_file`): never a manifest.
            std::io::ErrorKind::InvalidInput => {
                Some("; give the buildpack's manifest.yml, a regular file")
            }
            _ => None,
        }
    }

    /// True when the manifest could not be read because there is no file at its path.
    pub fn is_missing(&self) -> bool {
        matches!(self, ManifestError::CannotRead { cause, .. } if cause.kind() == std::io::ErrorKind::NotFound)
    }

    /// The fix to show after the error where the user named the manifest on a command line
    /// (DIR, `--manifest`, the packager's working folder), starting with `; `.
    pub fn command_line_fix(&self) -> &'static str {
        if let Some(fix) = self.unreadable_fix() {
            return fix;
        }
        match self {
            ManifestError::CannotRead { path, cause } => match cause.kind() {
                std::io::ErrorKind::NotFound
                    if path.file_name().is_some_and(|n| n == "manifest.yml") =>
                {
                    "; give the buildpack's folder (the one holding manifest.yml)"
                }
                std::io::ErrorKind::NotFound => "; check the manifest's path",
                std::io::ErrorKind::IsADirectory => {
                    "; give the manifest file, or its folder as DIR"
                }
                std::io::ErrorKind::NotADirectory => {
                    "; give the buildpack's folder (the one holding manifest.yml) as DIR, or the file with --manifest"
                }
                _ => "",
            },
            // The YAML message says what to fix; the errors of `Invalid` carry their own fixes.
            ManifestError::TooLarge { .. }
            | ManifestError::CannotParse { .. }
            | ManifestError::Invalid { .. } => "",
        }
    }
}

/// One line per error, each without the word "error" (the message around it says so).
fn invalid_summary(errors: &[Diagnostic]) -> String {
    let lines: Vec<String> = errors
        .iter()
        .map(|error| error.without_severity().to_string())
        .collect();
    lines.join("\n")
}

/// What a URL maps to through `url_to_dependency_map` (see [`Manifest::dependency_for_url`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlLookup<'m> {
    /// The index in the manifest's list of the first mapping whose `match` matched the URL.
    pub mapping: usize,
    /// The mapping's `name` and `version` with `$1`, `$2`, … replaced by the capture groups.
    pub name: String,
    pub version: String,
    /// The dependency with exactly that name and version on the stack, if the manifest has one.
    pub dependency: Option<&'m Dependency>,
}

/// `text` parsed as YAML the way [`Manifest::parse`] reads a manifest: syntax, core tags,
/// `!!binary` values decoded.
fn parse_tree(text: &str, path: &Path) -> Result<yaml::Node, ManifestError> {
    checked_tree(&syntax_tree(text, path)?, path)
}

/// `text` parsed as YAML, tags and all as written; a syntax error gets its fix.
fn syntax_tree(text: &str, path: &Path) -> Result<yaml::Node, ManifestError> {
    yaml::parse(text).map_err(|error| ManifestError::CannotParse {
        path: path.to_path_buf(),
        error: yaml::SyntaxError {
            message: yaml::with_fix(&error.message),
            ..error
        },
    })
}

/// The tree with its tags checked and its `!!binary` values decoded.
fn checked_tree(tree: &yaml::Node, path: &Path) -> Result<yaml::Node, ManifestError> {
    // A tag that names a type the value is not (`!!int abc`) is an error to yaml.v2 too.
    yaml::check_core_tags(tree).map_err(|error| ManifestError::CannotParse {
        path: path.to_path_buf(),
        error,
    })?;
    // libbuildpack and the Go packager read a `!!binary` value as the text it encodes; the
    // tree kept for rewriting keeps it as written.
    yaml::decode_binary_scalars(tree).map_err(|error| ManifestError::CannotParse {
        path: path.to_path_buf(),
        error,
    })
}

/// A loaded manifest: the typed model and the original tree it came from.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// The file it was read from (for messages).
    pub path: PathBuf,
    /// The original YAML, kept for writing the packaged copy without changing data.
    pub tree: Option<yaml::Node>,
    pub language: Option<String>,
    pub stack: Option<String>,
    pub default_versions: Vec<DefaultVersion>,
    pub dependencies: Vec<Dependency>,
    pub deprecation_dates: Vec<DeprecationDate>,
    /// `None` when the key is absent (then `exclude_files` applies).
    pub include_files: Option<Vec<String>>,
    pub exclude_files: Vec<String>,
    pub pre_package: Option<String>,
    pub url_to_dependency_map: Vec<UrlMapping>,
    pub packaging_profiles: Vec<PackagingProfile>,
    /// `(prefix, replacement)` pairs from `mirrors:`.
    pub mirrors: Vec<(String, String)>,
    pub detect: Option<Detect>,
    pub install: Vec<Install>,
    pub build: Vec<String>,
    pub launch_env: Vec<(String, String)>,
    pub release: Option<Release>,
}

impl Manifest {
    /// Read and parse a manifest, returning it with every type problem found while loading.
    /// Only unreadable files and YAML syntax errors fail here.
    pub fn load(path: &Path) -> Result<(Manifest, Report), ManifestError> {
        // A fifo is not waited on (detect would hang), nor a device read without end.
        let bytes =
            crate::regular_file::read_limited(path, MANIFEST_READ_LIMIT).map_err(|cause| {
                if cause.kind() == std::io::ErrorKind::FileTooLarge {
                    ManifestError::TooLarge {
                        path: path.to_path_buf(),
                    }
                } else {
                    ManifestError::CannotRead {
                        path: path.to_path_buf(),
                        cause,
                    }
                }
            })?;
        let text = String::from_utf8(bytes).map_err(|e| ManifestError::CannotParse {
            path: path.to_path_buf(),
            error: not_utf8(e.as_bytes(), e.utf8_error().valid_up_to()),
        })?;
        Manifest::parse(&text, path)
    }

    /// Parse manifest text; `path` is used in messages only.
    pub fn parse(text: &str, path: &Path) -> Result<(Manifest, Report), ManifestError> {
        let tree = syntax_tree(text, path)?;
        let decoded = checked_tree(&tree, path)?;
        let mut report = Report::new(path);
        let mut manifest = load::manifest(&decoded, &mut report);
        manifest.path = path.to_path_buf();
        manifest.tree = Some(tree);
        Ok((manifest, report))
    }

    /// Load and fully validate; any error fails with every error listed. Warnings are returned.
    pub fn load_validated(path: &Path) -> Result<(Manifest, Vec<Diagnostic>), ManifestError> {
        let (manifest, mut report) = Manifest::load(path)?;
        validate::validate(&manifest, &mut report);
        if report.has_errors() {
            return Err(ManifestError::Invalid {
                errors: report.errors().cloned().collect(),
            });
        }
        Ok((manifest, report.diagnostics))
    }

    /// `language`, or an empty string when missing (validation reports that).
    pub fn language(&self) -> &str {
        self.language.as_deref().unwrap_or_default()
    }

    /// Every stack named by any dependency, in first-seen order.
    pub fn stacks(&self) -> Vec<&str> {
        let mut stacks: Vec<&str> = Vec::new();
        for stack in self
            .dependencies
            .iter()
            .filter_map(|d| d.cf_stacks.as_ref())
            .flatten()
        {
            if !stacks.contains(&stack.as_str()) {
                stacks.push(stack);
            }
        }
        stacks
    }

    /// True when the buildpack can stage on `stack` (phases.md): a packaged manifest's
    /// `stack` must equal it; otherwise some dependency must list it; a manifest without
    /// dependencies supports every stack.
    pub fn supports_stack(&self, stack: &str) -> bool {
        match &self.stack {
            Some(own) => own == stack,
            None => {
                self.dependencies.is_empty()
                    || self.dependencies.iter().any(|d| d.supports_stack(stack))
            }
        }
    }

    /// The dependencies named `name` usable on `stack` (`None` = any stack).
    pub fn dependencies_named(&self, name: &str, stack: Option<&str>) -> Vec<&Dependency> {
        self.dependencies
            .iter()
            .filter(|d| {
                d.name == name
                    && stack.is_none_or(|s| self.stack.as_deref() == Some(s) || d.supports_stack(s))
            })
            .collect()
    }

    /// compile-extensions' lookup by URL (`translate_dependency_url`, lib/dependencies.rb): the
    /// first `url_to_dependency_map` entry whose `match` matches anywhere in `url` (unanchored,
    /// as Ruby's `String#match`) gives a name and version, `$N` replaced by capture group N; the
    /// dependency is the first with exactly that name and version on `stack`. `Ok(None)` when
    /// no entry matches. An entry reached before a match whose `match` is empty (it would match
    /// every URL) or not a valid regular expression is an error, worded as `bpkit validate`
    /// words it; entries after the match are not looked at, as in compile-extensions.
    pub fn dependency_for_url(
        &self,
        url: &str,
        stack: &str,
    ) -> Result<Option<UrlLookup<'_>>, ManifestError> {
        for mapping in &self.url_to_dependency_map {
            let regex = self.url_mapping_regex(mapping)?;
            let Some(captures) = regex.captures(url) else {
                continue;
            };
            let name = UrlMapping::expand(&mapping.name, &captures);
            let version = UrlMapping::expand(&mapping.version, &captures);
            let dependency = self.dependencies.iter().find(|d| {
                d.name == name && d.version == version && self.usable_by_url_on(d, stack)
            });
            return Ok(Some(UrlLookup {
                mapping: mapping.index,
                name,
                version,
                dependency,
            }));
        }
        Ok(None)
    }

    fn url_mapping_regex(&self, mapping: &UrlMapping) -> Result<regex::Regex, ManifestError> {
        let problem = if mapping.match_regex.is_empty() {
            "expected a regular expression, found nothing; add the regular expression the URL must match".to_string()
        } else {
            match regex::Regex::new(&mapping.match_regex) {
                Ok(regex) => return Ok(regex),
                Err(e) => format!(
                    "not a valid regular expression: {}",
                    validate::regex_reason(&e)
                ),
            }
        };
        Err(ManifestError::Invalid {
            errors: vec![Diagnostic::new(
                Severity::Error,
                &self.path,
                format!("url_to_dependency_map[{}].match", mapping.index),
                Some(mapping.position),
                problem,
            )],
        })
    }

    /// Whether a lookup by URL may answer `dependency` on `stack`: its `cf_stacks` lists the
    /// stack or `all` (compile-extensions' word for every stack), or this is a packaged
    /// single-stack manifest for that stack (which has no `cf_stacks`, see
    /// [`Manifest::supports_stack`]).
    fn usable_by_url_on(&self, dependency: &Dependency, stack: &str) -> bool {
        self.stack.as_deref() == Some(stack)
            || dependency
                .cf_stacks
                .as_ref()
                .is_some_and(|stacks| stacks.iter().any(|s| s == stack || s == "all"))
    }

    /// The `default_versions` entry for `name`.
    pub fn default_version(&self, name: &str) -> Option<&DefaultVersion> {
        self.default_versions.iter().find(|d| d.name == name)
    }

    /// The dependency a default version resolves to on `stack` (`None` = any stack): the
    /// highest version matching the default's constraint, as libbuildpack picks it.
    pub fn resolve_default(&self, name: &str, stack: Option<&str>) -> Option<&Dependency> {
        let default = self.default_version(name)?;
        let constraint = Constraint::parse(&default.version).ok()?;
        self.highest_matching(name, &constraint, stack)
    }

    /// The highest dependency named `name` on `stack` whose version satisfies `constraint`.
    pub fn highest_matching(
        &self,
        name: &str,
        constraint: &Constraint,
        stack: Option<&str>,
    ) -> Option<&Dependency> {
        let candidates = self.dependencies_named(name, stack);
        let best =
            version::highest_matching(constraint, candidates.iter().map(|d| d.version.as_str()))?;
        candidates.into_iter().find(|d| d.version == best)
    }

    /// The display name for detect and the `-----> X Buildpack` header: `detect.name`, else
    /// `language` with its first letter capitalised.
    pub fn display_name(&self) -> String {
        if let Some(name) = self.detect.as_ref().and_then(|d| d.name.clone()) {
            return name;
        }
        let language = self.language();
        let mut chars = language.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Manifest, Report) {
        Manifest::parse(text, Path::new("manifest.yml")).unwrap()
    }

    #[test]
    fn keeps_versions_as_written() {
        let (m, report) = parse(
            "language: x\ndependencies:\n- name: a\n  version: 1.10\n  uri: https://e/a.tgz\n  sha256: cbc59f6dfcae65c6c5eaac1b748bc1c1a7120f6b73b3a723d56d8a7e2850dafc\n  cf_stacks: [cflinuxfs4]\n- name: b\n  version: 0\n  uri: https://e/b.tgz\n  md5: 900150983cd24fb0d6963f7d28e17f72\n",
        );
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        assert_eq!(m.dependencies[0].version, "1.10");
        assert_eq!(m.dependencies[1].version, "0");
        assert_eq!(m.stacks(), ["cflinuxfs4"]);
    }

    /// Up to the limit a manifest is read (and here fails as YAML, for its unclosed `[` at the
    /// very end); one byte past it is refused before parsing, as is a device that never ends.
    #[test]
    fn a_manifest_is_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.yml");
        let limit = usize::try_from(MANIFEST_READ_LIMIT).unwrap();
        let mut text = format!("language: x\n#{}\n[", "-".repeat(limit - 15));
        assert_eq!(text.len(), limit);
        std::fs::write(&path, &text).unwrap();
        assert!(matches!(
            Manifest::load(&path),
            Err(ManifestError::CannotParse { .. })
        ));
        text.insert(13, '-');
        std::fs::write(&path, &text).unwrap();
        let error = Manifest::load(&path).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{} is larger than 16 MiB, which no manifest is (Cloud Controller takes at most 1 MiB in a buildpack); give the buildpack's manifest.yml",
                path.display()
            )
        );
        // A device is not read at all (nor a fifo waited on): what it is, at once.
        assert_eq!(
            Manifest::load(Path::new("/dev/zero"))
                .unwrap_err()
                .to_string(),
            "cannot read /dev/zero: it is a character device, not a file"
        );
    }

    #[test]
    fn null_lists_are_empty() {
        let (m, report) = parse("language: x\ndependency_deprecation_dates: \ndependencies:\n");
        assert!(report.diagnostics.is_empty());
        assert!(m.deprecation_dates.is_empty() && m.dependencies.is_empty());
        assert!(m.supports_stack("anything"));
    }

    /// A manifest.yml that is there but cannot be read: what is wrong and the fix, for the
    /// command line and the phases alike, not the raw `Is a directory (os error 21)`.
    #[test]
    fn an_unreadable_manifest_says_why_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.yml");
        std::fs::create_dir(&path).unwrap();
        let err = Manifest::load(&path).unwrap_err();
        assert_eq!(
            format!("{err}{}", err.command_line_fix()),
            format!(
                "cannot read {}: it is a folder, not a file; replace that folder with the buildpack's manifest file",
                path.display()
            )
        );
        // `--manifest DIR` named the folder itself: give the file, or DIR.
        let err = Manifest::load(dir.path()).unwrap_err();
        assert_eq!(
            err.command_line_fix(),
            "; give the manifest file, or its folder as DIR"
        );
        // Mode 000 cannot be tried as root (the tests' usual user), which reads it anyway.
        let denied = ManifestError::CannotRead {
            path: "bp/manifest.yml".into(),
            cause: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert_eq!(
            format!("{denied}{}", denied.command_line_fix()),
            "cannot read bp/manifest.yml: permission denied; let this user read it (`chmod a+r` the file, and `a+x` the folders above it)"
        );
    }

    /// The other fixes for a manifest path that names nothing, or goes through a file.
    #[test]
    fn a_missing_manifest_gets_the_fix_for_how_it_was_named() {
        let fix = |path: &str, kind: std::io::ErrorKind| {
            ManifestError::CannotRead {
                path: path.into(),
                cause: std::io::Error::from(kind),
            }
            .command_line_fix()
        };
        assert_eq!(
            fix("bp/manifest.yml", std::io::ErrorKind::NotFound),
            "; give the buildpack's folder (the one holding manifest.yml)"
        );
        assert_eq!(
            fix("bp/m.yml", std::io::ErrorKind::NotFound),
            "; check the manifest's path"
        );
        assert_eq!(
            fix("bp/manifest.yml", std::io::ErrorKind::NotADirectory),
            "; give the buildpack's folder (the one holding manifest.yml) as DIR, or the file with --manifest"
        );
        assert_eq!(fix("bp/manifest.yml", std::io::ErrorKind::Other), "");
    }

    /// A byte that is not UTF-8 is a YAML error at its line and column (in characters); a
    /// syntax error carries its fix.
    #[test]
    fn text_that_is_no_yaml_is_an_error_at_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.yml");
        std::fs::write(&path, b"language: x\n\xc3\xa9b\xe9\n").unwrap();
        assert_eq!(
            Manifest::load(&path).unwrap_err().to_string(),
            format!(
                "{}:2:3: invalid YAML: byte 0xE9 is not UTF-8 text; save the file as UTF-8",
                path.display()
            )
        );
        let err = Manifest::parse("build: [a\n", Path::new("m.yml")).unwrap_err();
        let ManifestError::CannotParse { error, .. } = err else {
            panic!("{err:?}");
        };
        assert!(
            error.message.ends_with("; close the `[` or `{` of the value, with `,` between its items (or quote a value that starts with `[` or `{`)"),
            "{}",
            error.message
        );
    }

    /// A manifest with an error fails with every error; one with warnings only is returned
    /// with them.
    #[test]
    fn load_validated_fails_on_errors_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.yml");
        std::fs::write(&path, "language: x\ninclude_files: [/a, ../b]\n").unwrap();
        let Err(ManifestError::Invalid { errors }) = Manifest::load_validated(&path) else {
            panic!("expected the manifest to be invalid");
        };
        let keys: Vec<&str> = errors.iter().map(|e| e.key_path.as_str()).collect();
        assert_eq!(keys, ["include_files[0]", "include_files[1]"]);
        std::fs::write(&path, "language: x\nlaunch_env: {A: b}\nstak: s\n").unwrap();
        let (m, warnings) = Manifest::load_validated(&path).unwrap();
        assert_eq!(m.launch_env, [("A".into(), "b".into())]);
        let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [format!(
                "{}:3:1: warning: stak: unknown key; did you mean `stack`? (unknown keys are kept but not used)",
                path.display()
            )]
        );
    }

    /// The display name is `detect.name`, else the language capitalised; nothing without one.
    #[test]
    fn the_display_name_is_the_detect_name_or_the_language() {
        let (m, _) = parse("language: ruby\n");
        assert_eq!((m.language(), m.display_name().as_str()), ("ruby", "Ruby"));
        let (m, _) =
            parse("language: ruby\ndetect:\n  name: Ruby (bpkit)\n  any_of: [{file: Gemfile}]\n");
        assert_eq!(m.display_name(), "Ruby (bpkit)");
        let (m, _) = parse("stack: s\n");
        assert_eq!((m.language(), m.display_name().as_str()), ("", ""));
    }

    #[test]
    fn wrong_types_are_reported_with_positions() {
        let (_, report) = parse("language: [a]\ndependencies: yes\n");
        let text: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "manifest.yml:1:11: error: language: expected a string such as `ruby`, found a list",
                "manifest.yml:2:15: error: dependencies: expected a list, found a boolean; write each item under the key as `- name: ruby`, its other keys indented under it",
            ]
        );
    }

    /// `bpkit package --stack S` writes `stack: S` and drops every `cf_stacks` (phases.md, "Every
    /// phase"): the top-level stack admits every dependency on S, and nothing on another stack.
    #[test]
    fn a_packaged_single_stack_manifest_admits_every_dependency_on_its_stack() {
        let (m, report) = parse(
            "language: x\nstack: s1\ndefault_versions:\n- {name: a, version: 1.2.x}\ndependencies:\n- {name: a, version: 1.2.3, uri: u1, md5: 900150983cd24fb0d6963f7d28e17f72}\n- {name: a, version: 1.2.9, uri: u2, md5: 900150983cd24fb0d6963f7d28e17f72}\n",
        );
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        assert_eq!(m.stack.as_deref(), Some("s1"));
        assert!(m.stacks().is_empty(), "no dependency lists cf_stacks");
        assert!(m.supports_stack("s1"));
        assert!(!m.supports_stack("s2"));
        assert_eq!(m.dependencies_named("a", Some("s1")).len(), 2);
        assert!(m.dependencies_named("a", Some("s2")).is_empty());
        assert_eq!(m.dependencies_named("a", None).len(), 2);
        assert_eq!(m.resolve_default("a", Some("s1")).unwrap().version, "1.2.9");
        assert!(m.resolve_default("a", Some("s2")).is_none());

        // Even a dependency that still lists other stacks is usable on the manifest's own.
        let (m, _) = parse(
            "language: x\nstack: s1\ndependencies:\n- {name: a, version: '1', uri: u, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s2]}\n",
        );
        assert!(m.supports_stack("s1") && !m.supports_stack("s2"));
        assert_eq!(m.dependencies_named("a", Some("s1")).len(), 1);

        // A packaged manifest without dependencies is still for its stack only.
        let (m, _) = parse("language: x\nstack: s1\n");
        assert!(m.supports_stack("s1") && !m.supports_stack("s2"));
    }

    #[test]
    fn resolves_defaults_per_stack() {
        let (m, _) = parse(
            "language: x\ndefault_versions:\n- {name: a, version: 1.2.x}\ndependencies:\n- {name: a, version: 1.2.3, uri: u1, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s1, s2]}\n- {name: a, version: 1.2.9, uri: u2, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [s2]}\n",
        );
        assert_eq!(m.resolve_default("a", Some("s1")).unwrap().version, "1.2.3");
        assert_eq!(m.resolve_default("a", Some("s2")).unwrap().version, "1.2.9");
        assert_eq!(m.resolve_default("a", None).unwrap().version, "1.2.9");
        assert!(m.resolve_default("a", Some("s3")).is_none());
    }

    /// Mappings copied from the official manifests in ../shared/corpus (ruby-2015, java, php),
    /// with dependencies shaped like theirs.
    const RUBY_ERA: &str = r#"---
language: ruby
url_to_dependency_map:
  - match: ruby-(\d+\.\d+\.\d+)-jruby-(\d+\.\d+\.\d+(?:\.\d\.pre\d)?)
    name: jruby
    version: ruby-$1-jruby-$2
  - match: ruby-(\d+\.\d+\.\d+)
    name: ruby
    version: $1
  - match: node-v?(\d+\.\d+\.\d+)
    name: node
    version: 0.12.2
  - match: rails_log_stdout
    name: rails_log_stdout
    version: 0
  - match: zulu(\d+\.\d+\.\d+)-.*-jre(\d+\.\d+\.\d+)
    name: zulu
    version: $2
  - match: "([^\\/]*)_(\\d+\\.\\d+\\.\\d+)"
    name: "$1"
    version: "$2"
  - match: "\\/composer\\/(.*)\\/composer.phar"
    name: composer
    version: "$1"
dependencies:
  - {name: jruby, version: ruby-2.0.0-jruby-1.7.19, uri: https://e/lucid64/ruby-2.0.0-jruby-1.7.19.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [lucid64]}
  - {name: jruby, version: ruby-2.2.0-jruby-9.0.0.0.pre1, uri: https://e/ruby-2.2.0-jruby-9.0.0.0.pre1.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [cflinuxfs2]}
  - {name: ruby, version: 2.2.2, uri: https://e/lucid64/ruby-2.2.2.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [lucid64]}
  - {name: ruby, version: 2.2.2, uri: https://e/cflinuxfs2/ruby-2.2.2.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [cflinuxfs2]}
  - {name: node, version: 0.12.2, uri: https://e/node-v0.12.2-linux-x64.tar.gz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [lucid64, cflinuxfs2]}
  - {name: rails_log_stdout, version: 0, uri: https://e/rails_log_stdout.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [all]}
  - {name: zulu, version: 11.0.18, uri: https://e/zulu-11.0.18.tar.gz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [cflinuxfs4]}
  - {name: php, version: 8.2.28, uri: https://e/php_8.2.28_linux_x64_cflinuxfs4.tgz, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [cflinuxfs4]}
  - {name: composer, version: 2.8.9, uri: https://e/composer_2.8.9_linux_noarch_any-stack.phar, md5: 900150983cd24fb0d6963f7d28e17f72, cf_stacks: [cflinuxfs4]}
"#;

    /// (mapping index, name, version, the dependency's uri) that a URL looks up.
    type Found = (usize, String, String, Option<String>);

    fn lookup(m: &Manifest, url: &str, stack: &str) -> Option<Found> {
        m.dependency_for_url(url, stack).unwrap().map(|l| {
            (
                l.mapping,
                l.name,
                l.version,
                l.dependency.map(|d| d.uri.clone()),
            )
        })
    }

    fn found(mapping: usize, name: &str, version: &str, uri: Option<&str>) -> Found {
        (mapping, name.into(), version.into(), uri.map(Into::into))
    }

    #[test]
    fn looks_ruby_dependencies_up_by_url_as_compile_extensions_did() {
        let (m, report) = parse(RUBY_ERA);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        // Two groups make one version; the first entry that matches wins (`ruby-(…)` would too).
        assert_eq!(
            lookup(
                &m,
                "https://pivotal-buildpacks.s3.amazonaws.com/ruby/binaries/lucid64/ruby-2.0.0-jruby-1.7.19.tgz",
                "lucid64"
            ),
            Some(found(
                0,
                "jruby",
                "ruby-2.0.0-jruby-1.7.19",
                Some("https://e/lucid64/ruby-2.0.0-jruby-1.7.19.tgz")
            ))
        );
        // The optional group (`.0.pre1`) is part of $2.
        assert_eq!(
            lookup(
                &m,
                "https://s3/ruby-2.2.0-jruby-9.0.0.0.pre1-linux.tgz",
                "cflinuxfs2"
            ),
            Some(found(
                0,
                "jruby",
                "ruby-2.2.0-jruby-9.0.0.0.pre1",
                Some("https://e/ruby-2.2.0-jruby-9.0.0.0.pre1.tgz")
            ))
        );
        // The same name and version on two stacks: the stack picks the entry.
        assert_eq!(
            lookup(&m, "https://s3/ruby-2.2.2.tgz", "cflinuxfs2"),
            Some(found(
                1,
                "ruby",
                "2.2.2",
                Some("https://e/cflinuxfs2/ruby-2.2.2.tgz")
            ))
        );
        assert_eq!(
            lookup(&m, "https://s3/ruby-2.2.2.tgz", "lucid64"),
            Some(found(
                1,
                "ruby",
                "2.2.2",
                Some("https://e/lucid64/ruby-2.2.2.tgz")
            ))
        );
        // A fixed version, with no group; an integer version `0`; `cf_stacks: [all]`.
        assert_eq!(
            lookup(&m, "https://s3/node-v0.10.38-linux-x64.tgz", "cflinuxfs2"),
            Some(found(
                2,
                "node",
                "0.12.2",
                Some("https://e/node-v0.12.2-linux-x64.tar.gz")
            ))
        );
        assert_eq!(
            lookup(&m, "https://s3/ruby/rails_log_stdout.tgz", "cflinuxfs4"),
            Some(found(
                3,
                "rails_log_stdout",
                "0",
                Some("https://e/rails_log_stdout.tgz")
            ))
        );
    }

    #[test]
    fn looks_java_and_php_dependencies_up_by_url() {
        let (m, _) = parse(RUBY_ERA);
        // `$2` alone (java's zulu); `$1` as the name (php's catch-all) and php's composer.
        assert_eq!(
            lookup(
                &m,
                "https://cdn.azul.com/zulu/bin/zulu11.62.17-ca-jre11.0.18-linux_x64.tar.gz",
                "cflinuxfs4"
            ),
            Some(found(
                4,
                "zulu",
                "11.0.18",
                Some("https://e/zulu-11.0.18.tar.gz")
            ))
        );
        assert_eq!(
            lookup(
                &m,
                "https://buildpacks.cloudfoundry.org/dependencies/php/php_8.2.28_linux_x64.tgz",
                "cflinuxfs4"
            ),
            Some(found(
                5,
                "php",
                "8.2.28",
                Some("https://e/php_8.2.28_linux_x64_cflinuxfs4.tgz")
            ))
        );
        assert_eq!(
            lookup(
                &m,
                "https://getcomposer.example/download/composer/2.8.9/composer.phar",
                "cflinuxfs4"
            ),
            Some(found(
                6,
                "composer",
                "2.8.9",
                Some("https://e/composer_2.8.9_linux_noarch_any-stack.phar")
            ))
        );
    }

    #[test]
    fn a_url_without_a_dependency_on_the_stack_is_not_found() {
        let (m, _) = parse(RUBY_ERA);
        // No entry matches.
        assert_eq!(
            lookup(&m, "https://s3/python-3.12.0.tgz", "cflinuxfs4"),
            None
        );
        // An entry matches, but the version is not in the manifest, or not on the stack.
        assert_eq!(
            lookup(&m, "https://s3/ruby-3.3.0.tgz", "lucid64"),
            Some(found(1, "ruby", "3.3.0", None))
        );
        assert_eq!(
            lookup(&m, "https://s3/ruby-2.2.2.tgz", "cflinuxfs4"),
            Some(found(1, "ruby", "2.2.2", None))
        );
        // `match` is not anchored (Ruby's `String#match`): `ruby-2.2.2.0` is ruby 2.2.2.
        assert_eq!(
            lookup(&m, "https://s3/ruby-2.2.2.0.tgz", "lucid64"),
            Some(found(
                1,
                "ruby",
                "2.2.2",
                Some("https://e/lucid64/ruby-2.2.2.tgz")
            ))
        );
    }

    #[test]
    fn a_packaged_single_stack_manifest_answers_for_its_stack() {
        let (m, _) = parse(
            "language: x\nstack: s1\nurl_to_dependency_map:\n- {match: 'a-(\\d+)', name: a, version: $1}\ndependencies:\n- {name: a, version: '1', uri: u, md5: 900150983cd24fb0d6963f7d28e17f72, file: dependencies/abc/a-1.tgz}\n",
        );
        let found = m
            .dependency_for_url("https://e/a-1.tgz", "s1")
            .unwrap()
            .unwrap();
        assert_eq!(
            found.dependency.and_then(|d| d.file.as_deref()),
            Some("dependencies/abc/a-1.tgz")
        );
        let other = m
            .dependency_for_url("https://e/a-1.tgz", "s2")
            .unwrap()
            .unwrap();
        assert_eq!(other.dependency, None);
    }

    #[test]
    fn a_broken_mapping_before_the_match_is_a_one_line_error() {
        let (m, _) = parse(
            "language: x\nurl_to_dependency_map:\n- {match: 'b-(\\d+', name: b, version: $1}\n- {match: 'a-(\\d+)', name: a, version: $1}\n- {name: c, version: $1}\n",
        );
        let error = m.dependency_for_url("https://e/a-1.tgz", "s").unwrap_err();
        assert_eq!(
            error.to_string(),
            "manifest.yml:3:3: url_to_dependency_map[0].match: not a valid regular expression: unclosed group"
        );
        // The entry without `match` would match every URL; it is refused, not used.
        let (m, _) = parse("language: x\nurl_to_dependency_map:\n- {name: c, version: $1}\n");
        assert_eq!(
            m.dependency_for_url("https://e/a-1.tgz", "s")
                .unwrap_err()
                .to_string(),
            "manifest.yml:3:3: url_to_dependency_map[0].match: expected a regular expression, found nothing; add the regular expression the URL must match"
        );
    }

    #[test]
    fn group_references_are_read_whole() {
        let regex = regex::Regex::new("(a)(b)?(c)").unwrap();
        let captures = regex.captures("xacx").unwrap();
        assert_eq!(UrlMapping::expand("$1-$3", &captures), "a-c");
        // A group that took no part is empty; `$0`, `$4` and `$` alone stay as written.
        assert_eq!(
            UrlMapping::expand("[$2]$0 $4 $ US$", &captures),
            "[]$0 $4 $ US$"
        );
        assert_eq!(UrlMapping::expand("v$1$3", &captures), "vac");
        assert_eq!(UrlMapping::group_references("ruby-$1-jruby-$2"), [1, 2]);
        assert_eq!(UrlMapping::group_references("$10 $0 $ 0.12.2"), [10, 0]);
        assert!(UrlMapping::group_references("0.12.2").is_empty());
    }

    /// Every `url_to_dependency_map[].match` of the official manifests compiles with Rust's regex
    /// syntax (Ruby's differs: lookaround, possessive quantifiers…), so `bpkit validate` and the
    /// lookup accept them all.
    #[test]
    fn every_corpus_url_mapping_compiles() {
        let corpus = std::env::var_os("BPKIT_CORPUS").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
            PathBuf::from,
        );
        if !corpus.is_dir() {
            println!(
                "skipped: no corpus at {} (set BPKIT_CORPUS)",
                corpus.display()
            );
            return;
        }
        let mut mappings = 0;
        for entry in std::fs::read_dir(&corpus).unwrap() {
            let path = entry.unwrap().path().join("manifest.yml");
            if !path.is_file() {
                continue;
            }
            let (m, _) = Manifest::load(&path).unwrap();
            for (i, mapping) in m.url_to_dependency_map.iter().enumerate() {
                let regex = regex::Regex::new(&mapping.match_regex).unwrap_or_else(|e| {
                    panic!("{}: url_to_dependency_map[{i}].match: {e}", path.display())
                });
                for template in [&mapping.name, &mapping.version] {
                    for n in UrlMapping::group_references(template) {
                        assert!(
                            (1..regex.captures_len()).contains(&n),
                            "{}: url_to_dependency_map[{i}]: `${n}` in {template}",
                            path.display()
                        );
                    }
                }
                mappings += 1;
            }
        }
        // java (32), php (4), ruby-2015 (8) and staticfile-2016 (1) have mappings.
        assert!(
            mappings >= 45,
            "expected the corpus' 45 mappings, found {mappings}"
        );
    }
}
