//! Saved replies on the web: Settings shows every Care user their saved replies (and a Care
//! agent nothing else), and in a real browser an agent keeps one of their own (a refused text is
//! explained next to its field), then types `/thank` in a case's composer, picks a reply from
//! the list with the keyboard and finds it filled for the case, still editable.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use caredesk_app::SavedReplyInput;
use fantoccini::key::Key;
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

async fn shared(w: &World, name: &str, text: &str) {
    let input = SavedReplyInput {
        name: name.into(),
        text: text.into(),
        shared: true,
    };
    w.app
        .create_saved_reply(w.supervisor.id, input)
        .await
        .expect("a shared reply");
}

#[tokio::test]
async fn settings_show_each_care_user_their_saved_replies() {
    let w = World::new().await;
    shared(&w, "Thanks for waiting", "Thanks, {{customer.first_name}}!").await;
    let (status, html) = page(&w, "agent@example.com", "/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Saved replies") && html.contains("Thanks for waiting"));
    assert!(
        html.contains("{{customer.first_name}}"),
        "the variables are listed"
    );
    assert!(
        !html.contains("grace-hours"),
        "an agent sees only their saved replies"
    );
    assert!(
        !html.contains("name=\"shared\""),
        "an agent may not share one"
    );
    assert!(
        html.contains("href=\"/settings\""),
        "the top bar offers Settings to agents"
    );
    let (status, html) = page(&w, "sup@example.com", "/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("grace-hours") && html.contains("name=\"shared\""));
    assert!(
        html.contains("data-delete-reply"),
        "a supervisor keeps the shared ones"
    );
    let (status, html) = page(&w, "community@example.com", "/settings").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("Thanks for waiting"));
}

#[tokio::test]
async fn an_agent_types_slash_thank_and_picks_a_saved_reply_filled_for_the_case() {
    let w = World::new().await;
    shared(
        &w,
        "Thanks for waiting",
        "Thanks for waiting, {{customer.first_name}}! {{agent.name}} from {{profile.name}}, case #{{case.number}}.",
    )
    .await;
    shared(&w, "Apology", "Sorry, {{customer.name}}.").await;
    let case = escalated(
        &w,
        w.dm("ann", "dm-1", "where is my parcel?"),
        Some(w.agent.id),
    )
    .await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;

    // A personal one, kept in Settings: an unknown variable is explained next to the text.
    b.open("/settings").await;
    b.fill("#new-reply-name", "thank you, short").await;
    b.fill("#new-reply-text", "Thank you {{order.id}}").await;
    b.click("#reply-add-form button[type=submit]").await;
    b.wait_for_text("#new-reply-text-error", "Unknown variable {{order.id}}")
        .await;
    let invalid = b
        .eval("return document.getElementById('new-reply-text').getAttribute('aria-invalid');")
        .await;
    assert_eq!(invalid, "true");
    b.fill("#new-reply-text", "Thank you, {{customer.first_name}}.")
        .await;
    b.click("#reply-add-form button[type=submit]").await;
    b.wait_until(
        "the new reply is listed as the agent's own",
        "return Array.from(document.querySelectorAll('[data-reply-row] input[name=name]')).some(i => i.value === 'thank you, short');",
    )
    .await;
    b.screenshot("settings-saved-replies").await;

    // In the composer: `/thank` after some words opens the list, filtered by name.
    b.open(&format!("/care/cases/{}", case.number)).await;
    let text = b.wait_for("#reply-text").await;
    text.click().await.expect("focus the reply");
    text.send_keys("Hello /thank").await.expect("type");
    b.wait_until(
        "the picker lists the two replies named like `thank`",
        "const l = document.getElementById('saved-reply-picker'); return !!l && !l.hidden && l.querySelectorAll('[role=option]').length === 2;",
    )
    .await;
    let names = b
        .eval("return Array.from(document.querySelectorAll('#saved-reply-picker [role=option] .saved-name')).map(e => e.textContent);")
        .await;
    assert_eq!(
        names,
        serde_json::json!(["thank you, short", "Thanks for waiting"])
    );
    let expanded = b
        .eval("const t = document.getElementById('reply-text'); return [t.getAttribute('aria-expanded'), t.getAttribute('aria-activedescendant'), document.querySelector('#saved-reply-picker [aria-selected=true] .saved-name').textContent];")
        .await;
    assert_eq!(expanded[0], "true");
    assert_eq!(expanded[2], "thank you, short");
    assert!(expanded[1]
        .as_str()
        .is_some_and(|id| id.starts_with("saved-reply-option-")));
    b.screenshot("saved-reply-picker").await;

    // Escape closes it and keeps the text; typing on opens it again.
    text.send_keys(&Key::Escape.to_string())
        .await
        .expect("escape");
    b.wait_until(
        "Escape closes the picker",
        "return document.getElementById('saved-reply-picker').hidden && document.getElementById('reply-text').value === 'Hello /thank';",
    )
    .await;
    text.send_keys("s").await.expect("type");
    b.wait_until(
        "the picker lists `Thanks for waiting` alone",
        "const l = document.getElementById('saved-reply-picker'); return !l.hidden && l.querySelectorAll('[role=option]').length === 1;",
    )
    .await;
    text.send_keys(&Key::Backspace.to_string())
        .await
        .expect("erase");
    b.wait_until(
        "both replies are listed again",
        "return document.querySelectorAll('#saved-reply-picker [role=option]').length === 2;",
    )
    .await;

    // Down to the shared reply, Enter: it is filled for the case and replaces `/thank`.
    text.send_keys(&Key::Down.to_string()).await.expect("down");
    text.send_keys(&Key::Enter.to_string())
        .await
        .expect("enter");
    let filled = format!(
        "Hello Thanks for waiting, Customer! agent from Brand Page, case #{}.",
        case.number
    );
    b.wait_until(
        "the filled reply is in the composer",
        &format!(
            "return document.getElementById('reply-text').value === {};",
            serde_json::Value::String(filled.clone())
        ),
    )
    .await;
    let closed = b
        .eval("return document.getElementById('saved-reply-picker').hidden;")
        .await;
    assert_eq!(closed, true);
    b.screenshot("saved-reply-filled").await;

    // Still the agent's to edit before sending.
    text.send_keys(" Anything else?").await.expect("type on");
    let value = b
        .eval("return document.getElementById('reply-text').value;")
        .await;
    assert_eq!(value, format!("{filled} Anything else?").as_str());
    b.close().await;
}
