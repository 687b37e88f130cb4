//! Stories of a case's conversation and of the community items' locks.

use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::T0;
use super::Fixture;
use crate::Store;

pub(crate) async fn dm_conversation_shows_last_500(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, conv) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let mut tx = store.begin().await.expect("begin");
    let mut first = None;
    for i in 0..520 {
        let m = tx
            .insert_message(&Fixture::message(
                &conv,
                &format!("dm-{i}"),
                &format!("dm {i}"),
                T0.plus_secs(i),
            ))
            .await
            .expect("message");
        first.get_or_insert(m);
    }
    let first = first.expect("messages");
    let case = tx
        .insert_case(&f.new_case(&first, None, T0.plus_secs(600)))
        .await
        .expect("case");
    tx.add_conversation_to_case(case.id, conv.id)
        .await
        .expect("snapshot");
    let mut note = Fixture::message(&conv, "unused", "a note", T0.plus_secs(5));
    note.network_id = None;
    note.kind = MessageKind::Note;
    note.author = Author::Note;
    note.conversation_id = None;
    let note = tx.insert_message(&note).await.expect("note");
    tx.add_case_message(case.id, note.id)
        .await
        .expect("note joins");
    tx.commit().await.expect("commit");

    let mut shown = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = store
            .case_messages(case.id, cursor.as_deref(), 200)
            .await
            .expect("page");
        shown.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(shown.len(), 501, "the last 500 DMs and the note");
    assert_eq!(
        shown[0].text, "a note",
        "notes do not count and always show, in time order"
    );
    assert_eq!(
        shown[1].text, "dm 20",
        "the oldest shown DM is the 500th newest"
    );
    assert_eq!(shown.last().map(|m| m.text.as_str()), Some("dm 519"));
    assert!(
        shown
            .windows(2)
            .all(|w| (w[0].created_at, w[0].id) < (w[1].created_at, w[1].id)),
        "oldest first"
    );
}

pub(crate) async fn community_items_show_their_lock(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, conv) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let mut case = f.case_from(&conv, "m-1", "help", None, T0).await;
    let mut tx = store.begin().await.expect("begin");
    let m1 = tx
        .message_by_network_id(conv.profile_id, "m-1")
        .await
        .expect("read")
        .expect("stored");
    let item = tx
        .insert_community_item(&CommunityItem {
            id: CommunityItemId(0),
            profile_id: conv.profile_id,
            customer_id: conv.customer_id,
            kind: ItemKind::DmThread,
            message_id: m1.id,
            conversation_id: conv.id,
            status: CommunityStatus::None,
            labels: ["billing".to_string()].into(),
            created_at: T0,
            updated_at: T0,
            customer_last_case_spam: false,
        })
        .await
        .expect("item");
    tx.commit().await.expect("commit");
    let row = store
        .community_item(item.id)
        .await
        .expect("read")
        .expect("item");
    assert_eq!(row.item, item, "an item reads back as written");
    assert_eq!(
        row.locking_case.map(|b| b.number),
        Some(case.number),
        "a new case locks its item"
    );
    case.status = CaseStatus::Done;
    f.save(&case).await;
    let row = store
        .community_item(item.id)
        .await
        .expect("read")
        .expect("item");
    assert_eq!(
        row.locking_case, None,
        "a done case (even inside grace) unlocks it"
    );
    let page = store
        .community_items(conv.profile_id, None, 10)
        .await
        .expect("list");
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next_cursor, None);
}
