-- Tickets waiting in the serving queue at each rank, for /metrics. It reads
-- only the partial index tickets_queue; keep its predicate the queue's.
-- name: queue-lengths
SELECT priority_rank, COUNT(*) FROM tickets
WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting')
GROUP BY priority_rank;
