//! The sender's outcomes against injected faults: what to retry, what to give up, whose token
//! to renew, and which sends are in doubt because the network may have posted them.

use std::time::Duration;

use caredesk_app::outbound::{OutgoingReply, ReplySender, SendOutcome};
use caredesk_domain::reply::Channel;
use caredesk_fakes::{Fault, SendKind};

use crate::support::*;

fn messenger(text: &str) -> OutgoingReply {
    reply(
        Channel::MessengerMessage {
            human_agent_tag: false,
        },
        Some("2600000000000001"),
        text,
    )
}

fn x_direct(text: &str) -> OutgoingReply {
    reply(Channel::XDirect, Some("1600000000000000009"), text)
}

/// The outcome's kind and words, for assertions.
fn kind(outcome: &SendOutcome) -> &'static str {
    match outcome {
        SendOutcome::Sent { .. } => "sent",
        SendOutcome::Transient { .. } => "transient",
        SendOutcome::Permanent { .. } => "permanent",
        SendOutcome::TokenRejected { .. } => "token_rejected",
        SendOutcome::InDoubt { .. } => "in_doubt",
    }
}

fn reason(outcome: &SendOutcome) -> &str {
    match outcome {
        SendOutcome::Sent { network_id } => network_id,
        SendOutcome::Transient { reason, .. }
        | SendOutcome::Permanent { reason }
        | SendOutcome::TokenRejected { reason }
        | SendOutcome::InDoubt { reason } => reason,
    }
}

#[tokio::test]
async fn server_errors_and_rate_limits_are_transient_and_consumed_one_per_request() {
    let meta = meta().await;
    let x = x().await;
    let sender = sender(&meta.graph_url(), &x.api_url());
    let graph_limits = [
        (4, "(#4) Application request limit reached"),
        (17, "(#17) User request limit reached"),
        (32, "(#32) Page request limit reached"),
    ];
    meta.inject(Fault::Status(503));
    meta.inject(Fault::RateLimited {
        retry_after_secs: 30,
    });
    for (code, words) in graph_limits {
        meta.inject(Fault::graph(400, code, words));
    }
    let mut seen = Vec::new();
    for _ in 0..5 {
        match sender.send(&messenger("retry me")).await {
            SendOutcome::Transient { reason, .. } => seen.push(reason),
            other => panic!("expected Transient, got {other:?}"),
        }
    }
    assert!(seen[0].starts_with("HTTP 503"), "{}", seen[0]);
    assert_eq!(
        seen[1],
        "(#613) Calls to this api have exceeded the rate limit. [code 613]"
    );
    for (seen, (code, words)) in seen[2..].iter().zip(graph_limits) {
        assert_eq!(*seen, format!("{words} [code {code}]"));
    }
    assert!(matches!(
        sender.send(&messenger("retry me")).await,
        SendOutcome::Sent { .. }
    ));
    assert_eq!(meta.sent_count("retry me"), 1, "refused calls post nothing");

    x.inject(Fault::Status(502));
    x.inject(Fault::RateLimited {
        retry_after_secs: 60,
    });
    assert!(matches!(
        sender.send(&x_direct("later")).await,
        SendOutcome::Transient {
            retry_after: None,
            ..
        }
    ));
    match sender.send(&x_direct("later")).await {
        SendOutcome::Transient {
            reason,
            retry_after: Some(wait),
        } => {
            assert_eq!(reason, "Too Many Requests: Too Many Requests [HTTP 429]");
            assert!(
                (Duration::from_secs(58)..=Duration::from_secs(60)).contains(&wait),
                "{wait:?}"
            );
        }
        other => panic!("expected a rate limit, got {other:?}"),
    }
    assert!(x.sent().is_empty());
}

#[tokio::test]
async fn refused_tokens_are_reported_as_such() {
    let meta = meta().await;
    let x = x().await;
    let sender = sender(&meta.graph_url(), &x.api_url());

    let mut forged = messenger("hello");
    forged.access_token = "not-a-token".into();
    assert_eq!(
        sender.send(&forged).await,
        SendOutcome::TokenRejected {
            reason: "Invalid OAuth access token - Cannot parse access token [code 190]".into()
        }
    );
    meta.revoke_token(PAGE_TOKEN);
    let revoked = sender.send(&messenger("hello")).await;
    assert!(
        kind(&revoked) == "token_rejected" && reason(&revoked).ends_with("[code 190/460]"),
        "{revoked:?}"
    );
    meta.restore_token(PAGE_TOKEN);
    assert!(matches!(
        sender.send(&messenger("hello")).await,
        SendOutcome::Sent { .. }
    ));

    x.revoke_token(X_TOKEN);
    assert_eq!(
        sender.send(&x_direct("hello")).await,
        SendOutcome::TokenRejected {
            reason: "Unauthorized: Unauthorized [HTTP 401]".into()
        }
    );
    let mut forged = x_direct("hello");
    forged.access_token = "nope".into();
    assert!(matches!(
        sender.send(&forged).await,
        SendOutcome::TokenRejected { .. }
    ));
    assert!(!reason(&revoked).contains(PAGE_TOKEN));
}

#[tokio::test]
async fn refusals_for_good_carry_the_networks_words() {
    let meta = meta().await;
    let x = x().await;
    let sender = sender(&meta.graph_url(), &x.api_url());
    meta.inject(Fault::graph(400, 100, "(#100) Invalid parameter"));
    meta.inject(Fault::GraphError {
        http_status: 400,
        code: 10,
        subcode: Some(2_018_278),
        message: "(#10) This message is sent outside of allowed window.".into(),
    });
    x.inject(Fault::Problem {
        status: 403,
        title: "Forbidden".into(),
        detail: "You are not allowed to create a Tweet with duplicate content.".into(),
    });
    let expected = [
        "(#100) Invalid parameter [code 100]",
        "(#10) This message is sent outside of allowed window. [code 10/2018278]",
    ];
    for words in expected {
        assert_eq!(
            sender.send(&messenger("no")).await,
            SendOutcome::Permanent {
                reason: words.into()
            }
        );
    }
    assert_eq!(
        sender.send(&x_direct("no")).await,
        SendOutcome::Permanent {
            reason: "Forbidden: You are not allowed to create a Tweet with duplicate content. \
                     [HTTP 403]"
                .into()
        }
    );
    let unknown_comment = reply(
        Channel::PrivateReply {
            comment_network_id: "444555_1".into(),
        },
        None,
        "psst",
    );
    let outcome = sender.send(&unknown_comment).await;
    assert!(
        kind(&outcome) == "permanent"
            && reason(&outcome).starts_with("(#100) ")
            && reason(&outcome).ends_with("[code 100]"),
        "{outcome:?}"
    );
    assert!(meta.sent().is_empty() && x.sent().is_empty());
}

#[tokio::test]
async fn a_connection_dropped_after_posting_leaves_the_send_in_doubt() {
    let meta = meta().await;
    let x = x().await;
    let sender = sender(&meta.graph_url(), &x.api_url());
    meta.inject(Fault::DropAfterPosting);
    x.inject(Fault::DropAfterPosting);
    for reply in [messenger("did it go?"), x_direct("did it go?")] {
        let outcome = sender.send(&reply).await;
        assert!(
            kind(&outcome) == "in_doubt"
                && reason(&outcome).starts_with("the connection failed after the request was sent"),
            "{outcome:?}"
        );
    }
    for sent in [meta.sent(), x.sent()] {
        assert_eq!(sent.len(), 1, "posted once: {sent:?}");
        assert!(!sent[0].answered);
    }
    meta.flush_echoes().await;
    x.flush_echoes().await;
    assert_eq!(
        (meta.echoes().len(), x.echoes().len()),
        (1, 1),
        "and echoed"
    );
}

#[tokio::test]
async fn a_connection_dropped_before_posting_is_in_doubt_too_but_posts_nothing() {
    let meta = meta().await;
    let sender = sender(&meta.graph_url(), "http://127.0.0.1:9/2");
    meta.inject(Fault::DropBeforePosting);
    let outcome = sender.send(&messenger("lost")).await;
    assert!(
        matches!(outcome, SendOutcome::InDoubt { .. }),
        "{outcome:?}"
    );
    meta.flush_echoes().await;
    assert!(meta.sent().is_empty() && meta.echoes().is_empty());
}

#[tokio::test]
async fn a_network_that_cannot_be_reached_is_transient() {
    let meta = meta().await;
    let x = x().await;
    let (graph_url, x_url) = (meta.graph_url(), x.api_url());
    meta.stop().await;
    x.stop().await;
    let sender = sender(&graph_url, &x_url);
    for reply in [messenger("anyone?"), x_direct("anyone?")] {
        let outcome = sender.send(&reply).await;
        assert!(
            kind(&outcome) == "transient" && reason(&outcome).starts_with("could not connect"),
            "{outcome:?}"
        );
    }
}

#[tokio::test]
async fn a_slow_answer_is_in_doubt_after_the_timeout_and_fine_before() {
    let meta = meta().await;
    let x = x().await;
    let sender = sender_with_timeout(&meta.graph_url(), &x.api_url(), Duration::from_millis(300));
    meta.inject(Fault::Delay(Duration::from_secs(3)));
    x.inject(Fault::Delay(Duration::from_secs(3)));
    for reply in [messenger("slow"), x_direct("slow")] {
        let outcome = sender.send(&reply).await;
        assert!(
            kind(&outcome) == "in_doubt" && reason(&outcome).starts_with("no answer in time"),
            "{outcome:?}"
        );
    }
    assert_eq!(
        (meta.sent_count("slow"), x.sent_count("slow")),
        (1, 1),
        "the network posted it all the same"
    );

    meta.inject(Fault::Delay(Duration::from_millis(50)));
    assert!(matches!(
        sender.send(&messenger("a bit slow")).await,
        SendOutcome::Sent { .. }
    ));
    assert_eq!(meta.sent()[1].kind, SendKind::MessengerMessage);
}
