//! Prometheus metrics, served on their own listener (`CAREDESK_METRICS_LISTEN`), never on the
//! public one: requests by route and status, request latency by route, webhook updates by
//! outcome, the deliveries and updates of each group commit, and (read at each scrape) the
//! outbox depth and the deliveries waiting for a commit; the live streams open now.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use caredesk_app::group_commit::BatchStats;
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WebhookLabels {
    network: String,
    kind: String,
}

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    outbox_depth: Gauge,
    webhook_updates: Family<WebhookLabels, Counter>,
    webhook_skipped: Family<WebhookLabels, Counter>,
    replies: Family<OutcomeLabels, Counter>,
    batch_deliveries: Histogram,
    batch_updates: Histogram,
    batch_attempts: Counter,
    deliveries_waiting: Gauge,
    live_streams: Gauge,
    salesforce: SalesforceGauges,
}

/// Salesforce's API usage (from `Sforce-Limit-Info`) and the status syncs waiting.
#[derive(Default)]
struct SalesforceGauges {
    api_used: Gauge,
    api_limit: Gauge,
    syncs_waiting: Gauge,
}

impl SalesforceGauges {
    fn register(&self, registry: &mut Registry) {
        registry.register(
            "salesforce_api_usage",
            "Salesforce API calls used in the last 24 hours, as Sforce-Limit-Info last said",
            self.api_used.clone(),
        );
        registry.register(
            "salesforce_api_limit",
            "The org's daily Salesforce API limit, as Sforce-Limit-Info last said",
            self.api_limit.clone(),
        );
        registry.register(
            "salesforce_syncs_waiting",
            "Care status changes waiting to reach Salesforce",
            self.syncs_waiting.clone(),
        );
    }

    async fn refresh(&self, app: &caredesk_app::App) {
        if let Some(usage) = app.salesforce_usage() {
            self.api_used
                .set(i64::try_from(usage.used).unwrap_or(i64::MAX));
            self.api_limit
                .set(i64::try_from(usage.limit).unwrap_or(i64::MAX));
        }
        match app.salesforce_sync_depth().await {
            Ok(depth) => {
                self.syncs_waiting.set(depth);
            }
            Err(error) => tracing::warn!(%error, "metrics: cannot read the Salesforce sync queue"),
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

impl Metrics {
    /// Counts what the outbox worker's passes did with replies.
    pub fn outbox_pass(&self, pass: &caredesk_app::OutboxPass) {
        for (outcome, n) in [
            ("sent", pass.sent),
            ("retrying", pass.retrying),
            ("failed", pass.failed),
            ("in_doubt", pass.in_doubt),
            ("delivery_unknown", pass.unknown),
        ] {
            if n > 0 {
                let labels = OutcomeLabels {
                    outcome: outcome.to_owned(),
                };
                self.replies.get_or_create(&labels).inc_by(u64::from(n));
            }
        }
    }

    /// Counts the updates of a delivery by what became of them.
    pub fn webhook_updates(&self, network: &str, kind: &str, n: u32) {
        let labels = WebhookLabels {
            network: network.to_owned(),
            kind: kind.to_owned(),
        };
        self.webhook_updates
            .get_or_create(&labels)
            .inc_by(u64::from(n));
    }

    /// Counts parts of a delivery that were tolerated but not handled (unknown kinds).
    pub fn webhook_skipped(&self, network: &str, kind: &str, n: u32) {
        let labels = WebhookLabels {
            network: network.to_owned(),
            kind: kind.to_owned(),
        };
        self.webhook_skipped
            .get_or_create(&labels)
            .inc_by(u64::from(n));
    }
}

/// Holds one open live stream in the `live_streams` gauge until it is dropped.
pub struct LiveStreamGuard(Gauge);

impl Drop for LiveStreamGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl Metrics {
    /// Counts a live stream as open until the answered guard is dropped.
    pub fn live_stream_opened(&self) -> LiveStreamGuard {
        self.live_streams.inc();
        LiveStreamGuard(self.live_streams.clone())
    }

    /// The live streams open now.
    pub fn live_streams(&self) -> i64 {
        self.live_streams.get()
    }

    /// Records one group commit of webhook deliveries.
    pub fn delivery_batch(&self, batch: BatchStats) {
        self.batch_deliveries.observe(batch.deliveries as f64);
        self.batch_updates.observe(batch.updates as f64);
        self.batch_attempts.inc_by(u64::from(batch.attempts));
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("caredesk");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        let outbox_depth = Gauge::default();
        let webhook_updates = Family::<WebhookLabels, Counter>::default();
        let webhook_skipped = Family::<WebhookLabels, Counter>::default();
        let replies = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "replies",
            "Reply send attempts by outcome (sent, retrying, failed, in_doubt, delivery_unknown)",
            replies.clone(),
        );
        let batch_deliveries = Histogram::new(exponential_buckets(1.0, 2.0, 11));
        let batch_updates = Histogram::new(exponential_buckets(1.0, 4.0, 8));
        let batch_attempts = Counter::default();
        let deliveries_waiting = Gauge::default();
        registry.register(
            "webhook_batch_deliveries",
            "Webhook deliveries committed together, per commit",
            batch_deliveries.clone(),
        );
        registry.register(
            "webhook_batch_updates",
            "Webhook updates committed together, per commit",
            batch_updates.clone(),
        );
        registry.register(
            "webhook_batch_attempts",
            "Units of work run for webhook batches (more than batches when writers collide)",
            batch_attempts.clone(),
        );
        registry.register(
            "webhook_deliveries_waiting",
            "Webhook deliveries waiting for a commit",
            deliveries_waiting.clone(),
        );
        registry.register(
            "webhook_updates",
            "Webhook updates by network and outcome",
            webhook_updates.clone(),
        );
        registry.register(
            "webhook_skipped",
            "Webhook parts tolerated but not handled, by kind",
            webhook_skipped.clone(),
        );
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        registry.register(
            "outbox_depth",
            "Replies waiting in the outbox",
            outbox_depth.clone(),
        );
        let live_streams = Gauge::default();
        registry.register(
            "live_streams",
            "Live-update (SSE) connections open now",
            live_streams.clone(),
        );
        let salesforce = SalesforceGauges::default();
        salesforce.register(&mut registry);
        Metrics {
            registry,
            requests,
            latency,
            outbox_depth,
            webhook_updates,
            webhook_skipped,
            replies,
            batch_deliveries,
            batch_updates,
            batch_attempts,
            deliveries_waiting,
            live_streams,
            salesforce,
        }
    }
}

/// Counts and times every request of the public router.
pub(crate) async fn record(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route: route.clone(),
            status,
        })
        .inc();
    metrics
        .latency
        .get_or_create(&RouteLabels { route })
        .observe(started.elapsed().as_secs_f64());
    response
}

async fn get_metrics(State(state): State<AppState>) -> Response {
    match state.app.outbox_depth().await {
        Ok(depth) => {
            state.metrics.outbox_depth.set(depth);
        }
        Err(error) => tracing::warn!(%error, "metrics: cannot read the outbox depth"),
    }
    state.metrics.salesforce.refresh(&state.app).await;
    let waiting = i64::try_from(state.deliveries.waiting()).unwrap_or(i64::MAX);
    state.metrics.deliveries_waiting.set(waiting);
    let mut text = String::new();
    if encode(&mut text, &state.metrics.registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// The router of the metrics listener.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(get_metrics))
        .with_state(state)
}
