//! The staging's `--timeout` ([`Deadline`]): when the whole staging must be over, as the
//! platform's staging timeout covers its whole staging task, from the app's download to the
//! droplet's upload. A buildpack program (or `git`) is stopped at it by
//! [`run_phase`](super::run_phase); the steps that run no program (copying the app and the
//! build cache in, unpacking a zip buildpack, writing `droplet.tgz` and `cache.tgz`, saving
//! `--cache`) look at it ([`check`]) between two entries, and inside one between two reads or
//! two chunks of a copy ([`reader`], [`crate::stoppable`]). Without that, a large app or
//! droplet ran on for as long as it took, past `--timeout`, and a single large file (a
//! multi-gigabyte jar, a zip buildpack's runtime) was finished before the deadline was looked at.

use std::io;
use std::time::{Duration, Instant};

use crate::stoppable;

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

/// `inner`, read until bpkit is asked to stop or `deadline` has passed ([`check`]), so that
/// neither an archive being written nor one being unpacked waits for a large file to be read
/// whole.
pub fn reader<R>(
    inner: R,
    deadline: Option<Deadline>,
) -> stoppable::Reader<R, impl FnMut() -> io::Result<()>> {
    stoppable::Reader::new(inner, move || check(deadline))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

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
        let mut open = reader(&b"abc"[..], Deadline::after_secs(900));
        let mut read = String::new();
        open.read_to_string(&mut read).unwrap();
        assert_eq!(read, "abc");
        let passed = Deadline {
            at: Instant::now(),
            secs: 1,
        };
        let mut passed = reader(&b"abc"[..], Some(passed));
        let error = passed.read(&mut [0; 3]).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }
}
