//! The staging's `--timeout` ([`Deadline`]): when the whole staging must be over, as the
//! platform's staging timeout covers its whole staging task, from the app's download to the
//! droplet's upload. A buildpack program (or `git`) is stopped at it by
//! [`run_phase`](super::run_phase); the steps that run no program (copying the app and the
//! build cache in, unpacking a zip buildpack, writing `droplet.tgz` and `cache.tgz`, saving
//! `--cache`) look at it ([`check`]) between two entries, and inside one between two reads
//! ([`Stoppable`]) or two chunks of a copy ([`crate::chunked_copy`]). Without that, a large app or
//! droplet ran on for as long as it took, past `--timeout`, and a single large file (a
//! multi-gigabyte jar, a zip buildpack's runtime) was finished before the deadline was looked at.

use std::io::{self, Read, Seek, SeekFrom};
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
    crate::process_group::check_termination()?;
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
