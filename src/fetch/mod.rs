//! Dependency fetch, cache and verify, shared by the packager and the buildpack phases
//! (packager.md "Cached dependencies", phases.md "Where a dependency comes from").
//!
//! [`Fetcher::ensure`] makes sure a verified copy of a URI's file is at a path the caller
//! chooses ([`packager_cache_path`], [`app_cache_path`]): a cache hit is re-hashed; otherwise the
//! file is downloaded (mirrors applied; retries with backoff or the server's `Retry-After`,
//! resuming where a download broke off; idle timeouts, proxies, extra CAs) or read from
//! `file://`, streamed into a `.part` file while it is hashed, and renamed into place
//! only when every checksum the manifest gives matches. [`Fetcher::fetch_all`] does that for many
//! files on a few threads.
//!
//! Files: [`uri`] (redaction, basenames, `file://` paths), [`mirror`] (`BPKIT_MIRRORS` and the
//! manifest's `mirrors:`), [`config`] (timeouts, retries, proxies, CA file, from the
//! environment), `proxy` (which proxy a request goes through, `NO_PROXY`), `forward` (plain
//! `http://` requests to a proxy in absolute form, not tunnelled), `http` (one GET with
//! redirects, errors in words), `retry_after` (the wait a refusing server asks for), `tls`
//! (extra CA certificates), `cache` (per-entry lock, `.part` files, atomic rename), `parallel`
//! ([`Fetcher::fetch_all`]) and [`error`] ([`FetchError`]).
//!
//! Interruptions: once SIGINT, SIGTERM or SIGHUP reached a bpkit that watches for them
//! ([`crate::process_group::watch_termination`]: `bpkit package`, `bpkit fetch`), downloads stop
//! between two pieces of the body, no retry or new download starts, and a wait for another
//! process's lock ends; each stopped download removes its `.part` file as it unwinds and
//! returns [`FetchError::Interrupted`]. A read blocked on a silent server is ended too:
//! [`Fetcher::fetch_all`] shuts the HTTP client's connections down (ureq's `Agent::shutdown`),
//! so no one waits out the read timeout.

pub mod config;
pub mod error;
pub mod mirror;
pub mod uri;

mod cache;
mod forward;
mod http;
mod parallel;
mod proxy;
mod retry_after;
mod tls;
mod unverified;

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::checksum::{self, Checksums, Digests, Hasher};
use crate::output::Logger;
use crate::output::progress::Task;

pub use config::Config;
pub use error::FetchError;
pub use mirror::Mirrors;
pub use parallel::{Item, Observer};
pub use proxy::Proxies;

/// True once bpkit was asked to stop (see the module header).
pub(crate) fn interrupted() -> bool {
    crate::process_group::termination_requested()
}

/// Sleep `delay`, waking early when bpkit is interrupted.
fn sleep_unless_interrupted(delay: std::time::Duration) {
    let until = std::time::Instant::now() + delay;
    loop {
        let now = std::time::Instant::now();
        if now >= until || interrupted() {
            return;
        }
        std::thread::sleep((until - now).min(crate::process_group::POLL));
    }
}

/// How [`Fetcher::ensure`] treats the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Use a verified cache entry; download what is missing or bad.
    #[default]
    Normal,
    /// Never use the network: a missing entry is an error. (`file://` sources, which are local,
    /// are still copied.)
    Offline,
    /// Download even when the entry is good; the old entry is replaced only by a verified file,
    /// so a failed download leaves it in place.
    ForceDownload,
}

/// Where a fetched file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The cache entry was already there and verified.
    Cache,
    /// Downloaded from the URI (redacted).
    Downloaded { uri: String },
    /// Downloaded from (or, for a `file://` mirror, copied from) the mirror URI (redacted)
    /// that replaced the manifest's URI.
    Mirror { uri: String },
    /// Copied from the local file a `file://` URI names.
    LocalFile { path: PathBuf },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Cache => f.write_str("found in the cache"),
            Source::Downloaded { uri } => write!(f, "downloaded from {uri}"),
            Source::Mirror { uri } => write!(f, "fetched from mirror {uri}"),
            Source::LocalFile { path } => write!(f, "copied from {}", path.display()),
        }
    }
}

/// A verified file in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub path: PathBuf,
    pub source: Source,
    /// sha256 and size of the file (and md5 when the manifest gave one).
    pub digests: Digests,
}

/// The packager's cache entry for a URI: `<cache>/dependencies/<md5 hex of uri>/<basename>`,
/// the Go packager's layout (the basename as `filepath.Base` gives it, [`uri::basename`]), so
/// the two tools can share a cache.
pub fn packager_cache_path(cache_dir: &Path, uri: &str) -> PathBuf {
    cache_dir
        .join("dependencies")
        .join(checksum::md5_hex(uri))
        .join(uri::basename(uri))
}

/// The phases' app-cache entry for a URI: `<CACHE_DIR>/dependencies/<sha256 hex of uri>/<basename>`,
/// libbuildpack's layout.
pub fn app_cache_path(cache_dir: &Path, uri: &str) -> PathBuf {
    cache_dir
        .join("dependencies")
        .join(checksum::sha256_hex(uri))
        .join(uri::basename(uri))
}

/// Told, on the fetching thread, as a download's bytes land in its `.part` file, so another
/// thread can use them while the rest still arrives: the packager's zip writer copies a
/// dependency into the zip as it downloads (issue 6, benches/package.sh). Bytes seen this way
/// are not verified yet: whoever reads them must still wait for the fetch's result.
pub trait Watch: Sync {
    /// An attempt starts writing `part` from its first byte (a retry rewrites the same file);
    /// `expected` is its size when the server (or the file system) said.
    fn writing(&self, part: &Path, expected: Option<u64>);
    /// The first `written` bytes of the current attempt are in the `.part` file.
    fn wrote(&self, written: u64);
}

/// How one `ensure` reports: plain log lines and/or a progress task, and who watches the bytes.
#[derive(Clone, Copy)]
struct Report<'a> {
    lines: bool,
    task: Option<&'a dyn Task>,
    watch: Option<&'a dyn Watch>,
}

/// Downloads into verified cache entries. Cheap to share between threads (`&Fetcher`).
pub struct Fetcher {
    config: Config,
    mirrors: Mirrors,
    client: http::Client,
    logger: Logger,
}

impl fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetcher")
            .field("config", &self.config)
            .field("mirrors", &self.mirrors)
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    /// A fetcher with these settings and mirrors, narrating through `logger`. Fails on an
    /// invalid proxy URI or an unreadable `ca_file`.
    pub fn new(config: Config, mirrors: Mirrors, logger: Logger) -> Result<Self, FetchError> {
        let client = http::Client::new(&config)?;
        Ok(Fetcher {
            config,
            mirrors,
            client,
            logger,
        })
    }

    /// A fetcher configured from the environment ([`Config::from_env`], `BPKIT_MIRRORS`).
    pub fn from_env(logger: Logger) -> Result<Self, FetchError> {
        Fetcher::new(Config::from_env()?, Mirrors::from_env()?, logger)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn mirrors(&self) -> &Mirrors {
        &self.mirrors
    }

    /// Make sure `dest` holds the verified file of `uri`, downloading it if needed (see
    /// [`Mode`]). Logs `Download [uri]` (redacted, after mirrors) when it downloads.
    pub fn ensure(
        &self,
        dest: &Path,
        uri: &str,
        checksums: &Checksums,
        mode: Mode,
    ) -> Result<Fetched, FetchError> {
        self.ensure_reporting(
            dest,
            uri,
            checksums,
            mode,
            Report {
                lines: true,
                task: None,
                watch: None,
            },
        )
    }

    fn ensure_reporting(
        &self,
        dest: &Path,
        uri: &str,
        checksums: &Checksums,
        mode: Mode,
        report: Report<'_>,
    ) -> Result<Fetched, FetchError> {
        let shown = uri::redact(uri);
        if checksums.is_empty() {
            return Err(FetchError::NoChecksum { uri: shown });
        }
        if interrupted() {
            return Err(FetchError::Interrupted { uri: shown });
        }
        let lock = match cache::lock(dest, &shown, || {
            self.logger.debug(&format!(
                "Waiting for another process to finish with {}",
                dest.display()
            ));
        }) {
            Ok(lock) => lock,
            // A cache that cannot be locked (mounted read-only, as a cache carried into an
            // air-gapped site may be, or another user's) still serves a file that verifies:
            // the checksums are computed on what is read, and a writer replaces an entry only
            // by renaming a whole verified file over it. Anything else needs the lock.
            Err(error @ FetchError::CannotLock { .. }) if mode != Mode::ForceDownload => {
                return match cache::check_existing(dest, checksums, &shown) {
                    Ok(cache::Existing::Good(digests)) => {
                        self.logger.debug(&format!(
                            "Using cached {} without a lock ({error})",
                            dest.display()
                        ));
                        Ok(Fetched {
                            path: dest.to_path_buf(),
                            source: Source::Cache,
                            digests,
                        })
                    }
                    _ => Err(error),
                };
            }
            Err(error) => return Err(error),
        };
        let stale = cache::remove_stale_parts(dest, &lock);
        if stale > 0 {
            self.logger.debug(&format!(
                "Removed {stale} unfinished download(s) of {}",
                dest.display()
            ));
        }

        if mode != Mode::ForceDownload {
            match cache::check_existing(dest, checksums, &shown)? {
                cache::Existing::Good(digests) => {
                    self.logger
                        .debug(&format!("Using cached {}", dest.display()));
                    return Ok(Fetched {
                        path: dest.to_path_buf(),
                        source: Source::Cache,
                        digests,
                    });
                }
                cache::Existing::Bad(mismatch) => {
                    let local = self.is_local(uri);
                    if mode == Mode::Offline && !local {
                        return Err(FetchError::CorruptOffline {
                            path: dest.to_path_buf(),
                            uri: shown,
                            mismatch,
                        });
                    }
                    self.logger.warning(&format!(
                        "The cached {} failed verification ({mismatch}); fetching it again.",
                        dest.display()
                    ));
                    cache::remove(dest)?;
                }
                cache::Existing::Missing => {
                    if mode == Mode::Offline && !self.is_local(uri) {
                        // A URI no run could download (`./x.tgz`, `ftp://…`): say so, rather
                        // than "run again without --offline", which would fail too.
                        let (effective, mirrored) = self.effective_uri(uri);
                        if let Some(reason) = uri::download_problem(&effective) {
                            let error = FetchError::BadUri {
                                uri: uri::redact(&effective),
                                reason,
                            };
                            return Err(if mirrored {
                                error.at_mirror(uri)
                            } else {
                                error
                            });
                        }
                        return Err(FetchError::NotCached {
                            path: dest.to_path_buf(),
                            uri: shown,
                        });
                    }
                }
            }
        }

        let (source, digests) = self.download(dest, uri, checksums, report)?;
        drop(lock);
        Ok(Fetched {
            path: dest.to_path_buf(),
            source,
            digests,
        })
    }

    /// The URI after mirrors, and whether a mirror changed it.
    fn effective_uri(&self, uri: &str) -> (String, bool) {
        match self.mirrors.apply(uri) {
            Some(mirrored) => (mirrored, true),
            None => (uri.to_string(), false),
        }
    }

    fn is_local(&self, uri: &str) -> bool {
        uri::scheme(&self.effective_uri(uri).0).as_deref() == Some("file")
    }

    /// Fetch into a `.part` file, verify, and rename over `dest`. Called with the entry locked.
    /// A failure at a mirror also names the manifest's URI, which the messages of
    /// [`Fetcher::download_from`] (built where only the mirror's URI is known) cannot.
    fn download(
        &self,
        dest: &Path,
        uri: &str,
        checksums: &Checksums,
        report: Report<'_>,
    ) -> Result<(Source, Digests), FetchError> {
        let mirrored = self.effective_uri(uri).1;
        self.download_from(dest, uri, checksums, report)
            .map_err(|error| {
                if mirrored {
                    error.at_mirror(uri)
                } else {
                    error
                }
            })
    }

    /// [`Fetcher::download`] itself, with errors naming the URI actually fetched.
    fn download_from(
        &self,
        dest: &Path,
        uri: &str,
        checksums: &Checksums,
        report: Report<'_>,
    ) -> Result<(Source, Digests), FetchError> {
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
        let digests = match uri::scheme(&effective).as_deref() {
            Some("file") => {
                let path = uri::file_path(&effective).ok_or_else(|| FetchError::BadUri {
                    uri: shown.clone(),
                    reason: uri::FILE_URI_NEEDS_A_PATH.into(),
                })?;
                copy_local(&path, &shown, &mut part, with_md5, report)?
            }
            Some("http" | "https") => {
                self.download_with_retries(&effective, &shown, &mut part, with_md5, report)?
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
            Ok(()) => Ok((source, digests)),
            Err(mismatch) => Err(FetchError::ChecksumMismatch {
                uri: shown,
                mismatch,
                fix: error::MISMATCH_FIX,
            }),
        }
    }

    /// Download `uri` into `part`, retrying as configured. A retry after some bytes arrived
    /// asks for the rest only (`Range`, with `If-Range` when the first answer named its
    /// version); a server that sends the whole file instead starts it again. The checksum,
    /// computed over the bytes in the file whatever the attempts, has the last word.
    fn download_with_retries(
        &self,
        uri: &str,
        shown: &str,
        part: &mut cache::Part,
        with_md5: bool,
        report: Report<'_>,
    ) -> Result<Digests, FetchError> {
        let attempts = self.config.retries.saturating_add(1);
        let mut attempt = 1;
        let mut transfer = Transfer::start(part, with_md5)?;
        loop {
            match self.download_once(uri, shown, part, &mut transfer, report) {
                Ok(()) => return Ok(transfer.hasher.finish().1),
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
            if let Some(watch) = report.watch {
                watch.writing(&part_path, body.content_length);
            }
        }
        let start = transfer.hasher.written();
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
        if let Some(task) = report.task {
            task.set_done(start);
            if let Some(total) = expected {
                task.set_total(total);
            }
        }
        let got =
            pump(&mut body.reader, &mut transfer.hasher, report, start).map_err(|e| match e {
                PumpError::Read(e, got) => self.client.body_error(shown, e, got, expected),
                PumpError::Write(e) => FetchError::cannot_write(&dest, &e),
                PumpError::Interrupted => FetchError::Interrupted {
                    uri: shown.to_string(),
                },
            })?;
        // ureq reports a short body itself; this also covers any reader that returns a clean
        // end of file early.
        if let Some(expected) = expected
            && got != expected
        {
            return Err(FetchError::Truncated {
                uri: shown.to_string(),
                got,
                expected: Some(expected),
                cause: String::new(),
            });
        }
        Ok(())
    }
}

/// A download across its attempts: the `.part` file's bytes so far, hashed as they were
/// written, and the version of the file they belong to.
struct Transfer {
    hasher: Hasher<File>,
    with_md5: bool,
    /// The first answer's `ETag` or `Last-Modified`, for `If-Range`.
    validator: Option<String>,
}

impl Transfer {
    /// An empty `.part` file, ready for a download from its first byte.
    fn start(part: &mut cache::Part, with_md5: bool) -> Result<Transfer, FetchError> {
        Ok(Transfer {
            hasher: Hasher::new(part.writer()?, with_md5),
            with_md5,
            validator: None,
        })
    }
}

fn copy_local(
    path: &Path,
    shown: &str,
    part: &mut cache::Part,
    with_md5: bool,
    report: Report<'_>,
) -> Result<Digests, FetchError> {
    // A missing file is most often a typo in the URI (or a file not yet put in place): say
    // which, instead of the OS's `No such file or directory (os error 2)`.
    let read_error = |e: io::Error| FetchError::CannotRead {
        path: path.to_path_buf(),
        uri: shown.to_string(),
        cause: if e.kind() == io::ErrorKind::NotFound {
            "no such file; fix the URI, or put the file there".to_string()
        } else {
            e.to_string()
        },
    };
    // Look before opening: opening a fifo blocks until a writer comes, and a character device
    // such as /dev/zero never ends, filling the cache's disk with a `.part` file.
    let kind = fs::metadata(path).map_err(read_error)?.file_type();
    if !kind.is_file() {
        return Err(FetchError::NotAFile {
            path: path.to_path_buf(),
            uri: shown.to_string(),
            found: describe_file_type(kind),
        });
    }
    let mut file = File::open(path).map_err(read_error)?;
    let size = file.metadata().ok().map(|meta| meta.len());
    if let (Some(task), Some(size)) = (report.task, size) {
        task.set_total(size);
    }
    let part_path = part.path().to_path_buf();
    let dest = part.dest().to_path_buf();
    let mut transfer = Transfer::start(part, with_md5)?;
    if let Some(watch) = report.watch {
        watch.writing(&part_path, size);
    }
    pump(&mut file, &mut transfer.hasher, report, 0).map_err(|e| match e {
        PumpError::Read(e, _) => read_error(e),
        PumpError::Write(e) => FetchError::cannot_write(&dest, &e),
        PumpError::Interrupted => FetchError::Interrupted {
            uri: shown.to_string(),
        },
    })?;
    Ok(transfer.hasher.finish().1)
}

/// `a folder`, `a fifo`: what a path that should be a regular file is instead.
pub(crate) fn describe_file_type(kind: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a fifo"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

enum PumpError {
    /// Reading failed after this many bytes.
    Read(io::Error, u64),
    Write(io::Error),
    /// bpkit was interrupted ([`interrupted`]) between two pieces.
    Interrupted,
}

/// Copy `reader` into `writer` in 128 KiB pieces, telling the task and the watcher; never the
/// whole file in memory. `start` bytes are in the file already (a resumed download): the
/// counts, returned and told, include them. Stops before the next piece once bpkit is
/// interrupted.
fn pump(
    reader: &mut dyn Read,
    writer: &mut impl Write,
    report: Report<'_>,
    start: u64,
) -> Result<u64, PumpError> {
    let mut buffer = vec![0u8; 128 * 1024];
    let mut total = start;
    loop {
        if interrupted() {
            return Err(PumpError::Interrupted);
        }
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(PumpError::Read(e, total)),
        };
        writer.write_all(&buffer[..n]).map_err(PumpError::Write)?;
        total += n as u64;
        if let Some(task) = report.task {
            task.advance(n as u64);
        }
        if let Some(watch) = report.watch {
            watch.wrote(total);
        }
    }
    writer.flush().map_err(PumpError::Write)?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_paths_follow_go_and_libbuildpack() {
        let uri = "https://buildpacks.cloudfoundry.org/dependencies/ruby/ruby-3.2.1.tgz";
        assert_eq!(
            packager_cache_path(Path::new("/c"), uri),
            Path::new("/c/dependencies")
                .join(checksum::md5_hex(uri))
                .join("ruby-3.2.1.tgz")
        );
        assert_eq!(
            app_cache_path(Path::new("/cache"), uri),
            Path::new("/cache/dependencies")
                .join(checksum::sha256_hex(uri))
                .join("ruby-3.2.1.tgz")
        );
        // The raw last segment, as Go's filepath.Base gives it: `%2B` stays, so a cache the Go
        // packager filled is found (the corpus's openjdk URIs).
        let uri = "https://buildpacks.cloudfoundry.org/dependencies/openjdk/openjdk_17.0.20%2B10_linux_x64_cflinuxfs4_42fe5962.tgz";
        assert_eq!(
            packager_cache_path(Path::new("/c"), uri),
            // `echo -n URI | md5sum`
            Path::new(
                "/c/dependencies/2f7f22b1804c9828ce030b4332af3a2e/openjdk_17.0.20%2B10_linux_x64_cflinuxfs4_42fe5962.tgz"
            )
        );
        assert_eq!(
            app_cache_path(Path::new("/cache"), uri),
            Path::new("/cache/dependencies")
                .join(checksum::sha256_hex(uri))
                .join("openjdk_17.0.20%2B10_linux_x64_cflinuxfs4_42fe5962.tgz")
        );
    }

    #[test]
    fn pump_counts_and_reports() {
        use std::sync::atomic::{AtomicU64, Ordering};
        struct Count(AtomicU64);
        impl Task for Count {
            fn set_total(&self, _: u64) {}
            fn advance(&self, n: u64) {
                self.0.fetch_add(n, Ordering::SeqCst);
            }
            fn finish(&self) {}
        }
        /// Every `wrote` must come after the bytes it announces are in the writer.
        struct Seen(std::sync::Mutex<Vec<u64>>);
        impl Watch for Seen {
            fn writing(&self, _: &Path, _: Option<u64>) {}
            fn wrote(&self, written: u64) {
                self.0.lock().unwrap().push(written);
            }
        }
        let data = vec![7u8; 300 * 1024];
        let count = Count(AtomicU64::new(0));
        let seen = Seen(std::sync::Mutex::new(Vec::new()));
        let mut out = Vec::new();
        let report = Report {
            lines: false,
            task: Some(&count),
            watch: Some(&seen),
        };
        let n = pump(&mut data.as_slice(), &mut out, report, 0).unwrap_or(0);
        assert_eq!(n, data.len() as u64);
        assert_eq!(out, data);
        assert_eq!(count.0.load(Ordering::SeqCst), n);
        let seen = seen.0.into_inner().unwrap();
        assert_eq!(seen, [128 * 1024, 256 * 1024, 300 * 1024]);
    }

    #[test]
    fn source_display() {
        assert_eq!(Source::Cache.to_string(), "found in the cache");
        assert_eq!(
            Source::Mirror {
                uri: "https://m/x".into()
            }
            .to_string(),
            "fetched from mirror https://m/x"
        );
    }
}
