//! Runs every story of the store conformance suite on a fresh database: SQLite always,
//! PostgreSQL when `CAREDESK_TEST_POSTGRES_URL` is set (ignored otherwise).

use caredesk_store_tests::stories;

use crate::support::TestStore;

async fn run(name: &str, store: TestStore) {
    let (_, story) = stories()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("a known story");
    story(store.store.clone()).await;
}

macro_rules! stories_on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::run(stringify!($name), crate::support::sqlite().await).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(
                    not(caredesk_postgres_tests),
                    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
                )]
                async fn $name() {
                    super::run(stringify!($name), crate::pg::fresh().await).await;
                }
            )*
        }

        #[test]
        fn every_story_runs_on_every_backend() {
            let listed: Vec<&str> = vec![$(stringify!($name)),*];
            let all: Vec<&str> = stories().iter().map(|(n, _)| *n).collect();
            assert_eq!(listed, all, "each conformance story needs its line here");
        }
    };
}

stories_on_every_backend!(
    users_round_trip,
    settings_and_case_fields,
    apps_and_profiles,
    customers_and_conversations,
    batch_lookups_answer_what_single_lookups_answer,
    customers_are_created_once,
    case_states_are_saved_without_their_fields,
    batch_writes_store_what_single_writes_store,
    message_dedupe_per_profile,
    one_active_case_per_customer_profile,
    concurrent_escalations_leave_one_active_case,
    uncommitted_work_is_rolled_back,
    a_failed_part_is_undone_alone,
    rollback_to_savepoint_keeps_earlier_work,
    messages_belong_to_several_cases,
    case_round_trip_and_events,
    grace_due_cases,
    change_log_is_read_in_commit_order,
    audit_log_filters_and_pages,
    views_show_the_right_cases_in_order,
    keyset_pages_are_stable,
    overview_figures,
    filters_narrow_views,
    dm_conversation_shows_last_500,
    community_items_show_their_lock,
    community_inbox_filters_and_pages,
    sessions_round_trip_and_revocation,
    login_failures_count_inside_a_window,
    outbox_claims_each_reply_once,
    unconfirmed_replies_wait_for_their_echo,
    profile_signals_follow_the_outbox,
    salesforce_connection_round_trips,
    salesforce_links_round_trip_and_are_unique,
    salesforce_syncs_follow_the_latest_change,
    salesforce_syncs_are_claimed_once,
    salesforce_pulls_read_never_read_links_first,
    customer_lookups_are_claimed_once,
    customer_lookups_round_trip,
    customer_lookups_of_several_profiles_are_queued_at_once,
    saved_replies_round_trip_and_list_shared_and_own,
    presence_is_upserted_lapses_and_its_moves_are_read,
);
