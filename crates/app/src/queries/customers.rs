//! Reading customers and the History tab: a customer is visible to active Care users connected
//! to a profile the customer wrote to (`policy::require_customer_visible`), and their earlier
//! cases and conversations are listed on the reader's profiles only.

use caredesk_domain::{policy, Customer, CustomerId, User};
use caredesk_store::{ConversationSummary, Page, Viewer};

use super::cases::{case_viewer, ListedCase};
use super::{list_failed, PageRequest};
use crate::error::{AppResult, FoundOr};
use crate::App;

impl App {
    /// A customer `actor` may see.
    pub async fn customer_for(&self, actor: &User, id: CustomerId) -> AppResult<Customer> {
        let profiles = self.store.customer_profiles(id).await?;
        policy::require_customer_visible(actor, &profiles)?;
        self.store.customer(id).await?.or_not_found()
    }

    /// A page of a visible customer's cases (any status but deleted) on `actor`'s profiles,
    /// newest first, each with its Salesforce Case.
    pub async fn customer_cases(
        &self,
        actor: &User,
        id: CustomerId,
        page: PageRequest,
    ) -> AppResult<Page<ListedCase>> {
        let (customer, viewer) = self.customer_and_viewer(actor, id).await?;
        let limit = page.limit()?;
        let found = self
            .store
            .customer_cases(customer.id, &viewer.profiles, page.cursor.as_deref(), limit)
            .await
            .map_err(list_failed)?;
        self.with_salesforce_cases(found).await
    }

    /// A page of a visible customer's conversations on `actor`'s profiles, most recently
    /// active first.
    pub async fn customer_conversations(
        &self,
        actor: &User,
        id: CustomerId,
        page: PageRequest,
    ) -> AppResult<Page<ConversationSummary>> {
        let (customer, viewer) = self.customer_and_viewer(actor, id).await?;
        let limit = page.limit()?;
        self.store
            .customer_conversations(customer.id, &viewer.profiles, page.cursor.as_deref(), limit)
            .await
            .map_err(list_failed)
    }

    async fn customer_and_viewer(
        &self,
        actor: &User,
        id: CustomerId,
    ) -> AppResult<(Customer, Viewer)> {
        let customer = self.customer_for(actor, id).await?;
        Ok((customer, case_viewer(actor)?))
    }
}
