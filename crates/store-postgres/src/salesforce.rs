//! The Salesforce parts of [`caredesk_store::Store`] and [`caredesk_store::Tx`] on PostgreSQL:
//! reads on the pool, writes inside the unit of work (whose reads lock the rows they find).

use async_trait::async_trait;
use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::{CaseId, Timestamp};
use caredesk_store::salesforce::*;

use crate::queries::salesforce::{self as q, Lock};
use crate::rows::Result;
use crate::tx::PgTx;
use crate::PgStore;

#[async_trait]
impl SalesforceReads for PgStore {
    async fn salesforce_connection(&self) -> Result<Option<SalesforceConnection>> {
        q::connection(&mut *self.reader().await?, Lock::No).await
    }

    async fn salesforce_case(&self, case: CaseId) -> Result<Option<SalesforceCase>> {
        q::case(&mut *self.reader().await?, case, Lock::No).await
    }

    async fn salesforce_cases(&self, cases: &[CaseId]) -> Result<Vec<(CaseId, SalesforceCase)>> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        q::cases(&mut *self.reader().await?, cases).await
    }

    async fn salesforce_sync_state(&self, case: CaseId) -> Result<Option<SalesforceSyncState>> {
        q::sync_state(&mut *self.reader().await?, case).await
    }

    async fn salesforce_sync_depth(&self) -> Result<i64> {
        q::sync_depth(&mut *self.reader().await?).await
    }
}

#[async_trait]
impl SalesforceWrites for PgTx {
    async fn salesforce_connection(&mut self) -> Result<Option<SalesforceConnection>> {
        q::connection(self.conn(), Lock::ForUpdate).await
    }

    async fn save_salesforce_connection(
        &mut self,
        connection: &SalesforceConnection,
    ) -> Result<()> {
        q::save_connection(self.conn(), connection).await
    }

    async fn delete_salesforce_connection(&mut self) -> Result<()> {
        q::delete_connection(self.conn()).await
    }

    async fn salesforce_case(&mut self, case: CaseId) -> Result<Option<SalesforceCase>> {
        q::case(self.conn(), case, Lock::ForUpdate).await
    }

    async fn insert_salesforce_case(&mut self, case: CaseId, link: &SalesforceCase) -> Result<()> {
        q::insert_case(self.conn(), case, link).await
    }

    async fn set_salesforce_case_state(
        &mut self,
        case: CaseId,
        number: Option<&str>,
        status: &str,
        now: Timestamp,
    ) -> Result<()> {
        q::set_case_state(self.conn(), case, number, status, now).await
    }

    async fn queue_salesforce_sync(&mut self, case: CaseId, now: Timestamp) -> Result<()> {
        q::queue_sync(self.conn(), case, now).await
    }

    async fn claim_salesforce_syncs(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<SalesforceSync>> {
        q::claim_syncs(self.conn(), now, lease_until, limit).await
    }

    async fn end_salesforce_sync(&mut self, sync: &SalesforceSync, end: &SyncEnd) -> Result<()> {
        q::end_sync(self.conn(), sync, end).await
    }

    async fn claim_salesforce_pulls(
        &mut self,
        read_before: Timestamp,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<(CaseId, SalesforceCase)>> {
        q::claim_pulls(self.conn(), read_before, now, limit).await
    }
}
