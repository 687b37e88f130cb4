//! The rows a unit of work of ingest has created or changed but not written yet, and the ids
//! reserved for the rows it creates: routing a batch holds them here, and [`PendingWrites::flush`]
//! writes them with one statement per kind of row, parents before what refers to them.

use std::collections::BTreeMap;

use caredesk_domain::*;
use caredesk_store::ingest::ReservedIds;
use caredesk_store::{StoreError, Tx};

use crate::error::AppResult;

fn none_reserved() -> StoreError {
    StoreError::Other("the store reserved no id".into())
}

/// Writes waiting for the next flush, and ids reserved for new rows.
#[derive(Debug, Default)]
pub(crate) struct PendingWrites {
    messages: Vec<Message>,
    new_items: BTreeMap<CommunityItemId, CommunityItem>,
    changed_items: BTreeMap<CommunityItemId, CommunityItem>,
    /// Each case as it was read and as it is now.
    cases: BTreeMap<CaseId, (Case, Case)>,
    case_messages: Vec<(CaseId, MessageId)>,
    events: Vec<Event>,
    /// Customers to look up, each with the profile whose token asks, by the time they were
    /// queued at.
    lookups: BTreeMap<Timestamp, Vec<(CustomerId, ProfileId)>>,
    /// Reserved ids not taken yet, the next one last.
    free_message_ids: Vec<MessageId>,
    free_item_ids: Vec<CommunityItemId>,
}

impl PendingWrites {
    /// The message of this id that waits to be written, if one does.
    pub(crate) fn message(&self, id: MessageId) -> Option<&Message> {
        self.messages.iter().find(|m| m.id == id)
    }

    /// Whether a case's state waits to be written.
    pub(crate) fn holds_cases(&self) -> bool {
        !self.cases.is_empty()
    }

    /// Takes `message` for insertion with a reserved id (reserving `reserve` more when none is
    /// left) and answers it with its id.
    pub(crate) async fn insert_message(
        &mut self,
        tx: &mut dyn Tx,
        message: NewMessage,
        reserve: usize,
    ) -> AppResult<Message> {
        if self.free_message_ids.is_empty() {
            self.reserve(tx, reserve).await?;
        }
        let id = self.free_message_ids.pop().ok_or_else(none_reserved)?;
        let message = message.stored_as(id);
        self.messages.push(message.clone());
        Ok(message)
    }

    /// Takes `item` for insertion with a reserved id and answers it with its id.
    pub(crate) async fn insert_item(
        &mut self,
        tx: &mut dyn Tx,
        item: NewItem,
        reserve: usize,
    ) -> AppResult<CommunityItem> {
        if self.free_item_ids.is_empty() {
            self.reserve(tx, reserve).await?;
        }
        let id = self.free_item_ids.pop().ok_or_else(none_reserved)?;
        let item = item.stored_as(id);
        self.new_items.insert(id, item.clone());
        Ok(item)
    }

    /// Takes the new state of an item (one not written yet stays an insertion).
    pub(crate) fn update_item(&mut self, item: &CommunityItem) {
        match self.new_items.get_mut(&item.id) {
            Some(new) => *new = item.clone(),
            None => {
                self.changed_items.insert(item.id, item.clone());
            }
        }
    }

    /// Takes the new state of a case read as `as_read` (the first reading is kept when a case
    /// changes twice before a flush).
    pub(crate) fn save_case(&mut self, as_read: &Case, case: &Case) {
        self.cases
            .entry(case.id)
            .and_modify(|(_, now)| *now = case.clone())
            .or_insert_with(|| (as_read.clone(), case.clone()));
    }

    /// Takes a message joining a case.
    pub(crate) fn add_case_message(&mut self, case: CaseId, message: MessageId) {
        self.case_messages.push((case, message));
    }

    /// Takes a look-up of `customer` with `profile`'s token, due at `now`.
    pub(crate) fn queue_lookup(
        &mut self,
        customer: CustomerId,
        profile: ProfileId,
        now: Timestamp,
    ) {
        self.lookups
            .entry(now)
            .or_default()
            .push((customer, profile));
    }

    /// Takes events, kept in their order.
    pub(crate) fn record_events(&mut self, events: impl IntoIterator<Item = Event>) {
        self.events.extend(events);
    }

    /// Reserves ids for `n` messages and `n` items. What waits is written first: on SQLite
    /// the reservation starts after the largest id written.
    async fn reserve(&mut self, tx: &mut dyn Tx, n: usize) -> AppResult<()> {
        self.flush(tx).await?;
        let n = n.max(1);
        let ReservedIds { messages, items } = tx.reserve_ids(n, n).await?;
        self.free_message_ids = messages.into_iter().rev().collect();
        self.free_item_ids = items.into_iter().rev().collect();
        Ok(())
    }

    /// Writes everything waiting, with one statement per kind of row.
    pub(crate) async fn flush(&mut self, tx: &mut dyn Tx) -> AppResult<()> {
        let messages = std::mem::take(&mut self.messages);
        if !messages.is_empty() {
            tx.insert_messages(&messages).await?;
            // The copies of their attachments, downloaded after the commit.
            let downloads: Vec<_> = messages
                .iter()
                .flat_map(caredesk_domain::media::downloads_of)
                .collect();
            if let Some(received) = messages.iter().map(|m| m.received_at).max() {
                tx.queue_downloads(&downloads, received).await?;
            }
        }
        let new_items: Vec<CommunityItem> =
            std::mem::take(&mut self.new_items).into_values().collect();
        if !new_items.is_empty() {
            tx.insert_community_items(&new_items).await?;
        }
        let changed: Vec<CommunityItem> = std::mem::take(&mut self.changed_items)
            .into_values()
            .collect();
        if !changed.is_empty() {
            tx.update_community_items(&changed).await?;
        }
        let cases = std::mem::take(&mut self.cases);
        if !cases.is_empty() {
            let saves: Vec<(&Case, &Case)> =
                cases.values().map(|(read, now)| (read, now)).collect();
            tx.save_cases(&saves).await?;
            crate::sla::timers::cases_moved_by_customers(tx, &saves).await?;
        }
        let case_messages = std::mem::take(&mut self.case_messages);
        if !case_messages.is_empty() {
            tx.add_case_messages(&case_messages).await?;
        }
        let events = std::mem::take(&mut self.events);
        if !events.is_empty() {
            tx.insert_events(&events).await?;
        }
        for (now, queued) in std::mem::take(&mut self.lookups) {
            let refresh_before = caredesk_domain::lookup::refresh_before(now);
            tx.queue_lookups(&queued, now, refresh_before).await?;
        }
        Ok(())
    }
}
