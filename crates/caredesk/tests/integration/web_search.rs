//! The top bar's search in a real browser: it answers as the agent types, groups the hits,
//! marks the matching words, and Enter opens the first (a Done case found by its text).

use crate::browser::Browser;
use crate::support::{escalated, World};

#[tokio::test]
async fn the_top_bar_finds_a_done_case_by_its_text_and_enter_opens_it() {
    let w = World::new().await;
    let case = escalated(
        &w,
        w.dm("ann", "dm-1", "My crème brûlée never arrived"),
        Some(w.agent.id),
    )
    .await;
    w.app
        .set_status(w.agent.id, case.id, caredesk_domain::CaseStatus::Done, None)
        .await
        .expect("done");
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open("/care").await;
    b.fill("#q", "creme bru").await;
    b.wait_until(
        "the results show cases and messages",
        "const groups = Array.from(document.querySelectorAll('#search-results .search-group'))\
         .map(g => g.textContent); return groups.includes('Cases') && groups.includes('Messages');",
    )
    .await;
    let marked = b
        .eval(
            "return Array.from(document.querySelectorAll('#search-results .search-hit mark'))\
             .map(m => m.textContent);",
        )
        .await;
    let marked: Vec<&str> = marked
        .as_array()
        .expect("marks")
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert!(
        marked.contains(&"crème") && marked.contains(&"brûlée"),
        "{marked:?}"
    );
    b.screenshot("search").await;
    b.resize(390, 844).await;
    b.assert_no_horizontal_overflow("search on a phone").await;
    b.screenshot("search-phone").await;
    b.eval("document.querySelector('#q').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); return null;")
        .await;
    let wanted = format!("/care/cases/{}", case.number);
    b.wait_until(
        "the case opens",
        &format!("return window.location.pathname === '{wanted}';"),
    )
    .await;
    b.close().await;
}
