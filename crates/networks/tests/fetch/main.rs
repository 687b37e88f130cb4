//! The guarded media download against a local HTTP server: what it may reach, how far it
//! follows redirects, where it stops reading, what each answer means, how the bytes are typed,
//! and how X's direct-message media is signed (and where the signature is not sent).

mod server;

use std::net::SocketAddr;
use std::time::Duration;

use caredesk_app::media::{FetchRequest, Fetched, MediaSource};
use caredesk_domain::Network;
use caredesk_networks::fetch::{media_type, MediaFetcher};
use caredesk_networks::outbound::OutboundConfig;

use server::{BIG, CONSUMER_KEY, CONSUMER_SECRET, PNG, TOKEN, TOKEN_SECRET};

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
            consumer_key: "",
            consumer_secret: "",
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

/// A guarded fetcher whose configured X API is the server at `address`, where it serves
/// direct-message media under `/1.1/ton/data/dm/`.
fn guarded_with_x_api_at(address: SocketAddr) -> MediaFetcher {
    let config = OutboundConfig {
        x_api_url: format!("http://{address}/2"),
        ..OutboundConfig::default()
    };
    MediaFetcher::new(&config, false).expect("fetcher")
}

/// The OAuth 1.0a credentials of a fetch: the profile's token and secret, the app's key.
struct Signer<'a> {
    token: &'a str,
    token_secret: &'a str,
    consumer_key: &'a str,
}

const SIGNER: Signer<'static> = Signer {
    token: TOKEN,
    token_secret: TOKEN_SECRET,
    consumer_key: CONSUMER_KEY,
};

async fn fetch_x(fetcher: &MediaFetcher, url: &str, signer: &Signer<'_>) -> Fetched {
    fetcher
        .fetch(FetchRequest {
            network: Network::X,
            url,
            access_token: signer.token,
            token_secret: signer.token_secret,
            consumer_key: signer.consumer_key,
            consumer_secret: CONSUMER_SECRET,
            max_bytes: MAX,
        })
        .await
}

#[tokio::test]
async fn x_direct_message_media_is_fetched_with_an_oauth_1_signature() {
    let address = server::start().await;
    let fetcher = guarded_with_x_api_at(address);
    let media = format!("http://{address}/1.1/ton/data/dm/1797/1798/a.png?size=large");
    let outcome = fetch_x(&fetcher, &media, &SIGNER).await;
    assert!(
        matches!(&outcome, Fetched::Bytes { bytes, .. } if bytes.as_ref() == PNG),
        "{outcome:?}"
    );
    // A redirect within the origin is signed afresh for its own URL.
    let hop = format!("http://{address}/1.1/ton/data/dm/away?to=/1.1/ton/data/dm/1/2/b.png");
    let outcome = fetch_x(&fetcher, &hop, &SIGNER).await;
    assert!(matches!(outcome, Fetched::Bytes { .. }), "{outcome:?}");
}

#[tokio::test]
async fn the_signature_never_leaves_the_origin_it_was_made_for() {
    let address = server::start().await;
    let fetcher = guarded_with_x_api_at(address);
    let port = address.port();
    // Another origin (the host differs), though the same server: no Authorization header.
    let elsewhere = format!("http://localhost:{port}/authorization");
    let away = format!("http://{address}/1.1/ton/data/dm/away?to={elsewhere}");
    let open_fetcher = MediaFetcher::new(
        &OutboundConfig {
            x_api_url: format!("http://{address}/2"),
            ..OutboundConfig::default()
        },
        true,
    )
    .expect("fetcher");
    let outcome = fetch_x(&open_fetcher, &away, &SIGNER).await;
    assert!(
        matches!(&outcome, Fetched::Bytes { bytes, .. } if bytes.as_ref() == b"absent"),
        "{outcome:?}"
    );
    // Nor when the other origin sends the download back.
    let back = format!("http://{address}/authorization");
    let round =
        format!("http://{address}/1.1/ton/data/dm/away?to=http://localhost:{port}/away?to={back}");
    let outcome = fetch_x(&open_fetcher, &round, &SIGNER).await;
    assert!(
        matches!(&outcome, Fetched::Bytes { bytes, .. } if bytes.as_ref() == b"absent"),
        "{outcome:?}"
    );
    // Within the origin it is sent.
    let here = format!("http://{address}/1.1/ton/data/dm/away?to=/authorization");
    let outcome = fetch_x(&fetcher, &here, &SIGNER).await;
    assert!(
        matches!(&outcome, Fetched::Bytes { bytes, .. } if bytes.as_ref() == b"present"),
        "{outcome:?}"
    );
    // The same path on a host that is not the X API is fetched as any media: unsigned, and
    // guarded (here a loopback address the guarded fetcher may not reach).
    let foreign = format!("http://localhost:{port}/1.1/ton/data/dm/1/2/a.png");
    let outcome = fetch_x(&fetcher, &foreign, &SIGNER).await;
    assert!(is_refused(&outcome), "{outcome:?}");
    let outcome = fetch_x(&open_fetcher, &foreign, &SIGNER).await;
    assert_eq!(
        kind(&outcome),
        "gone",
        "unsigned, the server answers 401: {outcome:?}"
    );
}

#[tokio::test]
async fn a_refused_signature_is_refused_with_what_to_check() {
    let address = server::start().await;
    let fetcher = guarded_with_x_api_at(address);
    let media = format!("http://{address}/1.1/ton/data/dm/1797/1798/a.png");
    let wrong = Signer {
        token_secret: "not-the-token-secret",
        ..SIGNER
    };
    let outcome = fetch_x(&fetcher, &media, &wrong).await;
    let Fetched::Refused(reason) = outcome else {
        panic!("expected a refusal, got {outcome:?}");
    };
    assert!(reason.contains("HTTP 401"), "{reason}");
    assert!(reason.contains("token secret"), "{reason}");
    for secret in ["not-the-token-secret", TOKEN, CONSUMER_SECRET] {
        assert!(!reason.contains(secret), "{reason}");
    }
}

#[tokio::test]
async fn x_direct_message_media_without_oauth_1_credentials_is_refused_with_what_to_set() {
    let address = server::start().await;
    let fetcher = guarded_with_x_api_at(address);
    let table = [
        (
            "https://ton.twitter.com/1.1/ton/data/dm/1034828552951160836/1034828533812486145/a.jpg"
                .to_owned(),
            Signer {
                token: "oauth2-bearer",
                token_secret: "",
                ..SIGNER
            },
            "access token secret",
        ),
        (
            format!("http://{address}/1.1/ton/data/dm/1/2/a.png"),
            Signer {
                token: "oauth2-bearer",
                token_secret: "",
                ..SIGNER
            },
            "access token secret",
        ),
        (
            format!("http://{address}/1.1/ton/data/dm/1/2/a.png"),
            Signer {
                consumer_key: "",
                ..SIGNER
            },
            "consumer key",
        ),
    ];
    for (url, signer, to_set) in table {
        let outcome = fetch_x(&fetcher, &url, &signer).await;
        let Fetched::Refused(reason) = outcome else {
            panic!("{url}: expected a refusal, got {outcome:?}");
        };
        assert!(reason.contains("OAuth 1.0a"), "{reason}");
        assert!(reason.contains(to_set), "{reason}");
        assert!(
            !reason.contains("oauth2-bearer") && !reason.contains(TOKEN),
            "{reason}"
        );
    }
}
