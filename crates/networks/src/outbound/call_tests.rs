use caredesk_app::outbound::{OutgoingFile, OutgoingReply};
use caredesk_domain::reply::Channel;
use caredesk_domain::{AppNetwork, MessageId, Network};
use reqwest::Url;
use serde_json::json;

use super::*;

fn reply(network: Network, channel: Channel) -> OutgoingReply {
    OutgoingReply {
        message: MessageId(7),
        network,
        profile_external_id: "page-1".into(),
        access_token: "token".into(),
        token_secret: String::new(),
        consumer_key: String::new(),
        consumer_secret: String::new(),
        recipient_network_user_id: Some("cust-9".into()),
        channel,
        text: "Sorry & thanks".into(),
        file: None,
    }
}

/// The call the adapter of the reply's network builds, against its API's base.
fn call_for(graph: &Url, x: &Url, reply: &OutgoingReply) -> Result<Call, String> {
    let base = match reply.network.app_network() {
        AppNetwork::Meta => graph,
        AppNetwork::X => x,
    };
    crate::registry::adapter_for(reply.network).reply_call(base, reply)
}

fn bases() -> (Url, Url) {
    (
        Url::parse("https://graph.facebook.com/v21.0").expect("graph"),
        Url::parse("https://api.x.com/2/").expect("x"),
    )
}

fn form(text: &str) -> Payload {
    Payload::Form(vec![("message", text.to_owned())])
}

#[test]
fn every_channel_becomes_its_networks_call() {
    let (graph, x) = bases();
    let g = "https://graph.facebook.com/v21.0";
    let table = [
        (
            Network::Facebook,
            Channel::FacebookComment {
                parent_network_id: "444_900".into(),
            },
            format!("{g}/444_900/comments"),
            form("Sorry & thanks"),
            IdAt::Id,
        ),
        (
            Network::Facebook,
            Channel::MessengerMessage {
                human_agent_tag: false,
            },
            format!("{g}/page-1/messages"),
            Payload::Json(
                json!({"recipient": {"id": "cust-9"}, "messaging_type": "RESPONSE",
                "message": {"text": "Sorry & thanks"}}),
            ),
            IdAt::MessageId,
        ),
        (
            Network::Facebook,
            Channel::MessengerMessage {
                human_agent_tag: true,
            },
            format!("{g}/page-1/messages"),
            Payload::Json(
                json!({"recipient": {"id": "cust-9"}, "messaging_type": "MESSAGE_TAG",
                "tag": "HUMAN_AGENT", "message": {"text": "Sorry & thanks"}}),
            ),
            IdAt::MessageId,
        ),
        (
            Network::Instagram,
            Channel::PrivateReply {
                comment_network_id: "1800".into(),
            },
            format!("{g}/page-1/messages"),
            Payload::Json(json!({"recipient": {"comment_id": "1800"},
                "message": {"text": "Sorry & thanks"}})),
            IdAt::MessageId,
        ),
        (
            Network::Instagram,
            Channel::InstagramCommentReply {
                comment_network_id: "1800".into(),
            },
            format!("{g}/1800/replies"),
            form("Sorry & thanks"),
            IdAt::Id,
        ),
        (
            Network::Instagram,
            Channel::InstagramMediaComment {
                media_network_id: "1900".into(),
            },
            format!("{g}/1900/comments"),
            form("Sorry & thanks"),
            IdAt::Id,
        ),
        (
            Network::Instagram,
            Channel::InstagramDirect,
            format!("{g}/page-1/messages"),
            Payload::Json(json!({"recipient": {"id": "cust-9"},
                "message": {"text": "Sorry & thanks"}})),
            IdAt::MessageId,
        ),
        (
            Network::X,
            Channel::XReply {
                in_reply_to_network_id: "1797".into(),
            },
            "https://api.x.com/2/tweets".into(),
            Payload::Json(json!({"text": "Sorry & thanks",
                "reply": {"in_reply_to_tweet_id": "1797"}})),
            IdAt::DataId,
        ),
        (
            Network::X,
            Channel::XDirect,
            "https://api.x.com/2/dm_conversations/with/cust-9/messages".into(),
            Payload::Json(json!({"text": "Sorry & thanks"})),
            IdAt::DataDmEventId,
        ),
    ];
    for (network, channel, url, payload, id_at) in table {
        let call = call_for(&graph, &x, &reply(network, channel.clone())).expect("a call");
        assert_eq!(call.url.as_str(), url, "{channel:?}");
        assert_eq!(call.payload, payload, "{channel:?}");
        assert_eq!(call.id_at, id_at, "{channel:?}");
        let api = if network == Network::X {
            Api::X
        } else {
            Api::Graph
        };
        assert_eq!(call.api, api, "{channel:?}");
    }
}

#[test]
fn ids_are_single_path_segments() {
    let (graph, x) = bases();
    let sneaky = reply(
        Network::Facebook,
        Channel::FacebookComment {
            parent_network_id: "1/../me?x=1".into(),
        },
    );
    let call = call_for(&graph, &x, &sneaky).expect("a call");
    assert_eq!(
        call.url.as_str(),
        "https://graph.facebook.com/v21.0/1%2F..%2Fme%3Fx=1/comments"
    );
}

#[test]
fn replies_missing_their_target_or_recipient_make_no_call() {
    let (graph, x) = bases();
    let mut no_recipient = reply(Network::X, Channel::XDirect);
    no_recipient.recipient_network_user_id = None;
    let table = [
        no_recipient,
        reply(
            Network::Facebook,
            Channel::FacebookComment {
                parent_network_id: " ".into(),
            },
        ),
        reply(
            Network::Facebook,
            Channel::PrivateReply {
                comment_network_id: String::new(),
            },
        ),
        reply(
            Network::X,
            Channel::XReply {
                in_reply_to_network_id: String::new(),
            },
        ),
    ];
    for r in table {
        assert!(call_for(&graph, &x, &r).is_err(), "{:?}", r.channel);
    }
}

#[test]
fn a_channel_of_another_platform_makes_no_call() {
    let (graph, x) = bases();
    let table = [
        reply(Network::Facebook, Channel::XDirect),
        reply(
            Network::X,
            Channel::FacebookComment {
                parent_network_id: "444_900".into(),
            },
        ),
    ];
    for r in table {
        assert!(call_for(&graph, &x, &r).is_err(), "{:?}", r.channel);
    }
}

fn with_photo(mut reply: OutgoingReply, text: &str) -> OutgoingReply {
    reply.text = text.into();
    reply.file = Some(OutgoingFile {
        kind: caredesk_domain::AttachmentKind::Image,
        mime: "image/png".into(),
        filename: "label.png".into(),
        bytes: bytes::Bytes::from_static(b"png"),
    });
    reply
}

fn part_names(payload: &Payload) -> Vec<&str> {
    match payload {
        Payload::Multipart(parts) => parts
            .iter()
            .map(|p| match p {
                Part::Text(name, _) => *name,
                Part::File { name, .. } => *name,
            })
            .collect(),
        other => panic!("expected multipart, got {other:?}"),
    }
}

#[test]
fn a_file_travels_as_multipart_in_the_networks_fields() {
    let (graph, x) = bases();
    let messenger = Channel::MessengerMessage {
        human_agent_tag: true,
    };
    let call = call_for(
        &graph,
        &x,
        &with_photo(reply(Network::Facebook, messenger), ""),
    )
    .expect("a call");
    assert_eq!(
        part_names(&call.payload),
        ["messaging_type", "recipient", "tag", "message", "filedata"]
    );
    if let Payload::Multipart(parts) = &call.payload {
        let message = parts.iter().find_map(|p| match p {
            Part::Text("message", v) => Some(v.clone()),
            _ => None,
        });
        let message: serde_json::Value =
            serde_json::from_str(&message.expect("message")).expect("json");
        assert_eq!(message["attachment"]["type"], "image");
    }
    let comment = Channel::FacebookComment {
        parent_network_id: "1_2".into(),
    };
    let call = call_for(
        &graph,
        &x,
        &with_photo(reply(Network::Facebook, comment), "look"),
    )
    .expect("a call");
    assert_eq!(part_names(&call.payload), ["message", "source"]);

    let refused = [
        (
            Network::Instagram,
            Channel::InstagramMediaComment {
                media_network_id: "m".into(),
            },
            "",
        ),
        (Network::Instagram, Channel::InstagramDirect, "text too"),
        (Network::X, Channel::XDirect, "not uploaded yet"),
    ];
    for (network, channel, text) in refused {
        let got = call_for(
            &graph,
            &x,
            &with_photo(reply(network, channel.clone()), text),
        );
        assert!(got.is_err(), "{channel:?}");
    }
}

#[test]
fn x_names_the_uploaded_media_in_the_post_or_message() {
    let (_, x) = bases();
    let post = Channel::XReply {
        in_reply_to_network_id: "9".into(),
    };
    let photo = with_photo(reply(Network::X, post), "look");
    let file = photo.file.clone().expect("a file");
    let upload = crate::x::send_upload_for_tests(&x, &photo, &file).expect("upload");
    assert_eq!(upload.url.as_str(), "https://api.x.com/2/media/upload");
    assert_eq!(part_names(&upload.payload), ["media_category", "media"]);
    let call = crate::x::send_reply_for_tests(&x, &photo, Some("77")).expect("post");
    assert_eq!(
        call.payload,
        Payload::Json(
            json!({"text": "look", "reply": {"in_reply_to_tweet_id": "9"},
            "media": {"media_ids": ["77"]}})
        )
    );
    let dm = with_photo(reply(Network::X, Channel::XDirect), "");
    let call = crate::x::send_reply_for_tests(&x, &dm, Some("78")).expect("dm");
    assert_eq!(
        call.payload,
        Payload::Json(json!({"text": "", "attachments": [{"media_id": "78"}]}))
    );
}
