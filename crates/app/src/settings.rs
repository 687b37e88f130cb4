//! Settings and case fields (supervisors): the grace period and default capacity, and the
//! definitions of the fields a case carries. A change may name only the parts it changes; the
//! rest is read inside the same unit of work, so two supervisors changing different parts at
//! once both keep theirs.

use caredesk_domain::*;

use crate::directory::actor_of;
use crate::error::{AppResult, FoundOr};
use crate::App;

/// The settings to change; `None` keeps a part as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SettingsChange {
    /// 0 to 90 days, in seconds.
    pub grace_period_secs: Option<i64>,
    /// The capacity of new users.
    pub default_capacity: Option<u32>,
    /// Seconds without activity before a user shows as away.
    pub presence_idle_secs: Option<i64>,
}

/// The parts of a case field to change (its type never changes); `None` keeps a part.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFieldChange {
    pub name: Option<String>,
    pub options: Option<Vec<String>>,
    pub mandatory: Option<bool>,
    pub enabled: Option<bool>,
    pub position: Option<i64>,
}

impl App {
    /// Replaces the settings (supervisors).
    pub async fn update_settings(&self, actor: UserId, settings: Settings) -> AppResult<Settings> {
        self.change_settings(
            actor,
            SettingsChange {
                grace_period_secs: Some(settings.grace_period_secs),
                default_capacity: Some(settings.default_capacity),
                presence_idle_secs: Some(settings.presence_idle_secs),
            },
        )
        .await
    }

    /// Changes some of the settings (supervisors); answers all of them.
    pub async fn change_settings(
        &self,
        actor: UserId,
        change: SettingsChange,
    ) -> AppResult<Settings> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        policy::require_supervisor(&actor)?;
        let current = tx.settings().await?;
        let settings = Settings {
            grace_period_secs: change
                .grace_period_secs
                .unwrap_or(current.grace_period_secs),
            default_capacity: change.default_capacity.unwrap_or(current.default_capacity),
            presence_idle_secs: change
                .presence_idle_secs
                .unwrap_or(current.presence_idle_secs),
        };
        settings.validate()?;
        tx.save_settings(&settings).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "settings_updated",
            "settings",
        )])
        .await?;
        tx.commit().await?;
        Ok(settings)
    }

    /// Adds a case field (supervisors); new fields start disabled unless asked otherwise.
    pub async fn create_case_field(
        &self,
        actor: Option<UserId>,
        field: NewCaseField,
    ) -> AppResult<CaseField> {
        let mut tx = self.store.begin().await?;
        if let Some(actor) = actor_of(tx.as_mut(), actor).await? {
            policy::require_supervisor(&actor)?;
        }
        field.validate()?;
        let field = tx.insert_case_field(&field).await?;
        tx.insert_events(&[Event::admin(
            actor,
            self.now(),
            "case_field_created",
            field.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(field)
    }

    /// Replaces a case field's definition (supervisors).
    pub async fn update_case_field(&self, actor: UserId, field: CaseField) -> AppResult<CaseField> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        policy::require_supervisor(&actor)?;
        let existing = tx.case_fields().await?;
        let before = existing.iter().find(|f| f.id == field.id).or_not_found()?;
        if before.kind != field.kind {
            return Err(Refusal::Conflict("a field's type cannot change".into()).into());
        }
        field.validate()?;
        tx.update_case_field(&field).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "case_field_updated",
            field.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(field)
    }

    /// Changes some parts of a case field (supervisors): 404 for an unknown field before 403
    /// for a caller who may not change it. A removed option stays readable on old cases.
    pub async fn change_case_field(
        &self,
        actor: UserId,
        id: CaseFieldId,
        change: CaseFieldChange,
    ) -> AppResult<CaseField> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        let mut field = tx
            .case_fields()
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .or_not_found()?;
        policy::require_supervisor(&actor)?;
        field.name = change.name.unwrap_or(field.name);
        field.options = change.options.unwrap_or(field.options);
        field.mandatory = change.mandatory.unwrap_or(field.mandatory);
        field.enabled = change.enabled.unwrap_or(field.enabled);
        field.position = change.position.unwrap_or(field.position);
        field.validate()?;
        tx.update_case_field(&field).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "case_field_updated",
            field.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(field)
    }

    /// Deletes a case field's definition (supervisors); values stay stored on old cases.
    pub async fn delete_case_field(&self, actor: UserId, id: CaseFieldId) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        tx.case_fields()
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .or_not_found()?;
        policy::require_supervisor(&actor)?;
        tx.delete_case_field(id).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "case_field_deleted",
            id,
        )])
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
