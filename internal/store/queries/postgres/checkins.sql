-- PostgreSQL: row locks, so that of several nodes sending due check-ins
-- each takes a different one and none waits (SQLite has one writer).

-- name: lock-due-checkin
SELECT id, ticket_id, agent_id, due_at, sent_at, answer, answered_at, cancelled_at, created_at FROM checkins
WHERE due_at <= ? AND sent_at IS NULL AND cancelled_at IS NULL
ORDER BY due_at, id
LIMIT 1
FOR UPDATE SKIP LOCKED;

-- name: lock-checkin
SELECT id, ticket_id, agent_id, due_at, sent_at, answer, answered_at, cancelled_at, created_at FROM checkins
WHERE id = ?
FOR UPDATE;

-- name: lock-survey
SELECT s.id, s.ticket_id, r.id, r.email, r.name, a.id, a.email, a.name, s.score, s.comment,
       s.created_at, s.expires_at, s.answered_at
FROM surveys s JOIN users r ON r.id = s.requester_id LEFT JOIN users a ON a.id = s.agent_id
WHERE s.id = ?
FOR UPDATE OF s;
