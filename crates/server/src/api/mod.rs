//! The JSON API under `/api/v1` (API.md), with its OpenAPI document generated from the same
//! handler annotations that register the routes, so the two cannot drift apart.

mod attachments;
mod audit;
pub(crate) mod auth;
mod bulk;
mod case_actions;
mod cases;
mod community;
mod customers;
mod directory;
mod dto;
mod media;
mod messages;
mod network_apps;
mod notifications;
mod overview;
mod paging;
mod presence;
mod reports;
mod salesforce;
mod saved_replies;
mod search;
mod settings;
mod sla;
mod stream;
mod stream_presence;
mod users;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(info(
    title = "caredesk API",
    description = "The JSON API of caredesk, a social customer-care desk."
))]
struct ApiDoc;

/// The upload route, whose bodies may be larger than the rest of the API takes.
pub fn upload_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(media::upload_media))
}

/// The API's routes and their OpenAPI document.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::get_me, auth::patch_me))
        .routes(routes!(auth::put_presence))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::patch_user))
        .routes(routes!(settings::get_settings, settings::patch_settings))
        .routes(routes!(
            settings::list_case_fields,
            settings::create_case_field
        ))
        .routes(routes!(
            settings::patch_case_field,
            settings::delete_case_field
        ))
        .routes(routes!(
            network_apps::list_network_apps,
            network_apps::create_network_app
        ))
        .routes(routes!(
            network_apps::patch_network_app,
            network_apps::delete_network_app
        ))
        .routes(routes!(directory::list_profiles, directory::create_profile))
        .routes(routes!(directory::patch_profile, directory::delete_profile))
        .routes(routes!(cases::list_cases))
        .routes(routes!(cases::get_case_counts))
        .routes(routes!(bulk::bulk_change))
        .routes(routes!(
            cases::get_case,
            case_actions::patch_case,
            case_actions::delete_case
        ))
        .routes(routes!(cases::get_case_by_number))
        .routes(routes!(cases::list_case_messages))
        .routes(routes!(cases::list_case_events))
        .routes(routes!(presence::post_presence, presence::get_presence))
        .routes(routes!(case_actions::assign_case))
        .routes(routes!(case_actions::set_case_status))
        .routes(routes!(case_actions::reopen_case))
        .routes(routes!(case_actions::add_case_note))
        .routes(routes!(case_actions::add_case_reply))
        .routes(routes!(community::list_items))
        .routes(routes!(community::patch_item))
        .routes(routes!(community::list_item_messages))
        .routes(routes!(community::reply_to_item))
        .routes(routes!(messages::retry_message))
        .routes(routes!(messages::cancel_message))
        .routes(routes!(media::get_media))
        .routes(routes!(community::escalate_item))
        .routes(routes!(audit::list_audit))
        .routes(routes!(overview::get_overview))
        .routes(routes!(stream::get_stream))
        .routes(routes!(customers::get_customer, customers::patch_customer))
        .routes(routes!(customers::list_customer_cases))
        .routes(routes!(customers::list_customer_conversations))
        .routes(routes!(
            salesforce::get_salesforce_connection,
            salesforce::put_salesforce_connection,
            salesforce::delete_salesforce_connection
        ))
        .routes(routes!(search::search))
        .routes(routes!(salesforce::search_salesforce_accounts))
        .routes(routes!(salesforce::search_salesforce_contacts))
        .routes(routes!(salesforce::link_salesforce))
        .routes(routes!(salesforce::create_salesforce_case))
        .routes(routes!(
            saved_replies::list_saved_replies,
            saved_replies::create_saved_reply
        ))
        .routes(routes!(
            saved_replies::patch_saved_reply,
            saved_replies::delete_saved_reply
        ))
        .routes(routes!(saved_replies::render_saved_reply))
        .routes(routes!(sla::list_schedules, sla::create_schedule))
        .routes(routes!(sla::patch_schedule, sla::delete_schedule))
        .routes(routes!(sla::list_sla_policies, sla::create_sla_policy))
        .routes(routes!(sla::patch_sla_policy, sla::delete_sla_policy))
        .routes(routes!(reports::report_summary))
        .routes(routes!(reports::report_csv))
        .routes(routes!(notifications::list_notifications))
        .routes(routes!(notifications::get_unread_count))
        .routes(routes!(notifications::mark_notifications_read))
}
