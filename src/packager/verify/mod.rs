//! `bpkit verify ZIP`: check a built buildpack zip the way the platform will use it — the
//! manifest parses and is under Cloud Controller's 1 MiB limit, every `file:` is in the zip
//! with the manifest's checksums, `bin/` entries are executable, the phases exist, `bin/bpkit`
//! is a binary and not the bootstrap script (and starts on the zip's stacks), entries and
//! links stay inside the zip, the stack in the manifest agrees with its dependencies and the
//! file name, and every entry's data is intact (its CRC-32), as the platform's extractor will
//! find it.
//!
//! Files: `entries` reads the zip's entries and checks each one's name, kind and mode and where
//! its symlinks lead (`links` is that path logic, no I/O); `phases` checks `bin/` (the phases
//! and the bpkit binary); `manifest` checks the packaged `manifest.yml` against the zip (its
//! size and validity, the stack, every dependency's `file:` and checksums, a cached zip's
//! name); `report` is the [`Report`] of [`Finding`]s and `error` the [`VerifyError`] for a zip
//! that cannot be checked at all. What is left here is the order of the checks.

mod entries;
mod error;
mod links;
mod manifest;
mod phases;
mod report;

use crate::regular_file::OpenError;
use std::collections::BTreeSet;
use std::path::Path;

pub use error::VerifyError;
pub use report::{Finding, Report};

/// Check the zip at `path`.
pub fn verify(path: &Path) -> Result<Report, VerifyError> {
    // Opened without waiting: a fifo would block until a writer came.
    let (file, _) = crate::regular_file::open(path).map_err(|e| match e {
        OpenError::Io(cause) => VerifyError::CannotOpen {
            path: path.to_path_buf(),
            cause,
        },
        OpenError::NotAFile(found) => VerifyError::NotAFile {
            path: path.to_path_buf(),
            found,
        },
    })?;
    let not_a_zip = |e: &dyn std::fmt::Display| VerifyError::NotAZip {
        path: path.to_path_buf(),
        cause: e.to_string(),
    };
    // Read again at its own offsets where the zip crate's reading leaves out what is needed
    // (which name a zip gives twice).
    let raw = file.try_clone().map_err(|cause| VerifyError::CannotOpen {
        path: path.to_path_buf(),
        cause,
    })?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| not_a_zip(&e))?;
    let mut report = Report {
        zip: path.to_path_buf(),
        entries: archive.len(),
        ..Report::default()
    };

    let entries::Entries { names, overlapping } =
        entries::check_entries(&mut archive, &raw, &mut report).map_err(|e| not_a_zip(&e))?;
    if overlapping {
        return Ok(report);
    }

    // A folder zipped instead of its contents (`zip -r x.zip my-bp`): manifest.yml and bin/
    // are one level down, where the platform does not look. Said once, with the fix, where
    // verify said there was no bin/detect, no bin/release, … and no manifest.yml.
    if let Some(folder) = wrapping_folder(&names) {
        report.error(format!(
            "every entry is inside the folder `{folder}/` (the folder was zipped, not what is in it), but the platform reads manifest.yml and bin/ at the top of the zip; zip from inside it (`cd {} && zip -r {} .`), or build the zip with `bpkit package`",
            crate::output::shell_word(folder),
            crate::output::shell_word(&format!(
                "../{}",
                path.file_name()
                    .map_or_else(|| "buildpack.zip".into(), |n| n.to_string_lossy())
            ))
        ));
        entries::check_contents(&mut archive, &BTreeSet::new(), &mut report);
        return Ok(report);
    }

    let bpkit_binary = phases::check_phases(&mut archive, &names, &mut report);

    // manifest.yml is read (and a damaged one reported) by `read_manifest`.
    let mut already_read = BTreeSet::from(["manifest.yml".to_owned()]);
    if let Some(manifest) = manifest::read_manifest(&mut archive, &names, &mut report) {
        manifest::check_stack(path, &manifest, &mut report);
        // Another program as bin/bpkit is an error of its own, whose fix replaces it.
        if bpkit_binary {
            phases::check_binary_fits(&mut archive, &manifest, &mut report);
        }
        already_read.extend(manifest::check_files(
            &mut archive,
            &names,
            &manifest,
            &mut report,
        ));
        manifest::check_cached_name(path, &manifest, &mut report);
        manifest::check_name(path, &manifest, &mut archive, &mut report);
        if !names.contains("VERSION") {
            report.warning(
                "there is no VERSION file; the platform shows the buildpack's version from it",
            );
        }
    }
    entries::check_contents(&mut archive, &already_read, &mut report);
    Ok(report)
}

/// The one folder every entry is in, when it holds the manifest.yml the top lacks.
fn wrapping_folder(names: &BTreeSet<String>) -> Option<&str> {
    if names.contains("manifest.yml") {
        return None;
    }
    let folder = names.iter().next()?.split('/').next()?;
    let inside = |name: &String| {
        name.strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
    };
    // `./manifest.yml` is a spelling of the top's manifest.yml (reported as one), not a folder.
    (!matches!(folder, "" | "." | "..")
        && names.iter().all(inside)
        && names.contains(&format!("{folder}/manifest.yml")))
    .then_some(folder)
}

/// Zips made for the unit tests of each check.
#[cfg(test)]
pub(super) mod test_zip {
    use std::fs::File;
    use std::io::{Cursor, Seek, Write};

    use zip::write::SimpleFileOptions;

    /// A zip of (name, unix mode, bytes), opened for reading; mode 0o120777 makes a symlink
    /// whose target is the bytes.
    pub(in crate::packager::verify) fn of(entries: &[(&str, u32, &[u8])]) -> zip::ZipArchive<File> {
        open(&bytes(entries))
    }

    /// The bytes of the zip [`of`] opens.
    pub(in crate::packager::verify) fn bytes(entries: &[(&str, u32, &[u8])]) -> Vec<u8> {
        write(entries, zip::CompressionMethod::Deflated)
    }

    /// [`bytes`], every entry stored: its data is in the zip as it is, to be damaged.
    pub(in crate::packager::verify) fn stored(entries: &[(&str, u32, &[u8])]) -> Vec<u8> {
        write(entries, zip::CompressionMethod::Stored)
    }

    fn write(entries: &[(&str, u32, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, mode, data) in entries {
            let options = SimpleFileOptions::default()
                .unix_permissions(*mode)
                .compression_method(method);
            if mode & 0o170_000 == 0o120_000 {
                zip.add_symlink(*name, String::from_utf8_lossy(data), options)
                    .unwrap();
            } else {
                zip.start_file(*name, options).unwrap();
                zip.write_all(data).unwrap();
            }
        }
        zip.finish().unwrap().into_inner()
    }

    /// The zip `bytes`, opened for reading from a file, as `bpkit verify` reads one.
    pub(in crate::packager::verify) fn open(bytes: &[u8]) -> zip::ZipArchive<File> {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(bytes).unwrap();
        file.rewind().unwrap();
        zip::ZipArchive::new(file).unwrap()
    }

    /// Gives the entry `name` this unix mode as it is, file type bits or none, as the zip
    /// crate never writes one (it adds a regular file's).
    pub(in crate::packager::verify) fn set_mode(bytes: &mut [u8], name: &str, mode: u32) {
        // The external attributes of the entry's central directory record: the unix mode in
        // their high 16 bits.
        let record = central_record(bytes, name);
        bytes[record + 38..record + 42].copy_from_slice(&(mode << 16).to_le_bytes());
    }

    /// Makes the header of the entry `name` declare `size` bytes, whatever its data gives.
    pub(in crate::packager::verify) fn declare_size(bytes: &mut [u8], name: &str, size: u32) {
        let record = central_record(bytes, name);
        bytes[record + 24..record + 28].copy_from_slice(&size.to_le_bytes());
    }

    /// Changes the last byte of `data`, found once in the zip `bytes` (an entry's stored data):
    /// the entry's CRC-32 then fails where its data ends.
    pub(in crate::packager::verify) fn damage(bytes: &mut [u8], data: &[u8]) {
        let at = bytes
            .windows(data.len())
            .position(|window| window == data)
            .unwrap();
        bytes[at + data.len() - 1] ^= 0xff;
    }

    /// The offset of the central directory record of the entry `name` in the zip `bytes`.
    fn central_record(bytes: &[u8], name: &str) -> usize {
        let mut at = 0;
        while let Some(found) = bytes[at..].windows(4).position(|w| w == b"PK\x01\x02") {
            let record = at + found;
            let len = usize::from(u16::from_le_bytes([bytes[record + 28], bytes[record + 29]]));
            if &bytes[record + 46..record + 46 + len] == name.as_bytes() {
                return record;
            }
            at = record + 4;
        }
        panic!("no central record for {name}");
    }

    /// Every entry's name, as `check_entries` returns them.
    pub(in crate::packager::verify) fn names(
        archive: &zip::ZipArchive<File>,
    ) -> std::collections::BTreeSet<String> {
        archive
            .file_names()
            .map(|name| name.unwrap().into_owned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn a_zipped_folder_is_found_only_when_it_holds_everything() {
        let zipped = ["bp/", "bp/manifest.yml", "bp/bin/detect"];
        assert_eq!(wrapping_folder(&names(&zipped)), Some("bp"));
        assert_eq!(wrapping_folder(&names(&["bp/manifest.yml"])), Some("bp"));
        // Something outside it, no manifest in it, or one at the top: not that case.
        assert_eq!(wrapping_folder(&names(&["bp/manifest.yml", "x"])), None);
        assert_eq!(wrapping_folder(&names(&["bp/manifest.yml", "bpx/y"])), None);
        assert_eq!(wrapping_folder(&names(&["bp/bin/detect"])), None);
        assert_eq!(
            wrapping_folder(&names(&["manifest.yml", "bp/manifest.yml"])),
            None
        );
        assert_eq!(wrapping_folder(&names(&[])), None);
        assert_eq!(
            wrapping_folder(&names(&["./manifest.yml", "./bin/detect"])),
            None
        );
    }
}
