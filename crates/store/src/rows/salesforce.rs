//! Decoding the Salesforce integration's rows: the connection, a linked Case and a status sync.

use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::CaseId;

use super::{opt_ts, ts, word, Columns, Result};
use crate::salesforce::{SalesforceConnection, SalesforceSync, SalesforceSyncState};
use crate::StoreError;

fn attempts(row: &dyn Columns) -> Result<u32> {
    u32::try_from(row.int("attempts")?).map_err(|e| StoreError::Corrupt(format!("attempts: {e}")))
}

/// The installation's Salesforce connection.
pub fn salesforce_connection(row: &dyn Columns) -> Result<SalesforceConnection> {
    Ok(SalesforceConnection {
        login_url: row.text("login_url")?,
        client_id: row.text("client_id")?,
        client_secret: row.text("client_secret")?,
        refresh_token: row.opt_text("refresh_token")?,
        access_token: row.opt_text("access_token")?,
        instance_url: row.opt_text("instance_url")?,
        state: word(row, "state")?,
        error: row.opt_text("error")?,
        connected_at: opt_ts(row, "connected_at")?,
        updated_at: ts(row, "updated_at")?,
    })
}

/// A Salesforce Case linked to a case (columns of `salesforce_cases`).
pub fn salesforce_case(row: &dyn Columns) -> Result<SalesforceCase> {
    Ok(SalesforceCase {
        id: row.text("salesforce_id")?,
        number: row.opt_text("number")?,
        url: row.text("url")?,
        status: row.opt_text("status")?,
        created_at: ts(row, "created_at")?,
    })
}

/// A linked Case with the case it belongs to.
pub fn linked_salesforce_case(row: &dyn Columns) -> Result<(CaseId, SalesforceCase)> {
    Ok((CaseId(row.int("case_id")?), salesforce_case(row)?))
}

/// A claimed status sync (the sync's columns and the linked Case's `salesforce_id`).
pub fn salesforce_sync(row: &dyn Columns) -> Result<SalesforceSync> {
    Ok(SalesforceSync {
        case_id: CaseId(row.int("case_id")?),
        salesforce_id: row.text("salesforce_id")?,
        generation: row.int("generation")?,
        attempts: attempts(row)?,
    })
}

/// Where a case's status sync stands.
pub fn salesforce_sync_state(row: &dyn Columns) -> Result<SalesforceSyncState> {
    Ok(SalesforceSyncState {
        attempts: attempts(row)?,
        next_attempt_at: opt_ts(row, "next_attempt_at")?,
        last_error: row.opt_text("last_error")?,
    })
}
