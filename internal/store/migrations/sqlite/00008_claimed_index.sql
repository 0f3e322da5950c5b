-- +goose Up
-- The expected wait reads the latest pickups of each priority
-- (queries/claims.sql): newest first by rank, both times in the index.
CREATE INDEX tickets_claimed ON tickets (priority_rank, claimed_at, created_at)
    WHERE claimed_at IS NOT NULL;

-- +goose Down
DROP INDEX tickets_claimed;
