//! Media keys: relative paths the desk makes (`ab/cd/123-photo.jpg`), checked before they reach
//! a store so that no key climbs out of its directory or prefix, and every store (a file system
//! or S3) can hold every key the same way.

use caredesk_app::media::MediaError;

/// The longest key, in bytes (S3's limit, prefix aside).
pub const MAX_KEY_LEN: usize = 1024;

/// The bytes a key's segments may hold besides ASCII letters and digits. Nothing a file system
/// or a URL treats specially (`/` only separates segments; no `\`, `#`, `%`, `?`, spaces or
/// quotes).
const ALLOWED: &[u8] = b"-_.~+=,@";

/// `Ok` when `key` is a media key: not empty, at most [`MAX_KEY_LEN`] bytes, relative (no leading
/// `/`), segments separated by single `/`s, none of them empty, `.` or `..`, and every byte an
/// ASCII letter, digit or one of `-_.~+=,@`. Otherwise [`MediaError::BadKey`] saying why.
pub fn check_key(key: &str) -> Result<(), MediaError> {
    let bad = |why: &str| Err(MediaError::BadKey(format!("{key:?}: {why}")));
    if key.is_empty() {
        return bad("empty");
    }
    if key.len() > MAX_KEY_LEN {
        return bad("longer than 1024 bytes");
    }
    if key.starts_with('/') {
        return bad("absolute");
    }
    for segment in key.split('/') {
        match segment {
            "" => return bad("has an empty segment"),
            "." | ".." => return bad("has a . or .. segment"),
            _ => {}
        }
        if let Some(b) = segment
            .bytes()
            .find(|b| !b.is_ascii_alphanumeric() && !ALLOWED.contains(b))
        {
            return bad(&format!("holds the byte 0x{b:02x}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_the_desk_makes_pass_and_others_are_refused() {
        let long = "a".repeat(MAX_KEY_LEN + 1);
        let table: &[(&str, bool)] = &[
            ("ab/cd/123-photo.jpg", true),
            ("avatar/x/2244994945_v2.png", true),
            ("a", true),
            ("a.b~c+d=e,f@g", true),
            ("...", true),
            ("", false),
            ("/etc/passwd", false),
            ("../up", false),
            ("a/../b", false),
            ("a/./b", false),
            ("a//b", false),
            ("a/", false),
            ("a\\b", false),
            ("a b", false),
            ("a#1", false),
            ("a%2e", false),
            ("a?b", false),
            ("caf\u{e9}", false),
            ("a\nb", false),
            ("a\0b", false),
            (&long, false),
        ];
        for (key, ok) in table {
            assert_eq!(check_key(key).is_ok(), *ok, "{key:?}");
        }
        assert!(check_key(&"a".repeat(MAX_KEY_LEN)).is_ok());
    }
}
