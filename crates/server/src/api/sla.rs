//! Service levels (API.md "Service levels and reports"): schedules and SLA policies, kept by
//! supervisors. Bodies are checked whole by the domain; a bad field is 422 naming it and
//! nothing changes.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use caredesk_app::sla::settings::{ScheduleChange, SlaPolicyChange};
use caredesk_domain::sla::{
    Schedule, ScheduleDraft, SlaConditions, SlaPolicy, SlaPolicyDraft, SlaTargets,
};
use caredesk_domain::{ScheduleId, SlaPolicyId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::{present, Body};
use crate::AppState;

/// A schedule: business hours in a time zone, and holidays.
#[derive(Serialize, ToSchema)]
pub struct ScheduleBody {
    id: String,
    name: String,
    /// An IANA time zone.
    time_zone: String,
    /// Open hours per day (`mon` … `sun`), local `HH:MM` pairs; a closed day is `[]`.
    #[schema(value_type = Object)]
    hours: serde_json::Value,
    /// Closed dates, `YYYY-MM-DD`.
    holidays: Vec<String>,
}

impl From<&Schedule> for ScheduleBody {
    fn from(s: &Schedule) -> Self {
        let shown = serde_json::to_value(s).unwrap_or_default();
        let draft = s.to_draft();
        ScheduleBody {
            id: s.id.to_string(),
            name: s.name.clone(),
            time_zone: s.rules.time_zone.to_string(),
            hours: shown["hours"].clone(),
            holidays: draft.holidays,
        }
    }
}

/// Schedules.
#[derive(Serialize, ToSchema)]
pub struct ScheduleList {
    items: Vec<ScheduleBody>,
    next_cursor: Option<String>,
}

/// `POST /api/v1/schedules`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewScheduleBody {
    name: String,
    /// An IANA time zone such as `Europe/Paris`.
    time_zone: String,
    /// `{"mon": [["09:00","17:00"]], …}`; a missing day is closed.
    #[serde(default)]
    #[schema(value_type = Object)]
    hours: BTreeMap<String, Vec<[String; 2]>>,
    /// `YYYY-MM-DD` dates.
    #[serde(default)]
    holidays: Vec<String>,
}

/// `PATCH /api/v1/schedules/{id}`: the parts to change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SchedulePatch {
    name: Option<String>,
    time_zone: Option<String>,
    #[schema(value_type = Option<Object>)]
    hours: Option<BTreeMap<String, Vec<[String; 2]>>>,
    holidays: Option<Vec<String>>,
}

/// An SLA policy: which cases, which targets, counted in which time.
#[derive(Serialize, ToSchema)]
pub struct SlaPolicyBody {
    id: String,
    name: String,
    /// 1 is tried first.
    position: i64,
    /// `{profile_ids, networks, priorities}`; an empty list is any.
    #[schema(value_type = Object)]
    conditions: SlaConditions,
    /// `{first_response_secs, next_response_secs, resolution_secs}`, each optional.
    #[schema(value_type = Object)]
    targets: SlaTargets,
    /// The share of a target after which a warning is recorded.
    warn_at: f64,
    /// The schedule counted in; null counts calendar time.
    schedule_id: Option<String>,
}

impl From<&SlaPolicy> for SlaPolicyBody {
    fn from(p: &SlaPolicy) -> Self {
        SlaPolicyBody {
            id: p.id.to_string(),
            name: p.name.clone(),
            position: p.position,
            conditions: p.conditions.clone(),
            targets: p.targets,
            warn_at: p.warn_at,
            schedule_id: p.schedule_id.map(|s| s.to_string()),
        }
    }
}

/// SLA policies, in order.
#[derive(Serialize, ToSchema)]
pub struct SlaPolicyList {
    items: Vec<SlaPolicyBody>,
    next_cursor: Option<String>,
}

/// `POST /api/v1/sla-policies`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSlaPolicyBody {
    name: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    conditions: SlaConditions,
    #[serde(default)]
    #[schema(value_type = Object)]
    targets: SlaTargets,
    /// 0 < warn_at < 1; 0.8 when absent.
    warn_at: Option<f64>,
    #[schema(value_type = Option<String>)]
    schedule_id: Option<ScheduleId>,
}

/// `PATCH /api/v1/sla-policies/{id}`: the parts to change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicyPatch {
    name: Option<String>,
    position: Option<i64>,
    #[schema(value_type = Option<Object>)]
    conditions: Option<SlaConditions>,
    #[schema(value_type = Option<Object>)]
    targets: Option<SlaTargets>,
    warn_at: Option<f64>,
    /// null counts calendar time.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    schedule_id: Option<Option<ScheduleId>>,
}

fn schedule_id(id: &str) -> ApiResult<ScheduleId> {
    id.parse().map_err(|_| ApiError::not_found())
}

fn policy_id(id: &str) -> ApiResult<SlaPolicyId> {
    id.parse().map_err(|_| ApiError::not_found())
}

/// Every schedule (supervisors).
#[utoipa::path(get, path = "/api/v1/schedules", tag = "service levels",
    responses((status = 200, body = ScheduleList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_schedules(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ScheduleList>> {
    let schedules = state.app.schedules(&caller.user).await?;
    Ok(Json(ScheduleList {
        items: schedules.iter().map(ScheduleBody::from).collect(),
        next_cursor: None,
    }))
}

/// Adds a schedule (supervisors).
#[utoipa::path(post, path = "/api/v1/schedules", tag = "service levels", request_body = NewScheduleBody,
    responses((status = 201, body = ScheduleBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_schedule(
    State(state): State<AppState>,
    caller: Caller,
    Body(new): Body<NewScheduleBody>,
) -> ApiResult<(StatusCode, Json<ScheduleBody>)> {
    let draft = ScheduleDraft {
        name: new.name,
        time_zone: new.time_zone,
        hours: new.hours,
        holidays: new.holidays,
    };
    let schedule = state.app.create_schedule(caller.user.id, draft).await?;
    Ok((StatusCode::CREATED, Json(ScheduleBody::from(&schedule))))
}

/// Changes a schedule (supervisors).
#[utoipa::path(patch, path = "/api/v1/schedules/{id}", tag = "service levels", params(("id" = String, Path)), request_body = SchedulePatch,
    responses((status = 200, body = ScheduleBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_schedule(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(patch): Body<SchedulePatch>,
) -> ApiResult<Json<ScheduleBody>> {
    let change = ScheduleChange {
        name: patch.name,
        time_zone: patch.time_zone,
        hours: patch.hours,
        holidays: patch.holidays,
    };
    let schedule = state
        .app
        .change_schedule(caller.user.id, schedule_id(&id)?, change)
        .await?;
    Ok(Json(ScheduleBody::from(&schedule)))
}

/// Deletes a schedule no policy counts in (supervisors; 409 when one does).
#[utoipa::path(delete, path = "/api/v1/schedules/{id}", tag = "service levels", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_schedule(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state
        .app
        .delete_schedule(caller.user.id, schedule_id(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every SLA policy, in order (supervisors).
#[utoipa::path(get, path = "/api/v1/sla-policies", tag = "service levels",
    responses((status = 200, body = SlaPolicyList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_sla_policies(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SlaPolicyList>> {
    let policies = state.app.sla_policies(&caller.user).await?;
    Ok(Json(SlaPolicyList {
        items: policies.iter().map(SlaPolicyBody::from).collect(),
        next_cursor: None,
    }))
}

/// Adds an SLA policy after the others (supervisors).
#[utoipa::path(post, path = "/api/v1/sla-policies", tag = "service levels", request_body = NewSlaPolicyBody,
    responses((status = 201, body = SlaPolicyBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_sla_policy(
    State(state): State<AppState>,
    caller: Caller,
    Body(new): Body<NewSlaPolicyBody>,
) -> ApiResult<(StatusCode, Json<SlaPolicyBody>)> {
    let draft = SlaPolicyDraft {
        name: new.name,
        conditions: new.conditions,
        targets: new.targets,
        warn_at: new.warn_at,
        schedule_id: new.schedule_id,
    };
    let policy = state.app.create_sla_policy(caller.user.id, draft).await?;
    Ok((StatusCode::CREATED, Json(SlaPolicyBody::from(&policy))))
}

/// Changes an SLA policy (supervisors).
#[utoipa::path(patch, path = "/api/v1/sla-policies/{id}", tag = "service levels", params(("id" = String, Path)), request_body = SlaPolicyPatch,
    responses((status = 200, body = SlaPolicyBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_sla_policy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(patch): Body<SlaPolicyPatch>,
) -> ApiResult<Json<SlaPolicyBody>> {
    let change = SlaPolicyChange {
        name: patch.name,
        position: patch.position,
        conditions: patch.conditions,
        targets: patch.targets,
        warn_at: patch.warn_at,
        schedule_id: patch.schedule_id,
    };
    let policy = state
        .app
        .change_sla_policy(caller.user.id, policy_id(&id)?, change)
        .await?;
    Ok(Json(SlaPolicyBody::from(&policy)))
}

/// Deletes an SLA policy; cases keep the targets it set (supervisors).
#[utoipa::path(delete, path = "/api/v1/sla-policies/{id}", tag = "service levels", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_sla_policy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state
        .app
        .delete_sla_policy(caller.user.id, policy_id(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
