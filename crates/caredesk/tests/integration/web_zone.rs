//! Times in the user's zone and the composer's counter and reply window, in a real browser: a
//! time is written in the zone set on the profile with the exact time (and zone) on hover, the
//! profile page changes the zone, the counter follows the typing against the network's limit
//! for the chosen reply kind and warns near and over it (the server's refusal shown in words),
//! and a direct-message case shows the time left in the reply window, or that it closed.

use std::time::{SystemTime, UNIX_EPOCH};

use caredesk_app::MePatch;
use caredesk_domain::Timestamp;

use crate::browser::Browser;
use crate::support::{escalated, World};

const HOUR: i64 = 3_600;

/// The machine's time: the browser counts from it.
fn real_now() -> Timestamp {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    Timestamp::from_secs(i64::try_from(secs).expect("secs"))
}

/// True when `text` shows `at` as the clock reads in a zone `offset_secs` east of UTC, with
/// `seconds` or without, on a 24-hour or a 12-hour clock (as the browser's language has it).
fn shows_clock(text: &str, at: Timestamp, offset_secs: i64, seconds: bool) -> bool {
    let clock = &at.plus_secs(offset_secs).to_rfc3339()[11..19];
    let rest = if seconds { &clock[2..] } else { &clock[2..5] };
    let hour: u32 = clock[..2].parse().unwrap_or(0);
    let twelve = (hour + 11) % 12 + 1;
    [format!("{}{rest}", &clock[..2]), format!("{twelve}{rest}")]
        .iter()
        .any(|shown| text.contains(shown.as_str()))
}

/// The hover text (`title`) of the element `css`.
async fn title(b: &Browser, css: &str) -> String {
    b.eval(&format!("return document.querySelector('{css}').title;"))
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn times_follow_the_zone_set_on_the_profile_with_the_exact_time_on_hover() {
    let w = World::new().await;
    let now = real_now();
    w.clock.set(now.plus_secs(-180));
    let case = escalated(
        &w,
        w.dm("kim", "dm-1", "Where is my order?"),
        Some(w.agent.id),
    )
    .await;
    let written = w.app.now();
    w.clock.set(now);
    w.app
        .update_me(
            w.agent.id,
            MePatch {
                time_zone: Some(Some("Asia/Tokyo".into())),
                ..MePatch::default()
            },
        )
        .await
        .expect("zone set");
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.wait_for_text("#conversation", "Where is my order?").await;
    // Tokyo is 9 hours east of UTC all year.
    let exact = title(&b, "#conversation .msg time").await;
    assert!(
        shows_clock(&exact, written, 9 * HOUR, true) && exact.contains("GMT+9"),
        "{exact}"
    );
    let shown = b.text("#conversation .msg time").await;
    assert!(shows_clock(&shown, written, 9 * HOUR, false), "{shown}");
    // The list says how long ago, in words.
    let age = b.text("[data-case-row] time.age").await;
    assert_eq!(age, "3 min ago");
    assert!(title(&b, "[data-case-row] time.age")
        .await
        .contains("GMT+9"));

    // The profile, from the top bar, changes the zone; the page's times follow at once.
    b.click("header a.user-name").await;
    b.wait_for("#profile-zone").await;
    assert_eq!(
        b.eval("return document.querySelector('#profile-zone').value;")
            .await,
        "Asia/Tokyo"
    );
    b.screenshot("profile").await;
    b.resize(390, 844).await;
    b.assert_no_horizontal_overflow("the profile on a phone")
        .await;
    b.screenshot("profile-phone").await;
    b.resize(1280, 800).await;
    b.eval(
        "const zone = document.querySelector('#profile-zone'); zone.value = 'Asia/Kolkata'; \
         zone.dispatchEvent(new Event('change', {bubbles: true})); return null;",
    )
    .await;
    b.click("#profile-form button[type=submit]").await;
    b.wait_for_text("#profile-feedback", "Saved.").await;
    assert!(title(&b, "#profile-now").await.contains("GMT+5:30"));
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.wait_for_text("#conversation", "Where is my order?").await;
    let exact = title(&b, "#conversation .msg time").await;
    assert!(
        shows_clock(&exact, written, 5 * HOUR + 1_800, true) && exact.contains("GMT+5:30"),
        "{exact}"
    );
    // A blank name is refused in words, next to the form, and nothing changes.
    b.open("/profile").await;
    b.fill("#profile-name", " ").await;
    b.click("#profile-form button[type=submit]").await;
    b.wait_for_text("#profile-feedback", "Not saved: Name must be")
        .await;
    b.wait_for_text("header .user-name", "agent").await;
    b.close().await;
}

#[tokio::test]
async fn the_composer_counts_against_the_limit_and_shows_the_reply_window() {
    let w = World::new().await;
    let now = real_now();
    // A direct-message conversation whose customer last wrote 8 days ago: closed.
    w.clock.set(now.plus_secs(-8 * 24 * HOUR));
    let closed = escalated(
        &w,
        w.dm("old", "dm-old", "Hello from last week"),
        Some(w.agent.id),
    )
    .await;
    // One whose customer wrote 30 minutes ago, and a comment under a post.
    w.clock.set(now.plus_secs(-1_800));
    let open = escalated(
        &w,
        w.dm("new", "dm-new", "Hello from today"),
        Some(w.agent.id),
    )
    .await;
    let comment = escalated(
        &w,
        w.comment("carl", "c-1", "post-1", "Is the shop open on Sunday?"),
        Some(w.agent.id),
    )
    .await;
    w.clock.set(now);
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;

    // The comment: a reply under it takes 8000 characters on Facebook, a private reply 2000.
    b.open(&format!("/care/cases/{}", comment.number)).await;
    b.wait_for_text("#reply-count", "0 / 8000").await;
    b.fill("#reply-text", "Hello").await;
    b.wait_for_text("#reply-count", "5 / 8000").await;
    b.eval(
        "const kind = document.querySelector('#reply-kind'); kind.value = 'direct'; \
         kind.dispatchEvent(new Event('change', {bubbles: true})); return null;",
    )
    .await;
    b.wait_for_text("#reply-count", "5 / 2000").await;
    let counter_class = "return document.querySelector('#reply-count').className;";
    assert_eq!(b.eval(counter_class).await, "counter");
    let type_chars = |n: usize| {
        format!(
            "const box = document.querySelector('#reply-text'); box.value = 'é'.repeat({n}); \
             box.dispatchEvent(new Event('input', {{bubbles: true}})); return null;"
        )
    };
    b.eval(&type_chars(1_990)).await;
    b.wait_for_text("#reply-count", "1990 / 2000 — 10 left")
        .await;
    assert_eq!(b.eval(counter_class).await, "counter counter-near");
    b.eval(&type_chars(2_050)).await;
    b.wait_for_text("#reply-count", "2050 / 2000 — 50 over the limit")
        .await;
    assert_eq!(b.eval(counter_class).await, "counter counter-over");
    b.screenshot("composer-over-limit").await;
    // Sent anyway: the server's refusal, in words; the text stays.
    b.click("#composer button[data-set-status='']").await;
    b.wait_for_text("#care-flash", "at most 2000 characters")
        .await;
    let flash = b.text("#care-flash").await;
    assert!(
        flash.starts_with("The network does not allow this"),
        "{flash}"
    );
    assert_eq!(
        b.eval("return [...document.querySelector('#reply-text').value].length;")
            .await,
        2_050
    );
    assert_eq!(
        b.eval("return document.querySelector('#reply-window') === null;")
            .await,
        true,
        "no direct-message conversation, no window"
    );

    // The direct messages of today: the time left, counted down in the browser.
    b.open(&format!("/care/cases/{}", open.number)).await;
    b.wait_for_text("#reply-window", "Reply window closes in 23 h")
        .await;
    b.wait_for_text("#reply-count", "0 / 2000").await;
    let hover = b
        .eval("return document.querySelector('#reply-window time').title;")
        .await;
    assert!(hover.as_str().is_some_and(|t| t.len() > 10), "{hover}");
    b.screenshot("composer-window-open").await;

    // Last week's: closed, with what still works.
    b.open(&format!("/care/cases/{}", closed.number)).await;
    b.wait_for_text("#reply-window", "The reply window closed")
        .await;
    let words = b.text("#reply-window").await;
    for expected in [
        "Facebook takes no direct message until the customer writes again",
        "Internal notes, assignment and status changes still work",
    ] {
        assert!(words.contains(expected), "{expected:?} in {words:?}");
    }
    b.screenshot("composer-window-closed").await;
    b.resize(390, 844).await;
    b.assert_no_horizontal_overflow("a closed window on a phone")
        .await;
    b.screenshot("composer-window-closed-phone").await;
    b.close().await;
}
