//! Go's `net/url` as the builder and the launcher use it for `DATABASE_URL`: `url.Parse` a
//! service's `credentials.uri`, change the scheme, and write it back with `URL.String()`. What
//! comes out is not always the text that went in, and an app reads the variable as it is:
//! - the scheme is lower-cased (`PostgreSQL://` is `postgres://`);
//! - the user name and password are unescaped then escaped again, so a `!`, `*`, `(`, `)` or
//!   `'` in a password becomes `%21`, `%2A`… (`$&+,;=` stay as they are);
//! - the host and path are written back escaped where they need it (`db name` is `db%20name`);
//! - an empty fragment (`…/db#`) is dropped.
//!
//! A URI that `url.Parse` refuses (a control character, a character a user name or host may
//! not hold, a port that is not digits, a `%` not followed by two hex digits) gives no
//! `DATABASE_URL` from that service. Query strings and opaque URIs (`scheme:text`) are written
//! back as they were, as Go writes them.

use std::fmt::Write as _;

/// Go's `encoding` modes of `net/url` that matter here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    UserPassword,
    Fragment,
}

/// `uri` as `url.Parse` then `String()` write it, with its scheme lower-cased and split off:
/// `(scheme, everything after the scheme's colon)`. `None` when `url.Parse` refuses it or it
/// has no scheme.
pub fn parse_and_write(uri: &str) -> Option<(String, String)> {
    if uri.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return None;
    }
    // Parse cuts the fragment off first, then the scheme, then the query.
    let (uri, fragment) = match uri.split_once('#') {
        Some((uri, fragment)) => (uri, Some(fragment)),
        None => (uri, None),
    };
    let (scheme, rest) = scheme(uri)?;
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    let mut out = String::new();
    if let Some(after) = rest.strip_prefix("//") {
        let (authority, path) = after.find('/').map_or((after, ""), |i| after.split_at(i));
        // `String()` writes the `//` only before something: `postgres://?x` is `postgres:?x`.
        if !authority.is_empty() || !path.is_empty() {
            out.push_str("//");
        }
        out.push_str(&authority_written(authority)?);
        out.push_str(&path_written(path)?);
    } else if rest.starts_with('/') {
        // No authority: Go keeps it omitted (`OmitHost`).
        out.push_str(&path_written(rest)?);
    } else {
        // Opaque: written back as it was.
        out.push_str(rest);
    }
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        out.push('#');
        out.push_str(&written(fragment, Mode::Fragment)?);
    }
    Some((scheme.to_ascii_lowercase(), out))
}

/// Go's `getScheme`: letters, then letters, digits, `+`, `-` or `.`, then `:`.
fn scheme(uri: &str) -> Option<(&str, &str)> {
    let end = uri.find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))?;
    if end == 0 || !uri[end..].starts_with(':') || !uri.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    Some((&uri[..end], &uri[end + 1..]))
}

/// `parseAuthority`, then the authority as `String()` writes it.
fn authority_written(authority: &str) -> Option<String> {
    let (userinfo, host) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let mut out = String::new();
    if let Some(userinfo) = userinfo {
        if !userinfo
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c))
        {
            return None;
        }
        match userinfo.split_once(':') {
            Some((user, password)) => {
                out.push_str(&escape(
                    &unescape(user, Mode::UserPassword)?,
                    Mode::UserPassword,
                ));
                out.push(':');
                out.push_str(&escape(
                    &unescape(password, Mode::UserPassword)?,
                    Mode::UserPassword,
                ));
            }
            None => {
                out.push_str(&escape(
                    &unescape(userinfo, Mode::UserPassword)?,
                    Mode::UserPassword,
                ));
            }
        }
        out.push('@');
    }
    out.push_str(&escape(&host_unescaped(host)?, Mode::Host));
    Some(out)
}

/// Go's `parseHost`: a port must be digits (an IPv6 literal in brackets before it).
fn host_unescaped(host: &str) -> Option<Vec<u8>> {
    let port = if host.starts_with('[') {
        &host[host.rfind(']')? + 1..]
    } else {
        host.rfind(':').map_or("", |i| &host[i..])
    };
    let valid_port =
        port.is_empty() || (port.starts_with(':') && port[1..].bytes().all(|b| b.is_ascii_digit()));
    if !valid_port {
        return None;
    }
    unescape(host, Mode::Host)
}

/// The path as `EscapedPath()` writes it.
fn path_written(path: &str) -> Option<String> {
    written(path, Mode::Path)
}

/// Go keeps the text as written when it is validly encoded, else escapes what it unescaped.
fn written(text: &str, mode: Mode) -> Option<String> {
    let unescaped = unescape(text, mode)?;
    if valid_encoded(text, mode) {
        Some(text.to_string())
    } else {
        Some(escape(&unescaped, mode))
    }
}

/// Go's `shouldEscape`.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if mode == Mode::Host && b"!$&'()*+,;=:[]<>\"".contains(&c) {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => c == b'?',
            Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => false,
            Mode::Host => true,
        },
        b'!' | b'(' | b')' | b'*' if mode == Mode::Fragment => false,
        _ => true,
    }
}

/// Go's `unescape`: `%XX` decoded; a `%` without two hex digits is an error, and in a host
/// an escaped ASCII byte other than `%25`, or an ASCII byte that would need escaping, is too.
fn unescape(text: &str, mode: Mode) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            if mode == Mode::Host && value < 0x80 && hex != b"25" {
                return None;
            }
            out.push(value);
            i += 3;
        } else {
            if mode == Mode::Host && b < 0x80 && should_escape(b, mode) {
                return None;
            }
            out.push(b);
            i += 1;
        }
    }
    Some(out)
}

/// Go's `escape`: `%XX`, upper-case, for every byte that should be escaped.
fn escape(bytes: &[u8], mode: Mode) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if should_escape(b, mode) {
            let _ = write!(out, "%{b:02X}");
        } else {
            out.push(char::from(b));
        }
    }
    out
}

/// Go's `validEncoded`: text that needs no escaping as it is.
fn valid_encoded(text: &str, mode: Mode) -> bool {
    text.bytes()
        .all(|b| b"!$&'()*+,;=:@[]%".contains(&b) || !should_escape(b, mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(uri: &str) -> Option<String> {
        parse_and_write(uri).map(|(scheme, rest)| format!("{scheme}:{rest}"))
    }

    #[test]
    fn plain_uris_come_back_unchanged() {
        for uri in [
            "postgres://user:pass@db.example.com:5432/name?sslmode=require",
            "mysql://u:p%40ss@h/d",
            "postgres:///db",
            "postgres:/db",
            "postgres:opaque-text",
            "postgres://[::1]:5432/db",
            "postgres://u:$&+,;=@h/d",
            "postgres://h/db#frag",
        ] {
            assert_eq!(written(uri).as_deref(), Some(uri), "{uri}");
        }
    }

    #[test]
    fn go_rewrites_what_it_escapes_differently() {
        assert_eq!(written("PostgreSQL://h/d").unwrap(), "postgresql://h/d");
        assert_eq!(
            written("postgres://u:p!ss*(x)'@h/d").unwrap(),
            "postgres://u:p%21ss%2A%28x%29%27@h/d"
        );
        assert_eq!(
            written("postgres://u:a@b@h/d").unwrap(),
            "postgres://u:a%40b@h/d"
        );
        assert_eq!(
            written("postgres://h/db name").unwrap(),
            "postgres://h/db%20name"
        );
        assert_eq!(
            written("postgres://hôst/d").unwrap(),
            "postgres://h%C3%B4st/d"
        );
        assert_eq!(written("postgres://h/d#").unwrap(), "postgres://h/d");
        // An empty authority and path: Go writes no `//` (its `String()` writes it only when
        // a host, a user or a path follows).
        assert_eq!(written("postgres://").unwrap(), "postgres:");
        assert_eq!(written("postgres://?x=1").unwrap(), "postgres:?x=1");
        assert_eq!(written("postgres://#f").unwrap(), "postgres:#f");
        assert_eq!(written("postgres://@").unwrap(), "postgres://@");
        // A host may hold an escaped `%` or non-ASCII byte, and no other escaped byte.
        assert_eq!(
            written("postgres://h%80x%25/d").unwrap(),
            "postgres://h%80x%25/d"
        );
        assert_eq!(written("postgres://h%7Fx/d"), None);
        // `À` is C3 80: its byte 0x80 is no ASCII byte a host must not hold.
        assert_eq!(written("postgres://À/d").unwrap(), "postgres://%C3%80/d");
        // A path already validly escaped is kept as written, even where Go would escape it
        // otherwise (`%41` is `A`, `!` would be `%21`).
        assert_eq!(
            written("postgres://h/%41!b%2f").unwrap(),
            "postgres://h/%41!b%2f"
        );
        // In a fragment, `!`, `(`, `)` and `*` need no escaping, where a path escapes them.
        assert_eq!(written("postgres://h/d#x*y").unwrap(), "postgres://h/d#x*y");
        assert_eq!(
            written("postgres://h/d#a b(*)!").unwrap(),
            "postgres://h/d#a%20b(*)!"
        );
        assert_eq!(
            written("postgres://h/a b(*)!").unwrap(),
            "postgres://h/a%20b%28%2A%29%21"
        );
    }

    #[test]
    fn what_url_parse_refuses_is_none() {
        for uri in [
            "postgres://u:p^ss@h/d",
            "postgres://u:p ss@h/d",
            "postgres://h:port/d",
            "postgres://h/%zz",
            "postgres://h%41/d",
            "postgres://h|x/d",
            "postgres://[::1/d",
            "postgres://h/d\u{1}",
            "://h/d",
            "1x://h/d",
            "no scheme",
        ] {
            assert_eq!(written(uri), None, "{uri}");
        }
    }
}
