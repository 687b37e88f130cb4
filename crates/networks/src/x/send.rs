//! Replies through X API v2: a post in reply to a post (`POST /tweets`), and a direct message
//! (`POST /dm_conversations/with/{participant}/messages`). A file is uploaded first
//! (`POST /media/upload`, multipart, with the category of its use) and the post or message
//! names the media id it got; an upload whose answer was lost is simply made again, since an
//! unused upload shows nowhere.
//!
//! Every call of a profile that holds an OAuth 1.0a token secret, whose X app has a consumer key
//! and secret, is signed with OAuth 1.0a user context ([`auth`]); a profile without a token
//! secret sends its access token as an OAuth 2 user bearer token. X API v2 takes either.

use caredesk_app::outbound::{OutgoingFile, OutgoingReply, SendOutcome};
use caredesk_domain::reply::Channel;
use caredesk_domain::AttachmentKind;
use reqwest::Url;
use serde_json::json;

use super::oauth1::Credentials;
use crate::outbound::call::{at, not_ours, recipient, Api, Call, IdAt, Part, Payload};
use crate::outbound::{Auth, NetworkApi};

/// X's media category for a file used in a post or a direct message.
fn media_category(file: &OutgoingFile, direct: bool) -> &'static str {
    match (file.kind == AttachmentKind::Gif, direct) {
        (true, true) => "dm_gif",
        (true, false) => "tweet_gif",
        (false, true) => "dm_image",
        (false, false) => "tweet_image",
    }
}

/// The upload of `reply`'s file.
pub(crate) fn upload_call(
    api: &Url,
    reply: &OutgoingReply,
    file: &OutgoingFile,
) -> Result<Call, String> {
    let direct = matches!(reply.channel, Channel::XDirect);
    Ok(Call {
        api: Api::X,
        url: at(api, &["media", "upload"])?,
        payload: Payload::Multipart(vec![
            Part::Text("media_category", media_category(file, direct).to_owned()),
            Part::File {
                name: "media",
                file: file.clone(),
            },
        ]),
        id_at: IdAt::DataId,
    })
}

/// The X API v2 call that posts `reply`, naming the uploaded `media_id` when it carries a file.
pub(crate) fn reply_call(
    api: &Url,
    reply: &OutgoingReply,
    media_id: Option<&str>,
) -> Result<Call, String> {
    if reply.file.is_some() && media_id.is_none() {
        return Err("a file on X is uploaded before the post that carries it".into());
    }
    let text = reply.text.as_str();
    match &reply.channel {
        Channel::XReply {
            in_reply_to_network_id,
        } => {
            if in_reply_to_network_id.trim().is_empty() {
                return Err("the reply names no post to answer".into());
            }
            let mut body = json!({
                "text": text,
                "reply": {"in_reply_to_tweet_id": in_reply_to_network_id},
            });
            if let Some(id) = media_id {
                body["media"] = json!({ "media_ids": [id] });
            }
            Ok(Call {
                api: Api::X,
                url: at(api, &["tweets"])?,
                payload: Payload::Json(body),
                id_at: IdAt::DataId,
            })
        }
        Channel::XDirect => {
            let mut body = json!({ "text": text });
            if let Some(id) = media_id {
                body["attachments"] = json!([{ "media_id": id }]);
            }
            Ok(Call {
                api: Api::X,
                url: at(
                    api,
                    &["dm_conversations", "with", recipient(reply)?, "messages"],
                )?,
                payload: Payload::Json(body),
                id_at: IdAt::DataDmEventId,
            })
        }
        Channel::FacebookComment { .. }
        | Channel::MessengerMessage { .. }
        | Channel::PrivateReply { .. }
        | Channel::InstagramCommentReply { .. }
        | Channel::InstagramMediaComment { .. }
        | Channel::InstagramDirect => Err(not_ours(reply, "X")),
    }
}

/// How the calls of `reply`'s profile say whose they are: an OAuth 1.0a signature when the
/// profile holds an access token and a token secret and its X app a consumer key and secret, the
/// access token as a bearer otherwise.
pub(crate) fn auth(reply: &OutgoingReply) -> Auth<'_> {
    let signs = [
        &reply.access_token,
        &reply.token_secret,
        &reply.consumer_key,
        &reply.consumer_secret,
    ]
    .iter()
    .all(|s| !s.is_empty());
    if signs {
        Auth::OAuth1(Credentials {
            consumer_key: &reply.consumer_key,
            consumer_secret: &reply.consumer_secret,
            token: &reply.access_token,
            token_secret: &reply.token_secret,
        })
    } else {
        Auth::Bearer(&reply.access_token)
    }
}

/// Posts `reply`, uploading its file first; each call is authorized afresh ([`auth`]).
pub(crate) async fn send(api: NetworkApi<'_>, reply: &OutgoingReply) -> SendOutcome {
    let auth = auth(reply);
    let media_id = match &reply.file {
        None => None,
        Some(file) => {
            let upload = match upload_call(api.base, reply, file) {
                Ok(call) => call,
                Err(reason) => return SendOutcome::Permanent { reason },
            };
            match api.post(&upload, auth).await {
                SendOutcome::Sent { network_id } => Some(network_id),
                // Nothing was posted: an upload whose answer was lost is made again.
                SendOutcome::InDoubt { reason } => {
                    return SendOutcome::Transient {
                        reason: format!("the file's upload went unanswered: {reason}"),
                        retry_after: None,
                    }
                }
                refused => return refused,
            }
        }
    };
    match reply_call(api.base, reply, media_id.as_deref()) {
        Ok(call) => api.post(&call, auth).await,
        Err(reason) => SendOutcome::Permanent { reason },
    }
}
