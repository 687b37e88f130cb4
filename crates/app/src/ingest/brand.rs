//! The brand's own messages (PRODUCT.md §4): echoes of our sends and replies made on the
//! network directly. An echo of a reply not yet confirmed confirms it; any other brand message
//! joins its conversation, and the case that holds the message it answers, and creates no item.

use caredesk_domain::*;
use caredesk_store::Tx;

use super::route::store_new;
use super::work::Work;
use super::{IngestOutcome, NetworkMessage};
use crate::error::AppResult;
use crate::outbox::delivery_event;
use crate::touch;

/// Routes a brand message to `customer` not seen before.
pub(super) async fn receive(
    work: &mut Work,
    profile: &Profile,
    customer: &Customer,
    inbound: &NetworkMessage,
    now: Timestamp,
) -> AppResult<IngestOutcome> {
    let echo = confirm_echo(work.settled().await?, profile, customer.id, inbound, now);
    if let Some(reply) = echo.await? {
        work.stored_message(&reply);
        return Ok(IngestOutcome::Confirmed(reply.id));
    }
    let (message, conversation) = store_new(work, profile, customer, inbound, now).await?;
    let joined = join_case(work.settled().await?, &message, &conversation, now).await?;
    if let Some(case) = &joined {
        work.stored_case(case);
    }
    Ok(IngestOutcome::Brand {
        message: message.id,
        case: joined.map(|c| c.id),
    })
}

/// The customer a public brand answer is for: the author of the message it answers.
pub(super) async fn answered_customer(
    work: &mut Work,
    profile: &Profile,
    inbound: &NetworkMessage,
) -> AppResult<Option<Customer>> {
    let Some(parent) = &inbound.parent_network_id else {
        return Ok(None);
    };
    let Some(answered) = work.message(profile.id, parent, None).await? else {
        return Ok(None);
    };
    match answered.customer_id {
        Some(id) => work.customer_by_id(id).await,
        None => Ok(None),
    }
}

/// An echo of one of our replies that the network has not named yet confirms it: the reply is
/// sent and takes the echo's id; its outbox row goes, so it is never sent again.
async fn confirm_echo(
    tx: &mut dyn Tx,
    profile: &Profile,
    customer: CustomerId,
    echo: &NetworkMessage,
    now: Timestamp,
) -> AppResult<Option<Message>> {
    let candidates = tx.unconfirmed_replies(profile.id, customer).await?;
    let Some(mut reply) = candidates
        .into_iter()
        .find(|r| delivery::echo_confirms(r, &echo.text))
    else {
        return Ok(None);
    };
    delivery::confirm_by_echo(&mut reply, &echo.network_id);
    tx.update_message(&reply).await?;
    tx.remove_outbox(reply.id).await?;
    tx.set_token_rejected(profile.id, None).await?;
    delivery_event(tx, &reply, now).await?;
    Ok(Some(reply))
}

/// The case a brand message joins, when it answers a message of a case in progress: the case
/// that holds its parent; in a DM thread, the case that holds the thread's latest customer
/// message.
async fn join_case(
    tx: &mut dyn Tx,
    message: &Message,
    conversation: &Conversation,
    now: Timestamp,
) -> AppResult<Option<Case>> {
    let answered = match (message.parent_id, conversation.kind) {
        (Some(parent), _) => Some(parent),
        (None, ConversationKind::Dm) => tx
            .last_customer_message(conversation.id)
            .await?
            .map(|m| m.id),
        (None, ConversationKind::Thread) => None,
    };
    let holder = match answered {
        Some(id) => touch::case_in_progress_holding(tx, id).await?,
        None => None,
    };
    let Some(mut case) = holder else {
        return Ok(None);
    };
    let as_read = case.clone();
    case.record_joined_message();
    tx.save_cases(&[(&as_read, &case)]).await?;
    tx.add_case_message(case.id, message.id).await?;
    tx.insert_events(&[Event::of_case(
        case.id,
        None,
        now,
        EventKind::BrandMessageReceived {
            message_id: message.id,
        },
    )])
    .await?;
    Ok(Some(case))
}
