//! Writing the files the phases leave behind (`env/` files, profile scripts, `config.yml`,
//! links) so that a crash never leaves half a file: each is written to a temporary file in the
//! same folder and renamed over its name.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A file-system operation that failed, with the path it was about, the system's reason and,
/// where the reason shows one, the fix (the system's words alone, `Operation not permitted (os
/// error 1)`, left a person staging by hand guessing what to change).
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {cause}{}", path.display(), fix(action, cause.kind()))]
pub struct FileError {
    pub action: &'static str,
    pub path: PathBuf,
    pub cause: io::Error,
}

impl FileError {
    pub fn new(action: &'static str, path: &Path, cause: io::Error) -> Self {
        FileError {
            action,
            path: path.to_path_buf(),
            cause,
        }
    }
}

/// What to do about a failed `action`, by the kind of failure, as `; …`; nothing when the
/// system's reason is all there is to say.
fn fix(action: &str, kind: io::ErrorKind) -> String {
    use io::ErrorKind;
    let reading = matches!(action, "list" | "read");
    let fix = match kind {
        ErrorKind::PermissionDenied if reading => "let the user staging the app read it",
        // EPERM maps here too: an immutable file (`chattr +i`) or a folder of another user.
        ErrorKind::PermissionDenied => {
            "let the user staging the app write there (check its owner, mode and `lsattr` flags)"
        }
        ErrorKind::ReadOnlyFilesystem => "stage on a file system that is mounted writable",
        // A file where a folder belongs, on the path or at its end.
        ErrorKind::AlreadyExists | ErrorKind::NotADirectory if !reading => {
            "a file is in the way of a folder there; remove it"
        }
        other => {
            return crate::output::no_room_fix(other)
                .map(|fix| format!("; {fix}"))
                .unwrap_or_default();
        }
    };
    format!("; {fix}")
}

/// Create a folder and its parents.
pub fn create_dir(path: &Path) -> Result<(), FileError> {
    fs::create_dir_all(path).map_err(|e| FileError::new("create the folder", path, e))
}

/// Write `contents` to `path` with `mode`, atomically (temporary file, then rename).
pub fn write_atomic(path: &Path, contents: &[u8], mode: u32) -> Result<(), FileError> {
    let error = |e| FileError::new("write", path, e);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    create_dir(dir)?;
    let mut file = tempfile::Builder::new()
        .prefix(TEMP_MARKER)
        .tempfile_in(dir)
        .map_err(|e| error(crate::output::without_temp_path(e)))?;
    file.write_all(contents).map_err(error)?;
    file.as_file()
        .set_permissions(fs::Permissions::from_mode(mode))
        .map_err(error)?;
    file.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

/// What the names of bpkit's temporary files and folders hold: `.bpkit-XXXXXX` for
/// [`write_atomic`], `.<name>.bpkit-XXXXXX` for a dependency being extracted.
pub const TEMP_MARKER: &str = ".bpkit-";

/// Whether `name` is one of bpkit's temporary files or folders (hidden, holding
/// [`TEMP_MARKER`]).
pub fn is_leftover(name: &str) -> bool {
    name.starts_with('.') && name.contains(TEMP_MARKER)
}

/// Remove the temporary files and folders that a phase killed mid-write left directly in `dir`
/// (SIGKILL runs no clean-up). Left there, a half-extracted dependency would ship in the
/// droplet, and a half-written script in `profile.d` would be copied to PROFILE_DIR and sourced
/// at launch. Only bpkit writes such names, so nothing else is touched. Returns how many were
/// removed; a missing `dir` has none.
pub fn remove_leftovers(dir: &Path) -> Result<usize, FileError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(FileError::new("list", dir, e)),
    };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        if !entry.file_name().to_str().is_some_and(is_leftover) {
            continue;
        }
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_dir_if_present(&path)?;
        } else {
            remove_file_if_present(&path)?;
        }
        removed += 1;
    }
    Ok(removed)
}

/// Remove a file or symbolic link if it is there (never follows a link).
pub fn remove_file_if_present(path: &Path) -> Result<(), FileError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(FileError::new("remove", path, e)),
        _ => Ok(()),
    }
}

/// Remove a folder tree, or whatever else is at `path` (a file, a link, which is not
/// followed), if anything is: every caller makes room for a folder it is about to put there,
/// and a file left where a dependency's folder goes must not stop a staging.
pub fn remove_dir_if_present(path: &Path) -> Result<(), FileError> {
    let result = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path).or_else(|e| {
            // A folder without write permission in the tree (Go's module cache, which a build
            // command may put under `{{dir}}`, is made read-only) cannot be emptied, even by
            // its owner: given back its owner's `rwx`, as `go clean -modcache` does, then
            // removed. (`rm -rf` would fail there as well.)
            if e.kind() != io::ErrorKind::PermissionDenied {
                return Err(e);
            }
            make_folders_writable(path);
            fs::remove_dir_all(path)
        }),
        Ok(_) => fs::remove_file(path),
        Err(e) => Err(e),
    };
    match result {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(FileError::new("remove", path, e)),
        _ => Ok(()),
    }
}

/// Give every folder of the tree at `path` its owner's `rwx`, following no link, so that it
/// can be emptied. Best effort: a folder of another user stays as it is, and its removal then
/// reports the failure.
fn make_folders_writable(path: &Path) {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    let mode = meta.permissions().mode();
    if mode & 0o700 != 0o700 {
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode | 0o700));
    }
    if let Ok(entries) = fs::read_dir(path) {
        for entry in entries.filter_map(Result::ok) {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                make_folders_writable(&entry.path());
            }
        }
    }
}

/// Make `link` a symbolic link to `target` (a relative path), replacing what was there.
pub fn replace_symlink(target: &Path, link: &Path) -> Result<(), FileError> {
    if fs::symlink_metadata(link).is_ok_and(|m| m.is_dir()) {
        remove_dir_if_present(link)?;
    } else {
        remove_file_if_present(link)?;
    }
    std::os::unix::fs::symlink(target, link).map_err(|e| FileError::new("create the link", link, e))
}

/// The sub-folders of `dir` whose names are all digits (the buildpack indexes of a deps dir),
/// highest index first, as libbuildpack orders them for PATH and friends.
pub fn index_dirs(dir: &Path) -> Result<Vec<String>, FileError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(FileError::new("list", dir, e)),
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    names.sort_by(|a, b| {
        let (x, y) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        y.len()
            .cmp(&x.len())
            .then_with(|| y.cmp(x))
            .then_with(|| b.cmp(a))
    });
    Ok(names)
}

/// How much of an app's file the phases read to look into it (detect's `contains`,
/// `version_from`'s `regex`): the markers they look for are near the top, detect runs for every
/// buildpack on every push, and a lock file or log can be large.
pub const APP_TEXT_LIMIT: u64 = 8 << 20;

/// The text of the start of an app's file, as an editor would show it: a byte-order mark is
/// taken off (Notepad and Visual Studio write one in UTF-8, and Windows PowerShell's
/// `echo 3.3.0 > .ruby-version` writes UTF-16 with one), and UTF-16 is decoded; anything else
/// is read as UTF-8, lossily, since the cut at the read limit may fall inside a character.
/// Windows line ends (`\r\n`) are read as `\n`, so that a pattern's `$` (in `(?m)`) matches
/// at the end of a line of a file saved on Windows as it does on Linux.
pub fn app_text(bytes: &[u8]) -> String {
    let text = decoded(bytes);
    if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

fn decoded(bytes: &[u8]) -> String {
    let utf16 = |rest: &[u8], word: fn([u8; 2]) -> u16| {
        let words: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| word([pair[0], pair[1]]))
            .collect();
        String::from_utf16_lossy(&words)
    };
    match bytes {
        [0xef, 0xbb, 0xbf, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        [0xff, 0xfe, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xfe, 0xff, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Open `path` for reading if it is a regular file (or a link to one), else `None`. The app's
/// files are the user's: opening a fifo to read it would wait for a writer that never comes
/// (detect and version choice would hang), so the open does not wait, and what it opened is
/// checked before a byte is read.
pub fn open_regular_file(path: &Path) -> Option<fs::File> {
    crate::regular_file::open(path).ok().map(|(file, _)| file)
}

/// Where a path of the app leads, once every link on it is followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppPath {
    /// Nothing there (or a link to nothing).
    Missing,
    /// Inside the app: the path with every link resolved.
    Inside(PathBuf),
    /// Outside the app (a link such as `.ruby-version -> /etc/passwd`, or a folder on the way
    /// that links out): where it leads.
    Outside(PathBuf),
}

/// Where `relative` (a path the manifest names, already refused when absolute or holding
/// `..`) leads in the app at `app_dir`. The phases read the app's files, never the staging
/// machine's: a link out of the app would have detect match, and a version request echo, what
/// the machine holds (the platform refuses such links in an upload, but a hand-run phase or
/// another platform does not).
pub fn resolve_in_app(app_dir: &Path, relative: &Path) -> AppPath {
    let Ok(real) = fs::canonicalize(app_dir.join(relative)) else {
        return AppPath::Missing;
    };
    match fs::canonicalize(app_dir) {
        Ok(app) if real.starts_with(&app) => AppPath::Inside(real),
        Ok(_) => AppPath::Outside(real),
        Err(_) => AppPath::Missing,
    }
}

/// The regular files directly in `dir`, sorted by name; none when it does not exist.
pub fn regular_files(dir: &Path) -> Result<Vec<PathBuf>, FileError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(FileError::new("list", dir, e)),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_error_says_the_fix_its_cause_shows() {
        let error = |action, kind| {
            FileError::new(action, Path::new("/d/0/config.yml"), io::Error::from(kind)).to_string()
        };
        let denied = io::ErrorKind::PermissionDenied;
        assert_eq!(
            error("write", denied),
            "cannot write /d/0/config.yml: permission denied; let the user staging the app write there (check its owner, mode and `lsattr` flags)"
        );
        assert_eq!(
            error("list", denied),
            "cannot list /d/0/config.yml: permission denied; let the user staging the app read it"
        );
        assert_eq!(
            error("create the folder", io::ErrorKind::NotADirectory),
            "cannot create the folder /d/0/config.yml: not a directory; a file is in the way of a folder there; remove it"
        );
        assert_eq!(
            error("write", io::ErrorKind::StorageFull),
            "cannot write /d/0/config.yml: no storage space; the disk is full; free space on it (`df -h`)"
        );
        // Reading through a file is not mended by removing it: what is read is the app's or
        // another buildpack's, so the system's words stand alone there.
        assert_eq!(
            error("list", io::ErrorKind::NotADirectory),
            "cannot list /d/0/config.yml: not a directory"
        );
        // Nothing to add: the system's words stand alone.
        assert_eq!(
            error("remove", io::ErrorKind::Interrupted),
            "cannot remove /d/0/config.yml: operation interrupted"
        );
        // From the system, the words are its own (`Operation not permitted (os error 1)`).
        let eperm = FileError::new("write", Path::new("/f"), io::Error::from_raw_os_error(1));
        assert_eq!(
            eperm.to_string(),
            "cannot write /f: Operation not permitted (os error 1); let the user staging the app write there (check its owner, mode and `lsattr` flags)"
        );
    }

    /// Only bpkit's own temporary names (hidden, holding `.bpkit-`) are removed: a folder with
    /// what it holds, a file, a link without what it leads to; the app's or a buildpack's own
    /// names are left, a missing folder has none, and one that cannot be listed is named.
    #[test]
    fn leftovers_are_only_bpkit_temporary_names() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("d");
        fs::create_dir_all(d.join(".ruby.bpkit-a1b2c3/bin")).unwrap();
        fs::write(d.join(".ruby.bpkit-a1b2c3/bin/ruby"), "half").unwrap();
        fs::write(d.join(".bpkit-x1y2z3"), "half").unwrap();
        let target = dir.path().join("target");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("kept"), "x").unwrap();
        std::os::unix::fs::symlink(&target, d.join(".bpkit-link")).unwrap();
        for name in ["ruby", "bpkit-x", "x.bpkit-y", ".hidden", ".bpkit"] {
            fs::write(d.join(name), "kept").unwrap();
        }
        assert_eq!(remove_leftovers(&d).unwrap(), 3);
        let mut left: Vec<String> = fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, [".bpkit", ".hidden", "bpkit-x", "ruby", "x.bpkit-y"]);
        assert!(target.join("kept").exists());
        assert_eq!(remove_leftovers(&d).unwrap(), 0);
        assert_eq!(remove_leftovers(&dir.path().join("missing")).unwrap(), 0);
    }

    /// A folder that cannot be listed is not taken as an empty one (a deps dir without
    /// buildpacks, a folder without files or leftovers), as a missing one is: each names it.
    #[test]
    fn a_folder_that_cannot_be_listed_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        let expected = format!(
            "cannot list {}: Not a directory (os error 20)",
            file.display()
        );
        assert_eq!(index_dirs(&file).unwrap_err().to_string(), expected);
        assert_eq!(regular_files(&file).unwrap_err().to_string(), expected);
        assert_eq!(remove_leftovers(&file).unwrap_err().to_string(), expected);
    }

    #[test]
    fn remove_dir_if_present_removes_whatever_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("tree");
        fs::create_dir_all(tree.join("sub")).unwrap();
        fs::write(tree.join("sub/f"), "x").unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&tree, &link).unwrap();
        for path in [&link, &file, &tree, &dir.path().join("absent")] {
            remove_dir_if_present(path).unwrap();
            assert!(fs::symlink_metadata(path).is_err(), "{}", path.display());
        }
    }

    /// What stands in the way is reported, not taken as removed: a folder where a file is
    /// removed, a file on the way to a folder.
    #[test]
    fn a_removal_that_fails_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("folder");
        fs::create_dir(&folder).unwrap();
        assert_eq!(
            remove_file_if_present(&folder).unwrap_err().to_string(),
            format!(
                "cannot remove {}: Is a directory (os error 21)",
                folder.display()
            )
        );
        assert!(folder.is_dir());
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        for remove in [remove_file_if_present, remove_dir_if_present] {
            assert_eq!(
                remove(&file.join("sub")).unwrap_err().to_string(),
                format!(
                    "cannot remove {}/sub: Not a directory (os error 20); a file is in the way of a folder there; remove it",
                    file.display()
                )
            );
        }
    }

    /// A tree holding read-only folders (Go's module cache, which a build command may put
    /// under `{{dir}}`) is removed by `remove_dir_if_present` alone, as supply does again over
    /// its earlier install. Root removes through any mode, so as root the test is run again as
    /// `nobody`.
    #[test]
    fn a_tree_holding_read_only_folders_is_removed() {
        use std::os::unix::fs::MetadataExt;
        use std::process::Command;
        if fs::metadata("/proc/self").unwrap().uid() == 0 {
            let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"];
            // This test binary, run as nobody: a checkout under root's own home (0700), as in
            // many containers, is out of nobody's reach, and that is no failure of the code.
            let works = Command::new("setpriv")
                .args(nobody)
                .arg(std::env::current_exe().unwrap())
                .arg("--list")
                .output()
                .is_ok_and(|o| o.status.success());
            if !works {
                eprintln!(
                    "skipped: running as root, and `setpriv` cannot run this test binary as nobody (no setpriv, or the binary out of nobody's reach)"
                );
                return;
            }
            let run = Command::new("setpriv")
                .args(nobody)
                .arg(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "phases::files::tests::a_tree_holding_read_only_folders_is_removed",
                ])
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&run.stdout);
            assert!(
                run.status.success() && stdout.contains("test result: ok. 1 passed"),
                "{stdout}{}",
                String::from_utf8_lossy(&run.stderr)
            );
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("tree");
        fs::create_dir_all(tree.join("mod/x@v1/y")).unwrap();
        fs::write(tree.join("mod/x@v1/y/f"), "x").unwrap();
        for folder in ["mod/x@v1/y", "mod/x@v1", "mod"] {
            fs::set_permissions(tree.join(folder), fs::Permissions::from_mode(0o555)).unwrap();
        }
        remove_dir_if_present(&tree).unwrap();
        assert!(!tree.exists());
    }

    /// Read-only folders in a tree (Go's module cache) are made their owner's again, not
    /// through links, so that the tree can be removed.
    #[test]
    fn read_only_folders_are_made_writable_to_be_removed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::create_dir(&outside).unwrap();
        fs::set_permissions(&outside, fs::Permissions::from_mode(0o555)).unwrap();
        let tree = dir.path().join("tree");
        fs::create_dir_all(tree.join("mod/x/y")).unwrap();
        fs::write(tree.join("mod/x/y/f"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, tree.join("mod/link")).unwrap();
        for folder in ["mod/x/y", "mod/x", "mod"] {
            fs::set_permissions(tree.join(folder), fs::Permissions::from_mode(0o555)).unwrap();
        }
        make_folders_writable(&tree);
        for folder in ["mod", "mod/x", "mod/x/y"] {
            let mode = fs::metadata(tree.join(folder))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o755, "{folder}");
        }
        let mode = fs::metadata(&outside).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o555, "a link is not followed");
        remove_dir_if_present(&tree).unwrap();
        assert!(!tree.exists());
    }

    #[test]
    fn only_regular_files_are_opened_and_a_fifo_is_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "3.2.1\n").unwrap();
        std::os::unix::fs::symlink(&file, dir.path().join("link")).unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(open_regular_file(&file).is_some());
        assert!(open_regular_file(&dir.path().join("link")).is_some());
        assert!(open_regular_file(dir.path()).is_none());
        assert!(open_regular_file(&fifo).is_none());
        assert!(open_regular_file(&dir.path().join("missing")).is_none());
    }

    #[test]
    fn app_paths_that_lead_out_of_the_app_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let app = dir.path().join("app");
        fs::create_dir_all(app.join("sub")).unwrap();
        fs::write(app.join("sub/file"), "1.0").unwrap();
        fs::write(dir.path().join("secret"), "x").unwrap();
        let link = |target: &str, name: &str| {
            std::os::unix::fs::symlink(target, app.join(name)).unwrap();
        };
        link("sub/file", "inner");
        link("../secret", "outer");
        link("..", "up");
        link("missing", "dangling");
        let real = |p: &Path| fs::canonicalize(p).unwrap();
        let resolve = |relative: &str| resolve_in_app(&app, Path::new(relative));
        assert_eq!(
            resolve("sub/file"),
            AppPath::Inside(real(&app.join("sub/file")))
        );
        assert_eq!(
            resolve("inner"),
            AppPath::Inside(real(&app.join("sub/file")))
        );
        assert_eq!(
            resolve("outer"),
            AppPath::Outside(real(&dir.path().join("secret")))
        );
        assert_eq!(
            resolve("up/secret"),
            AppPath::Outside(real(&dir.path().join("secret")))
        );
        assert_eq!(resolve("dangling"), AppPath::Missing);
        assert_eq!(resolve("absent"), AppPath::Missing);
    }

    #[test]
    fn app_text_takes_off_a_byte_order_mark_and_decodes_utf16() {
        assert_eq!(app_text(b"\xef\xbb\xbf1.1.0\r\n"), "1.1.0\n");
        assert_eq!(app_text(b"\xff\xfe1\x00.\x002\x00\r\x00\n\x00"), "1.2\n");
        assert_eq!(app_text(b"a\r\nb\rc\n"), "a\nb\rc\n");
        assert_eq!(app_text(b"\xfe\xff\x001\x00.\x002"), "1.2");
        assert_eq!(app_text(b"3.3.0\n"), "3.3.0\n");
        // A cut inside a character, and bytes that are not UTF-8, are replaced, not refused;
        // a cut inside a UTF-16 unit drops its half.
        assert_eq!(app_text(b"ruby \xc3"), "ruby \u{fffd}");
        assert_eq!(app_text(b"\xff\xfe1\x00\x00"), "1");
    }

    #[test]
    fn writes_atomically_with_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/x.sh");
        write_atomic(&path, b"one", 0o755).unwrap();
        write_atomic(&path, b"two", 0o755).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o755
        );
        assert_eq!(fs::read_dir(dir.path().join("sub")).unwrap().count(), 1);
    }

    #[test]
    fn index_dirs_are_numeric_and_highest_first() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["0", "1", "10", "2", "sentinel", "03"] {
            fs::create_dir(dir.path().join(name)).unwrap();
        }
        fs::write(dir.path().join("5"), "a file").unwrap();
        assert_eq!(index_dirs(dir.path()).unwrap(), ["10", "03", "2", "1", "0"]);
        assert!(index_dirs(&dir.path().join("missing")).unwrap().is_empty());
    }

    #[test]
    fn symlinks_replace_what_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("l");
        fs::write(&link, "file").unwrap();
        replace_symlink(Path::new("a"), &link).unwrap();
        replace_symlink(Path::new("b"), &link).unwrap();
        assert_eq!(fs::read_link(&link).unwrap(), Path::new("b"));
    }
}
