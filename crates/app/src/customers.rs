//! Customers' details: any Care user connected to a profile the customer wrote to may edit them.
//! The change is recorded in the activity log of the customer's newest case that the editor sees,
//! and the details changed are remembered as set by hand: no network answer or payload
//! overwrites them afterwards.

use caredesk_domain::*;
use caredesk_store::Viewer;

use crate::error::{AppResult, FoundOr};
use crate::App;

impl App {
    /// Edits a customer's details.
    pub async fn edit_customer(
        &self,
        actor: UserId,
        customer: CustomerId,
        details: CustomerDetails,
    ) -> AppResult<Customer> {
        let now = self.now();
        let actor = self.store.user(actor).await?.or_not_found()?;
        let profiles = self.store.customer_profiles(customer).await?;
        policy::require_customer_visible(&actor, &profiles)?;
        details.validate()?;
        let newest = match Viewer::of(&actor) {
            Some(viewer) => self
                .store
                .customer_cases(customer, &viewer.profiles, None, 1)
                .await?
                .items
                .into_iter()
                .next(),
            None => None,
        };
        let mut tx = self.store.begin().await?;
        tx.lock_customer(customer).await?;
        let mut stored = tx.customer(customer).await?.or_not_found()?;
        let changed: Vec<String> = stored
            .edit_by_agent(details)
            .into_iter()
            .map(str::to_owned)
            .collect();
        if !changed.is_empty() {
            tx.update_customer(&stored).await?;
            let kind = EventKind::CustomerEdited {
                customer_id: stored.id,
                fields: changed,
            };
            let event = Event {
                case_id: newest.map(|row| row.case.id),
                actor: Some(actor.id),
                at: now,
                kind,
            };
            tx.insert_events(&[event]).await?;
        }
        tx.commit().await?;
        Ok(stored)
    }
}
