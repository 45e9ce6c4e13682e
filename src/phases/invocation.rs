//! The platform contract of the phases (phases.md): each phase's name, its positional
//! arguments and the one-line usage printed when their count is wrong.

use std::ffi::OsString;
use std::path::PathBuf;

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
                // An empty PROFILE_DIR is none, as libbuildpack's `NewStager` reads it: the
                // official `bin/finalize` passes `"${5:-}"`, empty when `bin/compile` calls it
                // with four arguments.
                profile_dir: (!profile.is_empty()).then(|| p(profile)),
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
