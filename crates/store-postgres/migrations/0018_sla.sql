-- Service levels (PRODUCT.md §13). Schedules keep their rules (zone, weekly hours, holidays)
-- as one JSON text; policies keep conditions, targets and warning share as one JSON text, with
-- their order and schedule as columns. A case with targets has one `case_sla` row: its timers
-- as JSON, and the three times read from indexes: the next warning or breach to record
-- (`fire_at`, the sweep), the nearest due time (`due_at`, `sort=sla_due`) and when it is at
-- risk (`at_risk_from`, the SLA at risk view).
CREATE TABLE schedules (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    rules TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sla_policies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    rules TEXT NOT NULL,
    schedule_id BIGINT REFERENCES schedules (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE case_sla (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    sla TEXT NOT NULL,
    fire_at BIGINT,
    due_at BIGINT,
    at_risk_from BIGINT
);

CREATE INDEX case_sla_by_fire_at ON case_sla (fire_at) WHERE fire_at IS NOT NULL;
CREATE INDEX case_sla_by_due_at ON case_sla (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX case_sla_by_risk ON case_sla (at_risk_from) WHERE at_risk_from IS NOT NULL;
