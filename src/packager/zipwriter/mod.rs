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
//! This file plans and writes the entries in order; `compressed` says what to store, `ahead`
//! deflates small files on other threads, `follow` writes pending entries, and `part_file` is
//! the temporary file and the clean-up after killed runs.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

mod ahead;
mod compressed;
mod follow;
mod output;
mod part_file;

pub use super::pending::Pending;
pub use compressed::is_compressed;

use ahead::prepare;
use compressed::read_head;
use follow::write_pending;
use output::Output;
use part_file::create_part;

/// What an entry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk, streamed into the zip.
    File(PathBuf),
    /// Bytes the packager made (the manifest, VERSION, shims).
    Bytes(Vec<u8>),
    /// A symlink entry with this (relative) target.
    Symlink(String),
    /// A folder.
    Dir,
    /// A file that is not there yet: see [`Pending`].
    Pending(Arc<Pending>),
}

/// One entry: what it holds and its permission bits (`0o755`, `0o644`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub source: Source,
    pub mode: u32,
}

/// Entries by path inside the zip (`/`-separated, no leading `/`, folders without a trailing
/// `/`). The map's order is the zip's order.
pub type Entries = BTreeMap<String, Entry>;

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
}

/// Why the zip could not be written. Nothing is left at the destination in any case.
#[derive(Debug, thiserror::Error)]
pub enum ZipWriteError {
    #[error("cannot create the zip in {}: {cause}; {}", dir.display(), create_fix(cause))]
    CannotCreate { dir: PathBuf, cause: io::Error },
    #[error("cannot read {} to put it in the zip: {cause}", path.display())]
    CannotRead { path: PathBuf, cause: io::Error },
    #[error(
        "cannot write {}: {cause}; check the free space on its disk (`df -h`), or package into another folder",
        path.display()
    )]
    CannotWrite { path: PathBuf, cause: String },
    /// The disk filled up, or the zip grew past the file-size limit (`ulimit -f`), while it
    /// was written: named by the zip's own name, since its temporary file is gone.
    #[error("cannot write {}: {cause}: {}", path.display(), no_room_fix(cause.kind()))]
    NoRoom { path: PathBuf, cause: io::Error },
    /// The finished zip could not be moved to its name: a folder in the way, a folder that
    /// cannot be written.
    #[error("cannot write {}: {}", path.display(), place_problem(cause))]
    CannotPlace { path: PathBuf, cause: io::Error },
    #[error(
        "SOURCE_DATE_EPOCH=`{value}` is not usable: {reason}; set it to a whole number of seconds since 1970 (`git log -1 --format=%ct`), or unset it"
    )]
    BadTimestamp { value: String, reason: String },
    /// A [`Source::Pending`] file failed; whoever was producing it reports why.
    #[error("{name} could not be fetched, so the zip was not written")]
    Unavailable { name: String },
    #[error("the zip was not written: bpkit was interrupted")]
    Interrupted,
}

/// Why the zip could not take its name, and the fix: a folder of that name is the usual case
/// (the raw `Is a directory (os error 21)` said neither what was in the way nor what to do).
fn place_problem(cause: &io::Error) -> String {
    if cause.kind() == io::ErrorKind::IsADirectory {
        "a folder is in the way; remove it, or package into another folder".to_string()
    } else {
        format!("{cause}; make that folder writable, or package into another folder")
    }
}

/// What to do about a zip file that could not be created: a full disk is no matter of
/// permissions (`make that folder writable` sent the user the wrong way).
fn create_fix(cause: &io::Error) -> &'static str {
    match cause.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "the disk is full; free space on it (`df -h`), or package into another folder"
        }
        _ => "make that folder writable, or package into another folder",
    }
}

/// What to do about a zip that did not fit: the OS's words (`File too large`) name neither the
/// limit nor the way out.
fn no_room_fix(kind: io::ErrorKind) -> &'static str {
    if kind == io::ErrorKind::FileTooLarge {
        "the zip is larger than the file-size limit (`ulimit -f`) allows; raise the limit (`ulimit -f unlimited`)"
    } else {
        "the disk is full; free space on it (`df -h`), or package into another folder"
    }
}

/// [`ZipWriteError::Interrupted`] once bpkit was asked to stop.
fn check_interrupted() -> Result<(), ZipWriteError> {
    if crate::process_group::termination_requested() {
        Err(ZipWriteError::Interrupted)
    } else {
        Ok(())
    }
}

/// A file at least this large is deflated while it is written, not ahead on another thread
/// (which holds its compressed bytes in memory).
const PREPARE_LIMIT: u64 = 2 << 20;
/// At most this many bytes of files are deflated ahead in memory, whatever their number, so
/// memory stays bounded however many and large the files are (quality.md: under 64 MB).
const PREPARE_BUDGET: u64 = 32 << 20;
/// Read size for files streamed into the zip.
const CHUNK: usize = 256 << 10;

/// 1980-01-01 00:00:00 UTC and 2107-12-31 23:59:59 UTC, the first and last seconds a zip's
/// MS-DOS date and time can hold.
const FIRST_ZIP_SECOND: i64 = 315_532_800;
const LAST_ZIP_SECOND: i64 = 4_354_819_199;

/// The timestamp for every entry: `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) when given,
/// else 1980-01-01 00:00, the earliest a zip can hold. Times outside 1980–2107 are clamped.
pub fn timestamp(source_date_epoch: Option<&str>) -> Result<DateTime, ZipWriteError> {
    let Some(value) = source_date_epoch.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(DateTime::default());
    };
    // A whole number too large for an i64 is clamped like any other time past 2107.
    let digits = value.strip_prefix('-').unwrap_or(value);
    let whole = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let seconds: i64 = match value.parse() {
        Ok(seconds) => seconds,
        Err(_) if whole && value.starts_with('-') => i64::MIN,
        Err(_) if whole => i64::MAX,
        Err(_) => {
            return Err(ZipWriteError::BadTimestamp {
                value: value.to_string(),
                reason: "it is not a whole number".into(),
            });
        }
    };
    // Past the zip format's years either way: clamp before the date arithmetic, which a
    // number of seconds near i64's limits would overflow.
    let seconds = seconds.clamp(FIRST_ZIP_SECOND - 86_400, LAST_ZIP_SECOND + 86_400);
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let date = crate::calendar::Date::from_days(days);
    let (year, month, day) = (
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    if year < 1980 {
        return Ok(DateTime::default());
    }
    let clamped = year > 2107;
    let field = |v: i64| u8::try_from(v).unwrap_or_default();
    DateTime::from_date_and_time(
        if clamped {
            2107
        } else {
            u16::try_from(year).unwrap_or(2107)
        },
        if clamped { 12 } else { field(month) },
        if clamped { 31 } else { field(day) },
        if clamped { 23 } else { field(rest / 3600) },
        if clamped { 59 } else { field(rest % 3600 / 60) },
        if clamped { 58 } else { field(rest % 60) },
    )
    .map_err(|_| ZipWriteError::BadTimestamp {
        value: value.to_string(),
        reason: "it is outside what a zip can hold".into(),
    })
}

/// How each entry will be written, decided before anything is written.
enum Plan<'a> {
    Dir,
    Symlink(&'a str),
    Stored {
        source: &'a Source,
        size: u64,
    },
    /// Deflated ahead on a worker thread; results come back in entry order.
    Prepared,
    /// Deflated while written (large files, so memory stays bounded).
    Deflated {
        source: &'a Source,
        size: u64,
    },
    /// Not there yet: stored or deflated inline, decided when it is.
    Pending(&'a Pending),
}

/// The folder entry added for every parent.
const PARENT: Entry = Entry {
    source: Source::Dir,
    mode: 0o755,
};

/// Every entry by its name in the zip (folders end in `/`), parents included.
fn with_parents(entries: &Entries) -> BTreeMap<String, &Entry> {
    let mut all: BTreeMap<String, &Entry> = BTreeMap::new();
    for (path, entry) in entries {
        let mut parent = path.as_str();
        while let Some((up, _)) = parent.rsplit_once('/') {
            all.entry(format!("{up}/")).or_insert(&PARENT);
            parent = up;
        }
        let key = if entry.source == Source::Dir {
            format!("{path}/")
        } else {
            path.clone()
        };
        all.insert(key, entry);
    }
    all
}

/// Decide stored / deflated ahead / deflated inline for every entry before anything is
/// written, so the choice depends only on the inputs, never on thread timing. Returns the
/// plans and the jobs to deflate ahead (in entry order).
#[allow(clippy::type_complexity)]
fn plan<'a>(
    all: &'a BTreeMap<String, &'a Entry>,
) -> Result<(Vec<Plan<'a>>, Vec<(&'a str, &'a Source, u32)>), ZipWriteError> {
    let mut plans = Vec::with_capacity(all.len());
    let mut jobs = Vec::new();
    let mut budget = PREPARE_BUDGET;
    for (name, entry) in all {
        let plan = match &entry.source {
            Source::Dir => Plan::Dir,
            Source::Symlink(target) => Plan::Symlink(target),
            Source::Pending(pending) => Plan::Pending(pending),
            Source::Bytes(bytes) if is_compressed(name, bytes) => Plan::Stored {
                source: &entry.source,
                size: bytes.len() as u64,
            },
            Source::Bytes(_) => {
                jobs.push((name.as_str(), &entry.source, entry.mode));
                Plan::Prepared
            }
            Source::File(path) => {
                let (method, size) = method_for(name, path)?;
                if method == CompressionMethod::Stored {
                    Plan::Stored {
                        source: &entry.source,
                        size,
                    }
                } else if size < PREPARE_LIMIT && size <= budget {
                    budget -= size;
                    jobs.push((name.as_str(), &entry.source, entry.mode));
                    Plan::Prepared
                } else {
                    Plan::Deflated {
                        source: &entry.source,
                        size,
                    }
                }
            }
        };
        plans.push(plan);
    }
    Ok((plans, jobs))
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
                let method = write_pending(
                    &mut zip,
                    (name, mode, pending),
                    options,
                    &mut buffer,
                    (&temp_path, &handle),
                    &write_error,
                )?;
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

/// Stored or deflated, by the file's name or first bytes; and its size.
pub(super) fn method_for(
    name: &str,
    path: &Path,
) -> Result<(CompressionMethod, u64), ZipWriteError> {
    let size = fs::metadata(path)
        .map_err(|cause| ZipWriteError::CannotRead {
            path: path.to_path_buf(),
            cause,
        })?
        .len();
    let method = if is_compressed(name, &read_head(path)?) {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    };
    Ok((method, size))
}

/// Start an entry streamed into the zip (Zip64 sizes when it needs them).
pub(super) fn start_file<W: Write + io::Seek>(
    zip: &mut ZipWriter<W>,
    name: &str,
    options: SimpleFileOptions,
    method: CompressionMethod,
    mode: u32,
    size: u64,
    write_error: &dyn Fn(&dyn std::fmt::Display) -> ZipWriteError,
) -> Result<(), ZipWriteError> {
    zip.start_file(
        name,
        options
            .compression_method(method)
            .unix_permissions(mode)
            .large_file(size >= zip::ZIP64_BYTES_THR),
    )
    .map_err(|e| write_error(&e))
}

fn write_source(
    source: &Source,
    out: &mut impl Write,
    buffer: &mut [u8],
    temp_path: &Path,
) -> Result<(), ZipWriteError> {
    match source {
        Source::File(path) => copy_file(path, out, buffer, temp_path),
        Source::Bytes(bytes) => out
            .write_all(bytes)
            .map_err(|e| ZipWriteError::CannotWrite {
                path: temp_path.to_path_buf(),
                cause: e.to_string(),
            }),
        Source::Dir | Source::Symlink(_) | Source::Pending(_) => Ok(()),
    }
}

pub(super) fn copy_file(
    path: &Path,
    out: &mut impl Write,
    buffer: &mut [u8],
    temp_path: &Path,
) -> Result<(), ZipWriteError> {
    let mut file = File::open(path).map_err(|cause| ZipWriteError::CannotRead {
        path: path.to_path_buf(),
        cause,
    })?;
    copy_pieces((&mut file, path), out, buffer, u64::MAX, temp_path).map(drop)
}

/// Copy from `file` (opened at `path`) into `out`, in pieces of exactly `buffer.len()` bytes
/// but the last one at the end of the file, until the end or until `limit` bytes. The pieces
/// are the same however the file was read: deflate's output depends on how its input is cut,
/// and a dependency followed while it downloads must give the same bytes as one read whole.
pub(super) fn copy_pieces(
    (file, path): (&mut File, &Path),
    out: &mut impl Write,
    buffer: &mut [u8],
    limit: u64,
    temp_path: &Path,
) -> Result<u64, ZipWriteError> {
    let mut copied = 0u64;
    while copied < limit {
        check_interrupted()?;
        let mut filled = 0;
        while filled < buffer.len() {
            match file.read(&mut buffer[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(cause) => {
                    return Err(ZipWriteError::CannotRead {
                        path: path.to_path_buf(),
                        cause,
                    });
                }
            }
        }
        out.write_all(&buffer[..filled])
            .map_err(|e| ZipWriteError::CannotWrite {
                path: temp_path.to_path_buf(),
                cause: e.to_string(),
            })?;
        copied += filled as u64;
        if filled < buffer.len() {
            break;
        }
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn entry(source: Source, mode: u32) -> Entry {
        Entry { source, mode }
    }

    fn sample(dir: &Path) -> Entries {
        let tgz = dir.join("dep.tgz");
        fs::write(&tgz, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4]).unwrap();
        let text = dir.join("readme");
        fs::write(&text, "hello hello hello hello\n".repeat(50)).unwrap();
        let mut e = Entries::new();
        e.insert(
            "manifest.yml".into(),
            entry(Source::Bytes(b"---\nlanguage: x\n".to_vec()), 0o644),
        );
        e.insert(
            "dependencies/abc/dep.tgz".into(),
            entry(Source::File(tgz), 0o644),
        );
        e.insert("README".into(), entry(Source::File(text), 0o644));
        e.insert(
            "bin/detect".into(),
            entry(Source::Symlink("bpkit".into()), 0o777),
        );
        e.insert("empty".into(), entry(Source::Dir, 0o755));
        e
    }

    /// [`sample`] plus an entry `name` whose file another thread will produce.
    fn sample_with_pending(dir: &Path, name: &str) -> (Entries, Arc<Pending>) {
        let pending = Pending::new();
        let mut e = sample(dir);
        e.insert(
            name.into(),
            entry(Source::Pending(Arc::clone(&pending)), 0o644),
        );
        (e, pending)
    }

    #[test]
    fn sorted_with_parents_and_stored_tarballs() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.zip");
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        let written = write(&sample(dir.path()), &dest, settings).unwrap();
        assert_eq!((written.stored, written.deflated), (1, 2));
        let mut archive = zip::ZipArchive::new(File::open(&dest).unwrap()).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| {
                archive
                    .by_index_raw(i)
                    .unwrap()
                    .name()
                    .unwrap()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "README",
                "bin/",
                "bin/detect",
                "dependencies/",
                "dependencies/abc/",
                "dependencies/abc/dep.tgz",
                "empty/",
                "manifest.yml"
            ]
        );
        let tgz = archive.by_name("dependencies/abc/dep.tgz").unwrap();
        assert_eq!(tgz.compression(), CompressionMethod::Stored);
        drop(tgz);
        let link = archive.by_name("bin/detect").unwrap();
        assert_eq!(link.unix_mode(), Some(0o120_777));
        drop(link);
        assert_eq!(
            archive.by_name("README").unwrap().compression(),
            CompressionMethod::Deflated
        );
        assert!(
            fs::read_dir(dir.path()).unwrap().all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".part"))
        );
    }

    #[test]
    fn the_same_entries_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            timestamp: timestamp(Some("1700000000")).unwrap(),
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

    /// An entry over 4 GiB needs Zip64 sizes (in its local header and central directory
    /// entry). A sparse file of zeros, deflated, keeps the zip small while its uncompressed
    /// size is over the limit. Kept, but ignored: it takes about 45 s, and every run already
    /// tests Zip64 through its other trigger, more than 65,535 entries
    /// (tests/package.rs, `zip64_for_more_than_65535_entries`), which cannot show this one's
    /// per-entry fields.
    #[test]
    #[ignore = "deflates and reads back 4.1 GiB (about 45 s); run with --ignored"]
    fn zip64_for_an_entry_over_4_gib() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.bin");
        let size = (4u64 << 30) + 12_345;
        File::create(&big).unwrap().set_len(size).unwrap();
        let mut e = Entries::new();
        e.insert("big.bin".into(), entry(Source::File(big), 0o644));
        e.insert(
            "small".into(),
            entry(Source::Bytes(b"after".to_vec()), 0o644),
        );
        let dest = dir.path().join("big.zip");
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        write(&e, &dest, settings).unwrap();
        let mut archive = zip::ZipArchive::new(File::open(&dest).unwrap()).unwrap();
        let mut file = archive.by_name("big.bin").unwrap();
        assert_eq!(file.size(), size);
        assert_eq!(io::copy(&mut file, &mut io::sink()).unwrap(), size);
        drop(file);
        let mut small = String::new();
        archive
            .by_name("small")
            .unwrap()
            .read_to_string(&mut small)
            .unwrap();
        assert_eq!(small, "after");
        if let Ok(out) = std::process::Command::new("unzip")
            .arg("-tqq")
            .arg(&dest)
            .output()
        {
            assert!(out.status.success(), "{out:?}");
        }
    }

    #[test]
    fn pending_files_are_waited_for_and_a_failed_one_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        let (mut e, late) = sample_with_pending(dir.path(), "dependencies/def/late.tgz");
        let dest = dir.path().join("out.zip");
        let file = dir.path().join("late.tgz");
        let written = std::thread::scope(|scope| {
            scope.spawn(|| {
                std::thread::sleep(std::time::Duration::from_millis(50));
                fs::write(&file, [0x1f, 0x8b, 8, 0, 9, 9]).unwrap();
                late.ready(file.clone());
            });
            write(&e, &dest, settings).unwrap()
        });
        assert_eq!((written.stored, written.deflated), (2, 2));
        let mut archive = zip::ZipArchive::new(File::open(&dest).unwrap()).unwrap();
        let mut data = Vec::new();
        let mut late_entry = archive.by_name("dependencies/def/late.tgz").unwrap();
        late_entry.read_to_end(&mut data).unwrap();
        assert_eq!(data, [0x1f, 0x8b, 8, 0, 9, 9]);
        assert_eq!(late_entry.compression(), CompressionMethod::Stored);
        drop(late_entry);

        let failed = Pending::new();
        failed.fail();
        failed.ready(file.clone()); // too late: a failure stays a failure
        e.insert(
            "dependencies/xyz/gone.tgz".into(),
            entry(Source::Pending(failed), 0o644),
        );
        let dest = dir.path().join("failed.zip");
        assert_eq!(
            write(&e, &dest, settings).unwrap_err().to_string(),
            "dependencies/xyz/gone.tgz could not be fetched, so the zip was not written"
        );
        assert!(!dest.exists());
        assert!(
            fs::read_dir(dir.path()).unwrap().all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".part"))
        );
    }

    /// Plays a download into `part` as the fetcher does: each attempt rewrites the file from
    /// its start in pieces, telling `pending`; the last attempt's file is renamed to `dest`
    /// and announced ready. Pauses let the writer follow the bytes as they come.
    fn download(pending: &Pending, part: &Path, dest: &Path, attempts: &[&[u8]], sized: bool) {
        for body in attempts {
            let mut file = File::create(part).unwrap();
            pending.writing(part, sized.then_some(body.len() as u64));
            let mut written = 0;
            for piece in body.chunks(400 << 10) {
                file.write_all(piece).unwrap();
                written += piece.len() as u64;
                pending.wrote(written);
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        fs::rename(part, dest).unwrap();
        pending.ready(dest.to_path_buf());
    }

    /// The zip of `sample` plus `name`, written while `attempts` download (`sized`: with their
    /// size known from the start, as a `Content-Length` gives it), and the same zip written
    /// from the finished file.
    fn followed_and_direct(name: &str, attempts: &[&[u8]], sized: bool) -> (Vec<u8>, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            timestamp: DateTime::default(),
            jobs: 2,
        };
        let (mut e, pending) = sample_with_pending(dir.path(), name);
        let (part, dest) = (dir.path().join("x.part"), dir.path().join("x"));
        let followed = dir.path().join("followed.zip");
        std::thread::scope(|scope| {
            scope.spawn(|| download(&pending, &part, &dest, attempts, sized));
            write(&e, &followed, settings).unwrap();
        });
        let ready = Pending::new();
        ready.ready(dest.clone());
        e.insert(name.into(), entry(Source::Pending(ready), 0o644));
        let direct = dir.path().join("direct.zip");
        write(&e, &direct, settings).unwrap();
        (fs::read(followed).unwrap(), fs::read(direct).unwrap())
    }

    #[test]
    fn a_growing_file_is_followed_into_the_same_bytes() {
        let body: Vec<u8> = [0x1f, 0x8b]
            .into_iter()
            .chain((0..3_000_000u32).map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes()[2]))
            .collect();
        // Without a size (a chunked answer) the writer waits for the whole file instead.
        let (unsized_followed, _) =
            followed_and_direct("dependencies/abc/late.tgz", &[&body], false);
        let (followed, direct) = followed_and_direct("dependencies/abc/late.tgz", &[&body], true);
        assert!(followed == direct, "following changed the zip");
        assert!(unsized_followed == direct, "waiting changed the zip");
        let mut archive = zip::ZipArchive::new(io::Cursor::new(followed)).unwrap();
        let mut late = archive.by_name("dependencies/abc/late.tgz").unwrap();
        assert_eq!(late.compression(), CompressionMethod::Stored);
        let mut data = Vec::new();
        late.read_to_end(&mut data).unwrap();
        assert!(data == body);
    }

    #[test]
    fn a_retried_download_is_copied_again_without_the_first_bytes() {
        let noise = |len: u32, seed: u32| -> Vec<u8> {
            [0x1f, 0x8b]
                .into_iter()
                .chain((0..len).map(|i| (i ^ seed).wrapping_mul(2_654_435_761).to_le_bytes()[2]))
                .collect()
        };
        // A first attempt as long as the second but different: the writer must notice the
        // file was written again, not carry on from where it was.
        let first = vec![0xeeu8; 2_100_000];
        let good: Vec<u8> = b"plain text, deflated\n".repeat(100_000);
        // A longer first attempt of a stored file: its bytes reach past where the zip ends
        // and must be cut off.
        let long = noise(3_000_000, 7);
        let short = noise(1_000_000, 9);
        for (name, attempts, method) in [
            (
                "dependencies/abc/tool",
                [&first, &good],
                CompressionMethod::Deflated,
            ),
            (
                "dependencies/abc/late.tgz",
                [&long, &short],
                CompressionMethod::Stored,
            ),
        ] {
            let (followed, direct) = followed_and_direct(
                name,
                &[attempts[0].as_slice(), attempts[1].as_slice()],
                true,
            );
            assert_eq!(followed.len(), direct.len(), "{name}");
            assert!(
                followed == direct,
                "{name}: the first attempt left bytes behind"
            );
            let mut archive = zip::ZipArchive::new(io::Cursor::new(followed)).unwrap();
            let mut entry = archive.by_name(name).unwrap();
            assert_eq!(entry.compression(), method);
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            assert!(&data == attempts[1], "{name}");
        }
    }

    #[test]
    fn a_download_failing_half_way_writes_no_zip() {
        let dir = tempfile::tempdir().unwrap();
        let (e, pending) = sample_with_pending(dir.path(), "dependencies/abc/late.tgz");
        let part = dir.path().join("late.part");
        let dest = dir.path().join("out.zip");
        let result = std::thread::scope(|scope| {
            scope.spawn(|| {
                fs::write(&part, vec![0x1f; 500_000]).unwrap();
                pending.writing(&part, Some(1_000_000));
                pending.wrote(500_000);
                std::thread::sleep(std::time::Duration::from_millis(30));
                pending.fail();
            });
            write(
                &e,
                &dest,
                Settings {
                    timestamp: DateTime::default(),
                    jobs: 1,
                },
            )
        });
        assert_eq!(
            result.unwrap_err().to_string(),
            "dependencies/abc/late.tgz could not be fetched, so the zip was not written"
        );
        assert!(!dest.exists());
        assert!(fs::read_dir(dir.path()).unwrap().all(|e| {
            !e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".bpkit-")
        }));
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(None).unwrap(), DateTime::default());
        assert_eq!(timestamp(Some("0")).unwrap(), DateTime::default());
        let t = timestamp(Some("951782400")).unwrap(); // 2000-02-29
        assert_eq!((t.year(), t.month(), t.day()), (2000, 2, 29));
        let t = timestamp(Some("99999999999")).unwrap();
        assert_eq!(t.year(), 2107);
        // Beyond i64 too: clamped, not refused, not overflowing.
        assert_eq!(timestamp(Some("99999999999999999999")).unwrap(), t);
        assert_eq!(timestamp(Some(&i64::MAX.to_string())).unwrap(), t);
        assert_eq!(
            timestamp(Some("-99999999999999999999")).unwrap(),
            DateTime::default()
        );
        assert_eq!(
            timestamp(Some(&i64::MIN.to_string())).unwrap(),
            DateTime::default()
        );
        assert_eq!(
            timestamp(Some("yesterday")).unwrap_err().to_string(),
            "SOURCE_DATE_EPOCH=`yesterday` is not usable: it is not a whole number; set it to a whole number of seconds since 1970 (`git log -1 --format=%ct`), or unset it"
        );
    }

    #[test]
    fn compressed_by_name_or_magic() {
        assert!(is_compressed("a/ruby-3.3.0.TGZ", b""));
        assert!(is_compressed("x.whl", b""));
        assert!(is_compressed("jvmkill-1.16.0", &[0x1f, 0x8b, 8]));
        assert!(!is_compressed("bin/bpkit", b"\x7fELF"));
        assert!(!is_compressed("manifest.yml", b"---\n"));
    }

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

    /// A zip that cannot be created for lack of room is told to free space, not to make a
    /// folder writable; a permission problem still is.
    #[test]
    fn a_zip_not_created_gets_the_fix_for_its_cause() {
        let error = |kind| {
            ZipWriteError::CannotCreate {
                dir: PathBuf::from("/out"),
                cause: io::Error::from(kind),
            }
            .to_string()
        };
        let full = error(io::ErrorKind::StorageFull);
        assert!(
            full.starts_with("cannot create the zip in /out: "),
            "{full}"
        );
        assert!(
            full.ends_with(
                "; the disk is full; free space on it (`df -h`), or package into another folder"
            ),
            "{full}"
        );
        let denied = error(io::ErrorKind::PermissionDenied);
        assert!(
            denied.ends_with("; make that folder writable, or package into another folder"),
            "{denied}"
        );
    }
}
