//! Why a fake could not start or a delivery could not be posted.

/// A fake's failure to start, or a webhook call that got no answer.
#[derive(Debug, thiserror::Error)]
pub enum FakeError {
    /// The loopback port could not be bound.
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(#[from] std::io::Error),
    /// The HTTP client could not be built or the call failed.
    #[error("webhook call failed: {0}")]
    Http(String),
}
