-- When a case's first reply from the desk was delivered to the network (the first
-- `reply_delivery` event that says `sent`), kept on the case so that the overview's and the
-- reports' first-response times are read from an index rather than from the event log.
ALTER TABLE cases ADD COLUMN first_reply_at BIGINT;

UPDATE cases SET first_reply_at = firsts.at
FROM (
    SELECT case_id, min(at) AS at FROM events
    WHERE case_id IS NOT NULL AND kind = 'reply_delivery' AND data LIKE '%"delivery":"sent"%'
    GROUP BY case_id
) AS firsts
WHERE cases.id = firsts.case_id;

CREATE INDEX cases_by_first_reply ON cases (first_reply_at) WHERE first_reply_at IS NOT NULL;
