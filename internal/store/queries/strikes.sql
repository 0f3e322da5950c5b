-- Three Strikes (strike.go).

-- name: get-event
SELECT e.id, e.ticket_id, e.type, u.id, u.email, u.name, e.body, e.internal, e.data, e.created_at
FROM events e LEFT JOIN users u ON u.id = e.actor_id
WHERE e.id = ?;

-- name: create-strike
INSERT INTO strikes (ticket_id, event_id, requester_id, step, note, by_id, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: withdraw-strike
UPDATE strikes SET withdrawn_at = ?, withdrawn_by_id = ?, withdraw_reason = ?
WHERE id = ?;

-- name: get-strike-by-event
SELECT s.id, s.ticket_id, s.event_id, r.id, r.email, r.name, s.step, s.note,
       b.id, b.email, b.name, s.created_at, s.withdrawn_at, w.id, w.email, w.name, s.withdraw_reason,
       t.subject, e.body
FROM strikes s
JOIN users r ON r.id = s.requester_id
JOIN users b ON b.id = s.by_id
LEFT JOIN users w ON w.id = s.withdrawn_by_id
JOIN tickets t ON t.id = s.ticket_id
JOIN events e ON e.id = s.event_id
WHERE s.event_id = ?;

-- name: lock-strike
SELECT s.id, s.ticket_id, s.event_id, r.id, r.email, r.name, s.step, s.note,
       b.id, b.email, b.name, s.created_at, s.withdrawn_at, w.id, w.email, w.name, s.withdraw_reason,
       t.subject, e.body
FROM strikes s
JOIN users r ON r.id = s.requester_id
JOIN users b ON b.id = s.by_id
LEFT JOIN users w ON w.id = s.withdrawn_by_id
JOIN tickets t ON t.id = s.ticket_id
JOIN events e ON e.id = s.event_id
WHERE s.id = ?;

-- name: get-ticket-strikes
SELECT s.id, s.ticket_id, s.event_id, r.id, r.email, r.name, s.step, s.note,
       b.id, b.email, b.name, s.created_at, s.withdrawn_at, w.id, w.email, w.name, s.withdraw_reason,
       t.subject, e.body
FROM strikes s
JOIN users r ON r.id = s.requester_id
JOIN users b ON b.id = s.by_id
LEFT JOIN users w ON w.id = s.withdrawn_by_id
JOIN tickets t ON t.id = s.ticket_id
JOIN events e ON e.id = s.event_id
WHERE s.ticket_id = ?
ORDER BY s.id
LIMIT ?;

-- name: get-requester-strikes
SELECT s.id, s.ticket_id, s.event_id, r.id, r.email, r.name, s.step, s.note,
       b.id, b.email, b.name, s.created_at, s.withdrawn_at, w.id, w.email, w.name, s.withdraw_reason,
       t.subject, e.body
FROM strikes s
JOIN users r ON r.id = s.requester_id
JOIN users b ON b.id = s.by_id
LEFT JOIN users w ON w.id = s.withdrawn_by_id
JOIN tickets t ON t.id = s.ticket_id
JOIN events e ON e.id = s.event_id
WHERE s.requester_id = ?
ORDER BY s.id
LIMIT ?;

-- name: get-strike-texts
SELECT s.step, s.body, s.updated_at, u.id, u.email, u.name
FROM strike_texts s LEFT JOIN users u ON u.id = s.updated_by_id
ORDER BY s.step;

-- name: get-strike-text
SELECT s.step, s.body, s.updated_at, u.id, u.email, u.name
FROM strike_texts s LEFT JOIN users u ON u.id = s.updated_by_id
WHERE s.step = ?;

-- name: save-strike-text
UPDATE strike_texts SET body = ?, updated_at = ?, updated_by_id = ?
WHERE step = ?;
