//! Reading and writing one row at a time inside the unit of work: answered from memory when
//! it can be, from the database otherwise (after writing what could change the answer), and
//! writes held until the next flush where a batch statement can take them.

use caredesk_domain::lookup;
use caredesk_domain::*;
use caredesk_store::ingest::ConversationKey;

use super::{Memory, Work};
use crate::error::AppResult;
use crate::ingest::NetworkMessage;
use crate::touch;

impl Work {
    /// The customer with this network user id, created with `details` when missing.
    pub(crate) async fn customer(
        &mut self,
        network: Network,
        user_id: &str,
        details: impl Fn() -> CustomerDetails,
    ) -> AppResult<Customer> {
        let tx = self.tx.as_mut();
        let memory = &mut self.memory;
        let key = (network, user_id.to_owned());
        let mut known = memory.customers.get(&key).cloned();
        if known.is_none() && !memory.missing_customers.contains(&key) {
            known = tx.customer_by_network_id(network, user_id).await?;
        }
        if let Some(mut existing) = known {
            let carried = details();
            if let Some(filled) = existing.filled_from(&carried) {
                tx.fill_customer_names(existing.id, &filled.display_name, &filled.handle)
                    .await?;
                existing.details = filled;
            }
            memory.customers.insert(key, existing.clone());
            return Ok(existing);
        }
        // Created singly (outside a batch's prefetch): the message's look-up is queued as for a
        // known customer.
        let new = [(network, user_id.to_owned(), details(), None)];
        let customer = match tx.create_customers(&new).await?.pop() {
            Some(created) => {
                memory.created.insert(created.id);
                created
            }
            // Someone else created them meanwhile.
            None => tx.insert_customer(network, user_id, &new[0].2).await?,
        };
        memory.missing_customers.remove(&key);
        memory.customers.insert(key, customer.clone());
        Ok(customer)
    }

    /// Queues a look-up of `customer` (at the next flush) when a new message of `kind` they
    /// wrote to `profile` calls for one and they are due (`domain::lookup`), judged by what the
    /// unit of work remembers of them: no read of its own.
    pub(crate) fn queue_lookup(
        &mut self,
        profile: &Profile,
        customer: &Customer,
        kind: MessageKind,
        now: Timestamp,
    ) {
        if !lookup::asks_network(profile.network, kind) {
            return;
        }
        let key = (customer.network, customer.network_user_id.clone());
        let Some(remembered) = self.memory.customers.get_mut(&key) else {
            return;
        };
        if remembered.id == customer.id && remembered.lookup.wanted(now) {
            remembered.lookup.queue(profile.id, now);
            self.pending.queue_lookup(customer.id, profile.id, now);
        }
    }

    /// A customer by id (customers are never buffered).
    pub(crate) async fn customer_by_id(&mut self, id: CustomerId) -> AppResult<Option<Customer>> {
        Ok(self.tx.customer(id).await?)
    }

    /// Locks the customer for the unit of work (once).
    pub(crate) async fn lock_customer(&mut self, id: CustomerId) -> AppResult<()> {
        if self.memory.locked.insert(id) && !self.memory.created.contains(&id) {
            self.tx.lock_customer(id).await?;
        }
        Ok(())
    }

    /// A message by profile and network id; `customer` is the one it would be from or to, when
    /// it is locked (so that a message known missing stays missing). The messages this unit of
    /// work stores are remembered, so what waits cannot change the answer.
    pub(crate) async fn message(
        &mut self,
        profile: ProfileId,
        network_id: &str,
        customer: Option<CustomerId>,
    ) -> AppResult<Option<Message>> {
        let key = (profile, network_id.to_owned());
        if let Some(known) = self.memory.messages.get(&key) {
            return Ok(known.clone());
        }
        if customer.is_some_and(|c| self.memory.is_new(c)) {
            return Ok(None);
        }
        let found = self.tx.message_by_network_id(profile, network_id).await?;
        if found.is_some() || customer.is_some() {
            self.memory.messages.insert(key, found.clone());
        }
        Ok(found)
    }

    /// A message by id: one this unit of work stored or read, one waiting to be written, else
    /// the stored one. Nothing is written for it: a message that waits is answered from the
    /// buffer, so the batch's rows still go out together.
    pub(crate) async fn message_by_id(&mut self, id: MessageId) -> AppResult<Option<Message>> {
        let remembered = self
            .memory
            .messages
            .values()
            .flatten()
            .find(|m| m.id == id)
            .or_else(|| self.pending.message(id))
            .cloned();
        if remembered.is_some() {
            return Ok(remembered);
        }
        Ok(self.tx.message(id).await?)
    }

    /// Whether `message` is the newest of a DM thread whose item is `item`, by the network's
    /// time: at once when it is newer than the item's last change, else against the message
    /// the item shows (known from the batch's read, else read). Remembers it when it is.
    pub(crate) async fn newest_in_thread(
        &mut self,
        item: &CommunityItem,
        message: &Message,
    ) -> AppResult<bool> {
        let newest = message.created_at >= item.updated_at
            || match self.memory.shown_at.get(&item.id) {
                Some(shown_at) => message.created_at >= *shown_at,
                None => match self.message_by_id(item.message_id).await? {
                    Some(shown) => message.created_at >= shown.created_at,
                    None => true,
                },
            };
        if newest {
            self.memory.shown_at.insert(item.id, message.created_at);
        }
        Ok(newest)
    }

    /// Remembers that a new DM-thread item shows a message of this network time.
    pub(crate) fn shows(&mut self, item: CommunityItemId, created_at: Timestamp) {
        self.memory.shown_at.insert(item, created_at);
    }

    /// Remembers a message as stored now.
    pub(crate) fn stored_message(&mut self, message: &Message) {
        self.memory.stored_message(message);
    }

    /// The conversation with this key, created when missing (conversations are never
    /// buffered).
    pub(crate) async fn conversation(&mut self, key: ConversationKey) -> AppResult<Conversation> {
        let memory = &mut self.memory;
        if let Some(Some(known)) = memory.conversations.get(&key) {
            return Ok(known.clone());
        }
        let conversation = self
            .tx
            .conversation_for(key.profile, key.customer, key.kind, &key.root_network_id)
            .await?;
        if conversation.kind == ConversationKind::Dm
            && (memory.is_new(key.customer) || memory.conversations.contains_key(&key))
        {
            // Created just now: it has no thread item yet.
            memory.dm_items.entry(conversation.id).or_insert(None);
        }
        memory.conversations.insert(key, Some(conversation.clone()));
        Ok(conversation)
    }

    /// The DM-thread item of a conversation (those this unit of work stores are remembered).
    pub(crate) async fn dm_thread_item(
        &mut self,
        conversation: ConversationId,
    ) -> AppResult<Option<CommunityItem>> {
        if let Some(known) = self.memory.dm_items.get(&conversation) {
            return Ok(known.clone());
        }
        let found = self.tx.dm_thread_item(conversation).await?;
        self.memory.dm_items.insert(conversation, found.clone());
        Ok(found)
    }

    /// The customer's active case on the profile at `now`, after finalising one that is due
    /// (as [`touch::active_case`]).
    pub(crate) async fn active_case(
        &mut self,
        customer: CustomerId,
        profile: ProfileId,
        now: Timestamp,
    ) -> AppResult<Option<Case>> {
        let pair = (customer, profile);
        let slot = match self.memory.active_cases.get(&pair) {
            Some(known) => known.clone(),
            None if self.memory.is_new(customer) => None,
            None => {
                self.write_cases().await?;
                self.tx.active_case(customer, profile).await?
            }
        };
        let Some(mut case) = slot else {
            self.memory.active_cases.insert(pair, None);
            return Ok(None);
        };
        if case.grace_due(now) {
            // Finalising writes the case and its event at once: what waits goes first.
            self.write_pending().await?;
        }
        if touch::finalise_if_due(self.tx.as_mut(), &mut case, now).await? {
            self.memory.stored_case(&case);
        } else {
            self.memory.active_cases.insert(pair, Some(case.clone()));
        }
        Ok(case.is_active_at(now).then_some(case))
    }

    /// The newest non-deleted case of the customer on the profile.
    pub(crate) async fn newest_case(
        &mut self,
        customer: CustomerId,
        profile: ProfileId,
    ) -> AppResult<Option<Case>> {
        let pair = (customer, profile);
        if let Some(known) = self.memory.newest_cases.get(&pair) {
            return Ok(known.clone());
        }
        let found = if self.memory.is_new(customer) {
            None
        } else {
            self.write_cases().await?;
            self.tx.newest_case(customer, profile).await?
        };
        self.memory.newest_cases.insert(pair, found.clone());
        Ok(found)
    }

    /// Writes what waits when a case's state is among it, before a case is read singly.
    async fn write_cases(&mut self) -> AppResult<()> {
        if self.pending.holds_cases() {
            self.write_pending().await?;
        }
        Ok(())
    }

    /// Remembers a case as saved now.
    pub(crate) fn stored_case(&mut self, case: &Case) {
        self.memory.stored_case(case);
    }

    /// Whether the user is active (for the assignee of a case; users are never buffered).
    pub(crate) async fn user_active(&mut self, id: UserId) -> AppResult<bool> {
        if let Some(known) = self.memory.active_users.get(&id) {
            return Ok(*known);
        }
        let active = self.tx.user(id).await?.is_some_and(|u| u.active);
        self.memory.active_users.insert(id, active);
        Ok(active)
    }

    /// Stores a new message (at the next flush) and remembers it; answers it with its id.
    pub(crate) async fn insert_message(&mut self, message: NewMessage) -> AppResult<Message> {
        let message = self
            .pending
            .insert_message(self.tx.as_mut(), message, self.reserve)
            .await?;
        self.memory.stored_message(&message);
        Ok(message)
    }

    /// Stores a new community item (at the next flush) and remembers it.
    pub(crate) async fn insert_item(&mut self, item: NewItem) -> AppResult<CommunityItem> {
        let item = self
            .pending
            .insert_item(self.tx.as_mut(), item, self.reserve)
            .await?;
        self.memory.stored_item(&item);
        Ok(item)
    }

    /// Saves a community item (at the next flush) and remembers it.
    pub(crate) fn update_item(&mut self, item: &CommunityItem) {
        self.pending.update_item(item);
        self.memory.stored_item(item);
    }

    /// Saves a case read as `as_read` (at the next flush) and remembers it.
    pub(crate) fn save_case(&mut self, as_read: &Case, case: &Case) {
        self.pending.save_case(as_read, case);
        self.memory.stored_case(case);
    }

    /// Adds a message to a case (at the next flush).
    pub(crate) fn add_case_message(&mut self, case: CaseId, message: MessageId) {
        self.pending.add_case_message(case, message);
    }

    /// Records events (at the next flush), in their order.
    pub(crate) fn record_events(&mut self, events: impl IntoIterator<Item = Event>) {
        self.pending.record_events(events);
    }

    /// Records `case`'s events (at the next flush), and writes at once the Salesforce syncs
    /// and notifications they call for (rows the buffer never holds, about a case already
    /// stored), whose stream events follow the case's.
    pub(crate) async fn record_case_events(
        &mut self,
        case: &Case,
        events: Vec<Event>,
    ) -> AppResult<()> {
        crate::salesforce::queue_syncs_for(self.tx.as_mut(), &events).await?;
        let told = caredesk_domain::notification::of_case_events(case, &events);
        let notified = crate::notifications::store(self.tx.as_mut(), case.number, &told).await?;
        self.pending.record_events(events);
        self.pending.record_events(notified);
        Ok(())
    }
}

impl Memory {
    /// Whether nothing of this customer existed before this unit of work.
    pub(super) fn is_new(&self, customer: CustomerId) -> bool {
        self.created.contains(&customer)
    }

    fn stored_message(&mut self, message: &Message) {
        if let Some(id) = &message.network_id {
            self.messages
                .insert((message.profile_id, id.clone()), Some(message.clone()));
        }
    }

    fn stored_item(&mut self, item: &CommunityItem) {
        if item.kind == ItemKind::DmThread {
            self.dm_items
                .insert(item.conversation_id, Some(item.clone()));
        }
    }

    fn stored_case(&mut self, case: &Case) {
        let pair = (case.customer_id, case.profile_id);
        match self.active_cases.get(&pair) {
            Some(Some(active)) if active.id == case.id && !case.holds_active_slot => {
                self.active_cases.insert(pair, None);
            }
            _ if case.holds_active_slot => {
                self.active_cases.insert(pair, Some(case.clone()));
            }
            _ => {}
        }
        if let Some(Some(newest)) = self.newest_cases.get(&pair) {
            if newest.id == case.id {
                self.newest_cases.insert(pair, Some(case.clone()));
            }
        }
    }
}

/// The conversation a message belongs to: its DM thread, or the public thread of its root post.
pub(crate) fn conversation_key(
    profile: &Profile,
    customer: CustomerId,
    inbound: &NetworkMessage,
) -> ConversationKey {
    let (kind, root) = if inbound.kind == MessageKind::Direct {
        (ConversationKind::Dm, String::new())
    } else {
        let root = inbound
            .root_network_id
            .clone()
            .or_else(|| inbound.parent_network_id.clone())
            .unwrap_or_else(|| inbound.network_id.clone());
        (ConversationKind::Thread, root)
    };
    ConversationKey {
        profile: profile.id,
        customer,
        kind,
        root_network_id: root,
    }
}
