-- Messages that arrive while another app (a bot, say) holds the thread: Meta's standby channel.
ALTER TABLE messages ADD COLUMN standby BOOLEAN NOT NULL DEFAULT false;

-- Files the desk keeps: copies of attachments (later uploads and avatars). The bytes live in the
-- media store under `object_key`; a `pending` row is downloaded after the commit of the
-- delivery that brought it, when `due_at` comes (NULL: nothing left to do). A worker holds a
-- row it is downloading until `claimed_until`, so a crash only delays it.
CREATE TABLE media (
    id BIGSERIAL PRIMARY KEY,
    message_id BIGINT,
    position BIGINT NOT NULL DEFAULT 0,
    profile_id BIGINT,
    uploaded_by BIGINT,
    network TEXT,
    kind TEXT NOT NULL,
    network_url TEXT,
    mime TEXT,
    size BIGINT,
    filename TEXT,
    object_key TEXT,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    due_at BIGINT,
    claimed_until BIGINT,
    error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX media_due ON media (due_at) WHERE due_at IS NOT NULL;
CREATE UNIQUE INDEX media_of_attachment ON media (message_id, position) WHERE message_id IS NOT NULL;
