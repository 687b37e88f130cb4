//! A local HTTP server on 127.0.0.1 that answers what the download tests ask of it.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use caredesk_networks::x::oauth1::Presented;
use reqwest::Url;

/// A one-pixel PNG.
pub const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// 30 MiB, more than the 25 MiB the desk takes.
pub const BIG: usize = 30 * 1024 * 1024;

/// The OAuth 1.0a credentials the direct-message media routes accept.
pub const CONSUMER_KEY: &str = "fetch-consumer-key";
pub const CONSUMER_SECRET: &str = "fetch-consumer-secret";
pub const TOKEN: &str = "fetch-access-token";
pub const TOKEN_SECRET: &str = "fetch-token-secret";

/// Starts the server and answers where it listens. Routes: `/png` (PNG bytes announced as
/// `text/html`), `/status/{code}`, `/big` (30 MiB with a Content-Length), `/big-chunked` (30 MiB
/// without one), `/slow` (answers after 5 s), `/hop/{n}` (redirects `n` times, then `/png`),
/// `/away?to=URL` (redirects to `URL`), `/1.1/ton/data/dm/{a}/{b}/{file}` (the PNG to a request
/// signed with OAuth 1.0a by [`CONSUMER_KEY`] … [`TOKEN_SECRET`], 401 otherwise),
/// `/1.1/ton/data/dm/away?to=URL` (redirects to `URL`, unsigned requests too) and `/authorization`
/// (answers `present` or `absent`).
pub async fn start() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let app = Router::new()
        .route("/png", get(png))
        .route("/status/{code}", get(status))
        .route("/big", get(big))
        .route("/big-chunked", get(big_chunked))
        .route("/slow", get(slow))
        .route("/hop/{n}", get(hop))
        .route("/away", get(away))
        .route("/1.1/ton/data/dm/away", get(away))
        .route("/1.1/ton/data/dm/{a}/{b}/{file}", get(direct_message_media))
        .route("/authorization", get(authorization))
        .with_state(address);
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

async fn png() -> Response {
    ([(header::CONTENT_TYPE, "text/html")], PNG).into_response()
}

async fn status(Path(code): Path<u16>) -> Response {
    StatusCode::from_u16(code)
        .unwrap_or(StatusCode::IM_A_TEAPOT)
        .into_response()
}

async fn big() -> Response {
    ([(header::CONTENT_TYPE, "video/mp4")], vec![0u8; BIG]).into_response()
}

async fn big_chunked() -> Response {
    let piece = Bytes::from(vec![0u8; 1024 * 1024]);
    let pieces = (0..BIG / piece.len()).map(move |_| Ok::<_, Infallible>(piece.clone()));
    Body::from_stream(futures::stream::iter(pieces)).into_response()
}

async fn slow() -> Response {
    tokio::time::sleep(Duration::from_secs(5)).await;
    png().await
}

async fn hop(State(address): State<SocketAddr>, Path(n): Path<u32>) -> Response {
    let to = match n {
        0 => format!("http://{address}/png"),
        // Relative and absolute Locations alike.
        n if n % 2 == 0 => format!("/hop/{}", n - 1),
        n => format!("http://{address}/hop/{}", n - 1),
    };
    redirect(&to)
}

async fn away(axum::extract::RawQuery(query): axum::extract::RawQuery) -> Response {
    let to = query
        .as_deref()
        .and_then(|q| q.strip_prefix("to="))
        .unwrap_or("/png");
    redirect(to)
}

fn redirect(to: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_owned())]).into_response()
}

async fn direct_message_media(
    State(address): State<SocketAddr>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(Presented::parse);
    let Ok(url) = Url::parse(&format!("http://{address}{uri}")) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let signed = presented.is_some_and(|p| {
        p.get("oauth_consumer_key") == Some(CONSUMER_KEY)
            && p.get("oauth_token") == Some(TOKEN)
            && p.signature_valid("GET", &url, &[], CONSUMER_SECRET, TOKEN_SECRET)
    });
    if !signed {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    ([(header::CONTENT_TYPE, "image/png")], PNG).into_response()
}

async fn authorization(headers: HeaderMap) -> &'static str {
    if headers.contains_key(header::AUTHORIZATION) {
        "present"
    } else {
        "absent"
    }
}
