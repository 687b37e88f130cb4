//! Webhook signatures, checked over the raw body in constant time before anything is parsed:
//! Meta's `X-Hub-Signature-256` (hex HMAC-SHA256 with the app secret), X's
//! `x-twitter-webhooks-signature` (base64 HMAC-SHA256 with the consumer secret), and X's CRC.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, body: &[u8]) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(body);
    Some(mac)
}

/// True when `header` (`sha256=<hex>`) is Meta's signature of `body` with `app_secret`.
pub fn meta_signature_valid(app_secret: &str, body: &[u8], header: &str) -> bool {
    let Some(given) = header
        .trim()
        .strip_prefix("sha256=")
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    mac(app_secret, body).is_some_and(|m| m.verify_slice(&given).is_ok())
}

/// True when `header` (`sha256=<base64>`) is X's signature of `body` with `consumer_secret`.
pub fn x_signature_valid(consumer_secret: &str, body: &[u8], header: &str) -> bool {
    let Some(given) = header
        .trim()
        .strip_prefix("sha256=")
        .and_then(|b| STANDARD.decode(b).ok())
    else {
        return false;
    };
    mac(consumer_secret, body).is_some_and(|m| m.verify_slice(&given).is_ok())
}

/// X's CRC answer: `sha256=<base64 HMAC-SHA256(consumer_secret, crc_token)>`.
pub fn x_crc_response(consumer_secret: &str, crc_token: &str) -> Option<String> {
    let digest = mac(consumer_secret, crc_token.as_bytes())?
        .finalize()
        .into_bytes();
    Some(format!("sha256={}", STANDARD.encode(digest)))
}

/// Meta's signature of `body` (for the fake servers and tests).
pub fn meta_sign(app_secret: &str, body: &[u8]) -> Option<String> {
    let digest = mac(app_secret, body)?.finalize().into_bytes();
    Some(format!("sha256={}", hex::encode(digest)))
}

/// X's signature of `body` (for the fake servers and tests).
pub fn x_sign(consumer_secret: &str, body: &[u8]) -> Option<String> {
    let digest = mac(consumer_secret, body)?.finalize().into_bytes();
    Some(format!("sha256={}", STANDARD.encode(digest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The vectors of wire-formats.md.
    const META_BODY: &[u8] = br#"{"object":"page","entry":[]}"#;
    const META_HEADER: &str =
        "sha256=5da47c9c7409e70d7a1851f0cfd9bc27786bd99587a9bf1dd5b51e23a2de03cf";
    const X_BODY: &[u8] = br#"{"for_user_id":"2244994945","tweet_delete_events":[]}"#;
    const X_HEADER: &str = "sha256=zeXnsaKYXJiIrTC65tOMCXcfyYhU2ajk2zBjXdl+eRw=";

    #[test]
    fn meta_signatures_match_the_published_vector() {
        assert!(meta_signature_valid(
            "test_app_secret",
            META_BODY,
            META_HEADER
        ));
        assert_eq!(
            meta_sign("test_app_secret", META_BODY).as_deref(),
            Some(META_HEADER)
        );
    }

    #[test]
    fn x_signatures_and_crc_match_the_published_vectors() {
        assert!(x_signature_valid("test_consumer_secret", X_BODY, X_HEADER));
        assert_eq!(
            x_sign("test_consumer_secret", X_BODY).as_deref(),
            Some(X_HEADER)
        );
        assert_eq!(
            x_crc_response("test_consumer_secret", "crc-token-123").as_deref(),
            Some("sha256=WTP6ckqLOLFsB+woMqoUFnbdaUQZslRlj+Df7hg+aVo=")
        );
    }

    #[test]
    fn wrong_secrets_bodies_and_headers_are_refused() {
        let table: [(&str, &[u8], &str); 6] = [
            ("other_secret", META_BODY, META_HEADER),
            (
                "test_app_secret",
                br#"{"object":"page","entry":[ ]}"#,
                META_HEADER,
            ),
            ("test_app_secret", META_BODY, ""),
            ("test_app_secret", META_BODY, "sha1=5da47c9c"),
            ("test_app_secret", META_BODY, "sha256=zz"),
            (
                "test_app_secret",
                META_BODY,
                "sha256=5da47c9c7409e70d7a1851f0cfd9bc27786bd99587a9bf1dd5b51e23a2de03",
            ),
        ];
        for (secret, body, header) in table {
            assert!(!meta_signature_valid(secret, body, header), "{header}");
        }
        assert!(!x_signature_valid(
            "test_consumer_secret",
            X_BODY,
            "sha256=not base64!"
        ));
        assert!(!x_signature_valid("wrong", X_BODY, X_HEADER));
    }
}
