//! What a Meta message or Page item carries beside its text, as the desk's attachments
//! (PRODUCT.md §11): Messenger and Instagram DM attachments by their `type` (media, stickers,
//! shared links, posts and reels, locations, story mentions), the story a DM answers, content
//! Meta marks unsupported, and the photos and videos of Page posts and comments.

use caredesk_domain::{Attachment, AttachmentKind};
use serde_json::Value;

use super::parse::{items, text, word};

/// The attachments of a DM's `message`: the story it answers first, then its own.
pub(super) fn messaging(msg: &Value) -> Vec<Attachment> {
    let mut out = Vec::new();
    if let Some(story) = msg.get("reply_to").and_then(|r| r.get("story")) {
        out.push(Attachment::at(
            AttachmentKind::StoryReply,
            text(story, "url"),
        ));
    }
    // Older Messenger payloads name a sticker on the message; newer ones on the attachment,
    // and while Meta moves to the `sticker` type one sticker comes as both an `image` and a
    // `sticker` attachment with the same `sticker_id`.
    let sticker_message = msg.get("sticker_id").is_some();
    let mut stickers = Vec::new();
    for attachment in items(msg, "attachments") {
        let payload = attachment.get("payload").unwrap_or(&Value::Null);
        let sticker = text(payload, "sticker_id");
        if let Some(id) = sticker.clone() {
            if stickers.contains(&id) {
                continue;
            }
            stickers.push(id);
        }
        out.push(one(
            attachment,
            payload,
            sticker.is_some() || sticker_message,
        ));
    }
    let unsupported = msg.get("is_unsupported").and_then(Value::as_bool) == Some(true);
    if unsupported && !out.iter().any(|a| a.kind == AttachmentKind::Unsupported) {
        out.push(Attachment::unsupported(None));
    }
    out
}

/// One DM attachment; `sticker` when Meta names a sticker for it.
fn one(attachment: &Value, payload: &Value, sticker: bool) -> Attachment {
    // Current payloads put the URL and title in `payload`; legacy fallbacks beside it.
    let url = text(payload, "url").or_else(|| text(attachment, "url"));
    let title = text(payload, "title").or_else(|| text(attachment, "title"));
    let kind = match word(attachment, "type") {
        "image" if sticker => AttachmentKind::Sticker,
        "image" => AttachmentKind::Image,
        "video" => AttachmentKind::Video,
        "audio" => AttachmentKind::Audio,
        "file" => AttachmentKind::File,
        "sticker" => AttachmentKind::Sticker,
        "story_mention" => AttachmentKind::StoryMention,
        "fallback" | "share" | "post" | "ig_post" | "reel" | "ig_reel" => {
            return titled(AttachmentKind::Share, url, title);
        }
        "location" => return location(payload, title, url),
        // `template`, `appointment_booking`, `ephemeral` and whatever comes next.
        _ => return titled(AttachmentKind::Unsupported, url, title),
    };
    Attachment::at(kind, url)
}

/// A shared link, post or reel with its title; without a URL there is nothing to open.
fn titled(kind: AttachmentKind, url: Option<String>, title: Option<String>) -> Attachment {
    let kind = if url.is_some() {
        kind
    } else {
        AttachmentKind::Unsupported
    };
    Attachment {
        title,
        ..Attachment::at(kind, url)
    }
}

/// A location from `payload.coordinates.lat/long`, titled as Meta titles it.
fn location(payload: &Value, title: Option<String>, url: Option<String>) -> Attachment {
    let coordinates = payload.get("coordinates").unwrap_or(&Value::Null);
    let lat = coordinates.get("lat").and_then(Value::as_f64);
    let long = coordinates.get("long").and_then(Value::as_f64);
    match (lat, long) {
        (Some(lat), Some(long)) => Attachment::location(lat, long, title),
        _ => titled(AttachmentKind::Unsupported, url, title),
    }
}

/// The photos and video of a Page post or comment of `item`: `photo`, `photos` and `video`,
/// and the `link` of a photo or video post (a shared post's link is a share).
pub(super) fn feed(item: &str, value: &Value) -> Vec<Attachment> {
    let mut found: Vec<(AttachmentKind, String)> = Vec::new();
    let photos = text(value, "photo")
        .into_iter()
        .chain(items(value, "photos").filter_map(|p| p.as_str().map(str::to_owned)));
    found.extend(photos.map(|url| (AttachmentKind::Image, url)));
    found.extend(text(value, "video").map(|url| (AttachmentKind::Video, url)));
    let link_kind = match item {
        "photo" => Some(AttachmentKind::Image),
        "video" => Some(AttachmentKind::Video),
        "share" => Some(AttachmentKind::Share),
        _ => None,
    };
    if let (Some(kind), Some(link)) = (link_kind, text(value, "link")) {
        found.push((kind, link));
    }
    let mut out: Vec<Attachment> = Vec::new();
    for (kind, url) in found {
        let seen = out.iter().any(|a| a.network_url.as_deref() == Some(&url));
        if !seen && !url.trim().is_empty() {
            out.push(Attachment::at(kind, Some(url)));
        }
    }
    out
}
