//! The webhook parsers never panic, whatever arrives: arbitrary bytes, arbitrary JSON, and
//! real-shaped Meta and X deliveries with fields replaced by arbitrary values, removed, or
//! buried under garbage. Answering `None` or skipping is fine; tolerant parsing also means a
//! body that names its network is always read as a delivery of it.

mod fixtures;
mod json;
mod meta_dm;
mod meta_public;
mod mutated;
mod x_content;

use caredesk_networks::{meta, x};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Real-shaped Meta deliveries: a feed comment, a feed post, a hidden comment, a Messenger DM
/// with an attachment, an echo, an unsend, an Instagram comment.
fn meta_deliveries() -> Vec<Value> {
    vec![
        json!({"object": "page", "entry": [{"id": "page-1", "time": 1_717_000_100, "changes": [{"field": "feed", "value": {
            "item": "comment", "verb": "add", "comment_id": "c-1", "post_id": "page-1_post", "parent_id": "page-1_post",
            "from": {"id": "7770001", "name": "Jane"}, "created_time": 1_717_000_099, "message": "hello"}}]}]}),
        json!({"object": "page", "entry": [{"id": "page-1", "time": 1_717_000_100, "changes": [{"field": "feed", "value": {
            "item": "status", "verb": "add", "post_id": "page-1_9", "sender_id": 555, "sender_name": "Jo",
            "created_time": 1_717_000_000, "message": "a post"}}]}]}),
        json!({"object": "page", "entry": [{"id": "page-1", "time": 1_717_000_100, "changes": [{"field": "feed", "value": {
            "item": "comment", "verb": "hide", "comment_id": "c-1", "post_id": "page-1_post"}}]}]}),
        json!({"object": "page", "entry": [{"id": "page-1", "time": 1_717_000_100, "messaging": [{
            "sender": {"id": "psid-1"}, "recipient": {"id": "page-1"}, "timestamp": 1_717_000_100_123_i64,
            "message": {"mid": "m-1", "text": "hi", "reply_to": {"mid": "m-0"},
                "attachments": [{"type": "image", "payload": {"url": "https://example.com/a.png"}}]}}]}]}),
        json!({"object": "page", "entry": [{"id": "page-1", "time": 1_717_000_100, "messaging": [{
            "sender": {"id": "page-1"}, "recipient": {"id": "psid-1"}, "timestamp": 1_717_000_100_500_i64,
            "message": {"mid": "m-2", "text": "our answer", "is_echo": true}}]}]}),
        json!({"object": "page", "entry": [{"id": "page-1", "time": 1_717_000_100, "messaging": [{
            "sender": {"id": "psid-1"}, "recipient": {"id": "page-1"}, "timestamp": 1_717_000_101_000_i64,
            "message": {"mid": "m-1", "is_deleted": true}}]}]}),
        json!({"object": "instagram", "entry": [{"id": "ig-1", "time": 1_717_000_100, "changes": [{"field": "comments", "value": {
            "id": "igc-1", "from": {"id": "ig-user", "username": "jane"}, "media": {"id": "media-1"},
            "parent_id": "igc-0", "text": "nice"}}]}]}),
    ]
}

/// Real-shaped X deliveries: a mention, a reply by the brand, a DM, a deleted post.
fn x_deliveries() -> Vec<Value> {
    vec![
        json!({"for_user_id": "2244994945", "tweet_create_events": [{
            "id_str": "t-1", "text": "@brand help", "timestamp_ms": "1717000100123",
            "user": {"id_str": "6253282", "name": "Jane", "screen_name": "jane"}}]}),
        json!({"for_user_id": "2244994945", "tweet_create_events": [{
            "id_str": "t-2", "extended_tweet": {"full_text": "we are on it"}, "timestamp_ms": "1717000200000",
            "in_reply_to_status_id_str": "t-1", "in_reply_to_user_id_str": "6253282",
            "user": {"id_str": "2244994945", "name": "Brand", "screen_name": "brand"}}]}),
        json!({"for_user_id": "2244994945", "direct_message_events": [{
            "type": "message_create", "id": "dm-1", "created_timestamp": "1717000300000",
            "message_create": {"target": {"recipient_id": "2244994945"}, "sender_id": "6253282",
                "message_data": {"text": "hello"}}}],
            "users": {"6253282": {"id": "6253282", "name": "Jane", "screen_name": "jane"}}}),
        json!({"for_user_id": "2244994945", "tweet_delete_events": [{
            "status": {"id": "t-1", "user_id": "6253282"}, "timestamp_ms": "1717000400000"}]}),
    ]
}

fn parse_both(body: &[u8]) {
    let _ = meta::parse(body);
    let _ = x::parse(body);
}

#[test]
fn the_templates_are_deliveries_the_parsers_read() {
    for delivery in meta_deliveries() {
        let (updates, skipped) = meta::parse(delivery.to_string().as_bytes()).expect("Meta");
        assert_eq!((updates.len(), skipped.total()), (1, 0), "{delivery}");
    }
    for delivery in x_deliveries() {
        let (updates, skipped) = x::parse(delivery.to_string().as_bytes()).expect("X");
        assert_eq!((updates.len(), skipped.total()), (1, 0), "{delivery}");
    }
}

fn template() -> impl Strategy<Value = Value> {
    let all: Vec<Value> = meta_deliveries()
        .into_iter()
        .chain(x_deliveries())
        .collect();
    prop::sample::select(all)
}

fn mutated(templates: Vec<Value>) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(templates),
        prop::collection::vec(json::mutation(), 1..8),
    )
        .prop_map(|(delivery, mutations)| json::mutate(delivery, &mutations))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..1_024)) {
        parse_both(&body);
    }

    #[test]
    fn damaged_delivery_bytes_never_panic(
        delivery in template(),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut body = delivery.to_string().into_bytes();
        for (at, byte) in cuts {
            let i = at.index(body.len());
            body[i] = byte;
        }
        parse_both(&body);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(value in json::value()) {
        parse_both(value.to_string().as_bytes());
    }

    #[test]
    fn a_body_naming_its_network_is_read_as_a_delivery(
        network in prop::sample::select(vec!["page", "instagram", "user"]),
        account in json::leaf(),
        rest in json::value(),
    ) {
        let mut body = match rest {
            Value::Object(map) => map,
            other => serde_json::Map::from_iter([("entry".to_owned(), other)]),
        };
        body.insert("object".into(), json!(network));
        prop_assert!(meta::parse(Value::Object(body.clone()).to_string().as_bytes()).is_some());
        let named = matches!(account, Value::String(_) | Value::Number(_));
        body.insert("for_user_id".into(), account);
        let parsed = x::parse(Value::Object(body).to_string().as_bytes());
        prop_assert_eq!(parsed.is_some(), named);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn mutated_meta_deliveries_never_panic(delivery in mutated(meta_deliveries())) {
        parse_both(delivery.to_string().as_bytes());
    }

    #[test]
    fn mutated_x_deliveries_never_panic(delivery in mutated(x_deliveries())) {
        parse_both(delivery.to_string().as_bytes());
    }
}
