-- What the Care views and their counts lacked on PostgreSQL (measured with `caredesk bench` and
-- `EXPLAIN (ANALYZE, BUFFERS)`).

-- The New view in its own order. Its condition is written whole into the index, so that the
-- planner's estimate of the view's size is the index's, whatever it believes of each column.
CREATE INDEX cases_new ON cases (created_at, id)
    WHERE NOT deleted AND status = 'new' AND assignee_id IS NULL;

-- An agent's Inbox (their cases in progress, oldest first) in its own order: with
-- `cases_by_assignee` (status first) every case in progress of the agent was read, joined to
-- its customer by hashing the whole customers table, and sorted.
CREATE INDEX cases_in_progress_by_assignee ON cases (assignee_id, created_at, id)
    WHERE NOT deleted AND status IN ('new', 'open', 'pending', 'on_hold');

-- A view narrowed to one profile and one status (`status=…&profile_id=…`).
CREATE INDEX cases_by_profile_status ON cases (profile_id, status, created_at, id)
    WHERE NOT deleted;

-- The counts of an agent's views add up the tallies of one assignee; without this index each
-- of them read the whole table.
CREATE INDEX case_tallies_by_assignee ON case_tallies (assignee_id, status);

-- Columns whose values go together, which the planner otherwise multiplies as if independent:
-- new cases are the unassigned ones (estimated at 1/40 of their number, so the New view was
-- read in full and sorted instead of in index order), and a field's words belong to that field
-- alone (a case-field filter's matches were underestimated by half).
CREATE STATISTICS cases_status_assignee (mcv) ON status, assignee_id FROM cases;
CREATE STATISTICS case_field_tokens_field_token (mcv) ON field_id, token FROM case_field_tokens;
ANALYZE cases;
ANALYZE case_field_tokens;
ANALYZE case_tallies;
