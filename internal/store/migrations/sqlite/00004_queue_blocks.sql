-- +goose Up
-- Held tickets (status waiting) keep why and until when, and leave the
-- serving queue: the queue index no longer covers them.
ALTER TABLE tickets ADD COLUMN hold_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN hold_until TIMESTAMP;
UPDATE tickets SET
    hold_reason = COALESCE((SELECT e.body FROM events e WHERE e.ticket_id = tickets.id AND e.type = 'waiting' ORDER BY e.id DESC LIMIT 1), ''),
    hold_until = (SELECT strftime('%Y-%m-%d %H:%M:%S', json_extract(e.data, '$.until')) || '+00:00'
                  FROM events e WHERE e.ticket_id = tickets.id AND e.type = 'waiting' ORDER BY e.id DESC LIMIT 1)
WHERE status = 'waiting';

DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (priority_rank, id)
    WHERE assignee_id IS NULL AND status IN ('new', 'open');
CREATE INDEX tickets_hold_until ON tickets (hold_until)
    WHERE status = 'waiting' AND hold_until IS NOT NULL;

-- queue_counts could drift; queue_blocks is an order-statistics tree over
-- the queue (see store/position.go): how many queued tickets of a rank fall
-- in each block of ids, at six levels (blocks of 2^10, 2^15, ... 2^35 ids).
-- shard is always 0 on SQLite (one writer).
DROP TABLE queue_counts;
CREATE TABLE queue_blocks (
    level         INTEGER NOT NULL,
    priority_rank INTEGER NOT NULL,
    block         INTEGER NOT NULL,
    shard         INTEGER NOT NULL,
    queued        INTEGER NOT NULL,
    PRIMARY KEY (level, priority_rank, block, shard)
) WITHOUT ROWID;
INSERT INTO queue_blocks (level, priority_rank, block, shard, queued)
SELECT l.level, t.priority_rank, t.id >> l.shift, 0, COUNT(*)
FROM tickets t CROSS JOIN (SELECT 1 AS level, 10 AS shift UNION ALL SELECT 2, 15 UNION ALL SELECT 3, 20
                           UNION ALL SELECT 4, 25 UNION ALL SELECT 5, 30 UNION ALL SELECT 6, 35) l
WHERE t.assignee_id IS NULL AND t.status IN ('new', 'open')
GROUP BY l.level, t.priority_rank, t.id >> l.shift;

-- The hold columns come last so that readers of the older columns still work.
DROP VIEW ticket_view;
CREATE VIEW ticket_view AS
SELECT t.id, t.subject, t.body, t.status, t.priority,
       t.impact_outage, t.impact_costs_money, t.impact_blocks_work, t.channel,
       r.id AS requester_id, r.email AS requester_email, r.name AS requester_name,
       a.id AS assignee_id, a.email AS assignee_email, a.name AS assignee_name,
       l.id AS logged_by_id, l.email AS logged_by_email, l.name AS logged_by_name,
       t.follow_up_of, t.resolution, t.reopen_count,
       t.created_at, t.updated_at, t.claimed_at, t.first_response_at, t.resolved_at, t.closed_at,
       t.priority_rank, t.hold_reason, t.hold_until
FROM tickets t
JOIN users r ON r.id = t.requester_id
LEFT JOIN users a ON a.id = t.assignee_id
LEFT JOIN users l ON l.id = t.logged_by_id;

-- +goose Down
DROP VIEW ticket_view;
CREATE VIEW ticket_view AS
SELECT t.id, t.subject, t.body, t.status, t.priority,
       t.impact_outage, t.impact_costs_money, t.impact_blocks_work, t.channel,
       r.id AS requester_id, r.email AS requester_email, r.name AS requester_name,
       a.id AS assignee_id, a.email AS assignee_email, a.name AS assignee_name,
       l.id AS logged_by_id, l.email AS logged_by_email, l.name AS logged_by_name,
       t.follow_up_of, t.resolution, t.reopen_count,
       t.created_at, t.updated_at, t.claimed_at, t.first_response_at, t.resolved_at, t.closed_at,
       t.priority_rank
FROM tickets t
JOIN users r ON r.id = t.requester_id
LEFT JOIN users a ON a.id = t.assignee_id
LEFT JOIN users l ON l.id = t.logged_by_id;
DROP TABLE queue_blocks;
CREATE TABLE queue_counts (
    priority_rank INTEGER PRIMARY KEY,
    queued        INTEGER NOT NULL CHECK (queued >= 0)
);
INSERT INTO queue_counts (priority_rank, queued)
SELECT r.rank, (SELECT COUNT(*) FROM tickets WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting') AND priority_rank = r.rank)
FROM (SELECT 0 AS rank UNION ALL SELECT 1) r;
DROP INDEX tickets_hold_until;
DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (priority_rank, id)
    WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting');
ALTER TABLE tickets DROP COLUMN hold_until;
ALTER TABLE tickets DROP COLUMN hold_reason;
