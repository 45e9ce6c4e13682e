//! One HTTP GET, redirects included, turned into a body reader or a [`FetchError`].
//!
//! Decisions:
//! - Timeouts: ureq's `timeout_connect` / `timeout_resolve` bound connecting, and its
//!   `timeout_per_read` bounds each socket read (headers and body). That is an *idle* timeout: a
//!   stalled server fails after `read_timeout`, while a slow download that keeps sending bytes
//!   is never cut off (ureq's `timeout_recv_body` would be a whole-body deadline, wrong here).
//!   The head is another matter: a few hundred bytes that a server sends at once, so it must be
//!   whole within `read_timeout` too (`timeout_recv_response`), or a server sending it a byte at
//!   a time would hold a download, and its cache lock, for ever.
//! - Redirects are followed here, not by ureq, so each hop gets its own proxy decision
//!   ([`Proxies::select`]) and credentials from the URI are sent only to the server they were
//!   written for ([`uri::keeps_credentials`]: its origin, or its `http://` → `https://` upgrade).
//! - Through a proxy, `https://` requests go in a `CONNECT` tunnel (ureq's own) and `http://`
//!   ones to the proxy itself, in absolute form (`super::forward`), as Go's client sends them.
//! - `user:pass@` in a URI becomes an `Authorization: Basic` header (as Go's client does) and
//!   never reaches ureq, so none of its messages can contain it; query secrets could, so every
//!   cause text is scrubbed.
//! - No gzip: ureq is built without it, so a `.tgz` served with `Content-Encoding: gzip` is
//!   stored as sent, and the checksum is of the bytes the manifest describes; the header is
//!   kept on the [`Body`](request::Body) so that a mismatch can name it.
//!
//! Files: `client` (the [`Client`] and its agents: one direct, one per proxy, each with the
//! timeouts and CA certificates of the [`Config`](super::Config)), `request` (the GET and its
//! redirect loop, [`Resume`] and the [`Body`](request::Body) it opens) and `failure` (ureq errors, body read
//! errors and non-2xx statuses turned into [`FetchError`]s in words, with the fix for a refused
//! login), and `surplus` (bytes a server sent past the `Content-Length` it announced, noted
//! for a checksum mismatch's message).
//!
//! [`FetchError`]: super::FetchError
//! [`Proxies::select`]: super::Proxies::select
//! [`uri::keeps_credentials`]: super::uri::keeps_credentials

mod client;
mod failure;
mod request;
pub(crate) mod surplus;

pub(crate) use client::Client;
pub(crate) use request::Resume;

/// A server on 127.0.0.1 for one request: it answers with the first 5 bytes of a 100-byte
/// body, then stays silent until the client goes away (or `bound` passes), so a read of the
/// rest blocks until the client is shut down. Joined by the caller.
#[cfg(test)]
pub(super) fn silent_server(
    bound: std::time::Duration,
) -> (std::net::SocketAddr, std::thread::JoinHandle<()>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request);
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst")
            .unwrap();
        stream.set_read_timeout(Some(bound)).unwrap();
        let _ = stream.read(&mut request);
    });
    (addr, server)
}
