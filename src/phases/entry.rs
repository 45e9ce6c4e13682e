//! The phase entry points: from raw arguments ([`run_from_args`]), from an [`Invocation`] in
//! this process's environment ([`run`]) or with a given [`Context`] ([`run_with`],
//! [`execute`]); each prints its error once and returns the exit code.

use std::ffi::OsString;
use std::io::Write;

use crate::output::{ColorChoice, Logger, Verbosity};

use super::arguments::{StagingDirs, absolute, check_arguments};
use super::context::{Context, Purpose};
use super::{
    Invocation, Phase, PhaseError, compile, detect, error_chain, exit, finalize, release, supply,
};

/// Run a phase from its raw arguments (argv[1..]); a wrong count prints the usage line.
/// `verbosity` is `bpkit -q`/`-v`'s for `bpkit <phase>`; the platform's `bin/<phase>` takes no
/// flags and runs at [`Verbosity::Normal`], where only `BP_DEBUG` turns on `DEBUG:` lines.
pub fn run_from_args(phase: Phase, args: &[OsString], verbosity: Verbosity) -> u8 {
    let Some(invocation) = Invocation::parse(phase, args) else {
        // Through the logger like every other line on stderr (never coloured, never quietened),
        // which ignores a stderr that cannot be written (`2>/dev/full`), as `eprintln!` does
        // not: the usage error's exit code says what went wrong even when its line is lost.
        Logger::stderr(ColorChoice::Never).raw(&format!("{}\n", phase.usage()));
        return crate::dispatch::USAGE_EXIT;
    };
    run(&invocation, verbosity)
}

/// Run a phase in this process's environment, narrating on stderr at `verbosity`; returns the
/// exit code.
pub fn run(invocation: &Invocation, verbosity: Verbosity) -> u8 {
    let logger = Logger::stderr(ColorChoice::Always).with_verbosity(verbosity);
    let mut context = Context::from_process(logger);
    run_with(invocation, &mut context)
}

/// Run a phase with an explicit context (tests, the stager), returning the exit code. Errors
/// are printed once through the context's logger; data (detect's name, release's YAML) goes to
/// stdout.
pub fn run_with(invocation: &Invocation, context: &mut Context) -> u8 {
    match execute(invocation, context, &mut std::io::stdout()) {
        Ok(code) => code,
        Err(PhaseError::CannotWriteOutput(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            exit::SUCCESS
        }
        Err(error) => {
            context.logger.error(&error_chain(&error));
            error.exit_code()
        }
    }
}

/// Run a phase, writing its data to `stdout`; the exit code on success (detect's no-match is 1).
pub fn execute(
    invocation: &Invocation,
    context: &mut Context,
    stdout: &mut dyn Write,
) -> Result<u8, PhaseError> {
    let print = |stdout: &mut dyn Write, text: &str| {
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(PhaseError::CannotWriteOutput)
    };
    context.logger.debug(&format!(
        "bpkit {} {}: buildpack {}, stack {}",
        invocation.phase().name(),
        env!("CARGO_PKG_VERSION"),
        context.buildpack_dir.display(),
        context
            .stack()
            .as_deref()
            .unwrap_or("(CF_STACK and STACK unset)")
    ));
    check_arguments(invocation)?;
    match invocation {
        Invocation::Detect { build_dir } => {
            let manifest = context.load_manifest(Purpose::Detect)?;
            let Some(rules) = &manifest.detect else {
                context
                    .logger
                    .debug("manifest.yml has no `detect:` rules, so this buildpack never detects");
                return Ok(exit::FAILURE);
            };
            if !detect::matches(&rules.rule, build_dir, "detect")? {
                // Why, for an author debugging the rules; looked at again only then, so a
                // detect that answers no stays one `stat` per rule.
                if context.logger.is_debug() {
                    for line in detect::explain(&rules.rule, build_dir, "detect")? {
                        context.logger.debug(&line);
                    }
                }
                return Ok(exit::FAILURE);
            }
            // A blank `name:` is none (validate warns about it): printed, it was an empty line,
            // and the platform showed the app staged by a buildpack of no name.
            let name = rules
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .or_else(|| manifest.language.clone())
                .unwrap_or_default();
            print(stdout, &format!("{}\n", name.trim_end()))?;
            Ok(exit::SUCCESS)
        }
        Invocation::Supply {
            build_dir,
            cache_dir,
            deps_dir,
            deps_idx,
        } => {
            let dirs = StagingDirs::from_arguments(build_dir, cache_dir, deps_dir, deps_idx, None);
            supply::run(context, &dirs)?;
            Ok(exit::SUCCESS)
        }
        Invocation::Finalize {
            build_dir,
            cache_dir,
            deps_dir,
            deps_idx,
            profile_dir,
        } => {
            let dirs = StagingDirs::from_arguments(
                build_dir,
                cache_dir,
                deps_dir,
                deps_idx,
                profile_dir.as_deref(),
            );
            finalize::run(context, &dirs)?;
            Ok(exit::SUCCESS)
        }
        Invocation::Compile {
            build_dir,
            cache_dir,
            env_dir,
        } => {
            compile::run(
                context,
                &absolute(build_dir),
                &absolute(cache_dir),
                env_dir.as_deref(),
            )?;
            Ok(exit::SUCCESS)
        }
        Invocation::Release { build_dir: _ } => {
            let manifest = context.load_manifest(Purpose::Release)?;
            print(stdout, &release::document(&manifest))?;
            Ok(exit::SUCCESS)
        }
    }
}
