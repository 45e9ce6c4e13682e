//! Deterministic zip writing (packager.md, "Zip writing").
//!
//! - The same entries give the same bytes: entries sorted by path, a directory entry for every
//!   parent, one fixed timestamp (`SOURCE_DATE_EPOCH`, else 1980-01-01), modes given by the
//!   caller, Unix as the creating system, no extra fields.
//! - Already-compressed files (by name, or by their first bytes) are stored: deflating a
//!   tarball again costs time and gains nothing (the Go packager does it for every byte).
//!   Everything else is deflated; small files on `jobs` threads at once.
//! - Zip64 where an entry or the archive needs it.
//! - The zip is written to a hidden temporary file next to its destination, fsynced and renamed
//!   over it at the end, so an interrupted run never leaves a partial zip under the real name.
//! - An entry may be [`Source::Pending`]: a file another thread is still producing (a
//!   dependency being downloaded and verified). The writer gets to it in its turn and, when
//!   the file's size is known, copies its bytes as they arrive, so the zip is written while the
//!   downloads run (issue 6: a cold cache cost the downloads plus the zip, one after the other).
//!   The entry counts only when the file is verified: one downloaded again is copied again
//!   (the zip file is cut back to where its entry began), and a failed one fails the zip.
//!   Whether such a file is stored or deflated is decided from its name and first bytes, and it
//!   is always written inline, never deflated ahead: the same bytes whether it came from the
//!   cache or the network, followed or not.
//! - Once bpkit is interrupted (SIGINT, SIGTERM, SIGHUP: [`crate::process_group`]) the writer
//!   stops before the next entry or piece and the temporary file is removed as it unwinds
//!   ([`ZipWriteError::Interrupted`]).
//!
//! This file writes the entries in order, from the outline down: `entry` is what goes in,
//! `epoch` the timestamp, `plan` the zip's order and how each entry is written, `compressed`
//! says what to store, `ahead` deflates small files on other threads, `copy` streams an entry's
//! bytes in, `follow` writes pending entries, `output` is the temporary file as the zip sees it,
//! `part_file` is that file and the clean-up after killed runs (which packaging runs before it
//! reads the tree), and `error` is why a zip could
//! not be written.

use std::fs::{self, File};
use std::io::BufWriter;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

mod ahead;
mod compressed;
mod copy;
mod entry;
mod epoch;
mod error;
mod follow;
mod output;
mod part_file;
mod plan;
#[cfg(test)]
mod samples;

pub use super::pending::Pending;
pub use compressed::is_compressed;
pub use entry::{Entries, Entry, Source};
pub use epoch::{Clamped, Timestamp, timestamp};
pub use error::ZipWriteError;
pub use part_file::{is_part_name, remove_abandoned};

use ahead::prepare;
use copy::{CHUNK, start_file, write_source};
use error::check_interrupted;
use follow::{HowWritten, write_pending};
use output::Output;
use part_file::create_part;
use plan::{Plan, plan, with_parents};

/// How to write.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Every entry's modification time.
    pub timestamp: DateTime,
    /// Threads deflating small files.
    pub jobs: usize,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub size: u64,
    pub entries: usize,
    pub stored: usize,
    pub deflated: usize,
    /// Dependencies copied in as they downloaded, from their `.part` files.
    pub followed: usize,
    /// Dependencies begun as they downloaded, then written again from the verified file
    /// because the download started over.
    pub rewritten: usize,
}

/// Write `entries` (and a directory entry for each parent folder) to `dest`.
pub fn write(entries: &Entries, dest: &Path, settings: Settings) -> Result<Written, ZipWriteError> {
    let failure = output::Failure::default();
    write_to(entries, dest, settings, &failure).map_err(|error| match (error, failure.take()) {
        // Whatever step noticed it, a full disk or a file-size limit is what went wrong.
        (ZipWriteError::CannotWrite { .. }, Some(cause))
            if crate::output::no_room_fix(cause.kind()).is_some() =>
        {
            ZipWriteError::NoRoom {
                path: dest.to_path_buf(),
                cause,
            }
        }
        (error, _) => error,
    })
}

fn write_to(
    entries: &Entries,
    dest: &Path,
    settings: Settings,
    failure: &output::Failure,
) -> Result<Written, ZipWriteError> {
    let all = with_parents(entries);
    let (plans, jobs) = plan(&all)?;
    let options = SimpleFileOptions::default()
        .last_modified_time(settings.timestamp)
        .system(System::Unix);
    let prepared = prepare(&jobs, options, settings.jobs)?;

    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let file_name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (file, temp_path) = create_part(dir, &file_name)?;
    let write_error = |e: &dyn std::fmt::Display| ZipWriteError::CannotWrite {
        path: temp_path.to_path_buf(),
        cause: e.to_string(),
    };
    // A second handle on the same open file (and offset), to cut an abandoned entry off.
    let handle = file.try_clone().map_err(|e| write_error(&e))?;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(CHUNK, Output::new(file, failure)));
    let mut prepared = prepared.into_iter();
    let (mut stored, mut deflated) = (0, 0);
    let (mut followed, mut rewritten) = (0, 0);
    let mut buffer = vec![0u8; CHUNK];
    for ((name, entry), plan) in all.iter().zip(plans) {
        check_interrupted()?;
        let mode = entry.mode & 0o777;
        let (method, source, size) = match plan {
            Plan::Dir => {
                zip.add_directory(name.as_str(), options.unix_permissions(0o755))
                    .map_err(|e| write_error(&e))?;
                continue;
            }
            Plan::Symlink(target) => {
                zip.add_symlink(name.as_str(), target, options.unix_permissions(0o777))
                    .map_err(|e| write_error(&e))?;
                continue;
            }
            Plan::Prepared => {
                deflated += 1;
                let file = prepared
                    .next()
                    .ok_or_else(|| write_error(&"a deflated entry went missing"))?;
                zip.add_prepared_file(file).map_err(|e| write_error(&e))?;
                continue;
            }
            Plan::Stored { source, size } => {
                stored += 1;
                (CompressionMethod::Stored, source, size)
            }
            Plan::Deflated { source, size } => {
                deflated += 1;
                (CompressionMethod::Deflated, source, size)
            }
            Plan::Pending(pending) => {
                let (method, how) = write_pending(
                    &mut zip,
                    (name, mode, pending),
                    options,
                    &mut buffer,
                    (&temp_path, &handle),
                    &write_error,
                )?;
                match how {
                    HowWritten::Followed => followed += 1,
                    HowWritten::Rewritten => rewritten += 1,
                    HowWritten::FromVerified => {}
                }
                if method == CompressionMethod::Stored {
                    stored += 1;
                } else {
                    deflated += 1;
                }
                continue;
            }
        };
        start_file(&mut zip, name, options, method, mode, size, &write_error)?;
        write_source(source, &mut zip, &mut buffer, &temp_path)?;
    }
    drop(handle);
    let size = finish(zip, temp_path, dest, failure)?;
    // Make the rename durable; losing it loses nothing that was not already reported.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(Written {
        path: dest.to_path_buf(),
        size,
        entries: all.len(),
        stored,
        deflated,
        followed,
        rewritten,
    })
}

/// Write the zip's central directory, make the temporary file shareable and durable, and
/// rename it to `dest` (unless bpkit was interrupted meanwhile); returns its size.
fn finish(
    zip: ZipWriter<BufWriter<Output<'_>>>,
    temp_path: tempfile::TempPath,
    dest: &Path,
    failure: &output::Failure,
) -> Result<u64, ZipWriteError> {
    let write_error = |e: &dyn std::fmt::Display| ZipWriteError::CannotWrite {
        path: temp_path.to_path_buf(),
        cause: e.to_string(),
    };
    check_interrupted()?;
    let file = zip
        .finish()
        .map_err(|e| write_error(&e))?
        .into_inner()
        .map_err(|e| write_error(&e.error()))?
        .into_file();
    // A write that failed earlier and was not reported (nothing does that today) still means
    // bytes are missing: never rename such a file into place.
    if let Some(cause) = failure.peek() {
        return Err(write_error(&cause));
    }
    // tempfile creates 0600; a zip is meant to be shared and uploaded.
    file.set_permissions(fs::Permissions::from_mode(0o644))
        .and_then(|()| file.sync_all())
        .map_err(|e| write_error(&e))?;
    let size = file.metadata().map_err(|e| write_error(&e))?.len();
    drop(file);
    check_interrupted()?;
    temp_path
        .persist(dest)
        .map_err(|e| ZipWriteError::CannotPlace {
            path: dest.to_path_buf(),
            cause: e.error,
        })?;
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    use super::samples::{entry, sample};

    #[test]
    fn the_same_entries_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            timestamp: timestamp(Some("1700000000")).unwrap().date_time,
            jobs: 3,
        };
        let a = dir.path().join("a.zip");
        let b = dir.path().join("b.zip");
        write(&sample(dir.path()), &a, settings).unwrap();
        write(
            &sample(dir.path()),
            &b,
            Settings {
                jobs: 1,
                ..settings
            },
        )
        .unwrap();
        assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
        let mut archive = zip::ZipArchive::new(Cursor::new(fs::read(&a).unwrap())).unwrap();
        let t = archive.by_name("README").unwrap().last_modified().unwrap();
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2023, 11, 14, 22, 13, 20)
        );
    }

    /// Every way an entry is written gives back its bytes: stored (a tarball by its name,
    /// bytes by their gzip magic), deflated inline (a file past the limit for deflating
    /// ahead, over several pieces and not a whole number of them), deflated ahead (a small
    /// file, bytes); and none carries an extra field it does not need (Zip64 sizes in its
    /// local header only past 4 GiB).
    #[test]
    fn every_kind_of_entry_reads_back_as_written() {
        use std::io::Read;

        let dir = tempfile::tempdir().unwrap();
        let size = usize::try_from(ahead::PREPARE_LIMIT).unwrap() + 3 * CHUNK + 1234;
        let large: Vec<u8> = (0..size).map(|i| u8::try_from(i % 251).unwrap()).collect();
        let tarball: Vec<u8> = (0..70_000u32).flat_map(u32::to_be_bytes).collect();
        let small = b"small file ".repeat(100);
        let files = [
            ("dep.tgz", tarball.as_slice()),
            ("large.txt", large.as_slice()),
            ("small.txt", small.as_slice()),
        ];
        let mut e = Entries::new();
        for (name, bytes) in files {
            let path = dir.path().join(name);
            fs::write(&path, bytes).unwrap();
            e.insert(name.into(), entry(Source::File(path), 0o644));
        }
        let gzip_bytes = vec![0x1f, 0x8b, 8, 0, 9, 9];
        e.insert(
            "gzip-bytes".into(),
            entry(Source::Bytes(gzip_bytes.clone()), 0o600),
        );
        e.insert(
            "text-bytes".into(),
            entry(Source::Bytes(b"text ".repeat(40)), 0o755),
        );
        let dest = dir.path().join("out.zip");
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        let written = write(&e, &dest, settings).unwrap();
        assert_eq!(
            (written.entries, written.stored, written.deflated),
            (5, 2, 3)
        );
        assert_eq!(written.size, fs::metadata(&dest).unwrap().len());

        let mut archive = zip::ZipArchive::new(File::open(&dest).unwrap()).unwrap();
        for (name, bytes, method, mode) in [
            (
                "dep.tgz",
                tarball.as_slice(),
                CompressionMethod::Stored,
                0o644,
            ),
            ("large.txt", &large, CompressionMethod::Deflated, 0o644),
            ("small.txt", &small, CompressionMethod::Deflated, 0o644),
            ("gzip-bytes", &gzip_bytes, CompressionMethod::Stored, 0o600),
            (
                "text-bytes",
                &b"text ".repeat(40),
                CompressionMethod::Deflated,
                0o755,
            ),
        ] {
            let mut file = archive.by_name(name).unwrap();
            assert_eq!(file.compression(), method, "{name}");
            assert_eq!(file.unix_mode(), Some(0o100_000 | mode), "{name}");
            let local_header = 30 + name.len() as u64;
            assert_eq!(
                file.data_start().unwrap() - file.header_start(),
                local_header,
                "{name} has an extra field"
            );
            let mut read = Vec::new();
            file.read_to_end(&mut read).unwrap();
            assert!(read == bytes, "{name}: {} bytes read back", read.len());
        }
    }

    #[test]
    fn an_unreadable_source_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut e = sample(dir.path());
        e.insert(
            "gone".into(),
            entry(Source::File(dir.path().join("nope")), 0o644),
        );
        let dest = dir.path().join("out.zip");
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 1,
        };
        assert!(matches!(
            write(&e, &dest, settings),
            Err(ZipWriteError::CannotRead { .. })
        ));
        let left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !left.iter().any(|n| {
                let ext = Path::new(n).extension().unwrap_or_default();
                ext == "zip" || ext == "part"
            }),
            "{left:?}"
        );
    }
}
