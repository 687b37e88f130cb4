//! `caredesk backup` and `caredesk restore` (PRODUCT.md §14): a copy taken while messages
//! arrive is whole and restores to exactly what it holds, a restore is refused while a server
//! uses the data directory and keeps the database it replaces, and PostgreSQL is pointed to
//! its own tools.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use caredesk::backup::{backup, restore, DataDirLock};
use caredesk::config::Config;
use caredesk::opening::open_store;
use caredesk_store_sqlite::backup::check_copy;
use caredesk_store_sqlite::DATABASE_FILE;

use crate::support::{World, TEST_SECRET_KEY};

fn config(data_dir: &std::path::Path) -> Config {
    Config {
        data_dir: data_dir.to_owned(),
        secret_key: Some(TEST_SECRET_KEY.into()),
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_restores_to_exactly_what_it_holds() {
    let store = crate::support::sqlite().await;
    let data_dir = store.dir().expect("a data directory").to_owned();
    let w = World::on(store).await;
    let comments: Vec<_> = (0..300)
        .map(|i| w.comment(&format!("fan-{i}"), &format!("c-{i}"), "post-1", "hello"))
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let app = w.app.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut written = 0;
            for comment in comments {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                app.ingest(comment).await.expect("ingest");
                written += 1;
            }
            written
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let backups = tempfile::tempdir().expect("temp dir");
    let target = backups.path().join("caredesk-backup.db");
    backup(&config(&data_dir), &target)
        .await
        .expect("a backup while messages arrive");
    stop.store(true, Ordering::SeqCst);
    let written = writer.await.expect("the writer");
    let copy = check_copy(&target).await.expect("the copy is whole");
    assert!(copy.messages > 0, "the copy holds what came before it");
    assert!(
        copy.messages <= written,
        "a snapshot holds no more than was written: {} of {written}",
        copy.messages
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the backup is its owner's only");
    }
    let refused = backup(&config(&data_dir), &target).await;
    assert!(refused.is_err(), "a backup never overwrites a file");

    let elsewhere = tempfile::tempdir().expect("temp dir");
    let config = config(&elsewhere.path().join("data"));
    restore(&config, &target).await.expect("restore");
    let restored = check_copy(&config.data_dir.join(DATABASE_FILE))
        .await
        .expect("the restored database is whole");
    assert_eq!(restored.messages, copy.messages);
    assert_eq!(restored.cases, copy.cases);
    let store = open_store(&config).await.expect("opens with the key");
    let profiles = store.profiles().await.expect("profiles");
    assert_eq!(
        profiles[0].access_token, w.profile.access_token,
        "secrets open with the installation's key"
    );
}

#[tokio::test]
async fn a_restore_waits_for_the_server_to_stop_and_keeps_what_it_replaces() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(&dir.path().join("data"));
    open_store(&config).await.expect("a database").close().await;
    let target = dir.path().join("backup.db");
    backup(&config, &target).await.expect("backup");

    let serving = DataDirLock::acquire(&config.data_dir).expect("the server's lock");
    let refused = restore(&config, &target).await.expect_err("refused");
    assert!(
        format!("{refused:#}").contains("stop it first"),
        "{refused:#}"
    );
    assert!(
        DataDirLock::acquire(&config.data_dir).is_err(),
        "a second server is refused too"
    );
    drop(serving);

    restore(&config, &target)
        .await
        .expect("restore once stopped");
    let kept: Vec<String> = std::fs::read_dir(&config.data_dir)
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("caredesk.db.replaced-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept: {kept:?}");

    let not_a_backup = dir.path().join("not-a-backup.db");
    std::fs::write(&not_a_backup, b"hello").expect("write");
    assert!(restore(&config, &not_a_backup).await.is_err());
}

#[tokio::test]
async fn on_postgres_the_server_tools_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        database_url: Some("postgres://care@db.internal/caredesk".into()),
        ..config(dir.path())
    };
    for refused in [
        backup(&config, &dir.path().join("b.db")).await,
        restore(&config, &dir.path().join("b.db")).await,
    ] {
        let message = format!("{:#}", refused.expect_err("refused"));
        assert!(message.contains("pg_dump"), "{message}");
    }
}
