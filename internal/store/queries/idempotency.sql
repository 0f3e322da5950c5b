-- name: get-idempotency-key
SELECT request_hash, created_at, response FROM idempotency_keys
WHERE user_id = ? AND idempotency_key = ? AND created_at >= ?;

-- A row past its time no longer counts: clear it so the key can be used again.
-- name: delete-stale-idempotency-key
DELETE FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ? AND created_at < ?;

-- name: create-idempotency-key
INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, created_at) VALUES (?, ?, ?, ?);

-- name: save-idempotent-response
UPDATE idempotency_keys SET response = ? WHERE user_id = ? AND idempotency_key = ?;

-- name: delete-idempotency-keys
DELETE FROM idempotency_keys WHERE created_at < ?;
