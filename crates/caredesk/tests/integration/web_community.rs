//! The Community workspace and Settings pages: customer text is escaped in the server-drawn
//! list and thread, a customer without a name never shows as a lone "@", an item of another
//! profile is not found, a hidden message is announced before answering, and the Care badge
//! links to the case only for Care users. In a real browser a community agent reads the list
//! (kind, network, age), opens an item (its thread in order, the address holding it), replies
//! (confirmed, then shown with its delivery state, and cancelled; an X DM is answered only as a
//! direct message), moves with the keys, sees new messages arrive live without losing a draft,
//! escalates through the dialog (focus moves in, Escape closes it and focus comes back; the
//! Care badge appears and the composer says why it is closed), and uses it at phone width
//! without sideways scrolling; a supervisor saves the grace period, adds a case field and sees
//! no admin-only part; a community agent is refused Settings.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_app::{
    InboundAuthor, InboundMessage, IngestOutcome, NetworkAppInput, ProfileInput, UserPatch,
};
use caredesk_domain::{AppNetwork, CommunityItemId, Network, Profile};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::Locator;
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
    assert!(html.contains("Assign new cases automatically"));
    assert!(!html.contains("New access token") && !html.contains("admin@example.com"));
    let (status, html) = page_text(&w, "admin@example.com", "/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("New access token") && html.contains("admin@example.com"));
    assert!(html.contains("/webhooks/meta"));
}

#[tokio::test]
async fn a_community_agent_escalates_an_item_through_the_dialog() {
    let w = World::new().await;
    let item = item_of(&w, w.dm("ann", "dm-1", "my parcel never came")).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("community@example.com").await;
    b.open("/community").await;
    b.wait_for_text(".items", "my parcel never came").await;
    let row = format!("#item-{item}");
    b.click(&format!("[data-item-row='{item}']")).await;
    b.wait_for_text("#thread", "my parcel never came").await;
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
    let escalate = "#community-panel [data-escalate]";
    b.click(escalate).await;
    b.wait_for("#escalate-dialog[open]").await;
    assert_eq!(focused().await, "esc-note", "focus moves into the dialog");
    let note = b.wait_for("#esc-note").await;
    note.send_keys(&fantoccini::key::Key::Escape.to_string())
        .await
        .expect("escape");
    for _ in 0..50 {
        if b.client
            .find(Locator::Css("#escalate-dialog[open]"))
            .await
            .is_err()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        focused().await,
        item.to_string(),
        "focus returns to the button"
    );
    b.click(escalate).await;
    b.wait_for("#escalate-dialog[open]").await;
    b.fill("#esc-note", "Customer waited two weeks").await;
    b.click("#escalate-submit").await;
    b.wait_for_text(&format!("{row} .care-badge"), "Care case #1 · New")
        .await;
    b.wait_for_text("#community-panel .care-badge", "Care case #1 · New")
        .await;
    b.wait_for_text("#community-flash", "Escalated as case #1")
        .await;
    // A community agent may not open Care: the badge says the number and status, no link.
    assert!(b
        .client
        .find(Locator::Css(&format!("{row} a.care-badge")))
        .await
        .is_err());

    // The composer of a held item is closed, with the reason in words.
    b.wait_for_text(
        "#reply-reason",
        "Held by Care case #1 — replies go from Care",
    )
    .await;
    let text = b.wait_for("#reply-text").await;
    assert!(!text.is_enabled().await.expect("enabled"));
    assert!(b.client.find(Locator::Css(escalate)).await.is_err());

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

    b.click("[data-auto-assign]").await;
    b.wait_for_text(".routing .feedback", "Saved.").await;
    let profile = w.app.store().profiles().await.expect("profiles");
    assert!(
        profile[0].auto_assign,
        "the profile now assigns automatically"
    );
    b.eval("document.querySelector('.routing').scrollIntoView({block: 'center'}); return true;")
        .await;
    b.screenshot("settings-routing").await;
    b.resize(390, 844).await;
    b.eval("document.querySelector('.routing').scrollIntoView({block: 'center'}); return true;")
        .await;
    b.screenshot("settings-routing-390").await;
    b.resize(1280, 800).await;

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

/// The community item an inbound message lands in.
async fn item_of(w: &World, inbound: InboundMessage) -> CommunityItemId {
    let IngestOutcome::Community { item, .. } = w.app.ingest(inbound).await.expect("ingest") else {
        panic!("no community item")
    };
    item
}

/// An X profile that the community agent works on too.
async fn x_profile(w: &World) -> Profile {
    let app = NetworkAppInput {
        network: AppNetwork::X,
        name: "X".into(),
        app_secret: "x-secret".into(),
        verify_token: String::new(),
        consumer_key: "key".into(),
    };
    let x_app = w.app.create_network_app(None, app).await.expect("x app");
    let input = ProfileInput {
        network: Network::X,
        external_id: "1500".into(),
        name: "@brand".into(),
        app_id: x_app.id,
        access_token: "x-token".into(),
        token_secret: String::new(),
    };
    let x = w.app.create_profile(None, input).await.expect("x profile");
    let patch = UserPatch {
        profile_ids: Some([w.profile.id, x.id].into_iter().collect()),
        ..Default::default()
    };
    w.app
        .update_user(w.admin.id, w.community.id, patch)
        .await
        .expect("connect");
    x
}

/// A message from a customer as the network names them.
fn from(w: &World, user: &str, name: &str, handle: &str, id: &str, text: &str) -> InboundMessage {
    InboundMessage {
        author: InboundAuthor::Customer {
            network_user_id: user.into(),
            display_name: name.into(),
            handle: handle.into(),
        },
        ..w.dm(user, id, text)
    }
}

/// Presses a key with nothing focused that types.
async fn press(b: &Browser, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    b.client.perform_actions(keys).await.expect("keys");
}

/// Waits (up to 10 s) until the address's path is `path`.
async fn wait_for_path(b: &Browser, path: &str) {
    let script = format!("return window.location.pathname === {path:?}");
    b.wait_until(&format!("the address {path}"), &script).await;
}

/// The words of the reply kinds the composer offers.
async fn offered_kinds(b: &Browser) -> Vec<String> {
    let kinds = b
        .eval(
            "return Array.from(document.querySelectorAll('#reply-kind option'))\
         .filter((o) => !o.hidden && !o.disabled).map((o) => o.textContent)",
        )
        .await;
    serde_json::from_value(kinds).expect("a list of words")
}

/// Fails when the page scrolls sideways.
async fn assert_no_sideways_scroll(b: &Browser, what: &str) {
    let sizes = b
        .eval("return [document.documentElement.scrollWidth, window.innerWidth]")
        .await;
    let (scroll, inner) = (sizes[0].as_i64(), sizes[1].as_i64());
    assert!(
        scroll.is_some() && scroll <= inner,
        "{what}: the page is {scroll:?} px wide in a {inner:?} px window"
    );
}

#[tokio::test]
async fn a_community_agent_reads_a_thread_and_replies_from_the_workspace() {
    let w = World::new().await;
    let x = x_profile(&w).await;
    let comment = item_of(
        &w,
        w.comment("carl", "c-1", "post-1", "Is the shop open on Sunday?"),
    )
    .await;
    let mut thread = None;
    for (i, text) in [
        "first: my order is late",
        "second: it is order 4411",
        "third: any news?",
    ]
    .iter()
    .enumerate()
    {
        w.clock.advance_secs(60);
        let inbound = InboundMessage {
            profile_id: x.id,
            ..w.dm("xena", &format!("xdm-{i}"), text)
        };
        thread = Some(item_of(&w, inbound).await);
    }
    let thread = thread.expect("a thread");
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("community@example.com").await;
    b.open("/community").await;
    let row = format!("#item-{thread}");
    b.wait_for_text(&row, "third: any news?").await;
    let words = b.text(&row).await;
    for expected in [
        "Customer xena",
        "@xena",
        "Direct message thread",
        "X",
        "Not handled",
    ] {
        assert!(words.contains(expected), "{expected:?} in {words:?}");
    }
    let words = b.text(&format!("#item-{comment}")).await;
    for expected in ["Customer carl", "Comment", "Facebook", "Is the shop open"] {
        assert!(words.contains(expected), "{expected:?} in {words:?}");
    }
    // The age is written in the viewer's zone, with the exact time on hover.
    let age = b.wait_for(&format!("{row} time[data-format=ago]")).await;
    let shown = age.text().await.expect("text");
    assert!(!shown.is_empty() && !shown.contains("UTC") && !shown.contains('T'));
    assert!(!age
        .attr("title")
        .await
        .expect("title")
        .unwrap_or_default()
        .is_empty());
    b.wait_for_text(
        ".community-thread",
        "Choose an item to read its conversation.",
    )
    .await;

    b.click(&format!("[data-item-row='{thread}']")).await;
    wait_for_path(&b, &format!("/community/items/{thread}")).await;
    b.wait_for_text("#thread", "third: any news?").await;
    let conversation = b.text("#thread").await;
    let at = |needle: &str| conversation.find(needle).unwrap_or(usize::MAX);
    assert!(
        at("first: my order") < at("second: it is order")
            && at("second: it is order") < at("third: any news?"),
        "in order: {conversation}"
    );
    assert_eq!(
        b.text(&format!("{row}.selected .customer")).await,
        "Customer xena"
    );
    assert_eq!(offered_kinds(&b).await, ["Direct message"]);

    b.fill("#reply-text", "We are looking into it").await;
    b.click("#reply-send").await;
    b.wait_for_text("#community-flash", "Reply queued.").await;
    b.wait_for_text("#thread .msg-brand", "We are looking into it")
        .await;
    b.wait_for_text("#thread .msg-brand .delivery", "queued")
        .await;
    let draft = b.wait_for("#reply-text").await;
    assert_eq!(
        draft.prop("value").await.expect("value").as_deref(),
        Some("")
    );
    b.screenshot("community").await;

    // A reply still waiting may be cancelled by the community agent.
    b.click("#thread .msg-brand [data-cancel]").await;
    b.wait_for_text("#community-flash", "cancelled").await;
    b.wait_for_text("#thread .msg-brand .delivery", "cancelled")
        .await;

    // A public comment offers the three kinds, in words.
    b.click(&format!("[data-item-row='{comment}']")).await;
    wait_for_path(&b, &format!("/community/items/{comment}")).await;
    b.wait_for_text("#thread", "Is the shop open on Sunday?")
        .await;
    assert_eq!(
        offered_kinds(&b).await,
        ["Reply", "Comment on the post", "Private reply"]
    );
    // A reload lands on the same item; the back button on the one before.
    b.client.refresh().await.expect("reload");
    b.wait_for_text("#thread", "Is the shop open on Sunday?")
        .await;
    b.client.back().await.expect("back");
    wait_for_path(&b, &format!("/community/items/{thread}")).await;
    b.wait_for_text("#thread", "third: any news?").await;
    b.close().await;
}

#[tokio::test]
async fn a_customer_without_a_name_is_never_a_lone_at_sign() {
    let w = World::new().await;
    let x = x_profile(&w).await;
    let nameless = item_of(&w, from(&w, "u-1", "", "", "dm-1", "who am I")).await;
    item_of(&w, from(&w, "u-2", " ", "solo", "dm-2", "handle only")).await;
    let on_x = InboundMessage {
        profile_id: x.id,
        ..from(&w, "u-3", "", "", "xdm-1", "nameless on X")
    };
    item_of(&w, on_x).await;
    let (status, html) = page_text(&w, "community@example.com", "/community").await;
    assert_eq!(status, StatusCode::OK);
    for name in ["Facebook user ···u-1", "@solo", "X user ···u-3"] {
        assert!(
            html.contains(&format!("<span class=\"customer\">{name}</span>")),
            "{name} in {html}"
        );
    }
    assert!(!html.contains(">@<") && !html.contains(">@ <"), "{html}");
    let (status, html) = page_text(
        &w,
        "community@example.com",
        &format!("/community/items/{nameless}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<span class=\"who\">Facebook user ···u-1</span>"),
        "{html}"
    );
    assert!(!html.contains(">@<"), "{html}");
}

#[tokio::test]
async fn the_item_page_shows_its_thread_to_members_only() {
    let w = World::new().await;
    let item = item_of(&w, w.dm("ann", "dm-1", "<b>bold</b> question")).await;
    let (status, html) = page_text(
        &w,
        "community@example.com",
        &format!("/community/items/{item}?status=none&sort=newest"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("&#60;b&#62;bold") || html.contains("&lt;b&gt;bold"));
    assert!(!html.contains("<b>bold"));
    assert!(
        html.contains("href=\"/community?status=none&amp;sort=newest\"")
            || html.contains("href=\"/community?status=none&#38;sort=newest\""),
        "the back link keeps the filters"
    );
    assert!(
        html.contains("aria-current=\"true\""),
        "the row is selected"
    );
    // Times are written as words until the script writes them in the viewer's zone.
    assert!(!html.contains("Z</time>"), "{html}");
    let (status, _) = page_text(&w, "community@example.com", "/community/items/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = page_text(&w, "community@example.com", "/community/items/nonsense").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, html) = page_text(&w, "community@example.com", "/community?status=done").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No items match these filters."));

    // An item of a profile the agent does not work on is not found.
    let input = ProfileInput {
        network: Network::Facebook,
        external_id: "page-2".into(),
        name: "Other Page".into(),
        app_id: w.profile.app_id,
        access_token: "token".into(),
        token_secret: String::new(),
    };
    let other = w.app.create_profile(None, input).await.expect("profile");
    let elsewhere = InboundMessage {
        profile_id: other.id,
        ..w.dm("zed", "dm-9", "not yours")
    };
    let foreign = item_of(&w, elsewhere).await;
    let (status, html) = page_text(
        &w,
        "community@example.com",
        &format!("/community/items/{foreign}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("not yours"));

    // Answering a hidden comment: the composer says before sending who will see the reply.
    let hidden = InboundMessage {
        hidden: true,
        ..w.comment("hal", "c-1", "post-1", "rude words")
    };
    let hidden = item_of(&w, hidden).await;
    let (_, html) = page_text(
        &w,
        "community@example.com",
        &format!("/community/items/{hidden}"),
    )
    .await;
    assert!(
        html.contains("<p class=\"warn\" id=\"hidden-warning\">The reply will be visible only to the customer"),
        "{html}"
    );
    assert!(html.contains("<span class=\"mark\">hidden</span>"));

    // The Care badge: a link for Care users, the number and status alone for the others.
    w.app
        .escalate(w.community.id, item, Default::default())
        .await
        .expect("escalate");
    let (_, html) = page_text(&w, "sup@example.com", "/community").await;
    assert!(
        html.contains("<a class=\"care-badge\" href=\"/care/cases/1\">Care case #1 · New</a>"),
        "{html}"
    );
    let (_, html) = page_text(&w, "community@example.com", "/community").await;
    assert!(html.contains("<span class=\"care-badge\">Care case #1 · New</span>"));
    assert!(!html.contains("href=\"/care/cases/1\""));
}

#[tokio::test]
async fn the_keys_move_between_items_open_them_and_reach_the_composer() {
    let w = World::new().await;
    let mut items = Vec::new();
    for name in ["ann", "bob", "cy"] {
        w.clock.advance_secs(60);
        items.push(
            item_of(
                &w,
                w.dm(name, &format!("dm-{name}"), &format!("{name} asks")),
            )
            .await,
        );
    }
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("community@example.com").await;
    b.open("/community").await;
    b.wait_for_text(".keys-hint", "j/k").await;
    b.wait_for_text(".items", "cy asks").await;
    b.click("h1").await;
    press(&b, '\u{E007}').await;
    wait_for_path(&b, &format!("/community/items/{}", items[0])).await;
    b.wait_for_text("#thread", "ann asks").await;
    press(&b, 'j').await;
    wait_for_path(&b, &format!("/community/items/{}", items[1])).await;
    b.wait_for_text("#thread", "bob asks").await;
    b.wait_for(&format!("#item-{}.selected", items[1])).await;
    press(&b, 'j').await;
    wait_for_path(&b, &format!("/community/items/{}", items[2])).await;
    press(&b, 'k').await;
    wait_for_path(&b, &format!("/community/items/{}", items[1])).await;
    b.wait_for_text("#thread", "bob asks").await;
    press(&b, 'r').await;
    let focused = b.eval("return document.activeElement.id").await;
    assert_eq!(focused, "reply-text");
    // Ctrl+Enter sends from the reply box.
    let text = b.wait_for("#reply-text").await;
    text.send_keys("Thanks, checking now").await.expect("type");
    text.send_keys(&format!(
        "{}{}",
        fantoccini::key::Key::Control,
        fantoccini::key::Key::Enter
    ))
    .await
    .expect("ctrl+enter");
    b.wait_for_text("#community-flash", "Reply queued.").await;
    b.wait_for_text("#thread .msg-brand", "Thanks, checking now")
        .await;
    b.click("#thread-title").await;
    press(&b, 'e').await;
    b.wait_for("#escalate-dialog[open]").await;
    b.click("[data-close-dialog]").await;

    // Newest first: the first item is the latest one.
    b.open("/community?sort=newest").await;
    b.wait_for_text(".items", "cy asks").await;
    b.click("h1").await;
    press(&b, 'j').await;
    wait_for_path(&b, &format!("/community/items/{}", items[2])).await;
    let url = b.client.current_url().await.expect("url");
    assert_eq!(
        url.query(),
        Some("sort=newest"),
        "the sort stays in the address"
    );
    b.close().await;
}

#[tokio::test]
async fn new_messages_appear_live_without_losing_the_draft() {
    let w = World::new().await;
    let item = item_of(&w, w.dm("ann", "dm-1", "is anyone there?")).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("community@example.com").await;
    b.open(&format!("/community/items/{item}")).await;
    b.wait_for_text("#thread", "is anyone there?").await;
    b.eval("window.stillTheSamePage = true; return null").await;
    b.fill("#reply-text", "Half-written answer").await;
    w.clock.advance_secs(30);
    w.app
        .ingest(w.dm("bob", "dm-2", "a brand new question"))
        .await
        .expect("ingest");
    b.wait_for_text(".items", "a brand new question").await;
    w.app
        .ingest(w.dm("ann", "dm-3", "hello again"))
        .await
        .expect("ingest");
    b.wait_for_text("#thread", "hello again").await;
    let draft = b.wait_for("#reply-text").await;
    assert_eq!(
        draft.prop("value").await.expect("value").as_deref(),
        Some("Half-written answer")
    );
    assert_eq!(
        b.eval("return window.stillTheSamePage === true").await,
        serde_json::Value::Bool(true),
        "no reload"
    );
    b.close().await;
}

#[tokio::test]
async fn on_a_phone_one_column_shows_and_nothing_scrolls_sideways() {
    let w = World::new().await;
    let long = "Supercalifragilisticexpialidocious-tracking-number-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let item = item_of(
        &w,
        from(
            &w,
            "u-1",
            "Bartholomew-Maximilian-Featherstonehaugh-Worthington",
            "bartholomew_maximilian_featherstonehaugh",
            "dm-1",
            long,
        ),
    )
    .await;
    item_of(&w, w.comment("carl", "c-1", "post-1", "Short comment")).await;
    w.app
        .update_item(
            w.community.id,
            item,
            None,
            Some(
                [
                    "a-rather-long-label-for-a-phone".to_owned(),
                    "vip".to_owned(),
                ]
                .into_iter()
                .collect(),
            ),
        )
        .await
        .expect("labels");
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.client
        .set_window_size(390, 844)
        .await
        .expect("phone size");
    b.sign_in("community@example.com").await;
    b.open("/community").await;
    b.wait_for_text(".items", "Short comment").await;
    assert_no_sideways_scroll(&b, "the list").await;
    assert!(!b
        .wait_for(".community-thread")
        .await
        .is_displayed()
        .await
        .expect("displayed"));

    b.click(&format!("[data-item-row='{item}']")).await;
    wait_for_path(&b, &format!("/community/items/{item}")).await;
    b.wait_for_text("#thread", "Supercalifragilistic").await;
    assert_no_sideways_scroll(&b, "an item").await;
    let back = b.wait_for(".back-link").await;
    assert!(
        back.is_displayed().await.expect("displayed"),
        "the back link shows"
    );
    assert!(!b
        .wait_for(".community-list")
        .await
        .is_displayed()
        .await
        .expect("displayed"));
    b.screenshot("community-phone").await;
    b.click(".back-link").await;
    wait_for_path(&b, "/community").await;
    b.wait_for_text(".items", "Short comment").await;
    assert!(b
        .wait_for(".community-list")
        .await
        .is_displayed()
        .await
        .expect("displayed"));
    assert_no_sideways_scroll(&b, "the list again").await;
    b.close().await;
}
