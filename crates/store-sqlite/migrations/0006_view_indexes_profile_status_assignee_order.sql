-- Two Care reads that had no index of their own (measured with `caredesk bench`).

-- A view narrowed to one profile and one status (`status=…&profile_id=…`): without it the Inbox
-- walked `cases_in_progress` in order and read every case in progress to find a profile's few
-- pending ones, or none. Its key is (profile, status), so neither an unfiltered view (many
-- profiles, several statuses) nor the Inbox takes it by mistake.
CREATE INDEX cases_by_profile_status ON cases (profile_id, status, created_at, id)
    WHERE deleted = FALSE;

-- An agent's Inbox (their cases in progress, oldest first) in its own order: `cases_by_assignee`
-- is ordered by status first, so the page was found by reading and sorting every case in
-- progress of the agent.
CREATE INDEX cases_in_progress_by_assignee ON cases (assignee_id, created_at, id)
    WHERE deleted = FALSE AND status IN ('new', 'open', 'pending', 'on_hold');
