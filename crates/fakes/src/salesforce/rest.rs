//! The fake's REST data API under `/services/data/{version}/`: `query` (and its
//! `nextRecordsUrl` pages), `sobjects/Account|Contact|Case/{id}` reads, `sobjects/Case` create
//! (201) and `sobjects/Case/{id}` update (204, also as `POST ?_HttpMethod=PATCH`). Every call
//! needs a live access token (401 `INVALID_SESSION_ID` otherwise) and every answer carries
//! `Sforce-Limit-Info: api-usage=N/limit`. Around every call, the token endpoint's included, the
//! fake records it, plays the outage switch and the next injected fault.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Extension, Json, Router};
use serde_json::json;

use super::org::Refusal;
use super::soql::SObject;
use super::{oauth, FakeCall, Outage, SfState};
use crate::fault::{bare_status, error_array, replacing_answer, Fault};
use crate::lock;
use crate::meta::is_version;
use crate::server::Hangup;

pub(super) fn router(state: Arc<SfState>) -> Router {
    Router::new()
        .route(oauth::TOKEN_PATH, post(oauth::token))
        .route("/services/data/{version}/{*rest}", any(data))
        .fallback(|| async { refused(Refusal::not_found()) })
        .with_state(state)
}

fn refused(refusal: Refusal) -> Response {
    error_array(
        refusal.status,
        refusal.code,
        &refusal.message,
        &refusal.fields,
    )
}

/// Salesforce's answer once the org's daily API limit is spent.
fn rate_limited(secs: u64) -> Response {
    let mut answer = error_array(
        403,
        "REQUEST_LIMIT_EXCEEDED",
        "TotalRequests Limit exceeded.",
        &[],
    );
    if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
        answer.headers_mut().insert("retry-after", value);
    }
    answer
}

impl SfState {
    /// Records the call, plays the outage and the next fault around `handle`, and (for data
    /// calls, `counted`) counts it and adds `Sforce-Limit-Info`.
    pub(super) async fn serve(
        &self,
        method: &str,
        path: &str,
        hangup: &Hangup,
        counted: bool,
        handle: impl FnOnce() -> Response,
    ) -> Response {
        let outage = {
            let mut org = lock(&self.org);
            org.calls.push(FakeCall {
                method: method.to_owned(),
                path: path.to_owned(),
            });
            org.outage
        };
        match outage {
            Some(Outage::ServiceUnavailable) => return bare_status(503),
            Some(Outage::DropConnections) => return hangup.now().await,
            None => {}
        }
        let fault = self.faults.pop();
        let used = if counted {
            let mut org = lock(&self.org);
            org.api_calls += 1;
            Some(org.api_calls)
        } else {
            None
        };
        let limit_info = |mut answer: Response| {
            let value = used.map(|n| format!("api-usage={n}/{}", self.api_limit));
            if let Some(value) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
                answer.headers_mut().insert("sforce-limit-info", value);
            }
            answer
        };
        if let Some(answer) = fault
            .as_ref()
            .and_then(|f| replacing_answer(f, rate_limited))
        {
            return limit_info(answer);
        }
        if fault == Some(Fault::DropBeforePosting) {
            return hangup.now().await;
        }
        let answer = handle();
        match fault {
            Some(Fault::DropAfterPosting) => hangup.now().await,
            Some(Fault::Delay(pause)) => tokio::time::sleep(pause).await,
            _ => {}
        }
        limit_info(answer)
    }

    fn authorized(&self, headers: &HeaderMap) -> bool {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        token.is_some_and(|t| lock(&self.org).tokens.contains(t))
    }
}

/// One data call as the handler sees it.
struct Call<'a> {
    method: Method,
    version: &'a str,
    rest: &'a str,
    params: HashMap<String, String>,
    body: &'a [u8],
}

async fn data(
    State(state): State<Arc<SfState>>,
    Extension(hangup): Extension<Hangup>,
    method: Method,
    Path((version, rest)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params: HashMap<String, String> = query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let method = match params.get("_HttpMethod").map(String::as_str) {
        Some("PATCH") if method == Method::POST => Method::PATCH,
        _ => method,
    };
    let path = format!("/services/data/{version}/{rest}");
    let call = Call {
        method: method.clone(),
        version: &version,
        rest: &rest,
        params,
        body: &body,
    };
    state
        .serve(method.as_str(), &path, &hangup, true, || {
            if !state.authorized(&headers) {
                return error_array(401, "INVALID_SESSION_ID", "Session expired or invalid", &[]);
            }
            match route(&state, &call) {
                Ok(answer) => answer,
                Err(refusal) => refused(refusal),
            }
        })
        .await
}

fn route(state: &SfState, call: &Call<'_>) -> Result<Response, Refusal> {
    if !is_version(call.version) {
        return Err(Refusal::not_found());
    }
    let parts: Vec<&str> = call.rest.trim_end_matches('/').split('/').collect();
    let mut org = lock(&state.org);
    let version = call.version;
    let method = &call.method;
    match parts.as_slice() {
        ["query"] if method == Method::GET => {
            let q = call.params.get("q").ok_or_else(|| {
                Refusal::bad("MALFORMED_QUERY", "A query string has to be specified")
            })?;
            Ok(Json(org.query(q, version)?).into_response())
        }
        ["query", locator] if method == Method::GET => {
            Ok(Json(org.next_page(locator, version)?).into_response())
        }
        ["sobjects", object, id] if method == Method::GET => {
            let object = SObject::from_name(object).ok_or_else(Refusal::not_found)?;
            let fields = call.params.get("fields").map(String::as_str);
            Ok(Json(org.record(object, id, fields, version)?).into_response())
        }
        ["sobjects", "Case"] if method == Method::POST => {
            let id = org.create_case(call.body)?;
            let answer = json!({ "id": id, "success": true, "errors": [] });
            Ok((StatusCode::CREATED, Json(answer)).into_response())
        }
        ["sobjects", "Case", id] if method == Method::PATCH => {
            org.update_case(id, call.body)?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        ["query"] | ["query", _] | ["sobjects", _] | ["sobjects", _, _] => Err(Refusal {
            status: 405,
            code: "METHOD_NOT_ALLOWED",
            message: format!("HTTP Method '{method}' not allowed"),
            fields: Vec::new(),
        }),
        _ => Err(Refusal::not_found()),
    }
}
