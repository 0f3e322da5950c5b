-- name: fill-reports
INSERT INTO report_days (span, day, metric, priority, label, k, shard, n)
SELECT r.span, r.day, r.metric, r.priority, r.label, r.k, r.shard, SUM(r.n)
FROM tickets t CROSS JOIN LATERAL report_ticket_rows(t, 1) r
GROUP BY 1, 2, 3, 4, 5, 6, 7;
