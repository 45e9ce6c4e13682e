//! Downloading one URI into a cache entry's `.part` file: the mirror applied, the source
//! (`file://`, `http(s)://`) chosen, retries with backoff or the server's `Retry-After`,
//! resuming with `Range`/`If-Range` where a download broke off, and the rename into place
//! only when every checksum matches. Called by [`Fetcher::ensure`] with the entry locked.

use std::fs::File;
use std::path::Path;

use super::copy::{copy_local, pump};
use super::{
    FetchError, Fetched, Fetcher, MismatchHint, Report, Source, cache, config, http, interrupted,
    sleep_unless_interrupted, uri,
};
use crate::checksum::{Checksums, Digests, Hasher};

impl Fetcher {
    /// Fetch into a `.part` file, verify, and rename over `dest`. Called with the entry locked.
    /// A failure at a mirror also names the manifest's URI, which the messages of
    /// [`Fetcher::download_from`] (built where only the mirror's URI is known) cannot.
    pub(super) fn download(
        &self,
        dest: &Path,
        uri: &str,
        checksums: &Checksums,
        report: Report<'_>,
    ) -> Result<Fetched, FetchError> {
        let mirrored = self.effective_uri(uri).1;
        self.download_from(dest, uri, checksums, report)
            .map_err(|error| error.at_mirror_if(mirrored, uri))
    }

    /// [`Fetcher::download`] itself, with errors naming the URI actually fetched.
    fn download_from(
        &self,
        dest: &Path,
        uri: &str,
        checksums: &Checksums,
        report: Report<'_>,
    ) -> Result<Fetched, FetchError> {
        let (effective, mirrored) = self.effective_uri(uri);
        let shown = uri::redact(&effective);
        let source = match (mirrored, uri::file_path(&effective)) {
            (true, _) => Source::Mirror { uri: shown.clone() },
            (false, Some(path)) => Source::LocalFile { path },
            (false, None) => Source::Downloaded { uri: shown.clone() },
        };
        if report.lines {
            if mirrored {
                self.logger.detail(&format!(
                    "Download [{shown}] (mirror of {})",
                    uri::redact(uri)
                ));
            } else {
                self.logger.detail(&format!("Download [{shown}]"));
            }
        }
        let with_md5 = checksums.md5.is_some();
        let mut part = cache::Part::create(dest)?;
        let mut hint = MismatchHint::None;
        let digests = match uri::scheme(&effective).as_deref() {
            Some("file") => {
                let path = uri::file_path(&effective).ok_or_else(|| FetchError::BadUri {
                    uri: shown.clone(),
                    reason: uri::file_uri_problem(&effective),
                })?;
                copy_local(&path, &shown, &mut part, with_md5, report)?
            }
            Some("http" | "https") => {
                // Parsed by the HTTP library, but looked up as a name: said as what it is.
                if let Err(uri::NotRequestable::ZoneId) = uri::http_request_problem(&effective) {
                    return Err(FetchError::BadUri {
                        uri: shown,
                        reason: uri::ZONE_ID.into(),
                    });
                }
                let (digests, why) =
                    self.download_with_retries(&effective, &shown, &mut part, with_md5, report)?;
                hint = why;
                digests
            }
            _ => {
                return Err(FetchError::BadUri {
                    uri: shown,
                    reason: uri::download_problem(&effective)
                        .unwrap_or_else(|| uri::UNSUPPORTED_SCHEME.into()),
                });
            }
        };
        match part.commit(dest, &digests, checksums)? {
            Ok(file) => Ok(Fetched {
                source,
                digests,
                file,
            }),
            Err(mismatch) => Err(FetchError::ChecksumMismatch {
                uri: shown,
                mismatch,
                hint,
                // Set by `at_mirror`, in `download`.
                mirror: false,
            }),
        }
    }

    /// Download `uri` into `part`, retrying as configured. A retry after some bytes arrived
    /// asks for the rest only (`Range`, with `If-Range` when the first answer named its
    /// version); a server that sends the whole file instead starts it again. The checksum,
    /// computed over the bytes in the file whatever the attempts, has the last word; returned
    /// with what the answers said that could explain a mismatch.
    fn download_with_retries(
        &self,
        uri: &str,
        shown: &str,
        part: &mut cache::Part,
        with_md5: bool,
        report: Report<'_>,
    ) -> Result<(Digests, MismatchHint), FetchError> {
        let attempts = self.config.retries.saturating_add(1);
        let mut attempt = 1;
        let mut transfer = Transfer::start(part, with_md5)?;
        loop {
            match self.download_once(uri, shown, part, &mut transfer, report) {
                Ok(()) => {
                    let hint = match transfer.surplus {
                        Some(announced) => MismatchHint::LongerThanAnnounced { announced },
                        None => MismatchHint::of_encoding(transfer.encoding.as_deref()),
                    };
                    return Ok((transfer.hasher.finish().1, hint));
                }
                // However it failed (a read ended by the client's shutdown looks like a broken
                // connection), nothing is retried once bpkit was interrupted.
                Err(_) if interrupted() => {
                    return Err(FetchError::Interrupted {
                        uri: shown.to_string(),
                    });
                }
                Err(error) if error.is_retryable() && attempt < attempts => {
                    let (delay, why) = self.config.retry_wait(attempt, error.retry_after());
                    attempt += 1;
                    self.logger.warning(&format!(
                        "{error} Retrying in {}{why} (attempt {attempt} of {attempts}).",
                        config::show_secs(delay)
                    ));
                    sleep_unless_interrupted(delay);
                }
                Err(error) => return Err(error),
            }
        }
    }

    fn download_once(
        &self,
        uri: &str,
        shown: &str,
        part: &mut cache::Part,
        transfer: &mut Transfer,
        report: Report<'_>,
    ) -> Result<(), FetchError> {
        let have = transfer.hasher.written();
        // Forget what an earlier attempt's connection left unread (`http::surplus`).
        http::surplus::take();
        let resume = (have > 0).then_some(http::Resume {
            from: have,
            validator: transfer.validator.as_deref(),
        });
        let mut body =
            match self.client.open(uri, resume.as_ref()) {
                // The file is now shorter than what we have (416), or the server sent some other
                // part than the rest (an invalid 206): start again from the first byte.
                Err(
                    FetchError::HttpStatus { status: 416, .. } | FetchError::BadResponse { .. },
                ) if resume.is_some() => self.client.open(uri, None)?,
                opened => opened?,
            };
        let part_path = part.path().to_path_buf();
        let dest = part.dest().to_path_buf();
        if body.resumed {
            self.logger
                .debug(&format!("Resuming {shown} at byte {have}"));
        } else {
            if have > 0 {
                // The whole file came instead of the rest: what we have goes.
                *transfer = Transfer::start(part, transfer.with_md5)?;
            }
            transfer.validator = body.validator.take();
            transfer.encoding = body.encoding.take();
            if let Some(watch) = report.watch {
                watch.writing(&part_path, body.content_length);
            }
        }
        let start = transfer.hasher.written();
        // A body that breaks after a redirect is the target's fault: named, with where from.
        let redirected = body.redirected.take();
        // Only a resumed answer adds to what is already there; its Content-Length is the
        // server's word, and one past what a file can hold is a broken answer, not a size.
        let expected = match body.content_length {
            Some(rest) => Some(start.checked_add(rest).ok_or_else(|| {
                FetchError::BadResponse {
                    uri: shown.to_string(),
                    cause: format!(
                        "it answered 206 Partial Content with a Content-Length of {rest} bytes after the {start} bytes already here, more than a file can hold"
                    ),
                }
            })?),
            None => None,
        };
        let limit = self.config.max_download_size;
        if let (Some(limit), Some(size)) = (limit, expected)
            && size > limit
        {
            return Err(FetchError::TooLarge {
                uri: shown.to_string(),
                announced: Some(size),
                limit,
            });
        }
        if let Some(task) = report.task {
            task.set_done(start);
            if let Some(total) = expected {
                task.set_total(total);
            }
        }
        let got =
            pump(&mut body.reader, &mut transfer.hasher, report, start, limit).map_err(|e| {
                e.into_fetch_error(shown, &dest, |e, got| {
                    at_target(redirected.as_deref(), shown, |uri| {
                        self.client.body_error(uri, e, got, expected)
                    })
                })
            })?;
        // The body is whole: ureq has let go of its connection, and said whether bytes were
        // left on it, past a `Content-Length` shorter than what the server sent.
        let announced = body.content_length;
        drop(body);
        transfer.surplus = announced.filter(|_| http::surplus::take());
        // ureq reports a short body itself; this also covers any reader that returns a clean
        // end of file early.
        if let Some(expected) = expected
            && got != expected
        {
            return Err(at_target(redirected.as_deref(), shown, |uri| {
                FetchError::Truncated {
                    uri: uri.to_string(),
                    got,
                    expected: Some(expected),
                    cause: String::new(),
                }
            }));
        }
        Ok(())
    }
}

/// The error `make` builds for the URI that failed: the `target` a redirect from `shown` led
/// to, said so, else `shown` itself.
fn at_target(
    target: Option<&str>,
    shown: &str,
    make: impl FnOnce(&str) -> FetchError,
) -> FetchError {
    match target {
        Some(target) => make(target).after_redirect(shown),
        None => make(shown),
    }
}

/// A download across its attempts: the `.part` file's bytes so far, hashed as they were
/// written, and the version of the file they belong to.
pub(super) struct Transfer {
    pub(super) hasher: Hasher<File>,
    pub(super) with_md5: bool,
    /// The first answer's `ETag` or `Last-Modified`, for `If-Range`.
    pub(super) validator: Option<String>,
    /// The first answer's `Content-Encoding` (not `identity`), for a checksum mismatch's fix.
    pub(super) encoding: Option<String>,
    /// The `Content-Length` of the last answer, when the server sent more bytes than it: what
    /// was kept is the file's start, and a mismatch says why.
    pub(super) surplus: Option<u64>,
}

impl Transfer {
    /// An empty `.part` file, ready for a download from its first byte.
    pub(super) fn start(part: &mut cache::Part, with_md5: bool) -> Result<Transfer, FetchError> {
        Ok(Transfer {
            hasher: Hasher::new(part.writer()?, with_md5),
            with_md5,
            validator: None,
            encoding: None,
            surplus: None,
        })
    }
}
