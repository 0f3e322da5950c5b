-- +goose Up
-- Who resolved the ticket a check-in follows up: its survey names them as
-- the agent asked about, even when the ticket changed hands since.
ALTER TABLE checkins ADD COLUMN agent_id INTEGER REFERENCES users (id);

-- +goose Down
ALTER TABLE checkins DROP COLUMN agent_id;
