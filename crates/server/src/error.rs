//! The one error type of the HTTP edge: a status, a stable machine code and a human message,
//! answered as `{"error":{"code":…,"message":…}}`. 5xx answers say nothing internal; their cause
//! is logged once, here.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use caredesk_app::salesforce::SalesforceProblem;
use caredesk_app::AppError;
use caredesk_app::StoreError;
use caredesk_domain::Refusal;
use serde::Serialize;
use utoipa::ToSchema;

/// A refused or failed request.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after_secs: Option<i64>,
}

/// The error envelope.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

/// What went wrong.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `not_assignee`.
    code: String,
    /// For people.
    message: String,
}

impl ApiError {
    /// An error with a status and a code.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after_secs: None,
        }
    }

    /// 400 `invalid_json`.
    pub fn invalid_json(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_json", message)
    }

    /// 400 `bad_request`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 422 `validation_failed`.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            message,
        )
    }

    /// 413 `payload_too_large`.
    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the request body is larger than 1 MiB",
        )
    }

    /// 404 `not_found`.
    pub fn not_found() -> Self {
        Refusal::NotFound.into()
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The machine code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Its code and words, as the envelope carries them (for a refusal reported among others).
    pub fn detail(&self) -> ErrorDetail {
        ErrorDetail {
            code: self.code.to_owned(),
            message: self.message.clone(),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        let status = match &refusal {
            Refusal::Unauthenticated => StatusCode::UNAUTHORIZED,
            Refusal::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::Forbidden(_) | Refusal::NotAssignee => StatusCode::FORBIDDEN,
            Refusal::StaleCase { .. }
            | Refusal::CaseClosed
            | Refusal::CaseActive { .. }
            | Refusal::NewerCaseExists { .. }
            | Refusal::MessageDeleted
            | Refusal::Conflict(_) => StatusCode::CONFLICT,
            Refusal::Validation(_)
            | Refusal::MandatoryFieldMissing { .. }
            | Refusal::UnsupportedReplyKind(_)
            | Refusal::PlatformLimit(_)
            | Refusal::SalesforceWindow { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let retry_after_secs = match refusal {
            Refusal::RateLimited { retry_after_secs } => Some(retry_after_secs),
            _ => None,
        };
        ApiError {
            status,
            code: refusal.code(),
            message: refusal.to_string(),
            retry_after_secs,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(_) | StoreError::Retry(_) => {
                tracing::warn!(%error, "request failed: database busy or unreachable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_unavailable",
                    "the service is busy; try again",
                )
            }
            StoreError::Storage(_) => {
                tracing::error!(%error, "request failed: the database's storage failed the write");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_unavailable",
                    "the server cannot write to its storage now; nothing was changed, try again later",
                )
            }
            other => {
                tracing::error!(error = %other, "request failed");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on our side",
                )
            }
        }
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Refused(refusal) => refusal.into(),
            AppError::Store(store) => store.into(),
            AppError::Salesforce(problem) => problem.into(),
        }
    }
}

impl From<SalesforceProblem> for ApiError {
    fn from(problem: SalesforceProblem) -> Self {
        let message = problem.to_string();
        match problem {
            SalesforceProblem::NotConnected => {
                Self::new(StatusCode::CONFLICT, "salesforce_not_connected", message)
            }
            SalesforceProblem::Expired(_) => {
                Self::new(StatusCode::CONFLICT, "salesforce_expired", message)
            }
            SalesforceProblem::Refused(_) => {
                Self::new(StatusCode::BAD_GATEWAY, "salesforce_refused", message)
            }
            SalesforceProblem::Unavailable(_) => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "salesforce_unavailable",
                message,
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            if let Ok(value) = HeaderValue::from_str(&secs.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod store_errors {
    use super::*;

    #[test]
    fn a_storage_fault_or_a_busy_database_is_503_storage_unavailable_and_the_rest_500() {
        let table = [
            (
                StoreError::Storage("disk full".into()),
                503,
                "storage_unavailable",
            ),
            (
                StoreError::Unavailable("down".into()),
                503,
                "storage_unavailable",
            ),
            (StoreError::Retry("busy".into()), 503, "storage_unavailable"),
            (StoreError::Other("?".into()), 500, "internal"),
        ];
        for (error, status, code) in table {
            let answer = ApiError::from(error);
            assert_eq!((answer.status.as_u16(), answer.code), (status, code));
            assert!(
                !answer.message.contains("disk full"),
                "the cause is logged, never sent"
            );
        }
    }
}
