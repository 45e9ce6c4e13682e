//! Failures in words: a ureq error before the answer, a broken body read, or an answer that is
//! not 2xx, each turned into a [`FetchError`] with the proxy it went through, the timeout's
//! setting, or the fix for a refused login; every cause text scrubbed of secrets.

use std::io;
use std::time::Duration;

use ureq::http::StatusCode;

use super::Client;
use crate::fetch::config::{self, CONNECT_TIMEOUT_ENV, READ_TIMEOUT_ENV};
use crate::fetch::error::{FetchError, TLS_CA_FIX, TLS_PLAIN_HTTP_FIX};
use crate::fetch::forward::ForwardError;
use crate::fetch::uri;

/// A TLS failure in words. rustls reads the first bytes of an answer that is not TLS (a plain
/// HTTP server's `HTTP/1.0 400 …` to the client's hello) as a record of an invalid content
/// type: then the fix is the scheme, not a certificate authority.
fn tls_error(uri: String, cause: String) -> FetchError {
    if cause.contains("InvalidContentType") {
        FetchError::Tls {
            uri,
            cause: format!("the server did not answer in TLS ({cause})"),
            fix: TLS_PLAIN_HTTP_FIX,
        }
    } else {
        FetchError::Tls {
            uri,
            cause,
            fix: TLS_CA_FIX,
        }
    }
}

impl Client {
    /// A failure of the request for `current` (on the way to `uri`, shown as `shown`), which
    /// a redirect led to when `redirected`: then the error names `current` (the host that
    /// failed, its proxy variable and scheme), said to be reached from `shown`. Naming `shown`
    /// alone blamed a server that had answered, and sent the user to mirror the wrong host.
    pub(super) fn call_error(
        &self,
        (shown, uri): (&str, &str),
        current: &str,
        redirected: bool,
        error: ureq::Error,
        secrets: &[String],
    ) -> FetchError {
        if redirected {
            let target = uri::scrub(&uri::redact(current), secrets);
            return self
                .hop_error(&target, current, error, secrets)
                .after_redirect(shown);
        }
        let mut error = self.hop_error(shown, current, error, secrets);
        // `user:12/34@host` went to host `user`, port 12, as every parser reads it.
        if let FetchError::CannotConnect { cause, .. } = &mut error
            && uri::password_read_as_port(uri)
        {
            cause.push_str(uri::PASSWORD_READ_AS_PORT);
        }
        error
    }

    /// A failure of the request for `current`, shown as `shown`.
    fn hop_error(
        &self,
        shown: &str,
        current: &str,
        error: ureq::Error,
        secrets: &[String],
    ) -> FetchError {
        let proxy = self.proxies.select(current);
        if let (Some(proxy), Some(variable)) = (proxy, self.proxies.variable_for(current))
            && let Some((socks, cause)) = not_its_protocol(&error, proxy, current)
        {
            return FetchError::ProxyProtocol {
                uri: shown.to_string(),
                proxy: uri::scrub(&uri::redact(proxy), secrets),
                variable,
                socks,
                cause: uri::scrub(&cause, secrets),
            };
        }
        self.request_error(shown, current, proxy, error, secrets)
    }

    /// [`status_fix`] for an answer to the request for `current`, with or without a proxy
    /// that has credentials of its own.
    pub(super) fn credentials_fix(
        &self,
        status: StatusCode,
        current: &str,
        written: bool,
        sent: bool,
    ) -> String {
        let proxy = self.proxies.select(current);
        if let (407, Some(proxy)) = (status.as_u16(), proxy) {
            // The proxy and the variable it came from, named: of several set (http_proxy,
            // HTTPS_PROXY, all_proxy) the user could not tell which one to correct.
            let variable = self
                .proxies
                .variable_for(current)
                .unwrap_or("the proxy variable");
            let shown = uri::redact(proxy);
            return if uri::take_credentials(proxy).1.is_some() {
                format!(
                    "; the proxy {shown} ({variable}) refused the user and password of its URI: correct them in {variable}"
                )
            } else {
                format!(
                    "; the proxy {shown} ({variable}) wants a user and password: write them into {variable} as http://user:password@proxy:3128"
                )
            };
        }
        if status.as_u16() == 407 {
            // No proxy variable covers this URI (or it is loopback, never proxied), yet
            // something asked for a proxy's login: a proxy that intercepts the connection, or
            // a server that answers as one. Telling the user to correct a proxy variable they
            // never set sent them looking for one.
            let variable = if current.starts_with("https:") {
                "https_proxy"
            } else {
                "http_proxy"
            };
            return format!(
                "; no proxy variable covers this URI, so a proxy that intercepts connections (or the server itself) asked for a login: set {variable}=http://user:password@proxy:3128 if your network has such a proxy, else ask the server's owner"
            );
        }
        status_fix(status, written, sent).to_string()
    }

    /// A failure before the response headers arrived; `proxy` is the proxy the request for
    /// `current` went through, if any (a connection that fails is then the proxy's, and the
    /// message says so).
    fn request_error(
        &self,
        shown: &str,
        current: &str,
        proxy: Option<&str>,
        error: ureq::Error,
        secrets: &[String],
    ) -> FetchError {
        let uri = shown.to_string();
        let scrubbed = |text: String| uri::scrub(&text, secrets);
        // The variable that chose the proxy is named too: with several set (`all_proxy` and
        // `https_proxy`), it is the one to correct. None for a connection made directly.
        let through = proxy.and(self.proxies.variable_for(current));
        let via_proxy = |cause: String| match proxy {
            Some(proxy) => format!(
                "{cause} (through the proxy {}{})",
                uri::redact(proxy),
                through.map(|v| format!(", from {v}")).unwrap_or_default()
            ),
            None => cause,
        };
        // Silence before the answer's head, through a proxy, may be the proxy's (one that
        // takes the connection and never answers, or never answers a CONNECT): it is named, as
        // a connection it refused is, where the message blamed the server alone.
        let timed_out_via_proxy = |error: FetchError| match error {
            FetchError::Timeout { uri, what, env } => FetchError::Timeout {
                uri,
                what: via_proxy(what),
                env,
            },
            other => other,
        };
        match error {
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
                self.connect_timeout_error(uri, proxy.zip(through), secrets)
            }
            ureq::Error::Timeout(ureq::Timeout::RecvResponse) => {
                timed_out_via_proxy(self.head_timeout_error(uri))
            }
            ureq::Error::Timeout(_) => timed_out_via_proxy(self.read_timeout_error(uri, None)),
            ureq::Error::Io(e) if is_timeout(&e) => {
                timed_out_via_proxy(self.read_timeout_error(uri, None))
            }
            // ureq's rustls transport reports handshake failures (unknown issuer, expired or
            // wrong-host certificates) as I/O errors of kind InvalidData; before any response
            // byte, that is what InvalidData means. Not worth retrying.
            ureq::Error::Io(e) if e.kind() == io::ErrorKind::InvalidData => {
                tls_error(uri, scrubbed(e.to_string()))
            }
            ureq::Error::Io(e) => FetchError::CannotConnect {
                uri,
                cause: via_proxy(scrubbed(describe_io(&e))),
                through,
            },
            ureq::Error::HostNotFound => FetchError::CannotConnect {
                uri,
                cause: via_proxy("the host name could not be resolved".into()),
                through,
            },
            ureq::Error::ConnectProxyFailed(reason) => FetchError::CannotConnect {
                uri,
                cause: scrubbed(format!("the proxy refused the connection ({reason})")),
                through,
            },
            ureq::Error::Tls(reason) => tls_error(uri, reason.to_string()),
            ureq::Error::Rustls(e) => tls_error(uri, scrubbed(e.to_string())),
            ureq::Error::Pem(e) => tls_error(uri, scrubbed(e.to_string())),
            ureq::Error::Protocol(e) => FetchError::BadResponse {
                uri,
                cause: scrubbed(e.to_string()),
            },
            ureq::Error::BadUri(reason) => FetchError::BadUri {
                uri,
                reason: scrubbed(format!("it is not a valid URI ({reason})")),
            },
            // The `http` crate refusing to parse the URI (`http://[::1/x`, a space in the
            // path): nothing was sent, and asking again cannot help, so not a connection error.
            ureq::Error::Http(e) => FetchError::BadUri {
                uri,
                reason: scrubbed(uri::not_a_valid_uri(&e)),
            },
            // The server answered, with a head too long to read: not a connection problem
            // (which is retried, and sent the user to check the network and proxies).
            ureq::Error::LargeResponseHeader(_, limit) => FetchError::BadResponse {
                uri,
                cause: format!("its header is longer than the {limit} bytes bpkit reads"),
            },
            other => FetchError::CannotConnect {
                uri,
                cause: scrubbed(other.to_string()),
                through,
            },
        }
    }

    /// Connecting (through `proxy` and the variable that set it, if any) took longer than the
    /// connect timeout. The proxy is named: a `socks5://` setting for an HTTP proxy is met only
    /// here when the proxy waits in silence for a request line that the SOCKS greeting never
    /// ends, so that case gets its fix too.
    fn connect_timeout_error(
        &self,
        uri: String,
        proxy: Option<(&str, &'static str)>,
        secrets: &[String],
    ) -> FetchError {
        let through = match proxy {
            Some((proxy, variable)) => {
                let socks = uri::scheme(proxy).is_some_and(|s| s.starts_with("socks"));
                format!(
                    " through the proxy {} ({variable}{})",
                    uri::scrub(&uri::redact(proxy), secrets),
                    if socks {
                        "; if that is an HTTP proxy, write its URI with http://"
                    } else {
                        ""
                    }
                )
            }
            None => String::new(),
        };
        FetchError::Timeout {
            uri,
            what: format!(
                "could not connect within {}{through}",
                config::show_secs(self.connect_timeout)
            ),
            env: CONNECT_TIMEOUT_ENV,
        }
    }

    /// No byte within the read timeout. In the body, `progress` is how far it got (bytes here,
    /// and the whole length when the server announced one), so that a mirror that stalls
    /// half-way (`after 4096 of 100000 bytes`) is told from one slow to start (`after 0 of …`).
    fn read_timeout_error(&self, uri: String, progress: Option<(u64, Option<u64>)>) -> FetchError {
        let after = match progress {
            Some((got, Some(expected))) => format!(" after {got} of {expected} bytes"),
            Some((got, None)) => format!(" after {got} bytes"),
            None => String::new(),
        };
        FetchError::Timeout {
            uri,
            what: format!(
                "no data for {}{after}",
                config::show_secs(self.read_timeout)
            ),
            env: READ_TIMEOUT_ENV,
        }
    }

    /// The head (status line and headers) not whole within the read timeout: a server that
    /// sent nothing, or one that sent it too slowly, a few bytes at a time.
    fn head_timeout_error(&self, uri: String) -> FetchError {
        FetchError::Timeout {
            uri,
            what: format!(
                "the server's answer did not come whole (status line and headers) within {}",
                config::show_secs(self.read_timeout)
            ),
            env: READ_TIMEOUT_ENV,
        }
    }

    /// A failure while reading the body, after `got` bytes.
    pub fn body_error(
        &self,
        shown: &str,
        error: io::Error,
        got: u64,
        expected: Option<u64>,
    ) -> FetchError {
        let uri = shown.to_string();
        let progress = Some((got, expected));
        if is_timeout(&error) {
            return self.read_timeout_error(uri, progress);
        }
        let secrets = &self.proxy_secrets;
        // A timeout, of its own or as ureq's error inside, was taken above.
        match ureq::Error::from(error) {
            ureq::Error::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                FetchError::Truncated {
                    uri,
                    got,
                    expected,
                    cause: String::new(),
                }
            }
            ureq::Error::Io(e) => FetchError::Truncated {
                uri,
                got,
                expected,
                cause: uri::scrub(&describe_io(&e), secrets),
            },
            other => FetchError::Truncated {
                uri,
                got,
                expected,
                cause: uri::scrub(&other.to_string(), secrets),
            },
        }
    }
}

/// Whether the proxy of a request to `current` answered in another protocol than its scheme
/// names (SOCKS: `true`), and the HTTP library's words for the answer. An `http://` target's
/// answer through an HTTP proxy (`proxy` without a SOCKS scheme) is the proxy's (it answers for the target, and an HTTP proxy
/// turns a target's bad answer into a 502), so an answer that is not HTTP is the proxy's too;
/// the other cases are found by the proxy agents' connector (`ForwardError::NotItsProtocol`).
fn not_its_protocol(error: &ureq::Error, proxy: &str, current: &str) -> Option<(bool, String)> {
    let http_proxy = !uri::scheme(proxy).is_some_and(|s| s.starts_with("socks"));
    match error {
        ureq::Error::Io(e) => match e.get_ref()?.downcast_ref::<ForwardError>()? {
            ForwardError::NotItsProtocol { socks, cause } => Some((*socks, cause.clone())),
            _ => None,
        },
        ureq::Error::Protocol(e)
            if http_proxy && uri::scheme(current).as_deref() == Some("http") =>
        {
            Some((false, e.to_string()))
        }
        _ => None,
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    ) || e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>())
        .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_)))
}

/// An I/O error in words (without the `(os error 111)` noise for the common ones).
fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".into(),
        io::ErrorKind::ConnectionReset => "the connection was reset".into(),
        io::ErrorKind::ConnectionAborted => "the connection was aborted".into(),
        io::ErrorKind::NotConnected | io::ErrorKind::BrokenPipe => {
            "the connection was closed".into()
        }
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            "the host is unreachable".into()
        }
        // ureq's words are "Peer disconnected": the server took the connection and closed it
        // before its answer's head was whole (overloaded, or not an HTTP server).
        io::ErrorKind::UnexpectedEof => {
            "the server closed the connection before it answered".into()
        }
        _ => e.to_string(),
    }
}

pub(super) fn status_error(
    shown: &str,
    (status, retry_after): (StatusCode, Option<Duration>),
    original: &str,
    current: &str,
    secrets: &[String],
) -> FetchError {
    let (original_stripped, _) = uri::take_credentials(original);
    let redirected = if current == original_stripped {
        String::new()
    } else {
        format!(
            " (after a redirect to {})",
            uri::scrub(&uri::redact(current), secrets)
        )
    };
    FetchError::HttpStatus {
        uri: shown.to_string(),
        status: status.as_u16(),
        // A code HTTP defines no reason for (`999`) printed `999 .`.
        reason: status
            .canonical_reason()
            .unwrap_or("(a code HTTP defines no meaning for)")
            .to_string(),
        redirected,
        fix: String::new(),
        retry_after,
    }
}

/// What to do about an answer whose cause is the request's credentials (with its `; `), or
/// nothing: the user and password of a URI (`written` in it; `sent` with this request, which a
/// redirect to another server leaves out). An air-gapped site's mirror behind a login answers
/// 401, and the bare status named no fix. A proxy's 407 is [`Client::credentials_fix`]'s.
fn status_fix(status: StatusCode, written: bool, sent: bool) -> &'static str {
    match (status.as_u16(), sent) {
        (401, false) if written => {
            "; the URI's user and password were not sent after its redirect to another server, port or scheme: point the URI at the file's final location"
        }
        (401, true) => {
            "; the user and password in the URI were refused: correct them (in the manifest's `uri`, or in BPKIT_MIRRORS for a mirror)"
        }
        (401, false) => {
            "; it wants a user and password: write them into the URI as https://user:password@host/... (in the manifest's `uri`, or in BPKIT_MIRRORS for a mirror)"
        }
        // The bare status named no fix; the URI may be the manifest's, a mirror's (the mirror
        // wrapper then names the rule) or a redirect's target (named just before this).
        (404 | 410, _) => {
            "; the server has no file there: correct the URI, or put the file on the server"
        }
        (403, _) => {
            "; the server refuses to serve it: check the URI (object stores such as S3 answer 403 for a file they do not have) and that the file may be read without a login"
        }
        // A redirect that gave no Location (or 304, which answers a conditional request
        // bpkit never sends): there is nothing to follow.
        (300..=399, _) => {
            "; it sent no Location to follow: point the `uri` at the file itself, or ask the server's owner"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_answers_say_what_to_fix() {
        let unauthorized = StatusCode::UNAUTHORIZED;
        assert!(status_fix(unauthorized, true, true).contains("were refused"));
        assert!(status_fix(unauthorized, false, false).contains("it wants a user and password"));
        assert!(status_fix(unauthorized, true, false).contains("were not sent after its redirect"));
        for status in [
            StatusCode::BAD_REQUEST,
            StatusCode::CONFLICT,
            StatusCode::OK,
        ] {
            assert_eq!(status_fix(status, true, true), "", "{status}");
        }
    }

    /// A file the server does not have (or will not give) says what to correct, whatever the
    /// credentials.
    #[test]
    fn missing_and_forbidden_files_say_what_to_fix() {
        for (written, sent) in [(true, true), (false, false), (true, false)] {
            for status in [StatusCode::NOT_FOUND, StatusCode::GONE] {
                assert_eq!(
                    status_fix(status, written, sent),
                    "; the server has no file there: correct the URI, or put the file on the server"
                );
            }
            assert!(
                status_fix(StatusCode::FORBIDDEN, written, sent)
                    .starts_with("; the server refuses to serve it: check the URI")
            );
            // A redirect that reaches here gave no Location to follow.
            assert!(
                status_fix(StatusCode::FOUND, written, sent)
                    .starts_with("; it sent no Location to follow")
            );
        }
    }

    /// With no proxy for the URI, a 407 names the variable that would cover it by its scheme.
    #[test]
    fn a_407_with_no_proxy_names_the_variable_for_the_scheme() {
        let client = Client::new(&crate::fetch::Config::default()).unwrap();
        let proxy_auth = StatusCode::PROXY_AUTHENTICATION_REQUIRED;
        let fix = |uri| client.credentials_fix(proxy_auth, uri, false, false);
        assert!(fix("https://h/x.tgz").contains(" set https_proxy=http://user:password@"));
        assert!(fix("http://h/x.tgz").contains(" set http_proxy=http://user:password@"));
        assert!(fix("http://h/x.tgz").starts_with("; no proxy variable covers this URI"));
    }

    /// A body that stops coming says how far it got, with the whole length when announced.
    #[test]
    fn a_stalled_body_says_how_far_it_got() {
        let client = Client::new(&crate::fetch::Config::default()).unwrap();
        let stalled = |got, expected| {
            let timeout = io::Error::from(io::ErrorKind::TimedOut);
            client
                .body_error("https://h/x.tgz", timeout, got, expected)
                .to_string()
        };
        let line = |what: &str| {
            format!(
                "Timed out downloading https://h/x.tgz: no data for 60 s{what}. Set BPKIT_READ_TIMEOUT to wait longer."
            )
        };
        assert_eq!(
            stalled(4096, Some(100_000)),
            line(" after 4096 of 100000 bytes")
        );
        assert_eq!(stalled(0, Some(10)), line(" after 0 of 10 bytes"));
        assert_eq!(stalled(512, None), line(" after 512 bytes"));
        // ureq's own timeout, inside the I/O error its body reader gives.
        let wrapped = io::Error::other(ureq::Error::Timeout(ureq::Timeout::RecvBody));
        assert_eq!(
            client
                .body_error("https://h/x.tgz", wrapped, 1, None)
                .to_string(),
            line(" after 1 bytes")
        );
    }

    /// A body cut short says so alone at its end of file, and why otherwise.
    #[test]
    fn a_body_cut_short_says_why_unless_it_just_ended() {
        let client = Client::new(&crate::fetch::Config::default()).unwrap();
        let cut = |kind| {
            client
                .body_error("https://h/x.tgz", io::Error::from(kind), 3, Some(10))
                .to_string()
        };
        assert_eq!(
            cut(io::ErrorKind::UnexpectedEof),
            "Could not download https://h/x.tgz: the connection closed early, got 3 of 10 bytes."
        );
        assert_eq!(
            cut(io::ErrorKind::ConnectionReset),
            "Could not download https://h/x.tgz: the connection was reset, got 3 of 10 bytes."
        );
    }

    /// The common connection failures in words, without the OS's `(os error 104)`; others
    /// as the OS says them.
    #[test]
    fn io_errors_in_words() {
        let words = |kind| describe_io(&io::Error::from(kind));
        for (kind, expected) in [
            (io::ErrorKind::ConnectionRefused, "connection refused"),
            (io::ErrorKind::ConnectionReset, "the connection was reset"),
            (
                io::ErrorKind::ConnectionAborted,
                "the connection was aborted",
            ),
            (io::ErrorKind::NotConnected, "the connection was closed"),
            (io::ErrorKind::BrokenPipe, "the connection was closed"),
            (io::ErrorKind::HostUnreachable, "the host is unreachable"),
            (io::ErrorKind::NetworkUnreachable, "the host is unreachable"),
            (
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection before it answered",
            ),
        ] {
            assert_eq!(words(kind), expected, "{kind:?}");
        }
        assert_eq!(
            describe_io(&io::Error::from_raw_os_error(libc::EACCES)),
            "Permission denied (os error 13)"
        );
    }

    /// A host name that does not resolve after a redirect is the target's: named (its token
    /// redacted), with its scheme's proxy variable, and the URI that redirected there.
    #[test]
    fn a_failure_after_a_redirect_names_the_target() {
        let client = Client::new(&crate::fetch::Config::default()).unwrap();
        let error = client.call_error(
            ("http://h/a.tgz", "http://h/a.tgz"),
            "https://cdn.invalid/x.tgz?token=abc",
            true,
            ureq::Error::HostNotFound,
            &[],
        );
        assert_eq!(
            error.to_string(),
            "Could not connect to https://cdn.invalid/x.tgz?token=-redacted-: the host name could not be resolved. Check the network, the proxy settings (HTTPS_PROXY, NO_PROXY) and BPKIT_MIRRORS. It was reached by a redirect from http://h/a.tgz."
        );
        assert!(error.is_unreachable());
    }

    /// An I/O timeout before the answer (not ureq's own `Timeout`) is the read timeout's.
    #[test]
    fn an_io_timeout_before_the_answer_is_a_read_timeout() {
        let client = Client::new(&crate::fetch::Config::default()).unwrap();
        for kind in [io::ErrorKind::TimedOut, io::ErrorKind::WouldBlock] {
            let error = ureq::Error::Io(io::Error::from(kind));
            assert_eq!(
                client
                    .request_error("https://h/x.tgz", "https://h/x.tgz", None, error, &[])
                    .to_string(),
                "Timed out downloading https://h/x.tgz: no data for 60 s. Set BPKIT_READ_TIMEOUT to wait longer.",
                "{kind}"
            );
        }
    }
}
