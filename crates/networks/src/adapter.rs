//! The one trait every social network implements, [`NetworkAdapter`], and what its methods
//! answer.
//!
//! An adapter owns everything its network does its own way: how a webhook delivery is signed,
//! how the subscription handshake (Meta's `hub.challenge`, X's CRC) is answered, how a delivery's
//! body becomes network-neutral [`Update`]s, how a reply on each of its channels becomes an API
//! call, and how a person is looked up or media fetched. Everything the networks share (the
//! HTTP client, the guarded media [`Download`], what an API's answer means, the group commit the
//! updates go to) lives outside the adapters, and the [`registry`](crate::registry) is the only
//! place that names them.

use std::collections::HashMap;

use async_trait::async_trait;
use caredesk_app::delivery::Update;
use caredesk_app::lookups::LookedUp;
use caredesk_app::media::{FetchRequest, Fetched};
use caredesk_app::mentions::{MentionFound, MentionRequest};
use caredesk_app::outbound::{OutgoingReply, SendOutcome};
use caredesk_domain::{AppNetwork, Network, NetworkApp};
use reqwest::header::HeaderMap;
use reqwest::Url;

use crate::fetch::Download;
use crate::outbound::{Auth, Call, NetworkApi, OutboundConfig};
use crate::Skipped;

/// What a delivery's body held: the updates to ingest, and what was skipped.
pub type Parsed = (Vec<Update>, Skipped);

/// A verified delivery: the app whose secret signed it, and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received<'a> {
    /// The app that signed the delivery; only its profiles may be reached.
    pub signer: &'a NetworkApp,
    /// The updates to ingest.
    pub updates: Vec<Update>,
    /// What the delivery held that is not handled.
    pub skipped: Skipped,
}

/// Why a delivery is not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejected {
    /// No app of the network signed it (nothing of it is read).
    BadSignature,
    /// Signed, but not a delivery of this network at all.
    NotADelivery,
}

/// The answer to a network's subscription handshake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handshake {
    /// A plain-text body (Meta echoes `hub.challenge`).
    Text(String),
    /// A JSON body (X's `{"response_token": …}`).
    Json(serde_json::Value),
}

/// Why a handshake is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandshakeRefusal {
    /// The network did not prove it knows an app (403), with the words to answer.
    Forbidden(&'static str),
    /// The request lacks what the handshake needs (400), with the words to answer.
    BadRequest(&'static str),
    /// The request names an app that is not configured (404).
    UnknownApp,
}

/// Whom to look up, and with which profile's token.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PersonQuery<'a> {
    /// The network the person wrote on (Messenger and Instagram ask for different fields).
    pub network: Network,
    /// The profile's access token.
    pub access_token: &'a str,
    /// The person's network user id (page- or Instagram-scoped for Meta).
    pub user_id: &'a str,
}

impl std::fmt::Debug for PersonQuery<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonQuery")
            .field("network", &self.network)
            .field("access_token", &"<redacted>")
            .field("user_id", &self.user_id)
            .finish()
    }
}

/// One developer platform's network(s): Meta (Facebook and Instagram share its webhook and
/// Graph API) or X. Adapters hold no state; what they call out with is handed to them
/// ([`NetworkApi`]).
#[async_trait]
pub trait NetworkAdapter: Send + Sync + 'static {
    /// The platform whose apps sign this adapter's deliveries.
    fn app_network(&self) -> AppNetwork;

    /// The networks this adapter serves.
    fn networks(&self) -> &'static [Network];

    /// The header that carries a delivery's signature.
    fn signature_header(&self) -> &'static str;

    /// Whether `signature` (the header's value) is the app's signature of the raw `body`;
    /// checked in constant time.
    fn signature_valid(&self, app_secret: &str, body: &[u8], signature: &str) -> bool;

    /// Answers the network's subscription handshake (the GET on the webhook URL) for the
    /// platform's `apps`.
    fn handshake(
        &self,
        query: &HashMap<String, String>,
        apps: &[NetworkApp],
    ) -> Result<Handshake, HandshakeRefusal>;

    /// Reads a delivery's body into network-neutral updates, skipping and counting what is not
    /// handled; `None` when the body is not a delivery of this network at all. Never panics,
    /// whatever the bytes.
    fn parse(&self, body: &[u8]) -> Option<Parsed>;

    /// The configured base URL of the network's API.
    fn api_base<'c>(&self, config: &'c OutboundConfig) -> &'c str;

    /// The call that posts `reply` on its channel, against the API at `base`; an error when
    /// the reply lacks what its channel needs, or its channel is not one of this network's (no
    /// call can succeed).
    fn reply_call(&self, base: &Url, reply: &OutgoingReply) -> Result<Call, String>;

    /// How the calls made for `reply`'s profile say whose they are. By default its access token
    /// as an OAuth 2 bearer (Meta's page tokens); X signs with OAuth 1.0a when the profile holds
    /// a token secret.
    fn auth<'r>(&self, reply: &'r OutgoingReply) -> Auth<'r> {
        Auth::Bearer(&reply.access_token)
    }

    /// Posts `reply` once and says what the network's answer means (never retries by itself).
    async fn send(&self, api: NetworkApi<'_>, reply: &OutgoingReply) -> SendOutcome {
        match self.reply_call(api.base, reply) {
            Ok(call) => api.post(&call, self.auth(reply)).await,
            Err(reason) => SendOutcome::Permanent { reason },
        }
    }

    /// Asks the network who a person is (name, handle, picture) with one read of its API
    /// through `api`; never retries by itself.
    ///
    /// By default the network is not asked: the answer is [`LookedUp::Refused`] (X's
    /// deliveries carry whole user objects; Meta's DMs name a person only by id and override
    /// this).
    async fn look_up_person(&self, api: NetworkApi<'_>, query: PersonQuery<'_>) -> LookedUp {
        let _ = (api, query);
        LookedUp::Refused(format!(
            "looking up a person is not supported for {}",
            self.app_network()
        ))
    }

    /// Fetches media a delivery or a look-up pointed at, through `download` (the guarded GET
    /// every network shares), adding what the network's media need.
    ///
    /// By default nothing is fetched: the answer is [`Fetched::Refused`], saying that the
    /// network's media are not supported, and the media stays a link.
    async fn fetch_media(&self, download: Download<'_>, request: FetchRequest<'_>) -> Fetched {
        let _ = (download, request);
        Fetched::Refused(format!(
            "fetching media is not supported for {}",
            self.app_network()
        ))
    }

    /// Asks the network what a mention it announced without content says, and who wrote it
    /// (Instagram's `mentions`). Networks whose deliveries carry their mentions whole answer
    /// that there is nothing to look up.
    async fn look_up_mention(
        &self,
        api: NetworkApi<'_>,
        request: MentionRequest<'_>,
    ) -> MentionFound {
        let _ = api;
        MentionFound::Gone(format!(
            "{} delivers mentions whole; nothing to look up",
            request.network
        ))
    }

    /// The app among `apps` whose secret signed `body`, by the signature header in `headers`.
    fn signer<'a>(
        &self,
        apps: &'a [NetworkApp],
        headers: &HeaderMap,
        body: &[u8],
    ) -> Option<&'a NetworkApp> {
        let signature = headers
            .get(self.signature_header())
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        apps.iter()
            .filter(|a| a.network == self.app_network())
            .find(|a| self.signature_valid(&a.app_secret, body, signature))
    }

    /// Verifies a delivery against the platform's `apps`, then parses it: the signature comes
    /// first, so nothing unsigned is read.
    fn receive<'a>(
        &self,
        apps: &'a [NetworkApp],
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Received<'a>, Rejected> {
        let signer = self
            .signer(apps, headers, body)
            .ok_or(Rejected::BadSignature)?;
        let (updates, skipped) = self.parse(body).ok_or(Rejected::NotADelivery)?;
        Ok(Received {
            signer,
            updates,
            skipped,
        })
    }
}
