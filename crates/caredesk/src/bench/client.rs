//! The load driver: a fixed list of requests, made (and signed) before the clock starts, sent
//! by a number of concurrent clients over keep-alive HTTP/1.1 connections; each latency runs
//! from sending the request to the whole answer. Any answer other than 2xx stops the benchmark,
//! so no figure is ever measured on refusals.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;

/// One request, ready to send.
#[derive(Clone, Debug)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// Path and query.
    pub path: String,
    /// Headers (authorization, signature, content type).
    pub headers: HeaderMap,
    /// The body.
    pub body: Option<bytes::Bytes>,
}

impl Request {
    /// A GET with a bearer token.
    pub fn get(path: impl Into<String>, token: &str) -> anyhow::Result<Request> {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, bearer(token)?);
        Ok(Request {
            method: Method::GET,
            path: path.into(),
            headers,
            body: None,
        })
    }

    /// A POST of JSON with a bearer token.
    pub fn post_json(
        path: impl Into<String>,
        token: &str,
        body: &serde_json::Value,
    ) -> anyhow::Result<Request> {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, bearer(token)?);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(Request {
            method: Method::POST,
            path: path.into(),
            headers,
            body: Some(body.to_string().into_bytes().into()),
        })
    }
}

fn bearer(token: &str) -> anyhow::Result<HeaderValue> {
    HeaderValue::from_str(&format!("Bearer {token}")).context("a token that fits a header")
}

/// What a batch of requests measured.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Every request's latency, in the order they finished.
    pub latencies: Vec<Duration>,
    /// From the first request sent to the last answer.
    pub elapsed: Duration,
}

impl Outcome {
    /// Requests per second.
    pub fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The `q` quantile of the latencies (0.5: median, 0.99), in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return 0.0;
        }
        let rank = ((sorted.len() as f64) * q).ceil() as usize;
        let index = rank.clamp(1, sorted.len()) - 1;
        sorted[index].as_secs_f64() * 1_000.0
    }
}

/// A client of the server under test.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
}

impl Client {
    /// A client of the server at `base_url` keeping up to `connections` connections.
    pub fn new(base_url: &str, connections: usize) -> anyhow::Result<Client> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(connections)
            .timeout(Duration::from_secs(120))
            .tcp_nodelay(true)
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Client {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// Sends one request; answers its status and body.
    pub async fn send(&self, request: &Request) -> anyhow::Result<(u16, bytes::Bytes)> {
        let mut builder = self
            .http
            .request(
                request.method.clone(),
                format!("{}{}", self.base_url, request.path),
            )
            .headers(request.headers.clone());
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = builder.send().await?;
        let status = response.status().as_u16();
        let body = response.bytes().await?;
        Ok((status, body))
    }

    /// Sends every request once, `concurrency` at a time, in order; any answer but 2xx is an
    /// error.
    pub async fn drive(
        &self,
        requests: Vec<Request>,
        concurrency: usize,
    ) -> anyhow::Result<Outcome> {
        let requests = Arc::new(requests);
        let client = self.clone();
        let count = requests.len();
        self.drive_with(count, concurrency, move |i| {
            let (client, requests) = (client.clone(), requests.clone());
            async move {
                let request = &requests[i];
                let (status, body) = client.send(request).await?;
                if !(200..300).contains(&status) {
                    bail!(
                        "{} {} answered {status}: {}",
                        request.method,
                        request.path,
                        String::from_utf8_lossy(&body)
                    );
                }
                Ok(())
            }
        })
        .await
    }

    /// Runs `work(0)` … `work(count - 1)`, `concurrency` at a time, timing each.
    pub async fn drive_with<F, Fut>(
        &self,
        count: usize,
        concurrency: usize,
        work: F,
    ) -> anyhow::Result<Outcome>
    where
        F: Fn(usize) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send,
    {
        let work = Arc::new(work);
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..concurrency.max(1) {
            let (work, next) = (work.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return Ok::<_, anyhow::Error>(latencies);
                    }
                    let sent = Instant::now();
                    work(i).await?;
                    latencies.push(sent.elapsed());
                }
            }));
        }
        let mut latencies = Vec::with_capacity(count);
        for task in tasks {
            latencies.extend(task.await.context("a client task panicked")??);
        }
        Ok(Outcome {
            latencies,
            elapsed: started.elapsed(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_pick_the_ranked_latency() {
        let outcome = Outcome {
            latencies: (1..=100).map(Duration::from_millis).collect(),
            elapsed: Duration::from_secs(1),
        };
        assert_eq!(outcome.quantile_ms(0.5), 50.0);
        assert_eq!(outcome.quantile_ms(0.99), 99.0);
        assert_eq!(outcome.rate(), 100.0);
    }
}
