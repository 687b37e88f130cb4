-- Search on PostgreSQL keeps each message's words in a stored column with the GIN index on it.
-- Checking a found row then reads the stored words instead of working them out of the text
-- again, and the planner, which has the column's statistics, can answer a query whose words
-- are common by walking the newest messages backwards and stopping after a page (as SQLite's
-- FTS5 does) instead of reading and sorting every match. Adding the column rewrites the
-- `messages` table once.
ALTER TABLE messages ADD COLUMN search_words tsvector
    GENERATED ALWAYS AS (caredesk_search_words(text)) STORED;
DROP INDEX IF EXISTS messages_search;
CREATE INDEX messages_search ON messages USING GIN (search_words);
