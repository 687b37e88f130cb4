//! Signed webhooks through the real router: handshakes, signatures over the raw bytes, every
//! event kind, redeliveries, pages of other apps, large deliveries.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_app::NetworkAppInput;
use caredesk_domain::*;
use caredesk_networks::signature::{meta_sign, x_sign};
use serde_json::{json, Value};

use crate::api_support::{call, send, Answer};
use crate::support::World;

async fn post(
    api: &axum::Router,
    path: &str,
    signature_header: &str,
    signature: Option<String>,
    body: &Value,
) -> Answer {
    let bytes = body.to_string();
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(sig) = signature {
        request = request.header(signature_header, sig);
    }
    send(api, request.body(Body::from(bytes)).expect("request")).await
}

async fn meta(api: &axum::Router, secret: &str, body: &Value) -> Answer {
    let sig = meta_sign(secret, body.to_string().as_bytes());
    post(api, "/webhooks/meta", "x-hub-signature-256", sig, body).await
}

fn comment(page: &str, verb: &str, id: &str, text: &str) -> Value {
    json!({"object": "page", "entry": [{"id": page, "time": 1_717_000_100, "changes": [{"field": "feed", "value": {
        "item": "comment", "verb": verb, "comment_id": id, "post_id": format!("{page}_post"), "parent_id": format!("{page}_post"),
        "from": {"id": "7770001", "name": "Jane Customer"}, "created_time": 1_717_000_099, "message": text}}]}]})
}

async fn stored(w: &World, network_id: &str) -> Option<Message> {
    let mut tx = w.app.store().begin().await.expect("begin");
    tx.message_by_network_id(w.profile.id, network_id)
        .await
        .expect("read")
}

#[tokio::test]
async fn meta_deliveries_are_verified_routed_and_never_stored_twice() {
    let w = World::new().await;
    let api = crate::api_support::router(&w);
    let challenge = call(
        &api,
        Method::GET,
        "/webhooks/meta?hub.mode=subscribe&hub.verify_token=verify&hub.challenge=1158201444",
        None,
        None,
    )
    .await;
    assert_eq!(challenge.status, StatusCode::OK);
    let wrong = call(
        &api,
        Method::GET,
        "/webhooks/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1",
        None,
        None,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);

    let body = comment("page-1", "add", "c-1", "My order never arrived");
    let forged = post(
        &api,
        "/webhooks/meta",
        "x-hub-signature-256",
        meta_sign("not-the-secret", body.to_string().as_bytes()),
        &body,
    )
    .await;
    assert_eq!(
        (forged.status, forged.code()),
        (StatusCode::UNAUTHORIZED, "bad_signature")
    );
    let unsigned = post(&api, "/webhooks/meta", "x-hub-signature-256", None, &body).await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        stored(&w, "c-1").await,
        None,
        "a refused delivery stores nothing"
    );

    let accepted = meta(&api, "s3cret", &body).await;
    assert_eq!(
        (accepted.status, &accepted.json["stored"]),
        (StatusCode::OK, &json!(1)),
        "{}",
        accepted.json
    );
    let replay = meta(&api, "s3cret", &body).await;
    assert_eq!(
        (&replay.json["stored"], &replay.json["known"]),
        (&json!(0), &json!(1)),
        "a redelivery stores nothing twice"
    );

    meta(
        &api,
        "s3cret",
        &comment(
            "page-1",
            "edited",
            "c-1",
            "My order never arrived (2 weeks)",
        ),
    )
    .await;
    meta(&api, "s3cret", &comment("page-1", "hide", "c-1", "")).await;
    let m = stored(&w, "c-1").await.expect("stored");
    assert_eq!(
        (m.text.as_str(), m.hidden, m.deleted),
        ("My order never arrived (2 weeks)", true, false)
    );
    meta(&api, "s3cret", &comment("page-1", "unhide", "c-1", "")).await;
    meta(&api, "s3cret", &comment("page-1", "remove", "c-1", "")).await;
    let m = stored(&w, "c-1").await.expect("stored");
    assert_eq!((m.hidden, m.deleted), (false, true));

    let foreign = meta(
        &api,
        "s3cret",
        &comment("page-of-another-app", "add", "c-9", "hi"),
    )
    .await;
    assert_eq!(
        foreign.json["stored"], 0,
        "pages the signing app does not serve are dropped"
    );

    let dm = json!({"object": "page", "entry": [{"id": "page-1", "time": 1_717_000_500_123_i64, "messaging": [
        {"sender": {"id": "psid-1"}, "recipient": {"id": "page-1"}, "timestamp": 1_717_000_500_001_i64, "message": {"mid": "m-1", "text": "Where is my refund?"}},
        {"sender": {"id": "page-1"}, "recipient": {"id": "psid-1"}, "timestamp": 1_717_000_600_001_i64, "message": {"mid": "m-2", "text": "Looking now", "is_echo": true}},
        {"sender": {"id": "psid-1"}, "recipient": {"id": "page-1"}, "timestamp": 1_717_000_700_001_i64, "read": {"watermark": 1}},
        {"sender": {"id": "psid-1"}, "recipient": {"id": "page-1"}, "timestamp": 1_717_000_800_001_i64, "message": {"mid": "m-1", "is_deleted": true}}
    ]}]});
    let answer = meta(&api, "s3cret", &dm).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "unknown kinds are tolerated: {}",
        answer.json
    );
    let customer = stored(&w, "m-1").await.expect("the DM");
    assert_eq!(
        (customer.author, customer.deleted),
        (Author::Customer, true),
        "unsent"
    );
    assert_eq!(
        stored(&w, "m-2").await.map(|m| m.author),
        Some(Author::Brand),
        "an echo is a brand message"
    );
}

#[tokio::test]
async fn a_delivery_of_a_thousand_updates_is_committed_whole() {
    let w = World::new().await;
    let api = crate::api_support::router(&w);
    let changes: Vec<Value> = (0..1_000)
        .map(|i| json!({"field": "feed", "value": {"item": "comment", "verb": "add", "comment_id": format!("bulk-{i}"),
            "post_id": "page-1_post", "parent_id": "page-1_post", "from": {"id": format!("fan-{i}"), "name": "Fan"},
            "created_time": 1_717_000_099, "message": "x".repeat(2_000)}}))
        .collect();
    let body = json!({"object": "page", "entry": [{"id": "page-1", "time": 1_717_000_100, "changes": changes}]});
    assert!(
        body.to_string().len() > 1024 * 1024,
        "larger than an API body"
    );
    let answer = meta(&api, "s3cret", &body).await;
    assert_eq!(
        (answer.status, &answer.json["stored"]),
        (StatusCode::OK, &json!(1_000)),
        "{}",
        answer.json
    );
}

#[tokio::test]
async fn x_deliveries_answer_the_crc_and_route_mentions_dms_and_deletes() {
    let w = World::new().await;
    let app = NetworkAppInput {
        network: AppNetwork::X,
        name: "X".into(),
        app_secret: "test_consumer_secret".into(),
        verify_token: String::new(),
        consumer_key: "key".into(),
    };
    let x_app = w.app.create_network_app(None, app).await.expect("app");
    let input = caredesk_app::ProfileInput {
        network: Network::X,
        external_id: "1500".into(),
        name: "@acme".into(),
        app_id: x_app.id,
        access_token: String::new(),
        token_secret: String::new(),
    };
    let profile = w.app.create_profile(None, input).await.expect("profile");
    let api = crate::api_support::router(&w);

    let crc = call(
        &api,
        Method::GET,
        "/webhooks/x?crc_token=crc-token-123",
        None,
        None,
    )
    .await;
    assert_eq!(
        crc.json["response_token"],
        "sha256=WTP6ckqLOLFsB+woMqoUFnbdaUQZslRlj+Df7hg+aVo="
    );
    // A second X app: the CRC needs the app named in the URL the profiles API shows.
    let second = NetworkAppInput {
        network: AppNetwork::X,
        name: "X 2".into(),
        app_secret: "another_secret".into(),
        verify_token: String::new(),
        consumer_key: "key2".into(),
    };
    w.app.create_network_app(None, second).await.expect("app");
    let ambiguous = call(
        &api,
        Method::GET,
        "/webhooks/x?crc_token=crc-token-123",
        None,
        None,
    )
    .await;
    assert_eq!(ambiguous.status, StatusCode::BAD_REQUEST);
    let named = call(
        &api,
        Method::GET,
        &format!("/webhooks/x?crc_token=crc-token-123&app={}", x_app.id),
        None,
        None,
    )
    .await;
    assert_eq!(
        named.json["response_token"],
        "sha256=WTP6ckqLOLFsB+woMqoUFnbdaUQZslRlj+Df7hg+aVo="
    );
    let unknown = call(
        &api,
        Method::GET,
        "/webhooks/x?crc_token=t&app=999",
        None,
        None,
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let body = json!({"for_user_id": "1500", "user_has_blocked": "false", "tweet_create_events": [{
        "created_at": "Mon Jun 03 10:15:00 +0000 2024", "id": 1_797_000_000_000_000_001_i64, "id_str": "1797000000000000001",
        "text": "@acme my parcel is lost", "in_reply_to_status_id_str": null, "user": {"id_str": "1600", "screen_name": "jane_c", "name": "Jane C"},
        "timestamp_ms": "1717409700000"}],
        "favorite_events": [{"id": "f"}]});
    let sig = x_sign("test_consumer_secret", body.to_string().as_bytes());
    let answer = post(
        &api,
        "/webhooks/x",
        "x-twitter-webhooks-signature",
        sig,
        &body,
    )
    .await;
    assert_eq!(
        (answer.status, &answer.json["stored"]),
        (StatusCode::OK, &json!(1)),
        "{}",
        answer.json
    );
    let bad = post(
        &api,
        "/webhooks/x",
        "x-twitter-webhooks-signature",
        Some("sha256=AAAA".into()),
        &body,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);

    // The same post mentions a second account of ours: X delivers it for that account too, and
    // it reaches both profiles, once each.
    let second = caredesk_app::ProfileInput {
        network: Network::X,
        external_id: "1501".into(),
        name: "@acme_help".into(),
        app_id: x_app.id,
        access_token: String::new(),
        token_secret: String::new(),
    };
    let help = w.app.create_profile(None, second).await.expect("profile");
    let mut for_help = body.clone();
    for_help["for_user_id"] = json!("1501");
    let sig = x_sign("test_consumer_secret", for_help.to_string().as_bytes());
    let answer = post(
        &api,
        "/webhooks/x",
        "x-twitter-webhooks-signature",
        sig,
        &for_help,
    )
    .await;
    assert_eq!(answer.json["stored"], json!(1), "{}", answer.json);
    let mut tx = w.app.store().begin().await.expect("begin");
    for p in [profile.id, help.id] {
        let m = tx
            .message_by_network_id(p, "1797000000000000001")
            .await
            .expect("read")
            .expect("stored on each profile");
        assert_eq!(m.profile_id, p);
    }
    drop(tx);

    let dms = json!({"for_user_id": "1500", "direct_message_events": [
        {"type": "message_create", "id": "dm-1", "created_timestamp": "1717409800000",
         "message_create": {"target": {"recipient_id": "1500"}, "sender_id": "1600", "message_data": {"text": "Order A-1001"}}}],
        "users": {"1600": {"id": "1600", "screen_name": "jane_c", "name": "Jane C"}}});
    let sig = x_sign("test_consumer_secret", dms.to_string().as_bytes());
    assert_eq!(
        post(
            &api,
            "/webhooks/x",
            "x-twitter-webhooks-signature",
            sig,
            &dms
        )
        .await
        .json["stored"],
        1
    );
    let deletion = json!({"for_user_id": "1500", "tweet_delete_events": [{"status": {"id": "1797000000000000001", "user_id": "1600"}, "timestamp_ms": "1717410000000"}]});
    let sig = x_sign("test_consumer_secret", deletion.to_string().as_bytes());
    post(
        &api,
        "/webhooks/x",
        "x-twitter-webhooks-signature",
        sig,
        &deletion,
    )
    .await;

    let mut tx = w.app.store().begin().await.expect("begin");
    let mention = tx
        .message_by_network_id(profile.id, "1797000000000000001")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (mention.kind, mention.deleted),
        (MessageKind::Mention, true)
    );
    let dm = tx
        .message_by_network_id(profile.id, "dm-1")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(dm.kind, MessageKind::Direct);
}

#[tokio::test]
async fn profiles_report_their_health_to_the_ui() {
    let w = World::new().await;
    let api = crate::api_support::router(&w);
    let token = crate::api_support::login(&api, "agent@example.com").await;
    let health = |answer: &Answer| answer.json["items"][0]["health"].clone();

    let before = call(&api, Method::GET, "/api/v1/profiles", Some(&token), None).await;
    assert_eq!(before.status, StatusCode::OK);
    let h = health(&before);
    assert_eq!(h["healthy"], json!(false), "{h}");
    assert_eq!(h["problems"][0]["kind"], json!("webhooks_silent"));
    assert_eq!(
        h["problems"][0]["message"],
        json!("no webhook has arrived yet")
    );
    assert_eq!(h["last_webhook_at"], Value::Null);

    let delivered = meta(&api, "s3cret", &comment("page-1", "add", "c-h1", "hello")).await;
    assert_eq!(delivered.status, StatusCode::OK);
    let after = call(&api, Method::GET, "/api/v1/profiles", Some(&token), None).await;
    let h = health(&after);
    assert_eq!(h["healthy"], json!(true), "{h}");
    assert_eq!(h["problems"], json!([]));
    assert_eq!(h["last_webhook_at"], json!(w.app.now().to_rfc3339()));
    assert_eq!(
        (h["replies_waiting"].clone(), h["replies_stuck"].clone()),
        (json!(0), json!(0))
    );
    assert!(
        !after.json.to_string().contains("token\":"),
        "no credentials in the answer"
    );
}
