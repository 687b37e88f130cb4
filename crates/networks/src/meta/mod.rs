//! Meta: Facebook Pages, Messenger and Instagram, which share one webhook (signed with the Meta
//! app's secret, subscribed with its verify token) and the Graph API. The [`Meta`] adapter reads
//! deliveries (`parse`), answers the subscription handshake, checks signatures (`signature`)
//! and builds the Graph API call of each Meta channel (`send`); it asks the Graph API who a
//! Messenger or Instagram person is (`people`). Meta's media (Graph CDN and attachment URLs,
//! profile pictures) are signed URLs fetched with a plain GET, no token.

mod attachments;
mod feed;
mod instagram;
mod mentions;
mod messaging;
mod parse;
mod people;
mod send;
pub mod signature;

use std::collections::HashMap;

use async_trait::async_trait;
use caredesk_app::lookups::LookedUp;
use caredesk_app::media::{FetchRequest, Fetched};
use caredesk_app::mentions::{MentionFound, MentionRequest};
use caredesk_app::outbound::OutgoingReply;
use caredesk_domain::{AppNetwork, Network, NetworkApp};
use reqwest::Url;

use crate::adapter::{Handshake, HandshakeRefusal, NetworkAdapter, Parsed, PersonQuery};
use crate::fetch::Download;
use crate::outbound::{Call, NetworkApi, OutboundConfig};

pub use parse::parse;

/// The adapter of Meta's networks.
#[derive(Clone, Copy, Debug, Default)]
pub struct Meta;

#[async_trait]
impl NetworkAdapter for Meta {
    fn app_network(&self) -> AppNetwork {
        AppNetwork::Meta
    }

    fn networks(&self) -> &'static [Network] {
        &[Network::Facebook, Network::Instagram]
    }

    fn signature_header(&self) -> &'static str {
        "x-hub-signature-256"
    }

    fn signature_valid(&self, app_secret: &str, body: &[u8], signature: &str) -> bool {
        signature::valid(app_secret, body, signature)
    }

    /// Answers `hub.challenge` when `hub.mode` is `subscribe` and `hub.verify_token` is a Meta
    /// app's verify token.
    fn handshake(
        &self,
        query: &HashMap<String, String>,
        apps: &[NetworkApp],
    ) -> Result<Handshake, HandshakeRefusal> {
        let token = query
            .get("hub.verify_token")
            .map(String::as_str)
            .unwrap_or("");
        let known = apps
            .iter()
            .filter(|a| a.network == AppNetwork::Meta)
            .any(|a| {
                !a.verify_token.is_empty() && crate::signature::same_token(&a.verify_token, token)
            });
        match (
            query.get("hub.mode").map(String::as_str),
            query.get("hub.challenge"),
        ) {
            (Some("subscribe"), Some(challenge)) if known => Ok(Handshake::Text(challenge.clone())),
            _ => Err(HandshakeRefusal::Forbidden("unknown verify token")),
        }
    }

    fn parse(&self, body: &[u8]) -> Option<Parsed> {
        parse(body)
    }

    fn api_base<'c>(&self, config: &'c OutboundConfig) -> &'c str {
        &config.meta_graph_url
    }

    fn reply_call(&self, base: &Url, reply: &OutgoingReply) -> Result<Call, String> {
        send::reply_call(base, reply)
    }

    /// Messenger's `GET /{psid}` and Instagram's `GET /{igsid}` with the page's token.
    async fn look_up_person(&self, api: NetworkApi<'_>, query: PersonQuery<'_>) -> LookedUp {
        people::look_up(api, query).await
    }

    /// A plain GET: the URL's own signature is its authorisation, and no token leaves the desk.
    async fn fetch_media(&self, download: Download<'_>, request: FetchRequest<'_>) -> Fetched {
        download.get(request.url, request.max_bytes).await
    }

    async fn look_up_mention(
        &self,
        api: NetworkApi<'_>,
        request: MentionRequest<'_>,
    ) -> MentionFound {
        mentions::look_up(api, request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use caredesk_domain::NetworkAppId;

    fn app(id: i64, network: AppNetwork, verify_token: &str) -> NetworkApp {
        NetworkApp {
            id: NetworkAppId(id),
            network,
            name: format!("app {id}"),
            app_secret: "secret".into(),
            verify_token: verify_token.into(),
            consumer_key: String::new(),
        }
    }

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_handshake_echoes_the_challenge_only_for_a_known_verify_token() {
        let apps = [
            app(1, AppNetwork::Meta, "hello"),
            app(2, AppNetwork::Meta, ""),
            app(3, AppNetwork::X, "x-token"),
        ];
        let asked = |token: &str, mode: &str| {
            Meta.handshake(
                &query(&[
                    ("hub.mode", mode),
                    ("hub.verify_token", token),
                    ("hub.challenge", "42"),
                ]),
                &apps,
            )
        };
        assert_eq!(
            asked("hello", "subscribe"),
            Ok(Handshake::Text("42".into()))
        );
        let refused = Err(HandshakeRefusal::Forbidden("unknown verify token"));
        assert_eq!(asked("hello", "unsubscribe"), refused);
        assert_eq!(
            asked("", "subscribe"),
            refused,
            "an empty token is nobody's"
        );
        assert_eq!(
            asked("x-token", "subscribe"),
            refused,
            "X apps do not count"
        );
        assert_eq!(Meta.handshake(&query(&[]), &apps), refused);
    }
}
