//! Reading cases: the Care views and their counts, one case with its customer and Salesforce
//! Case, its conversation and its activity log. A case is visible to active Care users connected
//! to its profile (`policy::require_case_visible`); any other is 404.

use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::sla::ShownTarget;
use caredesk_domain::{policy, Case, CaseId, Customer, Message, MessageId, Refusal, User};
use caredesk_store::{
    CaseFilter, CaseMessages, CaseQuery, CaseRow, Page, Sort, StoredEvent, View, Viewer,
};

use super::{list_failed, PageRequest};
use crate::error::{AppResult, FoundOr};
use crate::App;

/// The eyes through which `user` reads the Care views: users without Care access see no cases
/// (403).
pub fn case_viewer(user: &User) -> Result<Viewer, Refusal> {
    Viewer::of(user).ok_or(Refusal::Forbidden("cases are for Care users"))
}

/// Which case: by id or by its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseRef {
    /// Its id.
    Id(CaseId),
    /// Its number (`#N`).
    Number(i64),
}

/// A case as its screen and the API show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseDetails {
    /// The case.
    pub case: Case,
    /// Its customer.
    pub customer: Customer,
    /// Its Salesforce Case, once created.
    pub salesforce: Option<SalesforceCase>,
    /// Its service-level targets.
    pub sla: Vec<ShownTarget>,
}

/// A case of a list, with its Salesforce Case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedCase {
    /// The case with its customer's name.
    pub row: CaseRow,
    /// Its Salesforce Case, once created.
    pub salesforce: Option<SalesforceCase>,
    /// Its service-level targets.
    pub sla: Vec<ShownTarget>,
}

/// A case of the Care page's list, with the text of the message it was escalated from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CareRow {
    /// The case with its customer's name.
    pub row: CaseRow,
    /// The message the case was escalated from (`None` when it cannot be read).
    pub escalated: Option<Message>,
    /// Its service-level targets.
    pub sla: Vec<ShownTarget>,
}

/// A page of a view, as asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseListRequest {
    /// Which view.
    pub view: View,
    /// Narrowing.
    pub filter: CaseFilter,
    /// Sort order (default: the view's).
    pub sort: Option<Sort>,
    /// Which page.
    pub page: PageRequest,
}

impl CaseListRequest {
    fn query(self, viewer: &Viewer) -> AppResult<CaseQuery> {
        Ok(CaseQuery {
            viewer: viewer.clone(),
            view: self.view,
            filter: self.filter,
            sort: self.sort,
            limit: self.page.limit()?,
            cursor: self.page.cursor,
        })
    }
}

impl App {
    /// One page of a Care view for `viewer`, each case with its Salesforce Case (read together
    /// in one statement).
    pub async fn list_cases(
        &self,
        viewer: &Viewer,
        request: CaseListRequest,
    ) -> AppResult<Page<ListedCase>> {
        let query = request.query(viewer)?;
        let page = self.store.list_cases(&query).await.map_err(list_failed)?;
        self.with_salesforce_cases(page).await
    }

    /// One page of a Care view for the Care page: each case with the first words of the
    /// message it was escalated from.
    pub async fn care_list(
        &self,
        viewer: &Viewer,
        request: CaseListRequest,
    ) -> AppResult<Page<CareRow>> {
        let query = request.query(viewer)?;
        let page = self.store.list_cases(&query).await.map_err(list_failed)?;
        // The escalated messages of the whole page in one read.
        let ids: Vec<MessageId> = page.items.iter().map(|r| r.case.escalated_from).collect();
        let messages: std::collections::HashMap<MessageId, Message> =
            match self.store.messages(&ids).await {
                Ok(found) => found.into_iter().map(|m| (m.id, m)).collect(),
                Err(error) => {
                    tracing::warn!(%error, "the cases' messages could not be read");
                    std::collections::HashMap::new()
                }
            };
        let cases: Vec<CaseId> = page.items.iter().map(|r| r.case.id).collect();
        let slas: std::collections::HashMap<CaseId, Vec<ShownTarget>> = self
            .store
            .case_slas(&cases)
            .await?
            .into_iter()
            .map(|(id, sla)| (id, sla.shown()))
            .collect();
        let items: Vec<CareRow> = page
            .items
            .into_iter()
            .map(|row| CareRow {
                escalated: messages.get(&row.case.escalated_from).cloned(),
                sla: slas.get(&row.case.id).cloned().unwrap_or_default(),
                row,
            })
            .collect();
        Ok(Page {
            items,
            next_cursor: page.next_cursor,
        })
    }

    /// The number of cases in each view for `user`, unfiltered.
    pub async fn case_counts(&self, user: &User) -> AppResult<Vec<(View, i64)>> {
        let viewer = case_viewer(user)?;
        Ok(self.store.case_counts(&viewer).await?)
    }

    /// A case `actor` may see.
    pub async fn case_for(&self, actor: &User, which: CaseRef) -> AppResult<Case> {
        let found = match which {
            CaseRef::Id(id) => self.store.case(id).await?,
            CaseRef::Number(number) => self.store.case_by_number(number).await?,
        };
        let case = found.or_not_found()?;
        policy::require_case_visible(actor, &case)?;
        Ok(case)
    }

    /// A case `actor` may see, with its customer and its Salesforce Case.
    pub async fn case_details(&self, actor: &User, which: CaseRef) -> AppResult<CaseDetails> {
        let case = self.case_for(actor, which).await?;
        self.details_of(actor, case).await
    }

    /// The customer and Salesforce Case of a case `actor` has (just acted on, or) may see.
    pub async fn details_of(&self, actor: &User, case: Case) -> AppResult<CaseDetails> {
        self.visible_details(actor, case).await?.or_not_found()
    }

    /// The details of a case when `actor` may see it; `None` when they may not (a Community
    /// agent who escalated it learns only its number and status).
    pub async fn visible_details(
        &self,
        actor: &User,
        case: Case,
    ) -> AppResult<Option<CaseDetails>> {
        if policy::require_case_visible(actor, &case).is_err() {
            return Ok(None);
        }
        let customer = self
            .store
            .customer(case.customer_id)
            .await?
            .or_not_found()?;
        let salesforce = self.store.salesforce_case(case.id).await?;
        let sla = self
            .store
            .case_slas(&[case.id])
            .await?
            .first()
            .map(|(_, sla)| sla.shown())
            .unwrap_or_default();
        Ok(Some(CaseDetails {
            case,
            customer,
            salesforce,
            sla,
        }))
    }

    /// A page of a visible case's messages in time order (a DM conversation: its last 500).
    pub async fn case_messages(
        &self,
        actor: &User,
        case: CaseId,
        page: PageRequest,
    ) -> AppResult<CaseMessages> {
        let case = self.case_for(actor, CaseRef::Id(case)).await?;
        let limit = page.limit()?;
        self.store
            .case_messages(case.id, page.cursor.as_deref(), limit)
            .await
            .map_err(list_failed)
    }

    /// A visible case's activity log, oldest first.
    pub async fn case_events(&self, actor: &User, case: CaseId) -> AppResult<Vec<StoredEvent>> {
        let case = self.case_for(actor, CaseRef::Id(case)).await?;
        Ok(self.store.case_events(case.id).await?)
    }

    /// A message of a profile `actor` works on (a note or reply they just wrote, say).
    pub async fn message_for(&self, actor: &User, id: MessageId) -> AppResult<Message> {
        let message = self.store.message(id).await?.or_not_found()?;
        policy::require_profile_member(actor, message.profile_id)?;
        Ok(message)
    }

    /// Adds to each case of a page its Salesforce Case and its service-level targets, each read
    /// in one statement.
    pub(crate) async fn with_salesforce_cases(
        &self,
        page: Page<CaseRow>,
    ) -> AppResult<Page<ListedCase>> {
        let ids: Vec<CaseId> = page.items.iter().map(|r| r.case.id).collect();
        let links = self.store.salesforce_cases(&ids).await?;
        let slas = self.store.case_slas(&ids).await?;
        let items = page
            .items
            .into_iter()
            .map(|row| {
                let salesforce = links
                    .iter()
                    .find(|(id, _)| *id == row.case.id)
                    .map(|(_, link)| link.clone());
                let sla = slas
                    .iter()
                    .find(|(id, _)| *id == row.case.id)
                    .map(|(_, sla)| sla.shown())
                    .unwrap_or_default();
                ListedCase {
                    row,
                    salesforce,
                    sla,
                }
            })
            .collect();
        Ok(Page {
            items,
            next_cursor: page.next_cursor,
        })
    }
}
