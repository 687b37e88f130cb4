//! Users, settings, case fields, network apps and profiles.

use caredesk_domain::*;
use caredesk_store::rows::SqlxRow;
use caredesk_store::StoreError;
use caredesk_store::{Credentials, NewUser, UserWithLoad};
use sqlx::sqlite::SqliteRow;

use super::Conn;
use crate::map_error;
use crate::rows::{self, to_json, Result};

const USER_COLUMNS: &str = "id, email, name, role, care_access, capacity, active";

async fn profile_ids(conn: &mut Conn, user: i64) -> Result<Vec<ProfileId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT profile_id FROM user_profiles WHERE user_id = ? ORDER BY profile_id",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(ids.into_iter().map(ProfileId).collect())
}

async fn user_from(conn: &mut Conn, row: Option<SqliteRow>) -> Result<Option<User>> {
    match row {
        Some(row) => {
            let id: i64 = SqlxRow(&row).get("id")?;
            let profiles = profile_ids(conn, id).await?;
            Ok(Some(rows::user(&SqlxRow(&row), profiles)?))
        }
        None => Ok(None),
    }
}

pub(crate) async fn user(conn: &mut Conn, id: UserId) -> Result<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_error)?;
    user_from(conn, row).await
}

pub(crate) async fn credentials(conn: &mut Conn, email: &str) -> Result<Option<Credentials>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, password_hash FROM users WHERE email_key = ?"
    ))
    .bind(email.trim().to_lowercase())
    .fetch_optional(&mut *conn)
    .await
    .map_err(map_error)?;
    let Some(row) = row else { return Ok(None) };
    let password_hash: String = SqlxRow(&row).get("password_hash")?;
    let user = user_from(conn, Some(row)).await?;
    Ok(user.map(|user| Credentials {
        user,
        password_hash,
    }))
}

pub(crate) async fn users(conn: &mut Conn) -> Result<Vec<UserWithLoad>> {
    let user_rows = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, (SELECT COUNT(*) FROM cases c WHERE c.assignee_id = users.id \
         AND c.deleted = FALSE AND c.status IN ('open', 'pending', 'on_hold')) AS load \
         FROM users ORDER BY name, id"
    ))
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    let links: Vec<(i64, i64)> =
        sqlx::query_as("SELECT user_id, profile_id FROM user_profiles ORDER BY profile_id")
            .fetch_all(&mut *conn)
            .await
            .map_err(map_error)?;
    user_rows
        .iter()
        .map(|row| {
            let id: i64 = SqlxRow(row).get("id")?;
            let profiles = links
                .iter()
                .filter(|(u, _)| *u == id)
                .map(|(_, p)| ProfileId(*p))
                .collect();
            Ok(UserWithLoad {
                user: rows::user(&SqlxRow(row), profiles)?,
                load: SqlxRow(row).get("load")?,
            })
        })
        .collect()
}

async fn save_profile_links(conn: &mut Conn, user: &User) -> Result<()> {
    sqlx::query("DELETE FROM user_profiles WHERE user_id = ?")
        .bind(user.id.0)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    for profile in &user.profile_ids {
        sqlx::query("INSERT INTO user_profiles (user_id, profile_id) VALUES (?, ?)")
            .bind(user.id.0)
            .bind(profile.0)
            .execute(&mut *conn)
            .await
            .map_err(map_error)?;
    }
    Ok(())
}

pub(crate) async fn insert_user(conn: &mut Conn, new: &NewUser) -> Result<User> {
    let u = &new.user;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, email_key, name, password_hash, role, care_access, capacity, active) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(u.email.trim())
    .bind(u.email.trim().to_lowercase())
    .bind(&u.name)
    .bind(&new.password_hash)
    .bind(u.role.as_str())
    .bind(u.care_access.as_str())
    .bind(i64::from(u.capacity))
    .bind(u.active)
    .fetch_one(&mut *conn)
    .await
    .map_err(map_error)?;
    let user = User {
        id: UserId(id),
        ..u.clone()
    };
    save_profile_links(conn, &user).await?;
    Ok(user)
}

pub(crate) async fn update_user(conn: &mut Conn, u: &User) -> Result<()> {
    sqlx::query(
        "UPDATE users SET email = ?, email_key = ?, name = ?, role = ?, care_access = ?, capacity = ?, \
         active = ? WHERE id = ?",
    )
    .bind(u.email.trim())
    .bind(u.email.trim().to_lowercase())
    .bind(&u.name)
    .bind(u.role.as_str())
    .bind(u.care_access.as_str())
    .bind(i64::from(u.capacity))
    .bind(u.active)
    .bind(u.id.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    save_profile_links(conn, u).await
}

pub(crate) async fn set_password_hash(conn: &mut Conn, id: UserId, hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(id.0)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn settings(conn: &mut Conn) -> Result<Settings> {
    let (grace_period_secs, capacity): (i64, i64) =
        sqlx::query_as("SELECT grace_period_secs, default_capacity FROM settings WHERE id = 1")
            .fetch_one(&mut *conn)
            .await
            .map_err(map_error)?;
    Ok(Settings {
        grace_period_secs,
        default_capacity: capacity.try_into().unwrap_or(0),
    })
}

pub(crate) async fn save_settings(conn: &mut Conn, s: &Settings) -> Result<()> {
    sqlx::query("UPDATE settings SET grace_period_secs = ?, default_capacity = ? WHERE id = 1")
        .bind(s.grace_period_secs)
        .bind(i64::from(s.default_capacity))
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn case_fields(conn: &mut Conn) -> Result<Vec<CaseField>> {
    super::all(
        conn,
        "SELECT * FROM case_fields ORDER BY position, id",
        rows::case_field,
    )
    .await
}

pub(crate) async fn insert_case_field(conn: &mut Conn, f: &CaseField) -> Result<CaseField> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO case_fields (name, kind, options, mandatory, enabled, position) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&f.name)
    .bind(f.kind.as_str())
    .bind(to_json(&f.options)?)
    .bind(f.mandatory)
    .bind(f.enabled)
    .bind(f.position)
    .fetch_one(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(CaseField {
        id: CaseFieldId(id),
        ..f.clone()
    })
}

pub(crate) async fn update_case_field(conn: &mut Conn, f: &CaseField) -> Result<()> {
    sqlx::query("UPDATE case_fields SET name = ?, kind = ?, options = ?, mandatory = ?, enabled = ?, position = ? WHERE id = ?")
        .bind(&f.name)
        .bind(f.kind.as_str())
        .bind(to_json(&f.options)?)
        .bind(f.mandatory)
        .bind(f.enabled)
        .bind(f.position)
        .bind(f.id.0)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn network_apps(conn: &mut Conn) -> Result<Vec<NetworkApp>> {
    super::all(
        conn,
        "SELECT * FROM network_apps ORDER BY id",
        rows::network_app,
    )
    .await
}

pub(crate) async fn network_app(conn: &mut Conn, id: NetworkAppId) -> Result<Option<NetworkApp>> {
    super::one_by_id(
        conn,
        "SELECT * FROM network_apps WHERE id = ?",
        id.0,
        rows::network_app,
    )
    .await
}

pub(crate) async fn save_network_app(
    conn: &mut Conn,
    app: &NetworkApp,
    insert: bool,
) -> Result<NetworkApp> {
    let sql = if insert {
        "INSERT INTO network_apps (network, name, app_secret, verify_token, consumer_key) VALUES (?, ?, ?, ?, ?) RETURNING id"
    } else {
        "UPDATE network_apps SET network = ?, name = ?, app_secret = ?, verify_token = ?, consumer_key = ? WHERE id = ? RETURNING id"
    };
    let mut q = sqlx::query_scalar(sql)
        .bind(app.network.as_str())
        .bind(&app.name)
        .bind(&app.app_secret)
        .bind(&app.verify_token)
        .bind(&app.consumer_key);
    if !insert {
        q = q.bind(app.id.0);
    }
    let id: i64 = q.fetch_one(&mut *conn).await.map_err(map_error)?;
    Ok(NetworkApp {
        id: NetworkAppId(id),
        ..app.clone()
    })
}

pub(crate) async fn profiles(conn: &mut Conn) -> Result<Vec<Profile>> {
    super::all(conn, "SELECT * FROM profiles ORDER BY id", rows::profile).await
}

pub(crate) async fn profile(conn: &mut Conn, id: ProfileId) -> Result<Option<Profile>> {
    super::one_by_id(
        conn,
        "SELECT * FROM profiles WHERE id = ?",
        id.0,
        rows::profile,
    )
    .await
}

pub(crate) async fn profile_by_external_id(
    conn: &mut Conn,
    network: Network,
    external_id: &str,
) -> Result<Option<Profile>> {
    let row = sqlx::query("SELECT * FROM profiles WHERE network = ? AND external_id = ?")
        .bind(network.as_str())
        .bind(external_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_error)?;
    row.as_ref().map(|r| rows::profile(&SqlxRow(r))).transpose()
}

pub(crate) async fn save_profile(conn: &mut Conn, p: &Profile, insert: bool) -> Result<Profile> {
    let sql = if insert {
        "INSERT INTO profiles (network, external_id, name, app_id, access_token, token_secret) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"
    } else {
        "UPDATE profiles SET network = ?, external_id = ?, name = ?, app_id = ?, access_token = ?, token_secret = ? WHERE id = ? RETURNING id"
    };
    let mut q = sqlx::query_scalar(sql)
        .bind(p.network.as_str())
        .bind(&p.external_id)
        .bind(&p.name)
        .bind(p.app_id.0)
        .bind(&p.access_token)
        .bind(&p.token_secret);
    if !insert {
        q = q.bind(p.id.0);
    }
    let id: i64 = q.fetch_one(&mut *conn).await.map_err(map_error)?;
    Ok(Profile {
        id: ProfileId(id),
        ..p.clone()
    })
}

async fn exists(conn: &mut Conn, sql: &str, id: i64) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(found.is_some())
}

async fn execute(conn: &mut Conn, sql: &str, id: i64) -> Result<()> {
    sqlx::query(sql)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn delete_network_app(conn: &mut Conn, id: NetworkAppId) -> Result<()> {
    if exists(
        conn,
        "SELECT id FROM profiles WHERE app_id = ? LIMIT 1",
        id.0,
    )
    .await?
    {
        return Err(StoreError::Conflict(
            "profiles still use this network app".into(),
        ));
    }
    execute(conn, "DELETE FROM network_apps WHERE id = ?", id.0).await
}

pub(crate) async fn delete_profile(conn: &mut Conn, id: ProfileId) -> Result<()> {
    if exists(
        conn,
        "SELECT id FROM messages WHERE profile_id = ? LIMIT 1",
        id.0,
    )
    .await?
    {
        return Err(StoreError::Conflict("the profile holds messages".into()));
    }
    execute(conn, "DELETE FROM user_profiles WHERE profile_id = ?", id.0).await?;
    execute(conn, "DELETE FROM profiles WHERE id = ?", id.0).await
}

pub(crate) async fn delete_case_field(conn: &mut Conn, id: CaseFieldId) -> Result<()> {
    execute(conn, "DELETE FROM case_fields WHERE id = ?", id.0).await
}
