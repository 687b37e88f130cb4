-- What keeps the Care views, their counts and a case's conversation fast at a million cases.

-- The views' statements (shared with PostgreSQL) write their own constants into their text
-- (`deleted = FALSE`, the statuses of a view), and SQLite uses a partial index only for a query
-- that repeats its condition, so the view indexes say it so too. Each view has an index that
-- serves it in its order and that no other view can take by mistake: an index led by the status
-- would be chosen for the Inbox (four statuses) and sort every case in progress.
DROP INDEX cases_by_status;
-- The Inbox of supervisors, whatever the status of a case in progress.
CREATE INDEX cases_in_progress ON cases (created_at, id)
    WHERE deleted = FALSE AND status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX cases_new ON cases (created_at, id) WHERE deleted = FALSE AND status = 'new';
CREATE INDEX cases_done ON cases (created_at, id) WHERE deleted = FALSE AND status = 'done';
CREATE INDEX cases_spam ON cases (created_at, id) WHERE deleted = FALSE AND status = 'spam';
-- An agent's views; unassigned cases are the New view's.
DROP INDEX cases_by_assignee;
CREATE INDEX cases_by_assignee ON cases (assignee_id, status, last_customer_message_at, id)
    WHERE deleted = FALSE AND assignee_id IS NOT NULL;

-- How many cases each (profile, status, assignee, deleted) holds, kept by triggers in the unit
-- of work that changes a case: a view's count adds up a few rows of this table instead of
-- counting cases. `assignee_key` is 0 for unassigned cases (a key cannot hold NULL).
CREATE TABLE case_tallies (
    profile_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    assignee_key INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    n INTEGER NOT NULL,
    assignee_id INTEGER GENERATED ALWAYS AS (NULLIF(assignee_key, 0)) VIRTUAL,
    PRIMARY KEY (profile_id, status, assignee_key, deleted)
) WITHOUT ROWID;
INSERT INTO case_tallies (profile_id, status, assignee_key, deleted, n)
    SELECT profile_id, status, COALESCE(assignee_id, 0), deleted, COUNT(*) FROM cases
    GROUP BY profile_id, status, COALESCE(assignee_id, 0), deleted;

CREATE TRIGGER cases_tally_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_tallies (profile_id, status, assignee_key, deleted, n)
    VALUES (NEW.profile_id, NEW.status, COALESCE(NEW.assignee_id, 0), NEW.deleted, 1)
    ON CONFLICT (profile_id, status, assignee_key, deleted) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER cases_tally_update AFTER UPDATE OF profile_id, status, assignee_id, deleted ON cases
WHEN OLD.profile_id IS NOT NEW.profile_id OR OLD.status IS NOT NEW.status
    OR OLD.assignee_id IS NOT NEW.assignee_id OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE case_tallies SET n = n - 1
    WHERE profile_id = OLD.profile_id AND status = OLD.status
        AND assignee_key = COALESCE(OLD.assignee_id, 0) AND deleted = OLD.deleted;
    INSERT INTO case_tallies (profile_id, status, assignee_key, deleted, n)
    VALUES (NEW.profile_id, NEW.status, COALESCE(NEW.assignee_id, 0), NEW.deleted, 1)
    ON CONFLICT (profile_id, status, assignee_key, deleted) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER cases_tally_delete AFTER DELETE ON cases BEGIN
    UPDATE case_tallies SET n = n - 1
    WHERE profile_id = OLD.profile_id AND status = OLD.status
        AND assignee_key = COALESCE(OLD.assignee_id, 0) AND deleted = OLD.deleted;
END;

-- A case's conversation in time order, and the last 500 direct messages of a DM case, read
-- from this index alone: each membership carries its message's time and whether it is direct
-- (both never change).
ALTER TABLE case_messages ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_messages ADD COLUMN direct INTEGER NOT NULL DEFAULT FALSE;
UPDATE case_messages SET
    created_at = (SELECT m.created_at FROM messages m WHERE m.id = case_messages.message_id),
    direct = (SELECT m.kind = 'direct' FROM messages m WHERE m.id = case_messages.message_id);
CREATE INDEX case_messages_in_time ON case_messages (case_id, created_at, message_id, direct);
