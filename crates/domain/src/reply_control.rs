//! Who may reply from Community, and who may retry or cancel a reply (PRODUCT.md §3 "Locked
//! community items" and §5).

use crate::case::Case;
use crate::message::{Author, Delivery, Message};
use crate::policy;
use crate::user::User;
use crate::Refusal;

/// Replying from Community: any member of the profile, unless a case in progress holds the
/// message answered (409 `case_active`, naming the case).
pub fn check_community_reply(
    actor: &User,
    message: &Message,
    holding_case: Option<&Case>,
) -> Result<(), Refusal> {
    policy::require_profile_member(actor, message.profile_id)?;
    match holding_case.filter(|c| !c.deleted && c.status.is_in_progress()) {
        Some(case) => Err(Refusal::CaseActive {
            case_number: case.number,
        }),
        None => Ok(()),
    }
}

/// Retrying or cancelling a reply that failed, whose delivery is unknown, or that is still
/// queued: in Care by the case's current assignee while the case is open, in Community (a reply
/// that belongs to no case) by any member of the profile.
pub fn check_retry_or_cancel(
    actor: &User,
    reply: &Message,
    case: Option<&Case>,
) -> Result<(), Refusal> {
    if reply.author != Author::Brand || reply.delivery.is_none() {
        return Err(Refusal::NotFound);
    }
    match case {
        Some(case) => {
            policy::require_assignee(actor, case)?;
            if case.status.is_closed() {
                return Err(Refusal::CaseClosed);
            }
        }
        None => policy::require_profile_member(actor, reply.profile_id)?,
    }
    match reply.delivery {
        Some(d) if d.may_retry_or_cancel() => Ok(()),
        Some(d) => Err(Refusal::Conflict(format!(
            "a reply that is {d} cannot be retried or cancelled"
        ))),
        None => Err(Refusal::NotFound),
    }
}

/// The state a retried reply goes back to.
pub fn retried(reply: &mut Message) {
    reply.delivery = Some(Delivery::Queued);
    reply.error = None;
}

/// The state a cancelled reply ends in.
pub fn cancelled(reply: &mut Message) {
    reply.delivery = Some(Delivery::Cancelled);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::CaseStatus;
    use crate::message::MessageKind;
    use crate::testkit;

    fn reply(delivery: Delivery) -> Message {
        let mut m = testkit::message(7).kind(MessageKind::Direct).build();
        m.author = Author::Brand;
        m.delivery = Some(delivery);
        m
    }

    #[test]
    fn community_replies_are_refused_while_a_case_holds_the_message() {
        let agent = testkit::community_agent();
        let message = testkit::message(1).build();
        let case = testkit::case().status(CaseStatus::Open).number(4).build();
        assert_eq!(
            check_community_reply(&agent, &message, Some(&case)),
            Err(Refusal::CaseActive { case_number: 4 })
        );
        let done = testkit::case().status(CaseStatus::Done).build();
        assert_eq!(
            check_community_reply(&agent, &message, Some(&done)),
            Ok(()),
            "done hands it back"
        );
        assert_eq!(check_community_reply(&agent, &message, None), Ok(()));
        assert_eq!(
            check_community_reply(&testkit::agent_elsewhere(), &message, None),
            Err(Refusal::NotFound)
        );
    }

    #[test]
    fn only_failed_unknown_or_queued_replies_are_retried_or_cancelled() {
        let agent = testkit::community_agent();
        let table = [
            (Delivery::Failed, true),
            (Delivery::DeliveryUnknown, true),
            (Delivery::Queued, true),
            (Delivery::Sending, false),
            (Delivery::Sent, false),
            (Delivery::Cancelled, false),
        ];
        for (delivery, ok) in table {
            assert_eq!(
                check_retry_or_cancel(&agent, &reply(delivery), None).is_ok(),
                ok,
                "{delivery}"
            );
        }
    }

    #[test]
    fn in_care_only_the_assignee_of_an_open_case_retries() {
        let assignee = testkit::agent();
        let failed = reply(Delivery::Failed);
        let open = testkit::case().open_for(&assignee).build();
        assert_eq!(
            check_retry_or_cancel(&assignee, &failed, Some(&open)),
            Ok(())
        );
        assert_eq!(
            check_retry_or_cancel(&testkit::supervisor(), &failed, Some(&open)),
            Err(Refusal::NotAssignee)
        );
        let done = testkit::case()
            .open_for(&assignee)
            .status(CaseStatus::Done)
            .build();
        assert_eq!(
            check_retry_or_cancel(&assignee, &failed, Some(&done)),
            Err(Refusal::CaseClosed)
        );
    }
}
