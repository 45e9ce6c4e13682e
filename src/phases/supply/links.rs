//! The `bin/` and `lib/` links of `DEPS_DIR/IDX`: every entry of a dependency's `path` and
//! `library_path` folders, linked relatively, and what a message shows of a folder that lacks one.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use crate::manifest::Install;
use crate::phases::{PhaseError, files};

use super::SupplyError;

/// Link every entry of each `folders` folder of the dependency into `DEPS_DIR/IDX/<dest>`,
/// with relative links (`../ruby/bin/ruby`) that still work when the droplet is moved.
pub(super) fn link_folders(
    dep_dir: &Path,
    install: &Install,
    version: &str,
    key_path: &str,
    folders: &[String],
    dest: &str,
    written: &mut BTreeSet<OsString>,
) -> Result<(), PhaseError> {
    for (j, folder) in folders.iter().enumerate() {
        let relative: PathBuf = Path::new(&install.name)
            .components()
            .chain(Path::new(folder).components())
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect();
        let source = dep_dir.join(&relative);
        if !source.is_dir() {
            let found = listing(&dep_dir.join(&install.name));
            return Err(SupplyError::MissingFolder {
                key_path: format!("{key_path}[{j}]"),
                name: install.name.clone(),
                version: version.to_string(),
                folder: folder.clone(),
                found,
            }
            .into());
        }
        let dest_dir = dep_dir.join(dest);
        files::create_dir(&dest_dir)?;
        let mut names: Vec<_> = std::fs::read_dir(&source)
            .map_err(|e| files::FileError::new("list", &source, e))?
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        names.sort();
        for name in names {
            let target = Path::new("..").join(&relative).join(&name);
            files::replace_symlink(&target, &dest_dir.join(&name))?;
            written.insert(name);
        }
    }
    Ok(())
}

/// What a folder holds, for a message: its first entries, folders marked with `/`.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if e.file_type().is_ok_and(|t| t.is_dir()) {
                        format!("{name}/")
                    } else {
                        name
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    if names.is_empty() {
        names.push("nothing".into());
    }
    if names.len() > 10 {
        names.truncate(10);
        names.push("…".into());
    }
    names
}
