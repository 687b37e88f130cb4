//! The guarded media download against a local HTTP server: what it may reach, how far it
//! follows redirects, where it stops reading, what each answer means, and how the bytes are
//! typed.

mod server;

use std::net::SocketAddr;
use std::time::Duration;

use caredesk_app::media::{FetchRequest, Fetched, MediaSource};
use caredesk_domain::Network;
use caredesk_networks::fetch::{media_type, MediaFetcher};
use caredesk_networks::outbound::OutboundConfig;

use server::{BIG, PNG};

const MAX: u64 = 25 * 1024 * 1024;

/// A fetcher that may reach private addresses (as in the demo and tests).
fn open() -> MediaFetcher {
    MediaFetcher::new(&OutboundConfig::default(), true).expect("fetcher")
}

/// A fetcher that may not reach private addresses.
fn guarded() -> MediaFetcher {
    MediaFetcher::new(&OutboundConfig::default(), false).expect("fetcher")
}

/// A guarded fetcher whose configured Graph API is the server at `address` (always reachable).
fn guarded_with_api_at(address: SocketAddr) -> MediaFetcher {
    let config = OutboundConfig {
        meta_graph_url: format!("http://{address}/v21.0"),
        ..OutboundConfig::default()
    };
    MediaFetcher::new(&config, false).expect("fetcher")
}

async fn fetch(fetcher: &MediaFetcher, network: Network, url: &str) -> Fetched {
    fetcher
        .fetch(FetchRequest {
            network,
            url,
            access_token: "tok-secret",
            token_secret: "",
            max_bytes: MAX,
        })
        .await
}

fn is_refused(outcome: &Fetched) -> bool {
    matches!(outcome, Fetched::Refused(_))
}

fn kind(outcome: &Fetched) -> &'static str {
    match outcome {
        Fetched::Bytes { .. } => "bytes",
        Fetched::TooLarge { .. } => "too large",
        Fetched::Refused(_) => "refused",
        Fetched::Gone(_) => "gone",
        Fetched::Temporary(_) => "temporary",
    }
}

#[tokio::test]
async fn loopback_is_reached_when_private_addresses_are_allowed_and_typed_by_its_bytes() {
    let address = server::start().await;
    let outcome = fetch(&open(), Network::Facebook, &format!("http://{address}/png")).await;
    let Fetched::Bytes {
        bytes,
        content_type,
    } = outcome
    else {
        panic!("expected the bytes, got {outcome:?}");
    };
    assert_eq!(bytes.as_ref(), PNG);
    assert_eq!(content_type.as_deref(), Some("text/html"));
    assert_eq!(media_type(&bytes, content_type.as_deref()), "image/png");
}

#[tokio::test]
async fn private_addresses_are_refused_before_any_connection() {
    let address = server::start().await;
    let port = address.port();
    for url in [
        format!("http://{address}/png"),
        format!("http://localhost:{port}/png"),
        format!("http://[::1]:{port}/png"),
        format!("http://[::ffff:127.0.0.1]:{port}/png"),
        format!("http://2130706433:{port}/png"),
        "http://10.1.2.3/media.jpg".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
    ] {
        let outcome = fetch(&guarded(), Network::Instagram, &url).await;
        assert!(is_refused(&outcome), "{url}: {outcome:?}");
    }
}

#[tokio::test]
async fn only_http_and_https_are_fetched() {
    for url in [
        "file:///etc/passwd",
        "ftp://cdn.example/a.png",
        "gopher://x",
        "not a url",
    ] {
        let outcome = fetch(&open(), Network::Facebook, url).await;
        assert!(is_refused(&outcome), "{url}: {outcome:?}");
    }
}

#[tokio::test]
async fn redirects_are_followed_three_times_and_each_target_is_checked() {
    let address = server::start().await;
    let fetcher = guarded_with_api_at(address);
    let hops = |n: u32| format!("http://{address}/hop/{n}");
    assert!(
        matches!(
            fetch(&fetcher, Network::Facebook, &hops(2)).await,
            Fetched::Bytes { .. }
        ),
        "three redirects, then the picture"
    );
    let outcome = fetch(&fetcher, Network::Facebook, &hops(3)).await;
    assert!(is_refused(&outcome), "a fourth redirect: {outcome:?}");
    let port = address.port();
    for target in [
        format!("http://localhost:{port}/png"),
        "http://10.0.0.1/png".to_owned(),
        "file:///etc/passwd".to_owned(),
    ] {
        let url = format!("http://{address}/away?to={target}");
        let outcome = fetch(&fetcher, Network::Facebook, &url).await;
        assert!(is_refused(&outcome), "a redirect to {target}: {outcome:?}");
    }
}

#[tokio::test]
async fn bodies_past_the_limit_are_too_large_with_or_without_a_length() {
    let address = server::start().await;
    let announced = fetch(&open(), Network::Facebook, &format!("http://{address}/big")).await;
    assert_eq!(
        announced,
        Fetched::TooLarge {
            size: Some(BIG as u64)
        }
    );
    let url = format!("http://{address}/big-chunked");
    let counted = fetch(&open(), Network::Facebook, &url).await;
    assert_eq!(counted, Fetched::TooLarge { size: None });
}

#[tokio::test]
async fn answers_mean_gone_or_try_again() {
    let address = server::start().await;
    let table = [
        (404, "gone"),
        (410, "gone"),
        (403, "gone"),
        (401, "gone"),
        (400, "gone"),
        (429, "temporary"),
        (500, "temporary"),
        (503, "temporary"),
    ];
    for (code, expected) in table {
        let url = format!("http://{address}/status/{code}?oh=signature-123");
        let outcome = fetch(&open(), Network::X, &url).await;
        assert_eq!(kind(&outcome), expected, "{code}: {outcome:?}");
        assert!(
            !format!("{outcome:?}").contains("signature-123"),
            "a reason never shows the query: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn nothing_listening_and_no_answer_in_time_are_temporary() {
    let address = server::start().await;
    let config = OutboundConfig {
        request_timeout: Duration::from_secs(1),
        ..OutboundConfig::default()
    };
    let impatient = MediaFetcher::new(&config, true).expect("fetcher");
    let slow = fetch(
        &impatient,
        Network::Facebook,
        &format!("http://{address}/slow"),
    )
    .await;
    assert!(matches!(slow, Fetched::Temporary(_)), "{slow:?}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = closed.local_addr().expect("address").port();
    drop(closed);
    let url = format!("http://127.0.0.1:{port}/png");
    let refused = fetch(&open(), Network::Facebook, &url).await;
    assert!(matches!(refused, Fetched::Temporary(_)), "{refused:?}");
}

#[tokio::test]
async fn x_direct_message_media_needs_a_signature_the_request_cannot_make() {
    let url =
        "https://ton.twitter.com/1.1/ton/data/dm/1034828552951160836/1034828533812486145/a.jpg";
    let outcome = fetch(&open(), Network::X, url).await;
    let Fetched::Refused(reason) = outcome else {
        panic!("expected a refusal, got {outcome:?}");
    };
    assert!(reason.contains("OAuth 1.0a"), "{reason}");
    assert!(!reason.contains("tok-secret"), "{reason}");
}
