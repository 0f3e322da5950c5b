-- +goose Up
-- Report days are the site's days (RAPPORT_TIME_ZONE): see the SQLite
-- migration. The functions of 00027 take the date of report_local(at), the
-- instant shifted by its period's offset, instead of the UTC date.
CREATE TABLE report_zone (
    start_unix     BIGINT PRIMARY KEY,
    offset_seconds INTEGER NOT NULL
);
INSERT INTO report_zone (start_unix, offset_seconds) VALUES (-9223372036854775808, 0);
CREATE TABLE report_zone_name (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    zone TEXT NOT NULL
);
INSERT INTO report_zone_name (id, zone) VALUES (1, 'UTC');

-- report_local is at as the site's clocks read it: the offset of the
-- latest period starting at or before at (one read of the primary key).
-- +goose StatementBegin
CREATE FUNCTION report_local(at TIMESTAMPTZ) RETURNS TIMESTAMP
LANGUAGE sql STABLE AS $$
SELECT (at AT TIME ZONE 'UTC') + make_interval(secs => (
    SELECT z.offset_seconds FROM report_zone z
    WHERE z.start_unix <= floor(extract(epoch FROM at))::bigint
    ORDER BY z.start_unix DESC LIMIT 1))
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_ticket_rows(t tickets, delta INTEGER)
RETURNS TABLE (span TEXT, day DATE, metric TEXT, priority TEXT, label TEXT, k BIGINT, shard INTEGER, n BIGINT)
LANGUAGE sql STABLE AS $$
SELECT s.span,
       CASE s.span WHEN 'month' THEN date_trunc('month', report_local(c.at))::date ELSE report_local(c.at)::date END,
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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_surveys_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_days AS d (span, day, metric, priority, label, k, shard, n)
    SELECT s.span,
           CASE s.span WHEN 'month' THEN date_trunc('month', report_local(c.at))::date ELSE report_local(c.at)::date END,
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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_kudos_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_days AS d (span, day, metric, priority, label, k, shard, n)
    SELECT s.span,
           CASE s.span WHEN 'month' THEN date_trunc('month', report_local(c.at))::date ELSE report_local(c.at)::date END,
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

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_ticket_rows(t tickets, delta INTEGER)
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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_surveys_apply() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_kudos_apply() RETURNS trigger LANGUAGE plpgsql AS $$
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

DROP FUNCTION report_local(TIMESTAMPTZ);
DROP TABLE report_zone_name;
DROP TABLE report_zone;
