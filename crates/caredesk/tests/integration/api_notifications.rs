//! Notifications through the API (PRODUCT.md §12): who is told of each kind and who is not (the
//! actor never notifies themself), a mention of someone who cannot open the case refused naming
//! them with nothing written, read marks that reach only the caller's own, and the stream event
//! that reaches the recipient alone. Runs on the backend the suite runs on
//! (`CAREDESK_TEST_BACKEND`).

use std::collections::BTreeSet;

use async_trait::async_trait;
use axum::http::{Method, StatusCode};
use axum::Router;
use caredesk_app::outbound::{OutgoingReply, ReplySender, SendOutcome};
use caredesk_app::NewUserInput;
use caredesk_domain::bulk::{BulkAction, BulkRequest};
use caredesk_domain::*;
use serde_json::{json, Value};

use crate::api_support::{call, login, open_stream, router, PASSWORD};
use crate::support::{direct_reply, escalated, World};

/// A signed-in world.
pub(crate) struct Desk {
    pub w: World,
    pub api: Router,
    pub agent: String,
    pub other_agent: String,
    pub supervisor: String,
}

pub(crate) async fn desk() -> Desk {
    let w = World::new().await;
    let api = router(&w);
    Desk {
        agent: login(&api, "agent@example.com").await,
        other_agent: login(&api, "agent2@example.com").await,
        supervisor: login(&api, "sup@example.com").await,
        api,
        w,
    }
}

impl Desk {
    pub async fn call(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let answer = call(&self.api, method, path, Some(token), body).await;
        assert!(answer.status.is_success(), "{path}: {}", answer.json);
        answer.json
    }

    /// `(kind, case number, actor)` of each of `token`'s notifications, newest first.
    pub async fn told(&self, token: &str) -> Vec<(String, i64, Option<String>)> {
        let page = self
            .call(token, Method::GET, "/api/v1/notifications", None)
            .await;
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|n| {
                (
                    n["kind"].as_str().expect("kind").to_owned(),
                    n["case"]["number"].as_i64().expect("number"),
                    n["actor_id"].as_str().map(str::to_owned),
                )
            })
            .collect()
    }

    pub async fn unread(&self, token: &str) -> i64 {
        let answer = self
            .call(
                token,
                Method::GET,
                "/api/v1/notifications/unread-count",
                None,
            )
            .await;
        answer["count"].as_i64().expect("count")
    }

    /// Adds a note as `token` mentioning `ids`; answers the status and the answer.
    pub async fn note(&self, token: &str, case: &Case, ids: &[UserId]) -> (StatusCode, Value) {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let answer = call(
            &self.api,
            Method::POST,
            &format!("/api/v1/cases/{}/notes", case.id),
            Some(token),
            Some(json!({"text": "have a look please", "mention_ids": ids})),
        )
        .await;
        (answer.status, answer.json)
    }
}

fn mentioned(case: &Case, by: &User) -> (String, i64, Option<String>) {
    ("mentioned".into(), case.number, Some(by.id.to_string()))
}

#[tokio::test]
async fn a_mention_tells_each_colleague_who_can_open_the_case_but_not_the_writer() {
    let d = desk().await;
    let w = &d.w;
    let case = escalated(w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let mentions = [w.other_agent.id, w.supervisor.id, w.agent.id, w.admin.id];
    let (status, json) = d.note(&d.agent, &case, &mentions).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    assert_eq!(d.told(&d.other_agent).await, [mentioned(&case, &w.agent)]);
    assert_eq!(d.told(&d.supervisor).await, [mentioned(&case, &w.agent)]);
    let admin = login(&d.api, "admin@example.com").await;
    assert_eq!(d.told(&admin).await, [mentioned(&case, &w.agent)]);
    // The agent was told of the assignment by the Community agent, and not of their own note.
    let community = Some(w.community.id.to_string());
    assert_eq!(
        d.told(&d.agent).await,
        [("assigned".to_owned(), case.number, community)]
    );
    // The notification is no entry of the case's activity log.
    let log = d
        .call(
            &d.agent,
            Method::GET,
            &format!("/api/v1/cases/{}/events", case.id),
            None,
        )
        .await;
    let kinds: Vec<&str> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(!kinds.contains(&"notified"), "{kinds:?}");
}

#[tokio::test]
async fn a_mention_of_someone_who_cannot_open_the_case_is_refused_by_name_and_writes_nothing() {
    let d = desk().await;
    let w = &d.w;
    let case = escalated(w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let elsewhere = w
        .app
        .create_user(
            None,
            NewUserInput {
                email: "zoe@example.com".into(),
                name: "Zoe Elsewhere".into(),
                password: PASSWORD.into(),
                role: Role::Member,
                care_access: CareAccess::Agent,
                capacity: None,
                profile_ids: BTreeSet::new(),
            },
        )
        .await
        .expect("user");
    let path = format!("/api/v1/cases/{}/messages", case.id);
    let messages = || async {
        let page = d.call(&d.agent, Method::GET, &path, None).await;
        page["items"].as_array().expect("items").len()
    };
    let before = messages().await;
    let rows: [(&str, Vec<UserId>, &str); 3] = [
        (
            "an agent of no profile of the case",
            vec![w.other_agent.id, elsewhere.id],
            "Zoe Elsewhere",
        ),
        ("a Community agent", vec![w.community.id], "community"),
        ("nobody", vec![UserId(999_999)], "999999"),
    ];
    for (what, ids, named) in rows {
        let (status, json) = d.note(&d.agent, &case, &ids).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {json}");
        assert_eq!(json["error"]["code"], "validation_failed", "{what}");
        let words = json["error"]["message"].as_str().unwrap_or("");
        assert!(words.contains(named), "{what}: {words}");
    }
    assert_eq!(messages().await, before, "no note was written");
    assert!(d.told(&d.other_agent).await.is_empty(), "nobody was told");
}

/// Fails every reply for good.
struct Refusing;

#[async_trait]
impl ReplySender for Refusing {
    async fn send(&self, _: &OutgoingReply) -> SendOutcome {
        SendOutcome::Permanent {
            reason: "(#551) This person isn't available right now".into(),
        }
    }
}

#[tokio::test]
async fn each_kind_tells_the_one_it_concerns_and_never_the_actor() {
    let d = desk().await;
    let w = &d.w;
    let (agent, other, sup) = (w.agent.id, w.other_agent.id, w.supervisor.id);
    let s = |u: UserId| Some(u.to_string());

    // Assigned: by a supervisor, through the bulk route, and not when taken by oneself.
    let first = escalated(w, w.dm("ann", "dm-1", "hi"), None).await;
    w.app
        .assign(sup, first.id, Some(agent), None)
        .await
        .expect("assign");
    let second = escalated(w, w.dm("bob", "dm-2", "hi"), None).await;
    w.app
        .assign(other, second.id, Some(other), None)
        .await
        .expect("take");
    let request = BulkRequest {
        case_ids: vec![second.id],
        action: BulkAction::Assign(agent),
    };
    let outcomes = w.app.bulk_change(sup, request).await;
    assert!(outcomes.iter().all(|(_, r)| r.is_ok()), "{outcomes:?}");

    // Reopened: the agent's Done case, by its customer's message during grace.
    w.app
        .set_status(agent, first.id, CaseStatus::Done, None)
        .await
        .expect("done");
    w.app
        .ingest(w.dm("ann", "dm-3", "it broke again"))
        .await
        .expect("ingest");

    // A reply of the agent's that failed for good.
    w.app
        .queue_reply(agent, first.id, direct_reply("Sorry to hear that"), None)
        .await
        .expect("queued");
    w.app.send_due_replies(&Refusing).await.expect("pass");

    let t = |kind: &str, case: &Case, actor: Option<String>| (kind.to_owned(), case.number, actor);
    assert_eq!(
        d.told(&d.agent).await,
        [
            t("reply_failed", &first, None),
            t("reopened", &first, None),
            t("assigned", &second, s(sup)),
            t("assigned", &first, s(sup)),
        ]
    );
    assert!(d.told(&d.other_agent).await.is_empty(), "took it themself");
    assert!(d.told(&d.supervisor).await.is_empty(), "the actor");
    assert_eq!(d.unread(&d.agent).await, 4);
}

#[tokio::test]
async fn read_marks_reach_only_the_caller_s_own() {
    let d = desk().await;
    let w = &d.w;
    let case = escalated(w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    for _ in 0..3 {
        let (status, _) = d.note(&d.agent, &case, &[w.other_agent.id]).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, _) = d.note(&d.other_agent, &case, &[w.supervisor.id]).await;
    assert_eq!(status, StatusCode::CREATED);
    let page = d
        .call(&d.other_agent, Method::GET, "/api/v1/notifications", None)
        .await;
    let ids: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 3);

    // The supervisor names the other agent's notifications: nothing changes.
    let read = json!({"ids": ids});
    let answer = d
        .call(
            &d.supervisor,
            Method::POST,
            "/api/v1/notifications/read",
            Some(read),
        )
        .await;
    assert_eq!(answer["marked"], 0);
    assert_eq!(d.unread(&d.other_agent).await, 3);

    // The other agent marks one, then all; the supervisor's stays unread.
    let one = json!({"ids": [ids[1]]});
    d.call(
        &d.other_agent,
        Method::POST,
        "/api/v1/notifications/read",
        Some(one),
    )
    .await;
    assert_eq!(d.unread(&d.other_agent).await, 2);
    let unread = d
        .call(
            &d.other_agent,
            Method::GET,
            "/api/v1/notifications?unread=true",
            None,
        )
        .await;
    let unread_ids: Vec<&str> = unread["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert_eq!(unread_ids, [ids[0].as_str(), ids[2].as_str()]);
    let all = json!({"all": true});
    d.call(
        &d.other_agent,
        Method::POST,
        "/api/v1/notifications/read",
        Some(all),
    )
    .await;
    assert_eq!(d.unread(&d.other_agent).await, 0);
    assert_eq!(d.unread(&d.supervisor).await, 1);

    // Neither both nor none.
    for body in [json!({"ids": [], "all": true}), json!({})] {
        let answer = call(
            &d.api,
            Method::POST,
            "/api/v1/notifications/read",
            Some(&d.other_agent),
            Some(body),
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    // Paged like every list, newest first.
    let first = d
        .call(
            &d.other_agent,
            Method::GET,
            "/api/v1/notifications?limit=2",
            None,
        )
        .await;
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let rest = d
        .call(
            &d.other_agent,
            Method::GET,
            &format!("/api/v1/notifications?limit=2&cursor={cursor}"),
            None,
        )
        .await;
    assert_eq!(rest["items"][0]["id"].as_str(), Some(ids[2].as_str()));
    assert!(rest["next_cursor"].is_null());
}

#[tokio::test]
async fn the_stream_carries_a_notification_to_its_recipient_alone() {
    let d = desk().await;
    let w = &d.w;
    let case = escalated(w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let mut other = open_stream(&d.api, &d.other_agent, None)
        .await
        .1
        .expect("a stream");
    let mut sup = open_stream(&d.api, &d.supervisor, None)
        .await
        .1
        .expect("a stream");
    let (status, _) = d.note(&d.agent, &case, &[w.other_agent.id]).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(
        other.wait_for("event: notification").await,
        "{}",
        other.text
    );
    assert!(other.wait_for("\"mentioned\"").await, "{}", other.text);
    assert!(
        other.text.contains(&format!("\"number\":{}", case.number)),
        "{}",
        other.text
    );
    // The supervisor sees the note on the case, and no notification.
    assert!(sup.wait_for("note_added").await, "{}", sup.text);
    assert!(!sup.text.contains("event: notification"), "{}", sup.text);
    assert!(!sup.text.contains("notified"), "{}", sup.text);
}
