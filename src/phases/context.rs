//! What every phase starts from: where the buildpack is (`BUILDPACK_DIR`, else the parent of
//! `argv[0]`'s folder, as libbuildpack's `GetBuildpackDir`), its manifest and `VERSION`, the stack
//! (`CF_STACK`, or Heroku's `STACK`), the environment, and the checks every staging phase runs
//! first (phases.md, "Every phase"): the `-----> X Buildpack version V` header, the stack check
//! and the `BUILDPACK_METADATA` version warning.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use crate::manifest::{Diagnostic, Manifest, ManifestError, validate};
use crate::output::Logger;

use super::files::{self, FileError};
use crate::calendar::Date;

/// The file libbuildpack keeps in the cache dir to notice a buildpack upgrade.
pub const METADATA_FILE: &str = "BUILDPACK_METADATA";

/// Why a phase could not start.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("Unable to load buildpack manifest: {source}{}", load_fix(.source))]
    CannotLoadManifest {
        #[source]
        source: ManifestError,
    },
    #[error("Unable to load buildpack manifest: {}", show_errors(.errors))]
    InvalidManifest { errors: Vec<Diagnostic> },
    #[error(
        "Could not determine buildpack version: cannot read {}; add a VERSION file holding the buildpack's version", path.display()
    )]
    CannotReadVersion {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "Stack not supported by buildpack: required stack {stack} was not found; this buildpack supports {}", supported_list(.supported)
    )]
    UnsupportedStack {
        stack: String,
        supported: Vec<String>,
    },
    #[error(
        "Stack not supported by buildpack: neither CF_STACK nor STACK is set; set CF_STACK to the stack the app stages on (this buildpack supports {})", supported_list(.supported)
    )]
    NoStack { supported: Vec<String> },
    #[error("cannot read the Heroku ENV_DIR {}", path.display())]
    CannotReadEnvDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    File(#[from] FileError),
}

/// The fix for a manifest that did not load. Only a missing file means the phase looked in the
/// wrong folder; a syntax error is in the right file, and pointing elsewhere would mislead.
fn load_fix(error: &ManifestError) -> &'static str {
    if let Some(fix) = error.unreadable_fix() {
        return fix;
    }
    match error {
        ManifestError::CannotRead { cause, .. } if cause.kind() == std::io::ErrorKind::NotFound => {
            "; set BUILDPACK_DIR to the buildpack's folder (the one holding manifest.yml)"
        }
        // A message that carries its own fix (`…; close the quote`, `…; YAML indents with
        // spaces`) needs no generic one after it.
        ManifestError::CannotParse { error, .. } if error.message.contains("; ") => "",
        ManifestError::CannotParse { .. } => "; fix the YAML",
        _ => "",
    }
}

fn show_errors(errors: &[Diagnostic]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

fn supported_list(stacks: &[String]) -> String {
    if stacks.is_empty() {
        "no stack at all (no dependency lists cf_stacks)".to_string()
    } else {
        stacks.join(", ")
    }
}

/// What a phase needs from the manifest, which decides how much of it must be valid: detect
/// and release must stay fast and only care about their own keys; staging validates all but
/// `language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Detect,
    Release,
    Staging,
}

impl Purpose {
    fn relevant(self, key_path: &str) -> bool {
        let root = key_path.split(['.', '[']).next().unwrap_or_default();
        match self {
            Purpose::Detect => matches!(root, "" | "language" | "detect"),
            Purpose::Release => matches!(root, "" | "release"),
            // `language` names the zip (the packager refuses a name unfit for a file name, or
            // none) and, made safe, the profile.d script: staging does not depend on it, so a
            // buildpack run from its git clone stages whatever its language is called.
            Purpose::Staging => root != "language",
        }
    }
}

/// The environment the phase was started with, as a snapshot (the phases never change the
/// process environment; commands get an explicit one).
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<OsString, OsString>,
}

impl Env {
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars_os().collect(),
        }
    }

    pub fn from_pairs<K: Into<OsString>, V: Into<OsString>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Env {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable's value when it is set and valid UTF-8.
    pub fn get(&self, name: &str) -> Option<String> {
        self.vars
            .get(OsStr::new(name))
            .and_then(|v| v.to_str())
            .map(str::to_string)
    }

    pub fn vars(&self) -> &BTreeMap<OsString, OsString> {
        &self.vars
    }
}

/// Everything a phase runs with.
#[derive(Debug, Clone)]
pub struct Context {
    pub buildpack_dir: PathBuf,
    pub logger: Logger,
    pub env: Env,
    /// Heroku's ENV_DIR values (compile's third argument): the app's config vars. They win over
    /// the process environment for `version_from` and for `build:` commands.
    pub app_env: Vec<(String, String)>,
    /// For deprecation warnings.
    pub today: Date,
}

impl Context {
    /// A context from this process: `BUILDPACK_DIR` or `argv[0]`, the environment, today.
    pub fn from_process(logger: Logger) -> Context {
        let env = Env::from_process();
        let argv0 = std::env::args_os().next();
        let buildpack_dir = buildpack_dir(
            env.vars
                .get(OsStr::new("BUILDPACK_DIR"))
                .map(OsString::as_os_str),
            argv0.as_deref(),
        );
        Context {
            buildpack_dir,
            logger,
            env,
            app_env: Vec::new(),
            today: Date::today(),
        }
    }

    /// `CF_STACK`, else `STACK` (Heroku), when set and not empty.
    pub fn stack(&self) -> Option<String> {
        ["CF_STACK", "STACK"]
            .iter()
            .find_map(|name| self.env.get(name).filter(|s| !s.trim().is_empty()))
    }

    /// A variable as the app sees it: ENV_DIR first, then the environment.
    pub fn var(&self, name: &str) -> Option<String> {
        self.app_var(name).or_else(|| self.env.get(name))
    }

    /// A variable from Heroku's ENV_DIR (the app's config vars), if it set one.
    pub fn app_var(&self, name: &str) -> Option<String> {
        self.app_env
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    pub fn manifest_path(&self) -> PathBuf {
        self.buildpack_dir.join("manifest.yml")
    }

    /// Load the manifest, failing on the problems that matter for `purpose` (all of them, with
    /// every error listed, for staging). Validation warnings are for the buildpack's author
    /// (`bpkit validate`), so they are only shown as debug lines here.
    pub fn load_manifest(&self, purpose: Purpose) -> Result<Manifest, ContextError> {
        let (manifest, mut report) = Manifest::load(&self.manifest_path())
            .map_err(|source| ContextError::CannotLoadManifest { source })?;
        if purpose == Purpose::Staging {
            validate::validate(&manifest, &mut report);
        }
        let errors: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && purpose.relevant(&d.key_path))
            .cloned()
            .collect();
        if !errors.is_empty() {
            return Err(ContextError::InvalidManifest { errors });
        }
        for warning in report.diagnostics.iter().filter(|d| !d.is_error()) {
            self.logger.debug(&warning.to_string());
        }
        Ok(manifest)
    }

    /// The buildpack's version from its `VERSION` file, trimmed (see
    /// [`crate::version::from_version_file`]).
    pub fn buildpack_version(&self) -> Result<String, ContextError> {
        let path = self.buildpack_dir.join("VERSION");
        std::fs::read_to_string(&path)
            .map(|text| crate::version::from_version_file(&text).to_string())
            .map_err(|source| ContextError::CannotReadVersion { path, source })
    }

    /// What every staging phase does first: the header, the stack check and the version-change
    /// warning (libbuildpack's `CheckBuildpackValid`). Returns the buildpack version and stack.
    pub fn check_buildpack(
        &self,
        manifest: &Manifest,
        cache_dir: &Path,
    ) -> Result<(String, Option<String>), ContextError> {
        let version = self.buildpack_version()?;
        self.logger.step(&format!(
            "{} Buildpack version {version}",
            title_case(manifest.language())
        ));
        let stack = self.check_stack(manifest)?;
        if let Some(previous) = read_metadata(cache_dir)
            && previous.language == manifest.language()
            && previous.version != version
        {
            self.logger.warning(&format!(
                "buildpack version changed from {} to {version}",
                previous.version
            ));
        }
        Ok((version, stack))
    }

    /// `Stack not supported by buildpack: …` unless the manifest supports the current stack.
    pub fn check_stack(&self, manifest: &Manifest) -> Result<Option<String>, ContextError> {
        let supported = || match &manifest.stack {
            Some(own) => vec![own.clone()],
            None => manifest.stacks().into_iter().map(str::to_string).collect(),
        };
        match self.stack() {
            Some(stack) if manifest.supports_stack(&stack) => Ok(Some(stack)),
            Some(stack) => Err(ContextError::UnsupportedStack {
                stack,
                supported: supported(),
            }),
            // A manifest without dependencies supports every stack, so it needs none.
            None if manifest.stack.is_none() && manifest.dependencies.is_empty() => Ok(None),
            None => Err(ContextError::NoStack {
                supported: supported(),
            }),
        }
    }

    /// Read Heroku's ENV_DIR: one file per variable, the file's contents its value. PATH and
    /// the other variables Heroku's `export_env_dir` refuses are skipped, because a config var
    /// must not break the build's own tools.
    pub fn read_env_dir(&mut self, env_dir: &Path) -> Result<(), ContextError> {
        const SKIPPED: [&str; 6] = [
            "PATH",
            "GIT_DIR",
            "CPATH",
            "CPPATH",
            "LD_PRELOAD",
            "LIBRARY_PATH",
        ];
        let entries =
            std::fs::read_dir(env_dir).map_err(|source| ContextError::CannotReadEnvDir {
                path: env_dir.to_path_buf(),
                source,
            })?;
        let mut vars = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if SKIPPED.contains(&name.as_str()) || !super::template::is_valid_name(&name) {
                self.logger.debug(&format!("ENV_DIR: not exporting {name}"));
                continue;
            }
            if !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let value =
                std::fs::read(entry.path()).map_err(|source| ContextError::CannotReadEnvDir {
                    path: entry.path(),
                    source,
                })?;
            if value.contains(&0) {
                continue;
            }
            // Heroku's `export_env_dir` exports `$(cat FILE)`, and command substitution drops
            // every trailing newline: a value saved by an editor as `production\n` is `production`.
            let value = String::from_utf8_lossy(&value);
            vars.push((name, value.trim_end_matches('\n').to_string()));
        }
        vars.sort();
        self.app_env.extend(vars);
        Ok(())
    }

    /// Record this buildpack's language and version in the cache (libbuildpack's
    /// `StoreBuildpackMetadata`), for the next staging's version-change warning.
    ///
    /// Best effort, as in libbuildpack, whose `StagingComplete` ignores the error: the file only
    /// feeds a warning, so a CACHE_DIR it cannot be written to must not fail a staging that has
    /// built the app. A warning says what was lost.
    pub fn store_metadata(&self, manifest: &Manifest, version: &str, cache_dir: &Path) {
        let text = super::yaml_out::document(&[
            ("language", manifest.language().to_string()),
            ("version", version.to_string()),
        ]);
        let path = cache_dir.join(METADATA_FILE);
        if let Err(error) = files::write_atomic(&path, text.as_bytes(), 0o644) {
            self.logger.warning(&format!(
                "Could not write {} ({}); the next staging cannot tell whether the buildpack's version changed",
                path.display(),
                super::error_chain(&error)
            ));
        }
    }
}

/// The buildpack's root: `BUILDPACK_DIR` when set, else the parent of the folder `argv[0]` is in
/// (cleaned lexically like Go's `filepath.Join`, so `bin/..` through a symlinked `bin` still
/// means the buildpack), made absolute.
pub fn buildpack_dir(env_value: Option<&OsStr>, argv0: Option<&OsStr>) -> PathBuf {
    let root = if let Some(dir) = env_value.filter(|v| !v.is_empty()) {
        PathBuf::from(dir)
    } else {
        let folder = argv0
            .map(Path::new)
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        if folder.as_os_str().is_empty() {
            PathBuf::from("..")
        } else {
            match folder.parent() {
                Some(parent) if parent.as_os_str().is_empty() => PathBuf::from("."),
                Some(parent) => parent.to_path_buf(),
                None => folder.to_path_buf(),
            }
        }
    };
    std::path::absolute(&root).unwrap_or(root)
}

/// Go's `strings.Title`: upper-case the first letter of every word (`dotnet-core` →
/// `Dotnet-Core`), as libbuildpack's header does.
pub fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at_word_start = true;
    for c in text.chars() {
        if at_word_start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = !(c.is_alphanumeric() || c == '_');
    }
    out
}

/// `BUILDPACK_METADATA`'s contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub language: String,
    pub version: String,
}

/// The previous staging's metadata, if there is a readable one (anything else is ignored, as
/// libbuildpack does).
pub fn read_metadata(cache_dir: &Path) -> Option<Metadata> {
    let text = std::fs::read_to_string(cache_dir.join(METADATA_FILE)).ok()?;
    let tree = crate::manifest::yaml::parse(&text).ok()?;
    let field = |key: &str| {
        tree.get(key)
            .and_then(|n| n.as_scalar())
            .map(|s| s.text.clone())
    };
    Some(Metadata {
        language: field("language")?,
        version: field("version")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buildpack_dir_from_env_or_argv0() {
        assert_eq!(
            buildpack_dir(Some(OsStr::new("/bp")), Some(OsStr::new("/x/bin/detect"))),
            Path::new("/bp")
        );
        assert_eq!(
            buildpack_dir(Some(OsStr::new("")), Some(OsStr::new("/x/bin/detect"))),
            Path::new("/x")
        );
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(buildpack_dir(None, Some(OsStr::new("bin/detect"))), cwd);
        assert_eq!(
            buildpack_dir(None, Some(OsStr::new("detect"))),
            cwd.join("..")
        );
    }

    #[test]
    fn titles_like_go() {
        assert_eq!(title_case("ruby"), "Ruby");
        assert_eq!(title_case("dotnet-core"), "Dotnet-Core");
        assert_eq!(title_case("php_web x"), "Php_web X");
    }

    #[test]
    fn purposes_look_at_their_keys_only() {
        assert!(Purpose::Detect.relevant("detect.any_of[0].contains"));
        assert!(Purpose::Detect.relevant("language"));
        assert!(!Purpose::Detect.relevant("dependencies[3].sha256"));
        assert!(Purpose::Release.relevant("release.default_process_types.web"));
        assert!(!Purpose::Release.relevant("detect"));
        assert!(Purpose::Staging.relevant("anything"));
    }

    fn context(env: &[(&str, &str)]) -> Context {
        Context {
            buildpack_dir: PathBuf::from("/bp"),
            logger: Logger::capture().0,
            env: Env::from_pairs(env.iter().copied()),
            app_env: Vec::new(),
            today: Date::new(2025, 1, 1),
        }
    }

    #[test]
    fn the_staging_header_shows_version_without_a_byte_order_mark() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("VERSION"), "\u{feff}1.0.0\r\n").unwrap();
        let mut context = context(&[]);
        context.buildpack_dir = dir.path().to_path_buf();
        assert_eq!(context.buildpack_version().unwrap(), "1.0.0");
    }

    #[test]
    fn env_dir_values_lose_their_trailing_newlines_as_with_cat() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("RACK_ENV", "production\n"),
            ("TWO", "a\n\n"),
            ("INNER", "x\n y\n"),
            ("CR", "w\r\n"),
            ("PLAIN", "as is"),
            ("EMPTY", "\n"),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let mut context = context(&[]);
        context.read_env_dir(dir.path()).unwrap();
        let vars: Vec<(&str, &str)> = context
            .app_env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            vars,
            [
                ("CR", "w\r"),
                ("EMPTY", ""),
                ("INNER", "x\n y"),
                ("PLAIN", "as is"),
                ("RACK_ENV", "production"),
                ("TWO", "a"),
            ]
        );
        assert_eq!(context.var("RACK_ENV").as_deref(), Some("production"));
    }

    #[test]
    fn a_packaged_manifest_supports_its_own_stack_only() {
        let manifest = |text: &str| Manifest::parse(text, Path::new("manifest.yml")).unwrap().0;
        let packaged = manifest(
            "language: x\nstack: cflinuxfs4\ndependencies:\n- {name: a, version: '1', uri: u, md5: 900150983cd24fb0d6963f7d28e17f72}\n",
        );
        assert_eq!(
            context(&[("CF_STACK", "cflinuxfs4")])
                .check_stack(&packaged)
                .unwrap(),
            Some("cflinuxfs4".to_string())
        );
        // Heroku names the stack STACK.
        assert_eq!(
            context(&[("STACK", "cflinuxfs4")])
                .check_stack(&packaged)
                .unwrap(),
            Some("cflinuxfs4".to_string())
        );
        assert_eq!(
            context(&[("CF_STACK", "cflinuxfs5")])
                .check_stack(&packaged)
                .unwrap_err()
                .to_string(),
            "Stack not supported by buildpack: required stack cflinuxfs5 was not found; this buildpack supports cflinuxfs4"
        );
        assert_eq!(
            context(&[]).check_stack(&packaged).unwrap_err().to_string(),
            "Stack not supported by buildpack: neither CF_STACK nor STACK is set; set CF_STACK to the stack the app stages on (this buildpack supports cflinuxfs4)"
        );
        // Without dependencies the packaged stack still decides, and a stack must be set.
        let empty = manifest("language: x\nstack: cflinuxfs4\n");
        assert!(
            context(&[("CF_STACK", "cflinuxfs5")])
                .check_stack(&empty)
                .is_err()
        );
        assert!(context(&[]).check_stack(&empty).is_err());
    }

    #[test]
    fn metadata_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_metadata(dir.path()).is_none());
        std::fs::write(
            dir.path().join(METADATA_FILE),
            "---\nlanguage: ruby\nversion: 1.2.3\n",
        )
        .unwrap();
        assert_eq!(
            read_metadata(dir.path()),
            Some(Metadata {
                language: "ruby".into(),
                version: "1.2.3".into()
            })
        );
    }
}
