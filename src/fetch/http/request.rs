//! The GET itself: headers for credentials and resuming, the redirect loop (each hop's proxy,
//! where credentials may follow), and the [`Body`] of a 2xx answer.

use std::time::SystemTime;

use ureq::http::StatusCode;

use super::Client;
use super::failure::status_error;
use crate::fetch::error::FetchError;
use crate::fetch::retry_after;
use crate::fetch::uri;

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
    /// `Content-Encoding` other than `identity` (`gzip`): the bytes are stored as sent, so a
    /// checksum mismatch can say the server compressed them on the way.
    pub encoding: Option<String>,
    /// The URI a redirect led to (redacted and scrubbed), when one did: a body that breaks is
    /// that server's fault, and its error names it ([`FetchError::after_redirect`]).
    pub redirected: Option<String>,
}

/// Ask for the file from byte `from` on (an interrupted download's next attempt), provided it
/// is still the version `validator` names (`If-Range`; without one, the checksum catches a
/// changed file).
pub(crate) struct Resume<'a> {
    pub from: u64,
    pub validator: Option<&'a str>,
}

impl Client {
    /// GET `uri`, following redirects, and return the body of a 2xx answer; with `resume`,
    /// ask for the rest of the file only (the answer says whether the server obliged).
    pub fn open(&self, uri: &str, resume: Option<&Resume>) -> Result<Body, FetchError> {
        let shown = uri::redact(uri);
        let mut secrets = uri::secrets(uri);
        secrets.extend(self.proxy_secrets.iter().cloned());
        let (mut current, mut credentials) = uri::take_credentials(uri);
        let written = credentials.is_some();
        for hop in 0..=self.max_redirects {
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
                .map_err(|e| self.call_error((&shown, uri), &current, hop > 0, e, &secrets))?;
            let status = response.status();
            let location = response
                .headers()
                .get("location")
                .map(|v| uri::location_text(v.as_bytes()));
            if status.is_redirection()
                && let Some(location) = location
            {
                let next = uri::resolve(&current, &location);
                secrets.extend(uri::secrets(&next));
                check_redirect(&shown, &next, &secrets)?;
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
            let encoding = header("content-encoding")
                .filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case("identity"))
                .map(String::from);
            return Ok(Body {
                reader: response.into_body().into_reader(),
                content_length,
                resumed,
                validator,
                encoding,
                redirected: (hop > 0).then(|| uri::scrub(&uri::redact(&current), &secrets)),
            });
        }
        Err(FetchError::TooManyRedirects {
            uri: shown,
            limit: self.max_redirects,
        })
    }
}

/// Refuse a redirect (from the request for `shown`) to `next` unless it is an http(s) URI the
/// HTTP library can request: a `Location: file:///…` (or any other scheme) would let whoever
/// answers the request pick a local file to package; one that cannot be requested is named
/// here, where it was reported as the manifest's `uri` being invalid, with a fix for it.
fn check_redirect(shown: &str, next: &str, secrets: &[String]) -> Result<(), FetchError> {
    let to = || uri::scrub(&uri::redact(next), secrets);
    if !matches!(uri::scheme(next).as_deref(), Some("http" | "https")) {
        return Err(FetchError::RedirectNotHttp {
            uri: shown.to_string(),
            to: to(),
        });
    }
    let reason = match uri::http_request_problem(next) {
        Ok(()) => return Ok(()),
        Err(uri::NotRequestable::NoHost) => uri::NO_HOST.to_string(),
        Err(uri::NotRequestable::ZoneId) => uri::ZONE_ID.to_string(),
        Err(uri::NotRequestable::Invalid(e)) => format!("it is not a valid URI ({e})"),
    };
    Err(FetchError::RedirectInvalid {
        uri: shown.to_string(),
        to: to(),
        reason,
    })
}

/// The first byte of a `Content-Range: bytes FIRST-LAST/TOTAL` answer.
fn range_start(value: &str) -> Option<u64> {
    let range = value.strip_prefix("bytes ")?;
    let (first, _) = range.split_once('-')?;
    first.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

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
