//! Facebook Page fields and Instagram mentions as Meta publishes them: comments and posts with
//! their photos, videos and links, Page mentions, ratings with and without text, and what is
//! counted rather than stored.

use caredesk_domain::AttachmentKind::*;
use caredesk_domain::MessageKind::*;
use caredesk_domain::Network;
use caredesk_networks::meta;

use crate::fixtures::*;

const FB: (Network, &str) = (Network::Facebook, "1234567890321");
const USER: &str = "705955836155788";
const POST: &str = "1234567890321_901097836652708";

fn tester() -> caredesk_app::InboundAuthor {
    customer(USER, "Tester", "")
}

fn feed() -> Vec<Case> {
    let fbcdn = "https://scontent-frt3-1.xx.fbcdn.net";
    let post = |id: &str, text: &str, secs: i64| msg(FB, id, Post, tester(), text, secs).root(id);
    vec![
        messages(
            "meta/facebook-comment-photo.json",
            vec![msg(FB, "901097836652708_903438993085259", Comment, tester(), "and the next one", 1_449_135_003)
                .parent(POST)
                .root(POST)
                .with(att(
                    Image,
                    "https://scontent-fra3-1.xx.fbcdn.net/v/t31.0-8/16715996_472849323104563_2289972788116415727_o.jpg",
                ))],
        ),
        messages(
            "meta/facebook-comment-video.json",
            vec![msg(FB, "901097836652708_903438993085260", Comment, tester(), "and the next one", 1_449_135_010)
                .parent(POST)
                .root(POST)
                .with(att(Video, "https://example.fbcdn.net/video.mp4"))],
        ),
        messages(
            "meta/facebook-status-photos.json",
            vec![post("1234567890321_930145403745849", "This is just a short test message", 1_448_633_038)
                .with(att(Image, &format!("{fbcdn}/exampleimage1.png")))
                .with(att(Image, &format!("{fbcdn}/exampleimage2.png")))
                .with(att(Image, &format!("{fbcdn}/exampleimage3.png")))],
        ),
        messages(
            "meta/facebook-photo-post.json",
            vec![post("1234567890321_900767076685784", "A new really great Photo", 1_448_555_796)
                .with(att(Image, "https://www.example.org/test.jpg"))],
        ),
        messages(
            "meta/facebook-video-post.json",
            vec![post("1234567890321_901097836652709", "Test video", 1_549_627_082)
                .with(att(Video, "https://www.example.org/test.mp4"))],
        ),
        messages(
            "meta/facebook-share-post.json",
            vec![post(
                "1234567890321_98735342324352",
                "Ein Link zu was ganz anderem: www.daserste.de",
                1_460_111_843,
            )
            .with(att(Share, "http://www.google.com/"))],
        ),
    ]
}

fn mentions_and_ratings() -> Vec<Case> {
    vec![
        messages(
            "meta/facebook-mention-comment.json",
            vec![msg(
                FB,
                "7363534231324_3754798971271444",
                Mention,
                tester(),
                "Just a test message",
                1_614_340_862,
            )
            .root("100002241334695_7363534231324")],
        ),
        // Meta's own payload of a post that tags the Page names no author: looked up.
        updates(
            "meta/facebook-mention-post.json",
            vec![look_up(
                (Network::Facebook, "1234567890321"),
                "100002241334695_98722536423179",
                None,
            )],
        ),
        messages(
            "meta/facebook-rating.json",
            vec![msg(
                FB,
                "904801129604590",
                Review,
                tester(),
                "Ja ziemlich coole Sache",
                1_448_795_002,
            )
            .root("904801129604590")],
        ),
        skipped(
            "meta/facebook-rating-without-text.json",
            "ratings:without_text",
        ),
        skipped("meta/facebook-rating-comment.json", "ratings:comment"),
        // Instagram's `mentions` carry ids only: looked up after the commit.
        updates(
            "meta/instagram-mention-comment.json",
            vec![look_up(
                (Network::Instagram, "17841405726653026"),
                "17918195224117851",
                Some("17894227972186120"),
            )],
        ),
        updates(
            "meta/instagram-mention-media.json",
            vec![look_up(
                (Network::Instagram, "17841405726653026"),
                "17918195224117851",
                None,
            )],
        ),
    ]
}

#[test]
fn page_posts_and_comments_carry_their_photos_videos_and_links() {
    check(feed(), meta::parse);
}

#[test]
fn mentions_and_reviews_become_community_messages_or_are_counted() {
    check(mentions_and_ratings(), meta::parse);
}
