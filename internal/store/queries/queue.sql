-- The serving queue: tickets that are new or open, not on hold and not
-- assigned, critical first and then by arrival (id). Every query here names
-- that predicate exactly as the partial index tickets_queue does, so the
-- index serves it. Positions: see store/position.go.

-- INDEXED BY: SQLite preferred tickets_status_id (migration 00005) and
-- sorted every queued ticket, making each claim O(queue) (4 claims/s at
-- 100k tickets); the queue index answers in O(1).
-- name: next-queued-ticket
SELECT id FROM tickets INDEXED BY tickets_queue
WHERE assignee_id IS NULL AND status IN ('new', 'open')
ORDER BY priority_rank, id
LIMIT 1;

-- A page of the queue after the cursor (rank, id): the ids come from the
-- partial index alone, as two ranges merged in order (the rest of the
-- cursor's rank, then the lower ranks) so the scan starts at the cursor
-- rather than at the front; the users are joined for the page only.
-- INDEXED BY as for next-queued-ticket: left to itself SQLite read the
-- lower ranks from tickets_status_id and sorted the whole queue.
-- name: get-queue
SELECT v.* FROM (
    SELECT priority_rank, id FROM tickets INDEXED BY tickets_queue
    WHERE assignee_id IS NULL AND status IN ('new', 'open') AND priority_rank = ? AND id > ?
    UNION ALL
    SELECT priority_rank, id FROM tickets INDEXED BY tickets_queue
    WHERE assignee_id IS NULL AND status IN ('new', 'open') AND priority_rank > ?
    ORDER BY 1, 2
    LIMIT ?
) p JOIN ticket_view v ON v.id = p.id
ORDER BY v.priority_rank, v.id;

-- A ticket's place: NULL unless it is queued at the given rank (so a place
-- is never reported for a state the ticket has already left); else the
-- queued tickets of higher ranks (top level of queue_blocks), plus those of
-- its rank in earlier blocks at each level, plus those of its own smallest
-- block up to and including itself (from the index).
-- name: get-queue-position
SELECT CAST(CASE WHEN EXISTS (SELECT 1 FROM tickets WHERE id = ? AND priority_rank = ? AND assignee_id IS NULL AND status IN ('new', 'open'))
THEN (SELECT COALESCE(SUM(queued), 0) FROM queue_blocks WHERE level = 6 AND priority_rank < ?)
     + (SELECT COALESCE(SUM(queued), 0) FROM queue_blocks WHERE level = 1 AND priority_rank = ? AND block >= ? AND block < ?)
     + (SELECT COALESCE(SUM(queued), 0) FROM queue_blocks WHERE level = 2 AND priority_rank = ? AND block >= ? AND block < ?)
     + (SELECT COALESCE(SUM(queued), 0) FROM queue_blocks WHERE level = 3 AND priority_rank = ? AND block >= ? AND block < ?)
     + (SELECT COALESCE(SUM(queued), 0) FROM queue_blocks WHERE level = 4 AND priority_rank = ? AND block >= ? AND block < ?)
     + (SELECT COALESCE(SUM(queued), 0) FROM queue_blocks WHERE level = 5 AND priority_rank = ? AND block >= ? AND block < ?)
     + (SELECT COALESCE(SUM(queued), 0) FROM queue_blocks WHERE level = 6 AND priority_rank = ? AND block >= ? AND block < ?)
     + (SELECT COUNT(*) FROM tickets WHERE assignee_id IS NULL AND status IN ('new', 'open') AND priority_rank = ? AND id >= ? AND id <= ?)
END AS BIGINT);

-- name: get-queue-membership
SELECT priority_rank, assignee_id IS NULL AND status IN ('new', 'open') FROM tickets WHERE id = ?;

-- Adds delta to the blocks holding one ticket at every level (level order,
-- so concurrent transactions lock counter rows in the same order).
-- name: adjust-queue-blocks
INSERT INTO queue_blocks (level, priority_rank, block, shard, queued)
VALUES (1, ?, ?, ?, ?), (2, ?, ?, ?, ?), (3, ?, ?, ?, ?), (4, ?, ?, ?, ?), (5, ?, ?, ?, ?), (6, ?, ?, ?, ?)
ON CONFLICT (level, priority_rank, block, shard) DO UPDATE SET queued = queue_blocks.queued + excluded.queued;

-- name: clear-queue-blocks
DELETE FROM queue_blocks;

-- name: fill-queue-blocks
INSERT INTO queue_blocks (level, priority_rank, block, shard, queued)
SELECT l.level, t.priority_rank, t.id >> l.shift, 0, COUNT(*)
FROM tickets t CROSS JOIN (SELECT 1 AS level, 10 AS shift UNION ALL SELECT 2, 15 UNION ALL SELECT 3, 20 UNION ALL SELECT 4, 25 UNION ALL SELECT 5, 30 UNION ALL SELECT 6, 35) l
WHERE t.assignee_id IS NULL AND t.status IN ('new', 'open')
GROUP BY l.level, t.priority_rank, t.id >> l.shift;

-- Compare queue_blocks with a recount from tickets: rows that differ.
-- name: check-queue-blocks
SELECT COUNT(*) FROM (
    SELECT level, priority_rank, block, SUM(queued) AS n FROM queue_blocks GROUP BY level, priority_rank, block
) b FULL OUTER JOIN (
    SELECT l.level, t.priority_rank, t.id >> l.shift AS block, COUNT(*) AS n
    FROM tickets t CROSS JOIN (SELECT 1 AS level, 10 AS shift UNION ALL SELECT 2, 15 UNION ALL SELECT 3, 20 UNION ALL SELECT 4, 25 UNION ALL SELECT 5, 30 UNION ALL SELECT 6, 35) l
    WHERE t.assignee_id IS NULL AND t.status IN ('new', 'open')
    GROUP BY l.level, t.priority_rank, t.id >> l.shift
) c ON b.level = c.level AND b.priority_rank = c.priority_rank AND b.block = c.block
WHERE COALESCE(b.n, 0) <> COALESCE(c.n, 0);

-- Held tickets whose expected date has passed, earliest first.
-- name: lock-due-hold
SELECT id FROM tickets
WHERE status = 'waiting' AND hold_until IS NOT NULL AND hold_until <= ?
ORDER BY hold_until, id
LIMIT 1;
