//! Escalating a community item to Care: a new case, or the customer's active case on that
//! profile takes the message (PRODUCT.md §3).

use caredesk_domain::escalation::{check_escalation, open_case, EscalationRequest};
use caredesk_domain::*;
use caredesk_store::Tx;

use crate::error::{AppResult, FoundOr};
use crate::touch;
use crate::App;

/// What an escalation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EscalationOutcome {
    /// A new case was opened (201).
    Created,
    /// The customer's active case took the message (200, `appended: true`).
    Appended,
    /// The item was already held by an active case; nothing changed (200).
    AlreadyEscalated,
}

/// The case an escalation ended in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escalation {
    /// The case.
    pub case: Case,
    /// What happened.
    pub outcome: EscalationOutcome,
}

impl App {
    /// Escalates a community item.
    pub async fn escalate(
        &self,
        actor: UserId,
        item: CommunityItemId,
        request: EscalationRequest,
    ) -> AppResult<Escalation> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let actor = tx.user(actor).await?.or_not_found()?;
        let item = tx.community_item(item).await?.or_not_found()?;
        policy::require_profile_member(&actor, item.profile_id)?;
        let message = tx.message(item.message_id).await?.or_not_found()?;
        tx.lock_customer(item.customer_id).await?;
        if let Some(case) = touch::case_in_progress_holding(tx.as_mut(), message.id).await? {
            return Ok(Escalation {
                case,
                outcome: EscalationOutcome::AlreadyEscalated,
            });
        }
        check_escalation(&actor, &message, &request.note)?;
        let escalation =
            match touch::active_case(tx.as_mut(), item.customer_id, item.profile_id, now).await? {
                Some(case) => {
                    append(tx.as_mut(), &actor, case, &message, &request.note, now).await?
                }
                None => create(tx.as_mut(), &actor, &item, &message, &request, now).await?,
            };
        tx.commit().await?;
        Ok(escalation)
    }
}

async fn append(
    tx: &mut dyn Tx,
    actor: &User,
    mut case: Case,
    message: &Message,
    note: &str,
    now: Timestamp,
) -> AppResult<Escalation> {
    let assignee_active = touch::assignee_active(tx, &case).await?;
    let as_read = case.clone();
    let kinds = case.append_escalation(message.id, message.received_at, note, assignee_active);
    tx.add_case_message(case.id, message.id).await?;
    let mut events: Vec<Event> = kinds
        .into_iter()
        .map(|k| Event::of_case(case.id, Some(actor.id), now, k))
        .collect();
    if !note.trim().is_empty() {
        let note_id = insert_note(tx, actor, &case, note, now).await?;
        events.push(Event::of_case(
            case.id,
            Some(actor.id),
            now,
            EventKind::NoteAdded {
                message_id: note_id,
            },
        ));
    }
    crate::case_save::save_case(tx, &as_read, &case, now).await?;
    crate::salesforce::record_case_events(tx, &events).await?;
    crate::notifications::of_case_events(tx, &case, &events).await?;
    Ok(Escalation {
        case,
        outcome: EscalationOutcome::Appended,
    })
}

async fn create(
    tx: &mut dyn Tx,
    actor: &User,
    item: &CommunityItem,
    message: &Message,
    request: &EscalationRequest,
    now: Timestamp,
) -> AppResult<Escalation> {
    let assignee = match request.assignee_id {
        Some(id) => tx.user(id).await?,
        None => None,
    };
    let fields = tx.case_fields().await?;
    let previous = tx.newest_case(item.customer_id, item.profile_id).await?;
    let last_customer = tx.last_customer_message(item.conversation_id).await?;
    let new = open_case(
        actor,
        message,
        item.customer_id,
        request,
        assignee.as_ref(),
        &fields,
        previous.map(|c| c.id),
        Some(last_customer.map_or(message.received_at, |m| {
            m.received_at.max(message.received_at)
        })),
        now,
    )?;
    let candidates = crate::auto_assign::before_opening(tx, &new, now).await?;
    let case = tx.insert_case(&new).await?;
    crate::sla::timers::escalated(tx, &case, now).await?;
    tx.add_conversation_to_case(case.id, item.conversation_id)
        .await?;
    tx.add_case_message(case.id, message.id).await?;
    if !request.note.trim().is_empty() {
        insert_note(tx, actor, &case, &request.note, now).await?;
    }
    let events: Vec<Event> = new
        .opening_events()
        .into_iter()
        .map(|k| Event::of_case(case.id, Some(actor.id), now, k))
        .collect();
    crate::salesforce::record_case_events(tx, &events).await?;
    crate::notifications::of_case_events(tx, &case, &events).await?;
    let case = crate::auto_assign::opened(tx, case, candidates, now).await?;
    Ok(Escalation {
        case,
        outcome: EscalationOutcome::Created,
    })
}

/// Stores an internal note of a case and adds it to the case's messages.
pub(crate) async fn insert_note(
    tx: &mut dyn Tx,
    actor: &User,
    case: &Case,
    text: &str,
    now: Timestamp,
) -> AppResult<MessageId> {
    let note = tx
        .insert_message(&NewMessage::note(
            case.profile_id,
            case.customer_id,
            actor.id,
            text,
            now,
        ))
        .await?;
    tx.add_case_message(case.id, note.id).await?;
    Ok(note.id)
}
