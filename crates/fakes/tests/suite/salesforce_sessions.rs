//! The Salesforce client against the fake's token endpoint and around the data calls: both
//! grants, refused credentials, expired sessions, outages, injected faults, and the API usage
//! read from `Sforce-Limit-Info`.

use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use caredesk_app::salesforce::{
    ApiProblem, ApiUsage, SalesforceApi, SalesforceError, SearchObject,
};
use caredesk_fakes::{FakeSalesforceConfig, Fault, Outage};

use crate::support::*;

fn grant(error: &str, description: &str) -> SalesforceError {
    SalesforceError::Grant {
        error: error.into(),
        description: description.into(),
    }
}

fn is_unavailable(result: &Result<impl std::fmt::Debug, SalesforceError>) -> bool {
    matches!(result, Err(SalesforceError::Unavailable { .. }))
}

#[tokio::test]
async fn the_client_credentials_grant_opens_a_session_on_the_instance() {
    let fake = salesforce().await;
    let client = sf_client();
    let session = client
        .token(&fake.client_credentials())
        .await
        .expect("session");
    assert_eq!(session.instance_url, fake.instance_url());
    assert!(!session.access_token.is_empty());
    assert_eq!(fake.token_calls(), 1);
    let found = client
        .search(&session, SearchObject::Account, "anything", None)
        .await
        .expect("search");
    assert!(found.items.is_empty());
}

#[tokio::test]
async fn the_refresh_token_grant_opens_a_session_until_the_token_is_revoked() {
    let fake = salesforce().await;
    let client = sf_client();
    let session = client
        .token(&fake.refresh_credentials())
        .await
        .expect("session");
    assert_eq!(session.instance_url, fake.instance_url());
    let mut wrong = fake.refresh_credentials();
    wrong.refresh_token = Some("5Aep861SomeoneElses".into());
    assert_eq!(
        client.token(&wrong).await,
        Err(grant("invalid_grant", "expired access/refresh token"))
    );
    fake.revoke_refresh_token();
    assert_eq!(
        client.token(&fake.refresh_credentials()).await,
        Err(grant("invalid_grant", "expired access/refresh token"))
    );
    // The client-credentials grant does not hang on the refresh token.
    assert!(client.token(&fake.client_credentials()).await.is_ok());
    assert_eq!(fake.token_calls(), 4);
}

#[tokio::test]
async fn wrong_client_credentials_are_refused_grants_that_never_show_the_secret() {
    let fake = salesforce().await;
    let client = sf_client();
    let mut bad_secret = fake.client_credentials();
    bad_secret.client_secret = "NotTheSecret0001".into();
    assert_eq!(
        client.token(&bad_secret).await,
        Err(grant("invalid_client", "invalid client credentials"))
    );
    let mut bad_id = fake.refresh_credentials();
    bad_id.client_id = "3MVG9Unknown".into();
    let refused = client.token(&bad_id).await.expect_err("refused");
    assert_eq!(
        refused,
        grant("invalid_client_id", "client identifier invalid")
    );
    assert!(!refused.to_string().contains(&bad_id.client_secret));
    let mut no_login = fake.client_credentials();
    no_login.login_url = "login.salesforce.com".into();
    assert!(matches!(
        client.token(&no_login).await,
        Err(SalesforceError::Refused { status: 400, .. })
    ));
    assert_eq!(fake.token_calls(), 2);
}

#[tokio::test]
async fn expired_sessions_are_reported_and_a_new_token_works_again() {
    let fake = salesforce().await;
    let account = fake.add_account("Acme Ltd");
    let client = sf_client();
    let session = sf_session(&fake, &client).await;
    let case_id = client
        .create_case(
            &session,
            &caredesk_app::salesforce::NewSalesforceCase {
                subject: "Lost parcel".into(),
                ..Default::default()
            },
        )
        .await
        .expect("created");
    fake.expire_tokens();
    let search = client
        .search(&session, SearchObject::Account, "Acme", None)
        .await;
    assert_eq!(search, Err(SalesforceError::SessionInvalid));
    let name = client
        .record_name(&session, SearchObject::Account, &account)
        .await;
    assert_eq!(name, Err(SalesforceError::SessionInvalid));
    let update = client
        .update_case(&session, &case_id, "Working", "High")
        .await;
    assert_eq!(update, Err(SalesforceError::SessionInvalid));
    let cases = client.cases(&session, std::slice::from_ref(&case_id)).await;
    assert_eq!(cases, Err(SalesforceError::SessionInvalid));
    let renewed = sf_session(&fake, &client).await;
    assert_ne!(renewed.access_token, session.access_token);
    let name = client
        .record_name(&renewed, SearchObject::Account, &account)
        .await;
    assert_eq!(name, Ok(Some("Acme Ltd".into())));
    assert_eq!(fake.token_calls(), 2);
}

#[tokio::test]
async fn an_outage_makes_every_call_unavailable_until_it_ends() {
    let fake = salesforce().await;
    let client = sf_client();
    let session = sf_session(&fake, &client).await;
    for outage in [Outage::ServiceUnavailable, Outage::DropConnections] {
        fake.set_outage(Some(outage));
        assert!(
            is_unavailable(&client.token(&fake.client_credentials()).await),
            "{outage:?}"
        );
        let search = client
            .search(&session, SearchObject::Contact, "Jane", None)
            .await;
        assert!(is_unavailable(&search), "{outage:?}: {search:?}");
    }
    fake.set_outage(None);
    assert!(client.token(&fake.client_credentials()).await.is_ok());
    let stopped = salesforce().await;
    let gone = stopped.client_credentials();
    stopped.stop().await;
    assert!(is_unavailable(&client.token(&gone).await));
}

#[tokio::test]
async fn injected_faults_surface_as_salesforce_means_them() {
    let fake = salesforce().await;
    let client = sf_client_with_timeout(Duration::from_millis(500));
    let session = sf_session(&fake, &client).await;
    let search = |c: &'static str| {
        let (client, session) = (client.clone(), session.clone());
        async move {
            client
                .search(&session, SearchObject::Account, c, None)
                .await
        }
    };
    fake.inject(Fault::ErrorArray {
        status: 400,
        error_code: "FIELD_CUSTOM_VALIDATION_EXCEPTION".into(),
        message: "Cases from social need a contact".into(),
        fields: vec!["ContactId".into()],
    });
    assert_eq!(
        search("a").await,
        Err(SalesforceError::Refused {
            status: 400,
            problems: vec![ApiProblem {
                message: "Cases from social need a contact".into(),
                error_code: "FIELD_CUSTOM_VALIDATION_EXCEPTION".into(),
                fields: vec!["ContactId".into()],
            }],
        })
    );
    fake.inject(Fault::RateLimited {
        retry_after_secs: 90,
    });
    match search("b").await {
        Err(SalesforceError::Unavailable {
            detail,
            retry_after_secs,
        }) => {
            assert_eq!(retry_after_secs, Some(90));
            assert!(detail.contains("REQUEST_LIMIT_EXCEEDED"), "{detail}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    fake.inject(Fault::salesforce(
        403,
        "INSUFFICIENT_ACCESS_OR_READONLY",
        "insufficient access rights on object id",
    ));
    assert!(matches!(
        search("c").await,
        Err(SalesforceError::Refused { status: 403, .. })
    ));
    fake.inject(Fault::Status(502));
    fake.inject(Fault::DropBeforePosting);
    fake.inject(Fault::Delay(Duration::from_secs(3)));
    for n in ["d", "e", "f"] {
        let result = search(n).await;
        assert!(is_unavailable(&result), "{n}: {result:?}");
    }
    assert!(search("g").await.is_ok());
}

#[tokio::test]
async fn the_usage_salesforce_reports_is_kept_from_the_last_answer() {
    let fake = salesforce().await;
    let client = sf_client();
    assert_eq!(client.usage(), None);
    let session = sf_session(&fake, &client).await;
    // The token endpoint reports no usage.
    assert_eq!(client.usage(), None);
    for name in ["a", "b", "c"] {
        client
            .search(&session, SearchObject::Account, name, None)
            .await
            .expect("search");
    }
    assert_eq!(fake.api_calls(), 3);
    assert_eq!(
        client.usage(),
        Some(ApiUsage {
            used: 3,
            limit: 15_000
        })
    );
    fake.expire_tokens();
    let _ = client
        .search(&session, SearchObject::Account, "d", None)
        .await;
    assert_eq!(client.usage().map(|u| u.used), Some(4));
}

#[tokio::test]
async fn the_token_endpoint_also_takes_http_basic_and_jwt_bearer() {
    let fake = salesforce().await;
    let config = FakeSalesforceConfig::default();
    let http = reqwest::Client::new();
    let url = format!("{}/services/oauth2/token", fake.login_url());
    let basic = STANDARD.encode(format!("{}:{}", config.client_id, config.client_secret));
    let answer = http
        .post(&url)
        .header("authorization", format!("Basic {basic}"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("basic");
    assert_eq!(answer.status().as_u16(), 200);
    let body: serde_json::Value = answer.json().await.expect("json");
    for field in [
        "access_token",
        "instance_url",
        "id",
        "token_type",
        "issued_at",
        "signature",
        "scope",
    ] {
        assert!(body[field].is_string(), "{field} in {body}");
    }
    assert_eq!(body["instance_url"], fake.instance_url().as_str());
    let jwt = |iss: &str, exp_from_now: i64| {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#);
        let claims = serde_json::json!({"iss": iss, "sub": "integration@acme.example",
            "aud": "https://login.salesforce.com", "exp": now + exp_from_now});
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        format!("{header}.{claims}.c2lnbmF0dXJl")
    };
    let bearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    let table = [
        (jwt(&config.client_id, 180), 200, None),
        (jwt("3MVG9Someone", 180), 400, Some("invalid_grant")),
        (jwt(&config.client_id, -60), 400, Some("invalid_grant")),
        ("not-a-jwt".to_owned(), 400, Some("invalid_grant")),
    ];
    for (assertion, status, error) in table {
        let answer = http
            .post(&url)
            .form(&[("grant_type", bearer), ("assertion", &assertion)])
            .send()
            .await
            .expect("jwt");
        assert_eq!(answer.status().as_u16(), status, "{assertion}");
        let body: serde_json::Value = answer.json().await.expect("json");
        assert_eq!(body["error"].as_str(), error, "{body}");
    }
    assert_eq!(fake.token_calls(), 5);
}
