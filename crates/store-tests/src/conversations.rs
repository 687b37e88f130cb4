//! Stories of a case's conversation and of the community items' locks.

use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::{insert_item, T0};
use super::Fixture;
use caredesk_store::views::community::ItemQuery;
use caredesk_store::views::ProfileScope;
use caredesk_store::Store;

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

    // Several messages by id in one read: those that exist, whatever the order asked.
    let mut found: Vec<MessageId> = store
        .messages(&[note.id, MessageId(i64::MAX), first.id])
        .await
        .expect("messages")
        .iter()
        .map(|m| m.id)
        .collect();
    found.sort();
    assert_eq!(found, vec![first.id, note.id]);
    assert!(store.messages(&[]).await.expect("none").is_empty());

    let mut shown = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = store
            .case_messages(case.id, cursor.as_deref(), 200)
            .await
            .expect("page");
        assert_eq!(page.older_hidden, 20, "the 20 oldest DMs are left out");
        let page = page.page;
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
    let item = insert_item(tx.as_mut(), |id| CommunityItem {
        labels: ["billing".to_string()].into(),
        ..NewItem {
            profile_id: conv.profile_id,
            customer_id: conv.customer_id,
            kind: ItemKind::DmThread,
            message_id: m1.id,
            conversation_id: conv.id,
            created_at: T0,
            customer_last_case_spam: false,
        }
        .stored_as(id)
    })
    .await;
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
    assert_eq!(row.message.text, "help", "the item comes with its message");
    assert_eq!(row.customer.details.display_name, "Ann", "and its customer");
    assert_eq!(
        row.customer_case.map(|b| b.number),
        Some(case.number),
        "the case in grace is the customer's active case"
    );
}

fn inbox(scope: ProfileScope) -> ItemQuery {
    ItemQuery {
        profiles: scope,
        statuses: Vec::new(),
        profile_id: None,
        locked: None,
        label: None,
        text: None,
        newest_first: false,
        cursor: None,
        limit: 50,
    }
}

pub(crate) async fn community_inbox_filters_and_pages(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut items = Vec::new();
    for (i, (name, status, label)) in [
        ("Ann", CommunityStatus::None, "billing"),
        ("Bob", CommunityStatus::InProgress, "shipping"),
        ("Cid", CommunityStatus::Done, "billing"),
        ("Dee", CommunityStatus::NoAction, "100%_sure"),
        ("Eve", CommunityStatus::None, "shipping"),
    ]
    .into_iter()
    .enumerate()
    {
        let (customer, conv) = f.customer(&format!("c-{i}"), name, f.profiles[0].id).await;
        let mut tx = store.begin().await.expect("begin");
        let at = T0.plus_secs(i64::try_from(i).unwrap_or(0));
        let m = tx
            .insert_message(&Fixture::message(
                &conv,
                &format!("m-{i}"),
                &format!("words of {name}"),
                at,
            ))
            .await
            .expect("message");
        let item = insert_item(tx.as_mut(), |id| CommunityItem {
            status,
            labels: [label.to_string()].into(),
            ..NewItem {
                profile_id: conv.profile_id,
                customer_id: customer.id,
                kind: ItemKind::Message,
                message_id: m.id,
                conversation_id: conv.id,
                created_at: at,
                customer_last_case_spam: false,
            }
            .stored_as(id)
        })
        .await;
        tx.commit().await.expect("commit");
        items.push(item);
    }
    // Bob's item is held by an open case.
    let mut tx = store.begin().await.expect("begin");
    let bob_message = tx
        .message(items[1].message_id)
        .await
        .expect("read")
        .expect("message");
    let case = tx
        .insert_case(&f.new_case(&bob_message, None, T0))
        .await
        .expect("case");
    tx.add_case_message(case.id, bob_message.id)
        .await
        .expect("join");
    tx.commit().await.expect("commit");

    let ids = |page: &caredesk_store::Page<caredesk_store::ItemRow>| {
        page.items.iter().map(|r| r.item.id).collect::<Vec<_>>()
    };
    let scope = ProfileScope::Only(vec![f.profiles[0].id]);
    let table: Vec<(ItemQuery, Vec<usize>)> = vec![
        (inbox(scope.clone()), vec![0, 1, 4]),
        (
            ItemQuery {
                statuses: vec![CommunityStatus::Done, CommunityStatus::NoAction],
                ..inbox(scope.clone())
            },
            vec![2, 3],
        ),
        (
            ItemQuery {
                locked: Some(true),
                ..inbox(scope.clone())
            },
            vec![1],
        ),
        (
            ItemQuery {
                locked: Some(false),
                ..inbox(scope.clone())
            },
            vec![0, 4],
        ),
        (
            ItemQuery {
                label: Some("shipping".into()),
                ..inbox(scope.clone())
            },
            vec![1, 4],
        ),
        (
            ItemQuery {
                label: Some("100%_sure".into()),
                statuses: vec![CommunityStatus::NoAction],
                ..inbox(scope.clone())
            },
            vec![3],
        ),
        (
            ItemQuery {
                label: Some("ship".into()),
                ..inbox(scope.clone())
            },
            vec![],
        ),
        (
            ItemQuery {
                text: Some("EVE".into()),
                ..inbox(scope.clone())
            },
            vec![4],
        ),
        (
            ItemQuery {
                text: Some("words of ann".into()),
                ..inbox(scope.clone())
            },
            vec![0],
        ),
        (
            ItemQuery {
                newest_first: true,
                ..inbox(scope.clone())
            },
            vec![4, 1, 0],
        ),
        (inbox(ProfileScope::Only(vec![f.profiles[1].id])), vec![]),
        (
            ItemQuery {
                profile_id: Some(f.profiles[1].id),
                ..inbox(ProfileScope::All)
            },
            vec![],
        ),
    ];
    for (query, expected) in table {
        let page = store.community_items(&query).await.expect("list");
        let wanted: Vec<CommunityItemId> = expected.iter().map(|i| items[*i].id).collect();
        assert_eq!(ids(&page), wanted, "{query:?}");
    }
    let first = store
        .community_items(&ItemQuery {
            limit: 2,
            ..inbox(scope.clone())
        })
        .await
        .expect("page");
    assert_eq!(ids(&first), vec![items[0].id, items[1].id]);
    let rest = store
        .community_items(&ItemQuery {
            limit: 2,
            cursor: first.next_cursor.clone(),
            ..inbox(scope)
        })
        .await
        .expect("page");
    assert_eq!(
        (ids(&rest), rest.next_cursor),
        (vec![items[4].id], None),
        "keyset pages"
    );
    let bob = store
        .community_item(items[1].id)
        .await
        .expect("read")
        .expect("item");
    assert_eq!(bob.locking_case.map(|b| b.id), Some(case.id));
}
