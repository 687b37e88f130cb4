//! Ingesting what the networks deliver (PRODUCT.md §4): new customer messages are routed to the
//! active case or to Community, redeliveries and edits change only the stored message, brand
//! messages join their conversation (and the case, when they answer one of its messages).
//!
//! A batch of deliveries reads what routing needs once for the whole batch ([`Lookups`]).

mod lookups;
mod pending;

pub(crate) use lookups::Lookups;

use caredesk_domain::routing::{apply_edit, route_customer_message, MessageEdit, Route};
use caredesk_domain::*;
use caredesk_store::Tx;

use crate::error::{AppResult, FoundOr};
use crate::outbox::delivery_event;
use crate::touch;
use crate::App;

/// Who wrote an inbound message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InboundAuthor {
    /// A customer, as the network describes them.
    Customer {
        /// The network's user id.
        network_user_id: String,
        /// Their name.
        display_name: String,
        /// Their handle.
        handle: String,
    },
    /// The brand itself (an echo of our send, or a reply made on the network directly), to
    /// the customer with this network user id.
    Brand {
        /// The customer the message is addressed to.
        customer_network_user_id: String,
    },
    /// The brand answering in public without naming the customer (a Page's or Instagram
    /// account's own comment): the customer is the author of the message it answers.
    BrandInThread,
}

/// A message as the network delivered it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundMessage {
    /// The profile it reached.
    pub profile_id: ProfileId,
    /// The network's id of the message.
    pub network_id: String,
    /// Post, comment, reply, mention or direct.
    pub kind: MessageKind,
    /// Who wrote it.
    pub author: InboundAuthor,
    /// The network id of what it answers.
    pub parent_network_id: Option<String>,
    /// For public messages, the post it hangs under (its own id for a post or mention).
    pub root_network_id: Option<String>,
    /// The text.
    pub text: String,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// The network's creation time.
    pub created_at: Timestamp,
    /// Hidden on arrival.
    pub hidden: bool,
}

impl InboundMessage {
    /// The network user id of the customer the message is from or to, when it names one (the
    /// brand's public answers name none).
    pub fn customer_user_id(&self) -> Option<&str> {
        match &self.author {
            InboundAuthor::Customer {
                network_user_id, ..
            } => Some(network_user_id),
            InboundAuthor::Brand {
                customer_network_user_id,
            } => Some(customer_network_user_id),
            InboundAuthor::BrandInThread => None,
        }
    }
}

/// What ingesting did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Seen before: edits applied, nothing created.
    Known(MessageId),
    /// Joined the active case.
    JoinedCase { message: MessageId, case: CaseId },
    /// Became or updated a community item.
    Community {
        message: MessageId,
        item: CommunityItemId,
    },
    /// The network's echo of a reply we sent: the reply is confirmed as sent, nothing new is
    /// stored.
    Confirmed(MessageId),
    /// A brand comment that answers no message we know: nothing to track, nothing stored.
    Unrelated,
    /// A brand message stored in its conversation (and case, when it answers one).
    Brand {
        message: MessageId,
        case: Option<CaseId>,
    },
}

impl App {
    /// Ingests one delivered message in its own unit of work.
    pub async fn ingest(&self, inbound: InboundMessage) -> AppResult<IngestOutcome> {
        let mut tx = self.store.begin().await?;
        let profile = tx.profile(inbound.profile_id).await?.or_not_found()?;
        let mut lookups = Lookups::default();
        let outcome = ingest_in(tx.as_mut(), &mut lookups, &profile, &inbound, self.now()).await?;
        lookups.flush(tx.as_mut()).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Applies an edit, hide/unhide or delete reported by the network; ids never seen are
    /// ignored (`None`).
    pub async fn ingest_edit(
        &self,
        profile: ProfileId,
        network_id: &str,
        edit: MessageEdit,
    ) -> AppResult<Option<MessageId>> {
        let mut tx = self.store.begin().await?;
        let Some(mut message) = tx.message_by_network_id(profile, network_id).await? else {
            return Ok(None);
        };
        if let Some(customer) = message.customer_id {
            tx.lock_customer(customer).await?;
        }
        apply_edit_in(tx.as_mut(), &mut message, &edit, self.now()).await?;
        tx.commit().await?;
        Ok(Some(message.id))
    }
}

pub(crate) async fn apply_edit_in(
    tx: &mut dyn Tx,
    message: &mut Message,
    edit: &MessageEdit,
    now: Timestamp,
) -> AppResult<()> {
    let kinds = apply_edit(message, edit, now);
    if kinds.is_empty() {
        return Ok(());
    }
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

/// Routes one inbound message to `profile` inside an open unit of work (deliveries of many
/// messages share one, and its [`Lookups`]).
pub(crate) async fn ingest_in(
    tx: &mut dyn Tx,
    lookups: &mut Lookups,
    profile: &Profile,
    inbound: &InboundMessage,
    now: Timestamp,
) -> AppResult<IngestOutcome> {
    if inbound.network_id.trim().is_empty() {
        return Err(Refusal::invalid("a message needs its network id").into());
    }
    let (customer, is_brand) = match &inbound.author {
        InboundAuthor::Customer {
            network_user_id, ..
        } => (
            customer_for(
                tx,
                lookups,
                profile.network,
                network_user_id,
                &inbound.author,
            )
            .await?,
            false,
        ),
        InboundAuthor::Brand {
            customer_network_user_id,
        } => (
            customer_for(
                tx,
                lookups,
                profile.network,
                customer_network_user_id,
                &inbound.author,
            )
            .await?,
            true,
        ),
        InboundAuthor::BrandInThread => {
            match answered_customer(tx, lookups, profile, inbound).await? {
                Some(customer) => (customer, true),
                None => return Ok(IngestOutcome::Unrelated),
            }
        }
    };
    // The customer's lock comes first, so two deliveries of the same message (or two messages
    // of one customer) on different nodes are routed one after the other.
    lookups.lock_customer(tx, customer.id).await?;
    if let Some(mut known) = lookups
        .message(tx, profile.id, &inbound.network_id, Some(customer.id))
        .await?
    {
        // A redelivery carries the current text; hiding arrives as its own change, so a
        // redelivery never unhides.
        let edit = MessageEdit {
            text: Some(inbound.text.clone()),
            hidden: inbound.hidden.then_some(true),
            deleted: None,
        };
        // Edits read and write the database: what waits goes first.
        lookups.flush(tx).await?;
        apply_edit_in(tx, &mut known, &edit, now).await?;
        lookups.stored_message(&known);
        return Ok(IngestOutcome::Known(known.id));
    }
    if is_brand {
        lookups.flush(tx).await?;
        if let Some(reply) = confirm_echo(tx, profile, customer.id, inbound, now).await? {
            lookups.stored_message(&reply);
            return Ok(IngestOutcome::Confirmed(reply.id));
        }
    }
    let conversation = lookups
        .conversation(tx, lookups::conversation_key(profile, customer.id, inbound))
        .await?;
    let parent = match &inbound.parent_network_id {
        Some(id) => lookups.message(tx, profile.id, id, None).await?,
        None => None,
    };
    let message = lookups
        .insert_message(
            tx,
            Message {
                id: MessageId(0),
                profile_id: profile.id,
                network_id: Some(inbound.network_id.clone()),
                kind: inbound.kind,
                author: if is_brand {
                    Author::Brand
                } else {
                    Author::Customer
                },
                customer_id: Some(customer.id),
                sent_by: None,
                conversation_id: Some(conversation.id),
                parent_id: parent.as_ref().map(|p| p.id),
                parent_network_id: inbound.parent_network_id.clone(),
                text: inbound.text.clone(),
                attachments: inbound.attachments.clone(),
                created_at: inbound.created_at,
                received_at: now,
                edited_at: None,
                hidden: inbound.hidden,
                deleted: false,
                visible_only_to_customer: false,
                delivery: None,
                error: None,
            },
        )
        .await?;
    if is_brand {
        // The brand's messages read the database to find the case they answer.
        lookups.flush(tx).await?;
        return brand_joins(tx, lookups, &message, parent.as_ref(), &conversation, now).await;
    }
    let active = lookups
        .active_case(tx, customer.id, profile.id, now)
        .await?;
    match route_customer_message(false, active.as_ref(), now) {
        Route::JoinCase => {
            let mut case = active.or_not_found()?;
            let assignee_active = match case.assignee_id {
                Some(id) => lookups.user_active(tx, id).await?,
                None => false,
            };
            let fields_before = case.fields.clone();
            let kinds = case.receive_customer_message(message.id, now, assignee_active);
            lookups
                .save_case(tx, &case, case.fields != fields_before)
                .await?;
            lookups.add_case_message(case.id, message.id);
            let events: Vec<Event> = kinds
                .into_iter()
                .map(|k| Event::of_case(case.id, None, now, k))
                .collect();
            crate::salesforce::queue_syncs_for(tx, &events).await?;
            lookups.record_events(events);
            community_item_for(tx, lookups, &message, &conversation, false, now).await?;
            Ok(IngestOutcome::JoinedCase {
                message: message.id,
                case: case.id,
            })
        }
        Route::Community | Route::Known => {
            let newest = lookups.newest_case(tx, customer.id, profile.id).await?;
            let last_spam = routing::last_case_was_spam(newest.as_ref());
            let item =
                community_item_for(tx, lookups, &message, &conversation, last_spam, now).await?;
            let kind = EventKind::ItemChanged {
                item_id: item,
                profile_id: profile.id,
            };
            lookups.record_events([Event {
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

/// An echo of one of our replies that the network has not named yet confirms it: the reply is
/// sent and takes the echo's id; its outbox row goes, so it is never sent again.
async fn confirm_echo(
    tx: &mut dyn Tx,
    profile: &Profile,
    customer: CustomerId,
    echo: &InboundMessage,
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

/// The customer a public brand answer is for: the author of the message it answers.
async fn answered_customer(
    tx: &mut dyn Tx,
    lookups: &mut Lookups,
    profile: &Profile,
    inbound: &InboundMessage,
) -> AppResult<Option<Customer>> {
    let Some(parent) = &inbound.parent_network_id else {
        return Ok(None);
    };
    let Some(answered) = lookups.message(tx, profile.id, parent, None).await? else {
        return Ok(None);
    };
    match answered.customer_id {
        Some(id) => Ok(tx.customer(id).await?),
        None => Ok(None),
    }
}

async fn customer_for(
    tx: &mut dyn Tx,
    lookups: &mut Lookups,
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
    lookups.customer(tx, network, uid, details).await
}

/// One item per public message; a DM updates the thread's item (status back to none).
async fn community_item_for(
    tx: &mut dyn Tx,
    lookups: &mut Lookups,
    message: &Message,
    conversation: &Conversation,
    customer_last_case_spam: bool,
    now: Timestamp,
) -> AppResult<CommunityItemId> {
    if conversation.kind == ConversationKind::Dm {
        if let Some(mut item) = lookups.dm_thread_item(tx, conversation.id).await? {
            item.receive_direct_message(message.id, now);
            item.customer_last_case_spam = customer_last_case_spam;
            lookups.update_item(&item);
            return Ok(item.id);
        }
    }
    let kind = if conversation.kind == ConversationKind::Dm {
        ItemKind::DmThread
    } else {
        ItemKind::Message
    };
    let item = lookups
        .insert_item(
            tx,
            CommunityItem {
                id: CommunityItemId(0),
                profile_id: message.profile_id,
                customer_id: conversation.customer_id,
                kind,
                message_id: message.id,
                conversation_id: conversation.id,
                status: CommunityStatus::None,
                labels: Default::default(),
                created_at: now,
                updated_at: now,
                customer_last_case_spam,
            },
        )
        .await?;
    Ok(item.id)
}

async fn brand_joins(
    tx: &mut dyn Tx,
    lookups: &mut Lookups,
    message: &Message,
    parent: Option<&Message>,
    conversation: &Conversation,
    now: Timestamp,
) -> AppResult<IngestOutcome> {
    // A brand message answers the case that holds its parent; in a DM thread, the case that
    // holds the thread's latest customer message.
    let answered = match (parent, conversation.kind) {
        (Some(p), _) => Some(p.id),
        (None, ConversationKind::Dm) => tx
            .last_customer_message(conversation.id)
            .await?
            .map(|m| m.id),
        (None, ConversationKind::Thread) => None,
    };
    // A brand message joins the case only when it answers a message of the case.
    let holder = match answered {
        Some(id) => touch::case_in_progress_holding(tx, id).await?,
        None => None,
    };
    let Some(mut case) = holder else {
        return Ok(IngestOutcome::Brand {
            message: message.id,
            case: None,
        });
    };
    case.record_joined_message();
    tx.update_case(&case).await?;
    lookups.stored_case(&case);
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
    Ok(IngestOutcome::Brand {
        message: message.id,
        case: Some(case.id),
    })
}
