//! PRODUCT.md §5: the reply-kind table per network, messaging windows, private replies, text
//! limits, hidden and deleted content.

use super::*;
use crate::testkit::*;
use crate::AttachmentKind;

const HOUR: i64 = 3_600;
const DAY: i64 = 24 * HOUR;

/// A context answering at `now` = `t(HOUR)`, the customer's last message a minute before.
fn ctx<'a>(
    network: Network,
    conversation: ConversationKind,
    target: Option<&'a Message>,
) -> ReplyContext<'a> {
    ReplyContext {
        network,
        conversation,
        root_network_id: if conversation == ConversationKind::Dm {
            ""
        } else {
            "post-1"
        },
        target,
        last_customer_message_at: Some(t(HOUR - 60)),
        private_reply_exists: false,
        now: t(HOUR),
    }
}

/// The channel a reply should travel on, or the refusal's code.
type Expected = Result<Channel, &'static str>;

fn code<T>(got: Result<T, Refusal>) -> Result<T, &'static str> {
    got.map_err(|r| r.code())
}

#[test]
fn reply_kind_table_per_network_kind_and_conversation() {
    use ConversationKind::{Dm, Thread};
    use Network::{Facebook, Instagram, X};
    use ReplyKind::{Comment, Direct, Reply};
    let comment = message(5).build();
    let nested = message(5).kind(MessageKind::Reply).build();
    let mention = message(5).kind(MessageKind::Mention).build();
    let dm = message(5).kind(MessageKind::Direct).build();
    const UNSUPPORTED: &str = "unsupported_reply_kind";
    const INVALID: &str = "validation_failed";
    let fb_comment = |id: &str| {
        Ok(Channel::FacebookComment {
            parent_network_id: id.into(),
        })
    };
    let private = || {
        Ok(Channel::PrivateReply {
            comment_network_id: "net-5".into(),
        })
    };
    let messenger = || {
        Ok(Channel::MessengerMessage {
            human_agent_tag: false,
        })
    };
    let ig_reply = || {
        Ok(Channel::InstagramCommentReply {
            comment_network_id: "net-5".into(),
        })
    };
    let ig_media = || {
        Ok(Channel::InstagramMediaComment {
            media_network_id: "post-1".into(),
        })
    };
    let x_reply = |id: &str| {
        Ok(Channel::XReply {
            in_reply_to_network_id: id.into(),
        })
    };
    #[rustfmt::skip]
    let table: Vec<(Network, ConversationKind, ReplyKind, Option<&Message>, Expected)> = vec![
        (Facebook,  Thread, Reply,   Some(&comment), fb_comment("net-5")),
        (Facebook,  Thread, Reply,   Some(&nested),  fb_comment("net-5")),
        (Facebook,  Thread, Reply,   None,           Err(INVALID)),
        (Facebook,  Thread, Comment, None,           fb_comment("post-1")),
        (Facebook,  Thread, Direct,  Some(&comment), private()),
        (Facebook,  Thread, Direct,  None,           Err(INVALID)),
        (Facebook,  Dm,     Reply,   Some(&dm),      Err(UNSUPPORTED)),
        (Facebook,  Dm,     Comment, None,           Err(UNSUPPORTED)),
        (Facebook,  Dm,     Direct,  None,           messenger()),
        (Facebook,  Dm,     Direct,  Some(&dm),      messenger()),
        (Instagram, Thread, Reply,   Some(&comment), ig_reply()),
        (Instagram, Thread, Reply,   Some(&nested),  Err(UNSUPPORTED)),
        (Instagram, Thread, Reply,   None,           Err(INVALID)),
        (Instagram, Thread, Comment, None,           ig_media()),
        (Instagram, Thread, Direct,  Some(&comment), private()),
        (Instagram, Thread, Direct,  None,           Err(INVALID)),
        (Instagram, Dm,     Reply,   Some(&dm),      Err(UNSUPPORTED)),
        (Instagram, Dm,     Comment, None,           Err(UNSUPPORTED)),
        (Instagram, Dm,     Direct,  None,           Ok(Channel::InstagramDirect)),
        (X,         Thread, Reply,   Some(&mention), x_reply("net-5")),
        (X,         Thread, Reply,   None,           Err(INVALID)),
        (X,         Thread, Comment, None,           x_reply("post-1")),
        (X,         Thread, Direct,  Some(&mention), Ok(Channel::XDirect)),
        (X,         Dm,     Reply,   Some(&dm),      Err(UNSUPPORTED)),
        (X,         Dm,     Comment, None,           Err(UNSUPPORTED)),
        (X,         Dm,     Direct,  None,           Ok(Channel::XDirect)),
    ];
    for (network, conversation, kind, target, want) in table {
        let got = plan_reply(kind, "thanks", &ctx(network, conversation, target));
        let want = want.map(|channel| ReplyPlan {
            channel,
            visible_only_to_customer: false,
        });
        assert_eq!(code(got), want, "{kind} on {network} in a {conversation}");
    }
}

#[test]
fn a_message_not_yet_on_the_network_cannot_be_answered() {
    let unsent = message(5).no_network_id().build();
    let got = plan_reply(
        ReplyKind::Reply,
        "hi",
        &ctx(Network::Facebook, ConversationKind::Thread, Some(&unsent)),
    );
    assert_eq!(code(got), Err("unsupported_reply_kind"));
}

#[test]
fn messenger_window_is_24_hours_then_7_days_with_the_human_agent_tag() {
    let now = t(30 * DAY);
    let table = [
        (Some(0), Ok(false)),
        (Some(DAY), Ok(false)),
        (Some(DAY + 1), Ok(true)),
        (Some(7 * DAY), Ok(true)),
        (Some(7 * DAY + 1), Err("platform_limit")),
        (None, Err("platform_limit")),
    ];
    for (ago, want) in table {
        let mut c = ctx(Network::Facebook, ConversationKind::Dm, None);
        c.now = now;
        c.last_customer_message_at = ago.map(|secs| now.plus_secs(-secs));
        let got = plan_reply(ReplyKind::Direct, "hi", &c).map(|plan| plan.channel);
        let want = want.map(|tag| Channel::MessengerMessage {
            human_agent_tag: tag,
        });
        assert_eq!(code(got), want, "{ago:?} seconds ago");
    }
}

#[test]
fn instagram_dms_are_possible_within_24_hours_and_x_dms_always() {
    let now = t(30 * DAY);
    for (ago, instagram_ok) in [(DAY, true), (DAY + 1, false), (20 * DAY, false)] {
        let mut c = ctx(Network::Instagram, ConversationKind::Dm, None);
        c.now = now;
        c.last_customer_message_at = Some(now.plus_secs(-ago));
        let got = plan_reply(ReplyKind::Direct, "hi", &c);
        let want = if instagram_ok {
            Ok(Channel::InstagramDirect)
        } else {
            Err("platform_limit")
        };
        assert_eq!(code(got.map(|p| p.channel)), want, "{ago}");
        c.network = Network::X;
        assert_eq!(
            plan_reply(ReplyKind::Direct, "hi", &c).map(|p| p.channel),
            Ok(Channel::XDirect)
        );
    }
}

#[test]
fn a_private_reply_goes_once_per_comment_within_7_days_of_it() {
    for network in [Network::Facebook, Network::Instagram] {
        let comment = message(5).at(t(0)).build();
        let mut c = ctx(network, ConversationKind::Thread, Some(&comment));
        c.now = t(7 * DAY);
        assert!(
            plan_reply(ReplyKind::Direct, "hi", &c).is_ok(),
            "{network} at 7 days"
        );
        c.now = t(7 * DAY + 1);
        let got = plan_reply(ReplyKind::Direct, "hi", &c);
        assert_eq!(code(got), Err("platform_limit"), "{network} past 7 days");
        c.now = t(HOUR);
        c.private_reply_exists = true;
        let got = plan_reply(ReplyKind::Direct, "hi", &c);
        assert_eq!(
            code(got),
            Err("platform_limit"),
            "{network} second private reply"
        );
    }
}

#[test]
fn text_length_is_limited_per_channel() {
    let comment = message(5).build();
    let table: [(
        Network,
        ConversationKind,
        ReplyKind,
        Option<&Message>,
        usize,
    ); 7] = [
        (
            Network::Facebook,
            ConversationKind::Thread,
            ReplyKind::Comment,
            None,
            8_000,
        ),
        (
            Network::Facebook,
            ConversationKind::Dm,
            ReplyKind::Direct,
            None,
            2_000,
        ),
        (
            Network::Facebook,
            ConversationKind::Thread,
            ReplyKind::Direct,
            Some(&comment),
            2_000,
        ),
        (
            Network::Instagram,
            ConversationKind::Thread,
            ReplyKind::Reply,
            Some(&comment),
            2_200,
        ),
        (
            Network::Instagram,
            ConversationKind::Dm,
            ReplyKind::Direct,
            None,
            1_000,
        ),
        (
            Network::X,
            ConversationKind::Thread,
            ReplyKind::Comment,
            None,
            280,
        ),
        (
            Network::X,
            ConversationKind::Dm,
            ReplyKind::Direct,
            None,
            10_000,
        ),
    ];
    for (network, conversation, kind, target, max) in table {
        let c = ctx(network, conversation, target);
        let at_limit = "é".repeat(max);
        assert!(
            plan_reply(kind, &at_limit, &c).is_ok(),
            "{kind} on {network}: {max} characters"
        );
        let over = "é".repeat(max + 1);
        assert_eq!(
            code(plan_reply(kind, &over, &c)),
            Err("platform_limit"),
            "{kind} on {network}"
        );
    }
}

#[test]
fn empty_text_is_refused() {
    let c = ctx(Network::X, ConversationKind::Dm, None);
    for text in ["", "  \n"] {
        assert_eq!(
            code(plan_reply(ReplyKind::Direct, text, &c)),
            Err("validation_failed")
        );
    }
}

#[test]
fn deleted_content_cannot_be_answered_and_that_comes_before_any_other_rule() {
    let gone = message(5).deleted().build();
    for kind in ReplyKind::ALL {
        let c = ctx(Network::Facebook, ConversationKind::Thread, Some(&gone));
        assert_eq!(
            plan_reply(*kind, "", &c),
            Err(Refusal::MessageDeleted),
            "{kind}"
        );
    }
}

#[test]
fn a_reply_to_hidden_content_is_visible_only_to_that_customer() {
    let hidden = message(5).hidden().build();
    for network in [Network::Facebook, Network::Instagram, Network::X] {
        let c = ctx(network, ConversationKind::Thread, Some(&hidden));
        let reply = plan_reply(ReplyKind::Reply, "hi", &c).unwrap();
        assert!(reply.visible_only_to_customer, "{network}");
        let on_post = plan_reply(ReplyKind::Comment, "hi", &c).unwrap();
        assert!(
            !on_post.visible_only_to_customer,
            "commenting on the post works as usual"
        );
        let private = plan_reply(ReplyKind::Direct, "hi", &c).unwrap();
        assert!(!private.visible_only_to_customer && private.channel.is_private());
    }
    let shown = message(6).build();
    let c = ctx(Network::Facebook, ConversationKind::Thread, Some(&shown));
    assert!(
        !plan_reply(ReplyKind::Reply, "hi", &c)
            .unwrap()
            .visible_only_to_customer
    );
}

#[test]
fn direct_channels_are_private_and_public_ones_are_not() {
    let id = || "x".to_string();
    let table = [
        (
            Channel::FacebookComment {
                parent_network_id: id(),
            },
            false,
        ),
        (
            Channel::MessengerMessage {
                human_agent_tag: true,
            },
            true,
        ),
        (
            Channel::PrivateReply {
                comment_network_id: id(),
            },
            true,
        ),
        (
            Channel::InstagramCommentReply {
                comment_network_id: id(),
            },
            false,
        ),
        (
            Channel::InstagramMediaComment {
                media_network_id: id(),
            },
            false,
        ),
        (Channel::InstagramDirect, true),
        (
            Channel::XReply {
                in_reply_to_network_id: id(),
            },
            false,
        ),
        (Channel::XDirect, true),
    ];
    for (channel, private) in table {
        assert_eq!(channel.is_private(), private, "{channel:?}");
    }
}

#[test]
fn failed_unknown_or_still_queued_replies_may_be_retried_or_cancelled() {
    use crate::message::Delivery;
    let table = [
        (Delivery::Queued, true),
        (Delivery::Failed, true),
        (Delivery::DeliveryUnknown, true),
        (Delivery::Sending, false),
        (Delivery::Sent, false),
        (Delivery::Cancelled, false),
    ];
    for (delivery, may) in table {
        assert_eq!(delivery.may_retry_or_cancel(), may, "{delivery}");
    }
}

#[test]
fn a_composer_offers_exactly_the_kinds_the_network_carries_for_the_target() {
    use ConversationKind::{Dm, Thread};
    use ReplyKind::{Comment, Direct, Reply};
    let cases: [(Network, MessageKind, &[ReplyKind]); 12] = [
        (
            Network::Facebook,
            MessageKind::Comment,
            &[Reply, Comment, Direct],
        ),
        (
            Network::Facebook,
            MessageKind::Reply,
            &[Reply, Comment, Direct],
        ),
        (
            Network::Facebook,
            MessageKind::Post,
            &[Reply, Comment, Direct],
        ),
        (Network::Facebook, MessageKind::Direct, &[Direct]),
        (
            Network::Instagram,
            MessageKind::Comment,
            &[Reply, Comment, Direct],
        ),
        (Network::Instagram, MessageKind::Reply, &[Comment, Direct]),
        (Network::Instagram, MessageKind::Mention, &[Comment, Direct]),
        (Network::Instagram, MessageKind::Direct, &[Direct]),
        (Network::X, MessageKind::Mention, &[Reply, Comment, Direct]),
        (Network::X, MessageKind::Reply, &[Reply, Comment, Direct]),
        (Network::X, MessageKind::Direct, &[Direct]),
        (Network::X, MessageKind::Note, &[]),
    ];
    for (network, kind, expected) in cases {
        let target = message(5).kind(kind).build();
        let offered = offered_reply_kinds(network, &target);
        assert_eq!(offered, expected, "{network} {kind}");
        let conversation = if kind == MessageKind::Direct {
            Dm
        } else {
            Thread
        };
        if kind == MessageKind::Note {
            continue;
        }
        // What is offered is carried; what is not is refused as unsupported.
        for asked in [Reply, Comment, Direct] {
            let planned = plan_reply(asked, "thanks", &ctx(network, conversation, Some(&target)));
            assert_eq!(
                planned.is_ok(),
                offered.contains(&asked),
                "{network} {kind} {asked}: {planned:?}"
            );
        }
    }
    let deleted = message(5).deleted().build();
    assert!(offered_reply_kinds(Network::Facebook, &deleted).is_empty());
}

#[test]
fn files_are_refused_beyond_each_channels_kinds_and_sizes() {
    use AttachmentKind::{Audio, File, Gif, Image, Video};
    const MB: u64 = 1024 * 1024;
    let fb_comment = Channel::FacebookComment {
        parent_network_id: "c".into(),
    };
    let messenger = Channel::MessengerMessage {
        human_agent_tag: false,
    };
    let ig_comment = Channel::InstagramCommentReply {
        comment_network_id: "c".into(),
    };
    let x_post = Channel::XReply {
        in_reply_to_network_id: "p".into(),
    };
    let table: &[(&Channel, AttachmentKind, u64, bool)] = &[
        (&fb_comment, Image, 4 * MB, true),
        (&fb_comment, Image, 4 * MB + 1, false),
        (&fb_comment, File, 10, false),
        (&messenger, File, 25 * MB, true),
        (&messenger, Video, 25 * MB + 1, false),
        (&Channel::InstagramDirect, Image, 8 * MB, true),
        (&Channel::InstagramDirect, Image, 8 * MB + 1, false),
        (&Channel::InstagramDirect, Audio, MB, true),
        (&Channel::InstagramDirect, File, MB, false),
        (&ig_comment, Image, 10, false),
        (&x_post, Image, 5 * MB, true),
        (&x_post, Image, 5 * MB + 1, false),
        (&x_post, Gif, 15 * MB, true),
        (&Channel::XDirect, Video, MB, false),
    ];
    for (channel, kind, size, ok) in table {
        let file = FileFacts {
            kind: *kind,
            mime: "application/octet-stream",
            size: *size,
        };
        let got = channel.check_file(&file);
        assert_eq!(got.is_ok(), *ok, "{channel:?} {kind} {size}");
        if let Err(refusal) = got {
            assert_eq!(refusal.code(), "platform_limit");
        }
    }
}

#[test]
fn a_file_may_go_without_text_and_a_private_reply_takes_one_or_the_other() {
    let photo = FileFacts {
        kind: AttachmentKind::Image,
        mime: "image/png",
        size: 1_000,
    };
    let dm = ctx(Network::Facebook, ConversationKind::Dm, None);
    assert!(plan_reply_with_file(ReplyKind::Direct, "", Some(&photo), &dm).is_ok());
    assert!(plan_reply_with_file(ReplyKind::Direct, "here", Some(&photo), &dm).is_ok());
    let comment = message(5).build();
    let thread = ctx(Network::Facebook, ConversationKind::Thread, Some(&comment));
    assert!(plan_reply_with_file(ReplyKind::Direct, "", Some(&photo), &thread).is_ok());
    let both = plan_reply_with_file(ReplyKind::Direct, "here", Some(&photo), &thread);
    assert_eq!(code(both), Err("platform_limit"));
    let ig = ctx(Network::Instagram, ConversationKind::Thread, Some(&comment));
    let ig_comment = plan_reply_with_file(ReplyKind::Comment, "look", Some(&photo), &ig);
    assert_eq!(code(ig_comment), Err("platform_limit"));
    assert_eq!(
        code(plan_reply_with_file(ReplyKind::Direct, " ", None, &dm)),
        Err("validation_failed")
    );
}

#[test]
fn only_meta_direct_channels_split_text_from_a_file() {
    let split = [
        Channel::MessengerMessage {
            human_agent_tag: true,
        },
        Channel::InstagramDirect,
        Channel::PrivateReply {
            comment_network_id: "c".into(),
        },
    ];
    for channel in split {
        assert!(!channel.carries_text_with_file(), "{channel:?}");
    }
    for channel in [
        Channel::FacebookComment {
            parent_network_id: "p".into(),
        },
        Channel::XReply {
            in_reply_to_network_id: "p".into(),
        },
        Channel::XDirect,
    ] {
        assert!(channel.carries_text_with_file(), "{channel:?}");
    }
}
