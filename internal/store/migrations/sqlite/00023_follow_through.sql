-- +goose Up
-- Follow-through (issue 9). The columns and tables here are the ones the
-- reports read; the features that fill them add their own migrations.

-- Each SLA target's outcome on the ticket: when it is due (business time,
-- pushed out by pauses), and whether it was met. NULL met means not yet
-- decided; a target is decided when it is met or the moment it is breached.
ALTER TABLE tickets ADD COLUMN sla_response_due TIMESTAMP;
ALTER TABLE tickets ADD COLUMN sla_resolve_due TIMESTAMP;
ALTER TABLE tickets ADD COLUMN sla_response_met BOOLEAN;
ALTER TABLE tickets ADD COLUMN sla_resolve_met BOOLEAN;

-- A check-in after resolution: "Is everything still working?"
CREATE TABLE checkins (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    due_at       TIMESTAMP NOT NULL,
    sent_at      TIMESTAMP,
    answer       TEXT NOT NULL DEFAULT '' CHECK (answer IN ('', 'fixed', 'back')),
    answered_at  TIMESTAMP,
    cancelled_at TIMESTAMP,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX checkins_ticket_id ON checkins (ticket_id, id);
CREATE INDEX checkins_due ON checkins (due_at) WHERE sent_at IS NULL AND cancelled_at IS NULL;

-- A satisfaction survey about one resolved ticket; agent_id is who
-- resolved it. score and answered_at stay NULL until the person answers.
CREATE TABLE surveys (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    requester_id INTEGER NOT NULL REFERENCES users (id),
    agent_id     INTEGER REFERENCES users (id),
    score        INTEGER CHECK (score BETWEEN 1 AND 5),
    comment      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    answered_at  TIMESTAMP
);
CREATE INDEX surveys_ticket_id ON surveys (ticket_id, id);
CREATE INDEX surveys_answered_at ON surveys (answered_at) WHERE answered_at IS NOT NULL;
CREATE INDEX surveys_agent_id ON surveys (agent_id, answered_at);

-- Thanks from a requester to an agent, or between members of staff.
CREATE TABLE kudos (
    id         INTEGER PRIMARY KEY,
    from_id    INTEGER NOT NULL REFERENCES users (id),
    to_id      INTEGER NOT NULL REFERENCES users (id),
    ticket_id  INTEGER REFERENCES tickets (id) ON DELETE SET NULL,
    message    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (from_id <> to_id)
);
CREATE INDEX kudos_to_id ON kudos (to_id, id);
CREATE INDEX kudos_created_at ON kudos (created_at);

-- +goose Down
DROP TABLE kudos;
DROP TABLE surveys;
DROP TABLE checkins;
ALTER TABLE tickets DROP COLUMN sla_resolve_met;
ALTER TABLE tickets DROP COLUMN sla_response_met;
ALTER TABLE tickets DROP COLUMN sla_resolve_due;
ALTER TABLE tickets DROP COLUMN sla_response_due;
