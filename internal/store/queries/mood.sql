-- Frustration cues: how a requester has been in touch lately (issue 8).
-- A ticket with an event since then was updated since then, so
-- updated_at bounds the tickets looked at.

-- name: count-requester-messages
SELECT COUNT(*)
FROM tickets t JOIN events e ON e.ticket_id = t.id
WHERE t.requester_id = ? AND t.updated_at >= ? AND e.created_at >= ?
  AND (e.type = 'created' OR (e.type IN ('message', 'reopened') AND e.actor_id = t.requester_id));

-- name: count-requester-tickets
SELECT COUNT(*) FROM tickets WHERE requester_id = ? AND created_at >= ? AND id <> ?;

-- name: last-staff-reply
SELECT e.created_at
FROM events e JOIN users u ON u.id = e.actor_id
WHERE e.ticket_id = ? AND e.type = 'message' AND e.internal = FALSE AND u.role <> 'requester'
ORDER BY e.id DESC
LIMIT 1;
