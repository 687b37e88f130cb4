//! Replies through the use cases: the network's rules, hidden and deleted targets, closed cases.

use caredesk_app::ReplyRequest;
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::routing::MessageEdit;
use caredesk_domain::*;

use crate::support::{code, escalated, World};

fn reply(text: &str, kind: ReplyKind, in_reply_to: Option<MessageId>) -> ReplyRequest {
    ReplyRequest {
        text: text.into(),
        kind,
        in_reply_to,
        set_status: None,
        attachment_ids: Vec::new(),
    }
}

#[tokio::test]
async fn replies_follow_the_network_rules() {
    let w = World::new().await;
    let case = escalated(
        &w,
        w.comment("ann", "c-1", "post-1", "bad service"),
        Some(w.agent.id),
    )
    .await;
    let comment = w
        .app
        .store()
        .case_messages(case.id, None, 10)
        .await
        .expect("messages")
        .page
        .items[0]
        .clone();

    assert_eq!(
        code(
            w.app
                .queue_reply(
                    w.other_agent.id,
                    case.id,
                    reply("hi", ReplyKind::Comment, None),
                    None
                )
                .await
        ),
        "not_assignee"
    );
    assert_eq!(
        code(
            w.app
                .queue_reply(
                    w.agent.id,
                    case.id,
                    reply("hi", ReplyKind::Reply, None),
                    None
                )
                .await
        ),
        "validation_failed"
    );
    assert_eq!(
        code(
            w.app
                .queue_reply(
                    w.agent.id,
                    case.id,
                    reply(&"x".repeat(8_001), ReplyKind::Comment, None),
                    None
                )
                .await
        ),
        "platform_limit"
    );

    let private = w
        .app
        .queue_reply(
            w.agent.id,
            case.id,
            reply("Sent you a DM", ReplyKind::Direct, Some(comment.id)),
            None,
        )
        .await
        .expect("private reply");
    assert_eq!(private.delivery, Some(Delivery::Queued));
    let again = w
        .app
        .queue_reply(
            w.agent.id,
            case.id,
            reply("another", ReplyKind::Direct, Some(comment.id)),
            None,
        )
        .await;
    assert_eq!(
        code(again),
        "platform_limit",
        "one private reply per comment"
    );

    w.app
        .ingest_edit(
            w.profile.id,
            "c-1",
            MessageEdit {
                hidden: Some(true),
                ..Default::default()
            },
        )
        .await
        .expect("hide");
    let to_hidden = w
        .app
        .queue_reply(
            w.agent.id,
            case.id,
            reply("Only you see this", ReplyKind::Reply, Some(comment.id)),
            None,
        )
        .await
        .expect("reply");
    assert!(
        to_hidden.visible_only_to_customer,
        "a reply to hidden content is visible only to the customer"
    );

    w.app
        .ingest_edit(
            w.profile.id,
            "c-1",
            MessageEdit {
                deleted: Some(true),
                ..Default::default()
            },
        )
        .await
        .expect("delete");
    let to_deleted = w
        .app
        .queue_reply(
            w.agent.id,
            case.id,
            reply("hello?", ReplyKind::Reply, Some(comment.id)),
            None,
        )
        .await;
    assert_eq!(code(to_deleted), "message_deleted");

    let done = w
        .app
        .set_status(w.agent.id, case.id, CaseStatus::Done, None)
        .await
        .expect("done");
    assert_eq!(
        code(
            w.app
                .queue_reply(
                    w.agent.id,
                    case.id,
                    reply("late", ReplyKind::Comment, None),
                    None
                )
                .await
        ),
        "case_closed"
    );
    let reopened = w
        .app
        .reopen(w.agent.id, done.id, Some(done.version))
        .await
        .expect("reopen");
    assert_eq!(
        (reopened.status, reopened.grace_until),
        (CaseStatus::Open, None)
    );
}
