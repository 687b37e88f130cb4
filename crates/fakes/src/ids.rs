//! Fresh ids for everything the fakes and simulated customers create: the run's start in
//! milliseconds followed by a process-wide counter, all digits, so no two calls share one and a
//! redelivery is always deliberate.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

static RUN: OnceLock<i64> = OnceLock::new();
static NEXT: AtomicU64 = AtomicU64::new(0);

/// A fresh all-digit id, unique within the process and across runs.
pub(crate) fn fresh() -> String {
    let run = RUN.get_or_init(crate::clock::millis);
    let n = NEXT.fetch_add(1, Ordering::Relaxed) + 1;
    format!("{run}{n:06}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_digits_and_never_repeat() {
        let ids: std::collections::HashSet<String> = (0..1_000).map(|_| super::fresh()).collect();
        assert_eq!(ids.len(), 1_000);
        assert!(ids.iter().all(|id| id.bytes().all(|b| b.is_ascii_digit())));
    }
}
