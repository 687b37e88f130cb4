//! PRODUCT.md §4: where an inbound message goes, and how edits of known messages apply.

use super::*;
use crate::case::CaseStatus;
use crate::testkit::*;

#[test]
fn a_message_seen_before_is_known_and_creates_nothing_even_with_an_active_case() {
    let active = case().status(CaseStatus::Open).build();
    assert_eq!(
        route_customer_message(true, Some(&active), t(1)),
        Route::Known
    );
    assert_eq!(route_customer_message(true, None, t(1)), Route::Known);
}

#[test]
fn a_new_message_joins_the_active_case_in_progress() {
    for status in [
        CaseStatus::New,
        CaseStatus::Open,
        CaseStatus::Pending,
        CaseStatus::OnHold,
    ] {
        let c = case().status(status).build();
        assert_eq!(
            route_customer_message(false, Some(&c), t(1)),
            Route::JoinCase,
            "{status}"
        );
    }
}

#[test]
fn without_an_active_case_a_new_message_goes_to_community() {
    assert_eq!(route_customer_message(false, None, t(1)), Route::Community);
}

#[test]
fn receive_time_at_grace_until_is_outside_grace() {
    let until = t(1_000);
    let done = case().done_until(until).build();
    let just_before = Timestamp(until.0 - 1);
    assert_eq!(
        route_customer_message(false, Some(&done), just_before),
        Route::JoinCase
    );
    assert_eq!(
        route_customer_message(false, Some(&done), until),
        Route::Community
    );
}

#[test]
fn the_server_receive_time_decides_not_the_network_time() {
    let done = case().done_until(t(1_000)).build();
    // Written inside the grace period per the network, received after it.
    let mut late = message(5).at(t(500)).build();
    late.received_at = t(2_000);
    assert_eq!(
        route_customer_message(false, Some(&done), late.received_at),
        Route::Community
    );
    // A forged network time after the end does not keep out a message received inside it.
    let mut forged = message(6).at(t(900)).build();
    forged.created_at = t(9_999);
    assert_eq!(
        route_customer_message(false, Some(&done), forged.received_at),
        Route::JoinCase
    );
}

#[test]
fn a_done_case_past_its_grace_period_is_final_even_before_the_sweep() {
    let mut done = case().done_until(t(100)).build();
    assert!(done.holds_active_slot, "no sweep has run yet");
    assert_eq!(
        route_customer_message(false, Some(&done), t(101)),
        Route::Community
    );
    assert!(done.expire_grace_if_due(t(101)).is_some());
    assert_eq!(
        route_customer_message(false, Some(&done), t(101)),
        Route::Community
    );
}

#[test]
fn spam_and_deleted_cases_never_take_a_message() {
    let spam = case().status(CaseStatus::Spam).build();
    assert_eq!(
        route_customer_message(false, Some(&spam), t(1)),
        Route::Community
    );
    let deleted = case().status(CaseStatus::Open).deleted().build();
    assert_eq!(
        route_customer_message(false, Some(&deleted), t(1)),
        Route::Community
    );
}

#[test]
fn grace_period_zero_sends_the_next_message_to_community() {
    let mut c = case().open_for(&agent()).build();
    c.set_status(act(&agent(), t(10)), CaseStatus::Done, &[], 0)
        .unwrap();
    assert_eq!(
        route_customer_message(false, Some(&c), t(10)),
        Route::Community
    );
}

#[test]
fn a_customer_message_routed_to_a_done_case_in_grace_reopens_it() {
    let mut c = case().open_for(&agent()).build();
    c.set_status(act(&agent(), t(10)), CaseStatus::Done, &[], 3_600)
        .unwrap();
    let inbound = message(7).at(t(20)).build();
    assert_eq!(
        route_customer_message(false, Some(&c), inbound.received_at),
        Route::JoinCase
    );
    c.receive_customer_message(inbound.id, inbound.received_at, true);
    assert_eq!(c.status, CaseStatus::Open);
}

#[test]
fn only_a_case_escalated_later_is_newer_and_only_a_spam_case_marks_the_customer() {
    let earlier = case().build();
    let mut later = case().build();
    later.id = crate::ids::CaseId(2);
    later.created_at = earlier.created_at.plus_secs(60);
    assert_eq!(
        newer_case(&earlier, Some(&later)).map(|c| c.id),
        Some(later.id)
    );
    assert_eq!(newer_case(&later, Some(&earlier)), None);
    assert_eq!(newer_case(&earlier, Some(&earlier)), None);
    assert_eq!(newer_case(&earlier, None), None);
    assert!(!last_case_was_spam(Some(&later)));
    later.status = CaseStatus::Spam;
    assert!(last_case_was_spam(Some(&later)));
    assert!(!last_case_was_spam(None));
}

#[test]
fn a_text_edit_keeps_the_previous_text_in_the_event() {
    let mut m = message(3).build();
    let edit = MessageEdit {
        text: Some("actually it arrived".into()),
        ..MessageEdit::default()
    };
    let events = apply_edit(&mut m, &edit, t(50));
    assert_eq!(
        events,
        vec![EventKind::MessageEdited {
            message_id: m.id,
            previous_text: "my order is late".into()
        }]
    );
    assert_eq!(
        (m.text.as_str(), m.edited_at),
        ("actually it arrived", Some(t(50)))
    );
}

#[test]
fn hiding_unhiding_and_deleting_are_applied_and_recorded() {
    let mut m = message(3).build();
    let hide = MessageEdit {
        hidden: Some(true),
        ..MessageEdit::default()
    };
    assert_eq!(
        apply_edit(&mut m, &hide, t(1)),
        vec![EventKind::MessageHidden {
            message_id: m.id,
            hidden: true
        }]
    );
    assert!(m.hidden);
    let unhide = MessageEdit {
        hidden: Some(false),
        ..MessageEdit::default()
    };
    assert_eq!(apply_edit(&mut m, &unhide, t(2)).len(), 1);
    assert!(!m.hidden);
    let delete = MessageEdit {
        deleted: Some(true),
        ..MessageEdit::default()
    };
    assert_eq!(
        apply_edit(&mut m, &delete, t(3)),
        vec![EventKind::MessageDeleted { message_id: m.id }]
    );
    assert!(m.deleted);
    assert_eq!(
        m.text, "my order is late",
        "a deleted message keeps its text"
    );
}

#[test]
fn deletes_are_not_undone() {
    let mut m = message(3).deleted().build();
    let undelete = MessageEdit {
        deleted: Some(false),
        ..MessageEdit::default()
    };
    assert_eq!(apply_edit(&mut m, &undelete, t(1)), vec![]);
    assert!(m.deleted);
}

#[test]
fn a_redelivery_that_changes_nothing_records_nothing() {
    let mut m = message(3).hidden().build();
    let before = m.clone();
    let same = MessageEdit {
        text: Some(m.text.clone()),
        hidden: Some(true),
        deleted: Some(false),
    };
    assert_eq!(apply_edit(&mut m, &same, t(9)), vec![]);
    assert_eq!(apply_edit(&mut m, &MessageEdit::default(), t(9)), vec![]);
    assert_eq!(m, before);
}
