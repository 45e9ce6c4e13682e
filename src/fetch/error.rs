//! The one error type of the fetch module.
//!
//! Every message is a complete sentence that names the (redacted) URI or path, says what went
//! wrong and, where there is one, what to do. Causes from the HTTP library or the OS are turned
//! into text (scrubbed of any credential) when the error is built, so no variant has a
//! `source()`: the chain is one link long, the whole story is in `Display`, and nothing from a
//! URI's `user:pass@` can leak through a lower layer's message. The type is
//! `Send + Sync + 'static`, so callers wrap it with the dependency name and version, e.g.
//! `#[error("Could not fetch {name} {version}: {source}")]`.

use std::path::PathBuf;
use std::time::Duration;

use crate::checksum::Mismatch;

/// Why a dependency could not be fetched into place.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    #[error(
        "{uri} has neither a sha256 nor an md5 checksum, so it would not be verified; add its sha256 to the manifest."
    )]
    NoChecksum { uri: String },

    #[error("`{uri}` cannot be downloaded: {reason}.")]
    BadUri { uri: String, reason: String },

    /// `uri` is the manifest's (redacted); `mirror` the http(s) URI a mirror rule rewrites it
    /// to, which is what `--offline` refused to download: an operator who pointed
    /// `BPKIT_MIRRORS` at an internal server must learn that the rule was read and why the
    /// server was not asked.
    #[error(
        "{path} is not in the cache and --offline forbids downloading {}; run again without --offline to fill the cache, or copy in a cache that `bpkit fetch` filled elsewhere.",
        offline_source(uri, mirror.as_deref(), "")
    )]
    NotCached {
        path: PathBuf,
        uri: String,
        mirror: Option<String>,
    },

    /// A cache hit that failed verification under `--offline`, removed before this is returned
    /// (packager.md: a failed run leaves no bad cache entry behind), unless the OS refused.
    #[error(
        "The cached {path} failed verification ({mismatch}) and {}, and --offline forbids downloading {}; {}run again without --offline.",
        match unremoved {
            None => "was removed".to_string(),
            Some(cause) => format!("could not be removed ({cause})"),
        },
        offline_source(uri, mirror.as_deref(), " again"),
        if unremoved.is_some() { "remove it, then " } else { "" }
    )]
    CorruptOffline {
        path: PathBuf,
        uri: String,
        mirror: Option<String>,
        /// Boxed, so that the variant with the mirror beside it stays small.
        mismatch: Box<Mismatch>,
        /// Why the entry could not be removed (the OS's words); `None` once it is gone.
        unremoved: Option<String>,
    },

    #[error(
        "Could not connect to {uri}: {cause}. Check the network, the proxy settings ({}, NO_PROXY) and BPKIT_MIRRORS.",
        proxy_variable(uri, *through)
    )]
    CannotConnect {
        uri: String,
        cause: String,
        /// The variable that set the proxy the connection went through (`all_proxy`,
        /// `https_proxy`), when it went through one: the setting to check is that one.
        through: Option<&'static str>,
    },

    #[error("The TLS connection to {uri} failed: {cause}. {fix}")]
    Tls {
        uri: String,
        cause: String,
        /// `TLS_CA_FIX`, or `TLS_PLAIN_HTTP_FIX` when the server did not answer in TLS.
        fix: &'static str,
    },

    #[error("Timed out downloading {uri}: {what}. Set {env} to wait longer.")]
    Timeout {
        uri: String,
        /// `no data for 60 s`, `no data for 60 s after 4096 of 100000 bytes` (in the body),
        /// `could not connect within 30 s`.
        what: String,
        /// The environment variable that sets this timeout.
        env: &'static str,
    },

    #[error("Could not download {uri}: the server answered {status} {reason}{redirected}{fix}.")]
    HttpStatus {
        uri: String,
        status: u16,
        /// `Not Found`; empty for unknown codes.
        reason: String,
        /// ` (after a redirect to …)` or empty.
        redirected: String,
        /// `; ` and what to do, for the answers whose fix is the user's (401, 407), or empty.
        fix: String,
        /// How long the server asked to wait before trying again (`Retry-After`).
        retry_after: Option<Duration>,
    },

    #[error("Could not download {uri}: {}.", truncation(*got, *expected, cause))]
    Truncated {
        uri: String,
        got: u64,
        /// The `Content-Length`, when the server sent one.
        expected: Option<u64>,
        cause: String,
    },

    /// A download past [`super::config::Config::max_download_size`]: announced so
    /// (`Content-Length`), refused before a byte is written; or sent so, stopped at the limit.
    #[error(
        "Could not download {uri}: {}; if the file is that large, set {} to a larger size (such as 8G), or to 0 for no limit.",
        too_large(*announced, *limit),
        super::config::MAX_DOWNLOAD_SIZE_ENV
    )]
    TooLarge {
        uri: String,
        /// The `Content-Length` (for a resumed download, plus the bytes already here).
        announced: Option<u64>,
        limit: u64,
    },

    #[error("Could not download {uri}: the server sent an invalid HTTP response ({cause}).")]
    BadResponse { uri: String, cause: String },

    /// A proxy that answered in another protocol than its URI's scheme names: a `socks5://`
    /// setting for an HTTP proxy (which answers the SOCKS greeting with `HTTP/1.1 400`), or an
    /// `http://` one for a proxy whose answer is not HTTP. Not retried: it would answer the
    /// same again.
    #[error(
        "Could not download {uri}: the proxy {proxy} ({variable}) did not answer in {} ({cause}); {}.",
        if *socks { "SOCKS" } else { "HTTP" },
        if *socks {
            "if it is an HTTP proxy, write its URI with http:// in that variable, as in http://proxy.example:3128"
        } else {
            "if it is a SOCKS proxy, write its URI with socks5:// in that variable, as in socks5://proxy.example:1080"
        }
    )]
    ProxyProtocol {
        uri: String,
        /// Redacted.
        proxy: String,
        variable: &'static str,
        /// True when the URI's scheme is SOCKS (`socks5://`, `socks4://`).
        socks: bool,
        cause: String,
    },

    #[error("Could not download {uri}: more than {limit} redirects.")]
    TooManyRedirects { uri: String, limit: u32 },

    /// A server may only send bpkit to another http(s) server: a `Location: file:///…` (or
    /// any other scheme) would let whoever answers the request pick a local file to package.
    #[error(
        "Could not download {uri}: the server redirects to {to}, which is not an http or https URI; redirects are followed only to http(s) servers, so point the `uri` at the file itself."
    )]
    RedirectNotHttp { uri: String, to: String },

    /// A redirect to an http(s) URI that cannot be requested (`http://[::1/x`, no host);
    /// `reason` says which.
    #[error(
        "Could not download {uri}: the server redirects to {to}, which cannot be downloaded: {reason}; the server's redirect is at fault, so point the `uri` at the file itself."
    )]
    RedirectInvalid {
        uri: String,
        to: String,
        reason: String,
    },

    /// The fix follows from `hint` (what the download could tell of why) and `mirror`: at a
    /// mirror (see `FetchError::at_mirror`) the manifest's `uri` and checksum are not what is
    /// wrong, while a hint such as the server's `Content-Encoding` holds wherever the file
    /// came from.
    #[error(
        "The file at {uri} is not the one the manifest describes ({mismatch}), so it was not kept; {}.",
        mismatch_fix(*hint, *mirror)
    )]
    ChecksumMismatch {
        uri: String,
        mismatch: Mismatch,
        hint: MismatchHint,
        /// True when `uri` is a mirror's.
        mirror: bool,
    },

    // The path as its escapes: decoded from a `file://` URI, it may hold a NUL (`%00`) or a
    // line break, which must not reach the terminal or split the line.
    #[error(
        "Could not read {} (for {uri}): {cause}.",
        crate::output::escape_controls(&path.display().to_string())
    )]
    CannotRead {
        path: PathBuf,
        uri: String,
        cause: String,
    },

    #[error(
        "Could not read {} (for {uri}): it is {found}, not a regular file; point the URI at the dependency's archive.",
        crate::output::escape_controls(&path.display().to_string())
    )]
    NotAFile {
        path: PathBuf,
        uri: String,
        /// `a folder`, `a fifo`, `a character device`.
        found: &'static str,
    },

    /// `fix` starts with `; ` (or is empty when the OS reason names no fix); `elsewhere`,
    /// when the fix is to write somewhere else, says how to choose that place.
    #[error("Could not write {path}: {cause}{fix}{}.", elsewhere.map_or("", WhoseCache::how_to_move))]
    CannotWrite {
        path: PathBuf,
        cause: String,
        fix: String,
        elsewhere: Option<WhoseCache>,
    },

    #[error("Could not lock {path} to share the cache with other processes: {cause}.")]
    CannotLock { path: PathBuf, cause: String },

    #[error("{name}=`{value}` is not valid: {reason}.")]
    BadSetting {
        name: &'static str,
        /// Redacted when it is a URI.
        value: String,
        reason: String,
    },

    #[error("Could not load extra CA certificates from SSL_CERT_FILE={path}: {cause}.")]
    BadCaFile { path: PathBuf, cause: String },

    /// SIGINT, SIGTERM or SIGHUP reached bpkit while it was fetching
    /// ([`crate::process_group::watch_termination`]): the download stopped, its `.part` file
    /// was removed, and the cache entry was left as it was.
    #[error("The download of {uri} was stopped: bpkit was interrupted.")]
    Interrupted { uri: String },

    /// A failure at the URI a redirect led to, before its answer or in its body: the inner
    /// error names that URI (redacted), its proxy variable and timeout, and this says which
    /// URI sent bpkit there. Without it, a refused connection at the redirect's target was
    /// blamed on the server that answered the redirect, with a mirror rule for the wrong host.
    /// Not a `source()`: the chain stays one link long.
    #[error("{error} It was reached by a redirect from {original}.")]
    Redirected {
        /// The URI that was asked first (the manifest's, or its mirror's), redacted.
        original: String,
        error: Box<FetchError>,
    },

    /// A failure at a mirror. The inner error names the mirror's URI only; an operator whose
    /// mirror is down or serves the wrong file must also learn which manifest URI (and so which
    /// rule) sent the request there. Not a `source()`: the chain stays one link long.
    #[error(
        "{error} That URI is the mirror of {original} (BPKIT_MIRRORS or the manifest's `mirrors:`)."
    )]
    AtMirror {
        /// The manifest's URI, redacted.
        original: String,
        error: Box<FetchError>,
    },
}

/// The fix for a TLS failure: a certificate the built-in roots do not vouch for.
pub(crate) const TLS_CA_FIX: &str = "If the server uses a private certificate authority, point SSL_CERT_FILE at a PEM file holding its certificate.";

/// The fix when the server's first bytes were no TLS record: most often an internal mirror that
/// serves plain HTTP, written `https://` in a mirror rule, where a certificate cannot help.
pub(crate) const TLS_PLAIN_HTTP_FIX: &str = "If the server serves plain HTTP, write its URI (or the BPKIT_MIRRORS rule's replacement) with http://, not https://.";

/// What `--offline` would have downloaded: the manifest's URI, or the mirror a rule sends it
/// to, named beside it (both redacted); `again` follows the URI that would have been downloaded.
fn offline_source(uri: &str, mirror: Option<&str>, again: &str) -> String {
    match mirror {
        Some(mirror) => format!(
            "{mirror}{again}, the mirror of {uri} (BPKIT_MIRRORS or the manifest's `mirrors:`; --offline reads only a `file://` mirror)"
        ),
        None => format!("{uri}{again}"),
    }
}

/// The proxy variable to check for `uri`: the one that set the proxy the connection went
/// `through`, else the one of its scheme (an `http://` download goes through HTTP_PROXY, not
/// HTTPS_PROXY, which the message named for every URI).
fn proxy_variable(uri: &str, through: Option<&'static str>) -> &'static str {
    if let Some(variable) = through {
        variable
    } else if super::uri::scheme(uri).as_deref() == Some("http") {
        "HTTP_PROXY"
    } else {
        "HTTPS_PROXY"
    }
}

fn too_large(announced: Option<u64>, limit: u64) -> String {
    match announced {
        Some(size) => format!(
            "the server announced {size} bytes (Content-Length), more than the {limit} bytes a download may have"
        ),
        None => format!(
            "the server sent more than the {limit} bytes a download may have, announcing no size"
        ),
    }
}

fn truncation(got: u64, expected: Option<u64>, cause: &str) -> String {
    match (expected, cause.is_empty()) {
        (Some(expected), true) => {
            format!("the connection closed early, got {got} of {expected} bytes")
        }
        (Some(expected), false) => format!("{cause}, got {got} of {expected} bytes"),
        (None, true) => format!("the connection closed after {got} bytes"),
        (None, false) => format!("{cause} after {got} bytes"),
    }
}

/// What the download could tell of why a file does not match the manifest's checksums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MismatchHint {
    /// Nothing: the file is another than the manifest's.
    None,
    /// The server sent it with `Content-Encoding: gzip` (or `x-gzip`). bpkit stores the bytes
    /// as sent (the checksum is of the file as stored), so a server compressing on the way, or
    /// an object stored with that header (S3 metadata), gives other bytes than the file's.
    Gzip,
    /// Another `Content-Encoding` (`br`, `deflate`).
    Encoded,
    /// The server sent more bytes than the `announced` ones of its `Content-Length`, and HTTP
    /// reads only those: the file's first bytes were kept, and checked.
    LongerThanAnnounced { announced: u64 },
}

impl MismatchHint {
    /// The hint for a body sent with this `Content-Encoding` (none, or not `identity`).
    pub(crate) fn of_encoding(encoding: Option<&str>) -> MismatchHint {
        match encoding {
            Some(e) if e.eq_ignore_ascii_case("gzip") || e.eq_ignore_ascii_case("x-gzip") => {
                MismatchHint::Gzip
            }
            Some(_) => MismatchHint::Encoded,
            None => MismatchHint::None,
        }
    }
}

/// What to do about a file that does not match the manifest's checksums: the hint's fix first,
/// then the usual one, which at a mirror is the mirror's (the manifest's `uri` and checksum
/// were right), so a `Content-Encoding` is named through `BPKIT_MIRRORS` too.
fn mismatch_fix(hint: MismatchHint, mirror: bool) -> String {
    let usual = if mirror {
        "put the manifest's file there, or fix the mirror rule that sends the URI to it"
    } else {
        "fix the dependency's `uri`, or its checksum if that file is the right one"
    };
    match hint {
        MismatchHint::None if mirror => {
            format!("the mirror serves another file than the manifest's, so {usual}")
        }
        MismatchHint::None => usual.to_string(),
        MismatchHint::Gzip => format!(
            "the server sent it with `Content-Encoding: gzip`, and bpkit keeps the bytes as sent, so serve the file without that header (on S3, remove the object's Content-Encoding metadata), or {usual}"
        ),
        MismatchHint::Encoded => format!(
            "the server sent it with a `Content-Encoding`, and bpkit keeps the bytes as sent, so serve the file without that header, or {usual}"
        ),
        MismatchHint::LongerThanAnnounced { announced } => format!(
            "the server sent more bytes than the {announced} its Content-Length announced, and HTTP keeps only those, so correct the Content-Length the server (or a proxy on the way) sends, or {usual}"
        ),
    }
}

/// `cause` in words, and when it is EMFILE (`Too many open files`) what to do: a cached zip
/// holds each dependency open from its verification until it is in the zip
/// ([`super::HeldFile`]), so hundreds of dependencies under a low hard limit (`ulimit -n 64`,
/// which a soft limit raised by bpkit cannot pass) run out of descriptors, and the OS's words
/// named neither the limit nor the way out. ENAMETOOLONG gets its fix too.
pub(crate) fn io_cause(cause: &std::io::Error) -> String {
    if cause.raw_os_error() == Some(libc::ENAMETOOLONG) {
        // The cache's own names are short but for the URI's last segment: `File name too long
        // (os error 36)` alone did not say which name, or that the URI is what to change.
        return format!(
            "{cause}; the cache names each file after the last segment of its URI (as the Go packager does), and file names hold at most 255 bytes: shorten that segment of the dependency's `uri`"
        );
    }
    match too_many_files_fix(cause) {
        Some(fix) => format!("{cause}; {fix}"),
        None => cause.to_string(),
    }
}

/// Whose cache a download was written to, which decides how to point bpkit at another folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhoseCache {
    /// The packager's dependency cache (`package`, `fetch`, `buildpack-packager`).
    Packager,
    /// A phase's app cache, `CACHE_DIR/dependencies/` (supply, compile).
    App,
}

impl WhoseCache {
    /// The end of a fix that says "use another folder".
    fn how_to_move(self) -> &'static str {
        match self {
            WhoseCache::Packager => " (for the dependency cache: --cache-dir or BPKIT_CACHE_DIR)",
            WhoseCache::App => {
                " (the app cache is the phase's CACHE_DIR argument: the platform's, or `bpkit stage --cache`)"
            }
        }
    }
}

/// The fix for EMFILE, with the limit this process has (see [`io_cause`]).
fn too_many_files_fix(cause: &std::io::Error) -> Option<String> {
    if cause.raw_os_error() != Some(libc::EMFILE) {
        return None;
    }
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
    let at = limit
        .current
        .map_or_else(|| "unlimited".to_string(), |n| n.to_string());
    Some(format!(
        "bpkit may open only {at} files at once (`ulimit -n`), and a cached zip keeps each dependency open until it is in the zip; raise the limit (`ulimit -n 4096`), or package fewer dependencies"
    ))
}

impl FetchError {
    /// A file that could not be written (in the dependency cache, or wherever a download
    /// goes), with the fix for the usual OS reasons: the bare `Permission denied (os error
    /// 13)` left a user of a shared or read-only cache without a next step.
    pub(crate) fn cannot_write(path: &std::path::Path, cause: &std::io::Error) -> FetchError {
        use std::io::ErrorKind;
        let fix = match cause.kind() {
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => (
                "; make that folder writable by this user, or use a writable one".to_string(),
                Some(WhoseCache::Packager),
            ),
            // A full disk can be avoided by writing elsewhere; the file-size limit cannot.
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => (
                format!(
                    "; {}, or use a folder on another one",
                    crate::output::no_room_fix(cause.kind()).unwrap_or_default()
                ),
                Some(WhoseCache::Packager),
            ),
            kind => (
                crate::output::no_room_fix(kind)
                    .map(ToString::to_string)
                    .or_else(|| too_many_files_fix(cause))
                    .map(|fix| format!("; {fix}"))
                    .unwrap_or_default(),
                None,
            ),
        };
        FetchError::CannotWrite {
            path: path.to_path_buf(),
            cause: cause.to_string(),
            fix: fix.0,
            elsewhere: fix.1,
        }
    }

    /// This error as a phase reports it: a write error's way to another folder names the
    /// phase's `CACHE_DIR` argument, where the packager's flags mean nothing.
    #[must_use]
    pub(crate) fn in_the_app_cache(self) -> FetchError {
        match self {
            FetchError::CannotWrite {
                path,
                cause,
                fix,
                elsewhere: Some(_),
            } => FetchError::CannotWrite {
                path,
                cause,
                fix,
                elsewhere: Some(WhoseCache::App),
            },
            other => other,
        }
    }

    /// [`FetchError::at_mirror`] when `mirrored` (a mirror rewrote `original`), else `self`.
    pub(crate) fn at_mirror_if(self, mirrored: bool, original: &str) -> FetchError {
        if mirrored {
            self.at_mirror(original)
        } else {
            self
        }
    }

    /// `self` as the failure at the mirror `original` (the manifest's URI) was rewritten to.
    /// Local faults (writing or locking the cache) are not the mirror's and stay as they are.
    pub(crate) fn at_mirror(self, original: &str) -> FetchError {
        match self {
            FetchError::CannotWrite { .. }
            | FetchError::CannotLock { .. }
            | FetchError::Interrupted { .. }
            | FetchError::AtMirror { .. } => self,
            FetchError::ChecksumMismatch {
                uri,
                mismatch,
                hint,
                ..
            } => FetchError::AtMirror {
                original: super::uri::redact(original),
                error: Box::new(FetchError::ChecksumMismatch {
                    uri,
                    mismatch,
                    hint,
                    mirror: true,
                }),
            },
            error => FetchError::AtMirror {
                original: super::uri::redact(original),
                error: Box::new(error),
            },
        }
    }

    /// `self`, a failure at the URI a redirect from `original` (redacted) led to, saying so.
    pub(crate) fn after_redirect(self, original: &str) -> FetchError {
        FetchError::Redirected {
            original: original.to_string(),
            error: Box::new(self),
        }
    }

    /// The failure itself, without the mirror or the redirect it happened at.
    pub fn at_origin(&self) -> &FetchError {
        match self {
            FetchError::AtMirror { error, .. } | FetchError::Redirected { error, .. } => {
                error.at_origin()
            }
            error => error,
        }
    }

    /// True when no server answered at all: the connection was refused, the name did not
    /// resolve, or connecting timed out (directly, or through the proxy). What a staging with no
    /// route to the internet meets, as opposed to a server that answered badly.
    pub fn is_unreachable(&self) -> bool {
        match self.at_origin() {
            FetchError::CannotConnect { .. } => true,
            FetchError::Timeout { env, .. } => *env == super::config::CONNECT_TIMEOUT_ENV,
            _ => false,
        }
    }

    /// True for faults that may go away when asked again: connection errors, timeouts, bodies
    /// cut short, 5xx, 408 and 429. Never for 404 and other 4xx, TLS or checksum failures.
    pub fn is_retryable(&self) -> bool {
        match self.at_origin() {
            FetchError::CannotConnect { .. }
            | FetchError::Timeout { .. }
            | FetchError::Truncated { .. } => true,
            // 5xx only: a code past 599 (`999`) is no server error HTTP defines, and nothing
            // says asking again helps.
            FetchError::HttpStatus { status, .. } => {
                (500..=599).contains(status) || *status == 429 || *status == 408
            }
            _ => false,
        }
    }

    /// The wait the server asked for before another attempt, when it said (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self.at_origin() {
            FetchError::HttpStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_failure_names_the_proxy_variable_of_its_scheme() {
        for (uri, variable) in [
            ("http://m.example/x.tgz", "(HTTP_PROXY, NO_PROXY)"),
            ("https://m.example/x.tgz", "(HTTPS_PROXY, NO_PROXY)"),
        ] {
            let e = FetchError::CannotConnect {
                uri: uri.into(),
                cause: "connection refused".into(),
                through: None,
            };
            assert!(e.to_string().contains(variable), "{e}");
        }
    }

    /// With several proxy variables set, the one that chose the proxy is the one to check,
    /// whatever the scheme's own variable is.
    #[test]
    fn a_connection_through_a_proxy_names_the_variable_that_set_it() {
        let e = FetchError::CannotConnect {
            uri: "https://m.example/x.tgz".into(),
            cause: "connection refused (through the proxy http://p:3128, from all_proxy)".into(),
            through: Some("all_proxy"),
        };
        assert_eq!(
            e.to_string(),
            "Could not connect to https://m.example/x.tgz: connection refused (through the proxy http://p:3128, from all_proxy). Check the network, the proxy settings (all_proxy, NO_PROXY) and BPKIT_MIRRORS."
        );
    }

    #[test]
    fn messages_are_sentences() {
        let e = FetchError::HttpStatus {
            uri: "https://h/x.tgz".into(),
            status: 404,
            reason: "Not Found".into(),
            redirected: String::new(),
            fix: String::new(),
            retry_after: None,
        };
        assert_eq!(
            e.to_string(),
            "Could not download https://h/x.tgz: the server answered 404 Not Found."
        );
        assert!(!e.is_retryable());
        let e = FetchError::Truncated {
            uri: "https://h/x.tgz".into(),
            got: 10,
            expected: Some(20),
            cause: String::new(),
        };
        assert_eq!(
            e.to_string(),
            "Could not download https://h/x.tgz: the connection closed early, got 10 of 20 bytes."
        );
        assert!(e.is_retryable());
        let e = FetchError::Timeout {
            uri: "https://h/x.tgz".into(),
            what: "no data for 5 s".into(),
            env: "BPKIT_READ_TIMEOUT",
        };
        assert_eq!(
            e.to_string(),
            "Timed out downloading https://h/x.tgz: no data for 5 s. Set BPKIT_READ_TIMEOUT to wait longer."
        );
    }

    fn status(code: u16) -> FetchError {
        FetchError::HttpStatus {
            uri: "https://h/x.tgz".into(),
            status: code,
            reason: String::new(),
            redirected: String::new(),
            fix: String::new(),
            retry_after: Some(Duration::from_secs(7)),
        }
    }

    fn timeout(env: &'static str) -> FetchError {
        FetchError::Timeout {
            uri: "https://h/x.tgz".into(),
            what: "no data for 5 s".into(),
            env,
        }
    }

    fn refused() -> FetchError {
        FetchError::CannotConnect {
            uri: "https://m/x.tgz".into(),
            cause: "connection refused".into(),
            through: None,
        }
    }

    fn mismatch(hint: MismatchHint) -> FetchError {
        FetchError::ChecksumMismatch {
            uri: "https://m/x.tgz".into(),
            mismatch: Mismatch {
                algorithm: "sha256",
                expected: "aa".into(),
                actual: "bb".into(),
            },
            hint,
            mirror: false,
        }
    }

    /// Asked again: what a server or the network may do differently the next time (5xx, 408,
    /// 429, no connection, a body cut short, silence), never a 4xx, a status no HTTP defines,
    /// TLS or a wrong file; at a mirror as at the origin.
    #[test]
    fn only_faults_that_may_pass_are_retried() {
        for code in [500, 503, 599, 408, 429] {
            assert!(status(code).is_retryable(), "{code}");
            assert!(
                status(code).at_mirror("https://o/x.tgz").is_retryable(),
                "{code}"
            );
        }
        for code in [400, 401, 404, 407, 499, 600, 999] {
            assert!(!status(code).is_retryable(), "{code}");
        }
        assert!(refused().is_retryable());
        assert!(timeout(super::super::config::READ_TIMEOUT_ENV).is_retryable());
        for error in [
            mismatch(MismatchHint::None),
            tls_failure(),
            FetchError::Interrupted {
                uri: "https://m/x.tgz".into(),
            },
        ] {
            assert!(!error.is_retryable(), "{error}");
        }
    }

    fn tls_failure() -> FetchError {
        FetchError::Tls {
            uri: "https://m/x.tgz".into(),
            cause: "unknown issuer".into(),
            fix: TLS_CA_FIX,
        }
    }

    /// Unreachable is no answer at all: refused, or no connection within the connect
    /// timeout. A read timeout had a server that answered, and so had a 503.
    #[test]
    fn unreachable_is_no_connection_at_all() {
        assert!(refused().is_unreachable());
        assert!(refused().at_mirror("https://o/x.tgz").is_unreachable());
        assert!(timeout(super::super::config::CONNECT_TIMEOUT_ENV).is_unreachable());
        assert!(!timeout(super::super::config::READ_TIMEOUT_ENV).is_unreachable());
        assert!(!status(503).is_unreachable());
        assert!(!tls_failure().is_unreachable());
    }

    #[test]
    fn the_wait_a_server_asked_for_is_read_through_a_mirror() {
        let wait = Some(Duration::from_secs(7));
        assert_eq!(status(503).retry_after(), wait);
        assert_eq!(status(503).at_mirror("https://o/x.tgz").retry_after(), wait);
        assert_eq!(refused().retry_after(), None);
    }

    /// At a mirror, a mirror's fault names the manifest's URI (redacted) beside it; a wrong
    /// file there is the mirror's to fix, not the manifest's. Faults of this machine (writing,
    /// locking, an interrupt) are not the mirror's, and one error is never wrapped twice.
    #[test]
    fn a_mirrors_fault_names_the_uri_it_stands_for() {
        let original = "https://user:secret@o.example/x.tgz";
        let FetchError::AtMirror {
            original: shown,
            error,
        } = refused().at_mirror(original)
        else {
            panic!("not at a mirror");
        };
        assert_eq!(shown, "https://-redacted-:-redacted-@o.example/x.tgz");
        assert!(matches!(*error, FetchError::CannotConnect { .. }));
        let FetchError::AtMirror { error, .. } = mismatch(MismatchHint::None).at_mirror(original)
        else {
            panic!("not at a mirror");
        };
        assert!(matches!(
            *error,
            FetchError::ChecksumMismatch { mirror: true, .. }
        ));
        assert!(error.to_string().ends_with(
            "; the mirror serves another file than the manifest's, so put the manifest's file there, or fix the mirror rule that sends the URI to it."
        ));
        let twice = refused().at_mirror(original).at_mirror(original);
        let FetchError::AtMirror { error, .. } = &twice else {
            panic!("not at a mirror");
        };
        assert!(
            matches!(**error, FetchError::CannotConnect { .. }),
            "{twice}"
        );
        let local = [
            FetchError::cannot_write(
                std::path::Path::new("/c/x.tgz"),
                &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            ),
            FetchError::CannotLock {
                path: "/c/.x.tgz.lock".into(),
                cause: "busy".into(),
            },
            FetchError::Interrupted {
                uri: "https://m/x.tgz".into(),
            },
        ];
        for error in local {
            let kept = error.to_string();
            assert_eq!(error.at_mirror(original).to_string(), kept);
        }
        assert!(matches!(
            refused().at_mirror_if(false, original),
            FetchError::CannotConnect { .. }
        ));
        assert!(matches!(
            refused().at_mirror_if(true, original),
            FetchError::AtMirror { .. }
        ));
    }

    /// `--offline` names what it would have downloaded: the manifest's URI, or the mirror a
    /// rule sends it to, with the rule's origin, so that an operator learns the rule was read.
    #[test]
    fn offline_names_the_mirror_it_would_have_asked() {
        let missing = |mirror: Option<&str>| FetchError::NotCached {
            path: "/c/x.tgz".into(),
            uri: "https://o/x.tgz".into(),
            mirror: mirror.map(String::from),
        };
        assert_eq!(
            missing(None).to_string(),
            "/c/x.tgz is not in the cache and --offline forbids downloading https://o/x.tgz; run again without --offline to fill the cache, or copy in a cache that `bpkit fetch` filled elsewhere."
        );
        assert!(
            missing(Some("https://m/x.tgz")).to_string().contains(
                "--offline forbids downloading https://m/x.tgz, the mirror of https://o/x.tgz (BPKIT_MIRRORS or the manifest's `mirrors:`; --offline reads only a `file://` mirror); run again"
            ),
            "{}",
            missing(Some("https://m/x.tgz"))
        );
        let corrupt = FetchError::CorruptOffline {
            path: "/c/x.tgz".into(),
            uri: "https://o/x.tgz".into(),
            mirror: Some("https://m/x.tgz".into()),
            mismatch: Box::new(Mismatch {
                algorithm: "sha256",
                expected: "aa".into(),
                actual: "bb".into(),
            }),
            unremoved: None,
        };
        assert!(
            corrupt.to_string().contains(
                "forbids downloading https://m/x.tgz again, the mirror of https://o/x.tgz"
            ),
            "{corrupt}"
        );
    }

    /// A bad cache entry offline says whether it was removed; one the OS would not let go
    /// keeps the mismatch first, then says why it is still there and that it is the user's to
    /// remove, as running again without --offline would fail to remove it too.
    #[test]
    fn a_bad_entry_offline_says_whether_it_was_removed() {
        let corrupt = |unremoved: Option<&str>| {
            FetchError::CorruptOffline {
                path: "/c/x.tgz".into(),
                uri: "https://o/x.tgz".into(),
                mirror: None,
                mismatch: Box::new(Mismatch {
                    algorithm: "sha256",
                    expected: "aa".into(),
                    actual: "bb".into(),
                }),
                unremoved: unremoved.map(String::from),
            }
            .to_string()
        };
        assert_eq!(
            corrupt(None),
            "The cached /c/x.tgz failed verification (sha256 mismatch: expected aa, got bb) and was removed, and --offline forbids downloading https://o/x.tgz again; run again without --offline."
        );
        assert_eq!(
            corrupt(Some("Permission denied (os error 13)")),
            "The cached /c/x.tgz failed verification (sha256 mismatch: expected aa, got bb) and could not be removed (Permission denied (os error 13)), and --offline forbids downloading https://o/x.tgz again; remove it, then run again without --offline."
        );
    }

    /// A body cut short says how much came of how much, and why when the reader said.
    #[test]
    fn a_body_cut_short_says_how_much_came() {
        assert_eq!(
            truncation(10, Some(20), ""),
            "the connection closed early, got 10 of 20 bytes"
        );
        assert_eq!(
            truncation(10, Some(20), "the connection was reset"),
            "the connection was reset, got 10 of 20 bytes"
        );
        assert_eq!(
            truncation(10, None, ""),
            "the connection closed after 10 bytes"
        );
        assert_eq!(
            truncation(10, None, "the connection was reset"),
            "the connection was reset after 10 bytes"
        );
        assert_eq!(
            too_large(Some(9), 8),
            "the server announced 9 bytes (Content-Length), more than the 8 bytes a download may have"
        );
        assert_eq!(
            too_large(None, 8),
            "the server sent more than the 8 bytes a download may have, announcing no size"
        );
    }

    /// A gzip `Content-Encoding` in either spelling and case is named as gzip (with the S3
    /// fix); any other encoding as an encoding; none as nothing to say.
    #[test]
    fn a_mismatch_names_the_encoding_the_server_sent() {
        for gzip in ["gzip", "GZIP", "x-gzip", "X-Gzip"] {
            assert_eq!(
                MismatchHint::of_encoding(Some(gzip)),
                MismatchHint::Gzip,
                "{gzip}"
            );
        }
        for other in ["br", "deflate", "gzip2"] {
            assert_eq!(
                MismatchHint::of_encoding(Some(other)),
                MismatchHint::Encoded,
                "{other}"
            );
        }
        assert_eq!(MismatchHint::of_encoding(None), MismatchHint::None);
        let usual = "fix the dependency's `uri`, or its checksum if that file is the right one.";
        assert!(
            mismatch(MismatchHint::None)
                .to_string()
                .ends_with(&format!("; {usual}"))
        );
        assert!(
            mismatch(MismatchHint::Gzip)
                .to_string()
                .contains("`Content-Encoding: gzip`, and bpkit keeps the bytes as sent, so serve the file without that header (on S3, remove")
        );
        let encoded = mismatch(MismatchHint::Encoded).to_string();
        assert!(encoded.contains("with a `Content-Encoding`"), "{encoded}");
        assert!(encoded.ends_with(&format!(", or {usual}")), "{encoded}");
        let longer = mismatch(MismatchHint::LongerThanAnnounced { announced: 5 }).to_string();
        assert!(
            longer.contains("sent more bytes than the 5 its Content-Length announced"),
            "{longer}"
        );
    }

    /// The OS's reason, with the fix for the reasons that have one: a name too long is the
    /// URI's last segment, too many open files the descriptor limit; others as the OS said.
    #[test]
    fn an_os_reason_gets_its_fix() {
        let long = std::io::Error::from_raw_os_error(libc::ENAMETOOLONG);
        assert!(
            io_cause(&long).ends_with("; the cache names each file after the last segment of its URI (as the Go packager does), and file names hold at most 255 bytes: shorten that segment of the dependency's `uri`"),
            "{}",
            io_cause(&long)
        );
        let many = std::io::Error::from_raw_os_error(libc::EMFILE);
        assert!(
            io_cause(&many).contains("; bpkit may open only "),
            "{}",
            io_cause(&many)
        );
        let other = std::io::Error::from_raw_os_error(libc::EIO);
        assert_eq!(io_cause(&other), other.to_string());
    }

    /// A write refused for want of permission or room says to use another folder, and how for
    /// the cache it was: the packager's flag, or a phase's CACHE_DIR argument. A reason that
    /// moving cannot help names no other folder.
    #[test]
    fn a_failed_write_says_where_else_to_write() {
        let path = std::path::Path::new("/c/x.tgz");
        let denied = FetchError::cannot_write(
            path,
            &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert!(
            denied.to_string().ends_with(
                "; make that folder writable by this user, or use a writable one (for the dependency cache: --cache-dir or BPKIT_CACHE_DIR)."
            ),
            "{denied}"
        );
        let in_app = denied.in_the_app_cache().to_string();
        assert!(
            in_app.ends_with(
                "or use a writable one (the app cache is the phase's CACHE_DIR argument: the platform's, or `bpkit stage --cache`)."
            ),
            "{in_app}"
        );
        let full =
            FetchError::cannot_write(path, &std::io::Error::from(std::io::ErrorKind::StorageFull))
                .to_string();
        assert!(
            full.ends_with(", or use a folder on another one (for the dependency cache: --cache-dir or BPKIT_CACHE_DIR)."),
            "{full}"
        );
        let io = std::io::Error::from_raw_os_error(libc::EIO);
        let plain = FetchError::cannot_write(path, &io).in_the_app_cache();
        assert_eq!(
            plain.to_string(),
            format!("Could not write /c/x.tgz: {io}.")
        );
    }

    #[test]
    fn is_send_sync_static() {
        fn check<T: Send + Sync + 'static + std::error::Error>() {}
        check::<FetchError>();
    }
}
