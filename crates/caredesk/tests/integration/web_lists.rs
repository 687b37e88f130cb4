//! The lists an agent works in all day, in a real browser: the sort control (the order changes,
//! stays in the address and survives a reload, chosen from the keyboard), "Load more" that
//! appends the next page below the rows shown (picks kept, the link gone at the end, live
//! redraws keeping the longer list), and a case arriving live announced behind a "show" button
//! rather than slipped in above the rows the agent is looking at.

use caredesk_app::queries::CaseRef;
use caredesk_app::CaseEditRequest;
use caredesk_domain::Priority;
use fantoccini::key::Key;
use serde_json::{json, Value};

use crate::browser::Browser;
use crate::support::{escalated, World};

/// The case numbers of the list, top to bottom.
const ROW_KEYS: &str =
    "return Array.from(document.querySelectorAll('[data-list] > [data-row-key]')).map(r => Number(r.dataset.rowKey));";

async fn keys(b: &Browser) -> Vec<i64> {
    let answer = b.eval(ROW_KEYS).await;
    answer
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k.as_i64().expect("a number"))
        .collect()
}

/// Waits until the list shows exactly `expected`, top to bottom.
async fn wait_for_keys(b: &Browser, expected: &[i64]) {
    let script = format!(
        "return JSON.stringify(Array.from(document.querySelectorAll('[data-list] > [data-row-key]')).map(r => Number(r.dataset.rowKey))) === '{}';",
        json!(expected)
    );
    b.wait_until(&format!("the list shows {expected:?}"), &script)
        .await;
}

/// Waits until the list's live region (visually hidden) has said `words`.
async fn wait_for_said(b: &Browser, words: &str) {
    b.wait_until(
        &format!("the list says {words:?}"),
        &format!(
            "return (document.getElementById('list-said')?.textContent || '').includes({});",
            json!(words)
        ),
    )
    .await;
}

/// The supervisor sets case `number` urgent.
async fn make_urgent(w: &World, number: i64) {
    let case = w
        .app
        .case_for(&w.supervisor, CaseRef::Number(number))
        .await
        .expect("the case");
    let urgent = CaseEditRequest {
        priority: Some(Priority::Urgent),
        ..Default::default()
    };
    w.app
        .edit_case(w.supervisor.id, case.id, urgent, None)
        .await
        .expect("urgent");
}

/// `n` New cases escalated a minute apart; answers their numbers, oldest first.
async fn new_cases(w: &World, n: usize) -> Vec<i64> {
    let mut numbers = Vec::new();
    for i in 0..n {
        w.clock.advance_secs(60);
        let name = format!("c{i:03}");
        let case = escalated(w, w.dm(&name, &format!("dm-{name}"), "help please"), None).await;
        numbers.push(case.number);
    }
    numbers
}

#[tokio::test]
async fn the_sort_control_orders_the_list_and_survives_a_reload() {
    let w = World::new().await;
    let numbers = new_cases(&w, 3).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("sup@example.com").await;
    b.open("/care?view=new").await;
    b.wait_for("[data-list] [data-row-key]").await;
    assert_eq!(
        keys(&b).await,
        numbers,
        "the New view's own order: oldest first"
    );

    // From the keyboard: the control is reached and moved with the arrow keys.
    let control = b.wait_for("#filter-sort").await;
    control
        .send_keys(&Key::Down.to_string())
        .await
        .expect("key");
    let mut newest = numbers.clone();
    newest.reverse();
    wait_for_keys(&b, &newest).await;
    let url = b.client.current_url().await.expect("url");
    assert!(
        url.query().unwrap_or_default().contains("sort=-created"),
        "the order is in the address: {url}"
    );
    b.screenshot("lists-sorted").await;

    b.client.refresh().await.expect("reload");
    b.wait_for("[data-list] [data-row-key]").await;
    assert_eq!(keys(&b).await, newest, "a reload keeps the order");
    assert_eq!(
        b.eval("return document.getElementById('filter-sort').value;")
            .await,
        json!("-created")
    );
    // A case opened from the list keeps the order too.
    b.click(&format!("[data-case-row='{}']", newest[0])).await;
    b.wait_for("#conversation").await;
    assert_eq!(keys(&b).await, newest);

    // Priority: urgent first, whatever the age.
    make_urgent(&w, numbers[2]).await;
    b.open("/care?view=new&sort=priority").await;
    b.wait_for("[data-list] [data-row-key]").await;
    assert_eq!(keys(&b).await[0], numbers[2]);

    // Community: newest first from the same kind of control.
    b.open("/community").await;
    b.wait_for("[data-list] [data-row-key]").await;
    let oldest_first = b
        .eval("return Array.from(document.querySelectorAll('[data-row-key]')).map(r => r.dataset.rowKey);")
        .await;
    let control = b.wait_for("#community-sort").await;
    control
        .send_keys(&Key::Down.to_string())
        .await
        .expect("key");
    b.wait_until(
        "the community list is newest first",
        &format!(
            "return JSON.stringify(Array.from(document.querySelectorAll('[data-row-key]')).map(r => r.dataset.rowKey).reverse()) === JSON.stringify({oldest_first});"
        ),
    )
    .await;
    b.client.refresh().await.expect("reload");
    b.wait_for("[data-list] [data-row-key]").await;
    assert_eq!(
        b.eval("return document.getElementById('community-sort').value;")
            .await,
        json!("newest")
    );
    b.close().await;
}

#[tokio::test]
async fn load_more_appends_the_next_page_and_keeps_the_picks() {
    let w = World::new().await;
    let numbers = new_cases(&w, 53).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("sup@example.com").await;
    b.open("/care?view=new").await;
    b.wait_for("[data-more]").await;
    assert_eq!(keys(&b).await, numbers[..50].to_vec(), "one page of 50");
    b.eval("window.stillTheSamePage = true; return null;").await;
    b.click("[data-list] > [data-row-key] input.pick").await;
    let picked = b
        .eval("return document.querySelector('input.pick:checked').dataset.caseId;")
        .await;
    b.wait_for_text("#bulk-count", "1 selected").await;

    b.click("[data-more]").await;
    wait_for_keys(&b, &numbers).await;
    assert!(
        b.client
            .find(fantoccini::Locator::Css("[data-more]"))
            .await
            .is_err(),
        "no Load more at the end of the list"
    );
    assert_eq!(
        b.eval("return window.stillTheSamePage === true;").await,
        Value::Bool(true),
        "appended in place, not a new page"
    );
    assert_eq!(
        b.eval("return document.querySelector('input.pick:checked').dataset.caseId;")
            .await,
        picked,
        "the pick is kept"
    );
    wait_for_said(&b, "3 cases more loaded").await;

    // A live change redraws the rows in place and keeps the longer list.
    make_urgent(&w, numbers[52]).await;
    b.wait_for_text(&format!("[data-row-key='{}']", numbers[52]), "Urgent")
        .await;
    assert_eq!(keys(&b).await, numbers);
    assert_eq!(
        b.eval("return document.querySelector('input.pick:checked').dataset.caseId;")
            .await,
        picked
    );
    b.screenshot("lists-load-more").await;
    b.close().await;
}

#[tokio::test]
async fn a_case_arriving_live_is_announced_and_shown_on_request() {
    let w = World::new().await;
    let mut numbers = new_cases(&w, 3).await;
    numbers.reverse();
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("sup@example.com").await;
    b.open("/care?view=new&sort=-created").await;
    b.wait_for("[data-list] [data-row-key]").await;
    assert_eq!(keys(&b).await, numbers);
    let top = "return Math.round(document.querySelector('[data-list] > [data-row-key]').getBoundingClientRect().top);";
    let before = b.eval(top).await;
    b.eval("window.stillTheSamePage = true; return null;").await;

    w.clock.advance_secs(60);
    let newest = escalated(&w, w.dm("zed", "dm-zed", "a new question"), None).await;
    b.wait_for_text("[data-new-rows]", "1 new case — show")
        .await;
    wait_for_said(&b, "1 new case. Press").await;
    assert_eq!(keys(&b).await, numbers, "the list does not move");
    assert_eq!(
        b.eval(top).await,
        before,
        "the first row stays where it was"
    );
    b.wait_for_text(".views a[href*='view=new'] .count", "4")
        .await;
    b.screenshot("lists-new-announced").await;

    b.click("[data-new-rows]").await;
    let mut shown = vec![newest.number];
    shown.extend(&numbers);
    wait_for_keys(&b, &shown).await;
    assert_eq!(
        b.eval("return document.querySelector('[data-new-rows]').hidden;")
            .await,
        Value::Bool(true),
        "the button goes once the rows are shown"
    );
    assert_eq!(
        b.eval("return window.stillTheSamePage === true;").await,
        Value::Bool(true)
    );
    b.resize(390, 844).await;
    b.assert_no_horizontal_overflow("the case list on a phone")
        .await;
    b.screenshot("lists-phone").await;
    b.close().await;
}
