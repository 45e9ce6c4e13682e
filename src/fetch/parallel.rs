//! Many fetches on a few threads (`std::thread::scope`, no async runtime): the packager's cold
//! cache and `bpkit fetch`. Each item reports through a progress bar when bars are drawn, or a
//! plain log line when it is done otherwise. After the first failure no new item starts; items
//! already running finish (their files are verified and complete, or not there at all).
//! Offline, every item is checked whatever fails: each is a local file, cheap to look at, and
//! an operator checking a cache carried into an air-gapped site needs every missing file named
//! at once, not a varying few per run.
//! Once bpkit is interrupted no new item starts either, and a watcher thread shuts the HTTP
//! client down so that downloads blocked on a silent server end at once (see [`super`]).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::checksum::Checksums;
use crate::output::progress::Progress;

use super::{FetchError, Fetched, Fetcher, Mode, Report, Watch};

/// One file to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What the user calls it, for bars and log lines: `ruby 3.2.1`.
    pub label: String,
    pub uri: String,
    pub checksums: Checksums,
    /// The cache entry, from [`super::packager_cache_path`] or [`super::app_cache_path`].
    pub dest: PathBuf,
}

/// What [`Fetcher::fetch_all_notifying`] tells its caller about item `index` as it goes, on
/// the thread fetching it. Only `done` says whether the file is good.
pub trait Observer: Sync {
    /// See [`Watch::writing`].
    fn writing(&self, index: usize, part: &Path, expected: Option<u64>);
    /// See [`Watch::wrote`].
    fn wrote(&self, index: usize, written: u64);
    /// The item ended: its verified file in place, or why not.
    fn done(&self, index: usize, result: &Result<Fetched, FetchError>);
}

/// Nobody listening.
struct Unobserved;

impl Observer for Unobserved {
    fn writing(&self, _: usize, _: &Path, _: Option<u64>) {}
    fn wrote(&self, _: usize, _: u64) {}
    fn done(&self, _: usize, _: &Result<Fetched, FetchError>) {}
}

/// One item's side of an [`Observer`].
struct ItemWatch<'a> {
    observer: &'a dyn Observer,
    index: usize,
}

impl Watch for ItemWatch<'_> {
    fn writing(&self, part: &Path, expected: Option<u64>) {
        self.observer.writing(self.index, part, expected);
    }

    fn wrote(&self, written: u64) {
        self.observer.wrote(self.index, written);
    }
}

impl Fetcher {
    /// Fetch every item with up to `jobs` at once. Results come back in input order: `None` for
    /// an item that was not started because an earlier one failed (never offline).
    pub fn fetch_all(
        &self,
        items: &[Item],
        mode: Mode,
        jobs: usize,
        progress: &dyn Progress,
    ) -> Vec<Option<Result<Fetched, FetchError>>> {
        self.fetch_all_notifying(items, mode, jobs, progress, &Unobserved)
    }

    /// [`Fetcher::fetch_all`], telling `observer` as each item's bytes arrive and as soon as it
    /// ends, so a caller can use a file while others still download (the packager writes the
    /// zip meanwhile).
    pub fn fetch_all_notifying(
        &self,
        items: &[Item],
        mode: Mode,
        jobs: usize,
        progress: &dyn Progress,
        observer: &dyn Observer,
    ) -> Vec<Option<Result<Fetched, FetchError>>> {
        // Each verified file stays open until the caller reads it ([`super::HeldFile`]).
        super::held::make_room_for(items.len());
        let results: Mutex<Vec<Option<Result<Fetched, FetchError>>>> =
            Mutex::new(items.iter().map(|_| None).collect());
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let workers = jobs.clamp(1, items.len().max(1));
        let stop_on_failure = mode != Mode::Offline;

        let finished = AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| self.shut_down_once_stopped(&finished, None));
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        loop {
                            if failed.load(Ordering::SeqCst) || super::interrupted() {
                                break;
                            }
                            let index = next.fetch_add(1, Ordering::SeqCst);
                            let Some(item) = items.get(index) else {
                                break;
                            };
                            let task = progress.begin(&item.label, None);
                            let result = self.ensure_reporting(
                                &item.dest,
                                &item.uri,
                                &item.checksums,
                                mode,
                                Report {
                                    lines: false,
                                    task: Some(task.as_ref()),
                                    watch: Some(&ItemWatch { observer, index }),
                                },
                            );
                            task.finish();
                            observer.done(index, &result);
                            match &result {
                                // Printed above the bars when they are drawn: a bar is cleared
                                // when it ends, and an operator at a terminal was left with no
                                // word of where each file came from (a mirror, the cache).
                                Ok(fetched) => {
                                    self.logger
                                        .detail(&format!("{}: {}", item.label, fetched.source));
                                }
                                Err(_) if stop_on_failure => failed.store(true, Ordering::SeqCst),
                                Err(_) => {}
                            }
                            results
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)[index] =
                                Some(result);
                        }
                    })
                })
                .collect();
            let panics: Vec<_> = handles
                .into_iter()
                .filter_map(|handle| handle.join().err())
                .collect();
            // The watcher stops either way; then a worker's panic goes on up.
            finished.store(true, Ordering::SeqCst);
            if let Some(panic) = panics.into_iter().next() {
                std::panic::resume_unwind(panic);
            }
        });
        results
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
