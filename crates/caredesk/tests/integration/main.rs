//! The one integration test binary: the store conformance suite and the use cases, run against
//! a fresh SQLite database per test, and the crash test of a real `caredesk serve` process.

mod api_community;
mod api_errors;
mod api_group_commit;
mod api_lifecycle;
mod api_lifecycle_webhooks;
mod api_metrics;
mod api_openapi;
mod api_overview;
mod api_permissions;
mod api_salesforce;
mod api_stream;
mod api_support;
mod api_webhooks;
mod app_case_actions;
mod app_demo;
mod app_directory;
mod app_escalation;
mod app_ingest;
mod app_lifecycle;
mod app_outbox;
mod app_replies;
mod app_sending;
mod app_sessions;
mod browser;
mod conformance;
mod crash_recovery;
mod demo_networks;
mod pg;
mod postgres_nodes;
mod statement_counts;
mod support;
mod web_care;
mod web_community;
mod web_pages;
mod web_salesforce;
