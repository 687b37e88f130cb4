//! The web app's frame through the router and in a real browser: sign-in and sign-out, the
//! user and role in the header, the home overview, the health banner, and the security headers
//! every page carries.

use axum::http::{header, Method, StatusCode};
use caredesk_domain::*;

use crate::api_support::{call, router};
use crate::browser::Browser;
use crate::support::{escalated, World};

#[tokio::test]
async fn pages_carry_a_strict_policy_and_ask_strangers_to_sign_in() {
    let w = World::new().await;
    let api = router(&w);
    let login = call(&api, Method::GET, "/login", None, None).await;
    assert_eq!(login.status, StatusCode::OK);
    let csp = login.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("csp");
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(login.headers[header::X_FRAME_OPTIONS], "DENY");
    let home = call(&api, Method::GET, "/home", None, None).await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.headers[header::LOCATION], "/login");
    let script = call(&api, Method::GET, "/assets/app.js", None, None).await;
    assert_eq!(script.status, StatusCode::OK);
}

#[tokio::test]
async fn an_agent_signs_in_sees_the_overview_and_signs_out() {
    let w = World::new().await;
    escalated(&w, w.dm("ann", "dm-1", "where is my parcel"), None).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.open("/home").await;
    b.wait_for("form.login-form").await;
    b.fill("#email", "sup@example.com").await;
    b.fill("#password", "not the password").await;
    b.click("form.login-form button[type=submit]").await;
    b.wait_for_text(".error", "do not match").await;

    b.sign_in("sup@example.com").await;
    assert_eq!(b.text("header .user-name").await, "sup");
    assert_eq!(b.text("header .user-role").await, "Care supervisor");
    b.wait_for_text(".tiles", "New").await;
    let new_tile = b.text(".tiles li:first-child .tile-count").await;
    assert_eq!(new_tile, "1");
    b.wait_for_text(".banner", "no webhook has arrived yet")
        .await;
    b.wait_for("svg.chart").await;
    b.screenshot("home").await;

    b.click("header form button[type=submit]").await;
    b.wait_for("form.login-form").await;
    b.open("/home").await;
    b.wait_for("form.login-form").await;
    b.close().await;
    let _ = Profile::clone(&w.profile);
}

#[tokio::test]
async fn a_refused_sign_in_shows_what_was_typed_escaped_and_foreign_forms_are_refused() {
    use axum::body::Body;
    use axum::http::Request;
    let w = World::new().await;
    let api = router(&w);
    let form = |origin: Option<&str>| {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri("/login")
            .header(header::HOST, "desk.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        request
            .body(Body::from(
                "email=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&password=nope",
            ))
            .expect("request")
    };
    let refused = crate::api_support::send_raw(&api, form(Some("http://desk.example"))).await;
    assert_eq!(refused.0, StatusCode::UNAUTHORIZED);
    assert!(!refused.1.contains("<script>alert(1)"), "{}", refused.1);
    assert!(
        refused.1.contains("&#60;script&#62;alert(1)")
            || refused.1.contains("&lt;script&gt;alert(1)"),
        "{}",
        refused.1
    );
    let foreign = crate::api_support::send_raw(&api, form(Some("https://evil.example"))).await;
    assert_eq!(foreign.0, StatusCode::FORBIDDEN);
}
