//! The loopback HTTP server under each fake: one tokio task accepting on `127.0.0.1:0`, one per
//! connection, and a [`Hangup`] handed to every request so a handler can close its connection
//! without answering (how a network that posted but never replied looks to the client).

use std::future::pending;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

/// Closes the connection a request came on, without an answer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Hangup(Arc<Notify>);

impl Hangup {
    /// Drops the connection; the handler never resumes.
    pub(crate) async fn now<T>(&self) -> T {
        self.0.notify_one();
        pending().await
    }
}

/// A running loopback server.
#[derive(Debug)]
pub(crate) struct Loopback {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Loopback {
    /// Serves `router` on a fresh loopback port.
    pub(crate) async fn start(router: Router) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(serve(listener, router));
        Ok(Self { addr, task })
    }

    /// The bound address.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting and closes every connection; the port is closed when this returns.
    pub(crate) async fn stop(mut self) {
        self.task.abort();
        // A cancelled task is the expected end; its result says nothing more.
        let _ = (&mut self.task).await;
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(listener: TcpListener, router: Router) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors or similar: give the system a moment.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let hangup = Hangup::default();
        let tagged = hangup.clone();
        let service = router
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(tagged.clone());
                request
            });
        connections.spawn(async move {
            let connection = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            tokio::select! {
                _ = connection => {}
                () = hangup.0.notified() => {}
            }
        });
    }
}
