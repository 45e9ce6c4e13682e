//! Zip archives: walk the central directory and hand each entry to the [`Target`]. Modes come
//! from the Unix half of the external attributes when the zip was made on Unix (a symbolic link
//! is an entry with `S_IFLNK` whose contents are the link target, as Info-ZIP writes it);
//! zips made elsewhere get 0644 for files and 0755 for folders, like `unzip` gives them.

use std::io::{self, Read, Seek};
use std::time::{Duration, SystemTime};

use zip::result::ZipError;
use zip::{DateTime, ExtraField, System, ZipArchive};

use super::ArchiveError;
use super::target::Target;

const DEFAULT_FILE_MODE: u32 = 0o644;
const DEFAULT_DIR_MODE: u32 = 0o755;

/// Longest symbolic link target read from a zip entry: the longest `symlink(2)` takes (Linux's
/// `PATH_MAX`, 4096, counts the closing NUL). At 4096 a target passed this check and failed
/// to be written, with "File name too long".
const MAX_LINK_TARGET: u64 = 4095;

const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;
const S_IFLNK: u32 = 0o120_000;

pub(super) fn unpack<R: Read + Seek>(reader: R, target: &mut Target) -> Result<(), ArchiveError> {
    let mut archive = ZipArchive::new(reader).map_err(|e| target.read_error(e.into()))?;
    if let Some(name) = sharing_bytes(&mut archive).map_err(|e| target.read_error(zip_io(e)))? {
        return Err(target.unsupported(
            name.as_bytes(),
            "an entry sharing its compressed bytes with another, as in a zip bomb (a few kilobytes that extract to terabytes)",
        ));
    }
    // An entry that needs a password, said as what it is once the entry is let go, where
    // "cannot read it as a zip archive; it is truncated, corrupt or of another kind" blamed the
    // whole file.
    let mut encrypted = None;
    for index in 0..archive.len() {
        let mut file = match archive.by_index(index) {
            Ok(file) => file,
            Err(ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED)) => {
                encrypted = Some(index);
                break;
            }
            Err(e) => return Err(target.read_error(zip_io(e))),
        };
        // Names in zips made on Windows may use `\`; treat it as the separator it was meant to
        // be, so `..\..\x` is refused like `../../x` rather than becoming a strange file name.
        let name: Vec<u8> = match file.name() {
            Ok(name) => name.replace('\\', "/").into_bytes(),
            Err(_) => file
                .name_raw()
                .iter()
                .map(|&b| if b == b'\\' { b'/' } else { b })
                .collect(),
        };
        let unix_mode = if file.system() == System::Unix {
            file.unix_mode()
        } else {
            None
        };
        let file_type = unix_mode.map_or(0, |mode| mode & S_IFMT);
        let mtime = modified(&file);
        match file_type {
            S_IFLNK => {
                let mut link = Vec::new();
                (&mut file)
                    .take(MAX_LINK_TARGET + 1)
                    .read_to_end(&mut link)
                    .map_err(|e| target.read_error(e))?;
                if link.len() as u64 > MAX_LINK_TARGET {
                    return Err(target.unsupported(
                        &name,
                        "a symbolic link whose target is over 4095 bytes (more than Linux takes)",
                    ));
                }
                target.symlink(&name, &link)?;
            }
            S_IFDIR => target.directory(&name, unix_mode.unwrap_or(DEFAULT_DIR_MODE))?,
            0 | S_IFREG if name.ends_with(b"/") => {
                target.directory(&name, unix_mode.unwrap_or(DEFAULT_DIR_MODE))?;
            }
            0 | S_IFREG => {
                let mode = unix_mode.unwrap_or(DEFAULT_FILE_MODE);
                target.file(&name, mode, mtime, &mut file)?;
            }
            _ => target.skip(),
        }
    }
    if let Some(index) = encrypted {
        let name = archive
            .name_for_index(index)
            .and_then(Result::ok)
            .unwrap_or_default();
        return Err(target.unsupported(name.as_bytes(), "encrypted with a password"));
    }
    Ok(())
}

/// The name of an entry whose bytes in the zip overlap another's, if any (see
/// [`entries_sharing_bytes`]).
fn sharing_bytes<R: Read + Seek>(archive: &mut ZipArchive<R>) -> Result<Option<String>, ZipError> {
    let Some((_, index)) = entries_sharing_bytes(archive)? else {
        return Ok(None);
    };
    let entry = archive.by_index_raw(index)?;
    Ok(Some(String::from_utf8_lossy(entry.name_raw()).into_owned()))
}

/// The indexes of two entries whose bytes in the zip (local header and data) overlap, if any,
/// the one lying first first: the layout of a zip bomb, each entry inflating the same data
/// again, which Info-ZIP's unzip refuses too. Nothing a zip writer makes has it. Found from
/// the central directory alone, so nothing is inflated to find it.
pub(crate) fn entries_sharing_bytes<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
) -> Result<Option<(usize, usize)>, ZipError> {
    let mut spans = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index)?;
        let start = entry.header_start();
        let end = entry
            .data_start()
            .unwrap_or(start)
            .saturating_add(entry.compressed_size());
        spans.push((start, end, index));
    }
    spans.sort_unstable();
    Ok(spans
        .windows(2)
        .find(|pair| pair[1].0 < pair[0].1)
        .map(|pair| (pair[0].2, pair[1].2)))
}

fn zip_io(error: ZipError) -> io::Error {
    match error {
        ZipError::Io(e) => e,
        other => other.into(),
    }
}

/// The modification time: the extended timestamp (Unix seconds) when present, else the MS-DOS
/// date and time, which has no time zone and is read as UTC (the time zone of the platform's
/// containers).
fn modified<R: Read>(file: &zip::read::ZipFile<'_, R>) -> Option<SystemTime> {
    let extended = file.extra_data_fields().find_map(|field| match field {
        ExtraField::ExtendedTimestamp(ts) => ts.mod_time(),
        _ => None,
    });
    let secs = match extended {
        Some(secs) => u64::from(secs),
        None => dos_to_unix(file.last_modified()?)?,
    };
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

fn dos_to_unix(dt: DateTime) -> Option<u64> {
    // The zip crate makes a `DateTime` of fields in range only (`try_from_msdos`), so they are
    // not checked again here; a year from 1980 on is never before 1970.
    let days = days_from_civil(
        i64::from(dt.year()),
        i64::from(dt.month()),
        i64::from(dt.day()),
    );
    let (hour, minute, second) = (
        u64::from(dt.hour()),
        u64::from(dt.minute()),
        u64::from(dt.second()),
    );
    Some(u64::try_from(days).ok()? * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
    }

    #[test]
    fn dos_times() {
        let dt = DateTime::from_date_and_time(2024, 2, 29, 12, 30, 58).unwrap();
        assert_eq!(
            dos_to_unix(dt),
            Some(19_782 * 86_400 + 12 * 3600 + 30 * 60 + 58)
        );
    }
}
