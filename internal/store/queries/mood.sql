-- Frustration cues: how a requester has been in touch lately (issue 8).
-- Both counts look at the requester's latest 50 tickets only, read from
-- the (requester_id, id) index: enough to tell a third message or ticket
-- from a first, and the same small cost for someone with thousands.

-- name: count-requester-messages
SELECT COUNT(*)
FROM events e
WHERE e.ticket_id IN (SELECT t.id FROM tickets t WHERE t.requester_id = ? ORDER BY t.id DESC LIMIT 50)
  AND e.created_at >= ?
  AND (e.type = 'created' OR (e.type IN ('message', 'reopened') AND e.actor_id = ?));

-- name: count-requester-tickets
SELECT COUNT(*)
FROM (SELECT t.created_at FROM tickets t WHERE t.requester_id = ? AND t.id <> ? ORDER BY t.id DESC LIMIT 50) r
WHERE r.created_at >= ?;

-- name: last-staff-reply
SELECT e.created_at
FROM events e JOIN users u ON u.id = e.actor_id
WHERE e.ticket_id = ? AND e.type = 'message' AND e.internal = FALSE AND u.role <> 'requester'
ORDER BY e.id DESC
LIMIT 1;
