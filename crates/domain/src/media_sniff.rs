//! What a download is, by its content: the desk types media by their bytes, not by what the
//! network or an uploader announced, so that HTML or SVG announced as a picture is never shown
//! as one.

use crate::media_type::essence;

/// The type of anything whose bytes say nothing and whose announcement says nothing usable.
pub const UNKNOWN: &str = "application/octet-stream";

/// The content type of `bytes`: what their signature says (PNG, JPEG, MP4, PDF, HTML, …) when
/// it says anything, else the `announced` type (lower-cased, without parameters) when it is a
/// well-formed one, else `application/octet-stream`.
pub fn media_type(bytes: &[u8], announced: Option<&str>) -> String {
    if let Some(kind) = infer::get(bytes) {
        return kind.mime_type().to_owned();
    }
    if looks_like_svg(bytes) {
        return "image/svg+xml".to_owned();
    }
    announced
        .and_then(essence)
        .unwrap_or_else(|| UNKNOWN.to_owned())
}

/// True when the start of `bytes` is markup that opens an `<svg` element (an SVG without an XML
/// declaration, which signatures miss).
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let Some(start) = text.iter().position(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    text[start] == b'<' && text.windows(4).any(|w| w.eq_ignore_ascii_case(b"<svg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0";

    #[test]
    fn the_bytes_decide_before_the_announcement() {
        let table: &[(&[u8], Option<&str>, &str)] = &[
            (PNG, Some("text/html"), "image/png"),
            (PNG, None, "image/png"),
            (JPEG, Some("image/png"), "image/jpeg"),
            (
                b"<!DOCTYPE html><html><script>x()</script>",
                Some("image/png"),
                "text/html",
            ),
            (
                b"<?xml version=\"1.0\"?><svg/>",
                Some("image/png"),
                "text/xml",
            ),
            (
                b"  <svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                Some("image/png"),
                "image/svg+xml",
            ),
            (
                b"%PDF-1.7\n",
                Some("application/octet-stream"),
                "application/pdf",
            ),
            (b"hello", Some("Text/Plain; charset=UTF-8"), "text/plain"),
            (b"hello", Some("not a type"), UNKNOWN),
            (b"hello", None, UNKNOWN),
            (b"", None, UNKNOWN),
        ];
        for (bytes, announced, expected) in table {
            assert_eq!(media_type(bytes, *announced), *expected, "{announced:?}");
        }
    }
}
