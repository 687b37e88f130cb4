//! The Salesforce integration through the API, against the fake Salesforce over real HTTP: both
//! token flows, an expired session refreshed once and retried, a revoked refresh token shown as
//! `expired`, SOQL escaping of a hostile name, linking the customer, creating a Salesforce Case
//! (and its refusal at 90 days), Care status changes reaching Salesforce, Salesforce's status
//! read back without touching Care, and an outage that loses no sync and blocks no Care work.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::Router;
use caredesk_app::salesforce::SalesforceConfig;
use caredesk_app::App;
use caredesk_domain::{CaseStatus, EventKind};
use caredesk_fakes::{FakeSalesforce, FakeSalesforceConfig, Outage};
use caredesk_networks::salesforce::{SalesforceClient, SalesforceConfig as ClientConfig};
use serde_json::json;

use crate::api_support::{call, login};
use crate::support::{escalated, World};

const CLIENT_ID: &str = "3MVG9-consumer-key";
const CLIENT_SECRET: &str = "consumer-secret-never-shown";
const REFRESH_TOKEN: &str = "5Aep-refresh-token-never-shown";

/// A world whose use cases talk to a fake Salesforce.
struct Wired {
    w: World,
    app: App,
    router: Router,
    fake: FakeSalesforce,
    admin: String,
    agent: String,
}

impl Wired {
    async fn new() -> Wired {
        let w = World::new().await;
        let fake = FakeSalesforce::start(FakeSalesforceConfig {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            refresh_token: REFRESH_TOKEN.into(),
            ..FakeSalesforceConfig::default()
        })
        .await
        .expect("fake salesforce");
        let client = SalesforceClient::new(&ClientConfig::default()).expect("client");
        let app = w
            .app
            .clone()
            .with_salesforce(Arc::new(client), SalesforceConfig::default());
        let router = caredesk_server::router(caredesk_server::AppState::new(app.clone(), None));
        let admin = login(&router, "admin@example.com").await;
        let agent = login(&router, "agent@example.com").await;
        Wired {
            w,
            app,
            router,
            fake,
            admin,
            agent,
        }
    }

    async fn connect(&self, refresh_token: Option<&str>) -> serde_json::Value {
        let answer = call(
            &self.router,
            Method::PUT,
            "/api/v1/integrations/salesforce",
            Some(&self.admin),
            Some(json!({
                "login_url": self.fake.login_url(),
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "refresh_token": refresh_token,
            })),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        answer.json
    }

    async fn get(&self, token: &str, path: &str) -> crate::api_support::Answer {
        call(&self.router, Method::GET, path, Some(token), None).await
    }

    async fn post(
        &self,
        token: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> crate::api_support::Answer {
        call(&self.router, Method::POST, path, Some(token), body).await
    }

    /// A case assigned to the agent.
    async fn case(&self, customer: &str) -> caredesk_domain::Case {
        let inbound = self.w.dm(
            customer,
            &format!("m-{customer}"),
            "My parcel never arrived",
        );
        escalated(&self.w, inbound, Some(self.w.agent.id)).await
    }
}

#[tokio::test]
async fn each_token_flow_connects_and_secrets_are_never_shown() {
    let s = Wired::new().await;
    let none = s.get(&s.admin, "/api/v1/integrations/salesforce").await;
    assert_eq!(none.json["state"], "none");

    let connected = s.connect(None).await;
    assert_eq!(connected["state"], "connected", "{connected}");
    assert_eq!(connected["flow"], "client_credentials");
    assert_eq!(connected["instance_url"], s.fake.login_url().as_str());
    let connected = s.connect(Some(REFRESH_TOKEN)).await;
    assert_eq!(connected["state"], "connected", "{connected}");
    assert_eq!(connected["flow"], "refresh_token");
    let shown = s.get(&s.admin, "/api/v1/integrations/salesforce").await;
    let text = shown.json.to_string();
    assert!(
        !text.contains(CLIENT_SECRET) && !text.contains(REFRESH_TOKEN),
        "{text}"
    );
    assert!(!text.contains("access_token"), "{text}");

    let refused = call(
        &s.router,
        Method::PUT,
        "/api/v1/integrations/salesforce",
        Some(&s.admin),
        Some(
            json!({"login_url": s.fake.login_url(), "client_id": CLIENT_ID,
            "client_secret": "wrong", "refresh_token": null}),
        ),
    )
    .await;
    assert_eq!(refused.json["state"], "error", "{}", refused.json);
    assert!(refused.json["error"]
        .as_str()
        .unwrap_or("")
        .contains("invalid_client"));

    let agent = call(
        &s.router,
        Method::PUT,
        "/api/v1/integrations/salesforce",
        Some(&s.agent),
        Some(json!({"login_url": s.fake.login_url(), "client_id": "x", "client_secret": "y"})),
    )
    .await;
    assert_eq!(agent.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_expired_session_is_refreshed_once_and_a_revoked_refresh_token_shows_expired() {
    let s = Wired::new().await;
    s.fake.add_account("Acme Ltd");
    s.connect(Some(REFRESH_TOKEN)).await;
    let tokens_before = s.fake.token_calls();

    s.fake.expire_tokens();
    let found = s.get(&s.agent, "/api/v1/salesforce/accounts?q=Acme").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.json);
    assert_eq!(found.json["items"][0]["name"], "Acme Ltd");
    assert_eq!(
        s.fake.token_calls(),
        tokens_before + 1,
        "one refresh, then the retry"
    );

    s.fake.revoke_refresh_token();
    s.fake.expire_tokens();
    let refused = s.get(&s.agent, "/api/v1/salesforce/accounts?q=Acme").await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.json);
    assert_eq!(refused.code(), "salesforce_expired");
    let shown = s.get(&s.admin, "/api/v1/integrations/salesforce").await;
    assert_eq!(shown.json["state"], "expired", "{}", shown.json);
}

#[tokio::test]
async fn a_hostile_name_is_searched_for_literally() {
    let s = Wired::new().await;
    let hostile = r"O'Brien \ %_";
    let wanted = s.fake.add_account(&format!("{hostile} Holdings"));
    s.fake.add_account("O'Brien X");
    s.fake.add_account("OBrien");
    s.fake.add_account(r"O'Brien \ 100 ab");
    s.connect(None).await;
    let q: String = url_encode(hostile);
    let found = s
        .get(&s.agent, &format!("/api/v1/salesforce/accounts?q={q}"))
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.json);
    let items = found.json["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{}", found.json);
    assert_eq!(items[0]["id"], wanted.as_str());

    let community = login(&s.router, "community@example.com").await;
    let refused = s
        .get(&community, "/api/v1/salesforce/accounts?q=Acme")
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn linking_stores_the_names_on_the_customer_and_unknown_ids_are_refused() {
    let s = Wired::new().await;
    let account = s.fake.add_account("Acme Ltd");
    let contact = s.fake.add_contact("Jane Customer", Some(&account));
    s.connect(None).await;
    let case = s.case("jane").await;

    let linked = s
        .post(
            &s.agent,
            &format!("/api/v1/cases/{}/salesforce/link", case.id),
            Some(json!({"account_id": account, "contact_id": contact})),
        )
        .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.json);
    assert_eq!(linked.json["salesforce"]["account_name"], "Acme Ltd");
    assert_eq!(linked.json["salesforce"]["contact_name"], "Jane Customer");
    let customer = s
        .get(&s.agent, &format!("/api/v1/customers/{}", case.customer_id))
        .await;
    assert_eq!(customer.json["salesforce"]["account_id"], account.as_str());
    let events = s.w.app.store().case_events(case.id).await.expect("events");
    assert!(events
        .iter()
        .any(|e| matches!(e.event.kind, EventKind::SalesforceLinked { .. })));

    let none = s
        .post(
            &s.agent,
            &format!("/api/v1/cases/{}/salesforce/link", case.id),
            Some(json!({})),
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = s
        .post(
            &s.agent,
            &format!("/api/v1/cases/{}/salesforce/link", case.id),
            Some(json!({"account_id": "001000000000000AAA"})),
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.json
    );
    let injected = s
        .post(
            &s.agent,
            &format!("/api/v1/cases/{}/salesforce/link", case.id),
            Some(json!({"account_id": "001' OR Name!='"})),
        )
        .await;
    assert_eq!(injected.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_salesforce_case_is_created_from_the_care_case_and_refused_after_ninety_days() {
    let s = Wired::new().await;
    let account = s.fake.add_account("Acme Ltd");
    s.connect(None).await;
    let case = s.case("jane").await;
    s.post(
        &s.agent,
        &format!("/api/v1/cases/{}/salesforce/link", case.id),
        Some(json!({"account_id": account})),
    )
    .await;

    let created = s
        .post(
            &s.agent,
            &format!("/api/v1/cases/{}/salesforce/case", case.id),
            None,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    let sf_id = created.json["salesforce"]["case_id"]
        .as_str()
        .expect("a Salesforce id")
        .to_owned();
    assert!(sf_id.starts_with("500"));
    assert!(created.json["salesforce"]["case_url"]
        .as_str()
        .unwrap_or("")
        .ends_with(&format!("/lightning/r/Case/{sf_id}/view")));
    let stored = s.fake.case(&sf_id).expect("the fake has it").fields;
    assert_eq!(
        stored["Subject"],
        format!(
            "[Facebook] #{} Customer jane: My parcel never arrived",
            case.number
        )
    );
    assert!(stored["Description"]
        .as_str()
        .unwrap_or("")
        .contains("] Customer jane: My parcel never arrived"));
    assert_eq!(stored["Status"], "Working", "an assigned case is open");
    assert_eq!(stored["Priority"], "Medium");
    assert_eq!(stored["Origin"], "Web");
    assert_eq!(stored["AccountId"], account.as_str());

    let again = s
        .post(
            &s.agent,
            &format!("/api/v1/cases/{}/salesforce/case", case.id),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let listed = s.get(&s.agent, "/api/v1/cases?view=inbox").await;
    let row = listed.json["items"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|i| i["id"] == case.id.to_string())
                .cloned()
        })
        .expect("listed");
    assert_eq!(row["salesforce"]["case_id"], sf_id.as_str());

    let old = s.case("old").await;
    s.w.clock.advance_secs(90 * 86_400);
    let before = s.fake.cases().len();
    let agent = login(&s.router, "agent@example.com").await;
    let refused = s
        .post(
            &agent,
            &format!("/api/v1/cases/{}/salesforce/case", old.id),
            None,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.json
    );
    assert_eq!(refused.code(), "salesforce_window");
    assert_eq!(s.fake.cases().len(), before, "nothing was created");
}

#[tokio::test]
async fn care_status_reaches_salesforce_and_salesforce_status_is_only_shown() {
    let s = Wired::new().await;
    s.connect(None).await;
    let case = s.case("jane").await;
    let created = s
        .post(
            &s.agent,
            &format!("/api/v1/cases/{}/salesforce/case", case.id),
            None,
        )
        .await;
    let sf_id = created.json["salesforce"]["case_id"]
        .as_str()
        .expect("created")
        .to_owned();

    let path = format!("/api/v1/cases/{}/status", case.id);
    let pending = s
        .post(&s.agent, &path, Some(json!({"status": "on_hold"})))
        .await;
    assert_eq!(pending.status, StatusCode::OK, "{}", pending.json);
    let patched = call(
        &s.router,
        Method::PATCH,
        &format!("/api/v1/cases/{}", case.id),
        Some(&s.agent),
        Some(json!({"priority": "urgent"})),
    )
    .await;
    assert_eq!(patched.status, StatusCode::OK);
    let pass = s.app.sync_salesforce().await.expect("sync");
    assert_eq!((pass.claimed, pass.synced), (1, 1), "two changes, one call");
    let stored = s.fake.case(&sf_id).expect("case").fields;
    assert_eq!(
        (stored["Status"].clone(), stored["Priority"].clone()),
        (json!("Working"), json!("High"))
    );
    let done = s
        .post(&s.agent, &path, Some(json!({"status": "done"})))
        .await;
    assert_eq!(done.status, StatusCode::OK);
    s.app.sync_salesforce().await.expect("sync");
    assert_eq!(
        s.fake.case(&sf_id).expect("case").fields["Status"],
        "Closed"
    );
    assert_eq!(s.app.sync_salesforce().await.expect("idle").claimed, 0);

    s.fake.set_case_status(&sf_id, "Escalated");
    let version =
        s.w.app
            .store()
            .case(case.id)
            .await
            .expect("read")
            .expect("case")
            .version;
    s.w.clock.advance_secs(301);
    let pulled = s.app.pull_salesforce().await.expect("pull");
    assert_eq!((pulled.read, pulled.changed), (1, 1));
    let shown = s.get(&s.agent, &format!("/api/v1/cases/{}", case.id)).await;
    assert_eq!(shown.json["salesforce"]["status"], "Escalated");
    assert_eq!(
        shown.json["status"], "done",
        "Salesforce never changes the Care status"
    );
    assert_eq!(shown.json["version"], version, "nor the version");
    let events = s.w.app.store().case_events(case.id).await.expect("events");
    assert!(events.iter().any(|e| e.event.kind
        == EventKind::SalesforceStatusChanged {
            from: Some("Closed".into()),
            to: "Escalated".into()
        }));
    let again = s.app.pull_salesforce().await.expect("pull");
    assert_eq!(again.read, 0, "not read again before the interval");
}

#[tokio::test]
async fn an_outage_loses_no_sync_and_blocks_no_care_work() {
    let s = Wired::new().await;
    s.connect(None).await;
    let case = s.case("jane").await;
    let created = s
        .post(
            &s.agent,
            &format!("/api/v1/cases/{}/salesforce/case", case.id),
            None,
        )
        .await;
    let sf_id = created.json["salesforce"]["case_id"]
        .as_str()
        .expect("created")
        .to_owned();

    s.fake.set_outage(Some(Outage::ServiceUnavailable));
    let path = format!("/api/v1/cases/{}/status", case.id);
    for status in ["pending", "on_hold", "done"] {
        let answer = s
            .post(&s.agent, &path, Some(json!({"status": status})))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "Care work goes on: {}",
            answer.json
        );
    }
    let pass = s.app.sync_salesforce().await.expect("sync");
    assert_eq!((pass.claimed, pass.retrying), (1, 1));
    assert_eq!(
        s.w.app
            .store()
            .salesforce_sync_depth()
            .await
            .expect("depth"),
        1
    );
    let tab =
        s.w.app
            .store()
            .salesforce_sync_state(case.id)
            .await
            .expect("state");
    assert!(tab
        .and_then(|t| t.last_error)
        .unwrap_or_default()
        .contains("unavailable"));
    let search = s.get(&s.agent, "/api/v1/salesforce/accounts?q=Acme").await;
    assert_eq!(search.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(search.code(), "salesforce_unavailable");

    s.fake.set_outage(None);
    assert_eq!(
        s.app.sync_salesforce().await.expect("not yet").claimed,
        0,
        "backing off"
    );
    s.w.clock.advance_secs(60);
    let pass = s.app.sync_salesforce().await.expect("sync");
    assert_eq!(pass.synced, 1);
    assert_eq!(
        s.fake.case(&sf_id).expect("case").fields["Status"],
        "Closed"
    );
    assert_eq!(
        s.w.app
            .store()
            .salesforce_sync_depth()
            .await
            .expect("depth"),
        0
    );
    let status =
        s.w.app
            .store()
            .case(case.id)
            .await
            .expect("read")
            .expect("case")
            .status;
    assert_eq!(status, CaseStatus::Done);

    let metrics =
        caredesk_server::metrics::router(caredesk_server::AppState::new(s.app.clone(), None));
    let text = crate::api_support::send_raw(
        &metrics,
        axum::http::Request::get("/metrics")
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await
    .1;
    assert!(text.contains("caredesk_salesforce_api_usage "), "{text}");
    assert!(
        text.contains("caredesk_salesforce_syncs_waiting 0"),
        "{text}"
    );
}
