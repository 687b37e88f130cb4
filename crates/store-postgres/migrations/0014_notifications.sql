-- Notifications (PRODUCT.md §12): one row per user told of something that happened to a case,
-- written in the transaction of what caused it. A user's list is newest first (and may keep
-- to the unread); the unread count reads a partial index of the unread alone; the Mentions
-- view groups a user's `mentioned` rows by case.
CREATE TABLE notifications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    actor_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    read_at BIGINT
);

CREATE INDEX notifications_by_user ON notifications (user_id, created_at, id);
CREATE INDEX notifications_unread ON notifications (user_id, created_at, id)
    WHERE read_at IS NULL;
CREATE INDEX notifications_mentions ON notifications (user_id, case_id)
    WHERE kind = 'mentioned';
