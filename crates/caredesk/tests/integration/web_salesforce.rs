//! The Salesforce tab in a real browser, against the fake Salesforce: an agent finds an account
//! by name, links it, creates the Salesforce Case and sees its id and link.

use std::sync::Arc;

use caredesk_app::salesforce::{ConnectInput, SalesforceConfig};
use caredesk_domain::salesforce::ConnectionState;
use caredesk_fakes::{FakeSalesforce, FakeSalesforceConfig};
use caredesk_networks::salesforce::{SalesforceClient, SalesforceConfig as ClientConfig};

use crate::browser::Browser;
use crate::support::{escalated, World};

#[tokio::test]
async fn an_agent_links_an_account_and_creates_a_salesforce_case() {
    let mut w = World::new().await;
    let fake = FakeSalesforce::start(FakeSalesforceConfig {
        client_id: "key".into(),
        client_secret: "secret".into(),
        ..FakeSalesforceConfig::default()
    })
    .await
    .expect("fake salesforce");
    fake.add_account("Acme Ltd");
    fake.add_account("Globex");
    let client = SalesforceClient::new(&ClientConfig::default()).expect("client");
    w.app = w
        .app
        .clone()
        .with_salesforce(Arc::new(client), SalesforceConfig::default());
    let connection = w
        .app
        .connect_salesforce(
            w.admin.id,
            ConnectInput {
                login_url: fake.login_url(),
                client_id: "key".into(),
                client_secret: "secret".into(),
                refresh_token: None,
            },
        )
        .await
        .expect("connect");
    assert_eq!(connection.state, ConnectionState::Connected);
    let case = escalated(
        &w,
        w.dm("ann", "dm-1", "where is my parcel"),
        Some(w.agent.id),
    )
    .await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.click("#tab-salesforce-button").await;
    b.wait_for_text("#sf-connection", "Connected to Salesforce")
        .await;
    b.wait_for_text("#sf-account", "not linked").await;
    b.fill("#sf-q", "acme").await;
    b.click("#sf-search button[type=submit]").await;
    b.wait_for_text("#sf-results", "Acme Ltd").await;
    assert!(!b.text("#sf-results").await.contains("Globex"));
    b.click("[data-sf-link='account_id']").await;
    b.wait_for_text("#sf-account", "Acme Ltd").await;
    b.click("#sf-create").await;
    b.wait_for("#sf-case-link").await;
    let created: Vec<String> = fake.cases().into_iter().map(|c| c.id).collect();
    assert_eq!(created.len(), 1, "one Salesforce Case");
    b.wait_for_text("#sf-case-link", &created[0]).await;
    b.wait_for_text("#sf-status", "Working").await;
    let stored = fake.case(&created[0]).expect("stored").fields;
    assert_eq!(
        stored["Subject"],
        format!(
            "[Facebook] #{} Customer ann: where is my parcel",
            case.number
        )
    );
    b.screenshot("care-salesforce").await;
    b.close().await;
}
