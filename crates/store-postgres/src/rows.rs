//! Rows of this backend are read through the shared decoders of `caredesk_store::rows`.

pub(crate) use caredesk_store::rows::*;

pub(crate) type Result<T> = std::result::Result<T, caredesk_store::StoreError>;
