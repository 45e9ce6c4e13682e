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
    let cannot_create = |cause| ZipWriteError::CannotCreate {
        dir: dir.to_path_buf(),
        cause: crate::output::without_temp_path(cause),
    };
    let temp = tempfile::Builder::new()
        .prefix(&format!(".bpkit-{file_name}."))
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(cannot_create)?;
    let (file, path) = temp.into_parts();
    file.lock().map_err(cannot_create)?;
    remove_abandoned(dir, file_name, &path);
    Ok((file, path))
}

/// Delete `.bpkit-<file_name>.*.part` files in `dir` left by killed runs: their writer held
/// a lock on them, so one that can be locked now is abandoned. `ours` is never touched.
fn remove_abandoned(dir: &Path, file_name: &str, ours: &Path) {
    let prefix = format!(".bpkit-{file_name}.");
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
}
