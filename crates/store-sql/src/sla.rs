//! The service-level parts of the store: reads on a reader connection, writes inside the unit
//! of work.

use async_trait::async_trait;
use caredesk_domain::sla::{CaseSla, CheckedSlaPolicy, Schedule, ScheduleRules, SlaPolicy};
use caredesk_domain::{CaseId, ScheduleId, SlaPolicyId, Timestamp};
use caredesk_store::sla::{DueSla, SlaReads, SlaWrites};
use caredesk_store::StoreError;

use crate::queries::sla as q;
use crate::{Backend, Lock, SqlStore, SqlTx};

type Result<T> = std::result::Result<T, StoreError>;

#[async_trait]
impl<B: Backend> SlaReads for SqlStore<B> {
    async fn schedules(&self) -> Result<Vec<Schedule>> {
        q::schedules(&mut self.backend().reader().await?.conn()).await
    }

    async fn sla_policies(&self) -> Result<Vec<SlaPolicy>> {
        q::policies(&mut self.backend().reader().await?.conn()).await
    }

    async fn case_slas(&self, cases: &[CaseId]) -> Result<Vec<(CaseId, CaseSla)>> {
        q::case_slas(&mut self.backend().reader().await?.conn(), cases, Lock::No).await
    }
}

#[async_trait]
impl<B: Backend> SlaWrites for SqlTx<B> {
    async fn schedule_for_update(&mut self, id: ScheduleId) -> Result<Option<Schedule>> {
        q::schedule(&mut self.conn(), id, Lock::ForUpdate).await
    }

    async fn schedule_in_tx(&mut self, id: ScheduleId) -> Result<Option<Schedule>> {
        q::schedule(&mut self.conn(), id, Lock::No).await
    }

    async fn insert_schedule(
        &mut self,
        name: &str,
        rules: &ScheduleRules,
        now: Timestamp,
    ) -> Result<Schedule> {
        q::insert_schedule(&mut self.conn(), name, rules, now).await
    }

    async fn update_schedule(&mut self, schedule: &Schedule) -> Result<()> {
        q::update_schedule(&mut self.conn(), schedule).await
    }

    async fn delete_schedule(&mut self, id: ScheduleId) -> Result<()> {
        q::delete_schedule(&mut self.conn(), id).await
    }

    async fn sla_policies_in_tx(&mut self) -> Result<Vec<SlaPolicy>> {
        q::policies(&mut self.conn()).await
    }

    async fn sla_policy_for_update(&mut self, id: SlaPolicyId) -> Result<Option<SlaPolicy>> {
        q::policy(&mut self.conn(), id, Lock::ForUpdate).await
    }

    async fn insert_sla_policy(
        &mut self,
        policy: &CheckedSlaPolicy,
        now: Timestamp,
    ) -> Result<SlaPolicy> {
        q::insert_policy(&mut self.conn(), policy, now).await
    }

    async fn update_sla_policy(&mut self, policy: &SlaPolicy) -> Result<()> {
        q::update_policy(&mut self.conn(), policy).await
    }

    async fn delete_sla_policy(&mut self, id: SlaPolicyId) -> Result<()> {
        q::delete_policy(&mut self.conn(), id).await
    }

    async fn case_sla(&mut self, case: CaseId) -> Result<Option<CaseSla>> {
        q::case_sla(&mut self.conn(), case).await
    }

    async fn case_slas_in_tx(&mut self, cases: &[CaseId]) -> Result<Vec<(CaseId, CaseSla)>> {
        q::case_slas(&mut self.conn(), cases, Lock::ForUpdate).await
    }

    async fn save_case_sla(&mut self, case: CaseId, sla: Option<&CaseSla>) -> Result<()> {
        q::save_case_sla(&mut self.conn(), case, sla).await
    }

    async fn save_case_slas(&mut self, slas: &[(CaseId, CaseSla)]) -> Result<()> {
        q::save_case_slas(&mut self.conn(), slas).await
    }

    async fn due_case_slas(&mut self, now: Timestamp, limit: u32) -> Result<Vec<DueSla>> {
        q::due_case_slas(&mut self.conn(), now, limit).await
    }
}
