//! Who may call what: every route of the API × every kind of caller → the expected status. A
//! route of the OpenAPI document without a row here fails the test.

use std::collections::BTreeSet;

use axum::http::Method;
use caredesk_app::{IngestOutcome, NewUserInput, ReplyRequest, UserPatch};
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::*;
use serde_json::{json, Value};

use crate::api_support::{call, login, open_stream, router, PASSWORD};
use crate::support::{escalated, World};

/// The kinds of caller, in the order of each row's statuses.
const CALLERS: [&str; 9] = [
    "anonymous",
    "community agent",
    "agent assigned",
    "agent not assigned",
    "agent not connected",
    "supervisor",
    "supervisor not connected",
    "admin",
    "deactivated user",
];

struct Row {
    method: Method,
    path: &'static str,
    body: fn(&Ctx) -> Option<Value>,
    expect: [u16; 9],
}

/// What a request's body may need: who sends it, and the ids of the world.
struct Ctx {
    me: UserId,
    case: CaseId,
    app_id: NetworkAppId,
    request: usize,
}

fn none(_: &Ctx) -> Option<Value> {
    None
}

/// Every route, with what each caller gets. `{id}` is an open case of the agent's profile,
/// assigned to "agent assigned" (under `/community/items/`: a community item nobody escalated
/// yet); each request gets a case and an item of its own.
fn table() -> Vec<Row> {
    let row = |method: Method,
               path: &'static str,
               body: fn(&Ctx) -> Option<Value>,
               expect: [u16; 9]| Row {
        method,
        path,
        body,
        expect,
    };
    vec![
        row(
            Method::POST,
            "/api/v1/auth/login",
            |_| Some(json!({"email": "nobody@example.com", "password": "wrong password"})),
            [401; 9],
        ),
        row(
            Method::GET,
            "/api/v1/me",
            none,
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/me",
            |_| Some(json!({"time_zone": "Europe/Paris"})),
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/users",
            none,
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/cases",
            none,
            [401, 403, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/cases/counts",
            none,
            [401, 403, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/cases/{id}",
            none,
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/cases/by-number/{n}",
            none,
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/cases/{id}/messages",
            none,
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/cases/{id}/events",
            none,
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/cases/{id}/presence",
            |_| Some(json!({"typing": true})),
            [401, 404, 204, 204, 404, 204, 404, 204, 401],
        ),
        row(
            Method::GET,
            "/api/v1/cases/{id}/presence",
            none,
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/cases/{id}",
            |_| Some(json!({"priority": "high"})),
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/cases/{id}/assign",
            |c| Some(json!({"assignee_id": c.me.to_string()})),
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/cases/{id}/status",
            |_| Some(json!({"status": "pending"})),
            [401, 404, 200, 403, 404, 403, 404, 403, 401],
        ),
        row(
            Method::POST,
            "/api/v1/cases/{id}/reopen",
            none,
            [401, 404, 409, 403, 404, 403, 404, 403, 401],
        ),
        row(
            Method::POST,
            "/api/v1/cases/{id}/notes",
            |_| Some(json!({"text": "called back"})),
            [401, 404, 201, 201, 404, 201, 404, 201, 401],
        ),
        row(
            Method::POST,
            "/api/v1/cases/{id}/replies",
            |_| Some(json!({"text": "hello", "kind": "direct"})),
            [401, 404, 202, 403, 404, 403, 404, 403, 401],
        ),
        row(
            Method::DELETE,
            "/api/v1/cases/{id}",
            none,
            [401, 404, 403, 403, 404, 204, 404, 204, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/community/items/{id}",
            |_| Some(json!({"status": "in_progress", "labels": ["billing"]})),
            [401, 200, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/community/items/{id}/escalate",
            |_| Some(json!({"note": "please help"})),
            [401, 201, 201, 201, 404, 201, 404, 201, 401],
        ),
        row(
            Method::POST,
            "/api/v1/users",
            |c| {
                Some(
                    json!({"email": format!("new{}@example.com", c.request), "name": "New", "password": "a long enough password", "role": "member", "care_access": "agent"}),
                )
            },
            [401, 403, 403, 403, 403, 403, 403, 201, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/users/{id}",
            |_| Some(json!({"capacity": 7})),
            [401, 403, 403, 403, 403, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/settings",
            none,
            [401, 403, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/settings",
            |_| Some(json!({"grace_period_secs": 432000})),
            [401, 403, 403, 403, 403, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/case-fields",
            none,
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/case-fields",
            |_| Some(json!({"name": "Topic", "kind": "text"})),
            [401, 403, 403, 403, 403, 201, 201, 201, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/case-fields/{id}",
            |_| Some(json!({"enabled": true})),
            [401, 403, 403, 403, 403, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/network-apps",
            none,
            [401, 403, 403, 403, 403, 403, 403, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/network-apps",
            |_| Some(json!({"network": "meta", "name": "Second", "app_secret": "s"})),
            [401, 403, 403, 403, 403, 403, 403, 201, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/network-apps/{id}",
            |_| Some(json!({"network": "meta", "name": "Renamed"})),
            [401, 403, 403, 403, 403, 403, 403, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/profiles",
            none,
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/profiles",
            |c| {
                Some(
                    json!({"network": "facebook", "external_id": format!("page-new-{}", c.request), "name": "New Page", "app_id": c.app_id.to_string()}),
                )
            },
            [401, 403, 403, 403, 403, 403, 403, 201, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/profiles/{id}",
            |c| {
                Some(
                    json!({"network": "facebook", "external_id": "page-1", "name": "Brand Page", "app_id": c.app_id.to_string()}),
                )
            },
            [401, 403, 403, 403, 403, 403, 403, 200, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/profiles/{id}",
            |_| Some(json!({"auto_assign": true})),
            [401, 403, 403, 403, 403, 200, 403, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/audit",
            none,
            [401, 403, 403, 403, 403, 403, 403, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/customers/{id}",
            none,
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/customers/{id}",
            |_| Some(json!({"email": "ann@example.com"})),
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/customers/{id}/cases",
            none,
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/customers/{id}/conversations",
            none,
            [401, 404, 200, 200, 404, 200, 404, 200, 401],
        ),
        // Without a Salesforce client or connection, what passes the permission checks is
        // 409 `salesforce_not_connected` (the admin's PUT stores the credentials and answers
        // their state).
        row(
            Method::GET,
            "/api/v1/integrations/salesforce",
            none,
            [401, 403, 403, 403, 403, 403, 403, 200, 401],
        ),
        row(
            Method::PUT,
            "/api/v1/integrations/salesforce",
            |_| {
                Some(
                    json!({"login_url": "https://login.example.com", "client_id": "key", "client_secret": "secret"}),
                )
            },
            [401, 403, 403, 403, 403, 403, 403, 200, 401],
        ),
        row(
            Method::DELETE,
            "/api/v1/integrations/salesforce",
            none,
            [401, 403, 403, 403, 403, 403, 403, 204, 401],
        ),
        row(
            Method::POST,
            "/api/v1/cases/bulk",
            |c| {
                Some(
                    json!({"case_ids": [c.case.to_string()], "action": "priority", "priority": "high"}),
                )
            },
            [401, 403, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/search?q=hello",
            none,
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/salesforce/accounts?q=Acme",
            none,
            [401, 403, 409, 409, 409, 409, 409, 409, 401],
        ),
        row(
            Method::GET,
            "/api/v1/salesforce/contacts?q=Jane",
            none,
            [401, 403, 409, 409, 409, 409, 409, 409, 401],
        ),
        row(
            Method::POST,
            "/api/v1/cases/{id}/salesforce/link",
            |_| Some(json!({"account_id": "001000000000000AAA"})),
            [401, 404, 409, 409, 404, 409, 404, 409, 401],
        ),
        row(
            Method::POST,
            "/api/v1/cases/{id}/salesforce/case",
            none,
            [401, 404, 409, 409, 404, 409, 404, 409, 401],
        ),
        row(
            Method::GET,
            "/api/v1/community/items",
            none,
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/community/items/{id}/messages",
            none,
            [401, 200, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/community/items/{id}/replies",
            |_| Some(json!({"text": "Thanks!", "kind": "comment"})),
            [401, 202, 202, 202, 404, 202, 404, 202, 401],
        ),
        row(
            Method::POST,
            "/api/v1/messages/{id}/retry",
            none,
            [401, 404, 200, 403, 404, 403, 404, 403, 401],
        ),
        row(
            Method::POST,
            "/api/v1/messages/{id}/cancel",
            none,
            [401, 404, 200, 403, 404, 403, 404, 403, 401],
        ),
        row(
            Method::GET,
            "/api/v1/media/{id}",
            none,
            [401, 200, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/media",
            |_| Some(json!({"a file": "of any type"})),
            [401, 403, 201, 201, 201, 201, 201, 201, 401],
        ),
        row(
            Method::GET,
            "/api/v1/overview",
            none,
            [401, 403, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::DELETE,
            "/api/v1/network-apps/{id}",
            none,
            [401, 403, 403, 403, 403, 403, 403, 204, 401],
        ),
        row(
            Method::DELETE,
            "/api/v1/profiles/{id}",
            none,
            [401, 403, 403, 403, 403, 403, 403, 204, 401],
        ),
        row(
            Method::DELETE,
            "/api/v1/case-fields/{id}",
            none,
            [401, 403, 403, 403, 403, 204, 204, 204, 401],
        ),
        row(
            Method::GET,
            "/api/v1/stream",
            none,
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(Method::GET, "/webhooks/meta", none, [403; 9]),
        row(
            Method::POST,
            "/webhooks/meta",
            |_| Some(json!({"object": "page", "entry": []})),
            [401; 9],
        ),
        row(Method::GET, "/webhooks/x", none, [400; 9]),
        row(
            Method::POST,
            "/webhooks/x",
            |_| Some(json!({"for_user_id": "1"})),
            [401; 9],
        ),
        row(
            Method::GET,
            "/api/v1/saved-replies",
            none,
            [401, 403, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/saved-replies",
            |_| Some(json!({"name": "Mine", "text": "Hi {{customer.first_name}}"})),
            [401, 403, 201, 201, 201, 201, 201, 201, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/saved-replies/{id}",
            |_| Some(json!({"name": "Renamed"})),
            [401, 403, 403, 403, 403, 200, 200, 200, 401],
        ),
        row(
            Method::DELETE,
            "/api/v1/saved-replies/{id}",
            none,
            [401, 403, 403, 403, 403, 204, 204, 204, 401],
        ),
        row(
            Method::POST,
            "/api/v1/cases/{id}/saved-replies/{reply_id}/render",
            none,
            [401, 403, 200, 200, 404, 200, 404, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/notifications?unread=true",
            none,
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/notifications/unread-count",
            none,
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/notifications/read",
            |_| Some(json!({"all": true})),
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::PUT,
            "/api/v1/me/presence",
            |_| Some(json!({"status": "away"})),
            [401, 200, 200, 200, 200, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/schedules",
            none,
            [401, 403, 403, 403, 403, 200, 200, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/schedules",
            |_| {
                Some(
                    json!({"name": "Office", "time_zone": "UTC", "hours": {"mon": [["09:00", "17:00"]]}}),
                )
            },
            [401, 403, 403, 403, 403, 201, 201, 201, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/schedules/{id}",
            |_| Some(json!({"name": "Renamed"})),
            [401, 403, 403, 403, 403, 200, 200, 200, 401],
        ),
        row(
            Method::DELETE,
            "/api/v1/schedules/{id}",
            none,
            [401, 403, 403, 403, 403, 204, 204, 204, 401],
        ),
        row(
            Method::GET,
            "/api/v1/sla-policies",
            none,
            [401, 403, 403, 403, 403, 200, 200, 200, 401],
        ),
        row(
            Method::POST,
            "/api/v1/sla-policies",
            |_| Some(json!({"name": "Standard", "targets": {"first_response_secs": 600}})),
            [401, 403, 403, 403, 403, 201, 201, 201, 401],
        ),
        row(
            Method::PATCH,
            "/api/v1/sla-policies/{id}",
            |_| Some(json!({"warn_at": 0.5})),
            [401, 403, 403, 403, 403, 200, 200, 200, 401],
        ),
        row(
            Method::DELETE,
            "/api/v1/sla-policies/{id}",
            none,
            [401, 403, 403, 403, 403, 204, 204, 204, 401],
        ),
        row(
            Method::GET,
            "/api/v1/reports/summary?from=2026-09-01&to=2026-09-30&group_by=agent",
            none,
            [401, 403, 403, 403, 403, 200, 200, 200, 401],
        ),
        row(
            Method::GET,
            "/api/v1/reports/cases.csv?from=2026-09-01&to=2026-09-30",
            none,
            [401, 403, 403, 403, 403, 200, 200, 200, 401],
        ),
        // Last: signing out revokes the callers' tokens.
        row(
            Method::POST,
            "/api/v1/auth/logout",
            none,
            [401, 204, 204, 204, 204, 204, 204, 204, 401],
        ),
    ]
}

async fn extra_user(w: &World, email: &str, care: CareAccess, profiles: &[ProfileId]) -> User {
    let input = NewUserInput {
        email: email.into(),
        name: email.into(),
        password: PASSWORD.into(),
        role: Role::Member,
        care_access: care,
        capacity: None,
        profile_ids: profiles.iter().copied().collect(),
    };
    w.app.create_user(None, input).await.expect("user")
}

#[tokio::test]
async fn every_route_answers_every_kind_of_caller_as_the_rules_say() {
    let mut w = World::new().await;
    let media_dir = tempfile::tempdir().expect("a media directory");
    let media = caredesk_media::ObjectMediaStore::open_url(&media_dir.path().display().to_string())
        .expect("a media store");
    w.app = w.app.clone().with_media_store(std::sync::Arc::new(media));
    let api = router(&w);
    let outsider = extra_user(&w, "outsider@example.com", CareAccess::Agent, &[]).await;
    let far_supervisor = extra_user(&w, "far-sup@example.com", CareAccess::Supervisor, &[]).await;
    let leaver = extra_user(&w, "leaver@example.com", CareAccess::Agent, &[w.profile.id]).await;
    let target_user =
        extra_user(&w, "target@example.com", CareAccess::Agent, &[w.profile.id]).await;
    let field = NewCaseField {
        name: "Order".into(),
        kind: FieldKind::Text,
        options: vec![],
        mandatory: false,
        enabled: false,
        position: 1,
    };
    let field = w.app.create_case_field(None, field).await.expect("field");
    let shared_reply = shared_reply(&w, 0).await;
    let schedule = schedule(&w, 0).await;
    let sla_policy = sla_policy(&w, 0).await;
    let callers: Vec<(Option<String>, UserId)> = vec![
        (None, UserId(0)),
        (
            Some(login(&api, "community@example.com").await),
            w.community.id,
        ),
        (Some(login(&api, "agent@example.com").await), w.agent.id),
        (
            Some(login(&api, "agent2@example.com").await),
            w.other_agent.id,
        ),
        (Some(login(&api, "outsider@example.com").await), outsider.id),
        (Some(login(&api, "sup@example.com").await), w.supervisor.id),
        (
            Some(login(&api, "far-sup@example.com").await),
            far_supervisor.id,
        ),
        (Some(login(&api, "admin@example.com").await), w.admin.id),
        (Some(login(&api, "leaver@example.com").await), leaver.id),
    ];
    w.app
        .update_user(
            w.admin.id,
            leaver.id,
            UserPatch {
                active: Some(false),
                ..Default::default()
            },
        )
        .await
        .expect("deactivate");

    let rows = table();
    let documented = documented_routes();
    let covered: BTreeSet<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.method,
                r.path.split('?').next().unwrap_or(r.path)
            )
        })
        .collect();
    let missing: Vec<&String> = documented.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the permission table: {missing:?}"
    );

    let mut customer = 0;
    let mut failures = Vec::new();
    for row in &rows {
        for (i, (token, me)) in callers.iter().enumerate() {
            customer += 1;
            let case = escalated(
                &w,
                w.dm(&format!("c{customer}"), &format!("dm-{customer}"), "hi"),
                Some(w.agent.id),
            )
            .await;
            let comment = w.comment(
                &format!("i{customer}"),
                &format!("c-{customer}"),
                "post-1",
                "hey",
            );
            let IngestOutcome::Community { item, .. } =
                w.app.ingest(comment).await.expect("ingest")
            else {
                panic!("a community item")
            };
            let target = match row.path {
                p if row.method == Method::DELETE && !p.starts_with("/api/v1/cases/") => {
                    fresh_target(&w, p, customer).await
                }
                p if p.contains("/community/items/") => item.to_string(),
                p if p.starts_with("/api/v1/users/") => target_user.id.to_string(),
                p if p.starts_with("/api/v1/case-fields/") => field.id.to_string(),
                p if p.starts_with("/api/v1/saved-replies/") => shared_reply.clone(),
                p if p.starts_with("/api/v1/schedules/") => schedule.clone(),
                p if p.starts_with("/api/v1/sla-policies/") => sla_policy.clone(),
                p if p.starts_with("/api/v1/network-apps/") => w.profile.app_id.to_string(),
                p if p.starts_with("/api/v1/profiles/") => w.profile.id.to_string(),
                p if p.starts_with("/api/v1/customers/") => case.customer_id.to_string(),
                p if p.starts_with("/api/v1/media/") => kept_media(&w, customer).await,
                p if p.starts_with("/api/v1/messages/") => {
                    let reply = ReplyRequest {
                        text: "On it".into(),
                        kind: ReplyKind::Direct,
                        in_reply_to: None,
                        set_status: None,
                        attachment_ids: Vec::new(),
                    };
                    w.app
                        .queue_reply(w.agent.id, case.id, reply, None)
                        .await
                        .expect("a queued reply")
                        .id
                        .to_string()
                }
                _ => case.id.to_string(),
            };
            let path = row
                .path
                .replace("{id}", &target)
                .replace("{reply_id}", &shared_reply)
                .replace("{n}", &case.number.to_string());
            if let (true, Some(token)) = (row.path == "/api/v1/stream", token) {
                // The stream never ends; only its status is read.
                let (status, _) = open_stream(&api, token, None).await;
                if status.as_u16() != row.expect[i] {
                    failures.push(format!(
                        "GET /api/v1/stream as {}: {status} (expected {})",
                        CALLERS[i], row.expect[i]
                    ));
                }
                continue;
            }
            let answer = call(
                &api,
                row.method.clone(),
                &path,
                token.as_deref(),
                (row.body)(&Ctx {
                    me: *me,
                    case: case.id,
                    app_id: w.profile.app_id,
                    request: customer,
                }),
            )
            .await;
            if answer.status.as_u16() != row.expect[i] {
                failures.push(format!(
                    "{} {} as {}: {} (expected {}) {}",
                    row.method, row.path, CALLERS[i], answer.status, row.expect[i], answer.json
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A photo a customer of the agent's profile sent, kept in the media store: its media id.
async fn kept_media(w: &World, n: usize) -> String {
    let inbound = caredesk_app::InboundMessage {
        attachments: vec![Attachment::at(
            AttachmentKind::Image,
            Some(format!("https://cdn.example/{n}.png")),
        )],
        ..w.dm(&format!("m{n}"), &format!("photo-{n}"), "")
    };
    w.app.ingest(inbound).await.expect("ingest");
    let now = w.app.now();
    let mut tx = w.app.store().begin().await.expect("begin");
    let mut media = tx
        .claim_downloads(now, now.plus_secs(60), 100)
        .await
        .expect("claim")
        .pop()
        .expect("the photo's download");
    let key = caredesk_app::media::object_key(&media);
    let bytes = bytes::Bytes::from_static(b"\x89PNG\r\n\x1a\n");
    let store = w.app.media_store().expect("a media store");
    store
        .put(&key, bytes.clone(), "image/png")
        .await
        .expect("put");
    let result = caredesk_domain::media::DownloadResult::Stored {
        object_key: key,
        mime: "image/png".into(),
        size: bytes.len() as i64,
    };
    media.record_download(result, now);
    tx.save_media(&media).await.expect("save");
    tx.commit().await.expect("commit");
    media.id.to_string()
}

/// A shared saved reply, kept by the supervisor: its id.
async fn shared_reply(w: &World, n: usize) -> String {
    let input = caredesk_app::SavedReplyInput {
        name: format!("Thanks {n}"),
        text: "Thank you, {{customer.first_name}}!".into(),
        shared: true,
    };
    w.app
        .create_saved_reply(w.supervisor.id, input)
        .await
        .expect("a shared saved reply")
        .id
        .to_string()
}

/// A schedule no policy counts in: its id.
async fn schedule(w: &World, n: usize) -> String {
    let draft = caredesk_domain::sla::ScheduleDraft {
        name: format!("Office {n}"),
        time_zone: "UTC".into(),
        hours: [(
            "mon".to_owned(),
            vec![["09:00".to_owned(), "17:00".to_owned()]],
        )]
        .into_iter()
        .collect(),
        holidays: Vec::new(),
    };
    w.app
        .create_schedule(w.supervisor.id, draft)
        .await
        .expect("a schedule")
        .id
        .to_string()
}

/// An SLA policy: its id.
async fn sla_policy(w: &World, n: usize) -> String {
    let draft = caredesk_domain::sla::SlaPolicyDraft {
        name: format!("Policy {n}"),
        targets: caredesk_domain::sla::SlaTargets {
            resolution_secs: Some(86_400),
            ..Default::default()
        },
        ..Default::default()
    };
    w.app
        .create_sla_policy(w.supervisor.id, draft)
        .await
        .expect("an SLA policy")
        .id
        .to_string()
}

/// A thing of its own for a DELETE that is not about cases: an unused network app, an empty
/// profile, a case field, a shared saved reply.
async fn fresh_target(w: &World, path: &str, n: usize) -> String {
    if path.starts_with("/api/v1/saved-replies/") {
        return shared_reply(w, n).await;
    }
    if path.starts_with("/api/v1/schedules/") {
        return schedule(w, n).await;
    }
    if path.starts_with("/api/v1/sla-policies/") {
        return sla_policy(w, n).await;
    }
    if path.starts_with("/api/v1/network-apps/") {
        let input = caredesk_app::NetworkAppInput {
            network: AppNetwork::Meta,
            name: format!("Spare {n}"),
            app_secret: "spare".into(),
            verify_token: String::new(),
            consumer_key: String::new(),
        };
        return w
            .app
            .create_network_app(None, input)
            .await
            .expect("app")
            .id
            .to_string();
    }
    if path.starts_with("/api/v1/profiles/") {
        let input = caredesk_app::ProfileInput {
            network: Network::Facebook,
            external_id: format!("spare-{n}"),
            name: "Spare".into(),
            app_id: w.profile.app_id,
            access_token: String::new(),
            token_secret: String::new(),
        };
        return w
            .app
            .create_profile(None, input)
            .await
            .expect("profile")
            .id
            .to_string();
    }
    let field = NewCaseField {
        name: format!("Spare {n}"),
        kind: FieldKind::Text,
        options: vec![],
        mandatory: false,
        enabled: false,
        position: 9,
    };
    w.app
        .create_case_field(None, field)
        .await
        .expect("field")
        .id
        .to_string()
}

/// `METHOD /path` of every operation of the OpenAPI document.
pub fn documented_routes() -> BTreeSet<String> {
    let doc = serde_json::to_value(caredesk_server::routes().2).expect("the document serializes");
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                routes.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    routes
}
