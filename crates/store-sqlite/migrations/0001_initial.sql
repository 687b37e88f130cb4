-- The caredesk schema on SQLite. Times are microseconds since the Unix epoch (UTC).

CREATE TABLE settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    grace_period_secs INTEGER NOT NULL,
    default_capacity INTEGER NOT NULL
);
INSERT INTO settings (id, grace_period_secs, default_capacity) VALUES (1, 432000, 5);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    care_access TEXT NOT NULL CHECK (care_access IN ('none', 'agent', 'supervisor')),
    capacity INTEGER NOT NULL CHECK (capacity >= 0),
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE network_apps (
    id INTEGER PRIMARY KEY,
    network TEXT NOT NULL CHECK (network IN ('meta', 'x')),
    name TEXT NOT NULL,
    app_secret TEXT NOT NULL,
    verify_token TEXT NOT NULL,
    consumer_key TEXT NOT NULL
);

CREATE TABLE profiles (
    id INTEGER PRIMARY KEY,
    network TEXT NOT NULL CHECK (network IN ('facebook', 'instagram', 'x')),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    app_id INTEGER NOT NULL REFERENCES network_apps (id),
    access_token TEXT NOT NULL,
    token_secret TEXT NOT NULL,
    UNIQUE (network, external_id)
);

CREATE TABLE user_profiles (
    user_id INTEGER NOT NULL REFERENCES users (id),
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    PRIMARY KEY (user_id, profile_id)
) WITHOUT ROWID;

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    network TEXT NOT NULL,
    network_user_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    handle TEXT NOT NULL,
    avatar_url TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    notes TEXT NOT NULL,
    attributes TEXT NOT NULL,
    salesforce TEXT,
    UNIQUE (network, network_user_id)
);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('dm', 'thread')),
    root_network_id TEXT NOT NULL,
    UNIQUE (profile_id, customer_id, kind, root_network_id)
);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    network_id TEXT,
    kind TEXT NOT NULL,
    author TEXT NOT NULL CHECK (author IN ('customer', 'brand', 'note')),
    customer_id INTEGER REFERENCES customers (id),
    sent_by INTEGER REFERENCES users (id),
    conversation_id INTEGER REFERENCES conversations (id),
    parent_id INTEGER REFERENCES messages (id),
    parent_network_id TEXT,
    text TEXT NOT NULL,
    attachments TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    edited_at INTEGER,
    hidden INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    visible_only_to_customer INTEGER NOT NULL DEFAULT 0,
    delivery TEXT,
    error TEXT
);
-- One message per (profile, network id): redeliveries are never stored twice.
CREATE UNIQUE INDEX messages_by_network_id ON messages (profile_id, network_id)
    WHERE network_id IS NOT NULL;
CREATE INDEX messages_by_conversation ON messages (conversation_id, author, created_at, id);
CREATE INDEX messages_by_parent ON messages (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE community_items (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('message', 'dm_thread')),
    message_id INTEGER NOT NULL REFERENCES messages (id),
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    status TEXT NOT NULL,
    labels TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    customer_last_case_spam INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX community_items_one_per_message ON community_items (message_id)
    WHERE kind = 'message';
CREATE UNIQUE INDEX community_items_one_per_thread ON community_items (conversation_id)
    WHERE kind = 'dm_thread';
CREATE INDEX community_items_by_profile ON community_items (profile_id, updated_at, id);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'done', 'spam')),
    assignee_id INTEGER REFERENCES users (id),
    priority_rank INTEGER NOT NULL CHECK (priority_rank BETWEEN 0 AND 3),
    sentiment TEXT NOT NULL,
    fields TEXT NOT NULL,
    note TEXT NOT NULL,
    escalated_by INTEGER NOT NULL REFERENCES users (id),
    escalated_from INTEGER NOT NULL REFERENCES messages (id),
    created_at INTEGER NOT NULL,
    last_customer_message_at INTEGER NOT NULL,
    grace_until INTEGER,
    holds_active_slot INTEGER NOT NULL,
    previous_case_id INTEGER REFERENCES cases (id),
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
-- At most one active case per (customer, profile), under concurrency too.
CREATE UNIQUE INDEX cases_one_active_per_customer_profile ON cases (customer_id, profile_id)
    WHERE holds_active_slot = 1;
CREATE INDEX cases_by_customer ON cases (customer_id, profile_id, created_at);
CREATE INDEX cases_by_status ON cases (status, created_at, id) WHERE deleted = 0;
CREATE INDEX cases_by_assignee ON cases (assignee_id, status, last_customer_message_at, id)
    WHERE deleted = 0;
CREATE INDEX cases_grace_due ON cases (grace_until)
    WHERE holds_active_slot = 1 AND status = 'done';

-- Which messages belong to which case; a message may belong to several cases over time.
CREATE TABLE case_messages (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    message_id INTEGER NOT NULL REFERENCES messages (id),
    PRIMARY KEY (case_id, message_id)
) WITHOUT ROWID;
CREATE INDEX case_messages_by_message ON case_messages (message_id, case_id);

CREATE TABLE case_fields (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    options TEXT NOT NULL,
    mandatory INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    position INTEGER NOT NULL
);

-- Field values as filter words (one per label of a multi-select), for `field.<id>=` filters.
CREATE TABLE case_field_tokens (
    field_id INTEGER NOT NULL,
    token TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    PRIMARY KEY (field_id, token, case_id)
) WITHOUT ROWID;
CREATE INDEX case_field_tokens_by_case ON case_field_tokens (case_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER REFERENCES cases (id),
    actor_id INTEGER REFERENCES users (id),
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX events_by_case ON events (case_id, id) WHERE case_id IS NOT NULL;

-- Replies waiting to be sent; written in the transaction that accepts the reply.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL UNIQUE REFERENCES messages (id),
    channel TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);
