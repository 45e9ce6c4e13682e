//! The folders a phase runs on: arguments the platform would never pass refused before
//! anything is written, made absolute, and gathered into [`StagingDirs`].

use std::path::{Path, PathBuf};

use super::{Invocation, PhaseError};

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
    /// The folders supply and finalize are given, made absolute (a buildpack may change its
    /// working folder); PROFILE_DIR, which only finalize is given, defaults to
    /// `BUILD_DIR/.profile.d`.
    pub(super) fn from_arguments(
        build_dir: &Path,
        cache_dir: &Path,
        deps_dir: &Path,
        deps_idx: &str,
        profile_dir: Option<&Path>,
    ) -> StagingDirs {
        StagingDirs {
            build_dir: absolute(build_dir),
            cache_dir: absolute(cache_dir),
            deps_dir: absolute(deps_dir),
            deps_idx: deps_idx.to_string(),
            profile_dir: profile_dir
                .map_or_else(|| absolute(build_dir).join(".profile.d"), absolute),
        }
    }

    /// `DEPS_DIR/DEPS_IDX`: this buildpack's own deps folder.
    pub fn dep_dir(&self) -> PathBuf {
        self.deps_dir.join(&self.deps_idx)
    }
}

/// Refuse what the platform never passes, before anything is written: a BUILD_DIR that is not
/// an existing folder (later steps would fail with a misleading cause, such as "cannot start
/// bash" for a build command run in it), and a DEPS_IDX that is not a number (it is joined to
/// DEPS_DIR, so `../x` would write outside it).
pub(super) fn check_arguments(invocation: &Invocation) -> Result<(), PhaseError> {
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
    let build_dir_problem = match std::fs::metadata(build_dir) {
        Ok(meta) if meta.is_dir() => None,
        Ok(_) => Some("is not a folder"),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Some(THROUGH_A_FILE),
        Err(_) => Some("does not exist"),
    };
    if let Some(problem) = build_dir_problem {
        return Err(PhaseError::BadArgument {
            name: "BUILD_DIR",
            value: build_dir.display().to_string(),
            problem,
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
    // Before the folders are looked at: a DEPS_IDX of `../x` names a path outside DEPS_DIR,
    // which the check of DEPS_DIR/DEPS_IDX would tell the user to remove.
    if let Some(idx) = deps_idx {
        check_deps_idx(idx)?;
    }
    check_folders(invocation)?;
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
    Ok(())
}

/// Refuse a DEPS_IDX that is not a number (it is joined to DEPS_DIR, so `../x` would write
/// outside it), or has more digits than a buildpack's position ever has.
fn check_deps_idx(idx: &str) -> Result<(), PhaseError> {
    if idx.is_empty() || !idx.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PhaseError::BadArgument {
            name: "DEPS_IDX",
            value: idx.to_string(),
            problem: "is not a number",
            fix: "pass this buildpack's position in the buildpack list (0, 1, …), as the platform does",
        });
    }
    if idx.len() > MAX_DEPS_IDX_DIGITS {
        // Shown cut: the line stays readable whatever was passed (all of it is digits).
        let shown = if idx.len() > SHOWN_DEPS_IDX_DIGITS {
            format!("{}…", &idx[..SHOWN_DEPS_IDX_DIGITS])
        } else {
            idx.to_string()
        };
        return Err(PhaseError::DepsIdxTooLong {
            shown,
            digits: idx.len(),
            max: MAX_DEPS_IDX_DIGITS,
        });
    }
    Ok(())
}

/// The most digits a DEPS_IDX may have. The platform passes the buildpack's position,
/// zero-padded to the digits of the buildpack count (`00`…`10` for eleven; phases.md), so a
/// real one has one or two; a longer one was typed by hand, and a few hundred digits made every
/// path under `DEPS_DIR/DEPS_IDX` fail with the system's "File name too long".
const MAX_DEPS_IDX_DIGITS: usize = 9;

/// How many digits of a too-long DEPS_IDX its error shows.
const SHOWN_DEPS_IDX_DIGITS: usize = 12;

/// Refuse folders every run of the phase writes to or lists when a file is there (or, for
/// ENV_DIR, nothing): the phase would fail later in the system's words alone ("File exists").
/// A CACHE_DIR is left to the step that uses it: a cached buildpack stages without writing to
/// it, and libbuildpack treats its metadata file there as best effort.
fn check_folders(invocation: &Invocation) -> Result<(), PhaseError> {
    let idx_dir;
    let must_be_folders: Vec<(&'static str, &Path, &'static str)> = match invocation {
        // Supply creates DEPS_DIR/DEPS_IDX (the platform makes it a folder beforehand).
        Invocation::Supply {
            deps_dir, deps_idx, ..
        } => {
            idx_dir = deps_dir.join(deps_idx);
            vec![
                ("DEPS_DIR", deps_dir.as_path(), DEPS_FIX),
                ("DEPS_DIR/DEPS_IDX", idx_dir.as_path(), IDX_FIX),
            ]
        }
        Invocation::Finalize {
            deps_dir,
            profile_dir,
            ..
        } => {
            let mut list = vec![("DEPS_DIR", deps_dir.as_path(), DEPS_FIX)];
            list.extend(
                profile_dir
                    .as_deref()
                    .map(|p| ("PROFILE_DIR", p, PROFILE_FIX)),
            );
            list
        }
        Invocation::Compile { env_dir, .. } => env_dir
            .as_deref()
            .map(|p| ("ENV_DIR", p, ENV_FIX))
            .into_iter()
            .collect(),
        Invocation::Detect { .. } | Invocation::Release { .. } => Vec::new(),
    };
    for (name, path, fix) in must_be_folders {
        // Following links, as the platform's folders may be; a PROFILE_DIR or DEPS_DIR that
        // does not exist yet is created.
        let problem = match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => "is not a folder",
            // Never a folder, nor one that can be made.
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => THROUGH_A_FILE,
            Err(e) if name == "ENV_DIR" && e.kind() == std::io::ErrorKind::NotFound => {
                "does not exist"
            }
            // Anything else is for the step that reads or writes it to report.
            Err(_) => continue,
        };
        return Err(PhaseError::BadArgument {
            name,
            value: path.display().to_string(),
            problem,
            fix,
        });
    }
    Ok(())
}

/// A path with a file where one of its folders belongs (`notes.txt/deps`): the argument's
/// problem as `crate::output::UNDER_A_FILE` words it, after the argument's name.
const THROUGH_A_FILE: &str = "lies inside a file (part of that path is a file, not a folder)";

const DEPS_FIX: &str =
    "pass the folder that holds every buildpack's deps (the platform creates it)";
const IDX_FIX: &str = "remove that file: it is where supply installs this buildpack's dependencies, a folder it creates (as the platform does)";
const PROFILE_FIX: &str =
    "pass the folder for the launch scripts, or none (they then go to BUILD_DIR/.profile.d)";
const ENV_FIX: &str = "pass Heroku's folder of environment variable files, or leave ENV_DIR out";

/// `path` made absolute: `env/` files and the build environment hold staging paths, which must
/// not depend on the phase's working directory (the platform passes absolute paths; a person
/// trying a phase by hand may not).
pub(super) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(invocation: &Invocation) -> String {
        check_arguments(invocation).unwrap_err().to_string()
    }

    fn supply(build_dir: &Path, deps_dir: &Path, deps_idx: &str) -> Invocation {
        Invocation::Supply {
            build_dir: build_dir.to_path_buf(),
            cache_dir: build_dir.join("cache"),
            deps_dir: deps_dir.to_path_buf(),
            deps_idx: deps_idx.to_string(),
        }
    }

    #[test]
    fn a_build_dir_that_is_no_folder_is_refused_in_every_phase() {
        let scratch = tempfile::tempdir().unwrap();
        let file = scratch.path().join("file");
        std::fs::write(&file, "").unwrap();
        let missing = scratch.path().join("missing");
        let under_a_file = file.join("app");
        for (build_dir, problem) in [
            (&file, "is not a folder"),
            (&missing, "does not exist"),
            (&under_a_file, THROUGH_A_FILE),
        ] {
            let expected = format!(
                "Invalid BUILD_DIR: `{}` {problem}; pass the app's folder (the platform creates it before staging)",
                build_dir.display()
            );
            for invocation in [
                Invocation::Detect {
                    build_dir: build_dir.clone(),
                },
                Invocation::Release {
                    build_dir: build_dir.clone(),
                },
                supply(build_dir, scratch.path(), "0"),
            ] {
                assert_eq!(message(&invocation), expected, "{invocation:?}");
            }
        }
        let app_folder = Invocation::Detect {
            build_dir: scratch.path().to_path_buf(),
        };
        assert!(check_arguments(&app_folder).is_ok());
    }

    #[test]
    fn deps_idx_is_digits_and_at_most_nine_of_them() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        for idx in ["0", "01", "123456789"] {
            assert!(check_arguments(&supply(dir, dir, idx)).is_ok(), "{idx}");
        }
        // `../file` names a file outside DEPS_DIR: it is refused as no number, not as a file
        // in the way to be removed.
        std::fs::write(dir.join("file"), "").unwrap();
        for idx in ["", "../x", "1a", "-1", "١", "file", "../file"] {
            assert_eq!(
                message(&supply(dir, dir, idx)),
                format!(
                    "Invalid DEPS_IDX: `{idx}` is not a number; pass this buildpack's position in the buildpack list (0, 1, …), as the platform does"
                )
            );
        }
        let too_long = |shown: &str, digits: usize| {
            format!(
                "Invalid DEPS_IDX: `{shown}` has {digits} digits, more than a buildpack's position ever has (at most 9); pass this buildpack's position in the buildpack list (0, 1, …), as the platform does"
            )
        };
        assert_eq!(
            message(&supply(dir, dir, "1234567890")),
            too_long("1234567890", 10)
        );
        // Up to 12 digits are shown whole, more are cut.
        assert_eq!(
            message(&supply(dir, dir, "123456789012")),
            too_long("123456789012", 12)
        );
        assert_eq!(
            message(&supply(dir, dir, "1234567890123")),
            too_long("123456789012…", 13)
        );
    }

    #[test]
    fn empty_folder_arguments_are_refused_by_name() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().to_path_buf();
        let empty = PathBuf::new();
        let cases = [
            (
                Invocation::Supply {
                    build_dir: dir.clone(),
                    cache_dir: dir.clone(),
                    deps_dir: empty.clone(),
                    deps_idx: "0".into(),
                },
                "DEPS_DIR",
            ),
            (
                // An empty PROFILE_DIR argument is read as none (invocation.rs) before this.
                Invocation::Finalize {
                    build_dir: dir.clone(),
                    cache_dir: empty.clone(),
                    deps_dir: dir.clone(),
                    deps_idx: "0".into(),
                    profile_dir: Some(dir.clone()),
                },
                "CACHE_DIR",
            ),
            (
                Invocation::Compile {
                    build_dir: dir.clone(),
                    cache_dir: empty.clone(),
                    env_dir: None,
                },
                "CACHE_DIR",
            ),
            (
                Invocation::Compile {
                    build_dir: dir.clone(),
                    cache_dir: dir.clone(),
                    env_dir: Some(empty),
                },
                "ENV_DIR",
            ),
        ];
        for (invocation, name) in cases {
            assert_eq!(
                message(&invocation),
                format!(
                    "Invalid {name}: it is an empty argument; pass the folder's path (a phase never falls back to the working directory)"
                ),
                "{invocation:?}"
            );
        }
    }

    #[test]
    fn folders_a_phase_writes_must_be_folders_and_env_dir_must_exist() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().to_path_buf();
        let file = dir.join("file");
        std::fs::write(&file, "").unwrap();
        let missing = dir.join("missing");
        let compile = |env_dir: &Path| Invocation::Compile {
            build_dir: dir.clone(),
            cache_dir: dir.clone(),
            env_dir: Some(env_dir.to_path_buf()),
        };
        let finalize = |deps_dir: &Path, profile_dir: &Path| Invocation::Finalize {
            build_dir: dir.clone(),
            cache_dir: dir.clone(),
            deps_dir: deps_dir.to_path_buf(),
            deps_idx: "0".into(),
            profile_dir: Some(profile_dir.to_path_buf()),
        };
        let refused = |name: &str, path: &Path, problem: &str, fix: &str| {
            format!("Invalid {name}: `{}` {problem}; {fix}", path.display())
        };
        assert_eq!(
            message(&compile(&missing)),
            refused("ENV_DIR", &missing, "does not exist", ENV_FIX)
        );
        assert_eq!(
            message(&compile(&file)),
            refused("ENV_DIR", &file, "is not a folder", ENV_FIX)
        );
        assert!(check_arguments(&compile(&dir)).is_ok());
        let under_a_file = file.join("sub");
        assert_eq!(
            message(&compile(&under_a_file)),
            refused("ENV_DIR", &under_a_file, THROUGH_A_FILE, ENV_FIX)
        );
        assert_eq!(
            message(&finalize(&under_a_file, &dir)),
            refused("DEPS_DIR", &under_a_file, THROUGH_A_FILE, DEPS_FIX)
        );
        assert_eq!(
            message(&finalize(&dir, &under_a_file)),
            refused("PROFILE_DIR", &under_a_file, THROUGH_A_FILE, PROFILE_FIX)
        );
        // A DEPS_DIR or PROFILE_DIR that does not exist yet is made by the phase.
        assert!(check_arguments(&finalize(&missing, &missing)).is_ok());
        assert_eq!(
            message(&finalize(&file, &dir)),
            refused("DEPS_DIR", &file, "is not a folder", DEPS_FIX)
        );
        assert_eq!(
            message(&finalize(&dir, &file)),
            refused("PROFILE_DIR", &file, "is not a folder", PROFILE_FIX)
        );
        // Supply's own folder, DEPS_DIR/DEPS_IDX, is a file.
        std::fs::write(dir.join("7"), "").unwrap();
        assert_eq!(
            message(&supply(&dir, &dir, "7")),
            refused(
                "DEPS_DIR/DEPS_IDX",
                &dir.join("7"),
                "is not a folder",
                IDX_FIX
            )
        );
    }

    #[cfg(unix)]
    #[test]
    fn staging_paths_that_are_not_utf8_are_refused() {
        use std::os::unix::ffi::OsStrExt;
        let scratch = tempfile::tempdir().unwrap();
        let odd = scratch
            .path()
            .join(std::ffi::OsStr::from_bytes(b"app-\xff"));
        std::fs::create_dir(&odd).unwrap();
        let err = message(&Invocation::Compile {
            build_dir: odd.clone(),
            cache_dir: scratch.path().to_path_buf(),
            env_dir: None,
        });
        assert_eq!(
            err,
            format!(
                "Invalid BUILD_DIR: `{}` is not valid UTF-8; stage from a folder whose path is UTF-8 text (bpkit writes it into env files and scripts)",
                odd.to_string_lossy()
            )
        );
        // Detect writes nothing, so any folder will do.
        assert!(check_arguments(&Invocation::Detect { build_dir: odd }).is_ok());
    }

    #[test]
    fn staging_dirs_are_absolute_and_profile_dir_defaults_under_the_app() {
        let cwd = std::env::current_dir().unwrap();
        let dirs = StagingDirs::from_arguments(
            Path::new("app"),
            Path::new("cache"),
            Path::new("deps"),
            "3",
            None,
        );
        assert_eq!(dirs.build_dir, cwd.join("app"));
        assert_eq!(dirs.cache_dir, cwd.join("cache"));
        assert_eq!(dirs.deps_dir, cwd.join("deps"));
        assert_eq!(dirs.profile_dir, cwd.join("app/.profile.d"));
        assert_eq!(dirs.dep_dir(), cwd.join("deps/3"));
        let given = StagingDirs::from_arguments(
            Path::new("/a"),
            Path::new("/c"),
            Path::new("/d"),
            "0",
            Some(Path::new("p")),
        );
        assert_eq!(given.profile_dir, cwd.join("p"));
        assert_eq!(absolute(Path::new("/x/y")), Path::new("/x/y"));
    }
}
