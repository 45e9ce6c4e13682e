//! Download settings: timeouts, retries, proxies and extra CA certificates, with production
//! defaults that environment variables override (so tests and slow sites can tune them without
//! a flag on every command).
//!
//! | variable | meaning | default |
//! | --- | --- | --- |
//! | `BPKIT_CONNECT_TIMEOUT` | seconds to resolve and connect (TLS included), at most a day | 30 |
//! | `BPKIT_READ_TIMEOUT` | seconds without a single byte before giving up, and for the whole head of an answer; at most a day | 60 |
//! | `BPKIT_RETRIES` | retries after the first attempt | 2 |
//! | `BPKIT_RETRY_DELAY_MS` | first backoff delay, doubled each retry (capped at 30 s) | 1000 |
//! | `BPKIT_MAX_DOWNLOAD_SIZE` | bytes one download may have (`K`, `M`, `G`, `T`: 1024-based; 0: no limit) | 4G |
//! | `http_proxy`, `https_proxy`, `all_proxy`, `no_proxy` (and uppercase) | see [`Proxies`] | |
//! | `SSL_CERT_FILE` | PEM file of CA certificates added to the default roots | |

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use super::error::FetchError;
use super::proxy::Proxies;

pub const CONNECT_TIMEOUT_ENV: &str = "BPKIT_CONNECT_TIMEOUT";
pub const READ_TIMEOUT_ENV: &str = "BPKIT_READ_TIMEOUT";
pub const RETRIES_ENV: &str = "BPKIT_RETRIES";
pub const RETRY_DELAY_ENV: &str = "BPKIT_RETRY_DELAY_MS";
pub const CA_FILE_ENV: &str = "SSL_CERT_FILE";
pub const MAX_DOWNLOAD_SIZE_ENV: &str = "BPKIT_MAX_DOWNLOAD_SIZE";

/// The most bytes one download may have unless [`MAX_DOWNLOAD_SIZE_ENV`] says otherwise: four
/// times the largest dependency of the official buildpacks' manifests (a JDK or a .NET SDK,
/// a few hundred MB), so that no real file meets it, while a server that sends without end
/// (no `Content-Length`, or one it does not keep to) stops before it fills the cache's disk.
pub const DEFAULT_MAX_DOWNLOAD_SIZE: u64 = 4 << 30;

/// How downloads behave.
#[derive(Debug, Clone)]
pub struct Config {
    /// Limit for name resolution, and separately for connecting (TCP, proxy tunnel, TLS).
    pub connect_timeout: Duration,
    /// Idle limit: the longest wait for any data (headers or body). A slow download that keeps
    /// delivering bytes is never cut off; a server that stalls is, after this long. Also the
    /// longest wait for an answer's whole head (status line and headers), which a server that
    /// drips it a byte at a time would otherwise stretch without end.
    pub read_timeout: Duration,
    /// Retries after the first attempt, on connection errors, timeouts, short bodies, 5xx,
    /// 408 and 429.
    pub retries: u32,
    /// The delay before the first retry; each further retry waits twice as long.
    pub retry_delay: Duration,
    /// The longest delay between two attempts.
    pub max_retry_delay: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    pub proxies: Proxies,
    /// Extra CA certificates (PEM), trusted in addition to the built-in Mozilla roots.
    pub ca_file: Option<PathBuf>,
    /// The most bytes one download may have (`None`: no limit). The manifest gives no size,
    /// and a server may announce none: without a limit, one that sends without end filled the
    /// disk before anything stopped it.
    pub max_download_size: Option<u64>,
}

impl Default for Config {
    /// Production defaults, no proxy, no extra CA; see [`Config::from_env`] for what a
    /// process normally uses.
    fn default() -> Self {
        Config {
            connect_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(60),
            retries: 2,
            retry_delay: Duration::from_secs(1),
            max_retry_delay: Duration::from_secs(30),
            max_redirects: 10,
            proxies: Proxies::none(),
            ca_file: None,
            max_download_size: Some(DEFAULT_MAX_DOWNLOAD_SIZE),
        }
    }
}

impl Config {
    /// The defaults overridden by this process's environment.
    pub fn from_env() -> Result<Self, FetchError> {
        Config::from_os_lookup(&|name| std::env::var_os(name))
    }

    /// [`Config::from_env`] with the variables, which may hold any bytes, read through `get`
    /// (so that tests need not change the process's environment).
    fn from_os_lookup(get: &dyn Fn(&str) -> Option<OsString>) -> Result<Self, FetchError> {
        for name in TEXT_SETTINGS {
            text_setting(name, get(name))?;
        }
        let mut config = Config::from_lookup(&|name| get(name)?.into_string().ok())?;
        // A path, which may be any bytes (read as text, one that is not UTF-8 was ignored).
        config.ca_file = get(CA_FILE_ENV)
            .filter(|v| !v.to_string_lossy().trim().is_empty())
            .map(PathBuf::from);
        Ok(config)
    }

    /// The defaults overridden by variables read through `get` (tests pass a map).
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, FetchError> {
        let mut config = Config::default();
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        if let Some(v) = get(CONNECT_TIMEOUT_ENV) {
            config.connect_timeout = seconds(CONNECT_TIMEOUT_ENV, &v)?;
        }
        if let Some(v) = get(READ_TIMEOUT_ENV) {
            config.read_timeout = seconds(READ_TIMEOUT_ENV, &v)?;
        }
        if let Some(v) = get(RETRIES_ENV) {
            config.retries = v.trim().parse().map_err(|_| FetchError::BadSetting {
                name: RETRIES_ENV,
                value: v.clone(),
                reason: "expected a whole number of retries, such as 2 (0 turns retries off)"
                    .into(),
            })?;
        }
        if let Some(v) = get(RETRY_DELAY_ENV) {
            let ms: u64 = v.trim().parse().map_err(|_| FetchError::BadSetting {
                name: RETRY_DELAY_ENV,
                value: v.clone(),
                reason: "expected a whole number of milliseconds, such as 1000".into(),
            })?;
            config.retry_delay = Duration::from_millis(ms);
        }
        if let Some(v) = get(MAX_DOWNLOAD_SIZE_ENV) {
            config.max_download_size = size(MAX_DOWNLOAD_SIZE_ENV, &v)?;
        }
        config.proxies = Proxies::from_lookup(&get);
        config.proxies.validate()?;
        config.ca_file = get(CA_FILE_ENV).map(PathBuf::from);
        Ok(config)
    }

    /// The wait before retry number `retry` (1-based): `retry_delay × 2^(retry-1)`, capped.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.retry_delay
            .saturating_mul(factor)
            .min(self.max_retry_delay)
    }

    /// The wait before retry number `retry`: what the server `asked` for (`Retry-After`), up
    /// to the longest delay, else the backoff; and the words that say why, for the warning
    /// (`, as the server asked`, or empty).
    pub fn retry_wait(&self, retry: u32, asked: Option<Duration>) -> (Duration, String) {
        match asked {
            Some(asked) if asked > self.max_retry_delay => (
                self.max_retry_delay,
                format!(
                    ", the longest bpkit waits (the server asked for {})",
                    show_secs(asked)
                ),
            ),
            Some(asked) => (asked, ", as the server asked".to_string()),
            None => (self.backoff(retry), String::new()),
        }
    }
}

/// The settings read as text (every one but the CA file, a path).
const TEXT_SETTINGS: [&str; 13] = [
    CONNECT_TIMEOUT_ENV,
    READ_TIMEOUT_ENV,
    RETRIES_ENV,
    RETRY_DELAY_ENV,
    MAX_DOWNLOAD_SIZE_ENV,
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
];

/// The text of setting `name`, `None` when unset. A value that is not UTF-8 is refused by
/// name: read as unset, it was silently ignored (a proxy or mirror the operator set, skipped).
pub(crate) fn env_setting(name: &'static str) -> Result<Option<String>, FetchError> {
    text_setting(name, std::env::var_os(name))
}

/// [`env_setting`] of a variable whose value (`None` when unset) has been read.
fn text_setting(name: &'static str, value: Option<OsString>) -> Result<Option<String>, FetchError> {
    match value.map(OsString::into_string) {
        None => Ok(None),
        Some(Ok(value)) => Ok(Some(value)),
        Some(Err(value)) => Err(FetchError::BadSetting {
            name,
            // The mirrors are a list of rules, which `redact` would take for one URI.
            value: if name == super::mirror::MIRRORS_ENV {
                super::mirror::redact_rules(&value.to_string_lossy())
            } else {
                super::uri::redact(&value.to_string_lossy())
            },
            reason: "it is not UTF-8 text; set it in plain ASCII or UTF-8, or unset it".into(),
        }),
    }
}

/// The longest timeout a setting may ask for: a day is already "never" for one connection or
/// one read, and the HTTP library adds a timeout to the clock, which a huge one overflows.
const MAX_TIMEOUT_SECS: f64 = 86_400.0;

/// A positive number of seconds, fractions allowed (`0.5`), at most [`MAX_TIMEOUT_SECS`].
fn seconds(name: &'static str, value: &str) -> Result<Duration, FetchError> {
    let bad = |reason: &str| FetchError::BadSetting {
        name,
        value: value.to_string(),
        reason: reason.into(),
    };
    let secs = value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0)
        .ok_or_else(|| bad("expected a positive number of seconds, such as 30 or 0.5"))?;
    if secs > MAX_TIMEOUT_SECS {
        return Err(bad("that is longer than a day; give at most 86400 seconds"));
    }
    // A positive number below a nanosecond (`1e-12`) rounds to zero, which the socket calls
    // refuse ("cannot set a 0 duration timeout") on every download: refuse it here instead.
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| bad("expected a positive number of seconds, such as 30 or 0.5"))
}

/// A number of bytes: digits, optionally followed by `K`, `M`, `G` or `T` (1024-based, either
/// case); `0` is no limit (`None`).
fn size(name: &'static str, value: &str) -> Result<Option<u64>, FetchError> {
    let bad = || {
        FetchError::BadSetting {
        name,
        value: value.to_string(),
        reason: "expected a whole number of bytes, optionally with K, M, G or T (1024-based), such as 8G; 0 turns the limit off".into(),
    }
    };
    let text = value.trim();
    let (digits, shift) = match text.as_bytes().last().map(u8::to_ascii_uppercase) {
        Some(b'K') => (&text[..text.len() - 1], 10),
        Some(b'M') => (&text[..text.len() - 1], 20),
        Some(b'G') => (&text[..text.len() - 1], 30),
        Some(b'T') => (&text[..text.len() - 1], 40),
        _ => (text, 0),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let number: u64 = digits.parse().map_err(|_| bad())?;
    let bytes = number
        .checked_mul(1u64 << shift)
        .ok_or_else(|| FetchError::BadSetting {
            name,
            value: value.to_string(),
            reason:
                "that is more bytes than a file can hold; give a smaller size, or 0 for no limit"
                    .into(),
        })?;
    Ok((bytes > 0).then_some(bytes))
}

/// `30 s`, `0.5 s`: how messages show a duration.
pub(crate) fn show_secs(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::mirror::MIRRORS_ENV;
    use std::collections::HashMap;
    use std::os::unix::ffi::OsStringExt;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_are_for_production() {
        let c = Config::from_lookup(&lookup(&[])).unwrap();
        assert_eq!(c.connect_timeout, Duration::from_secs(30));
        assert_eq!(c.read_timeout, Duration::from_secs(60));
        assert_eq!(c.retries, 2);
        assert_eq!(c.retry_delay, Duration::from_secs(1));
        assert!(c.ca_file.is_none());
        assert_eq!(c.max_download_size, Some(4 * 1024 * 1024 * 1024));
    }

    #[test]
    fn max_download_size_takes_bytes_with_a_unit_and_zero_for_no_limit() {
        let size = |v: &str| {
            Config::from_lookup(&lookup(&[("BPKIT_MAX_DOWNLOAD_SIZE", v)]))
                .map(|c| c.max_download_size)
        };
        for (value, bytes) in [
            ("1000", Some(1000)),
            (" 1k ", Some(1024)),
            ("3M", Some(3 << 20)),
            ("8G", Some(8 << 30)),
            ("2t", Some(2 << 40)),
            ("0", None),
            ("0G", None),
        ] {
            assert_eq!(size(value).unwrap(), bytes, "{value}");
        }
        for (value, reason) in [
            (
                "1.5G",
                "expected a whole number of bytes, optionally with K, M, G or T (1024-based), such as 8G; 0 turns the limit off",
            ),
            (
                "G",
                "expected a whole number of bytes, optionally with K, M, G or T (1024-based), such as 8G; 0 turns the limit off",
            ),
            (
                "-1",
                "expected a whole number of bytes, optionally with K, M, G or T (1024-based), such as 8G; 0 turns the limit off",
            ),
            (
                "4GB",
                "expected a whole number of bytes, optionally with K, M, G or T (1024-based), such as 8G; 0 turns the limit off",
            ),
            (
                "99999999999999999999",
                "expected a whole number of bytes, optionally with K, M, G or T (1024-based), such as 8G; 0 turns the limit off",
            ),
            (
                "99999999T",
                "that is more bytes than a file can hold; give a smaller size, or 0 for no limit",
            ),
        ] {
            assert_eq!(
                size(value).unwrap_err().to_string(),
                format!("BPKIT_MAX_DOWNLOAD_SIZE=`{value}` is not valid: {reason}."),
                "{value}"
            );
        }
    }

    #[test]
    fn env_overrides() {
        let c = Config::from_lookup(&lookup(&[
            ("BPKIT_CONNECT_TIMEOUT", "2"),
            ("BPKIT_READ_TIMEOUT", "0.5"),
            ("BPKIT_RETRIES", "0"),
            ("BPKIT_RETRY_DELAY_MS", "10"),
            ("SSL_CERT_FILE", "/etc/corp-ca.pem"),
            ("https_proxy", "http://p:3128"),
        ]))
        .unwrap();
        assert_eq!(c.connect_timeout, Duration::from_secs(2));
        assert_eq!(c.read_timeout, Duration::from_millis(500));
        assert_eq!(c.retries, 0);
        assert_eq!(c.retry_delay, Duration::from_millis(10));
        assert_eq!(c.ca_file, Some(PathBuf::from("/etc/corp-ca.pem")));
        assert_eq!(c.proxies.select("https://h/x"), Some("http://p:3128"));
    }

    #[test]
    fn bad_values_are_named() {
        let err = Config::from_lookup(&lookup(&[("BPKIT_READ_TIMEOUT", "soon")]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "BPKIT_READ_TIMEOUT=`soon` is not valid: expected a positive number of seconds, such as 30 or 0.5."
        );
        assert!(Config::from_lookup(&lookup(&[("BPKIT_CONNECT_TIMEOUT", "0")])).is_err());
        assert!(Config::from_lookup(&lookup(&[("BPKIT_RETRIES", "-1")])).is_err());
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let c = Config::default();
        assert_eq!(c.backoff(1), Duration::from_secs(1));
        assert_eq!(c.backoff(2), Duration::from_secs(2));
        assert_eq!(c.backoff(3), Duration::from_secs(4));
        assert_eq!(c.backoff(40), Duration::from_secs(30));
    }

    #[test]
    fn a_server_asking_for_a_wait_gets_it_up_to_the_longest_delay() {
        let c = Config::default();
        assert_eq!(
            c.retry_wait(1, None),
            (Duration::from_secs(1), String::new())
        );
        assert_eq!(
            c.retry_wait(1, Some(Duration::from_secs(7))),
            (Duration::from_secs(7), ", as the server asked".to_string())
        );
        assert_eq!(
            c.retry_wait(2, Some(Duration::from_secs(3600))),
            (
                Duration::from_secs(30),
                ", the longest bpkit waits (the server asked for 3600 s)".to_string()
            )
        );
    }

    #[test]
    fn timeouts_are_positive_and_at_most_a_day() {
        assert_eq!(
            seconds(READ_TIMEOUT_ENV, "0.5").unwrap(),
            Duration::from_millis(500)
        );
        assert_eq!(
            seconds(READ_TIMEOUT_ENV, "86400").unwrap(),
            Duration::from_secs(86_400)
        );
        for (value, reason) in [
            (
                "0",
                "expected a positive number of seconds, such as 30 or 0.5",
            ),
            (
                "-1",
                "expected a positive number of seconds, such as 30 or 0.5",
            ),
            (
                "NaN",
                "expected a positive number of seconds, such as 30 or 0.5",
            ),
            (
                "1e-12",
                "expected a positive number of seconds, such as 30 or 0.5",
            ),
            (
                "86401",
                "that is longer than a day; give at most 86400 seconds",
            ),
            (
                "1e19",
                "that is longer than a day; give at most 86400 seconds",
            ),
            (
                "inf",
                "that is longer than a day; give at most 86400 seconds",
            ),
        ] {
            assert_eq!(
                seconds(CONNECT_TIMEOUT_ENV, value).unwrap_err().to_string(),
                format!("BPKIT_CONNECT_TIMEOUT=`{value}` is not valid: {reason}."),
            );
        }
    }

    /// A wait the server asks for that is exactly the longest is granted as asked, not
    /// reported as cut down.
    #[test]
    fn a_wait_of_exactly_the_longest_delay_is_as_the_server_asked() {
        let c = Config::default();
        assert_eq!(
            c.retry_wait(3, Some(Duration::from_secs(30))),
            (Duration::from_secs(30), ", as the server asked".to_string())
        );
        assert_eq!(
            c.retry_wait(3, Some(Duration::from_millis(30_001))).1,
            ", the longest bpkit waits (the server asked for 30.001 s)"
        );
    }

    fn os_lookup(pairs: &[(&str, &[u8])]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), OsString::from_vec(v.to_vec())))
            .collect();
        move |k| map.get(k).cloned()
    }

    /// What `from_env` reads: the text settings, and `SSL_CERT_FILE` as a path of any bytes,
    /// unset when blank.
    #[test]
    fn the_environment_is_read_with_the_ca_file_as_a_path() {
        let c = Config::from_os_lookup(&os_lookup(&[
            (RETRIES_ENV, b"5"),
            ("no_proxy", b"skip.example"),
            ("http_proxy", b"http://p:3128"),
            (CA_FILE_ENV, b"/etc/ca-\xE9.pem"),
        ]))
        .unwrap();
        assert_eq!(c.retries, 5);
        assert_eq!(c.proxies.select("http://h/x"), Some("http://p:3128"));
        assert_eq!(c.proxies.select("http://skip.example/x"), None);
        assert_eq!(
            c.ca_file.unwrap().as_os_str().as_encoded_bytes(),
            b"/etc/ca-\xE9.pem"
        );
        for blank in [&b""[..], b"  "] {
            let c = Config::from_os_lookup(&os_lookup(&[(CA_FILE_ENV, blank)])).unwrap();
            assert_eq!(c.ca_file, None, "{blank:?}");
        }
    }

    /// A setting that is not UTF-8 is refused by name, not read as unset; the mirrors' rules
    /// are redacted side by side (as one URI, the replacement's password would show).
    #[test]
    fn a_setting_that_is_not_utf8_is_refused_by_name() {
        let err = Config::from_os_lookup(&os_lookup(&[("https_proxy", b"http://u:pw@p:1/\xFF")]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "https_proxy=`http://-redacted-:-redacted-@p:1/\u{FFFD}` is not valid: it is not UTF-8 text; set it in plain ASCII or UTF-8, or unset it."
        );
        let err = text_setting(
            MIRRORS_ENV,
            Some(OsString::from_vec(
                b"https://a/=https://u:pw@m/\xFF".to_vec(),
            )),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "BPKIT_MIRRORS=`https://a/=https://-redacted-:-redacted-@m/\u{FFFD}` is not valid: it is not UTF-8 text; set it in plain ASCII or UTF-8, or unset it."
        );
        assert_eq!(text_setting(RETRIES_ENV, None).unwrap(), None);
        assert_eq!(
            text_setting(RETRIES_ENV, Some(OsString::from("3"))).unwrap(),
            Some("3".to_string())
        );
    }

    #[test]
    fn shows_seconds() {
        assert_eq!(show_secs(Duration::from_secs(5)), "5 s");
        assert_eq!(show_secs(Duration::from_millis(500)), "0.5 s");
    }
}
