//! The OpenAPI document and the router agree: every documented operation is served, and every
//! API route the router serves is documented (the API routes are registered only through the
//! annotations that also write the document).

use axum::http::{Method, StatusCode};

use crate::api_permissions::documented_routes;
use crate::api_support::{call, router};
use crate::support::World;

#[tokio::test]
async fn the_document_is_public_and_every_documented_route_is_served() {
    let w = World::new().await;
    let api = router(&w);
    let doc = call(&api, Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(
        doc.json["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc.json["openapi"]
    );
    for route in documented_routes() {
        let (method, path) = route.split_once(' ').expect("METHOD /path");
        let path = path.replace("{id}", "1").replace("{n}", "1");
        let method: Method = method.parse().expect("method");
        let answer = call(&api, method, &path, None, None).await;
        assert_ne!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{route} is documented but not served"
        );
        assert_ne!(
            answer.json["error"]["message"], "no such route",
            "{route} is documented but not served"
        );
    }
    let unknown = call(&api, Method::GET, "/api/v1/not-a-route", None, None).await;
    assert_eq!(unknown.json["error"]["message"], "no such route");
}

#[test]
fn the_documented_api_is_the_one_served() {
    let expected = [
        "POST /api/v1/auth/login",
        "POST /api/v1/auth/logout",
        "GET /api/v1/me",
        "PATCH /api/v1/me",
        "GET /api/v1/users",
        "GET /api/v1/cases",
        "GET /api/v1/cases/counts",
        "GET /api/v1/cases/{id}",
        "PATCH /api/v1/cases/{id}",
        "DELETE /api/v1/cases/{id}",
        "GET /api/v1/cases/by-number/{n}",
        "GET /api/v1/cases/{id}/messages",
        "GET /api/v1/cases/{id}/events",
        "POST /api/v1/cases/{id}/assign",
        "POST /api/v1/cases/{id}/status",
        "POST /api/v1/cases/{id}/reopen",
        "POST /api/v1/cases/{id}/notes",
        "POST /api/v1/cases/{id}/replies",
        "PATCH /api/v1/community/items/{id}",
        "POST /api/v1/community/items/{id}/escalate",
        "POST /api/v1/users",
        "PATCH /api/v1/users/{id}",
        "GET /api/v1/settings",
        "PATCH /api/v1/settings",
        "GET /api/v1/case-fields",
        "POST /api/v1/case-fields",
        "PATCH /api/v1/case-fields/{id}",
        "GET /api/v1/network-apps",
        "POST /api/v1/network-apps",
        "PATCH /api/v1/network-apps/{id}",
        "GET /api/v1/profiles",
        "POST /api/v1/profiles",
        "PATCH /api/v1/profiles/{id}",
        "GET /api/v1/audit",
        "GET /api/v1/customers/{id}",
        "PATCH /api/v1/customers/{id}",
        "GET /api/v1/customers/{id}/cases",
        "GET /api/v1/customers/{id}/conversations",
        "GET /api/v1/community/items",
        "GET /api/v1/community/items/{id}/messages",
        "POST /api/v1/community/items/{id}/replies",
        "POST /api/v1/messages/{id}/retry",
        "POST /api/v1/messages/{id}/cancel",
        "GET /api/v1/media/{id}",
        "GET /api/v1/overview",
        "DELETE /api/v1/network-apps/{id}",
        "DELETE /api/v1/profiles/{id}",
        "DELETE /api/v1/case-fields/{id}",
        "GET /api/v1/stream",
        "GET /webhooks/meta",
        "POST /webhooks/meta",
        "GET /webhooks/x",
        "POST /webhooks/x",
        "GET /api/v1/integrations/salesforce",
        "PUT /api/v1/integrations/salesforce",
        "DELETE /api/v1/integrations/salesforce",
        "GET /api/v1/salesforce/accounts",
        "GET /api/v1/salesforce/contacts",
        "POST /api/v1/cases/{id}/salesforce/link",
        "POST /api/v1/cases/{id}/salesforce/case",
        "POST /api/v1/media",
        "GET /api/v1/search",
        "POST /api/v1/cases/bulk",
        "POST /api/v1/cases/{id}/presence",
        "GET /api/v1/cases/{id}/presence",
        "GET /api/v1/saved-replies",
        "POST /api/v1/saved-replies",
        "PATCH /api/v1/saved-replies/{id}",
        "DELETE /api/v1/saved-replies/{id}",
        "POST /api/v1/cases/{id}/saved-replies/{reply_id}/render",
        "PUT /api/v1/me/presence",
        "GET /api/v1/schedules",
        "POST /api/v1/schedules",
        "PATCH /api/v1/schedules/{id}",
        "DELETE /api/v1/schedules/{id}",
        "GET /api/v1/sla-policies",
        "POST /api/v1/sla-policies",
        "PATCH /api/v1/sla-policies/{id}",
        "DELETE /api/v1/sla-policies/{id}",
        "GET /api/v1/reports/summary",
        "GET /api/v1/reports/cases.csv",
        "GET /api/v1/notifications",
        "GET /api/v1/notifications/unread-count",
        "POST /api/v1/notifications/read",
    ];
    let documented = documented_routes();
    let expected: std::collections::BTreeSet<String> =
        expected.iter().map(|s| s.to_string()).collect();
    assert_eq!(documented, expected);
}

#[tokio::test]
async fn every_response_is_described_named_and_says_how_to_authenticate() {
    let w = World::new().await;
    let api = router(&w);
    let doc = call(&api, Method::GET, "/api/openapi.json", None, None)
        .await
        .json;
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session_cookie"]["in"], "cookie");
    assert_eq!(schemes["csrf_token"]["in"], "header");
    let paths = doc["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            operations += 1;
            let responses = operation["responses"].as_object().expect("responses");
            for (status, response) in responses {
                let described = response["description"].as_str().unwrap_or("");
                assert!(
                    !described.is_empty(),
                    "{method} {path} {status} has no description"
                );
                let schema = &response["content"]["application/json"]["schema"];
                let named = schema.is_null()
                    || schema["$ref"].is_string()
                    || schema["items"]["$ref"].is_string();
                assert!(
                    named,
                    "{method} {path} {status}: a JSON answer is a named schema, not {schema}"
                );
            }
            let security = operation["security"].as_array().expect("security");
            let public = path == "/api/v1/auth/login" || path.starts_with("/webhooks/");
            if public {
                assert!(security.is_empty(), "{method} {path} is public");
            } else {
                assert!(
                    security.contains(&serde_json::json!({"bearer": []})),
                    "{method} {path} takes a bearer token"
                );
                let cookie = if method == "get" {
                    serde_json::json!({"session_cookie": []})
                } else {
                    serde_json::json!({"session_cookie": [], "csrf_token": []})
                };
                assert!(security.contains(&cookie), "{method} {path}: {security:?}");
            }
        }
    }
    assert!(operations > 80, "{operations} operations");
}
