//! Finding Salesforce accounts and contacts by name, and linking a case's customer to them. The
//! link is stored on the customer with the names read from Salesforce, so every case of that
//! customer shows it; the case where it was made records it in its activity log.

use caredesk_domain::{policy, CaseId, Customer, Event, EventKind, Refusal, UserId};

use super::port::{FoundPage, SearchObject};
use crate::error::{AppResult, FoundOr};
use crate::App;

/// Longest search text accepted.
const MAX_QUERY_CHARS: usize = 100;

/// A Salesforce record id as Salesforce makes them: 15 or 18 letters and digits.
pub(crate) fn check_record_id(id: &str, what: &str) -> Result<(), Refusal> {
    let well_formed = matches!(id.len(), 15 | 18) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if well_formed {
        Ok(())
    } else {
        Err(Refusal::invalid(format!(
            "{what} must be a Salesforce id of 15 or 18 letters and digits"
        )))
    }
}

/// A next-page cursor must be one of Salesforce's own query locators, nothing else.
fn check_page(page: &str) -> Result<(), Refusal> {
    let ok = page.starts_with("/services/data/")
        && page.contains("/query/")
        && !page.contains("..")
        && page
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'));
    if ok {
        Ok(())
    } else {
        Err(Refusal::invalid(
            "the cursor is not a Salesforce query page",
        ))
    }
}

impl App {
    /// Accounts or contacts whose name contains `query` (Care users only).
    pub async fn search_salesforce(
        &self,
        actor: UserId,
        object: SearchObject,
        query: &str,
        page: Option<&str>,
    ) -> AppResult<FoundPage> {
        let actor = self.store.user(actor).await?.or_not_found()?;
        if !actor.has_care_access() {
            return Err(Refusal::Forbidden("Salesforce search is for Care users").into());
        }
        let query = query.trim();
        if query.is_empty() {
            return Err(Refusal::invalid("q must not be empty").into());
        }
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(
                Refusal::invalid(format!("q is longer than {MAX_QUERY_CHARS} characters")).into(),
            );
        }
        if let Some(page) = page {
            check_page(page)?;
        }
        self.salesforce_call(|api, session| async move {
            api.search(&session, object, query, page).await
        })
        .await
    }

    /// Links the case's customer to a Salesforce account and/or contact (Care users who see the
    /// case). The names are read from Salesforce; an id Salesforce does not know is refused.
    pub async fn link_salesforce(
        &self,
        actor: UserId,
        case: CaseId,
        account_id: Option<String>,
        contact_id: Option<String>,
    ) -> AppResult<Customer> {
        let actor = self.store.user(actor).await?.or_not_found()?;
        let found = self.store.case(case).await?.or_not_found()?;
        policy::require_case_visible(&actor, &found)?;
        if account_id.is_none() && contact_id.is_none() {
            return Err(Refusal::invalid("give account_id, contact_id or both").into());
        }
        let mut names = Vec::new();
        for (id, object, what) in [
            (&account_id, SearchObject::Account, "account_id"),
            (&contact_id, SearchObject::Contact, "contact_id"),
        ] {
            let Some(id) = id else {
                names.push(None);
                continue;
            };
            check_record_id(id, what)?;
            let name = self
                .salesforce_call(|api, session| async move {
                    api.record_name(&session, object, id).await
                })
                .await?;
            match name {
                Some(name) => names.push(Some(name)),
                None => {
                    return Err(Refusal::invalid(format!(
                        "Salesforce has no record with {what} {id}"
                    ))
                    .into())
                }
            }
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.lock_customer(found.customer_id).await?;
        let mut customer = tx.customer(found.customer_id).await?.or_not_found()?;
        let mut link = customer.salesforce.clone().unwrap_or_default();
        if account_id.is_some() {
            link.account_id = account_id;
            link.account_name = names.first().cloned().flatten();
        }
        if contact_id.is_some() {
            link.contact_id = contact_id;
            link.contact_name = names.get(1).cloned().flatten();
        }
        if customer.salesforce.as_ref() != Some(&link) {
            customer.salesforce = Some(link);
            tx.update_customer(&customer).await?;
            tx.insert_events(&[Event::of_case(
                found.id,
                Some(actor.id),
                now,
                EventKind::SalesforceLinked {
                    customer_id: customer.id,
                },
            )])
            .await?;
        }
        tx.commit().await?;
        Ok(customer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_are_fifteen_or_eighteen_alphanumerics() {
        let cases = [
            ("0015g00000AbCdE", true),
            ("0015g00000AbCdEAAZ", true),
            ("0015g00000AbCd", false),
            ("0015g00000AbCdEAAZ1", false),
            ("0015g00000AbC'EAAZ", false),
            ("0015g00000AbC EAAZ", false),
            ("", false),
        ];
        for (id, ok) in cases {
            assert_eq!(check_record_id(id, "account_id").is_ok(), ok, "{id}");
        }
    }

    #[test]
    fn cursors_must_be_salesforce_query_locators() {
        let cases = [
            ("/services/data/v62.0/query/01gD0000002HU6KIAW-2000", true),
            ("/services/data/v62.0/query/01g-2000?x=1", false),
            ("https://evil.example/services/data/v62.0/query/1", false),
            ("/services/data/v62.0/query/../../x", false),
            ("/services/data/v62.0/sobjects/Case", false),
        ];
        for (page, ok) in cases {
            assert_eq!(check_page(page).is_ok(), ok, "{page}");
        }
    }
}
