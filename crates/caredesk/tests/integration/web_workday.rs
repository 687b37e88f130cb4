//! A shift's work in a real browser (Chromium with its default settings, back/forward cache
//! included): reopening a Done case, a composer that offers only the reply kinds the target
//! allows, moving between pages without stalls on one live connection, a community agent's
//! sign-in, customers without a name, Home's tiles against the views they open, words instead
//! of codes, and every page at phone width.

use std::time::{Duration, Instant};

use caredesk_app::{InboundAuthor, InboundMessage};
use caredesk_domain::*;

use crate::browser::Browser;
use crate::support::{escalated, World};

/// Text that only a machine should read: RFC 3339 times and enum codes.
const MACHINE_WORDS: [&str; 6] = [
    "on_hold",
    "in_progress",
    "no_action",
    "delivery_unknown",
    "conflict:",
    "forbidden:",
];

/// Fails when the visible text of the page shows an RFC 3339 time or an enum code.
async fn assert_words_for_people(b: &Browser, page: &str) {
    let text = b
        .eval("return document.body.innerText;")
        .await
        .as_str()
        .expect("text")
        .to_owned();
    for code in MACHINE_WORDS {
        assert!(!text.contains(code), "{page} shows {code:?}:\n{text}");
    }
    let rfc3339 = text.char_indices().any(|(i, c)| {
        c == 'T'
            && text.get(i.saturating_sub(10)..i).is_some_and(|d| {
                d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-'
            })
            && text
                .get(i + 1..i + 3)
                .is_some_and(|h| h.bytes().all(|b| b.is_ascii_digit()))
    });
    assert!(!rfc3339, "{page} shows a raw RFC 3339 time:\n{text}");
}

#[tokio::test]
async fn a_done_case_is_reopened_from_its_page_and_offers_only_where_it_may_go() {
    let w = World::new().await;
    let case = escalated(&w, w.dm("dot", "dm-1", "it broke"), Some(w.agent.id)).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.click("#mark-done").await;
    b.wait_for_text("#case-status", "Done").await;
    b.wait_for_text("#case-grace", "reopens it until").await;
    // Done: no "Mark Done", a Reopen button, and the select offers Done and Spam only.
    assert!(b
        .client
        .find(fantoccini::Locator::Css("#mark-done"))
        .await
        .is_err());
    let offered = b
        .eval("return Array.from(document.querySelectorAll('#status option')).map(o => o.value).join(' ');")
        .await;
    assert_eq!(offered, "done spam");
    b.click("#reopen").await;
    b.wait_for_text("#case-status", "Open").await;
    b.wait_for_text("#care-flash", "Reopened").await;
    b.wait_for_text("#conversation", "reopened the case from Done")
        .await;
    b.wait_for("#mark-done").await;
    let stored = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(stored.status, CaseStatus::Open);
    assert_eq!(stored.grace_until, None);

    // A colleague's closed case: Reopen is offered but disabled, with the reason in words.
    let theirs = escalated(&w, w.dm("eli", "dm-2", "hi"), Some(w.other_agent.id)).await;
    w.app
        .set_status(w.other_agent.id, theirs.id, CaseStatus::Done, None)
        .await
        .expect("done");
    b.open(&format!("/care/cases/{}", theirs.number)).await;
    assert!(!b
        .wait_for("#reopen")
        .await
        .is_enabled()
        .await
        .expect("enabled"));
    b.wait_for_text("#status-reason", "assign to yourself to reopen")
        .await;
    b.close().await;
}

#[tokio::test]
async fn the_composer_offers_only_the_kinds_the_chosen_message_allows() {
    let w = World::new().await;
    let case = escalated(
        &w,
        w.comment("fay", "c-1", "post-1", "Is the shop open on Sunday?"),
        Some(w.agent.id),
    )
    .await;
    w.clock.advance_secs(60);
    w.app
        .ingest(w.dm("fay", "dm-1", "Also, my card was charged twice"))
        .await
        .expect("ingest");
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.wait_for_text("#conversation", "charged twice").await;
    let offered = "return Array.from(document.querySelectorAll('#reply-kind option')).filter(o => !o.disabled).map(o => o.textContent).join(' | ');";
    // The newest message is chosen first: a direct message, answered only by one.
    let chosen = b
        .eval("return document.querySelector('#reply-target').selectedOptions[0].textContent;")
        .await;
    assert!(
        chosen.as_str().expect("text").contains("charged twice"),
        "{chosen}"
    );
    assert_eq!(b.eval(offered).await, "Direct message");
    // The comment offers a reply, a comment on the post and a private reply.
    b.eval("const t = document.querySelector('#reply-target'); t.selectedIndex = 1; t.dispatchEvent(new Event('change', {bubbles: true})); return true;")
        .await;
    assert_eq!(
        b.eval(offered).await,
        "Reply | Comment on the post | Private reply"
    );
    b.eval("const t = document.querySelector('#reply-target'); t.selectedIndex = 0; t.dispatchEvent(new Event('change', {bubbles: true})); return true;")
        .await;
    assert_eq!(
        b.eval("return document.querySelector('#reply-kind').value;")
            .await,
        "direct"
    );
    b.fill("#reply-text", "Refund is on its way").await;
    b.click("#composer button[data-set-status='']").await;
    b.wait_for_text("#care-flash", "Reply queued").await;
    b.wait_for_text("#conversation", "Refund is on its way")
        .await;
    b.wait_for_text("#conversation .delivery", "queued").await;
    b.close().await;
}

/// The live streams the server counts open, once it has written to each: the server learns
/// that a browser closed a stream only when a write to it fails, so while more than `want` are
/// counted, a customer message (which every stream of the supervisor hears) is sent, for up to
/// ten seconds. A stream the browser really holds open never drops out.
async fn open_streams(b: &Browser, w: &World, label: &str, want: i64) -> i64 {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut pings = 0;
    loop {
        let streams = b.state.metrics.live_streams();
        if streams <= want || Instant::now() > deadline {
            return streams;
        }
        pings += 1;
        w.clock.advance_secs(1);
        w.app
            .ingest(w.dm("gus", &format!("ping-{label}-{pings}"), "still there?"))
            .await
            .expect("ingest");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn moving_between_pages_never_stalls_and_holds_one_live_connection() {
    let w = World::new().await;
    let case = escalated(&w, w.dm("gus", "dm-1", "hello"), Some(w.supervisor.id)).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("sup@example.com").await;
    let pages = [
        ("/home".to_owned(), ".tiles"),
        ("/care".to_owned(), ".care-list"),
        (format!("/care/cases/{}", case.number), "#conversation"),
        ("/community".to_owned(), "main"),
    ];
    let mut moves = 0;
    let mut slowest = Duration::ZERO;
    for round in 0..6 {
        for (path, marker) in &pages {
            let started = Instant::now();
            b.open(path).await;
            b.wait_for(marker).await;
            // The load as the browser measured it, from the navigation's start to its load event.
            let loaded = b
                .eval("const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime;")
                .await
                .as_f64()
                .expect("navigation timing");
            let took = Duration::from_secs_f64(loaded / 1000.0);
            slowest = slowest.max(took);
            assert!(
                took < Duration::from_secs(1),
                "{path} took {took:?} to load (move {moves}; {:?} with the driver)",
                started.elapsed()
            );
            moves += 1;
        }
        // Back and forward, where the back/forward cache restores pages.
        let started = Instant::now();
        b.client.back().await.expect("back");
        b.client.back().await.expect("back");
        b.client.forward().await.expect("forward");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "three history moves took {:?} in round {round}",
            started.elapsed()
        );
        moves += 3;
    }
    assert!(moves >= 20);
    // The page still hears changes live after all that.
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.wait_for("#conversation").await;
    w.clock.advance_secs(60);
    w.app
        .ingest(w.dm("gus", "dm-2", "are you there?"))
        .await
        .expect("ingest");
    b.wait_for_text("#conversation", "are you there?").await;
    let streams = open_streams(&b, &w, "after moving", 1).await;
    assert!(
        streams <= 1,
        "{streams} live connections after {moves} moves"
    );
    // A second tab shares the connection and hears changes too.
    let first = b.client.window().await.expect("window");
    let second = b.client.new_window(true).await.expect("new tab");
    b.client
        .switch_to_window(second.handle)
        .await
        .expect("switch");
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.wait_for_text("#conversation", "are you there?").await;
    w.clock.advance_secs(60);
    w.app
        .ingest(w.dm("gus", "dm-3", "hello from the second tab"))
        .await
        .expect("ingest");
    b.wait_for_text("#conversation", "hello from the second tab")
        .await;
    b.client.switch_to_window(first).await.expect("switch back");
    b.wait_for_text("#conversation", "hello from the second tab")
        .await;
    let streams = open_streams(&b, &w, "two tabs", 1).await;
    assert!(
        streams <= 1,
        "{streams} live connections with two tabs open"
    );
    eprintln!("{moves} page moves, slowest {slowest:?}, {streams} live connection(s)");
    b.close().await;
}

#[tokio::test]
async fn a_community_agent_signs_in_to_their_inbox() {
    let w = World::new().await;
    w.app
        .ingest(w.comment("hal", "c-1", "post-1", "nice post"))
        .await
        .expect("ingest");
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("community@example.com").await;
    b.wait_for_text("main", "nice post").await;
    assert_eq!(b.path().await, "/community");
    let nav = b.text("header nav").await;
    assert!(!nav.contains("Home") && !nav.contains("Care"), "{nav}");
    assert!(!b.text("main").await.contains("forbidden"));
    b.open("/home").await;
    b.wait_for_text("main", "nice post").await;
    assert_eq!(b.path().await, "/community");
    b.close().await;
}

/// A direct message from a customer the network gave no name (and maybe no handle).
fn unnamed(w: &World, id: &str, handle: &str, text: &str) -> InboundMessage {
    InboundMessage {
        author: InboundAuthor::Customer {
            network_user_id: format!("user-{id}"),
            display_name: String::new(),
            handle: handle.into(),
        },
        ..w.dm(id, id, text)
    }
}

#[tokio::test]
async fn customers_without_a_name_show_their_handle_or_their_network() {
    let w = World::new().await;
    let bare = escalated(
        &w,
        unnamed(&w, "dm-1", "", "no name at all"),
        Some(w.agent.id),
    )
    .await;
    escalated(
        &w,
        unnamed(&w, "dm-2", "ivy_h", "only a handle"),
        Some(w.agent.id),
    )
    .await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", bare.number)).await;
    b.wait_for_text(".rows", "Facebook user").await;
    b.wait_for_text(".rows", "@ivy_h").await;
    b.wait_for_text("h1", "Facebook user").await;
    let lone_at = b
        .eval("return Array.from(document.querySelectorAll('.cust, .handle, h1, .who')).some(e => e.textContent.trim() === '@' || e.textContent.includes('· @ '));")
        .await;
    assert_eq!(lone_at, false);
    b.close().await;
}

#[tokio::test]
async fn home_tiles_count_the_rows_of_the_views_they_open() {
    let w = World::new().await;
    for (i, owner) in [w.agent.id, w.agent.id, w.other_agent.id]
        .iter()
        .enumerate()
    {
        escalated(
            &w,
            w.dm(&format!("o{i}"), &format!("o-{i}"), "open"),
            Some(*owner),
        )
        .await;
    }
    for (i, owner) in [w.agent.id, w.other_agent.id].iter().enumerate() {
        let case = escalated(
            &w,
            w.dm(&format!("d{i}"), &format!("d-{i}"), "done"),
            Some(*owner),
        )
        .await;
        w.app
            .set_status(*owner, case.id, CaseStatus::Done, None)
            .await
            .expect("done");
    }
    escalated(&w, w.dm("n0", "n-0", "new"), None).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    for (email, tiles) in [
        ("agent@example.com", ["New", "My open", "My done"]),
        ("sup@example.com", ["New", "Open", "Done"]),
    ] {
        b.sign_in(email).await;
        for label in tiles {
            b.open("/home").await;
            b.wait_for(".tiles").await;
            let script = format!(
                "const t = Array.from(document.querySelectorAll('.tile')).find(t => t.querySelector('.tile-label').textContent === '{label}'); return t ? [t.querySelector('.tile-count').textContent, t.getAttribute('href')] : null;"
            );
            let tile = b.eval(&script).await;
            let count: usize = tile[0].as_str().expect("count").parse().expect("number");
            b.open(tile[1].as_str().expect("href")).await;
            b.wait_for(".care-list").await;
            let rows = b
                .eval("return document.querySelectorAll('.rows .row').length;")
                .await;
            assert_eq!(rows, count, "{email}: the {label} tile says {count}");
        }
        b.click("header form button[type=submit]").await;
        b.wait_for("form.login-form").await;
    }
    b.close().await;
}

#[tokio::test]
async fn times_statuses_events_and_refusals_read_as_words() {
    let w = World::new().await;
    let field = w
        .app
        .create_case_field(
            None,
            NewCaseField {
                name: "Order number".into(),
                kind: FieldKind::Text,
                options: Vec::new(),
                mandatory: true,
                enabled: true,
                position: 0,
            },
        )
        .await
        .expect("field");
    let case = escalated(&w, w.dm("jo", "dm-1", "parcel?"), Some(w.agent.id)).await;
    w.app
        .set_status(w.agent.id, case.id, CaseStatus::OnHold, None)
        .await
        .expect("on hold");
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    b.wait_for_text("#case-status", "On hold").await;
    b.wait_for_text("#conversation", "changed the status from Open to On hold")
        .await;
    // Marking Done with the mandatory field empty: the refusal in words, no code.
    b.click("#mark-done").await;
    b.wait_for_text("#care-flash", "Order number").await;
    let flash = b.text("#care-flash").await;
    assert!(flash.starts_with("The mandatory case field"), "{flash}");
    b.wait_for_text("#case-status", "On hold").await;
    // A field set in place is named with its value in the log.
    b.fill(&format!("#field-{}", field.id), "A-1234\n").await;
    b.eval(&format!(
        "document.querySelector('#field-{}').dispatchEvent(new Event('change', {{bubbles: true}})); return true;",
        field.id
    ))
    .await;
    b.wait_for_text("#conversation", "set Order number to A-1234")
        .await;
    // Times: the exact one on hover, never raw RFC 3339 text.
    let title = b
        .eval("return document.querySelector('#conversation time').title;")
        .await;
    assert!(title.as_str().is_some_and(|t| t.len() > 10), "{title}");
    assert_words_for_people(&b, "the case page").await;
    b.open("/home").await;
    b.wait_for(".tiles").await;
    assert_words_for_people(&b, "home").await;
    b.close().await;
}

#[tokio::test]
async fn every_page_fits_a_phone_and_the_case_has_a_back_link() {
    let w = World::new().await;
    let case = escalated(
        &w,
        w.dm(
            "kim",
            "dm-1",
            "A very long message without spaces: https://example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ),
        Some(w.supervisor.id),
    )
    .await;
    w.app
        .ingest(w.comment("lou", "c-1", "post-1", "a comment waiting in Community"))
        .await
        .expect("ingest");
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.resize(390, 844).await;
    b.sign_in("sup@example.com").await;
    for (path, marker) in [
        ("/home", ".tiles"),
        ("/care", ".care-list"),
        ("/community", "main"),
        ("/settings", "main"),
    ] {
        b.open(path).await;
        b.wait_for(marker).await;
        b.assert_no_horizontal_overflow(path).await;
    }
    let path = format!("/care/cases/{}", case.number);
    b.open(&path).await;
    b.wait_for("#conversation").await;
    b.assert_no_horizontal_overflow(&path).await;
    // One column: the conversation with a back link; the list is not shown beside it.
    assert!(b
        .wait_for(".case-nav .back")
        .await
        .is_displayed()
        .await
        .expect("shown"));
    assert!(!b
        .wait_for(".care-list")
        .await
        .is_displayed()
        .await
        .expect("shown"));
    // Every composer button is inside the screen.
    let clipped = b
        .eval("return Array.from(document.querySelectorAll('#composer button')).some(x => x.getBoundingClientRect().right > window.innerWidth);")
        .await;
    assert_eq!(clipped, false, "a composer button is cut off");
    b.screenshot("care-phone").await;
    // The case details replace the conversation, and come back.
    b.click("#show-panel").await;
    assert!(b
        .wait_for("#tab-case")
        .await
        .is_displayed()
        .await
        .expect("shown"));
    assert!(!b
        .wait_for("#conversation")
        .await
        .is_displayed()
        .await
        .expect("shown"));
    b.assert_no_horizontal_overflow("the case panel").await;
    b.click("#hide-panel").await;
    assert!(b
        .wait_for("#conversation")
        .await
        .is_displayed()
        .await
        .expect("shown"));
    b.click(".case-nav .back").await;
    b.wait_for_text(".rows", "Customer kim").await;
    assert_eq!(b.path().await, "/care");
    b.close().await;
}
