//! What supply removes from `DEPS_DIR/IDX` when it runs again into the same folders: the
//! `env/` files and `bin/`, `lib/` links this run did not write, and the folders of dependencies
//! the manifest no longer installs, so that it leaves what a fresh staging leaves; and, first,
//! whatever stands where its own folders go that is not a folder, and an interrupted run's
//! temporary files.

use std::path::Path;

use crate::manifest::Manifest;
use crate::phases::context::Context;
use crate::phases::{PhaseError, files};

use super::config::EarlierRun;
use super::{Written, check_folder_name};

/// Before a run writes into `dep_dir` (`DEPS_DIR/IDX`): what is not a folder where supply's
/// own folders go, and what an interrupted run left, removed.
pub(super) fn clear_the_way(context: &Context, dep_dir: &Path) -> Result<(), PhaseError> {
    // These folders are supply's own, rewritten at every run. A link there would be followed:
    // links made in, and every other link removed from, a folder outside DEPS_DIR (a `bin`
    // linked to /usr/local/bin); a file there would stop the run with "File exists". Either is
    // removed (a link, not what it names), and the folder is made afresh below.
    for folder in ["bin", "lib", "env", "profile.d"] {
        let path = dep_dir.join(folder);
        if std::fs::symlink_metadata(&path).is_ok_and(|meta| !meta.is_dir()) {
            files::remove_file_if_present(&path)?;
            context.logger.debug(&format!(
                "Removed {}, which was not a folder (supply writes its own folder there)",
                path.display()
            ));
        }
    }
    // A supply killed mid-extraction or mid-write (the platform's staging timeout, an
    // operator's `kill -9` of a local staging) left its temporary folders and files here.
    for dir in [
        dep_dir.to_path_buf(),
        dep_dir.join("env"),
        dep_dir.join("profile.d"),
    ] {
        let removed = files::remove_leftovers(&dir)?;
        if removed > 0 {
            let files = if removed == 1 { "file" } else { "files" };
            context.logger.debug(&format!(
                "Removed {removed} temporary {files} an interrupted run left in {}",
                dir.display()
            ));
        }
    }
    Ok(())
}

/// Remove what an earlier run of this buildpack wrote into `dep_dir` that this one did not
/// ([`remove_stale`], [`remove_uninstalled`]); nothing when `config.yml` names another
/// buildpack: the Heroku path's compile shares `.cloudfoundry/0` with every buildpack's
/// compile, and what another one installed there (its dependencies, `env/` files, `bin/` links)
/// is what the app needs, not what this one left stale.
pub(super) fn remove_earlier(
    context: &Context,
    manifest: &Manifest,
    dep_dir: &Path,
    earlier: &EarlierRun,
    written: &Written,
) -> Result<(), PhaseError> {
    match earlier {
        EarlierRun::Other(name) => {
            context.logger.debug(&format!(
                "Kept what the {name} buildpack wrote in {} (its config.yml names it)",
                dep_dir.display()
            ));
            Ok(())
        }
        EarlierRun::Own(installed) => {
            remove_stale(context, dep_dir, written)?;
            remove_uninstalled(context, manifest, dep_dir, installed)
        }
        EarlierRun::Unknown => remove_stale(context, dep_dir, written),
    }
}

/// Remove from `env/` the files, and from `bin/` and `lib/` the links, that this run did not
/// write. On the platform DEPS_DIR is new at every staging, so there is nothing to remove; a
/// supply run again by hand into the same folders after a manifest edit would otherwise keep
/// a variable the manifest no longer sets (finalize exports every `env/` file) or a link to a
/// dependency it no longer installs (finalize puts `bin/` on PATH). Only symbolic links are
/// removed from `bin/` and `lib/`, as supply writes nothing else there.
fn remove_stale(context: &Context, dep_dir: &Path, written: &Written) -> Result<(), PhaseError> {
    for (folder, kept, links_only) in [
        ("env", &written.env, false),
        ("bin", &written.bin, true),
        ("lib", &written.lib, true),
    ] {
        let dir = dep_dir.join(folder);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(files::FileError::new("list", &dir, e).into()),
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let stale = if links_only {
                kind.is_symlink()
            } else {
                !kind.is_dir()
            };
            if stale && !kept.contains(&name) {
                files::remove_file_if_present(&entry.path())?;
                context.logger.debug(&format!(
                    "Removed {folder}/{}, which an earlier run wrote and manifest.yml no longer gives",
                    name.to_string_lossy()
                ));
            }
        }
    }
    Ok(())
}

/// Remove the folder of a dependency an earlier run installed here (as its config.yml says)
/// that the manifest no longer installs: on the platform DEPS_DIR is new at every staging, and
/// a supply run again by hand should leave what a fresh one leaves. Only plain names are
/// touched, so a config.yml edited by hand cannot point outside this folder.
fn remove_uninstalled(
    context: &Context,
    manifest: &Manifest,
    dep_dir: &Path,
    previously: &[String],
) -> Result<(), PhaseError> {
    for name in previously {
        if manifest.install.iter().any(|i| &i.name == name)
            || check_folder_name(name, "config.yml").is_err()
            || matches!(
                name.as_str(),
                "bin" | "lib" | "env" | "profile.d" | "config.yml"
            )
        {
            continue;
        }
        let folder = dep_dir.join(name);
        if folder.is_dir() {
            files::remove_dir_if_present(&folder)?;
            context.logger.debug(&format!(
                "Removed {name}/, which an earlier run installed and manifest.yml no longer installs"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;
    use crate::output::Logger;

    /// A context whose logger prints `DEBUG:` lines into the returned capture.
    fn debug_context() -> (Context, crate::output::logger::Captured) {
        let mut context = crate::phases::context::test_context(&[]);
        let (logger, captured) = Logger::capture();
        context.logger = logger.with_debug(true);
        (context, captured)
    }

    fn manifest(installed: &str) -> Manifest {
        let text = format!("language: tool\ninstall:\n- name: {installed}\n");
        Manifest::parse(&text, Path::new("manifest.yml")).unwrap().0
    }

    /// A dependency dropped from the manifest goes; one still installed, supply's own folders
    /// and any name that is not one plain folder name (a config.yml edited by hand) are never
    /// touched, so nothing outside DEPS_DIR/IDX can be removed.
    #[test]
    fn only_plain_names_the_manifest_dropped_are_removed() {
        let root = tempfile::tempdir().unwrap();
        let dep_dir = root.path().join("deps/0");
        let outside = root.path().join("deps/outside");
        for dir in ["tool", "gone", "bin", "lib", "env", "profile.d", "a/b"] {
            fs::create_dir_all(dep_dir.join(dir)).unwrap();
        }
        fs::create_dir_all(&outside).unwrap();
        let (context, captured) = debug_context();
        let previously: Vec<String> = [
            "tool",
            "gone",
            "missing",
            "bin",
            "lib",
            "env",
            "profile.d",
            "../outside",
            "a/b",
            "..",
            "",
        ]
        .map(String::from)
        .to_vec();
        remove_uninstalled(&context, &manifest("tool"), &dep_dir, &previously).unwrap();
        assert!(!dep_dir.join("gone").exists());
        for kept in ["tool", "bin", "lib", "env", "profile.d", "a/b"] {
            assert!(dep_dir.join(kept).is_dir(), "{kept}");
        }
        assert!(outside.is_dir());
        assert!(dep_dir.is_dir());
        assert_eq!(
            captured.text(),
            "       DEBUG: Removed gone/, which an earlier run installed and manifest.yml no longer installs\n"
        );
    }

    /// An interrupted run's temporary files are removed and counted; a run with none says
    /// nothing.
    #[test]
    fn an_interrupted_runs_leftovers_are_removed_and_counted() {
        let root = tempfile::tempdir().unwrap();
        let dep_dir = root.path().join("0");
        fs::create_dir_all(dep_dir.join("env")).unwrap();
        fs::write(dep_dir.join("env/.NAME.bpkit-a1b2c3"), "half").unwrap();
        fs::write(dep_dir.join("env/NAME"), "whole").unwrap();
        fs::create_dir_all(dep_dir.join(".tool.bpkit-d4e5f6/bin")).unwrap();
        fs::write(dep_dir.join(".bpkit-g7h8i9"), "half").unwrap();
        let (context, captured) = debug_context();
        clear_the_way(&context, &dep_dir).unwrap();
        assert_eq!(
            captured.text(),
            format!(
                "       DEBUG: Removed 2 temporary files an interrupted run left in {}\n       DEBUG: Removed 1 temporary file an interrupted run left in {}\n",
                dep_dir.display(),
                dep_dir.join("env").display()
            )
        );
        assert!(dep_dir.join("env/NAME").exists());
        let (context, captured) = debug_context();
        clear_the_way(&context, &dep_dir).unwrap();
        assert_eq!(captured.text(), "");
    }

    /// `env/`, `bin/` or `lib/` that cannot be listed (here a file, which the run's first
    /// step would have removed) is named, not taken as empty.
    #[test]
    fn a_folder_that_cannot_be_listed_is_named() {
        let root = tempfile::tempdir().unwrap();
        let dep_dir = root.path().join("0");
        fs::create_dir_all(&dep_dir).unwrap();
        fs::write(dep_dir.join("bin"), "a file").unwrap();
        let (context, _) = debug_context();
        let written = Written::default();
        let error = remove_stale(&context, &dep_dir, &written).unwrap_err();
        assert!(
            error
                .to_string()
                .contains(&dep_dir.join("bin").display().to_string()),
            "{error}"
        );
        // Missing folders have nothing stale in them.
        fs::remove_file(dep_dir.join("bin")).unwrap();
        remove_stale(&context, &dep_dir, &written).unwrap();
    }
}
