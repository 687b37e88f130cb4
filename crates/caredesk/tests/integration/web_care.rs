//! The Care inbox page: through the router (visibility, escaping) and in a real browser (taking
//! a New case, replying, marking it Done; live reopening; customer text shown as text; the
//! status control of a non-assignee).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use caredesk_app::{InboundMessage, IngestOutcome, ProfileInput};
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::api_support::{login, router};
use crate::browser::Browser;
use crate::support::{escalated, World};

/// `GET path` as a signed-in browser would (session cookie); answers the status and the HTML.
async fn page(w: &World, email: &str, path: &str) -> (StatusCode, String) {
    let app = router(w);
    let token = login(&app, email).await;
    let request = Request::get(path)
        .header(
            header::COOKIE,
            format!("{}={token}", caredesk_server::SESSION_COOKIE),
        )
        .body(Body::empty())
        .expect("request");
    let response = app.oneshot(request).await.expect("the router answers");
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
async fn the_case_page_hides_other_profiles_and_escapes_customer_text() {
    let w = World::new().await;
    let mine = escalated(
        &w,
        w.dm("mal", "dm-1", "<script>alert('x')</script> help"),
        Some(w.agent.id),
    )
    .await;
    let (status, html) = page(
        &w,
        "agent@example.com",
        &format!("/care/cases/{}", mine.number),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("&#60;script&#62;alert(") || html.contains("&lt;script&gt;alert("),
        "escaped in the page"
    );
    assert!(!html.contains("<script>alert("), "never raw");

    let other = w
        .app
        .create_profile(
            None,
            ProfileInput {
                network: Network::Facebook,
                external_id: "page-2".into(),
                name: "Other Page".into(),
                app_id: w.profile.app_id,
                access_token: "token".into(),
                token_secret: String::new(),
            },
        )
        .await
        .expect("profile");
    let inbound = InboundMessage {
        profile_id: other.id,
        ..w.dm("zed", "dm-2", "elsewhere")
    };
    let IngestOutcome::Community { item, .. } = w.app.ingest(inbound).await.expect("ingest") else {
        panic!("no item")
    };
    let foreign = w
        .app
        .escalate(w.admin.id, item, EscalationRequest::default())
        .await
        .expect("escalate")
        .case;
    let (status, html) = page(
        &w,
        "agent@example.com",
        &format!("/care/cases/{}", foreign.number),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("elsewhere"));
    let (status, _) = page(&w, "agent@example.com", "/care/cases/999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_agent_takes_a_new_case_replies_and_marks_it_done() {
    let w = World::new().await;
    let case = escalated(&w, w.dm("ann", "dm-1", "where is my parcel"), None).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open("/care?view=new").await;
    b.wait_for_text(".rows", "Customer ann").await;
    b.wait_for_text(".views [aria-current=page]", "New").await;
    b.click(&format!("[data-case-row='{}']", case.number)).await;
    b.wait_for_text("#conversation", "where is my parcel").await;
    b.wait_for_text("#reply-reason", "assign to yourself").await;
    b.click("#assign-me").await;
    b.wait_for_text("#assignee-name", "agent").await;
    b.wait_for_text("#case-status", "Open").await;
    b.fill("#reply-text", "It leaves the depot today").await;
    b.click("#composer button[data-set-status='']").await;
    b.wait_for_text("#conversation", "It leaves the depot today")
        .await;
    b.screenshot("care").await;
    b.click("#mark-done").await;
    b.wait_for_text("#case-status", "Done").await;
    b.wait_for_text("#reply-reason", "Case is Done").await;
    b.close().await;
}

#[tokio::test]
async fn a_customer_message_in_grace_reopens_the_case_on_the_open_page() {
    let w = World::new().await;
    let case = escalated(
        &w,
        w.dm("bea", "dm-1", "my order is late"),
        Some(w.agent.id),
    )
    .await;
    w.app
        .set_status(w.agent.id, case.id, CaseStatus::Done, None)
        .await
        .expect("done");
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}?view=my_open", case.number))
        .await;
    b.wait_for_text("#case-status", "Done").await;
    assert!(!b.text(".care-list").await.contains("Customer bea"));
    w.clock.advance_secs(60);
    w.app
        .ingest(w.dm("bea", "dm-2", "still nothing arrived"))
        .await
        .expect("ingest");
    b.wait_for_text("#conversation", "still nothing arrived")
        .await;
    b.wait_for_text("#case-status", "Open").await;
    b.wait_for_text(".care-list .rows", "Customer bea").await;
    b.wait_for_text("#conversation", "a customer message reopened the case")
        .await;
    b.wait_for_text(".views a[href*=my_open] .count", "1").await;
    b.close().await;
}

#[tokio::test]
async fn customer_markup_is_shown_as_text_and_runs_nothing() {
    let w = World::new().await;
    let text = "<img src=x onerror=alert(1)>";
    let case = escalated(&w, w.dm("eve", "dm-1", text), Some(w.agent.id)).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.wait_for_text("#conversation", text).await;
    let images = b
        .client
        .find_all(fantoccini::Locator::Css("#conversation img"))
        .await
        .expect("find");
    assert!(images.is_empty());
    assert!(b.client.get_alert_text().await.is_err(), "no alert ran");
    b.close().await;
}

#[tokio::test]
async fn a_non_assignee_sees_the_status_control_disabled_with_the_reason() {
    let w = World::new().await;
    let case = escalated(&w, w.dm("cy", "dm-1", "hello"), Some(w.other_agent.id)).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    let status = b.wait_for("#status").await;
    assert!(!status.is_enabled().await.expect("enabled"));
    b.wait_for_text("#status-reason", "Assigned to agent2")
        .await;
    assert!(!b
        .wait_for("#mark-done")
        .await
        .is_enabled()
        .await
        .expect("enabled"));
    b.wait_for_text("#reply-reason", "Assigned to agent2").await;
    // Narrow: the panel is a drawer, opened by "Case details" over the conversation.
    b.client.set_window_size(900, 800).await.expect("resize");
    let panel = b.wait_for(".care-panel").await;
    assert!(!panel.is_displayed().await.expect("shown"));
    b.click("#show-panel").await;
    assert!(panel.is_displayed().await.expect("shown"));
    let (panel_x, _, panel_w, _) = panel.rectangle().await.expect("rect");
    let width = b
        .eval("return window.innerWidth;")
        .await
        .as_f64()
        .expect("width");
    assert!(
        (panel_x + panel_w - width).abs() <= 1.0,
        "the drawer sits at the right edge"
    );
    b.wait_for_text("#status-reason", "Assigned to agent2")
        .await;
    b.screenshot("care-narrow").await;
    b.click("#hide-panel").await;
    assert!(!panel.is_displayed().await.expect("shown"));
    b.close().await;
}

#[tokio::test]
async fn a_stale_screen_is_refused_explained_and_reloaded() {
    let w = World::new().await;
    let case = escalated(&w, w.dm("dee", "dm-1", "any news"), Some(w.agent.id)).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.wait_for_text("#case-status", "Open").await;
    // The screen claims an older version than the case has.
    b.client
        .execute(
            "document.getElementById('care').dataset.version = '0';",
            vec![],
        )
        .await
        .expect("script");
    b.click("#mark-done").await;
    b.wait_for_text("#care-flash", "changed since the screen loaded")
        .await;
    b.wait_for_text("#case-status", "Open").await;
    let version = b
        .client
        .execute(
            "return document.getElementById('care').dataset.version;",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(version, serde_json::json!(case.version.to_string()));
    b.close().await;
}

#[tokio::test]
async fn shortcuts_move_through_the_list_assign_and_close() {
    let w = World::new().await;
    let first = escalated(&w, w.dm("fay", "dm-1", "first question"), None).await;
    w.clock.advance_secs(60);
    let second = escalated(&w, w.dm("gus", "dm-2", "second question"), None).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}?view=new", first.number))
        .await;
    b.wait_for_text("#conversation", "first question").await;
    let body = b.wait_for("body").await;
    body.send_keys("j").await.expect("key");
    b.wait_for_text("#conversation", "second question").await;
    assert!(b
        .client
        .current_url()
        .await
        .expect("url")
        .path()
        .ends_with(&format!("/care/cases/{}", second.number)));
    let body = b.wait_for("body").await;
    body.send_keys("a").await.expect("key");
    b.wait_for_text("#assignee-name", "agent").await;
    let body = b.wait_for("body").await;
    body.send_keys("r").await.expect("key");
    let focused = b.client.active_element().await.expect("focus");
    assert_eq!(
        focused.attr("id").await.expect("id").as_deref(),
        Some("reply-text")
    );
    assert_eq!(
        focused.prop("value").await.expect("value").as_deref(),
        Some("")
    );
    // Ctrl+Enter sends.
    focused.send_keys("Looking into it").await.expect("type");
    let chord: String = [
        char::from(fantoccini::key::Key::Control),
        char::from(fantoccini::key::Key::Enter),
    ]
    .into_iter()
    .collect();
    focused.send_keys(&chord).await.expect("ctrl+enter");
    b.wait_for_text("#conversation", "Looking into it").await;
    let body = b.wait_for("body").await;
    body.send_keys("d").await.expect("key");
    b.wait_for_text("#case-status", "Done").await;
    b.close().await;
}

#[tokio::test]
async fn a_hidden_comment_warns_before_replying_and_case_fields_are_edited_in_place() {
    let w = World::new().await;
    let field = w
        .app
        .create_case_field(
            None,
            NewCaseField {
                name: "Order number".into(),
                kind: FieldKind::Text,
                options: vec![],
                mandatory: false,
                enabled: true,
                position: 1,
            },
        )
        .await
        .expect("field");
    let inbound = InboundMessage {
        hidden: true,
        ..w.comment("hal", "c-1", "post-1", "this brand is rubbish")
    };
    let case = escalated(&w, inbound, Some(w.agent.id)).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.wait_for_text("#conversation", "hidden").await;
    b.wait_for_text("#hidden-warning", "visible only to the customer")
        .await;
    assert!(b
        .wait_for("#hidden-warning")
        .await
        .is_displayed()
        .await
        .expect("shown"));
    b.fill(&format!("#field-{}", field.id), "A-1234").await;
    b.click("#priority").await;
    for _ in 0..100 {
        let stored = w
            .app
            .store()
            .case(case.id)
            .await
            .expect("read")
            .expect("case");
        if stored.fields.contains_key(&field.id) {
            return b.close().await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the field value was never saved");
}
