//! Strategies for JSON: arbitrary values built from nasty leaves (huge and negative numbers,
//! numbers written as text, empty and odd strings) under objects whose keys are often the very
//! field names the parsers read, and mutations of real-shaped deliveries that replace or remove
//! fields anywhere in them.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Number, Value};

/// Every field name the Meta and X parsers look at.
const KEYS: &[&str] = &[
    "object",
    "entry",
    "id",
    "time",
    "changes",
    "field",
    "value",
    "item",
    "verb",
    "comment_id",
    "post_id",
    "from",
    "name",
    "sender_id",
    "sender_name",
    "message",
    "parent_id",
    "created_time",
    "username",
    "media",
    "text",
    "messaging",
    "mid",
    "is_deleted",
    "is_echo",
    "sender",
    "recipient",
    "timestamp",
    "attachments",
    "type",
    "payload",
    "url",
    "reply_to",
    "delivery",
    "for_user_id",
    "users",
    "tweet_create_events",
    "direct_message_events",
    "tweet_delete_events",
    "id_str",
    "user",
    "extended_tweet",
    "full_text",
    "in_reply_to_status_id_str",
    "in_reply_to_user_id_str",
    "timestamp_ms",
    "screen_name",
    "message_create",
    "target",
    "recipient_id",
    "message_data",
    "created_timestamp",
    "status",
];

/// Words the parsers match on, so arbitrary values often take the interesting branches.
const WORDS: &[&str] = &[
    "page",
    "instagram",
    "feed",
    "comments",
    "live_comments",
    "comment",
    "post",
    "status",
    "add",
    "edited",
    "hide",
    "unhide",
    "remove",
    "message_create",
    "page-1",
    "42",
    "",
];

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        Just(Value::from(i64::MIN)),
        Just(Value::from(i64::MAX)),
        Just(Value::from(u64::MAX)),
        Just(Value::from(-1)),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(Value::from(1e308)),
        Just(Value::from(-1e308)),
    ]
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        any::<i64>().prop_map(|n| n.to_string()),
        prop::sample::select(WORDS).prop_map(str::to_owned),
        Just("-9223372036854775808".to_owned()),
        Just("9223372036854775807".to_owned()),
        Just("99999999999999999999999999".to_owned()),
        Just("-1".to_owned()),
        Just("1e400".to_owned()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

/// A leaf: null, a boolean, a number or a string.
pub fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        3 => number(),
        2 => string().prop_map(Value::String),
    ]
}

/// Any JSON value, nested a few levels.
pub fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Every path to a value inside `root` (the root itself excluded).
fn paths(root: &Value) -> Vec<Vec<PathStep>> {
    let mut out = Vec::new();
    let mut stack = vec![(root, Vec::new())];
    while let Some((node, path)) = stack.pop() {
        let children: Vec<(PathStep, &Value)> = match node {
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (PathStep::Key(k.clone()), v))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (PathStep::Index(i), v))
                .collect(),
            _ => Vec::new(),
        };
        for (step, child) in children {
            let mut next = path.clone();
            next.push(step);
            out.push(next.clone());
            stack.push((child, next));
        }
    }
    out
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn at<'a>(root: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |node, step| match step {
        PathStep::Key(k) => node.get_mut(k.as_str()),
        PathStep::Index(i) => node.get_mut(*i),
    })
}

/// One change to a delivery.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// The value at a path becomes another.
    Replace(Index, Value),
    /// The field or item at a path disappears.
    Remove(Index),
    /// An object on a path gains (or changes) a field.
    Insert(Index, String, Value),
}

/// A mutation; replacements are often a single nasty leaf, else any value.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), leaf()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => (any::<Index>(), value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        1 => any::<Index>().prop_map(Mutation::Remove),
        2 => (any::<Index>(), key(), value()).prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
    ]
}

/// `delivery` with the mutations applied one after the other.
pub fn mutate(mut delivery: Value, mutations: &[Mutation]) -> Value {
    for mutation in mutations {
        let all = paths(&delivery);
        if all.is_empty() {
            break;
        }
        let pick = |i: &Index| -> Vec<PathStep> { i.get(&all).clone() };
        match mutation {
            Mutation::Replace(i, v) => {
                if let Some(slot) = at(&mut delivery, &pick(i)) {
                    *slot = v.clone();
                }
            }
            Mutation::Remove(i) => {
                let path = pick(i);
                let (last, parent) = match path.split_last() {
                    Some(split) => split,
                    None => continue,
                };
                match (at(&mut delivery, parent), last) {
                    (Some(Value::Object(map)), PathStep::Key(k)) => {
                        map.remove(k);
                    }
                    (Some(Value::Array(items)), PathStep::Index(n)) if *n < items.len() => {
                        items.remove(*n);
                    }
                    _ => {}
                }
            }
            Mutation::Insert(i, k, v) => match at(&mut delivery, &pick(i)) {
                Some(Value::Object(map)) => {
                    map.insert(k.clone(), v.clone());
                }
                Some(slot) => *slot = Value::Object(Map::from_iter([(k.clone(), v.clone())])),
                None => {}
            },
        }
    }
    delivery
}
