//! Streaming bytes into a `.part` file while they are hashed: the copy loop shared by
//! downloads and `file://` sources (never the whole file in memory; stopped between two pieces
//! once bpkit is interrupted), and the `file://` source itself, which refuses anything but a
//! regular file.

use std::io::{self, Read, Write};
use std::path::Path;

use super::download::Transfer;
use super::{FetchError, Report, cache, interrupted};
use crate::checksum::Digests;
use crate::regular_file::OpenError;

pub(super) fn copy_local(
    path: &Path,
    shown: &str,
    part: &mut cache::Part,
    with_md5: bool,
    report: Report<'_>,
) -> Result<Digests, FetchError> {
    let read_error = |e: io::Error| FetchError::CannotRead {
        path: path.to_path_buf(),
        uri: shown.to_string(),
        cause: read_cause(&e),
    };
    // Opening a fifo would block until a writer came, and a character device such as
    // /dev/zero never ends, filling the cache's disk with a `.part` file.
    let (mut file, meta) = crate::regular_file::open(path).map_err(|e| match e {
        OpenError::Io(e) => read_error(e),
        OpenError::NotAFile(found) => FetchError::NotAFile {
            path: path.to_path_buf(),
            uri: shown.to_string(),
            found,
        },
    })?;
    let size = Some(meta.len());
    if let (Some(task), Some(size)) = (report.task, size) {
        task.set_total(size);
    }
    let part_path = part.path().to_path_buf();
    let dest = part.dest().to_path_buf();
    let mut transfer = Transfer::start(part, with_md5)?;
    if let Some(watch) = report.watch {
        watch.writing(&part_path, size);
    }
    // No size limit: a regular file's size is known, and it is on this machine already.
    pump(&mut file, &mut transfer.hasher, report, 0, None)
        .map_err(|e| e.into_fetch_error(shown, &dest, |e, _| read_error(e)))?;
    Ok(transfer.hasher.finish().1)
}

/// Why a `file://` source could not be read. A missing file is most often a typo in the URI
/// (or a file not yet put in place): say which, instead of the OS's `No such file or directory
/// (os error 2)`; the same for a file where a folder of the path belongs (`file:///srv/x.tgz/`,
/// `Not a directory (os error 20)`) and a file this user may not read (`Permission denied (os
/// error 13)`).
fn read_cause(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file; fix the URI, or put the file there".into(),
        io::ErrorKind::NotADirectory => format!("{}; fix the URI", crate::output::UNDER_A_FILE),
        io::ErrorKind::PermissionDenied => {
            "permission denied; make the file readable to this user, or fix the URI".into()
        }
        _ => super::error::io_cause(e),
    }
}

pub(super) enum PumpError {
    /// Reading failed after this many bytes.
    Read(io::Error, u64),
    Write(io::Error),
    /// bpkit was interrupted ([`interrupted`]) between two pieces.
    Interrupted,
    /// The reader had more than this limit of bytes (counting `start`); the piece that went
    /// past it was not written.
    TooLarge(u64),
}

impl PumpError {
    /// The fetch's error for the URI `shown` being written to `dest`; a read error is the
    /// source's own (a local file's, or a server's body cut short), given the bytes read.
    pub(super) fn into_fetch_error(
        self,
        shown: &str,
        dest: &Path,
        read_error: impl FnOnce(io::Error, u64) -> FetchError,
    ) -> FetchError {
        match self {
            PumpError::Read(e, got) => read_error(e, got),
            PumpError::Write(e) => FetchError::cannot_write(dest, &e),
            PumpError::Interrupted => FetchError::Interrupted {
                uri: shown.to_string(),
            },
            PumpError::TooLarge(limit) => FetchError::TooLarge {
                uri: shown.to_string(),
                announced: None,
                limit,
            },
        }
    }
}

/// Copy `reader` into `writer` in 128 KiB pieces, telling the task and the watcher; never the
/// whole file in memory. `start` bytes are in the file already (a resumed download): the
/// counts, returned and told, include them. Stops before the next piece once bpkit is
/// interrupted, and before writing a piece that would take the count past `limit`.
pub(super) fn pump(
    reader: &mut dyn Read,
    writer: &mut impl Write,
    report: Report<'_>,
    start: u64,
    limit: Option<u64>,
) -> Result<u64, PumpError> {
    let mut buffer = vec![0u8; 128 * 1024];
    let mut total = start;
    loop {
        if interrupted() {
            return Err(PumpError::Interrupted);
        }
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(PumpError::Read(e, total)),
        };
        if let Some(limit) = limit
            && total.saturating_add(n as u64) > limit
        {
            return Err(PumpError::TooLarge(limit));
        }
        writer.write_all(&buffer[..n]).map_err(PumpError::Write)?;
        total += n as u64;
        if let Some(task) = report.task {
            task.advance(n as u64);
        }
        if let Some(watch) = report.watch {
            watch.wrote(total);
        }
    }
    writer.flush().map_err(PumpError::Write)?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::Watch;
    use crate::output::progress::Task;

    #[test]
    fn pump_counts_and_reports() {
        use std::sync::atomic::{AtomicU64, Ordering};
        struct Count(AtomicU64);
        impl Task for Count {
            fn set_total(&self, _: u64) {}
            fn set_done(&self, _: u64) {}
            fn advance(&self, n: u64) {
                self.0.fetch_add(n, Ordering::SeqCst);
            }
            fn finish(&self) {}
        }
        /// Every `wrote` must come after the bytes it announces are in the writer.
        struct Seen(std::sync::Mutex<Vec<u64>>);
        impl Watch for Seen {
            fn writing(&self, _: &Path, _: Option<u64>) {}
            fn wrote(&self, written: u64) {
                self.0.lock().unwrap().push(written);
            }
        }
        let data = vec![7u8; 300 * 1024];
        let count = Count(AtomicU64::new(0));
        let seen = Seen(std::sync::Mutex::new(Vec::new()));
        let mut out = Vec::new();
        let report = Report {
            lines: false,
            task: Some(&count),
            watch: Some(&seen),
        };
        let n = pump(&mut data.as_slice(), &mut out, report, 0, None).unwrap_or(0);
        assert_eq!(n, data.len() as u64);
        assert_eq!(out, data);
        assert_eq!(count.0.load(Ordering::SeqCst), n);
        let seen = seen.0.into_inner().unwrap();
        assert_eq!(seen, [128 * 1024, 256 * 1024, 300 * 1024]);
    }

    /// A limit stops the copy before the piece that passes it is written; one the data stays
    /// within (exactly reached) does not.
    #[test]
    fn pump_stops_before_passing_the_limit() {
        let data = vec![7u8; 300 * 1024];
        let report = Report {
            lines: false,
            task: None,
            watch: None,
        };
        let mut out = Vec::new();
        let stopped = pump(&mut data.as_slice(), &mut out, report, 0, Some(200 * 1024));
        assert!(matches!(stopped, Err(PumpError::TooLarge(limit)) if limit == 200 * 1024));
        assert_eq!(out.len(), 128 * 1024);
        let mut out = Vec::new();
        let n = pump(&mut data.as_slice(), &mut out, report, 0, Some(300 * 1024));
        assert!(matches!(n, Ok(n) if n == 300 * 1024));
        // Bytes already in the file count.
        let mut out = Vec::new();
        let stopped = pump(&mut data.as_slice(), &mut out, report, 1, Some(300 * 1024));
        assert!(matches!(stopped, Err(PumpError::TooLarge(_))));
    }

    /// A read interrupted by a signal is tried again, as `io::copy` does; it is not the
    /// source's failure.
    #[test]
    fn pump_reads_again_after_an_interrupted_read() {
        struct Flinching {
            data: &'static [u8],
            flinched: bool,
        }
        impl Read for Flinching {
            fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
                if !self.flinched {
                    self.flinched = true;
                    return Err(io::ErrorKind::Interrupted.into());
                }
                self.data.read(buffer)
            }
        }
        let report = Report {
            lines: false,
            task: None,
            watch: None,
        };
        let mut reader = Flinching {
            data: b"all of it",
            flinched: false,
        };
        let mut out = Vec::new();
        let n = pump(&mut reader, &mut out, report, 0, None);
        assert!(matches!(n, Ok(9)));
        assert_eq!(out, b"all of it");
    }

    /// Each cause a `file://` source commonly meets says its fix; the rest are the OS's own.
    #[test]
    fn a_file_that_cannot_be_read_says_why_and_the_fix() {
        for (kind, cause) in [
            (
                io::ErrorKind::NotFound,
                "no such file; fix the URI, or put the file there",
            ),
            (
                io::ErrorKind::NotADirectory,
                "part of that path is a file, not a folder; fix the URI",
            ),
            (
                io::ErrorKind::PermissionDenied,
                "permission denied; make the file readable to this user, or fix the URI",
            ),
        ] {
            assert_eq!(read_cause(&io::Error::from(kind)), cause, "{kind:?}");
        }
        let other = io::Error::other("the disk fell off");
        assert_eq!(read_cause(&other), super::super::error::io_cause(&other));
    }
}
