//! The HTTP edge of caredesk.
//!
//! Owns the axum router and the listener; decides nothing about cases (that is the domain's
//! job, reached through the use cases of `app`). For now it serves the process probes:
//! `GET /healthz` (the process is up) and `GET /readyz` (the database answers).

mod health;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use caredesk_app::App;
use tokio::net::TcpListener;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub app: App,
}

/// The public router.
pub fn router(state: AppState) -> Router {
    Router::new().merge(health::routes()).with_state(state)
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
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
