-- +goose Up
-- Report days are the site's days (RAPPORT_TIME_ZONE), not UTC's: a ticket
-- created at 17:00 in Los Angeles counts on that day's bar. report_zone
-- holds the zone's UTC offsets by period (rapport.ZonePeriods, 1970-2100,
-- written by the store at start-up: store.SetReportZone); the triggers of
-- 00027 now shift each instant by the offset of its period (the latest
-- start at or before it, one read of the primary key) before taking its
-- date. report_zone_name says which zone the periods and report_days are
-- in, so that a change of zone refills both in one transaction. A new
-- database starts in UTC, as report_days was before.
CREATE TABLE report_zone (
    start_unix     BIGINT PRIMARY KEY,
    offset_seconds INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO report_zone (start_unix, offset_seconds) VALUES (-9223372036854775808, 0);
CREATE TABLE report_zone_name (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    zone TEXT NOT NULL
);
INSERT INTO report_zone_name (id, zone) VALUES (1, 'UTC');

-- The triggers of 00027, with the instant shifted. The middle query has
-- LIMIT -1 (no limit) so that SQLite keeps it apart from the join with the
-- spans: the offset is then read once per count, not once per span.
DROP TRIGGER report_tickets_insert;
DROP TRIGGER report_tickets_update;
DROP TRIGGER report_tickets_delete;
DROP TRIGGER report_surveys_insert;
DROP TRIGGER report_surveys_update;
DROP TRIGGER report_surveys_delete;
DROP TRIGGER report_kudos_insert;
DROP TRIGGER report_kudos_update;
DROP TRIGGER report_kudos_delete;

-- +goose StatementBegin
CREATE TRIGGER report_tickets_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'created' AS metric, new.created_at AS at, new.priority AS priority, new.channel AS label, new.reopen_count AS k, 1 AS n
            UNION ALL SELECT 'opened', new.created_at, new.priority, '', 0, 1
            UNION ALL SELECT 'done', COALESCE(new.resolved_at, new.closed_at), new.priority, '', 0, 1 WHERE new.status IN ('resolved', 'closed')
            UNION ALL SELECT 'response', new.first_response_at, new.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(new.first_response_at) - unixepoch(new.created_at)) ORDER BY b.lo DESC LIMIT 1), 1 WHERE new.first_response_at IS NOT NULL
            UNION ALL SELECT 'resolve', new.resolved_at, new.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(new.resolved_at) - unixepoch(new.created_at)) ORDER BY b.lo DESC LIMIT 1), 1 WHERE new.resolved_at IS NOT NULL
            UNION ALL SELECT 'sla_response', COALESCE(new.sla_response_due, new.created_at), new.priority, '', CASE WHEN new.sla_response_met THEN 1 ELSE 0 END, 1 WHERE new.sla_response_met IS NOT NULL
            UNION ALL SELECT 'sla_resolve', COALESCE(new.sla_resolve_due, new.created_at), new.priority, '', CASE WHEN new.sla_resolve_met THEN 1 ELSE 0 END, 1 WHERE new.sla_resolve_met IS NOT NULL
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_tickets_update AFTER UPDATE OF created_at, priority, channel, reopen_count, status, first_response_at, resolved_at, closed_at, sla_response_due, sla_resolve_due, sla_response_met, sla_resolve_met ON tickets
WHEN old.created_at IS NOT new.created_at OR old.priority IS NOT new.priority OR old.channel IS NOT new.channel OR old.reopen_count IS NOT new.reopen_count OR old.status IS NOT new.status OR old.first_response_at IS NOT new.first_response_at OR old.resolved_at IS NOT new.resolved_at OR old.closed_at IS NOT new.closed_at OR old.sla_response_due IS NOT new.sla_response_due OR old.sla_resolve_due IS NOT new.sla_resolve_due OR old.sla_response_met IS NOT new.sla_response_met OR old.sla_resolve_met IS NOT new.sla_resolve_met BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'created' AS metric, old.created_at AS at, old.priority AS priority, old.channel AS label, old.reopen_count AS k, -1 AS n
            UNION ALL SELECT 'opened', old.created_at, old.priority, '', 0, -1
            UNION ALL SELECT 'done', COALESCE(old.resolved_at, old.closed_at), old.priority, '', 0, -1 WHERE old.status IN ('resolved', 'closed')
            UNION ALL SELECT 'response', old.first_response_at, old.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(old.first_response_at) - unixepoch(old.created_at)) ORDER BY b.lo DESC LIMIT 1), -1 WHERE old.first_response_at IS NOT NULL
            UNION ALL SELECT 'resolve', old.resolved_at, old.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(old.resolved_at) - unixepoch(old.created_at)) ORDER BY b.lo DESC LIMIT 1), -1 WHERE old.resolved_at IS NOT NULL
            UNION ALL SELECT 'sla_response', COALESCE(old.sla_response_due, old.created_at), old.priority, '', CASE WHEN old.sla_response_met THEN 1 ELSE 0 END, -1 WHERE old.sla_response_met IS NOT NULL
            UNION ALL SELECT 'sla_resolve', COALESCE(old.sla_resolve_due, old.created_at), old.priority, '', CASE WHEN old.sla_resolve_met THEN 1 ELSE 0 END, -1 WHERE old.sla_resolve_met IS NOT NULL
            UNION ALL
            SELECT 'created' AS metric, new.created_at AS at, new.priority AS priority, new.channel AS label, new.reopen_count AS k, 1 AS n
            UNION ALL SELECT 'opened', new.created_at, new.priority, '', 0, 1
            UNION ALL SELECT 'done', COALESCE(new.resolved_at, new.closed_at), new.priority, '', 0, 1 WHERE new.status IN ('resolved', 'closed')
            UNION ALL SELECT 'response', new.first_response_at, new.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(new.first_response_at) - unixepoch(new.created_at)) ORDER BY b.lo DESC LIMIT 1), 1 WHERE new.first_response_at IS NOT NULL
            UNION ALL SELECT 'resolve', new.resolved_at, new.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(new.resolved_at) - unixepoch(new.created_at)) ORDER BY b.lo DESC LIMIT 1), 1 WHERE new.resolved_at IS NOT NULL
            UNION ALL SELECT 'sla_response', COALESCE(new.sla_response_due, new.created_at), new.priority, '', CASE WHEN new.sla_response_met THEN 1 ELSE 0 END, 1 WHERE new.sla_response_met IS NOT NULL
            UNION ALL SELECT 'sla_resolve', COALESCE(new.sla_resolve_due, new.created_at), new.priority, '', CASE WHEN new.sla_resolve_met THEN 1 ELSE 0 END, 1 WHERE new.sla_resolve_met IS NOT NULL
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_tickets_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'created' AS metric, old.created_at AS at, old.priority AS priority, old.channel AS label, old.reopen_count AS k, -1 AS n
            UNION ALL SELECT 'opened', old.created_at, old.priority, '', 0, -1
            UNION ALL SELECT 'done', COALESCE(old.resolved_at, old.closed_at), old.priority, '', 0, -1 WHERE old.status IN ('resolved', 'closed')
            UNION ALL SELECT 'response', old.first_response_at, old.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(old.first_response_at) - unixepoch(old.created_at)) ORDER BY b.lo DESC LIMIT 1), -1 WHERE old.first_response_at IS NOT NULL
            UNION ALL SELECT 'resolve', old.resolved_at, old.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(old.resolved_at) - unixepoch(old.created_at)) ORDER BY b.lo DESC LIMIT 1), -1 WHERE old.resolved_at IS NOT NULL
            UNION ALL SELECT 'sla_response', COALESCE(old.sla_response_due, old.created_at), old.priority, '', CASE WHEN old.sla_response_met THEN 1 ELSE 0 END, -1 WHERE old.sla_response_met IS NOT NULL
            UNION ALL SELECT 'sla_resolve', COALESCE(old.sla_resolve_due, old.created_at), old.priority, '', CASE WHEN old.sla_resolve_met THEN 1 ELSE 0 END, -1 WHERE old.sla_resolve_met IS NOT NULL
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- Survey answers (metric csat, k: score, by day answered) and kudos
-- (metric kudos, k: who received them, by day given), counted the same way.
-- +goose StatementBegin
CREATE TRIGGER report_surveys_insert AFTER INSERT ON surveys BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'csat' AS metric, new.answered_at AS at, '' AS priority, '' AS label, new.score AS k, 1 AS n WHERE new.answered_at IS NOT NULL AND new.score IS NOT NULL
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_surveys_update AFTER UPDATE OF score, answered_at ON surveys
WHEN old.score IS NOT new.score OR old.answered_at IS NOT new.answered_at BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'csat' AS metric, old.answered_at AS at, '' AS priority, '' AS label, old.score AS k, -1 AS n WHERE old.answered_at IS NOT NULL AND old.score IS NOT NULL
            UNION ALL
            SELECT 'csat' AS metric, new.answered_at AS at, '' AS priority, '' AS label, new.score AS k, 1 AS n WHERE new.answered_at IS NOT NULL AND new.score IS NOT NULL
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_surveys_delete AFTER DELETE ON surveys BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'csat' AS metric, old.answered_at AS at, '' AS priority, '' AS label, old.score AS k, -1 AS n WHERE old.answered_at IS NOT NULL AND old.score IS NOT NULL
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_kudos_insert AFTER INSERT ON kudos BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'kudos' AS metric, new.created_at AS at, '' AS priority, '' AS label, new.to_id AS k, 1 AS n
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_kudos_update AFTER UPDATE OF to_id, created_at ON kudos
WHEN old.to_id IS NOT new.to_id OR old.created_at IS NOT new.created_at BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'kudos' AS metric, old.created_at AS at, '' AS priority, '' AS label, old.to_id AS k, -1 AS n
            UNION ALL
            SELECT 'kudos' AS metric, new.created_at AS at, '' AS priority, '' AS label, new.to_id AS k, 1 AS n
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_kudos_delete AFTER DELETE ON kudos BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (SELECT metric, priority, label, k, n, datetime(unixepoch(at) + (SELECT z.offset_seconds FROM report_zone z WHERE z.start_unix <= unixepoch(at) ORDER BY z.start_unix DESC LIMIT 1), 'unixepoch') AS at FROM (
            SELECT 'kudos' AS metric, old.created_at AS at, '' AS priority, '' AS label, old.to_id AS k, -1 AS n
    ) c0 LIMIT -1) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER report_tickets_insert;
DROP TRIGGER report_tickets_update;
DROP TRIGGER report_tickets_delete;
DROP TRIGGER report_surveys_insert;
DROP TRIGGER report_surveys_update;
DROP TRIGGER report_surveys_delete;
DROP TRIGGER report_kudos_insert;
DROP TRIGGER report_kudos_update;
DROP TRIGGER report_kudos_delete;

-- +goose StatementBegin
CREATE TRIGGER report_tickets_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (
            SELECT 'created' AS metric, new.created_at AS at, new.priority AS priority, new.channel AS label, new.reopen_count AS k, 1 AS n
            UNION ALL SELECT 'opened', new.created_at, new.priority, '', 0, 1
            UNION ALL SELECT 'done', COALESCE(new.resolved_at, new.closed_at), new.priority, '', 0, 1 WHERE new.status IN ('resolved', 'closed')
            UNION ALL SELECT 'response', new.first_response_at, new.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(new.first_response_at) - unixepoch(new.created_at)) ORDER BY b.lo DESC LIMIT 1), 1 WHERE new.first_response_at IS NOT NULL
            UNION ALL SELECT 'resolve', new.resolved_at, new.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(new.resolved_at) - unixepoch(new.created_at)) ORDER BY b.lo DESC LIMIT 1), 1 WHERE new.resolved_at IS NOT NULL
            UNION ALL SELECT 'sla_response', COALESCE(new.sla_response_due, new.created_at), new.priority, '', CASE WHEN new.sla_response_met THEN 1 ELSE 0 END, 1 WHERE new.sla_response_met IS NOT NULL
            UNION ALL SELECT 'sla_resolve', COALESCE(new.sla_resolve_due, new.created_at), new.priority, '', CASE WHEN new.sla_resolve_met THEN 1 ELSE 0 END, 1 WHERE new.sla_resolve_met IS NOT NULL
    ) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_tickets_update AFTER UPDATE OF created_at, priority, channel, reopen_count, status, first_response_at, resolved_at, closed_at, sla_response_due, sla_resolve_due, sla_response_met, sla_resolve_met ON tickets
WHEN old.created_at IS NOT new.created_at OR old.priority IS NOT new.priority OR old.channel IS NOT new.channel OR old.reopen_count IS NOT new.reopen_count OR old.status IS NOT new.status OR old.first_response_at IS NOT new.first_response_at OR old.resolved_at IS NOT new.resolved_at OR old.closed_at IS NOT new.closed_at OR old.sla_response_due IS NOT new.sla_response_due OR old.sla_resolve_due IS NOT new.sla_resolve_due OR old.sla_response_met IS NOT new.sla_response_met OR old.sla_resolve_met IS NOT new.sla_resolve_met BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (
            SELECT 'created' AS metric, old.created_at AS at, old.priority AS priority, old.channel AS label, old.reopen_count AS k, -1 AS n
            UNION ALL SELECT 'opened', old.created_at, old.priority, '', 0, -1
            UNION ALL SELECT 'done', COALESCE(old.resolved_at, old.closed_at), old.priority, '', 0, -1 WHERE old.status IN ('resolved', 'closed')
            UNION ALL SELECT 'response', old.first_response_at, old.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(old.first_response_at) - unixepoch(old.created_at)) ORDER BY b.lo DESC LIMIT 1), -1 WHERE old.first_response_at IS NOT NULL
            UNION ALL SELECT 'resolve', old.resolved_at, old.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(old.resolved_at) - unixepoch(old.created_at)) ORDER BY b.lo DESC LIMIT 1), -1 WHERE old.resolved_at IS NOT NULL
            UNION ALL SELECT 'sla_response', COALESCE(old.sla_response_due, old.created_at), old.priority, '', CASE WHEN old.sla_response_met THEN 1 ELSE 0 END, -1 WHERE old.sla_response_met IS NOT NULL
            UNION ALL SELECT 'sla_resolve', COALESCE(old.sla_resolve_due, old.created_at), old.priority, '', CASE WHEN old.sla_resolve_met THEN 1 ELSE 0 END, -1 WHERE old.sla_resolve_met IS NOT NULL
            UNION ALL
            SELECT 'created' AS metric, new.created_at AS at, new.priority AS priority, new.channel AS label, new.reopen_count AS k, 1 AS n
            UNION ALL SELECT 'opened', new.created_at, new.priority, '', 0, 1
            UNION ALL SELECT 'done', COALESCE(new.resolved_at, new.closed_at), new.priority, '', 0, 1 WHERE new.status IN ('resolved', 'closed')
            UNION ALL SELECT 'response', new.first_response_at, new.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(new.first_response_at) - unixepoch(new.created_at)) ORDER BY b.lo DESC LIMIT 1), 1 WHERE new.first_response_at IS NOT NULL
            UNION ALL SELECT 'resolve', new.resolved_at, new.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(new.resolved_at) - unixepoch(new.created_at)) ORDER BY b.lo DESC LIMIT 1), 1 WHERE new.resolved_at IS NOT NULL
            UNION ALL SELECT 'sla_response', COALESCE(new.sla_response_due, new.created_at), new.priority, '', CASE WHEN new.sla_response_met THEN 1 ELSE 0 END, 1 WHERE new.sla_response_met IS NOT NULL
            UNION ALL SELECT 'sla_resolve', COALESCE(new.sla_resolve_due, new.created_at), new.priority, '', CASE WHEN new.sla_resolve_met THEN 1 ELSE 0 END, 1 WHERE new.sla_resolve_met IS NOT NULL
    ) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_tickets_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (
            SELECT 'created' AS metric, old.created_at AS at, old.priority AS priority, old.channel AS label, old.reopen_count AS k, -1 AS n
            UNION ALL SELECT 'opened', old.created_at, old.priority, '', 0, -1
            UNION ALL SELECT 'done', COALESCE(old.resolved_at, old.closed_at), old.priority, '', 0, -1 WHERE old.status IN ('resolved', 'closed')
            UNION ALL SELECT 'response', old.first_response_at, old.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(old.first_response_at) - unixepoch(old.created_at)) ORDER BY b.lo DESC LIMIT 1), -1 WHERE old.first_response_at IS NOT NULL
            UNION ALL SELECT 'resolve', old.resolved_at, old.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= MAX(0, unixepoch(old.resolved_at) - unixepoch(old.created_at)) ORDER BY b.lo DESC LIMIT 1), -1 WHERE old.resolved_at IS NOT NULL
            UNION ALL SELECT 'sla_response', COALESCE(old.sla_response_due, old.created_at), old.priority, '', CASE WHEN old.sla_response_met THEN 1 ELSE 0 END, -1 WHERE old.sla_response_met IS NOT NULL
            UNION ALL SELECT 'sla_resolve', COALESCE(old.sla_resolve_due, old.created_at), old.priority, '', CASE WHEN old.sla_resolve_met THEN 1 ELSE 0 END, -1 WHERE old.sla_resolve_met IS NOT NULL
    ) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- Survey answers (metric csat, k: score, by day answered) and kudos
-- (metric kudos, k: who received them, by day given), counted the same way.
-- +goose StatementBegin
CREATE TRIGGER report_surveys_insert AFTER INSERT ON surveys BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (
            SELECT 'csat' AS metric, new.answered_at AS at, '' AS priority, '' AS label, new.score AS k, 1 AS n WHERE new.answered_at IS NOT NULL AND new.score IS NOT NULL
    ) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_surveys_update AFTER UPDATE OF score, answered_at ON surveys
WHEN old.score IS NOT new.score OR old.answered_at IS NOT new.answered_at BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (
            SELECT 'csat' AS metric, old.answered_at AS at, '' AS priority, '' AS label, old.score AS k, -1 AS n WHERE old.answered_at IS NOT NULL AND old.score IS NOT NULL
            UNION ALL
            SELECT 'csat' AS metric, new.answered_at AS at, '' AS priority, '' AS label, new.score AS k, 1 AS n WHERE new.answered_at IS NOT NULL AND new.score IS NOT NULL
    ) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_surveys_delete AFTER DELETE ON surveys BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (
            SELECT 'csat' AS metric, old.answered_at AS at, '' AS priority, '' AS label, old.score AS k, -1 AS n WHERE old.answered_at IS NOT NULL AND old.score IS NOT NULL
    ) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_kudos_insert AFTER INSERT ON kudos BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (
            SELECT 'kudos' AS metric, new.created_at AS at, '' AS priority, '' AS label, new.to_id AS k, 1 AS n
    ) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_kudos_update AFTER UPDATE OF to_id, created_at ON kudos
WHEN old.to_id IS NOT new.to_id OR old.created_at IS NOT new.created_at BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (
            SELECT 'kudos' AS metric, old.created_at AS at, '' AS priority, '' AS label, old.to_id AS k, -1 AS n
            UNION ALL
            SELECT 'kudos' AS metric, new.created_at AS at, '' AS priority, '' AS label, new.to_id AS k, 1 AS n
    ) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_kudos_delete AFTER DELETE ON kudos BEGIN
    INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
    SELECT s.span, CASE s.span WHEN 'month' THEN date(c.at, 'start of month') ELSE date(c.at) END AS d,
           c.metric, c.priority, c.label, c.k, 0, SUM(c.n)
    FROM (
            SELECT 'kudos' AS metric, old.created_at AS at, '' AS priority, '' AS label, old.to_id AS k, -1 AS n
    ) c
    JOIN (SELECT 'day' AS span, 0 AS flow UNION ALL SELECT 'month', 0 UNION ALL SELECT 'flow', 1) s
      ON s.flow = (c.metric IN ('opened', 'done'))
    WHERE date(c.at) IS NOT NULL AND c.k IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

DROP TABLE report_zone_name;
DROP TABLE report_zone;
