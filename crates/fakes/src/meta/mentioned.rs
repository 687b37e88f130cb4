//! The Graph API's reads of an Instagram account's mentions, as the fake serves them:
//! `GET /{ig-user-id}?fields=mentioned_comment.comment_id(…){…}` and
//! `…mentioned_media.media_id(…){…}`, and a Facebook post that tags a Page read whole
//! (`GET /{post-id}?fields=…`), answered from the mentions the fake remembers (their author,
//! media and text), with Graph's error for an unknown one and for a bad token.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::graph::{is_version, page_of, Call, Failure};
use super::MetaState;
use crate::lock;

/// The id inside `prefix(…)` at the start of `fields`.
fn id_after<'f>(fields: &'f str, prefix: &str) -> Option<&'f str> {
    let rest = fields.strip_prefix(prefix)?;
    let end = rest.find(')')?;
    Some(&rest[..end]).filter(|id| !id.is_empty())
}

fn unknown(object: &str) -> Failure {
    Failure {
        status: 400,
        code: 100,
        subcode: Some(33),
        message: format!(
            "Unsupported get request. Object with ID '{object}' does not exist, cannot be loaded \
             due to missing permissions, or does not support this operation."
        ),
    }
}

/// Whether a GET asks for a mention: Instagram's `mentioned_…` fields, or a Facebook post or
/// comment the fake knows as one that tags a Page.
pub(super) fn asks_for_mention(
    state: &MetaState,
    object: &str,
    query: &HashMap<String, String>,
) -> bool {
    let fields = query.get("fields").map(String::as_str).unwrap_or_default();
    fields.starts_with("mentioned_")
        || lock(&state.controls.book)
            .mention_texts
            .contains_key(object)
}

/// `GET /{version}/{object}?fields=…` for a mention.
pub(super) async fn graph_get(
    State(state): State<Arc<MetaState>>,
    Path((version, object)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if !is_version(&version) {
        return Failure::param(format!("Unknown path components: /{version}")).into_response();
    }
    let empty = axum::body::Bytes::new();
    let call = Call {
        object: &object,
        edge: "",
        headers: &headers,
        body: &empty,
        answered: true,
    };
    let account = match page_of(&state, &call, &Value::Null) {
        Ok(account) => account,
        Err(failure) => return failure.into_response(),
    };
    if account.network == caredesk_networks::Network::Facebook {
        return facebook_post(&state, &object);
    }
    if account.id != object {
        return unknown(&object).into_response();
    }
    let fields = query.get("fields").map(String::as_str).unwrap_or_default();
    let (id, in_comment) = match (
        id_after(fields, "mentioned_comment.comment_id("),
        id_after(fields, "mentioned_media.media_id("),
    ) {
        (Some(id), _) => (id, true),
        (None, Some(id)) => (id, false),
        (None, None) => return Failure::param("(#100) Unsupported fields").into_response(),
    };
    let book = lock(&state.controls.book);
    let (Some(known), Some(text)) = (book.known.get(id), book.mention_texts.get(id)) else {
        return unknown(id).into_response();
    };
    let media = known.root.clone().unwrap_or_default();
    let permalink = format!("https://www.instagram.com/p/{media}/");
    let timestamp = crate::clock::graph_time();
    let mention: Value = if in_comment {
        json!({"mentioned_comment": {
            "id": id, "text": text, "timestamp": timestamp,
            "from": {"id": known.author.id, "username": known.author.handle},
            "username": known.author.handle,
            "media": {"id": media, "permalink": permalink},
        }, "id": account.id})
    } else {
        json!({"mentioned_media": {
            "id": id, "caption": text, "timestamp": timestamp, "media_type": "CAROUSEL_ALBUM",
            "username": known.author.handle, "permalink": permalink,
        }, "id": account.id})
    };
    Json(mention).into_response()
}

/// A post or comment that tags a Page, read whole (`GET /{post-id}?fields=…`).
fn facebook_post(state: &MetaState, object: &str) -> Response {
    let book = lock(&state.controls.book);
    let (Some(known), Some(text)) = (book.known.get(object), book.mention_texts.get(object)) else {
        return unknown(object).into_response();
    };
    let created = crate::clock::graph_time();
    let post = object.split_once('_').map_or(object, |(_, p)| p);
    Json(json!({
        "id": object, "message": text, "created_time": created,
        "from": {"id": known.author.id, "name": known.author.name},
        "permalink_url": format!("https://www.facebook.com/{}/posts/{post}", known.author.id),
    }))
    .into_response()
}
