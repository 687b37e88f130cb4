-- Sign-in sessions and failed sign-in attempts. Times are microseconds since the Unix epoch.

-- A bearer token is stored only as its SHA-256 (hex); the token itself never reaches the disk.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sessions_live_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- One row per failed sign-in; key is `account:<lowercased email>` or `address:<ip>`.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
