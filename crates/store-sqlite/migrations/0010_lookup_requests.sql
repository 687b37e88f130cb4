-- A look-up of a returning customer is asked for with the message that calls for it by a row
-- appended here (a narrow row at the end of a table, where writing the customer's own row would
-- touch a page of the customers table for each of them). The look-up worker moves requests onto
-- the customers' rows (`lookup_due_at`) before it claims, oldest first, and deletes them; a
-- request whose customer is waiting already or was looked up after `refresh_before` queues
-- nothing. New customers are created with their look-up due and never need a request.
CREATE TABLE lookup_requests (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    profile_id INTEGER NOT NULL,
    requested_at INTEGER NOT NULL,
    refresh_before INTEGER NOT NULL
);
