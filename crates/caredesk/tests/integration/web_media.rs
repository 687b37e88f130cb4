//! Attachments in a real browser (UI.md "Media"): a kept photo as a thumbnail that opens large
//! and closes with Escape, a sticker, a story mention above the message, a file as a chip, a
//! location with its map link and an unsupported message in words — in a case and in Community.

use std::sync::Arc;

use bytes::Bytes;
use caredesk_app::media::{DownloadConfig, Fetched};
use caredesk_app::IngestOutcome;
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::*;

use crate::app_media::{Memory, ScriptedNetwork};
use crate::browser::Browser;
use crate::support::World;

const PHOTO: &str = "https://cdn.example/parcel.png";
const STICKER: &str = "https://cdn.example/sticker.png";
const STORY: &str = "https://cdn.example/story.png";
const FILE: &str = "https://cdn.example/invoice.pdf";

fn picture() -> Fetched {
    Fetched::Bytes {
        bytes: Bytes::from_static(include_bytes!("../../../fakes/media/parcel.png")),
        content_type: Some("image/png".into()),
    }
}

/// A customer message carrying one attachment of each shape, kept where the desk keeps such
/// content; answers its Community item.
async fn everything(w: &World) -> CommunityItemId {
    let network = ScriptedNetwork::default();
    for url in [PHOTO, STICKER, STORY] {
        network.answer(url, vec![picture()]);
    }
    network.answer(
        FILE,
        vec![Fetched::Bytes {
            bytes: Bytes::from_static(b"%PDF-1.4 invoice"),
            content_type: Some("application/pdf".into()),
        }],
    );
    let attachments = vec![
        Attachment::at(AttachmentKind::StoryMention, Some(STORY.into())),
        Attachment::at(AttachmentKind::Image, Some(PHOTO.into())),
        Attachment::at(AttachmentKind::Sticker, Some(STICKER.into())),
        Attachment {
            title: Some("invoice.pdf".into()),
            ..Attachment::at(AttachmentKind::File, Some(FILE.into()))
        },
        Attachment::location(52.52, 13.405, Some("Pickup point".into())),
        Attachment::unsupported(Some("https://www.facebook.com/".into())),
    ];
    let inbound = caredesk_app::InboundMessage {
        attachments,
        ..w.dm("ann", "dm-media", "The parcel arrived like this")
    };
    let IngestOutcome::Community { item, .. } = w.app.ingest(inbound).await.expect("ingest") else {
        panic!("a community item");
    };
    let pass = w
        .app
        .download_media(&network, DownloadConfig::default())
        .await
        .expect("downloads");
    assert_eq!(
        pass.stored, 4,
        "the photo, sticker, story and file are kept"
    );
    item
}

async fn shows_every_shape(b: &Browser, page: &str) {
    b.wait_for(".attachment-picture img").await;
    b.wait_until(
        &format!("{page}: the kept pictures load"),
        "return Array.from(document.querySelectorAll('.attachment-picture img')).length === 3 && \
         Array.from(document.querySelectorAll('.attachment-picture img')).every(i => i.complete && i.naturalWidth > 0)",
    )
    .await;
    let first = b
        .eval("return document.querySelector('.attachment .attachment-label').textContent")
        .await;
    assert_eq!(first, "Story mention", "{page}: the story comes first");
    b.wait_for_text(".attachments", "Sticker").await;
    b.wait_for_text(".file-chip", "invoice.pdf").await;
    b.wait_for_text(
        ".attachment-location .attachment-link",
        "52.52000, 13.40500",
    )
    .await;
    b.wait_for_text(
        ".attachment-unsupported",
        "unsupported message — open it on Facebook",
    )
    .await;
    let map = b
        .eval("return document.querySelector('.attachment-location a').href")
        .await;
    assert!(
        map.as_str()
            .is_some_and(|m| m.starts_with("https://www.openstreetmap.org/")),
        "{page}: {map}"
    );
    // A click opens the photo large; Escape closes it.
    b.click(".attachment-picture a.thumb").await;
    b.wait_until(
        &format!("{page}: the photo opens large"),
        "return document.getElementById('lightbox')?.open === true",
    )
    .await;
    let body = b.wait_for("body").await;
    body.send_keys("\u{e00c}").await.expect("Escape");
    b.wait_until(
        &format!("{page}: Escape closes it"),
        "return document.getElementById('lightbox')?.open === false",
    )
    .await;
}

#[tokio::test]
async fn attachments_show_in_community_and_in_a_case() {
    let mut w = World::new().await;
    w.app = w.app.clone().with_media_store(Arc::new(Memory::default()));
    let item = everything(&w).await;
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("community@example.com").await;
    b.open(&format!("/community/items/{item}")).await;
    shows_every_shape(&b, "Community").await;
    b.screenshot("community-media").await;

    let request = EscalationRequest {
        assignee_id: Some(w.agent.id),
        ..Default::default()
    };
    let case = w
        .app
        .escalate(w.community.id, item, request)
        .await
        .expect("escalate")
        .case;
    b.client.delete_all_cookies().await.expect("signed out");
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    shows_every_shape(&b, "Care").await;
    b.screenshot("care-media").await;
    b.close().await;
}

#[tokio::test]
async fn sending_a_photo_from_the_composer() {
    let mut w = World::new().await;
    w.app = w.app.clone().with_media_store(Arc::new(Memory::default()));
    let IngestOutcome::Community { item, .. } = w
        .app
        .ingest(w.dm("ann", "dm-label", "Which label do you mean?"))
        .await
        .expect("ingest")
    else {
        panic!("a community item");
    };
    let request = EscalationRequest {
        assignee_id: Some(w.agent.id),
        ..Default::default()
    };
    let case = w
        .app
        .escalate(w.community.id, item, request)
        .await
        .expect("escalate")
        .case;
    let picture = std::env::temp_dir().join(format!("caredesk-label-{}.png", std::process::id()));
    std::fs::write(
        &picture,
        include_bytes!("../../../fakes/media/parcel.png").as_slice(),
    )
    .expect("a picture to send");
    let Some(b) = Browser::start(&w).await else {
        return;
    };
    b.sign_in("agent@example.com").await;
    b.open(&format!("/care/cases/{}", case.number)).await;
    let input = b.wait_for("#reply-file").await;
    input
        .send_keys(&picture.display().to_string())
        .await
        .expect("a file chosen");
    b.wait_for_text("#attached-name", "caredesk-label-").await;
    b.wait_until(
        "the upload finishes",
        "return !document.getElementById('attached-name').textContent.startsWith('Uploading')",
    )
    .await;
    b.fill("#reply-text", "This label, on the side of the box")
        .await;
    b.click("#composer button[data-set-status='']").await;
    b.wait_until(
        "the reply shows with its photo",
        "return Array.from(document.querySelectorAll('.msg-brand .attachment-picture img')).some(i => i.complete && i.naturalWidth > 0)",
    )
    .await;
    b.wait_until(
        "the composer is empty again",
        "return document.getElementById('attached').hidden && document.getElementById('reply-text').value === ''",
    )
    .await;
    b.screenshot("care-send-photo").await;
    b.close().await;
    let _ = std::fs::remove_file(&picture);
    let messages = w
        .app
        .store()
        .case_messages(case.id, None, 100)
        .await
        .expect("read")
        .page;
    let sent: Vec<&Message> = messages
        .items
        .iter()
        .filter(|m| m.author == Author::Brand)
        .collect();
    let with_file: Vec<&&Message> = sent.iter().filter(|m| !m.attachments.is_empty()).collect();
    assert_eq!(with_file.len(), 1, "one reply carries the photo: {sent:?}");
    let attachment = &with_file[0].attachments[0];
    assert_eq!(attachment.kind, AttachmentKind::Image);
    assert!(attachment.media_id.is_some());
    assert!(
        sent.iter()
            .any(|m| m.text == "This label, on the side of the box"),
        "the text goes as its own message on Messenger"
    );
}
