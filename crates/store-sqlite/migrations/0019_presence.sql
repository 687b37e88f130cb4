-- Who can take work (PRODUCT.md §13): what each user says of their presence (online or away;
-- whether they are offline is read from their sessions' last activity), when a case was last
-- assigned to them (auto-assignment's tie-break), and after how long without activity an
-- online user shows as away.
ALTER TABLE users ADD COLUMN presence_choice TEXT NOT NULL DEFAULT 'online';
ALTER TABLE users ADD COLUMN last_assigned_at INTEGER;
ALTER TABLE settings ADD COLUMN presence_idle_secs INTEGER NOT NULL DEFAULT 300;
