//! Credentials written in a URI (`user:pass@`): taken out of it into a Basic `Authorization`
//! header, since the HTTP library does not send them, never shown by `Debug`, and kept along a
//! redirect only where they were meant to go.

use super::parts::{percent_decode_lossy, split};
use super::resolve::{host_port, scheme};

/// Basic credentials taken out of a URI's `user:pass@`, percent-decoded.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
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
pub fn take_credentials(uri: &str) -> (String, Option<Credentials>) {
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
