//! The staging's `--timeout` ([`Deadline`]): when the whole staging must be over, as the
//! platform's staging timeout covers its whole staging task, from the app's download to the
//! droplet's upload. A buildpack program (or `git`) is stopped at it by
//! [`run_phase`](super::run_phase); the steps that run no program (copying the app and the
//! build cache in, writing `droplet.tgz` and `cache.tgz`, saving `--cache`) look at it, a copy
//! between two files and an archive between two reads ([`check`]). Without that, a large app
//! or droplet ran on for as long as it took, past `--timeout`.

use std::io;
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
}
