use std::time::Duration;

use caredesk_app::outbound::SendOutcome;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::*;

const NOW: u64 = 1_717_000_000;

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(
            HeaderName::from_bytes(name.as_bytes()).expect("name"),
            HeaderValue::from_str(value).expect("value"),
        );
    }
    map
}

fn graph_error(status: u16, code: i64, subcode: Option<i64>, message: &str) -> (u16, String) {
    let mut error = serde_json::json!({"message": message, "type": "OAuthException", "code": code,
        "fbtrace_id": "AbCdEf123"});
    if let Some(sub) = subcode {
        error["error_subcode"] = sub.into();
    }
    (status, serde_json::json!({ "error": error }).to_string())
}

fn sent(id: &str) -> SendOutcome {
    SendOutcome::Sent {
        network_id: id.into(),
    }
}

fn transient(reason: &str, secs: Option<u64>) -> SendOutcome {
    SendOutcome::Transient {
        reason: reason.into(),
        retry_after: secs.map(Duration::from_secs),
    }
}

fn permanent(reason: &str) -> SendOutcome {
    SendOutcome::Permanent {
        reason: reason.into(),
    }
}

fn token(reason: &str) -> SendOutcome {
    SendOutcome::TokenRejected {
        reason: reason.into(),
    }
}

fn in_doubt(reason: &str) -> SendOutcome {
    SendOutcome::InDoubt {
        reason: reason.into(),
    }
}

#[test]
fn successes_name_the_posted_message_or_leave_it_in_doubt() {
    let none = HeaderMap::new();
    let table: [(Api, u16, &str, IdAt, SendOutcome); 9] = [
        (
            Api::Graph,
            200,
            r#"{"id":"444_900777"}"#,
            IdAt::Id,
            sent("444_900777"),
        ),
        (
            Api::Graph,
            200,
            r#"{"recipient_id":"26","message_id":"m_AbC"}"#,
            IdAt::MessageId,
            sent("m_AbC"),
        ),
        (
            Api::X,
            201,
            r#"{"data":{"id":"1797000000000000777","text":"Sorry"}}"#,
            IdAt::DataId,
            sent("1797000000000000777"),
        ),
        (
            Api::X,
            201,
            r#"{"data":{"dm_conversation_id":"15-16","dm_event_id":"1797888"}}"#,
            IdAt::DataDmEventId,
            sent("1797888"),
        ),
        (
            Api::Graph,
            200,
            r#"{"id":18000000000000222}"#,
            IdAt::Id,
            sent("18000000000000222"),
        ),
        (
            Api::Graph,
            200,
            r#"{"recipient_id":"26"}"#,
            IdAt::MessageId,
            in_doubt(r#"HTTP 200 without the posted message's id: {"recipient_id":"26"}"#),
        ),
        (
            Api::Graph,
            200,
            r#"{"id":""}"#,
            IdAt::Id,
            in_doubt(r#"HTTP 200 without the posted message's id: {"id":""}"#),
        ),
        (
            Api::X,
            201,
            "<html>",
            IdAt::DataId,
            in_doubt("HTTP 201 without the posted message's id: <html>"),
        ),
        (
            Api::X,
            200,
            "",
            IdAt::DataId,
            in_doubt("HTTP 200 without the posted message's id: (empty body)"),
        ),
    ];
    for (api, status, body, id_at, expected) in table {
        let answer = Answer {
            api,
            status,
            headers: &none,
            body: body.as_bytes(),
        };
        assert_eq!(classify(&answer, id_at, NOW), expected, "{status} {body}");
    }
}

#[test]
fn graph_errors_are_sorted_by_code() {
    let none = HeaderMap::new();
    let table = [
        (
            graph_error(500, 1, None, "An unknown error occurred"),
            transient("An unknown error occurred [code 1]", None),
        ),
        (
            graph_error(503, 2, None, "Service temporarily unavailable"),
            transient("Service temporarily unavailable [code 2]", None),
        ),
        (
            graph_error(400, 4, None, "(#4) Application request limit reached"),
            transient("(#4) Application request limit reached [code 4]", None),
        ),
        (
            graph_error(400, 17, None, "(#17) User request limit reached"),
            transient("(#17) User request limit reached [code 17]", None),
        ),
        (
            graph_error(400, 32, None, "(#32) Page request limit reached"),
            transient("(#32) Page request limit reached [code 32]", None),
        ),
        (
            graph_error(400, 341, None, "(#341) Application limit reached"),
            transient("(#341) Application limit reached [code 341]", None),
        ),
        (
            graph_error(400, 368, Some(1390008), "Temporarily blocked"),
            transient("Temporarily blocked [code 368/1390008]", None),
        ),
        (
            graph_error(
                400,
                613,
                None,
                "(#613) Calls to this api have exceeded the rate limit.",
            ),
            transient(
                "(#613) Calls to this api have exceeded the rate limit. [code 613]",
                None,
            ),
        ),
        (
            graph_error(
                400,
                80001,
                None,
                "There have been too many calls to this Page account",
            ),
            transient(
                "There have been too many calls to this Page account [code 80001]",
                None,
            ),
        ),
        (
            graph_error(
                400,
                190,
                Some(463),
                "Error validating access token: Session has expired",
            ),
            token("Error validating access token: Session has expired [code 190/463]"),
        ),
        (
            graph_error(401, 190, None, "Invalid OAuth access token"),
            token("Invalid OAuth access token [code 190]"),
        ),
        (
            graph_error(400, 100, None, "(#100) Invalid parameter"),
            permanent("(#100) Invalid parameter [code 100]"),
        ),
        (
            graph_error(403, 10, None, "(#10) Permission denied"),
            permanent("(#10) Permission denied [code 10]"),
        ),
        (
            graph_error(
                400,
                10,
                Some(2018278),
                "This message is sent outside of allowed window",
            ),
            permanent("This message is sent outside of allowed window [code 10/2018278]"),
        ),
        (
            graph_error(403, 200, None, "(#200) Requires pages_messaging permission"),
            permanent("(#200) Requires pages_messaging permission [code 200]"),
        ),
        (
            graph_error(
                403,
                230,
                None,
                "(#230) Requires pages_messaging_subscriptions",
            ),
            permanent("(#230) Requires pages_messaging_subscriptions [code 230]"),
        ),
        (
            graph_error(400, 551, None, "This person isn't available right now."),
            permanent("This person isn't available right now. [code 551]"),
        ),
        (
            graph_error(400, 10900, None, "Activity already replied to"),
            permanent("Activity already replied to [code 10900]"),
        ),
        (
            graph_error(500, 100, None, "(#100) Invalid parameter"),
            transient("(#100) Invalid parameter [code 100]", None),
        ),
        (
            graph_error(429, 100, None, "Slow down"),
            transient("Slow down [code 100]", None),
        ),
    ];
    for ((status, body), expected) in table {
        let answer = Answer {
            api: Api::Graph,
            status,
            headers: &none,
            body: body.as_bytes(),
        };
        assert_eq!(classify(&answer, IdAt::Id, NOW), expected, "{body}");
    }
}

#[test]
fn x_problems_are_sorted_by_status() {
    let none = HeaderMap::new();
    let limited = headers(&[
        ("x-rate-limit-limit", "100"),
        ("x-rate-limit-remaining", "0"),
        ("x-rate-limit-reset", "1717000900"),
    ]);
    let table: [(u16, &HeaderMap, &str, SendOutcome); 8] = [
        (
            401,
            &none,
            r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#,
            token("Unauthorized: Unauthorized [HTTP 401]"),
        ),
        (401, &none, "", token("HTTP 401: (empty body)")),
        (
            429,
            &limited,
            r#"{"title":"Too Many Requests","type":"about:blank","status":429,"detail":"Too Many Requests"}"#,
            transient("Too Many Requests: Too Many Requests [HTTP 429]", Some(900)),
        ),
        (
            403,
            &none,
            r#"{"title":"Forbidden","type":"about:blank","status":403,"detail":"You are not allowed to create a Tweet with duplicate content."}"#,
            permanent("Forbidden: You are not allowed to create a Tweet with duplicate content. [HTTP 403]"),
        ),
        (
            400,
            &none,
            r#"{"errors":[{"message":"text is required"}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid."}"#,
            permanent("Invalid Request: One or more parameters to your request was invalid. [HTTP 400]"),
        ),
        (
            403,
            &none,
            r#"{"errors":[{"message":"You cannot send messages to this user.","code":349}]}"#,
            permanent("You cannot send messages to this user. [HTTP 403]"),
        ),
        (
            503,
            &none,
            r#"{"title":"Service Unavailable","detail":"Service Unavailable","status":503}"#,
            transient("Service Unavailable: Service Unavailable [HTTP 503]", None),
        ),
        (
            429,
            &headers(&[("x-rate-limit-reset", "1716999000")]),
            "",
            transient("HTTP 429: (empty body)", Some(0)),
        ),
    ];
    for (status, headers, body, expected) in table {
        let answer = Answer {
            api: Api::X,
            status,
            headers,
            body: body.as_bytes(),
        };
        assert_eq!(classify(&answer, IdAt::DataId, NOW), expected, "{body}");
    }
}

#[test]
fn unknown_bodies_are_permanent_below_500_and_transient_above() {
    let retry = headers(&[("retry-after", "30")]);
    let none = HeaderMap::new();
    let long = "x".repeat(500);
    let table: [(Api, u16, &HeaderMap, &str, SendOutcome); 7] = [
        (
            Api::Graph,
            502,
            &none,
            "<html>Bad Gateway</html>",
            transient("HTTP 502: <html>Bad Gateway</html>", None),
        ),
        (
            Api::Graph,
            503,
            &retry,
            "",
            transient("HTTP 503: (empty body)", Some(30)),
        ),
        (
            Api::Graph,
            429,
            &retry,
            "slow down",
            transient("HTTP 429: slow down", Some(30)),
        ),
        (
            Api::X,
            500,
            &none,
            "oops",
            transient("HTTP 500: oops", None),
        ),
        (
            Api::Graph,
            404,
            &none,
            "Not Found",
            permanent("HTTP 404: Not Found"),
        ),
        (
            Api::Graph,
            401,
            &none,
            "",
            permanent("HTTP 401: (empty body)"),
        ),
        (
            Api::X,
            400,
            &none,
            &long,
            permanent(&format!("HTTP 400: {}…", "x".repeat(200))),
        ),
    ];
    for (api, status, headers, body, expected) in table {
        let answer = Answer {
            api,
            status,
            headers,
            body: body.as_bytes(),
        };
        assert_eq!(
            classify(&answer, IdAt::Id, NOW),
            expected,
            "{status} {body}"
        );
    }
}

#[test]
fn retry_after_wins_over_the_rate_limit_reset() {
    let both = headers(&[("retry-after", "5"), ("x-rate-limit-reset", "1717000900")]);
    let answer = Answer {
        api: Api::X,
        status: 429,
        headers: &both,
        body: b"",
    };
    assert_eq!(
        classify(&answer, IdAt::DataId, NOW),
        transient("HTTP 429: (empty body)", Some(5))
    );
}
