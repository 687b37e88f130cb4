-- The Salesforce integration. Times are microseconds since the Unix epoch (UTC).

-- The installation's one connection: credentials and the current session.
CREATE TABLE salesforce_connection (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    login_url TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    refresh_token TEXT,
    access_token TEXT,
    instance_url TEXT,
    state TEXT NOT NULL CHECK (state IN ('none', 'connected', 'expired', 'error')),
    error TEXT,
    connected_at BIGINT,
    updated_at BIGINT NOT NULL
);

-- The Salesforce Case created from a case: at most one per case, and a Salesforce Case belongs
-- to one case. `read_at` is when Salesforce's own status was last read (NULL: never).
CREATE TABLE salesforce_cases (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    salesforce_id TEXT NOT NULL UNIQUE,
    number TEXT,
    url TEXT NOT NULL,
    status TEXT,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
-- The pull claim: never read first, then the oldest read.
CREATE INDEX salesforce_cases_pull ON salesforce_cases (read_at NULLS FIRST, case_id);

-- Status syncs waiting for Salesforce: one row per linked case, written with the change that
-- causes it. `generation` rises with every change; `next_attempt_at` NULL means given up until
-- the next change; `leased_until` is set while a worker calls Salesforce.
CREATE TABLE salesforce_sync (
    case_id BIGINT PRIMARY KEY REFERENCES salesforce_cases (case_id),
    generation BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    leased_until BIGINT,
    last_error TEXT
);
CREATE INDEX salesforce_sync_due ON salesforce_sync (next_attempt_at, case_id)
    WHERE next_attempt_at IS NOT NULL;
