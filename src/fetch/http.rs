//! One HTTP GET, redirects included, turned into a body reader or a [`FetchError`].
//!
//! Decisions:
//! - Timeouts: ureq's `timeout_connect` / `timeout_resolve` bound connecting, and its
//!   `timeout_per_read` bounds each socket read (headers and body). That is an *idle* timeout: a
//!   stalled server fails after `read_timeout`, while a slow download that keeps sending bytes
//!   is never cut off (ureq's `timeout_recv_body` would be a whole-body deadline, wrong here).
//! - Redirects are followed here, not by ureq, so each hop gets its own proxy decision
//!   ([`Proxies::select`]) and credentials from the URI are sent only to the server they were
//!   written for ([`uri::keeps_credentials`]: its origin, or its `http://` → `https://` upgrade).
//! - Through a proxy, `https://` requests go in a `CONNECT` tunnel (ureq's own) and `http://`
//!   ones to the proxy itself, in absolute form (`super::forward`), as Go's client sends them.
//! - `user:pass@` in a URI becomes an `Authorization: Basic` header (as Go's client does) and
//!   never reaches ureq, so none of its messages can contain it; query secrets could, so every
//!   cause text is scrubbed.
//! - No gzip: ureq is built without it, so a `.tgz` served with `Content-Encoding: gzip` is
//!   stored as sent, and the checksum is of the bytes the manifest describes.

use std::collections::HashMap;
use std::io;
use std::time::{Duration, SystemTime};

use ureq::Agent;
use ureq::http::StatusCode;
use ureq::unversioned::resolver::DefaultResolver;

use super::config::{self, CONNECT_TIMEOUT_ENV, Config, READ_TIMEOUT_ENV};
use super::error::FetchError;
use super::forward::ForwardConnector;
use super::proxy::Proxies;
use super::retry_after;
use super::uri;

/// An open response body.
pub(crate) struct Body {
    pub reader: ureq::BodyReader<'static>,
    /// From `Content-Length`, when the server sent one: what this body holds.
    pub content_length: Option<u64>,
    /// True when the server answered a [`Resume`] with the rest of the file (206).
    pub resumed: bool,
    /// What identifies this version of the file, to resume it later: a strong `ETag`, else
    /// `Last-Modified`.
    pub validator: Option<String>,
}

/// Ask for the file from byte `from` on (an interrupted download's next attempt), provided it
/// is still the version `validator` names (`If-Range`; without one, the checksum catches a
/// changed file).
pub(crate) struct Resume<'a> {
    pub from: u64,
    pub validator: Option<&'a str>,
}

/// Agents (connection pools) for direct connections and for each configured proxy.
pub(crate) struct Client {
    direct: Agent,
    via_proxy: HashMap<String, Agent>,
    proxies: Proxies,
    max_redirects: u32,
    connect_timeout: Duration,
    read_timeout: Duration,
    /// Proxy credentials, scrubbed from every message.
    proxy_secrets: Vec<String>,
}

impl Client {
    pub fn new(config: &Config) -> Result<Self, FetchError> {
        config.proxies.validate()?;
        let tls = super::tls::tls_config(config.ca_file.as_deref())?;
        let agent_config = |proxy: Option<ureq::Proxy>| -> ureq::config::Config {
            Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .max_redirects_will_error(false)
                .timeout_resolve(Some(config.connect_timeout))
                .timeout_connect(Some(config.connect_timeout))
                .timeout_per_read(Some(config.read_timeout))
                .timeout_per_write(Some(config.read_timeout))
                .user_agent(format!("bpkit/{}", env!("CARGO_PKG_VERSION")))
                .tls_config(tls.clone())
                // Explicitly: never ureq's own reading of the proxy environment.
                .proxy(proxy)
                .build()
        };
        let mut via_proxy = HashMap::new();
        let mut proxy_secrets = Vec::new();
        for proxy_uri in config.proxies.all() {
            // validate() above checked that every proxy URI parses.
            if let Ok(proxy) = ureq::Proxy::new(proxy_uri) {
                // ureq would tunnel `http://` targets too; this connector sends them to the
                // proxy in absolute form instead, and leaves `https://` ones to ureq's CONNECT.
                let agent = Agent::with_parts(
                    agent_config(Some(proxy)),
                    ForwardConnector::new(agent_config(None)),
                    DefaultResolver::default(),
                );
                via_proxy.insert(proxy_uri.to_string(), agent);
                proxy_secrets.extend(uri::secrets(proxy_uri));
            }
        }
        Ok(Client {
            direct: agent_config(None).into(),
            via_proxy,
            proxies: config.proxies.clone(),
            max_redirects: config.max_redirects,
            connect_timeout: config.connect_timeout,
            read_timeout: config.read_timeout,
            proxy_secrets,
        })
    }

    /// Close every connection, ending reads blocked in other threads at once, and refuse new
    /// requests: for an interrupted bpkit, which must not wait out the read timeout of a
    /// silent server. The client is of no further use.
    pub fn shutdown(&self) {
        self.direct.clone().shutdown();
        for agent in self.via_proxy.values() {
            agent.clone().shutdown();
        }
    }

    fn agent_for(&self, target: &str) -> &Agent {
        self.proxies
            .select(target)
            .and_then(|p| self.via_proxy.get(p))
            .unwrap_or(&self.direct)
    }

    /// GET `uri`, following redirects, and return the body of a 2xx answer; with `resume`,
    /// ask for the rest of the file only (the answer says whether the server obliged).
    pub fn open(&self, uri: &str, resume: Option<&Resume>) -> Result<Body, FetchError> {
        let shown = uri::redact(uri);
        let mut secrets = uri::secrets(uri);
        secrets.extend(self.proxy_secrets.iter().cloned());
        let (mut current, mut credentials) = uri::take_credentials(uri);
        let written = credentials.is_some();
        for _ in 0..=self.max_redirects {
            let mut request = self.agent_for(&current).get(&current);
            if let Some(credentials) = &credentials {
                request = request.header("Authorization", credentials.basic_header());
            }
            if let Some(resume) = resume {
                request = request.header("Range", format!("bytes={}-", resume.from));
                if let Some(validator) = resume.validator {
                    request = request.header("If-Range", validator);
                }
            }
            let response = request
                .call()
                .map_err(|e| self.call_error(&shown, uri, &current, e, &secrets))?;
            let status = response.status();
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok());
            if status.is_redirection()
                && let Some(location) = location
            {
                let next = uri::resolve(&current, location);
                secrets.extend(uri::secrets(&next));
                if !matches!(uri::scheme(&next).as_deref(), Some("http" | "https")) {
                    return Err(FetchError::RedirectNotHttp {
                        uri: shown,
                        to: uri::redact(&next),
                    });
                }
                let (next, next_credentials) = uri::take_credentials(&next);
                // Credentials go only to the server they were written for (the same origin,
                // or its https upgrade; never down to plain http), unless the redirect
                // carries its own.
                if !uri::keeps_credentials(&current, &next) {
                    credentials = None;
                }
                credentials = next_credentials.or(credentials);
                current = next;
                continue;
            }
            if !status.is_success() {
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry_after::parse(v, SystemTime::now()));
                let mut error =
                    status_error(&shown, (status, retry_after), uri, &current, &secrets);
                if let FetchError::HttpStatus { fix, .. } = &mut error {
                    let sent = credentials.is_some();
                    *fix = self.credentials_fix(status, &current, written, sent);
                }
                return Err(error);
            }
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::trim)
            };
            let content_length = header("content-length").and_then(|v| v.parse().ok());
            let resumed = status == StatusCode::PARTIAL_CONTENT;
            if resumed {
                let start = header("content-range").and_then(range_start);
                if resume.map(|r| r.from) != start {
                    return Err(FetchError::BadResponse {
                        uri: shown,
                        cause: format!(
                            "it answered 206 Partial Content from byte {}, not from the byte asked for",
                            start.map_or_else(|| "?".to_string(), |s| s.to_string())
                        ),
                    });
                }
            }
            let validator = header("etag")
                .filter(|etag| !etag.starts_with("W/"))
                .or_else(|| header("last-modified"))
                .map(String::from);
            return Ok(Body {
                reader: response.into_body().into_reader(),
                content_length,
                resumed,
                validator,
            });
        }
        Err(FetchError::TooManyRedirects {
            uri: shown,
            limit: self.max_redirects,
        })
    }

    /// A failure of the request for `current` (on the way to `uri`, shown as `shown`).
    fn call_error(
        &self,
        shown: &str,
        uri: &str,
        current: &str,
        error: ureq::Error,
        secrets: &[String],
    ) -> FetchError {
        let proxy = self.proxies.select(current);
        let mut error = self.request_error(shown, proxy, error, secrets);
        // `user:12/34@host` went to host `user`, port 12, as every parser reads it.
        if let FetchError::CannotConnect { cause, .. } = &mut error
            && uri::password_read_as_port(uri)
        {
            cause.push_str(uri::PASSWORD_READ_AS_PORT);
        }
        error
    }

    /// [`status_fix`] for an answer to the request for `current`, with or without a proxy
    /// that has credentials of its own.
    fn credentials_fix(
        &self,
        status: StatusCode,
        current: &str,
        written: bool,
        sent: bool,
    ) -> String {
        let proxy_login = self
            .proxies
            .select(current)
            .is_some_and(|p| uri::take_credentials(p).1.is_some());
        status_fix(status, written, sent, proxy_login).to_string()
    }

    /// A failure before the response headers arrived; `proxy` is the proxy the request went
    /// through, if any (a connection that fails is then the proxy's, and the message says so).
    fn request_error(
        &self,
        shown: &str,
        proxy: Option<&str>,
        error: ureq::Error,
        secrets: &[String],
    ) -> FetchError {
        let uri = shown.to_string();
        let scrubbed = |text: String| uri::scrub(&text, secrets);
        let via_proxy = |cause: String| match proxy {
            Some(proxy) => format!("{cause} (through the proxy {})", uri::redact(proxy)),
            None => cause,
        };
        match error {
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
                self.connect_timeout_error(uri)
            }
            ureq::Error::Timeout(_) => self.read_timeout_error(uri),
            ureq::Error::Io(e) if is_timeout(&e) => self.read_timeout_error(uri),
            // ureq's rustls transport reports handshake failures (unknown issuer, expired or
            // wrong-host certificates) as I/O errors of kind InvalidData; before any response
            // byte, that is what InvalidData means. Not worth retrying.
            ureq::Error::Io(e) if e.kind() == io::ErrorKind::InvalidData => FetchError::Tls {
                uri,
                cause: scrubbed(e.to_string()),
            },
            ureq::Error::Io(e) => FetchError::CannotConnect {
                uri,
                cause: via_proxy(scrubbed(describe_io(&e))),
            },
            ureq::Error::HostNotFound => FetchError::CannotConnect {
                uri,
                cause: via_proxy("the host name could not be resolved".into()),
            },
            ureq::Error::ConnectProxyFailed(reason) => FetchError::CannotConnect {
                uri,
                cause: scrubbed(format!("the proxy refused the connection ({reason})")),
            },
            ureq::Error::Tls(reason) => FetchError::Tls {
                uri,
                cause: reason.to_string(),
            },
            ureq::Error::Rustls(e) => FetchError::Tls {
                uri,
                cause: scrubbed(e.to_string()),
            },
            ureq::Error::Pem(e) => FetchError::Tls {
                uri,
                cause: scrubbed(e.to_string()),
            },
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
            other => FetchError::CannotConnect {
                uri,
                cause: scrubbed(other.to_string()),
            },
        }
    }

    fn connect_timeout_error(&self, uri: String) -> FetchError {
        FetchError::Timeout {
            uri,
            what: format!(
                "could not connect within {}",
                config::show_secs(self.connect_timeout)
            ),
            env: CONNECT_TIMEOUT_ENV,
        }
    }

    fn read_timeout_error(&self, uri: String) -> FetchError {
        FetchError::Timeout {
            uri,
            what: format!("no data for {}", config::show_secs(self.read_timeout)),
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
        if is_timeout(&error) {
            return self.read_timeout_error(uri);
        }
        let secrets = &self.proxy_secrets;
        match ureq::Error::from(error) {
            ureq::Error::Timeout(_) => self.read_timeout_error(uri),
            ureq::Error::Io(e) if is_timeout(&e) => self.read_timeout_error(uri),
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

/// The first byte of a `Content-Range: bytes FIRST-LAST/TOTAL` answer.
fn range_start(value: &str) -> Option<u64> {
    let range = value.strip_prefix("bytes ")?;
    let (first, _) = range.split_once('-')?;
    first.trim().parse().ok()
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
        _ => e.to_string(),
    }
}

fn status_error(
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
        reason: status.canonical_reason().unwrap_or_default().to_string(),
        redirected,
        fix: String::new(),
        retry_after,
    }
}

/// What to do about an answer whose cause is the request's credentials (with its `; `), or
/// nothing: the user and password of a URI (`written` in it; `sent` with this request, which a
/// redirect to another server leaves out) or a proxy's. An air-gapped site's mirror behind a
/// login answers 401, and the bare status named no fix.
fn status_fix(status: StatusCode, written: bool, sent: bool, proxy_login: bool) -> &'static str {
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
        (407, _) if proxy_login => {
            "; the proxy refused the user and password of its URI: correct them in the proxy variable (http_proxy, https_proxy or all_proxy)"
        }
        (407, _) => {
            "; the proxy wants a user and password: write them into the proxy variable as http://user:password@proxy:3128"
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
        assert!(status_fix(unauthorized, true, true, false).contains("were refused"));
        assert!(
            status_fix(unauthorized, false, false, true).contains("it wants a user and password")
        );
        assert!(
            status_fix(unauthorized, true, false, false)
                .contains("were not sent after its redirect")
        );
        let proxy = StatusCode::PROXY_AUTHENTICATION_REQUIRED;
        assert!(status_fix(proxy, true, true, false).contains("the proxy wants"));
        assert!(status_fix(proxy, false, false, true).contains("the proxy refused"));
        for status in [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN, StatusCode::OK] {
            assert_eq!(status_fix(status, true, true, true), "", "{status}");
        }
    }

    #[test]
    fn content_range_starts() {
        assert_eq!(
            range_start("bytes 1048576-3145727/3145728"),
            Some(1_048_576)
        );
        assert_eq!(range_start("bytes 0-9/*"), Some(0));
        assert_eq!(range_start("bytes */3145728"), None);
        assert_eq!(range_start("items 1-2/3"), None);
    }
}
