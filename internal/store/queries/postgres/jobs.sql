-- SKIP LOCKED: two runners claiming at once take different jobs, and
-- neither waits for the other.
-- name: claim-jobs
UPDATE jobs SET state = 'running', attempts = attempts + 1, lease = ?, lease_until = ?, updated_at = ?
WHERE id IN (
    SELECT j.id FROM jobs j
    WHERE ((j.state = 'ready' AND j.run_at <= ?) OR (j.state = 'running' AND j.lease_until <= ?))
      AND j.kind IN (SELECT jsonb_array_elements_text(?::jsonb))
      AND (j.group_key = '' OR NOT EXISTS (
          SELECT 1 FROM jobs e WHERE e.group_key = j.group_key AND e.id < j.id
            AND (e.state = 'running' OR (e.state = 'ready' AND e.run_at <= ?))))
    ORDER BY j.run_at, j.id LIMIT ?
    FOR UPDATE OF j SKIP LOCKED)
RETURNING id, kind, group_key, payload, state, attempts, max_attempts, run_at, lease, lease_until, last_error, created_at, updated_at;
