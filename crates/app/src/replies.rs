//! Queueing a reply from Care: checked against the case, the reply-kind table and the platform
//! limits, then stored with its outbox row in the same transaction (PRODUCT.md §5).

use caredesk_domain::case::{validate_text, Act, MAX_NOTE_CHARS};
use caredesk_domain::reply::{plan_reply, ReplyContext, ReplyKind};
use caredesk_domain::*;

use crate::error::{AppResult, FoundOr};
use crate::touch;
use crate::App;
use caredesk_store::Tx;

/// What the composer sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyRequest {
    /// The text.
    pub text: String,
    /// Reply, comment or direct.
    pub kind: ReplyKind,
    /// The message answered.
    pub in_reply_to: Option<MessageId>,
    /// Pending or on hold in the same action.
    pub set_status: Option<CaseStatus>,
}

impl App {
    /// The assignee queues a reply; answers the stored message (delivery `queued`).
    pub async fn queue_reply(
        &self,
        actor: UserId,
        case: CaseId,
        request: ReplyRequest,
        expected_version: Option<i64>,
    ) -> AppResult<Message> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let actor = tx.user(actor).await?.or_not_found()?;
        let mut case = touch::case(self.store.as_ref(), tx.as_mut(), case, now).await?;
        let mut updated = case.clone();
        let kinds = updated.accept_reply(
            Act {
                actor: &actor,
                now,
                expected_version,
            },
            request.set_status,
        )?;
        validate_text("text", &request.text, MAX_NOTE_CHARS)?;
        let target = match request.in_reply_to {
            Some(id) => {
                let target = tx
                    .message(id)
                    .await?
                    .ok_or_else(|| Refusal::invalid("in_reply_to is not a message"))?;
                let in_case = tx.cases_holding(id).await?.iter().any(|c| c.id == case.id);
                if !in_case || target.author == Author::Note {
                    return Err(
                        Refusal::invalid("in_reply_to is not a message of this case").into(),
                    );
                }
                Some(target)
            }
            None => None,
        };
        let anchor = match &target {
            Some(t) => t.clone(),
            None => tx.message(case.escalated_from).await?.or_not_found()?,
        };
        let conversation = tx
            .conversation(anchor.conversation_id.or_not_found()?)
            .await?
            .or_not_found()?;
        let outgoing = Outgoing {
            customer: case.customer_id,
            sender: actor.id,
            conversation: &conversation,
            target: target.as_ref(),
            kind: request.kind,
            text: &request.text,
        };
        let message = queue_outgoing(tx.as_mut(), &outgoing, now).await?;
        tx.add_case_message(case.id, message.id).await?;
        tx.save_cases(&[(&case, &updated)]).await?;
        case = updated;
        let mut events = vec![Event::of_case(
            case.id,
            Some(actor.id),
            now,
            EventKind::ReplyQueued {
                message_id: message.id,
            },
        )];
        events.extend(
            kinds
                .into_iter()
                .map(|k| Event::of_case(case.id, Some(actor.id), now, k)),
        );
        crate::salesforce::record_case_events(tx.as_mut(), &events).await?;
        tx.commit().await?;
        self.outbox_wake.notify_one();
        Ok(message)
    }
}

/// A reply about to be queued, from Care or from Community.
pub(crate) struct Outgoing<'a> {
    /// The customer it goes to.
    pub customer: CustomerId,
    /// Who writes it.
    pub sender: UserId,
    /// The conversation it belongs to.
    pub conversation: &'a Conversation,
    /// The message it answers.
    pub target: Option<&'a Message>,
    /// Reply, comment or direct.
    pub kind: ReplyKind,
    /// The text.
    pub text: &'a str,
}

/// Plans a reply against the network's rules (kinds, windows, limits) and stores it, `queued`,
/// with its outbox row in the caller's unit of work.
pub(crate) async fn queue_outgoing(
    tx: &mut dyn Tx,
    out: &Outgoing<'_>,
    now: Timestamp,
) -> AppResult<Message> {
    let profile = tx
        .profile(out.conversation.profile_id)
        .await?
        .or_not_found()?;
    let last_customer = tx.last_customer_message(out.conversation.id).await?;
    let private_reply_exists = match out.target {
        Some(t) => tx.private_reply_exists(t.id).await?,
        None => false,
    };
    let plan = plan_reply(
        out.kind,
        out.text,
        &ReplyContext {
            network: profile.network,
            conversation: out.conversation.kind,
            root_network_id: &out.conversation.root_network_id,
            target: out.target,
            last_customer_message_at: last_customer.map(|m| m.created_at),
            private_reply_exists,
            now,
        },
    )?;
    let kind = match out.kind {
        ReplyKind::Direct => MessageKind::Direct,
        ReplyKind::Comment => MessageKind::Comment,
        ReplyKind::Reply => MessageKind::Reply,
    };
    let message = tx
        .insert_message(&NewMessage {
            customer_id: Some(out.customer),
            sent_by: Some(out.sender),
            conversation_id: Some(out.conversation.id),
            parent_id: out.target.map(|t| t.id),
            parent_network_id: out.target.and_then(|t| t.network_id.clone()),
            visible_only_to_customer: plan.visible_only_to_customer,
            delivery: Some(Delivery::Queued),
            ..NewMessage::written(profile.id, kind, Author::Brand, out.text, now)
        })
        .await?;
    let channel = serde_json::to_value(&plan.channel)
        .map_err(|e| caredesk_store::StoreError::Other(e.to_string()))?;
    tx.enqueue_outbox(message.id, &channel, now).await?;
    Ok(message)
}
