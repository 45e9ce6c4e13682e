//! A tiny HTTP/1.1 server for tests: `127.0.0.1:0`, a background accept thread and a thread per
//! connection, all stopped and joined on `Drop`. It serves a map of path → body, each path with
//! an optional [`Fault`] (404, 500 then 200, a body cut short, a stall, a trickle, a redirect,
//! Basic auth), counts requests per path, and can act as an HTTP proxy (CONNECT tunnels and
//! absolute-form requests, optionally Squid-like or behind Basic auth) or a SOCKS5 proxy, or speak TLS with the test
//! CAs in `tests/common/tls/` (valid until 2126; their keys are test fixtures, not secrets).
//!
//! Every wait in here checks the stop flag, so a test that forgets a stalled connection still
//! ends when its `Server` is dropped. Nothing here touches the internet.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The test CA's certificate (PEM), for `SSL_CERT_FILE`.
pub const TEST_CA_PEM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/common/tls/ca.pem");
const SERVER_CERT_PEM: &[u8] = include_bytes!("tls/server.pem");
const SERVER_KEY_PEM: &[u8] = include_bytes!("tls/server.key");
/// The CA of the certificate for `deps.bpkit-test.invalid` ([`Server::start_tls_proxied`]).
pub const PROXIED_CA_PEM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/common/tls/proxied-ca.pem"
);
const PROXIED_CERT_PEM: &[u8] = include_bytes!("tls/proxied.pem");
const PROXIED_KEY_PEM: &[u8] = include_bytes!("tls/proxied.key");

/// How a path misbehaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Serve the body.
    None,
    /// Always answer this status with a short text body.
    Status(u16),
    /// Answer `status` to the first `count` requests, then serve the body.
    FailFirst { count: usize, status: u16 },
    /// Answer `status` with `Retry-After: retry_after` to the first `count` requests, then
    /// serve the body.
    AskToWait {
        count: usize,
        status: u16,
        retry_after: String,
    },
    /// Announce the full `Content-Length`, send only `send` bytes, close.
    Truncate { send: usize },
    /// To the first request, announce the full `Content-Length` and `ETag: "v1"`, send `send`
    /// bytes, close; answer a later `Range: bytes=N-` (with `If-Range: "v1"`, or none) with
    /// 206 and the rest, any other request with the whole body.
    CutThenResume { send: usize },
    /// [`Fault::CutThenResume`], but the 206 answers start from byte 0 whatever was asked.
    ResumeFromZero { send: usize },
    /// [`Fault::CutThenResume`], but the 206 announces this `Content-Length` (a broken or
    /// hostile mirror), then sends the rest and closes.
    ResumeClaiming { send: usize, content_length: String },
    /// [`Fault::CutThenResume`], but a range request gets 416 Range Not Satisfiable (as when
    /// the file got shorter).
    RefuseRange { send: usize },
    /// To the first request, announce the full `Content-Length`, send `send` bytes that are
    /// not the body's (each one inverted), wait a moment so the client can use them, close;
    /// serve the body to the others.
    GarbleFirst { send: usize },
    /// Announce the full `Content-Length`, send `after` bytes, then send nothing more until the
    /// server is dropped or [`STALL_LIMIT`] has passed (so a client that never times out
    /// fails its test instead of hanging it).
    Stall { after: usize },
    /// Announce no `Content-Length` (the body ends when the connection closes) and send the
    /// body again and again until the client closes, the server is dropped, or [`ENDLESS_LIMIT`]
    /// bytes have gone (so a client without a size limit fails its test instead of filling the
    /// disk): a server that sends without end.
    Endless,
    /// Announce no `Content-Length` and send the body once, then close.
    NoLength,
    /// Send the body `chunk` bytes at a time with `delay` between chunks.
    Slow { chunk: usize, delay: Duration },
    /// Answer 302 with `Location: to` (a path on this server or an absolute URI).
    Redirect { to: String },
    /// Answer 401 unless the request carries these Basic credentials.
    BasicAuth { user: String, password: String },
}

#[derive(Debug, Clone)]
struct Route {
    body: Arc<Vec<u8>>,
    fault: Fault,
}

/// One request as the server saw it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// The request target: a path with its query, `host:port` for CONNECT, or an absolute URI
    /// (`http://host:port/path`) for a request sent to a proxy.
    pub target: String,
    /// Header names lowercased.
    pub headers: HashMap<String, String>,
}

#[derive(Default)]
struct Shared {
    routes: Mutex<HashMap<String, Route>>,
    hits: Mutex<HashMap<String, usize>>,
    requests: Mutex<Vec<Request>>,
    stop: AtomicBool,
    connections: Mutex<Vec<JoinHandle<()>>>,
    /// Where CONNECT tunnels and absolute-form requests go, whatever host they name (proxy
    /// mode): the one with the port they name, else the first.
    upstreams: Mutex<Vec<SocketAddr>>,
    /// Ports routed to an upstream whatever its own port ([`Server::proxy_port_to`]), which
    /// win over `upstreams`.
    port_routes: Mutex<Vec<(u16, SocketAddr)>>,
    /// The only port CONNECT may name (403 for others), as Squid's default `SSL_ports`.
    connect_only_to: Mutex<Option<u16>>,
    /// The `Proxy-Authorization` a proxy request needs (407 without it).
    proxy_authorization: Mutex<Option<String>>,
    /// Speak SOCKS5 instead of HTTP ([`Server::start_socks5`]).
    socks5: AtomicBool,
    tls: Option<Arc<rustls::ServerConfig>>,
}

/// A running test server.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// A plain HTTP server.
    pub fn start() -> Self {
        Server::start_with(None)
    }

    /// An HTTPS server whose certificate (for 127.0.0.1 and localhost) is signed by the test CA
    /// ([`TEST_CA_PEM`]), which no default root store trusts.
    pub fn start_tls() -> Self {
        Server::start_tls_with(SERVER_CERT_PEM, SERVER_KEY_PEM)
    }

    /// An HTTPS server whose certificate is for `deps.bpkit-test.invalid`, the name proxy tests
    /// give their origins (only a proxy reaches it: 127.0.0.1 never goes through one), signed
    /// by [`PROXIED_CA_PEM`].
    pub fn start_tls_proxied() -> Self {
        Server::start_tls_with(PROXIED_CERT_PEM, PROXIED_KEY_PEM)
    }

    fn start_tls_with(cert: &[u8], key: &[u8]) -> Self {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert)
            .collect::<Result<_, _>>()
            .expect("test certificate");
        let key = PrivateKeyDer::from_pem_slice(key).expect("test key");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("TLS config");
        Server::start_with(Some(Arc::new(config)))
    }

    fn start_with(tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared {
            tls,
            ..Shared::default()
        });
        let accept = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || accept_loop(&listener, &shared))
        };
        Server {
            addr,
            shared,
            accept: Some(accept),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT{path}` (`https://` for a TLS server).
    pub fn url(&self, path: &str) -> String {
        let scheme = if self.shared.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}{path}", self.addr)
    }

    /// The URL with `user:password@` in it.
    pub fn url_with_credentials(&self, user: &str, password: &str, path: &str) -> String {
        let scheme = if self.shared.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{user}:{password}@{}{path}", self.addr)
    }

    /// Serve `body` at `path` (without a query), replacing any earlier route and fault.
    pub fn serve(&self, path: &str, body: impl Into<Vec<u8>>) -> &Self {
        self.route(path, body, Fault::None)
    }

    /// Serve `body` at `path` with a fault.
    pub fn route(&self, path: &str, body: impl Into<Vec<u8>>, fault: Fault) -> &Self {
        lock(&self.shared.routes).insert(
            path.to_string(),
            Route {
                body: Arc::new(body.into()),
                fault,
            },
        );
        self
    }

    /// Change the fault of an existing path, keeping its body.
    pub fn set_fault(&self, path: &str, fault: Fault) {
        if let Some(route) = lock(&self.shared.routes).get_mut(path) {
            route.fault = fault;
        }
    }

    /// Requests that reached `path` (CONNECT requests count under `"CONNECT"`, absolute-form
    /// requests a proxy forwards under `"FORWARD"`).
    pub fn hits(&self, path: &str) -> usize {
        lock(&self.shared.hits).get(path).copied().unwrap_or(0)
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.shared.requests).clone()
    }

    /// Each request's method and target, in order: what a proxy was asked for.
    pub fn methods_and_targets(&self) -> Vec<(String, String)> {
        self.requests()
            .into_iter()
            .map(|r| (r.method, r.target))
            .collect()
    }

    /// Act as a proxy: CONNECT tunnels and absolute-form requests (`GET http://host:port/path`,
    /// forwarded in origin form without the `Proxy-*` headers) go to `upstream`, whatever host
    /// they name. Called again, it adds an upstream: each request then goes to the one with the
    /// port it names.
    pub fn proxy_to(&self, upstream: SocketAddr) {
        lock(&self.shared.upstreams).push(upstream);
    }

    /// As a proxy, send requests that name `port` (80 for `http://host/…` without one) to
    /// `upstream`: how a test reaches `http://host/` and `https://host/` on their default
    /// ports, which a test server cannot listen on.
    pub fn proxy_port_to(&self, port: u16, upstream: SocketAddr) {
        lock(&self.shared.port_routes).push((port, upstream));
    }

    /// As a proxy, refuse CONNECT (403) to any port but `port`, as Squid's default
    /// configuration does with everything but 443.
    /// A SOCKS5 proxy (RFC 1928: no authentication, `CONNECT` only) whose tunnels go to
    /// `upstream`, whatever address they name. Each is recorded as a request with method
    /// `SOCKS5` and target `host:port` as the client sent it (a name, for `socks5h://`).
    pub fn start_socks5(upstream: SocketAddr) -> Self {
        let server = Server::start();
        server.shared.socks5.store(true, Ordering::SeqCst);
        server.proxy_to(upstream);
        server
    }

    pub fn allow_connect_only_to(&self, port: u16) {
        *lock(&self.shared.connect_only_to) = Some(port);
    }

    /// As a proxy, answer 407 to requests without these Basic credentials.
    pub fn require_proxy_auth(&self, user: &str, password: &str) {
        let expected = format!("Basic {}", base64(format!("{user}:{password}").as_bytes()));
        *lock(&self.shared.proxy_authorization) = Some(expected);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        let handles: Vec<_> = lock(&self.shared.connections).drain(..).collect();
        for handle in handles {
            let _ = handle.join();
        }
    }
}

/// A URL on 127.0.0.1 where nothing listens (connection refused).
pub fn refused_url(path: &str) -> String {
    format!("http://{}{path}", refused_addr())
}

/// An address with nothing listening: bound to get a free port, then released.
pub fn refused_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr")
}

/// `size` bytes of deterministic, incompressible-looking data.
pub fn payload(size: usize) -> Vec<u8> {
    let mut state: u32 = 0x1234_5678;
    (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared_for_conn = Arc::clone(shared);
                let handle = std::thread::spawn(move || {
                    let _ = handle_connection(stream, &shared_for_conn);
                });
                lock(&shared.connections).push(handle);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

fn stopped(shared: &Shared) -> bool {
    shared.stop.load(Ordering::SeqCst)
}

/// Sleep in small steps; false when the server stopped meanwhile.
/// How long a [`Fault::Stall`] holds its connection open at most: far longer than any client
/// timeout the tests set, far shorter than a hung test run.
pub const STALL_LIMIT: Duration = Duration::from_secs(60);

/// The most bytes [`Fault::Endless`] sends.
pub const ENDLESS_LIMIT: usize = 64 << 20;

/// A head announcing a body that ends when the connection closes.
const NO_LENGTH_HEAD: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";

fn pause(shared: &Shared, total: Duration) -> bool {
    let end = Instant::now() + total;
    while Instant::now() < end {
        if stopped(shared) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5).min(total));
    }
    !stopped(shared)
}

fn handle_connection(stream: TcpStream, shared: &Arc<Shared>) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_millis(20)))?;
    stream.set_nodelay(true)?;
    if let Some(config) = &shared.tls {
        let connection =
            rustls::ServerConnection::new(Arc::clone(config)).map_err(io::Error::other)?;
        let raw = stream.try_clone()?;
        let mut tls = rustls::StreamOwned::new(connection, stream);
        let result = serve_one(&mut tls, shared);
        tls.conn.send_close_notify();
        let _ = tls.flush();
        let _ = raw.shutdown(Shutdown::Both);
        return result.map(|_| ());
    }
    let raw = stream.try_clone()?;
    let mut stream = stream;
    if shared.socks5.load(Ordering::SeqCst) {
        let Some(request) = socks5_handshake(&mut stream)? else {
            return Ok(());
        };
        let upstream = upstream_for(shared, target_port(&request.target));
        *lock(&shared.hits).entry("SOCKS5".into()).or_default() += 1;
        lock(&shared.requests).push(request.clone());
        return match upstream {
            Some(upstream) => tunnel(&raw, &request, upstream, shared),
            None => Ok(()),
        };
    }
    if let Some((request, upstream)) = serve_one(&mut stream, shared)? {
        tunnel(&raw, &request, upstream, shared)
    } else {
        let _ = raw.shutdown(Shutdown::Both);
        Ok(())
    }
}

/// The server side of a SOCKS5 handshake (RFC 1928) without authentication, for `CONNECT`;
/// the request it names, or `None` (after the refusal SOCKS5 prescribes) for anything else.
fn socks5_handshake(stream: &mut TcpStream) -> io::Result<Option<Request>> {
    const REFUSED: [u8; 10] = [5, 7, 0, 1, 0, 0, 0, 0, 0, 0];
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut greeting = [0u8; 2];
    stream.read_exact(&mut greeting)?;
    let mut methods = vec![0u8; usize::from(greeting[1])];
    stream.read_exact(&mut methods)?;
    if greeting[0] != 5 || !methods.contains(&0) {
        stream.write_all(&[5, 0xff])?;
        return Ok(None);
    }
    stream.write_all(&[5, 0])?;
    // Version, command, reserved, address type; then the address and the port.
    let mut head = [0u8; 4];
    stream.read_exact(&mut head)?;
    let host = match head[3] {
        1 => {
            let mut octets = [0u8; 4];
            stream.read_exact(&mut octets)?;
            std::net::Ipv4Addr::from(octets).to_string()
        }
        3 => {
            let mut len = [0u8; 1];
            stream.read_exact(&mut len)?;
            let mut name = vec![0u8; usize::from(len[0])];
            stream.read_exact(&mut name)?;
            String::from_utf8_lossy(&name).into_owned()
        }
        4 => {
            let mut octets = [0u8; 16];
            stream.read_exact(&mut octets)?;
            format!("[{}]", std::net::Ipv6Addr::from(octets))
        }
        _ => {
            stream.write_all(&REFUSED)?;
            return Ok(None);
        }
    };
    let mut port = [0u8; 2];
    stream.read_exact(&mut port)?;
    if head[1] != 1 {
        stream.write_all(&REFUSED)?;
        return Ok(None);
    }
    stream.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0])?;
    stream.set_read_timeout(Some(Duration::from_millis(20)))?;
    Ok(Some(Request {
        method: "SOCKS5".into(),
        target: format!("{host}:{}", u16::from_be_bytes(port)),
        headers: HashMap::new(),
    }))
}

/// Read one request head; `None` when the server stopped or the client left.
fn read_head(stream: &mut impl Read, shared: &Shared) -> io::Result<Option<Request>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut head = Vec::new();
    let mut byte = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if stopped(shared) || Instant::now() > deadline {
            return Ok(None);
        }
        match stream.read(&mut byte) {
            Ok(0) => return Ok(None),
            Ok(n) => head.extend_from_slice(&byte[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split_whitespace();
    let method = first.next().unwrap_or_default().to_string();
    let target = first.next().unwrap_or_default().to_string();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Some(Request {
        method,
        target,
        headers,
    }))
}

type Tunnel = Option<(Request, SocketAddr)>;

/// Answer one request. Returns a tunnel to open for CONNECT.
fn serve_one(stream: &mut (impl Read + Write), shared: &Shared) -> io::Result<Tunnel> {
    let Some(request) = read_head(stream, shared)? else {
        return Ok(None);
    };
    lock(&shared.requests).push(request.clone());
    let absolute = request.target.starts_with("http://");
    if request.method == "CONNECT" || absolute {
        let kind = if absolute { "FORWARD" } else { "CONNECT" };
        *lock(&shared.hits).entry(kind.into()).or_default() += 1;
        let port = target_port(&request.target);
        let Some(upstream) = upstream_for(shared, port) else {
            respond(stream, 405, "text/plain", b"not a proxy")?;
            return Ok(None);
        };
        let expected = lock(&shared.proxy_authorization).clone();
        if expected.is_some() && request.headers.get("proxy-authorization") != expected.as_ref() {
            let head = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"bpkit-test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            stream.write_all(head.as_bytes())?;
            stream.flush()?;
            return Ok(None);
        }
        if absolute {
            forward(stream, &request, upstream, shared)?;
            return Ok(None);
        }
        let allowed = *lock(&shared.connect_only_to);
        if allowed.is_some_and(|allowed| Some(allowed) != port) {
            respond(stream, 403, "text/plain", b"CONNECT to this port is denied")?;
            return Ok(None);
        }
        stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
        stream.flush()?;
        return Ok(Some((request, upstream)));
    }
    let path = request
        .target
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let hit = {
        let mut hits = lock(&shared.hits);
        let count = hits.entry(path.clone()).or_default();
        *count += 1;
        *count
    };
    let route = lock(&shared.routes).get(&path).cloned();
    let Some(route) = route else {
        return respond(stream, 404, "text/plain", b"not found").map(|()| None);
    };
    answer(stream, &route, hit, &request, shared)?;
    Ok(None)
}

/// Answer request number `hit` for `route` as its fault says.
fn answer(
    stream: &mut (impl Read + Write),
    route: &Route,
    hit: usize,
    request: &Request,
    shared: &Shared,
) -> io::Result<()> {
    let body = route.body.as_slice();
    match route.fault.clone() {
        Fault::FailFirst { count, status } if hit <= count => {
            respond(stream, status, "text/plain", b"try again")?;
        }
        Fault::AskToWait {
            count,
            status,
            ref retry_after,
        } if hit <= count => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\nRetry-After: {retry_after}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                reason(status)
            );
            stream.write_all(head.as_bytes())?;
            stream.flush()?;
        }
        Fault::CutThenResume { send }
        | Fault::ResumeFromZero { send }
        | Fault::RefuseRange { send }
        | Fault::ResumeClaiming { send, .. }
            if hit == 1 =>
        {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: \"v1\"\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(&body[..send.min(body.len())])?;
            stream.flush()?;
        }
        Fault::CutThenResume { .. } => answer_range(stream, request, body, false)?,
        Fault::ResumeFromZero { .. } => answer_range(stream, request, body, true)?,
        Fault::ResumeClaiming {
            send,
            ref content_length,
        } => answer_claiming(stream, body, send, content_length)?,
        Fault::RefuseRange { .. } if request.headers.contains_key("range") => {
            respond(stream, 416, "text/plain", b"")?;
        }
        Fault::RefuseRange { .. } => respond(stream, 200, "application/octet-stream", body)?,
        Fault::GarbleFirst { send } if hit == 1 => {
            write_head(stream, 200, body.len())?;
            let garbled: Vec<u8> = body[..send.min(body.len())].iter().map(|b| !b).collect();
            stream.write_all(&garbled)?;
            stream.flush()?;
            pause(shared, Duration::from_millis(200));
        }
        Fault::None
        | Fault::FailFirst { .. }
        | Fault::AskToWait { .. }
        | Fault::GarbleFirst { .. } => {
            respond(stream, 200, "application/octet-stream", body)?;
        }
        Fault::Status(status) => respond(stream, status, "text/plain", b"fault")?,
        Fault::Truncate { send: after } | Fault::Stall { after } => {
            write_head(stream, 200, body.len())?;
            stream.write_all(&body[..after.min(body.len())])?;
            stream.flush()?;
            if matches!(route.fault, Fault::Stall { .. }) {
                pause(shared, STALL_LIMIT);
            }
        }
        Fault::NoLength => answer_without_length(stream, body, 1, shared)?,
        Fault::Endless => answer_without_length(stream, body, usize::MAX, shared)?,
        Fault::Slow { chunk, delay } => {
            write_head(stream, 200, body.len())?;
            for piece in body.chunks(chunk.max(1)) {
                stream.write_all(piece)?;
                stream.flush()?;
                if !pause(shared, delay) {
                    break;
                }
            }
        }
        Fault::Redirect { to } => {
            let head = format!(
                "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes())?;
            stream.flush()?;
        }
        Fault::BasicAuth { user, password } => {
            let expected = format!("Basic {}", base64(format!("{user}:{password}").as_bytes()));
            if request.headers.get("authorization") == Some(&expected) {
                respond(stream, 200, "application/octet-stream", body)?;
            } else {
                // With the challenge, as real servers answer: wget sends credentials only
                // after one.
                let body = b"who are you?";
                let head = format!(
                    "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"bpkit-test\"\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                stream.write_all(head.as_bytes())?;
                stream.write_all(body)?;
                stream.flush()?;
            }
        }
    }
    Ok(())
}

/// 206 and the rest of `body` for `Range: bytes=N-` (and a matching `If-Range`, if any),
/// or the whole of it as if it were the rest (`wrongly`); else 200 and the whole body.
fn answer_range(
    stream: &mut impl Write,
    request: &Request,
    body: &[u8],
    wrongly: bool,
) -> io::Result<()> {
    let from = request
        .headers
        .get("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&n| n < body.len())
        .filter(|_| {
            request
                .headers
                .get("if-range")
                .is_none_or(|v| v == "\"v1\"")
        });
    let Some(from) = from else {
        return respond(stream, 200, "application/octet-stream", body);
    };
    let from = if wrongly { 0 } else { from };
    let head = format!(
        "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {from}-{}/{}\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n",
        body.len() - from,
        body.len() - 1,
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body[from..])?;
    stream.flush()
}

/// A 206 with the rest of `body` after `send` bytes, announcing `content_length` whatever it is.
fn answer_claiming(
    stream: &mut impl Write,
    body: &[u8],
    send: usize,
    content_length: &str,
) -> io::Result<()> {
    let from = send.min(body.len());
    let head = format!(
        "HTTP/1.1 206 Partial Content\r\nContent-Length: {content_length}\r\nContent-Range: bytes {from}-{}/{}\r\nConnection: close\r\n\r\n",
        body.len().saturating_sub(1),
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body[from..])?;
    stream.flush()
}

/// A 200 with no `Content-Length`: `body` sent `times` times (at most [`ENDLESS_LIMIT`]
/// bytes), then the connection closed.
fn answer_without_length(
    stream: &mut impl Write,
    body: &[u8],
    times: usize,
    shared: &Shared,
) -> io::Result<()> {
    stream.write_all(NO_LENGTH_HEAD.as_bytes())?;
    let mut sent = 0;
    for _ in 0..times {
        if sent >= ENDLESS_LIMIT || stopped(shared) || body.is_empty() {
            break;
        }
        // A client that stopped reading and closed makes this fail: done.
        stream.write_all(body)?;
        sent += body.len();
    }
    stream.flush()
}

fn write_head(stream: &mut impl Write, status: u16, len: usize) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/octet-stream\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n",
        reason(status)
    );
    stream.write_all(head.as_bytes())
}

fn respond(
    stream: &mut impl Write,
    status: u16,
    content_type: &str,
    body: &[u8],
) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reason(status),
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        407 => "Proxy Authentication Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// The port a proxy request names: `host:port` (CONNECT) or `http://host[:port]/…`.
fn target_port(target: &str) -> Option<u16> {
    let (authority, default) = match target.strip_prefix("http://") {
        // wget names a URL's `user:password@` in the request line it sends a proxy.
        Some(rest) => {
            let authority = rest.split('/').next().unwrap_or_default();
            (authority.rsplit('@').next().unwrap_or_default(), Some(80))
        }
        None => (target, None),
    };
    match authority.rsplit_once(':') {
        Some((_, port)) => port.parse().ok(),
        None => default,
    }
}

/// Where a proxy request for `port` goes; `None` when this server is no proxy.
fn upstream_for(shared: &Shared, port: Option<u16>) -> Option<SocketAddr> {
    let routed = lock(&shared.port_routes)
        .iter()
        .find(|(p, _)| Some(*p) == port)
        .map(|(_, upstream)| *upstream);
    if routed.is_some() {
        return routed;
    }
    let upstreams = lock(&shared.upstreams);
    upstreams
        .iter()
        .find(|u| Some(u.port()) == port)
        .or(upstreams.first())
        .copied()
}

/// Send an absolute-form request on to `upstream` in origin form, without its `Proxy-*`
/// headers, and copy the answer back until `upstream` closes (bounded by [`STALL_LIMIT`]).
fn forward(
    client: &mut impl Write,
    request: &Request,
    upstream: SocketAddr,
    shared: &Shared,
) -> io::Result<()> {
    let after_scheme = request.target.strip_prefix("http://").unwrap_or_default();
    let path = after_scheme
        .find('/')
        .map_or("/", |slash| &after_scheme[slash..]);
    let mut head = Vec::new();
    write!(head, "{} {path} HTTP/1.1\r\n", request.method)?;
    for (name, value) in &request.headers {
        if !name.starts_with("proxy-") && name != "connection" {
            write!(head, "{name}: {value}\r\n")?;
        }
    }
    head.extend_from_slice(b"Connection: close\r\n\r\n");
    let mut server = TcpStream::connect_timeout(&upstream, Duration::from_secs(5))?;
    server.set_read_timeout(Some(Duration::from_millis(20)))?;
    server.write_all(&head)?;
    let deadline = Instant::now() + STALL_LIMIT;
    let mut buffer = [0u8; 16 * 1024];
    while !stopped(shared) && Instant::now() < deadline {
        match server.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => client.write_all(&buffer[..n])?,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(e),
        }
    }
    client.flush()
}

/// Pipe bytes both ways between the client and `upstream` until either side closes or the
/// server stops.
fn tunnel(
    client: &TcpStream,
    _request: &Request,
    upstream: SocketAddr,
    shared: &Shared,
) -> io::Result<()> {
    let server = TcpStream::connect_timeout(&upstream, Duration::from_secs(5))?;
    server.set_read_timeout(Some(Duration::from_millis(20)))?;
    std::thread::scope(|scope| {
        scope.spawn(|| pipe(client, &server, shared));
        pipe(&server, client, shared);
    });
    Ok(())
}

fn pipe(from: &TcpStream, to: &TcpStream, shared: &Shared) {
    let mut buffer = [0u8; 16 * 1024];
    let (mut from, mut to) = (from, to);
    while !stopped(shared) {
        match from.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                if to.write_all(&buffer[..n]).is_err() {
                    break;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            out.push(if i <= chunk.len() {
                char::from(ALPHABET[((n >> shift) & 63) as usize])
            } else {
                '='
            });
        }
    }
    out
}
