//! URI helpers: redaction of credentials (`user:pass@` and secret query parameters) for every
//! message, the basename used for cache and zip file names, `file://` to a path, and the small
//! pieces of URI handling the HTTP client needs (credentials to a Basic header, host and port,
//! resolving a redirect's `Location`).
//!
//! These are deliberately string-level: dependency URIs are plain `scheme://authority/path?query`
//! and a tolerant parser keeps redaction working even on text that is not a valid URI.

use std::path::PathBuf;

/// What replaces a credential, as libbuildpack writes it.
pub const REDACTED: &str = "-redacted-";

/// Query parameters whose values are secrets (compared case-insensitively) when named exactly
/// so: short names that would match too much as parts of a longer one.
const SECRET_PARAMS: &[&str] = &["auth", "jwt", "key", "pwd", "sig"];

/// Query parameters whose values are secrets when their name holds one of these (compared
/// case-insensitively): `token` covers `access_token`, `private_token`, GitLab's `job_token`,
/// `X-Amz-Security-Token`; `signature` and `credential` the S3 / GCS presigned URLs.
const SECRET_PARAM_PARTS: &[&str] = &[
    "api_key",
    "api-key",
    "apikey",
    "credential",
    "passwd",
    "password",
    "secret",
    "signature",
    "token",
];

/// A URI cut into its parts without validation. Every part is a slice of the original.
struct Parts<'a> {
    /// What comes before the authority when it is not `scheme://` (`://`, `//`, `https:/`):
    /// read by [`split_for_redaction`] only, empty elsewhere.
    lead: &'a str,
    /// `https` in `https://…`; empty when there is no `://`.
    scheme: &'a str,
    userinfo: Option<&'a str>,
    /// Host and optional port.
    host_port: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn split(uri: &str) -> Parts<'_> {
    if let Some(found) = hidden_userinfo(uri) {
        return with_userinfo(found);
    }
    let (before_query, query, fragment) = split_query_fragment(uri);
    let (scheme, after_scheme) = match before_query.split_once("://") {
        Some((s, rest)) if !s.is_empty() && !s.contains('/') => (s, rest),
        // Not `scheme://`: treat a leading `user:pass@host` as an authority anyway, so that
        // redaction also covers text that is almost a URI.
        _ => ("", before_query),
    };
    let authority_end = after_scheme.find('/').unwrap_or(after_scheme.len());
    let (authority, path) = after_scheme.split_at(authority_end);
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if scheme.is_empty() && userinfo.is_none() {
        // No scheme and no credentials: everything before the query is a path.
        return Parts {
            lead: "",
            scheme,
            userinfo,
            host_port: "",
            path: before_query,
            query,
            fragment,
        };
    }
    Parts {
        lead: "",
        scheme,
        userinfo,
        host_port,
        path,
        query,
        fragment,
    }
}

/// `text` cut at its first `#` (the fragment) and, before that, its first `?` (the query).
fn split_query_fragment(text: &str) -> (&str, Option<&str>, Option<&str>) {
    let (before_fragment, fragment) = match text.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (text, None),
    };
    match before_fragment.split_once('?') {
        Some((a, q)) => (a, Some(q), fragment),
        None => (before_fragment, None, fragment),
    }
}

/// A userinfo whose password holds a raw `/`, `?` or `#` (a generated password often does,
/// and users paste it unencoded): `https://user:pa/ss@host/x.tgz`. Read by the RFC, its
/// authority would end at that character and its "port" would not be a number, so no HTTP
/// library can use the URI; but every message would show it, password and all. So when the
/// authority up to the first `/`, `?` or `#` has no `@` and a port that is not a number, and an
/// `@` follows, everything up to that `@` (the last one before the next `/`, `?` or `#`, as a
/// password may hold `@` too) is taken as the userinfo. Returns the scheme, the userinfo and
/// what follows the `@` (`host/x.tgz`), which has no `scheme://`.
///
/// A password of digits only up to its `/` (`user:12/34@host`) reads as a valid port: every
/// URL parser (RFC 3986's, WHATWG's, curl's, ureq's) takes that URI as host `user`, port 12,
/// path `/34@host`, and so does the fetch. Only redaction reads it the other way too, with
/// [`digit_port_userinfo`].
fn hidden_userinfo(uri: &str) -> Option<(&str, &str, &str)> {
    let (scheme, after) = scheme_and_rest(uri)?;
    let (userinfo, rest) = raw_userinfo(after)?;
    Some((scheme, userinfo, rest))
}

/// The scheme of `scheme://…` and what follows its `://`; `None` when there is no such scheme
/// (nothing, or a `/`, `?` or `#`, before the first `://`).
fn scheme_and_rest(uri: &str) -> Option<(&str, &str)> {
    let (scheme, after) = uri.split_once("://")?;
    if scheme.is_empty() || scheme.contains(['/', '?', '#']) {
        return None;
    }
    Some((scheme, after))
}

/// [`hidden_userinfo`] of what follows a `scheme://` (or stands without one): the userinfo
/// and what follows its `@`.
fn raw_userinfo(after: &str) -> Option<(&str, &str)> {
    userinfo_past_authority(after, PortShape::NotANumber)
}

/// The "port" an authority cut short by a raw `/`, `?` or `#` in a password shows.
#[derive(Clone, Copy, PartialEq)]
enum PortShape {
    /// `user:pa/ss@host`: no URL parser can read it ([`hidden_userinfo`]).
    NotANumber,
    /// `user:12/34@host`: every parser reads port 12 ([`digit_port_userinfo`]).
    Digits,
}

/// A userinfo that runs past the authority's first `/`, `?` or `#` up to an `@`, when the
/// authority has no `@`, is no IPv6 literal and has a port of `shape`; the userinfo and what
/// follows its `@` (the last one before the next delimiter, as a password may hold `@`).
fn userinfo_past_authority(after: &str, shape: PortShape) -> Option<(&str, &str)> {
    let is_delimiter = |c: char| matches!(c, '/' | '?' | '#');
    let authority_end = after.find(is_delimiter)?;
    let authority = &after[..authority_end];
    let (_, port) = authority.rsplit_once(':')?;
    let port_shape = if port.bytes().all(|b| b.is_ascii_digit()) {
        PortShape::Digits
    } else {
        PortShape::NotANumber
    };
    if authority.contains('@') || authority.starts_with('[') || port_shape != shape {
        return None;
    }
    let first_at = authority_end + after[authority_end..].find('@')?;
    // A valid URI with a port: not when the `@` starts a path segment or follows a query's
    // `=` or `&` (see digit_port_userinfo).
    let between = &after[authority_end..first_at];
    if shape == PortShape::Digits && (between.ends_with('/') || between.contains(['=', '&'])) {
        return None;
    }
    let host_end = after[first_at..]
        .find(is_delimiter)
        .map_or(after.len(), |i| first_at + i);
    let at = first_at + after[first_at..host_end].rfind('@').unwrap_or(0);
    Some((&after[..at], &after[at + 1..]))
}

/// What could be a password of digits up to a raw `/`, `?` or `#` (`user:12/34@host/x.tgz`),
/// for redaction only: the URI is a valid one for host `user`, port 12, and is fetched so, but
/// if its writer meant `user` and `12/34` as credentials, showing it as parsed shows the
/// password. So when the authority has a port of digits (or none after its `:`) and no `@`,
/// and an `@` follows in the path, query or fragment, the text up to it is taken as a userinfo,
/// as [`hidden_userinfo`] takes it. Not when that `@` starts a path segment (an npm scope,
/// `/@types/node`) or a `=` or `&` comes before it (a query's `?mail=a@b`): no password pasted
/// into a URI is likely to look so, and those URIs are common. A URI with both a port and a
/// version after an `@` (`https://host:8080/pkg@1.0/x.tgz`) is shown redacted, as if `1.0`
/// were its host: an odd message for that rare URI is the price of never showing a password.
fn digit_port_userinfo(uri: &str) -> Option<(&str, &str, &str)> {
    let (scheme, after) = scheme_and_rest(uri)?;
    let (userinfo, rest) = digit_userinfo(after)?;
    Some((scheme, userinfo, rest))
}

/// [`digit_port_userinfo`] of what follows a `scheme://` (or stands without one): the
/// userinfo and what follows its `@`.
fn digit_userinfo(after: &str) -> Option<(&str, &str)> {
    userinfo_past_authority(after, PortShape::Digits)
}

/// Whether `uri` could be `user:password@host` with a password of digits before a raw `/`,
/// `?` or `#` ([`digit_port_userinfo`]), which is fetched as host `user`, port `password…`.
pub(crate) fn password_read_as_port(uri: &str) -> bool {
    digit_port_userinfo(uri).is_some()
}

/// What a failure to connect to such a URI adds (with its `; `).
pub(crate) const PASSWORD_READ_AS_PORT: &str = "; as written, the URI names a host and port before its first `/`: if what comes before its `@` is a user and password, percent-encode each `/`, `?` and `#` in the password (%2F, %3F, %23)";

/// [`split`], reading a userinfo into a URI wherever it could be one ([`digit_port_userinfo`]),
/// for what is shown (`redact`) and scrubbed (`secrets`); never for what is fetched.
fn split_for_redaction(uri: &str) -> Parts<'_> {
    if let Some(found) = digit_port_userinfo(uri) {
        return with_userinfo(found);
    }
    let parts = split(uri);
    if parts.userinfo.is_some() || (!parts.scheme.is_empty() && !slash_too_many(uri)) {
        return parts;
    }
    schemeless_userinfo(uri).unwrap_or(parts)
}

/// Whether a URI of a network scheme has three slashes or more (`https:///user:pass@host`):
/// a typo WHATWG parsers forgive but `http::Uri` reads as no host, whose userinfo then stands
/// in the path. Not `file:///`, where the third slash starts the path.
fn slash_too_many(uri: &str) -> bool {
    uri.split_once(":///")
        .is_some_and(|(scheme, _)| !scheme.eq_ignore_ascii_case("file"))
}

/// A userinfo in text without a `scheme://`, which [`split`] reads as a path: after what stands
/// where `scheme://` should, but not quite (`://` with no scheme, as `${SCHEME}://user:pass@…`
/// with `SCHEME` unset; a scheme-relative `//`; `https:/`, a slash lost), or with a password
/// holding a raw `/`, `?` or `#` ([`raw_userinfo`]: `user:pa/ss@proxy:3128`, a proxy setting
/// written without its `http://`; [`digit_userinfo`] when the password is digits up to it). The text up to the slashes is the `lead`; what follows is
/// read as a URI without a scheme is (`user:pass@host/…`).
fn schemeless_userinfo(uri: &str) -> Option<Parts<'_>> {
    let lead = misspelled_scheme(uri);
    let rest = &uri[lead.len()..];
    if let Some((userinfo, after)) = raw_userinfo(rest).or_else(|| digit_userinfo(rest)) {
        return Some(Parts {
            lead,
            ..with_userinfo(("", userinfo, after))
        });
    }
    if lead.is_empty() {
        return None;
    }
    let parts = split(rest);
    if !parts.scheme.is_empty() || parts.userinfo.is_none_or(str::is_empty) {
        return None;
    }
    Some(Parts { lead, ..parts })
}

/// What stands where `scheme://` should, but not quite: a scheme and `:` followed by any
/// number of slashes (`://`, `https:/`), or two slashes or more (`//`); else empty.
fn misspelled_scheme(uri: &str) -> &str {
    let Some(first_slash) = uri.find('/') else {
        return "";
    };
    let before = &uri[..first_slash];
    let rest = uri[first_slash..].trim_start_matches('/');
    let scheme_like = before.ends_with(':') && !before.contains(['?', '#', '@']);
    if scheme_like || uri.starts_with("//") {
        &uri[..uri.len() - rest.len()]
    } else {
        ""
    }
}

/// The parts of a URI from its scheme, its userinfo and what follows the `@` (`host/x.tgz`).
fn with_userinfo<'a>((scheme, userinfo, rest): (&'a str, &'a str, &'a str)) -> Parts<'a> {
    let (before_query, query, fragment) = split_query_fragment(rest);
    let (host_port, path) =
        before_query.split_at(before_query.find('/').unwrap_or(before_query.len()));
    Parts {
        lead: "",
        scheme,
        userinfo: Some(userinfo),
        host_port,
        path,
        query,
        fragment,
    }
}

fn is_secret_param(name: &str) -> bool {
    let name = percent_decode_lossy(name).to_ascii_lowercase();
    SECRET_PARAMS.contains(&name.as_str())
        || SECRET_PARAM_PARTS.iter().any(|part| name.contains(part))
}

/// The URI with credentials replaced by `-redacted-`: `user:pass@` becomes
/// `-redacted-:-redacted-@` (libbuildpack's form), and the values of secret query parameters
/// (`token`, `X-Amz-Signature`, …), in the fragment too, become `-redacted-`. Everything else is kept, so the result
/// still tells the user which server and file were involved.
pub fn redact(uri: &str) -> String {
    let parts = split_for_redaction(uri);
    let mut out = String::with_capacity(uri.len());
    out.push_str(parts.lead);
    if !parts.scheme.is_empty() {
        out.push_str(parts.scheme);
        out.push_str("://");
    }
    if let Some(userinfo) = parts.userinfo {
        if userinfo.contains(':') {
            out.push_str(REDACTED);
            out.push(':');
            out.push_str(REDACTED);
        } else {
            out.push_str(REDACTED);
        }
        out.push('@');
    }
    out.push_str(parts.host_port);
    out.push_str(parts.path);
    if let Some(query) = parts.query {
        out.push('?');
        out.push_str(&redact_params(query));
    }
    if let Some(fragment) = parts.fragment {
        out.push('#');
        out.push_str(&redact_params(fragment));
    }
    out
}

/// A query, or a fragment written as one (`#access_token=…`, as an OAuth redirect hands a token
/// over), with the values of its secret parameters `-redacted-`.
fn redact_params(text: &str) -> String {
    let redacted: Vec<String> = text
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_param(name) => format!("{name}={REDACTED}"),
            _ => pair.to_string(),
        })
        .collect();
    redacted.join("&")
}

/// Every secret in a URI, raw and percent-decoded, so that text from elsewhere (an error from
/// the HTTP library, say) can be scrubbed of them with [`scrub`].
pub fn secrets(uri: &str) -> Vec<String> {
    let parts = split_for_redaction(uri);
    let mut found = Vec::new();
    if let Some(userinfo) = parts.userinfo {
        found.push(userinfo.to_string());
        for piece in userinfo.split(':') {
            found.push(piece.to_string());
            found.push(percent_decode_lossy(piece));
            // What a parser reads of a password with a raw `/` (`12` of `12/34`, the "port")
            // shows in its messages on its own.
            if piece.contains(['/', '?', '#']) {
                found.extend(piece.split(['/', '?', '#']).map(str::to_string));
            }
        }
    }
    for params in [parts.query, parts.fragment].into_iter().flatten() {
        for pair in params.split('&') {
            if let Some((name, value)) = pair.split_once('=')
                && is_secret_param(name)
            {
                found.push(value.to_string());
                found.push(percent_decode_lossy(value));
            }
        }
    }
    found.retain(|s| !s.is_empty());
    // Longest first, so that a secret containing a shorter one is replaced whole.
    found.sort_by_key(|s| std::cmp::Reverse(s.len()));
    found.dedup();
    found
}

/// Where the userinfo of `uri` (as [`redact`] reads it) ends: the index of its `@`, or `None`
/// without one. A mirror rule (`prefix=replacement`) splits at its first `=`, which must not be
/// one inside the prefix's password.
pub(crate) fn userinfo_end(uri: &str) -> Option<usize> {
    let parts = split_for_redaction(uri);
    let userinfo = parts.userinfo?;
    // The userinfo follows the lead, or `scheme://`, or starts the text.
    let scheme = if parts.scheme.is_empty() {
        0
    } else {
        parts.scheme.len() + "://".len()
    };
    Some(parts.lead.len() + scheme + userinfo.len())
}

/// Secrets shorter than this are replaced only where they stand alone (see [`scrub`]).
const SHORT_SECRET: usize = 4;

/// `text` with every occurrence of each secret replaced by `-redacted-`, in one pass from left
/// to right (longest secret first at each place), so that a secret is never looked for inside
/// a `-redacted-` already written. A short secret (a user `e`, a password `t`) is replaced only
/// where no letter or digit touches it: as `e:t@` in a URI it goes, but the `e`s and `t`s of
/// `connection refused` stay, which a plain replace turned into `conn-redac-redacted-ed-…`.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let alone = |at: usize, len: usize| {
        let before = text[..at].chars().next_back();
        let after = text[at + len..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    };
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let found = secrets.iter().find(|secret| {
            rest.starts_with(secret.as_str())
                && (secret.len() >= SHORT_SECRET || alone(at, secret.len()))
        });
        if let Some(secret) = found {
            out.push_str(REDACTED);
            at += secret.len();
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            at += c.len_utf8().max(1);
        }
    }
    out
}

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
    // Text without a `scheme://` is downloaded by no one, but its cache entry is locked (and
    // named in messages) before that is found: read it as `redact` does, so that a userinfo
    // after a misspelled scheme (`//user:pass@host`) never becomes the file's name.
    let parts = if parts.scheme.is_empty() {
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
        Some("file") => file_path(uri)
            .is_none()
            .then(|| FILE_URI_NEEDS_A_PATH.to_string()),
        Some("http" | "https") => match ureq::http::Uri::try_from(uri) {
            Ok(parsed) if parsed.host().is_some_and(|h| !h.is_empty()) => None,
            Ok(_) => Some("it names no host".to_string()),
            Err(e) => Some(not_a_valid_uri(&e)),
        },
        Some(_) => Some(UNSUPPORTED_SCHEME.to_string()),
        None => Some(no_scheme(uri)),
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

/// Why a URI of another scheme cannot be downloaded.
pub const UNSUPPORTED_SCHEME: &str = "only http://, https:// and file:// URIs are supported";

/// The part of a URI a mirror rule maps for a whole server: `scheme://host[:port]/`, without
/// any `user:password@` (`https://buildpacks.cloudfoundry.org/`); `None` without a host.
pub fn server_prefix(uri: &str) -> Option<String> {
    let parts = split(uri);
    (!parts.scheme.is_empty() && !parts.host_port.is_empty())
        .then(|| format!("{}://{}/", parts.scheme, parts.host_port))
}

/// The scheme of a URI, lowercased (`https`), or `None` when it has no `scheme://`.
pub fn scheme(uri: &str) -> Option<String> {
    let scheme = split(uri).scheme;
    (!scheme.is_empty()).then(|| scheme.to_ascii_lowercase())
}

/// The local path named by a `file://` URI (`file:///srv/x.tgz` or `file://localhost/srv/x.tgz`),
/// percent-decoded. `None` when the URI is not a `file://` URI with an absolute path.
pub fn file_path(uri: &str) -> Option<PathBuf> {
    let parts = split(uri);
    if !parts.scheme.eq_ignore_ascii_case("file") || parts.userinfo.is_some() {
        return None;
    }
    if !(parts.host_port.is_empty() || parts.host_port.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    if !parts.path.starts_with('/') {
        return None;
    }
    let bytes = percent_decode(parts.path);
    String::from_utf8(bytes).ok().map(PathBuf::from)
}

/// Host (lowercased, IPv6 without brackets) and port (explicit or the scheme's default).
pub fn host_port(uri: &str) -> Option<(String, Option<u16>)> {
    let parts = split(uri);
    if parts.host_port.is_empty() {
        return None;
    }
    let default_port = match parts.scheme.to_ascii_lowercase().as_str() {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    };
    let (host, port) = split_host_port(parts.host_port);
    Some((host.to_ascii_lowercase(), port.or(default_port)))
}

/// `host:port`, `[v6]:port`, `host`, `[v6]` → host and explicit port.
pub(crate) fn split_host_port(text: &str) -> (&str, Option<u16>) {
    if let Some(rest) = text.strip_prefix('[') {
        return match rest.split_once(']') {
            Some((host, tail)) => (host, tail.strip_prefix(':').and_then(|p| p.parse().ok())),
            None => (text, None),
        };
    }
    match text.rsplit_once(':') {
        // A bare IPv6 address has several colons and no port.
        Some((host, port)) if !host.contains(':') => match port.parse() {
            Ok(port) => (host, Some(port)),
            Err(_) => (text, None),
        },
        _ => (text, None),
    }
}

/// Basic credentials taken out of a URI's `user:pass@`, percent-decoded.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(-redacted-)")
    }
}

impl Credentials {
    /// The value of an `Authorization` header.
    pub fn basic_header(&self) -> String {
        format!(
            "Basic {}",
            base64(format!("{}:{}", self.user, self.password).as_bytes())
        )
    }
}

/// The URI without `user:pass@`, and the credentials that were there. The HTTP library would
/// not turn them into an `Authorization` header (as Go's client does), so the client does it.
pub(crate) fn take_credentials(uri: &str) -> (String, Option<Credentials>) {
    let parts = split(uri);
    let Some(userinfo) = parts.userinfo.filter(|_| !parts.scheme.is_empty()) else {
        return (uri.to_string(), None);
    };
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    let credentials = Credentials {
        user: percent_decode_lossy(user),
        password: percent_decode_lossy(password),
    };
    // Rebuild without the userinfo: the host starts right after `scheme://userinfo@`.
    let host_start = parts.scheme.len() + "://".len() + userinfo.len() + 1;
    let stripped = format!("{}://{}", parts.scheme, &uri[host_start..]);
    (stripped, Some(credentials))
}

/// Whether the credentials written for `from` go along a redirect to `to`: to the same origin
/// (scheme, host and port, a default port written or not), and from `http://host` up to
/// `https://host`, both on their default ports, the usual "we moved to https" redirect. The
/// credentials already crossed the network in the clear to that server, so sending them to it
/// again inside TLS reveals nothing new, while dropping them turns the download into a 401.
/// Python's requests, aiohttp and httpx keep them on this upgrade, and Go's client keeps an
/// `Authorization` header across schemes on one host; curl, since its fix of CVE-2022-27774,
/// drops them on any change of scheme or port. Never to another host or port (not even a
/// subdomain), never from https down to http: a redirect there could be anyone's.
pub(crate) fn keeps_credentials(from: &str, to: &str) -> bool {
    let (Some((from_host, from_port)), Some((to_host, to_port))) = (host_port(from), host_port(to))
    else {
        return false;
    };
    if from_host != to_host {
        return false;
    }
    match (scheme(from).as_deref(), scheme(to).as_deref()) {
        (Some(a), Some(b)) if a == b => from_port == to_port,
        (Some("http"), Some("https")) => from_port == Some(80) && to_port == Some(443),
        _ => false,
    }
}

/// `scheme://host:port` of a URI exactly as written (no `user:pass@`), as git names a server
/// to its credential helpers.
pub(crate) fn origin_as_written(uri: &str) -> String {
    let parts = split(uri);
    format!("{}://{}", parts.scheme, parts.host_port)
}

/// Resolve a redirect's `Location` against the URI that answered it (RFC 3986 in the forms
/// servers actually send: absolute, scheme-relative `//host/p`, absolute path, relative path).
pub(crate) fn resolve(base: &str, location: &str) -> String {
    let location = location.trim();
    if scheme(location).is_some() {
        return location.to_string();
    }
    let parts = split(base);
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{}://{rest}", parts.scheme);
    }
    let authority = match parts.userinfo {
        Some(u) => format!("{u}@{}", parts.host_port),
        None => parts.host_port.to_string(),
    };
    if location.starts_with('/') {
        return format!("{}://{authority}{location}", parts.scheme);
    }
    if location.starts_with('?') {
        return format!("{}://{authority}{}{location}", parts.scheme, parts.path);
    }
    let dir = match parts.path.rfind('/') {
        Some(i) => &parts.path[..=i],
        None => "/",
    };
    format!("{}://{authority}{dir}{location}", parts.scheme)
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| (*b as char).to_digit(16)),
                bytes.get(i + 2).and_then(|b| (*b as char).to_digit(16)),
            )
        {
            // Two hex digits are at most 255.
            out.push(u8::try_from(h * 16 + l).unwrap_or_default());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn percent_decode_lossy(text: &str) -> String {
    String::from_utf8_lossy(&percent_decode(text)).into_owned()
}

/// Standard base64 with padding, for Basic credentials (a few bytes; not worth a crate).
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_userinfo_like_libbuildpack() {
        assert_eq!(
            redact("https://user:s3cret@host:8080/a/x.tgz"),
            "https://-redacted-:-redacted-@host:8080/a/x.tgz"
        );
        assert_eq!(
            redact("https://tok3n@github.com/x.tgz"),
            "https://-redacted-@github.com/x.tgz"
        );
        assert_eq!(redact("https://host/x.tgz"), "https://host/x.tgz");
        // A password containing `@` is still wholly redacted (the last `@` ends the userinfo).
        assert_eq!(
            redact("https://u:p@ss@host/x"),
            "https://-redacted-:-redacted-@host/x"
        );
        // Not quite a URI, still redacted.
        assert_eq!(redact("u:pw@host/x"), "-redacted-:-redacted-@host/x");
    }

    /// Where `scheme://` is missing or misspelled (`://` after an unset `${SCHEME}`, a
    /// scheme-relative `//`, a lost slash in `https:/`), the userinfo after it is still one:
    /// shown redacted, and its secrets scrubbed. These were shown whole, password and all.
    #[test]
    fn redacts_userinfo_after_a_missing_or_misspelled_scheme() {
        for (uri, shown) in [
            ("://u:p@h/x", "://-redacted-:-redacted-@h/x"),
            (
                "//u:p@h/x?token=t",
                "//-redacted-:-redacted-@h/x?token=-redacted-",
            ),
            ("https:/u:p@h/x", "https:/-redacted-:-redacted-@h/x"),
            ("HTTPS:/tok3n@h/x#f", "HTTPS:/-redacted-@h/x#f"),
            ("https:///u:p@h/x", "https:///-redacted-:-redacted-@h/x"),
            (
                "://u:p@ss@[::1]:8443",
                "://-redacted-:-redacted-@[::1]:8443",
            ),
        ] {
            assert_eq!(redact(uri), shown, "{uri}");
            let found = secrets(uri);
            assert!(
                found
                    .iter()
                    .any(|s| s == "p" || s == "tok3n" || s == "p@ss"),
                "{uri}: {found:?}"
            );
            assert!(!scrub(&format!("cannot fetch {uri}"), &found).contains(":p"));
        }
        // Paths and URIs with no userinfo there are left alone.
        for uri in [
            "/srv/deps/pkg@1.0/x.tgz",
            "vendor/node@1.0/x.tgz",
            "file:///u:p@h/x",
            "/@scope/x.tgz",
            "//host/pkg@1.0/x.tgz",
            "file:/srv/x.tgz",
            "://h/x",
            "a?b:/u:p@h",
            "//@h/x",
        ] {
            assert_eq!(redact(uri), uri);
            assert!(secrets(uri).is_empty(), "{uri}");
        }
    }

    /// A password with a raw `/`, `?` or `#` in text without a `scheme://` (a proxy setting
    /// written `user:pa/ss@proxy:3128`, a mirror's side missing its `https://`) was shown
    /// whole: the host part read up to that character has no `@`.
    #[test]
    fn redacts_a_raw_slash_password_without_a_scheme() {
        for (uri, shown) in [
            (
                "usr:Px/Secret@127.0.0.1:9",
                "-redacted-:-redacted-@127.0.0.1:9",
            ),
            (
                "usr:Px#Sec@ret@proxy:3128/",
                "-redacted-:-redacted-@proxy:3128/",
            ),
            (
                "usr:Px?Secret@h/x?token=t",
                "-redacted-:-redacted-@h/x?token=-redacted-",
            ),
            ("//usr:Px/Secret@h/x", "//-redacted-:-redacted-@h/x"),
            (
                "https:/usr:Px/Secret@h/x",
                "https:/-redacted-:-redacted-@h/x",
            ),
        ] {
            assert_eq!(redact(uri), shown, "{uri}");
            let found = secrets(uri);
            assert!(
                found.iter().any(|s| s.starts_with("Px")),
                "{uri}: {found:?}"
            );
            let text = format!("Unsupported proxy syntax in '{uri}'");
            assert!(!scrub(&text, &found).contains("Secret"), "{uri}");
        }
        // Digits up to the raw character: no URI without a scheme names a port, so they are
        // a password, unless the `@` starts a segment (`/@scope/`) or follows a `=` or `&`.
        for (uri, shown) in [
            (
                "usr:1234/5678@proxy:3128",
                "-redacted-:-redacted-@proxy:3128",
            ),
            ("//usr:12?34@h/x", "//-redacted-:-redacted-@h/x"),
        ] {
            assert_eq!(redact(uri), shown, "{uri}");
            assert!(secrets(uri).iter().any(|s| s.starts_with("12")), "{uri}");
        }
        for uri in [
            "dir/x:1/a@b",
            "deps/x.tgz",
            "h:8080/@scope/x",
            "h:8080/x?mail=a@b",
        ] {
            assert_eq!(redact(uri), uri);
        }
    }

    /// The cases of the audit of "credentials never shown": each is redacted whole.
    #[test]
    fn redacts_userinfo_of_every_shape() {
        for (uri, shown) in [
            ("u:p@h/x.tgz", "-redacted-:-redacted-@h/x.tgz"),
            ("https://u:p%40ss@h/x", "https://-redacted-:-redacted-@h/x"),
            ("https://u:p@ss@h/x", "https://-redacted-:-redacted-@h/x"),
            ("https://u:p:w@h/x", "https://-redacted-:-redacted-@h/x"),
            (
                "https://u:p@[::1]:8080/x",
                "https://-redacted-:-redacted-@[::1]:8080/x",
            ),
            (
                "https://u:p@[fe80::1]",
                "https://-redacted-:-redacted-@[fe80::1]",
            ),
            ("https://u:p@h", "https://-redacted-:-redacted-@h"),
            ("https://u:p@h#frag", "https://-redacted-:-redacted-@h#frag"),
            (
                "https://u:p@h/x#f@g",
                "https://-redacted-:-redacted-@h/x#f@g",
            ),
            ("HTTPS://u:p@h/x", "HTTPS://-redacted-:-redacted-@h/x"),
            ("HtTp://u:p@h?x=1", "HtTp://-redacted-:-redacted-@h?x=1"),
        ] {
            assert_eq!(redact(uri), shown, "{uri}");
        }
        let found = secrets("https://u:p%40ss:w@h/x");
        for want in ["p%40ss", "p@ss", "w", "u:p%40ss:w"] {
            assert!(found.iter().any(|s| s == want), "{want}: {found:?}");
        }
    }

    #[test]
    fn redacts_passwords_with_raw_slashes_question_marks_and_hashes() {
        for (uri, shown) in [
            (
                "https://user:pa/ss@host/x.tgz",
                "https://-redacted-:-redacted-@host/x.tgz",
            ),
            (
                "https://user:p#ss@host:8443/x.tgz?v=1",
                "https://-redacted-:-redacted-@host:8443/x.tgz?v=1",
            ),
            (
                "http://user:p?s/s@s@host/a@b/x.tgz",
                "http://-redacted-:-redacted-@host/a@b/x.tgz",
            ),
            (
                "https://user:a/b@host",
                "https://-redacted-:-redacted-@host",
            ),
        ] {
            assert_eq!(redact(uri), shown, "{uri}");
        }
        let found = secrets("https://user:pa/ss@host/x.tgz");
        assert!(found.iter().any(|s| s == "pa/ss"), "{found:?}");
        assert_eq!(basename("https://user:pa/ss@host/x.tgz"), "x.tgz");
        assert_eq!(
            server_prefix("https://user:pa/ss@host/x.tgz").as_deref(),
            Some("https://host/")
        );
        // `@` in a path after a host without a port, or after a userinfo, stays a path.
        for uri in [
            "https://host/pkg@1.0/x.tgz",
            "https://[::1]:80/a@b",
            "https://u@host:99/a@b",
        ] {
            let shown = redact(uri);
            assert!(
                shown.ends_with("/a@b") || shown.ends_with("pkg@1.0/x.tgz"),
                "{uri}: {shown}"
            );
            assert_eq!(
                redact(uri).contains("-redacted-"),
                uri.contains("u@"),
                "{uri}"
            );
        }
    }

    /// `user:12/34@host`: a URL parser reads host `user`, port 12, path `/34@host/x.tgz` (a
    /// valid URI, fetched so), but its writer may have meant the password `12/34`; shown or
    /// scrubbed, it is taken as credentials. An `@` that starts a path segment (an npm scope)
    /// or follows a query's `=` or `&` is left alone.
    #[test]
    fn redacts_what_could_be_a_password_of_digits_before_a_raw_slash() {
        for (uri, shown) in [
            (
                "https://user:12/34@host/x.tgz",
                "https://-redacted-:-redacted-@host/x.tgz",
            ),
            (
                "https://user:12/34@host:8443/x.tgz?token=t#f",
                "https://-redacted-:-redacted-@host:8443/x.tgz?token=-redacted-#f",
            ),
            (
                "http://user:12?34@host/x.tgz",
                "http://-redacted-:-redacted-@host/x.tgz",
            ),
            (
                "http://user:12#3/4@5@host/x",
                "http://-redacted-:-redacted-@host/x",
            ),
            (
                "http://user:/12@host/x",
                "http://-redacted-:-redacted-@host/x",
            ),
            (
                "https://host:8080/pkg@1.0/x.tgz",
                "https://-redacted-:-redacted-@1.0/x.tgz",
            ),
        ] {
            assert_eq!(redact(uri), shown, "{uri}");
        }
        let found = secrets("https://user:12/34@host/x.tgz");
        for want in ["12/34", "user"] {
            assert!(found.iter().any(|s| s == want), "{want}: {found:?}");
        }
        let text = "Could not connect to https://user:12/34@host/x.tgz (user:12)";
        assert_eq!(
            scrub(text, &found),
            "Could not connect to https://-redacted-@host/x.tgz (-redacted-:-redacted-)"
        );
        for uri in [
            "https://registry.example:8443/npm/@types/node/-/node-1.tgz",
            "https://host:8443/x.tgz?mail=a@b.example",
            "https://host:8443/x.tgz?v=1&a@b",
            "https://[::1]:8443/a@b",
            "https://host:8443/x.tgz",
        ] {
            assert_eq!(redact(uri), uri);
            assert!(secrets(uri).is_empty(), "{uri}");
        }
        // Fetched as every parser reads it: no credentials taken, host `user`.
        assert_eq!(take_credentials("https://user:12/34@host/x").1, None);
        assert_eq!(
            host_port("https://user:12/34@host/x"),
            Some(("user".to_string(), Some(12)))
        );
    }

    #[test]
    fn redacts_secret_query_parameters() {
        assert_eq!(
            redact(
                "https://b.s3.amazonaws.com/x.tgz?X-Amz-Credential=AK%2F1&X-Amz-Signature=abc&v=1#frag"
            ),
            "https://b.s3.amazonaws.com/x.tgz?X-Amz-Credential=-redacted-&X-Amz-Signature=-redacted-&v=1#frag"
        );
        assert_eq!(
            redact("https://h/x?token=t0k&name=a"),
            "https://h/x?token=-redacted-&name=a"
        );
        // Any name with a secret word in it: GitLab's job token, an OAuth refresh token.
        assert_eq!(
            redact("https://h/x?job_token=j0b&Refresh_Token=r&X-Api-Key=k&keyring=main&sig=s"),
            "https://h/x?job_token=-redacted-&Refresh_Token=-redacted-&X-Api-Key=-redacted-&keyring=main&sig=-redacted-"
        );
    }

    /// A fragment written as a query (`#access_token=…`, what an OAuth redirect hands over,
    /// pasted whole) has its secret values redacted too; a git ref after `#` stays.
    #[test]
    fn redacts_secret_parameters_in_the_fragment() {
        assert_eq!(
            redact("https://h/x.tgz#access_token=Fr4g&state=1"),
            "https://h/x.tgz#access_token=-redacted-&state=1"
        );
        assert_eq!(
            redact("https://h/x?v=1#sig=Fr4g"),
            "https://h/x?v=1#sig=-redacted-"
        );
        assert!(
            secrets("https://h/x#token=Fr4g")
                .iter()
                .any(|s| s == "Fr4g")
        );
        assert_eq!(redact("https://h/r.git#v1.2=3"), "https://h/r.git#v1.2=3");
    }

    #[test]
    fn a_password_of_digits_before_a_raw_slash_reads_as_a_port() {
        // The connection error then says how to write such a password.
        assert!(password_read_as_port("https://user:12/34@host/x.tgz"));
        assert!(!password_read_as_port("https://host:8443/x.tgz"));
        assert!(!password_read_as_port("https://user:12%2F34@host/x.tgz"));
        assert!(!password_read_as_port("https://host:8443/@scope/x.tgz"));
    }

    #[test]
    fn where_the_userinfo_ends() {
        for (uri, end) in [
            ("https://u:p=w@h/=https://m/", Some(13)),
            ("//u:p@h/x", Some(5)),
            ("u:p/w@h", Some(5)),
            ("https://user:12/34@host/x", Some(18)),
            ("https://h/=https://u:p@m/", None),
        ] {
            assert_eq!(userinfo_end(uri), end, "{uri}");
            if let Some(end) = end {
                assert_eq!(&uri[end..=end], "@", "{uri}");
            }
        }
    }

    #[test]
    fn secrets_and_scrub() {
        let s = secrets("https://us%65r:p%40ss@h/x?sig=zz9&a=b");
        for want in ["us%65r", "user", "p%40ss", "p@ss", "zz9"] {
            assert!(s.iter().any(|x| x == want), "{want} missing from {s:?}");
        }
        assert_eq!(
            scrub("bad uri: https://user:p@ss@h/x", &s),
            "bad uri: https://-redacted-:-redacted-@h/x"
        );
        assert!(secrets("https://h/x.tgz").is_empty());
    }

    #[test]
    fn short_secrets_are_scrubbed_where_they_stand_alone_only() {
        let s = secrets("http://e:t@h/x.tgz");
        assert_eq!(
            scrub("http://e:t@h/x.tgz: connection refused", &s),
            "http://-redacted-@h/x.tgz: connection refused"
        );
        assert_eq!(
            scrub("user e, password t: not accepted", &s),
            "user -redacted-, password -redacted-: not accepted"
        );
        // A longer secret is scrubbed anywhere, and `-redacted-` itself is never scrubbed again.
        let s = secrets("http://admin:d@h/x");
        assert_eq!(
            scrub("user admin rejected; sysadmins d", &s),
            "user -redacted- rejected; sys-redacted-s -redacted-"
        );
    }

    /// The `SHORT_SECRET` boundary: a secret of four characters is already long enough to be
    /// scrubbed inside a word; one of three is not.
    #[test]
    fn four_character_secrets_are_scrubbed_anywhere() {
        let s = secrets("http://user:abc@h/x");
        assert_eq!(
            scrub("superuser abc abcdef", &s),
            "super-redacted- -redacted- abcdef"
        );
    }

    /// A bracketed IPv6 host without a port has a `:` that is no port, followed by an `@` in
    /// the path: that is not a hidden password, and nothing may be redacted. Nor is a `://`
    /// with no scheme before it, or one inside a path, the start of a hidden userinfo.
    #[test]
    fn hidden_userinfo_needs_a_scheme_and_a_host_that_is_not_ipv6() {
        for uri in [
            "https://[::1]/pkg@1.0/x.tgz",
            "https://[fe80::1%25eth0]/a@b",
        ] {
            assert_eq!(redact(uri), uri);
            assert!(secrets(uri).is_empty(), "{uri}");
        }
        assert_eq!(hidden_userinfo("://user:pa/ss@host/x"), None);
        assert_eq!(hidden_userinfo("a/b://user:pa/ss@host/x"), None);
        assert_eq!(
            hidden_userinfo("https://user:pa/ss@host/x"),
            Some(("https", "user:pa/ss", "host/x"))
        );
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
    fn file_uris_to_paths() {
        assert_eq!(
            file_path("file:///srv/b/x%20y.tgz"),
            Some(PathBuf::from("/srv/b/x y.tgz"))
        );
        assert_eq!(
            file_path("file://localhost/srv/x.tgz"),
            Some(PathBuf::from("/srv/x.tgz"))
        );
        assert_eq!(file_path("file://otherhost/srv/x.tgz"), None);
        assert_eq!(file_path("https://h/x.tgz"), None);
        assert_eq!(file_path("file:relative/x.tgz"), None);
        // A file URI has no user, and another scheme is no file URI even without a host.
        assert_eq!(file_path("file://u@/srv/x.tgz"), None);
        assert_eq!(file_path("https:///srv/x.tgz"), None);
    }

    #[test]
    fn host_and_port() {
        assert_eq!(
            host_port("https://U:P@Example.COM/x"),
            Some(("example.com".to_string(), Some(443)))
        );
        assert_eq!(
            host_port("http://[::1]:8080/x"),
            Some(("::1".to_string(), Some(8080)))
        );
        assert_eq!(
            host_port("http://10.1.2.3/x"),
            Some(("10.1.2.3".to_string(), Some(80)))
        );
    }

    #[test]
    fn credentials_become_a_header() {
        let (uri, _) = take_credentials("https://h:open%20sesame@h:1/x?y=1");
        assert_eq!(uri, "https://h:1/x?y=1");
        let (uri, creds) = take_credentials("https://Aladdin:open%20sesame@h:1/x?y=1");
        assert_eq!(uri, "https://h:1/x?y=1");
        let creds = creds.unwrap();
        assert_eq!(creds.password, "open sesame");
        assert_eq!(creds.basic_header(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(take_credentials("https://h/x").1, None);
        assert_eq!(format!("{creds:?}"), "Credentials(-redacted-)");
    }

    #[test]
    fn base64_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }

    #[test]
    fn resolves_locations() {
        let base = "https://h:1/a/b/x.tgz?q=1";
        assert_eq!(resolve(base, "https://o/y"), "https://o/y");
        assert_eq!(resolve(base, "//o/y"), "https://o/y");
        assert_eq!(resolve(base, "/y"), "https://h:1/y");
        assert_eq!(resolve(base, "y.tgz"), "https://h:1/a/b/y.tgz");
        assert_eq!(resolve(base, "?z=2"), "https://h:1/a/b/x.tgz?z=2");
    }

    #[test]
    fn resolves_locations_keeping_userinfo_and_trimming() {
        assert_eq!(resolve("https://u:p@h/a/b", " /y "), "https://u:p@h/y");
        assert_eq!(resolve("https://u:p@h/a/b", "c"), "https://u:p@h/a/c");
        // A base without a path resolves a relative location from the root.
        assert_eq!(resolve("https://h", "y.tgz"), "https://h/y.tgz");
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

    #[test]
    fn servers_schemes_and_origins() {
        assert_eq!(
            server_prefix("https://u:p@h:8443/x").as_deref(),
            Some("https://h:8443/")
        );
        assert_eq!(server_prefix("/srv/x.tgz"), None);
        assert_eq!(server_prefix("file:///srv/x.tgz"), None);
        assert_eq!(scheme("HTTPS://h/x").as_deref(), Some("https"));
        assert_eq!(scheme("h/x"), None);
        // A `://` after a `/` is inside a path, not after a scheme.
        assert_eq!(scheme("/srv/a://b.tgz"), None);
        assert_eq!(server_prefix("dir/a://h/x.tgz"), None);
        assert_eq!(
            origin_as_written("https://u:p@H:8443/x?y"),
            "https://H:8443"
        );
        assert_eq!(host_port("ftp://h/x"), Some(("h".to_string(), None)));
        assert_eq!(host_port("/srv/x.tgz"), None);
    }

    #[test]
    fn splits_host_and_port() {
        assert_eq!(split_host_port("h:8080"), ("h", Some(8080)));
        assert_eq!(split_host_port("h"), ("h", None));
        assert_eq!(split_host_port("h:x"), ("h:x", None));
        assert_eq!(split_host_port("[::1]"), ("::1", None));
        assert_eq!(split_host_port("[::1]:x"), ("::1", None));
        assert_eq!(split_host_port("[::1]:443"), ("::1", Some(443)));
        assert_eq!(split_host_port("::1"), ("::1", None));
        assert_eq!(split_host_port("[::1"), ("[::1", None));
    }

    /// Credentials follow a redirect on the same origin, and up from http to https on the same
    /// host with both default ports; not to another host or port, nor down to http.
    #[test]
    fn credentials_follow_same_origin_and_https_upgrades_only() {
        for (from, to, keeps) in [
            ("http://h/a", "http://h/b", true),
            ("http://h/a", "http://H:80/b", true),
            ("https://h:8443/a", "https://h:8443/b", true),
            ("http://h/a", "https://h/a", true),
            ("http://h:80/a", "HTTPS://h:443/a", true),
            ("http://[::1]/a", "https://[::1]/a", true),
            ("https://h/a", "http://h/a", false),
            ("http://h/a", "https://other/a", false),
            ("http://h/a", "https://h.evil/a", false),
            ("http://h/a", "https://sub.h/a", false),
            ("http://h:8080/a", "https://h/a", false),
            ("http://h/a", "https://h:8443/a", false),
            ("http://h:8080/a", "http://h:8081/a", false),
            ("http://h/a", "ftp://h/a", false),
        ] {
            assert_eq!(keeps_credentials(from, to), keeps, "{from} -> {to}");
        }
    }
}
