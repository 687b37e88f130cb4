//! Sign-in sessions: logging in (throttled per account from one address, and per address),
//! turning a bearer token back into a signed-in user, and logging out.
//!
//! This module owns the session tokens. They are made here from the operating system's
//! randomness, handed to the caller once, and stored only as their SHA-256, so a copy of the
//! database signs nobody in. Every way a sign-in can fail (unknown e-mail, wrong password,
//! deactivated user) answers the same `unauthenticated` after the same argon2 work, and records
//! one failure for the account from that address and one for the address; a throttled caller is
//! refused before the password is looked at and nothing is recorded for it (the counting is
//! `sign_in_throttle`'s).

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use caredesk_domain::{Event, Refusal, User};
use caredesk_store::NewSession;
use sha2::{Digest, Sha256};

use crate::error::AppResult;
use crate::password::verify_password_off_thread;
use crate::sign_in_throttle::{account_key, address_key};
use crate::App;

/// How sessions expire and how sign-in attempts are throttled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthConfig {
    /// A session unused for this long is over (default 8 hours).
    pub session_idle_secs: i64,
    /// Failed sign-ins count for this long (default 15 minutes).
    pub failure_window_secs: i64,
    /// Failed sign-ins of one account from one address inside the window before that account
    /// is throttled from that address (default 10).
    pub max_failures_per_account_from_address: i64,
    /// Failed sign-ins from one address inside the window before it is throttled (default 50).
    pub max_failures_per_address: i64,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            session_idle_secs: 8 * 3_600,
            failure_window_secs: 900,
            max_failures_per_account_from_address: 10,
            max_failures_per_address: 50,
        }
    }
}

/// A successful sign-in: the bearer token (shown once, never stored) and the CSRF token.
#[derive(Clone)]
pub struct LoginOutcome {
    /// The bearer token (`Authorization: Bearer …` or the session cookie).
    pub token: String,
    /// The token cookie-authenticated unsafe requests must carry.
    pub csrf_token: String,
    /// Who signed in.
    pub user: User,
}

impl std::fmt::Debug for LoginOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginOutcome")
            .field("token", &REDACTED)
            .field("csrf_token", &REDACTED)
            .field("user", &self.user)
            .finish()
    }
}

/// A live session: who is signed in.
#[derive(Clone)]
pub struct Session {
    /// The session's id.
    pub id: i64,
    /// The signed-in user (active).
    pub user: User,
    /// The token cookie-authenticated unsafe requests must carry.
    pub csrf_token: String,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("user", &self.user)
            .field("csrf_token", &REDACTED)
            .finish()
    }
}

const REDACTED: &str = "<redacted>";

/// Random bytes in a bearer or CSRF token.
const TOKEN_BYTES: usize = 32;

/// `last_seen_at` moves at most this often, so a busy session does not write on every request.
const TOUCH_INTERVAL_SECS: i64 = 60;

/// An argon2id hash with the parameters of [`crate::password::hash_password`], of a password
/// nobody has: checked against when the e-mail is unknown, so the answer takes as long as for a
/// known one.
const UNKNOWN_ACCOUNT_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$M310w873qOCssmNjzfoKSw$nknfExtYtVvX9iDK707pRj6CaOFFmiT212r7ohTdQ8s";

/// A fresh random token: 32 bytes from the OS, base64url without padding (43 characters).
fn random_token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The lowercase hex SHA-256 of a bearer token: what the store keeps and looks up.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl App {
    /// Uses `config` for sessions and sign-in throttling instead of the defaults.
    pub fn with_auth(mut self, config: AuthConfig) -> Self {
        self.auth = config;
        self
    }

    /// The session and throttling settings in force.
    pub fn auth_config(&self) -> AuthConfig {
        self.auth
    }

    /// Signs a user in from `address` (the client's IP). An address throttled, or an account
    /// throttled from this address, answers
    /// `rate_limited` before the password is checked; a wrong e-mail or password, or a
    /// deactivated user, answers `unauthenticated` and records the failure; success opens a
    /// session and records `signed_in`.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        address: &str,
    ) -> AppResult<LoginOutcome> {
        let now = self.now();
        let account = account_key(email, address);
        let address = address_key(address);
        self.refuse_when_throttled(
            &[
                (&account, self.auth.max_failures_per_account_from_address),
                (&address, self.auth.max_failures_per_address),
            ],
            now,
        )
        .await?;

        let credentials = self.store.credentials(email).await?;
        let hash = credentials
            .as_ref()
            .map_or(UNKNOWN_ACCOUNT_HASH, |c| c.password_hash.as_str())
            .to_owned();
        let password_matches = verify_password_off_thread(password.to_owned(), hash).await?;
        let user = match credentials {
            Some(c) if password_matches && c.user.active => c.user,
            _ => {
                let mut tx = self.store.begin().await?;
                tx.record_login_failure(&account, now).await?;
                tx.record_login_failure(&address, now).await?;
                tx.commit().await?;
                return Err(Refusal::Unauthenticated.into());
            }
        };

        let token = random_token();
        let csrf_token = random_token();
        let mut tx = self.store.begin().await?;
        tx.clear_login_failures(&account).await?;
        tx.insert_session(&NewSession {
            user_id: user.id,
            token_hash: token_hash(&token),
            csrf_token: csrf_token.clone(),
            at: now,
        })
        .await?;
        tx.insert_events(&[Event::admin(Some(user.id), now, "signed_in", user.id)])
            .await?;
        tx.commit().await?;
        Ok(LoginOutcome {
            token,
            csrf_token,
            user,
        })
    }

    /// The session a bearer token opens. A missing, revoked or idle-expired session, or a
    /// deactivated user, answers `unauthenticated`. Marks the session used (at most once a
    /// minute).
    pub async fn authenticate(&self, token: &str) -> AppResult<Session> {
        let now = self.now();
        let stored = self
            .store
            .session(&token_hash(token))
            .await?
            .filter(|s| !s.revoked)
            .filter(|s| now < s.last_seen_at.plus_secs(self.auth.session_idle_secs))
            .ok_or(Refusal::Unauthenticated)?;
        let user = self
            .store
            .user(stored.user_id)
            .await?
            .filter(|u| u.active)
            .ok_or(Refusal::Unauthenticated)?;
        if now >= stored.last_seen_at.plus_secs(TOUCH_INTERVAL_SECS) {
            let mut tx = self.store.begin().await?;
            tx.touch_session(stored.id, now).await?;
            tx.commit().await?;
        }
        Ok(Session {
            id: stored.id,
            user,
            csrf_token: stored.csrf_token,
        })
    }

    /// Signs out: revokes the token's session. Unknown or already revoked tokens are fine.
    pub async fn logout(&self, token: &str) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        tx.revoke_session(&token_hash(token), self.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordHash;

    use crate::password::{hash_password, verify_password};

    /// Handlers hold these futures across threads: this only has to compile.
    #[allow(dead_code)]
    fn sign_in_futures_are_send(app: &App) {
        fn send<T: Send>(_: T) {}
        send(app.login("", "", ""));
        send(app.authenticate(""));
        send(app.logout(""));
    }

    #[test]
    fn tokens_are_43_base64url_characters_and_never_repeat() {
        let tokens: Vec<String> = (0..50).map(|_| random_token()).collect();
        for token in &tokens {
            assert_eq!(token.len(), 43, "32 bytes in base64url without padding");
            assert!(
                token
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{token} is base64url"
            );
            assert_eq!(
                URL_SAFE_NO_PAD.decode(token).map(|b| b.len()).ok(),
                Some(32)
            );
        }
        let distinct: std::collections::BTreeSet<&String> = tokens.iter().collect();
        assert_eq!(distinct.len(), tokens.len());
    }

    #[test]
    fn token_hash_is_the_hex_sha256() {
        let cases = [
            (
                "",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                "abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
        ];
        for (token, hex) in cases {
            assert_eq!(token_hash(token), hex, "sha256({token:?})");
        }
        assert_ne!(token_hash("a"), token_hash("A"));
    }

    #[test]
    fn defaults_are_eight_idle_hours_and_ten_or_fifty_failures_in_fifteen_minutes() {
        let config = AuthConfig::default();
        assert_eq!(config.session_idle_secs, 28_800);
        assert_eq!(config.failure_window_secs, 900);
        assert_eq!(config.max_failures_per_account_from_address, 10);
        assert_eq!(config.max_failures_per_address, 50);
    }

    #[test]
    fn the_unknown_account_hash_costs_what_a_real_one_does() {
        let dummy = PasswordHash::new(UNKNOWN_ACCOUNT_HASH).expect("a valid PHC string");
        let fresh_text = hash_password("some password here").expect("hash");
        let fresh = PasswordHash::new(&fresh_text).expect("valid");
        assert_eq!(dummy.algorithm, fresh.algorithm);
        assert_eq!(dummy.version, fresh.version);
        assert_eq!(dummy.params, fresh.params, "same memory, time and lanes");
        assert!(!verify_password(
            "a long enough password",
            UNKNOWN_ACCOUNT_HASH
        ));
        assert!(!verify_password("", UNKNOWN_ACCOUNT_HASH));
    }

    #[test]
    fn debug_output_hides_the_secrets() {
        let user = User {
            id: caredesk_domain::UserId(7),
            email: "ann@example.com".into(),
            name: "Ann".into(),
            role: caredesk_domain::Role::Member,
            care_access: caredesk_domain::CareAccess::Agent,
            capacity: 5,
            active: true,
            profile_ids: Default::default(),
            time_zone: None,
        };
        let outcome = LoginOutcome {
            token: "secret-token-value".into(),
            csrf_token: "secret-csrf-value".into(),
            user: user.clone(),
        };
        let session = Session {
            id: 1,
            user,
            csrf_token: "secret-csrf-value".into(),
        };
        for shown in [format!("{outcome:?}"), format!("{session:?}")] {
            assert!(!shown.contains("secret-"), "{shown}");
            assert!(shown.contains(REDACTED) && shown.contains("Ann"), "{shown}");
        }
    }
}
