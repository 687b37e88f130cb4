//! Secrets at rest (PRODUCT.md §14) through the command's own way of opening the store: the
//! database holds none of their bytes, the key file and the data are the owner's only, plain
//! values from before are sealed at start, a rotation seals under a new key, and a wrong key is
//! refused naming the key the data needs.

use std::path::Path;
use std::sync::Arc;

use caredesk::config::Config;
use caredesk::opening::{open_store, rotate_secrets};
use caredesk::secret_key::KEY_FILE;
use caredesk_domain::salesforce::ConnectionState;
use caredesk_domain::*;
use caredesk_store::salesforce::SalesforceConnection;
use caredesk_store::Store;
use caredesk_store_sqlite::DATABASE_FILE;
use sqlx::{Connection, SqliteConnection};

const APP_SECRET: &str = "app-secret-5a1e8c0ffee";
const VERIFY_TOKEN: &str = "verify-token-77e1dd";
const PAGE_TOKEN: &str = "EAAB-page-token-9d3f20";
const TOKEN_SECRET: &str = "x-token-secret-41bb";
const SF_SECRET: &str = "sf-client-secret-c4fe";
const SF_REFRESH: &str = "sf-refresh-token-0b7a";
const SF_ACCESS: &str = "sf-access-token-e2d9";
const ALL: [&str; 7] = [
    APP_SECRET,
    VERIFY_TOKEN,
    PAGE_TOKEN,
    TOKEN_SECRET,
    SF_SECRET,
    SF_REFRESH,
    SF_ACCESS,
];

fn config(dir: &Path) -> Config {
    Config {
        data_dir: dir.join("data"),
        ..Config::default()
    }
}

/// An app, a page and a Salesforce connection with the secrets above.
async fn write_secrets(store: &Arc<dyn Store>) -> ProfileId {
    let mut tx = store.begin().await.expect("begin");
    let app = tx
        .insert_network_app(&NewNetworkApp {
            network: AppNetwork::Meta,
            name: "Brand app".into(),
            app_secret: APP_SECRET.into(),
            verify_token: VERIFY_TOKEN.into(),
            consumer_key: String::new(),
        })
        .await
        .expect("app");
    let profile = tx
        .insert_profile(&NewProfile {
            network: Network::Facebook,
            external_id: "page-1".into(),
            name: "Brand".into(),
            app_id: app.id,
            access_token: PAGE_TOKEN.into(),
            token_secret: TOKEN_SECRET.into(),
        })
        .await
        .expect("profile");
    tx.save_salesforce_connection(&SalesforceConnection {
        login_url: "https://login.example.com".into(),
        client_id: "client-id".into(),
        client_secret: SF_SECRET.into(),
        refresh_token: Some(SF_REFRESH.into()),
        access_token: Some(SF_ACCESS.into()),
        instance_url: Some("https://org.example.com".into()),
        state: ConnectionState::Connected,
        error: None,
        connected_at: None,
        updated_at: Timestamp(1),
    })
    .await
    .expect("salesforce");
    tx.commit().await.expect("commit");
    profile.id
}

/// Every secret reads back as written.
async fn assert_readable(store: &Arc<dyn Store>) {
    let apps = store.network_apps().await.expect("apps");
    assert_eq!(apps[0].app_secret, APP_SECRET);
    assert_eq!(apps[0].verify_token, VERIFY_TOKEN);
    let profiles = store.profiles().await.expect("profiles");
    assert_eq!(profiles[0].access_token, PAGE_TOKEN);
    assert_eq!(profiles[0].token_secret, TOKEN_SECRET);
    let sf = store
        .salesforce_connection()
        .await
        .expect("read")
        .expect("connection");
    assert_eq!(sf.client_secret, SF_SECRET);
    assert_eq!(sf.refresh_token.as_deref(), Some(SF_REFRESH));
    assert_eq!(sf.access_token.as_deref(), Some(SF_ACCESS));
}

/// Every byte of the database's files.
fn database_bytes(data_dir: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = data_dir.join(format!("{DATABASE_FILE}{suffix}"));
        if let Ok(more) = std::fs::read(&path) {
            bytes.extend(more);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

async fn raw(data_dir: &Path) -> SqliteConnection {
    let url = format!("sqlite://{}", data_dir.join(DATABASE_FILE).display());
    SqliteConnection::connect(&url)
        .await
        .expect("raw connection")
}

#[tokio::test]
async fn the_database_holds_no_secret_and_only_its_owner_reads_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(dir.path());
    let store = open_store(&config).await.expect("open");
    write_secrets(&store).await;
    assert_readable(&store).await;
    drop(store);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let bytes = database_bytes(&config.data_dir);
    assert!(bytes.len() > 4_096, "the database was written");
    for secret in ALL {
        assert!(
            !contains(&bytes, secret),
            "{secret} is in the database files"
        );
    }
    #[cfg(unix)]
    {
        assert_eq!(mode(&config.data_dir), 0o700, "the data directory");
        assert_eq!(mode(&config.data_dir.join(DATABASE_FILE)), 0o600);
        assert_eq!(mode(&config.data_dir.join(KEY_FILE)), 0o600);
    }
    let store = open_store(&config).await.expect("reopen with the key file");
    assert_readable(&store).await;
}

#[tokio::test]
async fn plain_values_from_before_are_sealed_at_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(dir.path());
    let store = open_store(&config).await.expect("open");
    write_secrets(&store).await;
    drop(store);
    let mut conn = raw(&config.data_dir).await;
    for (table, column, value) in [
        ("network_apps", "app_secret", APP_SECRET),
        ("profiles", "access_token", PAGE_TOKEN),
        ("salesforce_connection", "refresh_token", SF_REFRESH),
    ] {
        sqlx::query(&format!("UPDATE {table} SET {column} = ?"))
            .bind(value)
            .execute(&mut conn)
            .await
            .expect("write a plain value as an older version did");
    }
    let store = open_store(&config).await.expect("open again");
    assert_readable(&store).await;
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT app_secret FROM network_apps UNION ALL SELECT access_token FROM profiles \
         UNION ALL SELECT refresh_token FROM salesforce_connection",
    )
    .fetch_all(&mut conn)
    .await
    .expect("raw values");
    assert_eq!(stored.len(), 3);
    for value in stored {
        assert!(value.starts_with("sealed:v1:"), "sealed at start: {value}");
    }
}

#[tokio::test]
async fn a_rotation_seals_under_a_new_key_that_replaces_the_key_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(dir.path());
    let store = open_store(&config).await.expect("open");
    write_secrets(&store).await;
    drop(store);
    let key_file = config.data_dir.join(KEY_FILE);
    let old_key = std::fs::read_to_string(&key_file).expect("key file");
    rotate_secrets(&config).await.expect("rotate");
    let new_key = std::fs::read_to_string(&key_file).expect("key file");
    assert_ne!(old_key, new_key, "the key file holds the new key");
    assert!(!config.data_dir.join("secret.key.next").exists());
    let store = open_store(&config).await.expect("open under the new key");
    assert_readable(&store).await;
    drop(store);
    let with_old_key = Config {
        secret_key: Some(old_key),
        ..config.clone()
    };
    let refused = match open_store(&with_old_key).await {
        Ok(_) => panic!("the old key no longer opens the secrets"),
        Err(e) => format!("{e:#}"),
    };
    let new_id = caredesk_store_sql::SecretKey::from_text(&new_key)
        .expect("key")
        .id();
    assert!(
        refused.contains(&new_id),
        "names the key it needs: {refused}"
    );
}

#[tokio::test]
async fn an_interrupted_rotation_is_finished_by_the_next_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(dir.path());
    let store = open_store(&config).await.expect("open");
    write_secrets(&store).await;
    drop(store);
    // The rotation wrote its new key, then stopped before opening the database.
    let keys = caredesk::secret_key::KeySource::load(&config, &config.data_dir).expect("keys");
    let next = keys.begin_rotation().expect("begin");
    let store = open_store(&config).await.expect("the next start");
    assert_readable(&store).await;
    let in_place = std::fs::read_to_string(config.data_dir.join(KEY_FILE)).expect("key file");
    assert_eq!(
        caredesk_store_sql::SecretKey::from_text(&in_place)
            .expect("key")
            .id(),
        next.id()
    );
}

#[tokio::test]
async fn a_configured_key_is_used_and_never_shown() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = caredesk_store_sql::SecretKey::generate();
    let config = Config {
        secret_key: Some(key.to_text()),
        ..config(dir.path())
    };
    let store = open_store(&config).await.expect("open");
    write_secrets(&store).await;
    assert!(
        !config.data_dir.join(KEY_FILE).exists(),
        "no key file when the key is configured"
    );
    assert!(!format!("{config:?}").contains(&key.to_text()));
    let mut conn = raw(&config.data_dir).await;
    let stored: String = sqlx::query_scalar("SELECT access_token FROM profiles")
        .fetch_one(&mut conn)
        .await
        .expect("raw");
    assert!(
        stored.starts_with(&format!("sealed:v1:{}:", key.id())),
        "{stored}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn postgres_holds_only_sealed_secrets() {
    let test_store = crate::pg::fresh().await;
    let url = test_store.url.clone().expect("a PostgreSQL URL");
    write_secrets(&test_store.store).await;
    assert_readable(&test_store.store).await;
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("raw");
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT app_secret FROM network_apps UNION ALL SELECT verify_token FROM network_apps \
         UNION ALL SELECT access_token FROM profiles UNION ALL SELECT token_secret FROM profiles \
         UNION ALL SELECT client_secret FROM salesforce_connection \
         UNION ALL SELECT refresh_token FROM salesforce_connection \
         UNION ALL SELECT access_token FROM salesforce_connection",
    )
    .fetch_all(&mut conn)
    .await
    .expect("raw values");
    assert_eq!(stored.len(), 7);
    for value in stored {
        assert!(value.starts_with("sealed:v1:"), "{value}");
        assert!(!ALL.iter().any(|s| value.contains(s)), "{value}");
    }
}
