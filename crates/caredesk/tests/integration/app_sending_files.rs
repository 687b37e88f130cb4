//! Sending a file with a reply (PRODUCT.md §11, the last paragraph): an agent's upload travels
//! through the outbox to the fake networks in each network's shape — the Send API's `filedata`,
//! a Facebook comment's `source`, X's media upload then the post naming it — text and file apart
//! where Messenger and Instagram carry them apart; limits are refused with `platform_limit`
//! before anything is queued; an upload is its uploader's alone until a reply carries it.

use std::sync::Arc;

use bytes::Bytes;
use caredesk_app::media::Upload;
use caredesk_app::ReplyRequest;
use caredesk_domain::media::Media;
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::*;
use caredesk_fakes::{SendKind, SentReply};

use crate::app_media::Memory;
use crate::app_sending::Wired;
use crate::support::code;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

async fn wired() -> Wired {
    let mut wired = Wired::new().await;
    let store = Arc::new(Memory::default());
    wired.w.app = wired.w.app.clone().with_media_store(store);
    wired
}

async fn upload(wired: &Wired, by: UserId, bytes: &[u8], name: &str) -> Media {
    let upload = Upload {
        bytes: Bytes::copy_from_slice(bytes),
        announced: Some("application/octet-stream".into()),
        filename: Some(name.into()),
    };
    wired
        .w
        .app
        .upload_media(by, upload)
        .await
        .expect("the upload is kept")
}

fn request(kind: ReplyKind, to: Option<MessageId>, text: &str, files: &[MediaId]) -> ReplyRequest {
    ReplyRequest {
        text: text.into(),
        kind,
        in_reply_to: to,
        set_status: None,
        attachment_ids: files.to_vec(),
    }
}

/// What the fakes received with a file.
fn sent_files(wired: &Wired) -> Vec<SentReply> {
    wired
        .meta
        .sent()
        .into_iter()
        .chain(wired.x_fake.sent())
        .filter(|s| s.file.is_some())
        .collect()
}

/// One row: where the reply goes, and how the network must have received the file.
struct Row {
    name: &'static str,
    kind: ReplyKind,
    answer_it: bool,
    text: &'static str,
    sent_as: SendKind,
    field: &'static str,
    named_type: Option<&'static str>,
    /// The text arrives as a message of its own after the file.
    text_apart: bool,
}

#[tokio::test]
async fn a_photo_goes_out_on_each_channel_in_the_networks_shape() {
    let wired = wired().await;
    let c = &wired.customers;
    let jane = c.person("Jane Doe");
    let fb = wired.w.profile.clone();
    let ig = wired.instagram.clone();
    let x = wired.x.clone();
    let post = c.facebook_post_id("page-1");
    let cases = [
        (
            c.facebook_comment("page-1", &post, &jane, "the box was crushed"),
            fb.clone(),
            Row {
                name: "facebook comment with a photo",
                kind: ReplyKind::Reply,
                answer_it: true,
                text: "Is it like this one?",
                sent_as: SendKind::FacebookComment,
                field: "source",
                named_type: None,
                text_apart: false,
            },
        ),
        (
            c.facebook_comment("page-1", &post, &c.person("Lena Park"), "and the label?"),
            fb.clone(),
            Row {
                name: "private reply with a photo alone",
                kind: ReplyKind::Direct,
                answer_it: true,
                text: "",
                sent_as: SendKind::PrivateReply,
                field: "filedata",
                named_type: Some("image"),
                text_apart: false,
            },
        ),
        (
            c.messenger_message("page-1", &c.person("Bob Stone"), "which label?"),
            fb.clone(),
            Row {
                name: "messenger with text and a photo",
                kind: ReplyKind::Direct,
                answer_it: false,
                text: "This label, on the side",
                sent_as: SendKind::MessengerMessage,
                field: "filedata",
                named_type: Some("image"),
                text_apart: true,
            },
        ),
        (
            c.instagram_message("ig-1", &c.person("Ivy Moss"), "proof?"),
            ig.clone(),
            Row {
                name: "instagram direct with text and a photo",
                kind: ReplyKind::Direct,
                answer_it: false,
                text: "Here it is",
                sent_as: SendKind::InstagramDirect,
                field: "filedata",
                named_type: Some("image"),
                text_apart: true,
            },
        ),
        (
            c.x_mention("1500", &c.person("Xavier Quill"), "@brand broken again"),
            x.clone(),
            Row {
                name: "x reply with a photo",
                kind: ReplyKind::Reply,
                answer_it: true,
                text: "Does yours look like this?",
                sent_as: SendKind::XReply,
                field: "media",
                named_type: Some("tweet_image"),
                text_apart: false,
            },
        ),
        (
            c.x_message("1500", &c.person("Yara Lin"), "the receipt?"),
            x.clone(),
            Row {
                name: "x direct message with a photo",
                kind: ReplyKind::Direct,
                answer_it: false,
                text: "This one",
                sent_as: SendKind::XDirect,
                field: "media",
                named_type: Some("dm_image"),
                text_apart: false,
            },
        ),
    ];
    for (delivery, profile, row) in cases {
        let before = sent_files(&wired).len();
        let (case, message) = wired.case_from(&delivery, &profile).await;
        let file = upload(&wired, wired.w.agent.id, PNG, "label.png").await;
        assert_eq!(file.kind, AttachmentKind::Image, "{}", row.name);
        let to = row.answer_it.then_some(message.id);
        let reply = wired
            .w
            .app
            .queue_reply(
                wired.w.agent.id,
                case.id,
                request(row.kind, to, row.text, &[file.id]),
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", row.name));
        let pass = wired.pass().await;
        let expected_sends = if row.text_apart { 2 } else { 1 };
        assert_eq!(pass.sent, expected_sends, "{}: {pass:?}", row.name);
        let files = sent_files(&wired);
        assert_eq!(files.len(), before + 1, "{}: one file posted", row.name);
        let sent = &files[before];
        assert_eq!(sent.kind, row.sent_as, "{}", row.name);
        let got = sent.file.as_ref().expect("a file");
        assert_eq!(got.field, row.field, "{}", row.name);
        assert_eq!(got.named_type.as_deref(), row.named_type, "{}", row.name);
        assert_eq!(got.size, PNG.len(), "{}", row.name);
        assert_eq!(got.filename.as_deref(), Some("label.png"), "{}", row.name);
        let stored = wired.stored(reply.id).await;
        assert_eq!(stored.delivery, Some(Delivery::Sent), "{}", row.name);
        if row.text_apart {
            assert_eq!(sent.text, "", "{}: the file goes alone", row.name);
            assert_eq!(stored.text, row.text, "{}", row.name);
            assert!(stored.attachments.is_empty(), "{}", row.name);
            assert_eq!(wired.posted(row.text).len(), 1, "{}: text sent", row.name);
        } else {
            assert_eq!(sent.text, row.text, "{}", row.name);
            let attachment = &stored.attachments[0];
            assert_eq!(attachment.media_id, Some(file.id), "{}", row.name);
            assert_eq!(attachment.state, MediaState::Stored, "{}", row.name);
        }
    }
    // The networks echo what the brand sent, file included, in their webhook shapes.
    let mut pictures = 0;
    for _ in 0..100 {
        pictures = echoed_pictures(&wired);
        if pictures >= 6 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(pictures, 6, "each file comes back in its echo");
}

/// The pictures the fakes' echoes carry, as the desk's parsers read them.
fn echoed_pictures(wired: &Wired) -> usize {
    let echoes = wired.meta.echoes().into_iter().chain(wired.x_fake.echoes());
    echoes
        .filter_map(|echo| {
            let network = echo.delivery.platform;
            caredesk_networks::registry::adapter(network).parse(&echo.delivery.body)
        })
        .flat_map(|(updates, _)| updates)
        .filter_map(|update| match update {
            caredesk_app::delivery::Update::Message { message, .. } => Some(message),
            _ => None,
        })
        .flat_map(|m| m.attachments)
        .filter(|a| a.kind == AttachmentKind::Image)
        .count()
}

#[tokio::test]
async fn a_file_the_channel_does_not_take_is_refused_before_anything_is_queued() {
    let wired = wired().await;
    let c = &wired.customers;
    let jane = c.person("Jane Doe");
    let media = c.instagram_media_id();
    let ig_comment = c.instagram_comment("ig-1", &media, &jane, "broken on arrival");
    let (ig_case, ig_message) = wired.case_from(&ig_comment, &wired.instagram).await;
    let x_dm = c.x_message("1500", &c.person("Yara Lin"), "the receipt?");
    let (x_case, _) = wired.case_from(&x_dm, &wired.x).await;
    let post = c.facebook_post_id("page-1");
    let fb_comment = c.facebook_comment("page-1", &post, &jane, "my parcel");
    let (fb_case, fb_message) = wired.case_from(&fb_comment, &wired.w.profile).await;

    let photo = upload(&wired, wired.w.agent.id, PNG, "a.png").await;
    let other = upload(&wired, wired.w.agent.id, PNG, "b.png").await;
    let pdf = upload(
        &wired,
        wired.w.agent.id,
        b"%PDF-1.7\n1 0 obj",
        "invoice.pdf",
    )
    .await;
    assert_eq!(pdf.kind, AttachmentKind::File);
    assert_eq!(pdf.mime.as_deref(), Some("application/pdf"));
    let theirs = upload(&wired, wired.w.supervisor.id, PNG, "c.png").await;

    let rows: Vec<(&str, CaseId, ReplyRequest, &str)> = vec![
        (
            "an instagram comment with a photo",
            ig_case.id,
            request(ReplyKind::Reply, Some(ig_message.id), "look", &[photo.id]),
            "platform_limit",
        ),
        (
            "a pdf on x",
            x_case.id,
            request(ReplyKind::Direct, None, "invoice", &[pdf.id]),
            "platform_limit",
        ),
        (
            "two files at once",
            x_case.id,
            request(ReplyKind::Direct, None, "both", &[photo.id, other.id]),
            "platform_limit",
        ),
        (
            "a private reply with text and a photo",
            fb_case.id,
            request(ReplyKind::Direct, Some(fb_message.id), "here", &[photo.id]),
            "platform_limit",
        ),
        (
            "someone else's upload",
            x_case.id,
            request(ReplyKind::Direct, None, "theirs", &[theirs.id]),
            "validation_failed",
        ),
        (
            "an unknown upload",
            x_case.id,
            request(ReplyKind::Direct, None, "nothing", &[MediaId(999_999)]),
            "validation_failed",
        ),
        (
            "no text and no file",
            x_case.id,
            request(ReplyKind::Direct, None, " ", &[]),
            "validation_failed",
        ),
    ];
    for (name, case, request, expected) in rows {
        let got = wired
            .w
            .app
            .queue_reply(wired.w.agent.id, case, request, None)
            .await;
        assert_eq!(code(got), expected, "{name}");
    }
    let pass = wired.pass().await;
    assert_eq!(
        pass.sent + pass.failed + pass.retrying,
        0,
        "nothing was queued"
    );
    for media in [&photo, &pdf] {
        let stored = wired.w.app.store().media(media.id).await.expect("read");
        assert_eq!(stored.and_then(|m| m.message), None, "still unsent");
    }

    // Sent once, an upload cannot be sent again.
    wired
        .w
        .app
        .queue_reply(
            wired.w.agent.id,
            x_case.id,
            request(ReplyKind::Direct, None, "the photo", &[photo.id]),
            None,
        )
        .await
        .expect("sent once");
    let again = wired
        .w
        .app
        .queue_reply(
            wired.w.agent.id,
            x_case.id,
            request(ReplyKind::Direct, None, "again", &[photo.id]),
            None,
        )
        .await;
    assert_eq!(code(again), "validation_failed");
}

#[tokio::test]
async fn an_upload_is_its_uploaders_alone_until_a_reply_carries_it() {
    let wired = wired().await;
    let w = &wired.w;
    let refused = w
        .app
        .upload_media(
            w.community.id,
            Upload {
                bytes: Bytes::from_static(PNG),
                announced: None,
                filename: None,
            },
        )
        .await;
    assert_eq!(code(refused), "forbidden", "community agents send no files");
    let empty = w
        .app
        .upload_media(
            w.agent.id,
            Upload {
                bytes: Bytes::new(),
                announced: None,
                filename: None,
            },
        )
        .await;
    assert_eq!(code(empty), "validation_failed");

    let html = upload(
        &wired,
        w.agent.id,
        b"<!DOCTYPE html><script>x()</script>",
        "x.png",
    )
    .await;
    assert_eq!(html.kind, AttachmentKind::File, "typed by its bytes");
    let served = w
        .app
        .media_file(w.agent.id, html.id)
        .await
        .expect("the uploader's");
    assert!(!served.inline, "HTML is never inline");

    let photo = upload(&wired, w.agent.id, PNG, "label.png").await;
    assert!(w.app.media_file(w.agent.id, photo.id).await.is_ok());
    let before = w.app.media_file(w.admin.id, photo.id).await;
    assert_eq!(code(before), "not_found", "not before it is sent");

    let c = &wired.customers;
    let dm = c.x_message("1500", &c.person("Yara Lin"), "the receipt?");
    let (case, _) = wired.case_from(&dm, &wired.x).await;
    w.app
        .queue_reply(
            w.agent.id,
            case.id,
            request(ReplyKind::Direct, None, "This one", &[photo.id]),
            None,
        )
        .await
        .expect("queued");
    let after = w.app.media_file(w.admin.id, photo.id).await;
    assert!(
        after.is_ok(),
        "the profile's users see what a reply carried"
    );
}
