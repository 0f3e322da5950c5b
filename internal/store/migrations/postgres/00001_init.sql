-- +goose Up
CREATE TABLE users (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('requester', 'agent', 'supervisor', 'admin')),
    created_at  TIMESTAMPTZ NOT NULL,
    disabled_at TIMESTAMPTZ
);

CREATE TABLE tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX tokens_user_id ON tokens (user_id);

-- Identity values only grow, so id order is arrival order.
CREATE TABLE tickets (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject            TEXT NOT NULL,
    body               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('new', 'open', 'waiting', 'resolved', 'closed')),
    priority           TEXT NOT NULL CHECK (priority IN ('critical', 'normal')),
    priority_rank      INTEGER NOT NULL,
    impact_outage      BOOLEAN NOT NULL,
    impact_costs_money BOOLEAN NOT NULL,
    impact_blocks_work BOOLEAN NOT NULL,
    channel            TEXT NOT NULL,
    requester_id       BIGINT NOT NULL REFERENCES users (id),
    assignee_id        BIGINT REFERENCES users (id),
    logged_by_id       BIGINT REFERENCES users (id),
    follow_up_of       BIGINT REFERENCES tickets (id),
    resolution         TEXT NOT NULL DEFAULT '',
    reopen_count       INTEGER NOT NULL DEFAULT 0,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    claimed_at         TIMESTAMPTZ,
    first_response_at  TIMESTAMPTZ,
    resolved_at        TIMESTAMPTZ,
    closed_at          TIMESTAMPTZ
);
CREATE INDEX tickets_queue ON tickets (priority_rank, id)
    WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting');
CREATE INDEX tickets_requester_id ON tickets (requester_id, id);
CREATE INDEX tickets_assignee_id ON tickets (assignee_id, id) WHERE assignee_id IS NOT NULL;

CREATE TABLE events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id  BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    type       TEXT NOT NULL,
    actor_id   BIGINT REFERENCES users (id),
    body       TEXT NOT NULL DEFAULT '',
    internal   BOOLEAN NOT NULL DEFAULT FALSE,
    data       TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_ticket_id ON events (ticket_id, id);

-- How many tickets wait in the queue at each rank, kept in step with tickets
-- on SQLite only (see store.dialect.queueCounters); unused on PostgreSQL
-- in the same transaction, so a new ticket learns its place without counting.
CREATE TABLE queue_counts (
    priority_rank INTEGER PRIMARY KEY,
    queued        INTEGER NOT NULL CHECK (queued >= 0)
);
INSERT INTO queue_counts (priority_rank, queued) VALUES (0, 0), (1, 0);

CREATE VIEW ticket_view AS
SELECT t.id, t.subject, t.body, t.status, t.priority,
       t.impact_outage, t.impact_costs_money, t.impact_blocks_work, t.channel,
       r.id AS requester_id, r.email AS requester_email, r.name AS requester_name,
       a.id AS assignee_id, a.email AS assignee_email, a.name AS assignee_name,
       l.id AS logged_by_id, l.email AS logged_by_email, l.name AS logged_by_name,
       t.follow_up_of, t.resolution, t.reopen_count,
       t.created_at, t.updated_at, t.claimed_at, t.first_response_at, t.resolved_at, t.closed_at,
       t.priority_rank
FROM tickets t
JOIN users r ON r.id = t.requester_id
LEFT JOIN users a ON a.id = t.assignee_id
LEFT JOIN users l ON l.id = t.logged_by_id;

-- +goose Down
DROP VIEW ticket_view;
DROP TABLE queue_counts;
DROP TABLE events;
DROP TABLE tickets;
DROP TABLE tokens;
DROP TABLE users;
