//! Keeping media (PRODUCT.md §11 "Media is kept"), on the use cases with a scripted network and
//! an in-memory media store: downloads are queued with their message and run after the commit;
//! a kept file updates the attachment; a crash after the claim loses nothing; a file over the cap
//! stays a link; failures back off and give up; a download is never made twice at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use bytes::Bytes;
use caredesk_app::media::{
    DownloadConfig, FetchRequest, Fetched, MediaError, MediaSource, MediaStore,
};
use caredesk_domain::*;

use crate::support::World;

/// A network whose answers are scripted per URL, counting the calls.
#[derive(Default)]
pub(crate) struct ScriptedNetwork {
    answers: Mutex<HashMap<String, Vec<Fetched>>>,
    calls: Mutex<Vec<String>>,
}

impl ScriptedNetwork {
    pub(crate) fn answer(&self, url: &str, answers: Vec<Fetched>) {
        self.answers
            .lock()
            .expect("lock")
            .insert(url.to_owned(), answers);
    }

    fn calls(&self) -> usize {
        self.calls.lock().expect("lock").len()
    }
}

#[async_trait]
impl MediaSource for ScriptedNetwork {
    async fn fetch(&self, request: FetchRequest<'_>) -> Fetched {
        self.calls
            .lock()
            .expect("lock")
            .push(request.url.to_owned());
        let mut answers = self.answers.lock().expect("lock");
        match answers.get_mut(request.url) {
            Some(list) if list.len() > 1 => list.remove(0),
            Some(list) => list.first().cloned().unwrap_or(Fetched::Gone("404".into())),
            None => Fetched::Gone("404".into()),
        }
    }
}

/// A media store in memory.
#[derive(Default)]
pub(crate) struct Memory {
    objects: Mutex<HashMap<String, (Bytes, String)>>,
}

#[async_trait]
impl MediaStore for Memory {
    async fn put(&self, key: &str, bytes: Bytes, mime: &str) -> Result<(), MediaError> {
        self.objects
            .lock()
            .expect("lock")
            .insert(key.to_owned(), (bytes, mime.to_owned()));
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, MediaError> {
        Ok(self
            .objects
            .lock()
            .expect("lock")
            .get(key)
            .map(|(b, _)| b.clone()))
    }

    async fn delete(&self, key: &str) -> Result<(), MediaError> {
        self.objects.lock().expect("lock").remove(key);
        Ok(())
    }

    fn describe(&self) -> String {
        "memory".into()
    }
}

const PHOTO: &str = "https://cdn.example/photo.jpg";

fn png() -> Bytes {
    Bytes::from_static(b"\x89PNG\r\n\x1a\n0000")
}

async fn photo_message(w: &World, network_id: &str, urls: &[&str]) -> MessageId {
    let inbound = caredesk_app::InboundMessage {
        text: String::new(),
        attachments: urls
            .iter()
            .map(|u| Attachment::at(AttachmentKind::Image, Some((*u).to_owned())))
            .chain([Attachment::location(52.52, 13.405, None)])
            .collect(),
        ..w.dm("cust-1", network_id, "")
    };
    w.app.ingest(inbound).await.expect("ingest");
    let mut tx = w.app.store().begin().await.expect("begin");
    tx.message_by_network_id(w.profile.id, network_id)
        .await
        .expect("read")
        .expect("stored")
        .id
}

async fn message(w: &World, id: MessageId) -> Message {
    w.app
        .store()
        .messages(&[id])
        .await
        .expect("read")
        .pop()
        .expect("the message")
}

#[tokio::test]
async fn a_photo_is_kept_after_the_commit_and_its_attachment_points_at_the_copy() {
    let mut w = World::new().await;
    let network = ScriptedNetwork::default();
    let store = Arc::new(Memory::default());
    w.app = w.app.clone().with_media_store(store.clone());
    network.answer(
        PHOTO,
        vec![Fetched::Bytes {
            bytes: png(),
            content_type: Some("image/png".into()),
        }],
    );
    let id = photo_message(&w, "m-photo", &[PHOTO]).await;
    let before = message(&w, id).await;
    assert_eq!(before.attachments[0].state, MediaState::Pending);
    assert_eq!(
        before.attachments[1].state,
        MediaState::Link,
        "a location is only a link"
    );
    assert_eq!(w.app.store().media_backlog().await.expect("backlog"), 1);

    let pass = w
        .app
        .download_media(&network, DownloadConfig::default())
        .await
        .expect("pass");
    assert_eq!((pass.claimed, pass.stored), (1, 1));
    let after = message(&w, id).await;
    let kept = &after.attachments[0];
    assert_eq!(kept.state, MediaState::Stored);
    assert_eq!(kept.mime.as_deref(), Some("image/png"));
    let media_id = kept.media_id.expect("the copy's id");
    let media = w
        .app
        .store()
        .media(media_id)
        .await
        .expect("read")
        .expect("the row");
    let key = media.object_key.clone().expect("a key");
    assert_eq!(store.get(&key).await.expect("get"), Some(png()));
    assert_eq!(media.size, Some(png().len() as i64));
    assert_eq!(w.app.store().media_backlog().await.expect("backlog"), 0);

    // Nothing is downloaded twice.
    let again = w
        .app
        .download_media(&network, DownloadConfig::default())
        .await
        .expect("pass");
    assert_eq!(again.claimed, 0);
    assert_eq!(network.calls(), 1);
}

#[tokio::test]
async fn a_download_claimed_before_a_crash_is_made_once_the_lease_runs_out() {
    let mut w = World::new().await;
    let id = photo_message(&w, "m-crash", &[PHOTO]).await;
    // A worker claims the download and dies before saving anything.
    let now = w.app.now();
    let mut tx = w.app.store().begin().await.expect("begin");
    let claimed = tx
        .claim_downloads(now, now.plus_secs(300), 8)
        .await
        .expect("claim");
    tx.commit().await.expect("commit");
    assert_eq!(claimed.len(), 1);

    let network = ScriptedNetwork::default();
    network.answer(
        PHOTO,
        vec![Fetched::Bytes {
            bytes: png(),
            content_type: Some("image/png".into()),
        }],
    );
    let store = Arc::new(Memory::default());
    w.app = w.app.clone().with_media_store(store.clone());
    let config = DownloadConfig::default();
    let held = w.app.download_media(&network, config).await.expect("pass");
    assert_eq!(held.claimed, 0, "another worker's lease is respected");
    w.clock.advance_secs(301);
    let resumed = w.app.download_media(&network, config).await.expect("pass");
    assert_eq!((resumed.claimed, resumed.stored), (1, 1));
    assert_eq!(
        message(&w, id).await.attachments[0].state,
        MediaState::Stored
    );
}

#[tokio::test]
async fn failures_back_off_give_up_and_keep_the_network_link() {
    let mut w = World::new().await;
    let big = "https://cdn.example/huge.mov";
    let flaky = "https://cdn.example/flaky.jpg";
    let network = ScriptedNetwork::default();
    network.answer(
        big,
        vec![Fetched::TooLarge {
            size: Some(30 * 1024 * 1024),
        }],
    );
    network.answer(flaky, vec![Fetched::Temporary("503".into())]);
    let store = Arc::new(Memory::default());
    w.app = w.app.clone().with_media_store(store.clone());
    let id = photo_message(&w, "m-big", &[big, flaky]).await;
    let config = DownloadConfig::default();
    let first = w.app.download_media(&network, config).await.expect("pass");
    assert_eq!((first.gave_up, first.retrying), (1, 1));
    let after = message(&w, id).await;
    assert_eq!(after.attachments[0].state, MediaState::Unavailable);
    assert_eq!(
        after.attachments[0].network_url.as_deref(),
        Some(big),
        "it stays a link"
    );
    assert_eq!(after.attachments[1].state, MediaState::Pending);

    // Not before its backoff; given up after the last attempt.
    let early = w.app.download_media(&network, config).await.expect("pass");
    assert_eq!(early.claimed, 0);
    for _ in 0..caredesk_domain::media::MAX_DOWNLOAD_ATTEMPTS {
        w.clock.advance_secs(12 * 3_600);
        w.app.download_media(&network, config).await.expect("pass");
    }
    let gave_up = message(&w, id).await;
    assert_eq!(gave_up.attachments[1].state, MediaState::Unavailable);
    assert_eq!(
        network.calls(),
        1 + caredesk_domain::media::MAX_DOWNLOAD_ATTEMPTS as usize
    );
    assert_eq!(w.app.store().media_backlog().await.expect("backlog"), 0);
}

#[tokio::test]
async fn a_kept_file_is_served_only_to_its_profiles_users_and_never_as_html() {
    use axum::http::{header, Method, StatusCode};

    let mut w = World::new().await;
    let store = Arc::new(Memory::default());
    w.app = w.app.clone().with_media_store(store.clone());
    let page = "https://cdn.example/page.html";
    let network = ScriptedNetwork::default();
    network.answer(
        PHOTO,
        vec![Fetched::Bytes {
            bytes: png(),
            content_type: Some("image/png".into()),
        }],
    );
    network.answer(
        page,
        vec![Fetched::Bytes {
            bytes: Bytes::from_static(b"<html><script>alert(1)</script></html>"),
            content_type: Some("text/html".into()),
        }],
    );
    let id = photo_message(&w, "m-served", &[PHOTO, page]).await;
    w.app
        .download_media(&network, DownloadConfig::default())
        .await
        .expect("pass");
    let kept = message(&w, id).await;
    let photo = kept.attachments[0].media_id.expect("kept");
    let html = kept.attachments[1].media_id.expect("kept");

    // A Care agent of another profile only.
    let elsewhere = w
        .app
        .create_profile(
            None,
            caredesk_app::ProfileInput {
                network: Network::Instagram,
                external_id: "ig-2".into(),
                name: "Elsewhere".into(),
                app_id: w.profile.app_id,
                access_token: "t".into(),
                token_secret: String::new(),
            },
        )
        .await
        .expect("profile");
    w.app
        .create_user(
            None,
            caredesk_app::NewUserInput {
                email: "outsider@example.com".into(),
                name: "Outsider".into(),
                password: "a long enough password".into(),
                role: Role::Member,
                care_access: CareAccess::Agent,
                capacity: None,
                profile_ids: [elsewhere.id].into(),
            },
        )
        .await
        .expect("user");

    let api = crate::api_support::router(&w);
    let agent = crate::api_support::login(&api, "agent@example.com").await;
    let outsider = crate::api_support::login(&api, "outsider@example.com").await;
    let get = |token: &str, id: MediaId| {
        let api = api.clone();
        let token = token.to_owned();
        async move {
            crate::api_support::call(
                &api,
                Method::GET,
                &format!("/api/v1/media/{id}"),
                Some(&token),
                None,
            )
            .await
        }
    };
    let shown = get(&agent, photo).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(shown.headers[header::CONTENT_DISPOSITION], "inline");
    assert_eq!(shown.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let downloaded = get(&agent, html).await;
    assert_eq!(downloaded.status, StatusCode::OK);
    let disposition = downloaded.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("text");
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(downloaded.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("text")
        .contains("sandbox"));
    for id in [photo, html, MediaId(999_999)] {
        let hidden = get(&outsider, id).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{id}");
        assert_eq!(hidden.json["error"]["code"], "not_found");
    }
}
