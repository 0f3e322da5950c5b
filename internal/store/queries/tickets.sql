-- name: create-ticket
INSERT INTO tickets (subject, body, status, priority, priority_rank,
    impact_outage, impact_costs_money, impact_blocks_work, channel,
    requester_id, assignee_id, logged_by_id, follow_up_of, resolution, reopen_count,
    created_at, updated_at, claimed_at, first_response_at, resolved_at, closed_at,
    hold_reason, hold_until, mood, mood_reason, strikes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: update-ticket
UPDATE tickets SET subject = ?, status = ?, priority = ?, priority_rank = ?,
    assignee_id = ?, resolution = ?, reopen_count = ?, updated_at = ?,
    claimed_at = ?, first_response_at = ?, resolved_at = ?, closed_at = ?,
    hold_reason = ?, hold_until = ?, mood = ?, mood_reason = ?, strikes = ?
WHERE id = ?;

-- name: get-ticket
SELECT * FROM ticket_view WHERE id = ?;

-- name: lock-ticket
SELECT id FROM tickets WHERE id = ?;
