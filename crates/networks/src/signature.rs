//! HMAC-SHA256, the primitive of every network's webhook signature, checked over the raw body in
//! constant time before anything is parsed. How a network writes its signature (hex or base64,
//! which header) belongs to its adapter; the functions of each are re-exported here under the
//! names the fakes and tests sign and check with.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub use crate::meta::signature::{sign as meta_sign, valid as meta_signature_valid};
pub use crate::x::signature::{
    crc_response as x_crc_response, sign as x_sign, valid as x_signature_valid,
};

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, body: &[u8]) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(body);
    Some(mac)
}

/// HMAC-SHA256 of `body` with `secret`.
pub(crate) fn digest(secret: &str, body: &[u8]) -> Option<Vec<u8>> {
    Some(mac(secret, body)?.finalize().into_bytes().to_vec())
}

/// Whether a token a caller sent is the one configured, compared in constant time (a
/// difference in length alone answers at once).
pub(crate) fn same_token(configured: &str, given: &str) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(configured.as_bytes().ct_eq(given.as_bytes()))
}

/// Whether `given` is HMAC-SHA256 of `body` with `secret`, compared in constant time.
pub(crate) fn matches(secret: &str, body: &[u8], given: &[u8]) -> bool {
    mac(secret, body).is_some_and(|m| m.verify_slice(given).is_ok())
}

#[cfg(test)]
mod token_tests {
    use super::same_token;

    #[test]
    fn a_token_matches_itself_only() {
        let table = [
            ("s3cret", "s3cret", true),
            ("s3cret", "s3cre", false),
            ("s3cret", "s3cret!", false),
            ("s3cret", "S3cret", false),
            ("s3cret", "", false),
        ];
        for (configured, given, same) in table {
            assert_eq!(same_token(configured, given), same, "{given:?}");
        }
    }
}
