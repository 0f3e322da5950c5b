-- +goose Up
-- Unassigned tickets that are not new, by status, in id and in update
-- order. A list of unassigned tickets with a status (the staff "All open"
-- list filtered by "no one", with or without a priority) walked the status
-- index or every ticket and skipped the assigned ones: almost every open,
-- waiting, resolved or closed ticket has an assignee, so a page read all of
-- them (1-3 s at a million tickets). New tickets are mostly unassigned, so
-- their pages fill at once without an index of their own.
CREATE INDEX tickets_unassigned_status ON tickets (status, id) WHERE assignee_id IS NULL AND status <> 'new';
CREATE INDEX tickets_unassigned_updated ON tickets (status, updated_at, id) WHERE assignee_id IS NULL AND status <> 'new';

-- +goose Down
DROP INDEX tickets_unassigned_updated;
DROP INDEX tickets_unassigned_status;
