//! URI helpers: redaction of credentials (`user:pass@` and secret query parameters) for every
//! message, the basename used for cache and zip file names, `file://` to a path, and the small
//! pieces of URI handling the HTTP client needs (credentials to a Basic header, host and port,
//! resolving a redirect's `Location`).
//!
//! These are deliberately string-level: dependency URIs are plain `scheme://authority/path?query`
//! and a tolerant parser keeps redaction working even on text that is not a valid URI.
//!
//! Files: `parts` cuts a URI into its parts as the fetch reads it; `redact` finds and hides
//! credentials, reading a URI more widely; `credentials` turns a URI's `user:pass@` into a
//! Basic header and says whether it follows a redirect; `resolve` reads what a URI names
//! (scheme, host and port, `file://` path, a redirect's target). What is left here names a
//! URI's file and says why a URI cannot be downloaded.

mod credentials;
mod parts;
mod redact;
mod resolve;

pub(crate) use credentials::keeps_credentials;
pub use credentials::{Credentials, take_credentials};
pub(crate) use parts::percent_encode;
use parts::split;
pub(crate) use redact::{PASSWORD_READ_AS_PORT, userinfo_end};
pub use redact::{REDACTED, password_read_as_port, redact, scrub, secrets};
use redact::{slash_too_many, split_for_redaction};
pub use resolve::{file_path, file_uri, host_port, scheme, server_prefix};
pub(crate) use resolve::{location_text, origin_as_written, resolve, split_host_port};

/// The file name for a URI in a cache folder or a zip: the last segment of its path as written,
/// not percent-decoded (`openjdk_11.0.32%2B11_….tgz` keeps its `%2B`). The Go packager and
/// libbuildpack name their cache entries with `filepath.Base(uri)`, so this is what lets the two
/// tools share a cache (packager.md, "Cached dependencies"). Unlike `filepath.Base`, the query
/// and fragment are left out: they often carry tokens, and the md5/sha256 folder already tells
/// URIs apart. Only what a file system or a zip entry cannot take safely is changed: NUL and
/// other control characters and `\` (a folder separator to Windows unzippers) become `_`, and
/// a name that is empty, `.` or `..` becomes `download`.
pub fn basename(uri: &str) -> String {
    let parts = split(uri);
    // Text without a `scheme://`, or with a slash too many after it (`https:///user:pass@host`,
    // no host to the HTTP library), is downloaded by no one, but its cache entry is locked (and
    // named in messages) before that is found: read it as `redact` does, so that a userinfo
    // after a misspelled scheme (`//user:pass@host`) never becomes the file's name. So too a
    // URI that reads both ways (`https://user:12/34@host`, fetched as port 12 and path
    // `/34@host`): its last segment as fetched may be the end of a password.
    let parts = if parts.scheme.is_empty() || slash_too_many(uri) || password_read_as_port(uri) {
        split_for_redaction(uri)
    } else {
        parts
    };
    // As `filepath.Base`, trailing slashes are not a segment of their own.
    let last = parts
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if matches!(last, "" | "." | "..") {
        return "download".to_string();
    }
    last.chars()
        .map(|c| if c.is_control() || c == '\\' { '_' } else { c })
        .collect()
}

/// Why bpkit could not download `uri` as written, or `None` when it can try: an `http://` or
/// `https://` URI the HTTP library parses (with a host), or a `file://` URI with an absolute
/// path. `bpkit validate` warns with this (a mirror may still map such a URI to one it can
/// download), and the fetch refuses the same URIs when it gets to them.
pub fn download_problem(uri: &str) -> Option<String> {
    match scheme(uri).as_deref() {
        Some("file") => file_path(uri).is_none().then(|| file_uri_problem(uri)),
        Some("http" | "https") => match http_request_problem(uri) {
            Ok(()) => None,
            Err(NotRequestable::NoHost) => Some(NO_HOST.to_string()),
            Err(NotRequestable::ZoneId) => Some(ZONE_ID.to_string()),
            Err(NotRequestable::Invalid(e)) => Some(not_a_valid_uri(&e)),
        },
        Some(_) => Some(UNSUPPORTED_SCHEME.to_string()),
        None => Some(no_scheme(uri)),
    }
}

/// Why an `http(s)://` URI cannot be requested.
pub(crate) enum NotRequestable {
    NoHost,
    /// An IPv6 host with a zone (`[fe80::1%25eth0]`, RFC 6874).
    ZoneId,
    /// The HTTP library's reason.
    Invalid(ureq::http::uri::InvalidUri),
}

pub(crate) const NO_HOST: &str = "it names no host";

/// Why a URI whose host is an IPv6 address with a zone is refused: the HTTP library parses it
/// but resolves the bracketed text as a name, so the download failed with "failed to lookup
/// address information: Name or service not known", which named no cause.
pub(crate) const ZONE_ID: &str = "its IPv6 address has a zone (`%25` and an interface, as a link-local address needs), which bpkit cannot connect through; give the server's global IPv6 or IPv4 address, or its host name";

/// Whether the HTTP library can request an `http(s)://` URI: it parses, with a host that is no
/// IPv6 address with a zone.
pub(crate) fn http_request_problem(uri: &str) -> Result<(), NotRequestable> {
    match ureq::http::Uri::try_from(uri) {
        Ok(parsed)
            if parsed
                .host()
                .is_some_and(|h| h.starts_with('[') && h.contains('%')) =>
        {
            Err(NotRequestable::ZoneId)
        }
        Ok(parsed) if parsed.host().is_some_and(|h| !h.is_empty()) => Ok(()),
        Ok(_) => Err(NotRequestable::NoHost),
        Err(e) => Err(NotRequestable::Invalid(e)),
    }
}

/// Why a URI with no `scheme://` cannot be downloaded: most often a path, where a `file://` URI
/// was meant, so the fix says how to write one (for an absolute path, that very URI, unless it
/// holds a secret: `//user:pass@host/x.tgz` is no path, and the example would show it whole).
fn no_scheme(uri: &str) -> String {
    let example = if uri.starts_with('/') && secrets(uri).is_empty() {
        format!("file://{uri}")
    } else {
        "file:///srv/deps/x.tgz".to_string()
    };
    format!(
        "{UNSUPPORTED_SCHEME}; a local file is written as a file:// URI with its absolute path, as in {example}"
    )
}

/// Why a URI the HTTP library cannot parse is refused, with the parser's own reason.
pub fn not_a_valid_uri(reason: &dyn std::fmt::Display) -> String {
    format!("it is not a valid URI ({reason}); write it as RFC 3986 says, with a space as %20")
}

/// Why a `file://` URI without an absolute path cannot be read.
pub const FILE_URI_NEEDS_A_PATH: &str =
    "a file URI needs an absolute path, as in file:///srv/deps/x.tgz";

/// Why the `file://` URI `uri` names no file bpkit can read: a user or password, or a host
/// that is a machine's address or domain name (`file://127.0.0.1/srv/x.tgz`), said as such,
/// where "needs an absolute path" named a path it had; else [`FILE_URI_NEEDS_A_PATH`] (a bare
/// word after `file://`, as in `file://srv/x.tgz`, is most often a path missing its slash).
pub fn file_uri_problem(uri: &str) -> String {
    let parts = split(uri);
    if parts.userinfo.is_some() {
        return "a file URI names a file on this machine and takes no user or password; write it as file:///srv/deps/x.tgz".to_string();
    }
    let host = parts.host_port;
    if host.contains(['.', ':', '[']) && !host.eq_ignore_ascii_case("localhost") {
        return format!(
            "a file URI names a file on this machine, so its host must be empty (file:///srv/deps/x.tgz) or localhost, not `{host}`; serve another machine's file over http(s)://"
        );
    }
    FILE_URI_NEEDS_A_PATH.to_string()
}

/// Why a URI of another scheme cannot be downloaded.
pub const UNSUPPORTED_SCHEME: &str = "only http://, https:// and file:// URIs are supported";

#[cfg(test)]
mod tests {
    use super::*;

    /// A `file://` URI bpkit cannot read says why in its own terms.
    #[test]
    fn file_uri_problems_name_their_cause() {
        assert_eq!(
            download_problem("file://127.0.0.1/srv/x.tgz").unwrap(),
            "a file URI names a file on this machine, so its host must be empty (file:///srv/deps/x.tgz) or localhost, not `127.0.0.1`; serve another machine's file over http(s)://"
        );
        assert!(
            download_problem("file://u:Pw@/srv/x.tgz")
                .unwrap()
                .starts_with("a file URI names a file on this machine and takes no user")
        );
        assert_eq!(
            download_problem("file://srv/x.tgz").unwrap(),
            FILE_URI_NEEDS_A_PATH
        );
        assert_eq!(download_problem("file://localhost/srv/x.tgz"), None);
        assert_eq!(download_problem("file:///srv/x.tgz"), None);
    }

    #[test]
    fn basename_is_the_raw_last_segment_as_go_names_it() {
        assert_eq!(
            basename(
                "https://buildpacks.cloudfoundry.org/dependencies/ruby/ruby_3.2.1_linux_x64_cflinuxfs4_abcd1234.tgz"
            ),
            "ruby_3.2.1_linux_x64_cflinuxfs4_abcd1234.tgz"
        );
        // Go's filepath.Base keeps `%2B` (the corpus's openjdk URIs): so must the cache.
        assert_eq!(
            basename(
                "https://buildpacks.cloudfoundry.org/dependencies/openjdk/openjdk_11.0.32%2B11_linux_x64_cflinuxfs4_34cadaf9.tgz"
            ),
            "openjdk_11.0.32%2B11_linux_x64_cflinuxfs4_34cadaf9.tgz"
        );
        assert_eq!(
            basename("https://h/dl/jdk-11+28.tar.gz?raw=true&token=x"),
            "jdk-11+28.tar.gz"
        );
        assert_eq!(basename("https://h/a%20b?c.tgz#f"), "a%20b");
        assert_eq!(basename("https://h/we!rd&na:me.zip"), "we!rd&na:me.zip");
        assert_eq!(basename("https://h/.hidden"), ".hidden");
        assert_eq!(basename("https://h/dir/x.tgz/"), "x.tgz");
        assert_eq!(basename("file:///srv/b/x.tgz"), "x.tgz");
        // A userinfo after a missing or misspelled scheme is no part of a name.
        for uri in ["//u:Pw@h", "usr:Pw/secret@h", "https:/u:Pw@h", "://u:Pw@h"] {
            assert_eq!(basename(uri), "download", "{uri}");
        }
        assert_eq!(basename("https:/u:Pw@h/x.tgz"), "x.tgz");
        // Nor after a slash too many, which `split` reads as a path (`/u:Pw@h`) after no host:
        // the name was `u:Pw@h`, password and all (found by the `uri` fuzz target's check).
        for uri in ["https:///u:Pw@h", "https:///u:Pw@h/", "s3:///tok@h"] {
            assert_eq!(basename(uri), "download", "{uri}");
        }
        assert_eq!(basename("https:///u:Pw@h/x.tgz"), "x.tgz");
        assert_eq!(basename("https:///srv/x.tgz"), "x.tgz");
        // A URI fetched as host `user`, port 12 and path `/34@host`, whose writer may have
        // meant the password `12/34`: `34@host` would show half of it.
        for uri in [
            "https://user:12/34@host",
            "https://user:12/34@host/",
            "http://user:1/2/3@host",
        ] {
            assert_eq!(basename(uri), "download", "{uri}");
        }
        assert_eq!(basename("https://user:12/34@host/x.tgz"), "x.tgz");
        assert_eq!(basename("https://host:8443/pkg@1.0"), "pkg@1.0");
        assert_eq!(basename("https://h:8443/npm/@types/node"), "node");
        // `file:///`'s third slash starts its path, which `redact` shows whole too.
        assert_eq!(basename("file:///u:Pw@h"), "u:Pw@h");
        // What a file system or a zip cannot take safely.
        assert_eq!(basename("https://h/a\\b\u{0}c\td.tgz"), "a_b_c_d.tgz");
        for uri in [
            "https://h/",
            "https://h",
            "https://h/..",
            "https://h/a/.",
            "https://h/?x",
        ] {
            assert_eq!(basename(uri), "download", "{uri}");
        }
    }

    #[test]
    fn downloadable_uris_and_why_others_are_not() {
        for ok in ["file:///srv/x.tgz", "https://h/x.tgz", "HTTP://h:8080/x"] {
            assert_eq!(download_problem(ok), None, "{ok}");
        }
        assert_eq!(
            download_problem("file://relative/x.tgz").as_deref(),
            Some(FILE_URI_NEEDS_A_PATH)
        );
        assert_eq!(
            download_problem("ftp://h/x.tgz").as_deref(),
            Some(UNSUPPORTED_SCHEME)
        );
        assert_eq!(
            download_problem("https://:443/x.tgz").as_deref(),
            Some("it names no host")
        );
        // A zone (RFC 6874) is said to be the cause, where the name lookup of the bracketed
        // text failed; a bracketed address without one is fine.
        assert_eq!(
            download_problem("http://[fe80::1%25eth0]:8080/x.tgz").as_deref(),
            Some(ZONE_ID)
        );
        assert_eq!(download_problem("http://[::1]:8080/x.tgz"), None);
        let invalid = download_problem("https://h/a b.tgz").unwrap();
        assert!(invalid.starts_with("it is not a valid URI ("), "{invalid}");
        // No scheme: an absolute path is shown as the file URI it should have been.
        let path = download_problem("/srv/x.tgz").unwrap();
        assert!(path.starts_with(UNSUPPORTED_SCHEME), "{path}");
        assert!(path.ends_with("as in file:///srv/x.tgz"), "{path}");
        // A URI that only starts like a path is not shown as the file URI of that path.
        for uri in ["//u:Pw5ecret@h/x.tgz", "/srv/x.tgz?token=Pw5ecret"] {
            let problem = download_problem(uri).unwrap();
            assert!(!problem.contains("Pw5ecret"), "{problem}");
            assert!(
                problem.ends_with("as in file:///srv/deps/x.tgz"),
                "{problem}"
            );
        }
        let relative = download_problem("deps/x.tgz").unwrap();
        assert!(
            relative.ends_with("as in file:///srv/deps/x.tgz"),
            "{relative}"
        );
    }
}
