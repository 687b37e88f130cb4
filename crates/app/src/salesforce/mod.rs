//! The Salesforce integration's use cases (PRODUCT.md §7): the installation's connection and its
//! session, searching and linking accounts and contacts, creating a Salesforce Case from a Care
//! case, and the two background flows — Care status changes pushed to the linked Case through a
//! queue, and Salesforce's own status read back and recorded, never applied to Care.

mod cases;
mod links;
pub mod port;
mod session;
mod sync;

pub use port::{
    ApiProblem, ApiUsage, CaseState, Credentials, Found, FoundPage, NewSalesforceCase,
    SalesforceApi, SalesforceError, SearchObject, Session,
};
pub(crate) use session::SalesforceSetup;
pub use session::{ConnectInput, ConnectionView, SalesforceConfig};
pub(crate) use sync::{queue_syncs_for, record_case_events};
pub use sync::{PullPass, SyncPass};

/// Why a Salesforce action could not be done; the Care data is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SalesforceProblem {
    /// No connection is configured.
    #[error("Salesforce is not connected; an admin can connect it in Settings")]
    NotConnected,
    /// Salesforce refused the credentials or the session; an admin must reconnect.
    #[error("the Salesforce connection expired; an admin must reconnect it in Settings ({0})")]
    Expired(String),
    /// Salesforce refused the request; its words.
    #[error("{0}")]
    Refused(String),
    /// Salesforce could not be reached or is overloaded.
    #[error("{0}")]
    Unavailable(String),
}
