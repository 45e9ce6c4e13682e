//! Which proxy, if any, a request goes through: `http_proxy` / `HTTP_PROXY` for `http://`,
//! `https_proxy` / `HTTPS_PROXY` for `https://`, `all_proxy` / `ALL_PROXY` for either, and
//! `no_proxy` / `NO_PROXY` to go direct.
//!
//! ureq reads these itself, but with other rules: one proxy for every scheme (`ALL_PROXY`, then
//! `HTTPS_PROXY`, then `HTTP_PROXY`), uppercase before lowercase although the platform sets the
//! lowercase forms, and `NO_PROXY` without ports, CIDR ranges or subdomain matching for a plain
//! `example.com`. So the client picks the proxy per request here, with Go's rules (the rest of
//! Cloud Foundry is Go): a name matches itself and its subdomains, `.example.com` only
//! subdomains, `*` everything, an IP or CIDR range matches addresses, an entry may carry a
//! port, and loopback (`localhost`, `127.0.0.0/8`, `::1`, `::ffff:127.0.0.1`) never goes through a
//! proxy; an IPv4-mapped IPv6 address is matched as its IPv4 address, and a range written
//! mapped (`::ffff:10.0.0.0/104`) as its IPv4 range, as Go matches them.

use std::fmt;
use std::net::IpAddr;

use super::error::FetchError;
use super::uri;

/// The proxy settings of a process.
#[derive(Clone, Default)]
pub struct Proxies {
    http: Option<Setting>,
    https: Option<Setting>,
    no_proxy: NoProxy,
}

/// One proxy URI and the variable it came from, so that a message about a bad one names the
/// variable the user set (`HTTPS_PROXY`, `all_proxy`), not the one bpkit looked at first.
#[derive(Clone)]
struct Setting {
    uri: String,
    variable: &'static str,
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxies")
            .field("http", &self.uri_for("http").map(uri::redact))
            .field("https", &self.uri_for("https").map(uri::redact))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl Proxies {
    /// No proxy at all.
    pub fn none() -> Self {
        Proxies::default()
    }

    /// Explicit settings: the proxy for `http://` and for `https://` URIs, and a `NO_PROXY` list.
    pub fn new(http: Option<&str>, https: Option<&str>, no_proxy: &str) -> Self {
        Self::named(
            http.map(|uri| ("http_proxy", uri)),
            https.map(|uri| ("https_proxy", uri)),
            no_proxy,
        )
    }

    /// Settings each given as the variable it came from and its value.
    fn named(
        http: Option<(&'static str, &str)>,
        https: Option<(&'static str, &str)>,
        no_proxy: &str,
    ) -> Self {
        let clean = |setting: Option<(&'static str, &str)>| {
            setting
                .map(|(variable, uri)| (variable, uri.trim()))
                .filter(|(_, uri)| !uri.is_empty())
                .map(|(variable, uri)| Setting {
                    uri: uri.to_string(),
                    variable,
                })
        };
        Proxies {
            http: clean(http),
            https: clean(https),
            no_proxy: NoProxy::parse(no_proxy),
        }
    }

    /// The settings from environment variables read through `get` (lowercase first, as the
    /// platform sets them, then uppercase; empty values count as unset).
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Self {
        let var = |lower: &'static str, upper: &'static str| {
            [lower, upper].into_iter().find_map(|name| {
                get(name)
                    .filter(|v| !v.trim().is_empty())
                    .map(|value| (name, value))
            })
        };
        let all = var("all_proxy", "ALL_PROXY");
        let http = var("http_proxy", "HTTP_PROXY").or_else(|| all.clone());
        let https = var("https_proxy", "HTTPS_PROXY").or(all);
        let no_proxy = var("no_proxy", "NO_PROXY").map(|(_, v)| v);
        Proxies::named(
            http.as_ref().map(|(name, uri)| (*name, uri.as_str())),
            https.as_ref().map(|(name, uri)| (*name, uri.as_str())),
            &no_proxy.unwrap_or_default(),
        )
    }

    /// The proxy URI configured for `scheme`'s requests, before `NO_PROXY` is applied.
    fn uri_for(&self, scheme: &str) -> Option<&str> {
        let setting = match scheme {
            "http" => &self.http,
            "https" => &self.https,
            _ => return None,
        };
        setting.as_ref().map(|s| s.uri.as_str())
    }

    /// Every distinct proxy URI configured.
    pub(crate) fn all(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .http
            .iter()
            .chain(&self.https)
            .map(|s| s.uri.as_str())
            .collect();
        all.dedup();
        all
    }

    /// The variable that set the proxy of a request to `target` (`https_proxy`, `ALL_PROXY`),
    /// for a message about that proxy; `None` when the request goes direct.
    pub(crate) fn variable_for(&self, target: &str) -> Option<&'static str> {
        self.select(target)?;
        let setting = match uri::scheme(target).as_deref()? {
            "http" => &self.http,
            "https" => &self.https,
            _ => return None,
        };
        setting.as_ref().map(|s| s.variable)
    }

    /// The proxy for a request to `target`, or `None` to connect directly.
    pub fn select(&self, target: &str) -> Option<&str> {
        let proxy = self.uri_for(uri::scheme(target).as_deref()?)?;
        let (host, port) = uri::host_port(target)?;
        if is_loopback(&host) || self.no_proxy.matches(&host, port) {
            return None;
        }
        Some(proxy)
    }

    /// Check that each proxy URI is one the HTTP library accepts and that names a host and a
    /// port that can be connected to.
    pub(crate) fn validate(&self) -> Result<(), FetchError> {
        for setting in [&self.https, &self.http].into_iter().flatten() {
            if let Some(reason) = proxy_problem(&setting.uri) {
                return Err(FetchError::BadSetting {
                    name: setting.variable,
                    value: uri::redact(&setting.uri),
                    reason,
                });
            }
        }
        Ok(())
    }
}

/// What is wrong with a proxy URI, or `None`. ureq takes a value without a host (`:3128`,
/// `http://:3128`), a port only (`3128`, which it reads as a host named `3128`) and a port past
/// 65535 (which it drops for the scheme's default), so each of those failed only at the first
/// download, three times over, with a lookup or connection error "through the proxy" that said
/// nothing of the setting; they are refused before anything is fetched.
fn proxy_problem(value: &str) -> Option<String> {
    const EXAMPLE: &str = "as in http://proxy.example:3128";
    if ureq::Proxy::new(value).is_err() {
        return Some("expected a proxy URI such as http://proxy.example:3128".to_string());
    }
    // As ureq reads it: `http://` when no scheme is written.
    let rest = value.split_once("://").map_or(value, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, tail)) => (host, tail.strip_prefix(':')),
            None => (host_port, None),
        },
        None => match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    if host_port.starts_with('[') && host.contains('%') {
        // Parsed, then looked up as a name: "failed to lookup address information" at every
        // download, through a proxy that looked like one.
        return Some(
            "its IPv6 address has a zone (`%25` and an interface), which bpkit cannot connect through; give the proxy's global IPv6 or IPv4 address, or its host name".to_string(),
        );
    }
    if host.is_empty() || (port.is_none() && host.bytes().all(|b| b.is_ascii_digit())) {
        let port = port.unwrap_or(host);
        return Some(if port.is_empty() {
            format!("it names no host; write the proxy's host and port, {EXAMPLE}")
        } else {
            format!(
                "it names a port only; write the proxy's host before it, as in http://proxy.example:{port}"
            )
        });
    }
    match port {
        Some(port) if !matches!(port.parse::<u16>(), Ok(1..)) => {
            // Shown only when it is digits: a password holding a raw `/` (`u:pa/ss@p`) would
            // be cut into a "port" of its first part.
            let shown = if port.bytes().all(|b| b.is_ascii_digit()) {
                format!("`{port}` is no port")
            } else {
                "its port is no number".to_string()
            };
            Some(format!(
                "{shown} (a number from 1 to 65535); write the proxy's port, {EXAMPLE}"
            ))
        }
        _ => None,
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// A parsed `NO_PROXY` list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct NoProxy {
    all: bool,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// `example.com` (itself and subdomains) or `.example.com` / `*.example.com` (subdomains).
    Domain {
        name: String,
        subdomains_only: bool,
        port: Option<u16>,
    },
    Ip {
        addr: IpAddr,
        port: Option<u16>,
    },
    Cidr {
        net: IpAddr,
        bits: u8,
    },
}

impl NoProxy {
    fn parse(text: &str) -> Self {
        let mut list = NoProxy::default();
        for raw in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if raw == "*" {
                list.all = true;
                continue;
            }
            // A prefix longer than the address (`10.0.0.7/40`) is no CIDR range to Go's
            // `net.ParseCIDR`, so Go's proxy rules read the entry as a name that matches no
            // host; it is left to the name rules below in the same way.
            if let Some((net, bits)) = raw.split_once('/')
                && let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u8>())
                && u32::from(bits) <= address_width(net)
            {
                // A range written IPv4-mapped with at least the 96 bits of its `::ffff:` prefix
                // (`::ffff:10.0.0.0/104`) is an IPv4 range to Go, whose `IPNet.Contains` reads
                // its network as the IPv4 address and its mask as the last 32 bits; kept IPv6,
                // it matched nothing, the addresses it names being matched as IPv4 ones.
                let (net, bits) = match net {
                    IpAddr::V6(v6) if bits >= 96 => match v6.to_ipv4_mapped() {
                        Some(v4) => (IpAddr::V4(v4), bits - 96),
                        None => (net, bits),
                    },
                    _ => (net, bits),
                };
                list.entries.push(Entry::Cidr { net, bits });
                continue;
            }
            if let Ok(addr) = raw.parse::<IpAddr>() {
                let addr = addr.to_canonical();
                list.entries.push(Entry::Ip { addr, port: None });
                continue;
            }
            let (host, port) = uri::split_host_port(raw);
            if let Ok(addr) = host.parse::<IpAddr>() {
                let addr = addr.to_canonical();
                list.entries.push(Entry::Ip { addr, port });
                continue;
            }
            let (name, subdomains_only) =
                match host.strip_prefix("*.").or_else(|| host.strip_prefix('.')) {
                    Some(rest) => (rest, true),
                    None => (host, false),
                };
            if !name.is_empty() {
                list.entries.push(Entry::Domain {
                    name: name.to_ascii_lowercase(),
                    subdomains_only,
                    port,
                });
            }
        }
        list
    }

    fn matches(&self, host: &str, port: Option<u16>) -> bool {
        if self.all {
            return true;
        }
        // An IPv4-mapped address (`::ffff:10.0.0.7`) is the IPv4 one, as Go's `IP.Equal` and
        // `IPNet.Contains` read it, so an IPv4 entry or range matches it.
        let ip = host.parse::<IpAddr>().ok().map(|ip| ip.to_canonical());
        let port_ok = |want: Option<u16>| want.is_none() || want == port;
        self.entries.iter().any(|entry| match entry {
            Entry::Domain {
                name,
                subdomains_only,
                port: want,
            } => {
                let sub = host.len() > name.len()
                    && host.ends_with(name.as_str())
                    && host.as_bytes()[host.len() - name.len() - 1] == b'.';
                port_ok(*want) && (sub || (!subdomains_only && host == name))
            }
            Entry::Ip { addr, port: want } => port_ok(*want) && ip == Some(*addr),
            Entry::Cidr { net, bits } => ip.is_some_and(|ip| in_cidr(ip, *net, *bits)),
        })
    }
}

/// The bits in an address of `ip`'s family.
fn address_width(ip: IpAddr) -> u32 {
    if ip.is_ipv4() { 32 } else { 128 }
}

/// Whether `ip` is in `net/bits`; `bits` is at most the family's width (`NoProxy::parse`).
fn in_cidr(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let width = address_width(net);
    let (ip, net) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u128::from(a.to_bits()), u128::from(b.to_bits())),
        (IpAddr::V6(a), IpAddr::V6(b)) => (a.to_bits(), b.to_bits()),
        _ => return false,
    };
    let bits = u32::from(bits);
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (ip >> shift) == (net >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(no_proxy: &str) -> Proxies {
        Proxies::new(Some("http://p:3128"), Some("http://ps:3128"), no_proxy)
    }

    #[test]
    fn picks_the_proxy_by_scheme() {
        let p = proxies("");
        assert_eq!(p.select("http://example.com/x"), Some("http://p:3128"));
        assert_eq!(p.select("https://example.com/x"), Some("http://ps:3128"));
        assert_eq!(p.select("file:///x"), None);
    }

    #[test]
    fn loopback_is_never_proxied() {
        let p = proxies("");
        assert_eq!(p.select("http://127.0.0.1:8080/x"), None);
        assert_eq!(p.select("http://localhost/x"), None);
        assert_eq!(p.select("http://[::1]/x"), None);
    }

    #[test]
    fn no_proxy_like_go() {
        let p = proxies(" example.com, .corp.internal,*.svc ,10.0.0.0/8, 192.168.1.5, mirror:8443");
        assert_eq!(p.select("https://example.com/x"), None);
        assert_eq!(p.select("https://dl.example.com/x"), None);
        assert!(p.select("https://notexample.com/x").is_some());
        assert!(p.select("https://corp.internal/x").is_some());
        assert_eq!(p.select("https://a.corp.internal/x"), None);
        assert_eq!(p.select("https://a.SVC/x"), None);
        assert_eq!(p.select("http://10.20.30.40/x"), None);
        assert!(p.select("http://11.0.0.1/x").is_some());
        assert_eq!(p.select("http://192.168.1.5/x"), None);
        assert_eq!(p.select("https://mirror:8443/x"), None);
        assert!(p.select("https://mirror/x").is_some());
        assert_eq!(proxies("*").select("https://anything/x"), None);
    }

    /// An IPv4-mapped IPv6 address is its IPv4 address, as Go reads it: `[::ffff:127.0.0.1]`
    /// is loopback (it went through the proxy), and an IPv4 entry or range of `NO_PROXY`
    /// matches it (and an entry written mapped matches the plain address).
    #[test]
    fn an_ipv4_mapped_address_is_its_ipv4_address() {
        let p = proxies("10.0.0.7, 192.168.0.0/16, ::ffff:172.16.0.1");
        for direct in [
            "http://[::ffff:127.0.0.1]:8080/x",
            "http://[::ffff:10.0.0.7]/x",
            "http://[::ffff:192.168.3.4]/x",
            "http://172.16.0.1/x",
        ] {
            assert_eq!(p.select(direct), None, "{direct}");
        }
        assert_eq!(
            p.select("http://[::ffff:10.0.0.8]/x"),
            Some("http://p:3128")
        );
        assert_eq!(p.select("http://[::2]/x"), Some("http://p:3128"));
    }

    /// Go's `useProxy` sends `localhost` and loopback addresses direct; so do the names under
    /// `.localhost` (RFC 6761), which resolve to loopback.
    #[test]
    fn names_under_localhost_are_never_proxied() {
        let p = proxies("");
        assert_eq!(p.select("http://app.localhost:8080/x"), None);
        assert_eq!(p.select("http://127.1.2.3/x"), None);
        assert_eq!(p.select("http://notlocalhost/x"), Some("http://p:3128"));
        assert_eq!(
            p.select("http://localhost.example/x"),
            Some("http://p:3128")
        );
    }

    /// A name entry matches the host as a whole and by whole labels only: a host that has the
    /// entry's length plus a dot, but another suffix, goes through the proxy.
    #[test]
    fn a_name_matches_by_whole_labels() {
        let p = proxies("example.com");
        assert_eq!(p.select("https://a.example.org/x"), Some("http://ps:3128"));
        assert_eq!(p.select("https://a.b.example.com/x"), None);
        assert_eq!(p.select("https://EXAMPLE.com/x"), None);
        assert_eq!(p.select("https://com/x"), Some("http://ps:3128"));
    }

    /// An IP entry may carry a port (`[v6]:port` too), which the request's port, explicit or
    /// the scheme's default, must equal; a CIDR range matches whatever the port.
    #[test]
    fn ip_entries_with_ports() {
        let p = proxies("192.168.1.5:8080, [fd00::1]:443, 10.1.0.0/16");
        assert_eq!(p.select("http://192.168.1.5:8080/x"), None);
        assert_eq!(p.select("http://192.168.1.5/x"), Some("http://p:3128"));
        assert_eq!(p.select("https://[fd00::1]/x"), None);
        assert_eq!(p.select("http://[fd00::1]/x"), Some("http://p:3128"));
        assert_eq!(p.select("http://10.1.2.3:9999/x"), None);
        assert_eq!(p.select("http://10.2.0.1/x"), Some("http://p:3128"));
    }

    /// IPv6 ranges, `/0` (every address of its family; the shift by the whole width would
    /// overflow), a range of one family never matching an address of the other, and a prefix
    /// longer than the address matching nothing, as in Go (the shift would underflow).
    #[test]
    fn cidr_ranges_of_both_families() {
        let p = proxies("fd00::/8");
        assert_eq!(p.select("http://[fd12:3456::1]/x"), None);
        assert_eq!(p.select("http://[fe80::1]/x"), Some("http://p:3128"));
        assert_eq!(p.select("http://253.0.0.1/x"), Some("http://p:3128"));
        let p = proxies("::/0");
        assert_eq!(p.select("http://[2001:db8::1]/x"), None);
        assert_eq!(p.select("http://1.2.3.4/x"), Some("http://p:3128"));
        let p = proxies("0.0.0.0/0");
        assert_eq!(p.select("http://1.2.3.4/x"), None);
        assert_eq!(p.select("http://[2001:db8::1]/x"), Some("http://p:3128"));
        // Longer than the address: no range to Go, whose rules then match no host with it.
        for entry in ["10.0.0.7/40", "10.0.0.7/33", "fd00::1/129"] {
            let p = proxies(entry);
            assert_eq!(
                p.select("http://10.0.0.7/x"),
                Some("http://p:3128"),
                "{entry}"
            );
            assert_eq!(
                p.select("http://[fd00::1]/x"),
                Some("http://p:3128"),
                "{entry}"
            );
        }
        let p = proxies("10.0.0.7/32, fd00::1/128");
        assert_eq!(p.select("http://10.0.0.7/x"), None);
        assert_eq!(p.select("http://10.0.0.6/x"), Some("http://p:3128"));
        assert_eq!(p.select("http://[fd00::1]/x"), None);
        assert_eq!(p.select("http://[fd00::2]/x"), Some("http://p:3128"));
    }

    /// A range written IPv4-mapped is the IPv4 range under its `::ffff:` prefix, as Go's
    /// `IPNet.Contains` reads it (`::ffff:10.0.0.0/104` is `10.0.0.0/8`), so it matches the
    /// addresses it names, written plain or mapped; one shorter than that prefix is an IPv6
    /// range, which to Go too matches no IPv4 address.
    #[test]
    fn a_range_written_ipv4_mapped_is_its_ipv4_range() {
        let p = proxies("::ffff:10.0.0.0/104");
        for direct in ["http://10.200.0.1/x", "http://[::ffff:10.0.0.9]/x"] {
            assert_eq!(p.select(direct), None, "{direct}");
        }
        // 11 and 100 share 10's first bit, not its first eight; `::a00:1` (10.0.0.1 written
        // IPv4-compatible, not mapped) is no IPv4 address to Go either.
        for proxied in [
            "http://11.0.0.1/x",
            "http://100.0.0.1/x",
            "http://[::a00:1]/x",
        ] {
            assert_eq!(p.select(proxied), Some("http://p:3128"), "{proxied}");
        }
        let p = proxies("::ffff:0.0.0.0/96");
        assert_eq!(p.select("http://203.0.113.9/x"), None);
        assert_eq!(p.select("http://[2001:db8::1]/x"), Some("http://p:3128"));
        let p = proxies("::ffff:0.0.0.0/95");
        assert_eq!(p.select("http://203.0.113.9/x"), Some("http://p:3128"));
        assert_eq!(p.select("http://[::fffe:1:2]/x"), None);
    }

    #[test]
    fn all_lists_each_distinct_proxy_once() {
        assert_eq!(proxies("").all(), ["http://p:3128", "http://ps:3128"]);
        let same = Proxies::new(Some("http://p:1"), Some("http://p:1"), "");
        assert_eq!(same.all(), ["http://p:1"]);
        assert_eq!(
            Proxies::new(None, Some(" http://ps:1 "), "").all(),
            ["http://ps:1"]
        );
        assert!(Proxies::new(Some(" "), None, "").all().is_empty());
        assert!(Proxies::none().all().is_empty());
    }

    #[test]
    fn lowercase_first_and_all_proxy_fallback() {
        let env = |k: &str| match k {
            "https_proxy" => Some("http://lower:1".to_string()),
            "HTTPS_PROXY" => Some("http://upper:1".to_string()),
            "ALL_PROXY" => Some("http://all:1".to_string()),
            "NO_PROXY" => Some("skip.me".to_string()),
            _ => None,
        };
        let p = Proxies::from_lookup(&env);
        assert_eq!(p.select("https://h/x"), Some("http://lower:1"));
        assert_eq!(p.select("http://h/x"), Some("http://all:1"));
        assert_eq!(p.select("http://skip.me/x"), None);
        let p = Proxies::from_lookup(&|_: &str| Some(String::new()));
        assert_eq!(p.select("https://h/x"), None);
    }

    /// A proxy's failure (a 407) names the variable the request's proxy came from: the
    /// scheme's own, or `all_proxy` standing in for it; a request that goes direct (`NO_PROXY`,
    /// loopback, a scheme with no proxy) names none, since no proxy is to blame.
    #[test]
    fn a_requests_proxy_is_named_by_the_variable_it_came_from() {
        let env = |k: &str| match k {
            "HTTPS_PROXY" => Some("http://ps:1".to_string()),
            "all_proxy" => Some("http://all:1".to_string()),
            "no_proxy" => Some("direct.example".to_string()),
            _ => None,
        };
        let p = Proxies::from_lookup(&env);
        assert_eq!(p.variable_for("https://h/x"), Some("HTTPS_PROXY"));
        assert_eq!(p.variable_for("http://h/x"), Some("all_proxy"));
        assert_eq!(p.variable_for("https://direct.example/x"), None);
        assert_eq!(p.variable_for("http://localhost:8080/x"), None);
        assert_eq!(p.variable_for("ftp://h/x"), None);
        let p = Proxies::new(Some("http://p:1"), None, "");
        assert_eq!(p.variable_for("http://h/x"), Some("http_proxy"));
        assert_eq!(p.variable_for("https://h/x"), None);
    }

    #[test]
    fn debug_redacts_proxy_credentials() {
        let p = Proxies::new(Some("http://u:hunter2@p:1"), None, ".corp, 10.0.0.0/8");
        assert_eq!(
            format!("{p:?}"),
            r#"Proxies { http: Some("http://-redacted-:-redacted-@p:1"), https: None, no_proxy: NoProxy { all: false, entries: [Domain { name: "corp", subdomains_only: true, port: None }, Cidr { net: 10.0.0.0, bits: 8 }] } }"#
        );
    }

    #[test]
    fn validates_proxy_uris() {
        assert!(proxies("").validate().is_ok());
        let bad = Proxies::new(None, Some("http://u:pw@bad host:1"), "");
        let err = bad.validate().unwrap_err().to_string();
        assert!(
            err.starts_with("https_proxy=`http://-redacted-:-redacted-@"),
            "{err}"
        );
    }

    /// A proxy with no host, a port only or a port out of range is refused when read, where it
    /// failed at each download with "failed to lookup address information" through it.
    #[test]
    fn a_proxy_needs_a_host_and_a_port_that_is_one() {
        let reason = |value: &str| match Proxies::new(Some(value), None, "").validate() {
            Ok(()) => "ok".to_string(),
            Err(e) => e.to_string(),
        };
        for (value, expected) in [
            (
                "3128",
                "http_proxy=`3128` is not valid: it names a port only; write the proxy's host before it, as in http://proxy.example:3128.",
            ),
            (
                ":3128",
                "http_proxy=`:3128` is not valid: it names a port only; write the proxy's host before it, as in http://proxy.example:3128.",
            ),
            (
                "http://:3128",
                "http_proxy=`http://:3128` is not valid: it names a port only; write the proxy's host before it, as in http://proxy.example:3128.",
            ),
            (
                "http://u:pw@:8080/",
                "http_proxy=`http://-redacted-:-redacted-@:8080/` is not valid: it names a port only; write the proxy's host before it, as in http://proxy.example:8080.",
            ),
            (
                "http://p:99999",
                "http_proxy=`http://p:99999` is not valid: `99999` is no port (a number from 1 to 65535); write the proxy's port, as in http://proxy.example:3128.",
            ),
            (
                "http://p:0",
                "http_proxy=`http://p:0` is not valid: `0` is no port (a number from 1 to 65535); write the proxy's port, as in http://proxy.example:3128.",
            ),
            (
                "[::1]:99999",
                "http_proxy=`[::1]:99999` is not valid: `99999` is no port (a number from 1 to 65535); write the proxy's port, as in http://proxy.example:3128.",
            ),
            (
                "http://u:pa/ss@p:1",
                "http_proxy=`http://-redacted-:-redacted-@p:1` is not valid: its port is no number (a number from 1 to 65535); write the proxy's port, as in http://proxy.example:3128.",
            ),
            (
                "http://[fe80::1%25eth0]:3128",
                "http_proxy=`http://[fe80::1%25eth0]:3128` is not valid: its IPv6 address has a zone (`%25` and an interface), which bpkit cannot connect through; give the proxy's global IPv6 or IPv4 address, or its host name.",
            ),
            ("proxy", "ok"),
            ("proxy:3128", "ok"),
            ("http://[::1]:3128", "ok"),
            ("[fd00::2]", "ok"),
            ("http://u:p@10.0.0.1:3128/", "ok"),
            ("socks5://p:1080", "ok"),
        ] {
            assert_eq!(reason(value), expected, "{value}");
        }
    }

    /// The message names the variable the user set: told to fix `https_proxy`, someone who
    /// set only `HTTPS_PROXY` (or `all_proxy`) looks for a setting that is not there.
    #[test]
    fn a_bad_proxy_is_named_by_the_variable_it_came_from() {
        for (variable, scheme_variable) in [
            ("HTTPS_PROXY", None),
            ("https_proxy", None),
            ("ALL_PROXY", Some("HTTP_PROXY")),
            ("all_proxy", Some("HTTP_PROXY")),
            ("HTTP_PROXY", Some("HTTP_PROXY")),
        ] {
            let env = |k: &str| {
                if k == variable {
                    Some("http://bad host:1".to_string())
                } else if Some(k) == scheme_variable && variable != k {
                    // A good proxy for http:// leaves the bad one the only one to name.
                    Some("http://good:1".to_string())
                } else {
                    None
                }
            };
            let err = Proxies::from_lookup(&env)
                .validate()
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with(&format!("{variable}=`")),
                "{variable}: {err}"
            );
        }
    }
}
