-- name: get-sla-clocks
SELECT c.ticket_id, c.priority, c.calendar_id, c.warn_percent, c.runs,
       c.first_response_seconds, t.sla_response_due, t.sla_response_met, c.first_response_warned_at, c.first_response_breached_at,
       c.resolution_seconds, t.sla_resolve_due, t.sla_resolve_met, c.resolution_warned_at, c.resolution_breached_at,
       c.next_check_at
FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
WHERE c.ticket_id IN (SELECT jsonb_array_elements_text(?::jsonb)::bigint);

-- The ticket row is the lock, as for every ticket change; a ticket another
-- node is checking or changing is skipped, never waited for.
-- name: lock-due-sla-ticket
SELECT t.id FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
WHERE c.next_check_at IS NOT NULL AND c.next_check_at <= ?
ORDER BY c.next_check_at, c.ticket_id
LIMIT 1
FOR UPDATE OF t SKIP LOCKED;

-- name: get-staff-ids
SELECT id FROM users
WHERE role IN (SELECT jsonb_array_elements_text(?::jsonb)) AND disabled_at IS NULL
ORDER BY id;

-- As in the shared file; the ticket rows are the locks, and a ticket
-- another node holds is left for the next pass.
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
LIMIT ?
FOR UPDATE OF t SKIP LOCKED;
