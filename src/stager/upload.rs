//! Step 1, the app: copy it into the build dir as `cf push` would upload it, leaving out what
//! `.cfignore` leaves out ([`ignore`]) while still looking into left-out folders as the CLI
//! does ([`copy::upload_tree`]), and stop at a symbolic link that points outside the app
//! folder, which Cloud Controller refuses.

use std::fs;
use std::path::{Path, PathBuf};

use super::error::StageError;
use super::{Staging, copy, ignore};

impl Staging<'_> {
    pub(super) fn copy_app(&self, app_dir: &Path) -> Result<(), StageError> {
        let ignore = ignore::Ignore::for_app(app_dir)?;
        // The first uploaded link that points outside the app, which stops the staging.
        let outside: std::cell::RefCell<Option<(PathBuf, PathBuf)>> = std::cell::RefCell::new(None);
        // Exactly what `cf push` would upload: bpkit's own outputs and caches are never inside
        // the app folder (`out_dir`, and `--cache` is refused there), so nothing else is left out.
        for skipped in &ignore.skipped {
            // The CLI drops such a line without a word, and uploads what it meant to leave
            // out; so does the staging, but it says so.
            self.logger.warning(&format!(
                ".cfignore line {}: `{}` is not a valid pattern ({}); `cf push` skips the line, and so does this staging: fix or remove it",
                skipped.line, skipped.pattern, skipped.reason
            ));
        }
        let skip = |rel: &copy::RelPath<'_>| {
            if ignore.is_ignored(rel.path) {
                return true;
            }
            let link = app_dir.join(rel.path);
            match fs::read_link(&link) {
                Ok(target) if !link_stays_inside(app_dir, rel.path, &target) => {
                    outside.borrow_mut().get_or_insert((link, target));
                    true
                }
                _ => false,
            }
        };
        let build_dir = self.workspace.build_dir();
        copy::upload_tree(app_dir, &build_dir, &skip, self.deadline).map_err(|e| {
            // A file or folder this user may not read: `cf push` cannot upload it either.
            if e.kind() == std::io::ErrorKind::PermissionDenied
                && let Some(entry) = copy::Unreadable::of(&e)
                && let Ok(rel) = entry.path.strip_prefix(app_dir)
                && !rel.as_os_str().is_empty()
            {
                return StageError::CannotReadAppEntry {
                    path: entry.path.clone(),
                    rel: rel.to_path_buf(),
                    is_dir: fs::symlink_metadata(&entry.path).is_ok_and(|m| m.is_dir()),
                };
            }
            if crate::output::no_room_fix(e.kind()).is_some() {
                StageError::NoRoomToCopyApp {
                    dir: self.workspace.root().to_path_buf(),
                    source: e,
                }
            } else {
                StageError::access("copy the app from", app_dir, e)
            }
        })?;
        match outside.into_inner() {
            Some((link, target)) => Err(StageError::LinkOutsideApp { link, target }),
            None => Ok(()),
        }
    }
}

/// Whether the symbolic link at `link` (relative to the app folder, `/`-separated) to `target`
/// stays inside the app folder, as Cloud Controller requires of an upload: an absolute target
/// never does (the user's paths do not exist on the platform, and here a phase would write
/// through it into the user's files); a relative one must not climb above the app folder.
/// Read from the link's own folder, lexically, except that a `..` after a name walks up from
/// wherever that name really is: it is accepted only when every name walked down so far is a
/// real folder of the app (checked with lstat in `app_dir`), never a link. Read lexically
/// only, `a -> .` then `b -> a/a/../..` would stay inside while the kernel takes `b` to the
/// app folder's parent: `a/a` is the app folder itself, and each `..` climbs one more level.
fn link_stays_inside(app_dir: &Path, link: &str, target: &Path) -> bool {
    use std::path::Component;
    // The link's own folder: real folders, as the copy walks only into real folders.
    let mut at: PathBuf = Path::new(link)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut walked_down = 0usize;
    for component in target.components() {
        match component {
            Component::ParentDir => {
                if walked_down > 0 {
                    if !is_real_folder_chain(app_dir, &at) {
                        return false;
                    }
                    walked_down -= 1;
                } else if at.as_os_str().is_empty() {
                    return false;
                }
                at.pop();
            }
            Component::Normal(name) => {
                at.push(name);
                walked_down += 1;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

/// Whether `rel` and every folder above it in `app_dir` are real folders, not links.
fn is_real_folder_chain(app_dir: &Path, rel: &Path) -> bool {
    let mut prefix = app_dir.to_path_buf();
    rel.components().all(|component| {
        prefix.push(component);
        fs::symlink_metadata(&prefix).is_ok_and(|meta| meta.is_dir())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An app with the real folders `a/b` and `dir`, and the link `here -> .`.
    fn app() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a/b")).unwrap();
        fs::create_dir(dir.path().join("dir")).unwrap();
        std::os::unix::fs::symlink(".", dir.path().join("here")).unwrap();
        dir
    }

    #[test]
    fn a_link_stays_inside_when_it_does_not_climb_above_the_app_folder() {
        let app = app();
        let inside =
            |link: &str, target: &str| link_stays_inside(app.path(), link, Path::new(target));
        assert!(inside("link", "file"));
        assert!(inside("link", "./dir/../file"));
        assert!(inside("a/b/link", "../../file"));
        assert!(inside("a/link", "../a/b/../file"));
        assert!(inside("link", "."));
        assert!(inside("link", "here/here/file"));
        // A name that does not exist is walked into without a `..` after it.
        assert!(inside("link", "missing/file"));
    }

    #[test]
    fn a_link_leaves_when_it_climbs_above_the_app_folder_or_is_absolute() {
        let app = app();
        let inside =
            |link: &str, target: &str| link_stays_inside(app.path(), link, Path::new(target));
        assert!(!inside("link", ".."));
        assert!(!inside("a/b/link", "../../../file"));
        // Climbing out and back in still leaves, read lexically.
        assert!(!inside("a/link", "../../app/a/file"));
        // Down into a real folder and back up counts: the climb after it still leaves.
        assert!(!inside("link", "dir/../.."));
        assert!(!inside("a/link", "b/../../../file"));
        assert!(!inside("a/link", "/etc/passwd"));
        assert!(!inside("link", "/"));
    }

    /// `here -> .`: `here/here/../..` is lexically the app folder, but the kernel takes it to
    /// the app folder's parent, so a `..` after a link (or a name that is not a real folder,
    /// which may be made a link later) is refused.
    #[test]
    fn a_dotdot_after_a_link_is_refused() {
        let app = app();
        let inside =
            |link: &str, target: &str| link_stays_inside(app.path(), link, Path::new(target));
        assert!(!inside("link", "here/.."));
        assert!(!inside("link", "here/here/../../etc"));
        assert!(!inside("a/link", "../here/../a"));
        assert!(!inside("link", "missing/../file"));
        // Where it really leads: one level above the app folder.
        let real = fs::canonicalize(app.path().join("here/..")).unwrap();
        assert_eq!(
            real,
            fs::canonicalize(app.path().parent().unwrap()).unwrap()
        );
    }
}
