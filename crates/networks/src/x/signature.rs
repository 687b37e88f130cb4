//! X's `x-twitter-webhooks-signature` (`sha256=<base64 HMAC-SHA256(consumer secret, raw
//! body)>`) and its CRC answer (the same over the `crc_token`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::signature::{digest, matches};

/// True when `header` (`sha256=<base64>`) is X's signature of `body` with `consumer_secret`.
pub fn valid(consumer_secret: &str, body: &[u8], header: &str) -> bool {
    let Some(given) = header
        .trim()
        .strip_prefix("sha256=")
        .and_then(|b| STANDARD.decode(b).ok())
    else {
        return false;
    };
    matches(consumer_secret, body, &given)
}

/// X's CRC answer: `sha256=<base64 HMAC-SHA256(consumer_secret, crc_token)>`.
pub fn crc_response(consumer_secret: &str, crc_token: &str) -> Option<String> {
    sign(consumer_secret, crc_token.as_bytes())
}

/// X's signature of `body` (for the fake servers and tests).
pub fn sign(consumer_secret: &str, body: &[u8]) -> Option<String> {
    Some(format!(
        "sha256={}",
        STANDARD.encode(digest(consumer_secret, body)?)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The vectors of wire-formats.md.
    const BODY: &[u8] = br#"{"for_user_id":"2244994945","tweet_delete_events":[]}"#;
    const HEADER: &str = "sha256=zeXnsaKYXJiIrTC65tOMCXcfyYhU2ajk2zBjXdl+eRw=";

    #[test]
    fn signatures_and_crc_match_the_published_vectors() {
        assert!(valid("test_consumer_secret", BODY, HEADER));
        assert_eq!(sign("test_consumer_secret", BODY).as_deref(), Some(HEADER));
        assert_eq!(
            crc_response("test_consumer_secret", "crc-token-123").as_deref(),
            Some("sha256=WTP6ckqLOLFsB+woMqoUFnbdaUQZslRlj+Df7hg+aVo=")
        );
    }

    #[test]
    fn wrong_secrets_and_headers_are_refused() {
        assert!(!valid("test_consumer_secret", BODY, "sha256=not base64!"));
        assert!(!valid("wrong", BODY, HEADER));
    }
}
