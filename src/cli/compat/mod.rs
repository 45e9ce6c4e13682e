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
//!
//! Files: `go` (the Go packager's subcommands: `build`, `summary`, `help`, `flags`,
//! `commands`), `go_flags` (Go's `flag` parsing), `ruby` (the gem's OptionParser command line),
//! `build` (packaging with Go's stack rule, and its success line), `usage` (the usage texts).

mod build;
mod go;
mod go_flags;
mod ruby;
mod usage;

use std::ffi::OsString;

use super::print_bytes;
use crate::exit_code;
use crate::output::{ColorChoice, Logger, error_chain};
use go::run_go;
use ruby::{complete_ruby_option, run_ruby};

/// Why a drop-in run did not succeed, worded as the Go packager (or the Ruby gem) words it.
/// Printed once, by [`run`].
#[derive(Debug, thiserror::Error)]
enum CompatError {
    /// A wrong command line: Go `flag`'s message, then the usage text (exit 2).
    #[error("{message}")]
    Usage { message: String, usage: String },
    /// A wrong command line of the gem's: OptionParser's message (`invalid option: --x`),
    /// then the gem's help, and exit 1, as the gem's uncaught `OptionParser::ParseError` ends
    /// Ruby (its backtrace line is not reproduced).
    #[error("{0}")]
    RubyUsage(String),
    /// A failure, printed after `buildpack-packager: ` (exit 1).
    #[error("{0}")]
    Failed(String),
    /// A failure Go's `subcommands` reports itself, printed as it is, with no prefix (exit 1):
    /// its `flags` prints `Subcommand X not understood` with `fmt.Fprintf`, not `log.Printf`.
    #[error("{0}")]
    FailedPlain(String),
    /// Ctrl-C, SIGTERM or SIGHUP stopped the build, which cleaned up: printed the same way,
    /// exit 130 (the Go packager has no handler, so a shell reports 130 for its Ctrl-C too).
    #[error("{0}")]
    Interrupted(String),
    /// stdout could not be written (not a closed pipe, which only ends the printing).
    #[error(transparent)]
    CannotWriteOutput(#[from] super::CliError),
}

impl CompatError {
    fn usage(message: impl Into<String>, usage: impl Into<String>) -> CompatError {
        CompatError::Usage {
            message: message.into(),
            usage: usage.into(),
        }
    }
}

/// Run as `buildpack-packager` with the arguments after `argv[0]`; returns the exit code.
pub fn run(args: &[OsString]) -> u8 {
    let logger = Logger::stderr(ColorChoice::Auto);
    // The gem's own options (not bpkit's `--stack`/`--any-stack`, nor `--help`): any of them
    // makes a command line the gem's, so `--force-download` alone gets the gem's answer (its
    // help, exit 1), not Go's "flag provided but not defined" (exit 2).
    let gem_options = ["cached", "uncached", "list", "defaults", "force-download"];
    let ruby = is_positional_mode(args.first())
        || args.iter().any(|a| {
            let Some(given) = a.to_str().and_then(|a| a.strip_prefix("--")) else {
                return false;
            };
            let name = given.split('=').next().unwrap_or_default();
            matches!(
                complete_ruby_option(name),
                Ok(Some(option)) if gem_options.contains(&option) || option == "use-custom-manifest"
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
                logger.raw(&usage);
            } else {
                logger.raw(&format!("{message}\n{usage}"));
            }
            exit_code::USAGE
        }
        Err(CompatError::RubyUsage(message)) => {
            logger.raw(&format!("{message}\n{}", usage::RUBY_USAGE));
            exit_code::FAILURE
        }
        Err(CompatError::FailedPlain(message)) => {
            logger.raw(&format!("{message}\n"));
            exit_code::FAILURE
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
    say_bytes(text.as_bytes())
}

/// [`say`] for a line holding a path, which need not be UTF-8.
fn say_bytes(data: &[u8]) -> Result<u8, CompatError> {
    print_bytes(data)?;
    Ok(exit_code::SUCCESS)
}
