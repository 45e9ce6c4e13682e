//! The HTTP [`Client`]: a ureq agent (connection pool) for direct connections and one for each
//! configured proxy, all with the same timeouts, CA certificates and user agent, and the choice
//! of agent for a request.

use std::collections::HashMap;
use std::time::Duration;

use ureq::Agent;
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::DefaultConnector;

use crate::fetch::config::Config;
use crate::fetch::error::FetchError;
use crate::fetch::forward::ForwardConnector;
use crate::fetch::proxy::Proxies;
use crate::fetch::uri;

use super::surplus::Watching;

/// Agents (connection pools) for direct connections and for each configured proxy.
pub(crate) struct Client {
    direct: Agent,
    via_proxy: HashMap<String, Agent>,
    pub(super) proxies: Proxies,
    pub(super) max_redirects: u32,
    pub(super) connect_timeout: Duration,
    pub(super) read_timeout: Duration,
    /// Proxy credentials, scrubbed from every message.
    pub(super) proxy_secrets: Vec<String>,
}

impl Client {
    pub fn new(config: &Config) -> Result<Self, FetchError> {
        config.proxies.validate()?;
        let tls = crate::fetch::tls::tls_config(config.ca_file.as_deref())?;
        let agent_config = |proxy: Option<ureq::Proxy>| -> ureq::config::Config {
            Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .max_redirects_will_error(false)
                .timeout_resolve(Some(config.connect_timeout))
                .timeout_connect(Some(config.connect_timeout))
                .timeout_per_read(Some(config.read_timeout))
                // The head as a whole, not each read of it: a server sending it a byte at a
                // time (slowloris-style) kept the per-read timeout from ever ending the wait.
                .timeout_recv_response(Some(config.read_timeout))
                .timeout_per_write(Some(config.read_timeout))
                .user_agent(format!("bpkit/{}", env!("CARGO_PKG_VERSION")))
                .tls_config(tls.clone())
                // Explicitly: never ureq's own reading of the proxy environment.
                .proxy(proxy)
                .build()
        };
        let mut via_proxy = HashMap::new();
        let mut proxy_secrets = Vec::new();
        for proxy_uri in config.proxies.all() {
            // validate() above checked that every proxy URI parses.
            if let Ok(proxy) = ureq::Proxy::new(proxy_uri) {
                // ureq would tunnel `http://` targets too; this connector sends them to the
                // proxy in absolute form instead, and leaves `https://` ones to ureq's CONNECT.
                let agent = Agent::with_parts(
                    agent_config(Some(proxy)),
                    Watching(ForwardConnector::new(agent_config(None))),
                    DefaultResolver::default(),
                );
                via_proxy.insert(proxy_uri.to_string(), agent);
                proxy_secrets.extend(uri::secrets(proxy_uri));
            }
        }
        Ok(Client {
            // Each connection watched for bytes left past a body (`super::surplus`).
            direct: Agent::with_parts(
                agent_config(None),
                Watching(DefaultConnector::new()),
                DefaultResolver::default(),
            ),
            via_proxy,
            proxies: config.proxies.clone(),
            max_redirects: config.max_redirects,
            connect_timeout: config.connect_timeout,
            read_timeout: config.read_timeout,
            proxy_secrets,
        })
    }

    /// Close every connection, ending reads blocked in other threads at once, and refuse new
    /// requests: for an interrupted bpkit, which must not wait out the read timeout of a
    /// silent server. The client is of no further use.
    pub fn shutdown(&self) {
        self.direct.clone().shutdown();
        for agent in self.via_proxy.values() {
            agent.clone().shutdown();
        }
    }

    pub(super) fn agent_for(&self, target: &str) -> &Agent {
        self.proxies
            .select(target)
            .and_then(|p| self.via_proxy.get(p))
            .unwrap_or(&self.direct)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::time::Instant;

    use super::*;

    /// Shutting the client down (bpkit interrupted, a staging deadline passed) ends a read
    /// blocked on a silent server at once, not after the read timeout.
    #[test]
    fn shutdown_ends_a_blocked_read_at_once() {
        // Silent until the client goes away (or the test's bound).
        let (addr, server) = super::super::silent_server(Duration::from_secs(60));
        let config = Config {
            read_timeout: Duration::from_secs(60),
            ..Config::default()
        };
        let client = Client::new(&config).unwrap();
        let mut body = client.open(&format!("http://{addr}/x"), None).unwrap();
        let started = Instant::now();
        let reading = std::thread::spawn(move || {
            let mut all = Vec::new();
            body.reader.read_to_end(&mut all).map(|_| all)
        });
        std::thread::sleep(Duration::from_millis(200));
        client.shutdown();
        let result = reading.join().unwrap();
        assert!(result.is_err(), "{result:?}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        server.join().unwrap();
    }
}
