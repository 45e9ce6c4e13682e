//! What a URI names, as the fetch reads it: its scheme, host and port, the server prefix a
//! mirror rule maps, its origin as written, the local path of a `file://` URI, and the URI a
//! redirect's `Location` leads to.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use super::parts::{percent_decode, percent_encode, split};

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
    // A path is bytes: one that is not UTF-8 (`%FF`, as [`file_uri`] writes it) names its file.
    Some(PathBuf::from(OsString::from_vec(percent_decode(
        parts.path,
    ))))
}

/// The `file://` URL of an absolute `path`, the inverse of [`file_path`]: every byte but RFC
/// 3986's unreserved ones (`A-Z a-z 0-9 - . _ ~`) and the `/` between folders percent-encoded,
/// so a space, a `#` or `?` (which would end the URL's path), a `%` (`openjdk_11.0.32%2B11….tgz`,
/// a cached file named after its URI as written, which a reader would decode to a `+`), a `,`
/// or `=` (which split `BPKIT_MIRRORS` rules, as `bpkit init`'s ci.sh encodes them) and bytes
/// that are not UTF-8 reach whoever reads the URL as the path's own bytes.
pub fn file_uri(path: &Path) -> String {
    format!(
        "file://{}",
        percent_encode(path.as_os_str().as_bytes(), b"-._~/")
    )
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

/// `scheme://host:port` of a URI exactly as written (no `user:pass@`), as git names a server
/// to its credential helpers.
pub(crate) fn origin_as_written(uri: &str) -> String {
    let parts = split(uri);
    format!("{}://{}", parts.scheme, parts.host_port)
}

/// Resolve a redirect's `Location` against the URI that answered it (RFC 3986 in the forms
/// servers actually send: absolute, scheme-relative `//host/p`, absolute path, relative path).
/// The path of a reference without a scheme loses its `.` and `..` segments (§5.2.2): sent
/// on as written (`GET /dots/a/../../ok/x.tgz`), a server that does not clean paths itself
/// served another file, or none, where curl -L and Go's `url.ResolveReference` (libbuildpack's)
/// ask for `/ok/x.tgz`.
pub(crate) fn resolve(base: &str, location: &str) -> String {
    let location = location.trim();
    // Any `scheme:` makes a reference absolute (RFC 3986 §4.3), `//` or not: `javascript:x`,
    // `file:/etc/passwd` and `mailto:x` were taken as relative paths on the same server.
    if scheme(location).is_some() || has_scheme(location) {
        return location.to_string();
    }
    let parts = split(base);
    if let Some(rest) = location.strip_prefix("//") {
        let path_start = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(path_start);
        return format!("{}://{authority}{}", parts.scheme, without_dots(path));
    }
    let authority = match parts.userinfo {
        Some(u) => format!("{u}@{}", parts.host_port),
        None => parts.host_port.to_string(),
    };
    if location.starts_with('/') {
        return format!("{}://{authority}{}", parts.scheme, without_dots(location));
    }
    if location.starts_with('?') {
        return format!("{}://{authority}{}{location}", parts.scheme, parts.path);
    }
    // §5.2.3's merge: the base's path up to its last `/`, or `/` for a base without a path.
    let dir = match parts.path.rfind('/') {
        Some(i) => &parts.path[..=i],
        None => "/",
    };
    format!(
        "{}://{authority}{}",
        parts.scheme,
        without_dots(&format!("{dir}{location}"))
    )
}

/// A reference's path without its dot segments, its query and fragment kept as written (a
/// `/../` there is data, not a path).
fn without_dots(reference: &str) -> String {
    let path_end = reference.find(['?', '#']).unwrap_or(reference.len());
    let (path, rest) = reference.split_at(path_end);
    format!("{}{rest}", remove_dot_segments(path))
}

/// RFC 3986 §5.2.4, step by step: `/a/b/../c/./d` → `/a/c/d`; a `..` above the root stays at
/// the root (`/../g` → `/g`, §5.4.2), as browsers, curl and Go read it.
fn remove_dot_segments(path: &str) -> String {
    // Drop the last segment of `output` and its `/` (the whole of it without one).
    fn pop(output: &mut String) {
        let cut = output.rfind('/').unwrap_or(0);
        output.truncate(cut);
    }
    let mut input = path;
    let mut output = String::with_capacity(path.len());
    while !input.is_empty() {
        if let Some(rest) = input
            .strip_prefix("../")
            .or_else(|| input.strip_prefix("./"))
        {
            input = rest;
        } else if input.starts_with("/./") {
            input = &input[2..];
        } else if input == "/." {
            input = "/";
        } else if input.starts_with("/../") {
            input = &input[3..];
            pop(&mut output);
        } else if input == "/.." {
            input = "/";
            pop(&mut output);
        } else if input == "." || input == ".." {
            input = "";
        } else {
            let lead = usize::from(input.starts_with('/'));
            let end = input[lead..].find('/').map_or(input.len(), |i| i + lead);
            output.push_str(&input[..end]);
            input = &input[end..];
        }
    }
    output
}

/// Whether `reference` starts with an RFC 3986 scheme and its `:` (`ALPHA *( ALPHA / DIGIT /
/// "+" / "-" / "." ) ":"`); a relative path with a `:` in its first segment is written `./a:b`.
fn has_scheme(reference: &str) -> bool {
    reference.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    })
}

/// A `Location` header's bytes as URI text: what a URI cannot hold as it is (a space, a byte
/// that is not ASCII, `"` `<` `>` `\` `^` `` ` `` `{` `|` `}`, control characters) is
/// percent-encoded, as Go's client and curl send it on, where ureq refused the header (not
/// ASCII: the 3xx was reported as the answer) or the `http` crate refused the URI (a space:
/// blamed on the manifest's `uri`, with a fix for it). What is already encoded stays.
pub(crate) fn location_text(bytes: &[u8]) -> String {
    percent_encode(bytes.trim_ascii(), b"-._~:/?#[]@!$&'()*+,;=%")
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn paths_to_file_uris_and_back() {
        let odd = Path::new(std::ffi::OsStr::from_bytes(
            b"/srv/a b#c?d%2B,e=f\xff/openjdk_11.0.32%2B11~x-y_z.tgz",
        ));
        let uri = file_uri(odd);
        assert_eq!(
            uri,
            "file:///srv/a%20b%23c%3Fd%252B%2Ce%3Df%FF/openjdk_11.0.32%252B11~x-y_z.tgz"
        );
        assert_eq!(file_path(&uri).as_deref(), Some(odd));
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
        // A scheme without `//` is still a scheme: never a path on the same server.
        for absolute in [
            "javascript:alert(1)",
            "file:/etc/passwd",
            "mailto:a@b",
            "ftp:x",
        ] {
            assert_eq!(resolve("https://h/a/b", absolute), absolute);
        }
        assert_eq!(resolve("https://h/a/b", "./a:b"), "https://h/a/a:b");
        assert_eq!(resolve("https://h/a/b", "1a:b"), "https://h/a/1a:b");
        assert_eq!(
            location_text(b" /x y\xe9%20\"{}.tgz?a=b#c "),
            "/x%20y%E9%20%22%7B%7D.tgz?a=b#c"
        );
    }

    /// RFC 3986 §5.4's examples that a redirect's `Location` can be (not `#s` or the empty
    /// reference, which name the base itself), normal and abnormal, against its base.
    #[test]
    fn resolves_the_rfc_3986_examples() {
        let base = "http://a/b/c/d;p?q";
        for (reference, target) in [
            // §5.4.1, normal.
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("g#s", "http://a/b/c/g#s"),
            ("g?y#s", "http://a/b/c/g?y#s"),
            (";x", "http://a/b/c/;x"),
            ("g;x", "http://a/b/c/g;x"),
            ("g;x?y#s", "http://a/b/c/g;x?y#s"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../", "http://a/"),
            ("../../g", "http://a/g"),
            // §5.4.2, abnormal.
            ("../../../g", "http://a/g"),
            ("../../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            (".g", "http://a/b/c/.g"),
            ("g..", "http://a/b/c/g.."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("./g/.", "http://a/b/c/g/"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"),
            ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
            ("g;x=1/../y", "http://a/b/c/y"),
            ("g?y/./x", "http://a/b/c/g?y/./x"),
            ("g?y/../x", "http://a/b/c/g?y/../x"),
            ("g#s/./x", "http://a/b/c/g#s/./x"),
            ("g#s/../x", "http://a/b/c/g#s/../x"),
            // A strict parser's reading: a scheme is a scheme.
            ("http:g", "http:g"),
        ] {
            assert_eq!(resolve(base, reference), target, "{reference}");
        }
        // The audit's case, and a scheme-relative one with dots.
        assert_eq!(
            resolve("http://h:1/dots/a/x.tgz", "../../ok/x.tgz"),
            "http://h:1/ok/x.tgz"
        );
        assert_eq!(resolve("https://h/a", "//o/p/../y"), "https://o/y");
        assert_eq!(resolve("https://h/a", "//o?q"), "https://o?q");
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
}
