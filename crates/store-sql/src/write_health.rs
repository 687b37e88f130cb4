//! Whether the store can write: marked failing when a unit of work could not begin or commit
//! because the storage failed (disk full, I/O error), and well again by the next commit. The
//! readiness probe reads it ([`caredesk_store::Store::ping`]): while it is failing the probe
//! commits a unit of work of its own, so readiness turns back as soon as the storage takes
//! writes again, whether or not requests arrive meanwhile.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use caredesk_store::StoreError;

/// Shared by a store and its units of work.
#[derive(Clone, Debug, Default)]
pub(crate) struct WriteHealth(Arc<AtomicBool>);

impl WriteHealth {
    /// Notes how a commit ended: well, or failing on a storage fault.
    pub(crate) fn commit_ended<T>(&self, result: &Result<T, StoreError>) {
        match result {
            Ok(_) => self.0.store(false, Ordering::Release),
            Err(error) => self.begin_failed(error),
        }
    }

    /// Notes a unit of work that could not begin.
    pub(crate) fn begin_failed(&self, error: &StoreError) {
        if matches!(error, StoreError::Storage(_)) {
            self.0.store(true, Ordering::Release);
        }
    }

    /// True since a storage fault, until a commit succeeds.
    pub(crate) fn failing(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_storage_fault_marks_it_failing_until_a_commit_succeeds() {
        let health = WriteHealth::default();
        assert!(!health.failing());
        health.begin_failed(&StoreError::Retry("busy".into()));
        assert!(!health.failing(), "a busy database is not a storage fault");
        health.commit_ended::<()>(&Err(StoreError::Storage("disk full".into())));
        assert!(health.clone().failing(), "clones share it");
        health.commit_ended::<()>(&Err(StoreError::Conflict("x".into())));
        assert!(health.failing(), "another error proves nothing");
        health.commit_ended(&Ok(()));
        assert!(!health.failing());
    }
}
