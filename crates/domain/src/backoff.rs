//! When background work that failed is tried again: a schedule of pauses by attempts made, and
//! a number of attempts after which it gives up. Each kind of work names its own schedule.

use crate::time::Timestamp;

/// A retry schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The pause in seconds after the 1st, 2nd, … failed attempt; the last one repeats.
    pub pauses_secs: &'static [i64],
    /// Attempts after which the work gives up.
    pub max_attempts: u32,
}

impl Backoff {
    /// When to try again after `attempts` failed attempts, or `None` once they are used up.
    pub fn next_attempt(&self, attempts: u32, now: Timestamp) -> Option<Timestamp> {
        if attempts >= self.max_attempts {
            return None;
        }
        let index = usize::try_from(attempts.saturating_sub(1)).unwrap_or(0);
        let pause = self
            .pauses_secs
            .get(index)
            .or(self.pauses_secs.last())
            .copied()
            .unwrap_or(0);
        Some(now.plus_secs(pause))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_follow_the_schedule_repeat_its_last_and_stop_at_the_limit() {
        let backoff = Backoff {
            pauses_secs: &[60, 600],
            max_attempts: 4,
        };
        let now = Timestamp(0);
        let table = [
            (1, Some(60)),
            (2, Some(600)),
            (3, Some(600)),
            (4, None),
            (9, None),
        ];
        for (attempts, pause) in table {
            let expected = pause.map(|p| now.plus_secs(p));
            assert_eq!(backoff.next_attempt(attempts, now), expected, "{attempts}");
        }
    }
}
