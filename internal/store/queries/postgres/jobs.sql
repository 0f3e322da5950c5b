-- SKIP LOCKED: two runners claiming at once take different jobs, and
-- neither waits for the other.
-- name: claim-jobs
UPDATE jobs SET state = 'running', attempts = attempts + 1, lease = ?, lease_until = ?, updated_at = ?
WHERE id IN (
    SELECT id FROM jobs
    WHERE ((state = 'ready' AND run_at <= ?) OR (state = 'running' AND lease_until <= ?))
      AND kind IN (SELECT jsonb_array_elements_text(?::jsonb))
    ORDER BY run_at, id LIMIT ?
    FOR UPDATE SKIP LOCKED)
RETURNING id, kind, payload, state, attempts, max_attempts, run_at, lease, lease_until, last_error, created_at, updated_at;
