//! The X API v2 calls the fake serves: `POST /2/tweets`, `POST /2/media/upload` (a file kept for
//! the post or message that names it, served back at `/media/{id}`) and
//! `POST /2/dm_conversations/with/{participant_id}/messages`, made in a user's name with a bearer
//! token or an OAuth 1.0a signature (`auth`; 401 problem when unknown, revoked or wrongly
//! signed), a `text` within X's limits and empty only beside media (400 invalid request
//! otherwise), and 201 bodies.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Json, Router};
use serde_json::{json, Value};

use super::auth::{self, Request};
use super::{dm_media, echo, FakeAccount, XState};
use crate::book::Known;
use crate::fault::{replacing_answer, x_problem, Fault};
use crate::server::Hangup;
use crate::{clock, form_data, ids, lock, sent_files, SendKind, SentFile, SentReply};

const POST_LIMIT: usize = 280;
const DM_LIMIT: usize = 10_000;

pub(super) fn router(state: Arc<XState>) -> Router {
    Router::new()
        .route("/2/tweets", post(create_post))
        .route("/2/media/upload", post(upload_media))
        .route("/media/{id}", axum::routing::get(uploaded_media))
        .route(dm_media::ROUTE, axum::routing::get(dm_media::serve))
        .route(
            "/2/dm_conversations/with/{participant}/messages",
            post(create_direct_message),
        )
        .fallback(|| async {
            x_problem(404, "Not Found Error", "Sorry, that page does not exist.")
        })
        .with_state(state)
}

/// X's answer to a rate-limited call: 429 with the rate-limit headers.
fn rate_limited(secs: u64) -> Response {
    let reset = u64::try_from(clock::secs()).unwrap_or(0) + secs;
    let mut answer = x_problem(429, "Too Many Requests", "Too Many Requests");
    for (name, value) in [
        ("x-rate-limit-limit", "100".to_owned()),
        ("x-rate-limit-remaining", "0".to_owned()),
        ("x-rate-limit-reset", reset.to_string()),
    ] {
        if let Ok(value) = value.parse() {
            answer.headers_mut().insert(name, value);
        }
    }
    answer
}

/// Why X refuses a call.
#[derive(Debug)]
enum Refused {
    /// No, an unknown or a revoked token.
    Unauthorized,
    /// A parameter is wrong; the words say which.
    Invalid(String),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Unauthorized => x_problem(401, "Unauthorized", "Unauthorized"),
            Refused::Invalid(message) => {
                let body = json!({
                    "errors": [{"parameters": {"text": []}, "message": message}],
                    "title": "Invalid Request",
                    "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                });
                (StatusCode::BAD_REQUEST, Json(body)).into_response()
            }
        }
    }
}

fn invalid(message: &str) -> Refused {
    Refused::Invalid(message.to_owned())
}

/// The account the call is made for, by its bearer token or its OAuth 1.0a signature.
fn account_of<'s>(state: &'s XState, request: Request<'_>) -> Result<&'s FakeAccount, Refused> {
    auth::caller(state, request).ok_or(Refused::Unauthorized)
}

/// The media ids a post (`media.media_ids`) or a direct message (`attachments[].media_id`)
/// names.
fn media_ids(body: &Value) -> Vec<String> {
    let from_post = body
        .get("media")
        .and_then(|m| m.get("media_ids"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    let from_dm = body
        .get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| a.get("media_id").and_then(Value::as_str));
    from_post.chain(from_dm).map(str::to_owned).collect()
}

/// The uploaded file a call names (one at most here), or why X refuses it.
fn named_upload(state: &XState, body: &Value) -> Result<Option<SentFile>, Refused> {
    let ids = media_ids(body);
    let Some(id) = ids.first() else {
        return Ok(None);
    };
    if ids.len() > 1 {
        return Err(invalid("The fake takes one media id per call"));
    }
    lock(&state.controls.book)
        .uploads
        .get(id)
        .cloned()
        .map(Some)
        .ok_or_else(|| invalid(&format!("Your media IDs are invalid: {id}")))
}

/// The body and its `text`, checked against `limit`; the text may be empty beside media.
fn body_text(body: &[u8], limit: usize) -> Result<(Value, String), Refused> {
    let body: Value = serde_json::from_slice(body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| invalid("The request body is not a JSON object"))?;
    let text = body
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if text.trim().is_empty() && media_ids(&body).is_empty() {
        return Err(invalid(
            "The `text` field is required and must not be empty",
        ));
    }
    if text.chars().count() > limit {
        return Err(invalid(&format!(
            "The `text` field must be at most {limit} characters long"
        )));
    }
    Ok((body, text))
}

/// Plays the fault, posts with `accept`, and answers 201 (or not at all).
async fn serve(
    state: &XState,
    hangup: &Hangup,
    request: Request<'_>,
    accept: impl FnOnce(&FakeAccount, bool) -> Result<Value, Refused>,
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
    let posted = account_of(state, request)
        .and_then(|account| accept(account, fault != Some(Fault::DropAfterPosting)));
    let data = match posted {
        Ok(data) => data,
        Err(refused) => return refused.into_response(),
    };
    match fault {
        Some(Fault::DropAfterPosting) => hangup.now().await,
        Some(Fault::Delay(pause)) => tokio::time::sleep(pause).await,
        _ => {}
    }
    (StatusCode::CREATED, Json(json!({ "data": data }))).into_response()
}

async fn create_post(
    State(state): State<Arc<XState>>,
    Extension(hangup): Extension<Hangup>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = Request {
        method: &method,
        uri: &uri,
        headers: &headers,
        body: &body,
    };
    serve(&state, &hangup, request, |account, answered| {
        let (body, text) = body_text(&body, POST_LIMIT)?;
        let file = named_upload(&state, &body)?;
        let in_reply_to = body
            .get("reply")
            .and_then(|r| r.get("in_reply_to_tweet_id"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let id = ids::fresh();
        let mut book = lock(&state.controls.book);
        let customer = in_reply_to
            .as_ref()
            .and_then(|t| book.known.get(t))
            .map(|k| k.author.clone())
            .filter(|author| author.id != account.user_id);
        book.known.insert(
            id.clone(),
            Known {
                author: account.person(),
                root: in_reply_to.clone(),
            },
        );
        book.sent.push(SentReply {
            kind: if in_reply_to.is_some() {
                SendKind::XReply
            } else {
                SendKind::XPost
            },
            profile: account.user_id.clone(),
            target: in_reply_to.clone().unwrap_or_default(),
            customer: customer.as_ref().map(|c| c.id.clone()),
            text: text.clone(),
            network_id: id.clone(),
            messaging_type: None,
            tag: None,
            answered,
            file: file.clone(),
        });
        let parent = in_reply_to.as_deref();
        state.controls.echoes.send(
            echo::tweet(
                account,
                &id,
                &text,
                parent,
                customer.as_ref(),
                file.as_ref(),
            ),
            echo::posted(account, &id, parent),
        );
        Ok(json!({ "edit_history_tweet_ids": [id], "id": id, "text": text }))
    })
    .await
}

/// X's conversation id of two users: both ids, the smaller first.
fn conversation_id(a: &str, b: &str) -> String {
    let key = |id: &str| (id.len(), id.to_owned());
    let (first, second) = if key(a) <= key(b) { (a, b) } else { (b, a) };
    format!("{first}-{second}")
}

async fn create_direct_message(
    State(state): State<Arc<XState>>,
    Path(participant): Path<String>,
    Extension(hangup): Extension<Hangup>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = Request {
        method: &method,
        uri: &uri,
        headers: &headers,
        body: &body,
    };
    serve(&state, &hangup, request, |account, answered| {
        let (body, text) = body_text(&body, DM_LIMIT)?;
        let file = named_upload(&state, &body)?;
        if participant == account.user_id {
            return Err(invalid("You cannot send a direct message to yourself"));
        }
        let id = ids::fresh();
        lock(&state.controls.book).sent.push(SentReply {
            kind: SendKind::XDirect,
            profile: account.user_id.clone(),
            target: participant.clone(),
            customer: Some(participant.clone()),
            text: text.clone(),
            network_id: id.clone(),
            messaging_type: None,
            tag: None,
            answered,
            file: file.clone(),
        });
        state.controls.echoes.send(
            echo::direct_message(
                account,
                &state.app_id,
                &id,
                &participant,
                &text,
                file.as_ref(),
            ),
            echo::posted(account, &id, None),
        );
        Ok(json!({
            "dm_conversation_id": conversation_id(&account.user_id, &participant),
            "dm_event_id": id,
        }))
    })
    .await
}

/// `POST /2/media/upload`: a multipart `media` file with its `media_category`, kept for the post
/// or direct message that names its id.
async fn upload_media(
    State(state): State<Arc<XState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = Request {
        method: &method,
        uri: &uri,
        headers: &headers,
        body: &body,
    };
    if let Err(refused) = account_of(&state, request) {
        return refused.into_response();
    }
    let Some(parts) = form_data::parse(&headers, &body) else {
        return invalid("The request body is not multipart/form-data").into_response();
    };
    let category = parts
        .iter()
        .find(|p| p.name == "media_category")
        .and_then(|p| p.text())
        .map(str::to_owned);
    const CATEGORIES: [&str; 6] = [
        "tweet_image",
        "tweet_gif",
        "tweet_video",
        "dm_image",
        "dm_gif",
        "dm_video",
    ];
    if category
        .as_deref()
        .is_some_and(|c| !CATEGORIES.contains(&c))
    {
        return invalid("media_category is not one X knows").into_response();
    }
    let Some(media) = parts.iter().find(|p| p.name == "media") else {
        return invalid("The `media` field is required").into_response();
    };
    let mut book = lock(&state.controls.book);
    let (id, file) = sent_files::keep(&mut book, media, &headers, "/media", category);
    let size = file.size;
    book.uploads.insert(id.clone(), file);
    let body = json!({"data": {
        "id": id, "media_key": format!("3_{id}"), "size": size, "expires_after_secs": 86_400,
    }});
    (StatusCode::OK, Json(body)).into_response()
}

/// `GET /media/{id}`: an uploaded file, as X's media host serves it.
async fn uploaded_media(State(state): State<Arc<XState>>, Path(id): Path<String>) -> Response {
    sent_files::answer(&lock(&state.controls.book), &id)
}
