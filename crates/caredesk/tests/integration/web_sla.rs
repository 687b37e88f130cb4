//! The SLA badge in a real browser (UI.md "SLA"): grey while a target runs, amber once the sweep
//! records its warning and red once it is missed, changing live in the list and on the open case
//! without a reload; the SLA at risk view one click away.

use caredesk_domain::sla::{SlaPolicyDraft, SlaTargets};

use crate::browser::Browser;
use crate::support::{escalated, World};

#[tokio::test]
async fn the_badge_turns_amber_then_red_live_and_the_case_joins_the_at_risk_view() {
    let w = World::new().await;
    let policy = SlaPolicyDraft {
        name: "Standard".into(),
        targets: SlaTargets {
            first_response_secs: Some(600),
            ..Default::default()
        },
        warn_at: Some(0.5),
        ..Default::default()
    };
    w.app
        .create_sla_policy(w.supervisor.id, policy)
        .await
        .expect("policy");
    let case = escalated(
        &w,
        w.dm("ann", "dm-1", "my order is late"),
        Some(w.agent.id),
    )
    .await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}?view=inbox", case.number))
        .await;
    let row = format!("[data-row-key='{}'] .sla", case.number);
    b.wait_for_text(&row, "First reply due").await;
    let tone = |css: String, tone: &'static str| {
        format!(
            "return !!document.querySelector({:?})?.classList.contains('sla-{tone}');",
            css
        )
    };
    b.wait_until("the row's badge is grey", &tone(row.clone(), "ok"))
        .await;
    b.wait_until("the case's badge is grey", &tone("#case-sla".into(), "ok"))
        .await;
    b.screenshot("sla-running").await;

    w.clock.advance_secs(301);
    let report = w.app.sweep_sla().await.expect("sweep");
    assert_eq!(report.warnings, 1);
    b.wait_until("the row's badge turns amber", &tone(row.clone(), "risk"))
        .await;

    w.clock.advance_secs(300);
    let report = w.app.sweep_sla().await.expect("sweep");
    assert_eq!(report.breaches, 1);
    b.wait_until("the row's badge turns red", &tone(row.clone(), "late"))
        .await;
    b.wait_for_text(&row, "First reply overdue").await;
    b.wait_until(
        "the case's badge turns red",
        &tone("#case-sla".into(), "late"),
    )
    .await;
    b.screenshot("sla-missed").await;

    b.click("a[href*='view=sla_at_risk']").await;
    b.wait_for(&format!("[data-list] [data-row-key='{}']", case.number))
        .await;
    b.close().await;
}
