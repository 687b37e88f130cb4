//! Looking up a mention the delivery announced without its content. Instagram's `mentions`
//! change has ids only: the Graph API answers a comment mention through the account's
//! `mentioned_comment` field and a caption mention through `mentioned_media`, each expanded with
//! the fields the desk files (text, time, author, the media's permalink). A Facebook Page
//! `mention` that names no author is read as the post or comment itself (`message`,
//! `created_time`, `from`, `permalink_url`). The answer becomes a `mention` message of its
//! author, with a link to the post. An Instagram caption's author is named by username only
//! (Graph gives the id of a media's owner to that owner alone), so such a customer is keyed by
//! that name.

use caredesk_app::mentions::{MentionFound, MentionRequest};
use caredesk_app::{InboundAuthor, NetworkMessage};
use caredesk_domain::{Attachment, AttachmentKind, MessageKind, Network, Timestamp};
use reqwest::Url;
use serde_json::Value;

use super::parse::{message, text};
use crate::outbound::{Api, Auth, NetworkApi, Read};

const COMMENT_FIELDS: &str = "{id,text,timestamp,from,username,media{id,permalink}}";
const MEDIA_FIELDS: &str = "{id,caption,timestamp,username,permalink,media_type,media_url}";

/// `GET /{ig-user-id}?fields=mentioned_comment.comment_id(…){…}` or
/// `…mentioned_media.media_id(…){…}`.
pub(crate) fn lookup_url(graph: &Url, request: &MentionRequest<'_>) -> Result<Url, String> {
    if request.network == Network::Facebook {
        let object = request.comment_id.unwrap_or(request.post_id);
        let mut url = crate::outbound::call::at(graph, &[object])?;
        url.query_pairs_mut().append_pair(
            "fields",
            "id,message,created_time,from{id,name},permalink_url",
        );
        return Ok(url);
    }
    let fields = match request.comment_id {
        Some(comment) => format!("mentioned_comment.comment_id({comment}){COMMENT_FIELDS}"),
        None => format!(
            "mentioned_media.media_id({}){MEDIA_FIELDS}",
            request.post_id
        ),
    };
    let mut url = crate::outbound::call::at(graph, &[request.profile_external_id])?;
    url.query_pairs_mut().append_pair("fields", &fields);
    Ok(url)
}

/// Graph's time, `2017-05-03T16:09:08+0000`.
fn graph_time(v: &Value, key: &str) -> Option<Timestamp> {
    let raw = text(v, key)?;
    let rfc3339 = match raw.len().checked_sub(5).map(|at| raw.split_at(at)) {
        Some((head, offset)) if offset.starts_with(['+', '-']) && !offset.contains(':') => {
            format!("{head}{}:{}", &offset[..3], &offset[3..])
        }
        _ => raw,
    };
    Timestamp::parse_rfc3339(&rfc3339)
}

/// The Facebook post or comment that tags the Page, as a mention of its author.
fn facebook_mention(answer: &Value, request: &MentionRequest<'_>) -> MentionFound {
    let Some(id) = text(answer, "id") else {
        return MentionFound::Gone("the network no longer shows this mention".into());
    };
    let Some(from) = answer.get("from").and_then(|f| text(f, "id")) else {
        return MentionFound::Gone("the mention names no author".into());
    };
    if from == request.profile_external_id {
        return MentionFound::Gone("the Page mentioned itself".into());
    }
    let name = answer
        .get("from")
        .and_then(|f| text(f, "name"))
        .unwrap_or_default();
    let author = InboundAuthor::Customer {
        network_user_id: from,
        display_name: name,
        handle: String::new(),
    };
    let body = text(answer, "message").unwrap_or_default();
    let created = graph_time(answer, "created_time").unwrap_or(Timestamp(0));
    let mut found = message(id, MessageKind::Mention, author, body, created);
    if let Some(link) = text(answer, "permalink_url") {
        found.attachments.push(Attachment {
            title: Some("Facebook post".into()),
            ..Attachment::at(AttachmentKind::Share, Some(link))
        });
    }
    found.root_network_id = Some(request.post_id.to_owned());
    MentionFound::Found(found)
}

/// The mention a Graph answer describes.
pub(crate) fn mention_from(answer: &Value, request: &MentionRequest<'_>) -> MentionFound {
    if request.network == Network::Facebook {
        return facebook_mention(answer, request);
    }
    let (object, in_comment) = match request.comment_id {
        Some(_) => (answer.get("mentioned_comment"), true),
        None => (answer.get("mentioned_media"), false),
    };
    let Some(object) = object.filter(|o| o.is_object()) else {
        return MentionFound::Gone("the network no longer shows this mention".into());
    };
    let Some(id) = text(object, "id") else {
        return MentionFound::Gone("the mention has no id".into());
    };
    let from = object.get("from");
    let username = from
        .and_then(|f| text(f, "username"))
        .or_else(|| text(object, "username"))
        .unwrap_or_default();
    let author_id = from
        .and_then(|f| text(f, "id"))
        .or_else(|| (!username.is_empty()).then(|| format!("username:{username}")));
    let Some(author_id) = author_id else {
        return MentionFound::Gone("the mention names no author".into());
    };
    if author_id == request.profile_external_id {
        return MentionFound::Gone("the account mentioned itself".into());
    }
    let body = text(object, if in_comment { "text" } else { "caption" }).unwrap_or_default();
    let created = graph_time(object, "timestamp").unwrap_or(Timestamp(0));
    let author = InboundAuthor::Customer {
        network_user_id: author_id,
        display_name: String::new(),
        handle: username,
    };
    let mut found: NetworkMessage = message(id, MessageKind::Mention, author, body, created);
    let media = if in_comment {
        object.get("media")
    } else {
        Some(object)
    };
    let permalink = media.and_then(|m| text(m, "permalink"));
    if !in_comment && text(object, "media_type").as_deref() == Some("IMAGE") {
        found.attachments.push(Attachment::at(
            AttachmentKind::Image,
            text(object, "media_url"),
        ));
    }
    if let Some(link) = permalink {
        found.attachments.push(Attachment {
            title: Some("Instagram post".into()),
            ..Attachment::at(AttachmentKind::Share, Some(link))
        });
    }
    found.root_network_id = Some(request.post_id.to_owned());
    found.parent_network_id = Some(request.post_id.to_owned());
    MentionFound::Found(found)
}

/// Asks the Graph API about the mention.
pub(crate) async fn look_up(api: NetworkApi<'_>, request: MentionRequest<'_>) -> MentionFound {
    let url = match lookup_url(api.base, &request) {
        Ok(url) => url,
        Err(why) => return MentionFound::Gone(why),
    };
    match api
        .get(url, Api::Graph, Auth::Bearer(request.access_token))
        .await
    {
        Read::Body(answer) => mention_from(&answer, &request),
        Read::Gone(why) | Read::Refused(why) => MentionFound::Gone(why),
        // A refused token is fixed by an admin; the look-up is tried again meanwhile.
        Read::Temporary(why) | Read::TokenRejected(why) => MentionFound::Temporary(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(comment: Option<&'static str>) -> MentionRequest<'static> {
        MentionRequest {
            network: Network::Instagram,
            profile_external_id: "17841400000000001",
            access_token: "token",
            post_id: "17900000000000010",
            comment_id: comment,
        }
    }

    #[test]
    fn the_lookup_asks_for_the_comment_or_the_caption_mentioned() {
        let graph = Url::parse("https://graph.facebook.com/v21.0").expect("url");
        let url = lookup_url(&graph, &request(Some("17870000000000020"))).expect("url");
        assert_eq!(url.path(), "/v21.0/17841400000000001");
        let fields = url
            .query_pairs()
            .find(|(k, _)| k == "fields")
            .expect("fields")
            .1;
        assert!(
            fields.starts_with("mentioned_comment.comment_id(17870000000000020){"),
            "{fields}"
        );
        let url = lookup_url(&graph, &request(None)).expect("url");
        let fields = url
            .query_pairs()
            .find(|(k, _)| k == "fields")
            .expect("fields")
            .1;
        assert!(
            fields.starts_with("mentioned_media.media_id(17900000000000010){"),
            "{fields}"
        );
        assert!(
            !url.as_str().contains("token"),
            "the token travels in a header"
        );
    }

    #[test]
    fn a_comment_mention_becomes_a_mention_of_its_author_with_a_link_to_the_post() {
        let answer = json!({"id": "17841400000000001", "mentioned_comment": {
            "id": "17870000000000020", "text": "@brand my order never came",
            "timestamp": "2026-12-07T09:30:00+0000",
            "from": {"id": "6200000000000001", "username": "ivy.moss"},
            "media": {"id": "17900000000000010", "permalink": "https://www.instagram.com/p/XYZ/"},
        }});
        let MentionFound::Found(m) = mention_from(&answer, &request(Some("17870000000000020")))
        else {
            panic!("found")
        };
        assert_eq!(m.kind, MessageKind::Mention);
        assert_eq!(m.text, "@brand my order never came");
        assert_eq!(m.customer_user_id(), Some("6200000000000001"));
        assert_eq!(
            m.created_at,
            Timestamp::parse_rfc3339("2026-12-07T09:30:00Z").expect("t")
        );
        assert_eq!(m.attachments[0].kind, AttachmentKind::Share);
        assert_eq!(
            m.attachments[0].network_url.as_deref(),
            Some("https://www.instagram.com/p/XYZ/")
        );
        assert_eq!(m.root_network_id.as_deref(), Some("17900000000000010"));
    }

    #[test]
    fn a_caption_mention_is_filed_under_its_authors_name_and_nothing_is_invented() {
        let answer = json!({"mentioned_media": {
            "id": "17900000000000010", "caption": "Thanks @brand!", "media_type": "IMAGE",
            "media_url": "https://scontent.cdninstagram.com/a.jpg", "username": "tom.berg",
            "permalink": "https://www.instagram.com/p/ABC/", "timestamp": "2026-12-07T09:30:00+0000",
        }});
        let MentionFound::Found(m) = mention_from(&answer, &request(None)) else {
            panic!("found")
        };
        assert_eq!(m.customer_user_id(), Some("username:tom.berg"));
        assert_eq!(m.text, "Thanks @brand!");
        assert_eq!(m.attachments[0].kind, AttachmentKind::Image);
        assert_eq!(m.attachments[1].kind, AttachmentKind::Share);

        for empty in [json!({}), json!({"mentioned_media": {"id": "1"}})] {
            assert!(
                matches!(mention_from(&empty, &request(None)), MentionFound::Gone(_)),
                "{empty}"
            );
        }
    }

    #[test]
    fn a_facebook_post_that_tags_the_page_is_read_whole() {
        let request = MentionRequest {
            network: Network::Facebook,
            profile_external_id: "1234567890321",
            access_token: "token",
            post_id: "100002241334695_98722536423179",
            comment_id: None,
        };
        let graph = Url::parse("https://graph.facebook.com/v21.0").expect("url");
        let url = lookup_url(&graph, &request).expect("url");
        assert_eq!(url.path(), "/v21.0/100002241334695_98722536423179");
        let answer = json!({"id": "100002241334695_98722536423179",
            "message": "A test post message", "created_time": "2021-02-26T11:56:02+0000",
            "from": {"id": "100002241334695", "name": "Test Man"},
            "permalink_url": "https://www.facebook.com/100002241334695/posts/98722536423179"});
        let MentionFound::Found(m) = mention_from(&answer, &request) else {
            panic!("found")
        };
        assert_eq!(m.kind, MessageKind::Mention);
        assert_eq!(m.customer_user_id(), Some("100002241334695"));
        assert_eq!(m.created_at.as_secs(), 1_614_340_562);
        assert_eq!(m.attachments[0].kind, AttachmentKind::Share);
        let nameless = json!({"id": "1_2", "message": "x"});
        assert!(matches!(
            mention_from(&nameless, &request),
            MentionFound::Gone(_)
        ));
    }
}
