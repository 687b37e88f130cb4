-- Saved replies (PRODUCT.md §12): shared ones (`owner_id` NULL, kept by supervisors) and each
-- Care user's personal ones. A user's list is the shared ones and their own, by name; the index
-- answers both halves of that condition and holds the names it lists.
CREATE TABLE saved_replies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id BIGINT REFERENCES users (id),
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX saved_replies_by_owner_name ON saved_replies (owner_id, name);
