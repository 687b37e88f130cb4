//! Users as the assignee picker needs them: any signed-in user reads the list; e-mail addresses,
//! roles and connections are for admins (and each user's own).

use axum::extract::State;
use axum::Json;

use super::dto::{UserBody, UserList};
use crate::caller::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::AppState;

/// Every user, with their load against their capacity.
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = UserList), (status = 401, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<UserList>> {
    let users = state.app.store().users().await?;
    Ok(Json(UserList {
        items: users
            .iter()
            .map(|u| UserBody::listed(u, &caller.user))
            .collect(),
        next_cursor: None,
    }))
}
