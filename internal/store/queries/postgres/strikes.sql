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
WHERE s.id = ?
FOR UPDATE OF s;
