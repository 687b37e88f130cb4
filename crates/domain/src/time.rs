//! Instants as microseconds since the Unix epoch, UTC.
//!
//! Stored as a 64-bit integer in every backend so that ordering, keyset cursors and comparisons
//! are exact and identical in SQLite and PostgreSQL; shown as RFC 3339 at the edges.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

const MICROS_PER_SEC: i64 = 1_000_000;

/// RFC 3339 in UTC with exactly six fractional digits, so that text order is time order.
const RFC3339_MICROS: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// 9999-12-31T23:59:59Z, the last second RFC 3339 writes, in seconds since the epoch.
const LATEST_SECS: i64 = 253_402_300_799;

/// An instant, in microseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Builds an instant from whole seconds since the epoch.
    pub fn from_secs(secs: i64) -> Self {
        Timestamp(secs.saturating_mul(MICROS_PER_SEC))
    }

    /// A time a network sent, in seconds since the epoch, when it is one RFC 3339 writes
    /// (1970 to the end of 9999); anything else (`2^62` seconds, a negative time) is `None`, as
    /// if the network had sent none.
    pub fn from_network_secs(secs: i64) -> Option<Self> {
        (0..=LATEST_SECS)
            .contains(&secs)
            .then(|| Timestamp::from_secs(secs))
    }

    /// The same, for a time in milliseconds.
    pub fn from_network_millis(ms: i64) -> Option<Self> {
        (0..=LATEST_SECS.saturating_mul(1_000))
            .contains(&ms)
            .then(|| Timestamp(ms.saturating_mul(1_000)))
    }

    /// Whole seconds since the epoch (rounded towards negative infinity).
    pub fn as_secs(self) -> i64 {
        self.0.div_euclid(MICROS_PER_SEC)
    }

    /// This instant moved by `secs` seconds (negative moves back).
    pub fn plus_secs(self, secs: i64) -> Self {
        Timestamp(self.0.saturating_add(secs.saturating_mul(MICROS_PER_SEC)))
    }

    /// Whole seconds from `earlier` to `self` (negative when `earlier` is later).
    pub fn secs_since(self, earlier: Timestamp) -> i64 {
        (self.0 - earlier.0).div_euclid(MICROS_PER_SEC)
    }

    /// The UTC calendar date, as days since the epoch (for per-day figures).
    pub fn day_number(self) -> i64 {
        self.as_secs().div_euclid(86_400)
    }

    /// RFC 3339 in UTC, always with six fractional digits, e.g. `2026-11-24T08:05:00.120000Z`.
    pub fn to_rfc3339(self) -> String {
        let nanos = i128::from(self.0) * 1_000;
        OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .ok()
            .and_then(|t| t.format(RFC3339_MICROS).ok())
            .unwrap_or_else(|| self.0.to_string())
    }

    /// Parses RFC 3339 (any offset), keeping microsecond precision.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let parsed = OffsetDateTime::parse(text, &Rfc3339).ok()?;
        let micros = parsed.unix_timestamp_nanos() / 1_000;
        i64::try_from(micros).ok().map(Timestamp)
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse_rfc3339(&text)
            .ok_or_else(|| serde::de::Error::custom("expected an RFC 3339 time"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips_with_microseconds() {
        let t = Timestamp(1_795_000_000_123_456);
        let text = t.to_rfc3339();
        assert!(text.ends_with('Z'), "{text}");
        assert_eq!(Timestamp::parse_rfc3339(&text), Some(t));
    }

    #[test]
    fn rfc3339_always_has_six_fractional_digits_so_text_order_is_time_order() {
        let table = [
            (Timestamp(0), "1970-01-01T00:00:00.000000Z"),
            (
                Timestamp(1_795_000_000_000_000),
                "2026-11-18T11:06:40.000000Z",
            ),
            (
                Timestamp(1_795_000_000_120_000),
                "2026-11-18T11:06:40.120000Z",
            ),
            (
                Timestamp(1_795_000_000_123_456),
                "2026-11-18T11:06:40.123456Z",
            ),
            (Timestamp(-1), "1969-12-31T23:59:59.999999Z"),
        ];
        for (t, text) in table {
            assert_eq!(t.to_rfc3339(), text);
            assert_eq!(Timestamp::parse_rfc3339(text), Some(t));
        }
        let mut times: Vec<Timestamp> = table.iter().map(|(t, _)| *t).collect();
        times.sort();
        let mut texts: Vec<String> = times.iter().map(|t| t.to_rfc3339()).collect();
        let in_order = texts.clone();
        texts.sort();
        assert_eq!(texts, in_order);
    }

    #[test]
    fn a_network_time_is_kept_only_when_rfc3339_can_write_it() {
        let table = [
            (Timestamp::from_network_secs(1_614_340_562), true),
            (Timestamp::from_network_secs(0), true),
            (Timestamp::from_network_secs(LATEST_SECS), true),
            (Timestamp::from_network_secs(LATEST_SECS + 1), false),
            (Timestamp::from_network_secs(1 << 62), false),
            (Timestamp::from_network_secs(-1), false),
            (Timestamp::from_network_millis(1_614_340_562_123), true),
            (Timestamp::from_network_millis(i64::MAX), false),
            (Timestamp::from_network_millis(-5), false),
        ];
        for (time, kept) in table {
            assert_eq!(time.is_some(), kept, "{time:?}");
            if let Some(time) = time {
                assert!(
                    Timestamp::parse_rfc3339(&time.to_rfc3339()) == Some(time),
                    "{time:?} reads back"
                );
            }
        }
    }

    #[test]
    fn seconds_arithmetic() {
        let t = Timestamp::from_secs(100);
        assert_eq!(t.plus_secs(5).as_secs(), 105);
        assert_eq!(t.plus_secs(5).secs_since(t), 5);
        assert_eq!(Timestamp::from_secs(86_400 * 3 + 5).day_number(), 3);
    }
}
