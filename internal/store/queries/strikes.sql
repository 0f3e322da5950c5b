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

-- Strikes are read through strike_view (migration 00021), in the column
-- order scanStrike expects.

-- name: get-strike-by-event
SELECT * FROM strike_view WHERE event_id = ?;

-- name: lock-strike
SELECT * FROM strike_view WHERE id = ?;

-- name: get-ticket-strikes
SELECT * FROM strike_view WHERE ticket_id = ? ORDER BY id LIMIT ?;

-- name: get-requester-strikes
SELECT * FROM strike_view WHERE requester_id = ? ORDER BY id LIMIT ?;

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
