//! Meta's `X-Hub-Signature-256`: `sha256=<lowercase hex HMAC-SHA256(app secret, raw body)>`.

use crate::signature::{digest, matches};

/// True when `header` (`sha256=<hex>`) is Meta's signature of `body` with `app_secret`.
pub fn valid(app_secret: &str, body: &[u8], header: &str) -> bool {
    let Some(given) = header
        .trim()
        .strip_prefix("sha256=")
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    matches(app_secret, body, &given)
}

/// Meta's signature of `body` (for the fake servers and tests).
pub fn sign(app_secret: &str, body: &[u8]) -> Option<String> {
    Some(format!("sha256={}", hex::encode(digest(app_secret, body)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The vector of wire-formats.md.
    const BODY: &[u8] = br#"{"object":"page","entry":[]}"#;
    const HEADER: &str = "sha256=5da47c9c7409e70d7a1851f0cfd9bc27786bd99587a9bf1dd5b51e23a2de03cf";

    #[test]
    fn signatures_match_the_published_vector() {
        assert!(valid("test_app_secret", BODY, HEADER));
        assert_eq!(sign("test_app_secret", BODY).as_deref(), Some(HEADER));
    }

    #[test]
    fn wrong_secrets_bodies_and_headers_are_refused() {
        let table: [(&str, &[u8], &str); 6] = [
            ("other_secret", BODY, HEADER),
            (
                "test_app_secret",
                br#"{"object":"page","entry":[ ]}"#,
                HEADER,
            ),
            ("test_app_secret", BODY, ""),
            ("test_app_secret", BODY, "sha1=5da47c9c"),
            ("test_app_secret", BODY, "sha256=zz"),
            (
                "test_app_secret",
                BODY,
                "sha256=5da47c9c7409e70d7a1851f0cfd9bc27786bd99587a9bf1dd5b51e23a2de03",
            ),
        ];
        for (secret, body, header) in table {
            assert!(!valid(secret, body, header), "{header}");
        }
    }
}
