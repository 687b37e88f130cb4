//! Saved replies through the API: who reads and keeps which (agents, supervisors and Community
//! agents against shared replies, their own and another's), unknown variables refused by name
//! with nothing changed, and a reply filled for a case and the caller, 404 for a case the caller
//! cannot see. Runs on the backend the suite runs on (`CAREDESK_TEST_BACKEND`).

use axum::http::{Method, StatusCode};
use axum::Router;
use caredesk_app::NewUserInput;
use caredesk_domain::*;
use serde_json::{json, Value};

use crate::api_support::{call, login, router, PASSWORD};
use crate::support::{escalated, World};

/// A signed-in world: the router and a token for each kind of caller.
struct Desk {
    w: World,
    api: Router,
    agent: String,
    other_agent: String,
    supervisor: String,
    admin: String,
    community: String,
}

async fn desk() -> Desk {
    let w = World::new().await;
    let api = router(&w);
    Desk {
        agent: login(&api, "agent@example.com").await,
        other_agent: login(&api, "agent2@example.com").await,
        supervisor: login(&api, "sup@example.com").await,
        admin: login(&api, "admin@example.com").await,
        community: login(&api, "community@example.com").await,
        api,
        w,
    }
}

impl Desk {
    async fn call(&self, token: &str, method: Method, path: &str, body: Option<Value>) -> Answer {
        let answer = call(&self.api, method, path, Some(token), body).await;
        Answer {
            status: answer.status,
            code: answer.code().to_owned(),
            json: answer.json,
        }
    }

    /// Adds a saved reply as `token`; answers its id.
    async fn add(&self, token: &str, name: &str, text: &str, shared: bool) -> String {
        let body = json!({"name": name, "text": text, "shared": shared});
        let answer = self
            .call(token, Method::POST, "/api/v1/saved-replies", Some(body))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.json);
        answer.json["id"].as_str().expect("an id").to_owned()
    }

    /// The names of the saved replies `token` may use, in the order listed.
    async fn names(&self, token: &str) -> Vec<String> {
        let answer = self
            .call(token, Method::GET, "/api/v1/saved-replies", None)
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        answer.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|r| r["name"].as_str().expect("a name").to_owned())
            .collect()
    }
}

struct Answer {
    status: StatusCode,
    code: String,
    json: Value,
}

#[tokio::test]
async fn each_caller_reads_and_keeps_only_what_the_rules_give_them() {
    let d = desk().await;
    let shared = d.add(&d.supervisor, "Thanks", "Thank you!", true).await;
    let own = d.add(&d.agent, "Mine", "My own words.", false).await;
    let others = d.add(&d.other_agent, "Theirs", "Their words.", false).await;
    let case = escalated(&d.w, d.w.dm("ann", "dm-1", "hi"), Some(d.w.agent.id)).await;

    // (who, whose reply, read via render, PATCH, DELETE); DELETE runs last, on a copy.
    let patch = |name: &str| Some(json!({ "name": name }));
    let table: [(&str, &str, &str, u16, u16); 9] = [
        ("agent", &d.agent, &shared, 200, 403),
        ("agent", &d.agent, &own, 200, 200),
        ("agent", &d.agent, &others, 404, 404),
        ("supervisor", &d.supervisor, &shared, 200, 200),
        ("supervisor", &d.supervisor, &own, 404, 404),
        ("admin", &d.admin, &others, 404, 404),
        ("community", &d.community, &shared, 403, 403),
        ("community", &d.community, &own, 403, 403),
        ("community", &d.community, &others, 403, 403),
    ];
    let mut failures = Vec::new();
    for (who, token, reply, read, change) in table {
        let render = format!("/api/v1/cases/{}/saved-replies/{reply}/render", case.id);
        let got = d.call(token, Method::POST, &render, None).await;
        if got.status.as_u16() != read {
            failures.push(format!(
                "{who} renders {reply}: {} {}",
                got.status, got.json
            ));
        }
        let path = format!("/api/v1/saved-replies/{reply}");
        let got = d.call(token, Method::PATCH, &path, patch("Renamed")).await;
        if got.status.as_u16() != change {
            failures.push(format!(
                "{who} changes {reply}: {} {}",
                got.status, got.json
            ));
        }
        if change != 200 {
            let got = d.call(token, Method::DELETE, &path, None).await;
            if got.status.as_u16() != change {
                failures.push(format!(
                    "{who} deletes {reply}: {} {}",
                    got.status, got.json
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Lists: the shared ones and one's own; Community agents get none.
    assert_eq!(d.names(&d.agent).await, ["Renamed", "Renamed"]);
    assert_eq!(d.names(&d.other_agent).await, ["Renamed", "Theirs"]);
    assert_eq!(d.names(&d.admin).await, ["Renamed"]);
    let refused = d
        .call(&d.community, Method::GET, "/api/v1/saved-replies", None)
        .await;
    assert_eq!(
        (refused.status, refused.code.as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );

    // Making: shared ones are the supervisors'; Community agents make none.
    let body = json!({"name": "Desk", "text": "Hello", "shared": true});
    let path = "/api/v1/saved-replies";
    let got = d
        .call(&d.agent, Method::POST, path, Some(body.clone()))
        .await;
    assert_eq!(
        (got.status, got.code.as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let got = d
        .call(
            &d.community,
            Method::POST,
            path,
            Some(json!({"name": "x", "text": "y"})),
        )
        .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    let got = d.call(&d.supervisor, Method::POST, path, Some(body)).await;
    assert_eq!(got.status, StatusCode::CREATED);
    // An agent may not share their own, nor take a shared one as theirs.
    let share = Some(json!({"shared": true}));
    let got = d
        .call(&d.agent, Method::PATCH, &format!("{path}/{own}"), share)
        .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN, "{}", got.json);
    let take = Some(json!({"shared": false}));
    let got = d
        .call(&d.agent, Method::PATCH, &format!("{path}/{shared}"), take)
        .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN, "{}", got.json);

    // Deleting what one keeps.
    for (token, reply) in [(&d.agent, &own), (&d.supervisor, &shared)] {
        let got = d
            .call(token, Method::DELETE, &format!("{path}/{reply}"), None)
            .await;
        assert_eq!(got.status, StatusCode::NO_CONTENT, "{}", got.json);
        let again = d
            .call(token, Method::DELETE, &format!("{path}/{reply}"), None)
            .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(d.names(&d.agent).await, ["Desk"]);
    assert_eq!(d.names(&d.other_agent).await, ["Desk", "Theirs"]);
}

#[tokio::test]
async fn a_saved_reply_is_listed_by_name_with_its_owner() {
    let d = desk().await;
    let before = d.w.app.now().to_rfc3339();
    d.add(&d.agent, "zebra", "Z", false).await;
    d.add(
        &d.supervisor,
        "Apology",
        "Sorry, {{customer.first_name}}.",
        true,
    )
    .await;
    d.add(&d.agent, "bravo", "B", false).await;
    let list = d
        .call(&d.agent, Method::GET, "/api/v1/saved-replies", None)
        .await;
    assert_eq!(list.json["next_cursor"], Value::Null);
    let items = list.json["items"].as_array().expect("items");
    let names: Vec<&str> = items.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["Apology", "bravo", "zebra"]);
    let shared = &items[0];
    assert_eq!(shared["shared"], true);
    assert_eq!(shared["owner_id"], Value::Null);
    assert_eq!(shared["text"], "Sorry, {{customer.first_name}}.");
    assert_eq!(shared["created_at"], before.as_str());
    assert_eq!(shared["updated_at"], before.as_str());
    assert!(shared["id"].is_string());
    let own = &items[1];
    assert_eq!(own["shared"], false);
    assert_eq!(own["owner_id"], d.w.agent.id.to_string().as_str());
}

#[tokio::test]
async fn unknown_variables_are_refused_by_name_and_nothing_changes() {
    let d = desk().await;
    let path = "/api/v1/saved-replies";
    let bad = json!({"name": "Order", "text": "Your order {{order.id}} for {{ customer.email }}", "shared": false});
    let got = d.call(&d.agent, Method::POST, path, Some(bad)).await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(got.code, "validation_failed");
    let message = got.json["error"]["message"].as_str().expect("a message");
    assert!(
        message.starts_with("text: unknown variables {{order.id}}, {{customer.email}}"),
        "{message}"
    );
    assert!(d.names(&d.agent).await.is_empty(), "nothing was saved");

    let id = d
        .add(&d.agent, "Order", "Your order is on its way.", false)
        .await;
    let got = d
        .call(
            &d.agent,
            Method::PATCH,
            &format!("{path}/{id}"),
            Some(json!({"name": "Renamed", "text": "{{ order.id }} shipped"})),
        )
        .await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = got.json["error"]["message"].as_str().expect("a message");
    assert!(
        message.starts_with("text: unknown variable {{order.id}};"),
        "{message}"
    );
    let got = d
        .call(
            &d.agent,
            Method::PATCH,
            &format!("{path}/{id}"),
            Some(json!({"name": " "})),
        )
        .await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(got.json["error"]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("name: ")));
    let list = d.call(&d.agent, Method::GET, path, None).await;
    assert_eq!(
        list.json["items"][0]["name"], "Order",
        "the refused change changed nothing"
    );
    assert_eq!(list.json["items"][0]["text"], "Your order is on its way.");

    // Missing or ill-typed fields are refused before anything else.
    let got = d
        .call(&d.agent, Method::POST, path, Some(json!({"name": "x"})))
        .await;
    assert_eq!(
        (got.status, got.code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let got = d
        .call(
            &d.agent,
            Method::PATCH,
            &format!("{path}/{id}"),
            Some(json!({"owner_id": "1"})),
        )
        .await;
    assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A good change keeps what it does not name.
    let got = d
        .call(
            &d.agent,
            Method::PATCH,
            &format!("{path}/{id}"),
            Some(json!({"text": "On its way, {{customer.first_name}}!"})),
        )
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.json);
    assert_eq!(got.json["name"], "Order");
    assert_eq!(got.json["text"], "On its way, {{customer.first_name}}!");
}

#[tokio::test]
async fn a_reply_is_filled_for_the_case_and_the_caller() {
    let d = desk().await;
    let text = "Hi {{customer.first_name}} ({{ customer.name }}), {{agent.first_name}} / {{agent.name}} here about #{{case.number}} on {{profile.name}}.";
    let id = d.add(&d.supervisor, "Hello", text, true).await;
    let case = escalated(&d.w, d.w.dm("ann", "dm-1", "hi"), Some(d.w.agent.id)).await;
    let path = format!("/api/v1/cases/{}/saved-replies/{id}/render", case.id);
    for (token, name) in [(&d.agent, "agent"), (&d.supervisor, "sup")] {
        let got = d.call(token, Method::POST, &path, None).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.json);
        assert_eq!(
            got.json["text"],
            format!(
                "Hi Customer (Customer ann), {name} / {name} here about #{} on Brand Page.",
                case.number
            )
        );
    }
    let list = d
        .call(&d.agent, Method::GET, "/api/v1/saved-replies", None)
        .await;
    assert_eq!(
        list.json["items"][0]["text"], text,
        "filling stores nothing"
    );
}

#[tokio::test]
async fn filling_for_a_case_the_caller_cannot_see_is_not_found() {
    let d = desk().await;
    let input = NewUserInput {
        email: "far@example.com".into(),
        name: "Far Agent".into(),
        password: PASSWORD.into(),
        role: Role::Member,
        care_access: CareAccess::Agent,
        capacity: None,
        profile_ids: Default::default(),
    };
    d.w.app.create_user(None, input).await.expect("a far agent");
    let far = login(&d.api, "far@example.com").await;
    let id = d
        .add(&d.supervisor, "Hello", "Hello {{customer.name}}", true)
        .await;
    let own = d.add(&far, "Mine", "Mine", false).await;
    let case = escalated(&d.w, d.w.dm("ann", "dm-1", "hi"), Some(d.w.agent.id)).await;
    for (case_id, reply) in [
        (case.id.to_string(), &id),
        (case.id.to_string(), &own),
        ("999999".to_owned(), &id),
        ("not-an-id".to_owned(), &id),
    ] {
        let path = format!("/api/v1/cases/{case_id}/saved-replies/{reply}/render");
        let got = d.call(&far, Method::POST, &path, None).await;
        assert_eq!(
            (got.status, got.code.as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
    }
    let path = format!("/api/v1/cases/{}/saved-replies/424242/render", case.id);
    let got = d.call(&d.agent, Method::POST, &path, None).await;
    assert_eq!(got.status, StatusCode::NOT_FOUND, "an unknown reply");
}
