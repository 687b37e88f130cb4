-- The caredesk schema on PostgreSQL. Times are microseconds since the Unix epoch (UTC), as in
-- every backend; JSON documents are stored as text and never queried inside.

CREATE TABLE settings (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    grace_period_secs BIGINT NOT NULL,
    default_capacity BIGINT NOT NULL
);
INSERT INTO settings (id, grace_period_secs, default_capacity) VALUES (1, 432000, 5);

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    care_access TEXT NOT NULL CHECK (care_access IN ('none', 'agent', 'supervisor')),
    capacity BIGINT NOT NULL CHECK (capacity >= 0),
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE network_apps (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network TEXT NOT NULL CHECK (network IN ('meta', 'x')),
    name TEXT NOT NULL,
    app_secret TEXT NOT NULL,
    verify_token TEXT NOT NULL,
    consumer_key TEXT NOT NULL
);

CREATE TABLE profiles (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network TEXT NOT NULL CHECK (network IN ('facebook', 'instagram', 'x')),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    app_id BIGINT NOT NULL REFERENCES network_apps (id),
    access_token TEXT NOT NULL,
    token_secret TEXT NOT NULL,
    UNIQUE (network, external_id)
);

CREATE TABLE user_profiles (
    user_id BIGINT NOT NULL REFERENCES users (id),
    profile_id BIGINT NOT NULL REFERENCES profiles (id),
    PRIMARY KEY (user_id, profile_id)
);

CREATE TABLE customers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id BIGINT NOT NULL REFERENCES profiles (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('dm', 'thread')),
    root_network_id TEXT NOT NULL,
    UNIQUE (profile_id, customer_id, kind, root_network_id)
);

CREATE TABLE messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id BIGINT NOT NULL REFERENCES profiles (id),
    network_id TEXT,
    kind TEXT NOT NULL,
    author TEXT NOT NULL CHECK (author IN ('customer', 'brand', 'note')),
    customer_id BIGINT REFERENCES customers (id),
    sent_by BIGINT REFERENCES users (id),
    conversation_id BIGINT REFERENCES conversations (id),
    parent_id BIGINT REFERENCES messages (id),
    parent_network_id TEXT,
    text TEXT NOT NULL,
    attachments TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    edited_at BIGINT,
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    visible_only_to_customer BOOLEAN NOT NULL DEFAULT FALSE,
    delivery TEXT,
    error TEXT
);
-- One message per (profile, network id): redeliveries are never stored twice.
CREATE UNIQUE INDEX messages_by_network_id ON messages (profile_id, network_id)
    WHERE network_id IS NOT NULL;
CREATE INDEX messages_by_conversation ON messages (conversation_id, author, created_at, id);
CREATE INDEX messages_by_parent ON messages (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE community_items (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id BIGINT NOT NULL REFERENCES profiles (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('message', 'dm_thread')),
    message_id BIGINT NOT NULL REFERENCES messages (id),
    conversation_id BIGINT NOT NULL REFERENCES conversations (id),
    status TEXT NOT NULL,
    labels TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    customer_last_case_spam BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX community_items_one_per_message ON community_items (message_id)
    WHERE kind = 'message';
CREATE UNIQUE INDEX community_items_one_per_thread ON community_items (conversation_id)
    WHERE kind = 'dm_thread';
CREATE INDEX community_items_by_profile ON community_items (profile_id, updated_at, id);

-- Case numbers without gaps: the counter row is updated in the transaction that opens the
-- case, so a refused or rolled-back escalation takes no number.
CREATE TABLE case_number_counter (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    last BIGINT NOT NULL
);
INSERT INTO case_number_counter (id, last) VALUES (1, 0);

CREATE TABLE cases (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number BIGINT NOT NULL UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    profile_id BIGINT NOT NULL REFERENCES profiles (id),
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'done', 'spam')),
    assignee_id BIGINT REFERENCES users (id),
    priority_rank BIGINT NOT NULL CHECK (priority_rank BETWEEN 0 AND 3),
    sentiment TEXT NOT NULL,
    fields TEXT NOT NULL,
    note TEXT NOT NULL,
    escalated_by BIGINT NOT NULL REFERENCES users (id),
    escalated_from BIGINT NOT NULL REFERENCES messages (id),
    created_at BIGINT NOT NULL,
    last_customer_message_at BIGINT NOT NULL,
    grace_until BIGINT,
    holds_active_slot BOOLEAN NOT NULL,
    previous_case_id BIGINT REFERENCES cases (id),
    version BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE
);
-- At most one active case per (customer, profile), across every node.
CREATE UNIQUE INDEX cases_one_active_per_customer_profile ON cases (customer_id, profile_id)
    WHERE holds_active_slot;
CREATE INDEX cases_by_customer ON cases (customer_id, profile_id, created_at);
CREATE INDEX cases_by_status ON cases (status, created_at, id) WHERE NOT deleted;
CREATE INDEX cases_by_assignee ON cases (assignee_id, status, last_customer_message_at, id)
    WHERE NOT deleted;
CREATE INDEX cases_grace_due ON cases (grace_until)
    WHERE holds_active_slot AND status = 'done';

-- Which messages belong to which case; a message may belong to several cases over time.
CREATE TABLE case_messages (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    message_id BIGINT NOT NULL REFERENCES messages (id),
    PRIMARY KEY (case_id, message_id)
);
CREATE INDEX case_messages_by_message ON case_messages (message_id, case_id);

CREATE TABLE case_fields (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    options TEXT NOT NULL,
    mandatory BOOLEAN NOT NULL,
    enabled BOOLEAN NOT NULL,
    position BIGINT NOT NULL
);

-- Field values as filter words (one per label of a multi-select), for `field.<id>=` filters.
CREATE TABLE case_field_tokens (
    field_id BIGINT NOT NULL,
    token TEXT NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    PRIMARY KEY (field_id, token, case_id)
);
CREATE INDEX case_field_tokens_by_case ON case_field_tokens (case_id);

CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT REFERENCES cases (id),
    actor_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX events_by_case ON events (case_id, id) WHERE case_id IS NOT NULL;

-- Replies waiting to be sent; written in the transaction that accepts the reply.
CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id BIGINT NOT NULL UNIQUE REFERENCES messages (id),
    channel TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);
