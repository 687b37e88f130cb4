//! X: the Account Activity webhook (signed with the X app's consumer secret, validated by CRC)
//! and X API v2. The [`X`] adapter reads deliveries (`parse`), answers the CRC, checks
//! signatures (`signature`), builds and makes the API call of each X channel (`send`) and
//! fetches media (`media_fetch`). A profile holding an OAuth 1.0a token secret signs its API
//! calls and direct-message media with OAuth 1.0a ([`oauth1`]); one without sends its token as
//! an OAuth 2 bearer (media of direct messages then stays a link).

mod media;
mod media_fetch;
pub mod oauth1;
mod parse;
mod send;
#[cfg(test)]
pub(crate) use send::{reply_call as send_reply_for_tests, upload_call as send_upload_for_tests};
pub mod signature;

use std::collections::HashMap;

use async_trait::async_trait;
use caredesk_app::media::{FetchRequest, Fetched};
use caredesk_app::outbound::{OutgoingReply, SendOutcome};
use caredesk_domain::{AppNetwork, Network, NetworkApp};
use reqwest::Url;
use serde_json::json;

use crate::adapter::{Handshake, HandshakeRefusal, NetworkAdapter, Parsed};
use crate::fetch::Download;
use crate::outbound::{Auth, Call, NetworkApi, OutboundConfig};

pub use parse::parse;

/// The adapter of X.
#[derive(Clone, Copy, Debug, Default)]
pub struct X;

#[async_trait]
impl NetworkAdapter for X {
    fn app_network(&self) -> AppNetwork {
        AppNetwork::X
    }

    fn networks(&self) -> &'static [Network] {
        &[Network::X]
    }

    fn signature_header(&self) -> &'static str {
        "x-twitter-webhooks-signature"
    }

    fn signature_valid(&self, app_secret: &str, body: &[u8], signature: &str) -> bool {
        signature::valid(app_secret, body, signature)
    }

    /// The CRC: `{"response_token": "sha256=<base64 HMAC>"}` of `crc_token` with the consumer
    /// secret of the X app named by `app` (the id in the webhook URL the profiles API shows), or
    /// of the only X app.
    fn handshake(
        &self,
        query: &HashMap<String, String>,
        apps: &[NetworkApp],
    ) -> Result<Handshake, HandshakeRefusal> {
        let token = query
            .get("crc_token")
            .ok_or(HandshakeRefusal::BadRequest("crc_token is missing"))?;
        let apps: Vec<&NetworkApp> = apps.iter().filter(|a| a.network == AppNetwork::X).collect();
        let app =
            match query.get("app") {
                Some(id) => apps.iter().find(|a| a.id.to_string() == *id),
                None if apps.len() > 1 => return Err(HandshakeRefusal::BadRequest(
                    "several X apps are configured: the webhook URL must name one with ?app=<id>",
                )),
                None => apps.first(),
            }
            .ok_or(HandshakeRefusal::UnknownApp)?;
        let response = signature::crc_response(&app.app_secret, token)
            .ok_or(HandshakeRefusal::BadRequest("cannot sign"))?;
        Ok(Handshake::Json(json!({ "response_token": response })))
    }

    fn parse(&self, body: &[u8]) -> Option<Parsed> {
        parse(body)
    }

    fn api_base<'c>(&self, config: &'c OutboundConfig) -> &'c str {
        &config.x_api_url
    }

    fn reply_call(&self, base: &Url, reply: &OutgoingReply) -> Result<Call, String> {
        send::reply_call(base, reply, None)
    }

    fn auth<'r>(&self, reply: &'r OutgoingReply) -> Auth<'r> {
        send::auth(reply)
    }

    async fn send(&self, api: NetworkApi<'_>, reply: &OutgoingReply) -> SendOutcome {
        send::send(api, reply).await
    }

    async fn fetch_media(&self, download: Download<'_>, request: FetchRequest<'_>) -> Fetched {
        media_fetch::fetch(download, request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use caredesk_domain::NetworkAppId;

    fn app(id: i64, secret: &str) -> NetworkApp {
        NetworkApp {
            id: NetworkAppId(id),
            network: AppNetwork::X,
            name: format!("app {id}"),
            app_secret: secret.into(),
            verify_token: String::new(),
            consumer_key: "key".into(),
        }
    }

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_crc_is_signed_by_the_named_or_only_app() {
        let expected = Handshake::Json(json!({
            "response_token": "sha256=WTP6ckqLOLFsB+woMqoUFnbdaUQZslRlj+Df7hg+aVo="
        }));
        let one = [app(1, "test_consumer_secret")];
        let token = query(&[("crc_token", "crc-token-123")]);
        assert_eq!(X.handshake(&token, &one), Ok(expected.clone()));
        let two = [app(1, "other"), app(2, "test_consumer_secret")];
        let named = query(&[("crc_token", "crc-token-123"), ("app", "2")]);
        assert_eq!(X.handshake(&named, &two), Ok(expected));
        assert!(matches!(
            X.handshake(&token, &two),
            Err(HandshakeRefusal::BadRequest(_))
        ));
        let unknown = query(&[("crc_token", "t"), ("app", "9")]);
        assert_eq!(
            X.handshake(&unknown, &two),
            Err(HandshakeRefusal::UnknownApp)
        );
        assert_eq!(X.handshake(&token, &[]), Err(HandshakeRefusal::UnknownApp));
        assert_eq!(
            X.handshake(&query(&[]), &one),
            Err(HandshakeRefusal::BadRequest("crc_token is missing"))
        );
    }
}
