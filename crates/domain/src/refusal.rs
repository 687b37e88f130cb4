//! Typed refusals: every "no" the domain can answer, with its stable machine code.
//!
//! The HTTP edge maps each variant to a status (API.md's table); nothing here knows HTTP. The
//! order in which a use case checks (not visible → not allowed → conflict → broken rule) is the
//! order of PRODUCT.md §2, so a caller learns nothing about a case it may not see.

use thiserror::Error;

/// A word that is not one of an enum's values (a status, a role, …).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{word:?} is not a valid {kind}")]
pub struct UnknownWord {
    /// The enum's name.
    pub kind: &'static str,
    /// What was given.
    pub word: String,
}

/// Why an action was refused. Nothing changes when one is returned.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Refusal {
    /// Not signed in, or the session expired or was revoked (401 `unauthenticated`).
    #[error("sign in first")]
    Unauthenticated,
    /// Too many attempts; try again later (429 `rate_limited`).
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited {
        /// Seconds until the next attempt may succeed.
        retry_after_secs: i64,
    },
    /// The thing does not exist, or the caller may not see it (404 `not_found`).
    #[error("not found")]
    NotFound,
    /// The caller sees it but may not do this (403 `forbidden`).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// Only the case's assignee may do this (403 `not_assignee`).
    #[error("only the case's assignee may do this")]
    NotAssignee,
    /// The case moved on since the caller last saw it (409 `stale_case`).
    #[error("the case changed since version {expected}; it is now at version {current}")]
    StaleCase {
        /// The version the caller sent.
        expected: i64,
        /// The case's version now.
        current: i64,
    },
    /// The case is done or spam and must be reopened first (409 `case_closed`).
    #[error("the case is closed; reopen it first")]
    CaseClosed,
    /// A community item belongs to an active case (409 `case_active`).
    #[error("the item belongs to active case #{case_number}")]
    CaseActive {
        /// The number of the case holding the item.
        case_number: i64,
    },
    /// A newer case of the same customer and profile exists (409 `newer_case_exists`).
    #[error("a newer case #{case_number} exists for this customer and profile")]
    NewerCaseExists {
        /// The newer case's number.
        case_number: i64,
    },
    /// The target message was deleted on the network (409 `message_deleted`).
    #[error("the message was deleted and cannot be answered or acted on")]
    MessageDeleted,
    /// The action conflicts with the current state (409 `conflict`).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A value is missing, ill-typed or breaks a rule (422 `validation_failed`).
    #[error("{0}")]
    Validation(String),
    /// An enabled mandatory case field is empty (422 `mandatory_field_missing`).
    #[error("the mandatory case field {field:?} is empty")]
    MandatoryFieldMissing {
        /// The field's name.
        field: String,
    },
    /// The network cannot carry this reply kind here (422 `unsupported_reply_kind`).
    #[error("unsupported reply kind: {0}")]
    UnsupportedReplyKind(String),
    /// A platform limit forbids the reply (422 `platform_limit`).
    #[error("platform limit: {0}")]
    PlatformLimit(String),
    /// The customer's last message in the case is too old for a Salesforce Case (422
    /// `salesforce_window`).
    #[error("the customer's last message in this case is {days} days old; a Salesforce Case can be created only within 90 days of it")]
    SalesforceWindow {
        /// The age of the last customer message, in whole days.
        days: i64,
    },
}

impl Refusal {
    /// The stable machine code of API.md.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Unauthenticated => "unauthenticated",
            Refusal::RateLimited { .. } => "rate_limited",
            Refusal::NotFound => "not_found",
            Refusal::Forbidden(_) => "forbidden",
            Refusal::NotAssignee => "not_assignee",
            Refusal::StaleCase { .. } => "stale_case",
            Refusal::CaseClosed => "case_closed",
            Refusal::CaseActive { .. } => "case_active",
            Refusal::NewerCaseExists { .. } => "newer_case_exists",
            Refusal::MessageDeleted => "message_deleted",
            Refusal::Conflict(_) => "conflict",
            Refusal::Validation(_) => "validation_failed",
            Refusal::MandatoryFieldMissing { .. } => "mandatory_field_missing",
            Refusal::UnsupportedReplyKind(_) => "unsupported_reply_kind",
            Refusal::PlatformLimit(_) => "platform_limit",
            Refusal::SalesforceWindow { .. } => "salesforce_window",
        }
    }

    /// Shorthand for a validation refusal.
    pub fn invalid(message: impl Into<String>) -> Self {
        Refusal::Validation(message.into())
    }
}

impl From<UnknownWord> for Refusal {
    fn from(e: UnknownWord) -> Self {
        Refusal::Validation(e.to_string())
    }
}
