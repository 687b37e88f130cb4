//! Reports (PRODUCT.md §13) for supervisors: the figures of the cases escalated in a date range,
//! grouped by day, agent, profile or network, and the CSV export with one line per case. Both
//! read the cases a page at a time by id; the export hands out one page's lines at a time, so a
//! million cases need no more memory than one page. What is counted is
//! `caredesk_domain::report`.

use caredesk_domain::report::{
    csv_header, csv_line, GroupBy, ReportLine, ReportRange, ReportTally,
};
use caredesk_domain::{policy, CaseId, User};
use caredesk_store::reports::ReportQuery;
use caredesk_store::ProfileScope;

use crate::error::AppResult;
use crate::App;

/// Cases read per page.
const PAGE: u32 = 2_000;

impl App {
    /// A report's lines (supervisors; 422 for dates that are not a range).
    pub async fn report_summary(
        &self,
        user: &User,
        from: &str,
        to: &str,
        group_by: GroupBy,
    ) -> AppResult<Vec<ReportLine>> {
        let mut lines = self.report_summaries(user, from, to, &[group_by]).await?;
        Ok(lines.pop().unwrap_or_default())
    }

    /// The lines of one report per grouping in `groups`, in their order, from one read of the
    /// range's cases (supervisors; 422 for dates that are not a range).
    pub async fn report_summaries(
        &self,
        user: &User,
        from: &str,
        to: &str,
        groups: &[GroupBy],
    ) -> AppResult<Vec<Vec<ReportLine>>> {
        policy::require_supervisor(user)?;
        let range = ReportRange::parse(from, to)?;
        let scope = ProfileScope::of(user);
        let mut tallies: Vec<ReportTally> = groups.iter().map(|_| ReportTally::default()).collect();
        let mut after = None;
        loop {
            let page = self
                .store
                .report_cases(&query(&scope, range, after))
                .await?;
            for case in &page {
                for (tally, group_by) in tallies.iter_mut().zip(groups) {
                    tally.add(case, *group_by);
                }
            }
            match page.last() {
                Some(last) if page.len() == PAGE as usize => after = Some(last.id),
                _ => return Ok(tallies.into_iter().map(ReportTally::lines).collect()),
            }
        }
    }

    /// The CSV export of a range (supervisors; 422 for dates that are not a range), read a
    /// page at a time by [`ReportCsv::next_chunk`].
    pub async fn report_csv(&self, user: &User, from: &str, to: &str) -> AppResult<ReportCsv> {
        policy::require_supervisor(user)?;
        let range = ReportRange::parse(from, to)?;
        let mut fields = self.store.case_fields().await?;
        fields.sort_by_key(|f| (f.position, f.id));
        Ok(ReportCsv {
            app: self.clone(),
            scope: ProfileScope::of(user),
            range,
            fields: fields
                .into_iter()
                .map(|f| (f.id.to_string(), f.name))
                .collect(),
            after: None,
            started: false,
            finished: false,
        })
    }
}

fn query(scope: &ProfileScope, range: ReportRange, after: Option<CaseId>) -> ReportQuery<'_> {
    ReportQuery {
        scope,
        from: range.from,
        until: range.until,
        after,
        limit: PAGE,
    }
}

/// A CSV export being read: the header, then one chunk of lines per page of cases.
pub struct ReportCsv {
    app: App,
    scope: ProfileScope,
    range: ReportRange,
    fields: Vec<(String, String)>,
    after: Option<CaseId>,
    started: bool,
    finished: bool,
}

impl ReportCsv {
    /// The next chunk of the file; `None` once it is all out.
    pub async fn next_chunk(&mut self) -> AppResult<Option<String>> {
        if !self.started {
            self.started = true;
            return Ok(Some(csv_header(&self.fields)));
        }
        if self.finished {
            return Ok(None);
        }
        let page = self
            .app
            .store
            .report_cases(&query(&self.scope, self.range, self.after))
            .await?;
        self.finished = page.len() < PAGE as usize;
        self.after = page.last().map(|c| c.id);
        if page.is_empty() {
            return Ok(None);
        }
        let mut chunk = String::with_capacity(page.len() * 160);
        for case in &page {
            chunk.push_str(&csv_line(case, &self.fields));
        }
        Ok(Some(chunk))
    }
}
