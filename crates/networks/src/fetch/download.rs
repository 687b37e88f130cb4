//! One guarded download, hop by hop: each URL is checked (scheme, then every address its host
//! resolves to) and connected to at the checked addresses only, redirects are followed by hand
//! (at most [`MAX_REDIRECTS`], each target checked the same way), and the body is read in pieces
//! up to the size allowed. Reasons name a URL without its query (signed URLs carry their
//! signature there) and never hold a token. An `Authorization` header goes only to the origin the
//! download started at, made afresh for each hop there, and to no hop after one that left it.

use std::net::{IpAddr, SocketAddr};

use bytes::{Bytes, BytesMut};
use caredesk_app::media::Fetched;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, LOCATION};
use reqwest::{redirect, Client, Response, Url};

use super::address::refusal;
use super::{Authorization, MediaFetcher};
use crate::outbound::chain;

/// The most redirects one download follows.
pub const MAX_REDIRECTS: usize = 3;

/// Where a checked URL may be connected to.
enum Target {
    /// A name, pinned to the addresses it resolved to when it was checked.
    Pinned(String, Vec<SocketAddr>),
    /// An address literal, or a configured API endpoint: connected to as it is.
    Direct,
}

impl MediaFetcher {
    /// GETs `url`, with `authorization` on the hops to its origin until one leaves it, and
    /// answers what it came to.
    pub(super) async fn download(
        &self,
        url: &str,
        max_bytes: u64,
        mut authorization: Option<Authorization<'_>>,
    ) -> Fetched {
        let mut url = match Url::parse(url.trim()) {
            Ok(url) => url,
            Err(e) => return Fetched::Refused(format!("not a URL ({e})")),
        };
        let origin = url.origin();
        let mut redirects = 0;
        loop {
            if url.origin() != origin {
                // Never again, not even on a redirect back: the other host chose that URL.
                authorization = None;
            }
            let authorized = authorization;
            let header = match authorized.map(|a| (a.header)(&url)).transpose() {
                Ok(header) => header,
                Err(why) => return Fetched::Refused(why),
            };
            let response = match self.get(&url, header).await {
                Ok(response) => response,
                Err(outcome) => return outcome,
            };
            let status = response.status().as_u16();
            if let (401, Some(authorization)) = (status, authorized) {
                return Fetched::Refused(format!(
                    "HTTP 401 from {}: {}",
                    shown(&url),
                    authorization.when_refused
                ));
            }
            if !(300..400).contains(&status) {
                return answer(&url, status, response, max_bytes).await;
            }
            let Some(next) = next_hop(&url, response.headers()) else {
                return Fetched::Gone(format!(
                    "HTTP {status} without a usable Location from {}",
                    shown(&url)
                ));
            };
            if redirects == MAX_REDIRECTS {
                return Fetched::Refused(format!(
                    "{} redirects more than {MAX_REDIRECTS} times",
                    shown(&url)
                ));
            }
            redirects += 1;
            url = next;
        }
    }

    /// Checks `url` and sends one GET to the addresses it was checked at, with the
    /// `Authorization` header `authorization` when given.
    async fn get(&self, url: &Url, authorization: Option<String>) -> Result<Response, Fetched> {
        let target = self.check(url).await?;
        let mut client = Client::builder()
            .connect_timeout(self.connect_timeout)
            .redirect(redirect::Policy::none())
            // A proxy would connect wherever it likes: the checked address is the one reached.
            .no_proxy()
            .user_agent(concat!("caredesk/", env!("CARGO_PKG_VERSION")));
        if let Target::Pinned(name, addresses) = &target {
            client = client.resolve_to_addrs(name, addresses);
        }
        let client = client
            .build()
            .map_err(|e| Fetched::Temporary(format!("the HTTP client could not be built: {e}")))?;
        let mut request = client.get(url.clone());
        if let Some(value) = authorization {
            let mut value = HeaderValue::from_str(&value).map_err(|_| {
                Fetched::Refused("the Authorization header is not a valid header value".into())
            })?;
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        request.send().await.map_err(|e| {
            let why = if e.is_connect() {
                "could not connect to"
            } else if e.is_timeout() {
                "no answer in time from"
            } else {
                "the request failed at"
            };
            Fetched::Temporary(format!("{why} {}: {}", shown(url), chain(&e.without_url())))
        })
    }

    /// Whether `url` may be fetched, and where to connect: only `http` and `https`, and only
    /// public addresses unless private ones are allowed (a configured API endpoint always is).
    async fn check(&self, url: &Url) -> Result<Target, Fetched> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Fetched::Refused(format!(
                "only http and https URLs are fetched, not {}:",
                url.scheme()
            )));
        }
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
            return Err(Fetched::Refused(format!("{} names no host", shown(url))));
        };
        if self.trusted(url) {
            return Ok(Target::Direct);
        }
        // The URL parser writes every address literal in its one canonical form.
        let literal = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
        if let Ok(ip) = literal.unwrap_or(host).parse::<IpAddr>() {
            return self.allowed(url, &[ip]).map(|()| Target::Direct);
        }
        let name = host.to_owned();
        let addresses: Vec<SocketAddr> = match tokio::net::lookup_host((name.as_str(), port)).await
        {
            Ok(found) => found.collect(),
            Err(e) => {
                return Err(Fetched::Temporary(format!(
                    "{name} could not be resolved: {e}"
                )))
            }
        };
        if addresses.is_empty() {
            return Err(Fetched::Temporary(format!("{name} has no address")));
        }
        let ips: Vec<IpAddr> = addresses.iter().map(SocketAddr::ip).collect();
        self.allowed(url, &ips)?;
        Ok(Target::Pinned(name, addresses))
    }

    /// `Ok` when every one of `ips` may be reached.
    fn allowed(&self, url: &Url, ips: &[IpAddr]) -> Result<(), Fetched> {
        if self.allow_private {
            return Ok(());
        }
        match ips.iter().find_map(|ip| refusal(*ip).map(|why| (ip, why))) {
            Some((ip, why)) => Err(Fetched::Refused(format!(
                "{} is at {ip}, a {why} address",
                shown(url)
            ))),
            None => Ok(()),
        }
    }

    /// True when `url` is on the host and port of a configured network API.
    fn trusted(&self, url: &Url) -> bool {
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
            return false;
        };
        self.apis.iter().any(|(_, api)| {
            api.host_str().is_some_and(|h| h.eq_ignore_ascii_case(host))
                && api.port_or_known_default() == Some(port)
        })
    }
}

/// Where a redirect from `url` leads, when it says.
fn next_hop(url: &Url, headers: &HeaderMap) -> Option<Url> {
    let location = headers.get(LOCATION)?.to_str().ok()?;
    url.join(location.trim()).ok()
}

/// What a final (non-redirect) answer means.
async fn answer(url: &Url, status: u16, response: Response, max_bytes: u64) -> Fetched {
    match status {
        200..=299 => body(url, response, max_bytes).await,
        401 | 403 | 404 | 410 => Fetched::Gone(format!("HTTP {status} from {}", shown(url))),
        408 | 429 | 500..=599 => Fetched::Temporary(format!("HTTP {status} from {}", shown(url))),
        400..=499 => Fetched::Gone(format!("HTTP {status} from {}", shown(url))),
        _ => Fetched::Temporary(format!("HTTP {status} from {}", shown(url))),
    }
}

/// The body of a success, read in pieces and given up past `max_bytes`.
async fn body(url: &Url, mut response: Response, max_bytes: u64) -> Fetched {
    if let Some(size) = response.content_length().filter(|size| *size > max_bytes) {
        return Fetched::TooLarge { size: Some(size) };
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let expected = response.content_length().unwrap_or(0).min(max_bytes);
    let mut bytes = BytesMut::with_capacity(usize::try_from(expected).unwrap_or(0));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let total = bytes.len() as u64 + chunk.len() as u64;
                if total > max_bytes {
                    return Fetched::TooLarge { size: None };
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => {
                return Fetched::Temporary(format!(
                    "the body from {} broke off: {}",
                    shown(url),
                    chain(&e.without_url())
                ))
            }
        }
    }
    Fetched::Bytes {
        bytes: Bytes::from(bytes),
        content_type,
    }
}

/// `url` as reasons and logs may show it: no user, password, query or fragment.
pub(crate) fn shown(url: &Url) -> String {
    let mut shown = format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""));
    if let Some(port) = url.port() {
        shown.push_str(&format!(":{port}"));
    }
    shown.push_str(url.path());
    if url.query().is_some() {
        shown.push_str("?…");
    }
    shown
}
