-- +goose Up
-- How the requester's latest message reads, and the strikes on the ticket
-- (see rapport.Ticket). They come last in the view so that readers of the
-- older columns still work.
ALTER TABLE tickets ADD COLUMN mood TEXT NOT NULL DEFAULT 'calm' CHECK (mood IN ('calm', 'frustrated', 'angry'));
ALTER TABLE tickets ADD COLUMN mood_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN strikes INTEGER NOT NULL DEFAULT 0 CHECK (strikes >= 0);
DROP VIEW ticket_view;
CREATE VIEW ticket_view AS
SELECT t.id, t.subject, t.body, t.status, t.priority,
       t.impact_outage, t.impact_costs_money, t.impact_blocks_work, t.channel,
       r.id AS requester_id, r.email AS requester_email, r.name AS requester_name,
       a.id AS assignee_id, a.email AS assignee_email, a.name AS assignee_name,
       l.id AS logged_by_id, l.email AS logged_by_email, l.name AS logged_by_name,
       t.follow_up_of, t.resolution, t.reopen_count,
       t.created_at, t.updated_at, t.claimed_at, t.first_response_at, t.resolved_at, t.closed_at,
       t.priority_rank, t.hold_reason, t.hold_until,
       t.mood, t.mood_reason, t.strikes
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
       t.priority_rank, t.hold_reason, t.hold_until
FROM tickets t
JOIN users r ON r.id = t.requester_id
LEFT JOIN users a ON a.id = t.assignee_id
LEFT JOIN users l ON l.id = t.logged_by_id;
ALTER TABLE tickets DROP COLUMN strikes;
ALTER TABLE tickets DROP COLUMN mood_reason;
ALTER TABLE tickets DROP COLUMN mood;
