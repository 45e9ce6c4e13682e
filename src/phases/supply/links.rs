//! The `bin/` and `lib/` links of `DEPS_DIR/IDX`: every entry of a dependency's `path` and
//! `library_path` folders, linked relatively, and what a message shows of a folder that lacks one.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use crate::archive::ArchiveKind;
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
            let installed = dep_dir.join(&install.name);
            let found = listing(&installed);
            return Err(SupplyError::MissingFolder {
                key_path: format!("{key_path}[{j}]"),
                dependency: format!("{} {version}", install.name),
                folder: folder.clone(),
                found,
                fix: missing_folder_fix(&installed, folder, install, key_path),
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

/// The fix for a `path` or `library_path` folder the dependency lacks. An archive with one
/// top folder (`zorg-1.2.0/bin/…`, the usual tarball) that holds the folder needs one more
/// `strip_components`, which is what an author who wrote `path: [bin]` most often forgot.
fn missing_folder_fix(installed: &Path, folder: &str, install: &Install, key_path: &str) -> String {
    let entries: Vec<_> = std::fs::read_dir(installed)
        .map(|entries| entries.filter_map(Result::ok).take(2).collect())
        .unwrap_or_default();
    let install_key = key_path
        .rsplit_once('.')
        .map_or(key_path, |(entry, _)| entry);
    if let [only] = entries.as_slice()
        && only.file_type().is_ok_and(|t| t.is_dir())
        && only.path().join(folder).is_dir()
    {
        return format!(
            "the archive has one top folder, `{}/`, which holds `{folder}`: set `strip_components: {}` in {install_key}",
            only.file_name().to_string_lossy(),
            install.strip_components + 1
        );
    }
    // A dependency installed whole, not extracted: its name has no suffix bpkit extracts
    // (`.tar.zst`, `.tar.lz`, a `.gz` alone), which no folder name can fix.
    if let [only] = entries.as_slice()
        && only.file_type().is_ok_and(|t| t.is_file())
        && !ArchiveKind::from_file_name(only.file_name()).is_archive()
    {
        return format!(
            "`{}` was installed as it is, not extracted, since bpkit extracts only the archives its uri's name says are .tgz, .tar.gz, .tar.xz, .txz, .tar.bz2, .tbz2, .tbz, .tar or .zip: give the dependency as one of those, or write `.` for the folder holding the file itself",
            only.file_name().to_string_lossy()
        );
    }
    "fix the folder name".to_string()
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

#[cfg(test)]
mod tests {
    use std::fs;

    use super::listing;

    /// A message shows a folder's first 10 entries, sorted, folders marked with `/`, and
    /// `…` only when there are more; an empty or missing folder holds "nothing".
    #[test]
    fn a_listing_shows_ten_entries_at_most() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(listing(&dir.path().join("missing")), ["nothing"]);
        assert_eq!(listing(dir.path()), ["nothing"]);
        fs::create_dir(dir.path().join("share")).unwrap();
        for i in 0..9 {
            fs::write(dir.path().join(format!("f{i}")), "").unwrap();
        }
        let ten = listing(dir.path());
        assert_eq!(ten.len(), 10, "{ten:?}");
        assert_eq!((ten[0].as_str(), ten[9].as_str()), ("f0", "share/"));
        fs::write(dir.path().join("z"), "").unwrap();
        let more = listing(dir.path());
        assert_eq!(more.len(), 11, "{more:?}");
        assert_eq!((more[9].as_str(), more[10].as_str()), ("share/", "…"));
    }
}
