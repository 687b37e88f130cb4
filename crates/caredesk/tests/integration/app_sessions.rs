//! Sign-in through the use cases: who may log in, throttling per account from an address and
//! per address (never an account from everywhere),
//! and everything that ends a session (idle time, logout, deactivation, a password reset).

use caredesk_app::{token_hash, AuthConfig, UserPatch};
use caredesk_domain::*;

use crate::support::{code, World, START};

const PASSWORD: &str = "a long enough password";
const ADDRESS: &str = "198.51.100.9";
/// The throttling key of the agent's account from [`ADDRESS`].
const ACCOUNT_FROM_ADDRESS: &str = "account:agent@example.com|from:198.51.100.9";

fn rate_limited_after(result: Result<impl std::fmt::Debug, caredesk_app::AppError>) -> i64 {
    match result {
        Err(e) => match e.refusal() {
            Some(Refusal::RateLimited { retry_after_secs }) => *retry_after_secs,
            other => panic!("expected rate_limited, got {other:?}"),
        },
        Ok(v) => panic!("expected rate_limited, got {v:?}"),
    }
}

async fn failures(w: &World, key: &str) -> i64 {
    w.app
        .store()
        .login_failures_since(key, START)
        .await
        .expect("count failures")
}

async fn deactivate(w: &World, user: UserId) {
    let patch = UserPatch {
        active: Some(false),
        ..Default::default()
    };
    w.app
        .update_user(w.admin.id, user, patch)
        .await
        .expect("deactivate");
}

#[tokio::test]
async fn only_the_right_password_of_an_active_user_signs_in() {
    let w = World::new().await;
    deactivate(&w, w.other_agent.id).await;
    let cases = [
        ("agent@example.com", "a wrong but long password", None),
        ("agent@example.com", "", None),
        ("nobody@example.com", PASSWORD, None),
        ("agent2@example.com", PASSWORD, None),
        ("agent@example.com", PASSWORD, Some(w.agent.id)),
        ("  AGENT@Example.com ", PASSWORD, Some(w.agent.id)),
    ];
    for (email, password, signs_in) in cases {
        let result = w.app.login(email, password, ADDRESS).await;
        match signs_in {
            Some(id) => {
                let outcome = result.unwrap_or_else(|e| panic!("{email} signs in: {e}"));
                assert_eq!(outcome.user.id, id);
                assert_eq!(outcome.token.len(), 43, "32 random bytes, base64url");
                assert_eq!(outcome.csrf_token.len(), 43);
                assert_ne!(outcome.token, outcome.csrf_token);
                assert!(
                    !format!("{outcome:?}").contains(&outcome.token),
                    "Debug never shows the token"
                );
                let stored = w.app.store().session(&token_hash(&outcome.token)).await;
                assert!(
                    matches!(stored, Ok(Some(ref s)) if s.user_id == id && !s.revoked),
                    "the session is stored under the token's hash: {stored:?}"
                );
                assert_eq!(
                    w.app.store().session(&outcome.token).await.expect("read"),
                    None,
                    "the token itself is not stored"
                );
            }
            None => assert_eq!(code(result), "unauthenticated", "{email} / {password:?}"),
        }
    }
    let expected_failures = [
        ("account:agent@example.com|from:198.51.100.9", 0),
        ("account:nobody@example.com|from:198.51.100.9", 1),
        ("account:agent2@example.com|from:198.51.100.9", 1),
        ("address:198.51.100.9", 4),
    ];
    for (key, count) in expected_failures {
        assert_eq!(
            failures(&w, key).await,
            count,
            "{key}: a refusal records one failure for the account from the address and one for the address; success clears the account's"
        );
    }
}

#[tokio::test]
async fn ten_failures_throttle_the_account_from_that_address_until_the_oldest_leaves_the_window() {
    account_throttling(World::new().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn ten_failures_throttle_the_account_from_that_address_on_postgres() {
    account_throttling(World::on(crate::pg::fresh().await).await).await;
}

async fn account_throttling(w: World) {
    let window = AuthConfig::default().failure_window_secs;
    for attempt in 0..10 {
        if attempt == 5 {
            w.clock.advance_secs(100);
        }
        let refused = w
            .app
            .login("agent@example.com", "wrong password!", ADDRESS)
            .await;
        assert_eq!(code(refused), "unauthenticated", "attempt {attempt}");
    }
    let throttled = w.app.login("agent@example.com", PASSWORD, ADDRESS).await;
    assert_eq!(
        rate_limited_after(throttled),
        window - 100,
        "the right password is refused too, until the oldest failure leaves the window"
    );
    let elsewhere = w
        .app
        .login("agent@example.com", PASSWORD, "203.0.113.1")
        .await;
    assert!(
        elsewhere.is_ok(),
        "failures from one address never lock the account out from another: {elsewhere:?}"
    );
    assert_eq!(
        failures(&w, ACCOUNT_FROM_ADDRESS).await,
        10,
        "a throttled attempt records nothing, and success elsewhere clears nothing here"
    );
    let other = w.app.login("sup@example.com", PASSWORD, ADDRESS).await;
    assert!(other.is_ok(), "other accounts are not throttled: {other:?}");

    w.clock.advance_secs(window - 101);
    let throttled = w.app.login("agent@example.com", PASSWORD, ADDRESS).await;
    assert_eq!(rate_limited_after(throttled), 1);
    w.clock.advance_secs(1);
    w.app
        .login("agent@example.com", PASSWORD, ADDRESS)
        .await
        .expect("the first five failures left the window");
    assert_eq!(
        failures(&w, ACCOUNT_FROM_ADDRESS).await,
        0,
        "success clears the account's failures from that address"
    );
    let refused = w
        .app
        .login("agent@example.com", "wrong password!", ADDRESS)
        .await;
    assert_eq!(code(refused), "unauthenticated", "counting starts again");
}

#[tokio::test]
async fn fifty_failures_from_one_address_throttle_the_address() {
    let w = World::new().await;
    let config = AuthConfig::default();
    let app = &w.app;
    for i in 0..config.max_failures_per_address {
        let email = format!("guess-{i}@example.com");
        let refused = app.login(&email, PASSWORD, ADDRESS).await;
        assert_eq!(code(refused), "unauthenticated", "{email}");
    }
    let throttled = app.login("agent@example.com", PASSWORD, ADDRESS).await;
    assert_eq!(rate_limited_after(throttled), config.failure_window_secs);
    assert_eq!(
        failures(&w, ACCOUNT_FROM_ADDRESS).await,
        0,
        "the throttled attempt records nothing"
    );
    app.login("agent@example.com", PASSWORD, "203.0.113.1")
        .await
        .expect("another address signs in");
    w.clock.advance_secs(config.failure_window_secs);
    app.login("agent@example.com", PASSWORD, ADDRESS)
        .await
        .expect("the address signs in once the window passed");
}

#[tokio::test]
async fn a_session_authenticates_and_is_touched_at_most_once_a_minute() {
    let w = World::new().await;
    let outcome = w
        .app
        .login("agent@example.com", PASSWORD, ADDRESS)
        .await
        .expect("login");
    let hash = token_hash(&outcome.token);
    let last_seen = || async {
        w.app
            .store()
            .session(&hash)
            .await
            .expect("read")
            .expect("stored")
            .last_seen_at
    };
    let steps = [
        (0, START),
        (30, START),
        (31, START.plus_secs(61)),
        (59, START.plus_secs(61)),
    ];
    for (advance, seen) in steps {
        w.clock.advance_secs(advance);
        let session = w.app.authenticate(&outcome.token).await.expect("live");
        assert_eq!(session.user.id, w.agent.id);
        assert_eq!(session.csrf_token, outcome.csrf_token);
        assert!(!format!("{session:?}").contains(&outcome.csrf_token));
        assert_eq!(last_seen().await, seen, "after {advance} more seconds");
    }
    for token in ["", "not-a-token", &outcome.csrf_token, &hash] {
        assert_eq!(
            code(w.app.authenticate(token).await),
            "unauthenticated",
            "{token:?}"
        );
    }
}

#[derive(Debug, Clone, Copy)]
enum Ending {
    Logout,
    Deactivation,
    PasswordReset,
    IdleTime,
}

#[tokio::test]
async fn logout_deactivation_a_password_reset_and_idle_time_end_sessions() {
    session_endings(World::new().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn sessions_end_the_same_on_postgres() {
    session_endings(World::on(crate::pg::fresh().await).await).await;
}

async fn session_endings(w: World) {
    let idle = AuthConfig::default().session_idle_secs;
    let admin = w
        .app
        .login("admin@example.com", PASSWORD, ADDRESS)
        .await
        .expect("login");
    // Each ending on a user of its own; idle time last, since it ends every session.
    let endings = [
        (Ending::Logout, &w.agent),
        (Ending::Deactivation, &w.other_agent),
        (Ending::PasswordReset, &w.community),
        (Ending::IdleTime, &w.supervisor),
    ];
    for (ending, user) in endings {
        let login = || w.app.login(&user.email, PASSWORD, ADDRESS);
        let first = login().await.expect("login");
        let second = login().await.expect("a second device");
        // Whether (first, second) are still live afterwards.
        let live = match ending {
            Ending::Logout => {
                w.app.logout(&first.token).await.expect("logout");
                w.app
                    .logout(&first.token)
                    .await
                    .expect("logout is idempotent");
                w.app.logout("unknown").await.expect("unknown tokens too");
                (false, true)
            }
            Ending::Deactivation => {
                deactivate(&w, user.id).await;
                (false, false)
            }
            Ending::PasswordReset => {
                let patch = UserPatch {
                    password: Some("a brand new long password".into()),
                    ..Default::default()
                };
                w.app
                    .update_user(w.admin.id, user.id, patch)
                    .await
                    .expect("reset");
                (false, false)
            }
            Ending::IdleTime => {
                w.clock.advance_secs(idle - 1);
                w.app.authenticate(&second.token).await.expect("in time");
                w.clock.advance_secs(1);
                (false, true)
            }
        };
        for (token, live) in [(&first.token, live.0), (&second.token, live.1)] {
            let result = w.app.authenticate(token).await;
            if live {
                assert!(result.is_ok(), "{ending:?}: {result:?}");
            } else {
                assert_eq!(code(result), "unauthenticated", "{ending:?}");
            }
        }
        if !matches!(ending, Ending::IdleTime) {
            w.app
                .authenticate(&admin.token)
                .await
                .unwrap_or_else(|e| panic!("{ending:?} leaves other users signed in: {e}"));
        }
    }
}

#[tokio::test]
async fn after_a_password_reset_only_the_new_password_signs_in() {
    let w = World::new().await;
    let patch = UserPatch {
        password: Some("a brand new long password".into()),
        ..Default::default()
    };
    w.app
        .update_user(w.admin.id, w.agent.id, patch)
        .await
        .expect("reset");
    let old = w.app.login("agent@example.com", PASSWORD, ADDRESS).await;
    assert_eq!(code(old), "unauthenticated");
    let new = w
        .app
        .login("agent@example.com", "a brand new long password", ADDRESS)
        .await
        .expect("the new password signs in");
    w.app.authenticate(&new.token).await.expect("live");
}

#[tokio::test]
async fn a_tighter_configuration_applies() {
    let w = World::new().await;
    let config = AuthConfig {
        session_idle_secs: 120,
        failure_window_secs: 60,
        max_failures_per_account_from_address: 2,
        max_failures_per_address: 3,
    };
    let app = w.app.clone().with_auth(config);
    assert_eq!(app.auth_config(), config);
    for _ in 0..2 {
        let refused = app
            .login("agent@example.com", "wrong password!", ADDRESS)
            .await;
        assert_eq!(code(refused), "unauthenticated");
    }
    assert_eq!(
        rate_limited_after(app.login("agent@example.com", PASSWORD, ADDRESS).await),
        60
    );
    let refused = app
        .login("sup@example.com", "wrong password!", ADDRESS)
        .await;
    assert_eq!(code(refused), "unauthenticated");
    assert_eq!(
        code(app.login("sup@example.com", PASSWORD, ADDRESS).await),
        "rate_limited",
        "three failures from the address throttle it"
    );
    let session = app
        .login("sup@example.com", PASSWORD, "203.0.113.1")
        .await
        .expect("login elsewhere");
    w.clock.advance_secs(120);
    assert_eq!(
        code(app.authenticate(&session.token).await),
        "unauthenticated"
    );
}

#[tokio::test]
async fn housekeeping_removes_ended_sessions_and_spent_failures() {
    housekeeping(World::new().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn housekeeping_removes_the_same_on_postgres() {
    housekeeping(World::on(crate::pg::fresh().await).await).await;
}

async fn housekeeping(w: World) {
    let idle = AuthConfig::default().session_idle_secs;
    let login = |email: &'static str| w.app.login(email, PASSWORD, ADDRESS);
    let revoked = login("agent@example.com").await.expect("login");
    w.app.logout(&revoked.token).await.expect("logout");
    let idled = login("sup@example.com").await.expect("login");
    let refused = w.app.login("agent@example.com", "wrong password!", ADDRESS);
    assert_eq!(code(refused.await), "unauthenticated", "a failure now");
    w.clock.advance_secs(idle);
    let live = login("admin@example.com").await.expect("login");
    let refused = w.app.login("agent@example.com", "wrong password!", ADDRESS);
    assert_eq!(code(refused.await), "unauthenticated", "a failure later");

    let report = w.app.housekeep().await.expect("housekeeping");
    assert_eq!(
        report,
        caredesk_app::HousekeepingReport {
            sessions: 2,
            login_failures: 2,
        },
        "the revoked and the idle session; the early failure, under its two keys"
    );
    let store = w.app.store();
    for (name, token, kept) in [
        ("revoked", &revoked.token, false),
        ("idle", &idled.token, false),
        ("live", &live.token, true),
    ] {
        let stored = store.session(&token_hash(token)).await.expect("read");
        assert_eq!(stored.is_some(), kept, "the {name} session");
    }
    assert_eq!(
        failures(&w, ACCOUNT_FROM_ADDRESS).await,
        1,
        "the late failure stays"
    );
    assert_eq!(failures(&w, &format!("address:{ADDRESS}")).await, 1);
    assert_eq!(
        w.app.housekeep().await.expect("again"),
        caredesk_app::HousekeepingReport::default(),
        "a second pass finds nothing"
    );
    w.app
        .authenticate(&live.token)
        .await
        .expect("the live session still works");
}
