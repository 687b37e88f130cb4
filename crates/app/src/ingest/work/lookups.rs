//! What one unit of work of ingest has read and written, so that routing each message of a
//! batch reads from memory what the batch looked up at its start with one statement per kind of
//! row ([`caredesk_store::ingest::IngestWrites`]), instead of one statement per message and kind.
//!
//! The memory answers only what the unit of work alone can change:
//! - customers are looked up first, then the existing ones are locked (PostgreSQL: row locks, in
//!   id order) before anything of theirs is read, as a single message locks its customer before
//!   reading their messages and cases;
//! - a customer this unit of work created has nothing yet, so nothing of theirs is looked up;
//! - every write of ingest goes through here too, so the memory stays what the database holds;
//! - anything not remembered is looked up singly, as before, and remembered after.
//!
//! What routing creates and changes (messages, community items, case states, case messages,
//! events) waits here too ([`PendingWrites`]) and is written with one statement per kind of row
//! when the batch, or in savepoints each delivery, has been routed ([`Lookups::flush`]). Whatever
//! reads the database around the memory writes what waits first: edits, the brand's messages,
//! a case finalised on reading, a case looked up singly.
//!
//! Rolling back to a savepoint forgets everything ([`Lookups::forget`]): what the memory held
//! may have been undone, and the waiting writes with it.

use std::collections::{HashMap, HashSet};

use caredesk_domain::*;
use caredesk_store::ingest::ConversationKey;
use caredesk_store::Tx;

use super::pending::PendingWrites;
use crate::error::AppResult;
use crate::touch;
use crate::{InboundAuthor, InboundMessage};

/// The memory of one unit of work of ingest.
#[derive(Debug, Default)]
pub(crate) struct Lookups {
    customers: HashMap<(Network, String), Customer>,
    /// Customers looked up and found missing at the start of the batch.
    missing_customers: HashSet<(Network, String)>,
    /// Customers locked by this unit of work: what is remembered of them is current.
    locked: HashSet<CustomerId>,
    /// Customers this unit of work created: nothing of theirs existed before.
    created: HashSet<CustomerId>,
    messages: HashMap<(ProfileId, String), Option<Message>>,
    conversations: HashMap<ConversationKey, Option<Conversation>>,
    dm_items: HashMap<ConversationId, Option<CommunityItem>>,
    active_cases: HashMap<(CustomerId, ProfileId), Option<Case>>,
    newest_cases: HashMap<(CustomerId, ProfileId), Option<Case>>,
    active_users: HashMap<UserId, bool>,
    /// Rows created or changed but not written yet.
    pending: PendingWrites,
    /// Ids reserved at a time: the batch's messages (kept after [`Lookups::forget`]).
    reserve: usize,
}

/// The network user id of the customer a message is from or to, when it names one.
fn customer_key(network: Network, message: &InboundMessage) -> Option<(Network, String)> {
    Some((network, message.customer_user_id()?.to_owned()))
}

impl Lookups {
    /// Looks up, with one statement per kind of row, what routing these messages will read:
    /// their customers (locking those that exist), the messages they and their parents name,
    /// and the conversations, DM-thread items and cases of their customers.
    ///
    /// With `create`, the customers who write for the first time and the conversations their
    /// new messages start are created here too, one statement each: only where a failure undoes
    /// the whole unit of work (not in savepoints, which would keep them).
    pub(crate) async fn prefetch(
        &mut self,
        tx: &mut dyn Tx,
        messages: &[(&Profile, &InboundMessage)],
        create: bool,
    ) -> AppResult<()> {
        self.reserve = messages.len();
        let mut keys: Vec<(Network, String)> = messages
            .iter()
            .filter_map(|(p, m)| customer_key(p.network, m))
            .filter(|k| !k.1.trim().is_empty() && !self.customers.contains_key(k))
            .collect();
        keys.sort();
        keys.dedup();
        if !keys.is_empty() {
            for customer in tx.customers_by_network_ids(&keys).await? {
                self.customers.insert(
                    (customer.network, customer.network_user_id.clone()),
                    customer,
                );
            }
            for key in keys {
                if !self.customers.contains_key(&key) {
                    self.missing_customers.insert(key);
                }
            }
        }
        if create {
            self.create_customers(tx, messages).await?;
        }
        let to_lock: Vec<CustomerId> = self
            .customers
            .values()
            .map(|c| c.id)
            .filter(|id| !self.locked.contains(id))
            .collect();
        if !to_lock.is_empty() {
            tx.lock_customers(&to_lock).await?;
            self.locked.extend(to_lock);
        }
        self.prefetch_messages(tx, messages).await?;
        self.prefetch_conversations(tx, messages).await?;
        if create {
            self.create_conversations(tx, messages).await?;
        }
        self.prefetch_cases(tx, messages).await
    }

    /// Creates, with one statement, the customers found missing who write these messages
    /// (with the details of their first message); those someone else created meanwhile are
    /// looked up singly later.
    async fn create_customers(
        &mut self,
        tx: &mut dyn Tx,
        messages: &[(&Profile, &InboundMessage)],
    ) -> AppResult<()> {
        let mut new: Vec<(Network, String, CustomerDetails)> = Vec::new();
        let mut taken = HashSet::new();
        for (profile, message) in messages {
            let InboundAuthor::Customer {
                network_user_id,
                display_name,
                handle,
            } = &message.author
            else {
                continue;
            };
            let key = (profile.network, network_user_id.clone());
            if !routable(message)
                || !self.missing_customers.contains(&key)
                || !taken.insert(key.clone())
            {
                continue;
            }
            let details = CustomerDetails {
                display_name: display_name.clone(),
                handle: handle.clone(),
                ..CustomerDetails::default()
            };
            new.push((key.0, key.1, details));
        }
        if new.is_empty() {
            return Ok(());
        }
        for created in tx.create_customers(&new).await? {
            self.created.insert(created.id);
            self.locked.insert(created.id);
            self.customers
                .insert((created.network, created.network_user_id.clone()), created);
        }
        for (network, user, _) in new {
            self.missing_customers.remove(&(network, user));
        }
        Ok(())
    }

    /// Creates, with one statement, the conversations that customers' new messages start.
    async fn create_conversations(
        &mut self,
        tx: &mut dyn Tx,
        messages: &[(&Profile, &InboundMessage)],
    ) -> AppResult<()> {
        let mut keys: Vec<ConversationKey> = messages
            .iter()
            .filter(|(_, m)| matches!(m.author, InboundAuthor::Customer { .. }) && routable(m))
            .filter(|(p, m)| matches!(self.messages.get(&(p.id, m.network_id.clone())), Some(None)))
            .filter_map(|(p, m)| Some(conversation_key(p, self.locked_customer(p, m)?, m)))
            .filter(|k| matches!(self.conversations.get(k), Some(None)))
            .collect();
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            return Ok(());
        }
        for created in tx.create_conversations(&keys).await? {
            if created.kind == ConversationKind::Dm {
                // Created just now: it has no thread item yet.
                self.dm_items.insert(created.id, None);
            }
            self.conversations
                .insert(ConversationKey::of(&created), Some(created));
        }
        Ok(())
    }

    /// The customer of each message, when it exists and is locked.
    fn locked_customer(&self, profile: &Profile, message: &InboundMessage) -> Option<CustomerId> {
        let key = customer_key(profile.network, message)?;
        let customer = self.customers.get(&key)?;
        self.locked.contains(&customer.id).then_some(customer.id)
    }

    async fn prefetch_messages(
        &mut self,
        tx: &mut dyn Tx,
        messages: &[(&Profile, &InboundMessage)],
    ) -> AppResult<()> {
        // A message's own id is known missing only when its customer is locked; a parent may be
        // anyone's, so only what is found of parents is remembered.
        let mut own = Vec::new();
        let mut keys = Vec::new();
        for (profile, message) in messages {
            let key = (profile.id, message.network_id.clone());
            if self.locked_customer(profile, message).is_some() {
                own.push(key.clone());
            }
            keys.push(key);
            if let Some(parent) = &message.parent_network_id {
                keys.push((profile.id, parent.clone()));
            }
        }
        keys.retain(|k| !self.messages.contains_key(k));
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            return Ok(());
        }
        for found in tx.messages_by_network_ids(&keys).await? {
            if let Some(id) = found.network_id.clone() {
                self.messages.insert((found.profile_id, id), Some(found));
            }
        }
        for key in own {
            self.messages.entry(key).or_insert(None);
        }
        Ok(())
    }

    async fn prefetch_conversations(
        &mut self,
        tx: &mut dyn Tx,
        messages: &[(&Profile, &InboundMessage)],
    ) -> AppResult<()> {
        let mut keys: Vec<ConversationKey> = messages
            .iter()
            .filter_map(|(p, m)| {
                let customer = self.locked_customer(p, m)?;
                Some(conversation_key(p, customer, m))
            })
            .filter(|k| !self.conversations.contains_key(k))
            .collect();
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            return Ok(());
        }
        let found = tx.conversations_by_keys(&keys).await?;
        let dms: Vec<ConversationId> = found
            .iter()
            .filter(|c| c.kind == ConversationKind::Dm && !self.dm_items.contains_key(&c.id))
            .map(|c| c.id)
            .collect();
        for conversation in found {
            self.conversations
                .insert(ConversationKey::of(&conversation), Some(conversation));
        }
        for key in keys {
            self.conversations.entry(key).or_insert(None);
        }
        if dms.is_empty() {
            return Ok(());
        }
        for item in tx.dm_thread_items(&dms).await? {
            self.dm_items.insert(item.conversation_id, Some(item));
        }
        for id in dms {
            self.dm_items.entry(id).or_insert(None);
        }
        Ok(())
    }

    async fn prefetch_cases(
        &mut self,
        tx: &mut dyn Tx,
        messages: &[(&Profile, &InboundMessage)],
    ) -> AppResult<()> {
        let mut pairs: Vec<(CustomerId, ProfileId)> = messages
            .iter()
            .filter_map(|(p, m)| Some((self.locked_customer(p, m)?, p.id)))
            .filter(|pair| !self.active_cases.contains_key(pair))
            .collect();
        pairs.sort();
        pairs.dedup();
        if pairs.is_empty() {
            return Ok(());
        }
        let mut customers: Vec<CustomerId> = pairs.iter().map(|(c, _)| *c).collect();
        customers.dedup();
        for case in tx.active_cases_of(&customers).await? {
            let pair = (case.customer_id, case.profile_id);
            if pairs.binary_search(&pair).is_ok() {
                self.active_cases.insert(pair, Some(case));
            }
        }
        let without: Vec<(CustomerId, ProfileId)> = pairs
            .iter()
            .filter(|pair| !self.active_cases.contains_key(pair))
            .copied()
            .collect();
        for pair in &without {
            self.active_cases.insert(*pair, None);
        }
        if without.is_empty() {
            return Ok(());
        }
        for case in tx.newest_cases_of(&without).await? {
            self.newest_cases
                .insert((case.customer_id, case.profile_id), Some(case));
        }
        for pair in without {
            self.newest_cases.entry(pair).or_insert(None);
        }
        Ok(())
    }

    /// Records events to insert with the next [`Lookups::flush`].
    pub(crate) fn record_events(&mut self, events: impl IntoIterator<Item = Event>) {
        self.pending.record_events(events);
    }

    /// Writes everything created or changed since the last flush.
    pub(crate) async fn flush(&mut self, tx: &mut dyn Tx) -> AppResult<()> {
        self.pending.flush(tx).await
    }

    /// Forgets everything (after a rollback to a savepoint).
    pub(crate) fn forget(&mut self) {
        *self = Lookups {
            reserve: self.reserve,
            ..Lookups::default()
        };
    }

    /// Stores a new message (at the next flush) and remembers it; answers it with its id.
    pub(crate) async fn insert_message(
        &mut self,
        tx: &mut dyn Tx,
        message: Message,
    ) -> AppResult<Message> {
        let message = self
            .pending
            .insert_message(tx, message, self.reserve)
            .await?;
        self.stored_message(&message);
        Ok(message)
    }

    /// Stores a new community item (at the next flush) and remembers it.
    pub(crate) async fn insert_item(
        &mut self,
        tx: &mut dyn Tx,
        item: CommunityItem,
    ) -> AppResult<CommunityItem> {
        let item = self.pending.insert_item(tx, item, self.reserve).await?;
        self.stored_item(&item);
        Ok(item)
    }

    /// Saves a community item (at the next flush) and remembers it.
    pub(crate) fn update_item(&mut self, item: &CommunityItem) {
        self.pending.update_item(item);
        self.stored_item(item);
    }

    /// Saves a case: its state at the next flush when its fields are unchanged, otherwise at
    /// once (after what waits); remembers it either way.
    pub(crate) async fn save_case(
        &mut self,
        tx: &mut dyn Tx,
        case: &Case,
        fields_changed: bool,
    ) -> AppResult<()> {
        if fields_changed {
            self.flush(tx).await?;
            tx.update_case(case).await?;
        } else {
            self.pending.update_case_state(case);
        }
        self.stored_case(case);
        Ok(())
    }

    /// Adds a message to a case (at the next flush).
    pub(crate) fn add_case_message(&mut self, case: CaseId, message: MessageId) {
        self.pending.add_case_message(case, message);
    }

    /// The customer with this network user id, created with `details` when missing.
    pub(crate) async fn customer(
        &mut self,
        tx: &mut dyn Tx,
        network: Network,
        user_id: &str,
        details: impl Fn() -> CustomerDetails,
    ) -> AppResult<Customer> {
        let key = (network, user_id.to_owned());
        if let Some(known) = self.customers.get(&key) {
            return Ok(known.clone());
        }
        if !self.missing_customers.contains(&key) {
            if let Some(existing) = tx.customer_by_network_id(network, user_id).await? {
                self.customers.insert(key, existing.clone());
                return Ok(existing);
            }
        }
        let new = [(network, user_id.to_owned(), details())];
        let customer = match tx.create_customers(&new).await?.pop() {
            Some(created) => {
                self.created.insert(created.id);
                created
            }
            // Someone else created them meanwhile.
            None => tx.insert_customer(network, user_id, &new[0].2).await?,
        };
        self.missing_customers.remove(&key);
        self.customers.insert(key, customer.clone());
        Ok(customer)
    }

    /// Locks the customer for the unit of work (once).
    pub(crate) async fn lock_customer(&mut self, tx: &mut dyn Tx, id: CustomerId) -> AppResult<()> {
        if self.locked.insert(id) && !self.created.contains(&id) {
            tx.lock_customer(id).await?;
        }
        Ok(())
    }

    /// Whether nothing of this customer existed before this unit of work.
    fn is_new(&self, customer: CustomerId) -> bool {
        self.created.contains(&customer)
    }

    /// A message by profile and network id; `customer` is the one it would be from or to, when
    /// it is locked (so that a message known missing stays missing).
    pub(crate) async fn message(
        &mut self,
        tx: &mut dyn Tx,
        profile: ProfileId,
        network_id: &str,
        customer: Option<CustomerId>,
    ) -> AppResult<Option<Message>> {
        let key = (profile, network_id.to_owned());
        if let Some(known) = self.messages.get(&key) {
            return Ok(known.clone());
        }
        if customer.is_some_and(|c| self.is_new(c)) {
            return Ok(None);
        }
        let found = tx.message_by_network_id(profile, network_id).await?;
        if found.is_some() || customer.is_some() {
            self.messages.insert(key, found.clone());
        }
        Ok(found)
    }

    /// Remembers a message as stored now.
    pub(crate) fn stored_message(&mut self, message: &Message) {
        if let Some(id) = &message.network_id {
            self.messages
                .insert((message.profile_id, id.clone()), Some(message.clone()));
        }
    }

    /// The conversation with this key, created when missing.
    pub(crate) async fn conversation(
        &mut self,
        tx: &mut dyn Tx,
        key: ConversationKey,
    ) -> AppResult<Conversation> {
        if let Some(Some(known)) = self.conversations.get(&key) {
            return Ok(known.clone());
        }
        let conversation = tx
            .conversation_for(key.profile, key.customer, key.kind, &key.root_network_id)
            .await?;
        if conversation.kind == ConversationKind::Dm
            && (self.is_new(key.customer) || self.conversations.contains_key(&key))
        {
            // Created just now: it has no thread item yet.
            self.dm_items.entry(conversation.id).or_insert(None);
        }
        self.conversations.insert(key, Some(conversation.clone()));
        Ok(conversation)
    }

    /// The DM-thread item of a conversation.
    pub(crate) async fn dm_thread_item(
        &mut self,
        tx: &mut dyn Tx,
        conversation: ConversationId,
    ) -> AppResult<Option<CommunityItem>> {
        if let Some(known) = self.dm_items.get(&conversation) {
            return Ok(known.clone());
        }
        let found = tx.dm_thread_item(conversation).await?;
        self.dm_items.insert(conversation, found.clone());
        Ok(found)
    }

    /// Remembers a community item as stored now.
    pub(crate) fn stored_item(&mut self, item: &CommunityItem) {
        if item.kind == ItemKind::DmThread {
            self.dm_items
                .insert(item.conversation_id, Some(item.clone()));
        }
    }

    /// The customer's active case on the profile at `now`, after finalising one that is due
    /// (as [`touch::active_case`]).
    pub(crate) async fn active_case(
        &mut self,
        tx: &mut dyn Tx,
        customer: CustomerId,
        profile: ProfileId,
        now: Timestamp,
    ) -> AppResult<Option<Case>> {
        let pair = (customer, profile);
        let slot = match self.active_cases.get(&pair) {
            Some(known) => known.clone(),
            None if self.is_new(customer) => None,
            None => {
                self.flush_cases(tx).await?;
                tx.active_case(customer, profile).await?
            }
        };
        let Some(mut case) = slot else {
            self.active_cases.insert(pair, None);
            return Ok(None);
        };
        if case.grace_due(now) {
            // Finalising writes the case and its event at once: what waits goes first.
            self.flush(tx).await?;
        }
        if touch::finalise_if_due(tx, &mut case, now).await? {
            self.stored_case(&case);
        } else {
            self.active_cases.insert(pair, Some(case.clone()));
        }
        Ok(case.is_active_at(now).then_some(case))
    }

    /// The newest non-deleted case of the customer on the profile.
    pub(crate) async fn newest_case(
        &mut self,
        tx: &mut dyn Tx,
        customer: CustomerId,
        profile: ProfileId,
    ) -> AppResult<Option<Case>> {
        let pair = (customer, profile);
        if let Some(known) = self.newest_cases.get(&pair) {
            return Ok(known.clone());
        }
        let found = if self.is_new(customer) {
            None
        } else {
            self.flush_cases(tx).await?;
            tx.newest_case(customer, profile).await?
        };
        self.newest_cases.insert(pair, found.clone());
        Ok(found)
    }

    /// Writes what waits when a case's state is among it, before a case is read singly.
    async fn flush_cases(&mut self, tx: &mut dyn Tx) -> AppResult<()> {
        if self.pending.holds_cases() {
            self.flush(tx).await?;
        }
        Ok(())
    }

    /// Remembers a case as saved now.
    pub(crate) fn stored_case(&mut self, case: &Case) {
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

    /// Whether the user is active (for the assignee of a case).
    pub(crate) async fn user_active(&mut self, tx: &mut dyn Tx, id: UserId) -> AppResult<bool> {
        if let Some(known) = self.active_users.get(&id) {
            return Ok(*known);
        }
        let active = tx.user(id).await?.is_some_and(|u| u.active);
        self.active_users.insert(id, active);
        Ok(active)
    }
}

/// Whether routing the message gets as far as its customer (what it refuses creates nothing).
fn routable(message: &InboundMessage) -> bool {
    !message.network_id.trim().is_empty()
        && message
            .customer_user_id()
            .is_some_and(|customer| !customer.trim().is_empty())
}

/// The conversation a message belongs to: its DM thread, or the public thread of its root post.
pub(crate) fn conversation_key(
    profile: &Profile,
    customer: CustomerId,
    inbound: &InboundMessage,
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
