use caredesk_app::salesforce::{
    ApiProblem, ApiUsage, CaseState, Found, FoundPage, SalesforceError, Session,
};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::*;

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).expect("name"),
            HeaderValue::from_str(value).expect("value"),
        );
    }
    map
}

fn answer<'a>(status: u16, headers: &'a HeaderMap, body: &'a str) -> Answer<'a> {
    Answer {
        status,
        headers,
        body: body.as_bytes(),
    }
}

fn problem(message: &str, code: &str, fields: &[&str]) -> ApiProblem {
    ApiProblem {
        message: message.into(),
        error_code: code.into(),
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
    }
}

fn refused(status: u16, problems: Vec<ApiProblem>) -> Option<SalesforceError> {
    Some(SalesforceError::Refused { status, problems })
}

fn unavailable(detail: &str, retry_after_secs: Option<u64>) -> Option<SalesforceError> {
    Some(SalesforceError::Unavailable {
        detail: detail.into(),
        retry_after_secs,
    })
}

#[test]
fn data_answers_are_classified_by_status_and_error_code() {
    let none = HeaderMap::new();
    let later = headers(&[("Retry-After", "120")]);
    let table: Vec<(u16, &HeaderMap, &str, Option<SalesforceError>)> = vec![
        (
            200,
            &none,
            r#"{"totalSize":0,"done":true,"records":[]}"#,
            None,
        ),
        (
            201,
            &none,
            r#"{"id":"5005g00000QwErTAAV","success":true}"#,
            None,
        ),
        (204, &none, "", None),
        (
            401,
            &none,
            r#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#,
            Some(SalesforceError::SessionInvalid),
        ),
        (
            401,
            &none,
            "<html>nope</html>",
            Some(SalesforceError::SessionInvalid),
        ),
        (
            400,
            &none,
            r#"[{"message":"Required fields are missing: [Subject]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Subject"]}]"#,
            refused(
                400,
                vec![problem(
                    "Required fields are missing: [Subject]",
                    "REQUIRED_FIELD_MISSING",
                    &["Subject"],
                )],
            ),
        ),
        (
            400,
            &none,
            r#"[{"message":"No such column 'Foo' on sobject of type Case","errorCode":"INVALID_FIELD"}]"#,
            refused(
                400,
                vec![problem(
                    "No such column 'Foo' on sobject of type Case",
                    "INVALID_FIELD",
                    &[],
                )],
            ),
        ),
        (
            403,
            &none,
            r#"[{"message":"insufficient access rights on object id","errorCode":"INSUFFICIENT_ACCESS_OR_READONLY"}]"#,
            refused(
                403,
                vec![problem(
                    "insufficient access rights on object id",
                    "INSUFFICIENT_ACCESS_OR_READONLY",
                    &[],
                )],
            ),
        ),
        (
            403,
            &later,
            r#"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#,
            unavailable(
                "Salesforce answered HTTP 403: TotalRequests Limit exceeded. \
                 (REQUEST_LIMIT_EXCEEDED)",
                Some(120),
            ),
        ),
        (
            404,
            &none,
            r#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#,
            refused(
                404,
                vec![problem(
                    "The requested resource does not exist",
                    "NOT_FOUND",
                    &[],
                )],
            ),
        ),
        (
            300,
            &none,
            r#"["/services/data/v62.0/sobjects/Account/001A","/services/data/v62.0/sobjects/Account/001B"]"#,
            refused(
                300,
                vec![problem(
                    r#"["/services/data/v62.0/sobjects/Account/001A","/services/data/v62.0/sobjects/Account/001B"]"#,
                    "HTTP 300",
                    &[],
                )],
            ),
        ),
        (
            503,
            &later,
            "<html><body><h1>503 Service Unavailable</h1></body></html>",
            unavailable(
                "Salesforce answered HTTP 503: <html><body><h1>503 Service Unavailable</h1>\
                 </body></html> (HTTP 503)",
                Some(120),
            ),
        ),
        (
            500,
            &none,
            r#"[{"message":"An unexpected error occurred.","errorCode":"UNKNOWN_EXCEPTION"}]"#,
            unavailable(
                "Salesforce answered HTTP 500: An unexpected error occurred. (UNKNOWN_EXCEPTION)",
                None,
            ),
        ),
        (
            429,
            &none,
            "",
            unavailable(
                "Salesforce answered HTTP 429: (empty body) (HTTP 429)",
                None,
            ),
        ),
    ];
    for (status, headers, body, expected) in table {
        assert_eq!(
            failure(&answer(status, headers, body)),
            expected,
            "{status} {body}"
        );
    }
}

#[test]
fn error_arrays_are_read_leniently() {
    let none = HeaderMap::new();
    let two = r#"[{"message":"a","errorCode":"X","fields":["A","B"]},{"errorCode":"Y"},{"odd":1}]"#;
    assert_eq!(
        problems(&answer(400, &none, two)),
        [problem("a", "X", &["A", "B"]), problem("", "Y", &[])]
    );
    let one = r#"{"message":"Bad id","errorCode":"MALFORMED_ID"}"#;
    assert_eq!(
        problems(&answer(400, &none, one)),
        [problem("Bad id", "MALFORMED_ID", &[])]
    );
    let long = "x".repeat(500);
    let quoted = problems(&answer(502, &none, &long));
    assert_eq!(quoted.len(), 1);
    assert_eq!(quoted[0].error_code, "HTTP 502");
    assert_eq!(quoted[0].message.chars().count(), 201);
    assert!(quoted[0].message.ends_with('…'));
}

#[test]
fn token_answers_grant_a_session_or_say_why_not() {
    let none = HeaderMap::new();
    let later = headers(&[("retry-after", "30")]);
    let granted = r#"{"access_token":"00D5g000000AbCd!AQ0AQ","instance_url":"https://acme.my.salesforce.com/","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","issued_at":"1717411000000","signature":"bF4k3=","scope":"api"}"#;
    let grant = |error: &str, description: &str| {
        Err(SalesforceError::Grant {
            error: error.into(),
            description: description.into(),
        })
    };
    let lacking = Err(SalesforceError::Unavailable {
        detail: "Salesforce's token answer (HTTP 200) lacked an access token or an http(s) \
                 instance URL"
            .into(),
        retry_after_secs: None,
    });
    let table: Vec<(u16, &HeaderMap, &str, Result<Session, SalesforceError>)> = vec![
        (
            200,
            &none,
            granted,
            Ok(Session {
                access_token: "00D5g000000AbCd!AQ0AQ".into(),
                instance_url: "https://acme.my.salesforce.com".into(),
            }),
        ),
        (200, &none, r#"{"access_token":"t"}"#, lacking.clone()),
        (
            200,
            &none,
            r#"{"access_token":"t","instance_url":"javascript:alert(1)"}"#,
            lacking.clone(),
        ),
        (200, &none, "not json", lacking),
        (
            400,
            &none,
            r#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#,
            grant("invalid_grant", "expired access/refresh token"),
        ),
        (
            400,
            &none,
            r#"{"error":"invalid_client","error_description":"invalid client credentials"}"#,
            grant("invalid_client", "invalid client credentials"),
        ),
        (
            401,
            &none,
            r#"{"error":"invalid_client"}"#,
            grant("invalid_client", ""),
        ),
        (404, &none, "Not Found", grant("HTTP 404", "Not Found")),
        (
            503,
            &later,
            r#"{"error":"server_error"}"#,
            Err(SalesforceError::Unavailable {
                detail: "Salesforce answered HTTP 503".into(),
                retry_after_secs: Some(30),
            }),
        ),
        (
            403,
            &none,
            r#"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#,
            Err(SalesforceError::Unavailable {
                detail: "Salesforce answered HTTP 403: TotalRequests Limit exceeded. \
                         (REQUEST_LIMIT_EXCEEDED)"
                    .into(),
                retry_after_secs: None,
            }),
        ),
    ];
    for (status, headers, body, expected) in table {
        assert_eq!(
            token_session(&answer(status, headers, body)),
            expected,
            "{status} {body}"
        );
    }
}

#[test]
fn the_limit_header_is_parsed_leniently() {
    let used = |used, limit| Some(ApiUsage { used, limit });
    let table = [
        ("api-usage=18/5000", used(18, 5000)),
        (
            "api-usage=18/5000; per-app-api-usage=17/250(appName=sample)",
            used(18, 5000),
        ),
        (
            "per-app-api-usage=17/250(appName=sample); api-usage=25/15000",
            used(25, 15000),
        ),
        ("api-usage=1/750 ; api-bursts=1/750", used(1, 750)),
        ("API-Usage = 7 / 100", used(7, 100)),
        ("api-usage=7/100(sandbox)", used(7, 100)),
        ("api-usage=7", None),
        ("api-usage=x/100", None),
        ("per-app-api-usage=17/250", None),
        ("", None),
    ];
    for (value, expected) in table {
        assert_eq!(parse_limit_info(value), expected, "{value:?}");
    }
    let map = headers(&[("Sforce-Limit-Info", "api-usage=3/15000")]);
    assert_eq!(
        usage(&map),
        Some(ApiUsage {
            used: 3,
            limit: 15000
        })
    );
    assert_eq!(usage(&HeaderMap::new()), None);
}

#[test]
fn success_bodies_yield_records() {
    let none = HeaderMap::new();
    let first = r#"{"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v62.0/query/01gX-2","records":[{"attributes":{"type":"Account"},"Id":"001A","Name":"Acme"},{"Id":"001B","Name":null}]}"#;
    assert_eq!(
        found_page(&answer(200, &none, first)),
        Some(FoundPage {
            items: vec![
                Found {
                    id: "001A".into(),
                    name: "Acme".into()
                },
                Found {
                    id: "001B".into(),
                    name: String::new()
                },
            ],
            next: Some("/services/data/v62.0/query/01gX-2".into()),
        })
    );
    let last = r#"{"totalSize":1,"done":true,"nextRecordsUrl":"/x","records":[]}"#;
    assert_eq!(
        found_page(&answer(200, &none, last)),
        Some(FoundPage {
            items: vec![],
            next: None
        })
    );
    assert_eq!(found_page(&answer(200, &none, r#"{"records":[{}]}"#)), None);
    let cases = r#"{"totalSize":1,"done":true,"records":[{"Id":"500A","CaseNumber":"00001001","Status":"Escalated"},{"Id":"500B","Status":"New"}]}"#;
    assert_eq!(
        case_states(&answer(200, &none, cases)),
        Some(vec![
            CaseState {
                id: "500A".into(),
                number: Some("00001001".into()),
                status: "Escalated".into()
            },
            CaseState {
                id: "500B".into(),
                number: None,
                status: "New".into()
            },
        ])
    );
    let created = r#"{"id":"5005g00000QwErTAAV","success":true,"errors":[]}"#;
    assert_eq!(
        text_field(&answer(201, &none, created), "id").as_deref(),
        Some("5005g00000QwErTAAV")
    );
    assert_eq!(text_field(&answer(201, &none, "{}"), "id"), None);
}
