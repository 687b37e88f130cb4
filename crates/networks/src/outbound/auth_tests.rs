//! Which credentials each profile's calls carry, and what an OAuth 1.0a signature covers, checked
//! on the wire against a loopback server that keeps every request it gets.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{header, HeaderMap, Method, Uri};
use axum::response::IntoResponse;
use axum::Router;
use bytes::Bytes as FileBytes;
use caredesk_app::outbound::{OutgoingFile, OutgoingReply, ReplySender, SendOutcome};
use caredesk_domain::reply::Channel;
use caredesk_domain::{AppNetwork, AttachmentKind, MessageId, Network};
use serde_json::json;

use super::*;
use crate::outbound::call::{Api, Call, IdAt, Part, Payload};
use crate::outbound::{NetworkSender, OutboundConfig, Read};
use crate::x::oauth1::Presented;

const TOKEN: &str = "user-token";
const TOKEN_SECRET: &str = "user-token-secret";
const CONSUMER_KEY: &str = "app-consumer-key";
const CONSUMER_SECRET: &str = "app-consumer-secret";

/// One request the loopback server got.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    url: Url,
    authorization: String,
    content_type: String,
    body: Bytes,
}

impl Seen {
    /// The header's OAuth parameters, when it is an OAuth header.
    fn presented(&self) -> Option<Presented> {
        Presented::parse(&self.authorization)
    }

    /// The pairs of a form body.
    fn form(&self) -> Vec<(String, String)> {
        let text = std::str::from_utf8(&self.body).expect("a form body is text");
        Url::parse(&format!("http://form.invalid/?{text}"))
            .expect("a query")
            .query_pairs()
            .into_owned()
            .collect()
    }

    /// True when the header is a valid signature of this request by our four credentials, the
    /// body's pairs signed with it when it is a form.
    fn signed_by_us(&self, with_form: bool) -> bool {
        let form = self.form_pairs(with_form);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (&**k, &**v)).collect();
        self.presented().is_some_and(|p| {
            p.get("oauth_consumer_key") == Some(CONSUMER_KEY)
                && p.get("oauth_token") == Some(TOKEN)
                && p.signature_valid(
                    &self.method,
                    &self.url,
                    &pairs,
                    CONSUMER_SECRET,
                    TOKEN_SECRET,
                )
        })
    }

    fn form_pairs(&self, with_form: bool) -> Vec<(String, String)> {
        if with_form {
            self.form()
        } else {
            Vec::new()
        }
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A server on 127.0.0.1 that keeps each request and answers 200 with a body naming an id in
/// every shape a reply's answer may take.
async fn server() -> (String, Log) {
    let log: Log = Arc::default();
    let kept = log.clone();
    let app = Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let kept = kept.clone();
            async move {
                let text = |name| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned()
                };
                let host = text(header::HOST);
                let url = Url::parse(&format!("http://{host}{uri}")).expect("the request's URL");
                kept.lock().expect("log").push(Seen {
                    method: method.to_string(),
                    url,
                    authorization: text(header::AUTHORIZATION),
                    content_type: text(header::CONTENT_TYPE),
                    body,
                });
                axum::Json(json!({
                    "id": "1", "recipient_id": "9", "message_id": "m.1",
                    "data": {"id": "1", "dm_conversation_id": "1-9", "dm_event_id": "1"},
                }))
                .into_response()
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}"), log)
}

fn sender(base: &str) -> NetworkSender {
    NetworkSender::new(&OutboundConfig {
        meta_graph_url: format!("{base}/v21.0"),
        x_api_url: format!("{base}/2"),
        ..OutboundConfig::default()
    })
    .expect("sender")
}

fn photo() -> OutgoingFile {
    OutgoingFile {
        kind: AttachmentKind::Image,
        mime: "image/png".into(),
        filename: "label.png".into(),
        bytes: FileBytes::from_static(b"\x89PNG\r\n\x1a\n"),
    }
}

/// A reply of `network` on `channel`, with a photo, from a profile holding `secrets` (token
/// secret, consumer key, consumer secret).
fn reply(network: Network, channel: Channel, secrets: (&str, &str, &str)) -> OutgoingReply {
    let (token_secret, consumer_key, consumer_secret) = secrets;
    OutgoingReply {
        message: MessageId(7),
        network,
        profile_external_id: "1500".into(),
        access_token: TOKEN.into(),
        token_secret: token_secret.into(),
        consumer_key: consumer_key.into(),
        consumer_secret: consumer_secret.into(),
        recipient_network_user_id: Some("cust-9".into()),
        channel,
        text: "Sorry & thanks + more".into(),
        file: Some(photo()),
    }
}

const ALL: (&str, &str, &str) = (TOKEN_SECRET, CONSUMER_KEY, CONSUMER_SECRET);

fn x_reply() -> Channel {
    Channel::XReply {
        in_reply_to_network_id: "1790".into(),
    }
}

#[test]
fn an_x_profile_signs_only_with_a_token_secret_and_its_apps_key_and_secret() {
    let table = [
        ("token secret, consumer key and secret", ALL, "OAuth"),
        (
            "no token secret (OAuth 2)",
            ("", CONSUMER_KEY, CONSUMER_SECRET),
            "Bearer",
        ),
        (
            "no consumer key",
            (TOKEN_SECRET, "", CONSUMER_SECRET),
            "Bearer",
        ),
        (
            "no consumer secret",
            (TOKEN_SECRET, CONSUMER_KEY, ""),
            "Bearer",
        ),
        ("nothing but the token", ("", "", ""), "Bearer"),
    ];
    for (name, secrets, scheme) in table {
        for channel in [x_reply(), Channel::XDirect] {
            let reply = reply(Network::X, channel, secrets);
            let auth = crate::registry::adapter_for(Network::X).auth(&reply);
            assert_eq!(auth.scheme(), scheme, "{name}");
        }
    }
    // Meta's page tokens are always bearers.
    let messenger = Channel::MessengerMessage {
        human_agent_tag: false,
    };
    let reply = reply(Network::Facebook, messenger, ALL);
    let auth = crate::registry::adapter_for(Network::Facebook).auth(&reply);
    assert_eq!(auth.scheme(), "Bearer");
}

#[tokio::test]
async fn every_call_of_a_reply_carries_the_profile_s_header_and_a_signature_verifies() {
    let table = [
        ("X reply signed", Network::X, x_reply(), ALL, "OAuth"),
        ("X DM signed", Network::X, Channel::XDirect, ALL, "OAuth"),
        (
            "X reply, bearer-only profile",
            Network::X,
            x_reply(),
            ("", CONSUMER_KEY, CONSUMER_SECRET),
            "Bearer",
        ),
        (
            "X DM, no consumer key",
            Network::X,
            Channel::XDirect,
            (TOKEN_SECRET, "", CONSUMER_SECRET),
            "Bearer",
        ),
        (
            "Facebook comment",
            Network::Facebook,
            Channel::FacebookComment {
                parent_network_id: "444_900".into(),
            },
            ALL,
            "Bearer",
        ),
    ];
    for (name, network, channel, secrets, scheme) in table {
        let (base, log) = server().await;
        let mut reply = reply(network, channel, secrets);
        if network != Network::X {
            reply.file = None;
        }
        let outcome = sender(&base).send(&reply).await;
        assert!(
            matches!(outcome, SendOutcome::Sent { .. }),
            "{name}: {outcome:?}"
        );
        let seen = log.lock().expect("log").clone();
        // X uploads the photo, then posts; the comment is one form.
        let calls = if network == Network::X { 2 } else { 1 };
        assert_eq!(seen.len(), calls, "{name}: {seen:?}");
        for call in &seen {
            let path = call.url.path();
            match scheme {
                "OAuth" => {
                    assert!(call.authorization.starts_with("OAuth "), "{name} {path}");
                    // JSON and multipart bodies are not signed.
                    assert!(call.signed_by_us(false), "{name} {path}");
                    let presented = call.presented().expect("OAuth");
                    let stamped: u64 = presented
                        .get("oauth_timestamp")
                        .and_then(|t| t.parse().ok())
                        .expect("a timestamp");
                    assert!(now().abs_diff(stamped) <= 60, "{name} {path}: {stamped}");
                    assert_eq!(presented.get("oauth_version"), Some("1.0"));
                    assert!(!call.authorization.contains(TOKEN_SECRET));
                    assert!(!call.authorization.contains(CONSUMER_SECRET));
                }
                _ => assert_eq!(
                    call.authorization,
                    format!("Bearer {TOKEN}"),
                    "{name} {path}"
                ),
            }
        }
        if scheme == "OAuth" {
            let nonces: Vec<_> = seen
                .iter()
                .map(|c| {
                    c.presented()
                        .and_then(|p| p.get("oauth_nonce").map(str::to_owned))
                })
                .collect();
            assert_ne!(nonces[0], nonces[1], "{name}: a fresh nonce per request");
            assert!(seen[0].url.path().ends_with("/2/media/upload"), "{name}");
            assert!(seen[0].content_type.starts_with("multipart/form-data"));
            assert!(seen[1].content_type.starts_with("application/json"));
        }
    }
}

fn signing() -> Auth<'static> {
    Auth::OAuth1(crate::x::oauth1::Credentials {
        consumer_key: CONSUMER_KEY,
        consumer_secret: CONSUMER_SECRET,
        token: TOKEN,
        token_secret: TOKEN_SECRET,
    })
}

#[tokio::test]
async fn a_signature_covers_the_query_and_a_form_body_not_a_json_or_multipart_one() {
    let (base, log) = server().await;
    let sender = sender(&base);
    let api = sender.api(AppNetwork::X).expect("the X API");
    let url = Url::parse(&format!("{base}/2/things?b=x%20y&a=1&c=%2B")).expect("url");
    let text = "Sorry & thanks + more = 100% ☃".to_owned();
    let payloads = [
        (
            "form",
            Payload::Form(vec![("message", text.clone()), ("a", "2".into())]),
        ),
        ("json", Payload::Json(json!({ "text": text }))),
        (
            "multipart",
            Payload::Multipart(vec![Part::Text("message", text.clone())]),
        ),
    ];
    for (name, payload) in payloads {
        let call = Call {
            api: Api::X,
            url: url.clone(),
            payload,
            id_at: IdAt::DataId,
        };
        let outcome = api.post(&call, signing()).await;
        assert!(
            matches!(outcome, SendOutcome::Sent { .. }),
            "{name}: {outcome:?}"
        );
        let seen = log.lock().expect("log").pop().expect("a request");
        let is_form = name == "form";
        assert!(seen.signed_by_us(is_form), "{name}");
        // The form's pairs are part of the signature, and only a form's.
        assert!(!seen.signed_by_us(!is_form), "{name}");
        if is_form {
            assert!(seen.form().contains(&("message".into(), text.clone())));
        }
        // So is the query: the same signature does not verify for another one.
        let mut moved = seen.clone();
        moved.url.set_query(Some("a=1"));
        assert!(!moved.signed_by_us(is_form), "{name}");
    }

    // A read is signed over its query too.
    let read = Url::parse(&format!("{base}/2/users/9?user.fields=profile_image_url")).expect("url");
    let answer = api.get(read, Api::X, signing()).await;
    assert!(matches!(answer, Read::Body(_)), "{answer:?}");
    let seen = log.lock().expect("log").pop().expect("a request");
    assert_eq!(seen.method, "GET");
    assert!(seen.signed_by_us(false));
}

#[tokio::test]
async fn credentials_that_cannot_be_a_header_are_refused_without_showing_them() {
    let (base, log) = server().await;
    let sender = sender(&base);
    let api = sender.api(AppNetwork::X).expect("the X API");
    let call = Call {
        api: Api::X,
        url: Url::parse(&format!("{base}/2/tweets")).expect("url"),
        payload: Payload::Json(json!({"text": "hi"})),
        id_at: IdAt::DataId,
    };
    let outcome = api.post(&call, Auth::Bearer("bad\ntoken")).await;
    let SendOutcome::Permanent { reason } = outcome else {
        panic!("expected a refusal, got {outcome:?}");
    };
    assert!(reason.contains("Authorization header"), "{reason}");
    assert!(!reason.contains("bad\ntoken"), "{reason}");
    assert!(log.lock().expect("log").is_empty(), "nothing was sent");
}

#[test]
fn credentials_never_show_in_debug_and_nonces_are_fresh() {
    let shown = format!("{:?} {:?}", signing(), Auth::Bearer(TOKEN));
    assert_eq!(shown, "OAuth1(<redacted>) Bearer(<redacted>)");
    let reply = reply(Network::X, Channel::XDirect, ALL);
    let shown = format!("{reply:?}");
    for secret in [TOKEN, TOKEN_SECRET, CONSUMER_KEY, CONSUMER_SECRET] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert_ne!(nonce(), nonce());
    assert_eq!(nonce().len(), 32);
}
