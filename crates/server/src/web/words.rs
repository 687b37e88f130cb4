//! The pages' words for the domain's values: statuses, priorities, sentiments, reply kinds and
//! delivery states as people say them, and times as a readable fallback (the page script then
//! writes each `<time>` in the viewer's own zone). No page shows an enum's code or a raw
//! RFC 3339 time.

use caredesk_domain::reply::ReplyKind;
use caredesk_domain::{
    CaseStatus, CommunityStatus, Delivery, FieldKind, MessageKind, Priority, Sentiment, Timestamp,
};

/// A case status in words.
pub(crate) fn status_label(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::New => "New",
        CaseStatus::Open => "Open",
        CaseStatus::Pending => "Pending",
        CaseStatus::OnHold => "On hold",
        CaseStatus::Done => "Done",
        CaseStatus::Spam => "Spam",
    }
}

/// A priority in words.
pub(crate) fn priority_label(priority: Priority) -> &'static str {
    match priority {
        Priority::Urgent => "Urgent",
        Priority::High => "High",
        Priority::Medium => "Medium",
        Priority::Low => "Low",
    }
}

/// A sentiment in words.
pub(crate) fn sentiment_label(sentiment: Sentiment) -> &'static str {
    match sentiment {
        Sentiment::Positive => "Positive",
        Sentiment::Neutral => "Neutral",
        Sentiment::Negative => "Negative",
        Sentiment::None => "None",
    }
}

/// A Community status in words.
pub(crate) fn community_status_label(status: CommunityStatus) -> &'static str {
    match status {
        CommunityStatus::None => "Not handled",
        CommunityStatus::InProgress => "In progress",
        CommunityStatus::NoAction => "No action",
        CommunityStatus::Done => "Done",
    }
}

/// A case field's type in words.
pub(crate) fn field_kind_label(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "Text",
        FieldKind::Number => "Number",
        FieldKind::Date => "Date",
        FieldKind::Select => "Single choice",
        FieldKind::Multiselect => "Multiple choice",
        FieldKind::Checkbox => "Checkbox",
    }
}

/// A message's kind in words.
pub(crate) fn message_kind_label(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Post => "Post",
        MessageKind::Comment => "Comment",
        MessageKind::Reply => "Reply",
        MessageKind::Mention => "Mention",
        MessageKind::Review => "Review",
        MessageKind::Direct => "Direct message",
        MessageKind::Note => "Note",
    }
}

/// A reply's delivery state in words.
pub(crate) fn delivery_label(delivery: Delivery) -> &'static str {
    match delivery {
        Delivery::Queued => "queued",
        Delivery::Sending => "sending",
        Delivery::Sent => "sent",
        Delivery::Failed => "failed",
        Delivery::DeliveryUnknown => "delivery unknown",
        Delivery::Cancelled => "cancelled",
    }
}

/// A reply kind as the composer offers it; `direct` answers a direct message with a direct
/// message and public content with a private reply.
pub(crate) fn reply_kind_label(kind: ReplyKind, to_direct_message: bool) -> &'static str {
    match kind {
        ReplyKind::Reply => "Reply",
        ReplyKind::Comment => "Comment on the post",
        ReplyKind::Direct if to_direct_message => "Direct message",
        ReplyKind::Direct => "Private reply",
    }
}

/// A time in UTC for a page without its script ("2026-12-12 02:12 UTC"); the script writes it
/// again in the viewer's zone.
pub(crate) fn time_fallback(at: Timestamp) -> String {
    let text = at.to_rfc3339();
    match (text.get(..10), text.get(11..16)) {
        (Some(day), Some(clock)) => format!("{day} {clock} UTC"),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_a_day_and_a_clock() {
        let at = Timestamp::parse_rfc3339("2026-12-12T02:12:36.884129Z").expect("time");
        assert_eq!(time_fallback(at), "2026-12-12 02:12 UTC");
    }

    #[test]
    fn no_label_is_a_code() {
        for status in [CaseStatus::OnHold, CaseStatus::New] {
            assert!(!status_label(status).contains('_'));
        }
        assert_eq!(
            community_status_label(CommunityStatus::NoAction),
            "No action"
        );
        assert_eq!(
            delivery_label(Delivery::DeliveryUnknown),
            "delivery unknown"
        );
        assert_eq!(reply_kind_label(ReplyKind::Direct, false), "Private reply");
    }
}
