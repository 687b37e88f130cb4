//! The cases of a report, a page at a time by id: each with its profile's network, its last
//! change to Done and how often it was reopened (both read from the page's events in one grouped
//! read through `events_by_case`), and its targets.

use caredesk_domain::report::ReportCase;
use caredesk_store::reports::{self as decode, ReportQuery};
use caredesk_store::ProfileScope;

use super::Result;
use crate::{Conn, Sql};

pub(crate) async fn page(conn: &mut Conn<'_>, query: &ReportQuery<'_>) -> Result<Vec<ReportCase>> {
    let scope = match query.scope {
        ProfileScope::All => String::new(),
        ProfileScope::Only(_) => format!(" AND {}", conn.dialect().any_of("c.profile_id", 5)),
    };
    // The page's cases first, then their events in one grouped read (each event row read once,
    // where a subquery per figure read it once per figure).
    let sql = format!(
        "WITH page AS (SELECT * FROM cases c \
         WHERE c.deleted = FALSE AND c.created_at >= $1 AND c.created_at < $2 AND c.id > $3{scope} \
         ORDER BY c.id LIMIT $4), \
         tally AS (SELECT e.case_id, \
          MAX(CASE WHEN e.kind = 'status_changed' AND e.data LIKE '%\"to\":\"done\"%' \
          THEN e.at END) AS done_at, \
          SUM(CASE WHEN e.kind IN ('auto_reopened', 'reopened') THEN 1 ELSE 0 END) AS reopened \
          FROM events e WHERE e.case_id IN (SELECT id FROM page) GROUP BY e.case_id) \
         SELECT c.*, p.network, s.sla, t.done_at, COALESCE(t.reopened, 0) AS reopened \
         FROM page c JOIN profiles p ON p.id = c.profile_id \
         LEFT JOIN case_sla s ON s.case_id = c.id \
         LEFT JOIN tally t ON t.case_id = c.id \
         ORDER BY c.id"
    );
    let mut statement = Sql::new(sql)
        .bind(query.from.0)
        .bind(query.until.0)
        .bind(query.after.map_or(0, |c| c.0))
        .bind(i64::from(query.limit));
    if let ProfileScope::Only(ids) = query.scope {
        statement = statement.bind(ids.iter().map(|p| p.0).collect::<Vec<i64>>());
    }
    statement.all(conn, decode::report_case).await
}
