//! Ingest through the use cases: dedupe, edits, hide and delete, DM-thread items, brand echoes.

use caredesk_app::{InboundAuthor, IngestOutcome};
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::routing::MessageEdit;
use caredesk_domain::*;
use caredesk_store::views::community::ItemQuery;
use caredesk_store::ProfileScope;

use crate::support::World;

#[tokio::test]
async fn redeliveries_store_nothing_twice_and_edits_keep_the_previous_text() {
    let w = World::new().await;
    let first = w
        .app
        .ingest(w.comment("ann", "c-1", "post-1", "typo"))
        .await
        .expect("ingest");
    let IngestOutcome::Community { message, item } = first else {
        panic!("{first:?}")
    };
    let again = w
        .app
        .ingest(w.comment("ann", "c-1", "post-1", "typo"))
        .await
        .expect("redelivery");
    assert_eq!(again, IngestOutcome::Known(message));
    let case = w
        .app
        .escalate(w.community.id, item, EscalationRequest::default())
        .await
        .expect("escalate")
        .case;

    w.app
        .ingest(w.comment("ann", "c-1", "post-1", "fixed"))
        .await
        .expect("edit by redelivery");
    let hidden = MessageEdit {
        hidden: Some(true),
        ..Default::default()
    };
    w.app
        .ingest_edit(w.profile.id, "c-1", hidden)
        .await
        .expect("hide");
    let deleted = MessageEdit {
        deleted: Some(true),
        ..Default::default()
    };
    w.app
        .ingest_edit(w.profile.id, "c-1", deleted)
        .await
        .expect("delete");
    let unknown = w
        .app
        .ingest_edit(w.profile.id, "never-seen", MessageEdit::default())
        .await
        .expect("ignored");
    assert_eq!(unknown, None);

    let stored = w
        .app
        .store()
        .message(message)
        .await
        .expect("read")
        .expect("message");
    assert_eq!(
        (stored.text.as_str(), stored.hidden, stored.deleted),
        ("fixed", true, true)
    );
    let events = w.app.store().case_events(case.id).await.expect("events");
    let edit = events.iter().find_map(|e| match &e.event.kind {
        EventKind::MessageEdited { previous_text, .. } => Some(previous_text.clone()),
        _ => None,
    });
    assert_eq!(
        edit.as_deref(),
        Some("typo"),
        "the previous text is kept in the event"
    );
    assert!(events
        .iter()
        .any(|e| e.event.kind.name() == "message_hidden"));
    assert!(events
        .iter()
        .any(|e| e.event.kind.name() == "message_deleted"));
    let case_after = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(
        case_after.version, case.version,
        "network edits leave the version alone"
    );
}

#[tokio::test]
async fn a_new_direct_message_moves_the_thread_item_and_resets_its_status() {
    let w = World::new().await;
    let first = w
        .app
        .ingest(w.dm("ann", "dm-1", "hello"))
        .await
        .expect("ingest");
    let IngestOutcome::Community { item, .. } = first else {
        panic!("{first:?}")
    };
    w.app
        .update_item(w.community.id, item, Some(CommunityStatus::Done), None)
        .await
        .expect("status");
    let second = w
        .app
        .ingest(w.dm("ann", "dm-2", "again"))
        .await
        .expect("ingest");
    let IngestOutcome::Community {
        item: same,
        message,
    } = second
    else {
        panic!("{second:?}")
    };
    assert_eq!(same, item, "one item per DM thread");
    let row = w
        .app
        .store()
        .community_item(item)
        .await
        .expect("read")
        .expect("item");
    assert_eq!(
        (row.item.status, row.item.message_id),
        (CommunityStatus::None, message)
    );
}

#[tokio::test]
async fn brand_echoes_join_the_case_and_create_no_item() {
    let w = World::new().await;
    let IngestOutcome::Community { item, .. } = w
        .app
        .ingest(w.dm("ann", "dm-1", "hello"))
        .await
        .expect("ingest")
    else {
        panic!("expected an item")
    };
    let case = w
        .app
        .escalate(w.community.id, item, EscalationRequest::default())
        .await
        .expect("escalate")
        .case;
    let mut echo = w.dm("ann", "dm-brand-1", "Replied from the Page inbox");
    echo.author = InboundAuthor::Brand {
        customer_network_user_id: "ann".into(),
    };
    let outcome = w.app.ingest(echo).await.expect("echo");
    let IngestOutcome::Brand { case: joined, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(joined, Some(case.id));
    let page = w
        .app
        .store()
        .community_items(&ItemQuery {
            profiles: ProfileScope::All,
            statuses: CommunityStatus::ALL.to_vec(),
            profile_id: Some(w.profile.id),
            locked: None,
            label: None,
            text: None,
            newest_first: false,
            cursor: None,
            limit: 50,
        })
        .await
        .expect("items");
    assert_eq!(page.items.len(), 1, "no item for a brand message");
}

#[tokio::test]
async fn a_customer_whose_last_case_was_spam_is_marked_in_community() {
    let w = World::new().await;
    let IngestOutcome::Community { item, .. } = w
        .app
        .ingest(w.dm("spammer", "dm-1", "buy now"))
        .await
        .expect("ingest")
    else {
        panic!("expected an item")
    };
    let request = EscalationRequest {
        assignee_id: Some(w.agent.id),
        ..Default::default()
    };
    let case = w
        .app
        .escalate(w.community.id, item, request)
        .await
        .expect("escalate")
        .case;
    w.app
        .set_status(w.agent.id, case.id, CaseStatus::Spam, None)
        .await
        .expect("spam");
    let outcome = w
        .app
        .ingest(w.dm("spammer", "dm-2", "buy more"))
        .await
        .expect("ingest");
    let IngestOutcome::Community { item, .. } = outcome else {
        panic!("spam never reopens: {outcome:?}")
    };
    let row = w
        .app
        .store()
        .community_item(item)
        .await
        .expect("read")
        .expect("item");
    assert!(row.item.customer_last_case_spam);
    let case = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.status, CaseStatus::Spam);
}
