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
//! manifest's `mirrors:`), [`config`] (timeouts, retries, proxies, CA file, from the environment),
//! `proxy` (which proxy a request goes through, `NO_PROXY`), `forward` (plain `http://` requests to
//! a proxy in absolute form, not tunnelled), `http` (one GET with redirects, errors in words:
//! `http/client` the agents, `http/request` the redirect loop, `http/failure` the errors),
//! `download` (one URI into a `.part` file: source, retries, resuming, the rename on a match),
//! `copy` (the hashing copy loop, `file://` sources), `retry_after` (the wait a refusing server
//! asks for), `tls` (extra CA certificates), `cache` (per-entry lock, `.part` files, atomic
//! rename), `held` ([`HeldFile`]: a verified file held open, so that what is read later is
//! what was hashed), `parallel` ([`Fetcher::fetch_all`]) and [`error`] ([`FetchError`]).
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
mod copy;
mod download;
mod forward;
mod held;
mod http;
mod parallel;
mod proxy;
mod retry_after;
mod tls;
mod unverified;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::checksum::{self, Checksums, Digests};
use crate::output::Logger;
use crate::output::progress::Task;

pub use config::Config;
pub use error::{FetchError, MismatchHint, WhoseCache};
pub use held::{HeldFile, HeldReader};
pub use mirror::Mirrors;
pub use parallel::{Item, Observer};
pub use proxy::Proxies;

thread_local! {
    /// When downloads on this thread stop as at an interrupt ([`until`]).
    static STOP_AT: std::cell::Cell<Option<std::time::Instant>> =
        const { std::cell::Cell::new(None) };
}

/// Run `work` with the downloads it makes on this thread stopping at `stop_at` as they stop
/// when bpkit is interrupted (`bpkit stage --timeout`).
fn until<T>(stop_at: Option<std::time::Instant>, work: impl FnOnce() -> T) -> T {
    let before = STOP_AT.with(|cell| cell.replace(stop_at));
    let result = work();
    STOP_AT.with(|cell| cell.set(before));
    result
}

/// True once bpkit was asked to stop (see the module header), or this thread's [`until`]
/// moment has come.
pub(crate) fn interrupted() -> bool {
    crate::process_group::termination_requested()
        || STOP_AT
            .with(std::cell::Cell::get)
            .is_some_and(|at| std::time::Instant::now() >= at)
}

impl Fetcher {
    /// Until `finished` is set, watch for bpkit being interrupted or `stop_at` coming (a
    /// watcher thread's whole work): then shut the client's connections down, so that a read
    /// blocked on a silent server ends at once instead of waiting out the read timeout.
    fn shut_down_once_stopped(
        &self,
        finished: &std::sync::atomic::AtomicBool,
        stop_at: Option<std::time::Instant>,
    ) {
        while !finished.load(std::sync::atomic::Ordering::SeqCst) {
            if interrupted() || stop_at.is_some_and(|at| std::time::Instant::now() >= at) {
                self.client.shutdown();
                return;
            }
            std::thread::sleep(crate::process_group::POLL);
        }
    }
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
#[derive(Debug, Clone)]
pub struct Fetched {
    pub source: Source,
    /// sha256 and size of the file (and md5 when the manifest gave one).
    pub digests: Digests,
    /// The verified file itself, held open: read it through this, not by its path, which
    /// another process may have replaced since ([`HeldFile`]).
    pub file: HeldFile,
}

impl Fetched {
    /// Where the file was put.
    pub fn path(&self) -> &Path {
        self.file.path()
    }
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

/// Remove the folder of an app-cache entry (`<CACHE_DIR>/dependencies/<sha256>`) unless another
/// process holds its lock: a staging sharing the cache, mid-download into it. Returns whether
/// it was removed.
pub fn remove_unlocked_app_cache_entry(dir: &Path) -> std::io::Result<bool> {
    cache::remove_unlocked_entry(dir)
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
    /// [`Mode`]). Logs `Download [uri]` (redacted, after mirrors) when it downloads. Other
    /// processes are kept out by a lock file `.<name>.lock` beside `dest`, removed when done,
    /// and so is `dest`'s folder when that leaves it empty (a failed download): give each
    /// entry a folder of its own, as both cache layouts do.
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

    /// [`Self::ensure`] when the entry's lock (`lock_path`) cannot be taken for `cause`: a
    /// file that verifies is served all the same, since the checksums are computed on what
    /// is read and a writer replaces an entry only by renaming a whole verified file over it.
    /// Anything else needs the lock, and is the lock's error; but offline, a file that does
    /// not verify is its mismatch, which is what went wrong (the lock mattered only to
    /// replace the file, which offline cannot), so an operator whose read-only cache holds a
    /// damaged file is told so, not that a lock failed.
    fn unlocked(
        &self,
        dest: &Path,
        uri: &str,
        checksums: &Checksums,
        mode: Mode,
        lock_path: PathBuf,
        cause: String,
    ) -> Result<Fetched, FetchError> {
        let shown = uri::redact(uri);
        match cache::check_existing(dest, checksums, &shown) {
            Ok(cache::Existing::Good(file, digests)) => {
                self.logger.debug(&format!(
                    "Using cached {} without a lock (could not lock {}: {cause})",
                    dest.display(),
                    lock_path.display()
                ));
                Ok(Fetched {
                    source: Source::Cache,
                    digests,
                    file,
                })
            }
            Ok(cache::Existing::Bad(mismatch)) if mode == Mode::Offline && !self.is_local(uri) => {
                Err(FetchError::CorruptOffline {
                    path: dest.to_path_buf(),
                    uri: shown,
                    mirror: self.mirror_shown(uri),
                    mismatch: Box::new(mismatch),
                    unremoved: Some(format!("its cache cannot be locked: {cause}")),
                })
            }
            _ => Err(FetchError::CannotLock {
                path: lock_path,
                cause,
            }),
        }
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
            // A cache that cannot be locked (mounted read-only, as a cache carried into an
            // air-gapped site may be, or another user's) still serves a file that verifies.
            Err(FetchError::CannotLock { path, cause }) if mode != Mode::ForceDownload => {
                return self.unlocked(dest, uri, checksums, mode, path, cause);
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
                cache::Existing::Good(file, digests) => {
                    self.logger
                        .debug(&format!("Using cached {}", dest.display()));
                    return Ok(Fetched {
                        source: Source::Cache,
                        digests,
                        file,
                    });
                }
                cache::Existing::Bad(mismatch) => {
                    let local = self.is_local(uri);
                    if mode == Mode::Offline && !local {
                        return Err(corrupt_offline(
                            dest,
                            &lock,
                            shown,
                            self.mirror_shown(uri),
                            mismatch,
                        ));
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
                            return Err(error.at_mirror_if(mirrored, uri));
                        }
                        return Err(FetchError::NotCached {
                            path: dest.to_path_buf(),
                            uri: shown,
                            mirror: self.mirror_shown(uri),
                        });
                    }
                }
            }
        }

        let fetched = self.download(dest, uri, checksums, report)?;
        drop(lock);
        Ok(fetched)
    }

    /// The URI after mirrors, and whether a mirror changed it.
    fn effective_uri(&self, uri: &str) -> (String, bool) {
        match self.mirrors.apply(uri) {
            Some(mirrored) => (mirrored, true),
            None => (uri.to_string(), false),
        }
    }

    /// The mirror URI a rule rewrites `uri` to, redacted; `None` when no rule matches.
    fn mirror_shown(&self, uri: &str) -> Option<String> {
        match self.effective_uri(uri) {
            (mirrored, true) => Some(uri::redact(&mirrored)),
            (_, false) => None,
        }
    }

    fn is_local(&self, uri: &str) -> bool {
        uri::scheme(&self.effective_uri(uri).0).as_deref() == Some("file")
    }
}

/// The error for a cache hit at `dest` that failed verification under `--offline`, once the
/// entry is removed: a failed run leaves no bad cache entry behind (packager.md), and offline
/// no download replaces it. `uri` and `mirror` are redacted. Only under the entry's lock:
/// without it, the file removed could be another process's verified one, renamed in since.
fn corrupt_offline(
    dest: &Path,
    _lock: &cache::EntryLock,
    uri: String,
    mirror: Option<String>,
    mismatch: checksum::Mismatch,
) -> FetchError {
    // A removal the OS refuses (an immutable file, another user's in a sticky folder; a cache
    // copied in read-only fails the lock before this, and is then only read) does not take the
    // mismatch's place: the mismatch is what went wrong and what the user acts on. The refusal
    // is in the message, not under debug, as it changes what to do (a quiet run shows no debug
    // line): the bad copy is the user's to remove, since a run without --offline would be
    // refused its removal too.
    let unremoved = cache::remove_if_present(dest)
        .err()
        .map(|e| error::io_cause(&e));
    FetchError::CorruptOffline {
        path: dest.to_path_buf(),
        uri,
        mirror,
        mismatch: Box::new(mismatch),
        unremoved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Offline, a bad entry is removed before the mismatch is returned; one the OS will not
    /// remove (here a folder, which `unlink` refuses even to root) is still the mismatch, saying
    /// why it is still there.
    #[test]
    fn a_bad_entry_offline_is_removed_or_the_mismatch_says_why_not() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.tgz");
        let mismatch = || checksum::Mismatch {
            algorithm: "sha256",
            expected: "aa".into(),
            actual: "bb".into(),
        };
        std::fs::write(&dest, "bad").unwrap();
        let lock = cache::lock(&dest, "u", || {}).unwrap();
        let error = corrupt_offline(&dest, &lock, "https://o/x.tgz".into(), None, mismatch());
        assert!(
            matches!(
                &error,
                FetchError::CorruptOffline {
                    unremoved: None,
                    ..
                }
            ),
            "{error}"
        );
        assert!(!dest.exists());

        std::fs::create_dir(&dest).unwrap();
        let error = corrupt_offline(&dest, &lock, "https://o/x.tgz".into(), None, mismatch());
        assert_eq!(
            error.to_string(),
            format!(
                "The cached {} failed verification (sha256 mismatch: expected aa, got bb) and could not be removed (Is a directory (os error 21)), and --offline forbids downloading https://o/x.tgz again; remove it, then run again without --offline.",
                dest.display()
            )
        );
        assert!(dest.is_dir());
    }

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

    /// A fetcher's debug form (in a panic or a `{:?}` log) shows its settings and mirrors
    /// with their credentials redacted.
    #[test]
    fn a_fetcher_debugs_its_settings_without_credentials() {
        let config = Config {
            proxies: Proxies::new(Some("http://proxyuser:proxysecret@proxy:3128"), None, ""),
            ..Config::default()
        };
        let mirrors =
            Mirrors::parse("https://up.example/=https://mirroruser:mirrorsecret@m.example/")
                .unwrap();
        let fetcher = Fetcher::new(config, mirrors, Logger::capture().0).unwrap();
        let shown = format!("{fetcher:?}");
        assert!(shown.starts_with("Fetcher { config: Config {"), "{shown}");
        assert!(
            shown.contains("proxy:3128") && shown.contains("m.example"),
            "{shown}"
        );
        assert!(!shown.contains("secret"), "{shown}");
        assert_eq!(
            fetcher.config().proxies.select("http://x/"),
            Some("http://proxyuser:proxysecret@proxy:3128")
        );
        assert_eq!(
            fetcher
                .mirrors()
                .apply("https://up.example/a.tgz")
                .as_deref(),
            Some("https://mirroruser:mirrorsecret@m.example/a.tgz")
        );
    }

    /// A wait between two attempts lasts its whole delay, and ends at once when this thread's
    /// stop moment comes (a staging deadline), so a retry never outlives `bpkit stage
    /// --timeout`.
    #[test]
    fn a_retry_wait_lasts_its_delay_unless_stopped() {
        use std::time::{Duration, Instant};
        let started = Instant::now();
        sleep_unless_interrupted(Duration::from_millis(300));
        assert!(
            started.elapsed() >= Duration::from_millis(300),
            "{:?}",
            started.elapsed()
        );

        let started = Instant::now();
        until(Some(started + Duration::from_millis(200)), || {
            sleep_unless_interrupted(Duration::from_secs(20));
        });
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(200) && waited < Duration::from_secs(10),
            "{waited:?}"
        );
        // The moment is this call's only: the thread's earlier setting comes back.
        assert!(!interrupted());
    }

    /// The watcher beside a download shuts the client's connections down when the stop
    /// moment comes, not before, so a read blocked on a silent server ends then instead of
    /// after the read timeout.
    #[test]
    fn the_watcher_ends_a_blocked_read_when_the_stop_moment_comes() {
        use std::io::Read;
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::time::{Duration, Instant};

        // Silent until the client goes away, or the test's bound.
        let (addr, server) = http::silent_server(Duration::from_secs(15));
        let config = Config {
            read_timeout: Duration::from_secs(60),
            ..Config::default()
        };
        let fetcher = Fetcher::new(config, Mirrors::default(), Logger::capture().0).unwrap();
        let mut body = fetcher
            .client
            .open(&format!("http://{addr}/x"), None)
            .unwrap();
        let started = Instant::now();
        let stop_at = started + Duration::from_millis(300);
        let finished = AtomicBool::new(false);
        let result = std::thread::scope(|scope| {
            scope.spawn(|| fetcher.shut_down_once_stopped(&finished, Some(stop_at)));
            let mut all = Vec::new();
            let result = body.reader.read_to_end(&mut all);
            finished.store(true, Ordering::SeqCst);
            result
        });
        let waited = started.elapsed();
        assert!(result.is_err(), "{result:?}");
        assert!(
            waited >= Duration::from_millis(300) && waited < Duration::from_secs(10),
            "{waited:?}"
        );
        server.join().unwrap();
    }
}
