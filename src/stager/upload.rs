//! Step 1, the app: copy it into the build dir as `cf push` would upload it, leaving out what
//! `.cfignore` leaves out ([`ignore`]), and stop at a symbolic link that points
//! outside the app folder, which Cloud Controller refuses.

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
        copy::upload_tree(app_dir, &self.workspace.build_dir(), &|rel| {
            if ignore.is_ignored(rel.path, rel.is_dir) {
                return true;
            }
            let link = app_dir.join(rel.path);
            match fs::read_link(&link) {
                Ok(target) if !link_stays_inside(rel.path, &target) => {
                    outside.borrow_mut().get_or_insert((link, target));
                    true
                }
                _ => false,
            }
        })
        .map_err(|e| {
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
/// Read lexically, from the link's own folder.
fn link_stays_inside(link: &str, target: &Path) -> bool {
    use std::path::Component;
    let mut depth = link.split('/').count() - 1;
    for component in target.components() {
        match component {
            Component::ParentDir => match depth.checked_sub(1) {
                Some(up) => depth = up,
                None => return false,
            },
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_stays_inside_when_it_does_not_climb_above_the_app_folder() {
        assert!(link_stays_inside("link", Path::new("file")));
        assert!(link_stays_inside("link", Path::new("./dir/../file")));
        assert!(link_stays_inside("a/b/link", Path::new("../../file")));
        assert!(link_stays_inside("a/link", Path::new("../b/../a/file")));
        assert!(link_stays_inside("link", Path::new(".")));
    }

    #[test]
    fn a_link_leaves_when_it_climbs_above_the_app_folder_or_is_absolute() {
        assert!(!link_stays_inside("link", Path::new("..")));
        assert!(!link_stays_inside("a/b/link", Path::new("../../../file")));
        // Climbing out and back in still leaves, read lexically.
        assert!(!link_stays_inside("a/link", Path::new("../../app/a/file")));
        assert!(!link_stays_inside("a/link", Path::new("/etc/passwd")));
        assert!(!link_stays_inside("link", Path::new("/")));
    }
}
