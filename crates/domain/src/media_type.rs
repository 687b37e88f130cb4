//! Which content types the desk shows inline (PRODUCT.md §11 "Media is kept"): pictures, video
//! and sound play in the page; everything else is served as a download, and nothing is ever
//! shown inline as HTML or SVG, whatever a network or an uploader announced.

/// The `type/subtype` of `mime`, lower-cased, without parameters; `None` when it is not one.
pub fn essence(mime: &str) -> Option<String> {
    let essence = mime
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/')?;
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    (token(kind) && token(subtype)).then_some(essence)
}

/// True when media of type `mime` may be served inline: `image/*`, `video/*` and `audio/*`,
/// except SVG (a picture that can carry scripts). Anything else, HTML above all, is a download.
pub fn inline_safe(mime: &str) -> bool {
    let Some(essence) = essence(mime) else {
        return false;
    };
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let svg = subtype == "svg" || subtype.starts_with("svg+") || subtype.ends_with("+xml");
    match kind {
        "image" => !svg,
        "video" | "audio" => !subtype.ends_with("+xml"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_video_and_sound_are_inline_and_nothing_else_is() {
        let table = [
            ("image/png", true),
            ("image/jpeg", true),
            ("IMAGE/GIF", true),
            ("image/webp; q=1", true),
            ("video/mp4", true),
            ("audio/mpeg", true),
            ("audio/ogg; codecs=opus", true),
            ("image/svg+xml", false),
            ("Image/SVG+XML; charset=utf-8", false),
            ("image/svg", false),
            ("text/html", false),
            ("text/html; charset=utf-8", false),
            ("application/xhtml+xml", false),
            ("text/plain", false),
            ("application/pdf", false),
            ("application/octet-stream", false),
            ("image/", false),
            ("image", false),
            ("", false),
            ("image/png<script>", false),
            ("image/png/x", false),
        ];
        for (mime, inline) in table {
            assert_eq!(inline_safe(mime), inline, "{mime:?}");
        }
    }

    #[test]
    fn the_essence_drops_parameters_and_case() {
        assert_eq!(
            essence(" Text/HTML ; charset=UTF-8").as_deref(),
            Some("text/html")
        );
        assert_eq!(essence("nonsense"), None);
    }
}
