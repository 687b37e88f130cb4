//! Creating a Salesforce Case from a Care case: refused when the customer's last message in the
//! case is 90 or more days old; the subject, the description (the last messages as
//! `[time] author: text`), origin, status and priority come from the Care case and the mapping;
//! the account and contact from the customer's link. The Salesforce id and link are stored on
//! the case, and its status is kept in sync from then on.

use std::collections::HashSet;
use std::sync::Mutex;

use caredesk_domain::salesforce::{self, SalesforceCase, TranscriptLine};
use caredesk_domain::{policy, Author, Case, CaseId, Event, EventKind, Refusal, UserId};

use super::port::NewSalesforceCase;
use crate::error::{AppResult, FoundOr};
use crate::App;

/// Cases whose Salesforce Case this node is creating right now: a second click waits for
/// nothing and is refused instead of creating a second Salesforce Case.
#[derive(Default)]
pub(crate) struct InFlight(Mutex<HashSet<CaseId>>);

impl InFlight {
    fn start(&self, case: CaseId) -> Result<Guard<'_>, Refusal> {
        let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !held.insert(case) {
            return Err(Refusal::Conflict(
                "a Salesforce Case is being created for this case".to_owned(),
            ));
        }
        Ok(Guard { set: self, case })
    }
}

struct Guard<'a> {
    set: &'a InFlight,
    case: CaseId,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        let mut held = self.set.0.lock().unwrap_or_else(|e| e.into_inner());
        held.remove(&self.case);
    }
}

/// Messages read per page while collecting the transcript.
const PAGE: u32 = 200;

impl App {
    /// Creates the Salesforce Case of a case (Care users who see it) and answers the link.
    pub async fn create_salesforce_case(
        &self,
        actor: UserId,
        case: CaseId,
    ) -> AppResult<SalesforceCase> {
        let actor = self.store.user(actor).await?.or_not_found()?;
        let found = self.store.case(case).await?.or_not_found()?;
        policy::require_case_visible(&actor, &found)?;
        if let Some(existing) = self.store.salesforce_case(case).await? {
            return Err(Refusal::Conflict(format!(
                "this case is already linked to Salesforce Case {}",
                existing.number.unwrap_or(existing.id)
            ))
            .into());
        }
        let now = self.now();
        salesforce::check_window(found.last_customer_message_at, found.created_at, now)?;
        let setup = self.salesforce_setup()?;
        let _creating = setup.in_flight.start(case)?;
        let fields = self.new_salesforce_case(&found).await?;
        let fields = &fields;
        let (id, instance) = self
            .salesforce_call(|api, session| async move {
                let id = api.create_case(&session, fields).await?;
                Ok((id, session.instance_url))
            })
            .await?;
        let link = SalesforceCase {
            url: format!("{instance}/lightning/r/Case/{id}/view"),
            id,
            number: None,
            status: Some(fields.status.clone()),
            created_at: now,
        };
        let mut tx = self.store.begin().await?;
        if let Err(error) = tx.insert_salesforce_case(case, &link).await {
            tracing::error!(case.id = %case, salesforce.id = %link.id, %error,
                "a Salesforce Case was created but could not be linked");
            return Err(error.into());
        }
        tx.insert_events(&[Event::of_case(
            case,
            Some(actor.id),
            now,
            EventKind::SalesforceCaseCreated {
                salesforce_id: link.id.clone(),
            },
        )])
        .await?;
        tx.commit().await?;
        Ok(link)
    }

    /// The Salesforce fields of a Care case.
    async fn new_salesforce_case(&self, case: &Case) -> AppResult<NewSalesforceCase> {
        let mapping = &self.salesforce_setup()?.config.mapping;
        let customer = self
            .store
            .customer(case.customer_id)
            .await?
            .or_not_found()?;
        let profiles = self.store.profiles().await?;
        let profile = profiles.iter().find(|p| p.id == case.profile_id);
        let users = self.store.users().await?;
        let customer_name = if customer.details.display_name.is_empty() {
            customer.details.handle.clone()
        } else {
            customer.details.display_name.clone()
        };
        let mut lines = Vec::new();
        let mut first_text = None;
        let mut cursor: Option<String> = None;
        loop {
            let page = self
                .store
                .case_messages(case.id, cursor.as_deref(), PAGE)
                .await?
                .page;
            for message in page.items {
                let author = match message.author {
                    Author::Customer => customer_name.clone(),
                    Author::Brand => message
                        .sent_by
                        .and_then(|id| users.iter().find(|u| u.user.id == id))
                        .map(|u| u.user.name.clone())
                        .or_else(|| profile.map(|p| p.name.clone()))
                        .unwrap_or_else(|| "Brand".to_owned()),
                    Author::Note => continue,
                };
                if message.id == case.escalated_from || first_text.is_none() {
                    first_text = Some(message.text.clone());
                }
                lines.push(TranscriptLine {
                    at: message.created_at,
                    author,
                    text: message.text,
                });
            }
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let network = profile.map(|p| p.network).unwrap_or(customer.network);
        let link = customer.salesforce.clone().unwrap_or_default();
        let email = customer.details.email.trim();
        Ok(NewSalesforceCase {
            subject: salesforce::subject(
                network,
                case.number,
                &customer_name,
                first_text.as_deref().unwrap_or(""),
            ),
            description: salesforce::description(&case.note, &lines),
            origin: mapping.origin.clone(),
            status: mapping.status(case.status).to_owned(),
            priority: mapping.priority(case.priority).to_owned(),
            account_id: link.account_id,
            contact_id: link.contact_id,
            supplied_name: Some(customer_name).filter(|n| !n.is_empty()),
            supplied_email: Some(email.to_owned()).filter(|e| !e.is_empty()),
        })
    }
}
