//! The HTTP edge of caredesk.
//!
//! Owns the axum router, the JSON API under `/api/v1` with its generated OpenAPI document, the
//! process probes and the listener. It decides nothing about cases: handlers parse the request,
//! call a use case of `app` (which asks the domain) and map the answer or the refusal to HTTP.

mod api;
mod caller;
mod client_address;
mod error;
mod health;
mod json;
pub mod metrics;
mod openapi;
mod query;
mod web;
mod webhooks;

use std::future::Future;
use std::net::SocketAddr;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use caredesk_app::group_commit::{DeliveryQueue, QueueOptions};
use caredesk_app::App;
use tokio::net::TcpListener;

pub use caller::{CSRF_HEADER, SESSION_COOKIE};
pub use client_address::TrustedProxies;
pub use error::ApiError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub app: App,
    /// Mark the session cookie `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// The URL users and webhooks reach, for the webhook URLs shown on profiles.
    pub public_url: Option<String>,
    /// Request counts and latencies.
    pub metrics: std::sync::Arc<metrics::Metrics>,
    /// The group committer the webhooks submit their deliveries to.
    pub deliveries: DeliveryQueue,
    /// The proxies whose `X-Forwarded-For` names the client (default: none).
    pub trusted_proxies: TrustedProxies,
}

impl AppState {
    /// State over the use cases with one delivery worker; cookies are `Secure` when
    /// `public_url` is https. Call it inside a Tokio runtime: it starts the delivery workers.
    pub fn new(app: App, public_url: Option<&str>) -> Self {
        Self::with_queue(app, public_url, QueueOptions::default())
    }

    /// State whose delivery queue batches as `options` say.
    pub fn with_queue(app: App, public_url: Option<&str>, options: QueueOptions) -> Self {
        let metrics = std::sync::Arc::new(metrics::Metrics::default());
        let observed = metrics.clone();
        let deliveries = DeliveryQueue::start(
            app.clone(),
            options,
            std::sync::Arc::new(move |batch| observed.delivery_batch(batch)),
        );
        AppState {
            app,
            secure_cookies: public_url.is_some_and(|u| u.starts_with("https://")),
            public_url: public_url.map(str::to_owned),
            metrics,
            deliveries,
            trusted_proxies: TrustedProxies::default(),
        }
    }

    /// Believes `X-Forwarded-For` from these proxies.
    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.trusted_proxies = proxies;
        self
    }
}

/// Refuses a body announced as larger than the API allows before anything else is looked at
/// (API.md: 413 comes first); bodies without a length are cut at the same size while read.
async fn refuse_oversized(request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let limit = if request.uri().path() == UPLOAD_PATH {
        MAX_UPLOAD_BODY
    } else {
        json::MAX_API_BODY
    };
    if announced.is_some_and(|len| len > limit) {
        return ApiError::payload_too_large().into_response();
    }
    next.run(request).await
}

/// The routes with their OpenAPI document: the API (bodies up to 1 MiB) and the webhooks (up
/// to 16 MiB).
pub fn routes() -> (Router<AppState>, Router<AppState>, utoipa::openapi::OpenApi) {
    let (api, mut doc) = api::router().split_for_parts();
    let (uploads, uploads_doc) = api::upload_router().split_for_parts();
    let (hooks, hooks_doc) = webhooks::router().split_for_parts();
    doc.merge(uploads_doc);
    doc.merge(hooks_doc);
    openapi::finish(&mut doc);
    // The upload route's own limit is the inner layer, so it holds over the API's.
    let api = api.merge(uploads.layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)));
    (api, hooks, doc)
}

/// Where files for replies are uploaded.
const UPLOAD_PATH: &str = "/api/v1/media";

/// The largest upload body: the largest file an agent may send.
const MAX_UPLOAD_BODY: usize = caredesk_app::media::MAX_UPLOAD_BYTES;

/// The public router.
pub fn router(state: AppState) -> Router {
    let (api, hooks, openapi) = routes();
    let hooks = hooks.layer(DefaultBodyLimit::max(webhooks::MAX_WEBHOOK_BODY));
    let api = api
        .route(
            "/api/openapi.json",
            get(move || async move { Json(openapi) }),
        )
        .layer(DefaultBodyLimit::max(json::MAX_API_BODY))
        .layer(middleware::from_fn(refuse_oversized));
    let metrics = state.metrics.clone();
    Router::new()
        .merge(health::routes())
        .merge(api)
        .merge(hooks)
        .merge(web::router())
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not take that method; see Allow",
            )
        })
        .layer(middleware::from_fn_with_state(metrics, metrics::record))
        .fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                "no such route",
            )
        })
        .layer(middleware::from_fn(no_sniffing))
        .with_state(state)
}

/// Every answer, JSON included, tells browsers not to guess its type from its bytes.
async fn no_sniffing(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        axum::http::HeaderValue::from_static("nosniff"),
    );
    response
}

/// Binds the public listener.
pub async fn bind(addr: &str) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}

/// Serves the router on `listener` until `shutdown` completes; in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}
