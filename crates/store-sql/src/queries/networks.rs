//! Network apps and profiles, their secrets sealed on the way in and opened on the way out
//! ([`crate::sealed`]).

use caredesk_domain::*;
use caredesk_store::rows;
use caredesk_store::StoreError;

use super::Result;
use crate::{sealed, Conn, Secrets, Sql};

pub(crate) async fn network_apps(
    conn: &mut Conn<'_>,
    secrets: &Secrets,
) -> Result<Vec<NetworkApp>> {
    Sql::new("SELECT * FROM network_apps ORDER BY id")
        .all(conn, rows::network_app)
        .await?
        .into_iter()
        .map(|app| sealed::open_fields(secrets, app))
        .collect()
}

pub(crate) async fn network_app(
    conn: &mut Conn<'_>,
    secrets: &Secrets,
    id: NetworkAppId,
) -> Result<Option<NetworkApp>> {
    Sql::new("SELECT * FROM network_apps WHERE id = $1")
        .bind(id.0)
        .optional(conn, rows::network_app)
        .await?
        .map(|app| sealed::open_fields(secrets, app))
        .transpose()
}

/// Binds the columns a network app and a new one share, from either, in the order of
/// [`INSERT_APP`].
macro_rules! bind_app {
    ($statement:expr, $app:expr) => {
        $statement
            .bind($app.network.as_str())
            .bind(&$app.name)
            .bind(&$app.app_secret)
            .bind(&$app.verify_token)
            .bind(&$app.consumer_key)
    };
}

const INSERT_APP: &str = "INSERT INTO network_apps (network, name, app_secret, verify_token, \
                          consumer_key) VALUES ($1, $2, $3, $4, $5) RETURNING id";

pub(crate) async fn insert_network_app(
    conn: &mut Conn<'_>,
    secrets: &Secrets,
    app: &NewNetworkApp,
) -> Result<NetworkApp> {
    let sealed = sealed::seal_fields(secrets, app)?;
    let id: i64 = bind_app!(Sql::new(INSERT_APP), sealed).scalar(conn).await?;
    Ok(app.clone().stored_as(NetworkAppId(id)))
}

pub(crate) async fn update_network_app(
    conn: &mut Conn<'_>,
    secrets: &Secrets,
    app: &NetworkApp,
) -> Result<()> {
    let app = &sealed::seal_fields(secrets, app)?;
    let update = Sql::new(
        "UPDATE network_apps SET network = $1, name = $2, app_secret = $3, verify_token = $4, \
         consumer_key = $5 WHERE id = $6 RETURNING id",
    );
    let _: i64 = bind_app!(update, app).bind(app.id.0).scalar(conn).await?;
    Ok(())
}

pub(crate) async fn delete_network_app(conn: &mut Conn<'_>, id: NetworkAppId) -> Result<()> {
    if exists(
        conn,
        "SELECT id FROM profiles WHERE app_id = $1 LIMIT 1",
        id.0,
    )
    .await?
    {
        return Err(StoreError::Conflict(
            "profiles still use this network app".into(),
        ));
    }
    Sql::new("DELETE FROM network_apps WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn profiles(conn: &mut Conn<'_>, secrets: &Secrets) -> Result<Vec<Profile>> {
    Sql::new("SELECT * FROM profiles ORDER BY id")
        .all(conn, rows::profile)
        .await?
        .into_iter()
        .map(|p| sealed::open_fields(secrets, p))
        .collect()
}

pub(crate) async fn profile(
    conn: &mut Conn<'_>,
    secrets: &Secrets,
    id: ProfileId,
) -> Result<Option<Profile>> {
    Sql::new("SELECT * FROM profiles WHERE id = $1")
        .bind(id.0)
        .optional(conn, rows::profile)
        .await?
        .map(|p| sealed::open_fields(secrets, p))
        .transpose()
}

pub(crate) async fn profile_by_external_id(
    conn: &mut Conn<'_>,
    secrets: &Secrets,
    network: Network,
    external_id: &str,
) -> Result<Option<Profile>> {
    Sql::new("SELECT * FROM profiles WHERE network = $1 AND external_id = $2")
        .bind(network.as_str())
        .bind(external_id)
        .optional(conn, rows::profile)
        .await?
        .map(|p| sealed::open_fields(secrets, p))
        .transpose()
}

/// Binds the columns a profile and a new one share, from either, in the order of
/// [`INSERT_PROFILE`].
macro_rules! bind_profile {
    ($statement:expr, $p:expr) => {
        $statement
            .bind($p.network.as_str())
            .bind(&$p.external_id)
            .bind(&$p.name)
            .bind($p.app_id.0)
            .bind(&$p.access_token)
            .bind(&$p.token_secret)
    };
}

const INSERT_PROFILE: &str = "INSERT INTO profiles (network, external_id, name, app_id, \
                              access_token, token_secret) VALUES ($1, $2, $3, $4, $5, $6) \
                              RETURNING id";

pub(crate) async fn insert_profile(
    conn: &mut Conn<'_>,
    secrets: &Secrets,
    p: &NewProfile,
) -> Result<Profile> {
    let sealed = sealed::seal_fields(secrets, p)?;
    let id: i64 = bind_profile!(Sql::new(INSERT_PROFILE), sealed)
        .scalar(conn)
        .await?;
    Ok(p.clone().stored_as(ProfileId(id)))
}

pub(crate) async fn update_profile(
    conn: &mut Conn<'_>,
    secrets: &Secrets,
    p: &Profile,
) -> Result<()> {
    let p = &sealed::seal_fields(secrets, p)?;
    let update = Sql::new(
        "UPDATE profiles SET network = $1, external_id = $2, name = $3, app_id = $4, \
         access_token = $5, token_secret = $6, auto_assign = $7 WHERE id = $8 RETURNING id",
    );
    let _: i64 = bind_profile!(update, p)
        .bind(p.auto_assign)
        .bind(p.id.0)
        .scalar(conn)
        .await?;
    Ok(())
}

pub(crate) async fn delete_profile(conn: &mut Conn<'_>, id: ProfileId) -> Result<()> {
    if exists(
        conn,
        "SELECT id FROM messages WHERE profile_id = $1 LIMIT 1",
        id.0,
    )
    .await?
    {
        return Err(StoreError::Conflict("the profile holds messages".into()));
    }
    for sql in [
        "DELETE FROM user_profiles WHERE profile_id = $1",
        "DELETE FROM profiles WHERE id = $1",
    ] {
        Sql::new(sql).bind(id.0).execute(conn).await?;
    }
    Ok(())
}

async fn exists(conn: &mut Conn<'_>, sql: &'static str, id: i64) -> Result<bool> {
    Ok(Sql::new(sql).bind(id).fetch_optional(conn).await?.is_some())
}
