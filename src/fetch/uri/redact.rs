//! Finding and hiding credentials: [`redact`] for what is shown, [`secrets`] and [`scrub`] for
//! text from elsewhere (an error from the HTTP library) that may quote a URI. Both read a URI
//! more widely than the fetch does: a userinfo after a missing or misspelled scheme, or before
//! a password of digits up to a raw `/` (which the fetch reads as a port), is taken as
//! credentials, so that a password is never shown whichever way its writer meant the URI.

use super::parts::{
    Parts, digit_port_userinfo, digit_userinfo, percent_decode_lossy, raw_userinfo, split,
    with_userinfo,
};

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

/// [`split`], reading a userinfo into a URI wherever it could be one ([`digit_port_userinfo`]),
/// for what is shown (`redact`) and scrubbed (`secrets`); never for what is fetched.
pub(super) fn split_for_redaction(uri: &str) -> Parts<'_> {
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
pub(super) fn slash_too_many(uri: &str) -> bool {
    uri.split_once(":///")
        .is_some_and(|(scheme, _)| !scheme.eq_ignore_ascii_case("file"))
}

/// A userinfo in text without a `scheme://`, which [`split`] reads as a path: after what stands
/// where `scheme://` should, but not quite (`://` with no scheme, as `${SCHEME}://user:pass@…`
/// with `SCHEME` unset; a scheme-relative `//`; `https:/`, a slash lost), or with a password
/// holding a raw `/`, `?` or `#` ([`raw_userinfo`]: `user:pa/ss@proxy:3128`, a proxy setting
/// written without its `http://`; [`digit_userinfo`] when the password is digits up to it).
/// The text up to the slashes is the `lead`; what follows is read as a URI without a scheme
/// (`user:pass@host/…`).
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

/// Whether `uri` could be `user:password@host` with a password of digits before a raw `/`,
/// `?` or `#` (`digit_port_userinfo` in `parts.rs`), which is fetched as host `user`, port
/// `password…`: `redact` and `secrets` read it both ways.
pub fn password_read_as_port(uri: &str) -> bool {
    digit_port_userinfo(uri).is_some()
}

/// What a failure to connect to such a URI adds (with its `; `).
pub(crate) const PASSWORD_READ_AS_PORT: &str = "; as written, the URI names a host and port before its first `/`: if what comes before its `@` is a user and password, percent-encode each `/`, `?` and `#` in the password (%2F, %3F, %23)";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::uri::{basename, host_port, server_prefix, take_credentials};

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
            // A word after the `@` could be a host: the URI reads both ways.
            (
                "https://host:8080/pkg@latest/x.tgz",
                "https://-redacted-:-redacted-@latest/x.tgz",
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

    /// An `@` in the path after a port, followed by a version (`pkg@1.0`), is a path: no host
    /// is named so. Such URIs were shown as `https://-redacted-:-redacted-@1.0/x.tgz`, as if
    /// `host` and `8080/pkg` were a user and password. With or without a scheme, and with one
    /// misspelled; a password of digits before a raw `/` is still hidden wherever a host (an
    /// IPv4 address too) follows its `@`.
    #[test]
    fn an_at_before_a_version_in_the_path_is_not_a_userinfo() {
        for uri in [
            "https://host:8080/pkg@1.0/x.tgz",
            "https://host:8080/pkg@1.0",
            "http://host:8080/a/pkg@2.3.4-rc1/x.tgz?v=1#f",
            "https://host:8080/pkg@1.0:80/x",
            "https://host:8080/pkg@1.2.3.4.5/x",
            "host:8080/pkg@1.0",
            "host:8080/pkg@1.0/x.tgz",
            "//host:8080/pkg@1.0/x.tgz",
            "https:/host:8080/pkg@1.0/x.tgz",
            "://host:8080/pkg@1.0",
        ] {
            assert_eq!(redact(uri), uri);
            assert!(secrets(uri).is_empty(), "{uri}: {:?}", secrets(uri));
            assert_eq!(userinfo_end(uri), None, "{uri}");
        }
        for (uri, shown) in [
            (
                "https://user:12/34@10.0.0.1/x.tgz",
                "https://-redacted-:-redacted-@10.0.0.1/x.tgz",
            ),
            (
                "https://user:12/34@10.0.0.1:8080/x.tgz",
                "https://-redacted-:-redacted-@10.0.0.1:8080/x.tgz",
            ),
            (
                "https://user:12/34@host/pkg@1.0/x.tgz",
                "https://-redacted-:-redacted-@host/pkg@1.0/x.tgz",
            ),
            (
                "https://user:12/34@host.example/x.tgz",
                "https://-redacted-:-redacted-@host.example/x.tgz",
            ),
            ("user:12/34@host:8443", "-redacted-:-redacted-@host:8443"),
            (
                "//user:12/34@h.example/x",
                "//-redacted-:-redacted-@h.example/x",
            ),
            // A password with a raw `/` that is not digits is never a port: hidden whatever
            // follows.
            (
                "https://user:pa/ss@1.0/x",
                "https://-redacted-:-redacted-@1.0/x",
            ),
            ("user:pa/ss@1.0/x", "-redacted-:-redacted-@1.0/x"),
            // A plain userinfo is one before anything.
            (
                "https://u:p@host:8080/pkg@1.0/x",
                "https://-redacted-:-redacted-@host:8080/pkg@1.0/x",
            ),
        ] {
            assert_eq!(redact(uri), shown, "{uri}");
            let found = secrets(uri);
            assert!(
                found
                    .iter()
                    .any(|s| s == "12/34" || s == "pa/ss" || s == "p"),
                "{uri}: {found:?}"
            );
        }
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
}
