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
