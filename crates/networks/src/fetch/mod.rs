//! The guarded download of a network's media (PRODUCT.md §11 "Media is kept"): [`MediaFetcher`]
//! implements the `app` crate's [`MediaSource`] by handing each [`FetchRequest`] to the adapter
//! of its network (from the [`registry`](crate::registry)), whose `fetch_media` hook adds what
//! its network's media need and downloads through a [`Download`].
//!
//! A download reaches only `http` and `https` URLs at public addresses: the host is resolved,
//! every address it resolves to is checked ([`refusal`]) and the connection goes to those
//! addresses only, so a name cannot change between the check and the connection. Private,
//! loopback and link-local addresses are allowed only when the configuration says so (the demo
//! and tests); the configured network API endpoints always are. Redirects are followed by hand,
//! each target checked the same way; the whole download is held to the outbound time limit, and
//! its body to the size the request allows. The bytes are typed by their content
//! ([`media_type`]).

mod address;
mod download;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use caredesk_app::media::{FetchRequest, Fetched, MediaSource};
use reqwest::Url;

pub use address::refusal;
pub use caredesk_domain::media_sniff::{media_type, UNKNOWN};
pub use download::MAX_REDIRECTS;

use crate::outbound::{base_url, OutboundConfig, OutboundError};
use crate::registry;

/// Downloads media from the networks, guarded (see the module's words).
#[derive(Clone, Debug)]
pub struct MediaFetcher {
    /// Whether private, loopback and link-local addresses may be reached.
    allow_private: bool,
    connect_timeout: Duration,
    /// How long one whole download may take, redirects and body included.
    time_limit: Duration,
    /// The host and port of each configured network API, always allowed.
    endpoints: Vec<(String, u16)>,
}

impl MediaFetcher {
    /// A fetcher held to the timeouts of `config` (its request timeout, 30 s by default, limits a
    /// whole download), which reaches private addresses only when `allow_private`
    /// (`CAREDESK_MEDIA_FETCH_ALLOW_PRIVATE`); the API endpoints of `config` are always reached.
    pub fn new(config: &OutboundConfig, allow_private: bool) -> Result<Self, OutboundError> {
        let endpoints = registry::adapters()
            .map(|adapter| {
                let raw = adapter.api_base(config);
                let url = base_url(raw)?;
                match (url.host_str(), url.port_or_known_default()) {
                    (Some(host), Some(port)) => Ok((host.to_owned(), port)),
                    _ => Err(OutboundError::BadUrl(raw.to_owned())),
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            allow_private,
            connect_timeout: config.connect_timeout,
            time_limit: config.request_timeout,
            endpoints,
        })
    }
}

/// The guarded GET an adapter's `fetch_media` downloads through.
#[derive(Clone, Copy, Debug)]
pub struct Download<'a> {
    fetcher: &'a MediaFetcher,
}

impl Download<'_> {
    /// GETs `url` without credentials: checked, redirects followed by hand, within the time
    /// limit, the body given up past `max_bytes` ([`Fetched::TooLarge`]).
    pub async fn get(&self, url: &str, max_bytes: u64) -> Fetched {
        let limit = self.fetcher.time_limit;
        match tokio::time::timeout(limit, self.fetcher.download(url, max_bytes)).await {
            Ok(outcome) => outcome,
            Err(_) => Fetched::Temporary(format!(
                "the download of {} took longer than {} s",
                shown(url),
                limit.as_secs_f32()
            )),
        }
    }
}

#[async_trait]
impl MediaSource for MediaFetcher {
    async fn fetch(&self, request: FetchRequest<'_>) -> Fetched {
        let adapter = registry::adapter_for(request.network);
        let outcome = adapter
            .fetch_media(Download { fetcher: self }, request)
            .await;
        tracing::debug!(
            network = %request.network,
            url = %shown(request.url),
            outcome = %Summary(&outcome),
            "media download"
        );
        outcome
    }
}

/// `url` as reasons and logs may show it: no user, password, query or fragment.
pub(crate) fn shown(url: &str) -> String {
    match Url::parse(url.trim()) {
        Ok(url) => download::shown(&url),
        Err(_) => "<not a URL>".to_owned(),
    }
}

/// A download's outcome in a few words (never the bytes).
struct Summary<'a>(&'a Fetched);

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Fetched::Bytes {
                bytes,
                content_type,
            } => write!(f, "{} bytes ({content_type:?})", bytes.len()),
            Fetched::TooLarge { size } => write!(f, "too large ({size:?} bytes)"),
            Fetched::Refused(why) => write!(f, "refused: {why}"),
            Fetched::Gone(why) => write!(f, "gone: {why}"),
            Fetched::Temporary(why) => write!(f, "temporary: {why}"),
        }
    }
}
