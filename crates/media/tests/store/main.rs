//! The store tests: one suite ([`suite::run`]) that every media store passes, run against a
//! temporary directory always and against S3-compatible object storage when
//! `CAREDESK_TEST_S3_URL` names a bucket (`s3://caredesk-test/ci`, with the standard AWS
//! variables for its credentials and endpoint). Without the URL the S3 test is reported as
//! ignored (see `build.rs`); with `CAREDESK_REQUIRE_S3=1` it runs regardless, so a missing URL
//! fails it.

mod suite;

use std::time::{SystemTime, UNIX_EPOCH};

use caredesk_app::media::MediaStore;
use caredesk_media::{MediaLocation, ObjectMediaStore};

#[tokio::test]
async fn a_directory_passes_the_store_tests() {
    let temp = tempfile::tempdir().expect("temporary directory");
    let dir = temp.path().join("data").join("media");
    let store = ObjectMediaStore::open_url(&dir.to_string_lossy()).expect("directory store");
    assert!(dir.is_dir(), "the directory is made when missing");
    let canonical = dir.canonicalize().expect("canonical");
    assert_eq!(
        store.describe(),
        format!("directory {}", canonical.display())
    );
    suite::run(&store).await;
}

#[tokio::test]
async fn a_directory_holds_each_object_as_one_complete_file_under_its_key() {
    let temp = tempfile::tempdir().expect("temporary directory");
    let store = ObjectMediaStore::open_url(&temp.path().to_string_lossy()).expect("store");
    let bytes = vec![7u8; 300_000];
    store
        .put("ab/cd/1-photo.jpg", bytes.clone().into(), "image/jpeg")
        .await
        .expect("put");
    let file = temp.path().join("ab").join("cd").join("1-photo.jpg");
    assert_eq!(std::fs::read(&file).expect("the file"), bytes);
    let names: Vec<_> = std::fs::read_dir(temp.path().join("ab").join("cd"))
        .expect("listing")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["1-photo.jpg"], "no staging file is left behind");
}

#[tokio::test]
#[cfg_attr(
    not(caredesk_s3_tests),
    ignore = "CAREDESK_TEST_S3_URL is not set (CI runs moto; see .ci/run)"
)]
async fn s3_passes_the_same_store_tests() {
    let url = std::env::var("CAREDESK_TEST_S3_URL")
        .ok()
        .filter(|url| !url.is_empty());
    let Some(url) = url else {
        if std::env::var("CAREDESK_REQUIRE_S3").as_deref() == Ok("1") {
            panic!("CAREDESK_REQUIRE_S3=1 but CAREDESK_TEST_S3_URL is not set");
        }
        panic!(
            "CAREDESK_TEST_S3_URL is not set, but this test binary was built with it: set it, \
             or rebuild without it to ignore the S3 test"
        );
    };
    // Each run writes under a prefix of its own, so runs sharing a bucket never meet.
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let url = format!(
        "{}/run-{}-{nanos}",
        url.trim_end_matches('/'),
        std::process::id()
    );
    let location = MediaLocation::parse(&url).expect("an s3:// URL");
    assert!(matches!(location, MediaLocation::S3 { .. }), "{url}");
    let store = ObjectMediaStore::open(&location).expect("S3 store");
    assert_eq!(store.describe(), url);
    suite::run(&store).await;
}
