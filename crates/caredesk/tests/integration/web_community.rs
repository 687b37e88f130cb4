//! The Community inbox and Settings pages: customer text is escaped in the server-drawn list; a
//! community agent escalates an item through the dialog in a real browser (focus moves in,
//! Escape closes it and focus comes back), sees the Care badge appear on it and is told why a
//! reply is refused, and a new item appears live; a supervisor saves the grace period, adds a
//! case field and sees no admin-only part; a community agent is refused Settings.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_app::IngestOutcome;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::api_support::{login, router};
use crate::browser::Browser;
use crate::support::World;

/// A page of the router as text, for the signed-in `email`.
async fn page_text(w: &World, email: &str, path: &str) -> (StatusCode, String) {
    let api = router(w);
    let token = login(&api, email).await;
    let request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::COOKIE, format!("caredesk_session={token}"))
        .body(Body::empty())
        .expect("request");
    let response = api.oneshot(request).await.expect("the router answers");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn community_page_escapes_customer_text() {
    let w = World::new().await;
    w.app
        .ingest(w.dm("mallory", "dm-x", "<script>alert(1)</script>"))
        .await
        .expect("ingest");
    let (status, html) = page_text(&w, "community@example.com", "/community").await;
    assert_eq!(status, StatusCode::OK);
    let escaped = |page: &str| {
        page.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    };
    assert!(escaped(&html), "{html}");
    assert!(!html.contains("<script>alert(1)"));
    let (status, fragment) = page_text(&w, "community@example.com", "/community/list").await;
    assert_eq!(status, StatusCode::OK);
    assert!(escaped(&fragment), "{fragment}");
    assert!(!fragment.contains("<script>alert(1)"));
}

#[tokio::test]
async fn settings_are_refused_to_a_community_agent_and_admin_parts_hidden_from_supervisors() {
    let w = World::new().await;
    let (status, html) = page_text(&w, "community@example.com", "/settings").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("supervisors and admins"));
    assert!(!html.contains("grace-hours"));
    let (status, html) = page_text(&w, "sup@example.com", "/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("grace-hours"));
    assert!(!html.contains("New access token") && !html.contains("admin@example.com"));
    let (status, html) = page_text(&w, "admin@example.com", "/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("New access token") && html.contains("admin@example.com"));
    assert!(html.contains("/webhooks/meta"));
}

#[tokio::test]
async fn a_community_agent_escalates_an_item_through_the_dialog() {
    let w = World::new().await;
    let IngestOutcome::Community { item, .. } = w
        .app
        .ingest(w.dm("ann", "dm-1", "my parcel never came"))
        .await
        .expect("ingest")
    else {
        panic!("no item")
    };
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("community@example.com").await;
    b.open("/community").await;
    b.wait_for_text(".items", "my parcel never came").await;
    let row = format!("#item-{item}");
    let focused = || async {
        b.client
            .execute(
                "return document.activeElement.id || document.activeElement.dataset.escalate || ''",
                vec![],
            )
            .await
            .expect("script")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    b.click(&format!("{row} [data-escalate]")).await;
    b.wait_for("#escalate-dialog[open]").await;
    assert_eq!(focused().await, "esc-note", "focus moves into the dialog");
    let note = b.wait_for("#esc-note").await;
    note.send_keys(&fantoccini::key::Key::Escape.to_string())
        .await
        .expect("escape");
    for _ in 0..50 {
        if b.client
            .find(fantoccini::Locator::Css("#escalate-dialog[open]"))
            .await
            .is_err()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        focused().await,
        item.to_string(),
        "focus returns to the button"
    );
    b.click(&format!("{row} [data-escalate]")).await;
    b.wait_for("#escalate-dialog[open]").await;
    b.fill("#esc-note", "Customer waited two weeks").await;
    b.click("#escalate-submit").await;
    b.wait_for_text(&format!("{row} .care-badge"), "Care case #1")
        .await;
    b.wait_for_text(&format!("{row} .care-badge"), "new").await;
    b.wait_for_text(&format!("{row} .feedback"), "Escalated as case #1")
        .await;
    b.screenshot("community").await;

    b.fill(&format!("{row} .reply-form input[name=text]"), "On its way")
        .await;
    b.click(&format!("{row} .reply-form button[type=submit]"))
        .await;
    b.wait_for_text(&format!("{row} .feedback"), "belongs to active case #1")
        .await;

    b.click("h1").await;
    w.app
        .ingest(w.dm("bob", "dm-2", "a second question"))
        .await
        .expect("ingest");
    b.wait_for_text(".items", "a second question").await;
    b.close().await;
}

#[tokio::test]
async fn a_supervisor_saves_the_grace_period_and_a_community_agent_is_refused() {
    let w = World::new().await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("sup@example.com").await;
    b.open("/settings").await;
    b.fill("#grace-hours", "48").await;
    b.click("#general-form button[type=submit]").await;
    b.wait_for_text("#general-form .feedback", "Saved.").await;
    let settings = w.app.store().settings().await.expect("settings");
    assert_eq!(settings.grace_period_secs, 48 * 3_600);

    b.fill("#new-field-name", "Order number").await;
    b.click("#field-form button[type=submit]").await;
    b.wait_for("[data-field-row]").await;
    let fields = w.app.store().case_fields().await.expect("fields");
    assert!(fields.iter().any(|f| f.name == "Order number" && f.enabled));
    assert_eq!(
        b.wait_for("#grace-hours")
            .await
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("48")
    );
    b.screenshot("settings").await;

    b.click("header form button[type=submit]").await;
    b.wait_for("form.login-form").await;
    b.sign_in("community@example.com").await;
    b.open("/settings").await;
    b.wait_for_text("main", "supervisors and admins").await;
    b.close().await;
}
