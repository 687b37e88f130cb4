//! X's media: pictures and videos of posts (`pbs.twimg.com`, `video.twimg.com`) are plain GETs;
//! direct-message media must be requested with an OAuth 1.0a signature made with the X app's
//! consumer key and secret and the profile's access token and token secret (X's "Retrieving
//! media" guide for direct messages).
//!
//! Direct-message media is a URL on `ton.twitter.com`, or one under `/1.1/ton/data/dm/` at the
//! origin of the configured X API (where the X fake serves it on loopback). Only such a URL is
//! signed, so a payload can never send the signature to a host of its choosing; redirects carry
//! it only back to the same origin ([`Download::get_authorized`]). Without the four credentials
//! (a profile with only an OAuth 2 bearer token has no token secret) the media is refused with
//! what to set, and stays a link; a 401 from X is refused the same way, since retrying the same
//! credentials cannot help.

use caredesk_app::media::{FetchRequest, Fetched};
use reqwest::Url;

use super::oauth1::Credentials;
use crate::fetch::{Authorization, Download};
use crate::outbound::Auth;

/// The host of X's direct-message media.
const DM_MEDIA_HOST: &str = "ton.twitter.com";

/// Where direct-message media lives on its host.
const DM_MEDIA_PATH: &str = "/1.1/ton/data/dm/";

/// What the operator reads when X refuses the signature.
const WHEN_REFUSED: &str = "X did not accept the OAuth 1.0a signature of direct-message media: \
                            check the profile's OAuth 1.0a access token and token secret and \
                            the X app's consumer key and consumer secret";

/// Fetches the media of an X post or direct message.
pub(crate) async fn fetch(download: Download<'_>, request: FetchRequest<'_>) -> Fetched {
    let dm = Url::parse(request.url.trim())
        .ok()
        .filter(|url| is_direct_message_media(url, download.api_base()));
    let Some(url) = dm else {
        return download.get(request.url, request.max_bytes).await;
    };
    if url.scheme() != "https" && !same_origin(&url, download.api_base()) {
        return Fetched::Refused(
            "X direct-message media is signed and fetched over https only".into(),
        );
    }
    let credentials = match credentials(&request) {
        Ok(credentials) => credentials,
        Err(why) => return Fetched::Refused(why.into()),
    };
    let signed = Auth::OAuth1(credentials);
    let header = |hop: &Url| Ok(signed.value("GET", hop, &[]));
    let authorization = Authorization {
        header: &header,
        when_refused: WHEN_REFUSED,
    };
    download
        .get_authorized(url.as_str(), request.max_bytes, authorization)
        .await
}

/// The four credentials of the signature, or what the operator has to set.
fn credentials<'a>(request: &FetchRequest<'a>) -> Result<Credentials<'a>, &'static str> {
    if request.consumer_key.is_empty() || request.consumer_secret.is_empty() {
        return Err(
            "X direct-message media needs an OAuth 1.0a signature and the profile's X app has \
             no consumer key: set the app's consumer key (API key) and consumer secret",
        );
    }
    if request.access_token.is_empty() || request.token_secret.is_empty() {
        return Err(
            "X direct-message media needs an OAuth 1.0a signature and the profile holds no \
             OAuth 1.0a token secret (an OAuth 2 bearer token cannot sign): set the profile's \
             OAuth 1.0a access token and access token secret",
        );
    }
    Ok(Credentials {
        consumer_key: request.consumer_key,
        consumer_secret: request.consumer_secret,
        token: request.access_token,
        token_secret: request.token_secret,
    })
}

/// True for a URL on X's direct-message media host, or under its path at the X API's origin.
fn is_direct_message_media(url: &Url, api: Option<&Url>) -> bool {
    let on_media_host = url
        .host_str()
        .is_some_and(|h| h.eq_ignore_ascii_case(DM_MEDIA_HOST));
    on_media_host || (same_origin(url, api) && url.path().starts_with(DM_MEDIA_PATH))
}

fn same_origin(url: &Url, api: Option<&Url>) -> bool {
    api.is_some_and(|api| api.origin() == url.origin())
}

#[cfg(test)]
mod tests {
    use super::*;
    use caredesk_domain::Network;

    fn url(text: &str) -> Url {
        Url::parse(text).expect("a URL")
    }

    #[test]
    fn direct_message_media_is_told_from_post_media() {
        let api = url("http://127.0.0.1:4000/2");
        let table = [
            ("https://ton.twitter.com/1.1/ton/data/dm/1/2/a.jpg", true),
            ("https://TON.twitter.com/x", true),
            ("http://127.0.0.1:4000/1.1/ton/data/dm/1/2/a.jpg", true),
            ("http://127.0.0.1:4000/media/12", false),
            ("http://127.0.0.1:4001/1.1/ton/data/dm/1/2/a.jpg", false),
            ("https://127.0.0.1:4000/1.1/ton/data/dm/1/2/a.jpg", false),
            ("http://evil.example/1.1/ton/data/dm/1/2/a.jpg", false),
            ("https://pbs.twimg.com/media/F1.jpg", false),
            ("https://video.twimg.com/ext_tw_video/1/pu/vid/a.mp4", false),
            ("https://ton.twitter.com.example/x", false),
        ];
        for (text, dm) in table {
            assert_eq!(
                is_direct_message_media(&url(text), Some(&api)),
                dm,
                "{text}"
            );
        }
        let elsewhere = url("http://127.0.0.1:4000/1.1/ton/data/dm/1/2/a.jpg");
        assert!(!is_direct_message_media(&elsewhere, None));
    }

    fn request<'a>(access: &'a str, secret: &'a str, key: &'a str) -> FetchRequest<'a> {
        FetchRequest {
            network: Network::X,
            url: "https://ton.twitter.com/1.1/ton/data/dm/1/2/a.jpg",
            access_token: access,
            token_secret: secret,
            consumer_key: key,
            consumer_secret: "consumer-secret",
            max_bytes: 1,
        }
    }

    #[test]
    fn a_signature_needs_all_four_credentials_and_says_which_is_missing() {
        let table = [
            (request("token", "token-secret", "key"), None),
            (
                request("bearer-abc", "", "key"),
                Some("OAuth 1.0a access token"),
            ),
            (
                request("", "token-secret", "key"),
                Some("OAuth 1.0a access token"),
            ),
            (request("token", "token-secret", ""), Some("consumer key")),
        ];
        for (request, missing) in table {
            match (credentials(&request), missing) {
                (Ok(_), None) => {}
                (Err(why), Some(words)) => {
                    assert!(why.contains(words), "{why}");
                    assert!(
                        !why.contains("token-secret") && !why.contains("bearer-abc"),
                        "{why}"
                    );
                }
                (outcome, _) => panic!("{request:?}: {:?}", outcome.map(|_| ())),
            }
        }
    }
}
