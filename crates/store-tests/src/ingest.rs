//! Stories of the batch lookups of ingest: each answers, for many keys at once, what the single
//! lookup answers for each key, and nothing for keys that match nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::{insert_item, T0};
use super::Fixture;
use caredesk_store::ingest::{ConversationKey, ReservedIds};
use caredesk_store::{CaseFilter, CaseQuery, Store, View};

fn ids<T, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Vec<K> {
    let mut keys: Vec<K> = items.iter().map(key).collect();
    keys.sort();
    keys
}

pub(crate) async fn batch_lookups_answer_what_single_lookups_answer(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (p0, p1) = (f.profiles[0].id, f.profiles[1].id);
    let (ann, ann_dm) = f.customer("u-ann", "Ann", p0).await;
    let (bob, bob_dm) = f.customer("u-bob", "Bob", p0).await;
    // Ann: a case in progress on p0 (holding the slot) and a closed older one on p1.
    let ann_case = f
        .case_from(&ann_dm, "m-ann-1", "help", Some(f.agent.id), T0)
        .await;
    let mut tx = store.begin().await.expect("begin");
    let ann_thread = tx
        .conversation_for(p1, ann.id, ConversationKind::Thread, "post-9")
        .await
        .expect("thread");
    tx.commit().await.expect("commit");
    let mut old = f
        .case_from(&ann_thread, "m-ann-2", "old", None, T0.plus_secs(1))
        .await;
    old.status = CaseStatus::Done;
    old.holds_active_slot = false;
    f.save(&old).await;
    let newer = f
        .case_from(&ann_thread, "m-ann-3", "newer", None, T0.plus_secs(5))
        .await;
    let item_message = f
        .case_from(&bob_dm, "m-bob-1", "hi", None, T0.plus_secs(2))
        .await;
    let mut tx = store.begin().await.expect("begin");
    let bob_message = tx
        .message_by_network_id(p0, "m-bob-1")
        .await
        .expect("read")
        .expect("bob's message");
    let item = insert_item(tx.as_mut(), |id| {
        NewItem {
            profile_id: p0,
            customer_id: bob.id,
            kind: ItemKind::DmThread,
            message_id: bob_message.id,
            conversation_id: bob_dm.id,
            created_at: T0,
            customer_last_case_spam: false,
        }
        .stored_as(id)
    })
    .await;

    let customers = tx
        .customers_by_network_ids(&[
            (Network::Facebook, "u-ann".into()),
            (Network::Facebook, "u-bob".into()),
            (Network::Facebook, "u-nobody".into()),
            (Network::Instagram, "u-ann".into()),
        ])
        .await
        .expect("customers");
    assert_eq!(ids(&customers, |c| c.id), vec![ann.id, bob.id]);
    assert_eq!(
        customers.iter().find(|c| c.id == ann.id),
        Some(&ann),
        "a customer comes back whole"
    );
    tx.lock_customers(&[bob.id, ann.id]).await.expect("lock");

    let messages = tx
        .messages_by_network_ids(&[
            (p0, "m-ann-1".into()),
            (p1, "m-ann-2".into()),
            (p1, "m-ann-1".into()),
            (p0, "m-none".into()),
        ])
        .await
        .expect("messages");
    let single = tx
        .message_by_network_id(p0, "m-ann-1")
        .await
        .expect("read")
        .expect("message");
    assert_eq!(messages.len(), 2, "only existing (profile, id) pairs");
    assert!(messages.contains(&single));

    let thread_key = ConversationKey::of(&ann_thread);
    let conversations = tx
        .conversations_by_keys(&[
            ConversationKey::of(&ann_dm),
            thread_key.clone(),
            ConversationKey {
                root_network_id: "post-other".into(),
                ..thread_key
            },
            ConversationKey {
                customer: bob.id,
                ..ConversationKey::of(&ann_dm)
            },
        ])
        .await
        .expect("conversations");
    assert_eq!(
        ids(&conversations, |c| c.id),
        ids(&[ann_dm.clone(), ann_thread.clone(), bob_dm.clone()], |c| c
            .id)
    );

    let items = tx
        .dm_thread_items(&[bob_dm.id, ann_dm.id])
        .await
        .expect("items");
    assert_eq!(
        items,
        vec![(item.clone(), bob_message.created_at)],
        "the item, with the network's time of the message it shows"
    );

    let active = tx.active_cases_of(&[ann.id, bob.id]).await.expect("active");
    let mut expected_active = Vec::new();
    for (c, p) in [(ann.id, p0), (ann.id, p1), (bob.id, p0)] {
        if let Some(case) = tx.active_case(c, p).await.expect("active case") {
            expected_active.push(case);
        }
    }
    assert_eq!(
        ids(&active, |c| c.id),
        ids(&expected_active, |c| c.id),
        "every case holding a slot of these customers"
    );
    assert!(active.iter().any(|c| c.id == ann_case.id));

    let newest = tx
        .newest_cases_of(&[(ann.id, p1), (bob.id, p0), (bob.id, p1)])
        .await
        .expect("newest");
    let by_pair: BTreeMap<(CustomerId, ProfileId), CaseId> = newest
        .iter()
        .map(|c| ((c.customer_id, c.profile_id), c.id))
        .collect();
    assert_eq!(by_pair.len(), 2, "no case for (bob, p1)");
    assert_eq!(by_pair.get(&(ann.id, p1)), Some(&newer.id));
    assert_eq!(by_pair.get(&(bob.id, p0)), Some(&item_message.id));

    let nothing = tx.active_cases_of(&[]).await.expect("no keys");
    assert!(nothing.is_empty());
    tx.commit().await.expect("commit");
}

pub(crate) async fn case_states_are_saved_without_their_fields(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, dm) = f.customer("u-dan", "Dan", f.profiles[0].id).await;
    let (_, other) = f.customer("u-eve", "Eve", f.profiles[0].id).await;
    let mut case = f.case_from(&dm, "m-dan-1", "hi", None, T0).await;
    let mut closed = f.case_from(&other, "m-eve-1", "bye", None, T0).await;
    let (_, third) = f.customer("u-gus", "Gus", f.profiles[0].id).await;
    let mut joined = f.case_from(&third, "m-gus-1", "hey", None, T0).await;
    let (_, fourth) = f.customer("u-hal", "Hal", f.profiles[0].id).await;
    let mut released = f.case_from(&fourth, "m-hal-1", "ok", None, T0).await;
    let (_, fifth) = f.customer("u-ida", "Ida", f.profiles[0].id).await;
    let mut fielded = f.case_from(&fifth, "m-ida-1", "order", None, T0).await;
    let as_read = [
        case.clone(),
        closed.clone(),
        joined.clone(),
        released.clone(),
        fielded.clone(),
    ];
    // Saved in the same call: its field values and their filter tokens change too.
    fielded
        .fields
        .insert(CaseFieldId(5), FieldValue::Labels(vec!["vip".into()]));
    fielded.version += 1;
    // A message joined it: only the time of the last customer message and the version move.
    joined.last_customer_message_at = Some(T0.plus_secs(45));
    joined.version += 1;
    // Only its slot is released.
    released.holds_active_slot = false;
    case.status = CaseStatus::Pending;
    case.assignee_id = Some(f.agent.id);
    case.last_customer_message_at = Some(T0.plus_secs(30));
    case.version += 1;
    closed.status = CaseStatus::Done;
    closed.grace_until = Some(T0.plus_secs(600));
    closed.version += 1;
    let mut tx = store.begin().await.expect("begin");
    let all = [case, closed, joined, released, fielded];
    let saves: Vec<(&Case, &Case)> = as_read.iter().zip(all.iter()).collect();
    tx.save_cases(&saves).await.expect("save states");
    tx.save_cases(&[]).await.expect("nothing to save");
    tx.commit().await.expect("commit");
    let by_field = CaseQuery {
        viewer: super::lists::viewer(&f.supervisor),
        view: View::Inbox,
        filter: CaseFilter {
            fields: vec![(CaseFieldId(5), "vip".into())],
            ..Default::default()
        },
        sort: None,
        cursor: None,
        limit: 50,
    };
    let found = store.list_cases(&by_field).await.expect("list");
    let found: Vec<CaseId> = found.items.iter().map(|row| row.case.id).collect();
    assert_eq!(
        found,
        vec![all[4].id],
        "the new field value is found by its filter"
    );
    for saved in all {
        let stored = store.case(saved.id).await.expect("read").expect("case");
        assert_eq!(stored, saved);
    }
}

pub(crate) async fn batch_writes_store_what_single_writes_store(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let p0 = f.profiles[0].id;
    let (fay, dm) = f.customer("u-fay", "Fay", p0).await;
    let mut case = f.case_from(&dm, "m-fay-1", "hello", None, T0).await;
    let mut tx = store.begin().await.expect("begin");
    let reserved = tx.reserve_ids(3, 1).await.expect("reserve");
    assert_eq!((reserved.messages.len(), reserved.items.len()), (3, 1));
    let none = tx.reserve_ids(0, 0).await.expect("reserve nothing");
    assert_eq!(none, ReservedIds::default());

    // A message and its answer, inserted together; the third id is left unused.
    let first = NewMessage {
        attachments: vec![
            Attachment::at(
                AttachmentKind::Image,
                Some("https://cdn.example/1.jpg".into()),
            ),
            Attachment::location(52.52, 13.405, Some("Cafe".into())),
        ],
        hidden: true,
        ..Fixture::message(&dm, "m-fay-2", "a photo", T0.plus_secs(10))
    }
    .stored_as(reserved.messages[0]);
    let answer = NewMessage {
        parent_id: Some(first.id),
        parent_network_id: Some("m-fay-2".into()),
        ..Fixture::message(&dm, "m-fay-3", "and \"quotes\" é", T0.plus_secs(11))
    }
    .stored_as(reserved.messages[1]);
    tx.insert_messages(&[first.clone(), answer.clone()])
        .await
        .expect("insert messages");
    for inserted in [&first, &answer] {
        let read = tx
            .message_by_network_id(p0, inserted.network_id.as_deref().unwrap_or_default())
            .await
            .expect("read");
        assert_eq!(read.as_ref(), Some(inserted));
    }

    let mut item = CommunityItem {
        id: reserved.items[0],
        profile_id: p0,
        customer_id: fay.id,
        kind: ItemKind::DmThread,
        message_id: first.id,
        conversation_id: dm.id,
        status: CommunityStatus::None,
        labels: Default::default(),
        created_at: T0.plus_secs(10),
        updated_at: T0.plus_secs(10),
        customer_last_case_spam: false,
    };
    tx.insert_community_items(std::slice::from_ref(&item))
        .await
        .expect("insert items");
    assert_eq!(
        tx.dm_thread_item(dm.id).await.expect("read"),
        Some(item.clone())
    );
    item.receive_direct_message(answer.id, true, T0.plus_secs(11));
    item.customer_last_case_spam = true;
    tx.update_community_items(std::slice::from_ref(&item))
        .await
        .expect("update items");
    assert_eq!(tx.dm_thread_item(dm.id).await.expect("read"), Some(item));

    let as_read = case.clone();
    case.last_customer_message_at = Some(T0.plus_secs(11));
    case.version += 1;
    tx.save_cases(&[(&as_read, &case)])
        .await
        .expect("save state");
    tx.add_case_messages(&[
        (case.id, first.id),
        (case.id, answer.id),
        (case.id, first.id),
    ])
    .await
    .expect("add case messages");
    for held in [first.id, answer.id] {
        let holders = tx.cases_holding(held).await.expect("holders");
        assert_eq!(ids(&holders, |c| c.id), [case.id]);
    }

    // A message inserted singly afterwards takes an id no reserved message has.
    let later = tx
        .insert_message(&Fixture::message(&dm, "m-fay-4", "later", T0.plus_secs(20)))
        .await
        .expect("insert one");
    assert!(!reserved.messages[..2].contains(&later.id));
    tx.commit().await.expect("commit");
    assert_eq!(store.case(case.id).await.expect("read"), Some(case));
}
