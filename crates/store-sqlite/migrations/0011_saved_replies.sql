-- Saved replies (PRODUCT.md §12): shared ones (`owner_id` NULL, kept by supervisors) and each
-- Care user's personal ones. A user's list is the shared ones and their own, by name; the index
-- answers both halves of that condition and holds the names it lists.
CREATE TABLE saved_replies (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER REFERENCES users (id),
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX saved_replies_by_owner_name ON saved_replies (owner_id, name);
