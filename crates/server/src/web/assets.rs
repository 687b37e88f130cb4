//! The web app's stylesheet and script, compiled into the binary (no build step, no CDN).

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

const APP_CSS: &str = include_str!("../../assets/app.css");
const APP_JS: &str = include_str!("../../assets/app.js");
const COMMUNITY_JS: &str = include_str!("../../assets/community.js");
const SETTINGS_JS: &str = include_str!("../../assets/settings.js");
const CARE_JS: &str = include_str!("../../assets/care.js");
const SEARCH_JS: &str = include_str!("../../assets/search.js");
const BULK_JS: &str = include_str!("../../assets/bulk.js");
const LISTS_JS: &str = include_str!("../../assets/lists.js");
const SAVED_REPLIES_JS: &str = include_str!("../../assets/saved-replies.js");
const MENTIONS_JS: &str = include_str!("../../assets/mentions.js");
const PICKER_JS: &str = include_str!("../../assets/picker.js");
const BELL_JS: &str = include_str!("../../assets/bell.js");
const PRESENCE_JS: &str = include_str!("../../assets/presence.js");
const PROFILE_JS: &str = include_str!("../../assets/profile.js");
const COMPOSER_JS: &str = include_str!("../../assets/composer.js");
const STREAM_WORKER_JS: &str = include_str!("../../assets/stream-worker.js");

/// `GET /assets/{file}`.
pub(crate) async fn serve(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        "community.js" => (COMMUNITY_JS, "text/javascript; charset=utf-8"),
        "settings.js" => (SETTINGS_JS, "text/javascript; charset=utf-8"),
        "care.js" => (CARE_JS, "text/javascript; charset=utf-8"),
        "search.js" => (SEARCH_JS, "text/javascript; charset=utf-8"),
        "bulk.js" => (BULK_JS, "text/javascript; charset=utf-8"),
        "lists.js" => (LISTS_JS, "text/javascript; charset=utf-8"),
        "saved-replies.js" => (SAVED_REPLIES_JS, "text/javascript; charset=utf-8"),
        "mentions.js" => (MENTIONS_JS, "text/javascript; charset=utf-8"),
        "picker.js" => (PICKER_JS, "text/javascript; charset=utf-8"),
        "bell.js" => (BELL_JS, "text/javascript; charset=utf-8"),
        "presence.js" => (PRESENCE_JS, "text/javascript; charset=utf-8"),
        "profile.js" => (PROFILE_JS, "text/javascript; charset=utf-8"),
        "composer.js" => (COMPOSER_JS, "text/javascript; charset=utf-8"),
        "stream-worker.js" => (STREAM_WORKER_JS, "text/javascript; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "no such asset").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}
