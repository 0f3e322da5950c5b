-- name: create-attachment
INSERT INTO attachments (ticket_id, event_id, name, type, size, sha256, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: get-attachment
SELECT a.id, a.ticket_id, a.event_id, a.name, a.type, a.size, a.sha256, e.internal, a.created_at
FROM attachments a JOIN events e ON e.id = a.event_id
WHERE a.id = ?;

-- name: get-event-attachments
SELECT a.id, a.ticket_id, a.event_id, a.name, a.type, a.size, a.sha256, e.internal, a.created_at
FROM attachments a JOIN events e ON e.id = a.event_id
WHERE a.ticket_id = ? AND a.event_id >= ? AND a.event_id <= ? AND (e.internal = FALSE OR ?)
ORDER BY a.event_id, a.id;
