-- +goose Up
-- Supervisor reports (issue 9). Every figure is a sum of counts kept per
-- day, so a report over a year reads a few thousand rows, not a million
-- tickets. A trigger keeps the counts in the writing transaction, whoever
-- writes (the desk, the SLA timers, the CLI or plain SQL), so they cannot
-- drift from the tickets; the store can rebuild them from scratch
-- (RebuildReports) and the tests check both ways agree.

-- Duration buckets: one second wide below 100 s, then each about 1% wider
-- than the last (lo * 101 / 100 in integers, the same on both databases and
-- in rapport.DurationBucket), up to 20 years. A percentile read from them is
-- within 0.5% of the exact one.
CREATE TABLE report_buckets (
    lo BIGINT PRIMARY KEY,
    k  INTEGER NOT NULL UNIQUE
);
WITH RECURSIVE b (k, lo) AS (
    SELECT 0, 0::bigint
    UNION ALL SELECT k + 1, GREATEST(lo + 1, lo * 101 / 100) FROM b WHERE lo < 630720000
)
INSERT INTO report_buckets (lo, k) SELECT lo, k FROM b;

-- The counts: see the SQLite migration. shard spreads the counters every
-- new ticket touches (today's created, opened) over 8 rows by ticket id, so
-- concurrent writers rarely wait on one row; the duration counts spread
-- over their buckets already.
CREATE TABLE report_days (
    span     TEXT NOT NULL,
    day      DATE NOT NULL,
    metric   TEXT NOT NULL,
    priority TEXT NOT NULL,
    label    TEXT NOT NULL,
    k        BIGINT NOT NULL,
    shard    INTEGER NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (span, day, metric, priority, label, k, shard)
);

-- report_ticket_rows is what one ticket adds to report_days, times delta.
-- +goose StatementBegin
CREATE FUNCTION report_ticket_rows(t tickets, delta INTEGER)
RETURNS TABLE (span TEXT, day DATE, metric TEXT, priority TEXT, label TEXT, k BIGINT, shard INTEGER, n BIGINT)
LANGUAGE sql STABLE AS $$
SELECT s.span,
       CASE s.span WHEN 'month' THEN date_trunc('month', c.at AT TIME ZONE 'UTC')::date ELSE (c.at AT TIME ZONE 'UTC')::date END,
       c.metric, c.priority, c.label, c.k,
       CASE WHEN c.metric IN ('response', 'resolve') THEN 0 ELSE (t.id % 8)::integer END,
       delta::bigint
FROM (
    SELECT 'created' AS metric, t.created_at AS at, t.priority AS priority, t.channel AS label, t.reopen_count::bigint AS k
    UNION ALL SELECT 'opened', t.created_at, t.priority, '', 0
    UNION ALL SELECT 'done', COALESCE(t.resolved_at, t.closed_at), t.priority, '', 0 WHERE t.status IN ('resolved', 'closed')
    UNION ALL SELECT 'response', t.first_response_at, t.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= GREATEST(0, floor(extract(epoch FROM t.first_response_at))::bigint - floor(extract(epoch FROM t.created_at))::bigint) ORDER BY b.lo DESC LIMIT 1) WHERE t.first_response_at IS NOT NULL
    UNION ALL SELECT 'resolve', t.resolved_at, t.priority, '', (SELECT b.k FROM report_buckets b WHERE b.lo <= GREATEST(0, floor(extract(epoch FROM t.resolved_at))::bigint - floor(extract(epoch FROM t.created_at))::bigint) ORDER BY b.lo DESC LIMIT 1) WHERE t.resolved_at IS NOT NULL
    UNION ALL SELECT 'sla_response', COALESCE(t.sla_response_due, t.created_at), t.priority, '', CASE WHEN t.sla_response_met THEN 1 ELSE 0 END WHERE t.sla_response_met IS NOT NULL
    UNION ALL SELECT 'sla_resolve', COALESCE(t.sla_resolve_due, t.created_at), t.priority, '', CASE WHEN t.sla_resolve_met THEN 1 ELSE 0 END WHERE t.sla_resolve_met IS NOT NULL
) c
JOIN (VALUES ('day', false), ('month', false), ('flow', true)) AS s (span, flow) ON s.flow = (c.metric IN ('opened', 'done'))
WHERE c.at IS NOT NULL AND c.k IS NOT NULL
$$;
-- +goose StatementEnd

-- The old row's counts come off and the new one's go on, summed first so
-- an update that moves nothing writes nothing, and in key order so two
-- transactions never lock the same rows in opposite orders.
-- +goose StatementBegin
CREATE FUNCTION report_tickets_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_days AS d (span, day, metric, priority, label, k, shard, n)
    SELECT c.span, c.day, c.metric, c.priority, c.label, c.k, c.shard, SUM(c.n)
    FROM (
        SELECT * FROM report_ticket_rows(OLD, -1) WHERE TG_OP <> 'INSERT'
        UNION ALL
        SELECT * FROM report_ticket_rows(NEW, 1) WHERE TG_OP <> 'DELETE'
    ) c
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = d.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER report_tickets_insert AFTER INSERT OR DELETE ON tickets
    FOR EACH ROW EXECUTE FUNCTION report_tickets_apply();
CREATE TRIGGER report_tickets_update AFTER UPDATE ON tickets
    FOR EACH ROW WHEN ((old.created_at, old.priority, old.channel, old.reopen_count, old.status, old.first_response_at, old.resolved_at, old.closed_at, old.sla_response_due, old.sla_resolve_due, old.sla_response_met, old.sla_resolve_met) IS DISTINCT FROM
                       (new.created_at, new.priority, new.channel, new.reopen_count, new.status, new.first_response_at, new.resolved_at, new.closed_at, new.sla_response_due, new.sla_resolve_due, new.sla_response_met, new.sla_resolve_met))
    EXECUTE FUNCTION report_tickets_apply();

-- Survey answers (metric csat, k: score, by day answered) and kudos
-- (metric kudos, k: who received them, by day given), counted the same way.
-- +goose StatementBegin
CREATE FUNCTION report_surveys_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_days AS d (span, day, metric, priority, label, k, shard, n)
    SELECT s.span,
           CASE s.span WHEN 'month' THEN date_trunc('month', c.at AT TIME ZONE 'UTC')::date ELSE (c.at AT TIME ZONE 'UTC')::date END,
           c.metric, '', '', c.k, c.shard, SUM(c.n)
    FROM (
        SELECT 'csat' AS metric, OLD.answered_at AS at, OLD.score::bigint AS k, (OLD.id % 8)::integer AS shard, -1 AS n WHERE TG_OP <> 'INSERT' AND OLD.answered_at IS NOT NULL AND OLD.score IS NOT NULL
        UNION ALL
        SELECT 'csat' AS metric, NEW.answered_at AS at, NEW.score::bigint AS k, (NEW.id % 8)::integer AS shard, 1 AS n WHERE TG_OP <> 'DELETE' AND NEW.answered_at IS NOT NULL AND NEW.score IS NOT NULL
    ) c
    CROSS JOIN (VALUES ('day'), ('month')) AS s (span)
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = d.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER report_surveys_insert AFTER INSERT OR DELETE ON surveys
    FOR EACH ROW EXECUTE FUNCTION report_surveys_apply();
CREATE TRIGGER report_surveys_update AFTER UPDATE ON surveys
    FOR EACH ROW WHEN ((OLD.answered_at, OLD.score) IS DISTINCT FROM (NEW.answered_at, NEW.score))
    EXECUTE FUNCTION report_surveys_apply();

-- +goose StatementBegin
CREATE FUNCTION report_kudos_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_days AS d (span, day, metric, priority, label, k, shard, n)
    SELECT s.span,
           CASE s.span WHEN 'month' THEN date_trunc('month', c.at AT TIME ZONE 'UTC')::date ELSE (c.at AT TIME ZONE 'UTC')::date END,
           c.metric, '', '', c.k, c.shard, SUM(c.n)
    FROM (
        SELECT 'kudos' AS metric, OLD.created_at AS at, OLD.to_id::bigint AS k, (OLD.id % 8)::integer AS shard, -1 AS n WHERE TG_OP <> 'INSERT'
        UNION ALL
        SELECT 'kudos' AS metric, NEW.created_at AS at, NEW.to_id::bigint AS k, (NEW.id % 8)::integer AS shard, 1 AS n WHERE TG_OP <> 'DELETE'
    ) c
    CROSS JOIN (VALUES ('day'), ('month')) AS s (span)
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(c.n) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (span, day, metric, priority, label, k, shard) DO UPDATE SET n = d.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER report_kudos_insert AFTER INSERT OR DELETE ON kudos
    FOR EACH ROW EXECUTE FUNCTION report_kudos_apply();
CREATE TRIGGER report_kudos_update AFTER UPDATE ON kudos
    FOR EACH ROW WHEN ((OLD.created_at, OLD.to_id) IS DISTINCT FROM (NEW.created_at, NEW.to_id))
    EXECUTE FUNCTION report_kudos_apply();

-- Strikes are few: they are read by date from their own table.
CREATE INDEX strikes_created_at ON strikes (created_at, step, withdrawn_at);

-- +goose Down
DROP INDEX strikes_created_at;
DROP TRIGGER report_kudos_update ON kudos;
DROP TRIGGER report_kudos_insert ON kudos;
DROP FUNCTION report_kudos_apply();
DROP TRIGGER report_surveys_update ON surveys;
DROP TRIGGER report_surveys_insert ON surveys;
DROP FUNCTION report_surveys_apply();
DROP TRIGGER report_tickets_update ON tickets;
DROP TRIGGER report_tickets_insert ON tickets;
DROP FUNCTION report_tickets_apply();
DROP FUNCTION report_ticket_rows(tickets, INTEGER);
DROP TABLE report_days;
DROP TABLE report_buckets;
