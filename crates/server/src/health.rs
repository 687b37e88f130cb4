//! Process probes for load balancers and orchestrators.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use caredesk_app::{AppError, StoreError};

use crate::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(get_healthz))
        .route("/readyz", get(get_readyz))
}

/// The process is up.
async fn get_healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The database answers and, after a storage fault, takes a write again; 503 in the error
/// envelope when it does not (the cause is logged, never sent).
async fn get_readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.app.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            let message = match error {
                AppError::Store(StoreError::Storage(_)) => "the database cannot take writes",
                _ => "the database is not reachable",
            };
            let body = json!({ "error": { "code": "storage_unavailable", "message": message } });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body))
        }
    }
}
