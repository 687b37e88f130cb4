//! Media the fake Meta CDN serves, as Meta's CDN serves attachments: a few pictures customers
//! send (a parcel, a receipt, a cracked mug) at `GET /cdn/{name}` with their content type, 404
//! for any other name.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// The pictures the fake serves, by name.
pub const PICTURES: [(&str, &[u8]); 3] = [
    ("parcel.png", include_bytes!("../../media/parcel.png")),
    ("receipt.png", include_bytes!("../../media/receipt.png")),
    ("mug.png", include_bytes!("../../media/mug.png")),
];

/// `GET /cdn/{name}`.
pub(super) async fn picture(Path(name): Path<String>) -> Response {
    match PICTURES.iter().find(|(n, _)| *n == name) {
        Some((_, bytes)) => ([(header::CONTENT_TYPE, "image/png")], *bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
