//! A fetched file held open, so that what is read later is what was verified.
//!
//! A cache entry is verified at one moment and read (copied into a zip, extracted into an app)
//! at a later one. Opening it again by path in between would read whatever is at the path
//! then: another packager sharing the cache, with a manifest whose checksum for the same URI
//! differs (a dependency re-released under the same address), may have renamed its own
//! verified file over it meanwhile, and the zip would get bytes no checksum of this manifest
//! allows. A [`HeldFile`] keeps the very file that was hashed: a rename over its path does not
//! change it, and its readers ([`HeldFile::reader`]) give exactly the bytes counted when it was
//! verified, failing rather than giving fewer.
//!
//! Holding the file does not stop a write into it: a `cp` over the entry (which truncates the
//! same file and writes it again) while a zip is written would have put the new bytes, never
//! hashed, into the zip. So the file's modification time and size are noted when it is
//! verified, and a reader that reaches its end looks again and fails if they changed
//! ([`HeldFile::check_unchanged`]). The modification time, not the change time: a rename
//! over the path (the case above) unlinks the held file, which changes its change time but not
//! its content or its modification time.

use std::fs::{File, Metadata};
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::checksum::{self, Digests};
use crate::regular_file::{self, OpenError};

/// File descriptors left for everything else once [`make_room_for`] counted the held files.
const OTHER_FILES: u64 = 256;

/// Make room for `held` files held open at once (a zip's dependencies, each held from its
/// verification until the zip writer copies it): the soft limit on open files (often 1024)
/// goes up as far as the hard one allows, only when needed, as Go's runtime raises it for
/// every Go program (the Go packager included). Best effort: a limit that cannot be raised
/// leaves the usual `Too many open files` error, naming the file, for the one that cannot open.
pub(crate) fn make_room_for(held: usize) {
    use rustix::process::{Resource, getrlimit, setrlimit};
    if let Some(raised) = raised_limit(getrlimit(Resource::Nofile), held) {
        let _ = setrlimit(Resource::Nofile, raised);
    }
}

/// The open-file limit that leaves room for `held` files besides [`OTHER_FILES`], when `limit`
/// does not: the soft limit raised, never past the hard one (`None` is unlimited).
fn raised_limit(limit: rustix::process::Rlimit, held: usize) -> Option<rustix::process::Rlimit> {
    let wanted = (held as u64).saturating_add(OTHER_FILES);
    let soft = limit.current?;
    let raised = limit.maximum.map_or(wanted, |hard| wanted.min(hard));
    (raised > soft).then_some(rustix::process::Rlimit {
        current: Some(raised),
        maximum: limit.maximum,
    })
}

/// A file, verified (or just written) at `path`, held open. See the module header.
#[derive(Debug, Clone)]
pub struct HeldFile {
    path: PathBuf,
    file: Arc<File>,
    len: u64,
    /// Its modification time and size when it was verified.
    stamp: Stamp,
}

/// What a write into a file changes: its modification time and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    size: u64,
}

impl Stamp {
    fn of(meta: &Metadata) -> Stamp {
        Stamp {
            modified: meta.modified().ok(),
            size: meta.len(),
        }
    }

    /// `Ok` when `file` still has this stamp.
    fn check(self, file: &File) -> io::Result<()> {
        if Stamp::of(&file.metadata()?) == self {
            Ok(())
        } else {
            Err(changed())
        }
    }
}

fn changed() -> io::Error {
    io::Error::other(
        "it was written to after it was verified (by another program, or a copy over it), so its bytes are not the ones checked; run again once nothing else writes to it",
    )
}

impl HeldFile {
    /// `file`, which holds the `len` bytes just written and verified at `path`.
    pub(crate) fn new(path: PathBuf, file: File, len: u64) -> io::Result<Self> {
        let stamp = Stamp::of(&file.metadata()?);
        Ok(HeldFile {
            path,
            file: Arc::new(file),
            len,
            stamp,
        })
    }

    /// Open the regular file at `path` ([`regular_file::open`]: a fifo is not waited for) and
    /// hash it (with md5 too when asked). A file written to while it was hashed is an error:
    /// its hash is then of no one version of it. The hashing stops with an error between two
    /// reads once bpkit is interrupted (Ctrl-C, or a staging's deadline): a cached dependency of
    /// gigabytes took seconds to hash before a Ctrl-C was seen.
    pub fn open(path: &Path, with_md5: bool) -> Result<(HeldFile, Digests), OpenError> {
        let (file, meta) = regular_file::open(path)?;
        let held = HeldFile {
            path: path.to_path_buf(),
            len: meta.len(),
            stamp: Stamp::of(&meta),
            file: Arc::new(file),
        };
        let mut reader = crate::stoppable::Reader::new(held.reader(), || {
            // Not `ErrorKind::Interrupted`, which a reading loop retries.
            if super::interrupted() {
                Err(io::Error::other("interrupted"))
            } else {
                Ok(())
            }
        });
        let digests = checksum::digest_reader(&mut reader, with_md5).map_err(OpenError::Io)?;
        Ok((held, digests))
    }

    /// `Ok` when nothing wrote to the file since it was verified (see the module header): call
    /// it after reading the file other than through a [`HeldReader`] to its end, which checks.
    pub fn check_unchanged(&self) -> io::Result<()> {
        self.stamp.check(&self.file)
    }

    /// Where the file was when it was verified (it may have been replaced there since).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its length when it was verified: all its readers give.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether `other` is an open handle on this same file.
    pub fn is(&self, other: &File) -> bool {
        match (self.file.metadata(), other.metadata()) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }

    /// A reader of the file from its first byte, with its own position (any number can read
    /// at once). It ends after [`HeldFile::len`] bytes, and fails if the file got shorter.
    pub fn reader(&self) -> HeldReader {
        HeldReader {
            file: Arc::clone(&self.file),
            at: 0,
            len: self.len,
            stamp: self.stamp,
        }
    }
}

/// Two held files are equal only when they are one handle.
impl PartialEq for HeldFile {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.file, &other.file)
    }
}

impl Eq for HeldFile {}

/// A reader of a [`HeldFile`]: positioned reads (`pread`), so readers never move each other.
/// The read that gives the last byte fails instead when the file was written to since it was
/// verified ([`HeldFile::check_unchanged`]).
#[derive(Debug)]
pub struct HeldReader {
    file: Arc<File>,
    at: u64,
    len: u64,
    stamp: Stamp,
}

impl Read for HeldReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.at);
        if left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = usize::try_from(left).map_or(buf.len(), |left| left.min(buf.len()));
        let n = self.file.read_at(&mut buf[..want], self.at)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the file got shorter after it was verified ({} bytes, now {}); run again",
                    self.len, self.at
                ),
            ));
        }
        self.at += n as u64;
        if self.at == self.len {
            self.stamp.check(&self.file)?;
        }
        Ok(n)
    }
}

impl Seek for HeldReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let (base, offset) = match to {
            SeekFrom::Start(at) => {
                self.at = at;
                return Ok(at);
            }
            SeekFrom::Current(offset) => (self.at, offset),
            SeekFrom::End(offset) => (self.len, offset),
        };
        match base.checked_add_signed(offset) {
            Some(at) => {
                self.at = at;
                Ok(at)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::io::Write;

    use super::*;

    #[test]
    fn a_held_file_survives_a_rename_over_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dep.tgz");
        fs::write(&path, b"verified bytes").unwrap();
        let (held, digests) = HeldFile::open(&path, true).unwrap();
        assert_eq!((digests.len, held.len(), held.is_empty()), (14, 14, false));
        // A clone is the same handle; the same file opened again is another.
        assert_eq!(held.clone(), held);
        assert_ne!(HeldFile::open(&path, false).unwrap().0, held);
        assert_eq!(
            digests.md5,
            crate::checksum::Md5::of_bytes(b"verified bytes")
        );
        // Another process renames its own file over the entry.
        let other = dir.path().join(".dep.tgz.x.part");
        fs::write(&other, b"other bytes!!!").unwrap();
        fs::rename(&other, &path).unwrap();
        let mut read = String::new();
        held.reader().read_to_string(&mut read).unwrap();
        assert_eq!(read, "verified bytes");
        assert!(!held.is(&File::open(&path).unwrap()));
        assert_eq!(held.path(), path);
    }

    /// Hashing stops once the downloads of this thread are to stop (as at a Ctrl-C).
    #[test]
    fn hashing_stops_once_interrupted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dep.tgz");
        fs::write(&path, b"verified bytes").unwrap();
        let stopped = super::super::until(Some(std::time::Instant::now()), || {
            HeldFile::open(&path, false)
        });
        assert!(
            matches!(&stopped, Err(OpenError::Io(e)) if e.to_string() == "interrupted"),
            "{stopped:?}"
        );
        assert!(HeldFile::open(&path, false).is_ok());
    }

    #[test]
    fn readers_give_the_verified_length_and_fail_when_the_file_shrinks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dep");
        fs::write(&path, b"0123456789").unwrap();
        let (held, _) = HeldFile::open(&path, false).unwrap();
        assert!(held.is(&File::open(&path).unwrap()));
        let empty = dir.path().join("empty");
        fs::write(&empty, b"").unwrap();
        let (nothing, _) = HeldFile::open(&empty, false).unwrap();
        assert_eq!((nothing.len(), nothing.is_empty()), (0, true));
        let mut all = Vec::new();
        held.reader().read_to_end(&mut all).unwrap();
        assert_eq!(all, b"0123456789");
        // Two readers keep their own positions.
        let (mut a, mut b) = (held.reader(), held.reader());
        let mut one = [0u8; 4];
        a.read_exact(&mut one).unwrap();
        b.seek(SeekFrom::End(-3)).unwrap();
        let mut rest = Vec::new();
        b.read_to_end(&mut rest).unwrap();
        a.read_exact(&mut one).unwrap();
        assert_eq!((&one, rest.as_slice()), (b"4567", b"789".as_slice()));
        assert!(a.seek(SeekFrom::Current(-9)).is_err());
        // Bytes appended in place are not read, and the reader fails at the verified length:
        // a file grown is not the one verified (a copy over it looks the same).
        fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"extra")
            .unwrap();
        let mut reader = held.reader();
        let mut first = [0u8; 9];
        reader.read_exact(&mut first).unwrap();
        assert_eq!(&first, b"012345678");
        assert!(reader.read_to_end(&mut Vec::new()).is_err());
        // A file cut short fails the reader instead of ending it early.
        fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(5)
            .unwrap();
        let error = held.reader().read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        assert!(error.to_string().contains("got shorter"), "{error}");
    }

    /// A `cp` over the entry (truncating the held file and writing it again) while a zip is
    /// written: the reader used to give the new bytes, which no checksum had seen.
    #[test]
    fn a_file_written_to_after_it_was_verified_fails_its_readers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dep.tgz");
        fs::write(&path, b"verified bytes").unwrap();
        let (held, _) = HeldFile::open(&path, false).unwrap();
        // Past the file system's clock tick, so the write shows in the modification time.
        std::thread::sleep(std::time::Duration::from_millis(50));
        fs::write(&path, b"swapped bytes!").unwrap();
        let mut read = Vec::new();
        let error = held.reader().read_to_end(&mut read).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("written to after it was verified"),
            "{error}"
        );
        assert!(held.check_unchanged().is_err());
        // Appended to, then cut back to its old size: still not the file verified.
        fs::write(&path, b"verified bytes").unwrap();
        let (held, _) = HeldFile::open(&path, false).unwrap();
        held.check_unchanged().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        let file = fs::OpenOptions::new().append(true).open(&path).unwrap();
        (&file).write_all(b"more").unwrap();
        file.set_len(14).unwrap();
        assert!(held.reader().read_to_end(&mut Vec::new()).is_err());
        // Unlinked (another packager's rename over its path): unchanged, still readable.
        fs::write(&path, b"verified bytes").unwrap();
        let (held, _) = HeldFile::open(&path, false).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        fs::remove_file(&path).unwrap();
        held.check_unchanged().unwrap();
        let mut read = Vec::new();
        held.reader().read_to_end(&mut read).unwrap();
        assert_eq!(read, b"verified bytes");
    }

    #[test]
    fn room_is_made_for_many_held_files_up_to_the_hard_limit() {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let limit = |current, maximum| Rlimit { current, maximum };
        // Room enough already (exactly, or more): nothing changes.
        assert_eq!(raised_limit(limit(Some(1024), Some(4096)), 768), None);
        assert_eq!(raised_limit(limit(Some(1024), Some(4096)), 10), None);
        // One more file: the soft limit goes up by one, the hard one stays.
        assert_eq!(
            raised_limit(limit(Some(1024), Some(4096)), 769),
            Some(limit(Some(1025), Some(4096)))
        );
        // Never past the hard limit; an unlimited one, or one already reached, is left alone.
        assert_eq!(
            raised_limit(limit(Some(1024), Some(4096)), 100_000),
            Some(limit(Some(4096), Some(4096)))
        );
        assert_eq!(
            raised_limit(limit(Some(1024), None), 2000),
            Some(limit(Some(2256), None))
        );
        assert_eq!(raised_limit(limit(None, None), 100_000), None);
        assert_eq!(raised_limit(limit(Some(4096), Some(4096)), 100_000), None);
        // And the process's own limit really moves: one below the hard limit first (which no
        // other test in this process can miss), then raised to it.
        let mut before = getrlimit(Resource::Nofile);
        if let (Some(soft), Some(hard)) = (before.current, before.maximum)
            && soft == hard
        {
            before.current = Some(hard - 1);
            setrlimit(Resource::Nofile, before).unwrap();
        }
        make_room_for(usize::MAX);
        let after = getrlimit(Resource::Nofile);
        assert_eq!(after.maximum, before.maximum);
        assert_eq!(after.current, before.maximum.or(before.current));
    }

    /// Only a regular file is held (the checks are `regular_file::open`'s, tested there).
    #[test]
    fn only_regular_files_are_held() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            HeldFile::open(dir.path(), false),
            Err(OpenError::NotAFile("a folder"))
        ));
    }
}
