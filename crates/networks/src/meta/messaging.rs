//! Messenger and Instagram DM events into updates: messages with their attachments (the
//! customer's, or the brand's own as echoes), unsends, edits (`message_edit`), and the same
//! events under `standby` while another app holds the thread. Receipts, reactions, postbacks
//! and handover notices are counted as skipped.

use caredesk_app::delivery::Update;
use caredesk_app::InboundAuthor;
use caredesk_domain::routing::MessageEdit;
use caredesk_domain::{MessageKind, Network, Timestamp};
use serde_json::Value;

use super::attachments;
use super::parse::{message, millis, text};

/// Messaging events that are not messages, by the key that names them.
const OTHER_EVENTS: [&str; 9] = [
    "delivery",
    "read",
    "postback",
    "reaction",
    "optin",
    "referral",
    "pass_thread_control",
    "take_thread_control",
    "request_thread_control",
];

/// One messaging event of the Page or account `page`; `standby` when it arrived under
/// `standby` (another app holds the thread).
pub(super) fn event(
    network: Network,
    page: &str,
    event: &Value,
    standby: bool,
) -> Result<Update, String> {
    let profile = (network, page.to_owned());
    if let Some(edited) = event.get("message_edit") {
        let mid = text(edited, "mid").ok_or("message_edit:without_mid")?;
        let new_text = text(edited, "text").ok_or("message_edit:without_text")?;
        return Ok(Update::Edit {
            profile,
            network_id: mid,
            edit: MessageEdit {
                text: Some(new_text),
                ..Default::default()
            },
        });
    }
    let Some(msg) = event.get("message") else {
        let kind = OTHER_EVENTS
            .into_iter()
            .find(|k| event.get(*k).is_some())
            .unwrap_or("other");
        return Err(format!("messaging:{kind}"));
    };
    let mid = text(msg, "mid").ok_or("messaging:without_mid")?;
    if msg.get("is_deleted").and_then(Value::as_bool) == Some(true) {
        let edit = MessageEdit {
            deleted: Some(true),
            ..Default::default()
        };
        return Ok(Update::Edit {
            profile,
            network_id: mid,
            edit,
        });
    }
    let sender = event
        .get("sender")
        .and_then(|s| text(s, "id"))
        .ok_or("messaging:without_sender")?;
    let recipient = event
        .get("recipient")
        .and_then(|s| text(s, "id"))
        .unwrap_or_default();
    let is_echo = msg.get("is_echo").and_then(Value::as_bool) == Some(true) || sender == page;
    let author = if is_echo {
        // The brand's message in its thread with the other party, whichever way round the
        // echo names them.
        let customer = if recipient == page && sender != page {
            sender
        } else {
            recipient
        };
        if customer.is_empty() {
            return Err("messaging:echo:without_recipient".into());
        }
        InboundAuthor::Brand {
            customer_network_user_id: customer,
        }
    } else {
        InboundAuthor::Customer {
            network_user_id: sender,
            display_name: String::new(),
            handle: String::new(),
        }
    };
    let created = millis(event, "timestamp").unwrap_or(Timestamp(0));
    let body = text(msg, "text").unwrap_or_default();
    let mut m = message(mid, MessageKind::Direct, author, body, created);
    m.attachments = attachments::messaging(msg);
    m.parent_network_id = msg.get("reply_to").and_then(|r| text(r, "mid"));
    m.standby = standby;
    Ok(Update::Message {
        profile,
        message: m,
    })
}
