//! Replies to X from a profile that holds an OAuth 1.0a access token and token secret: every call
//! the outbox makes for it (the photo's upload, the post in reply, the direct message) is signed
//! with OAuth 1.0a user context from the X app's consumer key and secret, and the fake X takes
//! them. A wrong token secret fails the reply with the network's words and flags the profile,
//! exactly as a refused bearer token does.

use std::sync::Arc;

use bytes::Bytes;
use caredesk_app::media::Upload;
use caredesk_app::ReplyRequest;
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::*;
use caredesk_fakes::{SendKind, XAuth};

use crate::app_media::Memory;
use crate::app_sending::{Wired, X_TOKEN_SECRET};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

/// The world wired to the fakes, its X profile holding `token_secret`, with a media store.
async fn wired(token_secret: &str) -> Wired {
    let mut wired = Wired::with_x_token_secret(token_secret).await;
    wired.w.app = wired
        .w
        .app
        .clone()
        .with_media_store(Arc::new(Memory::default()));
    wired
}

async fn photo(wired: &Wired) -> MediaId {
    let upload = Upload {
        bytes: Bytes::from_static(PNG),
        announced: Some("image/png".into()),
        filename: Some("label.png".into()),
    };
    let media = wired
        .w
        .app
        .upload_media(wired.w.agent.id, upload)
        .await
        .expect("the upload is kept");
    media.id
}

fn request(kind: ReplyKind, to: Option<MessageId>, text: &str, files: &[MediaId]) -> ReplyRequest {
    ReplyRequest {
        text: text.into(),
        kind,
        in_reply_to: to,
        set_status: None,
        attachment_ids: files.to_vec(),
    }
}

#[tokio::test]
async fn replies_to_an_x_customer_go_out_signed_with_oauth1_and_are_sent() {
    let wired = wired(X_TOKEN_SECRET).await;
    let c = &wired.customers;
    let mention = c.x_mention("1500", &c.person("Xavier Quill"), "@brand broken again");
    let (mention_case, mention_message) = wired.case_from(&mention, &wired.x).await;
    let dm = c.x_message("1500", &c.person("Yara Lin"), "the receipt?");
    let (dm_case, _) = wired.case_from(&dm, &wired.x).await;
    let agent = wired.w.agent.id;
    let to = Some(mention_message.id);
    let rows = [
        (
            mention_case.id,
            request(ReplyKind::Reply, to, "Sorry to hear that", &[]),
            SendKind::XReply,
            false,
        ),
        (
            mention_case.id,
            request(
                ReplyKind::Reply,
                to,
                "Does yours look like this?",
                &[photo(&wired).await],
            ),
            SendKind::XReply,
            true,
        ),
        (
            dm_case.id,
            request(ReplyKind::Direct, None, "This one", &[photo(&wired).await]),
            SendKind::XDirect,
            true,
        ),
    ];
    let mut queued = Vec::new();
    for (case, request, kind, with_file) in rows {
        let text = request.text.clone();
        let reply = wired
            .w
            .app
            .queue_reply(agent, case, request, None)
            .await
            .unwrap_or_else(|e| panic!("{text}: {e:?}"));
        queued.push((reply.id, text, kind, with_file));
    }
    let pass = wired.pass().await;
    assert_eq!((pass.sent, pass.failed), (3, 0), "{pass:?}");

    for (id, text, kind, with_file) in queued {
        let sent = wired.posted(&text);
        assert_eq!(sent.len(), 1, "{text}: posted once");
        assert_eq!(sent[0].kind, kind, "{text}");
        assert_eq!(sent[0].file.is_some(), with_file, "{text}");
        let stored = wired.stored(id).await;
        assert_eq!(stored.delivery, Some(Delivery::Sent), "{text}");
        assert_eq!(stored.network_id.as_deref(), Some(&*sent[0].network_id));
    }

    // Every call carried an OAuth 1.0a signature the fake verified: two uploads, two posts and
    // a direct message (made concurrently, so counted rather than ordered).
    let calls = wired.x_fake.calls();
    assert!(
        calls
            .iter()
            .all(|c| c.auth == XAuth::OAuth1 && c.account == "1500"),
        "{calls:?}"
    );
    let count = |path: &str| calls.iter().filter(|c| c.path.starts_with(path)).count();
    assert_eq!(count("/2/media/upload"), 2, "{calls:?}");
    assert_eq!(count("/2/tweets"), 2, "{calls:?}");
    assert_eq!(count("/2/dm_conversations/"), 1, "{calls:?}");
    assert_eq!(calls.len(), 5, "{calls:?}");
}

#[tokio::test]
async fn a_wrong_token_secret_fails_the_reply_as_a_refused_bearer_token_does() {
    let mut errors = Vec::new();
    for (name, token_secret) in [
        ("a refused bearer token", ""),
        ("a wrong token secret", "not-the-token-secret"),
    ] {
        let wired = wired(token_secret).await;
        if token_secret.is_empty() {
            wired.x_fake.revoke_token("x-token");
        }
        let c = &wired.customers;
        let dm = c.x_message("1500", &c.person("Ann Lee"), "hello?");
        let (case, _) = wired.case_from(&dm, &wired.x).await;
        let mut replies = Vec::new();
        for (text, files) in [("Following up", vec![]), ("", vec![photo(&wired).await])] {
            let request = request(ReplyKind::Direct, None, text, &files);
            let reply = wired
                .w
                .app
                .queue_reply(wired.w.agent.id, case.id, request, None)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            replies.push(reply.id);
        }
        let pass = wired.pass().await;
        assert_eq!((pass.sent, pass.failed), (0, 2), "{name}: {pass:?}");
        for id in replies {
            let failed = wired.stored(id).await;
            assert_eq!(failed.delivery, Some(Delivery::Failed), "{name}");
            let error = failed.error.unwrap_or_default();
            assert!(error.contains("Unauthorized"), "{name}: {error}");
            assert!(!error.contains("x-token"), "{name}: {error}");
            if !token_secret.is_empty() {
                assert!(!error.contains(token_secret), "{name}: {error}");
            }
            errors.push(error);
        }
        assert!(wired.x_fake.sent().is_empty(), "{name}: nothing was posted");
        assert!(
            wired.x_fake.calls().is_empty(),
            "{name}: nothing was accepted"
        );
        let health = wired.w.app.profile_health().await.expect("health");
        let x_health = health
            .iter()
            .find(|h| h.profile_id == wired.x.id)
            .expect("the X profile");
        assert!(
            x_health.signals.token_rejected.is_some(),
            "{name}: the profile is flagged"
        );
        wired.w.clock.advance_secs(3_600);
        assert!(wired.pass().await.is_idle(), "{name}: never retried");
    }
    let first = &errors[0];
    assert!(
        errors.iter().all(|e| e == first),
        "the same words either way: {errors:?}"
    );
}
