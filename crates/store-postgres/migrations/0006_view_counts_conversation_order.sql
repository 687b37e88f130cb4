-- What keeps the Care views' counts and a case's conversation fast at a million cases.

-- Cases in progress in the order of the Inbox, whatever their status.
CREATE INDEX cases_in_progress ON cases (created_at, id)
    WHERE NOT deleted AND status IN ('new', 'open', 'pending', 'on_hold');

-- How many cases each (profile, status, assignee, deleted) holds, kept by a trigger in the unit
-- of work that changes a case: a view's count adds up a few rows of this table instead of
-- counting cases. `assignee_key` is 0 for unassigned cases (a key cannot hold NULL).
CREATE TABLE case_tallies (
    profile_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    assignee_key BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL,
    n BIGINT NOT NULL,
    assignee_id BIGINT GENERATED ALWAYS AS (NULLIF(assignee_key, 0)) STORED,
    PRIMARY KEY (profile_id, status, assignee_key, deleted)
);
INSERT INTO case_tallies (profile_id, status, assignee_key, deleted, n)
    SELECT profile_id, status, COALESCE(assignee_id, 0), deleted, COUNT(*) FROM cases
    GROUP BY profile_id, status, COALESCE(assignee_id, 0), deleted;

-- Both counts of a change move in one statement, which locks their rows in key order, so two
-- units of work moving cases between the same two keys in opposite directions wait for each
-- other instead of deadlocking.
CREATE FUNCTION cases_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.profile_id = NEW.profile_id AND OLD.status = NEW.status
        AND OLD.assignee_id IS NOT DISTINCT FROM NEW.assignee_id AND OLD.deleted = NEW.deleted THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO case_tallies (profile_id, status, assignee_key, deleted, n)
        VALUES (NEW.profile_id, NEW.status, COALESCE(NEW.assignee_id, 0), NEW.deleted, 0)
        ON CONFLICT DO NOTHING;
    END IF;
    UPDATE case_tallies t SET n = t.n
        + CASE WHEN TG_OP <> 'DELETE' AND (t.profile_id, t.status, t.assignee_key, t.deleted)
            = (NEW.profile_id, NEW.status, COALESCE(NEW.assignee_id, 0), NEW.deleted)
            THEN 1 ELSE 0 END
        - CASE WHEN TG_OP <> 'INSERT' AND (t.profile_id, t.status, t.assignee_key, t.deleted)
            = (OLD.profile_id, OLD.status, COALESCE(OLD.assignee_id, 0), OLD.deleted)
            THEN 1 ELSE 0 END
    WHERE (t.profile_id, t.status, t.assignee_key, t.deleted) IN (
        (NEW.profile_id, NEW.status, COALESCE(NEW.assignee_id, 0), NEW.deleted),
        (OLD.profile_id, OLD.status, COALESCE(OLD.assignee_id, 0), OLD.deleted));
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_tally AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_tally();

-- A case's conversation in time order, and the last 500 direct messages of a DM case, read
-- from this index alone: each membership carries its message's time and whether it is direct
-- (both never change).
ALTER TABLE case_messages ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_messages ADD COLUMN direct BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE case_messages cm SET created_at = m.created_at, direct = m.kind = 'direct'
    FROM messages m WHERE m.id = cm.message_id;
CREATE INDEX case_messages_in_time ON case_messages (case_id, created_at, message_id, direct);
