-- When a case's first reply from the desk was delivered to the network (the first
-- `reply_delivery` event that says `sent`), kept on the case so that the overview's and the
-- reports' first-response times are read from an index rather than from the event log.
ALTER TABLE cases ADD COLUMN first_reply_at INTEGER;

UPDATE cases SET first_reply_at = (
    SELECT min(e.at) FROM events e
    WHERE e.case_id = cases.id AND e.kind = 'reply_delivery' AND e.data LIKE '%"delivery":"sent"%'
);

CREATE INDEX cases_by_first_reply ON cases (first_reply_at) WHERE first_reply_at IS NOT NULL;
