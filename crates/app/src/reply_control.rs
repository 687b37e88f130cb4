//! Replies from Community, and retrying or cancelling replies that failed, whose delivery is
//! unknown, or that still wait (PRODUCT.md §5). The rules are the domain's `reply_control`.

use caredesk_domain::case::{validate_text, MAX_NOTE_CHARS};
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::reply_control::{
    cancelled, check_community_reply, check_retry_or_cancel, retried,
};
use caredesk_domain::*;

use crate::error::{AppResult, FoundOr};
use crate::replies::{queue_outgoing, Outgoing};
use crate::touch;
use crate::App;

/// What the Community composer sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommunityReply {
    /// The text.
    pub text: String,
    /// Reply, comment or direct.
    pub kind: ReplyKind,
    /// The message answered (default: the item's message).
    pub in_reply_to: Option<MessageId>,
}

impl App {
    /// A Community agent answers an item; refused with 409 `case_active` while a case holds it.
    pub async fn queue_community_reply(
        &self,
        actor: UserId,
        item: CommunityItemId,
        reply: CommunityReply,
    ) -> AppResult<Message> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let actor = tx.user(actor).await?.or_not_found()?;
        let item = tx.community_item(item).await?.or_not_found()?;
        policy::require_profile_member(&actor, item.profile_id)?;
        tx.lock_customer(item.customer_id).await?;
        let target = match reply.in_reply_to {
            Some(id) => {
                let target = tx
                    .message(id)
                    .await?
                    .ok_or_else(|| Refusal::invalid("in_reply_to is not a message"))?;
                if target.conversation_id != Some(item.conversation_id) {
                    return Err(Refusal::invalid(
                        "in_reply_to is not a message of this item's conversation",
                    )
                    .into());
                }
                target
            }
            None => tx.message(item.message_id).await?.or_not_found()?,
        };
        let holder = touch::case_in_progress_holding(tx.as_mut(), target.id).await?;
        check_community_reply(&actor, &target, holder.as_ref())?;
        validate_text("text", &reply.text, MAX_NOTE_CHARS)?;
        let conversation = tx
            .conversation(item.conversation_id)
            .await?
            .or_not_found()?;
        // Without an explicit target: a reply answers the item's message, a direct message to a
        // public message is a private reply to it, a comment goes on the post.
        let answered = match (reply.in_reply_to, reply.kind) {
            (Some(_), _) | (None, ReplyKind::Reply) => Some(&target),
            (None, ReplyKind::Direct) => target.is_public().then_some(&target),
            (None, ReplyKind::Comment) => None,
        };
        let outgoing = Outgoing {
            customer: item.customer_id,
            sender: actor.id,
            conversation: &conversation,
            target: answered,
            kind: reply.kind,
            text: &reply.text,
            file: None,
        };
        let message = queue_outgoing(tx.as_mut(), &outgoing, now)
            .await?
            .pop()
            .or_not_found()?;
        let event = Event {
            case_id: None,
            actor: Some(actor.id),
            at: now,
            kind: EventKind::ReplyQueued {
                message_id: message.id,
            },
        };
        tx.insert_events(&[event]).await?;
        tx.commit().await?;
        self.outbox_wake.notify_one();
        Ok(message)
    }

    /// Sends a failed, unknown or waiting reply again.
    pub async fn retry_reply(&self, actor: UserId, reply: MessageId) -> AppResult<Message> {
        self.control_reply(actor, reply, true).await
    }

    /// Cancels a failed, unknown or waiting reply; it is never sent.
    pub async fn cancel_reply(&self, actor: UserId, reply: MessageId) -> AppResult<Message> {
        self.control_reply(actor, reply, false).await
    }

    async fn control_reply(
        &self,
        actor: UserId,
        reply: MessageId,
        retry: bool,
    ) -> AppResult<Message> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let actor = tx.user(actor).await?.or_not_found()?;
        let mut message = tx.message(reply).await?.or_not_found()?;
        if let Some(customer) = message.customer_id {
            tx.lock_customer(customer).await?;
        }
        let case = tx.cases_holding(message.id).await?.into_iter().next();
        check_retry_or_cancel(&actor, &message, case.as_ref())?;
        if retry {
            retried(&mut message);
            if !tx.requeue_outbox(message.id, now).await? {
                return Err(Refusal::Conflict(
                    "this reply has left the outbox and cannot be sent again".into(),
                )
                .into());
            }
        } else {
            cancelled(&mut message);
            tx.remove_outbox(message.id).await?;
        }
        tx.update_message(&message).await?;
        let delivery = message.delivery.unwrap_or(Delivery::Cancelled);
        let kind = EventKind::ReplyDelivery {
            message_id: message.id,
            delivery,
        };
        tx.insert_events(&[Event {
            case_id: case.map(|c| c.id),
            actor: Some(actor.id),
            at: now,
            kind,
        }])
        .await?;
        tx.commit().await?;
        self.outbox_wake.notify_one();
        Ok(message)
    }
}
