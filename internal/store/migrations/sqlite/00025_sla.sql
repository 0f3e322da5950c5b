-- +goose Up
-- Service levels (issue 9): business-hours calendars, a policy per
-- priority, and each ticket's pausable SLA clock. The outcome of each
-- target lives on the ticket (tickets.sla_*, migration 00023).

-- A calendar's time zone, weekly hours, holidays and on-call periods are
-- one JSON document (rapport.CalendarConfig): they are always read and
-- checked whole. At most one calendar is the default.
CREATE TABLE calendars (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    config     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX calendars_default ON calendars (is_default) WHERE is_default;

CREATE TABLE sla_policies (
    priority               TEXT PRIMARY KEY CHECK (priority IN ('critical', 'normal')),
    calendar_id            INTEGER NOT NULL REFERENCES calendars (id),
    first_response_seconds BIGINT NOT NULL CHECK (first_response_seconds > 0),
    resolution_seconds     BIGINT NOT NULL CHECK (resolution_seconds > 0),
    warn_percent           INTEGER NOT NULL CHECK (warn_percent BETWEEN 1 AND 99),
    updated_at             TIMESTAMP NOT NULL
);

-- runs is the JSON list of spans in which the clock ran, the last one
-- open (no end) while it runs. next_check_at is when a warning or breach
-- falls due next, NULL when none can: the periodic check reads only the
-- rows due, through the partial index.
CREATE TABLE sla_clocks (
    ticket_id                   INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    priority                    TEXT NOT NULL,
    calendar_id                 INTEGER REFERENCES calendars (id) ON DELETE SET NULL,
    warn_percent                INTEGER NOT NULL,
    runs                        TEXT NOT NULL,
    first_response_seconds      BIGINT NOT NULL,
    resolution_seconds          BIGINT NOT NULL,
    first_response_warned_at    TIMESTAMP,
    first_response_breached_at  TIMESTAMP,
    resolution_warned_at        TIMESTAMP,
    resolution_breached_at      TIMESTAMP,
    next_check_at               TIMESTAMP
);
CREATE INDEX sla_clocks_next_check ON sla_clocks (next_check_at) WHERE next_check_at IS NOT NULL;

-- +goose Down
DROP TABLE sla_clocks;
DROP TABLE sla_policies;
DROP TABLE calendars;
