//! What a backend answers when it cannot do what was asked.

use thiserror::Error;

/// A storage failure. Backends never turn a database error into "not found".
#[derive(Clone, Debug, Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule of the schema refused the write (named by the constraint).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Concurrent writers collided (serialization failure, deadlock, busy); the unit of work
    /// may be retried as a whole.
    #[error("transient conflict, retry: {0}")]
    Retry(String),
    /// The database cannot be reached or is out of resources.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database's storage failed the write (disk full, I/O error): nothing of the unit of
    /// work was kept, and writes work again once the fault is gone.
    #[error("storage fault: {0}")]
    Storage(String),
    /// A stored value could not be read back (corruption, or a newer schema).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// Anything else the database reported.
    #[error("database error: {0}")]
    Other(String),
}

impl StoreError {
    /// True for errors after which running the whole unit of work again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Retry(_))
    }
}
