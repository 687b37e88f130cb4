//! Saving what the look-ups of a pass came to, in one unit of work on the customers' locked
//! rows: each answer put into the details by the domain's rules, the picture queued as a media
//! row of the customer's, the look-up's state, a refused token on the profile's health, and the
//! events that wake the pages showing the customer. When the media worker has kept a picture, [`avatar_kept`] makes
//! it the customer's `avatar_url`, unless an agent set one by hand.

use caredesk_domain::customer::field;
use caredesk_domain::lookup::{self, Lookup, LookupResult};
use caredesk_domain::media::{media_path, Media};
use caredesk_domain::*;
use caredesk_store::ingest::ConversationKey;
use caredesk_store::Tx;

use super::LookedUp;
use crate::error::AppResult;
use crate::App;

/// One customer's answer to save: who, the profile whose token asked, and what came back.
pub(super) type Answer<'p> = (CustomerId, Option<&'p Profile>, LookedUp);

impl App {
    /// Saves the answers of one pass in one unit of work (one commit, however many customers:
    /// SQLite's one writer is shared with ingest), customers locked in id order as ingest locks
    /// them; answers where each look-up stands after it, in the order given, `None` for a
    /// customer who is not there.
    pub(super) async fn save_lookups(
        &self,
        answers: Vec<Answer<'_>>,
    ) -> AppResult<Vec<Option<Lookup>>> {
        let now = self.now();
        let mut order: Vec<usize> = (0..answers.len()).collect();
        order.sort_by_key(|i| answers[*i].0);
        let mut answers: Vec<Option<Answer<'_>>> = answers.into_iter().map(Some).collect();
        let mut after = vec![None; answers.len()];
        let mut tx = self.store().begin().await?;
        for i in order {
            if let Some((id, profile, answer)) = answers[i].take() {
                after[i] = save_one(tx.as_mut(), id, profile, answer, now).await?;
            }
        }
        tx.commit().await?;
        Ok(after)
    }
}

/// Saves `answer` for the customer `id`, asked with `profile`'s token, inside `tx`.
async fn save_one(
    tx: &mut dyn Tx,
    id: CustomerId,
    profile: Option<&Profile>,
    answer: LookedUp,
    now: Timestamp,
) -> AppResult<Option<Lookup>> {
    tx.lock_customer(id).await?;
    let Some(mut customer) = tx.customer(id).await? else {
        return Ok(None);
    };
    let mut changed = Vec::new();
    let result = match answer {
        LookedUp::Found {
            name,
            handle,
            avatar_url,
        } => {
            changed = lookup::apply_answer(&mut customer, &name, &handle);
            if let (Some(url), Some(profile)) = (avatar_url, profile) {
                queue_avatar(tx, &customer, profile, &url, now).await?;
            }
            LookupResult::Answered
        }
        LookedUp::Gone(why) | LookedUp::Refused(why) => LookupResult::GaveUp(why),
        LookedUp::Temporary(why) => LookupResult::Failed(why),
        LookedUp::TokenRejected(why) => {
            if let Some(profile) = profile {
                tx.set_token_rejected(profile.id, Some((now, &why))).await?;
            }
            LookupResult::Failed(why)
        }
    };
    customer.lookup.record(result, now);
    tx.save_lookup(&customer).await?;
    record_change(tx, &customer, changed, now).await?;
    Ok(Some(customer.lookup))
}

/// Queues the download of the customer's picture at `url`, unless an agent set their picture
/// by hand or the same picture is theirs already.
async fn queue_avatar(
    tx: &mut dyn Tx,
    customer: &Customer,
    profile: &Profile,
    url: &str,
    now: Timestamp,
) -> AppResult<()> {
    if url.trim().is_empty() || !lookup::wants_avatar(customer) {
        return Ok(());
    }
    let newest = tx.newest_avatar(customer.id).await?;
    if newest.is_some_and(|m| {
        m.network_url.as_deref() == Some(url) && m.state != MediaState::Unavailable
    }) {
        return Ok(());
    }
    tx.queue_avatar(customer.id, profile.id, url, now).await?;
    Ok(())
}

/// Makes a kept picture the customer's `avatar_url` (the desk's copy), unless an agent set
/// their picture by hand or a newer picture is on its way; with its events.
pub(crate) async fn avatar_kept(tx: &mut dyn Tx, media: &Media, now: Timestamp) -> AppResult<()> {
    let Some(id) = media.customer_id else {
        return Ok(());
    };
    if media.state != MediaState::Stored {
        return Ok(());
    }
    tx.lock_customer(id).await?;
    let Some(mut customer) = tx.customer(id).await? else {
        return Ok(());
    };
    let newest = tx.newest_avatar(id).await?.map(|m| m.id);
    let path = media_path(media.id);
    if !lookup::wants_avatar(&customer)
        || newest != Some(media.id)
        || customer.details.avatar_url == path
    {
        return Ok(());
    }
    customer.details.avatar_url = path;
    tx.update_customer(&customer).await?;
    record_change(tx, &customer, vec![field::AVATAR_URL], now).await
}

/// Records that the network changed the customer's `fields`: a `customer_edited` event by no one
/// on each of their active cases (or on none), and an `item_changed` on their DM thread's item
/// with the profile that asked, so the open pages show the new details.
async fn record_change(
    tx: &mut dyn Tx,
    customer: &Customer,
    fields: Vec<&'static str>,
    now: Timestamp,
) -> AppResult<()> {
    if fields.is_empty() {
        return Ok(());
    }
    let kind = EventKind::CustomerEdited {
        customer_id: customer.id,
        fields: fields.into_iter().map(str::to_owned).collect(),
    };
    let cases: Vec<CaseId> = tx
        .active_cases_of(&[customer.id])
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let mut events = Event::on_cases_or_log(&cases, now, kind);
    if let Some(profile) = customer.lookup.profile_id {
        let key = ConversationKey {
            profile,
            customer: customer.id,
            kind: ConversationKind::Dm,
            root_network_id: String::new(),
        };
        let dms: Vec<ConversationId> = tx
            .conversations_by_keys(&[key])
            .await?
            .iter()
            .map(|c| c.id)
            .collect();
        if !dms.is_empty() {
            events.extend(
                tx.dm_thread_items(&dms)
                    .await?
                    .into_iter()
                    .map(|(item, _)| Event {
                        case_id: None,
                        actor: None,
                        at: now,
                        kind: EventKind::ItemChanged {
                            item_id: item.id,
                            profile_id: item.profile_id,
                        },
                    }),
            );
        }
    }
    tx.insert_events(&events).await?;
    Ok(())
}
