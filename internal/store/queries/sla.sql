-- Service levels (sla.go): calendars, policies and ticket clocks.

-- name: get-calendars
SELECT id, name, is_default, config, created_at, updated_at FROM calendars
ORDER BY is_default DESC, name, id;

-- name: get-calendar
SELECT id, name, is_default, config, created_at, updated_at FROM calendars WHERE id = ?;

-- name: get-default-calendar
SELECT id, name, is_default, config, created_at, updated_at FROM calendars WHERE is_default;

-- name: clear-default-calendar
UPDATE calendars SET is_default = FALSE WHERE is_default AND id <> ?;

-- name: create-calendar
INSERT INTO calendars (name, is_default, config, created_at, updated_at)
VALUES (?, ?, ?, ?, ?)
RETURNING id;

-- name: update-calendar
UPDATE calendars SET name = ?, is_default = ?, config = ?, updated_at = ? WHERE id = ?;

-- name: delete-calendar
DELETE FROM calendars WHERE id = ?;

-- name: get-sla-policies
SELECT priority, calendar_id, first_response_seconds, resolution_seconds, warn_percent, updated_at
FROM sla_policies ORDER BY CASE priority WHEN 'critical' THEN 0 ELSE 1 END;

-- name: save-sla-policy
INSERT INTO sla_policies (priority, calendar_id, first_response_seconds, resolution_seconds, warn_percent, updated_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (priority) DO UPDATE SET calendar_id = excluded.calendar_id,
    first_response_seconds = excluded.first_response_seconds, resolution_seconds = excluded.resolution_seconds,
    warn_percent = excluded.warn_percent, updated_at = excluded.updated_at;

-- name: get-sla-clock
SELECT c.ticket_id, c.priority, c.calendar_id, c.warn_percent, c.runs,
       c.first_response_seconds, t.sla_response_due, t.sla_response_met, c.first_response_warned_at, c.first_response_breached_at,
       c.resolution_seconds, t.sla_resolve_due, t.sla_resolve_met, c.resolution_warned_at, c.resolution_breached_at,
       c.next_check_at
FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
WHERE c.ticket_id = ?;

-- name: get-sla-clocks
SELECT c.ticket_id, c.priority, c.calendar_id, c.warn_percent, c.runs,
       c.first_response_seconds, t.sla_response_due, t.sla_response_met, c.first_response_warned_at, c.first_response_breached_at,
       c.resolution_seconds, t.sla_resolve_due, t.sla_resolve_met, c.resolution_warned_at, c.resolution_breached_at,
       c.next_check_at
FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
WHERE c.ticket_id IN (SELECT value FROM json_each(?));

-- name: save-sla-clock
INSERT INTO sla_clocks (ticket_id, priority, calendar_id, warn_percent, runs,
    first_response_seconds, first_response_warned_at, first_response_breached_at,
    resolution_seconds, resolution_warned_at, resolution_breached_at, next_check_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (ticket_id) DO UPDATE SET priority = excluded.priority, calendar_id = excluded.calendar_id,
    warn_percent = excluded.warn_percent, runs = excluded.runs,
    first_response_seconds = excluded.first_response_seconds,
    first_response_warned_at = excluded.first_response_warned_at,
    first_response_breached_at = excluded.first_response_breached_at,
    resolution_seconds = excluded.resolution_seconds,
    resolution_warned_at = excluded.resolution_warned_at,
    resolution_breached_at = excluded.resolution_breached_at,
    next_check_at = excluded.next_check_at;

-- name: save-ticket-sla
UPDATE tickets SET sla_response_due = ?, sla_response_met = ?, sla_resolve_due = ?, sla_resolve_met = ?
WHERE id = ?;

-- name: lock-due-sla-ticket
SELECT ticket_id FROM sla_clocks
WHERE next_check_at IS NOT NULL AND next_check_at <= ?
ORDER BY next_check_at, ticket_id
LIMIT 1;

-- name: get-staff-ids
SELECT id FROM users
WHERE role IN (SELECT value FROM json_each(?)) AND disabled_at IS NULL
ORDER BY id;

-- name: recheck-sla-clocks
UPDATE sla_clocks SET next_check_at = ?
WHERE next_check_at IS NOT NULL AND (calendar_id = ? OR (? AND calendar_id IS NULL));

-- Active tickets whose clock is missing or disagrees with their
-- priority's policy on a target still undecided (see sla.Stale), after a
-- ticket id and up to another, in id order. The check-slas pass walks
-- them in batches.
-- name: lock-stale-sla-tickets
SELECT t.id FROM tickets t
JOIN sla_policies p ON p.priority = t.priority
LEFT JOIN sla_clocks c ON c.ticket_id = t.id
WHERE t.status IN ('new', 'open', 'waiting') AND t.id > ? AND t.id <= ?
  AND (c.ticket_id IS NULL
    OR ((t.sla_response_met IS NULL OR t.sla_resolve_met IS NULL)
        AND (c.priority <> p.priority OR c.warn_percent <> p.warn_percent
             OR COALESCE(c.calendar_id, 0) <> p.calendar_id))
    OR (t.sla_response_met IS NULL AND c.first_response_seconds <> p.first_response_seconds)
    OR (t.sla_resolve_met IS NULL AND c.resolution_seconds <> p.resolution_seconds))
ORDER BY t.id
LIMIT ?;

-- name: last-ticket-id
SELECT COALESCE(MAX(id), 0) FROM tickets;
