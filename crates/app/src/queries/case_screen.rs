//! Everything the Care page shows of the case a user opened: its customer, its conversation and
//! activity log, the case fields, the customer's other cases and conversations on the user's
//! profiles (the History tab) and what the Salesforce tab needs. A fixed number of statements
//! whatever the case's size: the conversation is read in pages of 200, up to 2,000 messages.

use caredesk_domain::salesforce::{ConnectionState, SalesforceCase};
use caredesk_domain::{policy, Case, CaseField, Customer, Message, User};
use caredesk_store::salesforce::SalesforceSyncState;
use caredesk_store::{ConversationSummary, StoredEvent};

use super::cases::case_viewer;
use crate::error::{AppResult, FoundOr};
use crate::App;

/// Messages read at once.
const CONVERSATION_PAGE: u32 = 200;
/// The most messages the page gathers.
const CONVERSATION_MAX: usize = 2_000;
/// Earlier cases and conversations the History tab lists.
const HISTORY_ROWS: u32 = 20;

/// What the Salesforce tab knows of the case's Salesforce Case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SalesforceCaseRead {
    /// Linked, with the status sync still waiting, if any.
    Linked {
        /// The Salesforce Case.
        case: SalesforceCase,
        /// The waiting status sync.
        sync: Option<SalesforceSyncState>,
    },
    /// Not linked yet.
    NotLinked,
    /// The link could not be read (the tab says so; the page still shows).
    Unreadable,
}

/// What the Salesforce tab needs: never a secret of the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesforceTabReads {
    /// The connection's state (`None`: none configured, or it could not be read).
    pub connection: Option<ConnectionState>,
    /// What went wrong with it last, in words.
    pub connection_error: Option<String>,
    /// The case's Salesforce Case.
    pub case: SalesforceCaseRead,
}

/// The case a user opened, with everything its screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseScreen {
    /// The case.
    pub case: Case,
    /// Its customer.
    pub customer: Customer,
    /// Its messages and notes in time order.
    pub messages: Vec<Message>,
    /// Its activity log, oldest first.
    pub events: Vec<StoredEvent>,
    /// Every case-field definition (the log names fields that are disabled now).
    pub fields: Vec<CaseField>,
    /// The customer's newest cases on the user's profiles.
    pub history: Vec<caredesk_store::CaseRow>,
    /// The customer's most recent conversations on the user's profiles.
    pub conversations: Vec<ConversationSummary>,
    /// The Salesforce tab's reads.
    pub salesforce: SalesforceTabReads,
    /// Its service-level targets.
    pub sla: Vec<caredesk_domain::sla::ShownTarget>,
}

impl App {
    /// The screen of `case`, which `actor` opened (404 when they may not see it).
    pub async fn case_page_reads(&self, actor: &User, case: Case) -> AppResult<CaseScreen> {
        policy::require_case_visible(actor, &case)?;
        let viewer = case_viewer(actor)?;
        let store = self.store.as_ref();
        let customer = store.customer(case.customer_id).await?.or_not_found()?;
        let mut messages = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = store
                .case_messages(case.id, cursor.as_deref(), CONVERSATION_PAGE)
                .await?
                .page;
            messages.extend(page.items);
            match page.next_cursor {
                Some(next) if messages.len() < CONVERSATION_MAX => cursor = Some(next),
                _ => break,
            }
        }
        let events = store.case_events(case.id).await?;
        let fields = store.case_fields().await?;
        let history = store
            .customer_cases(case.customer_id, &viewer.profiles, None, HISTORY_ROWS)
            .await?
            .items;
        let conversations = store
            .customer_conversations(case.customer_id, &viewer.profiles, None, HISTORY_ROWS)
            .await?
            .items;
        let salesforce = self.salesforce_tab_reads(&case).await;
        let sla = store
            .case_slas(&[case.id])
            .await?
            .first()
            .map(|(_, sla)| sla.shown())
            .unwrap_or_default();
        Ok(CaseScreen {
            case,
            customer,
            messages,
            events,
            fields,
            history,
            conversations,
            salesforce,
            sla,
        })
    }

    /// The Salesforce tab's reads; a failure shows in the tab, never fails the page.
    async fn salesforce_tab_reads(&self, case: &Case) -> SalesforceTabReads {
        let store = self.store.as_ref();
        let connection = match store.salesforce_connection().await {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(%error, "salesforce tab: cannot read the connection");
                None
            }
        };
        let read = match store.salesforce_case(case.id).await {
            Ok(Some(link)) => SalesforceCaseRead::Linked {
                case: link,
                sync: store.salesforce_sync_state(case.id).await.ok().flatten(),
            },
            Ok(None) => SalesforceCaseRead::NotLinked,
            Err(error) => {
                tracing::warn!(%error, case.id = %case.id, "salesforce tab: cannot read the link");
                SalesforceCaseRead::Unreadable
            }
        };
        SalesforceTabReads {
            connection: connection.as_ref().map(|c| c.state),
            connection_error: connection.and_then(|c| c.error),
            case: read,
        }
    }
}
