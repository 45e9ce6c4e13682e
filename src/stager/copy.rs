//! Copying folder trees the way `cp -a` does (the builder copies the staged app with it):
//! modes and modification times kept, symbolic links copied as links (never followed), so the
//! copy is the same tree and nothing outside it is read; and copying an app as `cf push` uploads
//! it, where every folder becomes 0755. A copy stops with an error between two entries, and
//! inside a large file between two chunks, once bpkit is asked to stop or the staging's
//! deadline has passed ([`deadline::check`]).

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::deadline::{self, Deadline};

/// Copy the contents of `src` into `dst` (created if missing). `skip` is asked about every
/// entry's path relative to `src` (with `/` separators); a skipped folder is not entered. The
/// copy stops between two entries, or two chunks of a file, once `deadline` has passed.
pub fn copy_tree(
    src: &Path,
    dst: &Path,
    skip: &dyn Fn(&RelPath<'_>) -> bool,
    deadline: Option<Deadline>,
) -> io::Result<()> {
    copy_root(src, dst, skip, FolderMode::Kept, deadline)
}

/// Copy an app folder as `cf push` uploads it: like [`copy_tree`], but every folder gets mode
/// 0755, the CLI's `DefaultFolderPermissions` (it records no folder's own mode in the upload,
/// while files keep theirs), so the build dir the buildpacks see has the platform's modes: a
/// folder that is 0700 (or 000, readable only to root) in the app is 0755 in the droplet.
/// And a skipped folder is still looked into, as the CLI's walk looks into every folder: what
/// in it is not skipped is copied (the folder made for it), so a `.cfignore` `!` line can bring
/// back a file of a left-out folder.
pub fn upload_tree(
    src: &Path,
    dst: &Path,
    skip: &dyn Fn(&RelPath<'_>) -> bool,
    deadline: Option<Deadline>,
) -> io::Result<()> {
    copy_root(src, dst, skip, FolderMode::Upload, deadline)
}

fn copy_root(
    src: &Path,
    dst: &Path,
    skip: &dyn Fn(&RelPath<'_>) -> bool,
    folder_mode: FolderMode,
    deadline: Option<Deadline>,
) -> io::Result<()> {
    fs::create_dir_all(dst)?;
    copy_dir_contents(src, dst, "", skip, folder_mode, deadline)?;
    let meta = fs::metadata(src)?;
    set_dir_permissions(dst, &meta, folder_mode)
}

/// What a copied folder's mode becomes, and whether a skipped folder is looked into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FolderMode {
    /// The source folder's mode, plus owner rwx so the copy can be written and removed; a
    /// skipped folder is not entered.
    Kept,
    /// 0755, as an upload by the CLI gives every folder; a skipped folder is looked into.
    Upload,
}

/// An entry's path relative to the root of the copy, and whether it is a folder.
#[derive(Debug, Clone, Copy)]
pub struct RelPath<'a> {
    pub path: &'a str,
    pub is_dir: bool,
}

/// Copy what is in `src` into `dst`; true when anything was copied.
fn copy_dir_contents(
    src: &Path,
    dst: &Path,
    prefix: &str,
    skip: &dyn Fn(&RelPath<'_>) -> bool,
    folder_mode: FolderMode,
    deadline: Option<Deadline>,
) -> io::Result<bool> {
    let mut copied = false;
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(src)
        .map_err(|e| unreadable(e, src))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        // A Ctrl-C, or the deadline, while a large app or cache is copied stops the copy, not
        // only the phases.
        deadline::check(deadline)?;
        let name = entry.file_name();
        let rel = format!("{prefix}{}", name.to_string_lossy());
        let from = entry.path();
        let to = dst.join(&name);
        let meta = fs::symlink_metadata(&from).map_err(|e| unreadable(e, &from))?;
        let kind = meta.file_type();
        if skip(&RelPath {
            path: &rel,
            is_dir: kind.is_dir(),
        }) {
            if kind.is_dir() && folder_mode == FolderMode::Upload {
                // Made for what in it is copied, and removed again when nothing is.
                fs::create_dir(&to).map_err(|e| with_path(&e, &to))?;
                let inner = format!("{rel}/");
                if copy_dir_contents(&from, &to, &inner, skip, folder_mode, deadline)? {
                    set_dir_permissions(&to, &meta, folder_mode)?;
                    copied = true;
                } else {
                    fs::remove_dir(&to).map_err(|e| with_path(&e, &to))?;
                }
            }
            continue;
        }
        if kind.is_symlink() {
            let target = fs::read_link(&from).map_err(|e| unreadable(e, &from))?;
            std::os::unix::fs::symlink(&target, &to).map_err(|e| with_path(&e, &to))?;
            copied = true;
        } else if kind.is_dir() {
            fs::create_dir_all(&to).map_err(|e| with_path(&e, &to))?;
            copy_dir_contents(&from, &to, &format!("{rel}/"), skip, folder_mode, deadline)?;
            set_dir_permissions(&to, &meta, folder_mode)?;
            copied = true;
        } else if kind.is_file() {
            copy_file(&from, &to, &meta, deadline)?;
            copied = true;
        }
        // Sockets, fifos and devices are not app files; like an upload, they are left out.
    }
    Ok(copied)
}

/// Copy one file with its contents, modification time and mode. The mode comes last, on the
/// open copy: a read-only file (0444, as Go's module cache and many checkouts hold) cannot be
/// opened for writing once it has its mode, and opening it again to set the time failed every
/// staging of such an app (and every save of such a cache) for a user other than root. The copy
/// stops between two chunks once `deadline` has passed.
fn copy_file(
    from: &Path,
    to: &Path,
    meta: &fs::Metadata,
    deadline: Option<Deadline>,
) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut source = fs::File::open(from).map_err(|e| unreadable(e, from))?;
    let mut copy = fs::File::options()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(to)
        .map_err(|e| with_path(&e, to))?;
    // In chunks, so that a multi-gigabyte file is not copied whole past a Ctrl-C or the deadline.
    crate::stoppable::copy_in_chunks(&mut source, &mut copy, crate::stoppable::CHUNK, &mut || {
        deadline::check(deadline)
    })
    .map_err(|e| with_path(&e, from))?;
    if let Ok(modified) = meta.modified() {
        let _ = copy.set_modified(modified);
    }
    copy.set_permissions(meta.permissions())
        .map_err(|e| with_path(&e, to))
}

fn set_dir_permissions(dir: &Path, meta: &fs::Metadata, folder_mode: FolderMode) -> io::Result<()> {
    let mode = match folder_mode {
        // Owner rwx kept, so the copy can be replaced or removed later without root.
        FolderMode::Kept => (meta.permissions().mode() & 0o7777) | 0o700,
        FolderMode::Upload => 0o755,
    };
    fs::set_permissions(dir, fs::Permissions::from_mode(mode))
}

/// An entry of the tree being copied that could not be read (a file or folder this user may
/// not read): carried inside the `io::Error`, so that a caller can name it and the fix.
#[derive(Debug)]
pub struct Unreadable {
    pub path: std::path::PathBuf,
    pub error: io::Error,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.error)
    }
}

// No `source()`: the message already holds the cause, which a chain printer would repeat.
impl std::error::Error for Unreadable {}

impl Unreadable {
    /// The entry an error of [`copy_tree`] or [`upload_tree`] could not read, if it was that.
    pub fn of(error: &io::Error) -> Option<&Unreadable> {
        error.get_ref()?.downcast_ref::<Unreadable>()
    }
}

fn unreadable(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(
        error.kind(),
        Unreadable {
            path: path.to_path_buf(),
            error,
        },
    )
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
        copy_tree(&src, &dst, &|rel| rel.path == ".git", None).unwrap();

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

    /// What could not be read is carried in the error, for the caller to name with the fix;
    /// the error's text is the path and the cause. Another error carries nothing.
    #[test]
    fn an_entry_that_cannot_be_read_is_carried_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let error = copy_tree(&missing, &dir.path().join("dst"), &|_| false, None).unwrap_err();
        let entry = Unreadable::of(&error).unwrap();
        assert_eq!(entry.path, missing);
        assert_eq!(entry.error.kind(), io::ErrorKind::NotFound);
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert_eq!(
            error.to_string(),
            format!(
                "{}: No such file or directory (os error 2)",
                missing.display()
            )
        );
        assert!(Unreadable::of(&io::Error::other("elsewhere")).is_none());
        assert!(Unreadable::of(&io::Error::from(io::ErrorKind::NotFound)).is_none());
    }

    #[test]
    fn read_only_files_keep_their_mode_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("ro"), "read only").unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        fs::File::options()
            .write(true)
            .open(src.join("ro"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        fs::set_permissions(src.join("ro"), fs::Permissions::from_mode(0o444)).unwrap();
        let dst = dir.path().join("dst");
        copy_tree(&src, &dst, &|_| false, None).unwrap();
        let meta = fs::metadata(dst.join("ro")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, 0o444);
        assert_eq!(meta.modified().unwrap(), old);
        assert_eq!(fs::read_to_string(dst.join("ro")).unwrap(), "read only");
    }

    #[test]
    fn an_upload_gives_every_folder_0755_and_keeps_file_modes() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        fs::create_dir_all(src.join("private/inner")).unwrap();
        fs::write(src.join("private/inner/key"), "k").unwrap();
        fs::set_permissions(
            src.join("private/inner/key"),
            fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        fs::set_permissions(src.join("private/inner"), fs::Permissions::from_mode(0o750)).unwrap();
        fs::set_permissions(src.join("private"), fs::Permissions::from_mode(0o700)).unwrap();
        fs::set_permissions(&src, fs::Permissions::from_mode(0o770)).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;

        let uploaded = dir.path().join("uploaded");
        upload_tree(&src, &uploaded, &|_| false, None).unwrap();
        assert_eq!(mode(&uploaded), 0o755);
        assert_eq!(mode(&uploaded.join("private")), 0o755);
        assert_eq!(mode(&uploaded.join("private/inner")), 0o755);
        assert_eq!(mode(&uploaded.join("private/inner/key")), 0o600);

        let copied = dir.path().join("copied");
        copy_tree(&src, &copied, &|_| false, None).unwrap();
        assert_eq!(mode(&copied), 0o770);
        assert_eq!(mode(&copied.join("private/inner")), 0o750);
    }

    /// An upload looks into a skipped folder as the CLI's walk does: what in it is not skipped
    /// is copied, in a 0755 folder made for it; a skipped folder with nothing copied is not
    /// made. A plain copy does not enter a skipped folder.
    #[test]
    fn an_upload_looks_into_a_skipped_folder() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        fs::create_dir_all(src.join("left/deeper")).unwrap();
        fs::create_dir_all(src.join("gone/empty")).unwrap();
        fs::write(src.join("left/deeper/keep"), "k").unwrap();
        fs::write(src.join("left/drop"), "d").unwrap();
        fs::write(src.join("gone/drop"), "d").unwrap();
        fs::set_permissions(src.join("left"), fs::Permissions::from_mode(0o700)).unwrap();
        let skip = |rel: &RelPath<'_>| !rel.path.ends_with("keep");

        let uploaded = dir.path().join("uploaded");
        upload_tree(&src, &uploaded, &skip, None).unwrap();
        assert_eq!(
            fs::read_to_string(uploaded.join("left/deeper/keep")).unwrap(),
            "k"
        );
        assert!(!uploaded.join("left/drop").exists());
        assert!(!uploaded.join("gone").exists());
        let mode = fs::metadata(uploaded.join("left"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o7777, 0o755);

        let copied = dir.path().join("copied");
        copy_tree(&src, &copied, &skip, None).unwrap();
        assert_eq!(fs::read_dir(&copied).unwrap().count(), 0);
    }

    /// `--timeout` covers copying the app and the cache: once the deadline has passed, the copy
    /// stops before the next entry, where it ran to the end of the tree.
    #[test]
    fn a_copy_stops_once_the_deadline_has_passed() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        fs::create_dir_all(src.join("sub")).unwrap();
        fs::write(src.join("a"), "a").unwrap();
        fs::write(src.join("sub/b"), "b").unwrap();
        let passed = Some(Deadline {
            at: std::time::Instant::now(),
            secs: 1,
        });
        for copy in [copy_tree, upload_tree] {
            let dst = dir.path().join("dst");
            let error = copy(&src, &dst, &|_| false, passed).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::TimedOut, "{error}");
            assert_eq!(fs::read_dir(&dst).unwrap().count(), 0);
            fs::remove_dir(&dst).unwrap();
        }
        let later = Deadline::after_secs(900);
        copy_tree(&src, &dir.path().join("dst"), &|_| false, later).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("dst/sub/b")).unwrap(),
            "b"
        );
    }
}
