//! What a use case answers when it does not succeed: a domain refusal (nothing changed) or a
//! storage failure.

use caredesk_domain::Refusal;
use caredesk_store::StoreError;
use thiserror::Error;

/// A use case's failure.
#[derive(Clone, Debug, Error)]
pub enum AppError {
    /// The rules refused; nothing changed.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The store failed; nothing was committed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Salesforce could not do it; nothing changed in Care.
    #[error(transparent)]
    Salesforce(#[from] crate::salesforce::SalesforceProblem),
}

impl AppError {
    /// True when running the whole unit of work again may succeed (writers collided).
    pub fn is_retryable(&self) -> bool {
        matches!(self, AppError::Store(e) if e.is_retryable())
    }

    /// The refusal, when it is one.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            AppError::Refused(r) => Some(r),
            AppError::Store(_) | AppError::Salesforce(_) => None,
        }
    }
}

/// Shorthand for use-case results.
pub type AppResult<T> = Result<T, AppError>;

/// `Option` → `NotFound`.
pub(crate) trait FoundOr<T> {
    fn or_not_found(self) -> AppResult<T>;
}

impl<T> FoundOr<T> for Option<T> {
    fn or_not_found(self) -> AppResult<T> {
        self.ok_or(AppError::Refused(Refusal::NotFound))
    }
}
