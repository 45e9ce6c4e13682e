//! A zip entry whose file another thread is still producing: a dependency being downloaded into
//! the cache while the zip is written (issue 6, benches/package.sh).
//!
//! The fetching thread tells a [`Pending`] each attempt's `.part` file and how many of its
//! bytes are written ([`Pending::writing`], [`Pending::wrote`]), then how it ended
//! ([`Pending::ready`] once the file is verified and in place, with the verified file held
//! open, or [`Pending::fail`]). The zip
//! writer waits for the next of these with [`Pending::next`], so it can copy the bytes into
//! the zip while the rest still arrive instead of waiting for the whole file: on a cold cache
//! the last downloads and the zip then end together. Bytes copied early are not trusted on
//! their own: the entry counts only once `ready` comes for the same attempt, and a failure
//! fails the whole zip.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::fetch::HeldFile;

/// A file another thread is producing. See the module header.
#[derive(Debug, Default)]
pub struct Pending {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// Attempts started so far; each rewrites the `.part` file from its first byte.
    attempts: u32,
    phase: Phase,
    /// The byte count the writer waits for, so [`Pending::wrote`] wakes it only then (a
    /// wake for every 128 KiB piece cost thousands of context switches per zip).
    wanted: u64,
}

#[derive(Debug, Default, Clone)]
enum Phase {
    #[default]
    Waiting,
    Growing {
        part: PathBuf,
        written: u64,
        expected: Option<u64>,
    },
    Ready(HeldFile),
    Failed,
}

/// What the writer learns from [`Pending::next`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Attempt number `attempt` (from 1) has its first `written` bytes in `part`, of
    /// `expected` in all when that is known.
    Growing {
        part: PathBuf,
        attempt: u32,
        written: u64,
        expected: Option<u64>,
    },
    /// The file is complete and verified (and held open); `attempt` wrote it.
    Ready { file: HeldFile, attempt: u32 },
    /// The file will not come.
    Failed,
}

/// What the writer has seen, so [`Pending::next`] waits for something newer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub attempt: u32,
    /// Wake for the current attempt only once at least this many bytes are written.
    pub until: u64,
}

impl Seen {
    /// Nothing seen yet.
    pub const NOTHING: Seen = Seen {
        attempt: 0,
        until: 0,
    };
}

impl Pending {
    pub fn new() -> Arc<Pending> {
        Arc::new(Pending::default())
    }

    /// A new attempt starts writing `part` from its first byte; `expected` bytes in all when
    /// known. Ignored once the file is ready or failed.
    pub fn writing(&self, part: &Path, expected: Option<u64>) {
        let mut state = self.lock();
        if state.is_settled() {
            return;
        }
        state.attempts += 1;
        state.phase = Phase::Growing {
            part: part.to_path_buf(),
            written: 0,
            expected,
        };
        self.changed.notify_all();
    }

    /// The first `written` bytes of the current attempt are in its `.part` file.
    pub fn wrote(&self, written: u64) {
        let mut state = self.lock();
        let wanted = state.wanted;
        if let Phase::Growing { written: w, .. } = &mut state.phase {
            *w = written;
            if written >= wanted {
                self.changed.notify_all();
            }
        }
    }

    /// The file is complete and verified: `file`, held open on the very bytes verified.
    pub fn ready(&self, file: HeldFile) {
        self.settle(Phase::Ready(file));
    }

    /// The file will not come. Does nothing when it is already ready.
    pub fn fail(&self) {
        self.settle(Phase::Failed);
    }

    fn settle(&self, outcome: Phase) {
        let mut state = self.lock();
        if !state.is_settled() {
            state.phase = outcome;
            self.changed.notify_all();
        }
    }

    /// Block until there is something the writer has not seen: a new attempt, at least
    /// `seen.until` bytes of the current one, or the end.
    pub fn next(&self, seen: Seen) -> Event {
        let mut state = self.lock();
        loop {
            let attempt = state.attempts;
            match &state.phase {
                Phase::Waiting => {}
                Phase::Growing {
                    part,
                    written,
                    expected,
                } => {
                    if attempt != seen.attempt || *written >= seen.until {
                        return Event::Growing {
                            part: part.clone(),
                            attempt,
                            written: *written,
                            expected: *expected,
                        };
                    }
                }
                Phase::Ready(file) => {
                    return Event::Ready {
                        file: file.clone(),
                        attempt,
                    };
                }
                Phase::Failed => return Event::Failed,
            }
            state.wanted = seen.until;
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    fn is_settled(&self) -> bool {
        matches!(self.phase, Phase::Ready(_) | Phase::Failed)
    }
}

/// Two pending files are the same only when they are one.
impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Pending {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_follow_attempts_and_the_end() {
        let pending = Pending::new();
        let part = Path::new("/c/.x.tgz.abc.part");
        pending.writing(part, Some(10));
        let growing = |attempt, written| Event::Growing {
            part: part.to_path_buf(),
            attempt,
            written,
            expected: Some(10),
        };
        assert_eq!(pending.next(Seen::NOTHING), growing(1, 0));
        pending.wrote(4);
        assert_eq!(
            pending.next(Seen {
                attempt: 1,
                until: 1
            }),
            growing(1, 4)
        );
        // A retry: the same part, written again from the start.
        pending.writing(part, Some(10));
        pending.wrote(2);
        assert_eq!(
            pending.next(Seen {
                attempt: 1,
                until: 5
            }),
            growing(2, 2)
        );
        let dir = tempfile::tempdir().unwrap();
        let done = dir.path().join("x.tgz");
        std::fs::write(&done, b"tgz").unwrap();
        let held = HeldFile::open(&done, false).unwrap().0;
        pending.ready(held.clone());
        pending.writing(part, None); // too late: ignored
        pending.fail(); // too late: a ready file stays ready
        assert_eq!(
            pending.next(Seen {
                attempt: 2,
                until: 3
            }),
            Event::Ready {
                file: held,
                attempt: 2
            }
        );
    }

    #[test]
    fn next_waits_for_enough_bytes() {
        let pending = Pending::new();
        pending.writing(Path::new("/p"), None);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                for written in 1..=10 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    pending.wrote(written);
                }
            });
            let event = pending.next(Seen {
                attempt: 1,
                until: 10,
            });
            assert!(
                matches!(event, Event::Growing { written: 10, .. }),
                "{event:?}"
            );
        });
    }

    #[test]
    fn a_failure_ends_the_wait() {
        let pending = Pending::new();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                std::thread::sleep(std::time::Duration::from_millis(20));
                pending.fail();
            });
            assert_eq!(pending.next(Seen::NOTHING), Event::Failed);
        });
        let late = tempfile::NamedTempFile::new().unwrap();
        pending.ready(HeldFile::open(late.path(), false).unwrap().0); // a failure stays one
        assert_eq!(pending.next(Seen::NOTHING), Event::Failed);
    }
}
