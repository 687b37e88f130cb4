-- Search (PRODUCT.md §12): GIN indexes over the words of message text and of customers'
-- names, handles, e-mail addresses and phone numbers, kept by PostgreSQL in the same
-- transaction as the rows. Words are runs of letters and digits (as SQLite's `unicode61`
-- splits them), lower case, the common Latin accents removed; a query is read the same way by
-- `caredesk_search_query`, its last word as a prefix.
CREATE OR REPLACE FUNCTION caredesk_search_fold(words text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN regexp_replace(
    translate(
        lower(words),
        'àáâãäåāăąçćĉċčďèéêëēĕėęěĝğġģĥìíîïĩīĭįĵķĺļľñńņňòóôõöōŏőŕŗřśŝşšţťùúûüũūŭůűųŵýÿŷźżž',
        'aaaaaaaaacccccdeeeeeeeeegggghiiiiiiiijklllnnnnoooooooorrrssssttuuuuuuuuuuwyyyzzz'
    ),
    '[^[:alnum:]]+', ' ', 'g'
);

CREATE OR REPLACE FUNCTION caredesk_search_words(words text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN to_tsvector('simple'::regconfig, caredesk_search_fold(words));

-- The words of a query, each required, the last one as a prefix; NULL when none is left.
CREATE OR REPLACE FUNCTION caredesk_search_query(words text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN btrim(caredesk_search_fold(words)) = '' THEN NULL ELSE to_tsquery(
    'simple'::regconfig,
    regexp_replace(btrim(caredesk_search_fold(words)), '\s+', ' & ', 'g') || ':*'
) END;

CREATE INDEX IF NOT EXISTS messages_search ON messages USING GIN (caredesk_search_words(text));
CREATE INDEX IF NOT EXISTS customers_search ON customers USING GIN (
    caredesk_search_words(display_name || ' ' || handle || ' ' || email || ' ' || phone)
);
