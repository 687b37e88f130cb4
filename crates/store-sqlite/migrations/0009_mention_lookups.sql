-- Mentions a network announces without their content (Instagram `mentions`: media and comment
-- ids only), queued with the delivery and looked up after its commit. `comment_id` is '' for a
-- mention in a caption. A worker holds a row until `claimed_until`; `due_at` NULL: done.
CREATE TABLE mention_lookups (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL,
    comment_id TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER,
    claimed_until INTEGER,
    error TEXT,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX mention_lookups_once ON mention_lookups (profile_id, post_id, comment_id);
CREATE INDEX mention_lookups_due ON mention_lookups (due_at) WHERE due_at IS NOT NULL;
