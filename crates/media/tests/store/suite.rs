//! What every media store does: objects come back as they were put, a second put replaces the
//! first, a missing key is `None`, deleting is idempotent, keys that are not the desk's are
//! refused before anything is touched, and a large object round-trips whole.

use bytes::Bytes;
use caredesk_app::media::{MediaError, MediaStore};

/// Runs every check against `store`, panicking with the name of the one that breaks.
pub async fn run(store: &dyn MediaStore) {
    round_trips(store).await;
    overwrites(store).await;
    missing_keys_are_none(store).await;
    deletes_twice(store).await;
    refuses_bad_keys(store).await;
    describes_itself_without_secrets(store);
}

/// A body of `len` bytes that is not all one value (a cut or shifted copy would not match).
fn body(len: usize) -> Bytes {
    (0..len)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into()
}

async fn round_trips(store: &dyn MediaStore) {
    let table = [
        ("ab/cd/1-photo.jpg", body(1_000), "image/jpeg"),
        ("ab/cd/2-empty.txt", Bytes::new(), "text/plain"),
        ("avatar/x/2244994945.png", body(10), ""),
        ("ef/01/3-video.mp4", body(5 * 1024 * 1024), "video/mp4"),
    ];
    for (key, bytes, mime) in table {
        store
            .put(key, bytes.clone(), mime)
            .await
            .unwrap_or_else(|e| panic!("round_trips: put {key}: {e}"));
        let back = store
            .get(key)
            .await
            .unwrap_or_else(|e| panic!("round_trips: get {key}: {e}"));
        assert!(
            back.as_ref() == Some(&bytes),
            "round_trips: {key} came back as {:?} bytes, not {}",
            back.map(|b| b.len()),
            bytes.len()
        );
    }
}

async fn overwrites(store: &dyn MediaStore) {
    let key = "ov/er/write.bin";
    for bytes in [body(4_000), body(17)] {
        store
            .put(key, bytes.clone(), "application/octet-stream")
            .await
            .expect("overwrites: put");
        assert_eq!(
            store.get(key).await.expect("overwrites: get"),
            Some(bytes),
            "overwrites: the second put replaces the first"
        );
    }
}

async fn missing_keys_are_none(store: &dyn MediaStore) {
    for key in ["no/such/key.png", "never-written"] {
        assert_eq!(
            store.get(key).await.expect("missing_keys_are_none: get"),
            None,
            "missing_keys_are_none: {key}"
        );
    }
}

async fn deletes_twice(store: &dyn MediaStore) {
    let key = "de/le/te.jpg";
    store
        .put(key, body(100), "image/jpeg")
        .await
        .expect("deletes_twice: put");
    for time in ["first", "second"] {
        store
            .delete(key)
            .await
            .unwrap_or_else(|e| panic!("deletes_twice: {time} delete: {e}"));
        assert_eq!(
            store.get(key).await.expect("deletes_twice: get"),
            None,
            "deletes_twice: gone after the {time} delete"
        );
    }
}

async fn refuses_bad_keys(store: &dyn MediaStore) {
    let bad = [
        "",
        "/abs/olute",
        "../escape",
        "a/../../escape",
        "a//b",
        "a/",
        "./a",
        "a b",
        "caf\u{e9}.jpg",
        "a\\b",
    ];
    for key in bad {
        let refused = |r: Result<(), MediaError>, what: &str| {
            assert!(
                matches!(r, Err(MediaError::BadKey(_))),
                "refuses_bad_keys: {what} {key:?} answered {r:?}"
            );
        };
        refused(store.put(key, body(3), "image/png").await, "put");
        refused(store.get(key).await.map(|_| ()), "get");
        refused(store.delete(key).await, "delete");
    }
}

fn describes_itself_without_secrets(store: &dyn MediaStore) {
    let described = store.describe();
    assert!(
        described.starts_with("directory /") || described.starts_with("s3://"),
        "describes_itself_without_secrets: {described}"
    );
    for variable in [
        "AWS_SECRET_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SESSION_TOKEN",
    ] {
        if let Some(secret) = std::env::var(variable).ok().filter(|s| s.len() >= 8) {
            assert!(
                !described.contains(&secret),
                "describes_itself_without_secrets: {variable} shows"
            );
        }
    }
}
