//! Messenger and Instagram DMs as Meta publishes them: every attachment type, stickers old and
//! new, shared links, posts and reels, locations, stories, unsupported content, edits, standby
//! and echoes either way round.

use caredesk_domain::AttachmentKind::*;
use caredesk_domain::MessageKind::Direct;
use caredesk_domain::Network;
use caredesk_networks::meta;

use crate::fixtures::*;

const FB: (Network, &str) = (Network::Facebook, "1234567890321");
const PSID: &str = "987654321432";
const IG: (Network, &str) = (Network::Instagram, "17841405726653026");
const IGSID: &str = "9000000000000001";

fn from_psid(id: &str, text: &str, secs: i64) -> Msg {
    msg(FB, id, Direct, customer(PSID, "", ""), text, secs)
}

fn from_igsid(id: &str, text: &str) -> Msg {
    msg(IG, id, Direct, customer(IGSID, "", ""), text, 1_569_262_485)
}

fn messenger() -> Vec<Case> {
    let cdn = "https://cdn.fbsbx.com/v";
    vec![
        messages(
            "meta/messenger-attachments.json",
            vec![from_psid("mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c", "", 1_518_479_195)
                .with(att(
                    Image,
                    "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg",
                ))
                .with(att(
                    Video,
                    "https://video.xx.fbcdn.net/v/t42.3356-2/clip.mp4",
                ))
                .with(att(Audio, &format!("{cdn}/t59.3654-21/audioclip.mp4")))
                .with(att(File, &format!("{cdn}/t59.2708-21/invoice.pdf")))],
        ),
        messages(
            "meta/messenger-template.json",
            vec![from_psid("mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_d", "", 1_518_479_195).with(unsupported())],
        ),
        messages(
            "meta/messenger-sticker-legacy.json",
            vec![from_psid("mid.1476219900918:226a70a704", "", 1_476_219_900)
                .with(att(Sticker, "https://scontent.xx.fbcdn.net/sticker.png"))],
        ),
        messages(
            "meta/messenger-sticker.json",
            vec![from_psid("mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_e", "", 1_518_479_195)
                .with(att(Sticker, "https://scontent.xx.fbcdn.net/like-sticker.png"))],
        ),
        messages(
            "meta/messenger-fallback.json",
            vec![from_psid(
                "m_toDnmD3p8GnO2p9pHxNsC",
                "This is where I want to go: https://youtu.be/bbo_fZAjIhg",
                1_583_173_666,
            )
            .with(att(Share, "https://youtu.be/bbo_fZAjIhg").titled("TAHITI - Heaven on Earth"))],
        ),
        messages(
            "meta/messenger-fallback-legacy.json",
            vec![from_psid("mid.1458696618141:b4ef9d19ec21086067", "", 1_458_696_618)
                .with(att(Share, "https://www.messenger.com/").titled("Legacy Attachment"))],
        ),
        messages(
            "meta/messenger-post-share.json",
            vec![from_psid("mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_f", "", 1_518_479_195).with(
                att(
                    Share,
                    "https://www.facebook.com/1234567890321/posts/901097836652708",
                )
                .titled("Our autumn opening hours"),
            )],
        ),
        messages(
            "meta/messenger-location.json",
            vec![from_psid("mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_g", "", 1_527_077_589)
                .with(location(50.028785664162, 19.953454057473, "Pizza Hut"))],
        ),
        messages(
            "meta/messenger-unsupported.json",
            vec![from_psid("mid.1457764197618:41d102a3e1ae206a39", "", 1_457_764_197).with(unsupported())],
        ),
        Case {
            file: "meta/messenger-message-edit.json",
            seen: vec![edit(
                FB,
                "mid.1457764197618:41d102a3e1ae206a38",
                "hello, world! (order 1001)",
            )],
            skipped: Vec::new(),
        },
        messages(
            "meta/messenger-standby.json",
            vec![from_psid("m_qT7ywaKpO9kkQR7Gv-nM8LIfLZDamVrA", "Can a person help me?", 1_570_053_170).standby()],
        ),
        messages(
            "meta/messenger-standby-echo.json",
            vec![msg(
                FB,
                "m_qT7ywaKpO9kkQR7Gv-nM8LIfLZDamVrALniheUYEDdHJXjDXEAyaS1xxONzb2Iv-DFzmTihfWJV012P5pK0AhQ",
                Direct,
                brand(PSID),
                "Our bot: pick an option",
                1_570_053_170,
            )
            .standby()],
        ),
        messages(
            "meta/messenger-echo-reversed.json",
            vec![msg(
                FB,
                "mid.1457764197618:41d102a3e1ae206a40",
                Direct,
                brand(PSID),
                "Thanks, we are on it",
                1_457_764_197,
            )],
        ),
    ]
}

fn instagram() -> Vec<Case> {
    let cdn = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=";
    let at = |asset: &str| format!("{cdn}{asset}");
    vec![
        messages(
            "meta/instagram-dm-media.json",
            vec![from_igsid(
                "aWdfZG1faWQ6MTc4NDE0MDU3MjY2NTMwMjY6MQ",
                "The box arrived like this",
            )
            .with(att(Image, &at("17951&signature=a")))
            .with(att(Video, &at("17952&signature=b")))],
        ),
        messages(
            "meta/instagram-story-mention.json",
            vec![from_igsid("aWdfZG1faWQ6MTc4NDE0MDU3MjY2NTMwMjY6Mg", "")
                .with(att(StoryMention, &at("17953&signature=c")))],
        ),
        messages(
            "meta/instagram-story-reply.json",
            vec![from_igsid(
                "aWdfZG1faWQ6MTc4NDE0MDU3MjY2NTMwMjY6Mw",
                "Is this still on sale?",
            )
            .with(att(StoryReply, &at("17954&signature=d")))],
        ),
        messages(
            "meta/instagram-share-reel.json",
            vec![from_igsid("aWdfZG1faWQ6MTc4NDE0MDU3MjY2NTMwMjY6NA", "")
                .with(att(Share, &at("17955&signature=e")))
                .with(att(Share, &at("17956&signature=f")).titled("Unboxing the new kettle"))],
        ),
        messages(
            "meta/instagram-unsupported.json",
            vec![from_igsid("aWdfZG1faWQ6MTc4NDE0MDU3MjY2NTMwMjY6NQ", "").with(unsupported())],
        ),
        messages(
            "meta/instagram-ephemeral.json",
            vec![from_igsid("aWdfZG1faWQ6MTc4NDE0MDU3MjY2NTMwMjY6Ng", "").with(unsupported())],
        ),
        Case {
            file: "meta/instagram-message-edit.json",
            seen: vec![edit(
                IG,
                "aWdfZG1faWQ6MTc4NDE0MDU3MjY2NTMwMjY6MQ",
                "The box arrived like this, see photo",
            )],
            skipped: Vec::new(),
        },
        messages(
            "meta/instagram-echo.json",
            vec![msg(
                IG,
                "aWdfZG1faWQ6MTc4NDE0MDU3MjY2NTMwMjY6Nw",
                Direct,
                brand(IGSID),
                "Sorry! A new one is on its way.",
                1_569_262_485,
            )],
        ),
    ]
}

#[test]
fn messenger_dms_become_messages_with_their_attachments() {
    check(messenger(), meta::parse);
}

#[test]
fn instagram_dms_become_messages_with_their_attachments() {
    check(instagram(), meta::parse);
}
