//! The Graph API's person look-up as the fake serves it: `GET /{version}/{id}?fields=…` with a
//! page token answers the people who wrote to the page (the customers whose deliveries the fake
//! was told about) in Meta's shapes — Messenger `first_name`, `last_name`, `profile_pic`, `id`;
//! Instagram `name`, `username`, `profile_pic`, `id` — with only the fields asked for (and the
//! id). The picture is one the fake's CDN serves (`/cdn/{name}`): chosen by the person's id, or
//! set by a test with [`super::FakeMeta::set_profile_pic`]. An id the page does not know is
//! code 100 / subcode 33, a bad token code 190, as Graph answers.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use caredesk_networks::Network;
use serde_json::{json, Map, Value};

use super::graph::{is_version, page_of, rate_limited, Call, Failure};
use super::media::PICTURES;
use super::MetaState;
use crate::fault::{replacing_answer, Fault};
use crate::server::Hangup;
use crate::{lock, Person};

/// The picture the fake gives a person who was not given one: by the digits of their id, one of
/// the CDN's pictures or none.
pub(super) fn default_picture(id: &str) -> Option<&'static str> {
    let sum: u32 = id
        .bytes()
        .map(|b| u32::from(b.wrapping_sub(b'0') % 10))
        .sum();
    let index = usize::try_from(sum).unwrap_or(0) % (PICTURES.len() + 1);
    PICTURES.get(index).map(|(name, _)| *name)
}

/// `GET /{version}/{id}`.
pub(super) async fn person(
    State(state): State<Arc<MetaState>>,
    Path((version, object)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    Extension(hangup): Extension<Hangup>,
    headers: HeaderMap,
) -> Response {
    let fault = state.controls.faults.pop();
    if let Some(answer) = fault
        .as_ref()
        .and_then(|f| replacing_answer(f, rate_limited))
    {
        return answer;
    }
    if matches!(
        fault,
        Some(Fault::DropBeforePosting | Fault::DropAfterPosting)
    ) {
        return hangup.now().await;
    }
    let answer = match answer(&state, &version, &object, &query, &headers) {
        Ok(body) => Json(body).into_response(),
        Err(failure) => failure.into_response(),
    };
    if let Some(Fault::Delay(pause)) = fault {
        tokio::time::sleep(pause).await;
    }
    answer
}

fn answer(
    state: &MetaState,
    version: &str,
    object: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<Value, Failure> {
    if !is_version(version) {
        return Err(Failure::param(format!(
            "Unknown path components: /{version}"
        )));
    }
    let params: Map<String, Value> = query
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let empty = axum::body::Bytes::new();
    let call = Call {
        object,
        edge: "",
        headers,
        body: &empty,
        answered: true,
    };
    let page = page_of(state, &call, &Value::Object(params))?;
    let who = lock(&state.controls.book)
        .people
        .get(object)
        .filter(|(network, _)| *network == page.network)
        .map(|(_, person)| person.clone())
        .ok_or_else(|| unknown(object))?;
    let picture = state.picture_of(&who.id).map(|name| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        format!("http://{host}/cdn/{name}")
    });
    let whole = shape(page.network, &who, picture);
    let asked = query.get("fields").map(String::as_str).unwrap_or("name");
    let mut body = Map::new();
    for field in asked.split(',').map(str::trim) {
        if let Some(value) = whole.get(field) {
            body.insert(field.to_owned(), value.clone());
        }
    }
    body.insert("id".into(), json!(who.id));
    Ok(Value::Object(body))
}

/// Everything the network says about `who`, in its own shape.
fn shape(network: Network, who: &Person, picture: Option<String>) -> Value {
    let mut body = match network {
        Network::Instagram => json!({"name": who.name, "username": who.handle}),
        _ => {
            let (first, last) = who.name.trim().split_once(' ').unwrap_or((&who.name, ""));
            json!({"first_name": first, "last_name": last.trim(), "name": who.name})
        }
    };
    if let Some(url) = picture {
        body["profile_pic"] = json!(url);
    }
    body
}

fn unknown(object: &str) -> Failure {
    Failure {
        status: 400,
        code: 100,
        subcode: Some(33),
        message: format!(
            "Unsupported get request. Object with ID '{object}' does not exist, cannot be \
             loaded due to missing permissions, or does not support this operation."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn some_people_have_a_picture_and_some_none() {
        let chosen: Vec<Option<&str>> = ["10", "11", "12", "13"]
            .iter()
            .map(|id| default_picture(id))
            .collect();
        assert_eq!(
            chosen,
            vec![
                Some("receipt.png"),
                Some("mug.png"),
                None,
                Some("parcel.png")
            ]
        );
    }

    #[test]
    fn messenger_splits_the_name_and_instagram_gives_the_username() {
        let who = Person::new("26", "Ann Marie Lee", "ann.lee");
        let messenger = shape(Network::Facebook, &who, None);
        assert_eq!(messenger["first_name"], "Ann");
        assert_eq!(messenger["last_name"], "Marie Lee");
        let instagram = shape(
            Network::Instagram,
            &who,
            Some("http://h/cdn/mug.png".into()),
        );
        assert_eq!(instagram["username"], "ann.lee");
        assert_eq!(instagram["profile_pic"], "http://h/cdn/mug.png");
    }
}
