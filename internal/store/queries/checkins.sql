-- Check-ins, satisfaction surveys and kudos (issue 9; checkin.go).

-- name: create-checkin
INSERT INTO checkins (ticket_id, agent_id, due_at, sent_at, answer, answered_at, cancelled_at, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: cancel-checkins
UPDATE checkins SET cancelled_at = ?
WHERE ticket_id = ? AND sent_at IS NULL AND cancelled_at IS NULL;

-- name: lock-due-checkin
SELECT id, ticket_id, agent_id, due_at, sent_at, answer, answered_at, cancelled_at, created_at FROM checkins
WHERE due_at <= ? AND sent_at IS NULL AND cancelled_at IS NULL
ORDER BY due_at, id
LIMIT 1;

-- name: lock-checkin
SELECT id, ticket_id, agent_id, due_at, sent_at, answer, answered_at, cancelled_at, created_at FROM checkins
WHERE id = ?;

-- name: get-checkin
SELECT id, ticket_id, agent_id, due_at, sent_at, answer, answered_at, cancelled_at, created_at FROM checkins
WHERE id = ?;

-- name: get-checkins
SELECT id, ticket_id, agent_id, due_at, sent_at, answer, answered_at, cancelled_at, created_at FROM checkins
WHERE ticket_id = ?
ORDER BY id;

-- name: update-checkin
UPDATE checkins SET due_at = ?, sent_at = ?, answer = ?, answered_at = ?, cancelled_at = ?
WHERE id = ?;

-- name: create-survey
INSERT INTO surveys (ticket_id, requester_id, agent_id, score, comment, created_at, expires_at, answered_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: lock-survey
SELECT s.id, s.ticket_id, r.id, r.email, r.name, a.id, a.email, a.name, s.score, s.comment,
       s.created_at, s.expires_at, s.answered_at
FROM surveys s JOIN users r ON r.id = s.requester_id LEFT JOIN users a ON a.id = s.agent_id
WHERE s.id = ?;

-- name: get-survey
SELECT s.id, s.ticket_id, r.id, r.email, r.name, a.id, a.email, a.name, s.score, s.comment,
       s.created_at, s.expires_at, s.answered_at
FROM surveys s JOIN users r ON r.id = s.requester_id LEFT JOIN users a ON a.id = s.agent_id
WHERE s.id = ?;

-- name: get-surveys
SELECT s.id, s.ticket_id, r.id, r.email, r.name, a.id, a.email, a.name, s.score, s.comment,
       s.created_at, s.expires_at, s.answered_at
FROM surveys s JOIN users r ON r.id = s.requester_id LEFT JOIN users a ON a.id = s.agent_id
WHERE s.ticket_id = ?
ORDER BY s.id;

-- name: answer-survey
UPDATE surveys SET score = ?, comment = ?, answered_at = ?
WHERE id = ?;

-- name: create-kudos
INSERT INTO kudos (from_id, to_id, ticket_id, message, created_at)
VALUES (?, ?, ?, ?, ?)
RETURNING id;

-- name: get-kudos
SELECT k.id, f.id, f.email, f.name, t.id, t.email, t.name, k.ticket_id, k.message, k.created_at
FROM kudos k JOIN users f ON f.id = k.from_id JOIN users t ON t.id = k.to_id
WHERE k.to_id = ?
ORDER BY k.id DESC
LIMIT ?;
