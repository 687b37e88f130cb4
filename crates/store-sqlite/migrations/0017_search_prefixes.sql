-- The message index also keeps every word's prefixes of two and three characters, so that the
-- last word of a query, which is matched as a prefix while an agent types it, is read from one
-- list instead of by merging the lists of every word that starts with it. A longer last word
-- is found by its first three characters and each row is checked against the whole word.
-- The index is built again from the messages (about 15 seconds per million messages).
DROP TRIGGER messages_search_insert;
DROP TRIGGER messages_search_delete;
DROP TRIGGER messages_search_update;
DROP TABLE messages_search;

CREATE VIRTUAL TABLE messages_search USING fts5 (
    text,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_search (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_search (messages_search, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER messages_search_update AFTER UPDATE OF text ON messages
WHEN old.text IS NOT new.text BEGIN
    INSERT INTO messages_search (messages_search, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO messages_search (rowid, text) VALUES (new.id, new.text);
END;
INSERT INTO messages_search (messages_search) VALUES ('rebuild');
