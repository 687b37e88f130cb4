//! Who has which case open: each heartbeat is one upsert on the writer connection, committed at
//! once; the reads run on a reader. The watch of the live streams reads, in one statement, the
//! cases whose presence moved in a window (rows whose `changed_at` is in it, or whose
//! `expires_at` passed in it), answered from the indexes on those two columns, with each such
//! case's viewers now.

use async_trait::async_trait;
use caredesk_domain::presence::{by_name, Viewer};
use caredesk_domain::{CaseId, ProfileId, Timestamp};
use caredesk_store::presence::{self as decode, CasePresence, PresenceBeat, PresenceStore};
use caredesk_store::rows::Columns;
use caredesk_store::StoreError;

use crate::{Backend, Sql, SqlStore};

type Result<T> = std::result::Result<T, StoreError>;

/// A refresh keeps `changed_at` unless what others see moved: typing started or stopped, or the
/// user went from lapsed to present or back (both sides of `<>` are compared at the beat's time).
const RECORD: &str = "INSERT INTO case_presence (case_id, user_id, typing, changed_at, expires_at) \
     VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (case_id, user_id) DO UPDATE SET \
     changed_at = CASE WHEN case_presence.typing <> excluded.typing \
     OR (case_presence.expires_at > excluded.changed_at) <> (excluded.expires_at > excluded.changed_at) \
     THEN excluded.changed_at ELSE case_presence.changed_at END, \
     typing = excluded.typing, expires_at = excluded.expires_at";

const VIEWERS: &str = "SELECT p.user_id, u.name, p.typing FROM case_presence p \
     JOIN users u ON u.id = p.user_id WHERE p.case_id = $1 AND p.expires_at > $2";

const CHANGES: &str = "SELECT k.case_id, c.profile_id, p.user_id, u.name, p.typing \
     FROM (SELECT DISTINCT case_id FROM case_presence \
           WHERE changed_at > $1 OR (expires_at > $1 AND expires_at <= $2)) k \
     JOIN cases c ON c.id = k.case_id AND c.deleted = FALSE \
     LEFT JOIN case_presence p ON p.case_id = k.case_id AND p.expires_at > $2 \
     LEFT JOIN users u ON u.id = p.user_id \
     ORDER BY k.case_id";

/// One row of [`CHANGES`]: a case, and one of its viewers when it has any.
fn change_row(row: &dyn Columns) -> Result<(CaseId, ProfileId, Option<Viewer>)> {
    let viewer = match row.opt_int("user_id")? {
        Some(_) => Some(decode::viewer(row)?),
        None => None,
    };
    Ok((
        CaseId(row.int("case_id")?),
        ProfileId(row.int("profile_id")?),
        viewer,
    ))
}

#[async_trait]
impl<B: Backend> PresenceStore for SqlStore<B> {
    async fn record_presence(&self, beat: &PresenceBeat) -> Result<()> {
        Sql::new(RECORD)
            .bind(beat.case_id.0)
            .bind(beat.user_id.0)
            .bind(beat.typing)
            .bind(beat.at.0)
            .bind(beat.expires_at.0)
            .execute(&mut self.backend().writer().await?.conn())
            .await?;
        Ok(())
    }

    async fn case_viewers(&self, case: CaseId, now: Timestamp) -> Result<Vec<Viewer>> {
        let mut viewers = Sql::new(VIEWERS)
            .bind(case.0)
            .bind(now.0)
            .all(&mut self.backend().reader().await?.conn(), decode::viewer)
            .await?;
        viewers.sort_by(by_name);
        Ok(viewers)
    }

    async fn presence_changes(
        &self,
        since: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<CasePresence>> {
        let rows = Sql::new(CHANGES)
            .bind(since.0)
            .bind(now.0)
            .all(&mut self.backend().reader().await?.conn(), change_row)
            .await?;
        let mut cases: Vec<CasePresence> = Vec::new();
        for (case_id, profile_id, viewer) in rows {
            if cases.last().is_none_or(|c| c.case_id != case_id) {
                cases.push(CasePresence {
                    case_id,
                    profile_id,
                    viewers: Vec::new(),
                });
            }
            if let (Some(case), Some(viewer)) = (cases.last_mut(), viewer) {
                case.viewers.push(viewer);
            }
        }
        for case in &mut cases {
            case.viewers.sort_by(by_name);
        }
        Ok(cases)
    }

    async fn forget_presence(&self, before: Timestamp) -> Result<u64> {
        Sql::new("DELETE FROM case_presence WHERE expires_at < $1")
            .bind(before.0)
            .execute(&mut self.backend().writer().await?.conn())
            .await
    }
}
