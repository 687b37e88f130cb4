//! X posts and DMs as X publishes them: photos, video and animated GIFs in posts and DMs (their
//! t.co links leave the text), long posts, reposts counted rather than stored, and quote posts
//! that show the quoted post.

use caredesk_domain::AttachmentKind::*;
use caredesk_domain::MessageKind::*;
use caredesk_domain::Network;
use caredesk_networks::x;

use crate::fixtures::*;

const BRAND: (Network, &str) = (Network::X, "1500000000000000001");

fn jane() -> caredesk_app::InboundAuthor {
    customer("1600000000000000009", "Jane C", "jane_c")
}

fn mention(id: &str, text: &str, secs: i64) -> Msg {
    msg(BRAND, id, Mention, jane(), text, secs).root(id)
}

fn posts() -> Vec<Case> {
    let video = "https://video.twimg.com/ext_tw_video/1797000000000000201/pu";
    vec![
        messages(
            "x/post-photos.json",
            vec![mention("1797000000000000011", "@AcmeHelp my parcel arrived broken", 1_717_409_700)
                .with(att(Image, "https://pbs.twimg.com/media/GPf1aXbWMAAh1dB.jpg"))
                .with(att(Image, "https://pbs.twimg.com/media/GPf1aXcWEAAr9tC.jpg"))],
        ),
        messages(
            "x/post-video.json",
            vec![mention("1797000000000000021", "@AcmeHelp watch this noise", 1_717_409_760).with(
                att(Video, &format!("{video}/vid/1280x720/high.mp4"))
                    .mime("video/mp4")
                    .preview(
                        "https://pbs.twimg.com/ext_tw_video_thumb/1797000000000000201/pu/img/thumb.jpg",
                    ),
            )],
        ),
        messages(
            "x/post-animated-gif.json",
            vec![mention("1797000000000000031", "@AcmeHelp me right now", 1_717_409_820).with(
                att(Gif, "https://video.twimg.com/tweet_video/GPf1bYzW0AA9xHe.mp4")
                    .mime("video/mp4")
                    .preview("https://pbs.twimg.com/tweet_video_thumb/GPf1bYzW0AA9xHe.jpg"),
            )],
        ),
        messages(
            "x/post-entities-media.json",
            vec![mention("1797000000000000041", "@AcmeHelp wrong item again", 1_717_409_880)
                .with(att(Image, "https://pbs.twimg.com/media/GPf1cQaXsAAw2Jk.jpg"))],
        ),
        messages(
            "x/post-extended-tweet.json",
            vec![mention(
                "1797000000000000051",
                "@AcmeHelp I have written three times now about order A-1001: the kettle came \
                 with a cracked lid, the replacement never shipped and nobody answers the phone.",
                1_717_409_940,
            )
            .with(att(Image, "https://pbs.twimg.com/media/GPf1dLmWoAAe4Ys.jpg"))],
        ),
        skipped("x/post-repost.json", "tweet:repost"),
        messages(
            "x/post-quote.json",
            vec![mention(
                "1797000000000000071",
                "Still waiting for mine https://t.co/plSZZhcvkP",
                1_717_410_060,
            )
            .with(
                att(Share, "https://x.com/AcmeHelp/status/1796999999999999901")
                    .titled("Our summer sale starts today!"),
            )],
        ),
    ]
}

fn direct_messages() -> Vec<Case> {
    vec![
        messages(
            "x/dm-photo.json",
            vec![msg(BRAND, "1797000000000000811", Direct, jane(), "Here is the broken lid", 1_717_410_120).with(
                att(
                    Image,
                    "https://ton.twitter.com/1.1/ton/data/dm/1797000000000000811/1797000000000000801/4gAEDFnt.jpg",
                ),
            )],
        ),
        messages(
            "x/dm-animated-gif.json",
            vec![msg(BRAND, "1797000000000000911", Direct, jane(), "", 1_717_410_180).with(
                att(Gif, "https://video.twimg.com/dm_gif/1797000000000000901/d1DL1Ys9.mp4")
                    .mime("video/mp4")
                    .preview("https://pbs.twimg.com/dm_gif_preview/1797000000000000901/d1DL1Ys9.jpg"),
            )],
        ),
    ]
}

#[test]
fn posts_carry_their_media_and_quotes_and_reposts_are_counted() {
    check(posts(), x::parse);
}

#[test]
fn direct_messages_carry_their_media() {
    check(direct_messages(), x::parse);
}
