//! Which columns hold secrets, and sealing or opening them on the values the store writes and
//! reads ([`crate::secrets`]); and the pass that seals every plain value and every value under
//! an older key, run at start (the upgrade from plain values, and the second half of a key
//! rotation).

use caredesk_domain::{NetworkApp, NewNetworkApp, NewProfile, Profile};
use caredesk_store::salesforce::SalesforceConnection;
use caredesk_store::StoreError;

use crate::{Conn, Secrets, Sql};

type Result<T> = std::result::Result<T, StoreError>;

const APP_SECRET: &str = "network_apps.app_secret";
const VERIFY_TOKEN: &str = "network_apps.verify_token";
const ACCESS_TOKEN: &str = "profiles.access_token";
const TOKEN_SECRET: &str = "profiles.token_secret";
const SF_CLIENT_SECRET: &str = "salesforce_connection.client_secret";
const SF_REFRESH_TOKEN: &str = "salesforce_connection.refresh_token";
const SF_ACCESS_TOKEN: &str = "salesforce_connection.access_token";

/// Every column that holds a secret, with its table's key column.
const SECRET_COLUMNS: [(&str, &str, &str); 7] = [
    ("network_apps", "id", "app_secret"),
    ("network_apps", "id", "verify_token"),
    ("profiles", "id", "access_token"),
    ("profiles", "id", "token_secret"),
    ("salesforce_connection", "id", "client_secret"),
    ("salesforce_connection", "id", "refresh_token"),
    ("salesforce_connection", "id", "access_token"),
];

/// Seals (or opens) each field for its column.
fn each(
    fields: [(&mut String, &str); 2],
    change: impl Fn(&str, &str) -> Result<String>,
) -> Result<()> {
    for (value, place) in fields {
        *value = change(place, value)?;
    }
    Ok(())
}

/// An app or a new one, with its secrets sealed.
pub(crate) fn seal_app<A: AppSecrets + Clone>(secrets: &Secrets, app: &A) -> Result<A> {
    let mut sealed = app.clone();
    each(sealed.secret_fields(), |place, v| secrets.seal(place, v))?;
    Ok(sealed)
}

/// A profile or a new one, with its secrets sealed.
pub(crate) fn seal_profile<P: ProfileSecrets + Clone>(secrets: &Secrets, p: &P) -> Result<P> {
    let mut sealed = p.clone();
    each(sealed.secret_fields(), |place, v| secrets.seal(place, v))?;
    Ok(sealed)
}

/// A stored app with its secrets opened.
pub(crate) fn open_app(secrets: &Secrets, mut app: NetworkApp) -> Result<NetworkApp> {
    each(app.secret_fields(), |place, v| secrets.open(place, v))?;
    Ok(app)
}

/// A stored profile with its secrets opened.
pub(crate) fn open_profile(secrets: &Secrets, mut p: Profile) -> Result<Profile> {
    each(p.secret_fields(), |place, v| secrets.open(place, v))?;
    Ok(p)
}

/// The Salesforce connection with its secrets sealed.
pub(crate) fn seal_connection(
    secrets: &Secrets,
    c: &SalesforceConnection,
) -> Result<SalesforceConnection> {
    Ok(SalesforceConnection {
        client_secret: secrets.seal(SF_CLIENT_SECRET, &c.client_secret)?,
        refresh_token: secrets.seal_opt(SF_REFRESH_TOKEN, c.refresh_token.as_deref())?,
        access_token: secrets.seal_opt(SF_ACCESS_TOKEN, c.access_token.as_deref())?,
        ..c.clone()
    })
}

/// The stored Salesforce connection with its secrets opened.
pub(crate) fn open_connection(
    secrets: &Secrets,
    c: SalesforceConnection,
) -> Result<SalesforceConnection> {
    Ok(SalesforceConnection {
        client_secret: secrets.open(SF_CLIENT_SECRET, &c.client_secret)?,
        refresh_token: secrets.open_opt(SF_REFRESH_TOKEN, c.refresh_token.as_deref())?,
        access_token: secrets.open_opt(SF_ACCESS_TOKEN, c.access_token.as_deref())?,
        ..c
    })
}

/// The secret fields of a network app.
pub(crate) trait AppSecrets {
    fn secret_fields(&mut self) -> [(&mut String, &'static str); 2];
}

impl AppSecrets for NetworkApp {
    fn secret_fields(&mut self) -> [(&mut String, &'static str); 2] {
        [
            (&mut self.app_secret, APP_SECRET),
            (&mut self.verify_token, VERIFY_TOKEN),
        ]
    }
}

impl AppSecrets for NewNetworkApp {
    fn secret_fields(&mut self) -> [(&mut String, &'static str); 2] {
        [
            (&mut self.app_secret, APP_SECRET),
            (&mut self.verify_token, VERIFY_TOKEN),
        ]
    }
}

/// The secret fields of a profile.
pub(crate) trait ProfileSecrets {
    fn secret_fields(&mut self) -> [(&mut String, &'static str); 2];
}

impl ProfileSecrets for Profile {
    fn secret_fields(&mut self) -> [(&mut String, &'static str); 2] {
        [
            (&mut self.access_token, ACCESS_TOKEN),
            (&mut self.token_secret, TOKEN_SECRET),
        ]
    }
}

impl ProfileSecrets for NewProfile {
    fn secret_fields(&mut self) -> [(&mut String, &'static str); 2] {
        [
            (&mut self.access_token, ACCESS_TOKEN),
            (&mut self.token_secret, TOKEN_SECRET),
        ]
    }
}

/// Seals under the sealing key every secret that is plain or sealed under an older key the
/// store still opens; answers how many it sealed. A value under a key the store lacks is an
/// error naming that key, and nothing is changed.
pub(crate) async fn seal_all(conn: &mut Conn<'_>, secrets: &Secrets) -> Result<u64> {
    let mut sealed = 0;
    for (table, key, column) in SECRET_COLUMNS {
        let place = format!("{table}.{column}");
        let rows = Sql::new(format!(
            "SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {key}"
        ))
        .fetch_all(conn)
        .await?;
        for row in rows {
            let id: i64 = row.get(key)?;
            let stored: String = row.get(column)?;
            if secrets.sealed_by_current_key(&stored) {
                continue;
            }
            let plain = secrets.open(&place, &stored)?;
            Sql::new(format!("UPDATE {table} SET {column} = $1 WHERE {key} = $2"))
                .bind(secrets.seal(&place, &plain)?)
                .bind(id)
                .execute(conn)
                .await?;
            sealed += 1;
        }
    }
    Ok(sealed)
}
