-- Service levels (PRODUCT.md §13). Schedules keep their rules (zone, weekly hours, holidays)
-- as one JSON text; policies keep conditions, targets and warning share as one JSON text, with
-- their order and schedule as columns. A case with targets has one `case_sla` row: its timers
-- as JSON, and the three times read from indexes: the next warning or breach to record
-- (`fire_at`, the sweep), the nearest due time (`due_at`, `sort=sla_due`) and when it is at
-- risk (`at_risk_from`, the SLA at risk view).
CREATE TABLE schedules (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    rules TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sla_policies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    rules TEXT NOT NULL,
    schedule_id INTEGER REFERENCES schedules (id),
    created_at INTEGER NOT NULL
);

CREATE TABLE case_sla (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id),
    sla TEXT NOT NULL,
    fire_at INTEGER,
    due_at INTEGER,
    at_risk_from INTEGER
);

CREATE INDEX case_sla_by_fire_at ON case_sla (fire_at) WHERE fire_at IS NOT NULL;
CREATE INDEX case_sla_by_due_at ON case_sla (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX case_sla_by_risk ON case_sla (at_risk_from) WHERE at_risk_from IS NOT NULL;
