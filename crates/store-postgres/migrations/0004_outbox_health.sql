-- Sends in flight and the health of each profile.
--
-- `outbox.sending_since` is set, and committed, before a reply's network call starts; a row
-- that keeps it past the in-doubt window got no answer and waits for its echo or a person.
ALTER TABLE outbox ADD COLUMN sending_since BIGINT;
CREATE INDEX outbox_in_flight ON outbox (sending_since) WHERE sending_since IS NOT NULL;

-- What the networks last said about a profile: its token refused, its last webhook.
ALTER TABLE profiles ADD COLUMN token_rejected_at BIGINT;
ALTER TABLE profiles ADD COLUMN token_error TEXT;
ALTER TABLE profiles ADD COLUMN last_webhook_at BIGINT;

-- Our replies the network has not named yet, looked up when an echo arrives.
CREATE INDEX messages_unconfirmed_replies ON messages (profile_id, customer_id)
    WHERE author = 'brand' AND network_id IS NULL;
