//! The conformance suite: stories every backend must pass, run by the integration tests against
//! a fresh, migrated database per story. Test support only: it is not part of the product.
//!
//! A story takes an `Arc<dyn Store>` and panics (with a message saying what broke) when the
//! backend does not keep the contract of [`caredesk_store::Store`] and [`caredesk_store::Tx`]:
//! what it stores comes back the same, uniqueness rules refuse with `Conflict`, uncommitted work disappears (and a
//! part rolled back to its savepoint disappears alone), views answer the right cases in the
//! right order with stable keyset pages, background work (outbox, Salesforce syncs, customer
//! look-ups) is claimed once, a user's saved replies are the shared ones and their own, and
//! who has a case open is read as it moves.

mod conversations;
mod directory;
mod fixture;
mod ingest;
mod ingest_creates;
mod invariants;
mod list_filters;
mod lists;
mod lookups;
mod outbox;
mod presence;
mod records;
mod salesforce;
mod salesforce_sync;
mod saved_replies;
mod savepoints;
mod sessions;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use fixture::Fixture;

use caredesk_store::Store;

/// A story's future.
pub type StoryFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
/// A story: a name and what it runs.
pub type Story = (&'static str, fn(Arc<dyn Store>) -> StoryFuture);

/// Every story, by name.
pub fn stories() -> Vec<Story> {
    vec![
        ("users_round_trip", |s| {
            Box::pin(directory::users_round_trip(s))
        }),
        ("settings_and_case_fields", |s| {
            Box::pin(directory::settings_and_case_fields(s))
        }),
        ("apps_and_profiles", |s| {
            Box::pin(directory::apps_and_profiles(s))
        }),
        ("customers_and_conversations", |s| {
            Box::pin(directory::customers_and_conversations(s))
        }),
        ("batch_lookups_answer_what_single_lookups_answer", |s| {
            Box::pin(ingest::batch_lookups_answer_what_single_lookups_answer(s))
        }),
        ("customers_are_created_once", |s| {
            Box::pin(ingest_creates::customers_are_created_once(s))
        }),
        ("case_states_are_saved_without_their_fields", |s| {
            Box::pin(ingest::case_states_are_saved_without_their_fields(s))
        }),
        ("batch_writes_store_what_single_writes_store", |s| {
            Box::pin(ingest::batch_writes_store_what_single_writes_store(s))
        }),
        ("message_dedupe_per_profile", |s| {
            Box::pin(invariants::message_dedupe_per_profile(s))
        }),
        ("one_active_case_per_customer_profile", |s| {
            Box::pin(invariants::one_active_case_per_customer_profile(s))
        }),
        ("concurrent_escalations_leave_one_active_case", |s| {
            Box::pin(invariants::concurrent_escalations_leave_one_active_case(s))
        }),
        ("uncommitted_work_is_rolled_back", |s| {
            Box::pin(invariants::uncommitted_work_is_rolled_back(s))
        }),
        ("a_failed_part_is_undone_alone", |s| {
            Box::pin(savepoints::a_failed_part_is_undone_alone(s))
        }),
        ("rollback_to_savepoint_keeps_earlier_work", |s| {
            Box::pin(savepoints::rollback_to_savepoint_keeps_earlier_work(s))
        }),
        ("messages_belong_to_several_cases", |s| {
            Box::pin(invariants::messages_belong_to_several_cases(s))
        }),
        ("case_round_trip_and_events", |s| {
            Box::pin(invariants::case_round_trip_and_events(s))
        }),
        ("grace_due_cases", |s| Box::pin(records::grace_due_cases(s))),
        ("change_log_is_read_in_commit_order", |s| {
            Box::pin(records::change_log_is_read_in_commit_order(s))
        }),
        ("audit_log_filters_and_pages", |s| {
            Box::pin(records::audit_log_filters_and_pages(s))
        }),
        ("views_show_the_right_cases_in_order", |s| {
            Box::pin(lists::views_show_the_right_cases_in_order(s))
        }),
        ("keyset_pages_are_stable", |s| {
            Box::pin(lists::keyset_pages_are_stable(s))
        }),
        ("overview_figures", |s| {
            Box::pin(list_filters::overview_figures(s))
        }),
        ("filters_narrow_views", |s| {
            Box::pin(list_filters::filters_narrow_views(s))
        }),
        ("dm_conversation_shows_last_500", |s| {
            Box::pin(conversations::dm_conversation_shows_last_500(s))
        }),
        ("community_items_show_their_lock", |s| {
            Box::pin(conversations::community_items_show_their_lock(s))
        }),
        ("community_inbox_filters_and_pages", |s| {
            Box::pin(conversations::community_inbox_filters_and_pages(s))
        }),
        ("sessions_round_trip_and_revocation", |s| {
            Box::pin(sessions::sessions_round_trip_and_revocation(s))
        }),
        ("login_failures_count_inside_a_window", |s| {
            Box::pin(sessions::login_failures_count_inside_a_window(s))
        }),
        ("outbox_claims_each_reply_once", |s| {
            Box::pin(outbox::outbox_claims_each_reply_once(s))
        }),
        ("unconfirmed_replies_wait_for_their_echo", |s| {
            Box::pin(outbox::unconfirmed_replies_wait_for_their_echo(s))
        }),
        ("profile_signals_follow_the_outbox", |s| {
            Box::pin(outbox::profile_signals_follow_the_outbox(s))
        }),
        ("salesforce_connection_round_trips", |s| {
            Box::pin(salesforce::salesforce_connection_round_trips(s))
        }),
        ("salesforce_links_round_trip_and_are_unique", |s| {
            Box::pin(salesforce::salesforce_links_round_trip_and_are_unique(s))
        }),
        ("salesforce_syncs_follow_the_latest_change", |s| {
            Box::pin(salesforce_sync::salesforce_syncs_follow_the_latest_change(
                s,
            ))
        }),
        ("salesforce_syncs_are_claimed_once", |s| {
            Box::pin(salesforce_sync::salesforce_syncs_are_claimed_once(s))
        }),
        ("salesforce_pulls_read_never_read_links_first", |s| {
            Box::pin(salesforce::salesforce_pulls_read_never_read_links_first(s))
        }),
        ("customer_lookups_are_claimed_once", |s| {
            Box::pin(lookups::customer_lookups_are_claimed_once(s))
        }),
        ("customer_lookups_round_trip", |s| {
            Box::pin(lookups::customer_lookups_round_trip(s))
        }),
        (
            "customer_lookups_of_several_profiles_are_queued_at_once",
            |s| Box::pin(lookups::customer_lookups_of_several_profiles_are_queued_at_once(s)),
        ),
        ("saved_replies_round_trip_and_list_shared_and_own", |s| {
            Box::pin(saved_replies::saved_replies_round_trip_and_list_shared_and_own(s))
        }),
        ("presence_is_upserted_lapses_and_its_moves_are_read", |s| {
            Box::pin(presence::presence_is_upserted_lapses_and_its_moves_are_read(s))
        }),
    ]
}
