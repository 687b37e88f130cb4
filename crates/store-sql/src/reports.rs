//! The report parts of the store: reads on a reader connection.

use async_trait::async_trait;
use caredesk_domain::report::ReportCase;
use caredesk_store::reports::{ReportQuery, ReportReads};
use caredesk_store::StoreError;

use crate::queries::reports as q;
use crate::{Backend, SqlStore};

#[async_trait]
impl<B: Backend> ReportReads for SqlStore<B> {
    async fn report_cases(&self, query: &ReportQuery<'_>) -> Result<Vec<ReportCase>, StoreError> {
        q::page(&mut self.backend().reader().await?.conn(), query).await
    }
}
