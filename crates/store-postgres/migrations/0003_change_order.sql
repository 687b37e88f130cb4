-- The transaction that wrote each event, so live updates can be read in commit order: an event
-- is delivered only once every transaction older than it has finished (the snapshot's xmin),
-- which sequence order alone does not guarantee.
ALTER TABLE events ADD COLUMN tx BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX events_by_commit_order ON events (tx, id);
