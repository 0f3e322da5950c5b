-- +goose Up
-- Critical tickets by last change (issue 5): an index of the critical
-- tickets alone replaces (priority, updated_at, id), so the writes of
-- normal tickets, nearly all, skip it, as on SQLite (its migration 00030,
-- which also narrows the unassigned indexes to those this dialect's
-- migration 00015 already holds). Normal tickets by last change walk the
-- last-change order, where nearly every ticket is one.
DROP INDEX tickets_priority_updated;
CREATE INDEX tickets_critical_updated ON tickets (updated_at, id) WHERE priority = 'critical';

-- +goose Down
DROP INDEX tickets_critical_updated;
CREATE INDEX tickets_priority_updated ON tickets (priority, updated_at, id);
