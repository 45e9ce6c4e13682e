//! A build from either command line: the Go packager's stack rule (exactly one of a stack or
//! any stack), the packaging itself ([`crate::packager`]), and the success line scripts grep
//! for the zip's path, named through the user's own path to the folder as Go names it.

use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::{CompatError, say_bytes};
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
    // The packager's warnings name its flags as this command line spells them, as its errors do.
    let logger = &logger.reworded(move |text| with_own_flags(text, syntax));
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
        // file: open VERSION: no such file or directory`); bpkit adds the fix. A folder with
        // neither VERSION nor manifest.yml, which `bpkit package` calls no buildpack, gets the
        // same words, as Go reads VERSION first.
        e if syntax == Syntax::Go && no_version_file(&e) => CompatError::Failed(
            "error: Could not read VERSION file: open VERSION: no such file or directory; create it with the buildpack's version (`echo 1.0.0 > VERSION`) or pass -version"
                .into(),
        ),
        e => CompatError::Failed(format!(
            "error while creating zipfile: {}",
            with_own_flags(&error_chain(&e), syntax)
        )),
    })?;
    if syntax == Syntax::Ruby {
        // The gem names the zip through `Dir.pwd`, the real path, which `outcome.path` is, and
        // sizes it with `du -h`: the disk it takes.
        use std::os::unix::fs::MetadataExt;
        let on_disk = std::fs::metadata(&outcome.path).map_or(outcome.size, |m| m.blocks() * 512);
        return say_bytes(&ruby_success_line(options.cached, &outcome.path, on_disk));
    }
    // The zip is written to `.`; name it as Go's `filepath.Abs` does, through the user's own
    // path to it (`outcome.path` has every symlink resolved).
    let path = match (logical_current_dir(), outcome.path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => outcome.path.clone(),
    };
    say_bytes(&success_line(options.cached, &path, outcome.size))
}

/// `text` (a packaging error, which names `bpkit package`'s flags) with the cache's flag as
/// this command line spells it: Go's `-cachedir`, or for the gem, which has none, only the
/// variable; and for the gem, `--use-custom-manifest` where bpkit's DIR is named. `--cache-dir` there was `flag provided but not defined` (Go) or `invalid option`
/// (the gem). The other flags the packager names (`--any-stack`, `--stack`, `--version`) are
/// spelled the same in both, Go's `flag` taking two dashes as one; the gem, which has no
/// `--version`, is not told to pass it.
fn with_own_flags(text: &str, syntax: Syntax) -> String {
    match syntax {
        Syntax::Go => text.replace("--cache-dir", "-cachedir"),
        Syntax::Ruby => text
            .replace(
                "give the manifest file, or its folder as DIR",
                "give --use-custom-manifest the manifest file in it",
            )
            .replace("--cache-dir (or BPKIT_CACHE_DIR)", "BPKIT_CACHE_DIR")
            .replace("--cache-dir or BPKIT_CACHE_DIR", "BPKIT_CACHE_DIR")
            .replace("pass --cache-dir, or set", "set")
            // The gem has no flag for the version to build as (its OptionParser's `--version`
            // prints the program's own): VERSION is the one way.
            .replace(" or pass --version", ""),
    }
}

/// True when packaging stopped because there is no VERSION file.
fn no_version_file(error: &PackageError) -> bool {
    match error {
        PackageError::MissingVersion { cause, .. } => cause.kind() == io::ErrorKind::NotFound,
        PackageError::NotABuildpack { .. } => true,
        _ => false,
    }
}

/// The gem's success line (lib/buildpack/packager.rb of cloudfoundry/buildpack-packager):
/// `<Cached|Uncached> buildpack created and saved as <path> with a size of <du -h>`, the path
/// as its `Shellwords.escape` writes it and the size as GNU `du -h` prints the disk used.
/// Bytes, as the path's own are: a path that is not UTF-8 is written as it is, so a script
/// that reads it back opens the zip (a lossy one had U+FFFD where its bytes were).
fn ruby_success_line(cached: bool, path: &Path, on_disk: u64) -> Vec<u8> {
    let mut line = format!(
        "{} buildpack created and saved as ",
        if cached { "Cached" } else { "Uncached" }
    )
    .into_bytes();
    line.extend_from_slice(&shell_escape(path.as_os_str().as_bytes()));
    line.extend_from_slice(format!(" with a size of {}\n", du_human(on_disk)).as_bytes());
    line
}

/// Ruby's `Shellwords.escape`: `''` for nothing, a `\` before each character other than
/// `A-Za-z0-9_-.,:+/@` and a line break, and a line break quoted as `'\n'`. A byte that is
/// not part of a UTF-8 character gets its own `\`, which the shell reads as that byte (Ruby
/// raises on such a string; the gem never got that far).
fn shell_escape(text: &[u8]) -> Vec<u8> {
    if text.is_empty() {
        return b"''".to_vec();
    }
    let mut escaped = Vec::with_capacity(text.len() * 2);
    for chunk in text.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => escaped.extend_from_slice(b"'\n'"),
                c if c.is_ascii_alphanumeric() || "_-.,:+/@".contains(c) => {
                    escaped.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                c => {
                    escaped.push(b'\\');
                    escaped.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
            }
        }
        for &byte in chunk.invalid() {
            escaped.extend_from_slice(&[b'\\', byte]);
        }
    }
    escaped
}

/// GNU `du -h`'s size: bytes below 1024 as they are, else powers of 1024 (`K`, `M`, `G`, …)
/// rounded up, with one decimal below 10 (`4.0K`, `9.9M`, `10M`, `1.0G`).
fn du_human(bytes: u64) -> String {
    const UNITS: [char; 6] = ['K', 'M', 'G', 'T', 'P', 'E'];
    if bytes < 1024 {
        return bytes.to_string();
    }
    let bytes = u128::from(bytes);
    let mut unit = 0;
    let mut divisor: u128 = 1024;
    while bytes >= divisor * 1024 && unit + 1 < UNITS.len() {
        divisor *= 1024;
        unit += 1;
    }
    let tenths = (bytes * 10).div_ceil(divisor);
    if tenths < 100 {
        return format!("{}.{}{}", tenths / 10, tenths % 10, UNITS[unit]);
    }
    let whole = bytes.div_ceil(divisor);
    if whole >= 1024 && unit + 1 < UNITS.len() {
        return format!("1.0{}", UNITS[unit + 1]);
    }
    format!("{whole}{}", UNITS[unit])
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
        Some(pwd) if pwd.is_absolute() && same_folder(&pwd) => {
            Ok(crate::clean_path::lexically_clean(&pwd))
        }
        _ => Ok(real),
    }
}

/// `<cached|uncached> buildpack created and saved as <abs path> with a size of <N>MB`, with
/// N = bytes / 1024 / 1024 rounded down, as the Go packager prints it. The path byte for
/// byte, as Go's `fmt` prints a string: scripts take it from this line to open the zip, and
/// a lossy one (U+FFFD for bytes that are not UTF-8) names no file.
fn success_line(cached: bool, path: &Path, size: u64) -> Vec<u8> {
    let mut line = format!(
        "{} buildpack created and saved as ",
        if cached { "cached" } else { "uncached" }
    )
    .into_bytes();
    line.extend_from_slice(path.as_os_str().as_bytes());
    line.extend_from_slice(format!(" with a size of {}MB\n", size / 1024 / 1024).as_bytes());
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gem_success_line_sizes_as_du_h() {
        for (bytes, shown) in [
            (0, "0"),
            (512, "512"),
            (1024, "1.0K"),
            (4096, "4.0K"),
            (10 * 1024 - 1, "10K"),
            (10 * 1024, "10K"),
            (12 * 1024 * 1024 + 1, "13M"),
            (1024 * 1024 * 1024 - 1, "1.0G"),
            (1536 * 1024, "1.5M"),
            // Rounded up to 1024 of a unit: one of the next.
            (1024 * 1024 - 1, "1.0M"),
            (10 * 1024 * 1024 - 1, "10M"),
            (u64::MAX, "16E"),
        ] {
            assert_eq!(du_human(bytes), shown, "{bytes}");
        }
        assert_eq!(
            ruby_success_line(false, Path::new("/ci/my bp/x_buildpack-v1.zip"), 8192),
            b"Uncached buildpack created and saved as /ci/my\\ bp/x_buildpack-v1.zip with a size of 8.0K\n"
        );
        assert_eq!(shell_escape(b""), b"''");
        assert_eq!(
            shell_escape("/b\u{e9}\n".as_bytes()),
            "/b\\\u{e9}'\n'".as_bytes()
        );
        assert_eq!(shell_escape(b"/c\xe9h"), b"/c\\\xe9h");
    }

    /// The packager's errors name `--cache-dir`, which neither command line has.
    #[test]
    fn the_cache_flag_is_named_as_each_command_line_spells_it() {
        let text = "the dependency cache c is a file, not a folder; point --cache-dir (or BPKIT_CACHE_DIR) at a folder, which is created when missing";
        assert_eq!(
            with_own_flags(text, Syntax::Go),
            "the dependency cache c is a file, not a folder; point -cachedir (or BPKIT_CACHE_DIR) at a folder, which is created when missing"
        );
        assert_eq!(
            with_own_flags(text, Syntax::Ruby),
            "the dependency cache c is a file, not a folder; point BPKIT_CACHE_DIR at a folder, which is created when missing"
        );
        assert_eq!(
            with_own_flags(
                "a cached zip needs a dependency cache folder: pass --cache-dir, or set BPKIT_CACHE_DIR or HOME",
                Syntax::Ruby
            ),
            "a cached zip needs a dependency cache folder: set BPKIT_CACHE_DIR or HOME"
        );
        assert_eq!(
            with_own_flags(
                "Could not write x: y; remove it, or use another folder (for the dependency cache: --cache-dir or BPKIT_CACHE_DIR).",
                Syntax::Ruby
            ),
            "Could not write x: y; remove it, or use another folder (for the dependency cache: BPKIT_CACHE_DIR)."
        );
    }

    #[test]
    fn the_success_line() {
        assert_eq!(
            success_line(true, Path::new("/b/x.zip"), 3 * 1024 * 1024 - 1),
            b"cached buildpack created and saved as /b/x.zip with a size of 2MB\n"
        );
        let path = std::ffi::OsStr::from_bytes(b"/b/\xe9/x.zip");
        assert_eq!(
            success_line(false, Path::new(path), 0),
            b"uncached buildpack created and saved as /b/\xe9/x.zip with a size of 0MB\n"
        );
    }
}
