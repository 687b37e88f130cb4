//! The live stream: changes reach those who may see them, in order, and a reconnecting client
//! resumes without gaps.

use axum::http::StatusCode;
use caredesk_domain::CaseStatus;

use crate::api_support::{login, open_stream, router};
use crate::support::{escalated, World};

#[tokio::test]
async fn changes_reach_those_who_may_see_them_and_resume_without_gaps() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let community = login(&api, "community@example.com").await;
    let (status, agent_stream) = open_stream(&api, &agent, None).await;
    assert_eq!(status, StatusCode::OK);
    let mut agent_stream = agent_stream.expect("a stream");
    let mut community_stream = open_stream(&api, &community, None)
        .await
        .1
        .expect("a stream");

    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    w.app
        .set_status(w.agent.id, case.id, CaseStatus::Pending, None)
        .await
        .expect("pending");
    assert!(
        agent_stream.wait_for("\"to\":\"pending\"").await,
        "the agent sees the change: {}",
        agent_stream.text
    );
    assert!(
        agent_stream.text.contains("event: item_changed"),
        "and the new item: {}",
        agent_stream.text
    );
    assert!(
        community_stream.wait_for("event: case_badge_changed").await,
        "{}",
        community_stream.text
    );
    assert!(
        !community_stream.text.contains("case_changed"),
        "Community learns no case contents"
    );

    // Reconnect from the last event seen: everything after it arrives, nothing before it.
    let last_id = agent_stream
        .text
        .lines()
        .filter_map(|l| l.strip_prefix("id: "))
        .next_back()
        .expect("events carry ids")
        .to_owned();
    w.app
        .set_status(w.agent.id, case.id, CaseStatus::OnHold, None)
        .await
        .expect("on hold");
    w.app
        .add_note(w.agent.id, case.id, "waiting on the warehouse", &[], None)
        .await
        .expect("note");
    let mut resumed = open_stream(&api, &agent, Some(&last_id))
        .await
        .1
        .expect("a stream");
    assert!(resumed.wait_for("note_added").await, "{}", resumed.text);
    assert!(
        resumed.text.contains("\"to\":\"on_hold\""),
        "{}",
        resumed.text
    );
    assert!(
        !resumed.text.contains("\"to\":\"pending\""),
        "nothing before the resume point: {}",
        resumed.text
    );

    let (status, _) = open_stream(&api, "not-a-token", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = open_stream(&api, &agent, Some("garbage")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
