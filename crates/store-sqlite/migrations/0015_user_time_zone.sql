-- A user's time zone (PRODUCT.md §12 "Times"): an IANA name checked by the domain, or NULL for
-- the browser's own zone. Instants stay UTC everywhere; the zone only changes how the web app
-- writes them.
ALTER TABLE users ADD COLUMN time_zone TEXT;
