-- PostgreSQL holds row locks; SQLite's write transaction already holds the
-- whole database, so it needs neither clause.

-- name: lock-ticket
SELECT id FROM tickets WHERE id = ? FOR UPDATE;

-- SKIP LOCKED: concurrent claims each get a different ticket, never the same.
-- name: next-queued-ticket
SELECT id FROM tickets
WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting')
ORDER BY priority_rank, id
LIMIT 1
FOR UPDATE SKIP LOCKED;
