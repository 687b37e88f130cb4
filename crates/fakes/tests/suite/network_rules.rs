//! The fakes hold clients to the networks' rules: bodies a real network refuses are refused
//! with its error formats and nothing is posted.

use serde_json::{json, Value};

use crate::support::*;

async fn post_json(url: &str, token: &str, body: &Value) -> (u16, Value) {
    let answer = reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("answered");
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

fn graph_code(body: &Value) -> (i64, Option<i64>) {
    (
        body["error"]["code"].as_i64().unwrap_or(0),
        body["error"]["error_subcode"].as_i64(),
    )
}

#[tokio::test]
async fn the_send_api_refuses_what_meta_refuses() {
    let fake = meta().await;
    let messages = format!("{}/{PAGE}/messages", fake.graph_url());
    let long = "x".repeat(2_001);
    let table = [
        json!({"recipient": {"id": "26"}, "message": {"text": "no type"}}),
        json!({"recipient": {"id": "26"}, "messaging_type": "MESSAGE_TAG",
            "message": {"text": "no tag"}}),
        json!({"recipient": {"id": "26"}, "messaging_type": "SOMETIMES",
            "message": {"text": "hi"}}),
        json!({"messaging_type": "RESPONSE", "message": {"text": "to nobody"}}),
        json!({"recipient": {"id": "26"}, "messaging_type": "RESPONSE"}),
        json!({"recipient": {"id": "26"}, "messaging_type": "RESPONSE", "message": {"text": " "}}),
        json!({"recipient": {"id": "26"}, "messaging_type": "RESPONSE", "message": {"text": long}}),
    ];
    for body in table {
        let (status, answer) = post_json(&messages, PAGE_TOKEN, &body).await;
        assert_eq!((status, graph_code(&answer)), (400, (100, None)), "{body}");
        assert_eq!(answer["error"]["type"], "OAuthException");
    }
    let other_page = format!("{}/999/messages", fake.graph_url());
    let body = json!({"recipient": {"id": "26"}, "messaging_type": "RESPONSE",
        "message": {"text": "hi"}});
    let (_, answer) = post_json(&other_page, PAGE_TOKEN, &body).await;
    assert_eq!(graph_code(&answer), (100, Some(33)));
    let (status, answer) = post_json(&messages, "", &body).await;
    assert_eq!((status, graph_code(&answer)), (400, (190, None)));
    let unknown_edge = format!("{}/{PAGE}/feelings", fake.graph_url());
    let (_, answer) = post_json(&unknown_edge, PAGE_TOKEN, &body).await;
    assert_eq!(graph_code(&answer), (100, None));
    assert!(fake.sent().is_empty());

    let any_version = messages.replace("v21.0", "v19.0");
    assert_eq!(post_json(&any_version, PAGE_TOKEN, &body).await.0, 200);
}

#[tokio::test]
async fn comments_need_a_message_within_the_limit() {
    let fake = meta().await;
    let http = reqwest::Client::new();
    let url = format!("{}/{PAGE}_1/comments", fake.graph_url());
    let long = "x".repeat(8_001);
    for form in [
        vec![],
        vec![("message", "")],
        vec![("message", long.as_str())],
    ] {
        let answer = http
            .post(&url)
            .bearer_auth(PAGE_TOKEN)
            .form(&form)
            .send()
            .await
            .expect("answered");
        assert_eq!(answer.status().as_u16(), 400);
        let body: Value = answer.json().await.expect("json");
        assert_eq!(graph_code(&body), (100, None));
    }
    let answer = http
        .post(&url)
        .form(&[
            ("message", "token in the form"),
            ("access_token", PAGE_TOKEN),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(fake.sent().len(), 1);
}

#[tokio::test]
async fn x_refuses_empty_long_and_self_addressed_messages() {
    let fake = x().await;
    let tweets = format!("{}/tweets", fake.api_url());
    let dm_self = format!(
        "{}/dm_conversations/with/{ACCOUNT}/messages",
        fake.api_url()
    );
    let long = "x".repeat(281);
    for (url, body) in [
        (&tweets, json!({})),
        (&tweets, json!({"text": ""})),
        (&tweets, json!({"text": long})),
        (&dm_self, json!({"text": "me"})),
    ] {
        let (status, answer) = post_json(url, X_TOKEN, &body).await;
        assert_eq!(
            (status, &answer["title"]),
            (400, &json!("Invalid Request")),
            "{body}"
        );
    }
    let (status, answer) = post_json(&tweets, "", &json!({"text": "hi"})).await;
    assert_eq!((status, answer["status"].as_i64()), (401, Some(401)));
    let (status, _) = post_json(&format!("{}/nothing", fake.api_url()), X_TOKEN, &json!({})).await;
    assert_eq!(status, 404);
    assert!(fake.sent().is_empty());

    let (status, answer) = post_json(&tweets, X_TOKEN, &json!({"text": "a post"})).await;
    assert_eq!(status, 201);
    assert_eq!(answer["data"]["text"], "a post");
    assert_eq!(fake.sent()[0].kind, caredesk_fakes::SendKind::XPost);
}
