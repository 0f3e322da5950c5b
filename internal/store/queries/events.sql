-- name: create-event
INSERT INTO events (ticket_id, type, actor_id, body, internal, data, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: get-events
SELECT e.id, e.ticket_id, e.type, u.id, u.email, u.name, e.body, e.internal, e.data, e.created_at
FROM events e LEFT JOIN users u ON u.id = e.actor_id
WHERE e.ticket_id = ? AND e.id > ? AND (e.internal = FALSE OR ?)
ORDER BY e.id
LIMIT ?;
