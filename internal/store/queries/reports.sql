-- Supervisor reports (report.go). report_days holds counts by day and by
-- month (migration 00027); a range reads whole months, then the days at
-- its ends.

-- The rows come unsummed: the store adds them up in a map, faster than
-- SQLite's sort for GROUP BY (PostgreSQL sums them: queries/postgres).
-- name: report-counts
SELECT metric, priority, label, k, n FROM report_days WHERE span = 'month' AND day >= ? AND day < ?
UNION ALL
SELECT metric, priority, label, k, n FROM report_days WHERE span = 'day' AND day >= ? AND day < ?
UNION ALL
SELECT metric, priority, label, k, n FROM report_days WHERE span = 'day' AND day >= ? AND day <= ?;

-- The tickets opened and done each day up to the end of the range; their
-- running sum is the backlog. (The cast keeps the day a plain 2026-11-23
-- on both databases.)
-- name: report-flows
SELECT CAST(day AS TEXT), metric, priority, CAST(SUM(n) AS INTEGER) FROM report_days
WHERE span = 'flow' AND day <= ?
GROUP BY day, metric, priority
ORDER BY day;

-- name: report-comments
SELECT ticket_id, score, comment, answered_at FROM surveys
WHERE answered_at >= ? AND answered_at < ? AND score IS NOT NULL AND comment <> ''
ORDER BY answered_at DESC, id DESC
LIMIT ?;

-- name: report-user
SELECT id, email, name FROM users WHERE id = ?;

-- The site zone report_days is counted in (migration 00029).
-- name: report-zone-name
SELECT zone FROM report_zone_name WHERE id = 1;

-- name: set-report-zone-name
UPDATE report_zone_name SET zone = ? WHERE id = 1;

-- name: clear-report-zone
DELETE FROM report_zone;

-- name: add-report-zone
INSERT INTO report_zone (start_unix, offset_seconds) VALUES (?, ?);

-- name: report-strikes
SELECT step, CASE WHEN withdrawn_at IS NULL THEN 0 ELSE 1 END, COUNT(*) FROM strikes
WHERE created_at >= ? AND created_at < ?
GROUP BY 1, 2;

-- name: clear-reports
DELETE FROM report_days;

-- Every ticket's counts, as the triggers of migrations 00027 and 00029 add
-- them (days of the site's zone, report_zone).
-- name: fill-reports
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'created' AS metric, t.created_at AS at, t.priority AS priority, t.channel AS label, t.reopen_count AS k, 1 AS n FROM tickets t
            UNION ALL SELECT 'opened', t.created_at, t.priority, '', 0, 1 FROM tickets t
            UNION ALL SELECT 'done', COALESCE(t.resolved_at, t.closed_at), t.priority, '', 0, 1 FROM tickets t WHERE t.status IN ('resolved', 'closed')
            UNION ALL SELECT 'response', t.first_response_at, t.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(t.first_response_at) - unixepoch(t.created_at)) ORDER BY b.lo DESC LIMIT 1), 1 FROM tickets t WHERE t.first_response_at IS NOT NULL
            UNION ALL SELECT 'resolve', t.resolved_at, t.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(t.resolved_at) - unixepoch(t.created_at)) ORDER BY b.lo DESC LIMIT 1), 1 FROM tickets t WHERE t.resolved_at IS NOT NULL
            UNION ALL SELECT 'sla_response', COALESCE(t.sla_response_due, t.created_at), t.priority, '', CASE WHEN t.sla_response_met THEN 1 ELSE 0 END, 1 FROM tickets t WHERE t.sla_response_met IS NOT NULL
            UNION ALL SELECT 'sla_resolve', COALESCE(t.sla_resolve_due, t.created_at), t.priority, '', CASE WHEN t.sla_resolve_met THEN 1 ELSE 0 END, 1 FROM tickets t WHERE t.sla_resolve_met IS NOT NULL
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0;

-- Every survey answer's and kudos' counts, as the triggers add them.
-- name: fill-report-people
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'csat' AS metric, sv.answered_at AS at, '' AS priority, '' AS label, sv.score AS k, 1 AS n FROM surveys sv WHERE sv.answered_at IS NOT NULL AND sv.score IS NOT NULL
            UNION ALL
            SELECT 'kudos' AS metric, kd.created_at AS at, '' AS priority, '' AS label, kd.to_id AS k, 1 AS n FROM kudos kd
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0;

-- SQLite writes one transaction at a time: nothing to lock.
-- name: lock-report-zone
SELECT 1;

-- SQLite reads report_zone by its primary key without statistics.
-- name: analyze-report-zone
SELECT 1;
