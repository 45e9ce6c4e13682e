//! `argv[0]` = `buildpack-packager`: the command line of a drop-in for libbuildpack's Go
//! `buildpack-packager` (`build`, `summary`, Go `flag` syntax, exit codes 0/1/2, the success line
//! scripts grep for the zip's path) that also takes the Ruby gem's flags (`--cached`,
//! `--uncached`, `--list`, `--defaults`, `--use-custom-manifest`, `--force-download`, `--stack`,
//! `--any-stack`). The packaging itself is [`crate::packager`]'s, which prints nothing; this
//! module turns arguments into its options and its results into the Go tool's output.
//!
//! Unlike `bpkit package`, a build needs exactly one of `-stack` / `-any-stack`, as in Go.
//! It runs in the current directory and writes the zip there.
//!
//! Arguments are read as the bytes they are (`OsString`): a path (`-cachedir`,
//! `--use-custom-manifest`) may be any file name Linux allows and reaches the packager
//! unchanged; any other value must be UTF-8 and is refused with a usage error if not.

use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::go_flags::{FlagError, Flags, Kind, parse_go_flags};
use super::print_data;
use crate::exit_code;
use crate::fetch::Mode;
use crate::manifest::Manifest;
use crate::output::progress::Bars;
use crate::output::{ColorChoice, Logger, error_chain};
use crate::packager::{self, Options, PackageError, StackChoice, summary};

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
\tbuildpack-packager cached|uncached [--use-custom-manifest=PATH] [--force-download]
";

/// The flag defaults of `build`, as Go's `flag.PrintDefaults` prints them: the end of
/// [`BUILD_USAGE`], and all that `flags build` prints.
macro_rules! build_flag_defaults {
    () => {
        "  -any-stack
    \tpackage buildpack for any stack
  -cached
    \tinclude dependencies
  -cachedir string
    \tcache dir (default $BPKIT_CACHE_DIR, else $HOME/.buildpack-packager/cache)
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
"
    };
}

const BUILD_USAGE: &str = concat!(
    "build -stack <stack>|-any-stack [-cached] [-version <version>] [-cachedir <path to cachedir>] [-profile <profile>] [-exclude <dep1,dep2,...>] [-include <dep1,dep2,...>]:
  When run in a directory that is structured as a buildpack, creates a zip file.

",
    build_flag_defaults!()
);

const BUILD_FLAG_DEFAULTS: &str = build_flag_defaults!();

/// `help help`, and the usage `help` prints when it cannot help (Go's `subcommands` text).
const HELP_USAGE: &str = "\
help [<subcommand>]:
\tWith an argument, prints detailed information on the use of
\tthe specified subcommand. With no argument, print a list of
\tall commands and a brief description of each.
";

const FLAGS_USAGE: &str = "\
flags [<subcommand>]:
\tWith an argument, print all flags of <subcommand>. Else,
\tprint a description of all known top-level flags.  (The basic
\thelp information only discusses the most generally important
\ttop-level flags.)
";

const COMMANDS_USAGE: &str = "\
commands:
\tPrint a list of all commands.
";

/// The usage `help NAME` prints for each subcommand.
fn subcommand_usage(name: &str) -> Option<&'static str> {
    match name {
        "build" => Some(BUILD_USAGE),
        "summary" => Some(SUMMARY_USAGE),
        "help" => Some(HELP_USAGE),
        "flags" => Some(FLAGS_USAGE),
        "commands" => Some(COMMANDS_USAGE),
        _ => None,
    }
}

const SUMMARY_USAGE: &str = "\
summary:
  When run in a directory that is structured as a buildpack, prints a list of depedencies of that buildpack.
  (i.e. what would be downloaded to build a cached zipfile)
";

/// Why a drop-in run did not succeed, worded as the Go packager (or the Ruby gem) words it.
/// Printed once, by [`run`].
#[derive(Debug, thiserror::Error)]
enum CompatError {
    /// A wrong command line: Go `flag`'s message, then the usage text (exit 2).
    #[error("{message}")]
    Usage {
        message: String,
        usage: &'static str,
    },
    /// A failure, printed after `buildpack-packager: ` (exit 1).
    #[error("{0}")]
    Failed(String),
    /// Ctrl-C, SIGTERM or SIGHUP stopped the build, which cleaned up: printed the same way,
    /// exit 130 (the Go packager has no handler, so a shell reports 130 for its Ctrl-C too).
    #[error("{0}")]
    Interrupted(String),
    /// stdout could not be written (not a closed pipe, which only ends the printing).
    #[error(transparent)]
    CannotWriteOutput(#[from] super::CliError),
}

impl CompatError {
    fn usage(message: impl Into<String>, usage: &'static str) -> CompatError {
        CompatError::Usage {
            message: message.into(),
            usage,
        }
    }
}

/// Run as `buildpack-packager` with the arguments after `argv[0]`; returns the exit code.
pub fn run(args: &[OsString]) -> u8 {
    let logger = Logger::stderr(ColorChoice::Auto);
    let ruby_modes = ["cached", "uncached", "list", "defaults"];
    let ruby = is_positional_mode(args.first())
        || args.iter().any(|a| {
            let Some(given) = a.to_str().and_then(|a| a.strip_prefix("--")) else {
                return false;
            };
            let name = given.split('=').next().unwrap_or_default();
            matches!(
                complete_ruby_option(name),
                Ok(Some(option)) if ruby_modes.contains(&option) || option == "use-custom-manifest"
            )
        }) && !args
            .iter()
            .any(|a| matches!(a.to_str(), Some("build" | "summary")));
    let result = if ruby {
        run_ruby(args, &logger)
    } else {
        run_go(args, &logger)
    };
    match result {
        Ok(code) => code,
        Err(CompatError::Usage { message, usage }) => {
            // Go prints the usage alone when there is nothing more to say (no subcommand).
            if message.is_empty() {
                logger.raw(usage);
            } else {
                logger.raw(&format!("{message}\n{usage}"));
            }
            exit_code::USAGE
        }
        Err(e) => {
            for line in error_chain(&e).lines() {
                logger.raw(&format!("buildpack-packager: {line}\n"));
            }
            if matches!(e, CompatError::Interrupted(_)) {
                exit_code::INTERRUPTED
            } else {
                exit_code::FAILURE
            }
        }
    }
}

/// `buildpack-packager cached` / `uncached`: the gem's command line before its `--cached`
/// flags (2015-2016), still in scripts and docs (`bundle exec buildpack-packager uncached`).
/// Stacks did not exist yet, so it packages for any stack unless a `--stack` is given.
fn is_positional_mode(first: Option<&OsString>) -> bool {
    matches!(first.and_then(|a| a.to_str()), Some("cached" | "uncached"))
}

/// Help asked for: the usage text on stderr, as Go's `flag` prints it, and success.
fn help(logger: &Logger, text: &str) -> u8 {
    logger.raw(text);
    exit_code::SUCCESS
}

/// `-h` after a subcommand: the subcommand's usage on stderr, and exit 2. Go's `subcommands`
/// parses a subcommand's flags with `ContinueOnError` and answers any parse error, `flag.ErrHelp`
/// included, with `ExitUsageError`; only `help build` and a top-level `-h` exit 0.
fn subcommand_help(logger: &Logger, text: &str) -> u8 {
    logger.raw(text);
    exit_code::USAGE
}

/// Data on stdout; success unless stdout cannot be written.
fn say(text: &str) -> Result<u8, CompatError> {
    print_data(text)?;
    Ok(exit_code::SUCCESS)
}

fn run_go(args: &[OsString], logger: &Logger) -> Result<u8, CompatError> {
    // Top-level flags: Go's flag package knows only -h / -help here.
    let Some(first) = args.first() else {
        return Err(CompatError::usage("", USAGE));
    };
    match first.to_string_lossy().as_ref() {
        "-h" | "-help" | "--h" | "--help" => Ok(help(logger, USAGE)),
        // Go's `subcommands` writes what `help` and `flags` are asked for to stdout (its
        // `Output`); only usage errors go to stderr.
        "help" => match &args[1..] {
            [] => say(USAGE),
            [name] => match name.to_str().and_then(subcommand_usage) {
                Some(text) => say(text),
                None => Err(CompatError::usage(
                    format!("Subcommand {} not understood", name.to_string_lossy()),
                    HELP_USAGE,
                )),
            },
            _ => Err(CompatError::usage("", HELP_USAGE)),
        },
        "commands" if args.len() > 1 => Err(CompatError::usage("", COMMANDS_USAGE)),
        "commands" => say("help\nflags\ncommands\nbuild\nsummary\n"),
        "flags" => match &args[1..] {
            // No top-level flags are defined, so there is nothing to describe.
            [] => say(""),
            [name] => match name.to_str() {
                Some("build") => say(BUILD_FLAG_DEFAULTS),
                Some("summary" | "help" | "flags" | "commands") => say(""),
                _ => Err(CompatError::Failed(format!(
                    "Subcommand {} not understood",
                    name.to_string_lossy()
                ))),
            },
            _ => Err(CompatError::usage("", FLAGS_USAGE)),
        },
        "summary" => match parse_go_flags(&[], &args[1..]) {
            Ok(_) => summary_command(Path::new("manifest.yml")),
            Err(FlagError::Help) => Ok(subcommand_help(logger, SUMMARY_USAGE)),
            Err(FlagError::Bad(message)) => Err(CompatError::usage(message, SUMMARY_USAGE)),
        },
        "build" => match parse_go_flags(BUILD_FLAGS, &args[1..]) {
            Ok(flags) => build_command(&flags, logger),
            Err(FlagError::Help) => Ok(subcommand_help(logger, BUILD_USAGE)),
            Err(FlagError::Bad(message)) => Err(CompatError::usage(message, BUILD_USAGE)),
        },
        // Go's `flag` names the flag as defined: one dash, no `=value` (`--cached=true` is
        // `-cached`).
        other if other.starts_with('-') => Err(CompatError::usage(
            format!(
                "flag provided but not defined: -{}",
                other
                    .trim_start_matches('-')
                    .split('=')
                    .next()
                    .unwrap_or_default()
            ),
            USAGE,
        )),
        other => Err(CompatError::usage(
            format!("buildpack-packager: unknown subcommand `{other}`"),
            USAGE,
        )),
    }
}

fn summary_command(manifest: &Path) -> Result<u8, CompatError> {
    match Manifest::load(manifest) {
        Ok((manifest, _)) => say(&summary::go_summary(&manifest)),
        Err(e) => Err(CompatError::Failed(format!(
            "error reading dependencies from manifest: {e}"
        ))),
    }
}

/// The flags of `build`, as the Go packager defines them.
pub(super) const BUILD_FLAGS: &[(&str, Kind)] = &[
    ("version", Kind::Text),
    ("cached", Kind::Bool),
    ("cachedir", Kind::Path),
    ("stack", Kind::Text),
    ("any-stack", Kind::Bool),
    ("profile", Kind::Text),
    ("exclude", Kind::Text),
    ("include", Kind::Text),
];

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

fn build_command(flags: &Flags, logger: &Logger) -> Result<u8, CompatError> {
    let stack = flags.text.get("stack").filter(|s| !s.is_empty());
    let any = flags.bools.get("any-stack").copied().unwrap_or(false);
    let mut options = Options::new(".");
    options.cached = flags.bools.get("cached").copied().unwrap_or(false);
    options.version = flags.text.get("version").filter(|v| !v.is_empty()).cloned();
    options.cache_dir = flags.paths.get("cachedir").cloned();
    options.profile = flags.text.get("profile").filter(|p| !p.is_empty()).cloned();
    options.exclude = names(flags.text.get("exclude"));
    options.include = names(flags.text.get("include"));
    build(options, stack.cloned(), any, Syntax::Go, logger)
}

/// Which command line a build came from, to name its flags in an error as the user spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Go,
    Ruby,
}

/// Package with Go's stack rule and print Go's success line.
fn build(
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RubyMode {
    Cached,
    Uncached,
    List,
    Defaults,
}

/// What the Ruby gem's command line asked for.
#[derive(Debug, Default)]
struct RubyArgs {
    mode: Option<RubyMode>,
    manifest: Option<PathBuf>,
    stack: Option<String>,
    any_stack: bool,
    force_download: bool,
    /// Given as `cached` / `uncached` ([`is_positional_mode`]).
    positional: bool,
}

/// The Ruby gem's command line.
fn run_ruby(args: &[OsString], logger: &Logger) -> Result<u8, CompatError> {
    let Some(ruby) = parse_ruby_args(args)? else {
        // OptionParser's `puts opts`: the help on stdout.
        return say(USAGE);
    };
    let manifest_path = ruby
        .manifest
        .clone()
        .unwrap_or_else(|| PathBuf::from("manifest.yml"));
    let load = |path: &Path| {
        Manifest::load(path)
            .map(|(m, _)| m)
            .map_err(|e| CompatError::Failed(format!("error: {e}")))
    };
    match ruby.mode {
        None => Err(CompatError::usage(
            "USAGE: buildpack-packager < --cached | --uncached | --list | --defaults >",
            USAGE,
        )),
        Some(RubyMode::List) => say(&summary::ruby_list(&load(&manifest_path)?)),
        Some(RubyMode::Defaults) => say(&summary::ruby_defaults(&load(&manifest_path)?)),
        Some(packaging) => {
            let mut options = Options::new(".");
            options.cached = packaging == RubyMode::Cached;
            options.manifest = ruby.manifest;
            if ruby.force_download {
                options.mode = Mode::ForceDownload;
            }
            // The positional form knew no stacks: its zips held every dependency.
            let any = ruby.any_stack || (ruby.positional && ruby.stack.is_none());
            build(options, ruby.stack, any, Syntax::Ruby, logger)
        }
    }
}

/// The gem's long options, without their `--`.
const RUBY_OPTIONS: [&str; 9] = [
    "cached",
    "uncached",
    "list",
    "defaults",
    "force-download",
    "use-custom-manifest",
    "stack",
    "any-stack",
    "help",
];

/// The option OptionParser completes `--given` to: the option of that name, else the only one
/// each of whose words starts with the word given in its place (`--cach`, `--use-custom`,
/// `--f-d`); `Ok(None)` when none does, `Err` when several do (`--u`). Scripts of the gem's
/// time may use such abbreviations, which OptionParser has always taken.
fn complete_ruby_option(given: &str) -> Result<Option<&'static str>, ()> {
    if let Some(exact) = RUBY_OPTIONS.iter().find(|o| **o == given) {
        return Ok(Some(exact));
    }
    let mut found = RUBY_OPTIONS
        .iter()
        .filter(|option| !given.is_empty() && completes_to(given, option));
    match (found.next(), found.next()) {
        (Some(only), None) => Ok(Some(only)),
        (None, _) => Ok(None),
        (Some(_), Some(_)) => Err(()),
    }
}

/// OptionParser's completion pattern (`\A` + the given text with `\w*` after each word), tried
/// on `option`.
fn completes_to(given: &str, option: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = option;
    let mut given = given;
    while let Some(c) = given.chars().next() {
        if is_word(c) {
            let end = given.find(|c| !is_word(c)).unwrap_or(given.len());
            let Some(after) = rest.strip_prefix(&given[..end]) else {
                return false;
            };
            rest = after.trim_start_matches(is_word);
            given = &given[end..];
        } else {
            let Some(after) = rest.strip_prefix(c) else {
                return false;
            };
            rest = after;
            given = &given[c.len_utf8()..];
        }
    }
    true
}

/// OptionParser's reading of the gem's flags; `None` when help was asked for.
fn parse_ruby_args(args: &[OsString]) -> Result<Option<RubyArgs>, CompatError> {
    let mut ruby = RubyArgs {
        positional: is_positional_mode(args.first()),
        ..RubyArgs::default()
    };
    let mut i = 0;
    if ruby.positional {
        ruby.mode = Some(if args[0] == "cached" {
            RubyMode::Cached
        } else {
            RubyMode::Uncached
        });
        i = 1;
    }
    while i < args.len() {
        let arg = args[i].as_bytes();
        i += 1;
        let (name, inline) = match arg.iter().position(|&b| b == b'=') {
            Some(at) => (&arg[..at], Some(OsStr::from_bytes(&arg[at + 1..]))),
            None => (arg, None),
        };
        let mut value = || -> Option<OsString> {
            inline.map(OsStr::to_os_string).or_else(|| {
                let next = args.get(i).cloned();
                i += 1;
                next
            })
        };
        let name = String::from_utf8_lossy(name);
        let name = match name.strip_prefix("--") {
            Some(given) => match complete_ruby_option(given) {
                Ok(Some(option)) => format!("--{option}"),
                Ok(None) => name.into_owned(),
                Err(()) => {
                    return Err(CompatError::usage(
                        format!("ambiguous option: {name}"),
                        USAGE,
                    ));
                }
            },
            None => name.into_owned(),
        };
        match name.as_str() {
            "--cached" => ruby.mode = Some(RubyMode::Cached),
            "--uncached" => ruby.mode = Some(RubyMode::Uncached),
            "--list" => ruby.mode = Some(RubyMode::List),
            "--defaults" => ruby.mode = Some(RubyMode::Defaults),
            "--force-download" => ruby.force_download = true,
            "--any-stack" => ruby.any_stack = true,
            "--stack" => match value() {
                Some(v) => {
                    ruby.stack = Some(v.into_string().map_err(|v| {
                        CompatError::usage(
                            format!(
                                "invalid argument: --stack {}: not valid UTF-8; give the stack's name",
                                v.to_string_lossy()
                            ),
                            USAGE,
                        )
                    })?);
                }
                None => return Err(CompatError::usage("missing argument: --stack", USAGE)),
            },
            "--use-custom-manifest" => match value() {
                Some(v) => ruby.manifest = Some(PathBuf::from(v)),
                None => {
                    return Err(CompatError::usage(
                        "missing argument: --use-custom-manifest",
                        USAGE,
                    ));
                }
            },
            "-h" | "--help" => return Ok(None),
            _ => {
                return Err(CompatError::usage(
                    format!(
                        "invalid option: {}",
                        OsStr::from_bytes(arg).to_string_lossy()
                    ),
                    USAGE,
                ));
            }
        }
    }
    Ok(Some(ruby))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruby_options_complete_as_option_parser_completes_them() {
        for (given, expected) in [
            ("cached", Ok(Some("cached"))),
            ("cach", Ok(Some("cached"))),
            ("c", Ok(Some("cached"))),
            ("unc", Ok(Some("uncached"))),
            ("use-custom", Ok(Some("use-custom-manifest"))),
            ("use", Ok(Some("use-custom-manifest"))),
            ("u-c-m", Ok(Some("use-custom-manifest"))),
            ("f-d", Ok(Some("force-download"))),
            ("any", Ok(Some("any-stack"))),
            ("s", Ok(Some("stack"))),
            ("stack", Ok(Some("stack"))),
            ("l", Ok(Some("list"))),
            ("h", Ok(Some("help"))),
            ("u", Err(())),
            ("custom", Ok(None)),
            ("cachedx", Ok(None)),
            ("f_d", Ok(None)),
            ("", Ok(None)),
        ] {
            assert_eq!(complete_ruby_option(given), expected, "--{given}");
        }
    }

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
