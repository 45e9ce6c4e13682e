//! The Go packager's command line: `build` and `summary` with Go's `flag` syntax, and the
//! `help`, `flags` and `commands` subcommands of Go's `subcommands` package, each answered with
//! its words and exit code.

use std::ffi::OsString;
use std::path::Path;

use super::build::{Syntax, build};
use super::go_flags::{FlagError, Flags, Kind, parse_go_flags};
use super::usage::{
    COMMANDS_USAGE, FLAGS_USAGE, HELP_USAGE, SUMMARY_USAGE, USAGE, build_flag_defaults,
    build_usage, subcommand_usage,
};
use super::{CompatError, help, say, subcommand_help};
use crate::manifest::Manifest;
use crate::output::Logger;
use crate::packager::{Options, summary};

pub(super) fn run_go(args: &[OsString], logger: &Logger) -> Result<u8, CompatError> {
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
                Some(text) => say(&text),
                None => Err(CompatError::usage(
                    format!("Subcommand {} not understood", name.to_string_lossy()),
                    HELP_USAGE,
                )),
            },
            _ => Err(CompatError::usage("", HELP_USAGE)),
        },
        "commands" if args.len() > 1 => Err(CompatError::usage("", COMMANDS_USAGE)),
        // In the order the Go packager's `main.go` registers them (`summary` before `build`):
        // `subcommands`' `commands` lists its groups and their commands unsorted.
        "commands" => say("help\nflags\ncommands\nsummary\nbuild\n"),
        "flags" => match &args[1..] {
            // No top-level flags are defined, so there is nothing to describe.
            [] => say(""),
            [name] => match name.to_str() {
                Some("build") => say(&build_flag_defaults()),
                Some("summary" | "help" | "flags" | "commands") => say(""),
                _ => Err(CompatError::FailedPlain(format!(
                    "Subcommand {} not understood",
                    name.to_string_lossy()
                ))),
            },
            _ => Err(CompatError::usage("", FLAGS_USAGE)),
        },
        "summary" => match parse_go_flags(&[], &args[1..]) {
            Ok(flags) => {
                warn_ignored(&flags, "summary", logger);
                summary_command(Path::new("manifest.yml"))
            }
            Err(FlagError::Help) => Ok(subcommand_help(logger, SUMMARY_USAGE)),
            Err(FlagError::Bad(message)) => Err(CompatError::usage(message, SUMMARY_USAGE)),
        },
        "build" => match parse_go_flags(BUILD_FLAGS, &args[1..]) {
            Ok(flags) => build_command(&flags, logger),
            Err(FlagError::Help) => Ok(subcommand_help(logger, &build_usage())),
            Err(FlagError::Bad(message)) => Err(CompatError::usage(message, build_usage())),
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
        // A key the tables show written as the wrong type: yaml.Unmarshal's error in Go.
        Ok((_, report)) if let Some(diagnostic) = crate::cli::summary::leaves_out(&report) => {
            Err(CompatError::Failed(format!(
                "error reading dependencies from manifest: {diagnostic}"
            )))
        }
        Ok((manifest, _)) => say(&summary::go_summary(&manifest)),
        Err(e) => Err(CompatError::Failed(format!(
            "error reading dependencies from manifest: {e}{}",
            e.unreadable_fix().unwrap_or(if e.is_missing() {
                // The drop-in takes no folder: it reads the working folder's manifest.yml.
                "; run buildpack-packager in the buildpack's folder (the one holding manifest.yml)"
            } else {
                ""
            })
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

/// Go's `flag` stops at the first argument that is not a flag and the Go packager ignores the
/// rest, so `build -any-stack latest -cached` built an uncached zip without a word; bpkit does
/// the same, and says what was ignored.
fn warn_ignored(flags: &Flags, command: &str, logger: &Logger) {
    let Some(first) = flags.rest.first() else {
        return;
    };
    let ignored: Vec<String> = flags
        .rest
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    logger.warning(&format!(
        "ignored `{}`: flags end at the first argument that is not one (`{}`), or after `--`, and {command} takes no other arguments, as in the Go packager; give flags only",
        ignored.join(" "),
        first.to_string_lossy()
    ));
}

fn build_command(flags: &Flags, logger: &Logger) -> Result<u8, CompatError> {
    warn_ignored(flags, "build", logger);
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
