//! Reads and copies that stop: a check before each read ([`Reader`]) or each chunk of a copy
//! ([`copy_in_chunks`]) ends a long one with the check's error, so that a Ctrl-C
//! ([`crate::process_group::check_termination`]) or the staging's deadline stops work on a
//! multi-gigabyte file at once, where it finished the whole file first. Used wherever bpkit
//! reads or copies files it does not control while it catches the signals: an app and its build
//! cache copied into a staging, a zip buildpack unpacked, a droplet written or unpacked, a
//! buildpack's tree copied for `pre_package`, a cached dependency or a finished zip hashed.

use std::io::{self, Read, Seek, SeekFrom, Write};

/// A reader that calls `stop` before each read and fails with its error. Seeking passes
/// through, for a zip's central directory.
pub struct Reader<R, S> {
    inner: R,
    stop: S,
}

impl<R, S: FnMut() -> io::Result<()>> Reader<R, S> {
    /// `inner`, read only while `stop` gives `Ok`. Its error should not be
    /// `ErrorKind::Interrupted`, which reading loops retry.
    pub fn new(inner: R, stop: S) -> Self {
        Reader { inner, stop }
    }
}

impl<R: Read, S: FnMut() -> io::Result<()>> Read for Reader<R, S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (self.stop)()?;
        self.inner.read(buf)
    }
}

impl<R: Seek, S> Seek for Reader<R, S> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// How much of a file [`copy_in_chunks`] copies between two checks: small enough that a stop
/// waits for well under a second of copying, large enough that the kernel's own copy
/// (`copy_file_range`, which `io::copy` uses between two files) does the work.
pub const CHUNK: u64 = 8 * 1024 * 1024;

/// Copy `from` into `to` in chunks of `chunk` bytes, calling `stop` before each: an error from
/// it ends the copy with that error (such as [`crate::process_group::check_termination`]).
/// Chunks of a `File` read through `take` keep `io::copy`'s in-kernel copy, which a reader that
/// checks before every read would lose. Returns the bytes copied.
pub fn copy_in_chunks<R: Read, W: Write>(
    from: &mut R,
    to: &mut W,
    chunk: u64,
    stop: &mut dyn FnMut() -> io::Result<()>,
) -> io::Result<u64> {
    let mut copied = 0;
    loop {
        stop()?;
        match io::copy(&mut from.by_ref().take(chunk), to)? {
            0 => return Ok(copied),
            n => copied += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy stops between two chunks, not only between two files: the stop asked for after
    /// the first chunk leaves exactly that chunk copied.
    #[test]
    fn a_copy_stops_between_two_chunks_of_one_file() {
        let mut calls = 0;
        let mut stop = || {
            calls += 1;
            if calls > 1 {
                Err(io::Error::new(io::ErrorKind::TimedOut, "stop"))
            } else {
                Ok(())
            }
        };
        let mut copy = Vec::new();
        let error = copy_in_chunks(&mut &b"0123456789ab"[..], &mut copy, 4, &mut stop).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert_eq!(copy, b"0123");
    }

    /// Between two files, chunk after chunk (the kernel's copy), the whole file arrives, and
    /// the count is the file's length; an empty file is copied too.
    #[test]
    fn a_copy_in_chunks_copies_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let contents: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        for (name, bytes) in [("data", &contents[..]), ("empty", &[][..])] {
            let from_path = dir.path().join(name);
            std::fs::write(&from_path, bytes).unwrap();
            let to_path = dir.path().join(format!("{name}.copy"));
            let mut from = std::fs::File::open(&from_path).unwrap();
            let mut to = std::fs::File::create(&to_path).unwrap();
            let mut stops = 0;
            let copied = copy_in_chunks(&mut from, &mut to, 3000, &mut || {
                stops += 1;
                Ok(())
            })
            .unwrap();
            assert_eq!(copied, bytes.len() as u64);
            assert_eq!(std::fs::read(&to_path).unwrap(), bytes);
            // Once before each chunk, and once more before the read that finds the end.
            assert_eq!(stops, bytes.len().div_ceil(3000) + 1);
        }
    }

    #[test]
    fn a_reader_reads_until_its_stop_fails() {
        let mut reads = 0;
        let mut reader = Reader::new(io::Cursor::new(b"abcdef"), || {
            reads += 1;
            if reads > 2 {
                Err(io::Error::new(io::ErrorKind::TimedOut, "stop"))
            } else {
                Ok(())
            }
        });
        let mut buf = [0u8; 2];
        reader.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ab");
        reader.seek(SeekFrom::Start(4)).unwrap();
        reader.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ef");
        let error = reader.read(&mut buf).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }
}
