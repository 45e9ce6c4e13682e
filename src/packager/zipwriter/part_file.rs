//! The hidden, locked temporary file a zip is written to before it is renamed into place, and
//! the clean-up of those a killed run left behind.

use std::fs::{self, File};
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;

use super::ZipWriteError;

/// A hidden, locked `.bpkit-<file_name>.<random>.part` file in `dir`. Dropping the returned
/// path (on any error) deletes it. A process killed while writing cannot do that, so the file
/// stays locked while it is written: a later run that can lock a leftover knows its writer is
/// gone and deletes it ([`remove_abandoned`]).
pub(super) fn create_part(
    dir: &Path,
    file_name: &str,
) -> Result<(File, tempfile::TempPath), ZipWriteError> {
    let cannot_create =
        |cause| ZipWriteError::cannot_create(dir, crate::output::without_temp_path(cause));
    let mut attempts = 0;
    loop {
        let temp = tempfile::Builder::new()
            .prefix(&part_prefix(file_name))
            .suffix(".part")
            .tempfile_in(dir)
            .map_err(cannot_create)?;
        let (file, path) = temp.into_parts();
        file.lock().map_err(cannot_create)?;
        // Another run cleaning the folder up may have locked the file between its creation
        // and our lock, taken it for a leftover and deleted it: the zip would then be written
        // to a file with no name and fail at the rename. Once we hold the lock no one deletes
        // it, so a file still at its path is ours to keep.
        if is_at(&file, &path) {
            return Ok((file, path));
        }
        attempts += 1;
        if attempts == 3 {
            return Err(cannot_create(io::Error::other(
                "another bpkit run cleaning up this folder kept deleting the new temporary file",
            )));
        }
    }
}

/// Whether `file` (open) is the file at `path`.
fn is_at(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// The most of a zip's name a temporary file's name holds: with `.bpkit-`, the random part and
/// `.part` around it, a whole name near the 255 bytes a file name may have would not fit, and
/// a zip that can take its own name could not be written.
const MAX_NAME_IN_PART: usize = 200;

/// `.bpkit-<file_name>.`, the name cut at [`MAX_NAME_IN_PART`] bytes (on a character's edge).
fn part_prefix(file_name: &str) -> String {
    let mut end = file_name.len().min(MAX_NAME_IN_PART);
    while !file_name.is_char_boundary(end) {
        end -= 1;
    }
    format!(".bpkit-{}.", &file_name[..end])
}

/// Whether `name` is that of a zip's temporary file, `.bpkit-<file_name>.<random>.part`
/// (as `create_part` names them): never packaged, whatever include_files or exclude_files say, and
/// removed from the output folder by the next run once its writer is gone.
pub fn is_part_name(name: &str) -> bool {
    name.starts_with(".bpkit-") && name.to_ascii_lowercase().ends_with(".part")
}

/// Delete the zips' temporary files in `dir` (the output folder) left by killed runs, of any
/// zip's name: a leftover of another variant (cached or not, another stack or version) was
/// never removed, though each is as dead. Their writer held a lock on them, so one that can be
/// locked now is abandoned; one another run is writing stays. Packaging calls this before
/// anything reads the tree: a leftover in the buildpack folder was copied for `pre_package`,
/// and matched by an include_files glob (`*`).
pub fn remove_abandoned(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if !is_file || !is_part_name(&entry.file_name().to_string_lossy()) {
            continue;
        }
        // Neither following a link nor waiting on a fifo swapped in since it was listed.
        let open = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(entry.path());
        if let Ok(file) = open
            && file.try_lock().is_ok()
        {
            // Leaving it costs only disk space, never a wrong zip.
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs::{self, File};
    use std::os::unix::fs::PermissionsExt;

    use zip::DateTime;

    use crate::packager::zipwriter::samples::sample;
    use crate::packager::zipwriter::{Settings, write};

    /// Every abandoned temporary zip of the folder is removed, of this zip's name or another's
    /// (a killed cached run's, left by an uncached one, stayed for good); one being written
    /// (locked) stays, and so does anything else, `.part` files of other names included.
    #[test]
    fn abandoned_parts_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(".bpkit-out.zip.abc.part");
        fs::write(&dead, "half").unwrap();
        let live = dir.path().join(".bpkit-out.zip.def.part");
        let holder = File::create(&live).unwrap();
        holder.lock().unwrap();
        let other = dir.path().join(".bpkit-other-cached.zip.abc.part");
        fs::write(&other, "dead too").unwrap();
        let kept = ["data.part", ".bpkit-notes.txt", "out.zip"];
        for name in kept {
            fs::write(dir.path().join(name), "theirs").unwrap();
        }
        super::remove_abandoned(dir.path());
        let mut left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".bpkit-notes.txt",
                ".bpkit-out.zip.def.part",
                "data.part",
                "out.zip"
            ]
        );
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 1,
        };
        let dest = dir.path().join("out.zip");
        write(&sample(dir.path()), &dest, settings).unwrap();
        assert!(live.exists());
        assert_eq!(
            fs::metadata(&dest).unwrap().permissions().mode() & 0o777,
            0o644
        );
    }

    /// A temporary file deleted by a run cleaning up between its creation and its lock is
    /// told from one still at its path, so the writer makes another.
    #[test]
    fn a_temporary_file_deleted_before_its_lock_is_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".bpkit-out.zip.abc.part");
        let file = File::create(&path).unwrap();
        assert!(super::is_at(&file, &path));
        fs::remove_file(&path).unwrap();
        assert!(!super::is_at(&file, &path));
        fs::write(&path, "another").unwrap();
        assert!(!super::is_at(&file, &path));
    }

    /// A name of 255 bytes, the most a file name holds, is written: its temporary file's name
    /// holds only the start of it, where `.bpkit-<name>.<random>.part` was too long to create.
    #[test]
    fn a_zip_named_with_the_most_bytes_a_name_holds_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 1,
        };
        let name = format!("{}\u{e9}.zip", "a".repeat(249));
        assert_eq!(name.len(), 255);
        let dest = dir.path().join(&name);
        write(&sample(dir.path()), &dest, settings).unwrap();
        assert!(dest.is_file());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with(".bpkit-"))
            .collect();
        assert_eq!(names, Vec::<std::ffi::OsString>::new());
        assert_eq!(
            super::part_prefix(&name),
            format!(".bpkit-{}.", "a".repeat(200))
        );
        // Cut on a character's edge: the `é` at bytes 200 and 201 is left out whole.
        let name = format!("{}\u{e9}x.zip", "a".repeat(199));
        assert_eq!(
            super::part_prefix(&name),
            format!(".bpkit-{}.", "a".repeat(199))
        );
    }
}
