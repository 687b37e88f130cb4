//! Stories of who has a case open: a heartbeat upserts one row per (case, user); the viewers of
//! a case are those not lapsed, by name; the watch of the streams reads the cases whose presence
//! moved in a window (arrived, typing toggled, left, lapsed) with their viewers now, and not
//! those where a refresh changed nothing seen; lapsed rows are removed on request.

use std::sync::Arc;

use caredesk_domain::presence::Viewer;
use caredesk_domain::*;
use caredesk_store::presence::PresenceBeat;
use caredesk_store::Store;

use super::fixture::T0;
use super::Fixture;

fn at(secs: i64) -> Timestamp {
    T0.plus_secs(secs)
}

fn beat(case: &Case, user: &User, typing: bool, now: i64, until: i64) -> PresenceBeat {
    PresenceBeat {
        case_id: case.id,
        user_id: user.id,
        typing,
        at: at(now),
        expires_at: at(until),
    }
}

fn shown(viewers: &[Viewer]) -> Vec<(UserId, bool)> {
    viewers.iter().map(|v| (v.user_id, v.typing)).collect()
}

/// The cases the watch reads as moved in `(since, now]`, each with its viewers.
async fn moved(store: &dyn Store, since: i64, now: i64) -> Vec<(CaseId, Vec<(UserId, bool)>)> {
    let changes = store
        .presence_changes(at(since), at(now))
        .await
        .expect("changes");
    changes
        .iter()
        .map(|c| (c.case_id, shown(&c.viewers)))
        .collect()
}

pub(crate) async fn presence_is_upserted_lapses_and_its_moves_are_read(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, dm) = f.customer("ann", "Ann", f.profiles[0].id).await;
    let case = f.case_from(&dm, "m-1", "help", Some(f.agent.id), T0).await;
    let s = store.as_ref();

    store
        .record_presence(&beat(&case, &f.other_agent, false, 0, 30))
        .await
        .expect("beat");
    store
        .record_presence(&beat(&case, &f.agent, true, 0, 30))
        .await
        .expect("beat");
    let viewers = store.case_viewers(case.id, at(1)).await.expect("viewers");
    let names: Vec<&str> = viewers.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["agent", "agent2"], "viewers are listed by name");
    assert_eq!(
        shown(&viewers),
        [(f.agent.id, true), (f.other_agent.id, false)]
    );
    assert_eq!(
        moved(s, -1, 1).await,
        [(case.id, vec![(f.agent.id, true), (f.other_agent.id, false)])],
        "arrivals are moves"
    );

    // A refresh that changes nothing seen is no move; stopping typing is one.
    store
        .record_presence(&beat(&case, &f.other_agent, false, 10, 40))
        .await
        .expect("beat");
    assert_eq!(moved(s, 5, 11).await, [], "a refresh moves nothing");
    store
        .record_presence(&beat(&case, &f.agent, false, 12, 42))
        .await
        .expect("beat");
    assert_eq!(
        moved(s, 11, 13).await,
        [(
            case.id,
            vec![(f.agent.id, false), (f.other_agent.id, false)]
        )]
    );

    // Leaving ends presence at once; lapsing is read as a move when its time passes.
    store
        .record_presence(&beat(&case, &f.agent, false, 14, 14))
        .await
        .expect("leave");
    assert_eq!(
        moved(s, 13, 15).await,
        [(case.id, vec![(f.other_agent.id, false)])]
    );
    assert_eq!(
        moved(s, 15, 39).await,
        [],
        "nothing moves while both rows stand"
    );
    assert_eq!(
        moved(s, 39, 41).await,
        [(case.id, vec![])],
        "the other agent lapsed at 40"
    );
    assert_eq!(
        store.case_viewers(case.id, at(40)).await.expect("viewers"),
        []
    );

    // Back after lapsing is a move again; the lapsed rows are removed on request.
    store
        .record_presence(&beat(&case, &f.agent, false, 50, 80))
        .await
        .expect("beat");
    assert_eq!(
        moved(s, 45, 51).await,
        [(case.id, vec![(f.agent.id, false)])]
    );
    assert_eq!(store.forget_presence(at(45)).await.expect("forget"), 1);
    assert_eq!(
        shown(&store.case_viewers(case.id, at(51)).await.expect("viewers")),
        [(f.agent.id, false)]
    );
}
