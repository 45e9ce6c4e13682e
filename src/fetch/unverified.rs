//! Downloads the platform itself makes without a checksum: a buildpack given to `cf push -b` as
//! a zip URL. Same path as a dependency download (mirrors, proxies, retries, timeouts, a `.part`
//! file renamed into place only when complete, credentials redacted), minus the verification,
//! because there is nothing to verify against.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use super::{FetchError, Fetched, Fetcher, Report};
use crate::checksum::Checksums;

impl Fetcher {
    /// Download (or, for `file://`, copy) `uri` to `dest`, replacing it, without checking a
    /// checksum. Logs nothing itself; the caller words the outcome.
    ///
    /// Stops with [`FetchError::Interrupted`] once bpkit is interrupted or `stop_at` (the
    /// staging's deadline) has come: between two pieces of the body, with no retry, and a read
    /// blocked on a silent server is ended too (the client's connections are shut down), where
    /// a staging past its `--timeout` waited for the download to end and a Ctrl-C for the
    /// read timeout.
    pub fn download_unverified(
        &self,
        dest: &Path,
        uri: &str,
        stop_at: Option<Instant>,
    ) -> Result<Fetched, FetchError> {
        let finished = AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| self.shut_down_once_stopped(&finished, stop_at));
            // Set however the download ends (a panic too), so the watcher always stops.
            let _finished = SetOnDrop(&finished);
            super::until(stop_at, || {
                self.download(
                    dest,
                    uri,
                    &Checksums::default(),
                    Report {
                        lines: false,
                        task: None,
                        watch: None,
                    },
                )
            })
        })
    }
}

/// Sets its flag when dropped.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}
