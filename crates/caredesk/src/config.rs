//! Configuration: defaults, then an optional caredesk.toml, then `CAREDESK_*` environment
//! variables (API.md "Configuration contract"). Typed and checked at start; secrets redacted.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// The whole configuration.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Public listen address.
    pub listen: String,
    /// Metrics listen address ("" disables).
    pub metrics_listen: String,
    /// Where the SQLite file lives.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; overrides the data dir.
    pub database_url: Option<String>,
    /// PostgreSQL connections per node.
    pub database_pool_size: u32,
    /// Workers committing webhook deliveries in groups (0: 1 on SQLite, 4 on PostgreSQL).
    pub ingest_workers: u32,
    /// Meta Graph API base URL.
    pub meta_graph_url: String,
    /// X API base URL.
    pub x_api_url: String,
    /// The URL users and webhooks reach.
    pub public_url: Option<String>,
    /// The demo's own data directory.
    pub demo_dir: PathBuf,
    /// Seconds between grace-period sweeps.
    pub grace_sweep_interval_secs: u64,
    /// A session ends after this many seconds without a request.
    pub session_idle_secs: i64,
    /// A network call that has not answered after this many seconds is abandoned.
    pub send_timeout_secs: u64,
    /// A reply whose call got no answer becomes `delivery_unknown` after this many seconds
    /// without its echo.
    pub outbox_in_doubt_secs: u64,
    /// A profile without webhooks for this many seconds is flagged.
    pub webhook_silence_secs: i64,
    /// A reply waiting to be sent for this many seconds flags its profile.
    pub outbox_backlog_secs: i64,
    /// Salesforce REST API version (`v62.0`).
    pub salesforce_api_version: String,
    /// Seconds between reads of Salesforce's own status of each linked Case.
    pub salesforce_pull_secs: i64,
    /// `Origin` of the Salesforce Cases created from Care.
    pub salesforce_origin: String,
    /// Care status → Salesforce `Status` overrides (`on_hold=Escalated,spam=Closed`).
    pub salesforce_status_map: String,
    /// Care priority → Salesforce `Priority` overrides (`urgent=High`).
    pub salesforce_priority_map: String,
    /// Where media is kept: a directory (default: `media/` in the data directory) or
    /// `s3://bucket/prefix` (credentials and endpoint from the standard AWS variables).
    pub media_url: Option<String>,
    /// The largest network file kept, in bytes; larger ones stay links.
    pub media_max_bytes: u64,
    /// Let media downloads reach private, loopback and link-local addresses (the demo and
    /// tests; never in production).
    pub media_fetch_allow_private: bool,
    /// The key sealing secrets at rest (64 hex digits or base64 of 32 bytes); default: the
    /// key file `secret.key` in the data directory, made at the first start. Several nodes
    /// share one.
    pub secret_key: Option<String>,
    /// CIDRs of the proxies whose `X-Forwarded-For` names the client, comma-separated
    /// (default: none; the TCP peer is the client).
    pub trusted_proxies: String,
    /// Log filter (tracing's `EnvFilter` syntax).
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            metrics_listen: "127.0.0.1:9464".into(),
            data_dir: PathBuf::from("./caredesk-data"),
            database_url: None,
            database_pool_size: 16,
            ingest_workers: 0,
            meta_graph_url: "https://graph.facebook.com/v21.0".into(),
            x_api_url: "https://api.x.com/2".into(),
            public_url: None,
            demo_dir: PathBuf::from("./caredesk-demo"),
            grace_sweep_interval_secs: 60,
            session_idle_secs: 8 * 3_600,
            send_timeout_secs: 30,
            outbox_in_doubt_secs: 120,
            webhook_silence_secs: 6 * 3_600,
            outbox_backlog_secs: 600,
            salesforce_api_version: "v62.0".into(),
            salesforce_pull_secs: 300,
            salesforce_origin: "Web".into(),
            salesforce_status_map: String::new(),
            salesforce_priority_map: String::new(),
            media_url: None,
            media_max_bytes: 25 * 1024 * 1024,
            media_fetch_allow_private: false,
            secret_key: None,
            trusted_proxies: String::new(),
            log: "info,sqlx=warn".into(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("metrics_listen", &self.metrics_listen)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("database_pool_size", &self.database_pool_size)
            .field("ingest_workers", &self.ingest_workers)
            .field("meta_graph_url", &self.meta_graph_url)
            .field("x_api_url", &self.x_api_url)
            .field("public_url", &self.public_url)
            .field("demo_dir", &self.demo_dir)
            .field("grace_sweep_interval_secs", &self.grace_sweep_interval_secs)
            .field("session_idle_secs", &self.session_idle_secs)
            .field("send_timeout_secs", &self.send_timeout_secs)
            .field("outbox_in_doubt_secs", &self.outbox_in_doubt_secs)
            .field("webhook_silence_secs", &self.webhook_silence_secs)
            .field("outbox_backlog_secs", &self.outbox_backlog_secs)
            .field("salesforce_api_version", &self.salesforce_api_version)
            .field("salesforce_pull_secs", &self.salesforce_pull_secs)
            .field("salesforce_origin", &self.salesforce_origin)
            .field("salesforce_status_map", &self.salesforce_status_map)
            .field("salesforce_priority_map", &self.salesforce_priority_map)
            .field("media_url", &self.media_url)
            .field("media_max_bytes", &self.media_max_bytes)
            .field("media_fetch_allow_private", &self.media_fetch_allow_private)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("trusted_proxies", &self.trusted_proxies)
            .finish()
    }
}

impl Config {
    /// Where media is kept: the configured URL, else `media/` in the data directory.
    pub fn media_location(&self) -> String {
        match &self.media_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_owned(),
            _ => self.data_dir.join("media").display().to_string(),
        }
    }
}

/// Hides the password of a database URL (`postgres://user:secret@host` → `postgres://user:***@host`).
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Config {
    /// Loads defaults, then the file (the given one must exist; ./caredesk.toml is optional),
    /// then the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                if !path.exists() {
                    bail!("configuration file {} does not exist", path.display());
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("caredesk.toml")),
        }
        let config: Config = figment
            .merge(Env::prefixed("CAREDESK_").only(&ENV_KEYS))
            .extract()
            .context("invalid configuration")?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            bail!(
                "listen must be an address like 127.0.0.1:8080, got {:?}",
                self.listen
            );
        }
        if !self.metrics_listen.is_empty()
            && self.metrics_listen.parse::<std::net::SocketAddr>().is_err()
        {
            bail!(
                "metrics_listen must be an address or empty, got {:?}",
                self.metrics_listen
            );
        }
        if let Some(url) = &self.database_url {
            if !url.starts_with("sqlite:")
                && !url.starts_with("postgres://")
                && !url.starts_with("postgresql://")
            {
                bail!("database_url must start with sqlite: or postgres://");
            }
        }
        if !(1..=1_000).contains(&self.database_pool_size) {
            bail!("database_pool_size must be 1 to 1000");
        }
        if self.ingest_workers > 64 {
            bail!("ingest_workers must be 0 (automatic) to 64");
        }
        if !(60..=30 * 86_400).contains(&self.session_idle_secs) {
            bail!("session_idle_secs must be 60 to 2592000 (30 days)");
        }
        if self.grace_sweep_interval_secs == 0 {
            bail!("grace_sweep_interval_secs must be at least 1");
        }
        for (key, url) in [
            ("meta_graph_url", &self.meta_graph_url),
            ("x_api_url", &self.x_api_url),
        ] {
            if !url.starts_with("https://") && !url.starts_with("http://") {
                bail!("{key} must be an http(s) URL, got {url:?}");
            }
        }
        if !(1..=600).contains(&self.send_timeout_secs) {
            bail!("send_timeout_secs must be 1 to 600");
        }
        if self.outbox_in_doubt_secs <= self.send_timeout_secs {
            bail!(
                "outbox_in_doubt_secs ({}) must be longer than send_timeout_secs ({}): a call still running must never be declared lost",
                self.outbox_in_doubt_secs,
                self.send_timeout_secs
            );
        }
        if self.webhook_silence_secs < 60 || self.outbox_backlog_secs < 10 {
            bail!("webhook_silence_secs must be at least 60 and outbox_backlog_secs at least 10");
        }
        if !(10..=86_400).contains(&self.salesforce_pull_secs) {
            bail!("salesforce_pull_secs must be 10 to 86400");
        }
        let version = self.salesforce_api_version.strip_prefix('v').unwrap_or("");
        if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            bail!("salesforce_api_version must look like v62.0");
        }
        self.salesforce_mapping()?;
        self.trusted_proxies()?;
        Ok(())
    }

    /// The proxies whose `X-Forwarded-For` is believed.
    pub fn trusted_proxies(&self) -> anyhow::Result<caredesk_server::TrustedProxies> {
        caredesk_server::TrustedProxies::parse(&self.trusted_proxies)
            .map_err(|e| anyhow::anyhow!("trusted_proxies: {e}"))
    }

    /// How Care's words map onto the org's Salesforce picklists.
    pub fn salesforce_mapping(&self) -> anyhow::Result<caredesk_domain::salesforce::Mapping> {
        let mut mapping = caredesk_domain::salesforce::Mapping::default();
        if self.salesforce_origin.trim().is_empty() {
            bail!("salesforce_origin must not be empty");
        }
        mapping.origin = self.salesforce_origin.trim().to_owned();
        let mapping = mapping
            .with_statuses(&self.salesforce_status_map)
            .context("salesforce_status_map")?
            .with_priorities(&self.salesforce_priority_map)
            .context("salesforce_priority_map")?;
        Ok(mapping)
    }

    /// The delivery workers to run: the configured number, or the backend's default.
    pub fn delivery_workers(&self) -> usize {
        match self.ingest_workers {
            0 if self.is_postgres() => 4,
            0 => 1,
            n => n as usize,
        }
    }

    /// Whether the changes Care users make to cases are committed in groups: on SQLite, whose
    /// single writer would otherwise make each wait for the durable commit of the one before.
    pub fn groups_case_changes(&self) -> bool {
        !self.is_postgres()
    }

    fn is_postgres(&self) -> bool {
        self.database_url
            .as_deref()
            .is_some_and(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
    }
}

/// The variables read from the environment (CAREDESK_ + the upper-case key).
const ENV_KEYS: [&str; 27] = [
    "salesforce_api_version",
    "salesforce_pull_secs",
    "salesforce_origin",
    "salesforce_status_map",
    "salesforce_priority_map",
    "session_idle_secs",
    "send_timeout_secs",
    "outbox_in_doubt_secs",
    "webhook_silence_secs",
    "outbox_backlog_secs",
    "listen",
    "metrics_listen",
    "data_dir",
    "database_url",
    "database_pool_size",
    "ingest_workers",
    "meta_graph_url",
    "x_api_url",
    "public_url",
    "demo_dir",
    "grace_sweep_interval_secs",
    "media_url",
    "media_max_bytes",
    "media_fetch_allow_private",
    "trusted_proxies",
    "secret_key",
    "log",
];

/// The commented sample printed by `caredesk default-config` (`config_sample.toml`).
pub const SAMPLE: &str = include_str!("config_sample.toml");

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
