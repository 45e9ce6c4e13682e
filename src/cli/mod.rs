//! The toolkit CLI (`bpkit <command>`): clap definitions, one file per command, and the one
//! place where errors reach the user. stdout carries data only; narration goes to stderr.
//! [`compat`] is the other command line, the `buildpack-packager` drop-in's.

pub mod compat;
mod completions;
mod default_version_for;
mod fetch;
mod init;
mod package;
mod run;
mod selection;
mod stage;
mod summary;
mod translate_dependency_url;
mod validate;
mod verify;

use std::cell::Cell;
use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

use clap::builder::{OsStringValueParser, PossibleValue, StringValueParser, TypedValueParser};
use clap::{Parser, Subcommand};
use serde_json::{Map, Value, json};

pub use default_version_for::DefaultVersionError;

use crate::exit_code;
use crate::output::{ColorChoice, Logger, Verbosity};
use crate::phases::{self, Phase};

/// Cloud Foundry / PaaS-TA buildpacks from one manifest: phases, packager, stager.
#[derive(Debug, Parser)]
#[command(
    name = "bpkit",
    version = crate::VERSION,
    about,
    propagate_version = true
)]
pub struct Cli {
    /// Print only warnings, errors and data.
    // Global flags would otherwise be listed among each command's own flags, in the order of
    // their indexes (`--port`, `-q`, `--process`, `-v`, …): after them, next to --help, instead.
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        display_order = 1000
    )]
    pub quiet: bool,
    /// Print debug lines too (like BP_DEBUG).
    #[arg(short, long, global = true, display_order = 1001)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a manifest.yml: every error and warning at once, with file, line and fix.
    Validate(validate::Args),
    /// Run the detect phase: `bpkit detect BUILD_DIR`.
    Detect(PhaseArgs),
    /// Run the supply phase: `bpkit supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX`.
    Supply(PhaseArgs),
    /// Run the finalize phase: `bpkit finalize BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX [PROFILE_DIR]`.
    Finalize(PhaseArgs),
    /// Run the compile phase: `bpkit compile BUILD_DIR CACHE_DIR [ENV_DIR]`.
    Compile(PhaseArgs),
    /// Run the release phase: `bpkit release BUILD_DIR`.
    Release(PhaseArgs),
    /// Create a new buildpack from a template: manifest, bin/, fixture app, CI (`bpkit init NAME`).
    Init(init::Args),
    /// Print the default version of a dependency (compile-extensions compatible; no newline).
    DefaultVersionFor(default_version_for::Args),
    /// Print the download URL for a Ruby-era dependency URL (compile-extensions compatible).
    TranslateDependencyUrl(translate_dependency_url::Args),
    /// Stage an app as the platform would: bpkit stage APP -b BUILDPACK... (droplet path on stdout).
    Stage(stage::Args),
    /// Start a staged droplet as the platform's launcher would; --check PATH smoke-tests it.
    Run(run::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Print the man page (roff) on stdout.
    Man,
    /// Build a buildpack zip, cached or uncached, for one stack or any.
    #[command(disable_version_flag = true)]
    Package(package::Args),
    /// Fill the dependency cache (parallel, verified) as a cached zip would, without packaging.
    Fetch(fetch::Args),
    /// Print the dependency tables in the Go packager's markdown.
    Summary(summary::Args),
    /// Print the dependencies in the Ruby packager's table (`--list`).
    List(summary::Args),
    /// Print the default versions in the Ruby packager's table (`--defaults`).
    Defaults(summary::Args),
    /// Check a built zip: files and checksums, executable bits, stack consistency.
    Verify(verify::Args),
}

/// A phase's positional arguments, passed through untouched so the phase checks them exactly
/// as it does when called through a `bin/<phase>` symlink.
#[derive(Debug, clap::Args)]
pub struct PhaseArgs {
    /// The phase's arguments, as the platform passes them (above); the phase checks them and
    /// prints its usage line when their number is wrong.
    #[arg(
        value_name = "ARG",
        num_args = 0..,
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub args: Vec<OsString>,
}

/// What every command gets: the narration channel and the output settings.
#[derive(Debug, Clone)]
pub struct Context {
    pub logger: Logger,
    pub verbosity: Verbosity,
    /// Set by [`print_json`]: a failing `--json` command that already printed its own document
    /// (stage's, run's check result) does not get the bare failure document as a second one.
    json_printed: Cell<bool>,
}

impl Command {
    /// Whether `--json` was asked for, so that a failure prints its JSON document too.
    fn json(&self) -> bool {
        match self {
            Command::Validate(a) => a.json,
            Command::Init(a) => a.json,
            Command::DefaultVersionFor(a) => a.json,
            Command::TranslateDependencyUrl(a) => a.json,
            Command::Stage(a) => a.json,
            Command::Run(a) => a.json,
            Command::Package(a) => a.json,
            Command::Fetch(a) => a.json,
            Command::Summary(a) | Command::List(a) | Command::Defaults(a) => a.json,
            Command::Verify(a) => a.json,
            Command::Detect(_)
            | Command::Supply(_)
            | Command::Finalize(_)
            | Command::Compile(_)
            | Command::Release(_)
            | Command::Completions(_)
            | Command::Man => false,
        }
    }
}

/// An error that ends a command; printed once, as `bpkit: error: …`.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{}{}", .0, .0.command_line_fix())]
    Manifest(#[from] crate::manifest::ManifestError),
    #[error(transparent)]
    Scaffold(#[from] crate::scaffold::ScaffoldError),
    #[error(transparent)]
    DefaultVersion(#[from] DefaultVersionError),
    #[error("{}", crate::output::stdout_write_failure(.0))]
    CannotWriteOutput(io::Error),
    /// A problem with what the user asked for, already worded as a full sentence.
    #[error("{0}")]
    Usage(String),
    /// A command's own error (packaging, fetching, verifying, staging, running), ending the
    /// command with the exit code that error calls for (a `pre_package` command's own, 130
    /// after Ctrl-C).
    #[error("{source}")]
    Failed {
        source: Box<dyn std::error::Error + Send + Sync>,
        code: u8,
    },
    /// The platform builder's last line (`None of the buildpacks detected a compatible
    /// application`), shown as the platform's staging log shows it, without `bpkit: error: `.
    #[error("{message}")]
    Builder { message: String, code: u8 },
    /// `bpkit run --check` got no passing answer; the status line is already on stdout. The
    /// exit code is 1, or 130 when the check was interrupted.
    #[error("check failed: {0}")]
    CheckFailed(String, u8),
}

impl CliError {
    /// A command's own error with the exit code it ends with.
    pub fn failed(source: impl std::error::Error + Send + Sync + 'static, code: u8) -> CliError {
        CliError::Failed {
            source: Box::new(source),
            code,
        }
    }

    /// The exit code the command ends with.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Failed { code, .. }
            | CliError::Builder { code, .. }
            | CliError::CheckFailed(_, code) => *code,
            _ => exit_code::FAILURE,
        }
    }
}

/// The command line's definition: [`Cli`]'s, with every command's `--version` printing
/// `bpkit 1.2.3 (git …)` as `bpkit --version` does (clap names a command's version
/// `bpkit-run 1.2.3`, a program that does not exist).
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command().mut_subcommands(|command| command.display_name("bpkit"))
}

/// Run the toolkit with the full argument list (`argv[0]` first).
pub fn run(args: &[OsString]) -> u8 {
    use clap::FromArgMatches;
    let parsed = command()
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // Help and --version are not errors; clap prints them on stdout.
            let code = if e.use_stderr() {
                exit_code::USAGE
            } else {
                exit_code::SUCCESS
            };
            // Help and --version are data on stdout: one that cannot be written (a full disk) is
            // a failure, reported as any other, while a closed pipe only means nobody reads it.
            // A usage error that cannot be written to stderr still exits with its own code.
            if let Err(error) = e.print()
                && !e.use_stderr()
                && error.kind() != io::ErrorKind::BrokenPipe
            {
                let error = CliError::CannotWriteOutput(error);
                let mut stderr = io::stderr().lock();
                let _ = writeln!(stderr, "bpkit: error: {error}");
                return exit_code::FAILURE;
            }
            // With --json, stdout is always one document, even when the command line itself is
            // wrong; clap's own text stays on stderr for the person reading it.
            if e.use_stderr() && asks_for_json(args) {
                let document = json_document(code, Some(&usage_error(&e)), json!({}));
                let _ = print_data(&document);
            }
            return code;
        }
    };
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let logger = Logger::stderr(ColorChoice::Auto).with_verbosity(verbosity);
    let context = Context {
        logger: logger.clone(),
        verbosity,
        json_printed: Cell::new(false),
    };
    let json = cli.command.json();
    let result = match cli.command {
        Command::Validate(args) => validate::run(&args, &context),
        Command::Detect(a) => Ok(phases::run_from_args(Phase::Detect, &a.args, verbosity)),
        Command::Supply(a) => Ok(phases::run_from_args(Phase::Supply, &a.args, verbosity)),
        Command::Finalize(a) => Ok(phases::run_from_args(Phase::Finalize, &a.args, verbosity)),
        Command::Compile(a) => Ok(phases::run_from_args(Phase::Compile, &a.args, verbosity)),
        Command::Release(a) => Ok(phases::run_from_args(Phase::Release, &a.args, verbosity)),
        Command::Init(args) => init::run(&args, &context),
        Command::DefaultVersionFor(args) => default_version_for::run(&args, &context),
        Command::TranslateDependencyUrl(args) => translate_dependency_url::run(&args, &context),
        Command::Stage(args) => stage::run(&args, &context),
        Command::Run(args) => run::run(&args, &context),
        Command::Completions(args) => completions::run_completions(&args),
        Command::Man => completions::run_man(),
        Command::Package(args) => package::run(&args, &context),
        Command::Fetch(args) => fetch::run(&args, &context),
        Command::Summary(args) => summary::run(&args, summary::Table::Summary, &context),
        Command::List(args) => summary::run(&args, summary::Table::List, &context),
        Command::Defaults(args) => summary::run(&args, summary::Table::Defaults, &context),
        Command::Verify(args) => verify::run(&args, &context),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report_error(&e, &logger);
            let code = e.exit_code();
            // `bpkit … --json | jq` must get a document to read, failure or not; a stdout that
            // cannot be written to has already said so.
            if json && !context.json_printed.get() && !matches!(e, CliError::CannotWriteOutput(_)) {
                let message = crate::output::error_chain(&e);
                if let Err(e) = print_json(&context, code, Some(&message), json!({})) {
                    report_error(&e, &logger);
                }
            }
            code
        }
    }
}

/// Print an error, the one place the toolkit does: its cause chain joined by `: ` on one line
/// after `bpkit: error: ` (multi-line messages, such as a list of manifest errors, keep their
/// lines), or the builder's last line as it is.
fn report_error(error: &CliError, logger: &Logger) {
    if let CliError::Builder { message, .. } = error {
        logger.raw(&format!("{message}\n"));
        return;
    }
    let text = crate::output::error_chain(error);
    let mut stderr = io::stderr().lock();
    for line in text.lines() {
        let _ = writeln!(stderr, "bpkit: error: {line}");
    }
}

/// Print a `--json` document: `success`, `exit_code` and `error` (the one-line message that
/// says why the command failed, `null` when it did not) first, as every command's document
/// starts, then the command's own keys from the object `data`. Where the same key is in `data`,
/// the first three's values win.
fn print_json(
    context: &Context,
    code: u8,
    error: Option<&str>,
    data: Value,
) -> Result<(), CliError> {
    context.json_printed.set(true);
    print_data(&json_document(code, error, data))
}

/// The text of a `--json` document (see [`print_json`]), pretty-printed, with a newline.
fn json_document(code: u8, error: Option<&str>, data: Value) -> String {
    let mut document = Map::new();
    document.insert("success".into(), Value::Bool(code == exit_code::SUCCESS));
    document.insert("exit_code".into(), Value::from(code));
    document.insert("error".into(), error.map_or(Value::Null, Value::from));
    if let Value::Object(data) = data {
        for (key, value) in data {
            document.entry(key).or_insert(value);
        }
    }
    format!("{:#}\n", Value::Object(document))
}

/// True when the raw arguments ask for `--json` (before any `--`, after which arguments are
/// values), read without clap since this is for when clap could not parse them.
fn asks_for_json(args: &[OsString]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|arg| *arg != "--")
        .any(|arg| arg == "--json")
}

/// clap's reason for a usage error on one line: the first line of its message without the
/// `error: ` prefix, with the indented lines right under it that finish it (the missing
/// arguments after "were not provided:", the possible values). What follows the first blank
/// line (tips, usage, a pointer to --help) is for a person reading stderr.
fn usage_error(error: &clap::Error) -> String {
    let text = error.render().to_string();
    let mut lines = text.lines().skip_while(|line| line.trim().is_empty());
    let first = lines.next().unwrap_or_default();
    let mut message = first
        .strip_prefix("error: ")
        .unwrap_or(first)
        .trim()
        .to_string();
    for more in lines.take_while(|line| line.starts_with(' ') && !line.trim().is_empty()) {
        message.push(' ');
        message.push_str(more.trim());
    }
    message
}

/// A timeout in whole seconds, at least 1: `0` would fail every staging or check at once, which
/// no one asks for (clap's range check said `0 is not in 1..18446744073709551615`).
fn parse_timeout_secs(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("a timeout of 0 s ends at once; give at least 1 second, such as 60".into()),
        Ok(secs) => Ok(secs),
        Err(_) => Err("expected a whole number of seconds, such as 60".into()),
    }
}

/// The most `--memory` takes, in MB (1 TB).
const MAX_MEMORY_MB: u64 = 1_048_576;

/// A `--memory` value (`stage`, `run`) in MB: a number of megabytes (`1024`), or a size with a
/// unit as `cf push -m` and the manifest's `memory:` write it (`512M`, `1G`, `1GB`, `1T`; any
/// case). `--memory 1G` said `invalid digit found in string`.
fn parse_memory_mb(text: &str) -> Result<u64, String> {
    const EXPECTED: &str = "expected megabytes, such as 1024, or a size with a unit as `cf push -m` takes it (512M, 1G)";
    let upper = text.trim().to_ascii_uppercase();
    let number = upper.strip_suffix('B').unwrap_or(&upper);
    let (digits, factor) = if let Some(digits) = number.strip_suffix('T') {
        (digits, 1024 * 1024)
    } else if let Some(digits) = number.strip_suffix('G') {
        (digits, 1024)
    } else if let Some(digits) = number.strip_suffix('M') {
        (digits, 1)
    } else if number.len() == upper.len() {
        (number, 1)
    } else {
        // `512B` (bytes), `512KB`: less than the megabytes the limit is counted in.
        return Err(EXPECTED.into());
    };
    let value: u64 = digits.trim().parse().map_err(|_| EXPECTED.to_string())?;
    match value.checked_mul(factor) {
        Some(0) => Err("a memory limit of 0 leaves the app nothing; give at least 1 MB".into()),
        Some(mb) if mb <= MAX_MEMORY_MB => Ok(mb),
        _ => Err(format!(
            "{text} is more than the {MAX_MEMORY_MB} MB (1T) this takes"
        )),
    }
}

/// A `--stack` value (`stage`, `package`, `fetch`): a stack name as the platform has them
/// (`cflinuxfs4`). An empty `CF_STACK` would stage for no stack at all, and one with `/` or
/// spaces is no stack's name; the packager's rule for a stack in a zip's name is the same. An
/// empty one (`--stack ''`, a script's unset variable) is a usage error naming the flag, where
/// `fetch` said no dependency was for stack `` and `package` named no flag.
fn parse_stack(text: &str) -> Result<String, String> {
    match crate::packager::name::name_part_problem(text) {
        None => Ok(text.to_string()),
        Some(problem) => Err(format!("{problem}; give a stack name such as cflinuxfs4")),
    }
}

/// What a flag's value that is not UTF-8 is told, in the words the `buildpack-packager`
/// drop-in uses for it (compat/go_flags.rs).
const NOT_UTF8: &str = "not valid UTF-8; only a path may be other bytes";

/// A flag's value parser that first refuses a value that is not UTF-8 naming the flag
/// (`invalid value '\u{FFFD}=x' for '--env <KEY=VALUE>': not valid UTF-8; …`), as clap names
/// it for any other invalid value, then hands the text to `P`. clap's own check said only
/// `invalid UTF-8 was detected in one or more arguments`, naming neither the flag nor the fix.
#[derive(Clone)]
struct Utf8<P>(P);

/// [`Utf8`] around `parser`: a typed parser (`value_parser!(u16).range(…)`) or a function of
/// `&str` ([`parse_stack`]).
fn utf8<P: TypedValueParser>(parser: P) -> Utf8<P> {
    Utf8(parser)
}

/// [`Utf8`] for a plain text value.
fn text() -> Utf8<StringValueParser> {
    Utf8(StringValueParser::new())
}

impl<P: TypedValueParser> TypedValueParser for Utf8<P> {
    type Value = P::Value;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Self::Value, clap::Error> {
        if value.to_str().is_none() {
            // The error clap writes for a value a parser refused, with the flag and the value
            // (lossily) in it, and NOT_UTF8 as the reason.
            OsStringValueParser::new()
                .try_map(|_| Err::<(), _>(NOT_UTF8))
                .parse_ref(cmd, arg, value)?;
        }
        self.0.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        self.0.possible_values()
    }
}

/// Why a `--json` document cannot name `path` (the folder a command writes into, named by
/// `what`), when its path is not UTF-8, which JSON strings are: said before the command does
/// anything, as `bpkit init` says it, where the document showed a changed path (U+FFFD for
/// its bytes) that names no file. `fix` says how to choose another folder.
fn json_cannot_name(what: &str, path: &std::path::Path, fix: &str) -> Option<CliError> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    json_cannot_hold(what, &absolute, fix)
}

/// [`json_cannot_name`] for a path the document shows as it was given (the file `verify` or
/// `validate` reads): only that path must be UTF-8, not the folder it is relative to.
fn json_cannot_hold(what: &str, path: &std::path::Path, fix: &str) -> Option<CliError> {
    path.to_str().is_none().then(|| {
        CliError::Usage(format!(
            "{what} {} is not valid UTF-8, which a --json document cannot hold; {fix}, or leave out --json, which prints paths as they are",
            path.display()
        ))
    })
}

/// `1 error`, `2 errors`: the counts in summary lines, worded the same by every command.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Write data to stdout. A closed pipe (`bpkit … | head`) only means nobody reads the rest, so
/// it is not an error: the command goes on and still ends with its own verdict (an invalid
/// manifest exits 1 whether or not its findings were read). Any other write error is one.
pub fn print_data(text: &str) -> Result<(), CliError> {
    print_bytes(text.as_bytes())
}

/// [`print_data`] for data that may not be UTF-8: paths, printed as they are, so a script gets
/// the file's own name (a lossy `display()` put U+FFFD where its bytes were).
pub fn print_bytes(data: &[u8]) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(data).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(CliError::CannotWriteOutput(e)),
        _ => Ok(()),
    }
}

/// Paths on stdout, one per line, byte for byte ([`print_bytes`]).
pub fn print_path_lines<'p>(paths: impl IntoIterator<Item = &'p Path>) -> Result<(), CliError> {
    let mut lines = Vec::new();
    for path in paths {
        lines.extend_from_slice(path.as_os_str().as_bytes());
        lines.push(b'\n');
    }
    print_bytes(&lines)
}

/// Where a command reads the manifest: `DIR/manifest.yml`, or `--manifest PATH`.
#[derive(Debug, clap::Args)]
pub struct ManifestLocation {
    /// The buildpack folder holding manifest.yml.
    #[arg(default_value = ".", conflicts_with = "manifest")]
    pub dir: PathBuf,
    /// A manifest file to read instead of DIR/manifest.yml.
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
}

impl ManifestLocation {
    /// The manifest file this names.
    pub fn path(&self) -> PathBuf {
        self.manifest
            .clone()
            .unwrap_or_else(|| self.dir.join("manifest.yml"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use std::os::unix::ffi::OsStringExt;

    /// Every value of every command, a flag's or a positional's, that is not UTF-8 either is
    /// taken (a path) or is refused naming its flag (`invalid value '…' for '--env
    /// <KEY=VALUE>': not valid UTF-8; …`), never with clap's `invalid UTF-8 was detected in
    /// one or more arguments`, which named neither. A flag added later without [`text`] or
    /// [`utf8`] fails here.
    #[test]
    fn a_value_that_is_not_utf8_is_refused_naming_its_flag() {
        let not_utf8 = OsString::from_vec(b"x\xff".to_vec());
        let mut cli = Cli::command();
        cli.build();
        let mut checked = 0;
        for command in cli.get_subcommands() {
            let positionals: Vec<&clap::Arg> = command
                .get_positionals()
                .filter(|a| a.get_action().takes_values())
                .collect();
            for arg in command.get_arguments() {
                if !arg.get_action().takes_values() {
                    continue;
                }
                let mut args = vec![OsString::from("bpkit"), command.get_name().into()];
                if let Some(long) = arg.get_long() {
                    args.push(format!("--{long}").into());
                } else if let Some(short) = arg.get_short() {
                    args.push(format!("-{short}").into());
                } else {
                    // A positional: the ones before it get a plain value.
                    let before = positionals
                        .iter()
                        .take_while(|p| p.get_id() != arg.get_id())
                        .count();
                    args.extend(std::iter::repeat_n(OsString::from("x"), before));
                }
                args.push(not_utf8.clone());
                checked += 1;
                let Err(error) = Cli::try_parse_from(&args) else {
                    continue;
                };
                let shown = arg.to_string();
                let text = error.to_string();
                assert_ne!(
                    error.kind(),
                    clap::error::ErrorKind::InvalidUtf8,
                    "{args:?}: {text}"
                );
                if text.contains(NOT_UTF8) {
                    assert!(
                        text.starts_with(&format!(
                            "error: invalid value 'x\u{FFFD}' for '{shown}': {NOT_UTF8}\n"
                        )),
                        "{args:?}: {text}"
                    );
                }
            }
        }
        assert!(checked > 30, "{checked}");
    }

    #[test]
    fn a_usage_error_is_its_first_line_and_the_indented_lines_that_finish_it() {
        let Err(error) = Cli::try_parse_from(["bpkit", "init", "demo", "--from", "nope"]) else {
            panic!("--from nope was taken");
        };
        assert_eq!(
            usage_error(&error),
            "invalid value 'nope' for '--from <TEMPLATE>' [possible values: generic, static, ruby]"
        );
        // A line that is not indented is not part of the reason, even with no blank line
        // before it.
        let error = clap::Error::raw(
            clap::error::ErrorKind::ValueValidation,
            "bad value\n  finished here\nUsage: bpkit\n",
        );
        assert_eq!(usage_error(&error), "bad value finished here");
    }

    /// The wrapper only adds the UTF-8 check: the help and completions still list the values
    /// of a parser that has them.
    #[test]
    fn the_utf8_wrapper_keeps_the_possible_values() {
        let wrapped = utf8(clap::builder::PossibleValuesParser::new(["bash", "zsh"]));
        let names: Vec<String> = wrapped
            .possible_values()
            .unwrap()
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(names, ["bash", "zsh"]);
    }

    #[test]
    fn timeouts_are_whole_seconds_from_one() {
        assert_eq!(parse_timeout_secs("60"), Ok(60));
        assert_eq!(parse_timeout_secs("1"), Ok(1));
        assert_eq!(
            parse_timeout_secs("0").unwrap_err(),
            "a timeout of 0 s ends at once; give at least 1 second, such as 60"
        );
        assert_eq!(
            parse_timeout_secs("1m").unwrap_err(),
            "expected a whole number of seconds, such as 60"
        );
    }

    #[test]
    fn memory_is_megabytes_or_a_size_with_a_unit() {
        for (text, mb) in [
            ("1024", 1024),
            (" 256 ", 256),
            ("512M", 512),
            ("512mb", 512),
            ("1G", 1024),
            ("2gb", 2048),
            ("1 G", 1024),
            ("1T", MAX_MEMORY_MB),
            ("1048576", MAX_MEMORY_MB),
        ] {
            assert_eq!(parse_memory_mb(text), Ok(mb), "{text}");
        }
        let expected = "expected megabytes, such as 1024, or a size with a unit as `cf push -m` takes it (512M, 1G)";
        for text in ["512K", "512KB", "512B", "lots", "", "-1G"] {
            assert_eq!(parse_memory_mb(text).unwrap_err(), expected, "{text}");
        }
        for text in ["0", "0G"] {
            assert_eq!(
                parse_memory_mb(text).unwrap_err(),
                "a memory limit of 0 leaves the app nothing; give at least 1 MB",
                "{text}"
            );
        }
        for text in ["1048577", "2T", "18446744073709551615T"] {
            assert_eq!(
                parse_memory_mb(text).unwrap_err(),
                format!("{text} is more than the 1048576 MB (1T) this takes")
            );
        }
    }
}
