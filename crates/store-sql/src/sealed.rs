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

/// A network app or profile (stored or new), with its secrets sealed.
pub(crate) fn seal_fields<T: SecretFields + Clone>(secrets: &Secrets, value: &T) -> Result<T> {
    let mut sealed = value.clone();
    each(sealed.secret_fields(), |place, v| secrets.seal(place, v))?;
    Ok(sealed)
}

/// A stored network app or profile, with its secrets opened.
pub(crate) fn open_fields<T: SecretFields>(secrets: &Secrets, mut value: T) -> Result<T> {
    each(value.secret_fields(), |place, v| secrets.open(place, v))?;
    Ok(value)
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

/// The fields of a value that hold secrets, each with its column.
pub(crate) trait SecretFields {
    fn secret_fields(&mut self) -> [(&mut String, &'static str); 2];
}

/// Network apps, stored or new, keep their secret and verify token sealed.
macro_rules! app_secret_fields {
    ($($app:ty),*) => {$(
        impl SecretFields for $app {
            fn secret_fields(&mut self) -> [(&mut String, &'static str); 2] {
                [
                    (&mut self.app_secret, APP_SECRET),
                    (&mut self.verify_token, VERIFY_TOKEN),
                ]
            }
        }
    )*};
}

/// Profiles, stored or new, keep their tokens sealed.
macro_rules! profile_secret_fields {
    ($($profile:ty),*) => {$(
        impl SecretFields for $profile {
            fn secret_fields(&mut self) -> [(&mut String, &'static str); 2] {
                [
                    (&mut self.access_token, ACCESS_TOKEN),
                    (&mut self.token_secret, TOKEN_SECRET),
                ]
            }
        }
    )*};
}

app_secret_fields!(NetworkApp, NewNetworkApp);
profile_secret_fields!(Profile, NewProfile);

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
