-- Search (PRODUCT.md §12): full-text indexes of message text and of customers' names, handles,
-- e-mail addresses and phone numbers, kept by triggers in the same transaction as the rows.
-- Words are runs of letters and digits, case and accents ignored (`unicode61`, diacritics
-- removed); each index is external content, so the text is kept once, in its own table.
CREATE VIRTUAL TABLE messages_search USING fts5 (
    text,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
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

CREATE VIRTUAL TABLE customers_search USING fts5 (
    display_name,
    handle,
    email,
    phone,
    content = 'customers',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_search (rowid, display_name, handle, email, phone)
    VALUES (new.id, new.display_name, new.handle, new.email, new.phone);
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_search (customers_search, rowid, display_name, handle, email, phone)
    VALUES ('delete', old.id, old.display_name, old.handle, old.email, old.phone);
END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF display_name, handle, email, phone
ON customers
WHEN old.display_name IS NOT new.display_name OR old.handle IS NOT new.handle
    OR old.email IS NOT new.email OR old.phone IS NOT new.phone BEGIN
    INSERT INTO customers_search (customers_search, rowid, display_name, handle, email, phone)
    VALUES ('delete', old.id, old.display_name, old.handle, old.email, old.phone);
    INSERT INTO customers_search (rowid, display_name, handle, email, phone)
    VALUES (new.id, new.display_name, new.handle, new.email, new.phone);
END;
INSERT INTO customers_search (customers_search) VALUES ('rebuild');
