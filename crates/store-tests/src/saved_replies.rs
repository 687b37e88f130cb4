//! Stories of saved replies: what is stored reads back the same, a user's list holds the shared
//! replies and their own (never another's) in the domain's order, changes and deletions stick,
//! and an uncommitted one disappears.

use std::sync::Arc;

use caredesk_domain::saved_reply::SavedReplyEdit;
use caredesk_domain::*;
use caredesk_store::Store;

use super::fixture::T0;
use super::Fixture;

fn new(name: &str, owner: Option<&User>) -> NewSavedReply {
    NewSavedReply::checked(
        name,
        "Hi {{customer.first_name}}, thanks for writing.",
        owner.map(|u| u.id),
        T0,
    )
    .expect("a good saved reply")
}

fn names(replies: &[SavedReply]) -> Vec<&str> {
    replies.iter().map(|r| r.name.as_str()).collect()
}

pub(crate) async fn saved_replies_round_trip_and_list_shared_and_own(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut tx = store.begin().await.expect("begin");
    let shared = tx
        .insert_saved_reply(&new("thanks", None))
        .await
        .expect("shared");
    let mine = tx
        .insert_saved_reply(&new("Apology", Some(&f.agent)))
        .await
        .expect("mine");
    let theirs = tx
        .insert_saved_reply(&new("Another's", Some(&f.other_agent)))
        .await
        .expect("theirs");
    let later = tx
        .insert_saved_reply(&new("Thanks", None))
        .await
        .expect("a second shared one of the same name");
    tx.commit().await.expect("commit");
    assert_eq!(shared.owner, None);
    assert_eq!(mine.owner, Some(f.agent.id));
    assert_eq!((mine.created_at, mine.updated_at), (T0, T0));

    let back = store.saved_reply(mine.id).await.expect("read");
    assert_eq!(
        back.as_ref(),
        Some(&mine),
        "a saved reply reads back as written"
    );
    let listed = store.saved_replies(f.agent.id).await.expect("list");
    assert_eq!(
        names(&listed),
        ["Apology", "Thanks", "thanks"],
        "the shared ones and the agent's own, by name ignoring case"
    );
    assert_eq!(listed[1].id, later.id);
    assert_eq!(listed[2].id, shared.id);
    assert!(
        !listed.iter().any(|r| r.id == theirs.id),
        "another's personal reply is never listed"
    );
    let for_supervisor = store.saved_replies(f.supervisor.id).await.expect("list");
    assert_eq!(names(&for_supervisor), ["Thanks", "thanks"]);

    let edited = mine
        .edited(
            SavedReplyEdit {
                name: Some("Sorry".into()),
                text: Some("Sorry, {{customer.name}}.".into()),
                owner: Some(None),
            },
            T0.plus_secs(60),
        )
        .expect("edited");
    let mut tx = store.begin().await.expect("begin");
    let locked = tx
        .saved_reply_for_update(mine.id)
        .await
        .expect("read in the unit of work");
    assert_eq!(locked.as_ref(), Some(&mine));
    tx.update_saved_reply(&edited).await.expect("update");
    tx.delete_saved_reply(theirs.id).await.expect("delete");
    tx.delete_saved_reply(theirs.id)
        .await
        .expect("deleting again changes nothing");
    tx.commit().await.expect("commit");
    assert_eq!(
        store.saved_reply(mine.id).await.expect("read"),
        Some(edited),
        "name, text, owner and change time are saved"
    );
    assert_eq!(store.saved_reply(theirs.id).await.expect("read"), None);
    let listed = store.saved_replies(f.other_agent.id).await.expect("list");
    assert_eq!(names(&listed), ["Sorry", "Thanks", "thanks"]);

    let mut tx = store.begin().await.expect("begin");
    let dropped = tx
        .insert_saved_reply(&new("Never kept", Some(&f.agent)))
        .await
        .expect("insert");
    drop(tx);
    assert_eq!(
        store.saved_reply(dropped.id).await.expect("read"),
        None,
        "an uncommitted saved reply disappears"
    );
}
