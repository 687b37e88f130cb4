//! Replies through X API v2: a post in reply to a post (`POST /tweets`), and a direct message
//! (`POST /dm_conversations/with/{participant}/messages`).

use caredesk_app::outbound::OutgoingReply;
use caredesk_domain::reply::Channel;
use reqwest::Url;
use serde_json::json;

use crate::outbound::call::{at, not_ours, recipient, Api, Call, IdAt, Payload};

/// The X API v2 call that posts `reply`, against the X base `api`.
pub(crate) fn reply_call(api: &Url, reply: &OutgoingReply) -> Result<Call, String> {
    let text = reply.text.as_str();
    match &reply.channel {
        Channel::XReply {
            in_reply_to_network_id,
        } => {
            if in_reply_to_network_id.trim().is_empty() {
                return Err("the reply names no post to answer".into());
            }
            let body = json!({
                "text": text,
                "reply": {"in_reply_to_tweet_id": in_reply_to_network_id},
            });
            Ok(Call {
                api: Api::X,
                url: at(api, &["tweets"])?,
                payload: Payload::Json(body),
                id_at: IdAt::DataId,
            })
        }
        Channel::XDirect => Ok(Call {
            api: Api::X,
            url: at(
                api,
                &["dm_conversations", "with", recipient(reply)?, "messages"],
            )?,
            payload: Payload::Json(json!({ "text": text })),
            id_at: IdAt::DataDmEventId,
        }),
        Channel::FacebookComment { .. }
        | Channel::MessengerMessage { .. }
        | Channel::PrivateReply { .. }
        | Channel::InstagramCommentReply { .. }
        | Channel::InstagramMediaComment { .. }
        | Channel::InstagramDirect => Err(not_ours(reply, "X")),
    }
}
