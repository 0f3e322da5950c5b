-- name: create-ticket
INSERT INTO tickets (subject, body, status, priority, priority_rank,
    impact_outage, impact_costs_money, impact_blocks_work, channel,
    requester_id, assignee_id, logged_by_id, follow_up_of, resolution, reopen_count,
    created_at, updated_at, claimed_at, first_response_at, resolved_at, closed_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: update-ticket
UPDATE tickets SET subject = ?, status = ?, priority = ?, priority_rank = ?,
    assignee_id = ?, resolution = ?, reopen_count = ?, updated_at = ?,
    claimed_at = ?, first_response_at = ?, resolved_at = ?, closed_at = ?
WHERE id = ?;

-- name: get-ticket
SELECT * FROM ticket_view WHERE id = ?;

-- name: lock-ticket
SELECT id FROM tickets WHERE id = ?;

-- name: next-queued-ticket
SELECT id FROM tickets
WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting')
ORDER BY priority_rank, id
LIMIT 1;

-- name: get-queue
SELECT * FROM ticket_view
WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting')
ORDER BY priority_rank, id
LIMIT ? OFFSET ?;

-- Tickets served before or with this one: its place in the queue.
-- name: get-queue-position
SELECT COUNT(*) FROM tickets
WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting')
  AND (priority_rank < ? OR (priority_rank = ? AND id <= ?));

-- name: get-queue-membership
SELECT priority_rank, assignee_id IS NULL AND status IN ('new', 'open', 'waiting') FROM tickets WHERE id = ?;

-- A ticket joins the back of its rank: count it in, and return its place
-- (everyone queued at its rank, itself included, plus all higher ranks).
-- name: join-queue
UPDATE queue_counts SET queued = queued + 1 WHERE priority_rank = ?
RETURNING queued + (SELECT COALESCE(SUM(q.queued), 0) FROM queue_counts q WHERE q.priority_rank < ?);

-- name: adjust-queue-count
UPDATE queue_counts SET queued = queued + ? WHERE priority_rank = ?;
