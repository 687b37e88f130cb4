//! Users (network apps and profiles are in `networks`; settings and case fields in
//! `installation`).

use caredesk_domain::availability::PresenceChoice;
use caredesk_domain::*;
use caredesk_store::rows;
use caredesk_store::{Credentials, NewUser, StoreError, UserWithLoad};

use super::Result;
use crate::{Conn, Row, Sql};

const USER_COLUMNS: &str = "id, email, name, role, care_access, capacity, active, time_zone";

async fn profile_ids(conn: &mut Conn<'_>, user: i64) -> Result<Vec<ProfileId>> {
    let ids: Vec<i64> =
        Sql::new("SELECT profile_id FROM user_profiles WHERE user_id = $1 ORDER BY profile_id")
            .bind(user)
            .scalars(conn)
            .await?;
    Ok(ids.into_iter().map(ProfileId).collect())
}

async fn user_from(conn: &mut Conn<'_>, row: Option<Row>) -> Result<Option<User>> {
    match row {
        Some(row) => {
            let profiles = profile_ids(conn, row.get("id")?).await?;
            Ok(Some(rows::user(&row, profiles)?))
        }
        None => Ok(None),
    }
}

pub(crate) async fn user(conn: &mut Conn<'_>, id: UserId) -> Result<Option<User>> {
    let row = Sql::new(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    user_from(conn, row).await
}

pub(crate) async fn credentials(conn: &mut Conn<'_>, email: &str) -> Result<Option<Credentials>> {
    let row = Sql::new(format!(
        "SELECT {USER_COLUMNS}, password_hash FROM users WHERE email_key = $1"
    ))
    .bind(email.trim().to_lowercase())
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let password_hash: String = row.get("password_hash")?;
    let user = user_from(conn, Some(row)).await?;
    Ok(user.map(|user| Credentials {
        user,
        password_hash,
    }))
}

/// The statuses that count as a user's load (`CaseStatus::counts_as_load`), as an SQL list of
/// the enum's own words: `'open', 'pending', 'on_hold'`.
fn load_statuses() -> String {
    CaseStatus::ALL
        .iter()
        .filter(|s| s.counts_as_load())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) async fn users(conn: &mut Conn<'_>) -> Result<Vec<UserWithLoad>> {
    with_load(conn, "", None, "name, id").await
}

/// One user with their load.
pub(crate) async fn user_with_load(
    conn: &mut Conn<'_>,
    id: UserId,
) -> Result<Option<UserWithLoad>> {
    Ok(with_load(conn, "WHERE id = $1", Some(id.0), "id")
        .await?
        .into_iter()
        .next())
}

/// The active users connected to `profile`, by id, with their load.
pub(crate) async fn active_users_of(
    conn: &mut Conn<'_>,
    profile: ProfileId,
) -> Result<Vec<UserWithLoad>> {
    let filter = "WHERE active = TRUE AND id IN \
                  (SELECT user_id FROM user_profiles WHERE profile_id = $1)";
    with_load(conn, filter, Some(profile.0), "id").await
}

/// The users `filter` keeps (a `WHERE` clause whose one parameter is `param`), in `order`,
/// each with their load, presence record and last assignment.
async fn with_load(
    conn: &mut Conn<'_>,
    filter: &str,
    param: Option<i64>,
    order: &str,
) -> Result<Vec<UserWithLoad>> {
    let load = load_statuses();
    let mut select = Sql::new(format!(
        "SELECT {USER_COLUMNS}, presence_choice, last_assigned_at, \
         (SELECT COUNT(*) FROM cases c WHERE c.assignee_id = users.id \
         AND c.deleted = FALSE AND c.status IN ({load})) AS load, \
         (SELECT MAX(s.last_seen_at) FROM sessions s WHERE s.user_id = users.id \
         AND s.revoked_at IS NULL) AS last_activity \
         FROM users {filter} ORDER BY {order}"
    ));
    if let Some(param) = param {
        select = select.bind(param);
    }
    let user_rows = select.fetch_all(conn).await?;
    let links = Sql::new("SELECT user_id, profile_id FROM user_profiles ORDER BY profile_id")
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| Ok((row.at::<i64>(0)?, ProfileId(row.at(1)?))))
        .collect::<Result<Vec<_>>>()?;
    user_rows
        .iter()
        .map(|row| {
            let id: i64 = row.get("id")?;
            let profiles = links
                .iter()
                .filter(|(u, _)| *u == id)
                .map(|(_, p)| *p)
                .collect();
            Ok(UserWithLoad {
                user: rows::user(row, profiles)?,
                load: row.get("load")?,
                presence_choice: row
                    .get::<String>("presence_choice")?
                    .parse()
                    .map_err(|e| StoreError::Corrupt(format!("presence_choice: {e}")))?,
                last_activity: row.get::<Option<i64>>("last_activity")?.map(Timestamp),
                last_assigned_at: row.get::<Option<i64>>("last_assigned_at")?.map(Timestamp),
            })
        })
        .collect()
}

pub(crate) async fn set_presence_choice(
    conn: &mut Conn<'_>,
    user: UserId,
    choice: PresenceChoice,
) -> Result<()> {
    Sql::new("UPDATE users SET presence_choice = $1 WHERE id = $2")
        .bind(choice.as_str())
        .bind(user.0)
        .execute(conn)
        .await?;
    Ok(())
}

async fn save_profile_links(conn: &mut Conn<'_>, user: &User) -> Result<()> {
    Sql::new("DELETE FROM user_profiles WHERE user_id = $1")
        .bind(user.id.0)
        .execute(conn)
        .await?;
    for profile in &user.profile_ids {
        Sql::new("INSERT INTO user_profiles (user_id, profile_id) VALUES ($1, $2)")
            .bind(user.id.0)
            .bind(profile.0)
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub(crate) async fn insert_user(conn: &mut Conn<'_>, new: &NewUser) -> Result<User> {
    let id: i64 = Sql::new(
        "INSERT INTO users (email, email_key, name, password_hash, role, care_access, capacity) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(new.email.trim())
    .bind(new.email.trim().to_lowercase())
    .bind(&new.name)
    .bind(&new.password_hash)
    .bind(new.role.as_str())
    .bind(new.care_access.as_str())
    .bind(i64::from(new.capacity))
    .scalar(conn)
    .await?;
    let user = new.clone().stored_as(UserId(id));
    save_profile_links(conn, &user).await?;
    Ok(user)
}

pub(crate) async fn update_user(conn: &mut Conn<'_>, u: &User) -> Result<()> {
    Sql::new(
        "UPDATE users SET email = $1, email_key = $2, name = $3, role = $4, care_access = $5, \
         capacity = $6, active = $7, time_zone = $8 WHERE id = $9",
    )
    .bind(u.email.trim())
    .bind(u.email.trim().to_lowercase())
    .bind(&u.name)
    .bind(u.role.as_str())
    .bind(u.care_access.as_str())
    .bind(i64::from(u.capacity))
    .bind(u.active)
    .bind(u.time_zone.as_ref().map(TimeZoneName::as_str))
    .bind(u.id.0)
    .execute(conn)
    .await?;
    save_profile_links(conn, u).await
}

pub(crate) async fn set_password_hash(conn: &mut Conn<'_>, id: UserId, hash: &str) -> Result<()> {
    Sql::new("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}
