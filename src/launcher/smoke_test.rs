//! `--check`: wait for the app to answer the smoke test's request (see [`check`]), or exit, or
//! time out, then stop it; the [`CheckResult`] and its status line.

use std::process::Child;
use std::time::{Duration, Instant};

use crate::output::Logger;
use crate::process_group::{self, STOP_GRACE};

use super::{RunOptions, check};

#[derive(Debug, Clone)]
pub struct CheckResult {
    pub url: String,
    pub answer: Option<check::Answer>,
    /// Why there is no passing answer, when there is none.
    pub failure: Option<String>,
    /// Why nothing answered, when nothing did, in a few words (`no answer within 60 s`).
    pub no_answer: Option<String>,
    pub elapsed: Duration,
    /// SIGINT, SIGTERM or SIGHUP ended the wait (bpkit then exits 130).
    pub interrupted: bool,
}

impl CheckResult {
    pub fn passed(&self) -> bool {
        self.answer.as_ref().is_some_and(check::Answer::is_success)
    }

    /// The status line `--check` prints, pass or fail: `URL STATUS REASON` as the app answered
    /// (`http://127.0.0.1:8080/ 200 OK`), or `URL 000 WHY` when nothing answered (000 is what
    /// curl writes for no HTTP status), so a script can always split it into three fields.
    pub fn status_line(&self) -> String {
        match (&self.answer, &self.no_answer) {
            (Some(answer), _) => format!("{} {} {}", self.url, answer.status, answer.reason),
            (None, why) => format!("{} 000 {}", self.url, why.as_deref().unwrap_or("no answer")),
        }
    }
}

/// Smoke-test the started app at `path` on `port`, then stop it.
pub(super) fn smoke_test(
    child: &mut Child,
    port: u16,
    path: &str,
    options: &RunOptions,
    logger: &Logger,
) -> CheckResult {
    // The URL shown is the one requested, so `/a b` shows as `/a%20b`.
    let target = check::request_target(path);
    let url = format!("http://127.0.0.1:{port}{target}");
    logger.step(&format!(
        "Waiting up to {} s for {url}",
        options.check_timeout.as_secs()
    ));
    let started = Instant::now();
    // `None` when the timeout is beyond what an `Instant` can hold (`--check-timeout
    // 18446744073709551615`): no deadline, as a wait that long never ends anyway.
    let deadline = started.checked_add(options.check_timeout);
    let mut answer = None;
    let mut failure = None;
    let mut no_answer = None;
    let mut interrupted = false;
    // What the last probe saw when the app did not answer, to say why at the deadline.
    let mut last = check::NoAnswer::NotListening;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let status = process_group::describe_status(status);
            failure = Some(format!("the app exited ({status}) before answering {url}"));
            no_answer = Some(format!("the app exited ({status}) before answering"));
            break;
        }
        if process_group::termination_requested() {
            failure = Some("interrupted; the app was stopped".to_string());
            no_answer = Some("interrupted".to_string());
            interrupted = true;
            break;
        }
        let left = deadline.map_or(Duration::MAX, |d| {
            d.saturating_duration_since(Instant::now())
        });
        if left.is_zero() {
            let (why, short) = timed_out(&last, &url, port, options.check_timeout.as_secs());
            failure = Some(why);
            no_answer = Some(short);
            break;
        }
        match check::probe(port, &target, left.min(Duration::from_secs(5))) {
            Ok(got) => {
                if !got.is_success() {
                    failure = Some(format!("{url} answered {} {}", got.status, got.reason));
                }
                answer = Some(got);
                break;
            }
            Err(seen) => last = seen,
        }
        std::thread::sleep(Duration::from_millis(100).min(left));
    }
    let elapsed = started.elapsed();
    logger.step("Stopping the app");
    let _ = process_group::stop_group(child, STOP_GRACE);
    CheckResult {
        url,
        answer,
        failure,
        no_answer,
        elapsed,
        interrupted,
    }
}

/// Why the check failed at its deadline, in full and in a few words for the status line, from
/// what the last probe saw. An app that took the connection is listening on $PORT: telling it
/// to listen there (the usual cause of silence) would send its author the wrong way.
fn timed_out(last: &check::NoAnswer, url: &str, port: u16, secs: u64) -> (String, String) {
    match last {
        check::NoAnswer::Closed => (
            format!(
                "no answer from {url} within {secs} s: the app took the connection on $PORT ({port}) and closed it without answering; it must answer HTTP there"
            ),
            format!("connection closed without an answer within {secs} s"),
        ),
        check::NoAnswer::NotHttp(start) => (
            format!(
                "no HTTP answer from {url} within {secs} s: the app's answer began `{start}`, not a status line such as `HTTP/1.1 200 OK`; it must answer HTTP on $PORT ({port})"
            ),
            format!("no HTTP answer within {secs} s (it began `{start}`)"),
        ),
        // The usual cause is a start command that ignores $PORT (a port of its own, or the
        // server's default): say which port the app was given.
        check::NoAnswer::NotListening | check::NoAnswer::Silent => (
            format!(
                "no answer from {url} within {secs} s; the app must listen on $PORT ({port}), or if it starts slowly raise --check-timeout"
            ),
            format!("no answer within {secs} s"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(answer: Option<(u16, &str)>, no_answer: Option<&str>) -> CheckResult {
        CheckResult {
            url: "http://127.0.0.1:8080/".into(),
            answer: answer.map(|(status, reason)| check::Answer {
                status,
                reason: reason.into(),
            }),
            failure: None,
            no_answer: no_answer.map(String::from),
            elapsed: Duration::ZERO,
            interrupted: false,
        }
    }

    /// The status line always splits into URL, status and reason; only a 2xx or 3xx passes.
    #[test]
    fn the_status_line_and_the_verdict() {
        let ok = result(Some((200, "OK")), None);
        assert!(ok.passed());
        assert_eq!(ok.status_line(), "http://127.0.0.1:8080/ 200 OK");
        let error = result(Some((500, "Internal Server Error")), None);
        assert!(!error.passed());
        assert_eq!(
            error.status_line(),
            "http://127.0.0.1:8080/ 500 Internal Server Error"
        );
        let silent = result(None, Some("no answer within 5 s"));
        assert!(!silent.passed());
        assert_eq!(
            silent.status_line(),
            "http://127.0.0.1:8080/ 000 no answer within 5 s"
        );
        assert_eq!(
            result(None, None).status_line(),
            "http://127.0.0.1:8080/ 000 no answer"
        );
    }

    /// At the deadline, what the last probe saw decides the words: an app that took the
    /// connection is not told to listen on $PORT.
    #[test]
    fn a_timeout_says_what_the_last_probe_saw() {
        let url = "http://127.0.0.1:8080/";
        let words = |last: check::NoAnswer| timed_out(&last, url, 8080, 5);
        assert_eq!(
            words(check::NoAnswer::Closed),
            (
                "no answer from http://127.0.0.1:8080/ within 5 s: the app took the connection on $PORT (8080) and closed it without answering; it must answer HTTP there".to_string(),
                "connection closed without an answer within 5 s".to_string()
            )
        );
        assert_eq!(
            words(check::NoAnswer::NotHttp("SSH-2.0".into())),
            (
                "no HTTP answer from http://127.0.0.1:8080/ within 5 s: the app's answer began `SSH-2.0`, not a status line such as `HTTP/1.1 200 OK`; it must answer HTTP on $PORT (8080)".to_string(),
                "no HTTP answer within 5 s (it began `SSH-2.0`)".to_string()
            )
        );
        let listen = (
            "no answer from http://127.0.0.1:8080/ within 5 s; the app must listen on $PORT (8080), or if it starts slowly raise --check-timeout".to_string(),
            "no answer within 5 s".to_string(),
        );
        assert_eq!(words(check::NoAnswer::NotListening), listen);
        assert_eq!(words(check::NoAnswer::Silent), listen);
    }
}
