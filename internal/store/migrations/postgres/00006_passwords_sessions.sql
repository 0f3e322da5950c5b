-- +goose Up
-- The argon2id hash of the account's web UI password, in the PHC string
-- format with its parameters; NULL while the account has none.
ALTER TABLE users ADD COLUMN password_hash TEXT;

-- Web UI sessions. id is the SHA-256 of the secret in the browser's
-- cookie, never the secret itself. expires_at is the earlier of 12 hours
-- after last_seen_at and 30 days after created_at.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
ALTER TABLE users DROP COLUMN password_hash;
