//! Bulk actions in a real browser: a supervisor picks every case on the page and sets them
//! Done; the cases they hold are done, the one another agent holds is refused, and the bar says
//! so in words.

use crate::browser::Browser;
use crate::support::{escalated, World};

#[tokio::test]
async fn a_bulk_status_change_reports_the_refused_case_in_words() {
    let w = World::new().await;
    escalated(&w, w.dm("ann", "dm-1", "one"), Some(w.supervisor.id)).await;
    escalated(&w, w.dm("bo", "dm-2", "two"), Some(w.supervisor.id)).await;
    let theirs = escalated(&w, w.dm("cy", "dm-3", "three"), Some(w.agent.id)).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("sup@example.com").await;
    b.open("/care?view=inbox").await;
    b.wait_for("input.pick").await;
    b.click("#pick-all").await;
    b.wait_for_text("#bulk-count", "3 selected").await;
    b.eval(
        "const s = document.getElementById('bulk-status'); s.value = 'done';\
         s.dispatchEvent(new Event('change', {bubbles: true})); return null;",
    )
    .await;
    b.wait_for_text("#bulk-result", "2 done; 1 refused").await;
    let said = b.text("#bulk-result").await;
    assert!(said.contains("assignee"), "{said}");
    b.wait_for_text("#bulk-count", "1 selected").await;
    let still = b
        .eval(&format!(
            "return document.querySelector('input.pick[data-case-id=\"{}\"]').checked;",
            theirs.id
        ))
        .await;
    assert_eq!(
        still,
        serde_json::Value::Bool(true),
        "the refused case stays picked"
    );
    b.screenshot("bulk").await;
    b.resize(390, 844).await;
    b.assert_no_horizontal_overflow("bulk on a phone").await;
    b.screenshot("bulk-phone").await;
    b.close().await;
}
