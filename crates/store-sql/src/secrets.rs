//! Secrets at rest (PRODUCT.md §14): network app secrets and verify tokens, profile tokens and
//! Salesforce credentials are sealed with XChaCha20-Poly1305 before they reach a statement and
//! opened after a row is read, so the database holds none of their bytes. A sealed value reads
//! `sealed:v1:<key id>:<base64url of nonce and ciphertext>`; the key id (8 hex digits of a hash
//! of the key, never the key) says which key opens it, so a rotation can open under the old key
//! and seal under the new one, and a wrong key is named as such instead of failing as garbage.
//! Each value is bound to its column (the associated data), so one cannot be moved to another.
//! A value without the prefix is a plain one from before sealing existed: it is read as it is
//! and sealed by [`crate::SqlStore::seal_secrets`] at start.

use std::sync::Arc;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use caredesk_store::StoreError;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

/// What every sealed value starts with.
const PREFIX: &str = "sealed:v1:";
/// Bytes of an XChaCha20 nonce.
const NONCE_BYTES: usize = 24;

/// A 256-bit key. Its `Debug` shows only its id.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    /// A new key from the operating system's randomness.
    pub fn generate() -> SecretKey {
        SecretKey(XChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    /// Reads a key written as 64 hex digits or as base64 (standard or URL-safe, padded or
    /// not) of 32 bytes; surrounding whitespace is ignored.
    pub fn from_text(text: &str) -> Result<SecretKey, String> {
        let text = text.trim();
        let bytes = hex::decode(text)
            .ok()
            .or_else(|| STANDARD.decode(text).ok())
            .or_else(|| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok())
            .ok_or("a secret key is 32 bytes written as 64 hex digits or as base64")?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            "a secret key is exactly 32 bytes (64 hex digits, 44 base64 characters)"
        })?;
        Ok(SecretKey(key))
    }

    /// The key as base64, to keep in a key file or an environment variable.
    pub fn to_text(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Eight hex digits naming the key in sealed values and messages; they reveal nothing of
    /// the key.
    pub fn id(&self) -> String {
        let digest = Sha256::new()
            .chain_update(b"caredesk secret key id\0")
            .chain_update(self.0)
            .finalize();
        hex::encode(&digest[..4])
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({})", self.id())
    }
}

struct Keyed {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl Keyed {
    fn new(key: &SecretKey) -> Keyed {
        Keyed {
            id: key.id(),
            cipher: XChaCha20Poly1305::new(&key.0.into()),
        }
    }
}

/// The keys a store seals and opens secrets with: one that seals, and any older ones that
/// still open (during a rotation).
#[derive(Clone)]
pub struct Secrets {
    sealing: Arc<Keyed>,
    opening: Vec<Arc<Keyed>>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("sealing", &self.sealing.id)
            .finish_non_exhaustive()
    }
}

impl Secrets {
    /// Seals and opens with `key`.
    pub fn new(key: &SecretKey) -> Secrets {
        Secrets {
            sealing: Arc::new(Keyed::new(key)),
            opening: Vec::new(),
        }
    }

    /// A key made up for this process alone: for databases that live no longer than it
    /// (tests, in memory).
    pub fn ephemeral() -> Secrets {
        Secrets::new(&SecretKey::generate())
    }

    /// Also opens values sealed under `older` (they are sealed again under the sealing key by
    /// [`crate::SqlStore::seal_secrets`]).
    pub fn also_opening(mut self, older: &SecretKey) -> Secrets {
        self.opening.push(Arc::new(Keyed::new(older)));
        self
    }

    /// The id of the key that seals.
    pub fn sealing_key_id(&self) -> &str {
        &self.sealing.id
    }

    /// `plain` sealed for the column `place` (`table.column`).
    pub fn seal(&self, place: &str, plain: &str) -> Result<String, StoreError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .sealing
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: place.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Other(format!("cannot seal {place}")))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!(
            "{PREFIX}{}:{}",
            self.sealing.id,
            URL_SAFE_NO_PAD.encode(bytes)
        ))
    }

    /// An optional value sealed (`None` stays `None`).
    pub fn seal_opt(&self, place: &str, plain: Option<&str>) -> Result<Option<String>, StoreError> {
        plain.map(|p| self.seal(place, p)).transpose()
    }

    /// The plain value of what the column `place` holds: opened when sealed, as it is when
    /// plain (from before sealing). A value sealed under a key this store lacks, or altered, is
    /// an error naming the column and the key, never the value.
    pub fn open(&self, place: &str, stored: &str) -> Result<String, StoreError> {
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_owned());
        };
        let (key_id, body) = rest
            .split_once(':')
            .ok_or_else(|| StoreError::Other(format!("{place} holds a damaged sealed value")))?;
        let keyed = std::iter::once(&self.sealing)
            .chain(self.opening.iter())
            .find(|k| k.id == key_id)
            .ok_or_else(|| {
                StoreError::Other(format!(
                    "{place} was sealed under secret key {key_id}, but this server has key {}: \
                     set CAREDESK_SECRET_KEY (or the key file) to the key the database was sealed with",
                    self.sealing.id
                ))
            })?;
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .ok()
            .filter(|b| b.len() >= NONCE_BYTES)
            .ok_or_else(|| StoreError::Other(format!("{place} holds a damaged sealed value")))?;
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let plain = keyed
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: place.as_bytes(),
                },
            )
            .map_err(|_| {
                StoreError::Other(format!(
                    "{place} does not open under key {key_id}: the value was altered or moved"
                ))
            })?;
        String::from_utf8(plain)
            .map_err(|_| StoreError::Other(format!("{place} opened to bytes that are not text")))
    }

    /// An optional stored value opened.
    pub fn open_opt(
        &self,
        place: &str,
        stored: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        stored.map(|s| self.open(place, s)).transpose()
    }

    /// Whether `stored` is sealed under the sealing key already.
    pub fn sealed_by_current_key(&self, stored: &str) -> bool {
        stored
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .is_some_and(|(key_id, _)| key_id == self.sealing.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_in_its_column_under_its_key() {
        let key = SecretKey::generate();
        let secrets = Secrets::new(&key);
        let sealed = secrets
            .seal("profiles.access_token", "EAAB-page-token")
            .expect("seals");
        assert!(
            sealed.starts_with(&format!("sealed:v1:{}:", key.id())),
            "{sealed}"
        );
        assert!(!sealed.contains("EAAB-page-token"));
        assert_ne!(
            sealed,
            secrets
                .seal("profiles.access_token", "EAAB-page-token")
                .expect("seals"),
            "a fresh nonce each time"
        );
        assert_eq!(
            secrets
                .open("profiles.access_token", &sealed)
                .expect("opens"),
            "EAAB-page-token"
        );
        assert!(
            secrets.open("profiles.token_secret", &sealed).is_err(),
            "moved"
        );
        let other = Secrets::new(&SecretKey::generate());
        let refused = other
            .open("profiles.access_token", &sealed)
            .expect_err("wrong key");
        assert!(refused.to_string().contains(&key.id()), "{refused}");
        assert!(!refused.to_string().contains("EAAB"), "{refused}");
        let mut altered = sealed.clone();
        altered.pop();
        altered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(secrets.open("profiles.access_token", &altered).is_err());
    }

    #[test]
    fn plain_values_from_before_read_as_they_are() {
        let secrets = Secrets::ephemeral();
        assert_eq!(
            secrets
                .open("network_apps.app_secret", "s3cret")
                .expect("plain"),
            "s3cret"
        );
        assert_eq!(
            secrets.open("network_apps.app_secret", "").expect("plain"),
            ""
        );
        assert!(!secrets.sealed_by_current_key("s3cret"));
    }

    #[test]
    fn a_rotation_opens_the_old_key_and_seals_under_the_new() {
        let old = SecretKey::generate();
        let new = SecretKey::generate();
        let sealed_old = Secrets::new(&old).seal("x.y", "value").expect("seals");
        let rotating = Secrets::new(&new).also_opening(&old);
        assert_eq!(rotating.open("x.y", &sealed_old).expect("opens"), "value");
        assert!(!rotating.sealed_by_current_key(&sealed_old));
        let sealed_new = rotating.seal("x.y", "value").expect("seals");
        assert!(rotating.sealed_by_current_key(&sealed_new));
        assert!(Secrets::new(&old).open("x.y", &sealed_new).is_err());
    }

    #[test]
    fn keys_read_from_hex_or_base64_and_never_show_themselves() {
        let key = SecretKey::generate();
        let text = key.to_text();
        assert_eq!(SecretKey::from_text(&text).expect("base64").id(), key.id());
        assert_eq!(
            SecretKey::from_text(&format!(" {} \n", hex::encode(key.0)))
                .expect("hex")
                .id(),
            key.id()
        );
        for bad in ["", "short", "00ff", &"a".repeat(65)] {
            assert!(SecretKey::from_text(bad).is_err(), "{bad}");
        }
        let shown = format!("{key:?} {:?}", Secrets::new(&key));
        assert!(
            !shown.contains(&text) && !shown.contains(&hex::encode(key.0)),
            "{shown}"
        );
        assert!(shown.contains(&key.id()));
    }
}
