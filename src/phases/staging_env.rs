//! The environment `build:` commands run in, built from every buildpack's deps folder the way
//! libbuildpack's `SetStagingEnvironment` does: each `DEPS_DIR/<idx>/bin` on `PATH` (and `lib`,
//! `include`, `pkgconfig` on their variables), the highest index first, in front of what was
//! already there; then each `DEPS_DIR/<idx>/env/NAME` file as the variable `NAME`.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::Path;

use super::files::{self, FileError};
use super::template;

/// Variables and the deps sub-folder that feeds each, for staging (libbuildpack's
/// `stagingEnvVarDirs` on Linux).
pub const STAGING_DIRS: [(&str, &str); 5] = [
    ("PATH", "bin"),
    ("LD_LIBRARY_PATH", "lib"),
    ("LIBRARY_PATH", "lib"),
    ("CPATH", "include"),
    ("PKG_CONFIG_PATH", "pkgconfig"),
];

/// The same for launch (`launchEnvVarDirs`), written to `000_multi-supply.sh`.
pub const LAUNCH_DIRS: [(&str, &str); 3] = [
    ("PATH", "bin"),
    ("LD_LIBRARY_PATH", "lib"),
    ("LIBRARY_PATH", "lib"),
];

/// An environment for child processes, built explicitly (the phase's own environment is
/// never changed).
pub type EnvMap = BTreeMap<OsString, OsString>;

/// Add the deps folders of `deps_dir` to `env`.
pub fn apply_deps(env: &mut EnvMap, deps_dir: &Path) -> Result<(), FileError> {
    let indexes = files::index_dirs(deps_dir)?;
    for (variable, sub) in STAGING_DIRS {
        let mut parts: Vec<OsString> = indexes
            .iter()
            .map(|idx| deps_dir.join(idx).join(sub))
            .filter(|dir| dir.is_dir())
            .map(std::path::PathBuf::into_os_string)
            .collect();
        if parts.is_empty() {
            continue;
        }
        if let Some(old) = env.get(OsStr::new(variable)).filter(|v| !v.is_empty()) {
            parts.push(old.clone());
        }
        env.insert(variable.into(), join_paths(&parts));
    }
    for (name, value) in env_files(deps_dir, None)? {
        env.insert(name.into(), value.into());
    }
    Ok(())
}

/// The variables of every `DEPS_DIR/<idx>/env/NAME` file but those of `except` (a buildpack's
/// own index, whose files it is writing), as libbuildpack's `SetStagingEnvironment` sets them:
/// highest index first, so with two buildpacks setting one name, the lower index's value is
/// the one left. Kept for compatibility. Files whose name is no variable name, or that hold a
/// NUL byte, are skipped.
pub fn env_files(
    deps_dir: &Path,
    except: Option<&str>,
) -> Result<BTreeMap<String, String>, FileError> {
    let mut vars = BTreeMap::new();
    for idx in files::index_dirs(deps_dir)? {
        if except == Some(idx.as_str()) {
            continue;
        }
        for file in files::regular_files(&deps_dir.join(&idx).join("env"))? {
            let Some(name) = file.file_name().and_then(OsStr::to_str) else {
                continue;
            };
            if !template::is_valid_name(name) {
                continue;
            }
            let value = std::fs::read(&file).map_err(|e| FileError::new("read", &file, e))?;
            if value.contains(&0) {
                continue;
            }
            vars.insert(
                name.to_string(),
                String::from_utf8_lossy(&value).into_owned(),
            );
        }
    }
    Ok(vars)
}

fn join_paths(parts: &[OsString]) -> OsString {
    let mut out = OsString::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(":");
        }
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn deps_folders_go_first_highest_index_first() {
        let deps = tempfile::tempdir().unwrap();
        let d = deps.path();
        for dir in ["0/bin", "1/bin", "1/lib", "2/include", "0/env", "1/env"] {
            fs::create_dir_all(d.join(dir)).unwrap();
        }
        fs::write(d.join("0/env/SHARED"), "from 0").unwrap();
        fs::write(d.join("1/env/SHARED"), "from 1").unwrap();
        fs::write(d.join("1/env/ONLY_ONE"), "one\n").unwrap();
        fs::write(d.join("1/env/bad-name"), "x").unwrap();
        let mut env: EnvMap = [("PATH".into(), "/usr/bin".into())].into_iter().collect();
        apply_deps(&mut env, d).unwrap();
        let get = |k: &str| {
            env.get(OsStr::new(k))
                .map(|v| v.to_string_lossy().into_owned())
        };
        let p = |s: &str| d.join(s).display().to_string();
        assert_eq!(
            get("PATH").unwrap(),
            format!("{}:{}:/usr/bin", p("1/bin"), p("0/bin"))
        );
        assert_eq!(get("LD_LIBRARY_PATH").unwrap(), p("1/lib"));
        assert_eq!(get("LIBRARY_PATH").unwrap(), p("1/lib"));
        assert_eq!(get("CPATH").unwrap(), p("2/include"));
        assert_eq!(get("PKG_CONFIG_PATH"), None);
        assert_eq!(get("SHARED").unwrap(), "from 0");
        assert_eq!(get("ONLY_ONE").unwrap(), "one\n");
        assert_eq!(get("bad-name"), None);
    }
}
