-- +goose Up
-- Cheaper writes at a million tickets (issue 5). SQLite rewrites an index
-- on every UPDATE that sets one of its columns or the columns of its
-- WHERE (the store's update sets them all), unless the row is outside a
-- partial index both before and after. So each list index cost every
-- claim and create a page or two; these serve the same lists with fewer
-- tickets in them:
--   - unassigned tickets by status hold only those that are not new, as
--     on PostgreSQL (migration 00015): new tickets are unassigned anyway,
--     their pages fill from the status indexes, and a create and a claim
--     (new and unassigned, then open and assigned) now skip both;
--   - critical tickets by last change only critical tickets: normal ones,
--     nearly all, skip it, and lists of them walk the last-change order.
DROP INDEX tickets_unassigned_status;
DROP INDEX tickets_unassigned_updated;
DROP INDEX tickets_priority_updated;
CREATE INDEX tickets_unassigned_status ON tickets (status, id) WHERE assignee_id IS NULL AND status <> 'new';
CREATE INDEX tickets_unassigned_updated ON tickets (status, updated_at, id) WHERE assignee_id IS NULL AND status <> 'new';
CREATE INDEX tickets_critical_updated ON tickets (updated_at, id) WHERE priority = 'critical';

-- +goose Down
DROP INDEX tickets_critical_updated;
DROP INDEX tickets_unassigned_updated;
DROP INDEX tickets_unassigned_status;
CREATE INDEX tickets_priority_updated ON tickets (priority, updated_at, id);
CREATE INDEX tickets_unassigned_updated ON tickets (status, updated_at, id) WHERE assignee_id IS NULL;
CREATE INDEX tickets_unassigned_status ON tickets (status, id) WHERE assignee_id IS NULL;
