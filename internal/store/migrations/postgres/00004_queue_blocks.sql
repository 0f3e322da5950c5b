-- +goose Up
-- Held tickets (status waiting) keep why and until when, and leave the
-- serving queue: the queue index no longer covers them.
ALTER TABLE tickets ADD COLUMN hold_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN hold_until TIMESTAMPTZ;
UPDATE tickets t SET hold_reason = w.body, hold_until = (w.data::jsonb ->> 'until')::timestamptz
FROM (SELECT DISTINCT ON (ticket_id) ticket_id, body, data FROM events
      WHERE type = 'waiting' ORDER BY ticket_id, id DESC) w
WHERE w.ticket_id = t.id AND t.status = 'waiting';

DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (priority_rank, id)
    WHERE assignee_id IS NULL AND status IN ('new', 'open');
CREATE INDEX tickets_hold_until ON tickets (hold_until)
    WHERE status = 'waiting' AND hold_until IS NOT NULL;

-- queue_counts was unused here; queue_blocks is an order-statistics tree
-- over the queue (see store/position.go): how many queued tickets of a rank
-- fall in each block of ids, at six levels (blocks of 2^10, 2^15, ... 2^35
-- ids). Each block is split in 16 shards (id % 16) so that concurrent
-- creates rarely wait on the same counter row; readers sum the shards.
DROP TABLE queue_counts;
CREATE TABLE queue_blocks (
    level         SMALLINT NOT NULL,
    priority_rank INTEGER NOT NULL,
    block         BIGINT NOT NULL,
    shard         SMALLINT NOT NULL,
    queued        BIGINT NOT NULL,
    PRIMARY KEY (level, priority_rank, block, shard)
);
INSERT INTO queue_blocks (level, priority_rank, block, shard, queued)
SELECT l.level, t.priority_rank, t.id >> l.shift, t.id % 16, COUNT(*)
FROM tickets t CROSS JOIN (VALUES (1, 10), (2, 15), (3, 20), (4, 25), (5, 30), (6, 35)) AS l (level, shift)
WHERE t.assignee_id IS NULL AND t.status IN ('new', 'open')
GROUP BY l.level, t.priority_rank, t.id >> l.shift, t.id % 16;

-- The hold columns come last so that readers of the older columns still work.
CREATE OR REPLACE VIEW ticket_view AS
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
INSERT INTO queue_counts (priority_rank, queued) VALUES (0, 0), (1, 0);
DROP INDEX tickets_hold_until;
DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (priority_rank, id)
    WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting');
ALTER TABLE tickets DROP COLUMN hold_until, DROP COLUMN hold_reason;
