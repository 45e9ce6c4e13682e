//! The scripts the launcher sources before starting the app (phases.md, "The platform
//! contract": every file of `../profile.d/`, then `app/.profile.d/*`). Everything written here
//! refers to `$DEPS_DIR` and `$HOME`, never to a staging path, because the droplet runs from
//! `/home/vcap` while staging used `/tmp/app` and `/tmp/contents…`.
//!
//! - supply writes `DEPS_DIR/IDX/profile.d/<language>.sh`: its dependencies' `env`, then
//!   `launch_env`. The launcher sources only PROFILE_DIR, but the final buildpack's finalize
//!   (bpkit's or libbuildpack's) copies every deps folder's scripts there, so a buildpack's
//!   `launch_env` reaches the app in whatever position it runs;
//! - finalize writes `PROFILE_DIR/000_multi-supply.sh` (every deps folder's `bin` and `lib`),
//!   copies each `DEPS_DIR/<idx>/profile.d/<f>` to `PROFILE_DIR/<idx>_<f>` (libbuildpack's
//!   `SetLaunchEnvironment`), and adds `release.config_vars` to its own copy, after the
//!   variables they may refer to (release, and so config_vars, belongs to the final buildpack
//!   only); each is written whole, so a second finalize into the same folder repeats nothing;
//! - `launch_env` and `config_vars` are defaults: a variable the app sets itself keeps its value
//!   ([`section_exports`]);
//! - compile also writes `.profile.d/0000_set-deps-dir.sh`, since a single-buildpack droplet
//!   keeps its deps in `$HOME/.cloudfoundry` and the launcher does not set `DEPS_DIR` to it.

use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::files::{self, FileError};
use super::staging_env::LAUNCH_DIRS;
use super::template::{self, Template, TemplateError};

/// libbuildpack's name for the PATH script.
pub const MULTI_SUPPLY: &str = "000_multi-supply.sh";
/// The official buildpacks' `bin/compile` name for the DEPS_DIR script.
pub const SET_DEPS_DIR: &str = "0000_set-deps-dir.sh";

/// A file name made from the buildpack's language (`dotnet-core.sh`).
pub fn script_name(language: &str) -> String {
    let safe: String = language
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    format!("{}.sh", if safe.is_empty() { "bpkit" } else { safe })
}

/// `export NAME="value"` lines; `{{dir}}` is written as `dir_at_launch`.
pub fn exports<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a Template)>,
    dir_at_launch: &str,
) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        let _ = writeln!(out, "export {name}={}", value.to_shell(dir_at_launch));
    }
    out
}

/// The final buildpack's own copy in PROFILE_DIR: `PROFILE_DIR/<deps_idx>_<name>` holds its
/// `DEPS_DIR/<deps_idx>/profile.d/<name>` followed by `extra`.
#[derive(Debug, Clone, Copy)]
pub struct OwnScript<'a> {
    pub deps_idx: &'a str,
    /// [`script_name`] of the buildpack's language.
    pub name: &'a str,
    /// Export lines (with their comment) only finalize knows, or nothing.
    pub extra: &'a str,
}

/// The export lines of a manifest section of launch variables (`launch_env`,
/// `release.config_vars`), names checked; `{{dir}}` is refused, as there is no dependency
/// folder for it to name.
///
/// Each is a default: the launcher sets the app's own variables (`cf set-env`, the app
/// manifest's `env:`) before it sources these scripts, so an unconditional export would
/// silently undo `cf set-env app RACK_ENV staging`. A variable already set to something is
/// kept, as the official Ruby buildpack's `export RACK_ENV=${RACK_ENV:-production}` keeps it
/// and as Heroku applies `config_vars` only where the app has none. A value that refers to its
/// own name (`PATH: /opt/x/bin:$PATH`) extends the variable rather than choosing it, and is
/// always applied.
pub fn section_exports(section: &str, pairs: &[(String, String)]) -> Result<String, TemplateError> {
    let mut out = String::new();
    for (name, value) in pairs {
        let key_path = format!("{section}.{name}");
        template::check_name(name, &key_path)?;
        let value = Template::parse(value);
        if value.uses_dir() {
            return Err(TemplateError::DirOutsideInstall { key_path });
        }
        if value.refers_to(name) {
            out.push_str(&exports([(name.as_str(), &value)], ""));
        } else {
            let _ = writeln!(
                out,
                "[ -n \"${{{name}:-}}\" ] || export {name}={}",
                value.to_shell("")
            );
        }
    }
    Ok(out)
}

/// Write `PROFILE_DIR/000_multi-supply.sh` and copy every deps folder's `profile.d` scripts, the
/// final buildpack's own with `own.extra` after it. Every script is written whole from its
/// sources, never appended to, so finalize run again into the same PROFILE_DIR gives the same
/// files; an own script with nothing in it is removed (an earlier run may have left one).
pub fn write_launch_environment(
    deps_dir: &Path,
    profile_dir: &Path,
    own: &OwnScript,
) -> Result<(), FileError> {
    write_launch_environment_into(deps_dir, profile_dir, own, Ownership::Shared)
}

/// Whose PROFILE_DIR it is, which decides whether copies an earlier run made may be removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// The platform's PROFILE_DIR (finalize's fifth argument): only finalize writes there, so a
    /// `<idx>_<name>` copy whose `DEPS_DIR/<idx>/profile.d/<name>` is gone is stale (a finalize
    /// run again by hand after a supply buildpack dropped a script) and is removed.
    Dedicated,
    /// `BUILD_DIR/.profile.d`, the app's own folder: only what bpkit writes is touched.
    Shared,
}

/// [`write_launch_environment`], removing stale copies from a [`Ownership::Dedicated`] folder.
pub fn write_launch_environment_into(
    deps_dir: &Path,
    profile_dir: &Path,
    own: &OwnScript,
    ownership: Ownership,
) -> Result<(), FileError> {
    files::create_dir(profile_dir)?;
    // Every file here is sourced at launch: a half-written script that a killed run left must go.
    files::remove_leftovers(profile_dir)?;
    let indexes = files::index_dirs(deps_dir)?;
    let mut script = String::new();
    for (variable, sub) in LAUNCH_DIRS {
        let parts: Vec<String> = indexes
            .iter()
            .filter(|idx| deps_dir.join(idx).join(sub).is_dir())
            .map(|idx| format!("$DEPS_DIR/{idx}/{sub}"))
            .collect();
        if !parts.is_empty() {
            // libbuildpack writes `$([[ ! -z "${PATH:-}" ]] && echo ":$PATH")`, which only bash
            // reads; `${PATH:+:$PATH}` means the same in any POSIX shell.
            let _ = writeln!(
                script,
                "export {variable}=\"{}${{{variable}:+:${variable}}}\"",
                parts.join(":")
            );
        }
    }
    files::write_atomic(&profile_dir.join(MULTI_SUPPLY), script.as_bytes(), 0o755)?;
    let mut own_copied = false;
    // Lowest index first, so that a later buildpack's copy is written after an earlier one's.
    for idx in indexes.iter().rev() {
        for source in files::regular_files(&deps_dir.join(idx).join("profile.d"))? {
            let Some(name) = source.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if files::is_leftover(name) {
                // Half of a script a killed supply was writing, never a script to run.
                continue;
            }
            let mut contents = fs::read(&source).map_err(|e| FileError::new("read", &source, e))?;
            let mode = fs::metadata(&source).map_or(0o755, |m| m.permissions().mode() & 0o777);
            if idx == own.deps_idx && name == own.name {
                // After the dependencies' variables, which the extra lines may refer to.
                if !contents.is_empty() && !contents.ends_with(b"\n") {
                    contents.push(b'\n');
                }
                contents.extend_from_slice(own.extra.as_bytes());
                own_copied = true;
            }
            let dest = profile_dir.join(format!("{idx}_{name}"));
            files::write_atomic(&dest, &contents, mode)?;
        }
    }
    if !own_copied {
        let dest = profile_dir.join(format!("{}_{}", own.deps_idx, own.name));
        if own.extra.is_empty() {
            files::remove_file_if_present(&dest)?;
        } else {
            files::write_atomic(&dest, own.extra.as_bytes(), 0o755)?;
        }
    }
    if ownership == Ownership::Dedicated {
        remove_stale_copies(deps_dir, profile_dir, &indexes, own)?;
    }
    Ok(())
}

/// Remove `PROFILE_DIR/<idx>_<name>` files, for an `<idx>` of DEPS_DIR, whose source
/// `DEPS_DIR/<idx>/profile.d/<name>` no longer exists (the final buildpack's own copy, which
/// may hold only `extra`, is decided above).
fn remove_stale_copies(
    deps_dir: &Path,
    profile_dir: &Path,
    indexes: &[String],
    own: &OwnScript,
) -> Result<(), FileError> {
    for copy in files::regular_files(profile_dir)? {
        let Some(file_name) = copy.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some((idx, name)) = file_name.split_once('_') else {
            continue;
        };
        if name.is_empty()
            || !indexes.iter().any(|i| i == idx)
            || (idx == own.deps_idx && name == own.name)
        {
            continue;
        }
        if !deps_dir.join(idx).join("profile.d").join(name).is_file() {
            files::remove_file_if_present(&copy)?;
        }
    }
    Ok(())
}

/// `.profile.d/0000_set-deps-dir.sh` for the single-buildpack (compile) layout.
pub fn write_set_deps_dir(profile_dir: &Path) -> Result<(), FileError> {
    files::write_atomic(
        &profile_dir.join(SET_DEPS_DIR),
        b"export DEPS_DIR=$HOME/.cloudfoundry\n",
        0o755,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_exports() {
        assert_eq!(script_name("ruby"), "ruby.sh");
        assert_eq!(script_name("dotnet core/x"), "dotnet_core_x.sh");
        assert_eq!(script_name(".."), "bpkit.sh");
        let t = Template::parse("{{dir}}/gems");
        assert_eq!(
            exports([("GEM_HOME", &t)], "${DEPS_DIR}/0/ruby"),
            "export GEM_HOME=\"${DEPS_DIR}/0/ruby/gems\"\n"
        );
    }

    /// Sourced as the launcher sources it: a variable the app set (even to a value with
    /// spaces) is kept, an unset or empty one gets the manifest's value, and a value that
    /// names its own variable extends it whatever it held.
    #[test]
    fn launch_values_are_defaults_the_app_overrides() {
        let script = section_exports(
            "launch_env",
            &[
                ("RACK_ENV".into(), "production".into()),
                ("MODE".into(), "a \"quoted\" $HOME".into()),
                ("EMPTY".into(), "filled".into()),
                ("P".into(), "/opt/bin:$P".into()),
            ],
        )
        .unwrap();
        let output = std::process::Command::new("bash")
            .args([
                "-euc",
                &format!("{script}\nprintf '%s|' \"$RACK_ENV\" \"$MODE\" \"$EMPTY\" \"$P\""),
            ])
            .env_clear()
            .env("HOME", "/home/vcap")
            .env("RACK_ENV", "staging it")
            .env("EMPTY", "")
            .env("P", "/bin")
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "staging it|a \"quoted\" /home/vcap|filled|/opt/bin:/bin|",
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    #[test]
    fn section_exports_check_names_and_dir() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect()
        };
        assert_eq!(
            section_exports(
                "launch_env",
                &pairs(&[("A", "one two"), ("B", "$HOME/b"), ("P", "/x/bin:$P")])
            )
            .unwrap(),
            "[ -n \"${A:-}\" ] || export A=\"one two\"\n[ -n \"${B:-}\" ] || export B=\"${HOME}/b\"\nexport P=\"/x/bin:${P}\"\n"
        );
        assert_eq!(section_exports("launch_env", &[]).unwrap(), "");
        assert_eq!(
            section_exports("launch_env", &pairs(&[("A-B", "x")]))
                .unwrap_err()
                .to_string(),
            "launch_env.A-B: `A-B` is not a valid environment variable name; use letters, digits and _ (not starting with a digit)"
        );
        assert!(
            section_exports("release.config_vars", &pairs(&[("A", "{{dir}}/x")]))
                .unwrap_err()
                .to_string()
                .starts_with(
                    "release.config_vars.A: `{{dir}}` only means something under install[].env"
                )
        );
    }

    #[test]
    fn multi_supply_and_copies() {
        let dir = tempfile::tempdir().unwrap();
        let deps = dir.path().join("deps");
        let profile = dir.path().join("profile.d");
        for sub in ["0/bin", "0/profile.d", "1/bin", "1/lib"] {
            fs::create_dir_all(deps.join(sub)).unwrap();
        }
        fs::write(deps.join("0/profile.d/ruby.sh"), "export A=1\n").unwrap();
        let own = OwnScript {
            deps_idx: "0",
            name: "ruby.sh",
            extra: "# more\nexport B=2\n",
        };
        // Twice into the same folder: the same files, nothing repeated.
        for _ in 0..2 {
            write_launch_environment(&deps, &profile, &own).unwrap();
            assert_eq!(
                fs::read_to_string(profile.join(MULTI_SUPPLY)).unwrap(),
                "export PATH=\"$DEPS_DIR/1/bin:$DEPS_DIR/0/bin${PATH:+:$PATH}\"\nexport LD_LIBRARY_PATH=\"$DEPS_DIR/1/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\"\nexport LIBRARY_PATH=\"$DEPS_DIR/1/lib${LIBRARY_PATH:+:$LIBRARY_PATH}\"\n"
            );
            assert_eq!(
                fs::read_to_string(profile.join("0_ruby.sh")).unwrap(),
                "export A=1\n# more\nexport B=2\n"
            );
        }
        // Another buildpack's script is copied as it is.
        let other = OwnScript {
            deps_idx: "1",
            ..own
        };
        write_launch_environment(&deps, &profile, &other).unwrap();
        assert_eq!(
            fs::read_to_string(profile.join("0_ruby.sh")).unwrap(),
            "export A=1\n"
        );
        assert_eq!(
            fs::read_to_string(profile.join("1_ruby.sh")).unwrap(),
            "# more\nexport B=2\n"
        );
        // Nothing of its own any more: an earlier run's script goes.
        let nothing = OwnScript { extra: "", ..other };
        write_launch_environment(&deps, &profile, &nothing).unwrap();
        assert!(!profile.join("1_ruby.sh").exists());
        // Another buildpack's script gone from its deps folder: its copy stays in a folder the
        // app shares, and goes from the platform's dedicated one. Files not named after a
        // deps folder's index stay in both.
        fs::remove_file(deps.join("0/profile.d/ruby.sh")).unwrap();
        fs::write(profile.join("7_mine.sh"), "export MINE=1\n").unwrap();
        fs::write(profile.join("app.sh"), "export APP=1\n").unwrap();
        write_launch_environment(&deps, &profile, &nothing).unwrap();
        assert!(profile.join("0_ruby.sh").exists());
        write_launch_environment_into(&deps, &profile, &nothing, Ownership::Dedicated).unwrap();
        assert!(!profile.join("0_ruby.sh").exists());
        assert!(profile.join("7_mine.sh").exists());
        assert!(profile.join("app.sh").exists());
        assert!(profile.join(MULTI_SUPPLY).exists());
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "DEPS_DIR=/d; PATH=/usr/bin; . {}; echo \"$PATH\"; unset LIBRARY_PATH; . {}; echo \"$LIBRARY_PATH\"",
                profile.join(MULTI_SUPPLY).display(),
                profile.join(MULTI_SUPPLY).display()
            ))
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "/d/1/bin:/d/0/bin:/usr/bin\n/d/1/lib\n"
        );
    }

    /// A deps folder's script is copied with its own mode, not one made up for it.
    #[test]
    fn copies_keep_the_mode_of_the_script_they_copy() {
        let dir = tempfile::tempdir().unwrap();
        let deps = dir.path().join("deps");
        let profile = dir.path().join("profile.d");
        fs::create_dir_all(deps.join("0/profile.d")).unwrap();
        for (name, mode) in [("read.sh", 0o644), ("run.sh", 0o750)] {
            let path = deps.join("0/profile.d").join(name);
            fs::write(&path, "export A=1\n").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        }
        let own = OwnScript {
            deps_idx: "1",
            name: "x.sh",
            extra: "",
        };
        write_launch_environment(&deps, &profile, &own).unwrap();
        for (name, mode) in [("0_read.sh", 0o644), ("0_run.sh", 0o750)] {
            let meta = fs::metadata(profile.join(name)).unwrap();
            assert_eq!(meta.permissions().mode() & 0o7777, mode, "{name}");
        }
    }

    /// The final buildpack's extra lines start on a line of their own after a script whose
    /// last line has no newline, and after an empty script are the whole copy.
    #[test]
    fn own_extra_lines_start_on_a_line_of_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let deps = dir.path().join("deps");
        let profile = dir.path().join("profile.d");
        fs::create_dir_all(deps.join("0/profile.d")).unwrap();
        let own = OwnScript {
            deps_idx: "0",
            name: "ruby.sh",
            extra: "export B=2\n",
        };
        for (script, copy) in [
            ("export A=1", "export A=1\nexport B=2\n"),
            ("export A=1\n", "export A=1\nexport B=2\n"),
            ("", "export B=2\n"),
        ] {
            fs::write(deps.join("0/profile.d/ruby.sh"), script).unwrap();
            write_launch_environment(&deps, &profile, &own).unwrap();
            assert_eq!(
                fs::read_to_string(profile.join("0_ruby.sh")).unwrap(),
                copy,
                "{script:?}"
            );
        }
    }

    /// In the platform's PROFILE_DIR, the final buildpack's own copy holding only its extra
    /// lines (it wrote no `profile.d` script in supply) has no source to go stale with: it stays.
    #[test]
    fn a_dedicated_profile_dir_keeps_an_own_copy_that_has_no_source_script() {
        let dir = tempfile::tempdir().unwrap();
        let deps = dir.path().join("deps");
        let profile = dir.path().join("profile.d");
        fs::create_dir_all(deps.join("0/bin")).unwrap();
        let own = OwnScript {
            deps_idx: "0",
            name: "ruby.sh",
            extra: "export B=2\n",
        };
        write_launch_environment_into(&deps, &profile, &own, Ownership::Dedicated).unwrap();
        assert_eq!(
            fs::read_to_string(profile.join("0_ruby.sh")).unwrap(),
            "export B=2\n"
        );
    }

    /// The single-buildpack layout's script names the deps by `$HOME`, where the droplet
    /// runs, never by the staging path they were installed under; nothing else written for
    /// launch names that path either.
    #[test]
    fn launch_scripts_name_deps_by_their_launch_path_not_the_staging_one() {
        let dir = tempfile::tempdir().unwrap();
        let build = dir.path().join("app");
        let deps = build.join(".cloudfoundry");
        let profile = build.join(".profile.d");
        fs::create_dir_all(deps.join("0/bin")).unwrap();
        fs::create_dir_all(deps.join("0/profile.d")).unwrap();
        fs::write(deps.join("0/profile.d/ruby.sh"), "export A=1\n").unwrap();
        let own = OwnScript {
            deps_idx: "0",
            name: "ruby.sh",
            extra: "export B=2\n",
        };
        fs::create_dir_all(&profile).unwrap();
        write_set_deps_dir(&profile).unwrap();
        write_launch_environment(&deps, &profile, &own).unwrap();
        let script = profile.join(SET_DEPS_DIR);
        assert_eq!(
            fs::read_to_string(&script).unwrap(),
            "export DEPS_DIR=$HOME/.cloudfoundry\n"
        );
        assert_eq!(
            fs::metadata(&script).unwrap().permissions().mode() & 0o777,
            0o755
        );
        let staging = dir.path().to_str().unwrap();
        for file in fs::read_dir(&profile).unwrap() {
            let path = file.unwrap().path();
            let text = fs::read_to_string(&path).unwrap();
            assert!(!text.contains(staging), "{}: {text}", path.display());
        }
        // Sourced at launch, in file-name order, from the droplet's home.
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "HOME=/home/vcap/app; PATH=/usr/bin; for f in {}/*; do . \"$f\"; done; echo \"$DEPS_DIR $PATH\"",
                profile.display()
            ))
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "/home/vcap/app/.cloudfoundry /home/vcap/app/.cloudfoundry/0/bin:/usr/bin\n"
        );
    }
}
