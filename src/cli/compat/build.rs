//! A build from either command line: the Go packager's stack rule (exactly one of a stack or
//! any stack), the packaging itself ([`crate::packager`]), and the success line scripts grep
//! for the zip's path, named through the user's own path to the folder as Go names it.

use std::io;
use std::path::{Path, PathBuf};

use super::{CompatError, say};
use crate::output::progress::Bars;
use crate::output::{Logger, error_chain};
use crate::packager::{self, Options, PackageError, StackChoice};

/// Which command line a build came from, to name its flags in an error as the user spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    Go,
    Ruby,
}

/// Package with Go's stack rule and print Go's success line.
pub(super) fn build(
    mut options: Options,
    stack: Option<String>,
    any: bool,
    syntax: Syntax,
    logger: &Logger,
) -> Result<u8, CompatError> {
    // Go's words; a Ruby-style command line is told its own spelling of the flags, since
    // `-any-stack` is an invalid option there.
    let (stack_flag, any_flag) = match syntax {
        Syntax::Go => ("a stack", "-any-stack"),
        Syntax::Ruby => ("a stack (--stack=STACK)", "--any-stack"),
    };
    options.stack = match (stack, any) {
        (None, false) => {
            return Err(CompatError::Failed(format!(
                "error: must either specify {stack_flag} or pass {any_flag}"
            )));
        }
        (Some(_), true) => {
            return Err(CompatError::Failed(format!(
                "error: cannot specify a stack AND pass {any_flag}"
            )));
        }
        (Some(stack), false) => StackChoice::One(stack),
        (None, true) => StackChoice::Any,
    };
    // Read lossily: a value that is not UTF-8 is then refused as "not a whole number", where
    // reading it as unset silently made a zip that is not reproducible.
    options.source_date_epoch =
        std::env::var_os("SOURCE_DATE_EPOCH").map(|v| v.to_string_lossy().into_owned());
    // Whatever pre_package leaves running, in its process group or out of it, stops with it.
    crate::process_group::adopt_orphans();
    let progress = Bars::for_stderr(false, logger);
    let outcome = packager::package(&options, logger, progress.as_ref()).map_err(|e| match e {
        PackageError::Interrupted { .. } => CompatError::Interrupted(e.to_string()),
        // The Go packager reads VERSION itself, before packaging, and words its absence so
        // (libbuildpack packager/buildpack-packager/main.go: `error: Could not read VERSION
        // file: open VERSION: no such file or directory`); bpkit adds the fix.
        PackageError::MissingVersion { cause, .. }
            if syntax == Syntax::Go && cause.kind() == io::ErrorKind::NotFound =>
        {
            CompatError::Failed(
                "error: Could not read VERSION file: open VERSION: no such file or directory; create it with the buildpack's version (`echo 1.0.0 > VERSION`) or pass -version"
                    .into(),
            )
        }
        e => CompatError::Failed(format!("error while creating zipfile: {}", error_chain(&e))),
    })?;
    // The zip is written to `.`; name it as Go's `filepath.Abs` does, through the user's own
    // path to it (`outcome.path` has every symlink resolved).
    let path = match (logical_current_dir(), outcome.path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => outcome.path.clone(),
    };
    say(&success_line(options.cached, &path, outcome.size))
}

/// The current folder as the user reached it: `$PWD` when that is an absolute path to the same
/// folder (through symlinks), else the real path. This is Go's `os.Getwd`, under the
/// `filepath.Abs` that names the Go packager's zip, so scripts that grep the success line for
/// the path see the same one.
fn logical_current_dir() -> io::Result<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let real = std::env::current_dir()?;
    let same_folder = |pwd: &Path| match (std::fs::metadata(pwd), std::fs::metadata(&real)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    };
    match std::env::var_os("PWD").map(PathBuf::from) {
        Some(pwd) if pwd.is_absolute() && same_folder(&pwd) => Ok(lexically_clean(&pwd)),
        _ => Ok(real),
    }
}

/// Go's `filepath.Clean`, which `filepath.Abs` applies: repeated `/` and `.` components
/// dropped, and `..` taking the component before it away (by the text, not by following
/// symlinks). `$PWD` is usually clean already; one set by hand (`PWD=/ci//work/./bp`) is not.
fn lexically_clean(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// `<cached|uncached> buildpack created and saved as <abs path> with a size of <N>MB`, with
/// N = bytes / 1024 / 1024 rounded down, as the Go packager prints it.
fn success_line(cached: bool, path: &Path, size: u64) -> String {
    format!(
        "{} buildpack created and saved as {} with a size of {}MB\n",
        if cached { "cached" } else { "uncached" },
        path.display(),
        size / 1024 / 1024
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pwd_is_cleaned_as_go_cleans_it() {
        assert_eq!(
            lexically_clean(Path::new("/ci//work/./a/../bp/")),
            Path::new("/ci/work/bp")
        );
        assert_eq!(lexically_clean(Path::new("/../x")), Path::new("/x"));
    }

    #[test]
    fn the_success_line() {
        assert_eq!(
            success_line(true, Path::new("/b/x.zip"), 3 * 1024 * 1024 - 1),
            "cached buildpack created and saved as /b/x.zip with a size of 2MB\n"
        );
    }
}
