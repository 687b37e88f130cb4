-- Mentions a network announces without their content (Instagram `mentions`: media and comment
-- ids only), queued with the delivery and looked up after its commit. `comment_id` is '' for a
-- mention in a caption. A worker holds a row until `claimed_until`; `due_at` NULL: done.
CREATE TABLE mention_lookups (
    id BIGSERIAL PRIMARY KEY,
    profile_id BIGINT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL,
    comment_id TEXT NOT NULL DEFAULT '',
    attempts BIGINT NOT NULL DEFAULT 0,
    due_at BIGINT,
    claimed_until BIGINT,
    error TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX mention_lookups_once ON mention_lookups (profile_id, post_id, comment_id);
CREATE INDEX mention_lookups_due ON mention_lookups (due_at) WHERE due_at IS NOT NULL;
