//! The buildpack phases the platform runs: `detect`, `supply`, `finalize`, `compile`,
//! `release`, with the platform's exact positional arguments (phases.md), driven by the
//! buildpack's `manifest.yml` (manifest.md, "bpkit's declarative buildpack keys").
//!
//! - [`context`]: buildpack dir, manifest, VERSION, stack, environment; the checks every
//!   staging phase starts with.
//! - [`detect`]: the `detect:` rules. [`release`]: the `release:` YAML.
//! - [`choose`]: which version to install, and libbuildpack's version warnings.
//! - [`install`]: fetch (`file:` → app cache → download), verify, extract; app-cache cleanup.
//! - `supply`, `finalize`, `compile`: the staging phases, built from [`staging_env`],
//!   [`build_commands`], [`profile`] and [`template`] (manifest values for staging and launch).
//! - [`files`], [`yaml_out`]: atomic writes, small YAML documents.

pub mod build_commands;
pub mod choose;
mod compile;
pub mod context;
pub mod detect;
pub mod files;
mod finalize;
pub mod install;
pub mod profile;
pub mod release;
pub mod staging_env;
mod supply;
pub mod template;
pub mod yaml_out;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::output::{ColorChoice, Logger, Verbosity};

pub use context::{Context, ContextError, Env, Purpose};

/// A phase of the buildpack contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Detect,
    Supply,
    Finalize,
    Compile,
    Release,
}

impl Phase {
    pub const ALL: [Phase; 5] = [
        Phase::Detect,
        Phase::Supply,
        Phase::Finalize,
        Phase::Compile,
        Phase::Release,
    ];

    pub fn from_name(name: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Phase::Detect => "detect",
            Phase::Supply => "supply",
            Phase::Finalize => "finalize",
            Phase::Compile => "compile",
            Phase::Release => "release",
        }
    }

    /// The one-line usage printed on a wrong argument count.
    pub fn usage(self) -> &'static str {
        match self {
            Phase::Detect => "Usage: detect BUILD_DIR",
            Phase::Supply => "Usage: supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX",
            Phase::Finalize => {
                "Usage: finalize BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX [PROFILE_DIR]"
            }
            Phase::Compile => "Usage: compile BUILD_DIR CACHE_DIR [ENV_DIR]",
            Phase::Release => "Usage: release BUILD_DIR",
        }
    }
}

/// A phase with its arguments, checked for count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    Detect {
        build_dir: PathBuf,
    },
    Supply {
        build_dir: PathBuf,
        cache_dir: PathBuf,
        deps_dir: PathBuf,
        deps_idx: String,
    },
    /// The platform passes PROFILE_DIR as a fifth argument (its docs say four); without it the
    /// profile scripts go to `BUILD_DIR/.profile.d`.
    Finalize {
        build_dir: PathBuf,
        cache_dir: PathBuf,
        deps_dir: PathBuf,
        deps_idx: String,
        profile_dir: Option<PathBuf>,
    },
    /// Two arguments on Cloud Foundry, three (ENV_DIR) on Heroku.
    Compile {
        build_dir: PathBuf,
        cache_dir: PathBuf,
        env_dir: Option<PathBuf>,
    },
    Release {
        build_dir: PathBuf,
    },
}

impl Invocation {
    /// The phase this invocation runs.
    pub fn phase(&self) -> Phase {
        match self {
            Invocation::Detect { .. } => Phase::Detect,
            Invocation::Supply { .. } => Phase::Supply,
            Invocation::Finalize { .. } => Phase::Finalize,
            Invocation::Compile { .. } => Phase::Compile,
            Invocation::Release { .. } => Phase::Release,
        }
    }

    /// Match the positional arguments to the phase's contract.
    pub fn parse(phase: Phase, args: &[OsString]) -> Option<Invocation> {
        let p = |a: &OsString| PathBuf::from(a);
        let s = |a: &OsString| a.to_string_lossy().into_owned();
        Some(match (phase, args) {
            (Phase::Detect, [build]) => Invocation::Detect {
                build_dir: p(build),
            },
            (Phase::Supply, [build, cache, deps, idx]) => Invocation::Supply {
                build_dir: p(build),
                cache_dir: p(cache),
                deps_dir: p(deps),
                deps_idx: s(idx),
            },
            (Phase::Finalize, [build, cache, deps, idx]) => Invocation::Finalize {
                build_dir: p(build),
                cache_dir: p(cache),
                deps_dir: p(deps),
                deps_idx: s(idx),
                profile_dir: None,
            },
            (Phase::Finalize, [build, cache, deps, idx, profile]) => Invocation::Finalize {
                build_dir: p(build),
                cache_dir: p(cache),
                deps_dir: p(deps),
                deps_idx: s(idx),
                profile_dir: Some(p(profile)),
            },
            (Phase::Compile, [build, cache]) => Invocation::Compile {
                build_dir: p(build),
                cache_dir: p(cache),
                env_dir: None,
            },
            (Phase::Compile, [build, cache, env]) => Invocation::Compile {
                build_dir: p(build),
                cache_dir: p(cache),
                env_dir: Some(p(env)),
            },
            (Phase::Release, [build]) => Invocation::Release {
                build_dir: p(build),
            },
            _ => return None,
        })
    }
}

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

/// Exit codes of the phases, one per cause, numbered as libbuildpack-based buildpacks number
/// the same causes where they have one (10 manifest, 11 invalid buildpack, 14 supply, 19 cache).
pub mod exit {
    /// Success.
    pub const SUCCESS: u8 = 0;
    /// Usage error, or detect found no match.
    pub const FAILURE: u8 = 1;
    /// The manifest cannot be loaded or is invalid.
    pub const MANIFEST: u8 = 10;
    /// The buildpack cannot run here: no VERSION, unsupported stack.
    pub const BUILDPACK_INVALID: u8 = 11;
    /// A `build:` command failed.
    pub const BUILD_FAILED: u8 = 12;
    /// The staging environment could not be set up (deps folders, ENV_DIR).
    pub const ENVIRONMENT: u8 = 13;
    /// A dependency could not be chosen, fetched, verified or installed.
    pub const INSTALL_FAILED: u8 = 14;
    /// A file the phase writes could not be written.
    pub const WRITE_FAILED: u8 = 15;
    /// The app cache could not be cleaned up.
    pub const CACHE_CLEANUP: u8 = 19;
}

/// Any reason a phase failed. Printed once, as `**ERROR** <message>: <causes>`.
#[derive(Debug, thiserror::Error)]
pub enum PhaseError {
    #[error(transparent)]
    Context(#[from] ContextError),
    #[error(transparent)]
    Detect(#[from] detect::DetectError),
    #[error(transparent)]
    Choose(#[from] choose::ChooseError),
    #[error(transparent)]
    Install(#[from] install::InstallError),
    #[error(transparent)]
    Supply(#[from] supply::SupplyError),
    #[error(transparent)]
    Template(#[from] template::TemplateError),
    #[error(transparent)]
    Build(#[from] build_commands::BuildError),
    #[error(transparent)]
    File(#[from] files::FileError),
    #[error("{}", crate::output::stdout_write_failure(.0))]
    CannotWriteOutput(std::io::Error),
    /// An argument the platform would never pass (a person running a phase by hand might).
    #[error("{name} `{value}` {problem}; {fix}")]
    BadArgument {
        name: &'static str,
        value: String,
        problem: &'static str,
        fix: &'static str,
    },
    /// A folder argument that is empty (an unset variable in a hand-written call).
    #[error(
        "{name} is an empty argument; pass the folder's path (a phase never falls back to the working directory)"
    )]
    EmptyArgument { name: &'static str },
}

impl PhaseError {
    /// The exit code for this cause.
    pub fn exit_code(&self) -> u8 {
        match self {
            PhaseError::Context(
                ContextError::CannotLoadManifest { .. } | ContextError::InvalidManifest { .. },
            )
            | PhaseError::Detect(_)
            | PhaseError::Template(_) => exit::MANIFEST,
            PhaseError::Context(
                ContextError::CannotReadVersion { .. }
                | ContextError::UnsupportedStack { .. }
                | ContextError::NoStack { .. },
            ) => exit::BUILDPACK_INVALID,
            PhaseError::Context(ContextError::CannotReadEnvDir { .. }) => exit::ENVIRONMENT,
            PhaseError::Install(install::InstallError::CannotCleanCache { .. }) => {
                exit::CACHE_CLEANUP
            }
            PhaseError::Choose(_) | PhaseError::Install(_) | PhaseError::Supply(_) => {
                exit::INSTALL_FAILED
            }
            PhaseError::Build(_) => exit::BUILD_FAILED,
            PhaseError::Context(ContextError::File(_))
            | PhaseError::File(_)
            | PhaseError::CannotWriteOutput(_) => exit::WRITE_FAILED,
            PhaseError::BadArgument { .. } | PhaseError::EmptyArgument { .. } => exit::FAILURE,
        }
    }
}

/// The folders of one staging phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagingDirs {
    pub build_dir: PathBuf,
    pub cache_dir: PathBuf,
    pub deps_dir: PathBuf,
    pub deps_idx: String,
    /// finalize's PROFILE_DIR (`BUILD_DIR/.profile.d` when the platform passes none).
    pub profile_dir: PathBuf,
}

impl StagingDirs {
    /// `DEPS_DIR/DEPS_IDX`: this buildpack's own deps folder.
    pub fn dep_dir(&self) -> PathBuf {
        self.deps_dir.join(&self.deps_idx)
    }
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
                return Ok(exit::FAILURE);
            }
            let name = rules
                .name
                .clone()
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
            let dirs = StagingDirs {
                build_dir: absolute(build_dir),
                cache_dir: absolute(cache_dir),
                deps_dir: absolute(deps_dir),
                deps_idx: deps_idx.clone(),
                profile_dir: absolute(build_dir).join(".profile.d"),
            };
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
            let dirs = StagingDirs {
                build_dir: absolute(build_dir),
                cache_dir: absolute(cache_dir),
                deps_dir: absolute(deps_dir),
                deps_idx: deps_idx.clone(),
                profile_dir: profile_dir
                    .as_deref()
                    .map_or_else(|| absolute(build_dir).join(".profile.d"), absolute),
            };
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

/// Refuse what the platform never passes, before anything is written: a BUILD_DIR that is not
/// an existing folder (later steps would fail with a misleading cause, such as "cannot start
/// bash" for a build command run in it), and a DEPS_IDX that is not a number (it is joined to
/// DEPS_DIR, so `../x` would write outside it).
fn check_arguments(invocation: &Invocation) -> Result<(), PhaseError> {
    let (build_dir, deps_idx) = match invocation {
        Invocation::Detect { build_dir }
        | Invocation::Release { build_dir }
        | Invocation::Compile { build_dir, .. } => (build_dir, None),
        Invocation::Supply {
            build_dir,
            deps_idx,
            ..
        }
        | Invocation::Finalize {
            build_dir,
            deps_idx,
            ..
        } => (build_dir, Some(deps_idx)),
    };
    if !build_dir.is_dir() {
        return Err(PhaseError::BadArgument {
            name: "BUILD_DIR",
            value: build_dir.display().to_string(),
            problem: if build_dir.exists() {
                "is not a folder"
            } else {
                "does not exist"
            },
            fix: "pass the app's folder (the platform creates it before staging)",
        });
    }
    // An empty path would be resolved against the working directory, which the platform
    // leaves unspecified (phases.md): a hand-run `bin/supply "$BUILD" "$CACHE" "$DEPS" 0` with
    // one variable unset would write the cache, the deps or the launch scripts there.
    let folders: Vec<(&'static str, &Path)> = match invocation {
        Invocation::Detect { .. } | Invocation::Release { .. } => Vec::new(),
        Invocation::Supply {
            cache_dir,
            deps_dir,
            ..
        } => vec![("CACHE_DIR", cache_dir), ("DEPS_DIR", deps_dir)],
        Invocation::Finalize {
            cache_dir,
            deps_dir,
            profile_dir,
            ..
        } => {
            let mut list = vec![("CACHE_DIR", cache_dir.as_path()), ("DEPS_DIR", deps_dir)];
            list.extend(profile_dir.as_deref().map(|p| ("PROFILE_DIR", p)));
            list
        }
        Invocation::Compile {
            cache_dir, env_dir, ..
        } => {
            let mut list = vec![("CACHE_DIR", cache_dir.as_path())];
            list.extend(env_dir.as_deref().map(|p| ("ENV_DIR", p)));
            list
        }
    };
    if let Some((name, _)) = folders.into_iter().find(|(_, p)| p.as_os_str().is_empty()) {
        return Err(PhaseError::EmptyArgument { name });
    }
    // The staging phases write BUILD_DIR (as `$HOME`) and DEPS_DIR into `env/` files and the
    // build's environment as text: a path that is not UTF-8 would be written with U+FFFD in
    // place of its odd bytes, naming a folder that does not exist.
    let text_paths: Vec<(&'static str, &Path)> = match invocation {
        Invocation::Detect { .. } | Invocation::Release { .. } => Vec::new(),
        Invocation::Compile { build_dir, .. } => vec![("BUILD_DIR", build_dir)],
        Invocation::Supply {
            build_dir,
            deps_dir,
            ..
        }
        | Invocation::Finalize {
            build_dir,
            deps_dir,
            ..
        } => vec![("BUILD_DIR", build_dir), ("DEPS_DIR", deps_dir)],
    };
    if let Some((name, path)) = text_paths.into_iter().find(|(_, p)| p.to_str().is_none()) {
        return Err(PhaseError::BadArgument {
            name,
            value: path.to_string_lossy().into_owned(),
            problem: "is not valid UTF-8",
            fix: "stage from a folder whose path is UTF-8 text (bpkit writes it into env files and scripts)",
        });
    }
    if let Some(idx) = deps_idx
        && (idx.is_empty() || !idx.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(PhaseError::BadArgument {
            name: "DEPS_IDX",
            value: idx.clone(),
            problem: "is not a number",
            fix: "pass this buildpack's position in the buildpack list (0, 1, …), as the platform does",
        });
    }
    Ok(())
}

/// `path` made absolute: `env/` files and the build environment hold staging paths, which must
/// not depend on the phase's working directory (the platform passes absolute paths; a person
/// trying a phase by hand may not).
fn absolute(path: &std::path::Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

pub use crate::output::error_chain;

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn argument_counts_follow_the_platform() {
        assert!(Invocation::parse(Phase::Detect, &args(&["/b"])).is_some());
        assert!(Invocation::parse(Phase::Detect, &args(&[])).is_none());
        assert!(Invocation::parse(Phase::Supply, &args(&["a", "b", "c"])).is_none());
        assert!(Invocation::parse(Phase::Finalize, &args(&["a", "b", "c", "0", "p"])).is_some());
        assert_eq!(
            Invocation::parse(Phase::Compile, &args(&["a", "b", "e"])),
            Some(Invocation::Compile {
                build_dir: "a".into(),
                cache_dir: "b".into(),
                env_dir: Some("e".into())
            })
        );
        assert!(Invocation::parse(Phase::Compile, &args(&["a", "b", "c", "d"])).is_none());
        assert!(Invocation::parse(Phase::Release, &args(&["a", "b"])).is_none());
    }
}
