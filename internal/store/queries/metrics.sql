-- Queue length by priority rank for metrics: the top level of the
-- order-statistics counts (see store/position.go), so a scrape costs a few
-- rows however long the queue.
-- name: queue-lengths
SELECT priority_rank, CAST(SUM(queued) AS INTEGER) FROM queue_blocks
WHERE level = 6
GROUP BY priority_rank;
