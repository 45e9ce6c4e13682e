//! Reading the buildpack: where it is (`BUILDPACK_DIR`, else the parent of `argv[0]`'s
//! folder, as libbuildpack's `GetBuildpackDir`), its `manifest.yml`, validated as far as the
//! phase's [`Purpose`] needs, and its `VERSION`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::manifest::{Diagnostic, Manifest, validate};

use super::{Context, ContextError};

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
            // include_files and exclude_files only say what goes into the zip.
            Purpose::Staging => root != "language" && !validate::packaging_only(key_path),
        }
    }
}

impl Context {
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
    ///
    /// An empty one, or one of several lines, is refused as the packager refuses it: the
    /// staging header (`-----> Ruby Buildpack version 1.0` then `2.0` as a line of its own),
    /// the version-change warning and `config.yml` would show it so.
    pub fn buildpack_version(&self) -> Result<String, ContextError> {
        let path = self.buildpack_dir.join("VERSION");
        let version = crate::version::read_version_file(&path)
            .map(|text| crate::version::from_version_file(&text).to_string())
            .map_err(|source| ContextError::CannotReadVersion {
                path: path.clone(),
                source,
            })?;
        let problem = if version.is_empty() {
            "holds no version (it is empty or blank)".to_string()
        } else if version.chars().any(char::is_control) {
            format!("holds {version:?}, more than one line")
        } else {
            return Ok(version);
        };
        Err(ContextError::BadVersion { path, problem })
    }
}

/// The buildpack's root: `BUILDPACK_DIR` when set, else the parent of the folder `argv[0]` is in,
/// made absolute and cleaned lexically as libbuildpack's `Abs(Join(Dir(argv[0]), ".."))`, so
/// `bin/..` through a symlinked `bin` still means the buildpack, and `./detect` run in `bin/`
/// means the folder above it.
pub fn buildpack_dir(env_value: Option<&OsStr>, argv0: Option<&OsStr>) -> PathBuf {
    if let Some(dir) = env_value.filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        return std::path::absolute(&dir).unwrap_or(dir);
    }
    let folder = argv0
        .map(Path::new)
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    crate::clean_path::absolute_clean(&folder.join(".."))
}

#[cfg(test)]
mod tests {
    use super::super::test_context as context;
    use super::*;

    /// Staging loads a manifest whose only error is packaging's (`include_files`), and shows
    /// its warnings as `DEBUG:` lines only, never that error.
    #[test]
    fn warnings_are_debug_lines_and_other_purposes_errors_are_not_shown() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("manifest.yml"),
            "language: demo\ndefault_version: []\ninclude_files:\n- ../outside\ndependencies: []\n",
        )
        .unwrap();
        let (logger, captured) = crate::output::Logger::capture();
        let mut context = context(&[]);
        context.buildpack_dir = dir.path().to_path_buf();
        context.logger = logger.with_debug(true);
        let manifest = context.load_manifest(Purpose::Staging).unwrap();
        assert_eq!(manifest.language.as_deref(), Some("demo"));
        let log = captured.text();
        assert!(
            log.contains("DEBUG: ") && log.contains("default_version: unknown key"),
            "{log}"
        );
        assert!(!log.contains("include_files"), "{log}");
    }

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
        let above = cwd.parent().unwrap();
        assert_eq!(buildpack_dir(None, Some(OsStr::new("bin/detect"))), cwd);
        assert_eq!(buildpack_dir(None, Some(OsStr::new("./bin/detect"))), cwd);
        // Run from inside `bin/`, by name or as `./detect`, as libbuildpack takes it.
        assert_eq!(buildpack_dir(None, Some(OsStr::new("detect"))), above);
        assert_eq!(buildpack_dir(None, Some(OsStr::new("./detect"))), above);
        assert_eq!(
            buildpack_dir(None, Some(OsStr::new("x/bin/../bin/detect"))),
            cwd.join("x")
        );
        assert_eq!(
            buildpack_dir(None, Some(OsStr::new("/bp/bin/detect"))),
            Path::new("/bp")
        );
    }

    #[test]
    fn purposes_look_at_their_keys_only() {
        assert!(Purpose::Detect.relevant("detect.any_of[0].contains"));
        assert!(Purpose::Detect.relevant("language"));
        assert!(!Purpose::Detect.relevant("dependencies[3].sha256"));
        assert!(Purpose::Release.relevant("release.default_process_types.web"));
        assert!(!Purpose::Release.relevant("detect"));
        assert!(Purpose::Staging.relevant("anything"));
        // What goes into the zip is no concern of staging: a glob bpkit cannot compile, in
        // a manifest the Go packager packaged, must not stop an app from staging.
        assert!(!Purpose::Staging.relevant("exclude_files[0]"));
        assert!(!Purpose::Staging.relevant("include_files[2]"));
    }

    #[test]
    fn an_empty_or_multi_line_version_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut context = context(&[]);
        context.buildpack_dir = dir.path().to_path_buf();
        let path = dir.path().join("VERSION");
        for (text, problem) in [
            ("\n", "holds no version (it is empty or blank)".to_string()),
            (
                "1.0\n2.0\n",
                r#"holds "1.0\n2.0", more than one line"#.to_string(),
            ),
        ] {
            std::fs::write(&path, text).unwrap();
            assert_eq!(
                context.buildpack_version().unwrap_err().to_string(),
                format!(
                    "Could not determine buildpack version: {} {problem}; write the buildpack's version alone in it (`echo 1.0.0 > VERSION`)",
                    path.display()
                )
            );
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
}
