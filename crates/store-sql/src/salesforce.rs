//! The Salesforce parts of the store: reads on a reader connection, writes inside the unit of
//! work (whose reads lock the rows they find where the dialect locks rows). The claims are the
//! backend's.

use async_trait::async_trait;
use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::{CaseId, Timestamp};
use caredesk_store::salesforce::{
    SalesforceConnection, SalesforceReads, SalesforceSync, SalesforceSyncState, SalesforceWrites,
    SyncEnd,
};
use caredesk_store::StoreError;

use crate::queries::salesforce as q;
use crate::{Backend, Claim, Lock, SqlStore, SqlTx};

type Result<T> = std::result::Result<T, StoreError>;

#[async_trait]
impl<B: Backend> SalesforceReads for SqlStore<B> {
    async fn salesforce_connection(&self) -> Result<Option<SalesforceConnection>> {
        q::connection(
            &mut self.backend().reader().await?.conn(),
            &self.secrets,
            Lock::No,
        )
        .await
    }

    async fn salesforce_case(&self, case: CaseId) -> Result<Option<SalesforceCase>> {
        q::case(&mut self.backend().reader().await?.conn(), case, Lock::No).await
    }

    async fn salesforce_cases(&self, cases: &[CaseId]) -> Result<Vec<(CaseId, SalesforceCase)>> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        q::cases(&mut self.backend().reader().await?.conn(), cases).await
    }

    async fn salesforce_sync_state(&self, case: CaseId) -> Result<Option<SalesforceSyncState>> {
        q::sync_state(&mut self.backend().reader().await?.conn(), case).await
    }

    async fn salesforce_sync_depth(&self) -> Result<i64> {
        q::sync_depth(&mut self.backend().reader().await?.conn()).await
    }
}

#[async_trait]
impl<B: Backend> SalesforceWrites for SqlTx<B> {
    async fn salesforce_connection(&mut self) -> Result<Option<SalesforceConnection>> {
        let secrets = self.secrets.clone();
        q::connection(&mut self.conn(), &secrets, Lock::ForUpdate).await
    }

    async fn save_salesforce_connection(
        &mut self,
        connection: &SalesforceConnection,
    ) -> Result<()> {
        let secrets = self.secrets.clone();
        q::save_connection(&mut self.conn(), &secrets, connection).await
    }

    async fn delete_salesforce_connection(&mut self) -> Result<()> {
        q::delete_connection(&mut self.conn()).await
    }

    async fn salesforce_case(&mut self, case: CaseId) -> Result<Option<SalesforceCase>> {
        q::case(&mut self.conn(), case, Lock::ForUpdate).await
    }

    async fn insert_salesforce_case(&mut self, case: CaseId, link: &SalesforceCase) -> Result<()> {
        q::insert_case(&mut self.conn(), case, link).await
    }

    async fn set_salesforce_case_state(
        &mut self,
        case: CaseId,
        number: Option<&str>,
        status: &str,
        now: Timestamp,
    ) -> Result<()> {
        q::set_case_state(&mut self.conn(), case, number, status, now).await
    }

    async fn queue_salesforce_sync(&mut self, case: CaseId, now: Timestamp) -> Result<()> {
        q::queue_sync(&mut self.conn(), case, now).await
    }

    async fn claim_salesforce_syncs(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<SalesforceSync>> {
        let (backend, mut conn) = self.backend_and_conn();
        let claim = Claim {
            due: now,
            mark: lease_until,
            limit,
        };
        backend.claim_salesforce_syncs(&mut conn, claim).await
    }

    async fn end_salesforce_sync(&mut self, sync: &SalesforceSync, end: &SyncEnd) -> Result<()> {
        q::end_sync(&mut self.conn(), sync, end).await
    }

    async fn claim_salesforce_pulls(
        &mut self,
        read_before: Timestamp,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<(CaseId, SalesforceCase)>> {
        let (backend, mut conn) = self.backend_and_conn();
        let claim = Claim {
            due: read_before,
            mark: now,
            limit,
        };
        backend.claim_salesforce_pulls(&mut conn, claim).await
    }
}
