-- name: create-job
INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
VALUES (?, ?, 'ready', 0, ?, ?, ?, ?) RETURNING id;

-- Due jobs, and running ones whose runner let the lease lapse (it died).
-- On PostgreSQL rows another runner is claiming are skipped (see
-- postgres/jobs.sql); SQLite has one writer, so no one else is claiming.
-- name: claim-jobs
UPDATE jobs SET state = 'running', attempts = attempts + 1, lease = ?, lease_until = ?, updated_at = ?
WHERE id IN (
    SELECT id FROM jobs
    WHERE ((state = 'ready' AND run_at <= ?) OR (state = 'running' AND lease_until <= ?))
      AND kind IN (SELECT value FROM json_each(?))
    ORDER BY run_at, id LIMIT ?)
RETURNING id, kind, payload, state, attempts, max_attempts, run_at, lease, lease_until, last_error, created_at, updated_at;

-- name: finish-job
DELETE FROM jobs WHERE id = ? AND lease = ? AND state = 'running';

-- name: retry-job-later
UPDATE jobs SET state = 'ready', run_at = ?, lease = '', lease_until = NULL, last_error = ?, updated_at = ?
WHERE id = ? AND lease = ? AND state = 'running';

-- name: kill-job
UPDATE jobs SET state = 'dead', lease = '', lease_until = NULL, last_error = ?, updated_at = ?
WHERE id = ? AND lease = ? AND state = 'running';

-- An admin's retry: a fresh set of attempts, due now.
-- name: revive-job
UPDATE jobs SET state = 'ready', attempts = 0, run_at = ?, updated_at = ? WHERE id = ? AND state = 'dead';

-- name: get-job
SELECT id, kind, payload, state, attempts, max_attempts, run_at, lease, lease_until, last_error, created_at, updated_at
FROM jobs WHERE id = ?;

-- name: get-jobs
SELECT id, kind, payload, state, attempts, max_attempts, run_at, lease, lease_until, last_error, created_at, updated_at
FROM jobs WHERE (? = '' OR state = ?) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?;

-- name: create-job-period
INSERT INTO job_periods (name, next_run_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING;

-- Only one node moves a period forward: on PostgreSQL a second UPDATE waits
-- for the first's row lock and then finds next_run_at already in the future.
-- name: take-job-period
UPDATE job_periods SET next_run_at = ? WHERE name = ? AND next_run_at <= ?;

-- name: create-sent-mail
INSERT INTO sent_mail (message_id, ticket_id, to_addr, automatic, sent_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (message_id) DO NOTHING;

-- name: get-sent-mail
SELECT message_id, ticket_id, to_addr, automatic, sent_at FROM sent_mail WHERE message_id = ?;

-- name: count-automatic-mail
SELECT COUNT(*) FROM sent_mail WHERE to_addr = ? AND automatic AND sent_at >= ?;

-- name: get-ticket-message-ids
SELECT message_id FROM sent_mail WHERE ticket_id = ? AND to_addr = ? ORDER BY sent_at, message_id LIMIT ?;
