//! What every phase starts from: where the buildpack is (`BUILDPACK_DIR`, else the parent of
//! `argv[0]`'s folder, as libbuildpack's `GetBuildpackDir`), its manifest and `VERSION`, the stack
//! (`CF_STACK`, or Heroku's `STACK`), the environment, and the checks every staging phase runs
//! first (phases.md, "Every phase"): the `-----> X Buildpack version V` header, the stack check
//! and the `BUILDPACK_METADATA` version warning.
//!
//! The files of this folder, one concern each (this one holds [`Context`] and [`ContextError`]):
//! - `buildpack`: reading the buildpack: its folder, `manifest.yml` (for a [`Purpose`]) and
//!   `VERSION`.
//! - `environment`: the platform's environment: [`Env`], the stack, Heroku's ENV_DIR.
//! - `staging`: the checks every staging phase starts with, and `BUILDPACK_METADATA`.

mod buildpack;
mod environment;
mod staging;

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use crate::manifest::{Diagnostic, ManifestError};
use crate::output::Logger;

use super::files::FileError;
use crate::calendar::Date;

pub use buildpack::{Purpose, buildpack_dir};
pub use environment::Env;
pub use staging::{METADATA_FILE, Metadata, read_metadata, title_case};

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
        "Could not determine buildpack version: {} {problem}; write the buildpack's version alone in it (`echo 1.0.0 > VERSION`)", path.display()
    )]
    BadVersion { path: PathBuf, problem: String },
    #[error(
        "Stack not supported by buildpack: required stack {} was not found; this buildpack supports {}", one_line(.stack), supported_list(.supported)
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

/// `text` as it is, libbuildpack's words; escaped and quoted when it holds a line break or
/// another control character (a CF_STACK set from a file), so the `**ERROR**` stays one line.
fn one_line(text: &str) -> String {
    if text.chars().any(char::is_control) {
        format!("{text:?}")
    } else {
        text.to_string()
    }
}

/// The fix for a manifest that did not load. Only a missing file (or a `BUILDPACK_DIR` that is
/// a file) means the phase looked in the wrong folder; a syntax error is in the right file, and
/// pointing elsewhere would mislead.
fn load_fix(error: &ManifestError) -> &'static str {
    if let Some(fix) = error.unreadable_fix() {
        return fix;
    }
    match error {
        ManifestError::CannotRead { cause, .. }
            if matches!(
                cause.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            "; set BUILDPACK_DIR to the buildpack's folder (the one holding manifest.yml)"
        }
        // A message that carries its own fix (`…; close the quote`, `…; YAML indents with
        // spaces`) needs no generic one after it.
        ManifestError::CannotParse { error, .. } if error.message.contains("; ") => "",
        ManifestError::CannotParse { .. } => "; fix the YAML",
        _ => "",
    }
}

/// One line per error, each without the word "error" (`**ERROR**` before them says so).
fn show_errors(errors: &[Diagnostic]) -> String {
    let lines: Vec<String> = errors
        .iter()
        .map(|error| error.without_severity().to_string())
        .collect();
    lines.join("\n")
}

fn supported_list(stacks: &[String]) -> String {
    if stacks.is_empty() {
        "no stack at all (no dependency lists cf_stacks)".to_string()
    } else {
        stacks.join(", ")
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
            env.vars()
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
}

/// A context for unit tests: buildpack `/bp`, a captured logger, `env` as the environment.
#[cfg(test)]
pub(crate) fn test_context(env: &[(&str, &str)]) -> Context {
    Context {
        buildpack_dir: PathBuf::from("/bp"),
        logger: Logger::capture().0,
        env: Env::from_pairs(env.iter().copied()),
        app_env: Vec::new(),
        today: Date::new(2025, 1, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a manifest that is not there, or a `BUILDPACK_DIR` that is a file, points at the
    /// variable; a manifest that is there but cannot be read has its own fix, or none.
    #[test]
    fn only_a_wrong_folder_is_told_to_set_buildpack_dir() {
        let cannot_read = |kind: std::io::ErrorKind| ManifestError::CannotRead {
            path: PathBuf::from("/bp/manifest.yml"),
            cause: kind.into(),
        };
        let wrong_folder =
            "; set BUILDPACK_DIR to the buildpack's folder (the one holding manifest.yml)";
        for (kind, fix) in [
            (std::io::ErrorKind::NotFound, wrong_folder),
            (std::io::ErrorKind::NotADirectory, wrong_folder),
            (
                std::io::ErrorKind::IsADirectory,
                "; replace that folder with the buildpack's manifest file",
            ),
            (std::io::ErrorKind::FileTooLarge, ""),
            (std::io::ErrorKind::Other, ""),
        ] {
            assert_eq!(load_fix(&cannot_read(kind)), fix, "{kind:?}");
        }
    }
}
