//! A URI cut into its parts as the fetch reads it, without validation: scheme, userinfo,
//! host and port, path, query and fragment, each a slice of the original text. A password
//! holding a raw `/`, `?` or `#` (which no URL parser can read) is still taken as one, and one
//! of digits up to it (which every parser reads as a port) can be, for redaction only. Also
//! percent-decoding, which the other files use on the parts.

/// A URI cut into its parts without validation. Every part is a slice of the original.
pub(super) struct Parts<'a> {
    /// What comes before the authority when it is not `scheme://` (`://`, `//`, `https:/`):
    /// read by [`split_for_redaction`] only, empty elsewhere.
    ///
    /// [`split_for_redaction`]: super::redact::split_for_redaction
    pub(super) lead: &'a str,
    /// `https` in `https://…`; empty when there is no `://`.
    pub(super) scheme: &'a str,
    pub(super) userinfo: Option<&'a str>,
    /// Host and optional port.
    pub(super) host_port: &'a str,
    pub(super) path: &'a str,
    pub(super) query: Option<&'a str>,
    pub(super) fragment: Option<&'a str>,
}

pub(super) fn split(uri: &str) -> Parts<'_> {
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

/// The parts of a URI from its scheme, its userinfo and what follows the `@` (`host/x.tgz`).
pub(super) fn with_userinfo<'a>(
    (scheme, userinfo, rest): (&'a str, &'a str, &'a str),
) -> Parts<'a> {
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
pub(super) fn raw_userinfo(after: &str) -> Option<(&str, &str)> {
    userinfo_past_authority(after, PortShape::NotANumber)
}

/// What could be a password of digits up to a raw `/`, `?` or `#` (`user:12/34@host/x.tgz`),
/// for redaction only: the URI is a valid one for host `user`, port 12, and is fetched so, but
/// if its writer meant `user` and `12/34` as credentials, showing it as parsed shows the
/// password. So when the authority has a port of digits (or none after its `:`) and no `@`,
/// and an `@` follows in the path, query or fragment, the text up to it is taken as a userinfo,
/// as [`hidden_userinfo`] takes it. Not when that `@` starts a path segment (an npm scope,
/// `/@types/node`) or a `=` or `&` comes before it (a query's `?mail=a@b`): no password pasted
/// into a URI is likely to look so, and those URIs are common. Nor when what would be the host
/// after that `@` is a version ([`is_version`]: `https://host:8080/pkg@1.0/x.tgz`, once shown
/// as `https://-redacted-:-redacted-@1.0/x.tgz`): no host is named so. A URI with a port and a
/// word after an `@` in its path (`https://host:8080/pkg@latest/x.tgz`) is still shown
/// redacted, as if `latest` were its host: an odd message for that rare URI is the price of
/// never showing a password.
pub(super) fn digit_port_userinfo(uri: &str) -> Option<(&str, &str, &str)> {
    let (scheme, after) = scheme_and_rest(uri)?;
    let (userinfo, rest) = digit_userinfo(after)?;
    Some((scheme, userinfo, rest))
}

/// [`digit_port_userinfo`] of what follows a `scheme://` (or stands without one): the
/// userinfo and what follows its `@`.
pub(super) fn digit_userinfo(after: &str) -> Option<(&str, &str)> {
    userinfo_past_authority(after, PortShape::Digits)
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
    if shape == PortShape::Digits && is_version(&after[at + 1..host_end]) {
        return None;
    }
    Some((&after[..at], &after[at + 1..]))
}

/// Whether `host` (what follows the `@` of a possible userinfo, up to the next `/`, `?` or
/// `#`) is a version rather than a host (`1.0`, `2.3.4-rc1` of `pkg@2.3.4-rc1/x.tgz`): dotted,
/// its last part starting with a digit, and not an IPv4 address (four parts of digits). No
/// host name ends so: a top-level domain starts with a letter (RFC 3696, section 2). The
/// bootstrap's `at_version` (bin/bpkit) reads it alike.
fn is_version(host: &str) -> bool {
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let labels: Vec<&str> = host.split('.').collect();
    let last_starts_with_digit = labels
        .last()
        .and_then(|label| label.bytes().next())
        .is_some_and(|b| b.is_ascii_digit());
    let ipv4 = labels.len() == 4
        && labels
            .iter()
            .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()));
    labels.len() > 1 && last_starts_with_digit && !ipv4
}

pub(super) fn percent_decode(text: &str) -> Vec<u8> {
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

/// `bytes` with every byte that is not ASCII alphanumeric or in `keep` written as `%XX`
/// (uppercase hex, as RFC 3986 prefers). The one encoder: a `file://` URL of a path, an HTTP
/// request target and a character in a packaging message's fix each choose what to keep.
pub(crate) fn percent_encode(bytes: &[u8], keep: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut encoded = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

pub(super) fn percent_decode_lossy(text: &str) -> String {
    String::from_utf8_lossy(&percent_decode(text)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::uri::{redact, secrets};

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
}
