//! Installation settings and case-field definitions: Care users read them, supervisors change
//! them. Signed-in users without Care access read the enabled fields (the escalation dialog
//! needs them).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use caredesk_app::{CaseFieldChange, SettingsChange};
use caredesk_domain::{CaseField, CaseFieldId, FieldKind, NewCaseField};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::Body;
use crate::AppState;

/// The settings.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SettingsBody {
    /// 0 to 7,776,000 (90 days); default 432,000 (5 days).
    grace_period_secs: i64,
    default_capacity: u32,
    /// 60 to 86,400: seconds without activity before a user shows as away (default 300).
    presence_idle_secs: i64,
}

impl From<caredesk_domain::Settings> for SettingsBody {
    fn from(s: caredesk_domain::Settings) -> Self {
        SettingsBody {
            grace_period_secs: s.grace_period_secs,
            default_capacity: s.default_capacity,
            presence_idle_secs: s.presence_idle_secs,
        }
    }
}

/// Reads the settings (Care users).
#[utoipa::path(get, path = "/api/v1/settings", tag = "settings",
    responses((status = 200, body = SettingsBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_settings(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SettingsBody>> {
    let s = state.app.settings_for(&caller.user).await?;
    Ok(Json(SettingsBody::from(s)))
}

/// `PATCH /api/v1/settings`: the parts to change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    grace_period_secs: Option<i64>,
    default_capacity: Option<u32>,
    presence_idle_secs: Option<i64>,
}

/// Changes the settings (supervisors).
#[utoipa::path(patch, path = "/api/v1/settings", tag = "settings", request_body = SettingsPatch,
    responses((status = 200, body = SettingsBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_settings(
    State(state): State<AppState>,
    caller: Caller,
    Body(patch): Body<SettingsPatch>,
) -> ApiResult<Json<SettingsBody>> {
    let change = SettingsChange {
        grace_period_secs: patch.grace_period_secs,
        default_capacity: patch.default_capacity,
        presence_idle_secs: patch.presence_idle_secs,
    };
    let s = state.app.change_settings(caller.user.id, change).await?;
    Ok(Json(SettingsBody::from(s)))
}

/// A case-field definition.
#[derive(Serialize, ToSchema)]
pub struct FieldBody {
    id: String,
    name: String,
    kind: String,
    options: Vec<String>,
    mandatory: bool,
    enabled: bool,
    position: i64,
}

impl From<&CaseField> for FieldBody {
    fn from(f: &CaseField) -> Self {
        FieldBody {
            id: f.id.to_string(),
            name: f.name.clone(),
            kind: f.kind.to_string(),
            options: f.options.clone(),
            mandatory: f.mandatory,
            enabled: f.enabled,
            position: f.position,
        }
    }
}

/// A list of field definitions.
#[derive(Serialize, ToSchema)]
pub struct FieldList {
    items: Vec<FieldBody>,
    next_cursor: Option<String>,
}

/// The case fields: enabled ones, or all of them for supervisors.
#[utoipa::path(get, path = "/api/v1/case-fields", tag = "settings",
    responses((status = 200, body = FieldList), (status = 401, body = ErrorBody)))]
pub async fn list_case_fields(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<FieldList>> {
    let fields = state.app.case_fields_for(&caller.user).await?;
    let shown = fields.iter().map(FieldBody::from).collect();
    Ok(Json(FieldList {
        items: shown,
        next_cursor: None,
    }))
}

/// `POST /api/v1/case-fields`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewField {
    name: String,
    /// text, number, date, select, multiselect or checkbox.
    #[schema(value_type = String)]
    kind: FieldKind,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    mandatory: bool,
    /// New fields start off.
    #[serde(default)]
    enabled: bool,
    #[serde(default)]
    position: i64,
}

/// Adds a case field (supervisors).
#[utoipa::path(post, path = "/api/v1/case-fields", tag = "settings", request_body = NewField,
    responses((status = 201, body = FieldBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_case_field(
    State(state): State<AppState>,
    caller: Caller,
    Body(new): Body<NewField>,
) -> ApiResult<(StatusCode, Json<FieldBody>)> {
    let field = NewCaseField {
        name: new.name,
        kind: new.kind,
        options: new.options,
        mandatory: new.mandatory,
        enabled: new.enabled,
        position: new.position,
    };
    let field = state
        .app
        .create_case_field(Some(caller.user.id), field)
        .await?;
    Ok((StatusCode::CREATED, Json(FieldBody::from(&field))))
}

/// `PATCH /api/v1/case-fields/{id}`: the parts to change (the type never changes).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldPatch {
    name: Option<String>,
    options: Option<Vec<String>>,
    mandatory: Option<bool>,
    enabled: Option<bool>,
    position: Option<i64>,
}

/// Changes a case field (supervisors). A removed option stays readable on old cases.
#[utoipa::path(patch, path = "/api/v1/case-fields/{id}", tag = "settings", params(("id" = String, Path)), request_body = FieldPatch,
    responses((status = 200, body = FieldBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_case_field(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(patch): Body<FieldPatch>,
) -> ApiResult<Json<FieldBody>> {
    let id: CaseFieldId = id.parse().map_err(|_| ApiError::not_found())?;
    let change = CaseFieldChange {
        name: patch.name,
        options: patch.options,
        mandatory: patch.mandatory,
        enabled: patch.enabled,
        position: patch.position,
    };
    let field = state
        .app
        .change_case_field(caller.user.id, id, change)
        .await?;
    Ok(Json(FieldBody::from(&field)))
}

/// Deletes a case field's definition (supervisors); values stay stored on old cases.
#[utoipa::path(delete, path = "/api/v1/case-fields/{id}", tag = "settings", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_case_field(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id: CaseFieldId = id.parse().map_err(|_| ApiError::not_found())?;
    state.app.delete_case_field(caller.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
