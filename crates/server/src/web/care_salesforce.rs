//! The Salesforce tab of the case screen: the connection in words, the customer's linked
//! account and contact with a search to link them, the Salesforce Case of this case (with its
//! link, Salesforce's own status read-only, and a waiting status sync explained) or the button to
//! create it — disabled with the reason when the 90-day window has passed.

use caredesk_app::queries::{SalesforceCaseRead, SalesforceTabReads};
use caredesk_domain::salesforce::{check_window, ConnectionState};
use caredesk_domain::{Case, Customer, Timestamp};

/// What the tab shows.
pub(crate) struct SalesforceTab {
    /// The connection works (search, link and create are offered).
    pub(crate) connected: bool,
    /// The connection in words.
    pub(crate) connection_words: String,
    pub(crate) account_name: String,
    pub(crate) contact_name: String,
    /// The linked Salesforce Case, if any.
    pub(crate) case_id: String,
    pub(crate) case_label: String,
    pub(crate) case_url: String,
    pub(crate) case_status: String,
    /// A status sync still waiting, in words.
    pub(crate) sync_words: String,
    /// Why a Salesforce Case cannot be created now (empty when it can).
    pub(crate) create_reason: String,
}

fn connection_words(state: Option<ConnectionState>, error: Option<&str>) -> String {
    match state {
        None | Some(ConnectionState::None) => {
            "Salesforce is not connected. An admin can connect it in Settings.".to_owned()
        }
        Some(ConnectionState::Connected) => "Connected to Salesforce.".to_owned(),
        Some(ConnectionState::Expired) => format!(
            "The Salesforce connection expired; an admin must reconnect it in Settings. {}",
            error.unwrap_or("")
        )
        .trim()
        .to_owned(),
        Some(ConnectionState::Error) => format!(
            "The Salesforce connection is not working: {}",
            error.unwrap_or("unknown error")
        ),
    }
}

/// The tab for a case (problems reading it are shown in its words, never fail the page).
pub(crate) fn tab(
    reads: &SalesforceTabReads,
    case: &Case,
    customer: &Customer,
    now: Timestamp,
) -> SalesforceTab {
    let connected = reads.connection == Some(ConnectionState::Connected);
    let words = connection_words(reads.connection, reads.connection_error.as_deref());
    let link = customer.salesforce.clone().unwrap_or_default();
    let mut tab = SalesforceTab {
        connected,
        connection_words: words,
        account_name: link.account_name.unwrap_or_default(),
        contact_name: link.contact_name.unwrap_or_default(),
        case_id: String::new(),
        case_label: String::new(),
        case_url: String::new(),
        case_status: String::new(),
        sync_words: String::new(),
        create_reason: String::new(),
    };
    match &reads.case {
        SalesforceCaseRead::Linked { case: sf, sync } => {
            tab.case_label = sf.number.clone().unwrap_or_else(|| sf.id.clone());
            tab.case_id = sf.id.clone();
            tab.case_url = sf.url.clone();
            tab.case_status = sf
                .status
                .clone()
                .unwrap_or_else(|| "not read yet".to_owned());
            if let Some(sync) = sync {
                tab.sync_words = match (sync.next_attempt_at, &sync.last_error) {
                    (Some(at), Some(error)) => format!(
                        "The latest Care status has not reached Salesforce yet ({error}); next try at {}.",
                        at.to_rfc3339()
                    ),
                    (Some(_), None) => "The latest Care status is on its way to Salesforce.".to_owned(),
                    (None, error) => format!(
                        "Salesforce refused the latest Care status: {}. The next change will be sent again.",
                        error.as_deref().unwrap_or_default()
                    ),
                };
            }
        }
        SalesforceCaseRead::NotLinked => {
            tab.create_reason =
                match check_window(case.last_customer_message_at, case.created_at, now) {
                    Err(refusal) => refusal.to_string(),
                    Ok(()) if !connected => "Connect Salesforce first.".to_owned(),
                    Ok(()) => String::new(),
                };
        }
        SalesforceCaseRead::Unreadable => {
            tab.create_reason = "The Salesforce link could not be read; try again.".to_owned();
        }
    }
    tab
}
