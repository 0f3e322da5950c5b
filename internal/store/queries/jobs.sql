-- name: create-job
INSERT INTO jobs (kind, group_key, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
VALUES (?, ?, ?, 'ready', 0, ?, ?, ?, ?) RETURNING id;

-- Due jobs, and running ones whose runner let the lease lapse (it died).
-- A job of a group waits while an earlier job of its group is running or
-- due (one failing and waiting to retry does not hold the rest back).
-- On PostgreSQL rows another runner is claiming are skipped (see
-- postgres/jobs.sql); SQLite has one writer, so no one else is claiming.
-- name: claim-jobs
UPDATE jobs SET state = 'running', attempts = attempts + 1, lease = ?, lease_until = ?, updated_at = ?
WHERE id IN (
    SELECT j.id FROM jobs j
    WHERE ((j.state = 'ready' AND j.run_at <= ?) OR (j.state = 'running' AND j.lease_until <= ?))
      AND j.kind IN (SELECT value FROM json_each(?))
      AND (j.group_key = '' OR NOT EXISTS (
          SELECT 1 FROM jobs e WHERE e.group_key = j.group_key AND e.id < j.id
            AND (e.state = 'running' OR (e.state = 'ready' AND e.run_at <= ?))))
    ORDER BY j.run_at, j.id LIMIT ?)
RETURNING id, kind, group_key, payload, state, attempts, max_attempts, run_at, lease, lease_until, last_error, created_at, updated_at;

-- A read first, so that an idle runner does not write to find nothing.
-- name: jobs-due
SELECT EXISTS (SELECT 1 FROM jobs WHERE (state = 'ready' AND run_at <= ?) OR (state = 'running' AND lease_until <= ?));

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
SELECT id, kind, group_key, payload, state, attempts, max_attempts, run_at, lease, lease_until, last_error, created_at, updated_at
FROM jobs WHERE id = ?;

-- name: get-jobs
SELECT id, kind, group_key, payload, state, attempts, max_attempts, run_at, lease, lease_until, last_error, created_at, updated_at
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

-- What a person and the help desk mailed each other about a ticket, oldest
-- first: a notice names them in References so that it threads with the
-- person's own mail (their request, their replies) as well as ours.
-- name: get-ticket-message-ids
SELECT message_id FROM (
    SELECT message_id, sent_at AS at FROM sent_mail WHERE ticket_id = ? AND to_addr = ?
    UNION ALL
    SELECT message_id, received_at AS at FROM inbound_mail
    WHERE ticket_id = ? AND from_addr = ? AND message_id <> ''
) m ORDER BY at, message_id LIMIT ?;
