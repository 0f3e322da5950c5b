-- +goose Up
-- Durable jobs (internal/jobs): written in the transaction of the change
-- that causes them, claimed by one runner at a time (a lease that another
-- node may take over once it lapses), retried with backoff, and kept as
-- "dead" for an admin once out of attempts. A finished job is deleted.
CREATE TABLE jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL,
    -- Jobs of one group (such as a ticket's notices) run one at a time,
    -- in order; '' for none.
    group_key    TEXT NOT NULL DEFAULT '',
    payload      BYTEA NOT NULL,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       TIMESTAMPTZ NOT NULL,
    lease        TEXT NOT NULL DEFAULT '',
    lease_until  TIMESTAMPTZ,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
-- Claims read the due jobs of a state in run_at order.
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_group ON jobs (group_key, id) WHERE group_key <> '';

-- Periodic tasks: the node that moves next_run_at forward runs the task
-- for that interval; the others find it already moved.
CREATE TABLE job_periods (
    name        TEXT PRIMARY KEY,
    next_run_at TIMESTAMPTZ NOT NULL
);

-- Mail sent, by Message-ID: a retried job does not send twice, replies
-- thread on the ticket's earlier mail, and automatic mail is counted per
-- address for the loop-protection rate limit.
CREATE TABLE sent_mail (
    message_id TEXT PRIMARY KEY,
    ticket_id  BIGINT NOT NULL DEFAULT 0,
    to_addr    TEXT NOT NULL,
    automatic  BOOLEAN NOT NULL,
    sent_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX sent_mail_ticket ON sent_mail (ticket_id, to_addr, sent_at);
CREATE INDEX sent_mail_to ON sent_mail (to_addr, sent_at);

-- +goose Down
DROP TABLE sent_mail;
DROP TABLE job_periods;
DROP TABLE jobs;
