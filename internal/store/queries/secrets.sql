-- name: get-secret
SELECT value FROM secrets WHERE name = ?;

-- Two nodes making the same secret at once: the first one wins and both
-- read it back.
-- name: create-secret
INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING;
