//! Plain `http://` requests through an HTTP proxy, sent to the proxy itself in absolute form
//! (`GET http://host:port/path HTTP/1.1`, RFC 9112 §3.2.2), as Go's net/http (and so
//! libbuildpack) and curl send them; `https://` requests keep their `CONNECT` tunnel.
//!
//! ureq tunnels every proxied request with `CONNECT host:port`, `http://` ones included, and a
//! proxy that allows `CONNECT` only to port 443 (Squid's default configuration) refuses those.
//! So each proxy agent gets a [`ForwardConnector`]: for an `http://` target it connects to the
//! proxy (through ureq's default chain, so an `https://` proxy still gets TLS) and wraps that
//! connection in an [`AbsoluteForm`] transport, which rewrites the request line of each request
//! head ureq writes and adds `Proxy-Authorization` when the proxy URI has credentials. Anything
//! else (an `https://` target, a SOCKS proxy) goes through ureq's default chain, with one
//! addition: a proxy whose answer is not in the protocol its scheme names (a `socks5://` URI
//! for an HTTP proxy, which answers the SOCKS greeting with `HTTP/1.1 400`; an `http://` URI
//! for a proxy answering `CONNECT` with bytes that are not HTTP) fails with
//! [`ForwardError::NotItsProtocol`], which the client turns into a message naming the proxy
//! and its scheme. ureq reported the first as an `InvalidData` I/O error, which is also how its
//! TLS layer reports a bad certificate, so the SOCKS handshake runs here apart from TLS.
//!
//! Decisions:
//! - The origin written into the request line is the one the connection was made for. ureq pools
//!   connections by the target's scheme and authority (and the proxy), so a kept-alive
//!   connection carries requests for that origin only, and each of them is rewritten.
//! - The transport relies on how ureq-proto writes a request head: whole lines, the request line
//!   first, the last header line followed by the blank line in the same write. A head that
//!   declares a body is refused: bpkit only sends GETs, and without parsing the body the
//!   transport could not tell where the next head starts.
//! - The `Proxy-Authorization` value is built from ureq's own (percent-decoded) reading of the
//!   proxy URI, as its `CONNECT` does, so both schemes send the same credentials.

use std::fmt;
use std::io;

use ureq::Proxy;
use ureq::ProxyProtocol;
use ureq::config::Config;
use ureq::http::uri::{Scheme, Uri};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, DefaultConnector, NextTimeout, RustlsConnector,
    SocksConnector, Transport,
};

use super::uri::Credentials;

/// Why a connection through a proxy failed here: a request head that could not be put in
/// absolute form (a mismatch with how ureq writes heads, so a bug rather than a network
/// fault), or a proxy that does not speak the protocol of its URI's scheme.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ForwardError {
    #[error("the request to the proxy does not start with a whole request line")]
    NoRequestLine,
    #[error("the request line for the proxy is not in origin form (`METHOD /path HTTP/1.1`)")]
    NotOriginForm,
    #[error("a request with a body cannot be sent through the proxy")]
    HasBody,
    #[error("the HTTP library offers no output buffer to write the request into")]
    NoBuffer,
    /// The proxy's first answer was not SOCKS (`socks`) or not HTTP; `cause` is the HTTP
    /// library's reading of it.
    #[error("{cause}")]
    NotItsProtocol { socks: bool, cause: String },
}

impl From<ForwardError> for ureq::Error {
    // ureq's advice for transport errors: an I/O error where possible. Kind `Other`, so the
    // client reports it as a failure to connect, naming the proxy.
    fn from(e: ForwardError) -> Self {
        ureq::Error::Io(io::Error::other(e))
    }
}

/// The connector of an agent whose configuration names a proxy.
#[derive(Debug)]
pub(crate) struct ForwardConnector {
    /// ureq's own chain: TCP, TLS, and `CONNECT` for `https://` targets.
    default: DefaultConnector,
    /// ureq's SOCKS handshake and TLS, run one after the other for a SOCKS proxy, so that a
    /// failed handshake is not taken for a failed TLS one.
    socks: SocksConnector,
    tls: RustlsConnector,
    /// The agent's settings without the proxy, to connect to the proxy itself (with the proxy
    /// still in them, ureq's chain would tunnel to the proxy through the proxy).
    to_proxy: Config,
}

impl ForwardConnector {
    /// `to_proxy`: the agent's configuration, but without a proxy.
    pub fn new(to_proxy: Config) -> Self {
        ForwardConnector {
            default: DefaultConnector::new(),
            socks: SocksConnector::default(),
            tls: RustlsConnector::default(),
            to_proxy,
        }
    }
}

impl Connector for ForwardConnector {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(proxy) = details.config.proxy() else {
            return self.default.connect(details, chained);
        };
        if !matches!(proxy.protocol(), ProxyProtocol::Http | ProxyProtocol::Https) {
            return self.through_socks(details, chained);
        }
        if details.uri.scheme() != Some(&Scheme::HTTP) {
            // A `CONNECT` tunnel, ureq's own. Its only parse of HTTP is the proxy's answer to
            // `CONNECT` (the target's answer comes later, outside `connect`), so a parse error
            // here is the proxy's.
            return self.default.connect(details, chained).map_err(|e| match e {
                ureq::Error::Protocol(e) => ForwardError::NotItsProtocol {
                    socks: false,
                    cause: e.to_string(),
                }
                .into(),
                other => other,
            });
        }
        // As ureq's CONNECT does: resolve the proxy within the connect timeout (the target is
        // the proxy's to resolve), then run the chain for the proxy's own URI.
        let addrs = details
            .resolver
            .resolve(proxy.uri(), &self.to_proxy, details.timeout)?;
        let to_proxy = ConnectionDetails {
            uri: proxy.uri(),
            addrs,
            config: &self.to_proxy,
            request_level: details.request_level,
            resolver: details.resolver,
            now: details.now,
            timeout: details.timeout,
            current_time: details.current_time.clone(),
            run_connector: details.run_connector.clone(),
            register_shutdown: details.register_shutdown.clone(),
        };
        let transport = self
            .default
            .connect(&to_proxy, None)?
            .ok_or(ureq::Error::ConnectionFailed)?;
        Ok(Some(Box::new(AbsoluteForm {
            inner: transport,
            origin: origin(details.uri),
            authorization: authorization(proxy),
            at_request_line: true,
        })))
    }
}

impl ForwardConnector {
    /// ureq's SOCKS step, then TLS for an `https://` target, as its default chain runs them.
    /// A reply that is not SOCKS (ureq: `invalid response version`, `invalid response code`,
    /// `unsupported address type`, each `InvalidData`) is the proxy's; the other failures
    /// (connecting to the proxy, its timeouts, its refusals in SOCKS) stay as ureq gives them.
    fn through_socks(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Box<dyn Transport>>, ureq::Error> {
        let tunnel = match self.socks.connect(details, None::<()>) {
            Ok(Some(tunnel)) => tunnel,
            // Not proxied after all: ureq's chain decides.
            Ok(None) => return self.default.connect(details, chained),
            Err(ureq::Error::Io(e)) if e.kind() == io::ErrorKind::InvalidData => {
                return Err(ForwardError::NotItsProtocol {
                    socks: true,
                    cause: e.to_string(),
                }
                .into());
            }
            Err(e) => return Err(e),
        };
        Ok(self
            .tls
            .connect(details, Some(tunnel))?
            .map(Transport::boxed))
    }
}

/// `http://host:port` of a target URI, without any `user:pass@` (which bpkit sends as a header
/// and never leaves in a URI anyway).
fn origin(target: &Uri) -> String {
    let authority = target.authority().map_or("", |a| a.as_str());
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, rest)| rest);
    format!("http://{host_port}")
}

/// `Basic …` for a proxy URI with credentials.
fn authorization(proxy: &Proxy) -> Option<String> {
    if proxy.username().is_none() && proxy.password().is_none() {
        return None;
    }
    let credentials = Credentials {
        user: proxy.username().unwrap_or_default().to_string(),
        password: proxy.password().unwrap_or_default().to_string(),
    };
    Some(credentials.basic_header())
}

/// A connection to a proxy that turns each origin-form request head into absolute form.
struct AbsoluteForm {
    inner: Box<dyn Transport>,
    /// `http://host:port`, put before each request's path.
    origin: String,
    /// The `Proxy-Authorization` value, if the proxy URI has credentials.
    authorization: Option<String>,
    /// True when the next bytes ureq writes start a request head.
    at_request_line: bool,
}

impl fmt::Debug for AbsoluteForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbsoluteForm")
            .field("inner", &self.inner)
            .field("origin", &self.origin)
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "-redacted-"),
            )
            .finish_non_exhaustive()
    }
}

impl AbsoluteForm {
    /// Send `bytes` through the inner transport, in as many writes as its buffer needs.
    fn send(&mut self, bytes: &[u8], timeout: NextTimeout) -> Result<(), ureq::Error> {
        let capacity = self.inner.buffers().output().len();
        if capacity == 0 {
            return Err(ForwardError::NoBuffer.into());
        }
        for piece in bytes.chunks(capacity) {
            self.inner.buffers().output()[..piece.len()].copy_from_slice(piece);
            self.inner.transmit_output(piece.len(), timeout)?;
        }
        Ok(())
    }
}

impl Transport for AbsoluteForm {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let written = &self.inner.buffers().output()[..amount];
        let head = if self.at_request_line {
            rewrite(written, &self.origin, self.authorization.as_deref())?
        } else {
            // The rest of a head whose request line went in an earlier write (ureq's buffer
            // was too small for all of it): passed on as it is.
            written.to_vec()
        };
        if declares_body(&head) {
            return Err(ForwardError::HasBody.into());
        }
        // ureq-proto writes the blank line that ends a head with its last header line.
        self.at_request_line = head.ends_with(b"\r\n\r\n");
        self.send(&head, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    // What matters to ureq is TLS to the target; a plain `http://` target has none, even when
    // the proxy is reached over TLS.
    fn is_tls(&self) -> bool {
        false
    }
}

/// The bytes of the start of a request head (`METHOD /path HTTP/1.1\r\n…`) with the request line
/// in absolute form and `Proxy-Authorization` after it.
fn rewrite(
    written: &[u8],
    origin: &str,
    authorization: Option<&str>,
) -> Result<Vec<u8>, ForwardError> {
    let end = written
        .windows(2)
        .position(|w| w == b"\r\n")
        .ok_or(ForwardError::NoRequestLine)?;
    let (line, rest) = written.split_at(end);
    let line = std::str::from_utf8(line).map_err(|_| ForwardError::NotOriginForm)?;
    let mut parts = line.splitn(3, ' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(ForwardError::NotOriginForm);
    };
    if !target.starts_with('/') {
        return Err(ForwardError::NotOriginForm);
    }
    let mut head = format!("{method} {origin}{target} {version}").into_bytes();
    if let Some(authorization) = authorization {
        head.extend_from_slice(format!("\r\nProxy-Authorization: {authorization}").as_bytes());
    }
    head.extend_from_slice(rest);
    Ok(head)
}

/// True when these lines of a head announce a body (`Content-Length` other than 0, or
/// `Transfer-Encoding`).
fn declares_body(head: &[u8]) -> bool {
    String::from_utf8_lossy(head)
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .any(|(name, value)| {
            let name = name.trim();
            name.eq_ignore_ascii_case("transfer-encoding")
                || (name.eq_ignore_ascii_case("content-length") && value.trim() != "0")
        })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use ureq::unversioned::transport::LazyBuffers;
    use ureq::unversioned::transport::time::Duration as Budget;

    use super::*;

    #[test]
    fn request_lines_become_absolute() {
        let head = rewrite(
            b"GET /dl/x.tgz?v=1 HTTP/1.1\r\nhost: deps.example:8080\r\n\r\n",
            "http://deps.example:8080",
            None,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(head).unwrap(),
            "GET http://deps.example:8080/dl/x.tgz?v=1 HTTP/1.1\r\nhost: deps.example:8080\r\n\r\n"
        );
    }

    #[test]
    fn credentials_go_in_proxy_authorization() {
        let head = rewrite(
            b"GET / HTTP/1.1\r\nhost: h\r\n\r\n",
            "http://h",
            Some("Basic dTpw"),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(head).unwrap(),
            "GET http://h/ HTTP/1.1\r\nProxy-Authorization: Basic dTpw\r\nhost: h\r\n\r\n"
        );
    }

    #[test]
    fn anything_but_an_origin_form_request_line_is_refused() {
        for written in [
            &b"GET /x HTTP/1.1"[..],
            b"host: h\r\n\r\n",
            b"CONNECT h:80 HTTP/1.1\r\n\r\n",
            b"GET\r\n\r\n",
        ] {
            assert!(rewrite(written, "http://h", None).is_err(), "{written:?}");
        }
    }

    #[test]
    fn heads_with_a_body_are_recognised() {
        assert!(!declares_body(b"GET http://h/ HTTP/1.1\r\nhost: h\r\n\r\n"));
        assert!(!declares_body(
            b"GET http://h/ HTTP/1.1\r\ncontent-length: 0\r\n\r\n"
        ));
        assert!(declares_body(
            b"POST http://h/ HTTP/1.1\r\ncontent-length: 5\r\n\r\n"
        ));
        assert!(declares_body(
            b"POST http://h/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        ));
    }

    #[test]
    fn origins_leave_out_credentials() {
        let uri: Uri = "http://u:p@deps.example:8080/x".parse().unwrap();
        assert_eq!(origin(&uri), "http://deps.example:8080");
        let uri: Uri = "http://[::1]/x".parse().unwrap();
        assert_eq!(origin(&uri), "http://[::1]");
    }

    #[test]
    fn debug_hides_the_credentials() {
        let proxy = Proxy::new("http://user:hunter2@proxy:3128").unwrap();
        let authorization = authorization(&proxy).unwrap();
        assert_eq!(authorization, "Basic dXNlcjpodW50ZXIy");
        assert!(authorization_of("http://proxy:3128").is_none());
        // A user with no password still logs in (`user:`), as curl and Go send it.
        assert_eq!(
            authorization_of("http://user@proxy:3128").as_deref(),
            Some("Basic dXNlcjo=")
        );
        let (connection, _) = connection(64, Some(authorization));
        let shown = format!("{connection:?}");
        assert!(!shown.contains("dXNlcjpodW50ZXIy"), "{shown}");
        assert!(
            shown.contains(r#"authorization: Some("-redacted-")"#),
            "{shown}"
        );
        assert!(shown.contains(r#"origin: "http://h:81""#), "{shown}");
    }

    /// Whether ureq may pool the connection again is the proxy connection's to say; whether it
    /// is TLS is the target's, which a plain `http://` one never is, even through an
    /// `https://` proxy (whose connection is).
    #[test]
    fn openness_is_the_proxy_connections_and_tls_the_targets() {
        for open in [true, false] {
            let (mut connection, _) = connection(64, None);
            connection.inner = Box::new(Recorder {
                buffers: LazyBuffers::new(64, 64),
                sent: Sent::default(),
                open,
            });
            assert_eq!(connection.is_open(), open);
            assert!(connection.inner.is_tls());
            assert!(!connection.is_tls());
        }
    }

    #[test]
    fn every_head_on_a_connection_is_rewritten_however_it_is_written() {
        let (mut connection, sent) = connection(1024, Some("Basic dTpw".into()));
        let heads: [&[&[u8]]; 3] = [
            // The usual: a whole head in one write.
            &[b"GET /a HTTP/1.1\r\nhost: h:81\r\n\r\n"],
            // The next request on the kept-alive connection.
            &[b"GET /b HTTP/1.1\r\nhost: h:81\r\n\r\n"],
            // A head written line by line (ureq's buffer too small for all of it).
            &[
                b"GET /c HTTP/1.1\r\n",
                b"host: h:81\r\n",
                b"accept: */*\r\n\r\n",
            ],
        ];
        for writes in heads {
            for bytes in writes {
                write(&mut connection, bytes).unwrap();
            }
        }
        assert_eq!(
            text(&sent),
            "GET http://h:81/a HTTP/1.1\r\nProxy-Authorization: Basic dTpw\r\nhost: h:81\r\n\r\n\
             GET http://h:81/b HTTP/1.1\r\nProxy-Authorization: Basic dTpw\r\nhost: h:81\r\n\r\n\
             GET http://h:81/c HTTP/1.1\r\nProxy-Authorization: Basic dTpw\r\nhost: h:81\r\naccept: */*\r\n\r\n"
        );
    }

    #[test]
    fn a_head_longer_than_the_buffer_goes_in_pieces() {
        let (mut connection, sent) = connection(24, None);
        write(&mut connection, b"GET /x HTTP/1.1\r\n").unwrap();
        write(&mut connection, b"host: h:81\r\n\r\n").unwrap();
        assert_eq!(
            text(&sent),
            "GET http://h:81/x HTTP/1.1\r\nhost: h:81\r\n\r\n"
        );
        // 28 bytes of request line through a 24-byte buffer, then the rest as it was.
        assert_eq!(sent.lock().unwrap().len(), 3);
    }

    #[test]
    fn a_request_with_a_body_is_refused() {
        let (mut whole, _) = connection(1024, None);
        let err = write(
            &mut whole,
            b"POST /x HTTP/1.1\r\nhost: h:81\r\ncontent-length: 5\r\n\r\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("with a body"), "{err}");
        let (mut split, sent) = connection(1024, None);
        write(&mut split, b"POST /x HTTP/1.1\r\n").unwrap();
        let err = write(&mut split, b"transfer-encoding: chunked\r\n\r\n").unwrap_err();
        assert!(err.to_string().contains("with a body"), "{err}");
        assert_eq!(text(&sent), "POST http://h:81/x HTTP/1.1\r\n");
    }

    fn authorization_of(proxy: &str) -> Option<String> {
        authorization(&Proxy::new(proxy).unwrap())
    }

    /// Each write the inner transport was asked to send.
    type Sent = Arc<Mutex<Vec<Vec<u8>>>>;

    fn text(sent: &Sent) -> String {
        String::from_utf8(sent.lock().unwrap().concat()).unwrap()
    }

    /// A rewriting connection over a [`Recorder`] with an output buffer of `output` bytes.
    fn connection(output: usize, authorization: Option<String>) -> (AbsoluteForm, Sent) {
        let sent = Sent::default();
        let recorder = Recorder {
            buffers: LazyBuffers::new(64, output),
            sent: Arc::clone(&sent),
            open: true,
        };
        let connection = AbsoluteForm {
            inner: Box::new(recorder),
            origin: "http://h:81".into(),
            authorization,
            at_request_line: true,
        };
        (connection, sent)
    }

    /// What ureq does: fill the output buffer, then transmit that many bytes.
    fn write(connection: &mut AbsoluteForm, bytes: &[u8]) -> Result<(), ureq::Error> {
        connection.buffers().output()[..bytes.len()].copy_from_slice(bytes);
        let timeout = NextTimeout {
            after: Budget::Exact(Duration::from_secs(1)),
            reason: ureq::Timeout::Global,
            per_read: None,
            per_write: None,
        };
        connection.transmit_output(bytes.len(), timeout)
    }

    /// A transport that records what it is asked to send: a TLS connection to an `https://`
    /// proxy, open or not as `open` says.
    #[derive(Debug)]
    struct Recorder {
        buffers: LazyBuffers,
        sent: Sent,
        open: bool,
    }

    impl Transport for Recorder {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }
        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), ureq::Error> {
            let bytes = self.buffers.output()[..amount].to_vec();
            self.sent.lock().unwrap().push(bytes);
            Ok(())
        }
        fn await_input(&mut self, _: NextTimeout) -> Result<bool, ureq::Error> {
            Ok(false)
        }
        fn is_open(&mut self) -> bool {
            self.open
        }
        fn is_tls(&self) -> bool {
            true
        }
    }
}
