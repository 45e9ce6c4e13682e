//! The hidden, locked temporary file a zip is written to before it is renamed into place, and
//! the clean-up of those a killed run left behind.

use std::fs::{self, File};
use std::path::Path;

use super::ZipWriteError;

/// A hidden, locked `.bpkit-<file_name>.<random>.part` file in `dir`. Dropping the returned
/// path (on any error) deletes it. A process killed while writing cannot do that, so the file
/// stays locked while it is written: a later run that can lock a leftover knows its writer is
/// gone and deletes it.
pub(super) fn create_part(
    dir: &Path,
    file_name: &str,
) -> Result<(File, tempfile::TempPath), ZipWriteError> {
    let cannot_create =
        |cause| ZipWriteError::cannot_create(dir, crate::output::without_temp_path(cause));
    let temp = tempfile::Builder::new()
        .prefix(&part_prefix(file_name))
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(cannot_create)?;
    let (file, path) = temp.into_parts();
    file.lock().map_err(cannot_create)?;
    remove_abandoned(dir, file_name, &path);
    Ok((file, path))
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

/// Delete `.bpkit-<file_name>.*.part` files in `dir` left by killed runs: their writer held
/// a lock on them, so one that can be locked now is abandoned. `ours` is never touched.
fn remove_abandoned(dir: &Path, file_name: &str, ours: &Path) {
    let prefix = part_prefix(file_name);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path == ours
            || !name.starts_with(&prefix)
            || Path::new(name.as_ref())
                .extension()
                .is_none_or(|e| e != "part")
        {
            continue;
        }
        if let Ok(file) = File::open(&path)
            && file.try_lock().is_ok()
        {
            // Leaving it costs only disk space, never a wrong zip.
            let _ = fs::remove_file(&path);
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

    #[test]
    fn abandoned_parts_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(".bpkit-out.zip.abc.part");
        fs::write(&dead, "half").unwrap();
        let live = dir.path().join(".bpkit-out.zip.def.part");
        let holder = File::create(&live).unwrap();
        holder.lock().unwrap();
        let other = dir.path().join(".bpkit-other.zip.abc.part");
        fs::write(&other, "not ours").unwrap();
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 1,
        };
        let dest = dir.path().join("out.zip");
        write(&sample(dir.path()), &dest, settings).unwrap();
        assert!(!dead.exists());
        assert!(live.exists());
        assert!(other.exists());
        assert_eq!(
            fs::metadata(&dest).unwrap().permissions().mode() & 0o777,
            0o644
        );
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
