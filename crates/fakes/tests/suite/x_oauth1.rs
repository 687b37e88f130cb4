//! X calls made in a user's name with OAuth 1.0a: the desk's sender signs every call of a profile
//! that holds a token secret (uploads, posts, direct messages) and the fake accepts them as it
//! accepts a bearer token; a wrong signature is refused as a wrong bearer token is; the fake
//! checks what RFC 5849 covers (method, URL with query, a form body's pairs, fresh timestamp,
//! unused nonce).

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use caredesk_app::outbound::{OutgoingFile, OutgoingReply, ReplySender, SendOutcome};
use caredesk_domain::reply::Channel;
use caredesk_domain::AttachmentKind;
use caredesk_fakes::{SendKind, XAuth};
use caredesk_networks::x::oauth1::{self, Credentials};
use reqwest::{StatusCode, Url};
use serde_json::json;

use crate::support::*;

/// `reply` from a profile holding the token secret `token_secret`, its app's consumer key and
/// secret `consumer` (our app's: [`X_KEY`], [`X_SECRET`]).
fn from_profile(
    mut reply: OutgoingReply,
    token_secret: &str,
    consumer: (&str, &str),
) -> OutgoingReply {
    reply.token_secret = token_secret.into();
    reply.consumer_key = consumer.0.into();
    reply.consumer_secret = consumer.1.into();
    reply
}

fn with_photo(mut reply: OutgoingReply) -> OutgoingReply {
    reply.file = Some(OutgoingFile {
        kind: AttachmentKind::Image,
        mime: "image/png".into(),
        filename: "label.png".into(),
        bytes: Bytes::from_static(b"\x89PNG\r\n\x1a\n"),
    });
    reply
}

const OURS: (&str, &str) = (X_KEY, X_SECRET);

fn customer_post() -> Channel {
    Channel::XReply {
        in_reply_to_network_id: "1790000000000000001".into(),
    }
}

#[tokio::test]
async fn signed_uploads_posts_and_direct_messages_are_accepted_like_a_bearer_token() {
    let fake = x().await;
    let sender = sender("http://127.0.0.1:9/v21.0", &fake.api_url());
    let signed = [
        reply(customer_post(), None, "Does yours look like this?"),
        reply(Channel::XDirect, Some("1600000000000000009"), "This one"),
    ];
    for reply in signed {
        let reply = from_profile(with_photo(reply), X_TOKEN_SECRET, OURS);
        sent_id(&sender, &reply).await;
    }
    let bearer = reply(Channel::XDirect, Some("1600000000000000009"), "By bearer");
    sent_id(&sender, &bearer).await;

    let calls: Vec<(&str, XAuth)> = fake
        .calls()
        .iter()
        .map(|c| {
            assert_eq!(c.account, ACCOUNT);
            let path = match c.path.as_str() {
                "/2/media/upload" => "upload",
                "/2/tweets" => "post",
                _ => "dm",
            };
            (path, c.auth)
        })
        .collect();
    assert_eq!(
        calls,
        [
            ("upload", XAuth::OAuth1),
            ("post", XAuth::OAuth1),
            ("upload", XAuth::OAuth1),
            ("dm", XAuth::OAuth1),
            ("dm", XAuth::Bearer),
        ]
    );
    let sent = fake.sent();
    let kinds: Vec<_> = sent.iter().map(|s| (s.kind, s.file.is_some())).collect();
    assert_eq!(
        kinds,
        [
            (SendKind::XReply, true),
            (SendKind::XDirect, true),
            (SendKind::XDirect, false)
        ]
    );
}

#[tokio::test]
async fn a_wrong_signature_is_refused_as_a_wrong_bearer_token_is() {
    let fake = x().await;
    let sender = sender("http://127.0.0.1:9/v21.0", &fake.api_url());
    let dm = || {
        reply(
            Channel::XDirect,
            Some("1600000000000000009"),
            "Following up",
        )
    };
    let mut wrong_bearer = dm();
    wrong_bearer.access_token = "not-our-token".into();
    let expected = sender.send(&wrong_bearer).await;
    assert!(
        matches!(expected, SendOutcome::TokenRejected { .. }),
        "{expected:?}"
    );
    let table = [
        ("wrong token secret", "not-the-secret", OURS),
        ("wrong consumer secret", X_TOKEN_SECRET, (X_KEY, "not-ours")),
        ("another app", X_TOKEN_SECRET, ("another-key", X_SECRET)),
    ];
    for (name, token_secret, consumer) in table {
        let reply = from_profile(with_photo(dm()), token_secret, consumer);
        let outcome = sender.send(&reply).await;
        assert_eq!(outcome, expected, "{name}");
        let SendOutcome::TokenRejected { reason } = &outcome else {
            unreachable!()
        };
        assert!(!reason.contains(token_secret), "{name}: {reason}");
    }
    assert!(fake.sent().is_empty(), "nothing was posted");
    assert!(fake.calls().is_empty(), "no credentials were accepted");

    fake.revoke_token(X_TOKEN);
    let reply = from_profile(dm(), X_TOKEN_SECRET, OURS);
    assert_eq!(sender.send(&reply).await, expected, "a revoked token");
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("time")
        .as_secs()
}

#[tokio::test]
async fn the_fake_checks_what_the_signature_covers() {
    let fake = x().await;
    let ours = Credentials {
        consumer_key: X_KEY,
        consumer_secret: X_SECRET,
        token: X_TOKEN,
        token_secret: X_TOKEN_SECRET,
    };
    let tweets = Url::parse(&format!("{}/tweets", fake.api_url())).expect("url");
    let with_query = Url::parse(&format!("{tweets}?trim=1&note=a%20b")).expect("url");
    let client = reqwest::Client::new();
    let body = json!({"text": "Signed"});
    let post_json = |url: &Url, header: String| {
        let request = client
            .post(url.clone())
            .header("authorization", header)
            .json(&body);
        async move { request.send().await.expect("answer").status() }
    };
    let at = now();
    let sign = |url: &Url, form: &[(&str, &str)], nonce: &str, at: u64| {
        oauth1::authorization("POST", url, form, &ours, nonce, at)
    };
    let table = [
        // A JSON body is not signed: the URL and its query are.
        (&tweets, sign(&tweets, &[], "a", at), StatusCode::CREATED),
        (
            &with_query,
            sign(&with_query, &[], "b", at),
            StatusCode::CREATED,
        ),
        (
            &with_query,
            sign(&tweets, &[], "c", at),
            StatusCode::UNAUTHORIZED,
        ),
        (
            &tweets,
            sign(&tweets, &[("text", "Signed")], "d", at),
            StatusCode::UNAUTHORIZED,
        ),
        (
            &tweets,
            sign(&tweets, &[], "e", at - 3_600),
            StatusCode::UNAUTHORIZED,
        ),
        // The nonce of the first row, again at its timestamp.
        (
            &tweets,
            sign(&tweets, &[], "a", at),
            StatusCode::UNAUTHORIZED,
        ),
    ];
    for (url, header, status) in table {
        assert_eq!(
            post_json(url, header.clone()).await,
            status,
            "{url} {header}"
        );
    }

    // A form body's pairs are signed: without them the signature does not verify. (X's v2
    // calls take JSON, so a form that passes the signature is then refused as a bad body.)
    let form = [("text", "Ladies + Gentlemen & more")];
    let post_form = |header: String| {
        let request = client
            .post(tweets.clone())
            .header("authorization", header)
            .form(&form);
        async move { request.send().await.expect("answer").status() }
    };
    let table = [
        (sign(&tweets, &form, "f", at), StatusCode::BAD_REQUEST),
        (sign(&tweets, &[], "g", at), StatusCode::UNAUTHORIZED),
    ];
    for (header, status) in table {
        assert_eq!(post_form(header.clone()).await, status, "{header}");
    }
}
