//! PostgreSQL for tests: a migrated template database made once per migration set, and a fresh
//! database cloned from it for each test (so tests run in parallel), dropped afterwards.
//!
//! Runs when `CAREDESK_TEST_POSTGRES_URL` names a server (any database on it; the tests create
//! their own). Without it the tests that need PostgreSQL are reported as ignored: the build
//! script sets `cfg(caredesk_postgres_tests)` only when the URL is set, and each such test
//! carries `#[cfg_attr(not(caredesk_postgres_tests), ignore = "…")]`. With
//! `CAREDESK_REQUIRE_POSTGRES=1` (CI sets it) they run regardless, so a missing URL fails them.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use caredesk_store_postgres::MIGRATOR;
use sqlx::{Connection, Executor, PgConnection};
use tokio::sync::OnceCell;

use crate::support::TestStore;

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static NEXT: AtomicU32 = AtomicU32::new(0);

/// The server URL, or `None` when `CAREDESK_TEST_POSTGRES_URL` is unset or empty.
pub fn server_url() -> Option<String> {
    std::env::var("CAREDESK_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The server URL for a test that needs PostgreSQL; a missing URL fails the test. Such a test is
/// ignored when the URL was missing at build time, so this fails only when it was required
/// (`CAREDESK_REQUIRE_POSTGRES=1`) or when the binary was built with the URL and run without it.
pub fn required_server_url() -> String {
    server_url().unwrap_or_else(|| {
        if std::env::var("CAREDESK_REQUIRE_POSTGRES").as_deref() == Ok("1") {
            panic!("CAREDESK_REQUIRE_POSTGRES=1 but CAREDESK_TEST_POSTGRES_URL is not set");
        }
        panic!(
            "CAREDESK_TEST_POSTGRES_URL is not set, but this test binary was built with it: \
             set it, or rebuild without it to ignore the PostgreSQL tests"
        )
    })
}

/// `url` with its database replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let root = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

fn template_name() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for migration in MIGRATOR.iter() {
        for byte in migration
            .checksum
            .iter()
            .chain(migration.description.as_bytes())
        {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("caredesk_tmpl_{hash:016x}")
}

async fn admin(url: &str) -> PgConnection {
    PgConnection::connect(url)
        .await
        .expect("connect to the PostgreSQL server")
}

async fn exists(conn: &mut PgConnection, name: &str) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
        .expect("look up databases")
        > 0
}

/// Runs a statement that needs a database nobody is connected to (a closed pool's sessions may
/// linger for a moment on the server), retrying while PostgreSQL says it is in use.
async fn execute_when_idle(conn: &mut PgConnection, sql: &str) {
    for _ in 0..100 {
        match conn.execute(sql).await {
            Ok(_) => return,
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55006") => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("{sql}: {e}"),
        }
    }
    panic!("{sql}: the database stayed in use");
}

async fn template(url: &str) -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = template_name();
            let mut conn = admin(url).await;
            // One process at a time makes the template; the others wait and find it made.
            sqlx::query("SELECT pg_advisory_lock(4242001)")
                .execute(&mut conn)
                .await
                .expect("lock");
            if !exists(&mut conn, &name).await {
                conn.execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create template");
                let store = caredesk_store_postgres::open(&with_database(url, &name), 2)
                    .await
                    .expect("migrate template");
                store.close().await;
            }
            sqlx::query("SELECT pg_advisory_unlock(4242001)")
                .execute(&mut conn)
                .await
                .expect("unlock");
            name
        })
        .await
        .clone()
}

/// A fresh, migrated database of its own; its URL is in `TestStore::url`. Fails the test
/// without `CAREDESK_TEST_POSTGRES_URL` (see [`required_server_url`]).
pub async fn fresh() -> TestStore {
    let url = required_server_url();
    let template = template(&url).await;
    let name = format!(
        "caredesk_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let mut conn = admin(&url).await;
    conn.execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
        .await
        .expect("drop");
    execute_when_idle(
        &mut conn,
        &format!("CREATE DATABASE {name} TEMPLATE {template}"),
    )
    .await;
    let db_url = with_database(&url, &name);
    let store = caredesk_store_postgres::connect(&db_url, 8)
        .await
        .expect("connect")
        .with_secrets(crate::support::test_secrets());
    TestStore::postgres(Arc::new(store), db_url, DropDatabase { server: url, name })
}

/// Drops a test database when the test ends.
pub struct DropDatabase {
    server: String,
    name: String,
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // Drop runs outside async code; a short-lived runtime on its own thread does the work.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut conn = PgConnection::connect(&server).await.ok()?;
                conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!("note: could not drop test database {}", self.name);
        }
    }
}

#[test]
fn database_names_are_swapped_in_urls() {
    assert_eq!(
        with_database("postgres://u@h:5432/postgres", "x"),
        "postgres://u@h:5432/x"
    );
    assert_eq!(
        with_database("postgres://u@h/db?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
}
