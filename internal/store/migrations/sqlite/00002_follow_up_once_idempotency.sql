-- +goose Up
-- One follow-up per ticket. Before this index a repeated reopen could make
-- several: the first stays the follow-up, the others become plain tickets.
UPDATE tickets SET follow_up_of = NULL
WHERE follow_up_of IS NOT NULL
  AND id > (SELECT MIN(f.id) FROM tickets f WHERE f.follow_up_of = tickets.follow_up_of);
CREATE UNIQUE INDEX tickets_follow_up_of ON tickets (follow_up_of);

-- Requests sent with an Idempotency-Key header. A row is written in the same
-- transaction as the request's first write, so a retry never writes twice;
-- response is the recorded answer, NULL until it is saved.
CREATE TABLE idempotency_keys (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    response        BLOB,
    PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP INDEX tickets_follow_up_of;
