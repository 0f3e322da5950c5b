-- PostgreSQL: row locks (SQLite's write transaction holds the whole
-- database) and sharded counter rows.

-- SKIP LOCKED: concurrent claims each get a different ticket, never the same.
-- name: next-queued-ticket
SELECT id FROM tickets
WHERE assignee_id IS NULL AND status IN ('new', 'open')
ORDER BY priority_rank, id
LIMIT 1
FOR UPDATE SKIP LOCKED;

-- name: lock-due-hold
SELECT id FROM tickets
WHERE status = 'waiting' AND hold_until IS NOT NULL AND hold_until <= ?
ORDER BY hold_until, id
LIMIT 1
FOR UPDATE SKIP LOCKED;

-- name: fill-queue-blocks
INSERT INTO queue_blocks (level, priority_rank, block, shard, queued)
SELECT l.level, t.priority_rank, t.id >> l.shift, t.id % 16, COUNT(*)
FROM tickets t CROSS JOIN (VALUES (1, 10), (2, 15), (3, 20), (4, 25), (5, 30), (6, 35)) AS l (level, shift)
WHERE t.assignee_id IS NULL AND t.status IN ('new', 'open')
GROUP BY l.level, t.priority_rank, t.id >> l.shift, t.id % 16;

-- PostgreSQL scans the index from a row-value bound directly (SQLite would
-- start at the front of the rank, hence its merged ranges); the third
-- parameter keeps the shared argument list.
-- name: get-queue
SELECT v.* FROM (
    SELECT id FROM tickets
    WHERE assignee_id IS NULL AND status IN ('new', 'open') AND (priority_rank, id) > (?, ?) AND priority_rank >= ?
    ORDER BY priority_rank, id
    LIMIT ?
) p JOIN ticket_view v ON v.id = p.id
ORDER BY v.priority_rank, v.id;
