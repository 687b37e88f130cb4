//! Comments the fake Graph API posts for a Page or an account: a Facebook comment under a post
//! or comment (with its picture as `source`), an Instagram comment on media or reply to a
//! comment; each recorded in the book and echoed as the network's webhook reports it.

use serde_json::{json, Value};

use super::graph::{customer_of, record, Call, Failure};
use super::{echo, FakePage, MetaState};
use crate::book::Book;
use crate::{ids, SendKind, SentFile, SentReply};

/// The `message` parameter, required and within `limit` characters.
pub(super) fn text_param(params: &Value, limit: usize) -> Result<String, Failure> {
    let text = params
        .get("message")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| Failure::param("(#100) Missing message or attachment"))?;
    if text.chars().count() > limit {
        return Err(Failure::param(format!(
            "(#100) Param message must be at most {limit} characters long"
        )));
    }
    Ok(text.to_owned())
}

/// A Facebook comment of the Page under `call.object`.
pub(super) fn facebook_comment(
    state: &MetaState,
    book: &mut Book,
    page: &FakePage,
    call: &Call<'_>,
    text: String,
    photo: Option<SentFile>,
) -> Result<Value, Failure> {
    let parent = call.object;
    // A known comment hangs under its post; anything else is taken to be the post itself.
    let post_id = book
        .known
        .get(parent)
        .and_then(|k| k.root.clone())
        .unwrap_or_else(|| parent.to_owned());
    let post_part = post_id.split_once('_').map_or(post_id.as_str(), |(_, p)| p);
    let id = format!("{post_part}_{}", ids::fresh());
    let sent = SentReply {
        kind: SendKind::FacebookComment,
        profile: page.id.clone(),
        target: parent.to_owned(),
        customer: customer_of(book, page, parent),
        text: text.clone(),
        network_id: id.clone(),
        messaging_type: None,
        tag: None,
        answered: call.answered,
        file: photo.clone(),
    };
    record(book, sent, Some(&post_id), page.person());
    let photo_url = photo.as_ref().map(|p| p.url.as_str());
    state.controls.echoes.send(
        echo::feed_comment(page, &id, &post_id, parent, &text, photo_url),
        echo::posted(page, &id, Some(parent), Some(&post_id)),
    );
    Ok(json!({ "id": id }))
}

/// An Instagram comment of the account on media, or its reply to a comment.
pub(super) fn instagram_comment(
    state: &MetaState,
    book: &mut Book,
    page: &FakePage,
    call: &Call<'_>,
    text: String,
) -> Result<Value, Failure> {
    let target = call.object;
    let is_reply = call.edge == "replies";
    let (kind, parent, media) = if is_reply {
        let media = book.known.get(target).and_then(|k| k.root.clone());
        (SendKind::InstagramCommentReply, Some(target), media)
    } else {
        (
            SendKind::InstagramMediaComment,
            None,
            Some(target.to_owned()),
        )
    };
    let id = ids::fresh();
    let sent = SentReply {
        kind,
        profile: page.id.clone(),
        target: target.to_owned(),
        customer: if is_reply {
            customer_of(book, page, target)
        } else {
            None
        },
        text: text.clone(),
        network_id: id.clone(),
        messaging_type: None,
        tag: None,
        answered: call.answered,
        file: None,
    };
    record(book, sent, media.as_deref(), page.person());
    state.controls.echoes.send(
        echo::instagram_comment(page, &id, media.as_deref(), parent, &text),
        echo::posted(page, &id, parent.or(media.as_deref()), media.as_deref()),
    );
    Ok(json!({ "id": id }))
}
