//! The smoke test of `bpkit run --check PATH`: one plain HTTP/1.1 GET to the app on
//! 127.0.0.1, answered or not. Hand-written on a `TcpStream` because it must never go through a
//! proxy from the environment and only needs the status line.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// What the app answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub reason: String,
}

impl Answer {
    /// 2xx and 3xx pass the smoke test, as a platform HTTP health check counts them.
    pub fn is_success(&self) -> bool {
        (200..400).contains(&self.status)
    }
}

/// `path` as an HTTP request target (RFC 9112 origin-form): a `#fragment` left out, a leading
/// `/` added when missing, and every byte that may not appear there percent-encoded (space,
/// controls, non-ASCII as UTF-8, `"` `<` `>` `[` `\` `]` `^` `` ` `` `{` `|` `}`). What may
/// appear is kept as given, `%` included, so a path the user already encoded is sent
/// unchanged. Unencoded, a space ends the request target early and servers answer 400.
///
/// A fragment names a place in the page for the client alone: a browser or curl never sends
/// it, so `/docs#intro` is a request for `/docs`. Sent (as `/docs%23intro`), it would ask for
/// a page of that name, which apps answer 404. A `#` meant as part of the path is written `%23`.
pub fn request_target(path: &str) -> String {
    let path = path.split_once('#').map_or(path, |(before, _)| before);
    let slash = if path.starts_with('/') { "" } else { "/" };
    // RFC 3986's unreserved and sub-delims, plus `:` `@` (pchar), `/` `?` (path and query) and
    // `%` (already encoded).
    let target = crate::fetch::uri::percent_encode(path.as_bytes(), b"-._~!$&'()*+,;=:@/?%");
    format!("{slash}{target}")
}

/// The one request sent: a GET of `target` (from [`request_target`]).
fn request(port: u16, target: &str) -> String {
    format!(
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: bpkit-run-check\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    )
}

/// Why one probe got no status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoAnswer {
    /// Nothing took the connection (refused: the app is not listening yet, or elsewhere).
    NotListening,
    /// The status line had not come when the probe's time was up (or bpkit was interrupted).
    Silent,
    /// The app took the connection and closed (or reset) it without a status line.
    Closed,
    /// The app's first line is not an HTTP status line: what it began with, on one line.
    NotHttp(String),
}

/// Ask once for `target` (from [`request_target`]); when nothing answered yet, why, so the
/// caller tries again until its deadline and then says what it saw last. The whole exchange
/// takes at most `timeout`, however the app sends, and ends early when bpkit is interrupted
/// ([`crate::process_group::termination_requested`]).
pub fn probe(port: u16, target: &str, timeout: Duration) -> Result<Answer, NoAnswer> {
    let deadline = Instant::now()
        .checked_add(timeout)
        .ok_or(NoAnswer::Silent)?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream =
        TcpStream::connect_timeout(&addr, timeout).map_err(|_| NoAnswer::NotListening)?;
    stream
        .set_write_timeout(Some(timeout))
        .map_err(|_| NoAnswer::Closed)?;
    // An app that closes at once may reset the connection before the request is written.
    stream
        .write_all(request(port, target).as_bytes())
        .map_err(|_| NoAnswer::Closed)?;
    let mut line = Vec::new();
    // The status line is looked for in the answer's first bytes only, so an app that keeps
    // sending without a newline cannot make the line grow without end either. Read as bytes:
    // an answer that is not UTF-8 is shown, not taken for silence.
    let read = BufReader::new(UntilDeadline { stream, deadline }.take(STATUS_LINE_LIMIT))
        .read_until(b'\n', &mut line);
    match read {
        Err(e) if e.kind() == std::io::ErrorKind::TimedOut => Err(NoAnswer::Silent),
        Err(_) | Ok(0) => Err(NoAnswer::Closed),
        Ok(_) => {
            // A line cut off (by the app closing, or at the limit) is no status line, even
            // when it begins as one (`HTTP/1.1 20`).
            let complete = line.ends_with(b"\n");
            let line = String::from_utf8_lossy(&line);
            complete
                .then(|| parse_status_line(&line))
                .flatten()
                .ok_or_else(|| NoAnswer::NotHttp(shown_start(&line)))
        }
    }
}

/// The start of a first line that is not a status line, as the check's messages show it: at
/// most [`SHOWN_START`] characters, control characters escaped, so it stays on one line.
fn shown_start(line: &str) -> String {
    let line = line.trim_end_matches(['\r', '\n']);
    let mut shown: String = line
        .chars()
        .take(SHOWN_START)
        .flat_map(char::escape_debug)
        .collect();
    if line.chars().nth(SHOWN_START).is_some() {
        shown.push('…');
    }
    shown
}

/// How much of a first line that is not HTTP is shown.
const SHOWN_START: usize = 40;

/// How long one read waits before the deadline and an interruption are looked at again.
const READ_SLICE: Duration = Duration::from_millis(100);

/// Reads of a stream that fail once `deadline` has passed or bpkit is interrupted. A read
/// timeout alone counts only silence: an app dripping a byte every few seconds kept one probe
/// reading for hours, past `--check-timeout` and past Ctrl-C.
struct UntilDeadline {
    stream: TcpStream,
    deadline: Instant,
}

impl Read for UntilDeadline {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::{Error, ErrorKind};
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            // Not `ErrorKind::Interrupted`, which `read_line` would retry.
            if left.is_zero() || crate::process_group::termination_requested() {
                return Err(Error::new(ErrorKind::TimedOut, "no status line in time"));
            }
            self.stream.set_read_timeout(Some(left.min(READ_SLICE)))?;
            match self.stream.read(buf) {
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                done => return done,
            }
        }
    }
}

/// How far into an answer its status line may end; real ones take a few dozen bytes.
const STATUS_LINE_LIMIT: u64 = 8 * 1024;

/// `HTTP/1.1 200 OK` → 200, "OK".
fn parse_status_line(line: &str) -> Option<Answer> {
    let mut parts = line.trim_end().splitn(3, ' ');
    let version = parts.next()?;
    if !version.starts_with("HTTP/") {
        return None;
    }
    let status = parts.next()?.parse().ok()?;
    Some(Answer {
        status,
        reason: parts.next().unwrap_or("").to_string(),
    })
}

/// A free port on 127.0.0.1 (for `--port 0`): bound, then released for the app to take.
pub fn free_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn status_lines() {
        assert_eq!(
            parse_status_line("HTTP/1.0 200 OK\r\n"),
            Some(Answer {
                status: 200,
                reason: "OK".into()
            })
        );
        assert_eq!(
            parse_status_line("HTTP/1.1 404 Not Found\r\n")
                .unwrap()
                .status,
            404
        );
        assert_eq!(parse_status_line("garbage"), None);
    }

    #[test]
    fn request_targets_are_encoded() {
        assert_eq!(request_target("/"), "/");
        assert_eq!(request_target("health"), "/health");
        assert_eq!(
            request_target("/api/v1/items?id=3&sort=name%20asc"),
            "/api/v1/items?id=3&sort=name%20asc"
        );
        assert_eq!(request_target("/a b"), "/a%20b");
        assert_eq!(
            request_target("/é\t\"<>\\^`{|}[]"),
            "/%C3%A9%09%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D"
        );
        // A fragment is the client's own, never sent; a `#` in the path is written `%23`.
        assert_eq!(request_target("/docs#intro"), "/docs");
        assert_eq!(request_target("/a?b=1#x#y"), "/a?b=1");
        assert_eq!(request_target("#top"), "/");
        assert_eq!(request_target("/issue%231"), "/issue%231");
        assert_eq!(
            request_target("/~user/:x@y;z=1,2!$'()*+"),
            "/~user/:x@y;z=1,2!$'()*+"
        );
        assert_eq!(
            request(8080, &request_target("/a b")),
            "GET /a%20b HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: bpkit-run-check\r\nAccept: */*\r\nConnection: close\r\n\r\n"
        );
    }

    #[test]
    fn an_answer_that_never_ends_its_first_line_is_no_answer() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let chunk = [b'a'; 1024];
            // Until the client hangs up: never a newline, never a pause.
            while stream.write_all(&chunk).is_ok() {}
        });
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(probe(port, "/", Duration::from_secs(1)));
        });
        let answer = finished
            .recv_timeout(Duration::from_secs(10))
            .expect("the probe kept reading an endless first line");
        assert_eq!(
            answer,
            Err(NoAnswer::NotHttp(format!("{}…", "a".repeat(40))))
        );
    }

    #[test]
    fn probes_a_live_server_and_a_closed_port() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let n = stream.read(&mut buf).unwrap();
            assert!(String::from_utf8_lossy(&buf[..n]).starts_with("GET /health HTTP/1.1\r\n"));
            stream
                .write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
                .unwrap();
        });
        let answer = probe(port, "/health", Duration::from_secs(5)).unwrap();
        assert_eq!(answer.status, 503);
        assert!(!answer.is_success());
        server.join().unwrap();
        let closed = free_port().unwrap();
        assert_eq!(
            probe(closed, "/", Duration::from_millis(500)),
            Err(NoAnswer::NotListening)
        );
    }

    /// Serves each connection with `answer`, then closes it.
    fn serve_once(answer: &[u8]) -> u16 {
        let answer = answer.to_vec();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(&answer);
        });
        port
    }

    #[test]
    fn a_closed_connection_and_an_answer_that_is_not_http_are_told_apart() {
        let timeout = Duration::from_secs(5);
        assert_eq!(probe(serve_once(b""), "/", timeout), Err(NoAnswer::Closed));
        assert_eq!(
            probe(serve_once(b"SSH-2.0-OpenSSH_9.6\r\n"), "/", timeout),
            Err(NoAnswer::NotHttp("SSH-2.0-OpenSSH_9.6".into()))
        );
        assert_eq!(
            probe(serve_once(b"\x15\x03\x01\x00\x02\x02\n"), "/", timeout),
            Err(NoAnswer::NotHttp(
                "\\u{15}\\u{3}\\u{1}\\0\\u{2}\\u{2}".into()
            ))
        );
        // Cut off after the status line began: not a status line.
        assert_eq!(
            probe(serve_once(b"HTTP/1.1 20"), "/", timeout),
            Err(NoAnswer::NotHttp("HTTP/1.1 20".into()))
        );
    }

    /// The platform's HTTP health check passes 2xx and 3xx alone.
    #[test]
    fn only_2xx_and_3xx_pass() {
        let answer = |status| Answer {
            status,
            reason: String::new(),
        };
        assert!(answer(200).is_success());
        assert!(answer(302).is_success());
        assert!(answer(399).is_success());
        assert!(!answer(199).is_success());
        assert!(!answer(400).is_success());
        assert!(!answer(503).is_success());
    }

    #[test]
    fn an_app_that_takes_the_connection_and_never_answers_is_silent() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            // Held open without a word until the probe hangs up.
            let mut buf = [0u8; 1024];
            while stream.read(&mut buf).is_ok_and(|n| n > 0) {}
        });
        let started = Instant::now();
        assert_eq!(
            probe(port, "/", Duration::from_millis(300)),
            Err(NoAnswer::Silent)
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    /// A reset is an error on the read, not a timeout: the app closed, it was not silent.
    #[test]
    fn a_reset_connection_is_closed_not_silent() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            // Closed with the request unread, the kernel resets the connection rather than
            // ending it: the probe's read fails with ECONNRESET.
            let _ = stream.peek(&mut [0u8; 1]);
            drop(stream);
        });
        assert_eq!(
            probe(port, "/", Duration::from_secs(5)),
            Err(NoAnswer::Closed)
        );
    }

    /// A status line of up to 8 KiB, its CRLF included, is read (the length servers commonly
    /// allow a request or header line); one byte more and it is cut off, so no status line.
    /// Written out, not [`STATUS_LINE_LIMIT`]: a changed limit must fail here.
    #[test]
    fn a_status_line_may_end_at_the_limit() {
        let limit = 8 * 1024;
        let head = "HTTP/1.1 200 ";
        let reason = "x".repeat(limit - head.len() - "\r\n".len());
        let answer = probe(
            serve_once(format!("{head}{reason}\r\n").as_bytes()),
            "/",
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(answer.reason, reason);
        assert_eq!(
            probe(
                serve_once(format!("{head}{reason}x\r\n").as_bytes()),
                "/",
                Duration::from_secs(5)
            ),
            Err(NoAnswer::NotHttp(format!(
                "{head}{}…",
                "x".repeat(SHOWN_START - head.len())
            )))
        );
    }

    /// `--port 0` gets a port an app run as any user can bind: not 0, not a privileged one.
    #[test]
    fn a_free_port_can_be_bound() {
        let port = free_port().unwrap();
        assert!(port >= 1024, "{port}");
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
        assert_eq!(listener.local_addr().unwrap().port(), port);
    }
}
