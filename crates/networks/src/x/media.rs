//! X media into the desk's attachments (PRODUCT.md §11): the photos, video and animated GIF of a
//! post (`extended_entities.media`, else `entities.media`) or of a DM
//! (`message_data.attachment.media`), the quoted post of a quote post as a share, and the
//! post's text without the t.co links of its media.

use caredesk_domain::{Attachment, AttachmentKind};
use serde_json::Value;

use super::parse::text;

/// The media objects of a post, or of the `extended_tweet` of a long one.
pub(super) fn of_post(post: &Value) -> Vec<&Value> {
    let source = post.get("extended_tweet").unwrap_or(post);
    let list = |entities: &str| {
        source
            .get(entities)
            .and_then(|e| e.get("media"))
            .and_then(Value::as_array)
            .filter(|m| !m.is_empty())
    };
    list("extended_entities")
        .or_else(|| list("entities"))
        .map(|m| m.iter().collect())
        .unwrap_or_default()
}

/// The attachment of one media object: a photo as an image, a video as its best mp4, an
/// animated GIF as its mp4, with the still as the preview.
pub(super) fn attachment(media: &Value) -> Attachment {
    let still = text(media, "media_url_https");
    let kind = match media.get("type").and_then(Value::as_str) {
        Some("photo") => return Attachment::at(AttachmentKind::Image, still),
        Some("video") => AttachmentKind::Video,
        Some("animated_gif") => AttachmentKind::Gif,
        _ => return Attachment::unsupported(text(media, "expanded_url").or(still)),
    };
    match best_mp4(media) {
        Some((url, mime)) => Attachment {
            mime: Some(mime),
            preview_url: still,
            ..Attachment::at(kind, Some(url))
        },
        None => Attachment::unsupported(text(media, "expanded_url").or(still)),
    }
}

/// The `video/mp4` variant with the highest bitrate (GIFs have one, at bitrate 0).
fn best_mp4(media: &Value) -> Option<(String, String)> {
    let variants = media
        .get("video_info")
        .and_then(|v| v.get("variants"))
        .and_then(Value::as_array)?;
    let bitrate = |v: &Value| {
        text(v, "bitrate")
            .and_then(|b| b.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let mut best: Option<&Value> = None;
    for variant in variants {
        let mp4 = variant.get("content_type").and_then(Value::as_str) == Some("video/mp4");
        if mp4
            && text(variant, "url").is_some()
            && best.is_none_or(|b| bitrate(variant) > bitrate(b))
        {
            best = Some(variant);
        }
    }
    let best = best?;
    Some((text(best, "url")?, text(best, "content_type")?))
}

/// `body` without the t.co links of `media`, trimmed.
pub(super) fn without_links(body: &str, media: &[&Value]) -> String {
    let mut body = body.to_owned();
    for link in media.iter().filter_map(|m| text(m, "url")) {
        if !link.is_empty() {
            body = body.replace(&link, "");
        }
    }
    body.trim().to_owned()
}

/// A quote post's quoted post, as a share of its URL titled with its text.
pub(super) fn quoted(post: &Value) -> Option<Attachment> {
    let quoted = post.get("quoted_status")?;
    let id = text(quoted, "id_str").or_else(|| text(quoted, "id"))?;
    let screen_name = quoted.get("user").and_then(|u| text(u, "screen_name"))?;
    let title = quoted
        .get("extended_tweet")
        .and_then(|e| text(e, "full_text"))
        .or_else(|| text(quoted, "text"));
    Some(Attachment {
        title,
        ..Attachment::at(
            AttachmentKind::Share,
            Some(format!("https://x.com/{screen_name}/status/{id}")),
        )
    })
}
