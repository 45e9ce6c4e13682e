//! `argv[0]` = `buildpack-packager`: a drop-in for libbuildpack's Go `buildpack-packager`
//! (`build`, `summary`, Go `flag` syntax, exit codes 0/1/2, the success line scripts grep for
//! the zip's path) that also takes the Ruby gem's flags (`--cached`, `--uncached`, `--list`,
//! `--defaults`, `--use-custom-manifest`, `--force-download`, `--stack`, `--any-stack`).
//!
//! Unlike `bpkit package`, a build needs exactly one of `-stack` / `-any-stack`, as in Go.
//! It runs in the current directory and writes the zip there.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::exit_code;
use crate::fetch::Mode;
use crate::manifest::Manifest;
use crate::output::progress::Bars;
use crate::output::{ColorChoice, Logger};

use super::{Options, StackChoice, summary};

const USAGE: &str = "\
Usage: buildpack-packager <flags> <subcommand> <subcommand args>

Subcommands:
\tcommands         list all command names
\tflags            describe all known top-level flags
\thelp             describe subcommands and their syntax

Subcommands for Custom:
\tbuild            Create a buildpack zipfile from the current directory
\tsummary          Print out list of dependencies of this buildpack

The Ruby gem's flags work too:
\tbuildpack-packager --cached|--uncached --stack=STACK|--any-stack [--use-custom-manifest=PATH] [--force-download]
\tbuildpack-packager --list|--defaults [--use-custom-manifest=PATH]
";

const BUILD_USAGE: &str = "\
build -stack <stack>|-any-stack [-cached] [-version <version>] [-cachedir <path to cachedir>] [-profile <profile>] [-exclude <dep1,dep2,...>] [-include <dep1,dep2,...>]:
  When run in a directory that is structured as a buildpack, creates a zip file.

  -any-stack
    \tpackage buildpack for any stack
  -cached
    \tinclude dependencies
  -cachedir string
    \tcache dir (default $HOME/.buildpack-packager/cache)
  -exclude string
    \tcomma-separated dependency names to exclude
  -include string
    \tcomma-separated dependency names a profile excludes, to keep
  -profile string
    \tpackaging profile defined in manifest.yml
  -stack string
    \tstack to package buildpack for
  -version string
    \tversion to build as
";

const SUMMARY_USAGE: &str = "\
summary:
  When run in a directory that is structured as a buildpack, prints a list of depedencies of that buildpack.
  (i.e. what would be downloaded to build a cached zipfile)
";

/// Run as `buildpack-packager` with the arguments after `argv[0]`.
pub fn run(args: &[OsString]) -> u8 {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let logger = Logger::stderr(ColorChoice::Auto);
    let ruby_modes = ["--cached", "--uncached", "--list", "--defaults"];
    let ruby = args
        .iter()
        .any(|a| ruby_modes.contains(&a.as_str()) || a.starts_with("--use-custom-manifest"))
        && !args
            .iter()
            .any(|a| matches!(a.as_str(), "build" | "summary"));
    if ruby {
        run_ruby(&args, &logger)
    } else {
        run_go(&args, &logger)
    }
}

fn say(text: &str) -> u8 {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // A closed stdout (`| head`) only means nobody reads the rest; a full disk is a failure.
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            complain(&format!("cannot write output: {e}"), exit_code::FAILURE)
        }
        _ => exit_code::SUCCESS,
    }
}

fn complain(message: &str, code: u8) -> u8 {
    let mut stderr = io::stderr().lock();
    for line in message.lines() {
        let _ = writeln!(stderr, "buildpack-packager: {line}");
    }
    code
}

fn usage_error(message: &str, usage: &str) -> u8 {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{message}");
    let _ = write!(stderr, "{usage}");
    exit_code::USAGE
}

fn run_go(args: &[String], logger: &Logger) -> u8 {
    // Top-level flags: Go's flag package knows only -h / -help here.
    let Some(first) = args.first() else {
        return usage_error("", USAGE);
    };
    match first.as_str() {
        "-h" | "-help" | "--h" | "--help" => {
            let _ = write!(io::stderr(), "{USAGE}");
            exit_code::SUCCESS
        }
        "help" => {
            let text = match args.get(1).map(String::as_str) {
                Some("build") => BUILD_USAGE,
                Some("summary") => SUMMARY_USAGE,
                _ => USAGE,
            };
            let _ = write!(io::stderr(), "{text}");
            exit_code::SUCCESS
        }
        "commands" => say("help\nflags\ncommands\nbuild\nsummary\n"),
        "flags" => say(""),
        "summary" => match parse_go_flags(&[], &args[1..]) {
            Ok(_) => summary_command(Path::new("manifest.yml")),
            Err(FlagError::Help) => {
                let _ = write!(io::stderr(), "{SUMMARY_USAGE}");
                exit_code::SUCCESS
            }
            Err(FlagError::Bad(message)) => usage_error(&message, SUMMARY_USAGE),
        },
        "build" => match parse_go_flags(BUILD_FLAGS, &args[1..]) {
            Ok(flags) => build_command(&flags, logger),
            Err(FlagError::Help) => {
                let _ = write!(io::stderr(), "{BUILD_USAGE}");
                exit_code::SUCCESS
            }
            Err(FlagError::Bad(message)) => usage_error(&message, BUILD_USAGE),
        },
        other if other.starts_with('-') => {
            usage_error(&format!("flag provided but not defined: {other}"), USAGE)
        }
        other => usage_error(
            &format!("buildpack-packager: unknown subcommand `{other}`"),
            USAGE,
        ),
    }
}

fn summary_command(manifest: &Path) -> u8 {
    match Manifest::load(manifest) {
        Ok((manifest, _)) => say(&summary::go_summary(&manifest)),
        Err(e) => complain(
            &format!("error reading dependencies from manifest: {e}"),
            exit_code::FAILURE,
        ),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Value,
}

const BUILD_FLAGS: &[(&str, Kind)] = &[
    ("version", Kind::Value),
    ("cached", Kind::Bool),
    ("cachedir", Kind::Value),
    ("stack", Kind::Value),
    ("any-stack", Kind::Bool),
    ("profile", Kind::Value),
    ("exclude", Kind::Value),
    ("include", Kind::Value),
];

#[derive(Debug, Default, PartialEq, Eq)]
struct Flags {
    values: HashMap<&'static str, String>,
    bools: HashMap<&'static str, bool>,
    rest: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
enum FlagError {
    Help,
    /// Go's words, e.g. `flag provided but not defined: -x`.
    Bad(String),
}

/// Go's `flag.FlagSet.Parse`: `-x`, `--x`, `-x=v`, `-x v` (not for booleans), stopping at the
/// first non-flag argument or after `--`.
fn parse_go_flags(defs: &[(&'static str, Kind)], args: &[String]) -> Result<Flags, FlagError> {
    let mut flags = Flags::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg.len() < 2 || !arg.starts_with('-') {
            break;
        }
        let body = if let Some(rest) = arg.strip_prefix("--") {
            if rest.is_empty() {
                i += 1;
                break;
            }
            rest
        } else {
            &arg[1..]
        };
        if body.starts_with(['-', '=']) {
            return Err(FlagError::Bad(format!("bad flag syntax: {arg}")));
        }
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        i += 1;
        let Some(&(key, kind)) = defs.iter().find(|(n, _)| *n == name) else {
            if name == "h" || name == "help" {
                return Err(FlagError::Help);
            }
            return Err(FlagError::Bad(format!(
                "flag provided but not defined: -{name}"
            )));
        };
        match kind {
            Kind::Bool => {
                let on = match value.as_deref() {
                    None | Some("1" | "t" | "T" | "true" | "TRUE" | "True") => true,
                    Some("0" | "f" | "F" | "false" | "FALSE" | "False") => false,
                    Some(other) => {
                        return Err(FlagError::Bad(format!(
                            "invalid boolean value \"{other}\" for -{name}: parse error"
                        )));
                    }
                };
                flags.bools.insert(key, on);
            }
            Kind::Value => {
                let value = match value {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => {
                        return Err(FlagError::Bad(format!("flag needs an argument: -{name}")));
                    }
                };
                flags.values.insert(key, value);
            }
        }
    }
    flags.rest = args[i..].to_vec();
    Ok(flags)
}

fn names(list: Option<&String>) -> Vec<String> {
    list.map(|l| {
        l.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(String::from)
            .collect()
    })
    .unwrap_or_default()
}

fn build_command(flags: &Flags, logger: &Logger) -> u8 {
    let stack = flags.values.get("stack").filter(|s| !s.is_empty());
    let any = flags.bools.get("any-stack").copied().unwrap_or(false);
    let mut options = Options::new(".");
    options.cached = flags.bools.get("cached").copied().unwrap_or(false);
    options.version = flags
        .values
        .get("version")
        .filter(|v| !v.is_empty())
        .cloned();
    options.cache_dir = flags.values.get("cachedir").map(PathBuf::from);
    options.profile = flags
        .values
        .get("profile")
        .filter(|p| !p.is_empty())
        .cloned();
    options.exclude = names(flags.values.get("exclude"));
    options.include = names(flags.values.get("include"));
    build(options, stack.cloned(), any, logger)
}

/// Package with Go's stack rule and print Go's success line.
fn build(mut options: Options, stack: Option<String>, any: bool, logger: &Logger) -> u8 {
    options.stack = match (stack, any) {
        (None, false) => {
            return complain(
                "error: must either specify a stack or pass -any-stack",
                exit_code::FAILURE,
            );
        }
        (Some(_), true) => {
            return complain(
                "error: cannot specify a stack AND pass -any-stack",
                exit_code::FAILURE,
            );
        }
        (Some(stack), false) => StackChoice::One(stack),
        (None, true) => StackChoice::Any,
    };
    options.source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let progress = Bars::for_stderr(false);
    match super::package(&options, logger, progress.as_ref()) {
        Ok(outcome) => {
            // The zip is written to `.`; name it as Go's `filepath.Abs` does, through the
            // user's own path to it (`outcome.path` has every symlink resolved).
            let path = match (logical_current_dir(), outcome.path.file_name()) {
                (Ok(dir), Some(name)) => dir.join(name),
                _ => outcome.path.clone(),
            };
            say(&success_line(options.cached, &path, outcome.size))
        }
        Err(e) => complain(
            &format!(
                "error while creating zipfile: {}",
                crate::output::error_chain(&e)
            ),
            exit_code::FAILURE,
        ),
    }
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
        Some(pwd) if pwd.is_absolute() && same_folder(&pwd) => Ok(pwd),
        _ => Ok(real),
    }
}

/// `<cached|uncached> buildpack created and saved as <abs path> with a size of <N>MB`, with
/// N = bytes / 1024 / 1024 rounded down, as the Go packager prints it.
pub fn success_line(cached: bool, path: &Path, size: u64) -> String {
    format!(
        "{} buildpack created and saved as {} with a size of {}MB\n",
        if cached { "cached" } else { "uncached" },
        path.display(),
        size / 1024 / 1024
    )
}

/// The Ruby gem's command line.
fn run_ruby(args: &[String], logger: &Logger) -> u8 {
    #[derive(PartialEq)]
    enum RubyMode {
        Cached,
        Uncached,
        List,
        Defaults,
    }
    let mut mode = None;
    let mut manifest: Option<PathBuf> = None;
    let mut stack = None;
    let mut any = false;
    let mut force = false;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        i += 1;
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (arg, None),
        };
        let mut value = || -> Option<String> {
            inline.clone().or_else(|| {
                let next = args.get(i).cloned();
                i += 1;
                next
            })
        };
        match name {
            "--cached" => mode = Some(RubyMode::Cached),
            "--uncached" => mode = Some(RubyMode::Uncached),
            "--list" => mode = Some(RubyMode::List),
            "--defaults" => mode = Some(RubyMode::Defaults),
            "--force-download" => force = true,
            "--any-stack" => any = true,
            "--stack" => match value() {
                Some(v) => stack = Some(v),
                None => return usage_error("missing argument: --stack", USAGE),
            },
            "--use-custom-manifest" => match value() {
                Some(v) => manifest = Some(PathBuf::from(v)),
                None => return usage_error("missing argument: --use-custom-manifest", USAGE),
            },
            "-h" | "--help" => {
                let _ = write!(io::stderr(), "{USAGE}");
                return exit_code::SUCCESS;
            }
            other => return usage_error(&format!("invalid option: {other}"), USAGE),
        }
    }
    let manifest_path = manifest
        .clone()
        .unwrap_or_else(|| PathBuf::from("manifest.yml"));
    let load = |path: &Path| match Manifest::load(path) {
        Ok((m, _)) => Ok(m),
        Err(e) => Err(complain(&format!("error: {e}"), exit_code::FAILURE)),
    };
    match mode {
        None => usage_error(
            "USAGE: buildpack-packager < --cached | --uncached | --list | --defaults >",
            USAGE,
        ),
        Some(RubyMode::List) => match load(&manifest_path) {
            Ok(m) => say(&summary::ruby_list(&m)),
            Err(code) => code,
        },
        Some(RubyMode::Defaults) => match load(&manifest_path) {
            Ok(m) => say(&summary::ruby_defaults(&m)),
            Err(code) => code,
        },
        Some(packaging) => {
            let mut options = Options::new(".");
            options.cached = packaging == RubyMode::Cached;
            options.manifest = manifest;
            if force {
                options.mode = Mode::ForceDownload;
            }
            build(options, stack, any, logger)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn go_flag_syntax() {
        let flags = parse_go_flags(
            BUILD_FLAGS,
            &strings(&[
                "-stack",
                "cflinuxfs4",
                "--cached",
                "-version=1.2.3",
                "-any-stack=false",
                "rest",
                "-cached",
            ]),
        )
        .unwrap();
        assert_eq!(flags.values["stack"], "cflinuxfs4");
        assert_eq!(flags.values["version"], "1.2.3");
        assert!(flags.bools["cached"]);
        assert!(!flags.bools["any-stack"]);
        assert_eq!(flags.rest, ["rest", "-cached"]);
        let flags = parse_go_flags(BUILD_FLAGS, &strings(&["--", "-cached"])).unwrap();
        assert!(flags.bools.is_empty());
    }

    #[test]
    fn go_flag_errors() {
        assert_eq!(
            parse_go_flags(BUILD_FLAGS, &strings(&["-nope"])),
            Err(FlagError::Bad(
                "flag provided but not defined: -nope".into()
            ))
        );
        assert_eq!(
            parse_go_flags(BUILD_FLAGS, &strings(&["-stack"])),
            Err(FlagError::Bad("flag needs an argument: -stack".into()))
        );
        assert_eq!(
            parse_go_flags(BUILD_FLAGS, &strings(&["-cached=maybe"])),
            Err(FlagError::Bad(
                "invalid boolean value \"maybe\" for -cached: parse error".into()
            ))
        );
        assert_eq!(
            parse_go_flags(BUILD_FLAGS, &strings(&["-h"])),
            Err(FlagError::Help)
        );
    }

    #[test]
    fn the_success_line() {
        assert_eq!(
            success_line(true, Path::new("/b/x.zip"), 3 * 1024 * 1024 - 1),
            "cached buildpack created and saved as /b/x.zip with a size of 2MB\n"
        );
    }
}
