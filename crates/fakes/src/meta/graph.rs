//! The Graph API calls the fake serves, with Meta's rules: a page token in `Authorization:
//! Bearer` (code 190 when unknown or revoked), `message` for comments, the Send API's
//! `recipient`, `messaging_type` and `message.text`, one private reply per comment, text limits
//! (code 100), and Graph's error envelope; the person look-up lives in `people`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use caredesk_networks::Network;
use serde_json::Value;

use super::comments;
use super::{FakePage, MetaState};
use crate::book::{Book, Known};
use crate::fault::{graph_error, replacing_answer, Fault};
use crate::server::Hangup;
use crate::{form_data, sent_files};
use crate::{lock, SentFile, SentReply};

pub(super) fn router(state: Arc<MetaState>) -> Router {
    Router::new()
        .route("/{version}/{object}/{edge}", post(graph_post))
        .route("/{version}/{object}", get(graph_get))
        .route("/cdn/{name}", get(super::media::picture))
        .route("/cdn/sent/{id}", get(sent_file))
        .fallback(|| async { Failure::param("(#100) Unknown path components").into_response() })
        .with_state(state)
}

/// `GET /{version}/{object}`: a mention's content when the fields or the object name one,
/// else who a person is.
async fn graph_get(
    State(state): State<Arc<MetaState>>,
    Path(path): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    hangup: Extension<Hangup>,
    headers: HeaderMap,
) -> Response {
    if super::mentioned::asks_for_mention(&state, &path.1, &query) {
        return super::mentioned::graph_get(State(state), Path(path), Query(query), headers).await;
    }
    super::people::person(State(state), Path(path), Query(query), hangup, headers).await
}

/// A Graph error the fake answers.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) status: u16,
    pub(super) code: i64,
    pub(super) subcode: Option<i64>,
    pub(super) message: String,
}

impl Failure {
    pub(super) fn param(message: impl Into<String>) -> Self {
        Self {
            status: 400,
            code: 100,
            subcode: None,
            message: message.into(),
        }
    }

    fn token(message: &str, subcode: Option<i64>) -> Self {
        Self {
            status: 400,
            code: 190,
            subcode,
            message: message.into(),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        graph_error(
            self.status,
            self.code,
            self.subcode,
            "OAuthException",
            &self.message,
        )
    }
}

/// Graph's answer to a rate-limited call: code 613, and no wait named.
pub(super) fn rate_limited(_secs: u64) -> Response {
    Failure {
        status: 400,
        code: 613,
        subcode: None,
        message: "(#613) Calls to this api have exceeded the rate limit.".into(),
    }
    .into_response()
}

/// One request, as the handlers need it.
pub(super) struct Call<'a> {
    pub(super) object: &'a str,
    pub(super) edge: &'a str,
    pub(super) headers: &'a HeaderMap,
    pub(super) body: &'a Bytes,
    pub(super) answered: bool,
}

impl Call<'_> {
    /// The file field `name` of a multipart body, kept by the fake and described for the book.
    pub(super) fn file(
        &self,
        book: &mut Book,
        name: &str,
        named_type: Option<String>,
    ) -> Option<SentFile> {
        let parts = form_data::parse(self.headers, self.body)?;
        let part = parts
            .iter()
            .find(|p| p.name == name && p.filename.is_some())?;
        let (_, file) = sent_files::keep(book, part, self.headers, "/cdn/sent", named_type);
        Some(file)
    }
}

/// `GET /cdn/sent/{id}`: a file a reply carried, as the network serves what a Page sent.
async fn sent_file(State(state): State<Arc<MetaState>>, Path(id): Path<String>) -> Response {
    sent_files::answer(&lock(&state.controls.book), &id)
}

async fn graph_post(
    State(state): State<Arc<MetaState>>,
    Path((version, object, edge)): Path<(String, String, String)>,
    Extension(hangup): Extension<Hangup>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fault = state.controls.faults.pop();
    if let Some(answer) = fault
        .as_ref()
        .and_then(|f| replacing_answer(f, rate_limited))
    {
        return answer;
    }
    if fault == Some(Fault::DropBeforePosting) {
        return hangup.now().await;
    }
    if !is_version(&version) {
        return Failure::param(format!("Unknown path components: /{version}")).into_response();
    }
    let call = Call {
        object: &object,
        edge: &edge,
        headers: &headers,
        body: &body,
        answered: fault != Some(Fault::DropAfterPosting),
    };
    let accepted = match accept(&state, &call) {
        Ok(accepted) => accepted,
        Err(failure) => return failure.into_response(),
    };
    match fault {
        Some(Fault::DropAfterPosting) => hangup.now().await,
        Some(Fault::Delay(pause)) => {
            tokio::time::sleep(pause).await;
            Json(accepted).into_response()
        }
        _ => Json(accepted).into_response(),
    }
}

/// `vNN.N`.
pub(crate) fn is_version(v: &str) -> bool {
    v.strip_prefix('v').is_some_and(|rest| {
        let mut parts = rest.split('.');
        let numeric = |p: Option<&str>| {
            p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        numeric(parts.next()) && numeric(parts.next()) && parts.next().is_none()
    })
}

/// The body's parameters: a form, a multipart form's text fields, or a JSON object.
fn params(headers: &HeaderMap, body: &Bytes) -> Result<Value, Failure> {
    if let Some(parts) = form_data::parse(headers, body) {
        return Ok(parts
            .iter()
            .filter_map(|p| Some((p.name.clone(), Value::String(p.text()?.to_owned()))))
            .collect::<serde_json::Map<_, _>>()
            .into());
    }
    let json_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    if json_type {
        return serde_json::from_slice::<Value>(body)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| Failure::param("(#100) The request body is not a JSON object"));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|_| Failure::param("(#100) The request body is not a form"))?;
    Ok(pairs
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect::<serde_json::Map<_, _>>()
        .into())
}

/// The page whose token the call carries.
pub(super) fn page_of<'s>(
    state: &'s MetaState,
    call: &Call<'_>,
    params: &Value,
) -> Result<&'s FakePage, Failure> {
    let bearer = call
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let token = bearer
        .or_else(|| params.get("access_token").and_then(Value::as_str))
        .unwrap_or("");
    if token.is_empty() {
        return Err(Failure::token(
            "An active access token must be used to query information about the current user.",
            None,
        ));
    }
    if lock(&state.controls.book).revoked.contains(token) {
        return Err(Failure::token(
            concat!(
                "Error validating access token: The session has been invalidated because the user ",
                "changed their password or Facebook has changed the session for security reasons."
            ),
            Some(460),
        ));
    }
    state
        .pages
        .iter()
        .find(|p| p.access_token == token)
        .ok_or_else(|| {
            Failure::token(
                "Invalid OAuth access token - Cannot parse access token",
                None,
            )
        })
}

/// Posts the call's reply: its success body, recorded and echoed.
fn accept(state: &MetaState, call: &Call<'_>) -> Result<Value, Failure> {
    let params = params(call.headers, call.body)?;
    let page = page_of(state, call, &params)?;
    let mut book = lock(&state.controls.book);
    let network = page.network;
    match (call.edge, network) {
        ("comments", Network::Facebook) => {
            let photo = call.file(&mut book, "source", None);
            let text = match photo {
                Some(_) => params
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                None => comments::text_param(&params, 8_000)?,
            };
            comments::facebook_comment(state, &mut book, page, call, text, photo)
        }
        ("comments", Network::Instagram) | ("replies", Network::Instagram) => {
            let text = comments::text_param(&params, 2_200)?;
            comments::instagram_comment(state, &mut book, page, call, text)
        }
        ("messages", _) => super::send_api::messages(state, &mut book, page, call, &params),
        (edge, _) => Err(Failure::param(format!(
            "(#100) Tried accessing nonexisting field ({edge})"
        ))),
    }
}

pub(super) fn record(
    book: &mut Book,
    sent: SentReply,
    posted_root: Option<&str>,
    author: crate::Person,
) {
    book.known.insert(
        sent.network_id.clone(),
        Known {
            author,
            root: posted_root.map(str::to_owned),
        },
    );
    book.sent.push(sent);
}

pub(super) fn customer_of(book: &Book, page: &FakePage, object: &str) -> Option<String> {
    book.known
        .get(object)
        .map(|k| k.author.id.clone())
        .filter(|author| *author != page.id)
}
