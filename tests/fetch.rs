//! The fetch module against a local server with faults (quality.md, "Reliability"): every
//! network fault, the cache semantics, crash safety (SIGKILL mid-download), two processes on one
//! cache, mirrors, proxies, extra CAs, redaction, and parallel fetches. Nothing here touches
//! the internet, and every test ends in bounded time (short timeouts, a server that stops on
//! drop).
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bpkit::checksum::{Checksums, Md5, Sha256};
use bpkit::fetch::{
    self, Config, FetchError, Fetched, Fetcher, Item, Mirrors, Mode, Source, app_cache_path,
    packager_cache_path,
};
use bpkit::output::Logger;
use bpkit::output::logger::Captured;
use bpkit::output::progress::{Hidden, Progress, Task};
use common::server::{Fault, PROXIED_CA_PEM, Server, TEST_CA_PEM, payload, refused_url};

/// Fast settings for tests: short timeouts, 2 retries 10 ms apart.
const FAST: &[(&str, &str)] = &[
    ("BPKIT_CONNECT_TIMEOUT", "2"),
    ("BPKIT_READ_TIMEOUT", "1"),
    ("BPKIT_RETRIES", "2"),
    ("BPKIT_RETRY_DELAY_MS", "10"),
];

fn config(extra: &[(&str, &str)]) -> Config {
    let env: HashMap<String, String> = FAST
        .iter()
        .chain(extra)
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    Config::from_lookup(&|k| env.get(k).cloned()).unwrap()
}

fn fetcher_with(extra: &[(&str, &str)], mirrors: Mirrors) -> (Fetcher, Captured) {
    let (logger, captured) = Logger::capture();
    let logger = logger.with_debug(true);
    (
        Fetcher::new(config(extra), mirrors, logger).unwrap(),
        captured,
    )
}

fn fetcher() -> (Fetcher, Captured) {
    fetcher_with(&[], Mirrors::none())
}

fn sha256(body: &[u8]) -> Checksums {
    Checksums {
        sha256: Some(Sha256::of_bytes(body)),
        md5: None,
    }
}

/// The error and its whole `source()` chain, as a user could ever see it.
fn chain(error: &FetchError) -> String {
    let mut text = format!("{error} | {error:?}");
    let mut source = error.source();
    while let Some(e) = source {
        text = format!("{text} | {e} | {e:?}");
        source = e.source();
    }
    text
}

/// Files in `dir` whose name ends in `.part`.
fn parts_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".part"))
                .collect()
        })
        .unwrap_or_default()
}

fn entry(cache: &Path, uri: &str) -> PathBuf {
    packager_cache_path(cache, uri)
}

/// `fetcher.ensure` of `uri` into its entry in `cache`, checked against `body`'s sha256.
fn ensure_in(
    fetcher: &Fetcher,
    cache: &Path,
    uri: &str,
    body: &[u8],
) -> Result<Fetched, FetchError> {
    fetcher.ensure(&entry(cache, uri), uri, &sha256(body), Mode::Normal)
}

/// One fetch of `uri` into a fresh cache with the fast test fetcher: what most tests set up.
struct Attempt {
    fetcher: Fetcher,
    _cache: tempfile::TempDir,
    uri: String,
    dest: PathBuf,
}

/// The fast test fetcher, its log, a fresh cache (removed when dropped, so keep it), `uri`
/// and the cache entry `uri` gets in it.
fn prepared(uri: String) -> (Fetcher, Captured, tempfile::TempDir, String, PathBuf) {
    let (fetcher, log) = fetcher();
    let cache = tempfile::tempdir().unwrap();
    let dest = entry(cache.path(), &uri);
    (fetcher, log, cache, uri, dest)
}

impl Attempt {
    fn new(uri: String) -> Attempt {
        let (fetcher, _, cache, uri, dest) = prepared(uri);
        Attempt {
            fetcher,
            _cache: cache,
            uri,
            dest,
        }
    }

    /// Fetching it for a file of the bytes `the file` fails with the mismatch that names no
    /// header and no surplus, having got `sent`; `case` names the case in a failure.
    fn assert_plain_mismatch(&self, sent: &[u8], case: &str) {
        let err = self.ensure(&sha256(b"the file")).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "The file at {} is not the one the manifest describes (sha256 mismatch: expected {}, got {}), so it was not kept; fix the dependency's `uri`, or its checksum if that file is the right one.",
                self.uri,
                Sha256::of_bytes(b"the file"),
                Sha256::of_bytes(sent)
            ),
            "{case}"
        );
    }

    fn ensure(&self, checksums: &Checksums) -> Result<Fetched, FetchError> {
        self.fetcher
            .ensure(&self.dest, &self.uri, checksums, Mode::Normal)
    }
}

#[test]
fn downloads_and_verifies_sha256() {
    let server = Server::start();
    let body = payload(300 * 1024);
    server.serve("/x.tgz", body.clone());
    let (fetcher, log, _cache, uri, dest) = prepared(server.url("/x.tgz"));

    let outcome = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();

    assert_eq!(outcome.path(), dest);
    assert_eq!(outcome.source, Source::Downloaded { uri: uri.clone() });
    assert_eq!(outcome.digests.len, body.len() as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert!(parts_in(dest.parent().unwrap()).is_empty());
    assert!(log.text().contains(&format!("       Download [{uri}]\n")));
    assert_eq!(server.hits("/x.tgz"), 1);

    // The second time it is a verified cache hit and the server is not asked.
    let again = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert_eq!(again.source, Source::Cache);
    assert_eq!(server.hits("/x.tgz"), 1);
}

#[test]
fn downloads_with_md5_only() {
    let server = Server::start();
    let body = payload(10_000);
    server.serve("/old.tgz", body.clone());
    let (fetcher, _, cache, uri, _) = prepared(server.url("/old.tgz"));
    let checksums = Checksums {
        sha256: None,
        md5: Some(Md5::of_bytes(&body)),
    };
    let outcome = fetcher
        .ensure(&entry(cache.path(), &uri), &uri, &checksums, Mode::Normal)
        .unwrap();
    assert_eq!(outcome.digests.md5, Md5::of_bytes(&body));
    assert_eq!(outcome.digests.sha256, Sha256::of_bytes(&body));
}

#[test]
fn refuses_a_dependency_without_checksum() {
    let server = Server::start();
    server.serve("/x.tgz", "data");
    let attempt = Attempt::new(server.url("/x.tgz"));
    let uri = &attempt.uri;
    let err = attempt.ensure(&Checksums::default()).unwrap_err();
    assert!(matches!(err, FetchError::NoChecksum { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "{uri} has neither a sha256 nor an md5 checksum, so it would not be verified; add its sha256 to the manifest."
        )
    );
    assert_eq!(server.hits("/x.tgz"), 0);
}

#[test]
fn sha256_mismatch_leaves_nothing_and_a_fixed_server_then_works() {
    let server = Server::start();
    let good = payload(50_000);
    server.serve("/x.tgz", b"tampered".to_vec());
    let (fetcher, _, _cache, uri, dest) = prepared(server.url("/x.tgz"));

    let err = fetcher
        .ensure(&dest, &uri, &sha256(&good), Mode::Normal)
        .unwrap_err();
    assert!(matches!(err, FetchError::ChecksumMismatch { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "The file at {uri} is not the one the manifest describes (sha256 mismatch: expected {}, got {}), so it was not kept; fix the dependency's `uri`, or its checksum if that file is the right one.",
            Sha256::of_bytes(&good),
            Sha256::of_bytes(b"tampered")
        )
    );
    assert!(!err.is_retryable());
    assert_eq!(
        server.hits("/x.tgz"),
        1,
        "a checksum mismatch is not retried"
    );
    assert!(!dest.exists());
    assert!(parts_in(dest.parent().unwrap()).is_empty());

    server.serve("/x.tgz", good.clone());
    let outcome = fetcher
        .ensure(&dest, &uri, &sha256(&good), Mode::Normal)
        .unwrap();
    assert!(matches!(outcome.source, Source::Downloaded { .. }));
    assert_eq!(std::fs::read(&dest).unwrap(), good);
}

#[test]
fn md5_mismatch() {
    let server = Server::start();
    server.serve("/x.tgz", "served");
    let (fetcher, _, _cache, uri, dest) = prepared(server.url("/x.tgz"));
    let checksums = Checksums {
        sha256: None,
        md5: Some(Md5::of_bytes(b"expected")),
    };
    let err = fetcher
        .ensure(&dest, &uri, &checksums, Mode::Normal)
        .unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "md5 mismatch: expected {}, got {}",
            Md5::of_bytes(b"expected"),
            Md5::of_bytes(b"served")
        )),
        "{err}"
    );
    assert!(!dest.exists());
}

#[test]
fn not_found_is_reported_once_without_retry() {
    let server = Server::start();
    let (fetcher, log, _cache, uri, dest) = prepared(server.url("/missing.tgz"));
    let err = fetcher
        .ensure(&dest, &uri, &sha256(b"x"), Mode::Normal)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Could not download {uri}: the server answered 404 Not Found; the server has no file there: correct the URI, or put the file on the server."
        )
    );
    assert!(matches!(err, FetchError::HttpStatus { status: 404, .. }));
    assert_eq!(server.hits("/missing.tgz"), 1);
    assert!(!log.text().contains("Retrying"));
    assert!(!dest.exists());
    assert!(parts_in(dest.parent().unwrap()).is_empty());
}

#[test]
fn forbidden_is_not_retried() {
    let server = Server::start();
    server.route("/x.tgz", "x", Fault::Status(403));
    let attempt = Attempt::new(server.url("/x.tgz"));
    let err = attempt.ensure(&sha256(b"x")).unwrap_err();
    assert!(err.to_string().contains("403 Forbidden"), "{err}");
    assert_eq!(server.hits("/x.tgz"), 1);
}

/// A 407 with no proxy set for the URI (loopback is never proxied) names no proxy variable the
/// user never set: it says no proxy covers the URI and which variable would, where it told them
/// to correct "the proxy variable". Not retried, as no retry brings a login.
#[test]
fn a_proxy_login_asked_for_with_no_proxy_set_says_none_is() {
    let server = Server::start();
    server.route("/x.tgz", "x", Fault::Status(407));
    let attempt = Attempt::new(server.url("/x.tgz"));
    let err = attempt.ensure(&sha256(b"x")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Could not download {}: the server answered 407 Proxy Authentication Required; no proxy variable covers this URI, so a proxy that intercepts connections (or the server itself) asked for a login: set http_proxy=http://user:password@proxy:3128 if your network has such a proxy, else ask the server's owner.",
            server.url("/x.tgz")
        )
    );
    assert_eq!(server.hits("/x.tgz"), 1);
}

#[test]
fn server_errors_are_retried_until_success() {
    let server = Server::start();
    let body = payload(20_000);
    server.route(
        "/x.tgz",
        body.clone(),
        Fault::FailFirst {
            count: 2,
            status: 500,
        },
    );
    server.route(
        "/busy.tgz",
        body.clone(),
        Fault::FailFirst {
            count: 1,
            status: 429,
        },
    );
    let (fetcher, log, cache, uri, _) = prepared(server.url("/x.tgz"));
    let outcome = ensure_in(&fetcher, cache.path(), &uri, &body).unwrap();
    assert!(matches!(outcome.source, Source::Downloaded { .. }));
    assert_eq!(server.hits("/x.tgz"), 3);
    let text = log.text();
    assert!(
        text.contains(&format!(
            "**WARNING** Could not download {uri}: the server answered 500 Internal Server Error. Retrying in 0.01 s (attempt 2 of 3).\n"
        )),
        "{text}"
    );
    assert!(
        text.contains("Retrying in 0.02 s (attempt 3 of 3)."),
        "{text}"
    );

    let uri = server.url("/busy.tgz");
    ensure_in(&fetcher, cache.path(), &uri, &body).unwrap();
    assert_eq!(server.hits("/busy.tgz"), 2);
}

#[test]
fn persistent_server_errors_give_up_after_the_retries() {
    let server = Server::start();
    server.route("/x.tgz", "x", Fault::Status(503));
    let (fetcher, _, _cache, uri, dest) = prepared(server.url("/x.tgz"));
    let err = fetcher
        .ensure(&dest, &uri, &sha256(b"x"), Mode::Normal)
        .unwrap_err();
    assert!(err.to_string().contains("503 Service Unavailable"), "{err}");
    assert_eq!(server.hits("/x.tgz"), 3);
    assert!(!dest.exists());
    assert!(parts_in(dest.parent().unwrap()).is_empty());
}

#[test]
fn connection_refused() {
    let (fetcher, log, _cache, uri, dest) = prepared(refused_url("/x.tgz"));
    let err = fetcher
        .ensure(&dest, &uri, &sha256(b"x"), Mode::Normal)
        .unwrap_err();
    assert!(matches!(err, FetchError::CannotConnect { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with(&format!("Could not connect to {uri}: connection refused.")),
        "{err}"
    );
    // Connection errors are retried.
    assert_eq!(log.text().matches("Retrying").count(), 2);
    assert!(!dest.exists());
}

#[test]
fn truncated_body_names_the_byte_counts() {
    let server = Server::start();
    let body = payload(5000);
    server.route("/x.tgz", body.clone(), Fault::Truncate { send: 1000 });
    let (fetcher, _, _cache, uri, dest) = prepared(server.url("/x.tgz"));
    let err = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap_err();
    assert!(matches!(err, FetchError::Truncated { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!("Could not download {uri}: the connection closed early, got 1000 of 5000 bytes.")
    );
    assert_eq!(server.hits("/x.tgz"), 3, "a short body is retried");
    assert!(!dest.exists());
    assert!(parts_in(dest.parent().unwrap()).is_empty());
}

/// A server that sends without end and announces no size stops at `BPKIT_MAX_DOWNLOAD_SIZE`
/// (not retried: it would do the same again), leaving no `.part` file; one that announces more
/// is refused before a byte is written; a file of exactly the limit, announced or not, is
/// fetched. Without a limit the endless one wrote on until the disk was full.
#[test]
fn a_download_past_the_size_limit_stops_there_and_leaves_nothing() {
    let body = payload(1000);
    let limit = [("BPKIT_MAX_DOWNLOAD_SIZE", "4K")];
    for (fault, announced) in [(Fault::Endless, None), (Fault::None, Some(5000))] {
        let server = Server::start();
        let big = if announced.is_some() {
            payload(5000)
        } else {
            body.clone()
        };
        server.route("/x.tgz", big.clone(), fault);
        let (fetcher, _) = fetcher_with(&limit, Mirrors::none());
        let cache = tempfile::tempdir().unwrap();
        let uri = server.url("/x.tgz");
        let dest = entry(cache.path(), &uri);
        let err = ensure_in(&fetcher, cache.path(), &uri, &big).unwrap_err();
        let what = match announced {
            Some(size) => format!(
                "the server announced {size} bytes (Content-Length), more than the 4096 bytes a download may have"
            ),
            None => {
                "the server sent more than the 4096 bytes a download may have, announcing no size"
                    .to_string()
            }
        };
        assert_eq!(
            err.to_string(),
            format!(
                "Could not download {uri}: {what}; if the file is that large, set BPKIT_MAX_DOWNLOAD_SIZE to a larger size (such as 8G), or to 0 for no limit."
            )
        );
        assert_eq!(server.hits("/x.tgz"), 1, "{what}: not retried");
        assert!(!dest.exists());
        assert!(parts_in(dest.parent().unwrap()).is_empty());
    }
    // Exactly the limit: fetched, with or without a Content-Length (a close-delimited body).
    let exact = payload(4096);
    for fault in [Fault::None, Fault::NoLength] {
        let server = Server::start();
        server.route("/x.tgz", exact.clone(), fault);
        let (fetcher, _) = fetcher_with(&limit, Mirrors::none());
        let cache = tempfile::tempdir().unwrap();
        let outcome = ensure_in(&fetcher, cache.path(), &server.url("/x.tgz"), &exact).unwrap();
        assert_eq!(outcome.digests.len, 4096);
    }
}

#[test]
fn a_broken_download_resumes_and_a_bad_resume_starts_again() {
    let body = payload(300_000);
    for (fault, requests) in [
        (
            Fault::CutThenResume { send: 100_000 },
            vec![None, Some("bytes=100000-")],
        ),
        // 206 from byte 0 when byte 100000 was asked for: the whole file again, from scratch.
        (
            Fault::ResumeFromZero { send: 100_000 },
            vec![None, Some("bytes=100000-"), None],
        ),
        // 416: the file is not as long as what we have any more. From scratch too.
        (
            Fault::RefuseRange { send: 100_000 },
            vec![None, Some("bytes=100000-"), None],
        ),
    ] {
        let server = Server::start();
        server.route("/x.tgz", body.clone(), fault);
        let (fetcher, log, _cache, uri, dest) = prepared(server.url("/x.tgz"));
        let done = fetcher
            .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
            .unwrap();
        assert_eq!(std::fs::read(done.path()).unwrap(), body);
        assert_eq!(log.text().matches("Retrying").count(), 1, "{}", log.text());
        let ranges: Vec<_> = server
            .requests()
            .iter()
            .map(|r| r.headers.get("range").cloned())
            .collect();
        let expected: Vec<_> = requests.iter().map(|r| r.map(String::from)).collect();
        assert_eq!(ranges, expected);
        assert!(parts_in(dest.parent().unwrap()).is_empty());
    }
}

/// A bar counts the bytes in the file, whatever the attempts: a resume goes on from the bytes
/// already there, and a download started again counts from 0, not twice.
#[test]
fn a_bar_counts_a_resumed_or_restarted_download_once() {
    let body = payload(300_000);
    for fault in [
        Fault::CutThenResume { send: 100_000 },
        Fault::RefuseRange { send: 100_000 },
    ] {
        let server = Server::start();
        server.route("/x.tgz", body.clone(), fault.clone());
        let cache = tempfile::tempdir().unwrap();
        let list = items(&server, cache.path(), &[("/x.tgz", &body)]);
        let (fetcher, _) = fetcher();
        let recorder = Recorder::default();
        let results = fetcher.fetch_all(&list, Mode::Normal, 1, &recorder);
        assert!(
            matches!(&results[0], Some(Ok(_))),
            "{fault:?}: {:?}",
            results[0]
        );
        let tasks = recorder.tasks.lock().unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].done.load(Ordering::SeqCst), 300_000, "{fault:?}");
        assert_eq!(tasks[0].total.load(Ordering::SeqCst), 300_000, "{fault:?}");
        assert!(tasks[0].finished.load(Ordering::SeqCst));
    }
}

/// A resumed answer whose Content-Length, added to the bytes already there, is past what a
/// file size can hold: refused as a broken response, where adding the two panicked.
#[test]
fn a_resume_announcing_an_impossible_length_is_refused() {
    let body = payload(5000);
    let server = Server::start();
    server.route(
        "/x.tgz",
        body.clone(),
        Fault::ResumeClaiming {
            send: 1000,
            content_length: u64::MAX.to_string(),
        },
    );
    let (fetcher, _, _cache, uri, dest) = prepared(server.url("/x.tgz"));
    let err = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Could not download {uri}: the server sent an invalid HTTP response (it answered 206 Partial Content with a Content-Length of 18446744073709551615 bytes after the 1000 bytes already here, more than a file can hold)."
        )
    );
    assert!(!dest.exists());
    assert!(parts_in(dest.parent().unwrap()).is_empty());
}

#[test]
fn a_short_body_then_a_full_one_succeeds() {
    let server = Server::start();
    let body = payload(5000);
    server.route("/x.tgz", body.clone(), Fault::Truncate { send: 10 });
    let (fetcher, log) = fetcher_with(&[("BPKIT_RETRY_DELAY_MS", "300")], Mirrors::none());
    let cache = tempfile::tempdir().unwrap();
    let uri = server.url("/x.tgz");
    let dest = entry(cache.path(), &uri);
    std::thread::scope(|s| {
        s.spawn(|| {
            // Fix the server while the client waits before its retry. Bounded: a fetch that
            // failed before asking would otherwise leave the test waiting here for ever.
            let started = Instant::now();
            while server.hits("/x.tgz") == 0 && started.elapsed() < Duration::from_secs(60) {
                std::thread::sleep(Duration::from_millis(5));
            }
            server.set_fault("/x.tgz", Fault::None);
        });
        let outcome = fetcher
            .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
            .unwrap();
        assert_eq!(outcome.digests.len, 5000);
    });
    assert!(log.text().contains("got 10 of 5000 bytes"));
    assert_eq!(std::fs::read(&dest).unwrap(), body);
}

#[test]
fn a_stalled_server_times_out_in_bounded_time() {
    let server = Server::start();
    let body = payload(100_000);
    server.route("/x.tgz", body.clone(), Fault::Stall { after: 4096 });
    let (fetcher, _) = fetcher_with(
        &[("BPKIT_READ_TIMEOUT", "0.5"), ("BPKIT_RETRIES", "1")],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();
    let uri = server.url("/x.tgz");
    let dest = entry(cache.path(), &uri);
    let started = Instant::now();
    let err = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "Timed out downloading {uri}: no data for 0.5 s after 4096 of 100000 bytes. Set BPKIT_READ_TIMEOUT to wait longer."
        )
    );
    assert_eq!(server.hits("/x.tgz"), 2, "a timeout is retried");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert!(!dest.exists());
    assert!(parts_in(dest.parent().unwrap()).is_empty());
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = Server::start();
    // Headers and no body byte at all.
    server.route("/x.tgz", payload(10), Fault::Stall { after: 0 });
    let (fetcher, _) = fetcher_with(
        &[("BPKIT_READ_TIMEOUT", "0.3"), ("BPKIT_RETRIES", "0")],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();
    let uri = server.url("/x.tgz");
    let started = Instant::now();
    let err = ensure_in(&fetcher, cache.path(), &uri, b"x").unwrap_err();
    assert!(
        err.to_string()
            .contains("no data for 0.3 s after 0 of 10 bytes."),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

/// A server that sends its head a byte at a time (slowloris-style), each byte well within the
/// idle timeout: the head must be whole within `BPKIT_READ_TIMEOUT`, where each byte started
/// the wait again and the download never ended. The server gives up after 20 s, so without
/// the deadline this test fails instead of hanging.
#[test]
fn a_server_dripping_its_headers_times_out_in_bounded_time() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                let _ = std::io::Read::read(&mut stream, &mut buffer);
                let started = Instant::now();
                let head = b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n";
                let filler = std::iter::repeat(b"X-Filler: slow\r\n".iter()).flatten();
                for byte in head.iter().chain(filler) {
                    if started.elapsed() > Duration::from_secs(20)
                        || std::io::Write::write_all(&mut stream, &[*byte]).is_err()
                    {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            });
        }
    });
    let (fetcher, _) = fetcher_with(
        &[("BPKIT_READ_TIMEOUT", "0.5"), ("BPKIT_RETRIES", "1")],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();
    let uri = format!("http://127.0.0.1:{port}/x.tgz");
    let started = Instant::now();
    let err = ensure_in(&fetcher, cache.path(), &uri, b"x").unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(
        err.to_string(),
        format!(
            "Timed out downloading {uri}: the server's answer did not come whole (status line and headers) within 0.5 s. Set BPKIT_READ_TIMEOUT to wait longer."
        )
    );
    assert!(err.is_retryable(), "{err}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[test]
fn a_slow_but_progressing_download_is_not_cut_off() {
    let server = Server::start();
    let body = payload(12_000);
    // 12 chunks 150 ms apart: about 1.8 s in all, three times the idle timeout.
    server.route(
        "/x.tgz",
        body.clone(),
        Fault::Slow {
            chunk: 1000,
            delay: Duration::from_millis(150),
        },
    );
    let (fetcher, _) = fetcher_with(
        &[("BPKIT_READ_TIMEOUT", "0.6"), ("BPKIT_RETRIES", "0")],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();
    let uri = server.url("/x.tgz");
    let started = Instant::now();
    let outcome = ensure_in(&fetcher, cache.path(), &uri, &body).unwrap();
    assert!(started.elapsed() > Duration::from_millis(1200));
    assert_eq!(outcome.digests.len, 12_000);
    assert_eq!(server.hits("/x.tgz"), 1);
}

#[test]
fn redirects_are_followed() {
    let server = Server::start();
    let body = payload(3000);
    server.serve("/real/x.tgz", body.clone());
    server.route(
        "/old/x.tgz",
        "",
        Fault::Redirect {
            to: "/real/x.tgz".into(),
        },
    );
    server.route(
        "/older/x.tgz",
        "",
        Fault::Redirect {
            to: server.url("/old/x.tgz"),
        },
    );
    let attempt = Attempt::new(server.url("/older/x.tgz"));
    let uri = &attempt.uri;
    let outcome = attempt.ensure(&sha256(&body)).unwrap();
    assert_eq!(outcome.source, Source::Downloaded { uri: uri.clone() });
    assert_eq!(
        (
            server.hits("/older/x.tgz"),
            server.hits("/old/x.tgz"),
            server.hits("/real/x.tgz")
        ),
        (1, 1, 1)
    );
}

#[test]
fn a_redirect_loop_stops() {
    let server = Server::start();
    server.route("/a", "", Fault::Redirect { to: "/b".into() });
    server.route("/b", "", Fault::Redirect { to: "/a".into() });
    let attempt = Attempt::new(server.url("/a"));
    let uri = &attempt.uri;
    let err = attempt.ensure(&sha256(b"x")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Could not download {uri}: more than 10 redirects.")
    );
}

#[test]
fn a_status_after_a_redirect_names_the_target() {
    let server = Server::start();
    server.route("/a", "", Fault::Redirect { to: "/gone".into() });
    let attempt = Attempt::new(server.url("/a"));
    let uri = &attempt.uri;
    let err = attempt.ensure(&sha256(b"x")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Could not download {uri}: the server answered 404 Not Found (after a redirect to {}); the server has no file there: correct the URI, or put the file on the server.",
            server.url("/gone")
        )
    );
}

/// A connection that fails at the URI a redirect led to names that URI, its scheme's proxy
/// variable and the URI that redirected: the error blamed the server that had answered (and
/// the packager told the user to mirror it, as unreachable).
#[test]
fn a_connection_failure_after_a_redirect_names_the_target() {
    let server = Server::start();
    let refused = refused_url("/x.tgz");
    let refused_https = refused.replacen("http:", "https:", 1);
    server.route(
        "/to-refused/x.tgz",
        "",
        Fault::Redirect {
            to: refused.clone(),
        },
    );
    server.route(
        "/to-https/x.tgz",
        "",
        Fault::Redirect {
            to: refused_https.clone(),
        },
    );
    let (fetcher, log) = fetcher_with(&[("BPKIT_RETRIES", "0")], Mirrors::none());
    let cache = tempfile::tempdir().unwrap();
    for (from, target, variable) in [
        ("/to-refused/x.tgz", &refused, "HTTP_PROXY"),
        // The proxy variable is the target's scheme's, not the manifest URI's.
        ("/to-https/x.tgz", &refused_https, "HTTPS_PROXY"),
    ] {
        let uri = server.url(from);
        let err = ensure_in(&fetcher, cache.path(), &uri, b"x").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Could not connect to {target}: connection refused. Check the network, the proxy settings ({variable}, NO_PROXY) and BPKIT_MIRRORS. It was reached by a redirect from {uri}."
            )
        );
        assert!(err.is_unreachable() && err.is_retryable(), "{err}");
    }
    assert!(!log.text().contains("Retrying"));

    // Credentials and secret query values of either URI never show.
    server.route(
        "/to-secret/x.tgz",
        "",
        Fault::Redirect {
            to: refused_url("/x.tgz?access_token=t0ken").replacen(
                "http://",
                "http://them:pa55@",
                1,
            ),
        },
    );
    let uri = server.url_with_credentials("us", "s3cret", "/to-secret/x.tgz");
    let err = ensure_in(&fetcher, cache.path(), &uri, b"x").unwrap_err();
    let text = chain(&err);
    for secret in ["s3cret", "pa55", "t0ken"] {
        assert!(!text.contains(secret), "{text}");
    }
    // Sent as an `Authorization` header, the target's credentials are not in the URI asked.
    assert!(
        err.to_string()
            .starts_with("Could not connect to http://127.0.0.1:"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("/x.tgz?access_token=-redacted-: connection refused."),
        "{err}"
    );
}

/// TLS, a body cut short and a stalled body after a redirect: each names the target, with the
/// fix for it, and the URI that redirected.
#[test]
fn tls_and_body_failures_after_a_redirect_name_the_target() {
    let server = Server::start();
    let body = payload(1000);
    // A certificate from a CA the fetcher is not told of.
    let tls = Server::start_tls();
    tls.serve("/x.tgz", body.clone());
    let tls_url = tls.url("/x.tgz");
    server.route(
        "/to-tls/x.tgz",
        "",
        Fault::Redirect {
            to: tls_url.clone(),
        },
    );
    server.route("/short.tgz", body.clone(), Fault::Truncate { send: 10 });
    server.route(
        "/to-short/x.tgz",
        "",
        Fault::Redirect {
            to: "/short.tgz".into(),
        },
    );
    server.route("/stall.tgz", body.clone(), Fault::Stall { after: 10 });
    server.route(
        "/to-stall/x.tgz",
        "",
        Fault::Redirect {
            to: "/stall.tgz".into(),
        },
    );
    let (fetcher, _) = fetcher_with(
        &[("BPKIT_RETRIES", "0"), ("BPKIT_READ_TIMEOUT", "0.3")],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();
    let fail = |from: &str| {
        let uri = server.url(from);
        let err = ensure_in(&fetcher, cache.path(), &uri, &body).unwrap_err();
        (
            err.to_string(),
            format!(" It was reached by a redirect from {uri}."),
        )
    };
    let (text, from) = fail("/to-tls/x.tgz");
    assert!(
        text.starts_with(&format!("The TLS connection to {tls_url} failed: ")),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "If the server uses a private certificate authority, point SSL_CERT_FILE at a PEM file holding its certificate.{from}"
        )),
        "{text}"
    );
    let (text, from) = fail("/to-short/x.tgz");
    assert_eq!(
        text,
        format!(
            "Could not download {}: the connection closed early, got 10 of 1000 bytes.{from}",
            server.url("/short.tgz")
        )
    );
    let (text, from) = fail("/to-stall/x.tgz");
    assert_eq!(
        text,
        format!(
            "Timed out downloading {}: no data for 0.3 s after 10 of 1000 bytes. Set BPKIT_READ_TIMEOUT to wait longer.{from}",
            server.url("/stall.tgz")
        )
    );
}

/// A relative `Location` with `..` segments is resolved as RFC 3986 §5.2.4 says, as curl -L
/// and Go's `url.ResolveReference` do: `/ok/x.tgz` is asked for, not `/dots/a/../../ok/x.tgz`.
#[test]
fn a_redirect_with_dot_segments_asks_for_the_resolved_path() {
    let server = Server::start();
    let body = payload(1000);
    server.serve("/ok/x.tgz", body.clone());
    server.route(
        "/dots/a/x.tgz",
        "",
        Fault::Redirect {
            to: "../../ok/x.tgz".into(),
        },
    );
    let attempt = Attempt::new(server.url("/dots/a/x.tgz"));
    attempt.ensure(&sha256(&body)).unwrap();
    let targets: Vec<String> = server
        .methods_and_targets()
        .into_iter()
        .map(|(_, target)| target)
        .collect();
    assert_eq!(targets, ["/dots/a/x.tgz", "/ok/x.tgz"]);
}

#[test]
fn uri_credentials_are_sent_as_basic_auth_and_only_to_their_server() {
    let server = Server::start();
    let other = Server::start();
    let body = payload(1000);
    let auth = Fault::BasicAuth {
        user: "user".into(),
        password: "s3cret".into(),
    };
    server.route("/x.tgz", body.clone(), auth.clone());
    other.route("/y.tgz", body.clone(), auth);
    server.route(
        "/away",
        "",
        Fault::Redirect {
            to: other.url("/y.tgz"),
        },
    );
    let (fetcher, log, cache, uri, _) =
        prepared(server.url_with_credentials("user", "s3cret", "/x.tgz"));
    let outcome = ensure_in(&fetcher, cache.path(), &uri, &body).unwrap();
    let shown = format!("http://-redacted-:-redacted-@{}/x.tgz", server.addr());
    assert_eq!(outcome.source, Source::Downloaded { uri: shown.clone() });
    assert!(log.text().contains(&format!("Download [{shown}]")));

    // A redirect to another origin does not carry the credentials along.
    let uri = server.url_with_credentials("user", "s3cret", "/away");
    let err = ensure_in(&fetcher, cache.path(), &uri, &body).unwrap_err();
    assert!(err.to_string().contains("401 Unauthorized"), "{err}");
    let sent = other.requests();
    assert!(
        sent.iter()
            .all(|r| !r.headers.contains_key("authorization"))
    );
    assert!(!log.text().contains("s3cret"));
}

#[test]
fn credentials_never_appear_in_errors_or_logs() {
    let server = Server::start();
    let body = payload(5000);
    server.route("/short.tgz", body.clone(), Fault::Truncate { send: 10 });
    server.route("/stall.tgz", body.clone(), Fault::Stall { after: 10 });
    server.route("/x.tgz", b"other".to_vec(), Fault::None);
    server.route(
        "/auth.tgz",
        body.clone(),
        Fault::BasicAuth {
            user: "user".into(),
            password: "right".into(),
        },
    );
    let (fetcher, log) = fetcher_with(
        &[("BPKIT_READ_TIMEOUT", "0.3"), ("BPKIT_RETRIES", "1")],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();
    let refused = refused_url("/x.tgz").replace("http://", "http://user:s3cret@");
    let uris = [
        server.url_with_credentials("user", "s3cret", "/missing.tgz"),
        server.url_with_credentials("user", "s3cret", "/x.tgz"),
        server.url_with_credentials("user", "s3cret", "/short.tgz"),
        server.url_with_credentials("user", "s3cret", "/stall.tgz"),
        server.url_with_credentials("user", "s3cret", "/auth.tgz"),
        format!(
            "{}?token=s3cret&X-Amz-Signature=s3cret",
            server.url("/missing.tgz")
        ),
        refused,
        "ftp://user:s3cret@host/x.tgz".to_string(),
        "https://user:s3cret@bad host/x.tgz".to_string(),
    ];
    for uri in &uris {
        let err = fetcher
            .ensure(&entry(cache.path(), uri), uri, &sha256(&body), Mode::Normal)
            .unwrap_err();
        let text = chain(&err);
        assert!(!text.contains("s3cret"), "leaked in: {text}");
        assert!(text.contains("-redacted-"), "not redacted: {text}");
    }
    // Offline errors too.
    let uri = &uris[0];
    let err = fetcher
        .ensure(
            &entry(cache.path(), uri),
            uri,
            &sha256(&body),
            Mode::Offline,
        )
        .unwrap_err();
    assert!(!chain(&err).contains("s3cret"));
    let text = log.text();
    assert!(text.contains("Retrying"), "{text}");
    assert!(!text.contains("s3cret"), "leaked in the log: {text}");
}

#[test]
fn offline_uses_the_cache_and_never_the_network() {
    let server = Server::start();
    let body = payload(2000);
    server.serve("/x.tgz", body.clone());
    let (fetcher, _, _cache, uri, dest) = prepared(server.url("/x.tgz"));

    let err = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Offline)
        .unwrap_err();
    assert!(matches!(err, FetchError::NotCached { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "{} is not in the cache and --offline forbids downloading {uri}; run again without --offline to fill the cache, or copy in a cache that `bpkit fetch` filled elsewhere.",
            dest.display()
        )
    );
    assert_eq!(server.hits("/x.tgz"), 0);

    fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    let hit = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Offline)
        .unwrap();
    assert_eq!(hit.source, Source::Cache);
    assert_eq!(server.hits("/x.tgz"), 1);

    // A bad entry offline: an error, the network still not used, and the entry removed (it
    // was left, so a failed run left a bad cache entry behind: packager.md).
    std::fs::write(&dest, "corrupt").unwrap();
    let err = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Offline)
        .unwrap_err();
    assert!(matches!(err, FetchError::CorruptOffline { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "The cached {} failed verification (sha256 mismatch: expected {}, got {}) and was removed, and --offline forbids downloading {uri} again; run again without --offline.",
            dest.display(),
            Sha256::of_bytes(&body),
            Sha256::of_bytes(b"corrupt")
        )
    );
    assert_eq!(server.hits("/x.tgz"), 1);
    assert!(
        !dest.parent().unwrap().exists(),
        "the entry's folder is gone"
    );

    // Without --offline, one download fills it again.
    let again = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert!(matches!(again.source, Source::Downloaded { .. }));
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_eq!(server.hits("/x.tgz"), 2);
}

#[test]
fn force_download_replaces_only_with_a_verified_file() {
    let server = Server::start();
    let body = payload(2000);
    server.serve("/x.tgz", body.clone());
    let (fetcher, _, _cache, uri, dest) = prepared(server.url("/x.tgz"));
    fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();

    let forced = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::ForceDownload)
        .unwrap();
    assert!(matches!(forced.source, Source::Downloaded { .. }));
    assert_eq!(server.hits("/x.tgz"), 2);

    // A failed forced download leaves the good entry where it was.
    server.route("/x.tgz", b"evil".to_vec(), Fault::None);
    let err = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::ForceDownload)
        .unwrap_err();
    assert!(matches!(err, FetchError::ChecksumMismatch { .. }));
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    server.route("/x.tgz", "", Fault::Status(404));
    assert!(
        fetcher
            .ensure(&dest, &uri, &sha256(&body), Mode::ForceDownload)
            .is_err()
    );
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert!(parts_in(dest.parent().unwrap()).is_empty());
}

#[test]
fn a_bad_cache_entry_is_downloaded_again_once() {
    let server = Server::start();
    let body = payload(2000);
    server.serve("/x.tgz", body.clone());
    let (fetcher, log, _cache, uri, dest) = prepared(server.url("/x.tgz"));
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::write(&dest, "corrupt").unwrap();

    let outcome = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert!(matches!(outcome.source, Source::Downloaded { .. }));
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_eq!(server.hits("/x.tgz"), 1);
    assert!(
        log.text().contains(&format!(
            "**WARNING** The cached {} failed verification (sha256 mismatch: expected {}, got {}); fetching it again.",
            dest.display(),
            Sha256::of_bytes(&body),
            Sha256::of_bytes(b"corrupt")
        )),
        "{}",
        log.text()
    );

    // If the server also serves something else: one download, then the error; nothing left.
    std::fs::write(&dest, "corrupt").unwrap();
    server.serve("/x.tgz", b"also wrong".to_vec());
    let err = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap_err();
    assert!(matches!(err, FetchError::ChecksumMismatch { .. }));
    assert_eq!(server.hits("/x.tgz"), 2);
    assert!(!dest.exists());
}

/// Another packager sharing the cache, whose manifest gives the same URI another checksum
/// (a dependency re-released at the same address), may rename its own verified file over an
/// entry between this one's verification and its use. What this one reads is still the file
/// it verified, whether it was a cache hit or a fresh download.
#[test]
fn the_verified_file_is_what_is_read_even_when_the_entry_is_replaced() {
    let server = Server::start();
    let body = payload(300 * 1024);
    server.serve("/x.tgz", body.clone());
    let (fetcher, _log, _cache, uri, dest) = prepared(server.url("/x.tgz"));
    let replace = || {
        let other = dest.with_file_name(".x.tgz.other.part");
        std::fs::write(&other, b"re-released bytes").unwrap();
        std::fs::rename(&other, &dest).unwrap();
    };
    let read_all = |fetched: &Fetched| {
        let mut read = Vec::new();
        std::io::Read::read_to_end(&mut fetched.file.reader(), &mut read).unwrap();
        read
    };

    let downloaded = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    let cached = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert_eq!(cached.source, Source::Cache);
    replace();
    assert_eq!(std::fs::read(&dest).unwrap(), b"re-released bytes");
    assert!(
        read_all(&downloaded) == body,
        "the download read other bytes"
    );
    assert!(read_all(&cached) == body, "the cache hit read other bytes");
    assert_eq!(cached.file.len(), body.len() as u64);
}

/// A folder or fifo where a cache entry belongs is refused at once, with the fix; the fifo
/// is not opened for a writer that never comes.
#[test]
fn a_cache_entry_that_is_not_a_file_is_refused_at_once() {
    let (fetcher, _log, _cache, uri, dest) = prepared("https://example.invalid/x.tgz".into());
    std::fs::create_dir_all(&dest).unwrap();
    let error = fetcher
        .ensure(&dest, &uri, &sha256(b"x"), Mode::Normal)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "Could not read {} (for {uri}): it is a folder, not a regular file; remove it, and the dependency is fetched again.",
            dest.display()
        )
    );
    std::fs::remove_dir(&dest).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&dest).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let (done, got) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = fetcher.ensure(&dest, &uri, &sha256(b"x"), Mode::Normal);
        let _ = done.send(result.map(drop).map_err(|e| e.to_string()));
    });
    let error = got
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("waited on the fifo")
        .unwrap_err();
    assert!(
        error.contains("it is a fifo, not a regular file"),
        "{error}"
    );
}

#[test]
fn mirrors_rewrite_the_uri_and_checksums_still_apply() {
    let server = Server::start();
    let body = payload(4000);
    server.route(
        "/mirror/deps/x.tgz",
        body.clone(),
        Fault::BasicAuth {
            user: "m".into(),
            password: "mirrorpw".into(),
        },
    );
    let mirrors = Mirrors::parse(&format!(
        "https://buildpacks.example.invalid/={}",
        server.url_with_credentials("m", "mirrorpw", "/mirror/")
    ))
    .unwrap();
    let (fetcher, log) = fetcher_with(&[], mirrors);
    let cache = tempfile::tempdir().unwrap();
    let uri = "https://buildpacks.example.invalid/deps/x.tgz";
    let dest = entry(cache.path(), uri);

    let outcome = fetcher
        .ensure(&dest, uri, &sha256(&body), Mode::Normal)
        .unwrap();
    let shown = format!(
        "http://-redacted-:-redacted-@{}/mirror/deps/x.tgz",
        server.addr()
    );
    assert_eq!(outcome.source, Source::Mirror { uri: shown.clone() });
    assert!(
        log.text()
            .contains(&format!("       Download [{shown}] (mirror of {uri})\n")),
        "{}",
        log.text()
    );
    assert!(!log.text().contains("mirrorpw"));
    // The cache entry is still named after the manifest's URI.
    assert!(dest.ends_with("x.tgz"));

    // A mirror serving something else is caught.
    let dest2 = cache.path().join("other/x.tgz");
    let err = fetcher
        .ensure(
            &dest2,
            uri,
            &sha256(b"what the manifest says"),
            Mode::Normal,
        )
        .unwrap_err();
    assert!(matches!(
        err.at_origin(),
        FetchError::ChecksumMismatch { .. }
    ));
    assert!(!chain(&err).contains("mirrorpw"));
    // The fix is the mirror's, not the manifest's `uri` or checksum (which were right).
    assert!(
        err.to_string().ends_with(&format!(
            "), so it was not kept; the mirror serves another file than the manifest's, so put the manifest's file there, or fix the mirror rule that sends the URI to it. That URI is the mirror of {uri} (BPKIT_MIRRORS or the manifest's `mirrors:`)."
        )),
        "{err}"
    );
    assert!(
        !err.to_string().contains("fix the dependency's `uri`"),
        "{err}"
    );
}

/// A mirror that is down: the error names the mirror (redacted) and the manifest's URI, so an
/// operator knows which rule sent the request there; retries still apply to it.
#[test]
fn a_mirror_that_is_down_is_named_with_the_uri_it_stands_for() {
    let refused = refused_url("/mirror/");
    let with_credentials = refused.replacen("http://", "http://m:mirrorpw@", 1);
    let mirrors = Mirrors::parse(&format!(
        "https://buildpacks.example.invalid/={with_credentials}"
    ))
    .unwrap();
    let (fetcher, log) = fetcher_with(&[], mirrors);
    let cache = tempfile::tempdir().unwrap();
    let uri = "https://buildpacks.example.invalid/deps/x.tgz";
    let err = fetcher
        .ensure(&entry(cache.path(), uri), uri, &sha256(b"x"), Mode::Normal)
        .unwrap_err();
    let shown = format!(
        "{}deps/x.tgz",
        refused.replacen("http://", "http://-redacted-:-redacted-@", 1)
    );
    assert_eq!(
        err.to_string(),
        format!(
            "Could not connect to {shown}: connection refused. Check the network, the proxy settings (HTTP_PROXY, NO_PROXY) and BPKIT_MIRRORS. That URI is the mirror of {uri} (BPKIT_MIRRORS or the manifest's `mirrors:`)."
        )
    );
    assert!(matches!(err.at_origin(), FetchError::CannotConnect { .. }));
    assert!(err.is_retryable());
    assert_eq!(
        log.text().matches("Retrying in").count(),
        2,
        "{}",
        log.text()
    );
    assert!(!chain(&err).contains("mirrorpw"));
    assert!(!log.text().contains("mirrorpw"));
}

#[test]
fn file_uris_are_copied_and_verified() {
    let src = tempfile::tempdir().unwrap();
    let body = payload(70_000);
    let path = src.path().join("my dep.tgz");
    std::fs::write(&path, &body).unwrap();
    let uri = format!("file://{}", path.display().to_string().replace(' ', "%20"));
    let (fetcher, _) = fetcher();
    let cache = tempfile::tempdir().unwrap();
    let dest = app_cache_path(cache.path(), &uri);
    assert!(dest.ends_with("my%20dep.tgz"), "{}", dest.display());

    let outcome = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert_eq!(outcome.source, Source::LocalFile { path: path.clone() });
    assert_eq!(std::fs::read(&dest).unwrap(), body);

    // file:// is local, so it works offline too.
    let dest2 = cache.path().join("offline/x.tgz");
    let outcome = fetcher
        .ensure(&dest2, &uri, &sha256(&body), Mode::Offline)
        .unwrap();
    assert!(matches!(outcome.source, Source::LocalFile { .. }));

    let err = fetcher
        .ensure(
            &cache.path().join("bad/x.tgz"),
            &uri,
            &sha256(b"no"),
            Mode::Normal,
        )
        .unwrap_err();
    assert!(matches!(err, FetchError::ChecksumMismatch { .. }));

    let missing = format!("file://{}/nope.tgz", src.path().display());
    let err = fetcher
        .ensure(
            &cache.path().join("m/nope.tgz"),
            &missing,
            &sha256(b"no"),
            Mode::Normal,
        )
        .unwrap_err();
    assert!(matches!(err, FetchError::CannotRead { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "Could not read {}/nope.tgz (for {missing}): no such file; fix the URI, or put the file there.",
            src.path().display()
        )
    );

    // A file where the URI has a folder (a trailing `/`, a file's name as a folder): said in
    // words, where it was the OS's `Not a directory (os error 20)`.
    for below in ["my%20dep.tgz/", "my%20dep.tgz/x.tgz"] {
        let uri = format!("file://{}/{below}", src.path().display());
        let dest = cache.path().join("n/x.tgz");
        let err = fetcher
            .ensure(&dest, &uri, &sha256(b"no"), Mode::Normal)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Could not read {}/{} (for {uri}): part of that path is a file, not a folder; fix the URI.",
                src.path().display(),
                below.replace("%20", " ")
            )
        );
        assert!(!dest.exists());
    }
}

#[test]
fn file_uris_to_a_folder_a_fifo_or_a_device_are_refused_at_once() {
    let src = tempfile::tempdir().unwrap();
    let fifo = src.path().join("dep.tgz");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let cases = [
        (fifo, "a fifo"),
        // /dev/zero would never end; /dev/null is the same kind of file and ends at once.
        (PathBuf::from("/dev/null"), "a character device"),
        (src.path().to_path_buf(), "a folder"),
    ];
    for (path, found) in cases {
        let uri = format!("file://{}", path.display());
        let (fetcher, _, cache, uri, dest) = prepared(uri);
        // Before the fix, opening the fifo blocked for ever: give up after a while instead.
        let (tx, rx) = std::sync::mpsc::channel();
        let (thread_dest, thread_uri) = (dest.clone(), uri.clone());
        std::thread::spawn(move || {
            let result = fetcher.ensure(&thread_dest, &thread_uri, &sha256(b"x"), Mode::Normal);
            let _ = tx.send(result.map(|_| ()).map_err(|e| e.to_string()));
        });
        let err = rx
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("fetching {uri} did not end"))
            .unwrap_err();
        assert_eq!(
            err,
            format!(
                "Could not read {} (for {uri}): it is {found}, not a regular file; point the URI at the dependency's archive.",
                path.display()
            )
        );
        assert!(!dest.exists());
        assert!(parts_in(dest.parent().unwrap()).is_empty());
        drop(cache);
    }
}

/// A URI the HTTP library cannot parse, or one whose IPv6 host has a zone (`%25eth0`, RFC
/// 6874: parsed, then looked up as a name, "failed to lookup address information", retried,
/// with advice to check the network), is refused as what it is, at once.
#[test]
fn a_uri_the_http_library_cannot_parse_is_refused_without_retries() {
    const RFC: &str = "write it as RFC 3986 says, with a space as %20";
    for (uri, why) in [
        (
            "http://[::1/x.tgz",
            format!("it is not a valid URI (invalid authority); {RFC}"),
        ),
        (
            "http://h.invalid/x y.tgz",
            format!("it is not a valid URI (invalid uri character); {RFC}"),
        ),
        (
            "http://[fe80::1%25eth0]:8080/x.tgz",
            "its IPv6 address has a zone (`%25` and an interface, as a link-local address needs), which bpkit cannot connect through; give the server's global IPv6 or IPv4 address, or its host name".to_string(),
        ),
    ] {
        let (fetcher, log, _cache, uri, dest) = prepared(uri.to_string());
        let err = fetcher
            .ensure(&dest, &uri, &sha256(b"x"), Mode::Normal)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("`{uri}` cannot be downloaded: {why}.")
        );
        assert!(!err.is_retryable());
        assert!(!log.text().contains("Retrying"), "{}", log.text());
    }
}

#[test]
fn a_file_mirror_serves_an_air_gapped_site() {
    let src = tempfile::tempdir().unwrap();
    let body = payload(1000);
    std::fs::create_dir_all(src.path().join("ruby")).unwrap();
    std::fs::write(src.path().join("ruby/ruby.tgz"), &body).unwrap();
    let mirrors = Mirrors::from_pairs([(
        "https://buildpacks.cloudfoundry.org/dependencies/",
        format!("file://{}/", src.path().display()),
    )])
    .unwrap();
    let (fetcher, _) = fetcher_with(&[], mirrors);
    let cache = tempfile::tempdir().unwrap();
    let uri = "https://buildpacks.cloudfoundry.org/dependencies/ruby/ruby.tgz";
    let dest = entry(cache.path(), uri);
    let outcome = fetcher
        .ensure(&dest, uri, &sha256(&body), Mode::Offline)
        .unwrap();
    assert_eq!(
        outcome.source,
        Source::Mirror {
            uri: format!("file://{}/ruby/ruby.tgz", src.path().display())
        }
    );
    // Reading the folder is not network: offline, a corrupt entry is read again from it too,
    // and what is read is still verified.
    std::fs::write(&dest, "corrupt").unwrap();
    fetcher
        .ensure(&dest, uri, &sha256(&body), Mode::Offline)
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    let err = fetcher
        .ensure(
            &cache.path().join("other/ruby.tgz"),
            uri,
            &sha256(b"another file"),
            Mode::Offline,
        )
        .unwrap_err();
    assert!(err.to_string().contains("sha256 mismatch"), "{err}");
    // An http:// mirror is network: offline, it is not asked.
    let server = Server::start();
    server.serve("/ruby/ruby.tgz", body.clone());
    let mirrors = Mirrors::from_pairs([(
        "https://buildpacks.cloudfoundry.org/dependencies/",
        server.url("/"),
    )])
    .unwrap();
    let (fetcher, _) = fetcher_with(&[], mirrors);
    let err = fetcher
        .ensure(
            &cache.path().join("http/ruby.tgz"),
            uri,
            &sha256(&body),
            Mode::Offline,
        )
        .unwrap_err();
    assert!(matches!(err, FetchError::NotCached { .. }), "{err}");
    assert_eq!(server.hits("/ruby/ruby.tgz"), 0);
}

#[test]
fn unsupported_schemes_are_refused() {
    let (fetcher, _) = fetcher();
    let cache = tempfile::tempdir().unwrap();
    let err = fetcher
        .ensure(
            &cache.path().join("x"),
            "ftp://h/x.tgz",
            &sha256(b"x"),
            Mode::Normal,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`ftp://h/x.tgz` cannot be downloaded: only http://, https:// and file:// URIs are supported."
    );
}

/// A path written where a `file://` URI was meant is refused with the URI to write instead, and
/// `--offline` says the same rather than "run again without --offline", which would fail too.
#[test]
fn a_path_instead_of_a_uri_is_refused_with_the_file_uri_to_write() {
    let (fetcher, _) = fetcher();
    let cache = tempfile::tempdir().unwrap();
    for mode in [Mode::Normal, Mode::Offline] {
        let err = fetcher
            .ensure(
                &cache.path().join("x/tool.tgz"),
                "/srv/deps/tool.tgz",
                &sha256(b"x"),
                mode,
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`/srv/deps/tool.tgz` cannot be downloaded: only http://, https:// and file:// URIs are supported; a local file is written as a file:// URI with its absolute path, as in file:///srv/deps/tool.tgz.",
            "{mode:?}"
        );
        let err = fetcher
            .ensure(
                &cache.path().join("y/tool.tgz"),
                "deps/tool.tgz",
                &sha256(b"x"),
                mode,
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`deps/tool.tgz` cannot be downloaded: only http://, https:// and file:// URIs are supported; a local file is written as a file:// URI with its absolute path, as in file:///srv/deps/x.tgz.",
            "{mode:?}"
        );
    }
    // An https:// URI offline and not cached: the cache is what is missing.
    let err = fetcher
        .ensure(
            &cache.path().join("z/tool.tgz"),
            "https://deps.example.invalid/tool.tgz",
            &sha256(b"x"),
            Mode::Offline,
        )
        .unwrap_err();
    assert!(matches!(err, FetchError::NotCached { .. }), "{err}");
}

#[test]
fn stale_part_files_are_cleaned_up() {
    let server = Server::start();
    let body = payload(1000);
    server.serve("/x.tgz", body.clone());
    let (fetcher, log, _cache, uri, dest) = prepared(server.url("/x.tgz"));
    let dir = dest.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(".x.tgz.Ab12Cd.part"), "half a download").unwrap();
    std::fs::write(dir.join(".x.tgz.Ef34Gh.part"), "another half").unwrap();

    fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert!(parts_in(dir).is_empty());
    let removed = format!(
        "DEBUG: Removed 2 unfinished download(s) of {}",
        dest.display()
    );
    assert!(log.text().contains(&removed), "{}", log.text());

    // None left: nothing said about them.
    let (fetcher, log) = fetcher_with(&[], Mirrors::none());
    fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert!(log.text().contains("DEBUG: Using cached"), "{}", log.text());
    assert!(!log.text().contains("unfinished"), "{}", log.text());
}

/// Offline, a missing or corrupt entry whose URI a mirror rule rewrites names the mirror
/// that would have been asked (redacted), beside the manifest's URI.
#[test]
fn offline_names_the_mirror_a_rule_would_have_asked() {
    let mirrors = Mirrors::from_pairs([(
        "https://deps.example/",
        "https://user:s3cret@mirror.example/deps/",
    )])
    .unwrap();
    let (fetcher, _) = fetcher_with(&[], mirrors);
    let cache = tempfile::tempdir().unwrap();
    let uri = "https://deps.example/x.tgz";
    let dest = entry(cache.path(), uri);
    let shown = Some("https://-redacted-:-redacted-@mirror.example/deps/x.tgz");
    let offline = || {
        let err = fetcher
            .ensure(&dest, uri, &sha256(b"body"), Mode::Offline)
            .unwrap_err();
        let mirror = match &err {
            FetchError::NotCached { mirror, .. } | FetchError::CorruptOffline { mirror, .. } => {
                mirror.clone()
            }
            _ => panic!("{err}"),
        };
        (err, mirror)
    };

    let (err, mirror) = offline();
    assert!(matches!(err, FetchError::NotCached { .. }), "{err}");
    assert_eq!(mirror.as_deref(), shown);
    assert!(
        err.to_string()
            .contains(", the mirror of https://deps.example/x.tgz"),
        "{err}"
    );

    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::write(&dest, "corrupt").unwrap();
    let (err, mirror) = offline();
    assert!(matches!(err, FetchError::CorruptOffline { .. }), "{err}");
    assert_eq!(mirror.as_deref(), shown);
    assert!(!err.to_string().contains("s3cret"), "{err}");
}

#[test]
fn threads_racing_on_one_entry_all_succeed_with_one_download() {
    let server = Server::start();
    let body = payload(200_000);
    server.route(
        "/x.tgz",
        body.clone(),
        Fault::Slow {
            chunk: 20_000,
            delay: Duration::from_millis(20),
        },
    );
    let (fetcher, _, _cache, uri, dest) = prepared(server.url("/x.tgz"));
    let sources: Vec<Source> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                s.spawn(|| {
                    let outcome = fetcher
                        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
                        .unwrap();
                    // Whoever returns sees the complete file.
                    assert_eq!(std::fs::read(outcome.path()).unwrap(), body);
                    outcome.source
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(sources.iter().filter(|s| **s == Source::Cache).count(), 5);
    assert_eq!(server.hits("/x.tgz"), 1);
    assert!(parts_in(dest.parent().unwrap()).is_empty());
}

// ---- other processes: the helper below runs in a child copy of this test binary ----

const CHILD_DEST: &str = "BPKIT_TEST_CHILD_DEST";
const CHILD_URI: &str = "BPKIT_TEST_CHILD_URI";
const CHILD_SHA256: &str = "BPKIT_TEST_CHILD_SHA256";

/// Not a test on its own: the body of a child process started by the tests below.
#[test]
#[ignore = "run as a child process by the cross-process tests"]
fn child_fetch_helper() {
    let (Ok(dest), Ok(uri), Ok(sha)) = (
        std::env::var(CHILD_DEST),
        std::env::var(CHILD_URI),
        std::env::var(CHILD_SHA256),
    ) else {
        return;
    };
    let checksums = Checksums {
        sha256: Some(Sha256::parse(&sha).unwrap()),
        md5: None,
    };
    let (fetcher, _) = fetcher_with(&[("BPKIT_READ_TIMEOUT", "30")], Mirrors::none());
    let outcome = fetcher
        .ensure(Path::new(&dest), &uri, &checksums, Mode::Normal)
        .unwrap();
    println!("SOURCE {:?}", outcome.source);
}

fn spawn_child(dest: &Path, uri: &str, body: &[u8]) -> std::process::Child {
    std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_fetch_helper",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DEST, dest)
        .env(CHILD_URI, uri)
        .env(CHILD_SHA256, Sha256::of_bytes(body).hex())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn two_processes_sharing_a_cache_both_succeed() {
    let server = Server::start();
    let body = payload(300_000);
    server.route(
        "/x.tgz",
        body.clone(),
        Fault::Slow {
            chunk: 30_000,
            delay: Duration::from_millis(30),
        },
    );
    let cache = tempfile::tempdir().unwrap();
    let uri = server.url("/x.tgz");
    let dest = entry(cache.path(), &uri);
    let children = [
        spawn_child(&dest, &uri, &body),
        spawn_child(&dest, &uri, &body),
    ];
    let mut sources = Vec::new();
    for child in children {
        let out = common::timed::wait_within(child, common::bin::RUN_LIMIT, "a fetching child");
        let stdout = out.stdout;
        assert_eq!(out.code, 0, "{stdout}{}", out.stderr);
        sources.push(
            stdout
                .lines()
                .find_map(|l| l.split_once("SOURCE ").map(|(_, s)| s.to_string()))
                .unwrap(),
        );
    }
    sources.sort();
    assert_eq!(sources[0], "Cache", "{sources:?}");
    assert!(sources[1].starts_with("Downloaded"), "{sources:?}");
    assert_eq!(server.hits("/x.tgz"), 1);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
}

#[test]
fn a_process_killed_mid_download_leaves_no_bad_entry() {
    let server = Server::start();
    let body = payload(1_000_000);
    server.route("/x.tgz", body.clone(), Fault::Stall { after: 200_000 });
    let cache = tempfile::tempdir().unwrap();
    let uri = server.url("/x.tgz");
    let dest = entry(cache.path(), &uri);
    let dir = dest.parent().unwrap().to_path_buf();

    let mut child = spawn_child(&dest, &uri, &body);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let written = parts_in(&dir)
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum::<u64>();
        if written > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the child never started writing");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    assert!(!dest.exists(), "a killed download must not leave an entry");
    assert_eq!(parts_in(&dir).len(), 1, "the stale .part is what is left");

    server.set_fault("/x.tgz", Fault::None);
    let (fetcher, _) = fetcher();
    let outcome = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert!(matches!(outcome.source, Source::Downloaded { .. }));
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert!(parts_in(&dir).is_empty(), "the next run cleans up");
}

// ---- proxies and TLS ----

#[test]
fn requests_go_through_the_proxy_unless_no_proxy_says_otherwise() {
    let origin = Server::start();
    let proxy = Server::start();
    proxy.proxy_to(origin.addr());
    let body = payload(5000);
    origin.serve("/x.tgz", body.clone());
    let cache = tempfile::tempdir().unwrap();
    // A host name only the proxy can reach (it sends every request to `origin`).
    let uri = format!(
        "http://deps.bpkit-test.invalid:{}/x.tgz",
        origin.addr().port()
    );
    let proxy_url = proxy.url("");

    let (fetcher, _) = fetcher_with(&[("http_proxy", proxy_url.as_str())], Mirrors::none());
    ensure_in(&fetcher, cache.path(), &uri, &body).unwrap();
    assert_eq!(proxy.hits("FORWARD"), 1);
    assert_eq!(origin.hits("/x.tgz"), 1);
    assert_eq!(proxy.requests()[0].target, uri);

    // HTTPS_PROXY is for https:// only; an http:// URI goes direct (and here fails).
    let (fetcher, _) = fetcher_with(
        &[("HTTPS_PROXY", proxy_url.as_str()), ("BPKIT_RETRIES", "0")],
        Mirrors::none(),
    );
    assert!(
        fetcher
            .ensure(
                &cache.path().join("b/x.tgz"),
                &uri,
                &sha256(&body),
                Mode::Normal
            )
            .is_err()
    );
    assert_eq!(proxy.hits("FORWARD"), 1);

    // no_proxy (lowercase, as the platform sets it) sends matching hosts direct.
    let (fetcher, _) = fetcher_with(
        &[
            ("http_proxy", proxy_url.as_str()),
            ("no_proxy", "localhost,.bpkit-test.invalid"),
            ("BPKIT_RETRIES", "0"),
        ],
        Mirrors::none(),
    );
    let err = fetcher
        .ensure(
            &cache.path().join("c/x.tgz"),
            &uri,
            &sha256(&body),
            Mode::Normal,
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::CannotConnect { .. } | FetchError::Timeout { .. }
        ),
        "{err}"
    );
    assert_eq!(proxy.hits("FORWARD"), 1);
    assert_eq!(proxy.hits("CONNECT"), 0);
}

/// An `http://` URI goes to the proxy as `GET http://host:port/path` (RFC 9112 §3.2.2, as Go's
/// client and curl send it), not in a CONNECT tunnel, which a proxy configured like Squid's
/// default refuses for any port but 443.
#[test]
fn http_downloads_go_to_a_squid_like_proxy_in_absolute_form() {
    let origin = Server::start();
    let proxy = Server::start();
    proxy.proxy_to(origin.addr());
    proxy.allow_connect_only_to(443);
    let body = payload(300 * 1024);
    origin.serve("/x.tgz", body.clone());
    origin.serve("/y.tgz", b"not what the manifest says".to_vec());
    let host = format!("deps.bpkit-test.invalid:{}", origin.addr().port());
    let proxy_url = proxy.url("");
    let (fetcher, log) = fetcher_with(
        &[("http_proxy", proxy_url.as_str()), ("BPKIT_RETRIES", "0")],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();

    let uri = format!("http://{host}/x.tgz?v=1");
    let dest = entry(cache.path(), &uri);
    fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_eq!(proxy.hits("CONNECT"), 0);
    assert_eq!(proxy.hits("FORWARD"), 1);
    let seen = &proxy.requests()[0];
    assert_eq!(
        (seen.method.as_str(), seen.target.as_str()),
        ("GET", uri.as_str())
    );
    assert_eq!(seen.headers.get("host"), Some(&host));
    assert_eq!(seen.headers.get("proxy-authorization"), None);
    assert_eq!(origin.hits("/x.tgz"), 1);

    // The bytes that come through the proxy are verified as any others.
    let uri = format!("http://{host}/y.tgz");
    let err = ensure_in(&fetcher, cache.path(), &uri, &body).unwrap_err();
    assert!(matches!(err, FetchError::ChecksumMismatch { .. }), "{err}");
    assert_eq!(proxy.hits("FORWARD"), 2);
    assert!(!log.text().contains("CONNECT"), "{}", log.text());
}

/// `http://user:password@proxy` credentials go as `Proxy-Authorization: Basic …` on the
/// absolute-form request (the URI's own as `Authorization`), and no log line or error shows
/// them, a proxy that refuses them included.
#[test]
fn proxy_credentials_go_as_proxy_authorization_and_never_show() {
    let origin = Server::start();
    let proxy = Server::start();
    proxy.proxy_to(origin.addr());
    proxy.allow_connect_only_to(443);
    proxy.require_proxy_auth("proxyuser", "pr0xy s3cret");
    let body = payload(5000);
    origin.route(
        "/x.tgz",
        body.clone(),
        Fault::BasicAuth {
            user: "deploy".into(),
            password: "or1gin-s3cret".into(),
        },
    );
    let uri = format!(
        "http://deploy:or1gin-s3cret@deps.bpkit-test.invalid:{}/x.tgz",
        origin.addr().port()
    );
    let shown = uri.replace("deploy:or1gin-s3cret", "-redacted-:-redacted-");
    let cache = tempfile::tempdir().unwrap();
    let proxy_with = |password: &str| {
        proxy
            .url("")
            .replace("http://", &format!("http://proxyuser:{password}@"))
    };

    let right = proxy_with("pr0xy%20s3cret");
    let (fetcher, log) = fetcher_with(&[("http_proxy", right.as_str())], Mirrors::none());
    ensure_in(&fetcher, cache.path(), &uri, &body).unwrap();
    let seen = &proxy.requests()[0];
    assert_eq!(seen.target, shown.replace("-redacted-:-redacted-@", ""));
    assert_eq!(
        seen.headers.get("proxy-authorization").map(String::as_str),
        // base64("proxyuser:pr0xy s3cret")
        Some("Basic cHJveHl1c2VyOnByMHh5IHMzY3JldA==")
    );
    assert_eq!(
        seen.headers.get("authorization").map(String::as_str),
        // base64("deploy:or1gin-s3cret")
        Some("Basic ZGVwbG95Om9yMWdpbi1zM2NyZXQ=")
    );
    assert_eq!(origin.hits("/x.tgz"), 1);
    let text = log.text();
    assert!(text.contains(&shown), "{text}");
    assert!(!text.contains("s3cret"), "leaked in: {text}");

    let wrong = proxy_with("wr0ng-s3cret");
    let (fetcher, log) = fetcher_with(
        &[("http_proxy", wrong.as_str()), ("BPKIT_RETRIES", "0")],
        Mirrors::none(),
    );
    let err = fetcher
        .ensure(
            &cache.path().join("b/x.tgz"),
            &uri,
            &sha256(&body),
            Mode::Normal,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Could not download {shown}: the server answered 407 Proxy Authentication Required; the proxy http://-redacted-:-redacted-@{} (http_proxy) refused the user and password of its URI: correct them in http_proxy.",
            proxy.addr()
        )
    );
    let text = format!("{} | {}", chain(&err), log.text());
    assert!(!text.contains("s3cret"), "leaked in: {text}");
    assert_eq!(origin.hits("/x.tgz"), 1);

    // None given, through the variable that set it: named, with where to write them.
    let (fetcher, _) = fetcher_with(
        &[
            ("HTTP_PROXY", &format!("http://{}", proxy.addr())),
            ("BPKIT_RETRIES", "0"),
        ],
        Mirrors::none(),
    );
    let err = fetcher
        .ensure(
            &cache.path().join("c/x.tgz"),
            &uri,
            &sha256(&body),
            Mode::Normal,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Could not download {shown}: the server answered 407 Proxy Authentication Required; the proxy http://{} (HTTP_PROXY) wants a user and password: write them into HTTP_PROXY as http://user:password@proxy:3128.",
            proxy.addr()
        )
    );
}

/// Each redirect hop gets its own way through the proxy: the `http://` one in absolute form,
/// the `https://` one it redirects to in a CONNECT tunnel (to the port the proxy allows), with
/// TLS to the origin through it.
#[test]
fn a_redirect_from_http_to_https_through_the_proxy_goes_each_hop_its_way() {
    let plain = Server::start();
    let tls = Server::start_tls_proxied();
    let proxy = Server::start();
    proxy.proxy_to(plain.addr());
    proxy.proxy_to(tls.addr());
    proxy.allow_connect_only_to(tls.addr().port());
    let body = payload(50_000);
    tls.serve("/x.tgz", body.clone());
    let secure = format!(
        "https://deps.bpkit-test.invalid:{}/x.tgz",
        tls.addr().port()
    );
    plain.route("/x.tgz", Vec::new(), Fault::Redirect { to: secure.clone() });
    let uri = format!(
        "http://deps.bpkit-test.invalid:{}/x.tgz",
        plain.addr().port()
    );
    let proxy_url = proxy.url("");
    let (fetcher, _) = fetcher_with(
        &[
            ("http_proxy", proxy_url.as_str()),
            ("https_proxy", proxy_url.as_str()),
            ("SSL_CERT_FILE", PROXIED_CA_PEM),
        ],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();
    let dest = entry(cache.path(), &uri);
    fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    let seen = proxy.methods_and_targets();
    assert_eq!(
        seen,
        [
            ("GET".to_string(), uri),
            (
                "CONNECT".to_string(),
                secure.replace("https://", "").replace("/x.tgz", "")
            ),
        ]
    );
    assert_eq!((plain.hits("/x.tgz"), tls.hits("/x.tgz")), (1, 1));
}

/// `http://user:password@host/` redirected to `https://host/` (the same host, both on their
/// default ports, reached through a proxy that routes each port to a test server): the
/// credentials go along, as meant for that server, where they were dropped and the download
/// failed with 401. Redirected to another port of the host, or down from https to http, they
/// do not go; and they never show in the log or an error.
#[test]
fn credentials_follow_a_redirect_from_http_up_to_https_on_the_same_host_only() {
    let plain = Server::start();
    let tls = Server::start_tls_proxied();
    let proxy = Server::start();
    proxy.proxy_port_to(80, plain.addr());
    proxy.proxy_port_to(443, tls.addr());
    proxy.proxy_port_to(8443, tls.addr());
    let body = payload(20_000);
    let auth = Fault::BasicAuth {
        user: "user".into(),
        password: "s3cret".into(),
    };
    let redirect = |to: &str| Fault::Redirect { to: to.into() };
    tls.route("/x.tgz", body.clone(), auth.clone());
    plain.route(
        "/x.tgz",
        Vec::new(),
        redirect("https://deps.bpkit-test.invalid/x.tgz"),
    );
    plain.route(
        "/port.tgz",
        Vec::new(),
        redirect("https://deps.bpkit-test.invalid:8443/x.tgz"),
    );
    tls.route(
        "/down.tgz",
        Vec::new(),
        redirect("http://deps.bpkit-test.invalid/auth.tgz"),
    );
    plain.route("/auth.tgz", body.clone(), auth);
    let proxy_url = proxy.url("");
    let (fetcher, log) = fetcher_with(
        &[
            ("http_proxy", proxy_url.as_str()),
            ("https_proxy", proxy_url.as_str()),
            ("SSL_CERT_FILE", PROXIED_CA_PEM),
        ],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();
    let authorized = |server: &Server| -> Vec<(String, bool)> {
        server
            .requests()
            .iter()
            .map(|r| (r.target.clone(), r.headers.contains_key("authorization")))
            .collect()
    };

    let uri = "http://user:s3cret@deps.bpkit-test.invalid/x.tgz";
    let dest = entry(cache.path(), uri);
    fetcher
        .ensure(&dest, uri, &sha256(&body), Mode::Normal)
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_eq!(authorized(&tls), [("/x.tgz".to_string(), true)]);

    let failures = [
        "http://user:s3cret@deps.bpkit-test.invalid/port.tgz",
        "https://user:s3cret@deps.bpkit-test.invalid/down.tgz",
    ];
    for uri in failures {
        let err = fetcher
            .ensure(&entry(cache.path(), uri), uri, &sha256(&body), Mode::Normal)
            .unwrap_err();
        assert!(
            err.to_string().contains("401 Unauthorized (after a redirect to ")
                && err.to_string().ends_with(
                    "; the URI's user and password were not sent after its redirect to another server, port or scheme: point the URI at the file's final location."
                ),
            "{uri}: {err}"
        );
        let text = format!("{} | {}", chain(&err), log.text());
        assert!(!text.contains("s3cret"), "leaked in: {text}");
    }
    // Each server saw the credentials only where they were written for it.
    assert_eq!(
        authorized(&plain),
        [
            ("/x.tgz".to_string(), true),
            ("/port.tgz".to_string(), true),
            ("/auth.tgz".to_string(), false),
        ]
    );
    assert_eq!(
        authorized(&tls),
        [
            ("/x.tgz".to_string(), true),
            ("/x.tgz".to_string(), false),
            ("/down.tgz".to_string(), true),
        ]
    );
}

/// A mirror rule written `https://` for a server that serves plain HTTP (a common slip with an
/// internal mirror): the fix is the scheme, not SSL_CERT_FILE, which cannot help.
#[test]
fn a_plain_http_server_asked_in_tls_is_told_apart_from_a_certificate_problem() {
    // What a plain HTTP server (nginx, Python's http.server) answers to a TLS client hello.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            use std::io::{Read, Write};
            let mut hello = [0u8; 512];
            let _ = stream.read(&mut hello);
            let _ = stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    let body = payload(1000);
    let cache = tempfile::tempdir().unwrap();
    let uri = format!("https://127.0.0.1:{port}/x.tgz");

    let (fetcher, log) = fetcher();
    let err = fetcher
        .ensure(
            &cache.path().join("a/x.tgz"),
            &uri,
            &sha256(&body),
            Mode::Normal,
        )
        .unwrap_err();
    assert!(matches!(err, FetchError::Tls { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "The TLS connection to {uri} failed: the server did not answer in TLS ("
        )),
        "{text}"
    );
    assert!(
        text.ends_with(
            "If the server serves plain HTTP, write its URI (or the BPKIT_MIRRORS rule's replacement) with http://, not https://."
        ),
        "{text}"
    );
    assert!(!text.contains("SSL_CERT_FILE"), "{text}");
    assert!(!log.text().contains("Retrying"));
}

#[test]
fn an_extra_ca_from_ssl_cert_file_is_trusted() {
    let server = Server::start_tls();
    let body = payload(50_000);
    server.serve("/x.tgz", body.clone());
    let cache = tempfile::tempdir().unwrap();
    let uri = server.url("/x.tgz");
    assert!(uri.starts_with("https://127.0.0.1:"));

    // Without the CA: a TLS error, not retried, with a hint.
    let (fetcher, log) = fetcher();
    let err = fetcher
        .ensure(
            &cache.path().join("a/x.tgz"),
            &uri,
            &sha256(&body),
            Mode::Normal,
        )
        .unwrap_err();
    assert!(matches!(err, FetchError::Tls { .. }), "{err}");
    assert!(err.to_string().contains("SSL_CERT_FILE"), "{err}");
    assert!(!log.text().contains("Retrying"));

    // With it (added to the default roots): fine.
    let (fetcher, _) = fetcher_with(&[("SSL_CERT_FILE", TEST_CA_PEM)], Mirrors::none());
    let outcome = fetcher
        .ensure(
            &cache.path().join("b/x.tgz"),
            &uri,
            &sha256(&body),
            Mode::Normal,
        )
        .unwrap();
    assert_eq!(outcome.digests.len, 50_000);
    assert_eq!(server.hits("/x.tgz"), 1);
}

// ---- many at once ----

/// A progress reporter that remembers what it was told.
#[derive(Default)]
struct Recorder {
    tasks: Mutex<Vec<Arc<TaskLog>>>,
}

#[derive(Default)]
struct TaskLog {
    label: String,
    total: AtomicU64,
    done: AtomicU64,
    finished: AtomicBool,
}

struct RecordedTask(Arc<TaskLog>);

impl Task for RecordedTask {
    fn set_total(&self, total: u64) {
        self.0.total.store(total, Ordering::SeqCst);
    }
    fn set_done(&self, bytes: u64) {
        self.0.done.store(bytes, Ordering::SeqCst);
    }
    fn advance(&self, bytes: u64) {
        self.0.done.fetch_add(bytes, Ordering::SeqCst);
    }
    fn finish(&self) {
        self.0.finished.store(true, Ordering::SeqCst);
    }
}

impl Progress for Recorder {
    fn begin(&self, label: &str, total: Option<u64>) -> Box<dyn Task> {
        let log = Arc::new(TaskLog {
            label: label.to_string(),
            total: AtomicU64::new(total.unwrap_or(0)),
            ..TaskLog::default()
        });
        self.tasks.lock().unwrap().push(Arc::clone(&log));
        Box::new(RecordedTask(log))
    }
}

fn items(server: &Server, cache: &Path, specs: &[(&str, &[u8])]) -> Vec<Item> {
    specs
        .iter()
        .map(|(path, body)| {
            let uri = server.url(path);
            Item {
                label: format!("dep{path}"),
                dest: entry(cache, &uri),
                checksums: sha256(body),
                uri,
            }
        })
        .collect()
}

fn ok_paths(results: &[Option<Result<Fetched, FetchError>>]) -> Vec<PathBuf> {
    results
        .iter()
        .map(|r| r.as_ref().unwrap().as_ref().unwrap().path().to_path_buf())
        .collect()
}

#[test]
fn fetch_all_returns_results_in_input_order() {
    let server = Server::start();
    let bodies: Vec<Vec<u8>> = (0..6).map(|i| payload(10_000 + i * 7_000)).collect();
    for (i, body) in bodies.iter().enumerate() {
        // Earlier items are slower, so they finish last.
        server.route(
            &format!("/{i}.tgz"),
            body.clone(),
            Fault::Slow {
                chunk: 8_000,
                delay: Duration::from_millis(10 * (6 - i as u64)),
            },
        );
    }
    let paths: Vec<String> = (0..6).map(|i| format!("/{i}.tgz")).collect();
    let specs: Vec<(&str, &[u8])> = paths
        .iter()
        .zip(&bodies)
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let cache = tempfile::tempdir().unwrap();
    let list = items(&server, cache.path(), &specs);
    let (fetcher, log) = fetcher();

    let recorder = Recorder::default();
    let results = fetcher.fetch_all(&list, Mode::Normal, 3, &recorder);
    let expected: Vec<PathBuf> = list.iter().map(|i| i.dest.clone()).collect();
    assert_eq!(ok_paths(&results), expected);
    for (item, body) in list.iter().zip(&bodies) {
        assert_eq!(std::fs::read(&item.dest).unwrap(), *body);
    }
    // Bars hidden: one plain line per item.
    let text = log.text();
    for item in &list {
        assert!(
            text.contains(&format!(
                "       {}: downloaded from {}\n",
                item.label, item.uri
            )),
            "{text}"
        );
    }
    assert!(!text.contains("Download ["), "{text}");
    // Every task was told its size, its progress, and its end.
    let tasks = recorder.tasks.lock().unwrap();
    assert_eq!(tasks.len(), 6);
    for task in tasks.iter() {
        let i: usize = task
            .label
            .trim_start_matches("dep/")
            .trim_end_matches(".tgz")
            .parse()
            .unwrap();
        assert_eq!(task.total.load(Ordering::SeqCst), bodies[i].len() as u64);
        assert_eq!(task.done.load(Ordering::SeqCst), bodies[i].len() as u64);
        assert!(task.finished.load(Ordering::SeqCst));
    }
    drop(tasks);

    // A warm cache: all hits, each said (bars drawn or not: a bar is cleared when it ends).
    let (fetcher, log) = fetcher_with(&[], Mirrors::none());
    let results = fetcher.fetch_all(&list, Mode::Normal, 4, &Recorder::default());
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Some(Ok(f)) if f.source == Source::Cache))
    );
    let text = log.text();
    for item in &list {
        assert!(
            text.contains(&format!("       {}: found in the cache\n", item.label)),
            "{text}"
        );
    }
}

#[test]
fn fetch_all_stops_starting_items_after_a_failure() {
    let server = Server::start();
    let slow = payload(8_000);
    let fine = payload(1_000);
    server.route(
        "/slow.tgz",
        slow.clone(),
        Fault::Slow {
            chunk: 1_000,
            delay: Duration::from_millis(50),
        },
    );
    for i in 0..4 {
        server.serve(&format!("/fine{i}.tgz"), fine.clone());
    }
    let cache = tempfile::tempdir().unwrap();
    let list = items(
        &server,
        cache.path(),
        &[
            ("/slow.tgz", &slow),
            ("/missing.tgz", b"x"),
            ("/fine0.tgz", &fine),
            ("/fine1.tgz", &fine),
            ("/fine2.tgz", &fine),
            ("/fine3.tgz", &fine),
        ],
    );
    let (fetcher, _) = fetcher();
    let results = fetcher.fetch_all(&list, Mode::Normal, 2, &Hidden);

    // The item in flight finished cleanly; the failure is reported; nothing else started.
    assert!(matches!(&results[0], Some(Ok(f)) if f.digests.len == 8_000));
    assert!(
        matches!(
            &results[1],
            Some(Err(FetchError::HttpStatus { status: 404, .. }))
        ),
        "{:?}",
        results[1]
    );
    assert!(results[2..].iter().all(Option::is_none));
    for i in 0..4 {
        assert_eq!(server.hits(&format!("/fine{i}.tgz")), 0);
    }
    assert_eq!(std::fs::read(&list[0].dest).unwrap(), slow);

    // One worker: the first failure stops everything after it.
    let results = fetcher.fetch_all(&list[1..], Mode::Normal, 1, &Hidden);
    assert!(results[0].as_ref().unwrap().is_err());
    assert!(results[1..].iter().all(Option::is_none));
}

#[test]
fn fetch_all_of_nothing() {
    let (fetcher, _) = fetcher();
    assert!(fetcher.fetch_all(&[], Mode::Normal, 4, &Hidden).is_empty());
}

#[test]
fn cache_path_helpers_are_public() {
    let uri = "https://h/dl/x.tgz?token=abc";
    let p = fetch::packager_cache_path(Path::new("/c"), uri);
    assert!(p.ends_with("x.tgz"));
    assert!(!p.to_string_lossy().contains("abc"));
}

/// `socks5h://` proxies get the host name (only the proxy can resolve
/// `deps.bpkit-test.invalid`), `socks5://` ones an address resolved here; `https://` runs TLS
/// to the origin inside the tunnel. (Without ureq's SOCKS support compiled in, such a proxy
/// made the HTTP library panic.)
#[test]
fn downloads_go_through_socks5_proxies() {
    let plain = Server::start();
    let tls = Server::start_tls_proxied();
    let body = payload(40_000);
    plain.serve("/x.tgz", body.clone());
    tls.serve("/y.tgz", body.clone());
    let cache = tempfile::tempdir().unwrap();

    let socks = Server::start_socks5(plain.addr());
    socks.proxy_to(tls.addr());
    let proxy_url = format!("socks5h://{}", socks.addr());
    let (fetcher, _) = fetcher_with(
        &[
            ("http_proxy", proxy_url.as_str()),
            ("https_proxy", proxy_url.as_str()),
            ("SSL_CERT_FILE", PROXIED_CA_PEM),
        ],
        Mirrors::none(),
    );
    let by_name = format!(
        "http://deps.bpkit-test.invalid:{}/x.tgz",
        plain.addr().port()
    );
    let secure = format!(
        "https://deps.bpkit-test.invalid:{}/y.tgz",
        tls.addr().port()
    );
    for uri in [&by_name, &secure] {
        let dest = entry(cache.path(), uri);
        fetcher
            .ensure(&dest, uri, &sha256(&body), Mode::Normal)
            .unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), body);
    }
    let seen = socks.methods_and_targets();
    assert_eq!(
        seen,
        [
            (
                "SOCKS5".to_string(),
                format!("deps.bpkit-test.invalid:{}", plain.addr().port())
            ),
            (
                "SOCKS5".to_string(),
                format!("deps.bpkit-test.invalid:{}", tls.addr().port())
            ),
        ]
    );
    assert_eq!((plain.hits("/x.tgz"), tls.hits("/y.tgz")), (1, 1));

    // socks5:// resolves here: an address (TEST-NET-1, reached only through the proxy) is sent.
    let socks = Server::start_socks5(plain.addr());
    let proxy_url = format!("socks5://{}", socks.addr());
    let (fetcher, _) = fetcher_with(&[("http_proxy", proxy_url.as_str())], Mirrors::none());
    let by_address = format!("http://192.0.2.1:{}/x.tgz", plain.addr().port());
    fetcher
        .ensure(
            &entry(cache.path(), &by_address),
            &by_address,
            &sha256(&body),
            Mode::Normal,
        )
        .unwrap();
    assert_eq!(
        socks.requests()[0].target,
        format!("192.0.2.1:{}", plain.addr().port())
    );
}

/// A server cannot send bpkit to a local file (or to any scheme but http and https): the
/// redirect is refused by name, even when the file is the one the checksum describes, and
/// nothing lands in the cache.
#[test]
fn a_redirect_to_a_file_uri_is_refused() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.tgz");
    std::fs::write(&secret, b"local secret").unwrap();
    for to in [
        format!("file://{}", secret.display()),
        "ftp://user:s3cret@127.0.0.1/x.tgz".to_string(),
    ] {
        server.route("/a", "", Fault::Redirect { to: to.clone() });
        let attempt = Attempt::new(server.url("/a"));
        let err = attempt.ensure(&sha256(b"local secret")).unwrap_err();
        let shown = to.replace("user:s3cret@", "-redacted-:-redacted-@");
        assert_eq!(
            err.to_string(),
            format!(
                "Could not download {}: the server redirects to {shown}, which is not an http or https URI; redirects are followed only to http(s) servers, so point the `uri` at the file itself.",
                attempt.uri
            )
        );
        assert!(!attempt.dest.exists(), "{to}");
    }
}

/// Any `scheme:` makes a redirect absolute (RFC 3986 §4.3), `//` or not: `file:/etc/passwd`
/// and `javascript:…` are refused as other schemes, where they were followed as paths on the
/// same server (`GET /file:/etc/passwd`).
#[test]
fn a_redirect_to_a_scheme_without_slashes_is_refused() {
    let server = Server::start();
    for to in ["file:/etc/passwd", "javascript:alert(1)"] {
        server.route("/a", "", Fault::Redirect { to: to.to_string() });
        let attempt = Attempt::new(server.url("/a"));
        let err = attempt.ensure(&sha256(b"x")).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Could not download {}: the server redirects to {to}, which is not an http or https URI; redirects are followed only to http(s) servers, so point the `uri` at the file itself.",
                attempt.uri
            )
        );
        assert!(!attempt.dest.exists(), "{to}");
    }
}

/// A redirect whose `Location` holds a space or text that is not ASCII is followed with them
/// percent-encoded, as Go's client and curl follow it, where the space was blamed on the
/// manifest's `uri` ("not a valid URI; write it as RFC 3986 says") and the other was not read
/// (the 302 reported as the answer). One that cannot be requested at all is named as the
/// server's, not the manifest's.
#[test]
fn a_redirect_location_is_encoded_or_named_as_the_servers_fault() {
    let server = Server::start();
    let body = payload(1000);
    server.serve("/dir/x%20y%20%C3%A9.tgz", body.clone());
    server.route(
        "/a",
        "",
        Fault::Redirect {
            to: "/dir/x y é.tgz".to_string(),
        },
    );
    let attempt = Attempt::new(server.url("/a"));
    attempt.ensure(&sha256(&body)).unwrap();
    assert_eq!(std::fs::read(&attempt.dest).unwrap(), body);

    for (to, reason) in [
        (
            "http://[::1/x.tgz",
            "it is not a valid URI (invalid authority)",
        ),
        ("http:///x.tgz", "it is not a valid URI (invalid format)"),
    ] {
        server.route("/b", "", Fault::Redirect { to: to.to_string() });
        let attempt = Attempt::new(server.url("/b"));
        let err = attempt.ensure(&sha256(&body)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Could not download {}: the server redirects to {to}, which cannot be downloaded: {reason}; the server's redirect is at fault, so point the `uri` at the file itself.",
                attempt.uri
            )
        );
        assert!(!attempt.dest.exists(), "{to}");
    }
}

/// Answers bpkit cannot use are named as the server's, once, with what is wrong: a 302 with no
/// `Location` (it said only "answered 302 Found"), a code HTTP defines no meaning for (it
/// printed `999 .`), and a head over 64 KiB, which was a connection error, retried three
/// times and sent the user to check the network and proxies.
#[test]
fn answers_that_cannot_be_used_are_named_as_the_servers() {
    let server = Server::start();
    let huge = format!("/{}", "a".repeat(70_000));
    for (count, (fault, expected)) in [
        (Fault::Status(302), "the server answered 302 Found; it sent no Location to follow: point the `uri` at the file itself, or ask the server's owner"),
        (Fault::Status(999), "the server answered 999 (a code HTTP defines no meaning for)"),
        (Fault::Redirect { to: huge }, "the server sent an invalid HTTP response (its header is longer than the 65536 bytes bpkit reads)"),
    ]
    .into_iter()
    .enumerate()
    {
        server.route("/a", "", fault);
        let attempt = Attempt::new(server.url("/a"));
        let err = attempt.ensure(&sha256(b"x")).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("Could not download {}: {expected}.", attempt.uri)
        );
        assert!(!err.is_retryable(), "{err}");
        // Asked once each: not retried.
        assert_eq!(server.hits("/a"), count + 1, "{err}");
        assert!(!attempt.dest.exists(), "{err}");
    }
}

/// A server that takes the connection and closes it without a word is said to, where the
/// line was ureq's "Peer disconnected". It is retried, as an overloaded server may answer next.
#[test]
fn a_server_closing_without_an_answer_is_said_to() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            // Read the request, then close without answering.
            let mut buffer = [0u8; 4096];
            let _ = std::io::Read::read(&mut &stream, &mut buffer);
            drop(stream);
        }
    });
    let attempt = Attempt::new(format!("http://127.0.0.1:{port}/x.tgz"));
    let err = attempt.ensure(&sha256(b"x")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Could not connect to {}: the server closed the connection before it answered. Check the network, the proxy settings (HTTP_PROXY, NO_PROXY) and BPKIT_MIRRORS.",
            attempt.uri
        )
    );
    assert!(err.is_retryable());
    assert!(accepted.load(std::sync::atomic::Ordering::SeqCst) > 1);
    assert!(!attempt.dest.exists());
}

/// A server answering every request with `body` sent as `Content-Encoding: gzip`.
fn gzip_labelled_server(body: &'static [u8]) -> String {
    labelled_server("gzip", body)
}

/// A server answering every request with `body` sent as `Content-Encoding: encoding`.
fn labelled_server(encoding: &str, body: &'static [u8]) -> String {
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Encoding: {encoding}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(body);
    format!("http://{}/x.tgz", raw_server(Some(answer), Duration::ZERO))
}

/// `Content-Encoding: identity` (or empty) says the bytes are as they are: a mismatch then
/// names no header, as it names none without one.
#[test]
fn an_identity_content_encoding_is_no_encoding() {
    for encoding in ["identity", "IDENTITY", ""] {
        let attempt = Attempt::new(labelled_server(encoding, b"another file"));
        attempt.assert_plain_mismatch(b"another file", &format!("{encoding:?}"));
    }
}

/// A download cut short resumes with `If-Range` holding a strong validator only: a weak ETag
/// (`W/"…"`), which RFC 9110 forbids there, gives way to the `Last-Modified` date.
#[test]
fn a_resume_names_the_file_by_a_strong_validator() {
    const BODY: &[u8] = b"0123456789abcdefghij";
    const LAST_MODIFIED: &str = "Sat, 01 Jan 2000 00:00:00 GMT";
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let if_range = Arc::new(Mutex::new(Vec::new()));
    let seen = if_range.clone();
    let server = std::thread::spawn(move || {
        for (hit, stream) in listener.incoming().take(2).enumerate() {
            let mut stream = stream.unwrap();
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n")
                && std::io::Read::read(&mut stream, &mut byte).unwrap() == 1
            {
                request.push(byte[0]);
            }
            let request = String::from_utf8(request).unwrap();
            let header = request.lines().find_map(|line| {
                line.strip_prefix("if-range: ")
                    .or(line.strip_prefix("If-Range: "))
            });
            seen.lock().unwrap().push(header.map(str::to_string));
            let answer = if hit == 0 {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: W/\"v1\"\r\nLast-Modified: {LAST_MODIFIED}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n{}",
                    BODY.len(),
                    std::str::from_utf8(&BODY[..5]).unwrap()
                )
            } else {
                format!(
                    "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes 5-{}/{}\r\nConnection: close\r\n\r\n{}",
                    BODY.len() - 5,
                    BODY.len() - 1,
                    BODY.len(),
                    std::str::from_utf8(&BODY[5..]).unwrap()
                )
            };
            std::io::Write::write_all(&mut stream, answer.as_bytes()).unwrap();
        }
    });
    let attempt = Attempt::new(format!("http://{addr}/x.tgz"));
    attempt.ensure(&sha256(BODY)).unwrap();
    assert_eq!(std::fs::read(&attempt.dest).unwrap(), BODY);
    server.join().unwrap();
    assert_eq!(
        *if_range.lock().unwrap(),
        [None, Some(LAST_MODIFIED.to_string())]
    );
}

/// The checksum is of the bytes as sent, `Content-Encoding: gzip` or not: a `.tgz` stored
/// with that header (S3 metadata) verifies as the file it is; bytes a server compressed on
/// the way do not, and the mismatch says the header is why, where it told the user to fix the
/// manifest's `uri` or checksum, which were right.
#[test]
fn a_gzip_content_encoding_is_kept_as_sent_and_named_on_a_mismatch() {
    let attempt = Attempt::new(gzip_labelled_server(b"the tarball itself"));
    attempt.ensure(&sha256(b"the tarball itself")).unwrap();
    assert_eq!(std::fs::read(&attempt.dest).unwrap(), b"the tarball itself");

    let attempt = Attempt::new(gzip_labelled_server(b"compressed on the way"));
    let err = attempt.ensure(&sha256(b"the file")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "The file at {} is not the one the manifest describes (sha256 mismatch: expected {}, got {}), so it was not kept; the server sent it with `Content-Encoding: gzip`, and bpkit keeps the bytes as sent, so serve the file without that header (on S3, remove the object's Content-Encoding metadata), or fix the dependency's `uri`, or its checksum if that file is the right one.",
            attempt.uri,
            Sha256::of_bytes(b"the file"),
            Sha256::of_bytes(b"compressed on the way")
        )
    );
    assert!(!attempt.dest.exists());
}

/// The same through a mirror (`BPKIT_MIRRORS`): the mismatch still names the header, with the
/// fix at the mirror (serve it without the header, or put the manifest's file there), where
/// the mirror's fix alone said it serves another file, and the header was lost.
#[test]
fn a_gzip_content_encoding_at_a_mirror_is_named_on_a_mismatch() {
    let mirror = gzip_labelled_server(b"compressed on the way");
    let uri = "https://buildpacks.example.invalid/deps/x.tgz";
    let prefix = mirror.trim_end_matches("x.tgz");
    let rules = format!("https://buildpacks.example.invalid/deps/={prefix}");
    let (fetcher, _) = fetcher_with(&[], Mirrors::parse(&rules).unwrap());
    let cache = tempfile::tempdir().unwrap();
    let dest = entry(cache.path(), uri);
    let err = fetcher
        .ensure(&dest, uri, &sha256(b"the file"), Mode::Normal)
        .unwrap_err();
    assert!(
        matches!(err.at_origin(), FetchError::ChecksumMismatch { .. }),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "The file at {mirror} is not the one the manifest describes (sha256 mismatch: expected {}, got {}), so it was not kept; the server sent it with `Content-Encoding: gzip`, and bpkit keeps the bytes as sent, so serve the file without that header (on S3, remove the object's Content-Encoding metadata), or put the manifest's file there, or fix the mirror rule that sends the URI to it. That URI is the mirror of {uri} (BPKIT_MIRRORS or the manifest's `mirrors:`).",
            Sha256::of_bytes(b"the file"),
            Sha256::of_bytes(b"compressed on the way")
        )
    );
    assert!(!dest.exists());
}

/// A server whose `Content-Length` is shorter than the file it sends: HTTP keeps only the bytes
/// announced, so the checksum cannot match, and the mismatch says the server sent more than it
/// announced and what to fix, where it told the user to fix the manifest's `uri` or checksum,
/// which were right. With the connection kept open or closed after it. A body shorter than
/// its `Content-Length` is already named (`truncated_body_names_the_byte_counts`).
#[test]
fn a_body_longer_than_its_content_length_is_named_on_the_mismatch() {
    const FILE: &[u8] = b"the whole file, thirty bytes!!";
    for close in ["Connection: close\r\n", ""] {
        let mut answer =
            format!("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n{close}\r\n").into_bytes();
        answer.extend_from_slice(FILE);
        let server = raw_server(Some(answer), Duration::from_millis(200));
        let attempt = Attempt::new(format!("http://{server}/x.tgz"));
        let err = attempt.ensure(&sha256(FILE)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "The file at {} is not the one the manifest describes (sha256 mismatch: expected {}, got {}), so it was not kept; the server sent more bytes than the 10 its Content-Length announced, and HTTP keeps only those, so correct the Content-Length the server (or a proxy on the way) sends, or fix the dependency's `uri`, or its checksum if that file is the right one.",
                attempt.uri,
                Sha256::of_bytes(FILE),
                Sha256::of_bytes(&FILE[..10])
            ),
            "{close:?}"
        );
        assert!(!attempt.dest.exists());
    }
}

/// Line breaks after a body (a sloppy server's habit) are not a file cut short: the mismatch
/// names no surplus, as it names none for a body of its announced length.
#[test]
fn line_breaks_after_a_body_are_not_named_as_more_bytes() {
    for after in ["\r\n", "\n\n", " \t"] {
        let mut answer =
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nten bytes!"
                .to_vec();
        answer.extend_from_slice(after.as_bytes());
        let server = raw_server(Some(answer), Duration::from_millis(200));
        let attempt = Attempt::new(format!("http://{server}/x.tgz"));
        attempt.assert_plain_mismatch(b"ten bytes!", &format!("{after:?}"));
    }
}

/// A cache that cannot be locked (mounted read-only, as a cache carried into an air-gapped site
/// may be; here the lock's name is taken by a folder, which fails the same way for any user)
/// still serves an entry that verifies, offline or not, without a request; an entry that does
/// not verify is, offline, its mismatch (said to be left in place, as the lock is needed to
/// remove it), and otherwise, as none, the lock's error; nothing is downloaded.
#[test]
fn an_unlockable_cache_serves_the_files_that_verify() {
    let server = Server::start();
    let body = payload(10_000);
    server.serve("/x.tgz", body.clone());
    let (fetcher, _, _cache, uri, dest) = prepared(server.url("/x.tgz"));
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    let lock = dest.with_file_name(".x.tgz.lock");
    std::fs::create_dir_all(&lock).unwrap();

    // Not cached: the lock's error, and no download into a cache that cannot be locked.
    let err = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::Normal)
        .unwrap_err();
    assert!(matches!(err, FetchError::CannotLock { .. }), "{err}");
    assert_eq!(server.hits("/x.tgz"), 0);

    std::fs::write(&dest, &body).unwrap();
    for mode in [Mode::Normal, Mode::Offline] {
        let got = fetcher.ensure(&dest, &uri, &sha256(&body), mode).unwrap();
        assert!(matches!(got.source, Source::Cache), "{mode:?}");
    }
    let err = fetcher
        .ensure(&dest, &uri, &sha256(b"another file"), Mode::Offline)
        .unwrap_err();
    assert!(
        matches!(&err, FetchError::CorruptOffline { unremoved: Some(why), .. }
            if why.starts_with("its cache cannot be locked: ")),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "The cached {} failed verification (sha256 mismatch: expected ",
            dest.display()
        )) && message.ends_with("; remove it, then run again without --offline."),
        "{message}"
    );
    let err = fetcher
        .ensure(&dest, &uri, &sha256(b"another file"), Mode::Normal)
        .unwrap_err();
    assert!(matches!(err, FetchError::CannotLock { .. }), "{err}");
    let err = fetcher
        .ensure(&dest, &uri, &sha256(&body), Mode::ForceDownload)
        .unwrap_err();
    assert!(matches!(err, FetchError::CannotLock { .. }), "{err}");
    assert_eq!(server.hits("/x.tgz"), 0);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
}

/// `user:PORT/pw@host`: a valid URI for host `user`, port PORT, and fetched so (here `user` is
/// 127.0.0.1 and nothing listens on PORT); the error shows none of what may be a password and
/// says what to encode if credentials were meant.
#[test]
fn a_password_read_as_a_port_is_hidden_and_explained_when_the_connection_fails() {
    let dead = refused_url("").trim_start_matches("http://").to_string();
    let port = dead.rsplit(':').next().unwrap().to_string();
    let uri = format!("http://{dead}/Pw9x@deps.bpkit-test.invalid/x.tgz");
    let (fetcher, log) = fetcher_with(&[("BPKIT_RETRIES", "0")], Mirrors::none());
    let cache = tempfile::tempdir().unwrap();
    let err = ensure_in(&fetcher, cache.path(), &uri, b"x").unwrap_err();
    assert!(matches!(err, FetchError::CannotConnect { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "Could not connect to http://-redacted-:-redacted-@deps.bpkit-test.invalid/x.tgz: "
        ) && text.contains(
            "; as written, the URI names a host and port before its first `/`: if what comes before its `@` is a user and password, percent-encode each `/`, `?` and `#` in the password (%2F, %3F, %23). Check the network"
        ),
        "{text}"
    );
    let everything = format!("{} | {}", chain(&err), log.text());
    for secret in ["Pw9x", port.as_str(), "127.0.0.1"] {
        assert!(!everything.contains(secret), "{secret}: {everything}");
    }
}

/// A raw server that reads what comes and answers each connection with `answer` as it is
/// (status line, headers and body; or nothing), whatever was asked, then keeps the
/// connection open for `linger`, so the client reads the answer, not a reset.
fn raw_server(answer: Option<Vec<u8>>, linger: Duration) -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                let _ = std::io::Read::read(&mut stream, &mut buffer);
                if let Some(answer) = answer {
                    let _ = std::io::Write::write_all(&mut stream, &answer);
                }
                std::thread::sleep(linger);
            });
        }
    });
    addr
}

/// A proxy setting whose scheme is not the proxy's protocol fails at once, naming the proxy,
/// its variable and the scheme to write: a `socks5://` (or `socks4://`) setting for an HTTP
/// server (which answers the SOCKS greeting with `HTTP/1.1 400`) was reported as a TLS failure
/// with the CA fix, even for an `http://` URI; an `http://` proxy answering bytes that are not
/// HTTP was the download server's "invalid HTTP response". Not retried. An HTTP proxy that
/// waits in silence for the end of a request line the SOCKS greeting never sends can only time
/// out: that message names the proxy and the fix.
#[test]
fn a_proxy_answering_in_another_protocol_than_its_scheme_is_named_at_once() {
    let http400: &'static [u8] =
        b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    let socks_fix = "if it is an HTTP proxy, write its URI with http:// in that variable, as in http://proxy.example:3128";
    let http_fix = "if it is a SOCKS proxy, write its URI with socks5:// in that variable, as in socks5://proxy.example:1080";
    for (scheme, variable, answer, what) in [
        (
            "socks5",
            "all_proxy",
            http400,
            format!("SOCKS (invalid response version); {socks_fix}"),
        ),
        (
            "socks4",
            "https_proxy",
            http400,
            format!("SOCKS (invalid response version); {socks_fix}"),
        ),
        (
            "http",
            "all_proxy",
            b"\x00\x01garbage\r\n\r\n".as_slice(),
            format!("HTTP (http parse fail: invalid HTTP version); {http_fix}"),
        ),
    ] {
        let proxy = format!(
            "{scheme}://{}",
            raw_server(Some(answer.to_vec()), Duration::from_secs(10))
        );
        let (fetcher, _) = fetcher_with(&[(variable, proxy.as_str())], Mirrors::none());
        let cache = tempfile::tempdir().unwrap();
        // TEST-NET-1: reached only through the proxy (loopback never goes through one).
        for uri in [
            "http://192.0.2.1:8080/x.tgz",
            "https://192.0.2.1:8443/x.tgz",
        ] {
            if variable == "https_proxy" && uri.starts_with("http:") {
                continue;
            }
            let started = Instant::now();
            let err = ensure_in(&fetcher, cache.path(), uri, b"x").unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "Could not download {uri}: the proxy {proxy} ({variable}) did not answer in {what}."
                )
            );
            assert!(!err.is_retryable(), "{err}");
            assert!(started.elapsed() < Duration::from_secs(2), "{err}");
        }
    }

    let proxy = format!("socks5://{}", raw_server(None, Duration::from_secs(10)));
    let (fetcher, _) = fetcher_with(
        &[
            ("all_proxy", proxy.as_str()),
            ("BPKIT_CONNECT_TIMEOUT", "0.5"),
            ("BPKIT_READ_TIMEOUT", "5"),
            ("BPKIT_RETRIES", "0"),
        ],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();
    let uri = "https://192.0.2.1:8443/x.tgz";
    let err = ensure_in(&fetcher, cache.path(), uri, b"x").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Timed out downloading {uri}: could not connect within 0.5 s through the proxy {proxy} (all_proxy; if that is an HTTP proxy, write its URI with http://). Set BPKIT_CONNECT_TIMEOUT to wait longer."
        )
    );
}

/// A target answering in something else than HTTP through a working SOCKS proxy is the
/// target's bad answer, not the proxy's: a SOCKS proxy does not speak HTTP, so it cannot be
/// answering in it (as an HTTP proxy, which answers for the target, can).
#[test]
fn a_bad_answer_through_a_socks_proxy_is_the_targets() {
    let target = raw_server(
        Some(b"\x00\x01garbage\r\n\r\n".to_vec()),
        Duration::from_secs(10),
    );
    let socks = Server::start_socks5(target);
    let proxy = format!("socks5://{}", socks.addr());
    let (fetcher, _) = fetcher_with(
        &[("all_proxy", proxy.as_str()), ("BPKIT_RETRIES", "0")],
        Mirrors::none(),
    );
    let cache = tempfile::tempdir().unwrap();
    // TEST-NET-1: reached only through the proxy, which connects to `target` whatever is asked.
    let uri = "http://192.0.2.1:8080/x.tgz";
    let err = ensure_in(&fetcher, cache.path(), uri, b"x").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Could not download http://192.0.2.1:8080/x.tgz: the server sent an invalid HTTP response (http parse fail: invalid HTTP version)."
    );
    assert_eq!(socks.requests().len(), 1);
}

/// A proxy nobody answers at is a connection refused, whatever its scheme, and said as one
/// (retryable, as any refused connection is): only an answer in another protocol is the
/// wrong-scheme message above.
#[test]
fn a_proxy_refusing_the_connection_is_named_as_refused_in_every_scheme() {
    let addr = common::server::refused_addr();
    for scheme in ["socks5", "socks5h", "socks4", "http"] {
        let proxy = format!("{scheme}://{addr}");
        let (fetcher, _) = fetcher_with(
            &[("all_proxy", proxy.as_str()), ("BPKIT_RETRIES", "0")],
            Mirrors::none(),
        );
        let cache = tempfile::tempdir().unwrap();
        // TEST-NET-1: reached only through the proxy (loopback never goes through one).
        for uri in [
            "http://192.0.2.1:8080/x.tgz",
            "https://192.0.2.1:8443/x.tgz",
        ] {
            let err = ensure_in(&fetcher, cache.path(), uri, b"x").unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "Could not connect to {uri}: connection refused (through the proxy {proxy}, from all_proxy). Check the network, the proxy settings (all_proxy, NO_PROXY) and BPKIT_MIRRORS."
                ),
                "{scheme}"
            );
            assert!(err.is_retryable(), "{err}");
        }
    }
}

/// A proxy that takes the connection and never answers (nor answers a CONNECT) was not named:
/// the timeout blamed the server behind it, and the user looked at the wrong machine.
#[test]
fn a_proxy_that_never_answers_is_named_in_the_timeout() {
    // Connections complete in the listen backlog and are never answered: a silent proxy.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", silent.local_addr().unwrap());
    // TEST-NET-1: reached only through the proxy (loopback never goes through one).
    let cases = [
        (
            "http://192.0.2.1:8080/x.tgz",
            "http_proxy",
            "the server's answer did not come whole (status line and headers) within 0.3 s",
        ),
        (
            "https://192.0.2.1:8443/x.tgz",
            "https_proxy",
            "no data for 0.3 s",
        ),
    ];
    for (uri, variable, what) in cases {
        let (fetcher, _) = fetcher_with(
            &[
                (variable, proxy.as_str()),
                ("BPKIT_READ_TIMEOUT", "0.3"),
                ("BPKIT_RETRIES", "0"),
            ],
            Mirrors::none(),
        );
        let cache = tempfile::tempdir().unwrap();
        let err = ensure_in(&fetcher, cache.path(), uri, b"x").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Timed out downloading {uri}: {what} (through the proxy {proxy}, from {variable}). Set BPKIT_READ_TIMEOUT to wait longer."
            )
        );
    }
}

/// Offline, a failure stops nothing: every missing file is named in one run (an operator
/// checking a cache carried into an air-gapped site), and the good entries are still served.
#[test]
fn fetch_all_offline_checks_every_item_whatever_fails() {
    let server = Server::start();
    let good = payload(2_000);
    server.serve("/good.tgz", good.clone());
    let cache = tempfile::tempdir().unwrap();
    let list = items(
        &server,
        cache.path(),
        &[
            ("/missing0.tgz", b"x"),
            ("/good.tgz", &good),
            ("/missing1.tgz", b"y"),
        ],
    );
    let (fetcher, _) = fetcher();
    fetcher
        .ensure(
            &list[1].dest,
            &list[1].uri,
            &list[1].checksums,
            Mode::Normal,
        )
        .unwrap();
    drop(server);

    let results = fetcher.fetch_all(&list, Mode::Offline, 1, &Hidden);
    assert!(
        matches!(&results[0], Some(Err(FetchError::NotCached { .. }))),
        "{:?}",
        results[0]
    );
    assert!(matches!(&results[1], Some(Ok(f)) if f.digests.len == 2_000));
    assert!(
        matches!(&results[2], Some(Err(FetchError::NotCached { .. }))),
        "{:?}",
        results[2]
    );
}

/// What an [`bpkit::fetch::Observer`] saw, per item.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Writing {
        part: PathBuf,
        expected: Option<u64>,
    },
    Wrote(u64),
    Done {
        ok: bool,
    },
}

struct Watcher(Mutex<Vec<Vec<Seen>>>);

impl fetch::Observer for Watcher {
    fn writing(&self, index: usize, part: &Path, expected: Option<u64>) {
        self.0.lock().unwrap()[index].push(Seen::Writing {
            part: part.to_path_buf(),
            expected,
        });
    }
    fn wrote(&self, index: usize, written: u64) {
        self.0.lock().unwrap()[index].push(Seen::Wrote(written));
    }
    fn done(&self, index: usize, result: &Result<Fetched, FetchError>) {
        self.0.lock().unwrap()[index].push(Seen::Done { ok: result.is_ok() });
    }
}

/// The packager writes a dependency into the zip while it downloads: it is told, per item, the
/// `.part` file being written and its announced size, each count as the bytes land, then the
/// end; a `file://` item the same.
#[test]
fn fetch_all_notifying_tells_each_items_part_file_and_counts_as_they_grow() {
    let server = Server::start();
    let big = payload(300 * 1024);
    server.serve("/big.tgz", big.clone());
    let cache = tempfile::tempdir().unwrap();
    let mut list = items(&server, cache.path(), &[("/big.tgz", &big)]);
    let local_dir = tempfile::tempdir().unwrap();
    let local = local_dir.path().join("local.tgz");
    let small = payload(1_000);
    std::fs::write(&local, &small).unwrap();
    let local_uri = format!("file://{}", local.display());
    list.push(Item {
        label: "local".into(),
        dest: entry(cache.path(), &local_uri),
        checksums: sha256(&small),
        uri: local_uri,
    });

    let (fetcher, _) = fetcher();
    let watcher = Watcher(Mutex::new(vec![Vec::new(); list.len()]));
    let results = fetcher.fetch_all_notifying(&list, Mode::Normal, 2, &Hidden, &watcher);
    assert!(results.iter().all(|r| matches!(r, Some(Ok(_)))));

    let seen = watcher.0.into_inner().unwrap();
    for ((events, item), len) in seen.iter().zip(&list).zip([big.len(), small.len()]) {
        let len = len as u64;
        let Some(Seen::Writing { part, expected }) = events.first() else {
            panic!("{}: {events:?}", item.label);
        };
        assert_eq!(*expected, Some(len), "{}", item.label);
        assert_eq!(part.parent(), item.dest.parent(), "{}", item.label);
        assert_ne!(part, &item.dest, "{}", item.label);
        let counts: Vec<u64> = events
            .iter()
            .filter_map(|e| match e {
                Seen::Wrote(n) => Some(*n),
                _ => None,
            })
            .collect();
        assert!(counts.windows(2).all(|w| w[0] < w[1]), "{counts:?}");
        assert_eq!(counts.last(), Some(&len), "{}", item.label);
        assert_eq!(
            events.last(),
            Some(&Seen::Done { ok: true }),
            "{}",
            item.label
        );
    }
    assert!(
        seen[0].len() > 3,
        "a 300 KiB body arrives in pieces: {:?}",
        seen[0]
    );
}

/// A zip URL given to `bpkit stage` (no checksum to check) comes down like any dependency, and
/// the staging's deadline stops it: a read blocked on a silent server ends at once, with no
/// retry, and nothing is left behind.
#[test]
fn an_unverified_download_arrives_and_its_deadline_stops_it_without_retries() {
    let server = Server::start();
    let body = payload(50_000);
    server.serve("/bp.zip", body.clone());
    server.route("/stalled.zip", body.clone(), Fault::Stall { after: 4096 });
    let (fetcher, log) = fetcher_with(
        &[("BPKIT_READ_TIMEOUT", "20"), ("BPKIT_RETRIES", "3")],
        Mirrors::none(),
    );
    let dir = tempfile::tempdir().unwrap();

    let dest = dir.path().join("bp.zip");
    let downloaded = fetcher
        .download_unverified(&dest, &server.url("/bp.zip"), None)
        .unwrap();
    assert_eq!(downloaded.digests.len, 50_000);
    assert_eq!(std::fs::read(&dest).unwrap(), body);

    let dest = dir.path().join("stalled.zip");
    let uri = server.url("/stalled.zip");
    let started = Instant::now();
    let err = fetcher
        .download_unverified(
            &dest,
            &uri,
            Some(Instant::now() + Duration::from_millis(300)),
        )
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(
        err.to_string(),
        format!("The download of {uri} was stopped: bpkit was interrupted.")
    );
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert_eq!(server.hits("/stalled.zip"), 1, "no retry");
    assert!(!log.text().contains("Retrying"), "{}", log.text());
    assert!(!dest.exists());
    assert!(parts_in(dir.path()).is_empty());
}
