//! [`MediaSource`]: the port through which the desk downloads a network's media (an
//! attachment's URL from a delivery, an avatar's URL from a look-up). Its implementation guards
//! the call: no private, loopback or link-local address unless allowed, redirects only to
//! allowed addresses, time and size capped.

use async_trait::async_trait;
use bytes::Bytes;
use caredesk_domain::Network;

/// One download to make.
#[derive(Clone, Copy)]
pub struct FetchRequest<'a> {
    /// The network the URL came from (X's direct-message media needs the profile's signature).
    pub network: Network,
    /// The URL, as the payload or the look-up gave it.
    pub url: &'a str,
    /// The profile's access token, for networks that want one on media.
    pub access_token: &'a str,
    /// The profile's token secret (X: with `access_token`, the OAuth 1.0a user credentials),
    /// empty elsewhere.
    pub token_secret: &'a str,
    /// The consumer key of the profile's network app (X), empty elsewhere.
    pub consumer_key: &'a str,
    /// The consumer secret of the profile's network app (X), empty elsewhere.
    pub consumer_secret: &'a str,
    /// The most bytes to take; a larger body is refused as [`Fetched::TooLarge`].
    pub max_bytes: u64,
}

impl std::fmt::Debug for FetchRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchRequest")
            .field("network", &self.network)
            // A signed URL's query is a credential: only its place is shown.
            .field(
                "url",
                &self.url.split(['?', '#']).next().unwrap_or_default(),
            )
            .field("access_token", &"<redacted>")
            .field("token_secret", &"<redacted>")
            .field("consumer_key", &"<redacted>")
            .field("consumer_secret", &"<redacted>")
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}

/// What a download came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fetched {
    /// The bytes, with the content type the server announced (the desk types them by their
    /// content all the same).
    Bytes {
        /// The body.
        bytes: Bytes,
        /// The announced content type.
        content_type: Option<String>,
    },
    /// The body is larger than allowed (the size when the server said it): kept as a link.
    TooLarge {
        /// The announced or counted size, when known.
        size: Option<u64>,
    },
    /// The URL may not be fetched (a private address, a scheme other than HTTP(S), a redirect
    /// to such a place, credentials missing or refused); never retried.
    Refused(String),
    /// The network says it is gone (404, 410, an expired link); never retried.
    Gone(String),
    /// It may work later (a timeout, a 5xx, a 429): retried with backoff.
    Temporary(String),
}

/// Downloads a network's media.
#[async_trait]
pub trait MediaSource: Send + Sync {
    /// Makes one download attempt (never retries by itself).
    async fn fetch(&self, request: FetchRequest<'_>) -> Fetched;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_never_shows_its_secrets_or_the_signed_query() {
        let request = FetchRequest {
            network: Network::Facebook,
            url: "https://cdn.example/a.jpg?oh=signature&oe=expiry",
            access_token: "page-token",
            token_secret: "token-secret",
            consumer_key: "app-key",
            consumer_secret: "app-secret",
            max_bytes: 1,
        };
        let shown = format!("{request:?}");
        for hidden in [
            "signature",
            "expiry",
            "page-token",
            "token-secret",
            "app-key",
            "app-secret",
        ] {
            assert!(!shown.contains(hidden), "{hidden} in {shown}");
        }
        assert!(shown.contains("https://cdn.example/a.jpg"), "{shown}");
    }
}
