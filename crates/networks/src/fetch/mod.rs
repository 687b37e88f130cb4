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
//! ([`media_type`]). A download that must carry credentials (X's direct-message media) sends its
//! [`Authorization`] header to the origin it started at only, never to a host a redirect names.

mod address;
mod download;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use caredesk_app::media::{FetchRequest, Fetched, MediaSource};
use caredesk_domain::AppNetwork;
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
    /// The configured API base of each platform; their hosts and ports are always allowed.
    apis: Vec<(AppNetwork, Url)>,
}

impl MediaFetcher {
    /// A fetcher held to the timeouts of `config` (its request timeout, 30 s by default, limits a
    /// whole download), which reaches private addresses only when `allow_private`
    /// (`CAREDESK_MEDIA_FETCH_ALLOW_PRIVATE`); the API endpoints of `config` are always reached.
    pub fn new(config: &OutboundConfig, allow_private: bool) -> Result<Self, OutboundError> {
        let apis = registry::adapters()
            .map(|adapter| {
                let raw = adapter.api_base(config);
                let url = base_url(raw)?;
                match (url.host_str(), url.port_or_known_default()) {
                    (Some(_), Some(_)) => Ok((adapter.app_network(), url)),
                    _ => Err(OutboundError::BadUrl(raw.to_owned())),
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            allow_private,
            connect_timeout: config.connect_timeout,
            time_limit: config.request_timeout,
            apis,
        })
    }
}

/// The guarded GET an adapter's `fetch_media` downloads through.
#[derive(Clone, Copy, Debug)]
pub struct Download<'a> {
    fetcher: &'a MediaFetcher,
    /// The configured API base of the adapter's platform.
    api: Option<&'a Url>,
}

/// The `Authorization` header a download sends, made afresh for each request from the URL it
/// goes to (a signature covers the URL), and only to the origin (scheme, host and port) the
/// download started at, until a redirect leaves it.
#[derive(Clone, Copy)]
pub struct Authorization<'a> {
    /// The header's value for a request to the URL, or why none can be made.
    pub header: &'a (dyn Fn(&Url) -> Result<String, String> + Send + Sync),
    /// What an answer of 401 means to the operator: the download is then refused with it.
    pub when_refused: &'a str,
}

impl fmt::Debug for Authorization<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("when_refused", &self.when_refused)
            .finish_non_exhaustive()
    }
}

impl Download<'_> {
    /// The configured API base of the adapter's platform (`x_api_url` for X).
    pub fn api_base(&self) -> Option<&Url> {
        self.api
    }

    /// GETs `url` without credentials: checked, redirects followed by hand, within the time
    /// limit, the body given up past `max_bytes` ([`Fetched::TooLarge`]).
    pub async fn get(&self, url: &str, max_bytes: u64) -> Fetched {
        self.limited(url, max_bytes, None).await
    }

    /// GETs `url` as [`get`](Self::get) does, with the `Authorization` header `authorization`
    /// makes on each request to `url`'s origin (none to another, nor after a redirect to another);
    /// a 401 to an authorized request is [`Fetched::Refused`] with its `when_refused` words.
    pub async fn get_authorized(
        &self,
        url: &str,
        max_bytes: u64,
        authorization: Authorization<'_>,
    ) -> Fetched {
        self.limited(url, max_bytes, Some(authorization)).await
    }

    async fn limited(
        &self,
        url: &str,
        max_bytes: u64,
        authorization: Option<Authorization<'_>>,
    ) -> Fetched {
        let limit = self.fetcher.time_limit;
        let download = self.fetcher.download(url, max_bytes, authorization);
        match tokio::time::timeout(limit, download).await {
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
        let api = self
            .apis
            .iter()
            .find(|(platform, _)| *platform == adapter.app_network())
            .map(|(_, url)| url);
        let download = Download { fetcher: self, api };
        let outcome = adapter.fetch_media(download, request).await;
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
