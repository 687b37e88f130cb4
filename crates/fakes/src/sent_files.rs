//! Files that replies carried to a fake (a Send API `filedata`, a comment's `source`, an X
//! media upload): kept in the fake's book, described for the tests, and served back at the
//! address the fake's echoes name, as the networks serve what a Page or an account sent.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::book::Book;
use crate::form_data::FormPart;
use crate::SentFile;

/// Keeps `part` (a file field) and answers the id it is kept under with its description; it is
/// served at `{path}/{id}` on the host the request named.
pub(crate) fn keep(
    book: &mut Book,
    part: &FormPart,
    headers: &HeaderMap,
    path: &str,
    named_type: Option<String>,
) -> (String, SentFile) {
    let id = book.keep_file(part);
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let file = SentFile {
        field: part.name.clone(),
        filename: part.filename.clone(),
        content_type: part.content_type.clone(),
        size: part.bytes.len(),
        named_type,
        url: format!("http://{host}{path}/{id}"),
    };
    (id, file)
}

/// A kept file's bytes with their type, or 404.
pub(crate) fn answer(book: &Book, id: &str) -> Response {
    match book.files.get(id) {
        Some((mime, bytes)) => {
            ([(header::CONTENT_TYPE, mime.clone())], bytes.clone()).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
