-- Who has a case open (PRODUCT.md §12 "Collision"): one row per (case, user), upserted by each
-- heartbeat. `expires_at` is when the user lapses (30 s after their last heartbeat, or at once
-- when their screen left); `changed_at` is when what colleagues see of them last moved (arrived,
-- left, came back, started or stopped typing). The live streams' watch reads the rows changed or
-- lapsed in a short window through the two indexes; lapsed rows are removed after a while.
CREATE TABLE case_presence (
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    typing INTEGER NOT NULL DEFAULT 0,
    changed_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, user_id)
) WITHOUT ROWID;

CREATE INDEX case_presence_by_change ON case_presence (changed_at);
CREATE INDEX case_presence_by_expiry ON case_presence (expires_at);
