//! Routing one update inside the unit of work (PRODUCT.md §4). Where a customer's message goes
//! is the domain's decision (`routing::route_customer_message`): a message seen before is
//! known (its redelivery edits it, nothing is created), a new one joins the customer's active
//! case or lands in Community. The brand's messages are known the same way; a new one confirms
//! our reply it echoes or joins its conversation (`brand`). An edit changes a message seen
//! before; one for an id never seen is ignored.

use caredesk_domain::routing::{apply_edit, route_customer_message, MessageEdit, Route};
use caredesk_domain::*;
use caredesk_store::Tx;

use super::work::{conversation_key, Work};
use super::{brand, InboundAuthor, IngestOutcome, NetworkMessage};
use crate::error::{AppResult, FoundOr};

/// Routes one message that reached `profile`.
pub(super) async fn message(
    work: &mut Work,
    profile: &Profile,
    inbound: &NetworkMessage,
    now: Timestamp,
) -> AppResult<IngestOutcome> {
    if inbound.network_id.trim().is_empty() {
        return Err(Refusal::invalid("a message needs its network id").into());
    }
    let (customer, is_brand) = match &inbound.author {
        InboundAuthor::Customer {
            network_user_id, ..
        } => (
            customer_for(work, profile.network, network_user_id, &inbound.author).await?,
            false,
        ),
        InboundAuthor::Brand {
            customer_network_user_id,
        } => (
            customer_for(
                work,
                profile.network,
                customer_network_user_id,
                &inbound.author,
            )
            .await?,
            true,
        ),
        InboundAuthor::BrandInThread => {
            match brand::answered_customer(work, profile, inbound).await? {
                Some(customer) => (customer, true),
                None => return Ok(IngestOutcome::Unrelated),
            }
        }
    };
    // The customer's lock comes first, so two deliveries of the same message (or two messages
    // of one customer) on different nodes are routed one after the other.
    work.lock_customer(customer.id).await?;
    let known = work
        .message(profile.id, &inbound.network_id, Some(customer.id))
        .await?;
    // Only a new customer message needs the active case (the brand's go where what they answer
    // is).
    let active = match (&known, is_brand) {
        (None, false) => work.active_case(customer.id, profile.id, now).await?,
        _ => None,
    };
    match route_customer_message(known.is_some(), active.as_ref(), now) {
        Route::Known => {
            // A redelivery carries the current text; hiding arrives as its own change, so a
            // redelivery never unhides.
            let edit = MessageEdit {
                text: Some(inbound.text.clone()),
                hidden: inbound.hidden.then_some(true),
                deleted: None,
            };
            let mut known = known.or_not_found()?;
            edit_stored(work, &mut known, &edit, now).await?;
            Ok(IngestOutcome::Known(known.id))
        }
        _ if is_brand => brand::receive(work, profile, &customer, inbound, now).await,
        Route::JoinCase => {
            let mut case = active.or_not_found()?;
            let (message, conversation) = store_new(work, profile, &customer, inbound, now).await?;
            let assignee_active = match case.assignee_id {
                Some(id) => work.user_active(id).await?,
                None => false,
            };
            let as_read = case.clone();
            let kinds = case.receive_customer_message(message.id, now, assignee_active);
            work.save_case(&as_read, &case);
            work.add_case_message(case.id, message.id);
            let events = kinds
                .into_iter()
                .map(|k| Event::of_case(case.id, None, now, k))
                .collect();
            work.record_case_events(&case, events).await?;
            community_item_for(work, &message, &conversation, false, now).await?;
            Ok(IngestOutcome::JoinedCase {
                message: message.id,
                case: case.id,
            })
        }
        Route::Community => {
            let (message, conversation) = store_new(work, profile, &customer, inbound, now).await?;
            let newest = work.newest_case(customer.id, profile.id).await?;
            let last_spam = routing::last_case_was_spam(newest.as_ref());
            let item = community_item_for(work, &message, &conversation, last_spam, now).await?;
            let kind = EventKind::ItemChanged {
                item_id: item,
                profile_id: profile.id,
            };
            work.record_events([Event {
                case_id: None,
                actor: None,
                at: now,
                kind,
            }]);
            Ok(IngestOutcome::Community {
                message: message.id,
                item,
            })
        }
    }
}

/// Applies an edit, hide/unhide or delete the network reports for a message of `profile`;
/// answers the message, or `None` for an id never seen (ignored).
pub(super) async fn edit(
    work: &mut Work,
    profile: &Profile,
    network_id: &str,
    edit: &MessageEdit,
    now: Timestamp,
) -> AppResult<Option<MessageId>> {
    let Some(mut message) = work.message(profile.id, network_id, None).await? else {
        return Ok(None);
    };
    if let Some(customer) = message.customer_id {
        work.lock_customer(customer).await?;
    }
    edit_stored(work, &mut message, edit, now).await?;
    Ok(Some(message.id))
}

/// Stores a new message of `customer` in its conversation (found or started).
pub(super) async fn store_new(
    work: &mut Work,
    profile: &Profile,
    customer: &Customer,
    inbound: &NetworkMessage,
    now: Timestamp,
) -> AppResult<(Message, Conversation)> {
    let conversation = work
        .conversation(conversation_key(profile, customer.id, inbound))
        .await?;
    let parent = match &inbound.parent_network_id {
        Some(id) => work.message(profile.id, id, None).await?,
        None => None,
    };
    let is_brand = !matches!(inbound.author, InboundAuthor::Customer { .. });
    let author = if is_brand {
        Author::Brand
    } else {
        work.queue_lookup(profile, customer, inbound.kind, now);
        Author::Customer
    };
    let message = work
        .insert_message(NewMessage {
            network_id: Some(inbound.network_id.clone()),
            customer_id: Some(customer.id),
            conversation_id: Some(conversation.id),
            parent_id: parent.as_ref().map(|p| p.id),
            parent_network_id: inbound.parent_network_id.clone(),
            attachments: inbound.attachments.clone(),
            created_at: inbound.created_at,
            hidden: inbound.hidden,
            standby: inbound.standby,
            ..NewMessage::written(profile.id, inbound.kind, author, inbound.text.clone(), now)
        })
        .await?;
    Ok((message, conversation))
}

/// Applies `edit` to a stored message, recording its events on every case that holds it.
async fn edit_stored(
    work: &mut Work,
    message: &mut Message,
    edit: &MessageEdit,
    now: Timestamp,
) -> AppResult<()> {
    let kinds = apply_edit(message, edit, now);
    if !kinds.is_empty() {
        write_edit(work.settled().await?, message, kinds, now).await?;
    }
    work.stored_message(message);
    Ok(())
}

async fn write_edit(
    tx: &mut dyn Tx,
    message: &Message,
    kinds: Vec<EventKind>,
    now: Timestamp,
) -> AppResult<()> {
    tx.update_message(message).await?;
    let holders = tx.cases_holding(message.id).await?;
    let mut events = Vec::new();
    for kind in kinds {
        if holders.is_empty() {
            events.push(Event {
                case_id: None,
                actor: None,
                at: now,
                kind: kind.clone(),
            });
        }
        events.extend(
            holders
                .iter()
                .map(|c| Event::of_case(c.id, None, now, kind.clone())),
        );
    }
    tx.insert_events(&events).await?;
    Ok(())
}

async fn customer_for(
    work: &mut Work,
    network: Network,
    uid: &str,
    author: &InboundAuthor,
) -> AppResult<Customer> {
    if uid.trim().is_empty() {
        return Err(Refusal::invalid("a message needs its customer's network id").into());
    }
    let details = || match author {
        InboundAuthor::Customer {
            display_name,
            handle,
            ..
        } => CustomerDetails {
            display_name: display_name.clone(),
            handle: handle.clone(),
            ..CustomerDetails::default()
        },
        InboundAuthor::Brand { .. } | InboundAuthor::BrandInThread => CustomerDetails::default(),
    };
    work.customer(network, uid, details).await
}

/// One item per public message; a DM updates the thread's item (status back to none).
async fn community_item_for(
    work: &mut Work,
    message: &Message,
    conversation: &Conversation,
    customer_last_case_spam: bool,
    now: Timestamp,
) -> AppResult<CommunityItemId> {
    if conversation.kind == ConversationKind::Dm {
        if let Some(mut item) = work.dm_thread_item(conversation.id).await? {
            let newest = work.newest_in_thread(&item, message).await?;
            item.receive_direct_message(message.id, newest, now);
            item.customer_last_case_spam = customer_last_case_spam;
            work.update_item(&item);
            return Ok(item.id);
        }
    }
    let kind = if conversation.kind == ConversationKind::Dm {
        ItemKind::DmThread
    } else {
        ItemKind::Message
    };
    let item = work
        .insert_item(NewItem {
            profile_id: message.profile_id,
            customer_id: conversation.customer_id,
            kind,
            message_id: message.id,
            conversation_id: conversation.id,
            created_at: now,
            customer_last_case_spam,
        })
        .await?;
    if kind == ItemKind::DmThread {
        work.shows(item.id, message.created_at);
    }
    Ok(item.id)
}
