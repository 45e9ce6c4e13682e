//! The staging's `--timeout` ([`Deadline`]): when the whole staging must be over, as the
//! platform's staging timeout covers its whole staging task, from the app's download to the
//! droplet's upload. A buildpack program (or `git`) is stopped at it by
//! [`run_phase`](super::run_phase); the steps that run no program (copying the app and the
//! build cache in, unpacking a zip buildpack, writing `droplet.tgz` and `cache.tgz`, saving
//! `--cache`) look at it ([`check`]) between two entries, and inside one between two reads
//! ([`Stoppable`]) or two chunks of a copy ([`copy_stoppably`]). Without that, a large app or
//! droplet ran on for as long as it took, past `--timeout`, and a single large file (a
//! multi-gigabyte jar, a zip buildpack's runtime) was finished before the deadline was looked at.

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::time::{Duration, Instant};

/// When the whole staging must be over (`--timeout`).
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    pub at: Instant,
    /// The timeout it came from, for messages.
    pub secs: u64,
}

impl Deadline {
    /// `secs` from now; `None` (no deadline) when that is beyond what an `Instant` can hold,
    /// as `--timeout 18446744073709551615` is: a wait that long never ends anyway.
    pub fn after_secs(secs: u64) -> Option<Self> {
        let at = Instant::now().checked_add(Duration::from_secs(secs))?;
        Some(Deadline { at, secs })
    }

    pub fn passed(self) -> bool {
        Instant::now() >= self.at
    }
}

/// An error once bpkit was asked to stop (Ctrl-C, SIGTERM, SIGHUP) or `deadline` has passed:
/// what a copy checks between two files, and an archive between two reads. Which of the two it was,
/// the staging tells from its own state (the termination flag, its deadline), since the error
/// comes back through steps that name their own paths. Not `ErrorKind::Interrupted`, which
/// `io::copy` retries.
pub fn check(deadline: Option<Deadline>) -> io::Result<()> {
    if crate::process_group::termination_requested() {
        return Err(io::Error::other("interrupted"));
    }
    if deadline.is_some_and(Deadline::passed) {
        return Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the staging deadline passed",
        ));
    }
    Ok(())
}

/// A reader that fails ([`check`]) once bpkit is asked to stop or the deadline has passed, so
/// that neither an archive being written nor one being unpacked waits for a large file to be
/// read whole. Seeking passes through, for a zip's central directory.
pub struct Stoppable<R> {
    pub inner: R,
    pub deadline: Option<Deadline>,
}

impl<R: Read> Read for Stoppable<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        check(self.deadline)?;
        self.inner.read(buf)
    }
}

impl<R: Seek> Seek for Stoppable<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// How much of a file [`copy_stoppably`] copies between two looks at the deadline: small enough
/// that a stop waits for well under a second of copying, large enough that the kernel's own
/// copy (`copy_file_range`, which `io::copy` uses between two files) does the work.
pub const COPY_CHUNK: u64 = 8 * 1024 * 1024;

/// Copy `from` into `to` in chunks of `chunk` bytes, calling `stop` (which fails to stop the
/// copy, as [`check`] does) before each. Chunks of a `File` read through `take` keep
/// `io::copy`'s in-kernel copy, which a reader wrapped in [`Stoppable`] would lose. Returns the
/// bytes copied.
pub fn copy_stoppably<R: Read, W: Write>(
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

    #[test]
    fn a_deadline_past_what_an_instant_holds_is_none() {
        assert!(Deadline::after_secs(u64::MAX).is_none());
        assert_eq!(Deadline::after_secs(900).map(|d| d.secs), Some(900));
    }

    #[test]
    fn check_fails_once_the_deadline_has_passed() {
        assert!(check(None).is_ok());
        assert!(check(Deadline::after_secs(900)).is_ok());
        let passed = Deadline {
            at: Instant::now(),
            secs: 1,
        };
        assert!(passed.passed());
        let error = check(Some(passed)).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }

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
        let error = copy_stoppably(&mut &b"0123456789ab"[..], &mut copy, 4, &mut stop).unwrap_err();
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
            let copied = copy_stoppably(&mut from, &mut to, 3000, &mut || {
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
    fn a_stoppable_reader_fails_once_the_deadline_has_passed() {
        let mut open = Stoppable {
            inner: &b"abc"[..],
            deadline: Deadline::after_secs(900),
        };
        let mut read = String::new();
        open.read_to_string(&mut read).unwrap();
        assert_eq!(read, "abc");
        let mut passed = Stoppable {
            inner: &b"abc"[..],
            deadline: Some(Deadline {
                at: Instant::now(),
                secs: 1,
            }),
        };
        let error = passed.read(&mut [0; 3]).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }
}
