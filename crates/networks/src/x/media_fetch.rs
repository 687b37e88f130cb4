//! X's media: pictures and videos of posts (`pbs.twimg.com`, `video.twimg.com`) are plain GETs;
//! direct-message media (`ton.twitter.com`) must be requested with an OAuth 1.0a signature made
//! with the X app's consumer key and secret and the profile's token and secret (X's "Retrieving
//! media" guide for direct messages). A media request carries the profile's token and secret but
//! not the app's consumer key, so such media is refused with that reason and stays a link.

use caredesk_app::media::{FetchRequest, Fetched};
use reqwest::Url;

use crate::fetch::Download;

/// The host of X's direct-message media.
const DM_MEDIA_HOST: &str = "ton.twitter.com";

/// Fetches the media of an X post or direct message.
pub(crate) async fn fetch(download: Download<'_>, request: FetchRequest<'_>) -> Fetched {
    if is_direct_message_media(request.url) {
        return Fetched::Refused(
            "X direct-message media (ton.twitter.com) must be requested with an OAuth 1.0a \
             signature of the X app's consumer key and secret and the profile's token and \
             secret; the media request carries no consumer key"
                .into(),
        );
    }
    download.get(request.url, request.max_bytes).await
}

fn is_direct_message_media(url: &str) -> bool {
    Url::parse(url.trim())
        .ok()
        .and_then(|u| u.host_str().map(|h| h.eq_ignore_ascii_case(DM_MEDIA_HOST)))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_message_media_is_told_from_post_media() {
        let table = [
            ("https://ton.twitter.com/1.1/ton/data/dm/1/2/a.jpg", true),
            ("https://TON.twitter.com/x", true),
            ("https://pbs.twimg.com/media/F1.jpg", false),
            ("https://video.twimg.com/ext_tw_video/1/pu/vid/a.mp4", false),
            ("https://ton.twitter.com.example/x", false),
            ("not a url", false),
        ];
        for (url, dm) in table {
            assert_eq!(is_direct_message_media(url), dm, "{url}");
        }
    }
}
