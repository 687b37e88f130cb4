//! Looking up, at the start of a batch and with one statement per kind of row, what routing
//! its messages will read, and creating the customers and conversations its new messages need
//! where a failure undoes the whole unit of work.

use std::collections::HashSet;

use caredesk_domain::*;
use caredesk_store::ingest::{ConversationKey, NewCustomer};
use caredesk_store::Tx;

use super::lookups::conversation_key;
use super::{Memory, Work};
use crate::error::AppResult;
use crate::ingest::{InboundAuthor, NetworkMessage};

impl Work {
    /// Looks up, with one statement per kind of row, what routing these messages will read:
    /// their customers (locking those that exist), the messages they and their parents name,
    /// and the conversations, DM-thread items and cases of their customers.
    ///
    /// With `create`, the customers who write for the first time and the conversations their
    /// new messages start are created here too, one statement each: only where a failure undoes
    /// the whole unit of work (not in savepoints, which would keep them).
    pub(crate) async fn prefetch(
        &mut self,
        messages: &[(&Profile, &NetworkMessage)],
        create: bool,
        now: Timestamp,
    ) -> AppResult<()> {
        self.reserve = messages.len();
        self.memory
            .prefetch(self.tx.as_mut(), messages, create, now)
            .await
    }
}

fn customer_key(network: Network, message: &NetworkMessage) -> Option<(Network, String)> {
    Some((network, message.customer_user_id()?.to_owned()))
}

impl Memory {
    async fn prefetch(
        &mut self,
        tx: &mut dyn Tx,
        messages: &[(&Profile, &NetworkMessage)],
        create: bool,
        now: Timestamp,
    ) -> AppResult<()> {
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
            self.create_customers(tx, messages, now).await?;
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
    /// (with the details of their first message, and the look-up it calls for queued in the
    /// same row); those someone else created meanwhile are looked up singly later.
    async fn create_customers(
        &mut self,
        tx: &mut dyn Tx,
        messages: &[(&Profile, &NetworkMessage)],
        now: Timestamp,
    ) -> AppResult<()> {
        let mut new: Vec<NewCustomer> = Vec::new();
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
            let lookup = caredesk_domain::lookup::asks_network(profile.network, message.kind)
                .then_some((profile.id, now));
            new.push((key.0, key.1, details, lookup));
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
        for (network, user, _, _) in new {
            self.missing_customers.remove(&(network, user));
        }
        Ok(())
    }

    /// Creates, with one statement, the conversations that customers' new messages start.
    async fn create_conversations(
        &mut self,
        tx: &mut dyn Tx,
        messages: &[(&Profile, &NetworkMessage)],
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
    fn locked_customer(&self, profile: &Profile, message: &NetworkMessage) -> Option<CustomerId> {
        let key = customer_key(profile.network, message)?;
        let customer = self.customers.get(&key)?;
        self.locked.contains(&customer.id).then_some(customer.id)
    }

    async fn prefetch_messages(
        &mut self,
        tx: &mut dyn Tx,
        messages: &[(&Profile, &NetworkMessage)],
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
        messages: &[(&Profile, &NetworkMessage)],
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
        for (item, shown_at) in tx.dm_thread_items(&dms).await? {
            self.shown_at.insert(item.id, shown_at);
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
        messages: &[(&Profile, &NetworkMessage)],
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
}

/// Whether routing the message gets as far as its customer (what it refuses creates nothing).
fn routable(message: &NetworkMessage) -> bool {
    !message.network_id.trim().is_empty()
        && message
            .customer_user_id()
            .is_some_and(|customer| !customer.trim().is_empty())
}
