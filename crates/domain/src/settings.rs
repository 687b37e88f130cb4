//! Installation-wide settings (PRODUCT.md §8, and §13's idle time before a user shows as away).

use serde::{Deserialize, Serialize};

use crate::user::MAX_CAPACITY;
use crate::Refusal;

/// Five days, the default grace period.
pub const DEFAULT_GRACE_PERIOD_SECS: i64 = 5 * 86_400;
/// Ninety days, the longest grace period.
pub const MAX_GRACE_PERIOD_SECS: i64 = 90 * 86_400;
/// The shortest time without activity after which a user shows as away.
pub const MIN_IDLE_SECS: i64 = 60;
/// The longest: a day.
pub const MAX_IDLE_SECS: i64 = 86_400;
/// The capacity new users get unless told otherwise.
pub const DEFAULT_CAPACITY: u32 = 5;

/// The settings supervisors edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// How long a Done case may be reopened by a customer message, in seconds (0 = final at once).
    pub grace_period_secs: i64,
    /// The capacity given to new users.
    pub default_capacity: u32,
    /// Seconds without activity after which an online user shows as away (60 to 86,400).
    pub presence_idle_secs: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            grace_period_secs: DEFAULT_GRACE_PERIOD_SECS,
            default_capacity: DEFAULT_CAPACITY,
            presence_idle_secs: crate::availability::DEFAULT_IDLE_SECS,
        }
    }
}

impl Settings {
    /// Checks both values' ranges.
    pub fn validate(&self) -> Result<(), Refusal> {
        if !(0..=MAX_GRACE_PERIOD_SECS).contains(&self.grace_period_secs) {
            return Err(Refusal::invalid(format!(
                "grace_period_secs must be 0 to {MAX_GRACE_PERIOD_SECS}"
            )));
        }
        if !(MIN_IDLE_SECS..=MAX_IDLE_SECS).contains(&self.presence_idle_secs) {
            return Err(Refusal::invalid(format!(
                "presence_idle_secs must be {MIN_IDLE_SECS} to {MAX_IDLE_SECS}"
            )));
        }
        if self.default_capacity > MAX_CAPACITY {
            return Err(Refusal::invalid(format!(
                "default_capacity must be 0 to {MAX_CAPACITY}"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_period_is_zero_to_ninety_days_to_the_second() {
        let table = [
            (0, true),
            (1, true),
            (DEFAULT_GRACE_PERIOD_SECS, true),
            (MAX_GRACE_PERIOD_SECS, true),
            (MAX_GRACE_PERIOD_SECS + 1, false),
            (-1, false),
        ];
        for (secs, ok) in table {
            let s = Settings {
                grace_period_secs: secs,
                ..Settings::default()
            };
            assert_eq!(s.validate().is_ok(), ok, "{secs}");
        }
    }

    #[test]
    fn the_idle_time_is_a_minute_to_a_day() {
        for (secs, ok) in [
            (59, false),
            (60, true),
            (300, true),
            (86_400, true),
            (86_401, false),
        ] {
            let s = Settings {
                presence_idle_secs: secs,
                ..Settings::default()
            };
            assert_eq!(s.validate().is_ok(), ok, "{secs}");
        }
    }

    #[test]
    fn defaults_are_five_days_and_capacity_five() {
        assert_eq!(Settings::default().grace_period_secs, 432_000);
        assert_eq!(Settings::default().default_capacity, 5);
    }
}
