//! Copying folder trees the way `cp -a` does (the builder copies the staged app with it):
//! modes and modification times kept, symbolic links copied as links (never followed), so the
//! copy is the same tree and nothing outside it is read. A copy stops with an error between
//! two entries once bpkit is asked to stop.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Copy the contents of `src` into `dst` (created if missing). `skip` is asked about every
/// entry's path relative to `src` (with `/` separators); a skipped folder is not entered.
pub fn copy_tree(src: &Path, dst: &Path, skip: &dyn Fn(&RelPath<'_>) -> bool) -> io::Result<()> {
    fs::create_dir_all(dst)?;
    copy_dir_contents(src, dst, "", skip)?;
    let meta = fs::metadata(src)?;
    set_dir_permissions(dst, &meta)
}

/// An entry's path relative to the root of the copy, and whether it is a folder.
#[derive(Debug, Clone, Copy)]
pub struct RelPath<'a> {
    pub path: &'a str,
    pub is_dir: bool,
}

fn copy_dir_contents(
    src: &Path,
    dst: &Path,
    prefix: &str,
    skip: &dyn Fn(&RelPath<'_>) -> bool,
) -> io::Result<()> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(src)
        .map_err(|e| with_path(&e, src))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        // A Ctrl-C while a large app or cache is copied stops the copy, not only the phases.
        if crate::process_group::termination_requested() {
            return Err(io::Error::other("interrupted"));
        }
        let name = entry.file_name();
        let rel = format!("{prefix}{}", name.to_string_lossy());
        let from = entry.path();
        let to = dst.join(&name);
        let meta = fs::symlink_metadata(&from).map_err(|e| with_path(&e, &from))?;
        let kind = meta.file_type();
        if skip(&RelPath {
            path: &rel,
            is_dir: kind.is_dir(),
        }) {
            continue;
        }
        if kind.is_symlink() {
            let target = fs::read_link(&from).map_err(|e| with_path(&e, &from))?;
            std::os::unix::fs::symlink(&target, &to).map_err(|e| with_path(&e, &to))?;
        } else if kind.is_dir() {
            fs::create_dir_all(&to).map_err(|e| with_path(&e, &to))?;
            copy_dir_contents(&from, &to, &format!("{rel}/"), skip)?;
            set_dir_permissions(&to, &meta)?;
        } else if kind.is_file() {
            fs::copy(&from, &to).map_err(|e| with_path(&e, &from))?;
            let file = fs::File::options().write(true).open(&to)?;
            if let Ok(modified) = meta.modified() {
                let _ = file.set_modified(modified);
            }
        }
        // Sockets, fifos and devices are not app files; like an upload, they are left out.
    }
    Ok(())
}

fn set_dir_permissions(dir: &Path, meta: &fs::Metadata) -> io::Result<()> {
    // Keep the folder writable for us while copying into it happened; apply the mode after.
    let mode = meta.permissions().mode() & 0o7777;
    fs::set_permissions(dir, fs::Permissions::from_mode(mode | 0o700))
}

fn with_path(error: &io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_modes_and_links_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        fs::create_dir_all(src.join("sub")).unwrap();
        fs::write(src.join("run.sh"), "#!/bin/sh\n").unwrap();
        fs::set_permissions(src.join("run.sh"), fs::Permissions::from_mode(0o755)).unwrap();
        fs::write(src.join("sub/data"), "x").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", src.join("abs-link")).unwrap();
        std::os::unix::fs::symlink("sub/data", src.join("rel-link")).unwrap();
        fs::create_dir_all(src.join(".git")).unwrap();
        fs::write(src.join(".git/HEAD"), "ref").unwrap();

        let dst = dir.path().join("dst");
        copy_tree(&src, &dst, &|rel| rel.path == ".git").unwrap();

        let mode = fs::metadata(dst.join("run.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
        assert_eq!(fs::read_to_string(dst.join("sub/data")).unwrap(), "x");
        assert_eq!(
            fs::read_link(dst.join("abs-link")).unwrap(),
            Path::new("/etc/passwd")
        );
        assert_eq!(
            fs::read_link(dst.join("rel-link")).unwrap(),
            Path::new("sub/data")
        );
        assert!(!dst.join(".git").exists());
    }
}
