//! Downloads the platform itself makes without a checksum: a buildpack given to `cf push -b` as
//! a zip URL. Same path as a dependency download (mirrors, proxies, retries, timeouts, a `.part`
//! file renamed into place only when complete, credentials redacted), minus the verification,
//! because there is nothing to verify against.

use std::path::Path;

use super::{FetchError, Fetched, Fetcher, Report};
use crate::checksum::Checksums;

impl Fetcher {
    /// Download (or, for `file://`, copy) `uri` to `dest`, replacing it, without checking a
    /// checksum. Logs nothing itself; the caller words the outcome.
    pub fn download_unverified(&self, dest: &Path, uri: &str) -> Result<Fetched, FetchError> {
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
    }
}
