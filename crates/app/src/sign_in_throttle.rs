//! Sign-in throttling (PRODUCT.md §14): failed sign-ins are counted per account *from one
//! address* and per address, inside a window; a key at its maximum refuses further attempts
//! with `rate_limited` and the seconds until its oldest failure leaves the window. No count
//! spans addresses for one account, so failures from an attacker's address never refuse the
//! right password from another address: the attacker's address is what slows down.

use caredesk_domain::{Refusal, Timestamp};

use crate::error::AppResult;
use crate::App;

/// The throttling key of an account signed in to from one address: its e-mail as sign-in
/// matches it, and the address.
pub(crate) fn account_key(email: &str, address: &str) -> String {
    format!(
        "account:{}|from:{}",
        email.trim().to_lowercase(),
        address.trim()
    )
}

/// The throttling key of a client address.
pub(crate) fn address_key(address: &str) -> String {
    format!("address:{}", address.trim())
}

/// Whole seconds from `now` until `instant`, rounded up, at least one.
fn secs_until(instant: Timestamp, now: Timestamp) -> i64 {
    let micros = instant.0.saturating_sub(now.0);
    micros.saturating_add(999_999).div_euclid(1_000_000).max(1)
}

impl App {
    /// `rate_limited` when any key has reached its maximum of failures inside the window,
    /// with the seconds until the oldest of them leaves it (the longest wait over the keys).
    pub(crate) async fn refuse_when_throttled(
        &self,
        limits: &[(&str, i64)],
        now: Timestamp,
    ) -> AppResult<()> {
        let window = self.auth.failure_window_secs;
        // A failure counts for exactly `window` seconds: one made at `now - window` is out.
        let since = Timestamp(now.plus_secs(-window).0.saturating_add(1));
        let mut retry_after_secs = None;
        for (key, max) in limits {
            if self.store.login_failures_since(key, since).await? < *max {
                continue;
            }
            let wait = match self.store.oldest_login_failure_since(key, since).await? {
                Some(oldest) => secs_until(oldest.plus_secs(window), now),
                None => window.max(1),
            };
            retry_after_secs = Some(retry_after_secs.map_or(wait, |w: i64| w.max(wait)));
        }
        match retry_after_secs {
            Some(retry_after_secs) => Err(Refusal::RateLimited { retry_after_secs }.into()),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_keys_name_the_account_from_an_address_and_the_address() {
        assert_eq!(
            account_key("  Ann@Example.COM ", "192.0.2.7"),
            "account:ann@example.com|from:192.0.2.7"
        );
        assert_ne!(
            account_key("ann@example.com", "192.0.2.7"),
            account_key("ann@example.com", "192.0.2.8")
        );
        assert_eq!(address_key("192.0.2.7"), "address:192.0.2.7");
    }

    #[test]
    fn waits_round_up_to_whole_seconds() {
        let now = Timestamp::from_secs(1_000);
        let cases = [
            (Timestamp::from_secs(1_900), 900),
            (Timestamp(Timestamp::from_secs(1_010).0 + 1), 11),
            (Timestamp(now.0 + 1), 1),
            (now, 1),
            (Timestamp::from_secs(10), 1),
        ];
        for (instant, secs) in cases {
            assert_eq!(secs_until(instant, now), secs, "until {instant:?}");
        }
    }
}
