-- Who the customer is (PRODUCT.md §11): Messenger and Instagram direct messages name a person
-- only by id, so the desk asks the Graph API after the commit. A look-up is due at
-- `lookup_due_at` (NULL: nothing to do), asked with the token of `lookup_profile_id`, held by a
-- worker until `lookup_claimed_until` (a crash only delays it); `looked_up_at` is when the last
-- one ended, from which the daily refresh counts.
ALTER TABLE customers ADD COLUMN looked_up_at BIGINT;
ALTER TABLE customers ADD COLUMN lookup_due_at BIGINT;
ALTER TABLE customers ADD COLUMN lookup_profile_id BIGINT;
ALTER TABLE customers ADD COLUMN lookup_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN lookup_claimed_until BIGINT;
ALTER TABLE customers ADD COLUMN lookup_error TEXT;
-- The details an agent set by hand (a JSON list of their names): no look-up or payload
-- overwrites them.
ALTER TABLE customers ADD COLUMN agent_edited TEXT NOT NULL DEFAULT '[]';
CREATE INDEX customers_lookup_due ON customers (lookup_due_at) WHERE lookup_due_at IS NOT NULL;

-- A customer's picture is a media row of theirs, downloaded like any image.
ALTER TABLE media ADD COLUMN customer_id BIGINT;
CREATE INDEX media_of_customer ON media (customer_id, id) WHERE customer_id IS NOT NULL;
