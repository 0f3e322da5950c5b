-- +goose Up
-- Ticket lists at a million tickets (issue 5): each common combination of
-- filters gets an index that holds its rows in the list's order, so a page
-- reads its own rows and a few more instead of sorting every match or
-- skipping most of an index. Status with sort=updated or a creation range;
-- channels and critical tickets by last change; unassigned tickets by
-- creation time and by priority; an assignee's by status and last
-- change; frustrated and angry requesters' tickets (the mood filter, a
-- small share) by status. The creation indexes carry updated_at
-- too, so a creation range sorted by last change is read from the index
-- alone.
DROP INDEX tickets_created;
CREATE INDEX tickets_created ON tickets (created_at, id, updated_at);
CREATE INDEX tickets_status_updated ON tickets (status, updated_at, id);
CREATE INDEX tickets_status_created ON tickets (status, created_at, id, updated_at);
CREATE INDEX tickets_priority_updated ON tickets (priority, updated_at, id);
CREATE INDEX tickets_channel_updated ON tickets (channel, updated_at, id);
CREATE INDEX tickets_critical_status ON tickets (status, id) WHERE priority = 'critical';
CREATE INDEX tickets_critical_status_updated ON tickets (status, updated_at, id) WHERE priority = 'critical';
CREATE INDEX tickets_unassigned_created ON tickets (created_at, id) WHERE assignee_id IS NULL;
CREATE INDEX tickets_unassigned_priority ON tickets (priority, id) WHERE assignee_id IS NULL;
CREATE INDEX tickets_assignee_status ON tickets (assignee_id, status, updated_at, id) WHERE assignee_id IS NOT NULL;
CREATE INDEX tickets_moody_status ON tickets (status, id) WHERE mood <> 'calm';
CREATE INDEX tickets_moody_updated ON tickets (status, updated_at, id) WHERE mood <> 'calm';

-- +goose Down
DROP INDEX tickets_moody_updated;
DROP INDEX tickets_moody_status;
DROP INDEX tickets_assignee_status;
DROP INDEX tickets_unassigned_priority;
DROP INDEX tickets_unassigned_created;
DROP INDEX tickets_critical_status_updated;
DROP INDEX tickets_critical_status;
DROP INDEX tickets_channel_updated;
DROP INDEX tickets_priority_updated;
DROP INDEX tickets_status_created;
DROP INDEX tickets_status_updated;
DROP INDEX tickets_created;
CREATE INDEX tickets_created ON tickets (created_at, id);
