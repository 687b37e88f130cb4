//! The Reports page in a real browser (UI.md "Reports"): a supervisor reaches it from the top
//! bar, reads the range's figures as a table and two server-drawn charts (with the target's
//! line), regroups by agent from the control, and finds "Export CSV" pointing at the range's
//! file; an agent is offered no Reports link and is told the page is not theirs.

use caredesk_domain::sla::{SlaPolicyDraft, SlaTargets};

use crate::browser::Browser;
use crate::support::{escalated, World};

#[tokio::test]
async fn a_supervisor_reads_the_figures_charts_and_export_of_a_range() {
    let w = World::new().await;
    let policy = SlaPolicyDraft {
        name: "Standard".into(),
        targets: SlaTargets {
            first_response_secs: Some(900),
            ..Default::default()
        },
        ..Default::default()
    };
    w.app
        .create_sla_policy(w.supervisor.id, policy)
        .await
        .expect("policy");
    for (i, name) in ["ann", "bob", "cid"].iter().enumerate() {
        let assignee = (i != 2).then_some(w.agent.id);
        escalated(&w, w.dm(name, &format!("dm-{name}"), "help"), assignee).await;
    }
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("sup@example.com").await;
    b.open("/home").await;
    b.click("nav a[href='/reports']").await;
    b.wait_for(".report-table").await;
    let day = "2026-09-21";
    b.open(&format!("/reports?from={day}&to={day}")).await;
    b.wait_for_text(".report-table tbody", day).await;
    assert_eq!(
        b.text(".report-table tbody tr td").await,
        "3",
        "three cases escalated that day"
    );
    assert_eq!(
        b.eval("return document.querySelectorAll('#volume-chart rect.bar-escalated').length;")
            .await,
        serde_json::json!(1)
    );
    assert_eq!(
        b.eval("return !!document.querySelector('#response-chart line.sla-line');")
            .await,
        serde_json::json!(true),
        "the catch-all policy's first-response target is drawn"
    );
    let csv = b
        .eval("return [...document.querySelectorAll('a.button')].find(a => a.textContent.includes('Export CSV')).getAttribute('href');")
        .await;
    assert_eq!(
        csv,
        serde_json::json!(format!("/api/v1/reports/cases.csv?from={day}&to={day}"))
    );
    b.screenshot("reports").await;

    b.eval("const s = document.querySelector('select[name=group_by]'); s.value = 'agent'; s.form.submit(); return true;")
        .await;
    b.wait_for_text(".report-table tbody", "Unassigned").await;
    b.resize(390, 844).await;
    b.assert_no_horizontal_overflow("reports").await;
    b.screenshot("reports-narrow").await;

    let agent = b.second_session().await;
    agent.sign_in("agent@example.com").await;
    agent.open("/home").await;
    assert_eq!(
        agent
            .eval("return !!document.querySelector(\"nav a[href='/reports']\");")
            .await,
        serde_json::json!(false)
    );
    agent.open("/reports").await;
    agent.wait_for_text(".notice", "supervisors").await;
    agent.close().await;
    b.close().await;
}
